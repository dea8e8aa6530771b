#pragma once
// The app's state in three parts (ARCHITECTURE.md rule 13):
//   Settings — everything that decides what is computed: a comparable value, the
//              body of a session file, changed only by commands;
//   View     — how it is shown: camera, toggles, theme, playback;
//   Status   — what the tasks report (status.hpp), read-only for the panels.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hbar/process/dynamics.hpp"
#include "hbar/view/colormap.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/view/grid.hpp"
#include "hbar/view/heatmap.hpp"
#include "hbar/base/types.hpp"

namespace hbar::app {

using hbar::HeatKind;
enum class Mode { kReverse, kForward };
// What a left drag on the canvas does: pan, add points (brush) or remove them (eraser).
enum class Tool { kPan, kBrush, kEraser };
// How trajectories blend: alpha (each line faint) or additive density (many noisy
// paths read as a flow; the contrast maps the count of lines through a pixel).
enum class LineBlend { kAlpha, kDensity };
// What the canvas shows: the plane of the data, or space-time (t across, u·x up).
enum class CanvasMode { kPlane, kSpaceTime };

// Point sets compared by value (the same object, or equal rows); null equals only null.
inline bool same_points(const std::shared_ptr<const Points>& a, const std::shared_ptr<const Points>& b) {
  return a == b || (a && b && a->rows() == b->rows() && *a == *b);
}

// Changing any of these rebuilds the scene (data, score, cache, noise) in the background.
struct SceneSettings {
  std::string data = "swissroll";  // built-in name; ignored when data_file or points is set
  std::string data_file;           // a loaded CSV (its name labels the scene)
  // Data given as points (a session's embedded data): the scene's data when set, in
  // place of reading data_file again. Compared by value.
  std::shared_ptr<const Points> points;
  int data_n = 2000;               // size of a built-in draw (the empirical score's support)
  std::uint64_t data_seed = 0;
  std::string schedule = "simple";
  bool biased = false;
  double eps = 0.2;        // the biased score is (1 + eps) × the exact one
  bool learned = false;    // the score is the network in model_path (else the exact score)
  std::string model_path;  // a trained .hbm (written by the training panel or loaded)
  int steps = 500;
  int particles = 2000;
  std::uint64_t seed = 1;
  // model_path counts only while the score is learned (a newly trained model does
  // not rebuild an exact scene).
  bool operator==(const SceneSettings& o) const;
};

// The shape of the noise schedule h(t) (SCIENCE.md §11); the h slider sets its height.
enum class HShapeKind { kConstant, kWindow, kKnots };

struct Settings {
  SceneSettings scene;
  double h = 0.0;  // the height of h(t): its value where it is largest
  HShapeKind h_kind = HShapeKind::kConstant;
  std::vector<HInterval> h_windows{{0.05, 0.3}};  // kept while another kind is chosen
  std::vector<HKnot> h_knots{{0.01, 0.0}, {0.2, 1.0}, {0.6, 0.0}};  // their shape; the top becomes h
  Mode mode = Mode::kReverse;
  // The run's sampler (SCIENCE.md §12): em runs the h-family (h or h(t) above), heun its
  // PF ODE (h = 0); ddim, edm and restart set their own noise (η, S_churn) and ignore h.
  Integrator sampler = Integrator::kEulerMaruyama;
  double eta = 0.0;    // ddim: η (h = η²)
  double churn = 0.0;  // edm: S_churn
  bool overlay = false;   // several h from the same starts (Fig. 2)
  bool compare = false;   // with a learned or biased score: the exact score's particles too
  HeatKind heat = HeatKind::kNone;
  int nll_cells = 160;    // Fokker–Planck grid of the NLL(h) plot
  int train_steps = 20000, train_width = 128, train_depth = 3;
  double toy_eps = 0.2;   // the 1-D toy plot's score bias
  bool operator==(const Settings&) const = default;
};

// h(t) of these settings on [t_min, t_max]: constant h, h on the windows (clipped; none
// left: 0), or the knots scaled so that their top is h.
HSchedule h_schedule(const Settings& s, double t_min, double t_max);
// The same shape with height 1 (sweeps and the NLL(h) grid take heights).
HSchedule h_shape(const Settings& s, double t_min, double t_max);

// The overlay's h values (Fig. 2) and how many particles each draws.
inline constexpr double kOverlayH[] = {0.0, 0.25, 1.0};
inline constexpr int kOverlayParticles = 40;

struct View {
  // Playback: frame index into the trajectories (0 = start of the run).
  int frame = 0;
  bool playing = true;
  double speed = 1.0;  // frames of the run per 1/60 s (times the long-run divisor)
  bool loop = false;
  // Canvas
  int lines = 400;  // trajectories drawn
  LineBlend line_blend = LineBlend::kDensity;
  // Density: opacity 1 - exp(-c × lines through the pixel), c = line_contrast × √(400 / lines):
  // one line reads alike whether 100 or 4000 are drawn (more lines, fainter each).
  double line_contrast = 0.35;
  int line_width = 2;  // density: lines this many pixels wide (1 … 4)
  int line_step = 1;   // trajectories through every line_step-th step (1: all)
  int paths = 0;                // "few paths": this many thick trajectories over the rest (Fig. 2)
  bool show_data = true, show_traj = true, show_particles = true;
  double point_size = 3.0;
  double heat_opacity = 0.75;
  Colormap heat_map = Colormap::kMagma;
  bool arrows = false;  // the drift field f_PF on a coarse grid
  bool light_theme = false;
  double ui_scale = 1.0;
  bool show_plots = true;
  bool fine_h = false;          // h slider range 0 … 0.2
  bool plot_training = false;   // the third plot shows the training loss (else the 1-D toy)
  // Camera: centre and world units per window pixel; scale 0 = fit the data next frame.
  double cam_x = 0, cam_y = 0, cam_scale = 0;
  // Drawing data (issue 11): the tool, the brush's radius (data units) and rate.
  Tool tool = Tool::kPan;
  double brush_radius = 0.3;
  double brush_rate = 150;  // points per second while the brush is held down
  // Animations (export animation …): size, the h sweep's range, the layers drawn.
  int anim_width = 1280, anim_height = 720;
  double anim_h_from = 0, anim_h_to = 1;
  bool anim_traj = true, anim_particles = true, anim_heat = false;
  bool anim_exact = false;  // an h sweep's runs with the real score (else the score cache)
  bool annotate = true;     // exported images carry the colour bars, the legend and a caption
  // Space-time (issue 12): the paths x(t) projected on the direction spacetime_angle
  // (degrees from the x axis) over the diffused law's density; or the 1-D toy model's.
  CanvasMode canvas = CanvasMode::kPlane;
  double spacetime_angle = 0;
  bool spacetime_toy = false;
  std::string export_dir = "exports";
  std::string export_name;  // empty: the scene's default stem
};

// Where the playback divisor starts: long runs advance this many frames per tick more.
inline constexpr int kPlaybackFramesPerTick = 300;

}  // namespace hbar::app
