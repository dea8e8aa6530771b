#include <doctest/doctest.h>

#include <Eigen/LU>
#include <cmath>
#include <algorithm>
#include <functional>

#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/base/moments.hpp"
#include "hbar/score/score.hpp"

using namespace hbar;

namespace {

struct Moments {
  Vec2 m;
  Mat2 c;
};

// |sample − truth| within k standard errors, for n Gaussian draws of covariance `truth.c`.
void check_moments(const Points& p, const Moments& truth, double k, double slack = 0.0) {
  const double n = static_cast<double>(p.rows());
  const Vec2 m = mean_of(p);
  const Mat2 c = cov_of(p);
  for (int i = 0; i < 2; ++i) {
    CHECK(std::abs(m[i] - truth.m[i]) <= k * std::sqrt(truth.c(i, i) / n) + slack);
    for (int j = 0; j < 2; ++j) {
      const double se = std::sqrt((truth.c(i, i) * truth.c(j, j) + truth.c(i, j) * truth.c(i, j)) / n);
      CHECK(std::abs(c(i, j) - truth.c(i, j)) <= k * se + slack);
    }
  }
}

// Exact moments of the Euler–Maruyama reverse chain for a Gaussian data law (the
// score is affine, so the chain is x ← A x + b + noise): the discrete truth.
Moments em_reverse_moments(const GaussianLaw& law, const Schedule& s, double h, int steps) {
  const GaussianScore score(law.mean, law.cov, s);
  const double dt = (s.t_max() - s.t_min()) / steps;
  Moments mo{Vec2::Zero(), Mat2::Identity()};
  for (int n = 0; n < steps; ++n) {
    const double t = s.t_max() - n * dt;
    const Mat2 p = score.cov_at(t).inverse();
    const double c = 0.5 * (1 + h) * s.g2(t) * dt;
    const Mat2 a = (1 - s.f(t) * dt) * Mat2::Identity() - c * p;
    mo.m = a * mo.m + c * p * score.mean_at(t);
    mo.c = a * mo.c * a.transpose() + h * s.g2(t) * dt * Mat2::Identity();
  }
  return mo;
}

// Moments of the continuous h-dynamics from N(0, I) at T_max: RK4 on the moment
// ODEs in reverse time τ = T_max − t (dΣ/dτ = BΣ + ΣBᵀ + h g² I, B = −f I − (1+h)/2 g² P).
Moments ode_reverse_moments(const GaussianLaw& law, const Schedule& s, double h) {
  const GaussianScore score(law.mean, law.cov, s);
  const int steps = 20000;
  const double dt = (s.t_max() - s.t_min()) / steps;
  auto rhs = [&](double t, const Moments& x) {
    const Mat2 p = score.cov_at(t).inverse();
    const double c = 0.5 * (1 + h) * s.g2(t);
    const Mat2 b = -s.f(t) * Mat2::Identity() - c * p;
    return Moments{b * x.m + c * p * score.mean_at(t),
                   b * x.c + x.c * b.transpose() + h * s.g2(t) * Mat2::Identity()};
  };
  auto axpy = [](const Moments& x, double a, const Moments& k) {
    return Moments{x.m + a * k.m, x.c + a * k.c};
  };
  Moments x{Vec2::Zero(), Mat2::Identity()};
  for (int n = 0; n < steps; ++n) {
    const double t = s.t_max() - n * dt;
    const Moments k1 = rhs(t, x), k2 = rhs(t - dt / 2, axpy(x, dt / 2, k1));
    const Moments k3 = rhs(t - dt / 2, axpy(x, dt / 2, k2)), k4 = rhs(t - dt, axpy(x, dt, k3));
    x.m += dt / 6 * (k1.m + 2 * k2.m + 2 * k3.m + k4.m);
    x.c += dt / 6 * (k1.c + 2 * k2.c + 2 * k3.c + k4.c);
  }
  return x;
}

SampleResult run(const ScoreModel& score, const Schedule& s, double h, std::size_t n, int steps,
                 std::uint64_t seed, Integrator integ = Integrator::kEulerMaruyama, int threads = 0,
                 int stride = 0) {
  SamplerConfig c;
  c.h = h;
  c.n = n;
  c.steps = steps;
  c.seed = seed;
  c.integrator = integ;
  c.threads = threads;
  c.stride = stride;
  return sample_reverse(score, s, c);
}

}  // namespace

TEST_CASE("forward SDE: every frame has the closed-form moments α² Σ + σ² I") {
  const Points data = make_dataset("gaussian", 20000, 11);
  for (const auto& s : {Schedule::simple(), Schedule::cosine()}) {
    CAPTURE(s.name());
    SamplerConfig c;
    c.steps = 1000;
    c.seed = 4;
    c.stride = 250;
    const auto r = sample_forward(data, s, c);
    REQUIRE(r.trajectories.frame_count() == 5);
    for (std::size_t f = 0; f < r.trajectories.frame_count(); ++f) {
      const double t = r.trajectories.times[f];
      CAPTURE(t);
      // Conditional on the data's own sample moments, the frame is exactly Gaussian.
      const double a = s.alpha(t);
      const Moments truth{a * mean_of(data), a * a * cov_of(data) + s.sigma2(t) * Mat2::Identity()};
      check_moments(r.trajectories.frames[f], truth, 4.0);
    }
    CHECK(r.trajectories.times.back() == doctest::Approx(s.t_max()));
    CHECK(r.samples == r.trajectories.frames.back());
  }
}

TEST_CASE("reverse dynamics with the exact Gaussian score, h in {0, 0.3, 1}") {
  const auto law = *gaussian_law("gaussian");
  const auto s = Schedule::simple();
  const GaussianScore score(law.mean, law.cov, s);
  const int steps = 1000;
  const std::size_t n = 20000;
  // The law at T_min that every h should reproduce (exact score, prior ≈ p_T).
  const double a = s.alpha(s.t_min());
  const Moments target{a * law.mean, a * a * law.cov + s.sigma2(s.t_min()) * Mat2::Identity()};
  for (double h : {0.0, 0.3, 1.0}) {
    CAPTURE(h);
    const Points out = run(score, s, h, n, steps, 21).samples;
    check_moments(out, em_reverse_moments(law, s, h, steps), 4.0);
    // The continuous dynamics reach the target up to the prior's mismatch with p_T.
    const Moments ode = ode_reverse_moments(law, s, h);
    CHECK((ode.c - target.c).cwiseAbs().maxCoeff() < 2e-3);
    CHECK((ode.m - target.m).cwiseAbs().maxCoeff() < 2e-3);
    // And the sample is within 4 SE of it plus the Euler chain's distance from it.
    const Moments em = em_reverse_moments(law, s, h, steps);
    const double bias = std::max((em.c - ode.c).cwiseAbs().maxCoeff(), (em.m - ode.m).cwiseAbs().maxCoeff());
    MESSAGE("h = " << h << ": Euler bias of the covariance " << bias);
    check_moments(out, ode, 4.0, bias);
  }
  SUBCASE("Heun (h = 0) converges at second order, Euler at first") {
    // Same starting points, deterministic flow: particle-wise errors against a
    // 6400-step Heun reference, for 100 and 200 steps.
    const Points ref = run(score, s, 0.0, 200, 6400, 21, Integrator::kHeun).samples;
    const auto err = [&](Integrator integ, int k) {
      return (run(score, s, 0.0, 200, k, 21, integ).samples - ref).cwiseAbs().maxCoeff();
    };
    const double h1 = err(Integrator::kHeun, 100), h2 = err(Integrator::kHeun, 200);
    const double e1 = err(Integrator::kEulerMaruyama, 100), e2 = err(Integrator::kEulerMaruyama, 200);
    MESSAGE("max error 100 → 200 steps: Heun " << h1 << " → " << h2 << ", Euler " << e1 << " → " << e2);
    CHECK(h1 / h2 == doctest::Approx(4.0).epsilon(0.15));
    CHECK(e1 / e2 == doctest::Approx(2.0).epsilon(0.15));
    CHECK(h2 < e2);
  }
}

TEST_CASE("gauss25 with the exact score: modes, masses and spreads at T_min") {
  const auto law = *mixture_law("gauss25");
  const auto s = Schedule::simple();
  const MixtureScore score(law.centres, law.std, s);
  const std::size_t n = 5000;
  const double t = s.t_min(), a = s.alpha(t);
  const double tau2 = a * a * law.std * law.std + s.sigma2(t);
  for (double h : {0.0, 0.3, 1.0}) {
    CAPTURE(h);
    const Points out = run(score, s, h, n, 1000, 5).samples;
    std::vector<int> count(25, 0);
    std::vector<Vec2> sum(25, Vec2::Zero());
    double ss = 0;
    int far = 0;
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      Eigen::Index k;
      const double d2 = ((a * law.centres).rowwise() - out.row(i)).rowwise().squaredNorm().minCoeff(&k);
      if (d2 > 36 * tau2) ++far;  // more than 6 sd from every mode
      ++count[static_cast<std::size_t>(k)];
      sum[static_cast<std::size_t>(k)] += out.row(i).transpose();
      ss += d2;
    }
    CHECK(far <= 2);
    // Mass per mode: chi-square with 24 dof; 51.18 is its 0.999 quantile.
    double chi2 = 0;
    const double expect = n / 25.0;
    for (int c : count) chi2 += (c - expect) * (c - expect) / expect;
    MESSAGE("h = " << h << ": chi2 = " << chi2);
    CHECK(chi2 < 51.18);
    // Centres: each mode's mean within 4.5 SE (τ / sqrt(n_k)) of α c_k.
    for (int k = 0; k < 25; ++k) {
      const Vec2 m = sum[static_cast<std::size_t>(k)] / count[static_cast<std::size_t>(k)];
      CHECK((m - a * law.centres.row(k).transpose()).cwiseAbs().maxCoeff() <
            4.5 * std::sqrt(tau2 / count[static_cast<std::size_t>(k)]));
    }
    // Spread: pooled variance per coordinate (2n draws, relative SE sqrt(2/2n) ≈ 2%)
    // within 4 SE plus the Euler bias of a single component's chain from t = 0.05,
    // where the modes are 4 sd apart (x ← a_n x + b_n z, exact for one Gaussian).
    const double dt = (s.t_max() - s.t_min()) / 1000;
    double u = a * a * 0 + s.alpha(0.05) * s.alpha(0.05) * law.std * law.std + s.sigma2(0.05);
    for (int step = static_cast<int>(std::lround((s.t_max() - 0.05) / dt)); step < 1000; ++step) {
      const double tn = s.t_max() - step * dt;
      const double tn2 = s.alpha(tn) * s.alpha(tn) * law.std * law.std + s.sigma2(tn);
      const double an = 1 - s.f(tn) * dt - 0.5 * (1 + h) * s.g2(tn) * dt / tn2;
      u = an * an * u + h * s.g2(tn) * dt;
    }
    const double var = ss / (2.0 * n);
    MESSAGE("h = " << h << ": spread " << var << ", law " << tau2 << ", Euler chain " << u);
    CHECK(std::abs(var - tau2) <= 4 * tau2 * std::sqrt(1.0 / n) + std::abs(u - tau2) + 0.02 * tau2);
  }
}

TEST_CASE("common random numbers: trajectories deform continuously in h") {
  const auto law = *mixture_law("gauss25");
  const auto s = Schedule::simple();
  const MixtureScore score(law.centres, law.std, s);
  const auto a = run(score, s, 0.3, 400, 500, 9, Integrator::kEulerMaruyama, 0, 100);
  const auto b = run(score, s, 0.301, 400, 500, 9, Integrator::kEulerMaruyama, 0, 100);
  const auto other = run(score, s, 0.3, 400, 500, 10).samples;
  CHECK(a.trajectories.frames.front() == b.trajectories.frames.front());  // same start, same order
  Eigen::ArrayXd d = (a.samples - b.samples).rowwise().norm().array();
  const Eigen::ArrayXd d_other = (a.samples - other).rowwise().norm().array();
  std::sort(d.begin(), d.end());
  const double median = d[d.size() / 2];
  // A particle near a basin boundary may switch modes (that is the physics); the
  // typical particle moves by O(Δh).
  MESSAGE("h 0.3 → 0.301: median shift " << median << ", max " << d.maxCoeff()
                                         << "; another seed, mean shift " << d_other.mean());
  CHECK(median > 0.0);
  CHECK(median < 5e-3);
  CHECK(d_other.mean() > 0.1);
}

TEST_CASE("results are identical for 1 and 2 threads") {
  const Points data = make_dataset("swissroll", 500, 1);
  const auto s = Schedule::cosine();
  const MixtureScore score(data, 0.0, s);
  const auto one = run(score, s, 0.5, 300, 200, 3, Integrator::kEulerMaruyama, 1, 50);
  const auto two = run(score, s, 0.5, 300, 200, 3, Integrator::kEulerMaruyama, 2, 50);
  CHECK(one.samples == two.samples);
  REQUIRE(one.trajectories.frame_count() == two.trajectories.frame_count());
  for (std::size_t f = 0; f < one.trajectories.frame_count(); ++f)
    CHECK(one.trajectories.frames[f] == two.trajectories.frames[f]);
}

TEST_CASE("trajectory frames: steps, times, first and last") {
  CHECK(kept_steps(1000, 300) == std::vector<int>{0, 300, 600, 900, 1000});
  CHECK(kept_steps(10, 5) == std::vector<int>{0, 5, 10});
  CHECK(kept_steps(10, 0).empty());
  const auto law = *gaussian_law("gaussian");
  const auto s = Schedule::simple();
  const GaussianScore score(law.mean, law.cov, s);
  const auto r = run(score, s, 1.0, 70, 100, 2, Integrator::kEulerMaruyama, 0, 30);
  REQUIRE(r.trajectories.frame_count() == 5);
  CHECK(r.trajectories.times.front() == s.t_max());
  CHECK(r.trajectories.times.back() == doctest::Approx(s.t_min()));
  CHECK(r.trajectories.frames.back() == r.samples);
  const auto z = normal2(2, Stream::kPrior, 69, 0);
  CHECK(r.trajectories.frames.front()(69, 0) == z[0]);
  CHECK(r.trajectories.frames.front()(69, 1) == z[1]);
}

TEST_CASE("bad settings and cancellation") {
  const auto law = *gaussian_law("gaussian");
  const auto s = Schedule::simple();
  const GaussianScore score(law.mean, law.cov, s);
  CHECK_THROWS_AS(run(score, s, -0.1, 10, 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(run(score, s, 0.0, 0, 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(run(score, s, 0.0, 10, 0, 0), std::invalid_argument);
  CHECK_THROWS_AS(run(score, s, 0.5, 10, 10, 0, Integrator::kHeun), std::invalid_argument);
  Progress p;
  p.cancel = true;
  SamplerConfig c;
  c.n = 200;
  CHECK_THROWS_AS(sample_reverse(score, s, c, &p), Cancelled);
  Progress q;
  sample_reverse(score, s, c, &q);
  CHECK(q.fraction.load() == 1.0);
}

namespace {
// A score that overflows the particles within a few steps, whatever the compiler's
// optimisation (a real blow-up, h = 10 with a score biased by 10, depends on rounding).
struct Exploding final : ScoreModel {
  void score(const PointsCRef& x, double, PointsRef out) const override { out = 1e200 * x; }
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override {
    score(x, t, out);
    jac.setZero();
  }
  std::string describe() const override { return "exploding"; }
};
}  // namespace

TEST_CASE("a blown-up run counts its non-finite particles and the first step, as its frames show") {
  const Schedule s = Schedule::simple();
  const Points data = make_dataset("moons", 300, 0);
  const MixtureScore exact(data, 0.0, s);
  const Exploding wild;
  SamplerConfig c;
  c.h = 10;
  c.n = 300;
  c.steps = 100;
  c.seed = 3;
  c.stride = 1;
  const SampleResult r = sample_reverse(wild, s, c);
  std::size_t bad = 0;
  for (Eigen::Index i = 0; i < r.samples.rows(); ++i) bad += !r.samples.row(i).allFinite();
  REQUIRE(bad > 0);
  CHECK(r.nonfinite == bad);
  // Brute force over the frames: the first step whose frame holds a non-finite value.
  int first = -1;
  for (std::size_t f = 0; f < r.trajectories.frames.size() && first < 0; ++f)
    if (!r.trajectories.frames[f].allFinite()) first = r.trajectories.steps[f];
  CHECK(r.nonfinite_step == first);
  CHECK(r.nonfinite_message(100).find(std::to_string(bad) + " of 300 particles are not finite, the first after step " +
                                      std::to_string(first) + " of 100") == 0);
  // A sound run: none, and no message.
  c.h = 1;
  const SampleResult ok = sample_reverse(exact, s, c);
  CHECK(ok.nonfinite == 0);
  CHECK(ok.nonfinite_step == -1);
  CHECK(ok.nonfinite_message(100).empty());
}

TEST_CASE("divergence: finite blow-ups are caught, and the step count said is one that is stable") {
  // gauss25 with h = 10 and the score scaled by 1 + 10: Euler–Maruyama needs small steps.
  const Points data = make_dataset("gauss25", 2000, 0);
  const auto exact = make_exact_score("gauss25", data, Schedule::simple());
  const BiasedScore biased(exact, 10.0);
  const Schedule s = Schedule::simple();
  const HSchedule h = HSchedule::constant(10.0);
  const int stable = stable_step_count(biased, s, h, data);
  CAPTURE(stable);
  CHECK(stable > 1000);  // the default 1000 steps are too few here…
  CHECK(stable < 20000);
  SamplerConfig c;
  c.h = 10.0;
  c.n = 400;
  c.seed = 3;
  // …and they do diverge, while finite: the refusal says so, with the step count.
  c.steps = stable / 4;
  const SampleResult bad = sample_reverse(biased, s, c);
  REQUIRE(bad.refusal(c.steps).empty());  // nothing non-finite
  const Divergence m = find_divergence(bad, data, biased, s, h, c.steps);
  CHECK(m.refusal.find("particles ended beyond |x| = ") != std::string::npos);
  CHECK(m.refusal.find("take --steps " + std::to_string((stable + 1000) / 1000 * 1000)) != std::string::npos);
  // At the stable count every particle stays near the data (within the radius).
  c.steps = stable;
  const SampleResult good = sample_reverse(biased, s, c);
  const Divergence ok = find_divergence(good, data, biased, s, h, c.steps);
  CHECK(ok.refusal == "");
  CHECK(ok.note == "");
  CHECK(good.samples.rowwise().norm().maxCoeff() < divergence_radius(data.rowwise().norm().maxCoeff()));
  // The unbiased score at h = 0 with the default steps: nothing to refuse.
  c.h = 0;
  c.steps = 1000;
  const SampleResult ode = sample_reverse(*exact, s, c);
  CHECK(find_divergence(ode, data, *exact, s, HSchedule::constant(0.0), c.steps).refusal == "");
  // A score switched almost off (bias -0.99) carries the prior out by 1/alpha(T_max): far
  // from the data with stable steps, which is the model's law: a note, not a refusal.
  const BiasedScore off(exact, -0.99);
  const SampleResult away = sample_reverse(off, s, c);
  const Divergence law = find_divergence(away, data, off, s, HSchedule::constant(0.0), c.steps);
  CHECK(law.refusal == "");
  CHECK(law.note.find("the score's own law") != std::string::npos);
  // The radius: twice the data's radius plus 8.
  CHECK(divergence_radius(2.0) == 20.0);
}
