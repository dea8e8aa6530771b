#include <doctest/doctest.h>

#include <cmath>

#include "hbar/process/toy1d.hpp"

using namespace hbar;

TEST_CASE("closed form reproduces the table of SCIENCE.md §9") {
  struct Row {
    double eps, h, u0, nll, w2;
  };
  const Row rows[] = {{0.2, 0, 0.03826, 2.5541, 0.3044}, {0.2, 0.1, 0.08666, 1.1385, 0.2056},
                      {0.2, 0.5, 0.1563, 0.7907, 0.1047}, {0.2, 1, 0.17857, 0.7576, 0.0774},
                      {0.1, 0, 0.09782, 1.0345, 0.1872}, {0.1, 1, 0.20833, 0.7346, 0.0436}};
  for (const Row& r : rows) {
    Toy1d toy;
    toy.eps = r.eps;
    CAPTURE(r.eps);
    CAPTURE(r.h);
    // The table is rounded to 4 significant digits: 1e-4 absolute (5e-4 for 0.1563).
    CHECK(std::abs(toy.u0(r.h) - r.u0) < (r.u0 == 0.1563 ? 5e-5 : 1e-5) + 1e-4);
    CHECK(std::abs(toy.nll(r.h) - r.nll) < 1e-4);
    CHECK(std::abs(toy.w2(r.h) - r.w2) < 1e-4);
  }
}

TEST_CASE("closed form equals an RK4 solve of du/dt = β (k / v_t − 1) u − h β") {
  Toy1d toy;
  for (double h : {0.0, 0.25, 1.0 / 1.2 - 1.0 + 1e-9, 0.7}) {  // includes k ≈ 1
    if (h < 0) continue;
    const double k = (1 + h) * (1 + toy.eps);
    const auto rhs = [&](double t, double u) { return toy.beta * (k / toy.v(t) - 1) * u - h * toy.beta; };
    double u = toy.uT;
    const int n = 20000;
    const double dt = toy.T / n;
    for (int i = 0; i < n; ++i) {  // from T down to 0
      const double t = toy.T - i * dt;
      const double k1 = rhs(t, u), k2 = rhs(t - dt / 2, u - dt / 2 * k1);
      const double k3 = rhs(t - dt / 2, u - dt / 2 * k2), k4 = rhs(t - dt, u - dt * k3);
      u -= dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    CHECK(toy.u0(h) == doctest::Approx(u).epsilon(1e-8));
  }
  Toy1d unit;
  unit.eps = 0.0;
  CHECK(unit.u0(0.0) == doctest::Approx(unit.u0(1e-7)).epsilon(1e-5));  // k = 1 limit is continuous
}

TEST_CASE("the general sampler reproduces the toy variance") {
  Toy1d toy;
  for (double h : {0.0, 0.1, 1.0}) {
    CAPTURE(h);
    const int steps = 1000;
    // 25 000 paths of two independent coordinates: 50 000 draws, so the variance's standard
    // error is ~0.6 % of it (√(2/N)); 4 of them is a false alarm of 6e-5 per check.
    const auto sim = simulate_toy(toy, h, 25000, steps, 17);
    const double exact = toy.u0(h), euler = toy.u0_euler(h, steps);
    MESSAGE("h = " << h << ": simulated " << sim.var << " ± " << sim.var_stderr << ", closed form "
                   << exact << ", Euler chain " << euler);
    CHECK(sim.draws == 50000);
    // Within 4 standard errors of the closed form plus the Euler bias.
    CHECK(std::abs(sim.var - exact) <= 4 * sim.var_stderr + std::abs(euler - exact));
    // And within 4 standard errors of the discrete chain itself.
    CHECK(std::abs(sim.var - euler) <= 4 * sim.var_stderr);
  }
  // The Euler chain converges to the closed form at first order.
  const double e1 = std::abs(toy.u0_euler(0.1, 1000) - toy.u0(0.1));
  const double e2 = std::abs(toy.u0_euler(0.1, 2000) - toy.u0(0.1));
  CHECK(e1 / e2 == doctest::Approx(2.0).epsilon(0.1));
}
