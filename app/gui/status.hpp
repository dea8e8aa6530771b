#pragma once
// What the tasks report (ARCHITECTURE.md rule 12): one TaskStatus per background
// feature, and the results the panels and plots draw. Written by the controller
// only; the panels read it.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hbar/process/h_schedule.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/likelihood/wkb_time.hpp"
#include "hbar/view/edge_marks.hpp"

namespace hbar::app {

enum class TaskKind { kScene, kRun, kCompare, kHeat, kSweep, kNll, kTrain, kAnimation, kSpaceTime, kExport, kSession,
                      kAutosave };
inline constexpr int kTaskKinds = 12;
const char* task_name(TaskKind k);  // "scene", "run", "compare", "heat map", "W2 sweep", "NLL", "training",
                                    // "animation export", "space-time",
                                    // "export", "session", "autosave"

struct TaskStatus {
  bool running = false;
  bool pending = false;     // due for the current settings but not started or not finished
  double progress = 1.0;    // 0 … 1 of the running work
  std::string stage;        // what it is doing now
  std::string error;        // why the last run failed ("" = it did not)
};

struct SweepPoint {
  double h = 0, mean = 0, err = 0;  // sliced W2 lower bound: mean and its standard error
  int trials = 0;
  int quick_n = 0, quick_steps = 0;  // a quick pass's particles and steps (0: the full protocol)
  bool has_exact = false;           // exact W2 of the same samples
  double exact_mean = 0, exact_err = 0;
};

// The likelihood of the scene's score at held-out points (SCIENCE.md §5).
struct NllSummary {
  int points = 0;   // evaluated, escaped ones included
  int escaped = 0;  // points whose PF path ran beyond |x| = 1e6 (no density): left out of every mean
  bool has_first = false, has_exact = false;
  // Parts still from the quick first pass (NllTask::kQuick…): fewer points, a coarser grid.
  bool quick_first = false, quick_exact = false;
  double nll0 = 0, nll0_sem = 0;  // mean −log q⁰ and its standard error
  double corr = 0, corr_sem = 0;  // mean −C (NLL(h) ≈ NLL(0) + h · corr)
  std::vector<double> exact_h, exact_nll;  // exact_h: heights of exact_shape
  HSchedule exact_shape = HSchedule::constant(1.0);  // h(t) of the Fokker–Planck runs at height 1
  double grid_error = 0;          // mean |log q_grid(h = 0) − log q⁰_ODE|
  int grid_cells = 0;
  // c(x0, t) of every point (SCIENCE.md §11) and c̄(t) ± s.e.: when noise helps.
  std::shared_ptr<const std::vector<CTrace>> traces;
  std::vector<double> logq0;  // log q⁰ of each point kept (the grid's check at h = 0)
  std::vector<Escape> escaped_points;
  CCurve c_curve;
};

struct TrainHistory {
  std::vector<double> step, loss;            // means over kTrainLossEvery steps
  std::vector<double> eval_step, eval_loss;  // on fixed draws, every kTrainEvalEvery steps
  double floor = -1;                         // the exact score's loss on those draws (< 0: unknown)
  int width = 0, depth = 0;                  // the shape of the run the loss belongs to
  bool paused = false;
  std::string outcome;                       // "done: F.hbm", "failed: …", "cancelled", or the running stage
};

// A plotted series: `id` is stable (CSV export, tests), `label` is for the legend.
enum class PlotGroup { kW2, kNll, kTraining, kToy, kCTime };
struct Curve {
  std::string id, label;
  PlotGroup group = PlotGroup::kW2;
  std::vector<double> x, y, err;  // err may be empty
  unsigned color = 0xffffffff;    // ImGui ABGR
};

// The space-time canvas (View::canvas): its axes, density, profiles at the left edge.
struct SpaceTimeStatus {
  bool shown = false;              // the canvas shows space-time
  bool toy = false;                // of the 1-D toy model
  double t0 = 0, t1 = 1;           // the time axis
  double y0 = -3, y1 = 3;          // the u·x range of the density
  double angle = 0;                // the direction u (degrees from the x axis)
  std::string heat_label;          // what the colours show
  double heat_lo = 0, heat_hi = 1;
  // Densities at the left edge (t = T_min), one per row of the density grid (bottom up):
  // the data law's, and the model's (the run's samples there, or the toy's N(0, u0)).
  std::vector<double> profile_data, profile_model;
  std::string model_label;
  CCurve toy_c;                    // the toy's exact c̄(t) (the strip shows it in toy mode)
};

struct Status {
  std::array<TaskStatus, kTaskKinds> tasks;
  TaskStatus& task(TaskKind k) { return tasks[static_cast<std::size_t>(k)]; }
  const TaskStatus& task(TaskKind k) const { return tasks[static_cast<std::size_t>(k)]; }

  std::string scene_label;                   // "swissroll_simple" …
  std::string score_label;                   // the scene's score as it describes itself
  const char* score_kind = "exact score";
  std::string load_error;                    // the last failed scene build, shown in the data panel
  bool picture_exact = false;                // full run on screen (else the cached preview)
  double preview_fraction = 1;               // the share of the particles the preview holds (< 1: its first only)
  bool preview_partial() const { return preview_fraction < 1; }
  bool compare_shown = false;
  int run_steps = 0;                         // frames in the run on screen − 1
  int data_points = 0;                       // the data on the canvas (drawn or the scene's)
  bool data_drawn = false;                   // the data is drawn by hand
  bool data_stale = false;                   // the run on screen is of other data (hidden)
  bool waiting_for_data = false;             // a drawn set too small for a scene
  double run_t_first = 1, run_t_last = 0;
  double run_t_now = 1;  // the time of the frame shown (the run's own grid: Karras's for edm)
  // The run on screen blew up: "12 of 2000 particles are not finite, the first after step
  // 37 of 500" ("" when all are finite); they are drawn nowhere and left out of metrics.
  std::string run_nonfinite;
  std::string run_diverged;  // finite particles far beyond the data: why, and a step count that would do
  std::size_t live_w2_dropped = 0;          // non-finite samples left out of live_w2
  std::string heat_label;
  double heat_lo = 0, heat_hi = 1;
  std::vector<SweepPoint> sweep;           // W2(h): the full protocol (SweepTask::kH heights, kTrials trials)
  std::vector<SweepPoint> sweep_quick;     // its quick first pass (SweepTask::kQuick…): shown until sweep is complete
  std::vector<SweepPoint> sweep_previous;  // the last complete W2(h) of other settings: greyed while one computes
  // Seconds until W2(h) and NLL(h) had a first curve of at least 5 heights, counted from
  // the start for the first scene and from its arrival for a later one (< 0: not yet).
  double curves_since = 0, first_w2_s = -1, first_nll_s = -1;
  double live_w2 = -1, live_w2_h = 0;        // sliced W2 of the full run on screen
  NllSummary nll;
  TrainHistory train;
  std::string toast;
  double toast_until = 0;
  std::string last_error;
  std::vector<std::string> errors;  // every error reported (the first 1000): a script lists them                    // the newest refused command or failed task
  // A session an abnormal exit left (recovery.hpp): its file and age; "" when none is offered.
  std::string recovery_file, recovery_age;
  double fps = 0;
  std::vector<float> frame_ms;               // recent frame times (the period: with pacing, at least 16 ms)
  std::vector<float> work_ms;                // the UI thread's work of each of them (start to swap)
  std::vector<float> preview_ms;             // recent preview compute times
  double last_preview_ms = 0;
  // The window's own each frame (as frame_ms): particles of the current step beyond the
  // canvas's view, by where they leave it (the overlay marks the border there).
  EdgeMarks edge;
  SpaceTimeStatus spacetime;
};

}  // namespace hbar::app
