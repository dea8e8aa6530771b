// The run on screen: cached preview, full run, overlay, forward SDE, comparison.
#include <algorithm>
#include <atomic>
#include <chrono>

#include "tasks.hpp"

namespace hbar::app {
namespace {

// A run of the generative dynamics, from T_max (frame 0) to T_min.
RunView reverse_view(SampleResult&& r, const HSchedule& h, bool exact, const Schedule& s) {
  RunView v;
  v.result = std::make_shared<SampleResult>(std::move(r));
  v.h = h.height();
  v.schedule = h;
  v.exact = exact;
  v.mode = Mode::kReverse;
  v.t_first = s.t_max();
  v.t_last = s.t_min();
  v.version = next_version();
  return v;
}

}  // namespace

RunView full_run(const Scene& sc, const HSchedule& h, Progress* p, int threads, const RunSampler& rs) {
  SamplerConfig cfg = sampler_config(sc, h, rs);
  cfg.threads = threads;
  return reverse_view(sample_reverse(*sc.score, sc.schedule, cfg, p), h, true, sc.schedule);
}

RunView cached_run(const Scene& sc, const HSchedule& h, Progress* p, int threads, std::size_t first,
                   const RunSampler& rs) {
  SamplerConfig cfg = sampler_config(sc, h, rs);
  cfg.threads = threads;
  if (first > 0) cfg.n = std::min(cfg.n, first);
  return reverse_view(sample_reverse(*sc.cache, sc.schedule, cfg, p), h, false, sc.schedule);
}

double time_of_frame(const RunView& r, int frame) {
  if (!r.result || r.result->trajectories.times.empty()) return 0.0;
  const auto& ts = r.result->trajectories.times;
  return ts[static_cast<std::size_t>(std::clamp(frame, 0, static_cast<int>(ts.size()) - 1))];
}

std::uint64_t next_version() {
  static std::atomic<std::uint64_t> v{0};
  return ++v;
}

void RunTasks::new_scene() { run_scene_ = nullptr; }

double RunTasks::preview_fraction() const {
  if (!run_.result || run_.exact || run_.mode != Mode::kReverse || !run_scene_) return 1.0;
  const double all = run_scene_->settings.particles;
  return all > 0 ? std::min(1.0, static_cast<double>(run_.result->samples.rows()) / all) : 1.0;
}

void RunTasks::preview(const Scene& sc, const HSchedule& hs, std::size_t first) {
  const auto t0 = std::chrono::steady_clock::now();
  run_ = cached_run(sc, hs, nullptr, 0, first, run_sampler_);
  preview_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void RunTasks::update(const TaskContext& c) {
  ++frames_since_h_;
  refresh(c);
  // The preview's other particles, once h has held still for kRestFrames frames.
  if (preview_fraction() < 1 && frames_since_h_ >= kRestFrames && run_mode_ == Mode::kReverse && c.scene &&
      run_scene_ == c.scene.get())
    preview(*c.scene, run_h_, 0);
  if (due_ >= 0 && !h_moving(c.now) && c.scene) start_full(c);
  if (auto r = full_.take()) run_ = std::move(*r);
  update_compare(c);
}

void RunTasks::refresh(const TaskContext& c) {
  if (!c.scene) return;
  const Settings& s = c.settings;
  const HSchedule hs = h_schedule(s, c.scene->schedule.t_min(), c.scene->schedule.t_max());
  const RunSampler rs = run_sampler(s);
  const bool same_run = run_started_ && run_scene_ == c.scene.get() && run_h_ == hs && run_mode_ == s.mode &&
                        run_sampler_ == rs;
  if (same_run && run_overlay_ == s.overlay) return;
  if (!run_started_ || !(run_h_ == hs)) {
    h_changed_at_ = c.now;
    frames_since_h_ = 0;
  }
  run_started_ = true;
  run_scene_ = c.scene.get();
  run_h_ = hs;
  run_mode_ = s.mode;
  run_overlay_ = s.overlay;
  run_sampler_ = rs;
  const std::shared_ptr<const Scene> sc = c.scene;
  const Schedule& sch = sc->schedule;

  overlay_.clear();
  if (s.overlay && s.mode == Mode::kReverse && rs.takes_h()) {
    // The schedule's shape at each height (from the shape: at h = 0 the run's own
    // schedule is flat and has no shape left to scale).
    const HSchedule shape = h_shape(s, sch.t_min(), sch.t_max());
    for (double h : kOverlayH) {
      const HSchedule oh = shape.with_height(h);
      SamplerConfig cfg = sampler_config(*sc, oh);
      cfg.n = std::min<std::size_t>(cfg.n, kOverlayParticles);
      overlay_.push_back(reverse_view(sample_reverse(*sc->cache, sch, cfg), oh, false, sch));
    }
  }
  if (same_run && run_.result) return;

  if (s.mode == Mode::kForward) {
    // The forward SDE is exact and fast: straight to a worker.
    due_ = -1;
    full_.start([sc](Progress& p, const Task<RunView>::Stage&, const Task<RunView>::Post& post) {
      SamplerConfig cfg = sampler_config(*sc, HSchedule::constant(0.0));
      cfg.noise = nullptr;
      cfg.record_action = false;
      const Eigen::Index n = std::min<Eigen::Index>(sc->data.rows(), sc->settings.particles);
      RunView v;
      v.result = std::make_shared<SampleResult>(sample_forward(sc->data.topRows(n), sc->schedule, cfg, &p));
      v.mode = Mode::kForward;
      v.exact = true;
      v.t_first = sc->schedule.t_min();
      v.t_last = sc->schedule.t_max();
      v.version = next_version();
      post(std::move(v));
    });
    return;
  }
  // The full run of the previous h stops first: the preview gets both cores.
  full_.discard();
  compare_task_.discard();
  compare_scene_ = nullptr;
  // Preview from the cache, in this frame.
  preview(*sc, hs, kPreviewFirst);
  c.status.preview_ms.push_back(static_cast<float>(preview_ms_));
  if (c.status.preview_ms.size() > 600) c.status.preview_ms.erase(c.status.preview_ms.begin());
  // Then the real score in the background, once h has rested.
  full_h_ = hs;
  full_sampler_ = rs;
  due_ = c.now;
}

void RunTasks::start_full(const TaskContext& c) {
  due_ = -1;
  const auto sc = c.scene;
  const HSchedule h = full_h_;
  const RunSampler rs = full_sampler_;
  full_.start([sc, h, rs](Progress& p, const Task<RunView>::Stage&, const Task<RunView>::Post& post) {
    post(full_run(*sc, h, &p, 0, rs));
  });
}

void RunTasks::update_compare(const TaskContext& c) {
  if (auto r = compare_task_.take()) compare_ = std::move(*r);
  const bool want = c.settings.compare && c.scene && (c.scene->settings.learned || c.scene->settings.biased) &&
                    run_.exact && run_.mode == Mode::kReverse && run_.result;
  if (!want) {
    if (compare_scene_ || compare_.result) {
      compare_task_.discard();
      compare_ = RunView{};
      compare_scene_ = nullptr;
      compare_h_ = HSchedule{};
    }
    return;
  }
  if (compare_scene_ == c.scene.get() && compare_h_ == run_.schedule && compare_sampler_ == run_sampler_) return;
  compare_scene_ = c.scene.get();
  compare_h_ = run_.schedule;
  compare_sampler_ = run_sampler_;
  compare_ = RunView{};
  const auto sc = c.scene;
  const HSchedule h = run_.schedule;
  const RunSampler rs = run_sampler_;
  compare_task_.start([sc, h, rs](Progress& p, const Task<RunView>::Stage&, const Task<RunView>::Post& post) {
    SamplerConfig cfg = sampler_config(*sc, h, rs);
    cfg.record_action = false;  // only the main run's heat maps use it
    post(reverse_view(sample_reverse(*sc->exact, sc->schedule, cfg, &p), h, true, sc->schedule));
  });
}

}  // namespace hbar::app
