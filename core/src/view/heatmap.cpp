#include "hbar/view/heatmap.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "hbar/likelihood/likelihood.hpp"

namespace hbar {
namespace {

int rows_for(int columns, const Box& view, int lo, int hi) {
  return std::clamp(static_cast<int>(std::lround(columns * view.height() / view.width())), lo, hi);
}

// log q0 (or C where log q0 is within kLogDensitySpan of its maximum) at the cell centres.
Grid ode_grid(HeatKind kind, const HeatInputs& in, const Box& view, double t, Progress* progress) {
  const auto [mx, my] = heat_grid_size(kind, view);
  Grid g(view, mx, my, NAN);
  Points pts(static_cast<Eigen::Index>(mx) * my, 2);
  for (int j = 0; j < my; ++j)
    for (int i = 0; i < mx; ++i) pts.row(static_cast<Eigen::Index>(j) * mx + i) = g.centre(i, j).transpose();
  LikelihoodConfig cfg;
  cfg.threads = 1;  // the other core stays with the interactive runs
  cfg.ode = {1e-5, 1e-7};
  const Schedule& s = *in.schedule;
  if (kind == HeatKind::kLogQ0) {
    const Eigen::VectorXd l = log_q0_at(*in.score, s, pts, std::clamp(t, s.t_min(), s.t_max()), cfg, progress);
    for (Eigen::Index k = 0; k < l.size(); ++k) g.values[static_cast<std::size_t>(k)] = l[k];
    return g;
  }
  // Far out log q0 ≈ −10⁴ and C is rounding noise of no meaning: masked.
  const bool windowed = in.shape && !in.shape->is_constant_on(s.t_min(), s.t_max());
  if (windowed) {
    cfg.keep_c = true;
    cfg.c_stops = in.shape->breakpoints();
  }
  const LikelihoodResult r = likelihood(*in.score, s, pts, FirstOrder::kExact, cfg, progress);
  const double top = r.logq0.maxCoeff();
  for (Eigen::Index k = 0; k < r.c.size(); ++k)
    if (r.logq0[k] >= top - kLogDensitySpan)
      g.values[static_cast<std::size_t>(k)] =
          windowed ? r.c_traces[static_cast<std::size_t>(k)].weighted(*in.shape) : r.c[k];
  return g;
}

}  // namespace

std::string heat_label(HeatKind k, const HSchedule* shape) {
  if (k == HeatKind::kWkbC && shape && shape->kind() != HScheduleKind::kConstant)
    return "int h(t) c(x, t) dt for h(t) = " + shape->describe() + " (2-98 %, top 30 nats of q0)";
  switch (k) {
    case HeatKind::kPathAction: return "path action density";
    case HeatKind::kEndpointAction: return "end-point action S[x]";
    case HeatKind::kLogDensity: return "log p_t(x), exact law (top 30 nats)";
    case HeatKind::kLogQ0: return "log q0_t(x), the model's PF-ODE likelihood (top 30 nats)";
    case HeatKind::kWkbC: return "C(x) at T_min: d log q^h/dh at h = 0 (2-98 %, top 30 nats of q0)";
    case HeatKind::kNone: break;
  }
  return "";
}

std::pair<int, int> heat_grid_size(HeatKind kind, const Box& view) {
  if (kind == HeatKind::kLogQ0 || kind == HeatKind::kWkbC)
    return {kHeatOdeColumns, rows_for(kHeatOdeColumns, view, kHeatOdeMinRows, kHeatOdeMaxRows)};
  return {kHeatColumns, rows_for(kHeatColumns, view, kHeatMinRows, kHeatMaxRows)};
}

std::pair<double, double> heat_colour_range(HeatKind kind, const Grid& g) {
  auto [lo, hi] = g.range();
  if (kind == HeatKind::kLogDensity || kind == HeatKind::kLogQ0) lo = std::max(lo, hi - kLogDensitySpan);
  if (kind == HeatKind::kWkbC) {
    std::vector<double> v;
    for (double x : g.values)
      if (std::isfinite(x)) v.push_back(x);
    if (!v.empty()) {
      std::sort(v.begin(), v.end());
      const auto at = [&](double pct) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(static_cast<double>(v.size()) * pct / 100))];
      };
      lo = at(kWkbCLowPercent);
      hi = at(kWkbCHighPercent);
    }
  }
  return {lo, hi};
}

HeatMap compute_heat_map(HeatKind kind, const HeatInputs& in, const Box& view, double t, int frame, Colormap map,
                         Progress* progress) {
  if (kind == HeatKind::kNone) throw std::invalid_argument("no heat map chosen");
  if (!in.schedule || !in.score || !in.exact) throw std::invalid_argument("heat map without a score");
  const auto [nx, ny] = heat_grid_size(kind, view);
  HeatMap hm;
  const Schedule& s = *in.schedule;
  if (kind == HeatKind::kLogDensity) {
    hm.grid = log_density_grid(*in.exact, std::clamp(t, s.t_min(), s.t_max()), view, nx, ny);
  } else if (kind == HeatKind::kLogQ0 || kind == HeatKind::kWkbC) {
    hm.grid = ode_grid(kind, in, view, t, progress);
  } else if (in.forward || !in.run) {
    hm.grid = Grid(view, nx, ny, NAN);  // actions are defined for the generative dynamics
  } else if (kind == HeatKind::kPathAction) {
    hm.grid = path_action_density(in.run->trajectories, in.run->action_increments,
                                  static_cast<std::size_t>(in.run->samples.rows()), 0, frame, view, nx, ny);
  } else {
    hm.grid = endpoint_action(in.run->samples, in.run->action, view, nx, ny);
  }
  std::tie(hm.lo, hm.hi) = heat_colour_range(kind, hm.grid);
  hm.rgba = grid_to_rgba(hm.grid, map, hm.lo, hm.hi, 255);
  return hm;
}

}  // namespace hbar
