// The W2(h) plot: core's w2_sweep with the protocol of hbar-cli sweep (trial k uses
// seed + k and held-out draw k), so the app's curve equals
// `hbar-cli sweep --session S --h 0:1:11 --trials 3` number for number.
#include "hbar/transport/sweep.hpp"
#include "tasks.hpp"

namespace hbar::app {

void SweepTask::new_scene() {
  task_.discard();
  done_for_scene_ = false;
}

HSchedule ShapeWatch::current(const TaskContext& c) {
  if (!c.scene) return HSchedule::constant(1.0);
  return h_shape(c.settings, c.scene->schedule.t_min(), c.scene->schedule.t_max());
}

bool ShapeWatch::due(const TaskContext& c) {
  const HSchedule now = current(c);
  if (!(now == seen_)) {
    seen_ = now;
    changed_at_ = c.now;
  }
  return !(now == used_) && c.now - changed_at_ >= kShapeRest;
}

void SweepTask::update(const TaskContext& c, bool full_run_on_screen) {
  if (auto r = task_.take()) c.status.sweep = std::move(*r);
  if (done_for_scene_ && c.scene_current && shape_.due(c)) {  // h(t) changed: sweep its heights again
    task_.discard();
    done_for_scene_ = false;
  }
  // Filled in once per scene, after its first full run.
  if (c.scene && c.scene_current && !done_for_scene_ && !task_.busy() && full_run_on_screen) start(c);
}

void SweepTask::start(const TaskContext& c) {
  if (!c.scene) return;
  done_for_scene_ = true;
  c.status.sweep.clear();
  const auto sc = c.scene;
  shape_.used(c);
  const HSchedule shape = ShapeWatch::current(c);
  task_.start([sc, shape](Progress& p, const Task<std::vector<SweepPoint>>::Stage& stage,
                   const Task<std::vector<SweepPoint>>::Post& post) {
    SweepConfig cfg;
    for (int k = 0; k < kH; ++k) cfg.h.push_back(static_cast<double>(k) / (kH - 1));
    cfg.shape = shape;
    cfg.trials = kTrials;
    cfg.n = static_cast<std::size_t>(sc->settings.particles);
    cfg.steps = sc->settings.steps;
    cfg.seed = sc->settings.seed;
    cfg.method = W2Method::kExact;
    cfg.sliced_too = true;
    cfg.threads = 1;  // the other core stays with the interactive runs
    const auto heldout = sweep_heldout(sc->data_name, cfg.n, sc->settings.data_seed,
                                       sc->data_name.empty() ? sc->heldout : Points());
    std::vector<SweepPoint> pts;
    stage("W2 at h = 0");
    w2_sweep(*sc->score, sc->schedule, cfg, heldout, &p, [&](const SweepRow& r) {
      SweepPoint s;
      s.h = r.h;
      s.trials = kTrials;
      s.mean = r.sliced_mean;
      s.err = r.sliced_sem;
      s.has_exact = true;
      s.exact_mean = r.w2_mean;
      s.exact_err = r.w2_sem;
      pts.push_back(s);
      post(pts);
      char buf[64];
      std::snprintf(buf, sizeof buf, "W2 at h = %.1f", std::min(1.0, r.h + 1.0 / (kH - 1)));
      stage(buf);
    });
  });
}

}  // namespace hbar::app
