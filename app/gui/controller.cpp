#include "controller.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "hbar/atomic_file.hpp"
#include "hbar/csv.hpp"
#include "hbar/toy1d.hpp"
#include "hbar/transport.hpp"

namespace hbar::app {
namespace {

// Frames of a stride-1 run thinned to about `target` frames (plus the last).
Trajectories thin(const Trajectories& t, int target) {
  const int steps = static_cast<int>(t.frames.size()) - 1;
  const int every = std::max(1, steps / std::max(target, 1));
  Trajectories out;
  for (int k = 0; k <= steps; k += every) {
    out.steps.push_back(t.steps[static_cast<std::size_t>(k)]);
    out.times.push_back(t.times[static_cast<std::size_t>(k)]);
    out.frames.push_back(t.frames[static_cast<std::size_t>(k)]);
  }
  if (out.steps.back() != t.steps.back()) {
    out.steps.push_back(t.steps.back());
    out.times.push_back(t.times.back());
    out.frames.push_back(t.frames.back());
  }
  return out;
}

// A run of the generative dynamics, from T_max (frame 0) to T_min.
RunView reverse_view(SampleResult&& r, double h, bool exact, const Schedule& s) {
  RunView v;
  v.result = std::make_shared<SampleResult>(std::move(r));
  v.h = h;
  v.exact = exact;
  v.mode = Mode::kReverse;
  v.t_first = s.t_max();
  v.t_last = s.t_min();
  return v;
}

std::string heat_name(HeatKind k) {
  switch (k) {
    case HeatKind::kPathAction: return "path action density";
    case HeatKind::kEndpointAction: return "end-point action S[x]";
    case HeatKind::kLogDensity: return "log p_t(x), exact law (top 30 nats)";
    case HeatKind::kNone: break;
  }
  return "";
}

}  // namespace

Controller::Controller(UiState& ui) : ui_(ui) {}

Controller::~Controller() {
  for (Job* j : {&scene_job_, &exact_job_, &heat_job_, &sweep_job_}) j->cancel();
}

bool Controller::idle() const {
  return !scene_job_.busy() && !exact_job_.busy() && !heat_job_.busy() && scene_ && exact_due_ < 0 &&
         ui_.settings == applied_ && run_.result != nullptr;
}

double Controller::time_of_frame(int frame) const {
  if (!run_.result || run_.result->trajectories.times.empty()) return 0.0;
  const auto& ts = run_.result->trajectories.times;
  return ts[static_cast<std::size_t>(std::clamp(frame, 0, static_cast<int>(ts.size()) - 1))];
}

void Controller::toast(const std::string& msg, double now) {
  ui_.toast = msg;
  ui_.toast_until = now + 4.0;
}

void Controller::frame(double now, double dt) {
  now_ = now;
  for (Job* j : {&scene_job_, &exact_job_, &heat_job_, &sweep_job_}) j->reap();
  handle_requests(now);
  if (!has_applied_ || !(ui_.settings == applied_)) start_scene(ui_.settings);
  poll_scene();
  refresh_run();
  if (exact_due_ >= 0 && now >= exact_due_ && scene_) start_exact();
  poll_exact();
  poll_sweep();
  if (scene_ && !sweep_done_for_scene_ && !sweep_job_.busy() && run_.exact) {
    sweep_done_for_scene_ = true;  // fill the W2(h) plot in once per scene, after the first exact run
    start_sweep();
  }

  // Playback.
  if (run_.result) {
    const int last = static_cast<int>(run_.result->trajectories.frames.size()) - 1;
    ui_.run_steps = last;
    if (ui_.playing) {
      frame_accum_ += dt * 60.0 * ui_.speed * std::max(1, last / 300);
      const int adv = static_cast<int>(frame_accum_);
      frame_accum_ -= adv;
      ui_.frame += adv;
      if (ui_.frame >= last) {
        if (ui_.loop) {
          ui_.frame = 0;
        } else {
          ui_.frame = last;
          ui_.playing = false;
        }
      }
    }
    ui_.frame = std::clamp(ui_.frame, 0, last);
  }

  start_heat();
  poll_heat();

  // Drift arrows at the current time (cheap: a 24 × 24 grid).
  if (ui_.arrows && scene_ && run_.result) {
    const double t = time_of_frame(ui_.frame);
    char key[160];
    std::snprintf(key, sizeof key, "%p %.6f %.4f %.4f %.4f %.4f", static_cast<const void*>(scene_.get()), t,
                  ui_.view.xmin, ui_.view.xmax, ui_.view.ymin, ui_.view.ymax);
    if (arrows_key_ != key) {
      arrows_key_ = key;
      const Schedule& sch = scene_->schedule;
      const double tt = std::clamp(t, sch.t_min(), sch.t_max());
      arrows_ = drift_field(*scene_->score, sch, tt, ui_.view, 24, 24);
    }
  }

  ui_.scene_busy = scene_job_.busy();
  ui_.scene_progress = scene_job_.busy() ? scene_job_.progress() : 1.0;
  ui_.scene_status = scene_job_.busy() ? scene_job_.status() : std::string();
  ui_.exact_busy = exact_job_.busy();
  ui_.exact_progress = exact_job_.busy() ? exact_job_.progress() : 1.0;
  ui_.sweep_running = sweep_job_.busy();
  ui_.sweep_progress = sweep_job_.progress();
  ui_.picture_exact = run_.exact;
  ui_.run_t_first = run_.t_first;
  ui_.run_t_last = run_.t_last;
}

void Controller::start_scene(const SceneSettings& s) {
  applied_ = s;
  has_applied_ = true;
  const std::uint64_t ticket = ++scene_ticket_;
  scene_job_.start([this, s, ticket](Progress& p, const Job::Status& status) {
    SceneResult r;
    try {
      r.scene = build_scene(s, p, status);
    } catch (const Cancelled&) {
      return;
    } catch (const std::exception& e) {
      r.error = e.what();
    }
    scene_box_.post(ticket, std::move(r));
  });
}

void Controller::poll_scene() {
  auto r = scene_box_.take(scene_ticket_);
  if (!r) return;
  if (!r->error.empty()) {
    // A failed load or bad setting keeps the previous scene and its settings.
    ui_.load_error = r->error;
    toast("Load failed: " + r->error, now_);
    if (scene_) {
      ui_.settings = scene_->settings;
      applied_ = scene_->settings;
    } else {
      ui_.settings = SceneSettings{};
      has_applied_ = false;
    }
    return;
  }
  const bool first = !scene_;
  const bool data_changed = !scene_ || scene_->label != r->scene->label ||
                            scene_->settings.data_file != r->scene->settings.data_file;
  scene_ = r->scene;
  ui_.scene_label = scene_->label;
  if (data_changed) ui_.load_error.clear();
  if (first || data_changed) ui_.req_reset_view = true;
  ui_.frame = 0;
  ui_.playing = true;
  frame_accum_ = 0;
  ui_.sweep.clear();
  sweep_job_.cancel();
  sweep_done_for_scene_ = false;
  run_scene_ = nullptr;  // forces a new run
}

void Controller::refresh_run() {
  if (!scene_) return;
  const bool same = run_scene_ == scene_.get() && run_h_ == ui_.h && run_mode_ == ui_.mode &&
                    run_overlay_ == ui_.overlay && run_overlay_h_ == ui_.overlay_h;
  if (same) return;
  const bool only_overlay = run_scene_ == scene_.get() && run_h_ == ui_.h && run_mode_ == ui_.mode;
  run_scene_ = scene_.get();
  run_h_ = ui_.h;
  run_mode_ = ui_.mode;
  run_overlay_ = ui_.overlay;
  run_overlay_h_ = ui_.overlay_h;
  const std::shared_ptr<const Scene> sc = scene_;
  const Schedule& sch = sc->schedule;

  overlay_.clear();
  if (ui_.overlay && ui_.mode == Mode::kReverse) {
    for (double h : ui_.overlay_h) {
      SamplerConfig c = sampler_config(*sc, h);
      c.n = std::min<std::size_t>(c.n, kOverlayParticles);
      RunView v = reverse_view(sample_reverse(*sc->cache, sch, c), h, false, sch);
      v.version = ++versions_;
      overlay_.push_back(std::move(v));
    }
  }
  if (only_overlay && run_.result) return;

  const std::uint64_t ticket = ++exact_ticket_;
  if (ui_.mode == Mode::kForward) {
    // The forward SDE is exact and fast: straight to a worker.
    exact_job_.start([this, sc, ticket](Progress& p, const Job::Status&) {
      SamplerConfig c = sampler_config(*sc, 0.0);
      c.noise = nullptr;
      c.record_action = false;
      const Eigen::Index n = std::min<Eigen::Index>(sc->data.rows(), sc->settings.particles);
      RunView v;
      v.result = std::make_shared<SampleResult>(sample_forward(sc->data.topRows(n), sc->schedule, c, &p));
      v.mode = Mode::kForward;
      v.exact = true;
      v.t_first = sc->schedule.t_min();
      v.t_last = sc->schedule.t_max();
      exact_box_.post(ticket, std::move(v));
    });
    return;
  }
  // Preview from the cache, in this frame.
  const auto t0 = std::chrono::steady_clock::now();
  RunView v = reverse_view(sample_reverse(*sc->cache, sch, sampler_config(*sc, ui_.h)), ui_.h, false, sch);
  preview_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  v.version = ++versions_;
  run_ = std::move(v);
  // Then the exact score in the background, once h has rested.
  exact_job_.cancel();
  exact_h_ = ui_.h;
  exact_due_ = now_ + kExactDelay;
}

void Controller::start_exact() {
  exact_due_ = -1;
  const auto sc = scene_;
  const double h = exact_h_;
  const std::uint64_t ticket = exact_ticket_;
  exact_job_.start([this, sc, h, ticket](Progress& p, const Job::Status&) {
    exact_box_.post(ticket, reverse_view(sample_reverse(*sc->score, sc->schedule, sampler_config(*sc, h), &p), h,
                                         true, sc->schedule));
  });
}

void Controller::poll_exact() {
  auto r = exact_box_.take(exact_ticket_);
  if (!r) return;
  run_ = std::move(*r);
  run_.version = ++versions_;
}

void Controller::start_heat() {
  if (ui_.heat == HeatKind::kNone || !scene_ || !run_.result) return;
  const int frame = ui_.heat == HeatKind::kEndpointAction ? -1 : ui_.frame;
  char key[256];
  std::snprintf(key, sizeof key, "%d %d %d %llu %.5f %.5f %.5f %.5f %d", static_cast<int>(ui_.heat),
                static_cast<int>(ui_.heat_map), frame, static_cast<unsigned long long>(run_.version),
                ui_.view.xmin, ui_.view.xmax, ui_.view.ymin, ui_.view.ymax, static_cast<int>(run_.mode));
  if (heat_key_ == key) return;
  heat_key_ = key;
  const auto sc = scene_;
  const auto run = run_.result;
  const Box view = ui_.view;
  const HeatKind kind = ui_.heat;
  const Colormap map = ui_.heat_map;
  const double t = time_of_frame(ui_.frame);
  const bool forward = run_.mode == Mode::kForward;
  const std::uint64_t ticket = ++heat_ticket_;
  heat_job_.start([this, sc, run, view, kind, map, t, frame, forward, ticket](Progress&, const Job::Status&) {
    const int nx = 160;
    const int ny = std::clamp(static_cast<int>(std::lround(nx * view.height() / view.width())), 16, 400);
    HeatView hv;
    if (kind == HeatKind::kLogDensity) {
      const double tt = std::clamp(t, sc->schedule.t_min(), sc->schedule.t_max());
      hv.grid = log_density_grid(*sc->exact, tt, view, nx, ny);
    } else if (forward) {
      hv.grid = Grid(view, nx, ny, NAN);  // actions are defined for the generative dynamics
    } else if (kind == HeatKind::kPathAction) {
      hv.grid = path_action_density(run->trajectories, run->action_increments,
                                    static_cast<std::size_t>(run->samples.rows()), 0, frame, view, nx, ny);
    } else {
      hv.grid = endpoint_action(run->samples, run->action, view, nx, ny);
    }
    auto [lo, hi] = hv.grid.range();
    // log p_t falls like −|x|²/2τ² away from the data: show the top kLogDensitySpan nats.
    if (kind == HeatKind::kLogDensity) lo = std::max(lo, hi - kLogDensitySpan);
    hv.lo = lo;
    hv.hi = hi;
    hv.rgba = grid_to_rgba(hv.grid, map, lo, hi, 255);
    heat_box_.post(ticket, std::move(hv));
  });
}

void Controller::poll_heat() {
  auto r = heat_box_.take(heat_ticket_);
  if (!r) return;
  heat_ = std::move(*r);
  heat_.version = ++versions_;
  ui_.heat_lo = heat_.lo;
  ui_.heat_hi = heat_.hi;
  ui_.heat_label = heat_name(ui_.heat);
}

void Controller::start_sweep() {
  if (!scene_) return;
  const auto sc = scene_;
  const std::uint64_t ticket = ++sweep_ticket_;
  ui_.sweep.clear();
  sweep_job_.start([this, sc, ticket](Progress& p, const Job::Status& status) {
    constexpr int kH = 11, kTrials = 3;
    std::vector<SweepPoint> pts;
    for (int k = 0; k < kH; ++k) {
      const double h = k / 10.0;
      std::vector<double> w;
      for (int trial = 0; trial < kTrials; ++trial) {
        if (p.cancelled()) return;
        status("h = " + std::to_string(h).substr(0, 4));
        SamplerConfig c;
        c.h = h;
        c.n = static_cast<std::size_t>(sc->settings.particles);
        c.steps = sc->settings.steps;
        c.seed = sc->settings.seed + 1000 + static_cast<std::uint64_t>(trial);
        c.threads = 1;  // leave a core to the interactive runs
        const Points x = sample_reverse(*sc->score, sc->schedule, c).samples;
        w.push_back(sliced_w2_lower_bound(x, sc->heldout));
        p.fraction.store(static_cast<double>(k * kTrials + trial + 1) / (kH * kTrials));
      }
      SweepPoint s;
      s.h = h;
      s.trials = kTrials;
      for (double v : w) s.mean += v / kTrials;
      double var = 0;
      for (double v : w) var += (v - s.mean) * (v - s.mean) / (kTrials - 1);
      s.err = std::sqrt(var / kTrials);
      pts.push_back(s);
      sweep_box_.post(ticket, pts);
    }
  });
}

void Controller::poll_sweep() {
  if (auto r = sweep_box_.take(sweep_ticket_)) ui_.sweep = std::move(*r);
}

void Controller::handle_requests(double now) {
  if (ui_.req_load) {
    ui_.req_load = false;
    ui_.settings.data_file = ui_.data_path;
  }
  if (ui_.req_sweep) {
    ui_.req_sweep = false;
    start_sweep();
  }
  if (ui_.req_cancel_sweep) {
    ui_.req_cancel_sweep = false;
    sweep_job_.cancel();
  }
  const auto run_export = [&](bool& flag, const char* suffix, auto fn) {
    if (!flag) return;
    flag = false;
    try {
      toast("Saved " + (this->*fn)(export_path(ui_, suffix)), now);
    } catch (const std::exception& e) {
      toast(std::string("Export failed: ") + e.what(), now);
    }
  };
  run_export(ui_.req_export_samples, "_samples.csv", &Controller::export_samples);
  run_export(ui_.req_export_trajectories, "_trajectories.csv", &Controller::export_trajectories);
  run_export(ui_.req_export_heatmap, "_heatmap.csv", &Controller::export_heatmap);
  run_export(ui_.req_export_curves, "_curves.csv", &Controller::export_curves);
}

std::string Controller::export_samples(const std::string& path) const {
  if (!run_.result) throw std::runtime_error("no run yet");
  write_points_csv(path, run_.result->samples);
  return path;
}

std::string Controller::export_trajectories(const std::string& path) const {
  if (!run_.result) throw std::runtime_error("no run yet");
  write_trajectories_csv(path, thin(run_.result->trajectories, 100));
  return path;
}

std::string Controller::export_heatmap(const std::string& path) const {
  if (heat_.grid.values.empty()) throw std::runtime_error("no heat map on screen");
  write_grid_csv(path, heat_.grid);
  return path;
}

std::vector<Curve> Controller::curves() const {
  std::vector<Curve> out;
  if (!ui_.sweep.empty()) {
    Curve c{"sliced W2 (lower bound) vs held-out", {}, {}, {}, 0xff4cc2ff};
    for (const auto& p : ui_.sweep) {
      c.x.push_back(p.h);
      c.y.push_back(p.mean);
      c.err.push_back(p.err);
    }
    out.push_back(std::move(c));
  }
  Toy1d toy;
  toy.eps = ui_.toy_eps;
  Curve nll{"toy 1-D: NLL(h), exact", {}, {}, {}, 0xff6fd3ff};
  Curve w2{"toy 1-D: W2(h), exact", {}, {}, {}, 0xffff9f4c};
  for (int k = 0; k <= 50; ++k) {
    const double h = k / 50.0;
    nll.x.push_back(h);
    nll.y.push_back(toy.nll(h));
    w2.x.push_back(h);
    w2.y.push_back(toy.w2(h));
  }
  out.push_back(std::move(nll));
  out.push_back(std::move(w2));
  return out;
}

std::string Controller::export_curves(const std::string& path) const {
  const auto cs = curves();
  write_file_atomic(path, [&](std::ostream& o) {
    o << "series,x,y,err\n";
    char buf[160];
    for (const auto& c : cs)
      for (std::size_t i = 0; i < c.x.size(); ++i) {
        std::snprintf(buf, sizeof buf, "\"%s\",%.17g,%.17g,%.17g\n", c.label.c_str(), c.x[i], c.y[i],
                      c.err.empty() ? 0.0 : c.err[i]);
        o << buf;
      }
  });
  return path;
}

}  // namespace hbar::app
