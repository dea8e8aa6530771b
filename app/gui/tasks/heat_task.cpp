// The heat map of the view and frame on screen (computed by core), and drift arrows.
#include <cstdio>

#include "tasks.hpp"

namespace hbar::app {

void HeatTask::update(const TaskContext& c, const RunView& run, double t_frame) {
  if (auto r = task_.take()) {
    heat_ = std::move(*r);
    c.status.heat_lo = heat_.map.lo;
    c.status.heat_hi = heat_.map.hi;
    c.status.heat_label = heat_label(c.settings.heat, &heat_shape_);
  }
  const View& v = c.view;
  // Drift arrows at the current time (cheap: a coarse grid, on this thread).
  if (v.arrows && c.scene && run.result) {
    char key[160];
    std::snprintf(key, sizeof key, "%p %.6f %.4f %.4f %.4f %.4f", static_cast<const void*>(c.scene.get()), t_frame,
                  c.canvas.xmin, c.canvas.xmax, c.canvas.ymin, c.canvas.ymax);
    if (arrows_key_ != key) {
      arrows_key_ = key;
      const Schedule& sch = c.scene->schedule;
      arrows_ = drift_field(*c.scene->score, sch, std::clamp(t_frame, sch.t_min(), sch.t_max()), c.canvas, kArrowGrid,
                            kArrowGrid);
    }
  }

  const HeatKind kind = c.settings.heat;
  if (kind == HeatKind::kNone || !c.scene || !run.result) return;
  // The end-point action and C(x) at T_min do not depend on the frame; log q0_t
  // (seconds of ODE solves) follows the frame only while playback is paused.
  int frame = v.frame;
  if (kind == HeatKind::kEndpointAction || kind == HeatKind::kWkbC) frame = -1;
  if (kind == HeatKind::kLogQ0) {
    if (v.playing && logq0_frame_ >= 0) frame = logq0_frame_;
    logq0_frame_ = frame;
  }
  // C(x) follows the h(t) shape (height 1): ∫ shape · c dt.
  const HSchedule shape = kind == HeatKind::kWkbC ? ShapeWatch::current(c) : HSchedule::constant(1.0);
  // What the map depends on besides the frame, and the frame.
  char base[256];
  std::snprintf(base, sizeof base, "%d %d %llu %.5f %.5f %.5f %.5f %d", static_cast<int>(kind),
                static_cast<int>(v.heat_map), static_cast<unsigned long long>(run.version), c.canvas.xmin,
                c.canvas.xmax, c.canvas.ymin, c.canvas.ymax, static_cast<int>(run.mode));
  if (base_ == base && frame_ == frame && heat_shape_ == shape) return;
  // Only the frame moved (playback) while a map is being made: that one finishes first and
  // the newest frame follows. Restarting at every frame starved it on a loaded machine:
  // the map never came (the registry test's rare failure under ASan and load).
  if (task_.busy() && base_ == base && heat_shape_ == shape) return;
  base_ = base;
  frame_ = frame;
  heat_shape_ = shape;
  const auto sc = c.scene;
  const auto result = run.result;
  const Box view = c.canvas;
  const Colormap map = v.heat_map;
  const bool forward = run.mode == Mode::kForward;
  const auto& times = result->trajectories.times;
  const double t =
      times.empty() ? 0.0 : times[static_cast<std::size_t>(std::clamp(frame < 0 ? v.frame : frame, 0, static_cast<int>(times.size()) - 1))];
  task_.start([sc, result, view, kind, map, t, frame, forward, shape](Progress& p, const Task<HeatView>::Stage&,
                                                                      const Task<HeatView>::Post& post) {
    HeatInputs in;
    in.shape = &shape;
    in.score = sc->score.get();
    in.exact = sc->exact.get();
    in.schedule = &sc->schedule;
    in.run = result.get();
    in.forward = forward;
    post(HeatView{compute_heat_map(kind, in, view, t, frame, map, &p), next_version()});
  });
}

}  // namespace hbar::app
