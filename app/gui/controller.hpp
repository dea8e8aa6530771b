#pragma once
// The app's logic without GL: drains the command queue, builds the scene, and walks the
// registered background features (feature.hpp, tasks/features.cpp), which turn Settings
// into runs, heat maps, sweeps, likelihoods, trained networks and exports. It names no
// feature in its frame: it updates, reports, yields, cancels and waits on the list.
// One per window; UI thread only.
#include <functional>
#include <stdexcept>
#include <memory>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "commands.hpp"
#include "data_edit.hpp"
#include "scene.hpp"
#include "feature.hpp"
#include "tasks/features.hpp"

namespace hbar::app {

class AutosaveFeature;

// The window's part of the command vocabulary: screenshot, layout, stats, quit.
class Host {
 public:
  virtual ~Host() = default;
  virtual void host_command(const HostRequest& r) = 0;  // throws std::runtime_error on failure
};

class Controller final : public CommandSink {
 public:
  explicit Controller(UiState& ui);
  ~Controller() override;

  // The window (screenshots, quit) and where messages go besides the toast (stderr).
  void set_host(Host* host) { host_ = host; }
  void set_reporter(std::function<void(const std::string&)> r) { reporter_ = std::move(r); }

  // Once per frame, before the panels: runs the queued commands, takes finished
  // results, starts new work, advances playback. `now` in seconds, `dt` since the last frame.
  void frame(double now, double dt);

  const std::shared_ptr<const Scene>& scene() const { return products_.scene; }
  // What the features made this frame, for the window (empty runs until there are some).
  const RunView& run() const { return products_.run ? *products_.run : kNoRun; }
  const std::vector<RunView>& overlay() const { return products_.overlay ? *products_.overlay : kNoRuns; }
  // The exact score's run beside a learned or biased one (same starts and noise, the
  // same h), when asked for; empty otherwise and until it is ready.
  const RunView& compare() const { return products_.compare ? *products_.compare : kNoRun; }
  const HeatView& heat() const { return find<HeatFeature>().heat().heat(); }
  const std::pair<Grid, Grid>& arrows() const { return find<HeatFeature>().heat().arrows(); }
  // The space-time canvas: projected runs and the density under them (View::canvas).
  const SpaceTimeTask& spacetime() const { return find<SpaceTimeFeature>().spacetime(); }
  // A file for the export feature to write in the background (the window's PNGs).
  void queue_file(const std::string& path, std::function<void(Progress&)> write);
  // A feature holds work whose file must land before the app exits (the window drains it).
  bool finishing() const;
  // The status rows of the registered features, in registration order (tests, the status line).
  std::vector<TaskKind> feature_kinds() const {
    std::vector<TaskKind> out;
    for (const auto& f : features_)
      for (TaskKind k : f->kinds()) out.push_back(k);
    return out;
  }
  // No command queued, scene build, full run or heat map pending (scripts wait for this).
  bool idle() const;
  // h changed within the last moments (the preview follows it; drawing may be coarser).
  bool h_moving() const { return products_.h_moving; }
  // Time of a frame of the current run.
  double time_of_frame(int frame) const;
  double preview_ms() const { return find<RunFeature>().runs().preview_ms(); }
  // The curves the plot panel shows.
  std::vector<Curve> curves() const { return make_curves(ui_.settings, ui_.status); }
  // Shows a message (toast and reporter); errors are also kept as the last error.
  void report(const std::string& msg, bool error);

  // CommandSink
  void start_task(TaskKind k) override;
  void cancel_task(TaskKind k) override;
  void pause_training(bool paused) override;
  std::string export_file(const std::string& kind, const std::string& path) override;
  std::string save_session(const std::string& path) override;
  void export_animation(const std::string& path, const std::string& kind, int frames, int fps) override;
  // The animation being written: the window renders the frames it asks for.
  AnimationTask& animation() { return find<AnimationFeature>().animation(); }
  void load_session(const std::string& path) override;
  void host_command(const HostRequest& r) override;
  std::shared_ptr<const Points> data_points() const override { return products_.shown_data; }
  // The scene on screen is of other data than the settings' (drawn data being edited,
  // a new data set loading): its runs and maps are not drawn.
  bool data_stale() const;
  // A drawn set with fewer than kMinDrawnPoints: no scene until there are more.
  bool waiting_for_data() const;
  // Scene builds started so far (tests: drawing rebuilds at most twice a second).
  int scene_builds() const;

  // Crash recovery (recovery.hpp): autosave into `dir` from now on, and offer the newest
  // file there of an app that is gone (Status::recovery). The app calls it; tests may.
  // offer = false (scripted and --screenshot runs): autosave only; `recovery offer` looks.
  void enable_recovery(const std::filesystem::path& dir, bool offer = true);
  const AutosaveFeature& autosave() const;
  void recover(bool restore) override;
  void offer_recovery() override;

 private:
  void run_commands();
  void playback(double dt);
  void collect_status(FeatureContext& c);
  void clamp_frame();
  TaskContext context();
  FeatureContext feature_context();
  // A registered feature by its class (the window's accessors only; the frame names none).
  template <class F>
  F& find() const {
    for (const auto& f : features_)
      if (auto* p = dynamic_cast<F*>(f.get())) return *p;
    throw std::logic_error("feature not registered");
  }
  static const RunView kNoRun;
  static const std::vector<RunView> kNoRuns;
  bool scene_current() const;
  // What an export of `kind` writes now (checked: throws the refusal), and whether the
  // result it names (the settings of this moment) is on screen yet.
  std::function<void(Progress&)> export_writer(const std::string& kind, const std::string& path);
  bool export_ready(const std::string& kind) const;
  // divergence_refusal of the run on screen ("" when none), once per run.
  const std::string& diverged(const RunView& run);
  std::uint64_t diverged_version_ = 0;
  std::string diverged_, diverged_note_;
  bool exporting() const;  // an animation is being written: long work waits, idle waits

  UiState& ui_;
  Host* host_ = nullptr;
  std::function<void(const std::string&)> reporter_;
  double now_ = 0, frame_accum_ = 0;
  std::uint64_t live_w2_version_ = 0;
  Products products_;
  // Last, so that they are destroyed first: their threads are joined while the
  // state they post to still exists.
  std::vector<std::unique_ptr<Feature>> features_ = register_features();
};

}  // namespace hbar::app
