#include <doctest/doctest.h>

#include <cmath>

#include "hbar/process/schedule.hpp"

using namespace hbar;

namespace {
// RK4 of the forward moment equations from the point x0 = 1 at t = 0: the mean
// obeys dm/dt = f m and the second moment dv/dt = 2 f v + g², so m = α and
// v − m² = σ².
void moments(const Schedule& s, double t_end, double& m, double& v) {
  m = 1.0;
  v = 1.0;
  const int n = 20000;
  const double dt = t_end / n;
  auto rhs = [&](double t, double mm, double vv, double& dm, double& dv) {
    dm = s.f(t) * mm;
    dv = 2.0 * s.f(t) * vv + s.g2(t);
  };
  for (int i = 0; i < n; ++i) {
    const double t = i * dt;
    double k1m, k1v, k2m, k2v, k3m, k3v, k4m, k4v;
    rhs(t, m, v, k1m, k1v);
    rhs(t + dt / 2, m + dt / 2 * k1m, v + dt / 2 * k1v, k2m, k2v);
    rhs(t + dt / 2, m + dt / 2 * k2m, v + dt / 2 * k2v, k3m, k3v);
    rhs(t + dt, m + dt * k3m, v + dt * k3v, k4m, k4v);
    m += dt / 6 * (k1m + 2 * k2m + 2 * k3m + k4m);
    v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
  }
}
}  // namespace

TEST_CASE("alpha and sigma solve the forward moment equations") {
  for (const auto& s : {Schedule::simple(), Schedule::cosine(), Schedule::constant(8.0, 0.0, 1.0), Schedule::edm(),
                        Schedule::linear()}) {
    CAPTURE(s.name());
    for (double t : {0.01, 0.1, 0.3, 0.5, 0.8, 0.95, 2.5, 30.0, 80.0}) {
      if (t > s.t_max()) continue;
      CAPTURE(t);
      double m, v;
      moments(s, t, m, v);
      CHECK(s.alpha(t) == doctest::Approx(m).epsilon(1e-9));
      CHECK(s.sigma2(t) == doctest::Approx(v - m * m).epsilon(1e-8));
      CHECK(s.sigma(t) * s.sigma(t) == doctest::Approx(s.sigma2(t)));
    }
  }
}

TEST_CASE("schedule table of SCIENCE.md §1") {
  const auto s = Schedule::simple();
  CHECK(s.t_min() == 0.01);
  CHECK(s.t_max() == 1.0);
  CHECK(s.f(0.5) == doctest::Approx(-5.0));
  CHECK(s.g2(0.5) == doctest::Approx(10.0));
  CHECK(s.alpha(1.0) == doctest::Approx(std::exp(-5.0)));
  const auto c = Schedule::cosine();
  CHECK(c.t_max() == 0.999);
  CHECK(c.alpha(0.5) == doctest::Approx(std::sqrt(0.5)));
  CHECK(c.g2(0.5) == doctest::Approx(M_PI));
  CHECK(Schedule::by_name("COSINE")->name() == "cosine");
  CHECK_FALSE(Schedule::by_name("ve").has_value());
}

TEST_CASE("the table of SCIENCE.md §12: EDM and the linear interpolant") {
  const auto e = Schedule::edm();
  CHECK(e.name() == "edm");
  CHECK(e.t_min() == 0.002);
  CHECK(e.t_max() == 80.0);
  CHECK(e.f(3.0) == 0.0);
  CHECK(e.g2(3.0) == doctest::Approx(6.0));
  CHECK(e.alpha(3.0) == 1.0);
  CHECK(e.sigma(3.0) == 3.0);
  CHECK(e.prior_std() == 80.0);
  const auto l = Schedule::linear();
  CHECK(l.name() == "linear");
  CHECK(l.t_min() == 0.001);
  CHECK(l.t_max() == 0.999);
  CHECK(l.alpha(0.25) == 0.75);
  CHECK(l.sigma(0.25) == 0.25);
  CHECK(l.f(0.25) == doctest::Approx(-1.0 / 0.75));
  CHECK(l.g2(0.25) == doctest::Approx(2 * 0.25 / 0.75));
  CHECK(l.prior_std() == 0.999);
  CHECK(Schedule::by_name("EDM")->name() == "edm");
  CHECK(Schedule::by_name("Linear")->name() == "linear");
  // The paper's schedules keep their N(0, I) prior.
  CHECK(Schedule::simple().prior_std() == 1.0);
  CHECK(Schedule::cosine().prior_std() == 1.0);
  CHECK(Schedule::simple().variance_preserving());
  CHECK_FALSE(e.variance_preserving());
}

TEST_CASE("dalpha and dsigma are the derivatives, and f and g² follow from them (§12)") {
  for (const auto& s : {Schedule::simple(), Schedule::cosine(), Schedule::edm(), Schedule::linear()}) {
    CAPTURE(s.name());
    for (double u : {0.05, 0.3, 0.6, 0.9}) {
      const double t = s.t_min() + u * (s.t_max() - s.t_min()), d = 1e-5 * (s.t_max() - s.t_min());
      CAPTURE(t);
      CHECK(s.dalpha(t) == doctest::Approx((s.alpha(t + d) - s.alpha(t - d)) / (2 * d)).epsilon(1e-6));
      CHECK(s.dsigma(t) == doctest::Approx((s.sigma(t + d) - s.sigma(t - d)) / (2 * d)).epsilon(1e-6));
      const double f = s.dalpha(t) / s.alpha(t), sg = s.sigma(t);
      CHECK(s.f(t) == doctest::Approx(f).epsilon(1e-12));
      CHECK(s.g2(t) == doctest::Approx(2 * sg * s.dsigma(t) - 2 * f * sg * sg).epsilon(1e-12));
    }
  }
}
