#pragma once
// Space–time pictures (UX.md "The 1-D toy model"; SCIENCE.md §1, §9, §11): time
// across, one coordinate up. Paths x(t) projected on a direction u, drawn over the
// density of y = u·x_t under the diffused data law (or the toy model's Gaussians).
#include <functional>
#include <vector>

#include "hbar/process/dynamics.hpp"
#include "hbar/view/grid.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

// The unit vector `degrees` counter-clockwise from the x axis.
Vec2 direction_at(double degrees);

// Trajectories as space–time curves: frame f holds every particle at (times[f], u·x).
Trajectories spacetime_paths(const Trajectories& traj, const Vec2& u);
// Points as a column at time t: (t, u·x) per row.
Points spacetime_column(const Points& x, const Vec2& u, double t);

// Over a grid whose x is time and whose y is u·x: per column (its centre time, clamped
// to the schedule's range), the log of the density of y = u·x_t for x_t = α(t) x0 + σ(t) z,
// x0 uniform over the data — averaged over each cell's height, so that a law narrower
// than a cell near T_min is not aliased:
//   log( (1/N) Σ_k [Φ((y_{j+1} − α u·x0_k)/σ) − Φ((y_j − α u·x0_k)/σ)] / Δy ).
// NaN where the cell holds no mass (beyond 8 σ of every point). Where σ is wide the data
// are binned on u·x0 (4096 bins) and merged per column into groups narrower than σ/32,
// each standing at its weighted mean (the log density moves by < 0.003 within 5 σ);
// where σ is narrow every point counts by itself.
// Throws std::invalid_argument on empty data or a bad grid; honours `progress`.
Grid projected_log_density(const Points& data, const Schedule& s, const Vec2& u, const Box& box, int nx, int ny,
                           Progress* progress = nullptr);

// The same picture for a centred Gaussian of variance var(t) (the toy model's laws).
Grid gaussian_log_density(const std::function<double(double)>& var, const Box& box, int nx, int ny);

// log of the mean density of N(m, sd²) over [a, b] (accurate in both tails; −inf when
// the mass underflows).
double log_cell_density(double m, double sd, double a, double b);

}  // namespace hbar
