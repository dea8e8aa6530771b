#include "ranges.hpp"

#include <cstdio>
#include <stdexcept>

namespace hbar::app {

const std::vector<Range>& ranges() {
  // Sizes: a particle is 16 bytes a frame; the exact W2 of n points solves an n × n
  // transport; the empirical score costs O(data points) per evaluation.
  static const std::vector<Range> table = {
      {"*", "--h", 0, 10, false, "the noise factor of the h-family; beyond 10 the reverse SDE's steps overshoot", "h"},
      {"*", "--bias", -1, 10, true, "the score times 1 + EPS: -1 switches it off, beyond 10 the dynamics blow up", "bias",
       -0.99, 10, "the app's slider and text box take closed ranges: -0.99 keeps 1 % of the score"},
      {"*", "--data-n", 1, 100000, false, "the empirical score's support: each evaluation costs O(points)", "data-n",
       2, 100000, "the app draws and edits the set: fewer than 2 points make no scene"},
      {"data", "--n", 1, 10000000, false, "rows written; the CSV reader refuses more"},
      {"sample", "--n", 1, 1000000, false, "particles: 16 MB a frame at the top", "particles", 1, 20000,
       "the app keeps every frame of a run for the step scrubber and draws every particle each frame"},
      {"forward", "--n", 1, 1000000, false, "particles: 16 MB a frame at the top"},
      {"toy1d", "--n", 1, 1000000, false, "particles, two 1-D draws each"},
      {"sweep", "--n", 1, 20000, false, "points per trial: the exact W2 solves an n x n transport"},
      {"nll", "--n", 1, 100000, false, "held-out points, one ODE solve each"},
      {"suggest-h", "--n", 1, 100000, false, "held-out points, one ODE solve each"},
      {"*", "--steps", 1, 100000, false, "time steps: beyond, the step is far below the schedule's scale", "steps", 1, 5000,
       "the app keeps every frame of a run (particles x steps <= 2e7, about 0.3 GB) for the scrubber"},
      {"train", "--steps", 1, 10000000, false, "Adam steps, about 1 ms each: under three hours", "train-steps"},
      {"*", "--stride", 1, 100000, false, "every M-th step kept in --trajectories"},
      {"*", "--trials", 1, 1000, false, "trials per h, each a full run"},
      {"*", "--fp-cells", 16, 640, false, "Fokker-Planck cells per side: memory grows as cells^2, time as cells^3", "nll-cells"},
      {"*", "--batch", 1, 100000, false, "points per ODE batch"},
      {"train", "--batch", 1, 65536, false, "minibatch size"},
      {"*", "--batches", 1, 100000, false, "batches of held-out points"},
      {"*", "--rtol", 1e-12, 0.1, false, "relative tolerance of the ODE solves"},
      {"*", "--atol", 1e-15, 1, false, "absolute tolerance of the ODE solves"},
      {"*", "--fd-dx", 0, 1, true, "the finite-difference step of --first-order fd"},
      {"*", "--fd-rtol", 1e-12, 0.1, false, "the tolerance of --first-order fd's nested solves"},
      {"*", "--threads", 0, 1024, false, "worker threads, 0: all cores"},
      {"*", "--h-max", 0, 10, true, "the largest h(t) of a suggested schedule"},
      {"*", "--suggest-h", 0, 10, true, "the largest h(t) of a suggested schedule"},
      {"*", "--window-length", 0, 1, true, "the suggested window's length, at most T_max - T_min"},
      {"*", "--lr", 0, 1, true, "Adam's learning rate"},
      {"*", "--width", 1, 1024, false, "units per hidden layer", "train-width"},
      {"*", "--depth", 1, 16, false, "hidden layers", "train-depth"},
      {"*", "--v0", 0, 1e6, true, "the toy's data variance"},
      {"*", "--beta", 0, 50, true, "the toy's constant beta: beta T <= 500 keeps e^(beta T) finite"},
      {"*", "--T", 0, 10, true, "the toy's end time"},
      {"*", "--uT", 0, 1e6, true, "the toy's variance at t = T"},
      {"*", "--eps", -1, 10, true, "the toy's score bias: s = -(1 + eps) x / v_t"},
      {"*", "--x0", -1e3, 1e3, false, "where the toy's WKB coefficient is evaluated (a PF path beyond radius 1e6 counts as escaped)"},
  };
  return table;
}

const Range* find_range(const std::string& command, const std::string& option) {
  const Range* any = nullptr;
  for (const Range& r : ranges()) {
    if (option != r.option) continue;
    if (command == r.command) return &r;
    if (std::string(r.command) == "*" && !any) any = &r;
  }
  return any;
}

const Range& setting_range(const std::string& key) {
  for (const Range& r : ranges())
    if (key == r.setting) return r;
  throw std::logic_error("no range row for the setting '" + key + "'");
}

double app_lo(const Range& r) { return *r.app_why ? r.app_lo : r.lo; }
double app_hi(const Range& r) { return *r.app_why ? r.app_hi : r.hi; }

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string range_text(const Range& r) {
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on "(" + s + …
  std::string t = r.lo_open ? "(" : "[";
  t.append(number_text(r.lo)).append(", ").append(number_text(r.hi)).append("]");
  return t;
}

}  // namespace hbar::app
