#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "hbar/data/dataset.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/view/spacetime.hpp"
#include "hbar/process/toy1d.hpp"

using namespace hbar;

namespace {

// The variance ODE of SCIENCE.md §9 with h constant on [t, s], solved in closed form:
// with E_t = e^{βt} v_t (dE/dt = β e^{βt}, d ln E/dt = β / v_t) and k = (1 + h)(1 + ε),
//   u(t) = E_t^k e^{−βt} [ u(s) e^{βs} E_s^{−k} + h (E_s^{1−k} − E_t^{1−k}) / (1 − k) ].
double u_closed(const Toy1d& toy, double h, double s, double us, double t) {
  const double k = (1 + h) * (1 + toy.eps);
  const auto e = [&](double x) { return std::exp(toy.beta * x) * toy.v(x); };
  const double w = us * std::exp(toy.beta * s) * std::pow(e(s), -k) +
                   h * (std::pow(e(s), 1 - k) - std::pow(e(t), 1 - k)) / (1 - k);
  return std::pow(e(t), k) * std::exp(-toy.beta * t) * w;
}

double log_normal_pdf(double y, double m, double var) {
  return -0.5 * std::log(2 * std::numbers::pi * var) - (y - m) * (y - m) / (2 * var);
}

}  // namespace

TEST_CASE("toy model: u(t) of the variance ODE against its closed form, constant h and a window") {
  Toy1d toy;  // v0 = 0.25, β = 8, T = 1, u_T = 1, ε = 0.2
  const std::vector<double> times{0.0, 0.05, 0.3, 0.7, 1.0, 0.5};
  for (double h : {0.0, 0.1, 1.0}) {
    const auto u = toy.u_path(HSchedule::constant(h), times);
    REQUIRE(u.size() == times.size());
    for (std::size_t i = 0; i < times.size(); ++i)
      CHECK(u[i] == doctest::Approx(u_closed(toy, h, toy.T, toy.uT, times[i])).epsilon(1e-9));
    CHECK(u[0] == doctest::Approx(toy.u0(h)).epsilon(1e-9));
  }
  // h = 0.5 on [0.2, 0.6], 0 elsewhere: the closed form piece by piece, from T down.
  const HSchedule w = HSchedule::window(0.5, {{0.2, 0.6}});
  const double u6 = u_closed(toy, 0.0, 1.0, toy.uT, 0.6), u2 = u_closed(toy, 0.5, 0.6, u6, 0.2);
  const auto u = toy.u_path(w, {0.9, 0.6, 0.4, 0.2, 0.1, 0.0});
  CHECK(u[0] == doctest::Approx(u_closed(toy, 0.0, 1.0, toy.uT, 0.9)).epsilon(1e-9));
  CHECK(u[1] == doctest::Approx(u6).epsilon(1e-9));
  CHECK(u[2] == doctest::Approx(u_closed(toy, 0.5, 0.6, u6, 0.4)).epsilon(1e-9));
  CHECK(u[3] == doctest::Approx(u2).epsilon(1e-9));
  CHECK(u[4] == doctest::Approx(u_closed(toy, 0.0, 0.2, u2, 0.1)).epsilon(1e-9));
  CHECK(u[5] == doctest::Approx(u_closed(toy, 0.0, 0.2, u2, 0.0)).epsilon(1e-9));
  CHECK(u[5] == doctest::Approx(toy.u0(w)).epsilon(1e-12));
  CHECK_THROWS_AS(toy.u_path(w, {1.5}), std::invalid_argument);
}

TEST_CASE("space-time paths: each frame is (t, u.x) of the same particles") {
  Trajectories tr;
  tr.steps = {0, 1};
  tr.times = {1.0, 0.5};
  Points a(2, 2), b(2, 2);
  a << 1, 2, -3, 4;
  b << 0.5, -1, 2, 2;
  tr.frames = {a, b};
  const Vec2 u = direction_at(90);
  CHECK(u.x() == doctest::Approx(0).epsilon(1e-15));
  CHECK(u.y() == doctest::Approx(1));
  const Trajectories st = spacetime_paths(tr, direction_at(45));
  REQUIRE(st.frames.size() == 2);
  const double r = std::sqrt(0.5);
  CHECK(st.frames[0](1, 0) == 1.0);
  CHECK(st.frames[1](0, 0) == 0.5);
  CHECK(st.frames[0](1, 1) == doctest::Approx(r * (-3 + 4)));
  CHECK(st.frames[1](0, 1) == doctest::Approx(r * (0.5 - 1)));
  CHECK(st.steps == tr.steps);
}

TEST_CASE("space-time density: one point is N(alpha y0, sigma^2), each column holds mass 1") {
  const Schedule s = Schedule::simple();
  Points x(1, 2);
  x << 0.8, -1.5;
  const Vec2 u = direction_at(30);
  const double y0 = x.row(0).dot(u.transpose());
  // Columns well inside (t from 0.2 to 1), fine rows: the cell mean is the density at
  // the centre to O(Δy² / σ²) (here ≤ 1e-4 relative).
  const Box box{0.2, 1.0, -8, 8};
  const Grid g = projected_log_density(x, s, u, box, 8, 4000);
  for (int i = 0; i < g.nx; ++i) {
    const double t = 0.2 + (i + 0.5) * 0.1;
    double mass = 0;
    for (int j = 0; j < g.ny; ++j) {
      const double y = g.centre(i, j).y();
      const double want = log_normal_pdf(y, s.alpha(t) * y0, s.sigma2(t));
      if (std::isfinite(g.at(i, j))) mass += std::exp(g.at(i, j)) * 16.0 / 4000;
      if (want > -20) CHECK(g.at(i, j) == doctest::Approx(want).epsilon(1e-4));
    }
    CHECK(mass == doctest::Approx(1.0).epsilon(1e-9));
  }
  // A law narrower than a cell (t = 0.005, σ ≈ 0.016 against Δy = 0.5): all its mass is in
  // the cells it covers, none lost to aliasing.
  const Grid n = projected_log_density(x, s, u, Box{0.0, 0.01, -4, 4}, 1, 16);
  double mass = 0;
  for (int j = 0; j < n.ny; ++j)
    if (std::isfinite(n.at(0, j))) mass += std::exp(n.at(0, j)) * 0.5;
  CHECK(mass == doctest::Approx(1.0).epsilon(1e-9));
}

TEST_CASE("space-time density: the binned mixture equals the sum over every point") {
  const Schedule s = Schedule::simple();
  const Points data = make_dataset("swissroll", 500, 3);
  const Vec2 u = direction_at(70);
  const Box box{s.t_min(), s.t_max(), -4, 4};
  const int nx = 12, ny = 96;
  const Grid g = projected_log_density(data, s, u, box, nx, ny);
  const double dy = 8.0 / ny;
  double worst = 0;
  for (int i = 0; i < nx; ++i) {
    const double t = std::clamp(box.xmin + (i + 0.5) * box.width() / nx, s.t_min(), s.t_max());
    double top = -1e300;
    std::vector<double> brute(ny);
    for (int j = 0; j < ny; ++j) {
      double sum = 0;
      for (Eigen::Index k = 0; k < data.rows(); ++k) {
        const double l = log_cell_density(s.alpha(t) * data.row(k).dot(u.transpose()), s.sigma(t), -4 + j * dy,
                                          -4 + (j + 1) * dy);
        sum += std::exp(l);
      }
      brute[static_cast<std::size_t>(j)] = std::log(sum / static_cast<double>(data.rows()));
      top = std::max(top, brute[static_cast<std::size_t>(j)]);
    }
    // Within the 12 nats the view shows: within 0.003 of the brute force (a 16th of one of
    // the 256 colour steps of 12 nats).
    for (int j = 0; j < ny; ++j)
      if (brute[static_cast<std::size_t>(j)] > top - 12)
        worst = std::max(worst, std::abs(g.at(i, j) - brute[static_cast<std::size_t>(j)]));
  }
  CHECK(worst < 3e-3);
  CHECK_THROWS_AS(projected_log_density(Points(0, 2), s, u, box, 4, 4), std::invalid_argument);
  CHECK_THROWS_AS(projected_log_density(data, s, u, box, 0, 4), std::invalid_argument);
}

TEST_CASE("space-time density of the toy model: the Gaussian of the variance ODE per column") {
  const Toy1d toy;
  const Box box{0.0, 1.0, -3, 3};
  const Grid g = gaussian_log_density([&](double t) { return toy.v(t); }, box, 10, 600);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 600; j += 37) {
      const Vec2 c = g.centre(i, j);
      CHECK(g.at(i, j) == doctest::Approx(log_normal_pdf(c.y(), 0, toy.v(c.x()))).epsilon(1e-3));
    }
}

TEST_CASE("toy model: the mean of c(x0, t) over the data law, against quadrature of the per-point form") {
  Toy1d toy;
  for (double t : {0.01, 0.1, 0.4, 0.9}) {
    // x0 ~ N(0, v0) by the trapezoid rule over ±10 sd (the integrand is a Gaussian times a
    // quadratic: exact to rounding on this grid).
    const double sd = std::sqrt(toy.v0);
    const int n = 4000;
    double sum = 0;
    for (int i = 0; i <= n; ++i) {
      const double x = -10 * sd + 20 * sd * i / n;
      const double w = (i == 0 || i == n) ? 0.5 : 1.0;
      sum += w * toy.c_of_t(x, t) * std::exp(log_normal_pdf(x, 0, toy.v0));
    }
    sum *= 20 * sd / n;
    CHECK(toy.c_mean(t) == doctest::Approx(sum).epsilon(1e-9));
  }
}
