// The W2(h) plot: core's w2_sweep with the protocol of hbar-cli sweep (trial k uses
// seed + k and held-out draw k), so the app's curve equals
// `hbar-cli sweep --session S --h 0:1:11 --trials 3` number for number.
#include "hbar/transport/sweep.hpp"
#include "tasks.hpp"

namespace hbar::app {

void SweepTask::new_scene(Status& st, double now) {
  if (seen_scene_) st.curves_since = now;  // the first scene counts from the start
  seen_scene_ = true;
  st.first_w2_s = st.first_nll_s = -1;
  task_.discard();
  running_.reset();
  done_for_scene_ = false;
  if (st.sweep.size() == static_cast<std::size_t>(kH)) st.sweep_previous = st.sweep;
  st.sweep.clear();
  st.sweep_quick.clear();
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

bool SweepTask::from_cache(const TaskContext& c) {
  const HSchedule shape = ShapeWatch::current(c);
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (!(it->scene == c.scene->settings) || !(it->shape == shape)) continue;
    Cached hit = std::move(*it);
    cache_.erase(it);
    c.status.sweep = hit.points;
    c.status.sweep_quick.clear();
    c.status.sweep_previous.clear();
    cache_.push_front(std::move(hit));
    shape_.used(c);
    done_for_scene_ = true;
    return true;
  }
  return false;
}

void SweepTask::update(const TaskContext& c, bool full_run_on_screen) {
  if (auto r = task_.take()) {
    c.status.sweep_quick = std::move(r->quick);
    c.status.sweep = std::move(r->full);
    if (c.status.sweep.size() == static_cast<std::size_t>(kH) && running_) {
      // Complete: remembered for its scene and shape; the previous curve has done its part.
      c.status.sweep_previous.clear();
      running_->points = c.status.sweep;
      cache_.push_front(std::move(*running_));
      running_.reset();
      if (cache_.size() > kCacheSize) cache_.pop_back();
    }
  }
  const auto curve_of = [](const std::vector<SweepPoint>& v) { return v.size() >= static_cast<std::size_t>(kQuickH); };
  if (c.status.first_w2_s < 0 && (curve_of(c.status.sweep_quick) || curve_of(c.status.sweep)))
    c.status.first_w2_s = c.now - c.status.curves_since;
  if (done_for_scene_ && c.scene_current && shape_.due(c)) {  // h(t) changed: sweep its heights again
    task_.discard();
    running_.reset();
    done_for_scene_ = false;
    if (c.status.sweep.size() == static_cast<std::size_t>(kH)) c.status.sweep_previous = c.status.sweep;
    c.status.sweep.clear();
    c.status.sweep_quick.clear();
  }
  // Filled in once per scene (at once from the cache, else after its first full run).
  if (c.scene && c.scene_current && !done_for_scene_ && !task_.busy()) {
    if (from_cache(c)) return;
    if (full_run_on_screen) start(c);
  }
}

void SweepTask::start(const TaskContext& c) {
  if (!c.scene) return;
  done_for_scene_ = true;
  c.status.sweep.clear();
  c.status.sweep_quick.clear();
  const auto sc = c.scene;
  shape_.used(c);
  const HSchedule shape = ShapeWatch::current(c);
  running_ = Cached{sc->settings, shape, {}};
  task_.start([sc, shape](Progress& p, const Task<SweepCurves>::Stage& stage, const Task<SweepCurves>::Post& post) {
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
    const Points fixed = sc->data_name.empty() ? sc->heldout : Points();
    SweepCurves out;
    const auto point = [](const SweepRow& r, int trials) {
      SweepPoint s;
      s.h = r.h;
      s.trials = trials;
      s.mean = r.sliced_mean;
      s.err = r.sliced_sem;
      s.has_exact = true;
      s.exact_mean = r.w2_mean;
      s.exact_err = r.w2_sem;
      return s;
    };
    // The quick pass: a first curve within seconds (its label says how it was made).
    SweepConfig quick = cfg;
    quick.h.clear();
    for (int k = 0; k < kQuickH; ++k) quick.h.push_back(static_cast<double>(k) / (kQuickH - 1));
    quick.trials = kQuickTrials;
    quick.n = std::min<std::size_t>(cfg.n, kQuickParticles);
    quick.steps = std::min(cfg.steps, kQuickSteps);
    const Points quick_fixed = fixed.topRows(std::min<Eigen::Index>(fixed.rows(), kQuickParticles));
    stage("W2 quick pass");
    w2_sweep(*sc->score, sc->schedule, quick, sweep_heldout(sc->data_name, quick.n, sc->settings.data_seed, quick_fixed),
             &p, [&](const SweepRow& r) {
               SweepPoint q = point(r, kQuickTrials);
               q.quick_n = static_cast<int>(quick.n);
               q.quick_steps = quick.steps;
               out.quick.push_back(q);
               post(out);
             });
    // The full protocol, the CLI's: `hbar-cli sweep --session S --h 0:1:11 --trials 3`.
    const auto heldout = sweep_heldout(sc->data_name, cfg.n, sc->settings.data_seed, fixed);
    stage("W2 at h = 0");
    w2_sweep(*sc->score, sc->schedule, cfg, heldout, &p, [&](const SweepRow& r) {
      out.full.push_back(point(r, kTrials));
      post(out);
      char buf[64];
      std::snprintf(buf, sizeof buf, "W2 at h = %.1f", std::min(1.0, r.h + 1.0 / (kH - 1)));
      stage(buf);
    });
  });
}

}  // namespace hbar::app
