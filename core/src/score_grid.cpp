#include "hbar/score_grid.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

namespace hbar {

ScoreGrid::ScoreGrid(std::shared_ptr<const ScoreModel> exact, Box box, int nx, int ny,
                     std::vector<double> times, Progress* progress)
    : exact_(std::move(exact)), box_(box), nx_(nx), ny_(ny), times_(std::move(times)) {
  if (nx < 2 || ny < 2 || times_.size() < 2) throw std::invalid_argument("score grid too small");
  std::sort(times_.begin(), times_.end());
  hx_ = box_.width() / (nx_ - 1);
  hy_ = box_.height() / (ny_ - 1);
  const std::size_t per_knot = static_cast<std::size_t>(nx_) * ny_;
  values_.resize(per_knot * 2 * times_.size());
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
}

std::vector<double> ScoreGrid::step_times(const Schedule& schedule, int steps, int every) {
  const double dt = (schedule.t_max() - schedule.t_min()) / steps;
  std::vector<double> t;
  for (int n = 0; n <= steps; n += std::max(every, 1)) t.push_back(schedule.t_max() - n * dt);
  if (t.back() != schedule.t_max() - steps * dt) t.push_back(schedule.t_max() - steps * dt);
  return t;
}

void ScoreGrid::interpolate(std::size_t knot, double x, double y, double& sx, double& sy) const {
  const double u = (x - box_.xmin) / hx_, v = (y - box_.ymin) / hy_;
  const int i = std::clamp(static_cast<int>(u), 0, nx_ - 2), j = std::clamp(static_cast<int>(v), 0, ny_ - 2);
  const double fx = u - i, fy = v - j;
  const float* base = values_.data() + knot * static_cast<std::size_t>(nx_) * ny_ * 2;
  const float* p00 = base + 2 * (static_cast<std::size_t>(j) * nx_ + i);
  const float* p10 = p00 + 2;
  const float* p01 = p00 + 2 * nx_;
  const float* p11 = p01 + 2;
  const double w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  sx = w00 * p00[0] + w10 * p10[0] + w01 * p01[0] + w11 * p11[0];
  sy = w00 * p00[1] + w10 * p10[1] + w01 * p01[1] + w11 * p11[1];
}

void ScoreGrid::score(const PointsCRef& x, double t, PointsRef out) const {
  // Time knots bracketing t (clamped to the cached range).
  const auto hi = std::upper_bound(times_.begin(), times_.end(), t);
  std::size_t k1 = static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(hi - times_.begin(), 1,
                                                                         static_cast<std::ptrdiff_t>(times_.size()) - 1));
  const std::size_t k0 = k1 - 1;
  const double w = std::clamp((t - times_[k0]) / (times_[k1] - times_[k0]), 0.0, 1.0);
  std::vector<Eigen::Index> outside;
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const double px = x(r, 0), py = x(r, 1);
    if (!(px >= box_.xmin && px <= box_.xmax && py >= box_.ymin && py <= box_.ymax)) {
      outside.push_back(r);
      continue;
    }
    double ax, ay, bx, by;
    interpolate(k0, px, py, ax, ay);
    if (w > 0) {
      interpolate(k1, px, py, bx, by);
      ax += w * (bx - ax);
      ay += w * (by - ay);
    }
    out(r, 0) = ax;
    out(r, 1) = ay;
  }
  if (!outside.empty()) {
    Points xo(static_cast<Eigen::Index>(outside.size()), 2), so(static_cast<Eigen::Index>(outside.size()), 2);
    for (std::size_t k = 0; k < outside.size(); ++k) xo.row(static_cast<Eigen::Index>(k)) = x.row(outside[k]);
    exact_->score(xo, t, so);
    for (std::size_t k = 0; k < outside.size(); ++k) out.row(outside[k]) = so.row(static_cast<Eigen::Index>(k));
  }
}

void ScoreGrid::score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const {
  exact_->score_jacobian(x, t, out, jac);
}

}  // namespace hbar
