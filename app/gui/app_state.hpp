#pragma once
// What the panels read and write: settings, view options, status and requests.
// No GL, no threads: the panels are pure functions of this state (tests/ui runs
// them without a backend); the Controller acts on the requests.
#include <cstdint>
#include <string>
#include <vector>

#include "hbar/colormap.hpp"
#include "hbar/grid.hpp"

namespace hbar::app {

enum class Mode { kReverse, kForward };
enum class HeatKind { kNone, kPathAction, kEndpointAction, kLogDensity, kLogQ0, kWkbC };

// Changing any of these rebuilds the scene (data, score, cache, noise) in the background.
struct SceneSettings {
  std::string data = "swissroll";  // built-in name; ignored when data_file is set
  std::string data_file;           // a loaded CSV
  int data_n = 2000;               // size of a built-in draw (the empirical score's support)
  std::uint64_t data_seed = 0;
  std::string schedule = "simple";
  bool biased = false;
  float eps = 0.2f;
  bool learned = false;    // the score is the network in model_path (else the exact score)
  std::string model_path;  // a trained .hbm (written by the training panel or loaded)
  int steps = 500;
  int particles = 2000;
  std::uint64_t seed = 1;
  bool operator==(const SceneSettings&) const = default;
};

struct SweepPoint {
  double h = 0, mean = 0, err = 0;  // sliced W2 lower bound: mean and std/sqrt(trials)
  int trials = 0;
  bool has_exact = false;           // exact W2 of the same samples (filled in later)
  double exact_mean = 0, exact_err = 0;
};

// The likelihood of the scene's score at held-out points (SCIENCE.md §5):
// zeroth order from the PF ODE, the first-order coefficient, and the exact NLL(h)
// from the Fokker–Planck grid (with its error at h = 0 against the ODE).
struct NllSummary {
  int points = 0;
  bool has_first = false, has_exact = false;
  double nll0 = 0, nll0_sem = 0;  // mean −log q⁰ and its standard error
  double corr = 0, corr_sem = 0;  // mean −C (NLL(h) ≈ NLL(0) + h · corr)
  std::vector<double> exact_h, exact_nll;
  double grid_error = 0;          // mean |log q_grid(h = 0) − log q⁰_ODE|
  int grid_cells = 0;
};

struct Curve {
  std::string label;
  std::vector<double> x, y, err;  // err may be empty
  unsigned color = 0xffffffff;    // ImGui ABGR
};

struct UiState {
  SceneSettings settings;  // edited by the panels
  char data_path[512] = "";

  // Dynamics
  double h = 0.0;
  bool fine_h = false;  // slider range 0 … 0.2
  Mode mode = Mode::kReverse;
  bool overlay = false;  // several h from the same starts (Fig. 2)
  std::vector<double> overlay_h = {0.0, 0.25, 1.0};
  bool compare_exact = false;  // with a learned or biased score: the exact score's particles too

  // Playback: frame index into the trajectories (0 = start of the run).
  int frame = 0;
  bool playing = true;
  float speed = 1.0f;  // frames of the run per 1/60 s
  bool loop = false;

  // Canvas
  int traj_shown = 400;
  bool show_data = true, show_traj = true, show_particles = true;
  float point_size = 3.0f;
  HeatKind heat = HeatKind::kNone;
  float heat_opacity = 0.75f;
  Colormap heat_map = Colormap::kMagma;
  bool arrows = false;
  bool light_theme = false;
  float ui_scale = 1.0f;
  bool show_plots = true;
  Box view{-3, 3, -3, 3};  // world rectangle on the canvas (set by the canvas each frame)

  // Status (written by the controller, read by panels)
  std::string scene_label;       // "swissroll_simple" …
  std::string score_label;       // the scene's score as it describes itself: "learned MLP 128x3 (…)"
  const char* score_kind = "exact score";  // score_kind() of the scene on screen
  std::string scene_status;      // "building score cache…"
  double scene_progress = 1.0;   // 1 = idle
  bool scene_busy = false;
  std::string load_error;        // last failed load, shown in the data panel
  bool picture_exact = false;    // exact run on screen (else cached preview)
  bool compare_shown = false;    // the exact score's comparison run is on screen
  bool exact_busy = false;
  double exact_progress = 1.0;
  int run_steps = 0;             // frames in the run on screen − 1
  double run_t_first = 1, run_t_last = 0;
  std::string heat_label;        // what the heat map shows
  double heat_lo = 0, heat_hi = 1;
  std::vector<SweepPoint> sweep;
  bool sweep_running = false;
  bool sweep_pending = true;     // the current settings' sweep has not started yet
  double sweep_progress = 0;
  std::string sweep_status;
  double live_w2 = -1, live_w2_h = 0;  // sliced W2 (lower bound) of the exact run on screen
  NllSummary nll;
  int nll_grid_cells = 160;      // Fokker–Planck grid of the NLL(h) plot
  bool nll_running = false;
  bool nll_pending = true;       // the current settings' NLL(h) has not started yet
  double nll_progress = 0;
  std::string nll_status;
  std::string toast;
  double toast_until = 0;
  double fps = 0;
  std::vector<float> frame_ms;   // recent frame times

  // Training (the learned score)
  int train_steps = 20000;
  int train_width = 128, train_depth = 3;
  bool train_running = false, train_paused = false;
  double train_progress = 0;
  std::string train_status;
  std::vector<double> train_step, train_loss;  // loss history (means over 100 steps)
  std::vector<double> train_eval_step, train_eval_loss;  // on fixed draws, every 500 steps
  double train_floor = -1;       // the exact score's DSM loss on the same data (< 0: unknown)
  bool plot_training = false;    // the third plot shows the training loss (else the 1-D toy)
  int trained_width = 0, trained_depth = 0;  // the shape of the run the loss belongs to
  char model_path_edit[512] = "";

  // Toy 1-D model plot
  float toy_eps = 0.2f;

  // Export
  char export_dir[256] = "exports";
  char export_name[256] = "";    // empty: the default name of the scene

  // Where the big h slider was drawn (screen pixels: x0, y0, x1, y1), for scripts.
  float h_slider_rect[4] = {0, 0, 0, 0};
  double preview_ms = 0;

  // Requests (panels set, controller clears)
  bool req_load = false;         // load data_path
  bool req_screenshot_window = false, req_screenshot_canvas = false;
  bool req_export_samples = false, req_export_trajectories = false, req_export_heatmap = false,
       req_export_curves = false;
  bool req_sweep = false, req_cancel_sweep = false;
  bool req_nll = false, req_cancel_nll = false;
  bool req_train = false, req_pause_train = false, req_cancel_train = false;
  bool req_reset_view = false;
};

enum class ScoreChoice { kExact, kBiased, kLearned };
// Sets the scene's score; kLearned takes the model box's path and is refused (false)
// while the box is empty.
bool choose_score(UiState& ui, ScoreChoice choice);
// "exact score", "biased score", "learned score" for these settings.
const char* score_kind(const SceneSettings& s);

// "swissroll_simple_h0.30": the default stem of exported files.
std::string export_stem(const UiState& ui);
// Where an export goes: the export folder / (the edited name or the stem) + suffix.
std::string export_path(const UiState& ui, const char* suffix);

}  // namespace hbar::app
