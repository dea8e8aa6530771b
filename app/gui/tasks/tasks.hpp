#pragma once
// The app's background features, one class each (ARCHITECTURE.md, "The app's
// inside"): each owns its Task, decides from the settings when to (re)start it,
// takes its results and reports its status. The controller only dispatches.
#include <atomic>
#include <deque>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../scene.hpp"
#include "settings.hpp"
#include "../status.hpp"
#include "../task.hpp"
#include "hbar/view/heatmap.hpp"

namespace hbar::app {

// What a feature sees each frame.
struct TaskContext {
  const Settings& settings;
  View& view;
  Status& status;
  const std::shared_ptr<const Scene>& scene;  // the scene on screen (may be null)
  bool scene_current = false;  // it is the scene of the current settings
  double now = 0;
  Box canvas;  // the world rectangle on screen (the window's layout result)
};

struct RunView {
  std::shared_ptr<const SampleResult> result;  // stride-1 trajectories
  double h = 0;            // the height of h(t)
  HSchedule schedule;      // h(t) of the run
  bool exact = false;  // the full run (else the cached preview)
  Mode mode = Mode::kReverse;
  double t_first = 1, t_last = 0;  // times of frame 0 and the last frame
  std::uint64_t version = 0;
};
std::uint64_t next_version();
// Time of a frame of a run (clamped to its frames; 0 without a run).
double time_of_frame(const RunView& r, int frame);
// The generative run at h with the scene's own score (not the cache), stride 1, on
// `threads` threads (0: all).
RunView full_run(const Scene& sc, const HSchedule& h, Progress* p, int threads = 0, const RunSampler& rs = {});
// The same run from the scene's score cache (the preview the slider shows): milliseconds.
// `first` > 0: only the first particles (the same as in a run of all: each particle's start
// and noise depend on its index alone).
RunView cached_run(const Scene& sc, const HSchedule& h, Progress* p, int threads = 0, std::size_t first = 0,
                   const RunSampler& rs = {});

// The run on screen: a preview from the cache in the frame h changes, the full run
// with the real score once h has rested; the overlay (Fig. 2); the forward SDE; and
// the exact score's comparison run beside a learned or biased one.
class RunTasks {
 public:
  // The full run waits until h has rested this long and this many frames (a slow
  // frame is not a rest), so dragging leaves the cores to the preview.
  static constexpr double kFullRunDelay = 0.15;
  static constexpr int kRestFrames = 3;
  // A new h's preview is first computed for this many particles, in the frame of the
  // change (all 400 drawn lines and a quarter of the particles by default); the rest
  // follow once h has held still for kRestFrames frames (a progressive preview: a drag,
  // even a slow one whose h changes every few frames, pays for the part only).
  static constexpr std::size_t kPreviewFirst = 500;
  void new_scene();
  void update(const TaskContext& c);
  const RunView& run() const { return run_; }
  const std::vector<RunView>& overlay() const { return overlay_; }
  const RunView& compare() const { return compare_; }
  // Nothing pending, and the run on screen is of `scene` (the frame that installs a new
  // scene may come after this frame's update).
  bool idle(const Scene* scene) const {
    return !full_.pending() && !compare_task_.pending() && due_ < 0 && run_.result != nullptr &&
           run_scene_ == scene;
  }
  // Whether h changed within the last kFullRunDelay or kRestFrames (the slider is moving).
  bool h_moving(double now) const { return now - h_changed_at_ < kFullRunDelay || frames_since_h_ < kRestFrames; }
  double preview_ms() const { return preview_ms_; }
  // The share of the scene's particles the run on screen holds: below 1 while the preview
  // has only its first kPreviewFirst (derived from the run itself).
  double preview_fraction() const;
  Task<RunView>& full() { return full_; }
  Task<RunView>& compare_task() { return compare_task_; }
  void reap() {
    full_.reap();
    compare_task_.reap();
  }

 private:
  void refresh(const TaskContext& c);
  void start_full(const TaskContext& c);
  // The cached-score preview of `hs` (its first `first` particles; 0: all), timed.
  void preview(const Scene& sc, const HSchedule& hs, std::size_t first);
  void update_compare(const TaskContext& c);

  RunView run_, compare_;
  std::vector<RunView> overlay_;
  const Scene* run_scene_ = nullptr;
  HSchedule run_h_;
  RunSampler run_sampler_, full_sampler_, compare_sampler_;
  bool run_started_ = false;
  Mode run_mode_ = Mode::kReverse;
  bool run_overlay_ = false;
  double due_ = -1, h_changed_at_ = -1e9;
  HSchedule full_h_;
  int frames_since_h_ = 1 << 20;
  double preview_ms_ = 0;
  const Scene* compare_scene_ = nullptr;
  HSchedule compare_h_;
  Task<RunView> full_{TaskKind::kRun};
  Task<RunView> compare_task_{TaskKind::kCompare};
};

struct HeatView {
  HeatMap map;
  std::uint64_t version = 0;
};

// The heat map of the view and frame on screen, and the drift arrows.
class HeatTask {
 public:
  static constexpr int kArrowGrid = 24;  // arrows per side
  void update(const TaskContext& c, const RunView& run, double t_frame);
  const HeatView& heat() const { return heat_; }
  const std::pair<Grid, Grid>& arrows() const { return arrows_; }
  Task<HeatView>& task() { return task_; }
  bool pending() const { return task_.pending(); }  // running, or its map not taken yet

 private:
  HeatView heat_;
  std::pair<Grid, Grid> arrows_;
  std::string base_, arrows_key_;  // base_: what the heat map depends on besides its frame
  int frame_ = -2;                 // … and its frame (-1: none; -2: no map asked for yet)
  HSchedule heat_shape_;  // the shape of the map being made (its label)
  int logq0_frame_ = -1;
  Task<HeatView> task_{TaskKind::kHeat};
};

// The W2(h) plot: core's w2_sweep with hbar-cli sweep's protocol.
// A change of the h(t) shape restarts a task once the shape has rested this long (an
// edge being dragged does not restart it every frame).
inline constexpr double kShapeRest = 0.5;

// Tracks the settings' h(t) shape (height 1) and when it last changed.
class ShapeWatch {
 public:
  // True when the shape differs from the one the task last used and has rested.
  bool due(const TaskContext& c);
  void used(const TaskContext& c) { used_ = current(c); }
  static HSchedule current(const TaskContext& c);

 private:
  HSchedule used_ = HSchedule::constant(1.0), seen_ = HSchedule::constant(1.0);
  double changed_at_ = -1e9;
};

// What the W2 sweep posts: its quick first pass and the full protocol's points so far.
struct SweepCurves {
  std::vector<SweepPoint> quick, full;
};

// The W2(h) plot, coarse to fine: a quick pass gives a curve within seconds, then the
// full protocol (the CLI's) replaces it point by point. A complete curve is kept per
// scene and h(t) shape: coming back to a setting shows it at once.
class SweepTask {
 public:
  static constexpr int kH = 11, kTrials = 3;  // heights h = 0, 0.1, …, 1 of the h(t) shape
  // The quick pass: 5 heights, 2 trials of at most 300 particles × 100 steps.
  static constexpr int kQuickH = 5, kQuickTrials = 2, kQuickParticles = 300, kQuickSteps = 100;
  static constexpr std::size_t kCacheSize = 8;
  // A new scene: the complete curve on screen becomes the previous one (greyed).
  void new_scene(Status& st, double now);
  void update(const TaskContext& c, bool full_run_on_screen);
  void start(const TaskContext& c);
  Task<SweepCurves>& task() { return task_; }
  bool done_for_scene() const { return done_for_scene_; }
  // The quick pass is on screen (NLL may start beside the full pass).
  bool quick_done(const Status& st) const { return done_for_scene_ && st.sweep_quick.size() == kQuickH; }

 private:
  struct Cached {
    SceneSettings scene;
    HSchedule shape;
    std::vector<SweepPoint> points;
  };
  bool from_cache(const TaskContext& c);
  bool done_for_scene_ = false, seen_scene_ = false;
  ShapeWatch shape_;
  std::optional<Cached> running_;  // the key of the sweep under way
  std::deque<Cached> cache_;       // newest first
  Task<SweepCurves> task_{TaskKind::kSweep};
};

// The NLL(h) plot: PF-ODE likelihood, first order and Fokker–Planck.
class NllTask {
 public:
  static constexpr int kPoints = 200;
  static constexpr double kExactH[] = {0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0};
  // The quick first pass: the first order at 40 points, the grid at 48 cells and 5 heights.
  static constexpr int kQuickPoints = 40, kQuickCells = 48;
  static constexpr double kQuickH[] = {0.0, 0.25, 0.5, 0.75, 1.0};
  void new_scene();
  void update(const TaskContext& c, bool sweep_shown);
  // keep_first: reuse the first-order results on screen (only the h(t) shape changed).
  void start(const TaskContext& c, bool keep_first = false);
  Task<NllSummary>& task() { return task_; }
  bool done_for_scene() const { return done_for_scene_; }

 private:
  bool done_for_scene_ = false;
  ShapeWatch shape_;
  Task<NllSummary> task_{TaskKind::kNll};
};

// Training a network on the scene's data, with pause and cancel.
class TrainTask {
 public:
  static constexpr int kLossEvery = 100, kEvalEvery = 500;
  // Asks for a run; it starts once the scene of the current settings is there.
  void request() { requested_ = true; }
  void pause(bool p, Status& s);
  void cancel(Status& s);
  // Returns the model file of a run that has just finished ("" otherwise).
  std::string update(const TaskContext& c, const std::string& model_path);
  bool pending() const { return requested_; }
  Task<TrainHistory>& task() { return task_; }

 private:
  void start(const TaskContext& c, const std::string& model_path);
  bool requested_ = false, cancelling_ = false;
  std::shared_ptr<std::atomic<bool>> pause_ = std::make_shared<std::atomic<bool>>(false);
  Task<TrainHistory> task_{TaskKind::kTrain};
};

// The plotted series with stable ids (w2_exact, w2_sliced, nll_exact, …).
std::vector<Curve> make_curves(const Settings& s, const Status& st);

}  // namespace hbar::app
