// The space-time canvas: projected runs (here) and the density under them (background).
#include "spacetime_task.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "hbar/view/colormap.hpp"
#include "hbar/view/spacetime.hpp"
#include "hbar/process/toy1d.hpp"

namespace hbar::app {
namespace {

RunView project_on(const RunView& r, const Vec2& u) {
  RunView p = r;
  if (!r.result) return p;
  auto res = std::make_shared<SampleResult>();
  res->trajectories = spacetime_paths(r.result->trajectories, u);
  res->samples = spacetime_column(r.result->samples, u, r.t_last);
  res->action = r.result->action;
  p.result = std::move(res);
  p.version = next_version();
  return p;
}

HeatView colour(const Grid& g, Colormap map) {
  HeatView hv;
  hv.map.grid = g;
  double top = -std::numeric_limits<double>::infinity();
  for (double v : g.values)
    if (std::isfinite(v)) top = std::max(top, v);
  if (!std::isfinite(top)) top = 0;
  hv.map.hi = top;
  hv.map.lo = top - SpaceTimeTask::kSpan;
  hv.map.rgba = grid_to_rgba(hv.map.grid, map, hv.map.lo, hv.map.hi, 255);
  hv.version = next_version();
  return hv;
}

// Densities of N(0, var) over the rows of the area (bottom up).
std::vector<double> gaussian_profile(double var, const Box& area, int rows) {
  std::vector<double> out(static_cast<std::size_t>(rows));
  const double dy = area.height() / rows;
  for (int j = 0; j < rows; ++j)
    out[static_cast<std::size_t>(j)] =
        std::exp(log_cell_density(0.0, std::sqrt(var), area.ymin + j * dy, area.ymin + (j + 1) * dy));
  return out;
}

Toy1d toy_of(const Settings& s) {
  Toy1d toy;
  toy.eps = s.toy_eps;
  return toy;
}

}  // namespace

RunView SpaceTimeTask::project(const RunView& r) const { return project_on(r, u_); }

void SpaceTimeTask::update(const TaskContext& c, const RunView& run, const std::vector<RunView>& overlay,
                           const RunView& compare, const std::shared_ptr<const Points>& data) {
  SpaceTimeStatus& st = c.status.spacetime;
  if (auto r = task_.take()) {
    view_.heat = std::move(r->heat);
    st.heat_lo = view_.heat.map.lo;
    st.heat_hi = view_.heat.map.hi;
    st.heat_label = r->label;
    st.profile_data = std::move(r->profile_data);
    if (view_.toy) {
      view_.run = std::move(r->toy_run);
      view_.toy_raw = std::move(r->toy_raw);
      st.profile_model = std::move(r->profile_model);
      st.toy_c = std::move(r->toy_c);
    }
  }
  const View& v = c.view;
  shown_ = v.canvas == CanvasMode::kSpaceTime && (v.spacetime_toy || (c.scene && run.result));
  st.shown = shown_;
  if (!shown_) return;
  u_ = direction_at(v.spacetime_angle);
  const bool toy = v.spacetime_toy;
  if (toy != view_.toy) {
    view_ = SpaceTimeView{};
    view_.toy = toy;
    key_.clear();
    runs_key_.clear();
    st.profile_model.clear();
    st.profile_data.clear();
  }
  st.toy = toy;
  st.angle = v.spacetime_angle;

  char key[256];
  if (toy) {
    const Toy1d t = toy_of(c.settings);
    const double reach = 3.5 * std::sqrt(std::max({1.0, t.uT, t.v0}));
    view_.area = Box{0.0, t.T, -reach, reach};
    const HSchedule hs = h_schedule(c.settings, 0.0, t.T);
    const int steps = c.settings.scene.steps;
    const std::uint64_t seed = c.settings.scene.seed;
    std::snprintf(key, sizeof key, "toy %.17g %s %d %llu %.17g %d", t.eps, hs.describe().c_str(), steps,
                  static_cast<unsigned long long>(seed), v.spacetime_angle, static_cast<int>(v.heat_map));
    if (key_ != key) {
      key_ = key;
      const Box area = view_.area;
      const Vec2 u = u_;
      const Colormap map = v.heat_map;
      task_.start([t, hs, steps, seed, area, u, map](Progress& p, const auto&, const auto& post) {
        SpaceTimeResult out;
        // The density: q^h_t = N(0, u_t) with u_t from the variance ODE under h(t).
        std::vector<double> times(kColumns);
        for (int i = 0; i < kColumns; ++i) times[static_cast<std::size_t>(i)] = area.xmin + (i + 0.5) * area.width() / kColumns;
        std::vector<double> uu = t.u_path(hs, times);
        const double u0 = t.u0(hs);
        const Grid g = gaussian_log_density(
            [&](double tc) {
              const int i = static_cast<int>(std::floor((tc - area.xmin) / area.width() * kColumns));
              return uu[static_cast<std::size_t>(std::clamp(i, 0, kColumns - 1))];
            },
            area, kColumns, kRows);
        out.heat = colour(g, map);
        out.label = "log q^h_t(y) = log N(0, u_t), toy model";
        out.profile_data = gaussian_profile(t.v0, area, kRows);
        out.profile_model = gaussian_profile(u0, area, kRows);
        // c̄(t) in closed form, denser near t = 0.
        constexpr int kC = 300;
        for (int i = 0; i <= kC; ++i) {
          const double s = static_cast<double>(i) / kC;
          out.toy_c.t.push_back(t.T * s * s);
          out.toy_c.mean.push_back(t.c_mean(t.T * s * s));
          out.toy_c.sem.push_back(0.0);
        }
        out.toy_c.c_mean = out.toy_c.trapezoid();
        // The toy's paths: the general sampler on its 2-D isotropic score, projected on u
        // (any direction of the isotropic model is the 1-D model).
        RunView r;
        r.result = std::make_shared<SampleResult>(sample_toy(t, hs, kToyParticles, steps, seed, 1, 1, &p));
        r.h = hs.height();
        r.schedule = hs;
        r.exact = true;
        r.t_first = t.T;
        r.t_last = 0.0;
        out.toy_run = project_on(r, u);
        out.toy_raw = std::move(r);
        post(std::move(out));
      });
    }
  } else {
    const Schedule& sch = c.scene->schedule;
    // The u·x range: the projected data and the prior's ±3.
    if (data != range_of_ || v.spacetime_angle != range_angle_) {
      range_of_ = data;
      range_angle_ = v.spacetime_angle;
      range_lo_ = -3, range_hi_ = 3;
      if (data && data->rows() > 0) {
        const Eigen::VectorXd y = *data * u_;
        range_lo_ = std::min(range_lo_, y.minCoeff());
        range_hi_ = std::max(range_hi_, y.maxCoeff());
      }
    }
    const double lo = range_lo_, hi = range_hi_;
    const double pad = 0.06 * (hi - lo);
    view_.area = Box{sch.t_min(), sch.t_max(), lo - pad, hi + pad};
    std::snprintf(key, sizeof key, "scene %p %.17g %.17g %.17g %d", static_cast<const void*>(c.scene.get()),
                  v.spacetime_angle, lo, hi, static_cast<int>(v.heat_map));
    if (key_ != key) {
      key_ = key;
      const auto sc = c.scene;
      const Box area = view_.area;
      const Vec2 u = u_;
      const Colormap map = v.heat_map;
      task_.start([sc, area, u, map](Progress& p, const auto&, const auto& post) {
        SpaceTimeResult out;
        out.heat = colour(projected_log_density(sc->data, sc->schedule, u, area, kColumns, kRows, &p), map);
        out.label = "log p_t(u.x): the diffused data, exact";
        // The data law at T_min itself (the left edge), on the same rows.
        const double t0 = sc->schedule.t_min();
        const Box left{t0, t0 + 1e-9 * area.width(), area.ymin, area.ymax};
        const Grid edge = projected_log_density(sc->data, sc->schedule, u, left, 1, kRows);
        for (double l : edge.values) out.profile_data.push_back(std::isfinite(l) ? std::exp(l) : 0.0);
        post(std::move(out));
      });
    }
    project_runs(c, run, overlay, compare, data);
  }
  st.t0 = view_.area.xmin;
  st.t1 = view_.area.xmax;
  st.y0 = view_.area.ymin;
  st.y1 = view_.area.ymax;
  if (toy) st.model_label = "q^h_0 = N(0, u0)";
}

void SpaceTimeTask::project_runs(const TaskContext& c, const RunView& run, const std::vector<RunView>& overlay,
                                 const RunView& compare, const std::shared_ptr<const Points>& data) {
  std::string key = std::to_string(run.version) + " " + std::to_string(compare.version) + " " +
                    std::to_string(c.view.spacetime_angle) + " " + std::to_string(reinterpret_cast<std::uintptr_t>(data.get()));
  for (const RunView& o : overlay) key.append(" ").append(std::to_string(o.version));
  if (key == runs_key_) return;
  runs_key_ = key;
  view_.run = project_on(run, u_);
  view_.compare = project_on(compare, u_);
  view_.overlay.clear();
  for (const RunView& o : overlay) view_.overlay.push_back(project_on(o, u_));
  view_.data = data ? std::make_shared<const Points>(spacetime_column(*data, u_, view_.area.xmin)) : nullptr;
  model_profile(run, c.status);
}

// The run's particles at its earliest time (T_min for a generative run), as a density
// over the rows of the area: a histogram, count / (n Δy).
void SpaceTimeTask::model_profile(const RunView& run, Status& st) const {
  SpaceTimeStatus& s = st.spacetime;
  s.profile_model.assign(kRows, 0.0);
  if (!run.result || run.result->trajectories.frames.empty()) return;
  const auto& tr = run.result->trajectories;
  const auto f = static_cast<std::size_t>(std::min_element(tr.times.begin(), tr.times.end()) - tr.times.begin());
  const Points& x = tr.frames[f];
  const Eigen::VectorXd y = x * u_;
  const Box& a = view_.area;
  const double dy = a.height() / kRows;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const int j = static_cast<int>(std::floor((y[i] - a.ymin) / dy));
    if (j >= 0 && j < kRows) s.profile_model[static_cast<std::size_t>(j)] += 1.0;
  }
  for (double& p : s.profile_model) p /= static_cast<double>(std::max<Eigen::Index>(1, y.size())) * dy;
  char label[64];
  std::snprintf(label, sizeof label, "the run's %ld particles at t = %.3g", static_cast<long>(y.size()), tr.times[f]);
  s.model_label = label;
}

}  // namespace hbar::app
