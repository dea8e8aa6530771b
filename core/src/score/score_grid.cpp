#include "hbar/score/score_grid.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "hbar/base/memory.hpp"

namespace hbar {

ScoreGrid::ScoreGrid(std::shared_ptr<const ScoreModel> exact, Box box, int nx, int ny,
                     std::vector<double> times, Progress* progress)
    : exact_(std::move(exact)), box_(box), nx_(nx), ny_(ny), times_(std::move(times)) {
  if (nx < 2 || ny < 2 || times_.size() < 2) throw std::invalid_argument("score grid too small");
  std::sort(times_.begin(), times_.end());
  hx_ = box_.width() / (nx_ - 1);
  hy_ = box_.height() / (ny_ - 1);
  const std::size_t per_knot = static_cast<std::size_t>(nx_) * ny_;
  check_memory(static_cast<double>(per_knot) * (2.0 * sizeof(float) * static_cast<double>(times_.size()) + 48),
               "a score cache of " + std::to_string(nx_) + " x " + std::to_string(ny_) + " nodes at " +
                   std::to_string(times_.size()) + " times");
  values_.resize(per_knot * 2 * times_.size());  // [knot][node][2] while filling
  Points nodes(static_cast<Eigen::Index>(per_knot), 2);
  for (int j = 0; j < ny_; ++j)
    for (int i = 0; i < nx_; ++i)
      nodes.row(static_cast<Eigen::Index>(j) * nx_ + i) << box_.xmin + i * hx_, box_.ymin + j * hy_;
  std::atomic<int> done{0};
  std::atomic<bool> cancelled{false};
  const int knots = static_cast<int>(times_.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int k = 0; k < knots; ++k) {
    if (cancelled.load()) continue;
    const Points s = exact_->score(nodes, times_[static_cast<std::size_t>(k)]);
    float* dst = values_.data() + static_cast<std::size_t>(k) * per_knot * 2;
    for (std::size_t p = 0; p < per_knot; ++p) {
      dst[2 * p] = static_cast<float>(s(static_cast<Eigen::Index>(p), 0));
      dst[2 * p + 1] = static_cast<float>(s(static_cast<Eigen::Index>(p), 1));
    }
    const int d = done.fetch_add(1) + 1;
    if (progress) {
      progress->fraction.store(static_cast<double>(d) / knots);
      if (progress->cancelled()) cancelled.store(true);
    }
  }
  if (cancelled.load()) throw Cancelled();
  // Pair each knot with the next at every node: one interpolation reads the four
  // corner nodes of both knots from two cache lines instead of four.
  const std::size_t pairs = times_.size() - 1;
  paired_.resize(pairs * per_knot * 4);
  for (std::size_t k = 0; k < pairs; ++k)
    for (std::size_t p = 0; p < per_knot; ++p) {
      float* d = paired_.data() + (k * per_knot + p) * 4;
      const float* a = values_.data() + (k * per_knot + p) * 2;
      const float* b = a + per_knot * 2;
      d[0] = a[0];
      d[1] = a[1];
      d[2] = b[0];
      d[3] = b[1];
    }
  values_.clear();
  values_.shrink_to_fit();
}

std::vector<double> ScoreGrid::step_times(const Schedule& schedule, int steps, int every) {
  // The sampler's own t_n (Schedule::step_time), chosen by step index.
  std::vector<int> n;
  for (int k = 0; k <= steps; k += std::max(every, 1)) n.push_back(k);
  if (n.back() != steps) n.push_back(steps);
  std::vector<double> t;
  for (int k : n) t.push_back(schedule.step_time(k, steps));
  return t;
}

void ScoreGrid::score(const PointsCRef& x, double t, PointsRef out) const {
  // Time knots bracketing t (clamped to the cached range), weight w of the upper one.
  const auto hi = std::upper_bound(times_.begin(), times_.end(), t);
  const std::size_t k1 = static_cast<std::size_t>(
      std::clamp<std::ptrdiff_t>(hi - times_.begin(), 1, static_cast<std::ptrdiff_t>(times_.size()) - 1));
  const std::size_t k0 = k1 - 1;
  const float w = static_cast<float>(std::clamp((t - times_[k0]) / (times_[k1] - times_[k0]), 0.0, 1.0));
  const float* base = paired_.data() + k0 * static_cast<std::size_t>(nx_) * ny_ * 4;
  const double inv_hx = 1.0 / hx_, inv_hy = 1.0 / hy_;
  Eigen::Index outside_count = 0;
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const double px = x(r, 0), py = x(r, 1);
    const double u = (px - box_.xmin) * inv_hx, v = (py - box_.ymin) * inv_hy;
    if (!(u >= 0.0 && v >= 0.0 && u <= nx_ - 1 && v <= ny_ - 1)) {
      ++outside_count;
      out(r, 0) = NAN;  // filled exactly below
      continue;
    }
    const int i = std::min(static_cast<int>(u), nx_ - 2), j = std::min(static_cast<int>(v), ny_ - 2);
    const float fx = static_cast<float>(u - i), fy = static_cast<float>(v - j);
    const std::size_t o00 = 4 * (static_cast<std::size_t>(j) * nx_ + i), o01 = o00 + 4 * nx_;
    // Blend the two knots first (same nodes), then bilinear in space.
    float c[8];
    for (int q = 0; q < 4; ++q) {
      const float* n = base + (q < 2 ? o00 : o01) + 4 * (q & 1);
      c[2 * q] = n[0] + w * (n[2] - n[0]);
      c[2 * q + 1] = n[1] + w * (n[3] - n[1]);
    }
    const float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
    out(r, 0) = w00 * c[0] + w10 * c[2] + w01 * c[4] + w11 * c[6];
    out(r, 1) = w00 * c[1] + w10 * c[3] + w01 * c[5] + w11 * c[7];
  }
  if (outside_count == 0) return;
  // Points outside the box: the exact score.
  Points xo(outside_count, 2), so(outside_count, 2);
  std::vector<Eigen::Index> rows;
  rows.reserve(static_cast<std::size_t>(outside_count));
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    if (std::isnan(out(r, 0))) {
      xo.row(static_cast<Eigen::Index>(rows.size())) = x.row(r);
      rows.push_back(r);
    }
  exact_->score(xo, t, so);
  for (std::size_t k = 0; k < rows.size(); ++k) out.row(rows[k]) = so.row(static_cast<Eigen::Index>(k));
}

void ScoreGrid::score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const {
  exact_->score_jacobian(x, t, out, jac);
}

}  // namespace hbar
