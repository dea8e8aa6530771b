#pragma once
// The app's logic without GL: turns settings and requests into scenes, runs and
// heat maps, on worker threads where it is slow, and hands the renderer immutable
// results. One per window; called from the UI thread only.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "hbar/grid.hpp"
#include "jobs.hpp"
#include "scene.hpp"

namespace hbar::app {

struct RunView {
  std::shared_ptr<const SampleResult> result;  // stride-1 trajectories
  double h = 0;
  bool exact = false;
  Mode mode = Mode::kReverse;
  double t_first = 1, t_last = 0;  // times of frame 0 and the last frame
  std::uint64_t version = 0;
};

struct HeatView {
  Grid grid;
  double lo = 0, hi = 1;  // the colour range (values outside are clamped)
  std::vector<std::uint8_t> rgba;
  std::uint64_t version = 0;
};

class Controller {
 public:
  explicit Controller(UiState& ui);
  ~Controller();

  // Once per frame, before the panels: takes finished results, starts new work,
  // advances playback. `now` in seconds, `dt` since the last frame.
  void frame(double now, double dt);

  const std::shared_ptr<const Scene>& scene() const { return scene_; }
  const RunView& run() const { return run_; }
  const std::vector<RunView>& overlay() const { return overlay_; }
  // The exact score's run beside a learned or biased one (same starts and noise, the
  // same h), when asked for; empty otherwise and until it is ready.
  const RunView& compare() const { return compare_; }
  const HeatView& heat() const { return heat_; }
  const std::pair<Grid, Grid>& arrows() const { return arrows_; }
  // No scene build, exact run or heat map pending (scripts wait for this).
  bool idle() const;
  // Time of a frame of the current run.
  double time_of_frame(int frame) const;
  // Milliseconds the last preview took on the UI thread.
  double preview_ms() const { return preview_ms_; }

  // Exports (atomic); return the path written or throw std::runtime_error.
  std::string export_samples(const std::string& path) const;
  std::string export_trajectories(const std::string& path) const;
  std::string export_heatmap(const std::string& path) const;
  std::string export_curves(const std::string& path) const;
  // The curves the plot panel shows (sweep and toy model).
  std::vector<Curve> curves() const;

  static constexpr int kOverlayParticles = 40;
  static constexpr double kLogDensitySpan = 30.0;
  // The likelihood plot: held-out points, Fokker–Planck grid and its h values.
  static constexpr int kNllPoints = 200;
  static constexpr double kNllExactH[] = {0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0};

 private:
  void poll_scene();
  void start_scene(const SceneSettings& s);
  void refresh_run();
  void poll_exact();
  void update_compare();
  void poll_heat();
  void start_heat();
  void poll_sweep();
  void start_sweep();
  void poll_nll();
  void start_nll();
  void start_train();
  void poll_train();
  void handle_requests(double now);
  // The scene on hand is the one of the current settings.
  bool scene_current() const { return scene_ && scene_->settings == ui_.settings; }
  void toast(const std::string& msg, double now);

  UiState& ui_;
  std::shared_ptr<const Scene> scene_;
  SceneSettings applied_;  // settings of the scene built or being built
  bool has_applied_ = false;
  RunView run_;
  RunView compare_;
  const Scene* compare_scene_ = nullptr;
  double compare_h_ = -1;
  std::vector<RunView> overlay_;
  HeatView heat_;
  std::pair<Grid, Grid> arrows_;
  double preview_ms_ = 0;
  double frame_accum_ = 0;
  double now_ = 0;

  // What the current run / overlay / heat map were made from.
  double run_h_ = -1;
  Mode run_mode_ = Mode::kReverse;
  bool run_overlay_ = false;
  std::vector<double> run_overlay_h_;
  const Scene* run_scene_ = nullptr;
  std::string heat_key_;
  int heat_logq0_frame_ = -1;
  // The exact run waits until h has rested this long, so dragging the slider
  // leaves the cores to the preview.
  static constexpr double kExactDelay = 0.15;
  double exact_due_ = -1;  // when to start the pending exact run (< 0: none)
  double exact_h_ = 0;
  void start_exact();
  std::string arrows_key_;

  struct SceneResult {
    std::shared_ptr<const Scene> scene;
    std::string error;
  };
  Mailbox<SceneResult> scene_box_;
  Mailbox<RunView> exact_box_;
  Mailbox<RunView> compare_box_;
  std::uint64_t compare_ticket_ = 0;
  Mailbox<HeatView> heat_box_;
  Mailbox<std::vector<SweepPoint>> sweep_box_;
  Mailbox<NllSummary> nll_box_;
  struct TrainUpdate {
    std::vector<double> step, loss, eval_step, eval_loss;
    double floor = -1;
    bool finished = false;
    std::string model_path, error;
  };
  Mailbox<TrainUpdate> train_box_;
  std::uint64_t train_ticket_ = 0;
  bool train_cancelling_ = false;
  std::shared_ptr<std::atomic<bool>> train_pause_ = std::make_shared<std::atomic<bool>>(false);
  std::uint64_t scene_ticket_ = 0, exact_ticket_ = 0, heat_ticket_ = 0, sweep_ticket_ = 0, nll_ticket_ = 0;
  std::uint64_t live_w2_version_ = 0;
  std::uint64_t versions_ = 0;
  bool sweep_done_for_scene_ = false;
  bool nll_done_for_scene_ = false;
  // Last, so that they are destroyed first: their threads are joined while the
  // mailboxes they post to still exist.
  Job scene_job_, exact_job_, heat_job_, sweep_job_, nll_job_, train_job_, compare_job_;
};

}  // namespace hbar::app
