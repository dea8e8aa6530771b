#include <doctest/doctest.h>

#include <Eigen/LU>

#include <cmath>
#include <numbers>

#include "hbar/data/dataset.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/process/ode.hpp"
#include "hbar/process/toy1d.hpp"

using namespace hbar;

namespace {
std::shared_ptr<const ScoreModel> gauss25_exact(const Schedule& s) {
  return make_exact_score("gauss25", Points(), s);
}
}  // namespace

TEST_CASE("Dormand–Prince reaches the closed form in both directions") {
  // y' = −2 t y (rows differ by the start value): y(t) = y0 exp(−t²).
  const OdeRhs rhs = [](double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) { dy = -2.0 * t * y; };
  Eigen::MatrixXd y(2, 1);
  y << 1.0, -3.0;
  const OdeStats st = integrate_dopri5(rhs, 0.0, 2.0, y, {1e-10, 1e-12});
  CHECK(std::abs(y(0, 0) - std::exp(-4.0)) < 1e-9);
  CHECK(std::abs(y(1, 0) + 3.0 * std::exp(-4.0)) < 3e-9);
  CHECK(st.rejected < st.steps);
  integrate_dopri5(rhs, 2.0, 0.5, y, {1e-10, 1e-12});
  CHECK(std::abs(y(0, 0) - std::exp(-0.25)) < 1e-9);
}

TEST_CASE("mixture score derivatives equal central differences of lower orders") {
  const Schedule sched = Schedule::simple();
  const auto g25 = gauss25_exact(sched);
  const MixtureScore roll(make_dataset("swissroll", 300, 3), 0.0, sched);
  const ScoreModel* models[] = {g25.get(), &roll};
  Points x(3, 2);
  x << 0.3, -0.2, 0.71, 0.69, -0.5, 0.1;
  for (const ScoreModel* m : models) {
    for (double t : {0.05, 0.2, 0.6}) {
      CAPTURE(t);
      ScoreDerivatives d, dp, dm;
      REQUIRE(m->score_derivatives(x, t, d));
      // Jacobian against score_jacobian (same quantity, second code path).
      Points s2(3, 2);
      Jacobians j2(3, 4);
      m->score_jacobian(x, t, s2, j2);
      CHECK((d.s - s2).cwiseAbs().maxCoeff() < 1e-9 * (1 + s2.cwiseAbs().maxCoeff()));
      CHECK((d.jac - j2).cwiseAbs().maxCoeff() < 1e-9 * (1 + j2.cwiseAbs().maxCoeff()));
      // Differences with step e: error ~ e² × next derivative; e scaled to the
      // component width τ so that every t is resolved the same way.
      const double tau = std::sqrt(sched.sigma2(t) + sched.alpha(t) * sched.alpha(t) * 0.0177 * 0.0177);
      const double e = 1e-4 * tau;
      for (int j = 0; j < 2; ++j) {
        Points xp = x, xm = x;
        xp.col(j).array() += e;
        xm.col(j).array() -= e;
        m->score_derivatives(xp, t, dp);
        m->score_derivatives(xm, t, dm);
        for (Eigen::Index r = 0; r < 3; ++r) {
          const double scale3 = 1.0 / (tau * tau * tau), scale4 = scale3 / tau;
          for (int k = 0; k < 2; ++k)
            for (int i = 0; i < 2; ++i) {
              // ∂_j ∂_i s_k from the Jacobian row k, column i.
              const double fd = (dp.jac(r, 2 * k + i) - dm.jac(r, 2 * k + i)) / (2 * e);
              CHECK(std::abs(d.hess(r, 4 * k + 2 * i + j) - fd) < 1e-5 * scale3);
            }
          const double fd_div = ((dp.jac(r, 0) + dp.jac(r, 3)) - (dm.jac(r, 0) + dm.jac(r, 3))) / (2 * e);
          CHECK(std::abs(d.grad_div(r, j) - fd_div) < 1e-5 * scale3);
          for (int i = 0; i < 2; ++i) {
            const double fd = (dp.grad_div(r, i) - dm.grad_div(r, i)) / (2 * e);
            CHECK(std::abs(d.hess_div(r, 2 * i + j) - fd) < 1e-5 * scale4);
          }
        }
      }
    }
  }
}

TEST_CASE("zeroth-order NLL of the exact gauss25 score equals the closed-form density at T_min") {
  const Schedule sched = Schedule::simple();
  const auto model = gauss25_exact(sched);
  const Points x0 = make_heldout("gauss25", 40, 11);
  LikelihoodConfig cfg;
  const LikelihoodResult r = likelihood(*model, sched, x0, FirstOrder::kNone, cfg);
  Eigen::VectorXd truth(x0.rows());
  REQUIRE(model->log_density(x0, sched.t_min(), truth));
  // The flow starts from π = N(0, I) instead of the true p_T: the difference of the
  // two log densities, bounded over |y| ≤ 5, bounds the error (plus the ODE tolerance).
  Points y(441, 2);
  for (int i = 0; i < 21; ++i)
    for (int j = 0; j < 21; ++j) y.row(21 * i + j) << -5.0 + 0.5 * i, -5.0 + 0.5 * j;
  Eigen::VectorXd lp(441);
  model->log_density(y, sched.t_max(), lp);
  double bound = 0;
  for (int k = 0; k < 441; ++k)
    bound = std::max(bound, std::abs(lp[k] - (-y.row(k).squaredNorm() / 2 - std::log(2 * std::numbers::pi))));
  MESSAGE("prior mismatch bound " << bound << ", max error " << (r.logq0 - truth).cwiseAbs().maxCoeff());
  CHECK((r.logq0 - truth).cwiseAbs().maxCoeff() < bound + 1e-4);
}

TEST_CASE("the 1-D toy model through the general solver: log q⁰ and C equal the closed form") {
  // Two independent copies per 2-D point: at (x0, x0) the 2-D values are twice the 1-D ones.
  Toy1d toy;
  const auto model = toy.score();
  const Schedule sched = toy.schedule();
  LikelihoodConfig cfg;
  cfg.ode = {1e-9, 1e-11};
  for (double x0 : {0.0, 0.7, -1.3}) {
    CAPTURE(x0);
    Points p(1, 2);
    p << x0, x0;
    const LikelihoodResult r = likelihood(*model, sched, p, FirstOrder::kExact, cfg);
    const auto logq = [&](double h) {
      const double u = toy.u0(h);
      return -0.5 * std::log(2 * std::numbers::pi * u) - x0 * x0 / (2 * u);
    };
    // d log q^h / dh at 0 by a fourth-order difference of the closed form (error ~ δ⁴).
    const double dl = 1e-3;
    const double slope = (-logq(2 * dl) + 8 * logq(dl) - 8 * logq(-dl) + logq(-2 * dl)) / (12 * dl);
    MESSAGE("x0 " << x0 << ": logq0 " << r.logq0[0] / 2 << " vs " << logq(0) << ", C " << r.c[0] / 2 << " vs "
                  << slope);
    CHECK(std::abs(r.logq0[0] / 2 - logq(0)) < 1e-7);
    CHECK(std::abs(r.c[0] / 2 - slope) < 1e-6 * (1 + std::abs(slope)));
  }
}

TEST_CASE("exact backward pass: a and H equal finite differences of log q⁰_t") {
  const Schedule sched = Schedule::simple();
  const auto model = std::make_shared<BiasedScore>(gauss25_exact(sched), 0.2);
  LikelihoodConfig cfg;
  cfg.ode = {1e-10, 1e-12};
  for (double t : {0.05, 0.3}) {
    CAPTURE(t);
    Vec2 xt, a;
    Mat2 h;
    log_q0_derivatives_on_path(*model, sched, Vec2(0.72, -0.05), t, cfg, xt, a, h);
    const double e = 1e-3;
    Points p(9, 2);
    int k = 0;
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j) p.row(k++) << xt[0] + i * e, xt[1] + j * e;
    const Eigen::VectorXd l = log_q0_at(*model, sched, p, t, cfg);
    const auto L = [&](int i, int j) { return l[3 * (i + 1) + (j + 1)]; };
    const Vec2 ga((L(1, 0) - L(-1, 0)) / (2 * e), (L(0, 1) - L(0, -1)) / (2 * e));
    Mat2 gh;
    gh(0, 0) = (L(1, 0) - 2 * L(0, 0) + L(-1, 0)) / (e * e);
    gh(1, 1) = (L(0, 1) - 2 * L(0, 0) + L(0, -1)) / (e * e);
    gh(0, 1) = gh(1, 0) = (L(1, 1) - L(1, -1) - L(-1, 1) + L(-1, -1)) / (4 * e * e);
    MESSAGE("a " << a.transpose() << " fd " << ga.transpose() << "; H " << h.reshaped().transpose() << " fd "
                 << gh.reshaped().transpose());
    CHECK((a - ga).norm() < 1e-4 * (1 + a.norm()));
    CHECK((h - gh).norm() < 1e-2 * (1 + h.norm()));
  }
}

TEST_CASE("C vanishes for the exact score and agrees between the exact and finite-difference methods") {
  const Schedule sched = Schedule::simple();
  const auto exact = gauss25_exact(sched);
  const Points x0 = make_heldout("gauss25", 6, 5);
  LikelihoodConfig cfg;
  const LikelihoodResult r0 = likelihood(*exact, sched, x0, FirstOrder::kExact, cfg);
  MESSAGE("exact score C: " << r0.c.transpose());
  // Only the prior mismatch (|log p_T − log π| < 1e-6, see above) and the ODE tolerance remain.
  CHECK(r0.c.cwiseAbs().maxCoeff() < 1e-5);

  const auto biased = std::make_shared<BiasedScore>(exact, 0.2);
  const LikelihoodResult re = likelihood(*biased, sched, x0, FirstOrder::kExact, cfg);
  LikelihoodConfig fd = cfg;
  fd.fd_inner = {1e-9, 1e-11};
  fd.ode = {1e-7, 1e-9};
  const LikelihoodResult rf = likelihood(*biased, sched, x0, FirstOrder::kFiniteDifference, fd);
  MESSAGE("biased C exact: " << re.c.transpose() << "\n          fd: " << rf.c.transpose());
  CHECK((re.logq0 - rf.logq0).cwiseAbs().maxCoeff() < 1e-5);
  // Central differences with Δx = 0.01 err by ≈ Δx²/12 · ∂⁴log q relative to the
  // curvature, i.e. ≈ (Δx/τ)²/12 ≈ 0.6 % with modes of width τ ≈ 0.036 at T_min: allow 1 %.
  for (Eigen::Index i = 0; i < x0.rows(); ++i) CHECK(std::abs(re.c[i] - rf.c[i]) < 0.01 * std::abs(re.c[i]) + 0.05);
  // The paper's corr = −C is negative for a biased score (noise raises the likelihood).
  CHECK(re.c.mean() > 0);
}

TEST_CASE("Dormand–Prince rejects a step whose trial state is not finite in any row") {
  // dy = -y from 1: the path stays in (0, 1]. A first step of 10 puts the second stage at
  // y = 1 - 10/5 < 0, where this right-hand side is NaN; the step must be rejected, not
  // accepted because NaN compares false against the other rows' error (the Swiss roll
  // COSINE failure of issue 14).
  const OdeRhs rhs = [](double, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) {
    dy = -y;
    for (Eigen::Index r = 0; r < y.rows(); ++r)
      if (y(r, 0) < 0) dy(r, 0) = NAN;
  };
  for (int rows : {1, 3}) {
    Eigen::MatrixXd y = Eigen::MatrixXd::Ones(rows, 1);
    OdeOptions o{1e-9, 1e-12};
    o.first_step = 10.0;
    integrate_dopri5(rhs, 0.0, 5.0, y, o);
    for (Eigen::Index r = 0; r < rows; ++r) CHECK(y(r, 0) == doctest::Approx(std::exp(-5.0)).epsilon(1e-7));
  }
}

namespace {
// s = (K x1, -x2) under SIMPLE: the PF drift is ((β/2)(-1 - K) x1, 0), so with K = -6 every
// point off the x2 axis runs away as exp(5 ∫ β/2 dt) = e^25, and a point on it stands still
// with ℓ(T) = 5 ∫ β/2 dt (∇·f = -(β/2)(1 + K)). Jacobian constant, higher derivatives zero.
struct RunawayScore final : ScoreModel {
  double k = -6.0;
  using ScoreModel::score;
  void score(const PointsCRef& x, double, PointsRef out) const override {
    out.col(0) = k * x.col(0);
    out.col(1) = -x.col(1);
  }
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override {
    score(x, t, out);
    jac.col(0).setConstant(k);
    jac.col(1).setZero();
    jac.col(2).setZero();
    jac.col(3).setConstant(-1.0);
  }
  bool score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& d) const override {
    d.resize(x.rows());
    score_jacobian(x, t, d.s, d.jac);
    d.hess.setZero();
    d.grad_div.setZero();
    d.hess_div.setZero();
    return true;
  }
  std::string describe() const override { return "runaway"; }
};
}  // namespace

TEST_CASE("a PF path that runs away is reported as escaped: log q0 = -inf, C NaN, the others exact") {
  const Schedule s = Schedule::simple();
  const RunawayScore model;
  Points x(4, 2);
  x << 0.0, 0.5, 1e-3, 0.0, 0.7, -0.2, 0.0, -1.5;
  // ∫ β/2 dt over [0.01, 1] with β = 20 t: 5 (1 - 1e-4).
  const double b = 5.0 * (1.0 - 1e-4);
  for (FirstOrder order : {FirstOrder::kNone, FirstOrder::kExact, FirstOrder::kFiniteDifference}) {
    CAPTURE(static_cast<int>(order));
    LikelihoodConfig cfg;
    cfg.batch = 4;             // the runaway rows share the step with the others
    REQUIRE(cfg.escape_radius == 1e6);  // the default: |x| = 1e6 prior standard deviations
    const LikelihoodResult r = likelihood(model, s, x, order, cfg);
    REQUIRE(r.escaped.size() == 2);
    CHECK(r.escaped[0].index == 1);
    CHECK(r.escaped[1].index == 2);
    // x1(t) = x1(0) exp(5 ∫_{0.01}^t 10 u du) reaches 1e6: t = sqrt(1e-4 + ln(1e6 / x1(0)) / 25).
    CHECK(r.escaped[0].t == doctest::Approx(std::sqrt(1e-4 + std::log(1e6 / 1e-3) / 25.0)).epsilon(0.02));
    CHECK(r.escaped[1].t == doctest::Approx(std::sqrt(1e-4 + std::log(1e6 / 0.7) / 25.0)).epsilon(0.02));
    for (Eigen::Index i : {1, 2}) CHECK(std::isinf(r.logq0[i]));
    for (Eigen::Index i : {0, 3}) {
      const double y = x(i, 1);
      CHECK(r.logq0[i] == doctest::Approx(-y * y / 2 - std::log(2 * std::numbers::pi) + 5 * b).epsilon(1e-7));
    }
    if (order != FirstOrder::kNone) {
      CHECK(std::isnan(r.c[1]));
      CHECK(std::isnan(r.c[2]));
      // A point on the axis: its neighbours at fd_dx = 0.01 run away (0.01 e^25 > 1e6), so
      // finite differences have nothing to difference there.
      if (order == FirstOrder::kFiniteDifference) {
        CHECK(std::isnan(r.c[0]));
        CHECK(std::isnan(r.c[3]));
        continue;
      }
      // On the axis: a = (0, -x2), H = diag(-G², -1) with G(t) = exp(5 ∫_t^1 β/2), so
      // C = -∫ β/2 [K + G²] dt = 6B - (e^{10B} - 1)/10 (d G²/dt = -10 (β/2) G²).
      const double c_closed = 6 * b - std::expm1(10 * b) / 10;
      // (rtol 1e-6 per step over H's 50 e-folds of growth: 1e-4 relative)
      CHECK(r.c[0] == doctest::Approx(c_closed).epsilon(1e-4));
      CHECK(r.c[3] == doctest::Approx(c_closed).epsilon(1e-4));
      const Eigen::VectorXd kept = without_escaped(r.c, r.escaped);
      REQUIRE(kept.size() == 2);
      CHECK(kept[0] == r.c[0]);
      CHECK(kept[1] == r.c[3]);
    }
  }
}

TEST_CASE("the exact score's PF-ODE NLL of held-out gaussian points is the same under all four processes") {
  // SCIENCE.md §12: every process transports the same data law, so with the exact score
  // the PF ODE's log q⁰ at each held-out point is log p_{T_min} whatever the process, up to
  // the prior's mismatch with p_T and the ODE tolerance. The mismatch is bounded as in the
  // gauss25 test above: |log p_T − log π| over |y| ≤ 5 prior standard deviations (edm's is
  // the largest: p_T = N(μ, Σ + 80² I) is not centred, ~0.02 at 5 σ). The mean over the
  // points is the closed-form NLL of the data law within 3 standard errors.
  const auto law = *gaussian_law("gaussian");
  const Points x0 = make_heldout("gaussian", 200, 7);
  const auto log_normal = [](const Points& x, const Vec2& m, const Mat2& c) {
    const Mat2 p = c.inverse();
    Eigen::VectorXd out(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const Vec2 d = x.row(i).transpose() - m;
      out[i] = -0.5 * d.dot(p * d) - 0.5 * std::log(c.determinant()) - std::log(2 * std::numbers::pi);
    }
    return out;
  };
  const Eigen::VectorXd data_logp = log_normal(x0, law.mean, law.cov);
  const double nll_true = -data_logp.mean();
  const double sd = std::sqrt((data_logp.array() - data_logp.mean()).square().sum() / (x0.rows() - 1.0));
  const double se = sd / std::sqrt(static_cast<double>(x0.rows()));
  for (const Schedule& s : {Schedule::simple(), Schedule::cosine(), Schedule::edm(), Schedule::linear()}) {
    CAPTURE(s.name());
    const GaussianScore g(law.mean, law.cov, s);
    const LikelihoodResult r = likelihood(g, s, x0, FirstOrder::kNone, LikelihoodConfig{});
    const double a = s.alpha(s.t_min());
    const Eigen::VectorXd at_tmin = log_normal(x0, a * law.mean, a * a * law.cov + s.sigma2(s.t_min()) * Mat2::Identity());
    const double err = (r.logq0 - at_tmin).cwiseAbs().maxCoeff();
    const double aT = s.alpha(s.t_max()), ps = s.prior_std();
    double bound = 0;
    for (int i = 0; i <= 40; ++i)
      for (int j = 0; j <= 40; ++j) {
        Points y(1, 2);
        y << ps * (-5 + 0.25 * i), ps * (-5 + 0.25 * j);
        const double lp = log_normal(y, aT * law.mean, aT * aT * law.cov + s.sigma2(s.t_max()) * Mat2::Identity())[0];
        const double lpi = log_normal(y, Vec2::Zero(), ps * ps * Mat2::Identity())[0];
        bound = std::max(bound, std::abs(lp - lpi));
      }
    MESSAGE(s.name() << ": NLL " << -r.logq0.mean() << " (closed form of the data law " << nll_true << " ± " << se
                     << "), largest |log q0 - log p_Tmin| " << err << " (prior mismatch bound " << bound << ")");
    CHECK(err < bound + 1e-4);
    CHECK(std::abs(-r.logq0.mean() - nll_true) < 3 * se);
  }
}
