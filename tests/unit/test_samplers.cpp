// The field's samplers (SCIENCE.md §12) against the exact recursion of their moments: with
// a Gaussian data law and the exact score every sampler is an affine map of Gaussian
// noise, so the law of its output is Gaussian with a mean and covariance that a recursion
// over the steps gives exactly. The recursions here are written from the papers' formulas
// (DDIM eq. 12, EDM Algorithm 2, Restart), apart from the samplers' code, and at few steps,
// so the grid, the last step, the churn and S_noise are each checked, not only the limit.
#include <doctest/doctest.h>

#include <Eigen/LU>
#include <cmath>
#include <functional>
#include <vector>

#include "hbar/base/moments.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/score/score.hpp"

using namespace hbar;

namespace {

// The law of the particles: mean m, covariance c.
struct Law {
  Vec2 m;
  Mat2 c;
  void affine(const Mat2& a, const Vec2& b) {
    m = a * m + b;
    c = a * c * a.transpose();
  }
  void noise(double var) { c += var * Mat2::Identity(); }
};

// The exact score s(x, t) = −P (x − μ_t) as the affine map x ↦ S x + v.
struct Affine {
  Mat2 a;
  Vec2 b;
};
// `scale`: (1 + ε), the paper's biased score (SCIENCE.md §9), for which h matters.
Affine score_map(const GaussianScore& g, double t, double scale = 1.0) {
  const Mat2 p = g.cov_at(t).inverse();
  return {-scale * p, scale * p * g.mean_at(t)};
}

// Karras levels, written from EDM's eq. 5.
std::vector<double> levels(double hi, double lo, int n, double rho) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(std::pow(std::pow(hi, 1 / rho) + i / (n - 1.0) * (std::pow(lo, 1 / rho) - std::pow(hi, 1 / rho)), rho));
  return v;
}

// The time of a noise level r = σ/α of each process (solved by bisection: independent of
// Schedule::time_of_ratio's closed forms).
double time_of_level(const Schedule& s, double r) {
  if (r == 0) return 0;
  double lo = 1e-9, hi = s.kind() == ScheduleKind::kEdm ? 1e4 : s.kind() == ScheduleKind::kSimple ? 2.0 : 0.999999999;
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    (s.sigma(mid) / s.alpha(mid) < r ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Law prior(const Schedule& s) { return {Vec2::Zero(), s.prior_std() * s.prior_std() * Mat2::Identity()}; }

// DDIM, eq. 12 in its α/σ form: N evaluations at t_i = T − i (T − t_min)/(N − 1).
Law ddim_law(const GaussianScore& g, const Schedule& s, int N, double eta, double scale = 1.0) {
  Law L = prior(s);
  for (int i = 0; i < N; ++i) {
    const double t = N == 1 ? s.t_max() : s.step_time(i, N - 1);
    const double a = s.alpha(t), sg = s.sigma(t);
    const Affine sc = score_map(g, t, scale);
    // x̂0 = (x + σ² s)/α and ε̂ = −σ s, both affine in x.
    const Mat2 x0a = (Mat2::Identity() + sg * sg * sc.a) / a;
    const Vec2 x0b = sg * sg * sc.b / a;
    const Mat2 ea = -sg * sc.a;
    const Vec2 eb = -sg * sc.b;
    if (i == N - 1) {
      L.affine(x0a, x0b);
      break;
    }
    const double t1 = s.step_time(i + 1, N - 1), a1 = s.alpha(t1), s1 = s.sigma(t1);
    const double vs = eta * (s1 / sg) * std::sqrt(sg * sg - std::pow(a * s1 / a1, 2));
    const double ce = std::sqrt(s1 * s1 - vs * vs);
    L.affine(a1 * x0a + ce * ea, a1 * x0b + ce * eb);
    L.noise(vs * vs);
  }
  return L;
}

// One EDM step on the law of x from level r (time t) to r1 (t1): EDM's Algorithm 2 on
// y = x/α; gamma = 0 is Algorithm 1's Heun step.
void edm_step(const GaussianScore& g, const Schedule& s, Law& L, double r, double r1, double gamma, double s_noise,
              double scale = 1.0) {
  const double t = time_of_level(s, r), t1 = time_of_level(s, r1);
  const double a = r == s.noise_ratio(s.t_max()) ? s.alpha(s.t_max()) : s.alpha(t);
  L.affine(Mat2::Identity() / a, Vec2::Zero());  // to y
  const double rh = (1 + gamma) * r, th = time_of_level(s, rh);
  if (gamma > 0) L.noise((rh * rh - r * r) * s_noise * s_noise);
  // D(y; level at time u) = (α y + σ² s(α y)) / α, affine in y; d = (y − D)/level.
  const auto d_map = [&](double u, double level) {
    const double au = s.alpha(u), su = s.sigma(u);
    const Affine sc = score_map(g, u, scale);
    const Mat2 da = (au * Mat2::Identity() + su * su * sc.a * au) / au;
    const Vec2 db = su * su * sc.b / au;
    return Affine{(Mat2::Identity() - da) / level, -db / level};
  };
  const Affine d1 = d_map(th, rh);
  // y1 = ŷ + (r1 − r̂) d(ŷ)
  Mat2 ya = Mat2::Identity() + (r1 - rh) * d1.a;
  Vec2 yb = (r1 - rh) * d1.b;
  if (r1 != 0) {
    const Affine d2 = d_map(t1, r1);
    // y1 = ŷ + (r1 − r̂)(d(ŷ) + d'(y_pred))/2, y_pred = ya ŷ + yb.
    const Mat2 ca = Mat2::Identity() + 0.5 * (r1 - rh) * (d1.a + d2.a * ya);
    const Vec2 cb = 0.5 * (r1 - rh) * (d1.b + d2.a * yb + d2.b);
    ya = ca;
    yb = cb;
  }
  L.affine(ya, yb);
  const double a1 = r1 == 0 ? 1.0 : s.alpha(t1);
  L.affine(a1 * Mat2::Identity(), Vec2::Zero());  // back to x
}

Law edm_law(const GaussianScore& g, const Schedule& s, int N, double churn, double smin, double smax, double s_noise,
            double scale = 1.0) {
  Law L = prior(s);
  const auto lv = levels(s.noise_ratio(s.t_max()), s.noise_ratio(s.t_min()), N, 7.0);
  for (int i = 0; i < N; ++i) {
    const double r = lv[static_cast<std::size_t>(i)], r1 = i + 1 < N ? lv[static_cast<std::size_t>(i) + 1] : 0.0;
    const double gamma = r >= smin && r <= smax ? std::min(churn / N, std::sqrt(2.0) - 1) : 0.0;
    edm_step(g, s, L, r, r1, gamma, s_noise, scale);
  }
  return L;
}

// Restart: EDM's Heun steps; after the level nearest `lo`, K times a forward jump to `hi`
// and `steps` Heun steps on Karras levels back down.
Law restart_law(const GaussianScore& g, const Schedule& s, int N, double lo, double hi, int K, int steps) {
  Law L = prior(s);
  const auto lv = levels(s.noise_ratio(s.t_max()), s.noise_ratio(s.t_min()), N, 7.0);
  int at = 1;
  for (int i = 1; i < N - 1; ++i)
    if (std::abs(std::log(lv[static_cast<std::size_t>(i)] / lo)) < std::abs(std::log(lv[static_cast<std::size_t>(at)] / lo))) at = i;
  for (int i = 0; i < N; ++i) {
    const double r = lv[static_cast<std::size_t>(i)], r1 = i + 1 < N ? lv[static_cast<std::size_t>(i) + 1] : 0.0;
    edm_step(g, s, L, r, r1, 0, 1);
    if (i + 1 != at) continue;
    for (int k = 0; k < K; ++k) {
      // x_b = (α_b/α_a) x + α_b √(hi² − r1²) z
      const double ta = time_of_level(s, r1), tb = time_of_level(s, hi);
      L.affine(s.alpha(tb) / s.alpha(ta) * Mat2::Identity(), Vec2::Zero());
      L.noise(s.alpha(tb) * s.alpha(tb) * (hi * hi - r1 * r1));
      const auto sub = levels(hi, r1, steps + 1, 7.0);
      for (int j = 0; j < steps; ++j) edm_step(g, s, L, sub[static_cast<std::size_t>(j)], sub[static_cast<std::size_t>(j) + 1], 0, 1);
    }
  }
  return L;
}

// Euler–Maruyama on the schedule's grid (Karras's for edm), with h(t).
Law em_law_hoft(const GaussianScore& g, const Schedule& s, int N, const std::function<double(double)>& h_of,
                double scale = 1.0) {
  Law L = prior(s);
  for (int n = 0; n < N; ++n) {
    const double t = s.step_time(n, N), dt = t - s.step_time(n + 1, N), h = h_of(t);
    const Affine sc = score_map(g, t, scale);
    const double c = 0.5 * (1 + h) * s.g2(t) * dt;
    L.affine((1 - s.f(t) * dt) * Mat2::Identity() + c * sc.a, c * sc.b);
    L.noise(h * s.g2(t) * dt);
  }
  return L;
}
Law em_law(const GaussianScore& g, const Schedule& s, int N, double h) {
  return em_law_hoft(g, s, N, [h](double) { return h; });
}

// Sample moments within k standard errors of the law (n independent draws).
void check_law(const Points& p, const Law& truth, double k = 4.5) {
  const double n = static_cast<double>(p.rows());
  const Vec2 m = mean_of(p);
  const Mat2 c = cov_of(p);
  for (int i = 0; i < 2; ++i) {
    CHECK(std::abs(m[i] - truth.m[i]) <= k * std::sqrt(truth.c(i, i) / n));
    for (int j = 0; j < 2; ++j) {
      const double se = std::sqrt((truth.c(i, i) * truth.c(j, j) + truth.c(i, j) * truth.c(i, j)) / n);
      CHECK(std::abs(c(i, j) - truth.c(i, j)) <= k * se);
    }
  }
}

SamplerConfig config(Integrator kind, int steps, std::size_t n = 20000) {
  SamplerConfig c;
  c.integrator = kind;
  c.steps = steps;
  c.n = n;
  c.seed = 17;
  return c;
}

const std::vector<Schedule>& processes() {
  static const std::vector<Schedule> all{Schedule::simple(), Schedule::cosine(), Schedule::edm(), Schedule::linear()};
  return all;
}

}  // namespace

TEST_CASE("DDIM at several η: the sample's moments are the exact recursion's, in every process") {
  const auto law = *gaussian_law("gaussian");
  for (const Schedule& s : processes()) {
    const GaussianScore g(law.mean, law.cov, s);
    for (double eta : {0.0, 0.5, 1.0}) {
      CAPTURE(s.name());
      CAPTURE(eta);
      SamplerConfig c = config(Integrator::kDdim, 6);
      c.eta = eta;
      const Law truth = ddim_law(g, s, 6, eta);
      check_law(sample_reverse(g, s, c).samples, truth);
    }
  }
}

TEST_CASE("EDM's sampler with and without churn and S_noise: the exact recursion") {
  const auto law = *gaussian_law("gaussian");
  struct Case {
    Schedule s;
    int N;
    double churn, smin, smax, snoise;
  };
  for (const Case& k : {Case{Schedule::edm(), 5, 0, 0, 1e300, 1}, Case{Schedule::edm(), 6, 30, 0.05, 20, 1.007},
                        Case{Schedule::edm(), 4, 2, 0, 1e300, 1}, Case{Schedule::simple(), 6, 10, 0.1, 5, 1.0},
                        Case{Schedule::linear(), 5, 5, 0, 1e300, 1.05}}) {
    CAPTURE(k.s.name());
    CAPTURE(k.churn);
    const GaussianScore g(law.mean, law.cov, k.s);
    SamplerConfig c = config(Integrator::kEdm, k.N);
    c.churn = k.churn;
    c.s_tmin = k.smin;
    c.s_tmax = k.smax;
    c.s_noise = k.snoise;
    check_law(sample_reverse(g, k.s, c).samples, edm_law(g, k.s, k.N, k.churn, k.smin, k.smax, k.snoise));
  }
}

TEST_CASE("Restart: the exact recursion of its jumps and passes; its NFE") {
  const auto law = *gaussian_law("gaussian");
  for (const Schedule& s : {Schedule::edm(), Schedule::cosine()}) {
    CAPTURE(s.name());
    const GaussianScore g(law.mean, law.cov, s);
    SamplerConfig c = config(Integrator::kRestart, 7);
    c.restart_min = 0.1;
    c.restart_max = 1.0;
    c.restart_repeats = 2;
    c.restart_steps = 3;
    const SampleResult r = sample_reverse(g, s, c);
    check_law(r.samples, restart_law(g, s, 7, 0.1, 1.0, 2, 3));
    CHECK(sampler_nfe(c) == 2 * 7 - 1 + 2 * 2 * 3);
  }
}

TEST_CASE("Euler–Maruyama on the new processes' grids (Karras's for edm): the exact recursion") {
  const auto law = *gaussian_law("gaussian");
  for (const Schedule& s : {Schedule::edm(), Schedule::linear()})
    for (double h : {0.0, 1.0}) {
      CAPTURE(s.name());
      CAPTURE(h);
      const GaussianScore g(law.mean, law.cov, s);
      SamplerConfig c = config(Integrator::kEulerMaruyama, 12);
      c.h = h;
      check_law(sample_reverse(g, s, c).samples, em_law(g, s, 12, h));
    }
}

TEST_CASE("many steps: every sampler's recursion converges to the data law with the exact score") {
  // The data law at t = 0, up to the prior's mismatch (80² against 80² + Σ) and the
  // discretisation, which shrinks at least twofold from N to 4N steps (first order: 4x):
  // a check of the recursions themselves and of the samplers' last steps.
  const auto law = *gaussian_law("gaussian");
  const Schedule s = Schedule::edm();
  const GaussianScore g(law.mean, law.cov, s);
  const auto err = [&](const Law& L) { return std::max((L.c - law.cov).cwiseAbs().maxCoeff(), (L.m - law.mean).cwiseAbs().maxCoeff()); };
  const double d1 = err(ddim_law(g, s, 100, 1.0)), d4 = err(ddim_law(g, s, 400, 1.0));
  const double e1 = err(edm_law(g, s, 32, 40, 0.05, 50, 1)), e4 = err(edm_law(g, s, 128, 40, 0.05, 50, 1));
  const double r1 = err(restart_law(g, s, 20, 0.1, 1, 2, 4)), r4 = err(restart_law(g, s, 80, 0.1, 1, 2, 16));
  MESSAGE("error N -> 4N: ddim(eta 1) " << d1 << " -> " << d4 << ", edm(churn 40) " << e1 << " -> " << e4 << ", restart "
                                        << r1 << " -> " << r4);
  CHECK(d4 < 0.5 * d1);
  CHECK(e4 < 0.5 * e1);
  CHECK(r4 < 0.5 * r1);
  CHECK(std::max({d4, e4, r4}) < 2e-2);
}

TEST_CASE("NFE, names and the equivalent h(t) of each sampler (SCIENCE.md §12)") {
  const Schedule s = Schedule::edm();
  SamplerConfig c = config(Integrator::kEdm, 18);
  CHECK(sampler_nfe(c) == 35);
  c.integrator = Integrator::kDdim;
  CHECK(sampler_nfe(c) == 18);
  c.integrator = Integrator::kHeun;
  CHECK(sampler_nfe(c) == 36);
  for (const char* name : {"em", "heun", "ddim", "edm", "restart"}) CHECK(sampler_name(*sampler_by_name(name)) == std::string(name));
  CHECK_FALSE(sampler_by_name("dpm").has_value());

  // DDIM: h = η² at each of its times.
  c.integrator = Integrator::kDdim;
  c.eta = 0.6;
  REQUIRE(equivalent_h(s, c).points.size() == 18);
  for (const auto& [t, h] : equivalent_h(s, c).points) CHECK(h == doctest::Approx(0.36));
  // EDM churn: h(t_i) = γ t_i / (t_i − t_{i+1}) inside [S_tmin, S_tmax], 0 outside.
  c = config(Integrator::kEdm, 18);
  c.churn = 30;
  c.s_tmin = 0.05;
  c.s_tmax = 20;
  const auto lv = levels(80, 0.002, 18, 7);
  const EquivalentH e = equivalent_h(s, c);
  REQUIRE(e.points.size() == 18);
  for (std::size_t i = 0; i < 18; ++i) {
    const double t = lv[i], t1 = i + 1 < 18 ? lv[i + 1] : 0.0, gamma = std::min(30.0 / 18, std::sqrt(2.0) - 1);
    CAPTURE(t);
    CHECK(e.points[i].first == doctest::Approx(t).epsilon(1e-12));
    CHECK(e.points[i].second == doctest::Approx(t >= 0.05 && t <= 20 ? gamma * t / (t - t1) : 0.0).epsilon(1e-12));
  }
  c.s_noise = 1.007;
  CHECK(equivalent_h(s, c).points.empty());
  CHECK_FALSE(equivalent_h(s, c).none.empty());
  c.integrator = Integrator::kRestart;
  CHECK_FALSE(equivalent_h(s, c).none.empty());
}

TEST_CASE("the samplers refuse what they cannot do") {
  const auto law = *gaussian_law("gaussian");
  const Schedule s = Schedule::edm();
  const GaussianScore g(law.mean, law.cov, s);
  SamplerConfig c = config(Integrator::kDdim, 5, 10);
  c.eta = 1.5;
  CHECK_THROWS_AS(sample_reverse(g, s, c), std::invalid_argument);
  c.eta = 0;
  c.h = 0.5;
  CHECK_THROWS_AS(sample_reverse(g, s, c), std::invalid_argument);
  c = config(Integrator::kEdm, 5, 10);
  c.churn = -1;
  CHECK_THROWS_AS(sample_reverse(g, s, c), std::invalid_argument);
  c = config(Integrator::kRestart, 5, 10);
  c.restart_min = 2;
  c.restart_max = 1;
  CHECK_THROWS_AS(sample_reverse(g, s, c), std::invalid_argument);
}

TEST_CASE("a sampler's frames: one a grid point, times from T_max down to 0") {
  const auto law = *gaussian_law("gaussian");
  const Schedule s = Schedule::edm();
  const GaussianScore g(law.mean, law.cov, s);
  SamplerConfig c = config(Integrator::kEdm, 6, 100);
  c.stride = 1;
  const SampleResult r = sample_reverse(g, s, c);
  REQUIRE(r.trajectories.frame_count() == 7);
  CHECK(r.trajectories.times.front() == 80.0);
  CHECK(r.trajectories.times[5] == doctest::Approx(0.002));
  CHECK(r.trajectories.times.back() == 0.0);
  CHECK(r.trajectories.frames.back() == r.samples);
  // The same seed gives the same particles (common random numbers across settings).
  SamplerConfig c2 = c;
  c2.churn = 1e-16;
  const SampleResult r2 = sample_reverse(g, s, c2);
  CHECK((r2.samples - r.samples).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("as steps grow, DDIM and EDM's churn approach the h-family with their equivalent h(t)") {
  // With the paper's biased score (1 + ε) s, h matters (every h gives another law), so
  // the check has teeth: DDIM with η approaches the h-family at h = η², EDM's churn the
  // h-family with its h(t) (a step function on its grid), as the steps grow. The laws
  // are exact recursions (no sampling); the h-family's is Euler–Maruyama at 40 000 steps.
  const auto law = *gaussian_law("gaussian");
  const double scale = 1.2;  // ε = 0.2, as §9's toy
  const auto gap = [](const Law& a, const Law& b) { return std::max((a.c - b.c).cwiseAbs().maxCoeff(), (a.m - b.m).cwiseAbs().maxCoeff()); };
  {
    const Schedule s = Schedule::simple();
    const GaussianScore g(law.mean, law.cov, s);
    const double eta = 0.8;
    const Law fam = em_law_hoft(g, s, 40000, [&](double) { return eta * eta; }, scale);
    const Law ode = em_law_hoft(g, s, 40000, [](double) { return 0.0; }, scale);
    std::vector<double> gaps;
    for (int N : {25, 100, 400}) gaps.push_back(gap(ddim_law(g, s, N, eta, scale), fam));
    // And not to another h: at 400 steps DDIM is far nearer h = η² than the ODE (h = 0).
    const double to_ode = gap(ddim_law(g, s, 400, eta, scale), ode);
    MESSAGE("DDIM eta 0.8 vs h = 0.64, biased score: gap " << gaps[0] << " -> " << gaps[1] << " -> " << gaps[2]
                                                            << "; to h = 0: " << to_ode);
    CHECK(gaps[1] < 0.4 * gaps[0]);
    CHECK(gaps[2] < 0.4 * gaps[1]);
    CHECK(to_ode > 3 * gaps[2]);
  }
  {
    const Schedule s = Schedule::edm();
    const GaussianScore g(law.mean, law.cov, s);
    std::vector<double> gaps;
    for (int N : {25, 100, 400}) {
      SamplerConfig c = config(Integrator::kEdm, N);
      // A fixed S_churn: γ = 10/N, so h(t_i) = γ t_i/(t_i − t_{i+1}) → 10 t/|dt/du| (≈ t^(1/7)
      // on Karras's grid) stays put as N grows, and the gap to it must close.
      c.churn = 10;
      c.s_tmin = 0.05;
      c.s_tmax = 10;
      const EquivalentH e = equivalent_h(s, c);
      // h(t) = h_i from t_i down to t_{i+1}.
      const auto h_of = [&](double t) {
        for (std::size_t i = 0; i + 1 < e.points.size(); ++i)
          if (t > e.points[i + 1].first) return e.points[i].second;
        return e.points.back().second;
      };
      gaps.push_back(gap(edm_law(g, s, N, c.churn, c.s_tmin, c.s_tmax, 1.0, scale),
                         em_law_hoft(g, s, 40000, h_of, scale)));
    }
    const double to_ode = gap(edm_law(g, s, 400, 10, 0.05, 10, 1.0, scale), em_law_hoft(g, s, 40000, [](double) { return 0.0; }, scale));
    MESSAGE("EDM churn vs its h(t), biased score: gap " << gaps[0] << " -> " << gaps[1] << " -> " << gaps[2]
                                                         << "; to h = 0: " << to_ode);
    CHECK(gaps[1] < 0.5 * gaps[0]);
    CHECK(gaps[2] < 0.5 * gaps[1]);
    CHECK(to_ode > 3 * gaps[2]);
  }
}
