#include "controller.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "hbar/io/output.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/transport/transport.hpp"
#include "panels/panels.hpp"
#include "session.hpp"
#include "tasks/autosave_feature.hpp"
#include "tasks/export_feature.hpp"
#include "tasks/scene_feature.hpp"
#include "tasks/session_feature.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

// Frames of a stride-1 run thinned to about `target` frames (plus the last).
Trajectories thin(const Trajectories& t, int target) {
  const int steps = static_cast<int>(t.frames.size()) - 1;
  const int every = std::max(1, steps / std::max(target, 1));
  Trajectories out;
  const auto keep = [&](int k) {
    out.steps.push_back(t.steps[static_cast<std::size_t>(k)]);
    out.times.push_back(t.times[static_cast<std::size_t>(k)]);
    out.frames.push_back(t.frames[static_cast<std::size_t>(k)]);
  };
  for (int k = 0; k <= steps; k += every) keep(k);
  if (out.steps.back() != t.steps.back()) keep(steps);
  return out;
}

constexpr int kExportedFrames = 100;  // trajectories CSV: about this many frames
constexpr double kToastSeconds = 5.0;

}  // namespace

const RunView Controller::kNoRun{};
const std::vector<RunView> Controller::kNoRuns{};

Controller::Controller(UiState& ui) : ui_(ui) {}

Controller::~Controller() {
  for (const auto& f : features_) f->stop();
}

bool Controller::idle() const {
  if (exporting()) return false;  // scripts wait for an export's file
  const SceneFeature& sc = find<SceneFeature>();
  if (waiting_for_data()) return ui_.commands.empty() && !sc.building();
  const bool held = std::any_of(features_.begin(), features_.end(), [&](const auto& f) { return f->holds_idle(products_); });
  return ui_.commands.empty() && !held && sc.settled(ui_.settings.scene);
}

bool Controller::exporting() const {
  return std::any_of(features_.begin(), features_.end(), [](const auto& f) { return f->busy_exporting(); });
}

bool Controller::waiting_for_data() const { return SceneFeature::waiting_for_data(ui_.settings.scene); }

bool Controller::data_stale() const { return find<SceneFeature>().data_stale(ui_.settings.scene); }

bool Controller::scene_current() const { return find<SceneFeature>().current(ui_.settings.scene); }

int Controller::scene_builds() const { return find<SceneFeature>().builds(); }

double Controller::time_of_frame(int frame) const { return hbar::app::time_of_frame(run(), frame); }

void Controller::report(const std::string& msg, bool error) {
  ui_.status.toast = msg;
  ui_.status.toast_until = now_ + kToastSeconds;
  if (error) {
    ui_.status.last_error = msg;
    if (ui_.status.errors.size() < 1000) ui_.status.errors.push_back(msg);
  }
  if (reporter_) reporter_(msg);
}

TaskContext Controller::context() {
  return TaskContext{ui_.settings, ui_.view, ui_.status, products_.scene, scene_current(), now_, ui_.layout.canvas_world};
}

FeatureContext Controller::feature_context() {
  return FeatureContext{ui_, products_, context(), [this](const std::string& m, bool e) { report(m, e); }};
}

void Controller::frame(double now, double dt) {
  now_ = now;
  for (const auto& f : features_) f->reap();
  run_commands();
  playback(dt);  // on the run on screen; a run that lands below is clamped to at the end
  FeatureContext c = feature_context();
  for (const auto& f : features_) {
    f->update(c);
    if (products_.new_scene) {  // the scene feature's: every feature starts over on it
      products_.new_scene = false;
      frame_accum_ = 0;
      ui_.status.live_w2 = -1;
      for (const auto& g : features_) g->new_scene(c);
    }
    c.task.scene_current = products_.scene_current;
  }
  const RunView& run = this->run();
  // Live sliced W2 of the full run on screen (a few ms, once per run).
  if (run.exact && run.mode == Mode::kReverse && run.result && run.version != live_w2_version_ && products_.scene) {
    live_w2_version_ = run.version;
    // Only the finite samples (a blown-up particle has no place in a distance); the
    // status line says how many are left out.
    const Points& x = run.result->samples;
    std::vector<Eigen::Index> keep;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (x.row(i).allFinite()) keep.push_back(i);
    ui_.status.live_w2_dropped = static_cast<std::size_t>(x.rows()) - keep.size();
    ui_.status.live_w2 = keep.size() < 2 ? -1 : sliced_w2_lower_bound(x(keep, Eigen::all), products_.scene->heldout);
    ui_.status.live_w2_h = run.h;
  }
  clamp_frame();
  // While h moves, the background work steps aside: the preview gets a core to itself.
  // An animation export has it too (the sweep, NLL and training wait for it).
  products_.exporting = exporting();
  for (const auto& f : features_) f->yield(products_.h_moving, products_.exporting);
  collect_status(c);
}

void Controller::enable_recovery(const std::filesystem::path& dir, bool offer) {
  find<AutosaveFeature>().enable(dir);
  if (offer) find<AutosaveFeature>().offer(ui_.status);
}

void Controller::offer_recovery() {
  if (!find<AutosaveFeature>().enabled()) throw std::runtime_error("crash recovery is off (no folder for it)");
  if (!find<AutosaveFeature>().offer(ui_.status)) report("No session of yours was left by an abnormal exit", false);
}

const AutosaveFeature& Controller::autosave() const { return find<AutosaveFeature>(); }

void Controller::recover(bool restore) {
  if (ui_.status.recovery_file.empty()) throw std::runtime_error("there is no session to recover");
  const std::string path = ui_.status.recovery_file;
  // Restore: opened in the background; the offer goes once it is open (a damaged file
  // is refused naming the file and key, and stays offered).
  if (restore) return find<SessionFeature>().open(path, ui_.settings, ui_.view, true);
  ui_.status.recovery_file.clear();
  ui_.status.recovery_age.clear();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  report("Discarded the recovered session", false);
}

void Controller::run_commands() {
  while (auto c = ui_.commands.pop()) {
    const std::string err = apply_command(ui_, *this, *c);
    if (!err.empty()) report(c->origin + ": " + err, true);
    else ++products_.commands;  // a view change is a change too (autosave sees settings changes itself)
  }
}

void Controller::playback(double dt) {
  const RunView& run = this->run();
  if (!run.result) return;
  View& v = ui_.view;
  const int last = static_cast<int>(run.result->trajectories.frames.size()) - 1;
  if (v.playing) {
    frame_accum_ += dt * 60.0 * v.speed * std::max(1, last / kPlaybackFramesPerTick);
    const int adv = static_cast<int>(frame_accum_);
    frame_accum_ -= adv;
    v.frame += adv;
    if (v.frame >= last) {
      if (v.loop) {
        v.frame = 0;
      } else {
        v.frame = last;
        v.playing = false;
      }
    }
  }
}

void Controller::clamp_frame() {
  const RunView& run = this->run();
  if (!run.result) return;
  const int last = static_cast<int>(run.result->trajectories.frames.size()) - 1;
  ui_.status.run_steps = last;
  ui_.view.frame = std::clamp(ui_.view.frame, 0, last);
}

void Controller::collect_status(FeatureContext& c) {
  Status& st = ui_.status;
  for (const auto& f : features_) f->report(c);
  const RunView& run = products_.shown_run ? *products_.shown_run : kNoRun;
  st.data_points = products_.shown_data ? static_cast<int>(products_.shown_data->rows()) : 0;
  st.data_drawn = ui_.settings.scene.points && ui_.settings.scene.data_file.empty();
  st.data_stale = data_stale();
  st.waiting_for_data = waiting_for_data();
  st.picture_exact = run.exact;
  st.compare_shown = compare().result != nullptr;
  st.run_nonfinite = run.result ? run.result->nonfinite_message(static_cast<int>(run.result->trajectories.frames.size()) - 1)
                                 : std::string();
  st.run_diverged = diverged(run);
  if (st.run_diverged.empty()) st.run_diverged = diverged_note_;
  st.run_t_first = run.t_first;
  st.run_t_last = run.t_last;
  st.run_t_now = hbar::app::time_of_frame(run, ui_.view.frame);
  st.last_preview_ms = preview_ms();
  st.preview_fraction = find<RunFeature>().runs().preview_fraction();
}

void Controller::start_task(TaskKind k) {
  FeatureContext c = feature_context();
  for (const auto& f : features_)
    if (f->start(k, c)) return;
  throw std::runtime_error(std::string(task_name(k)) + " starts by itself");
}

void Controller::cancel_task(TaskKind k) {
  FeatureContext c = feature_context();
  for (const auto& f : features_)
    if (f->cancel(k, c)) return;
}

void Controller::export_animation(const std::string& path, const std::string& kind, int frames, int fps) {
  const View& v = ui_.view;
  AnimationSpec spec;
  spec.path = path;
  spec.kind = kind == "playback" ? AnimationKind::kPlayback : AnimationKind::kHSweep;
  spec.frames = frames;
  spec.fps = fps;
  spec.width = v.anim_width;
  spec.height = v.anim_height;
  spec.h_from = v.anim_h_from;
  spec.h_to = v.anim_h_to;
  if (const auto& sc = products_.scene) spec.shape = h_shape(ui_.settings, sc->schedule.t_min(), sc->schedule.t_max());
  spec.trajectories = v.anim_traj;
  spec.particles = v.anim_particles;
  spec.heat = v.anim_heat && ui_.settings.heat != HeatKind::kNone;
  spec.exact = v.anim_exact;
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);  // as every export does
  TaskContext c = context();
  animation().start(spec, c, run());
  report("Writing " + path + " (" + std::to_string(frames) + " frames)", false);
}

void Controller::pause_training(bool paused) { find<TrainFeature>().pause(paused, ui_.status); }

std::function<void(Progress&)> Controller::export_writer(const std::string& kind, const std::string& path) {
  // What is on screen now, checked here (a refusal is said at once and nothing is
  // queued), then written by the export feature in the background.
  // Space-time of the toy model: its run is the one on screen (two independent 1-D paths
  // per particle, as sampled); the heat map is the space-time density (x = t, y = u·x).
  const SpaceTimeTask& spacetime = this->spacetime();
  const bool toy = spacetime.shown() && spacetime.view().toy;
  const RunView& run = toy ? spacetime.view().toy_raw : this->run();
  const HeatView& heat = spacetime.shown() ? spacetime.view().heat : this->heat();
  std::function<void(Progress&)> write;
  if (kind == "samples" || kind == "trajectories") {
    if (!run.result) throw std::runtime_error("no run yet");
    // A blown-up run is refused in the CLI's words, and nothing is written.
    const int steps = static_cast<int>(run.result->trajectories.frames.size()) - 1;
    if (const std::string bad = run.result->refusal(steps); !bad.empty()) throw std::runtime_error(bad);
    if (!toy)
      if (const std::string& far = diverged(run); !far.empty()) throw std::runtime_error(far);
    std::shared_ptr<const SampleResult> r = run.result;
    if (kind == "samples") write = [path, r](Progress& p) { write_points_csv(path, r->samples, &p); };
    else write = [path, r](Progress& p) { write_trajectories_csv(path, thin(r->trajectories, kExportedFrames), &p); };
  } else if (kind == "data") {
    // A data edit earlier in this frame counts.
    const std::shared_ptr<const Points> d = find<SceneFeature>().shown_data(ui_.settings.scene);
    if (!d) throw std::runtime_error("the data is still loading");
    write = [path, d](Progress& p) { write_points_csv(path, *d, &p); };
  } else if (kind.rfind("plot-", 0) == 0) {
    const std::string which = kind.substr(5);
    std::string svg = plot_svg(plot_spec(ui_, which, ImVec2(560, 360)), plot_curves(which, curves()));
    write = [path, svg = std::move(svg)](Progress&) { write_file_atomic(path, [&](std::ostream& o) { o << svg; }); };
  } else if (kind == "heatmap") {
    if (heat.map.grid.values.empty()) throw std::runtime_error("no heat map on screen");
    write = [path, grid = heat.map.grid](Progress&) { write_grid_csv(path, grid); };
  } else if (kind == "curves") {
    write = [path, cs = curves()](Progress&) {
      write_file_atomic(path, [&](std::ostream& o) {
        o << "series,x,y,err\n";
        char buf[200];
        for (const auto& c : cs)
          for (std::size_t i = 0; i < c.x.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%s,%.17g,%.17g,%.17g\n", c.id.c_str(), c.x[i], c.y[i],
                          c.err.empty() ? 0.0 : c.err[i]);
            o << buf;
          }
      });
    };
  } else {
    throw std::runtime_error("unknown export '" + kind + "'");
  }
  return write;
}

namespace {
// What a run (and its heat map) depends on: the scene, h(t) and the mode.
bool same_run(const Settings& a, const Settings& b, bool heat) {
  return a.scene == b.scene && a.h == b.h && a.h_kind == b.h_kind && a.h_windows == b.h_windows &&
         a.h_knots == b.h_knots && a.mode == b.mode && (!heat || a.heat == b.heat);
}
}  // namespace

const std::string& Controller::diverged(const RunView& run) {
  if (run.version == diverged_version_) return diverged_;
  diverged_version_ = run.version;
  diverged_.clear();
  const auto& sc = products_.scene;
  // The full run only: a preview changes every frame of a drag, and a far run's step
  // count scans the score's Jacobians (on this thread).
  if (run.result && run.exact && run.mode == Mode::kReverse && sc) {
    const int steps = static_cast<int>(run.result->trajectories.frames.size()) - 1;
    const Divergence d = find_divergence(*run.result, sc->data, *sc->score, sc->schedule, run.schedule, steps);
    diverged_ = d.refusal;
    diverged_note_ = d.note;
  }
  return diverged_;
}

bool Controller::export_ready(const std::string& kind) const {
  if (kind != "samples" && kind != "trajectories" && kind != "heatmap") return true;
  if (spacetime().shown()) return true;  // the space-time view's own run, as on screen
  // The run on screen is the full run of the scene, h(t) and mode of the settings now
  // (in the frame of a change the runs have not seen it yet: compared, not assumed).
  const RunView& r = run();
  const auto& sc = products_.scene;
  const bool run_ready = scene_current() && sc && r.result && r.exact && !find<RunFeature>().holds_idle(products_) &&
                         r.mode == ui_.settings.mode &&
                         (r.mode == Mode::kForward ||  // the forward SDE has no h
                          r.schedule == h_schedule(ui_.settings, sc->schedule.t_min(), sc->schedule.t_max()));
  return run_ready && (kind != "heatmap" || !find<HeatFeature>().holds_idle(products_));
}

std::string Controller::export_file(const std::string& kind, const std::string& path) {
  if (export_ready(kind)) {
    find<ExportFeature>().enqueue({path, export_writer(kind, path)});
    return path;
  }
  // The settings' own result is still being made (h or the data just changed): the
  // export waits for it, and `wait idle` with it; never an older result under this name.
  const Settings asked = ui_.settings;
  find<ExportFeature>().enqueue({path, {}, [this, kind, path, asked]() -> std::function<void(Progress&)> {
                                   if (!same_run(asked, ui_.settings, kind == "heatmap"))
                                     throw std::runtime_error("the settings changed before the result it names was ready; "
                                                              "nothing written");
                                   if (!export_ready(kind)) return {};
                                   return export_writer(kind, path);
                                 }});
  report("Waiting for the run of these settings to write " + path, false);
  return path;
}

std::string Controller::save_session(const std::string& path) {
  if (!products_.scene || !scene_current()) throw std::runtime_error("the scene is still being built: save when it is ready");
  // The text now (the settings of this moment), the file in the background.
  std::string text = session_json(ui_.settings, ui_.view, products_.scene->data) + "\n";
  find<ExportFeature>().enqueue({path, [path, text = std::move(text)](Progress&) {
                                   write_file_atomic(path, [&](std::ostream& o) { o << text; });
                                 }});
  return path;
}

void Controller::queue_file(const std::string& path, std::function<void(Progress&)> write) {
  find<ExportFeature>().enqueue({path, std::move(write)});
}

bool Controller::finishing() const {
  return std::any_of(features_.begin(), features_.end(), [](const auto& f) { return f->must_finish(); });
}

void Controller::load_session(const std::string& path) {
  find<SessionFeature>().open(path, ui_.settings, ui_.view, false);
}

void Controller::host_command(const HostRequest& c) {
  if (!host_) throw std::runtime_error("there is no window here");
  host_->host_command(c);
}

}  // namespace hbar::app
