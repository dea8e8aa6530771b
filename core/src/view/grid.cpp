#include "hbar/view/grid.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "hbar/io/output.hpp"

namespace hbar {
namespace {

Points centres_of(const Grid& g) {
  Points p(static_cast<Eigen::Index>(g.nx) * g.ny, 2);
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) p.row(static_cast<Eigen::Index>(j) * g.nx + i) = g.centre(i, j).transpose();
  return p;
}
}  // namespace

Grid::Grid(Box b, int nx_, int ny_, double fill)
    : box(b), nx(nx_), ny(ny_), values(static_cast<std::size_t>(nx_) * ny_, fill) {}

Vec2 Grid::centre(int i, int j) const {
  return {box.xmin + (i + 0.5) * box.width() / nx, box.ymin + (j + 0.5) * box.height() / ny};
}

bool Grid::cell_of(double x, double y, int& i, int& j) const {
  const double u = (x - box.xmin) / box.width() * nx, v = (y - box.ymin) / box.height() * ny;
  if (!(u >= 0 && u < nx && v >= 0 && v < ny)) return false;
  i = static_cast<int>(u);
  j = static_cast<int>(v);
  return true;
}

std::pair<double, double> Grid::range() const {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  return lo <= hi ? std::pair{lo, hi} : std::pair{0.0, 0.0};
}

Grid path_action_density(const Trajectories& traj, const std::vector<float>& increments,
                         std::size_t particles, int step_begin, int step_end, Box box, int nx, int ny) {
  Grid g(box, nx, ny, 0.0);
  const int steps = static_cast<int>(increments.size() / std::max<std::size_t>(particles, 1));
  step_begin = std::max(step_begin, 0);
  step_end = std::min({step_end, steps, static_cast<int>(traj.frames.size()) - 1});
  for (int n = step_begin; n < step_end; ++n) {
    const Points& x = traj.frames[static_cast<std::size_t>(n)];
    for (std::size_t p = 0; p < particles; ++p) {
      int i, j;
      if (g.cell_of(x(static_cast<Eigen::Index>(p), 0), x(static_cast<Eigen::Index>(p), 1), i, j))
        g.at(i, j) += increments[static_cast<std::size_t>(n) * particles + p];
    }
  }
  for (double& v : g.values) v /= static_cast<double>(std::max<std::size_t>(particles, 1));
  return g;
}

Grid endpoint_action(const Points& end_points, const Eigen::VectorXd& action, Box box, int nx, int ny) {
  Grid sum(box, nx, ny, 0.0), count(box, nx, ny, 0.0);
  // A run that recorded no action (DDIM, EDM, Restart): nothing to show.
  if (action.size() != end_points.rows()) return Grid(box, nx, ny, kNaN);
  for (Eigen::Index p = 0; p < end_points.rows(); ++p) {
    int i, j;
    if (sum.cell_of(end_points(p, 0), end_points(p, 1), i, j)) {
      sum.at(i, j) += action[p];
      count.at(i, j) += 1;
    }
  }
  for (std::size_t k = 0; k < sum.values.size(); ++k)
    sum.values[k] = count.values[k] > 0 ? sum.values[k] / count.values[k] : kNaN;
  return sum;
}

Grid log_density_grid(const ScoreModel& score, double t, Box box, int nx, int ny) {
  Grid g(box, nx, ny, kNaN);
  const Points c = centres_of(g);
  Eigen::VectorXd out(c.rows());
  if (score.log_density(c, t, out))
    for (Eigen::Index k = 0; k < c.rows(); ++k) g.values[static_cast<std::size_t>(k)] = out[k];
  return g;
}

std::pair<Grid, Grid> drift_field(const ScoreModel& score, const Schedule& schedule, double t, Box box,
                                  int nx, int ny) {
  Grid gx(box, nx, ny), gy(box, nx, ny);
  const Points c = centres_of(gx);
  const Points s = score.score(c, t);
  const double f = schedule.f(t), g2 = schedule.g2(t);
  for (Eigen::Index k = 0; k < c.rows(); ++k) {
    gx.values[static_cast<std::size_t>(k)] = f * c(k, 0) - 0.5 * g2 * s(k, 0);
    gy.values[static_cast<std::size_t>(k)] = f * c(k, 1) - 0.5 * g2 * s(k, 1);
  }
  return {gx, gy};
}

void write_grid_csv(const std::string& path, const Grid& g) {
  write_file_atomic(path, [&](std::ostream& out) {
    out << "x,y,value\n";
    char buf[96];
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        if (!std::isfinite(g.at(i, j))) continue;
        const Vec2 c = g.centre(i, j);
        std::snprintf(buf, sizeof buf, "%.17g,%.17g,%.17g\n", c[0], c[1], g.at(i, j));
        out << buf;
      }
  });
}

}  // namespace hbar
