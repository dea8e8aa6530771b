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
  for (const auto& s : {Schedule::simple(), Schedule::cosine(), Schedule::constant(8.0, 0.0, 1.0)}) {
    CAPTURE(s.name());
    for (double t : {0.01, 0.1, 0.3, 0.5, 0.8, 0.95}) {
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
  CHECK_FALSE(Schedule::by_name("linear").has_value());
}
