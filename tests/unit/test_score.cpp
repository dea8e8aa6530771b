#include <doctest/doctest.h>

#include <limits>

#include <cmath>
#include <numbers>

#include "hbar/data/dataset.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/score/score.hpp"

using namespace hbar;

namespace {
// log p_t(x) of an equal-weight isotropic mixture, brute force in long double.
long double log_density(const Points& centres, double std, const Schedule& s, double t, Vec2 x) {
  const long double a = s.alpha(t), tau2 = a * a * std * std + s.sigma2(t);
  long double sum = 0;
  for (Eigen::Index k = 0; k < centres.rows(); ++k) {
    const long double dx = x[0] - a * centres(k, 0), dy = x[1] - a * centres(k, 1);
    sum += std::exp(-(dx * dx + dy * dy) / (2 * tau2));
  }
  return std::log(sum / centres.rows() / (2 * std::numbers::pi * tau2));
}

Points probe_points(int n, double scale) {
  Points p(n, 2);
  for (int i = 0; i < n; ++i) {
    const auto z = normal2(42, Stream::kData, static_cast<std::uint64_t>(i), 0);
    p.row(i) << scale * z[0], scale * z[1];
  }
  return p;
}
}  // namespace

TEST_CASE("mixture score is the gradient of the closed-form log density") {
  const auto law = *mixture_law("gauss25");
  for (const auto& sched : {Schedule::simple(), Schedule::cosine()}) {
    const MixtureScore score(law.centres, law.std, sched);
    for (double t : {0.01, 0.05, 0.2, 0.6, 0.99}) {
      CAPTURE(t);
      const Points x = probe_points(20, 1.0);
      const Points s = score.score(x, t);
      const double h = 1e-5;
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        for (int d = 0; d < 2; ++d) {
          Vec2 xp = x.row(i).transpose(), xm = xp;
          xp[d] += h;
          xm[d] -= h;
          const double fd = static_cast<double>(
              (log_density(law.centres, law.std, sched, t, xp) -
               log_density(law.centres, law.std, sched, t, xm)) / (2 * h));
          CHECK(s(i, d) == doctest::Approx(fd).epsilon(1e-6).scale(1.0));
        }
      }
    }
  }
}

TEST_CASE("pruned empirical score equals the full sum") {
  const Points data = make_dataset("swissroll", 3000, 0);
  const auto sched = Schedule::simple();
  const MixtureScore score(data, 0.0, sched);
  for (double t : {0.01, 0.02, 0.05, 0.1, 0.3, 1.0}) {
    CAPTURE(t);
    const Points x = probe_points(200, 1.5);
    Points pruned(x.rows(), 2), full(x.rows(), 2);
    score.score(x, t, pruned);
    score.score_full(x, t, full);
    // Skipped weights are < 1e-15 of the largest; n ≤ 3000 of them shift the
    // weighted mean by < 3000·1e-15·diam relative to the score's scale 1/τ².
    const double tau2 = sched.sigma2(t);
    const double bound = 3000 * 1e-15 * 5.0 / tau2 + 1e-12 * pruned.cwiseAbs().maxCoeff();
    CHECK((pruned - full).cwiseAbs().maxCoeff() <= bound);
  }
  // Pruning really prunes at small t.
  CHECK(score.candidate_count(data.row(0).transpose(), 0.01) < 300);
  CHECK(score.candidate_count(data.row(0).transpose(), 1.0) == 3000);
}

TEST_CASE("a point that is not finite gets a NaN score, never a crash, and its neighbours keep theirs") {
  // A blown-up particle (h = 10 with a score biased by 10 once crashed the grid search).
  const Points data = make_dataset("swissroll", 3000, 0);
  const MixtureScore score(data, 0.0, Schedule::simple());
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  Points x(5, 2);
  x << 0.3, 0.2, nan, 0.0, inf, 1.0, -inf, -inf, 1e308, -1e308;
  for (double t : {0.01, 0.3, 1.0}) {
    Points out(5, 2), one(1, 2);
    Jacobians jac(5, 4);
    score.score(x, t, out);
    score.score_full(x.topRows(1), t, one);
    CHECK(out.row(0).isApprox(one.row(0)));
    for (int i = 1; i < 4; ++i) CHECK(out.row(i).hasNaN());
    score.score_jacobian(x, t, out, jac);
    CHECK(out.row(0).isApprox(one.row(0)));
    for (int i = 1; i < 4; ++i) CHECK(jac.row(i).hasNaN());
  }
}

TEST_CASE("Jacobians match finite differences of the score") {
  const Points data = make_dataset("moons", 500, 0);
  const auto sched = Schedule::cosine();
  const MixtureScore emp(data, 0.0, sched);
  const auto g = *gaussian_law("gaussian");
  const GaussianScore gs(g.mean, g.cov, sched);
  const BiasedScore biased(std::make_shared<MixtureScore>(data, 0.0, sched), 0.2);
  for (const ScoreModel* m : {static_cast<const ScoreModel*>(&emp), static_cast<const ScoreModel*>(&gs),
                              static_cast<const ScoreModel*>(&biased)}) {
    CAPTURE(m->describe());
    for (double t : {0.05, 0.3, 0.9}) {
      const Points x = probe_points(15, 1.0);
      Points s(x.rows(), 2);
      Jacobians j(x.rows(), 4);
      m->score_jacobian(x, t, s, j);
      CHECK((s - m->score(x, t)).cwiseAbs().maxCoeff() < 1e-10 * (1 + s.cwiseAbs().maxCoeff()));
      const double h = 1e-6;
      for (int d = 0; d < 2; ++d) {
        Points xp = x, xm = x;
        xp.col(d).array() += h;
        xm.col(d).array() -= h;
        const Points fd = (m->score(xp, t) - m->score(xm, t)) / (2 * h);
        const double scale = 1.0 + j.cwiseAbs().maxCoeff();
        CHECK((fd.col(0) - j.col(d)).cwiseAbs().maxCoeff() < 1e-5 * scale);      // d s_x / d x_d
        CHECK((fd.col(1) - j.col(2 + d)).cwiseAbs().maxCoeff() < 1e-5 * scale);  // d s_y / d x_d
      }
      const Eigen::VectorXd div = m->divergence(x, t);
      CHECK((div - (j.col(0) + j.col(3))).cwiseAbs().maxCoeff() < 1e-9 * (1.0 + j.cwiseAbs().maxCoeff()));
    }
  }
}

TEST_CASE("a one-point mixture is the Gaussian score, and the factory picks the analytic law") {
  const auto sched = Schedule::simple();
  Points one(1, 2);
  one << 0.3, -0.7;
  const MixtureScore m(one, 0.2, sched);
  const GaussianScore g(one.row(0).transpose(), 0.04 * Mat2::Identity(), sched);
  const Points x = probe_points(10, 2.0);
  for (double t : {0.01, 0.5}) CHECK((m.score(x, t) - g.score(x, t)).cwiseAbs().maxCoeff() < 1e-9);
  const Points data = make_dataset("gauss25", 100, 0);
  CHECK(make_exact_score("gauss25", data, sched)->describe() == "exact mixture (25 components)");
  CHECK(make_exact_score("gaussian", data, sched)->describe() == "exact Gaussian");
  CHECK(make_exact_score("", data, sched)->describe() == "exact empirical (100 points)");
  CHECK(make_exact_score("swissroll", data, sched)->describe() == "exact empirical (100 points)");
  const BiasedScore b(make_exact_score("gauss25", data, sched), 0.2);
  CHECK((b.score(x, 0.3) - 1.2 * make_exact_score("gauss25", data, sched)->score(x, 0.3))
            .cwiseAbs()
            .maxCoeff() < 1e-12);
}

TEST_CASE("far-field expansion: degree bound and agreement with the full sum") {
  // The degree is the smallest P with e^{2ρ} ρ^{P+1}/(P+1)! ≤ 1e-16, checked directly.
  for (double rho : {0.0, 0.1, 0.5, 1.0, 1.5, 2.0}) {
    const int p = MixtureScore::far_field_degree(rho);
    REQUIRE(p >= 0);
    REQUIRE(p <= MixtureScore::kMaxDegree);
    const auto bound = [&](int deg) { return std::exp(2 * rho) * std::pow(rho, deg + 1) / std::tgamma(deg + 2.0); };
    CHECK(bound(p) <= 1e-16 * (1 + 1e-12));
    if (p > 0) CHECK(bound(p - 1) > 1e-16);
  }
  CHECK(MixtureScore::far_field_degree(2.01) == -1);

  for (const auto& name : {"swissroll", "circles", "checkerboard"}) {
    CAPTURE(name);
    const Points data = make_dataset(name, 2000, 0);
    for (const auto& sched : {Schedule::simple(), Schedule::cosine()}) {
      const MixtureScore score(data, 0.0, sched);
      int far = 0;
      for (double t : {0.3, 0.45, 0.6, 0.8, 0.95}) {
        CAPTURE(t);
        const Points x = probe_points(300, 1.5);
        for (Eigen::Index i = 0; i < x.rows(); ++i) far += score.uses_far_field(x.row(i).transpose(), t);
        Points fast(x.rows(), 2), full(x.rows(), 2);
        score.score(x, t, fast);
        score.score_full(x, t, full);
        const double tau2 = sched.sigma2(t);
        // Scale of the score's mean term α·D/τ²: the bound applies to it.
        CHECK((fast - full).cwiseAbs().maxCoeff() <= 1e-13 * (1.0 + 3.0 / tau2));
      }
      CHECK(far > 300);  // the far field is really exercised
    }
  }
}

TEST_CASE("a bias confined to a window of t acts there only (--bias-window)") {
  const auto law = *gaussian_law("gaussian");
  const Schedule s = Schedule::simple();
  const auto exact = std::make_shared<GaussianScore>(law.mean, law.cov, s);
  const BiasedScore b(exact, 0.3, 0.2, 0.5);
  Points x(2, 2), se(2, 2), sb(2, 2);
  x << 0.4, -1.0, 1.5, 0.7;
  for (double t : {0.1, 0.2, 0.35, 0.5, 0.8}) {
    CAPTURE(t);
    exact->score(x, t, se);
    b.score(x, t, sb);
    const double k = t >= 0.2 && t <= 0.5 ? 1.3 : 1.0;
    CHECK((sb - k * se).cwiseAbs().maxCoeff() < 1e-15);
    ScoreDerivatives de, db;
    REQUIRE(exact->score_derivatives(x, t, de));
    REQUIRE(b.score_derivatives(x, t, db));
    CHECK((db.jac - k * de.jac).cwiseAbs().maxCoeff() < 1e-14);
    CHECK((db.hess_div - k * de.hess_div).cwiseAbs().maxCoeff() < 1e-12);
  }
  CHECK(b.describe().find("on t in [0.2, 0.5]") != std::string::npos);
}
