#include "hbar/view/spacetime.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace hbar {
namespace {

constexpr int kFineBins = 4096;
constexpr double kReach = 8.0;  // cells beyond this many σ of a point get none of its mass
// Points within σ/32 of each other are merged into their weighted mean: the mixture's
// log changes by about (z² − 1) s²/(2σ²) at z σ from it, s ≤ σ/64 the spread of a group:
// under 0.003 at z = 5 (12 nats down, the bottom of the colour range).
constexpr double kGroupsPerSigma = 32.0;

void check_grid(const Box& box, int nx, int ny) {
  if (nx < 1 || ny < 1 || nx > 4096 || ny > 4096)
    throw std::invalid_argument("space-time grid: columns and rows must be in [1, 4096]");
  if (!(box.width() > 0) || !(box.height() > 0) || !std::isfinite(box.width()) || !std::isfinite(box.height()))
    throw std::invalid_argument("space-time grid: the box must have a finite, positive width and height");
}

// Φ(zb) − Φ(za) for za ≤ zb, without cancellation in either tail.
double normal_mass(double za, double zb) {
  constexpr double r = std::numbers::sqrt2 / 2;  // 1/√2
  if (za >= 0) return 0.5 * (std::erfc(za * r) - std::erfc(zb * r));
  if (zb <= 0) return 0.5 * (std::erfc(-zb * r) - std::erfc(-za * r));
  return 0.5 * (std::erf(zb * r) - std::erf(za * r));
}

}  // namespace

Vec2 direction_at(double degrees) {
  const double a = degrees * std::numbers::pi / 180.0;
  return Vec2(std::cos(a), std::sin(a));
}

Trajectories spacetime_paths(const Trajectories& traj, const Vec2& u) {
  Trajectories out;
  out.steps = traj.steps;
  out.times = traj.times;
  out.frames.resize(traj.frames.size());
  const auto n = static_cast<std::ptrdiff_t>(traj.frames.size());
  // Frames are independent: split them over the cores (the app projects each new run on
  // the UI thread, like the preview that made it).
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t f = 0; f < n; ++f) {
    const Points& x = traj.frames[static_cast<std::size_t>(f)];
    Points& p = out.frames[static_cast<std::size_t>(f)];
    p.resize(x.rows(), 2);
    const double t = traj.times[static_cast<std::size_t>(f)], u0 = u.x(), u1 = u.y();
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      p(i, 0) = t;
      p(i, 1) = x(i, 0) * u0 + x(i, 1) * u1;
    }
  }
  return out;
}

Points spacetime_column(const Points& x, const Vec2& u, double t) {
  Points p(x.rows(), 2);
  p.col(0).setConstant(t);
  p.col(1) = x * u;
  return p;
}

double log_cell_density(double m, double sd, double a, double b) {
  const double mass = normal_mass((a - m) / sd, (b - m) / sd);
  return mass > 0 ? std::log(mass / (b - a)) : -std::numeric_limits<double>::infinity();
}

Grid projected_log_density(const Points& data, const Schedule& s, const Vec2& u, const Box& box, int nx, int ny,
                           Progress* progress) {
  check_grid(box, nx, ny);
  if (data.rows() == 0) throw std::invalid_argument("space-time density: no data");
  const Eigen::VectorXd y = data * u;
  if (!y.allFinite()) throw std::invalid_argument("space-time density: the data hold a non-finite value");
  // Fine bins on u·x0: count and sum (a group's weighted mean stands for it).
  const double lo = y.minCoeff(), hi = y.maxCoeff();
  const double width = std::max(hi - lo, 1e-12) / kFineBins;
  std::vector<double> count(kFineBins, 0.0), sum(kFineBins, 0.0);
  for (Eigen::Index k = 0; k < y.size(); ++k) {
    const int b = std::clamp(static_cast<int>((y[k] - lo) / width), 0, kFineBins - 1);
    count[static_cast<std::size_t>(b)] += 1;
    sum[static_cast<std::size_t>(b)] += y[k];
  }
  const double n = static_cast<double>(y.size());
  const double dy = box.height() / ny;
  Grid g(box, nx, ny, kNaN);
  std::vector<double> mass(static_cast<std::size_t>(ny));
  // Adds weight w of N(m, sd²) to the cells within kReach sd of m.
  const auto deposit = [&](double w, double m, double sd) {
    if (m + kReach * sd < box.ymin || m - kReach * sd > box.ymax) return;  // (and the casts stay in range)
    const int j0 = std::max(0, static_cast<int>(std::floor((m - kReach * sd - box.ymin) / dy)));
    const int j1 = std::min(ny - 1, static_cast<int>(std::floor((m + kReach * sd - box.ymin) / dy)));
    for (int j = j0; j <= j1; ++j) {
      const double ya = box.ymin + j * dy;
      mass[static_cast<std::size_t>(j)] += w * normal_mass((ya - m) / sd, (ya + dy - m) / sd);
    }
  };
  for (int i = 0; i < nx; ++i) {
    if (progress) {
      if (progress->cancelled()) throw Cancelled();
      progress->fraction = static_cast<double>(i) / nx;
    }
    const double t = std::clamp(box.xmin + (i + 0.5) * box.width() / nx, s.t_min(), s.t_max());
    const double a = s.alpha(t), sd = s.sigma(t);
    std::fill(mass.begin(), mass.end(), 0.0);
    if (sd < kGroupsPerSigma * width) {
      // Narrow: every point by itself (each touches few cells).
      for (Eigen::Index k = 0; k < y.size(); ++k) deposit(1.0, a * y[k], sd);
    } else {
      const int merge = std::max(1, static_cast<int>(sd / kGroupsPerSigma / width));
      for (int b0 = 0; b0 < kFineBins; b0 += merge) {
        double w = 0, wy = 0;
        for (int b = b0; b < std::min(kFineBins, b0 + merge); ++b) {
          w += count[static_cast<std::size_t>(b)];
          wy += sum[static_cast<std::size_t>(b)];
        }
        if (w > 0) deposit(w, a * wy / w, sd);
      }
    }
    for (int j = 0; j < ny; ++j) {
      const double v = mass[static_cast<std::size_t>(j)] / (n * dy);
      g.at(i, j) = v > 0 ? std::log(v) : kNaN;
    }
  }
  if (progress) progress->fraction = 1.0;
  return g;
}

Grid gaussian_log_density(const std::function<double(double)>& var, const Box& box, int nx, int ny) {
  check_grid(box, nx, ny);
  const double dy = box.height() / ny;
  Grid g(box, nx, ny, kNaN);
  for (int i = 0; i < nx; ++i) {
    const double v = var(box.xmin + (i + 0.5) * box.width() / nx);
    if (!(v > 0) || !std::isfinite(v)) continue;
    const double sd = std::sqrt(v);
    for (int j = 0; j < ny; ++j) {
      const double l = log_cell_density(0.0, sd, box.ymin + j * dy, box.ymin + (j + 1) * dy);
      g.at(i, j) = std::isfinite(l) ? l : kNaN;
    }
  }
  return g;
}

}  // namespace hbar
