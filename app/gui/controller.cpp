#include "controller.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "hbar/atomic_file.hpp"
#include "hbar/csv.hpp"
#include "hbar/fokker_planck.hpp"
#include "hbar/likelihood.hpp"
#include "hbar/learned_score.hpp"
#include "hbar/train.hpp"
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
    case HeatKind::kLogQ0: return "log q0_t(x), the model's PF-ODE likelihood (top 30 nats)";
    case HeatKind::kWkbC: return "C(x) at T_min: d log q^h/dh at h = 0 (2-98 %, top 30 nats of q0)";
    case HeatKind::kNone: break;
  }
  return "";
}

}  // namespace

Controller::Controller(UiState& ui) : ui_(ui) {}

Controller::~Controller() {
  for (Job* j : {&scene_job_, &exact_job_, &heat_job_, &sweep_job_, &nll_job_, &train_job_, &compare_job_}) j->cancel();
}

bool Controller::idle() const {
  return !scene_job_.busy() && !exact_job_.busy() && !heat_job_.busy() && !compare_job_.busy() && scene_ &&
         exact_due_ < 0 &&
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
  for (Job* j : {&scene_job_, &exact_job_, &heat_job_, &sweep_job_, &nll_job_, &train_job_, &compare_job_}) j->reap();
  handle_requests(now);
  if (!has_applied_ || !(ui_.settings == applied_)) start_scene(ui_.settings);
  poll_scene();
  refresh_run();
  if (exact_due_ >= 0 && now >= exact_due_ && scene_) start_exact();
  poll_exact();
  update_compare();
  poll_sweep();
  if (scene_ && !sweep_done_for_scene_ && !sweep_job_.busy() && run_.exact) {
    sweep_done_for_scene_ = true;  // fill the W2(h) plot in once per scene, after the first exact run
    start_sweep();
  }
  poll_nll();
  poll_train();
  // The likelihood plot fills in once per scene, after the sweep (one core each).
  if (scene_ && sweep_done_for_scene_ && !sweep_job_.busy() && !nll_done_for_scene_ && !nll_job_.busy()) {
    nll_done_for_scene_ = true;
    start_nll();
  }
  // Live sliced W2 of the exact run on screen (a few ms, once per run).
  if (run_.exact && run_.mode == Mode::kReverse && run_.result && run_.version != live_w2_version_ && scene_) {
    live_w2_version_ = run_.version;
    ui_.live_w2 = sliced_w2_lower_bound(run_.result->samples, scene_->heldout);
    ui_.live_w2_h = run_.h;
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
  ui_.sweep_status = sweep_job_.busy() ? sweep_job_.status() : std::string();
  ui_.train_running = train_job_.busy();
  ui_.train_progress = train_job_.busy() ? train_job_.progress() : ui_.train_progress;
  if (train_job_.busy() && !train_cancelling_) ui_.train_status = train_job_.status();
  if (!train_job_.busy() && train_cancelling_) {
    train_cancelling_ = false;
    ui_.train_status = "cancelled";
  }
  ui_.nll_running = nll_job_.busy();
  ui_.sweep_pending = !scene_current() || !sweep_done_for_scene_;
  ui_.nll_pending = !scene_current() || !nll_done_for_scene_;
  ui_.nll_progress = nll_job_.progress();
  ui_.nll_status = nll_job_.busy() ? nll_job_.status() : std::string();
  ui_.picture_exact = run_.exact;
  ui_.compare_shown = compare_.result != nullptr;
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
  ui_.score_label = scene_->score->describe();
  ui_.score_kind = score_kind(scene_->settings);
  if (data_changed) ui_.load_error.clear();
  if (first || data_changed) ui_.req_reset_view = true;
  ui_.frame = 0;
  ui_.playing = true;
  frame_accum_ = 0;
  ui_.sweep.clear();
  sweep_job_.cancel();
  sweep_done_for_scene_ = false;
  ui_.nll = NllSummary{};
  nll_job_.cancel();
  nll_done_for_scene_ = false;
  ui_.live_w2 = -1;
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

void Controller::update_compare() {
  if (auto r = compare_box_.take(compare_ticket_)) {
    compare_ = std::move(*r);
    compare_.version = ++versions_;
  }
  const bool want = ui_.compare_exact && scene_ && (scene_->settings.learned || scene_->settings.biased) &&
                    run_.exact && run_.mode == Mode::kReverse && run_.result;
  if (!want) {
    if (compare_scene_ || compare_.result) {
      compare_job_.cancel();
      ++compare_ticket_;
      compare_ = RunView{};
      compare_scene_ = nullptr;
      compare_h_ = -1;
    }
    return;
  }
  if (compare_scene_ == scene_.get() && compare_h_ == run_.h) return;
  compare_scene_ = scene_.get();
  compare_h_ = run_.h;
  compare_ = RunView{};
  const auto sc = scene_;
  const double h = run_.h;
  const std::uint64_t ticket = ++compare_ticket_;
  compare_job_.start([this, sc, h, ticket](Progress& p, const Job::Status&) {
    SamplerConfig c = sampler_config(*sc, h);
    c.record_action = false;  // only the main run's heat maps use it
    compare_box_.post(ticket, reverse_view(sample_reverse(*sc->exact, sc->schedule, c, &p), h, true, sc->schedule));
  });
}

void Controller::start_heat() {
  if (ui_.heat == HeatKind::kNone || !scene_ || !run_.result) return;
  // The end-point action and C(x) at T_min do not depend on the frame; log q0_t
  // (seconds of ODE solves) follows the frame only while playback is paused.
  int frame = ui_.frame;
  if (ui_.heat == HeatKind::kEndpointAction || ui_.heat == HeatKind::kWkbC) frame = -1;
  if (ui_.heat == HeatKind::kLogQ0) {
    if (ui_.playing && heat_logq0_frame_ >= 0) frame = heat_logq0_frame_;
    heat_logq0_frame_ = frame;
  }
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
  const double t = time_of_frame(frame < 0 ? ui_.frame : frame);
  const bool forward = run_.mode == Mode::kForward;
  const std::uint64_t ticket = ++heat_ticket_;
  heat_job_.start([this, sc, run, view, kind, map, t, frame, forward, ticket](Progress& p, const Job::Status&) {
    const int nx = 160;
    const int ny = std::clamp(static_cast<int>(std::lround(nx * view.height() / view.width())), 16, 400);
    HeatView hv;
    if (kind == HeatKind::kLogDensity) {
      const double tt = std::clamp(t, sc->schedule.t_min(), sc->schedule.t_max());
      hv.grid = log_density_grid(*sc->exact, tt, view, nx, ny);
    } else if (kind == HeatKind::kLogQ0 || kind == HeatKind::kWkbC) {
      // ODE solves per cell: a coarser grid, one thread (the other core stays free).
      const int mx = 64, my = std::clamp(static_cast<int>(std::lround(mx * view.height() / view.width())), 8, 160);
      hv.grid = Grid(view, mx, my, NAN);
      Points pts(static_cast<Eigen::Index>(mx) * my, 2);
      for (int j = 0; j < my; ++j)
        for (int i = 0; i < mx; ++i) pts.row(static_cast<Eigen::Index>(j) * mx + i) = hv.grid.centre(i, j).transpose();
      LikelihoodConfig cfg;
      cfg.threads = 1;
      cfg.ode = {1e-5, 1e-7};
      try {
        if (kind == HeatKind::kLogQ0) {
          const double tt = std::clamp(t, sc->schedule.t_min(), sc->schedule.t_max());
          const Eigen::VectorXd l = log_q0_at(*sc->score, sc->schedule, pts, tt, cfg, &p);
          for (Eigen::Index k = 0; k < l.size(); ++k) hv.grid.values[static_cast<std::size_t>(k)] = l[k];
        } else {
          // Shown where the model puts its mass (log q⁰ within kLogDensitySpan of its
          // maximum): far out, log q⁰ ≈ −10⁴ and C is rounding noise of no meaning.
          const LikelihoodResult r = likelihood(*sc->score, sc->schedule, pts, FirstOrder::kExact, cfg, &p);
          const double top = r.logq0.maxCoeff();
          for (Eigen::Index k = 0; k < r.c.size(); ++k)
            if (r.logq0[k] >= top - kLogDensitySpan) hv.grid.values[static_cast<std::size_t>(k)] = r.c[k];
        }
      } catch (const Cancelled&) {
        return;
      }
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
    if (kind == HeatKind::kLogDensity || kind == HeatKind::kLogQ0) lo = std::max(lo, hi - kLogDensitySpan);
    if (kind == HeatKind::kWkbC) {
      // C spans orders of magnitude near the data: colour the 2nd … 98th percentile.
      std::vector<double> v;
      for (double x : hv.grid.values)
        if (std::isfinite(x)) v.push_back(x);
      if (!v.empty()) {
        std::sort(v.begin(), v.end());
        lo = v[v.size() * 2 / 100];
        hi = v[std::min(v.size() - 1, v.size() * 98 / 100)];
      }
    }
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
    const auto summarise = [](const std::vector<double>& w, double& mean, double& err) {
      mean = 0;
      for (double v : w) mean += v / static_cast<double>(w.size());
      double var = 0;
      for (double v : w) var += (v - mean) * (v - mean) / static_cast<double>(w.size() - 1);
      err = std::sqrt(var / static_cast<double>(w.size()));
    };
    // Pass 1: samples and the sliced bound (fast: the plot fills in quickly).
    std::vector<SweepPoint> pts;
    std::vector<std::vector<Points>> samples(kH);
    for (int k = 0; k < kH; ++k) {
      const double h = k / 10.0;
      std::vector<double> w;
      for (int trial = 0; trial < kTrials; ++trial) {
        if (p.cancelled()) return;
        status("sampling h = " + std::to_string(h).substr(0, 4));
        SamplerConfig c;
        c.h = h;
        c.n = static_cast<std::size_t>(sc->settings.particles);
        c.steps = sc->settings.steps;
        c.seed = sc->settings.seed + 1000 + static_cast<std::uint64_t>(trial);
        c.threads = 1;  // leave a core to the interactive runs
        samples[static_cast<std::size_t>(k)].push_back(sample_reverse(*sc->score, sc->schedule, c).samples);
        w.push_back(sliced_w2_lower_bound(samples[static_cast<std::size_t>(k)].back(), sc->heldout));
        p.fraction.store(0.5 * (k * kTrials + trial + 1) / (kH * kTrials));
      }
      SweepPoint s;
      s.h = h;
      s.trials = kTrials;
      summarise(w, s.mean, s.err);
      pts.push_back(s);
      sweep_box_.post(ticket, pts);
    }
    // Pass 2: exact W2 of the same samples.
    for (int k = 0; k < kH; ++k) {
      std::vector<double> w;
      for (int trial = 0; trial < kTrials; ++trial) {
        if (p.cancelled()) return;
        status("exact W2 h = " + std::to_string(k / 10.0).substr(0, 4));
        w.push_back(exact_w2(samples[static_cast<std::size_t>(k)][static_cast<std::size_t>(trial)], sc->heldout).w2);
        p.fraction.store(0.5 + 0.5 * (k * kTrials + trial + 1) / (kH * kTrials));
      }
      SweepPoint& s = pts[static_cast<std::size_t>(k)];
      summarise(w, s.exact_mean, s.exact_err);
      s.has_exact = true;
      sweep_box_.post(ticket, pts);
    }
  });
}

void Controller::start_nll() {
  if (!scene_) return;
  const auto sc = scene_;
  const std::uint64_t ticket = ++nll_ticket_;
  ui_.nll = NllSummary{};
  const int cells = std::max(16, ui_.nll_grid_cells);
  nll_job_.start([this, sc, ticket, cells](Progress& p, const Job::Status& status) {
    const Points eval = sc->heldout.topRows(std::min<Eigen::Index>(kNllPoints, sc->heldout.rows()));
    NllSummary out;
    out.points = static_cast<int>(eval.rows());
    LikelihoodConfig cfg;
    cfg.threads = 1;
    // Two stages, each reporting 0 … 1 in the job's progress; the status names them.
    try {
      status("NLL 1/2: PF ODE and first order");
      const LikelihoodResult r = likelihood(*sc->score, sc->schedule, eval, FirstOrder::kExact, cfg, &p);
      const double n = static_cast<double>(eval.rows());
      const auto sem = [n](const Eigen::VectorXd& v) {
        return std::sqrt((v.array() - v.mean()).square().sum() / (n - 1) / n);
      };
      out.nll0 = -r.logq0.mean();
      out.nll0_sem = sem(r.logq0);
      out.corr = -r.c.mean();
      out.corr_sem = sem(r.c);
      out.has_first = true;
      nll_box_.post(ticket, out);

      status("NLL 2/2: Fokker-Planck grid");
      FokkerPlanckConfig fc;
      fc.cells = cells;
      fc.threads = 1;
      fc.data_radius = std::max(sc->data.cwiseAbs().maxCoeff(), eval.cwiseAbs().maxCoeff());
      const std::vector<double> hs(std::begin(kNllExactH), std::end(kNllExactH));
      const FokkerPlanckResult fp = solve_fokker_planck(*sc->score, sc->schedule, hs, eval, fc, &p);
      out.exact_h = hs;
      for (std::size_t q = 0; q < hs.size(); ++q) out.exact_nll.push_back(-fp.logq.col(static_cast<Eigen::Index>(q)).mean());
      out.grid_error = (fp.logq.col(0) - r.logq0).cwiseAbs().mean();  // hs[0] = 0
      out.grid_cells = fc.cells;
      out.has_exact = true;
      nll_box_.post(ticket, out);
    } catch (const Cancelled&) {
      return;
    }
  });
}

void Controller::start_train() {
  if (!scene_) return;
  const auto sc = scene_;
  const std::uint64_t ticket = ++train_ticket_;
  TrainConfig cfg;
  cfg.shape = {std::max(1, ui_.train_width), std::max(1, ui_.train_depth)};
  cfg.seed = sc->settings.seed;
  cfg.threads = 1;  // leave a core to the interactive runs
  const long steps = std::max(1, ui_.train_steps);
  const std::string path = export_path(ui_, "_model.hbm");
  ui_.train_step.clear();
  ui_.train_loss.clear();
  ui_.train_floor = -1;
  ui_.train_eval_step.clear();
  ui_.train_eval_loss.clear();
  ui_.plot_training = true;
  ui_.trained_width = cfg.shape.width;
  ui_.trained_depth = cfg.shape.depth;
  train_cancelling_ = false;
  ui_.train_status = "starting";
  ui_.train_paused = false;
  train_pause_->store(false);
  const auto pause = train_pause_;
  train_job_.start([this, sc, ticket, cfg, steps, path, pause](Progress& p, const Job::Status& status) {
    TrainUpdate u;
    try {
      ScoreTrainer tr(sc->data, sc->schedule, cfg);
      // The floor: the exact score's loss on the same evaluation batches (DSM differs
      // from the score error by a constant, so a perfect network ends here).
      status("loss of the exact score (the floor)");
      u.floor = tr.evaluation_loss_of(*sc->exact);
      double acc = 0;
      int acc_n = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (long k = 1; k <= steps; ++k) {
        while (pause->load() && !p.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(30));
        if (p.cancelled()) return;
        acc += tr.step();
        ++acc_n;
        // The evaluation loss uses the floor's draws: their difference estimates the
        // network's g²-weighted score error (exactly so in expectation).
        if (k % 500 == 0 || k == steps) {
          u.eval_step.push_back(static_cast<double>(k));
          u.eval_loss.push_back(tr.evaluation_loss());
        }
        if (k % 100 == 0 || k == steps) {
          u.step.push_back(static_cast<double>(k));
          u.loss.push_back(acc / acc_n);
          acc = 0;
          acc_n = 0;
          const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          char buf[96];
          std::snprintf(buf, sizeof buf, "step %ld/%ld, %.0f steps/s, loss %.3f", k, steps, k / el, u.loss.back());
          status(buf);
          p.fraction.store(static_cast<double>(k) / static_cast<double>(steps));
          train_box_.post(ticket, u);
        }
      }
      ModelInfo info;
      info.schedule = sc->schedule.name();
      info.data = sc->label;
      info.steps = steps;
      info.final_loss = u.eval_loss.back();  // evaluated at k == steps above
      info.batch = cfg.batch;
      info.lr = cfg.lr;
      info.seed = cfg.seed;
      save_model(path, tr.net(), info);
      u.model_path = path;
    } catch (const std::exception& e) {
      u.error = e.what();
    }
    u.finished = true;
    train_box_.post(ticket, u);
  });
}

void Controller::poll_train() {
  auto r = train_box_.take(train_ticket_);
  if (!r) return;
  ui_.train_step = std::move(r->step);
  ui_.train_loss = std::move(r->loss);
  ui_.train_floor = r->floor;
  ui_.train_eval_step = std::move(r->eval_step);
  ui_.train_eval_loss = std::move(r->eval_loss);
  if (!r->finished) return;
  if (!r->error.empty()) {
    ui_.train_status = "failed: " + r->error;
    toast("Training failed: " + r->error, now_);
    return;
  }
  ui_.train_status = "done: " + r->model_path;
  std::snprintf(ui_.model_path_edit, sizeof ui_.model_path_edit, "%s", r->model_path.c_str());
  toast("Model saved " + r->model_path + " (choose 'learned' to use it)", now_);
}

void Controller::poll_nll() {
  if (auto r = nll_box_.take(nll_ticket_)) ui_.nll = std::move(*r);
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
  if (ui_.req_nll) {
    ui_.req_nll = false;
    nll_done_for_scene_ = true;
    start_nll();
  }
  // Training waits for the scene of the current settings (it trains on its data).
  if (ui_.req_train && scene_current() && !scene_job_.busy()) {
    ui_.req_train = false;
    start_train();
  } else if (ui_.req_train) {
    ui_.train_status = "waiting for the scene";
  }
  if (ui_.req_pause_train) {
    ui_.req_pause_train = false;
    ui_.train_paused = !ui_.train_paused;
    train_pause_->store(ui_.train_paused);
  }
  if (ui_.req_cancel_train) {
    ui_.req_cancel_train = false;
    train_cancelling_ = train_job_.busy();
    train_job_.cancel();
    ui_.train_paused = false;
    train_pause_->store(false);
    ui_.train_status = train_cancelling_ ? "cancelling" : "cancelled";
  }
  if (ui_.req_cancel_nll) {
    ui_.req_cancel_nll = false;
    nll_job_.cancel();
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
    Curve c{"W2: sliced bound sqrt(2 SW2^2)", {}, {}, {}, 0xff4cc2ff};
    Curve e{"W2: exact (network simplex)", {}, {}, {}, 0xff6fe07a};
    for (const auto& p : ui_.sweep) {
      c.x.push_back(p.h);
      c.y.push_back(p.mean);
      c.err.push_back(p.err);
      if (!p.has_exact) continue;
      e.x.push_back(p.h);
      e.y.push_back(p.exact_mean);
      e.err.push_back(p.exact_err);
    }
    out.push_back(std::move(c));
    if (!e.x.empty()) out.push_back(std::move(e));
  }
  if (ui_.live_w2 >= 0) out.push_back({"W2: this run (sliced bound)", {ui_.live_w2_h}, {ui_.live_w2}, {}, 0xffffffff});
  const NllSummary& n = ui_.nll;
  if (n.has_first) {
    Curve z{"NLL: h = 0, PF ODE", {0.0}, {n.nll0}, {n.nll0_sem}, 0xff6fd3ff};
    // The tangent over h ≤ 0.2, shortened to move at most 2 nats (C can be large).
    const double ht = std::min(0.2, 2.0 / std::max(std::abs(n.corr), 1e-12));
    Curve t{"NLL: tangent NLL(0) - h C", {0.0, ht}, {n.nll0, n.nll0 + ht * n.corr}, {}, 0xffff9f4c};
    out.push_back(std::move(z));
    out.push_back(std::move(t));
  }
  if (n.has_exact) {
    char label[160];
    std::snprintf(label, sizeof label, "NLL: exact, grid %d^2 (off by %.2g at h = 0)", n.grid_cells,
                  n.grid_error);
    Curve e{label, n.exact_h, {}, {}, 0xff6fe07a};
    for (double v : n.exact_nll) e.y.push_back(v);
    out.push_back(std::move(e));
  }
  if (!ui_.train_loss.empty()) {
    out.push_back({"training: DSM loss, mean of 100 steps", ui_.train_step, ui_.train_loss, {}, 0xff6fd3ff});
    if (!ui_.train_eval_loss.empty())
      out.push_back({"training: evaluation loss, 4096 fixed draws", ui_.train_eval_step, ui_.train_eval_loss, {},
                     0xffff9f4c});
    if (ui_.train_floor >= 0)
      out.push_back({"training: exact score's loss on those draws (the floor)",
                     {ui_.train_step.front(), ui_.train_step.back()},
                     {ui_.train_floor, ui_.train_floor}, {}, 0xff6fe07a});
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
