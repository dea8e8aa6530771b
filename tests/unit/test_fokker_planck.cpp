#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "hbar/data/dataset.hpp"
#include "hbar/likelihood/fokker_planck.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/process/toy1d.hpp"

using namespace hbar;

namespace {
FokkerPlanckConfig toy_config(const Toy1d& toy, int cells) {
  FokkerPlanckConfig c;
  c.cells = cells;
  c.data_radius = 0.0;
  c.data_std = std::sqrt(toy.v0);
  c.extent_sigmas = 4.5;
  c.prior_var = toy.uT;
  return c;
}
double toy_logq(const Toy1d& toy, double h, double x0) {
  const double u = toy.u0(h);
  return -0.5 * std::log(2 * std::numbers::pi * u) - x0 * x0 / (2 * u);
}
}  // namespace

TEST_CASE("Fokker–Planck reproduces the 1-D toy model's closed form and converges at second order") {
  // Two independent copies: at (x0, x0) the 2-D log density is twice the 1-D one.
  Toy1d toy;
  const std::vector<double> hs = {0.0, 0.5, 1.0};
  Points eval(3, 2);
  eval << 0.0, 0.0, 0.2, 0.2, -0.35, -0.35;
  double err[2] = {0, 0};
  for (int level = 0; level < 2; ++level) {
    const int cells = level == 0 ? 64 : 128;
    const FokkerPlanckResult r = solve_fokker_planck(*toy.score(), toy.schedule(), hs, eval, toy_config(toy, cells));
    for (std::size_t q = 0; q < hs.size(); ++q) {
      CAPTURE(hs[q]);
      CHECK(r.mass_drift[q] < 1e-10);
      CHECK(r.min_cell[q] >= 0.0);
      for (Eigen::Index i = 0; i < eval.rows(); ++i)
        err[level] = std::max(err[level], std::abs(r.logq(i, q) / 2 - toy_logq(toy, hs[q], eval(i, 0))));
    }
    MESSAGE(cells << " cells, " << r.steps << " steps: max |error| of log q " << err[level]);
  }
  // A second-order scheme quarters its error when the cells halve; the limiter clips
  // the peak to first order locally, so require order > 1.5 (ratio > 2.8) and an
  // error at 128 cells (≈ 28 cells per unit of x, the law's std ≈ 0.2) below 0.01.
  CHECK(err[0] / err[1] > 2.8);
  CHECK(err[1] < 0.01);
}

TEST_CASE("Fokker–Planck's slope in h at 0 matches the WKB coefficient C") {
  Toy1d toy;
  const auto model = toy.score();
  const double dh = 0.002;
  Points eval(2, 2);
  eval << 0.25, 0.25, -0.4, -0.4;
  const FokkerPlanckResult r = solve_fokker_planck(*model, toy.schedule(), {0.0, dh, 2 * dh}, eval, toy_config(toy, 128));
  LikelihoodConfig lc;
  lc.prior_var = toy.uT;
  const LikelihoodResult l = likelihood(*model, toy.schedule(), eval, FirstOrder::kExact, lc);
  for (Eigen::Index i = 0; i < eval.rows(); ++i) {
    // One-sided second-order difference (truncation ≈ dh²/3 · |∂³_h log q|, small at
    // dh = 0.002 although log q^h bends sharply near h = 0). The grid's error in log q
    // (≈ 0.005 at 128 cells, previous test) changes with h by a few per cent of the
    // slope: allow 5 %.
    const double slope = (-3 * r.logq(i, 0) + 4 * r.logq(i, 1) - r.logq(i, 2)) / (2 * dh);
    MESSAGE("x0 " << eval(i, 0) << ": FP slope " << slope / 2 << ", C " << l.c[i] / 2);
    CHECK(std::abs(slope - l.c[i]) < 0.05 * std::abs(l.c[i]));
  }
}

