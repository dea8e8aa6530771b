#pragma once
// A score cached on a space-time grid: the interactive preview of the h slider.
//
// The score does not depend on h, so it is sampled once at the nodes of a regular
// nx × ny grid over a box, at a list of times (a subset of the sampler's step
// times), and interpolated: bilinear in space, linear in time. Points outside the
// box are evaluated exactly. The error against direct evaluation is measured in the
// tests (and grows near T_min, where the exact score varies on the scale σ(T_min)).
#include <memory>
#include <vector>

#include "hbar/view/grid.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

class ScoreGrid final : public ScoreModel {
 public:
  // `times` sorted (either order, ≥ 2). Throws Cancelled if progress->cancel is set.
  ScoreGrid(std::shared_ptr<const ScoreModel> exact, Box box, int nx, int ny, std::vector<double> times,
            Progress* progress = nullptr);
  using ScoreModel::score;
  void score(const PointsCRef& x, double t, PointsRef out) const override;
  // Jacobians come from the exact model (the cache is for sampling only).
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override;
  std::string describe() const override { return "cached " + exact_->describe(); }

  // Times of every `every`-th step of an N-step run on `schedule`, plus the last.
  static std::vector<double> step_times(const Schedule& schedule, int steps, int every);
  const Box& box() const { return box_; }
  std::size_t bytes() const { return paired_.size() * sizeof(float); }

 private:
  std::shared_ptr<const ScoreModel> exact_;
  Box box_;
  int nx_, ny_;
  double hx_, hy_;
  std::vector<double> times_;  // ascending
  std::vector<float> values_;  // [knot][j][i][2], only while building
  std::vector<float> paired_;  // [knot k][j][i][s_x(k), s_y(k), s_x(k+1), s_y(k+1)]
};

}  // namespace hbar
