#pragma once
// The canvas's heat maps as numbers and colours (SCIENCE.md §5, §6): which field,
// on which grid, over which colour range, and where it is masked. The app uploads
// what this returns; the CLI and tests can compute the same picture headless.
#include <cstdint>
#include <string>
#include <vector>

#include "hbar/view/colormap.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/view/grid.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

enum class HeatKind { kNone, kPathAction, kEndpointAction, kLogDensity, kLogQ0, kWkbC };

// Grid columns: sampled fields are cheap per cell; log q0 and C need an ODE solve
// per cell, so they get a coarser grid. Rows follow the view's aspect, clamped.
inline constexpr int kHeatColumns = 160, kHeatMinRows = 16, kHeatMaxRows = 400;
inline constexpr int kHeatOdeColumns = 64, kHeatOdeMinRows = 8, kHeatOdeMaxRows = 160;
// log densities fall like −|x|²/2τ² away from the data: the colours span the top 30 nats,
// and C(x) is shown only where log q0 is within that span of its maximum.
inline constexpr double kLogDensitySpan = 30.0;
// C spans orders of magnitude near the data: its colours cover the 2nd … 98th percentile.
inline constexpr double kWkbCLowPercent = 2, kWkbCHighPercent = 98;

struct HeatInputs {
  const ScoreModel* score = nullptr;   // the dynamics' score (log q0, C)
  const ScoreModel* exact = nullptr;   // the data law's exact score (log p_t)
  const Schedule* schedule = nullptr;
  const SampleResult* run = nullptr;   // the run on screen (action maps); stride-1 frames
  bool forward = false;                // a forward run: actions are not defined (NaN map)
  // C(x) restricted to a noise schedule's shape: ∫ shape(t) c(x, t) dt (SCIENCE.md §11);
  // null or constant: C(x) itself.
  const HSchedule* shape = nullptr;
};

struct HeatMap {
  Grid grid;
  double lo = 0, hi = 1;  // the colour range (values outside are clamped)
  std::vector<std::uint8_t> rgba;
};

// What a heat map shows, as its colour bar says it.
std::string heat_label(HeatKind kind, const HSchedule* shape = nullptr);
// The grid's columns and rows for a view.
std::pair<int, int> heat_grid_size(HeatKind kind, const Box& view);
// The colour range of a finished grid: its finite range, cut to the top span for log
// densities and to the percentiles for C.
std::pair<double, double> heat_colour_range(HeatKind kind, const Grid& g);
// The whole map: field at time t (frame `frame` for the path action), range, colours.
// log q0 and C use one thread and honour `progress` (throws Cancelled).
HeatMap compute_heat_map(HeatKind kind, const HeatInputs& in, const Box& view, double t, int frame, Colormap map,
                         Progress* progress = nullptr);

}  // namespace hbar
