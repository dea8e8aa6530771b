#include "setting_table.hpp"

#include "hbar/base/number.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>

#include "hbar/data/dataset.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/base/text.hpp"
#include "paper_models.hpp"
#include "ranges.hpp"

namespace hbar::app {
namespace {

bool parse_bool(const std::string& t, bool& v) {
  const std::string s = to_lower(t);
  if (s == "on" || s == "true" || s == "1") return v = true, true;
  if (s == "off" || s == "false" || s == "0") return v = false, true;
  return false;
}

struct Entry {
  SettingInfo info;
  std::function<std::string(Settings&, View&, const std::string&)> set;
  std::function<std::string(const Settings&, const View&)> get;
};

std::string refuse(const SettingInfo& i, const std::string& value) {
  return std::string(i.key) + " must be " + i.range + ", got '" + value + "'";
}

template <class T>
using Field = T& (*)(Settings&, View&);

// A number in [lo, hi].
Entry number(const char* key, bool view, const char* range, const char* what, double lo, double hi,
             Field<double> f) {
  Entry e{{key, ValueKind::kNumber, view, range, what}, {}, {}};
  e.set = [info = e.info, lo, hi, f](Settings& s, View& v, const std::string& t) -> std::string {
    double d = 0;
    if (!parse_number(t, d) || d < lo || d > hi) return refuse(info, t);
    f(s, v) = d;
    return "";
  };
  e.get = [f](const Settings& s, const View& v) {
    return format_number(f(const_cast<Settings&>(s), const_cast<View&>(v)));
  };
  return e;
}

// A whole number in [lo, hi], stored as T.
template <class T>
Entry integer(const char* key, bool view, const char* range, const char* what, long long lo, long long hi,
              Field<T> f) {
  Entry e{{key, ValueKind::kInteger, view, range, what}, {}, {}};
  e.set = [info = e.info, lo, hi, f](Settings& s, View& v, const std::string& t) -> std::string {
    long long n = 0;
    if (!parse_integer(t, n) || n < lo || n > hi) return refuse(info, t);
    f(s, v) = static_cast<T>(n);
    return "";
  };
  e.get = [f](const Settings& s, const View& v) {
    return std::to_string(f(const_cast<Settings&>(s), const_cast<View&>(v)));
  };
  return e;
}

// The range text of a row shared with the CLI ("1 … 5000"), kept for the life of the program.
const char* shared_range_text(const Range& r) {
  static std::deque<std::string> texts;  // stable addresses
  std::string t = number_text(app_lo(r));  // appended piece by piece: GCC 12 warns (-Wrestrict) on a + b + c here
  t.append(" … ");
  t.append(number_text(app_hi(r)));
  texts.push_back(std::move(t));
  return texts.back().c_str();
}

// A number whose bounds are the app's in the one range table (ranges.hpp).
Entry shared_number(const char* key, const char* what, Field<double> f) {
  const Range& r = setting_range(key);
  return number(key, false, shared_range_text(r), what, app_lo(r), app_hi(r), f);
}

template <class T>
Entry shared_integer(const char* key, const char* what, Field<T> f) {
  const Range& r = setting_range(key);
  return integer<T>(key, false, shared_range_text(r), what, static_cast<long long>(app_lo(r)),
                    static_cast<long long>(app_hi(r)), f);
}

// A flag spelled as one of two words ("dark | light"): `on` is the second.
Entry two_words(const char* key, const char* off, const char* on, const char* range, const char* what,
                Field<bool> f) {
  Entry e{{key, ValueKind::kChoice, true, range, what}, {}, {}};
  e.set = [key, off, on, f](Settings& s, View& v, const std::string& t) -> std::string {
    const std::string l = to_lower(t);
    if (l != off && l != on) return std::string(key) + " is " + off + " or " + on + ", got '" + t + "'";
    f(s, v) = l == on;
    return "";
  };
  e.get = [off, on, f](const Settings& s, const View& v) {
    return std::string(f(const_cast<Settings&>(s), const_cast<View&>(v)) ? on : off);
  };
  return e;
}

Entry boolean(const char* key, bool view, const char* what, Field<bool> f) {
  Entry e{{key, ValueKind::kBool, view, "on | off", what}, {}, {}};
  e.set = [info = e.info, f](Settings& s, View& v, const std::string& t) -> std::string {
    bool b = false;
    if (!parse_bool(t, b)) return std::string(info.key) + " is on or off, got '" + t + "'";
    f(s, v) = b;
    return "";
  };
  e.get = [f](const Settings& s, const View& v) {
    return std::string(f(const_cast<Settings&>(s), const_cast<View&>(v)) ? "on" : "off");
  };
  return e;
}

// One of a list of names (case-insensitive), stored as an index into `names`.
template <class T>
Entry choice(const char* key, bool view, const char* range, const char* what, std::vector<const char*> names,
             Field<T> f) {
  Entry e{{key, ValueKind::kChoice, view, range, what}, {}, {}};
  e.set = [info = e.info, names, f](Settings& s, View& v, const std::string& t) -> std::string {
    const std::string l = to_lower(t);
    for (std::size_t i = 0; i < names.size(); ++i)
      if (l == names[i]) {
        f(s, v) = static_cast<T>(i);
        return "";
      }
    return std::string(info.key) + " is " + info.range + ", got '" + t + "'";
  };
  e.get = [names, f](const Settings& s, const View& v) {
    return std::string(names[static_cast<std::size_t>(f(const_cast<Settings&>(s), const_cast<View&>(v)))]);
  };
  return e;
}

Entry text(const char* key, bool view, const char* what, Field<std::string> f) {
  Entry e{{key, ValueKind::kText, view, "a path or name", what}, {}, {}};
  e.set = [f](Settings& s, View& v, const std::string& t) -> std::string {
    if (t.size() > 4096) return "a path of over 4096 characters";
    f(s, v) = t;
    return "";
  };
  e.get = [f](const Settings& s, const View& v) { return f(const_cast<Settings&>(s), const_cast<View&>(v)); };
  return e;
}

#define FIELD(T, expr) static_cast<Field<T>>([](Settings & s, View & v) -> T& { (void)s, (void)v; return expr; })

// Settings: the data source first, then the model, then the dynamics.
void add_settings(std::vector<Entry>& out) {
  // A session applies them in this order: `model` before `score`.
  {
    Entry e{{"data", ValueKind::kChoice, false, "a built-in data set", "the built-in data set (its exact law is known)"}, {}, {}};
    e.set = [](Settings& s, View&, const std::string& t) -> std::string {
      if (!is_dataset(t)) return "unknown data set '" + t + "' (choose from " + dataset_list() + ")";
      s.scene.data = t;  // a new source replaces the old one
      s.scene.data_file.clear();
      s.scene.points.reset();
      return "";
    };
    e.get = [](const Settings& s, const View&) { return s.scene.data; };
    out.push_back(std::move(e));
  }
  out.push_back(text("data-file", false, "a CSV of points (x, y); empty: the built-in set", FIELD(std::string, s.scene.data_file)));
  out.back().set = [inner = out.back().set](Settings& s, View& v, const std::string& t) -> std::string {
    const std::string err = inner(s, v, t);
    if (err.empty()) s.scene.points.reset();  // read from the file again (a session sets points after)
    return err;
  };
  out.push_back(shared_integer<int>("data-n", "points of a built-in draw (the empirical score's support)",
                                  FIELD(int, s.scene.data_n)));
  out.push_back(integer<std::uint64_t>("data-seed", false, "0 … 2^53", "seed of the built-in draw and its held-out draws",
                                     0, 1LL << 53, FIELD(std::uint64_t, s.scene.data_seed)));
  {
    Entry e{{"schedule", ValueKind::kChoice, false, "simple | cosine | edm | linear", "the forward process (SCIENCE.md §1, §12)"}, {}, {}};
    e.set = [](Settings& s, View&, const std::string& t) -> std::string {
      const auto sch = Schedule::by_name(t);
      if (!sch) return "unknown schedule '" + t + "' (" + std::string(Schedule::names()) + ")";
      s.scene.schedule = sch->name();
      return "";
    };
    e.get = [](const Settings& s, const View&) { return s.scene.schedule; };
    out.push_back(std::move(e));
  }
  out.push_back(text("model", false, "a trained .hbm file, or paper (the shipped network): the learned score", FIELD(std::string, s.scene.model_path)));
  {
    // Two flags, and 'learned' needs a model.
    Entry e{{"score", ValueKind::kChoice, false, "exact | biased | learned", "which score drives the dynamics"}, {}, {}};
    e.set = [](Settings& s, View&, const std::string& v) -> std::string {
      const std::string l = to_lower(v);
      if (l != "exact" && l != "biased" && l != "learned") return "score is exact, biased or learned, got '" + v + "'";
      if (l == "learned" && s.scene.model_path.empty()) {
        // The paper's data sets and schedules have a network at once (paper_models.hpp).
        if (s.scene.points || !s.scene.data_file.empty() || !has_paper_model(s.scene.data, s.scene.schedule))
          return "no model yet (train N, or set model F.hbm, or model paper for swissroll and gauss25)";
        s.scene.model_path = kPaperModel;
      }
      s.scene.biased = l == "biased";
      s.scene.learned = l == "learned";
      return "";
    };
    e.get = [](const Settings& s, const View&) {
      return std::string(s.scene.learned ? "learned" : s.scene.biased ? "biased" : "exact");
    };
    out.push_back(std::move(e));
  }
  out.push_back(shared_number("bias", "epsilon of the biased score s = (1 + epsilon) s_exact", FIELD(double, s.scene.eps)));
  out.push_back(shared_integer<int>("particles", "particles of a run (and generated points per sweep trial)",
                                  FIELD(int, s.scene.particles)));
  out.push_back(shared_integer<int>("steps", "steps N of a run (a sampler's grid points)", FIELD(int, s.scene.steps)));
  out.push_back(integer<std::uint64_t>("seed", false, "0 … 2^53", "the noise z(seed, particle, step), the same for every h",
                                     0, 1LL << 53, FIELD(std::uint64_t, s.scene.seed)));
  out.push_back(number("h", false, "a number in [0, 10]",
                     "noise variance factor: 0 = PF ODE, 1 = reverse SDE (beyond 10 the steps blow up)", 0, kMaxH,
                     FIELD(double, s.h)));
  out.push_back(choice<Integrator>("sampler", false, "em | heun | ddim | edm | restart",
                                   "the run's sampler: em the h-family, heun its PF ODE (h = 0), ddim, edm and restart "
                                   "with their own noise (SCIENCE.md §12)",
                                   {"em", "heun", "ddim", "edm", "restart"}, FIELD(Integrator, s.sampler)));
  out.push_back(number("eta", false, "0 … 1", "DDIM's η: its noise, h = η² (1: DDPM's ancestral sampler)", 0, 1,
                       FIELD(double, s.eta)));
  out.push_back(number("churn", false, "0 … 100", "EDM's S_churn: noise added at each step (h(t) = γ t/Δt)", 0, 100,
                       FIELD(double, s.churn)));
  {
    Entry e{{"h-window", ValueKind::kText, false, "A:B[,C:D…] (or A B) with 0 <= A < B <= 1",
             "noise only on these windows of t (chooses the window schedule)"}, {}, {}};
    e.set = [](Settings& s, View&, const std::string& t) -> std::string {
      try {
        const HSchedule w = HSchedule::window(1.0, parse_windows(t));
        for (const HInterval& i : w.windows())
          if (i.a < 0 || i.b > 1) return "h-window: windows lie in [0, 1] (the time range), got '" + t + "'";
        s.h_windows = w.windows();
        s.h_kind = HShapeKind::kWindow;
        return "";
      } catch (const std::invalid_argument& err) {
        return std::string("h-window: ") + err.what();
      }
    };
    e.get = [](const Settings& s, const View&) { return format_windows(s.h_windows); };
    out.push_back(std::move(e));
  }
  {
    Entry e{{"h-knots", ValueKind::kText, false, "t1:h1,t2:h2,… with t increasing in [0, 1], h in [0, 10]",
             "piecewise-linear h(t), scaled so its top is h (chooses the knots schedule)"}, {}, {}};
    e.set = [](Settings& s, View&, const std::string& t) -> std::string {
      try {
        const HSchedule k = HSchedule::knots(parse_knots(t));
        for (const HKnot& i : k.knot_list())
          if (i.t < 0 || i.t > 1 || i.h > kMaxH) return "h-knots: t in [0, 1] and h in [0, 10], got '" + t + "'";
        if (k.knot_list().size() > 64) return "h-knots: at most 64 knots";
        s.h_knots = k.knot_list();
        s.h_kind = HShapeKind::kKnots;
        return "";
      } catch (const std::invalid_argument& err) {
        return std::string("h-knots: ") + err.what();
      }
    };
    e.get = [](const Settings& s, const View&) { return format_knots(s.h_knots); };
    out.push_back(std::move(e));
  }
  // After h-window and h-knots: a session's h-schedule decides which of them is used.
  out.push_back(choice<HShapeKind>("h-schedule", false, "constant | window | knots",
                                   "the shape of h(t): constant, h-window or h-knots (the slider sets its height)",
                                   {"constant", "window", "knots"}, FIELD(HShapeKind, s.h_kind)));
  out.push_back(choice<Mode>("mode", false, "reverse | forward", "generative dynamics or the forward SDE",
                           {"reverse", "forward"}, FIELD(Mode, s.mode)));
  out.push_back(boolean("overlay", false, "runs at h = 0, 0.25, 1 from the same starts (Fig. 2)", FIELD(bool, s.overlay)));
  out.push_back(boolean("compare", false, "with a learned or biased score, the exact score's particles too",
                      FIELD(bool, s.compare)));
  out.push_back(choice<HeatKind>("heat", false, "none | path | endpoint | density | logq0 | wkbc", "the canvas's heat map",
                               {"none", "path", "endpoint", "density", "logq0", "wkbc"}, FIELD(HeatKind, s.heat)));
  out.back().set = [inner = out.back().set](Settings& s, View& v, const std::string& x) -> std::string {
    const std::string err = inner(s, v, x);
    return err.empty() ? err : "heat is none, path, endpoint, density, logq0 or wkbc";
  };
  out.push_back(shared_integer<int>("nll-cells", "Fokker–Planck grid cells per side of the NLL(h) plot",
                                  FIELD(int, s.nll_cells)));
  out.push_back(shared_integer<int>("train-steps", "Adam steps of a training run", FIELD(int, s.train_steps)));
  out.push_back(shared_integer<int>("train-width", "hidden width of the trained MLP", FIELD(int, s.train_width)));
  out.push_back(shared_integer<int>("train-depth", "hidden layers of the trained MLP", FIELD(int, s.train_depth)));
  out.push_back(number("toy-eps", false, "0 … 1", "score bias of the 1-D toy plot", 0, 1, FIELD(double, s.toy_eps)));

}

void add_view(std::vector<Entry>& out) {
  {
    Entry e{{"frame", ValueKind::kInteger, true, "a step >= 0 or 'end'", "the step shown (pauses playback)"}, {}, {}};
    e.set = [](Settings&, View& v, const std::string& t) -> std::string {
      long long n = 0;
      if (t == "end") n = 1 << 30;
      else if (!parse_integer(t, n) || n < 0 || n > (1 << 30)) return "frame is a step number or 'end', got '" + t + "'";
      v.frame = static_cast<int>(n);
      v.playing = false;
      return "";
    };
    e.get = [](const Settings&, const View& v) { return std::to_string(v.frame); };
    out.push_back(std::move(e));
  }
  out.push_back(boolean("play", true, "playback runs", FIELD(bool, v.playing)));
  out.push_back(boolean("loop", true, "playback starts again at the end", FIELD(bool, v.loop)));
  out.push_back(number("speed", true, "0.1 … 8", "playback speed", 0.1, 8, FIELD(double, v.speed)));
  out.push_back(integer<int>("lines", true, "0 … 20000", "trajectories drawn", 0, kMaxLines, FIELD(int, v.lines)));
  out.push_back(choice<LineBlend>("line-blend", true, "alpha | density",
                                  "trajectories: faint lines, or additive density (a flow)", {"alpha", "density"},
                                  FIELD(LineBlend, v.line_blend)));
  out.push_back(number("line-contrast", true, "0.005 … 10",
                       "density blend: opacity 1 - exp(-c x lines through a pixel), c = contrast x sqrt(400 / lines)",
                       0.005, 10, FIELD(double, v.line_contrast)));
  out.push_back(integer<int>("line-width", true, "1 … 4", "density blend: line width in pixels", 1, 4,
                             FIELD(int, v.line_width)));
  out.push_back(integer<int>("line-step", true, "1 … 50",
                             "trajectories through every k-th step (smoother, faster; 1: every step)", 1, 50,
                             FIELD(int, v.line_step)));
  out.push_back(integer<int>("paths", true, "0 … 50", "few paths: thick trajectories from spread-out starts (0: off)",
                             0, 50, FIELD(int, v.paths)));
  out.push_back(boolean("show-data", true, "the training data on the canvas", FIELD(bool, v.show_data)));
  out.push_back(boolean("show-trajectories", true, "trajectories on the canvas", FIELD(bool, v.show_traj)));
  out.push_back(boolean("show-particles", true, "the particles at the current step", FIELD(bool, v.show_particles)));
  out.push_back(number("point-size", true, "1 … 8", "point size in pixels", 1, 8, FIELD(double, v.point_size)));
  out.push_back(number("opacity", true, "0 … 1", "heat-map opacity", 0, 1, FIELD(double, v.heat_opacity)));
  out.push_back(choice<Colormap>("colours", true, "viridis | magma", "the heat map's colour map", {"viridis", "magma"},
                               FIELD(Colormap, v.heat_map)));
  out.push_back(boolean("arrows", true, "the drift field f_PF at the current time", FIELD(bool, v.arrows)));
  out.push_back(two_words("theme", "dark", "light", "dark | light", "dark, or light for figures",
                          FIELD(bool, v.light_theme)));
  out.push_back(number("ui-scale", true, "0.75 … 2.5", "size of the interface", 0.75, 2.5, FIELD(double, v.ui_scale)));
  out.push_back(boolean("plots", true, "the plot strip under the canvas is open", FIELD(bool, v.show_plots)));
  out.push_back(boolean("fine-h", true, "the h slider spans 0 … 0.2", FIELD(bool, v.fine_h)));
  out.push_back(boolean("plot-training", true, "the third plot shows the training loss", FIELD(bool, v.plot_training)));
  out.push_back(choice<Tool>("tool", true, "pan | brush | eraser", "what a left drag on the canvas does",
                            {"pan", "brush", "eraser"}, FIELD(Tool, v.tool)));
  out.push_back(number("brush-radius", true, "0.01 … 100", "radius of the brush and the eraser (data units)", 0.01,
                       100, FIELD(double, v.brush_radius)));
  out.push_back(number("brush-rate", true, "1 … 5000", "points per second the brush adds while held down", 1, 5000,
                       FIELD(double, v.brush_rate)));
  out.push_back(integer<int>("anim-width", true, "16 … 3840 (even for MP4)", "width of an exported animation (pixels)",
                             16, 3840, FIELD(int, v.anim_width)));
  out.push_back(integer<int>("anim-height", true, "16 … 2160 (even for MP4)", "height of an exported animation (pixels)",
                             16, 2160, FIELD(int, v.anim_height)));
  out.push_back(number("anim-h-from", true, "0 … 10", "first h of an h-sweep animation", 0, kMaxH,
                       FIELD(double, v.anim_h_from)));
  out.push_back(number("anim-h-to", true, "0 … 10", "last h of an h-sweep animation", 0, kMaxH, FIELD(double, v.anim_h_to)));
  out.push_back(boolean("anim-trajectories", true, "an animation draws the trajectories", FIELD(bool, v.anim_traj)));
  out.push_back(boolean("anim-particles", true, "an animation draws the particles", FIELD(bool, v.anim_particles)));
  out.push_back(boolean("anim-exact", true,
                        "an h sweep runs the scene's own score at each h (slow for an empirical score); off: its "
                        "cache on a grid, as the slider's preview",
                        FIELD(bool, v.anim_exact)));
  out.push_back(boolean("anim-heat", true, "an animation draws the heat map on screen under the run",
                        FIELD(bool, v.anim_heat)));
  out.push_back(boolean("annotate", true,
                        "exported canvas images, animations and recordings carry the colour bar, the legend and a "
                        "caption (h, t, the scene, the score)",
                        FIELD(bool, v.annotate)));
  out.push_back(number("camera-x", true, "-1e6 … 1e6", "canvas centre x", -1e6, 1e6, FIELD(double, v.cam_x)));
  out.push_back(number("camera-y", true, "-1e6 … 1e6", "canvas centre y", -1e6, 1e6, FIELD(double, v.cam_y)));
  out.push_back(number("camera-scale", true, "0 … 1000", "world units per pixel (0: fit the data)", 0, 1000,
                     FIELD(double, v.cam_scale)));
  out.push_back(choice<CanvasMode>("canvas", true, "plane | spacetime",
                                   "the canvas: the data's plane, or space-time (t across, u.x up)", {"plane", "spacetime"},
                                   FIELD(CanvasMode, v.canvas)));
  out.push_back(number("spacetime-angle", true, "-180 … 180",
                       "space-time: the direction u the paths are projected on (degrees from the x axis)", -180, 180,
                       FIELD(double, v.spacetime_angle)));
  out.push_back(two_words("spacetime-of", "scene", "toy", "scene | toy",
                          "space-time of the scene, or of the 1-D toy model (SCIENCE.md 9, its bias toy-eps)",
                          FIELD(bool, v.spacetime_toy)));
  out.push_back(text("export-dir", true, "the folder exports go to", FIELD(std::string, v.export_dir)));
  out.push_back(text("export-name", true, "the stem of exported files (empty: the scene's)", FIELD(std::string, v.export_name)));
}

std::vector<Entry> make_entries() {
  std::vector<Entry> out;
  add_settings(out);
  add_view(out);
  return out;
}

#undef FIELD

const std::vector<Entry>& entries() {
  static const std::vector<Entry> e = make_entries();
  return e;
}

const Entry* find_entry(const std::string& key) {
  for (const Entry& e : entries())
    if (key == e.info.key) return &e;
  return nullptr;
}

}  // namespace

const std::vector<SettingInfo>& setting_table() {
  static const std::vector<SettingInfo> t = [] {
    std::vector<SettingInfo> out;
    for (const Entry& e : entries()) out.push_back(e.info);
    return out;
  }();
  return t;
}

const SettingInfo* find_setting(const std::string& key) {
  const Entry* e = find_entry(key);
  return e ? &e->info : nullptr;
}

std::string set_setting(Settings& s, View& v, const std::string& key, const std::string& value) {
  const Entry* e = find_entry(key);
  if (!e) return "unknown setting '" + key + "'";
  Settings s2 = s;
  View v2 = v;
  std::string err = e->set(s2, v2, value);
  if (!err.empty()) return err;
  if (static_cast<long long>(s2.scene.particles) * s2.scene.steps > kMaxParticleSteps)
    return "particles x steps must be at most " + std::to_string(kMaxParticleSteps) + " (the run's frames must fit in memory), got " +
           std::to_string(s2.scene.particles) + " x " + std::to_string(s2.scene.steps);
  s = std::move(s2);
  v = std::move(v2);
  return "";
}

std::string get_setting(const Settings& s, const View& v, const std::string& key) {
  const Entry* e = find_entry(key);
  return e ? e->get(s, v) : std::string();
}

// The one number syntax of CLI, scripts and sessions (hbar/base/number.hpp).
bool parse_integer(const std::string& t, long long& out) { return hbar::parse_integer(t, out); }

bool parse_number(const std::string& t, double& out) { return hbar::parse_number(t, out) == NumberStatus::kOk; }

std::string format_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

namespace {
// The settings' h(t) shape at a given height.
HSchedule schedule_of(const Settings& s, double height, double t_min, double t_max) {
  switch (s.h_kind) {
    case HShapeKind::kConstant:
      return HSchedule::constant(height);
    case HShapeKind::kWindow:
      try {
        return HSchedule::window(height, s.h_windows).clipped(t_min, t_max);
      } catch (const std::invalid_argument&) {
        return HSchedule::constant(0.0);  // no window inside the time range: no noise
      }
    case HShapeKind::kKnots:
      return HSchedule::knots(s.h_knots).with_height(height);
  }
  return HSchedule::constant(height);
}
}  // namespace

HSchedule h_schedule(const Settings& s, double t_min, double t_max) { return schedule_of(s, s.h, t_min, t_max); }
HSchedule h_shape(const Settings& s, double t_min, double t_max) { return schedule_of(s, 1.0, t_min, t_max); }

const char* score_kind(const SceneSettings& s) {
  return s.learned ? "learned score" : s.biased ? "biased score" : "exact score";
}

bool SceneSettings::operator==(const SceneSettings& o) const {
  return same_points(points, o.points) && data == o.data && data_file == o.data_file && data_n == o.data_n &&
         data_seed == o.data_seed && schedule == o.schedule && biased == o.biased && eps == o.eps &&
         learned == o.learned && (!learned || model_path == o.model_path) && steps == o.steps && particles == o.particles &&
         seed == o.seed;
}

std::string scene_label(const SceneSettings& s) {
  std::string name = s.data;
  if (s.points || !s.data_file.empty())
    name = s.data_file.empty() ? std::string("drawn") : std::filesystem::path(s.data_file).stem().string();
  const auto sched = Schedule::by_name(s.schedule);
  return name + "_" + (sched ? sched->name() : s.schedule);
}

}  // namespace hbar::app
