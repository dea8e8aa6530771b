#pragma once
// Scalar fields on a regular grid over a rectangle of the plane, and the maps hbar
// draws from them (SCIENCE.md §6): path-action density, end-point action, log
// density, drift field.
#include <cstddef>
#include <vector>

#include "hbar/process/dynamics.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

struct Box {
  double xmin = -3, xmax = 3, ymin = -3, ymax = 3;
  double width() const { return xmax - xmin; }
  double height() const { return ymax - ymin; }
};

struct Grid {
  Box box;
  int nx = 0, ny = 0;
  std::vector<double> values;  // row j (y), column i (x): values[j * nx + i]; NaN = no data

  Grid() = default;
  Grid(Box b, int nx_, int ny_, double fill = 0.0);
  double& at(int i, int j) { return values[static_cast<std::size_t>(j) * nx + i]; }
  double at(int i, int j) const { return values[static_cast<std::size_t>(j) * nx + i]; }
  // Centre of cell (i, j).
  Vec2 centre(int i, int j) const;
  // The cell of a point, or false when outside the box.
  bool cell_of(double x, double y, int& i, int& j) const;
  // Smallest and largest finite value (0, 0 when none).
  std::pair<double, double> range() const;
};

// Per-step classical-action increments deposited in the cell of x_n, summed over
// particles and over steps [step_begin, step_end), divided by the particle count.
// `frames` are the positions at every step (stride 1), `increments` as recorded by
// the sampler (step-major).
Grid path_action_density(const Trajectories& traj, const std::vector<float>& increments,
                         std::size_t particles, int step_begin, int step_end, Box box, int nx, int ny);

// Mean action S[x] of the trajectories ending in each cell (NaN where none ends).
Grid endpoint_action(const Points& end_points, const Eigen::VectorXd& action, Box box, int nx, int ny);

// log p_t(x) of a score model that knows its density (NaN grid otherwise).
Grid log_density_grid(const ScoreModel& score, double t, Box box, int nx, int ny);

// The probability-flow drift f_PF = f x − g²/2 s at the cell centres (two grids).
std::pair<Grid, Grid> drift_field(const ScoreModel& score, const Schedule& schedule, double t, Box box,
                                  int nx, int ny);

// Writes "x,y,value" for every cell centre with a value (atomic). Cells without one (no
// path crossed them, a density of 0 on a log scale: NaN in the grid) are left out, so no
// NaN or Inf reaches the file.
void write_grid_csv(const std::string& path, const Grid& g);

}  // namespace hbar
