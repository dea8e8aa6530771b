#include "commands.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "app_state.hpp"
#include "setting_table.hpp"
#include "hbar/likelihood/wkb_time.hpp"
#include "tasks/animation_task.hpp"

namespace hbar::app {

std::string export_stem(const UiState& ui) {
  char h[32];
  std::snprintf(h, sizeof h, "_h%.2f", ui.settings.h);
  return scene_label(ui.settings.scene) + h;  // the settings of this moment, not the scene on screen
}

std::string export_path(const UiState& ui, const char* suffix) {
  const std::string stem = ui.view.export_name.empty() ? export_stem(ui) : ui.view.export_name;
  return (std::filesystem::path(ui.view.export_dir) / (stem + suffix)).string();
}

Command Command::parse(const std::string& line, std::string origin) {
  Command c{{}, std::move(origin)};
  std::istringstream ws(line);
  for (std::string w; ws >> w;) {
    if (w[0] == '#') break;
    c.words.push_back(w);
  }
  return c;
}

void CommandQueue::push(Command c) {
  std::lock_guard lock(mutex_);
  q_.push_back(std::move(c));
}

std::optional<Command> CommandQueue::pop() {
  std::lock_guard lock(mutex_);
  if (q_.empty()) return std::nullopt;
  Command c = std::move(q_.front());
  q_.pop_front();
  return c;
}

bool CommandQueue::empty() const {
  std::lock_guard lock(mutex_);
  return q_.empty();
}

namespace {

std::optional<TaskKind> task_named(const std::string& w) {
  if (w == "sweep") return TaskKind::kSweep;
  if (w == "nll") return TaskKind::kNll;
  if (w == "train") return TaskKind::kTrain;
  if (w == "animation") return TaskKind::kAnimation;
  if (w == "export") return TaskKind::kExport;
  if (w == "session") return TaskKind::kSession;
  if (w == "autosave") return TaskKind::kAutosave;
  return std::nullopt;
}

std::string default_suffix(const std::string& kind) {
  if (kind == "samples") return "_samples.csv";
  if (kind == "trajectories") return "_trajectories.csv";
  if (kind == "heatmap") return "_heatmap.csv";
  if (kind == "data") return "_data.csv";
  return "_curves.csv";
}

std::string apply_other(UiState& ui, CommandSink& sink, const Command& c);

// draw add X Y R N | draw erase X Y R | draw clear | draw begin | draw end | undo | redo
std::string apply_draw(UiState& ui, CommandSink& sink, const std::vector<std::string>& w) {
  SceneSettings& sc = ui.settings.scene;
  EditHistory& hist = ui.history;
  if (w[0] == "undo" || w[0] == "redo") {
    if (w.size() != 1) return "'" + w[0] + "' takes no arguments";
    DataSource back;
    const DataSource now = DataSource::of(sc);
    if (!(w[0] == "undo" ? hist.undo(now, back) : hist.redo(now, back)))
      return std::string("nothing to ") + w[0];
    back.apply_to(sc);
    return "";
  }
  const std::string usage = "draw takes add X Y R N, erase X Y R, clear, begin or end";
  if (w.size() < 2) return usage;
  const std::string& op = w[1];
  if (op == "begin" || op == "end") {
    if (w.size() != 2) return usage;
    if (op == "begin") hist.begin_stroke();
    else hist.end_stroke();
    return "";
  }
  double x = 0, y = 0, r = 0;
  long long n = 0;
  if (op == "add" || op == "erase") {
    const bool add = op == "add";
    if (w.size() != (add ? 6u : 5u)) return usage;
    if (!parse_number(w[2], x) || !parse_number(w[3], y) || std::abs(x) > kMaxCoordinate || std::abs(y) > kMaxCoordinate)
      return "draw " + op + ": X and Y must be numbers in [-1e6, 1e6], got '" + w[2] + "' '" + w[3] + "'";
    if (!parse_number(w[4], r) || r <= 0 || r > kMaxBrushRadius)
      return "draw " + op + ": R must be in (0, " + format_number(kMaxBrushRadius) + "], got '" + w[4] + "'";
    if (add && (!parse_integer(w[5], n) || n < 1 || n > kMaxBrushPoints))
      return "draw add: N must be a whole number in [1, " + std::to_string(kMaxBrushPoints) + "], got '" + w[5] + "'";
  } else if (op != "clear" || w.size() != 2) {
    return usage;
  }
  // The points being edited: the drawn set, else the data on the canvas.
  const bool drawn = sc.points && sc.data_file.empty();
  std::shared_ptr<const Points> cur = drawn ? sc.points : sink.data_points();
  if (!cur && op != "clear") return "draw " + op + ": the data is still loading";
  Points next;
  if (op == "add") {
    const std::uint64_t seed = sc.seed * 0x9E3779B97F4A7C15ull + hist.next_add();
    next = add_disc(*cur, x, y, r, static_cast<int>(n), seed);  // refuses beyond kMaxDataPoints
  } else if (op == "erase") {
    next = erase_disc(*cur, x, y, r);
  }
  hist.will_edit(DataSource::of(sc));
  sc.data_file.clear();
  sc.points = std::make_shared<const Points>(std::move(next));
  return "";
}

}  // namespace

namespace {

// best-h window [LENGTH] | best-h schedule: the first-order best noise schedule from the
// NLL task's c(x0, t) (SCIENCE.md §11), applied as h-window.
std::string apply_best_h(UiState& ui, const std::vector<std::string>& w) {
  const NllSummary& n = ui.status.nll;
  if (w.size() < 2 || w.size() > 3 || (w[1] != "window" && w[1] != "schedule") || (w[1] == "schedule" && w.size() == 3))
    return "best-h takes window [LENGTH] or schedule";
  if (!n.traces || n.traces->empty()) return "best-h: c(t) is not computed yet (the NLL task computes it)";
  const CTrace& tr = n.traces->front();
  const double t0 = tr.t.front(), t1 = tr.t.back();
  std::vector<HInterval> windows;
  if (w[1] == "window") {
    double length = ui.settings.h_windows.front().b - ui.settings.h_windows.front().a;
    if (w.size() == 3 && !parse_number(w[2], length)) return "best-h window: '" + w[2] + "' is not a number";
    length = std::min(length, t1 - t0);
    if (!(length > 0)) return "best-h window: the length must be > 0";
    windows.push_back(best_window(*n.traces, length));
  } else {
    const HSchedule best = best_schedule(n.c_curve, 1.0);
    if (best.kind() != HScheduleKind::kWindow)
      return "best-h schedule: c(t) <= 0 at every t, so to first order no noise helps (nothing changed)";
    windows = best.windows();
  }
  return set_setting(ui.settings, ui.view, "h-window", format_windows(windows));
}

}  // namespace

ScriptStep script_step(const Command& c) {
  ScriptStep s;
  const auto& w = c.words;
  if (w.empty()) return s;
  if (w[0] == "wait") {
    using W = ScriptStep::Wait;
    s.is_wait = true;
    long long n = 0;
    if (w.size() != 2) s.error = "'wait' takes 1 argument(s)";
    else if (w[1] == "idle") s.wait = W::kIdle;
    else if (w[1] == "sweep") s.wait = W::kSweep;
    else if (w[1] == "nll") s.wait = W::kNll;
    else if (w[1] == "plots") s.wait = W::kPlots;
    else if (w[1] == "train") s.wait = W::kTrain;
    else if (w[1] == "key") s.wait = W::kKey;
    else if (w[1] == "tour") s.wait = W::kTour;
    else if (parse_integer(w[1], n) && n >= 0 && n <= 1000000) s.wait = W::kFrames, s.count = n;
    else if (w[1].size() > 1 && w[1].back() == 's' && parse_integer(w[1].substr(0, w[1].size() - 1), n) && n >= 0 &&
             n <= 3600)
      s.wait = W::kSeconds, s.count = n;
    else s.error = "wait takes a number of frames, Ns (seconds), 'idle', 'sweep', 'nll', 'plots', 'train', 'key' or 'tour'";
    return s;
  }
  s.clears_train = w[0] == "train";
  s.next_frame = w[0] == "screenshot";
  // An animation export, a session or a data file being opened: the script goes on once
  // it is done (so that a file's refusal is said at its own line).
  s.until_idle = w.size() >= 2 && ((w[0] == "export" && w[1] == "animation") || (w[0] == "session" && w[1] == "load") ||
                                   (w[0] == "recovery" && w[1] == "restore") || w[0] == "load" ||
                                   (w[0] == "set" && w[1] == "data-file"));
  // Only a valid `quit` ends the script ("quit now" is refused, and the script goes on:
  // the monkey found a script that stopped there, leaving the app open for ever).
  s.ends = w[0] == "quit" && w.size() == 1;
  return s;
}

std::string apply_command(UiState& ui, CommandSink& sink, const Command& c) {
  const auto& w = c.words;
  if (w.empty()) return "";
  if (w[0] == "draw" || w[0] == "undo" || w[0] == "redo") {
    try {
      return apply_draw(ui, sink, w);
    } catch (const std::exception& e) {
      return w[0] + " failed: " + e.what();
    }
  }
  // Any other change of the data source starts a new history.
  const DataSource before = DataSource::of(ui.settings.scene);
  std::string err = apply_other(ui, sink, c);
  if (!(DataSource::of(ui.settings.scene) == before)) ui.history.clear();
  return err;
}

namespace {

std::string apply_other(UiState& ui, CommandSink& sink, const Command& c) {
  const auto& w = c.words;
  const std::string& cmd = w[0];
  const auto args = [&](std::size_t lo, std::size_t hi) { return w.size() >= lo + 1 && w.size() <= hi + 1; };
  const auto takes = [&](const char* what) { return "'" + cmd + "' takes " + what; };
  try {
    if (cmd == "set") {
      if (w.size() == 4 && w[1] == "h-window") return set_setting(ui.settings, ui.view, w[1], w[2] + ":" + w[3]);
      if (w.size() != 3) return "set takes a name and a value";
      return set_setting(ui.settings, ui.view, w[1], w[2]);
    }
    if (cmd == "best-h") return apply_best_h(ui, w);
    if (cmd == "data") {
      if (!args(1, 1)) return takes("1 argument(s)");
      return apply_command(ui, sink, {{"set", "data", w[1]}, c.origin});
    }
    if (cmd == "load") {
      if (!args(1, 1)) return takes("1 argument(s)");
      return apply_command(ui, sink, {{"set", "data-file", w[1]}, c.origin});
    }
    if (cmd == "train") {
      if (!args(1, 1)) return takes("1 argument(s)");
      if (set_setting(ui.settings, ui.view, "train-steps", w[1]) != "")
        return "train takes a number of Adam steps > 0 (at most " + std::to_string(kMaxTrainSteps) + ")";
      sink.start_task(TaskKind::kTrain);
      return "";
    }
    if (cmd == "pause" || cmd == "resume") {
      if (!args(1, 1) || w[1] != "train") return takes("'train'");
      sink.pause_training(cmd == "pause");
      return "";
    }
    if (cmd == "cancel" || cmd == "run") {
      const auto k = args(1, 1) ? task_named(w[1]) : std::nullopt;
      if (!k || (cmd == "run" && *k != TaskKind::kSweep && *k != TaskKind::kNll))
        return takes(cmd == "run" ? "sweep or nll" : "sweep, nll, train, animation, export, session or autosave");
      if (cmd == "run") sink.start_task(*k);
      else sink.cancel_task(*k);
      return "";
    }
    if (cmd == "export" && w.size() >= 2 && w[1] == "animation") {
      const std::string usage = "export animation takes F.mp4|F.gif playback|hsweep SECONDS FPS";
      if (w.size() != 6) return usage;
      if (w[3] != "playback" && w[3] != "hsweep") return usage + ", got '" + w[3] + "'";
      double secs = 0;
      long long fps = 0;
      if (!parse_number(w[4], secs) || secs <= 0 || secs > kMaxAnimationSeconds)
        return "export animation: SECONDS must be in (0, " + format_number(kMaxAnimationSeconds) + "], got '" + w[4] + "'";
      if (!parse_integer(w[5], fps) || fps < 1 || fps > kMaxAnimationFps)
        return "export animation: FPS must be a whole number in [1, " + std::to_string(kMaxAnimationFps) + "], got '" +
               w[5] + "'";
      const long long frames = std::llround(secs * static_cast<double>(fps));
      if (frames < 2 || frames > kMaxAnimationFrames)
        return "export animation: SECONDS x FPS must give 2 … " + std::to_string(kMaxAnimationFrames) + " frames, got " +
               std::to_string(frames);
      try {
        sink.export_animation(w[2], w[3], static_cast<int>(frames), static_cast<int>(fps));
      } catch (const std::exception& e) {
        return std::string("export animation failed: ") + e.what();
      }
      return "";
    }
    if (cmd == "export" && w.size() >= 2 && w[1] == "plot") {
      if (w.size() < 3 || w.size() > 4 ||
          (w[2] != "w2" && w[2] != "nll" && w[2] != "toy" && w[2] != "train" && w[2] != "ct"))
        return "export plot takes w2, nll, toy, train or ct, and [F.svg]";
      const std::string path = w.size() == 4 ? w[3] : export_path(ui, ("_" + w[2] + ".svg").c_str());
      try {
        sink.export_file("plot-" + w[2], path);
      } catch (const std::exception& e) {
        return std::string("export failed: ") + e.what();
      }
      return "";
    }
    if (cmd == "export") {
      if (!args(1, 2) || (w[1] != "samples" && w[1] != "trajectories" && w[1] != "heatmap" && w[1] != "curves" &&
                          w[1] != "data"))
        return "export takes samples, trajectories, heatmap, curves or data";
      const std::string path = w.size() == 3 ? w[2] : export_path(ui, default_suffix(w[1]).c_str());
      try {
        sink.export_file(w[1], path);
      } catch (const std::exception& e) {
        return std::string("export failed: ") + e.what();
      }
      return "";
    }
    if (cmd == "session") {
      if (!args(1, 2) || (w[1] != "save" && w[1] != "load") || (w[1] == "load" && w.size() != 3))
        return "session takes save [F.json] or load F.json";
      if (w[1] == "save") sink.save_session(w.size() == 3 ? w[2] : export_path(ui, "_session.json"));
      else sink.load_session(w[2]);
      return "";
    }
    if (cmd == "choose") {
      // The file chooser: Open… / Save as… of the panels.
      const std::string what = w.size() == 2 ? w[1] : "";
      if (what == "data") ui.files.open("Open data (CSV: x, y)", {"load"}, {".csv", ".txt"}, false, "");
      else if (what == "model") ui.files.open("Open a trained model", {"set", "model"}, {".hbm"}, false, "");
      else if (what == "session") ui.files.open("Open a session", {"session", "load"}, {".json"}, false, "");
      else if (what == "save-session")
        ui.files.open("Save the session as", {"session", "save"}, {".json"}, true, ui.view.export_dir,
                      export_stem(ui) + "_session.json");
      else if (what == "save-data")
        ui.files.open("Save the data as CSV", {"export", "data"}, {".csv"}, true, ui.view.export_dir,
                      export_stem(ui) + "_data.csv");
      else return "choose takes data, model, session, save-session or save-data";
      return "";
    }
    if (cmd == "recovery") {
      if (!args(1, 1) || (w[1] != "restore" && w[1] != "discard" && w[1] != "offer"))
        return takes("restore, discard or offer");
      if (w[1] == "offer") sink.offer_recovery();
      else sink.recover(w[1] == "restore");
      return "";
    }
    if (cmd == "view") {
      if (!args(1, 1) || (w[1] != "reset" && w[1] != "presentation" && w[1] != "screen"))
        return takes("reset, presentation or screen");
      if (w[1] == "reset") {
        ui.view.cam_scale = 0;  // fit the data at the next frame
        return "";
      }
      // A style is a few view settings at once (each shows in its own control, and a
      // session keeps them): for a lecture or a paper, light, large and thick; or back.
      const bool talk = w[1] == "presentation";
      View v = ui.view;
      Settings s = ui.settings;
      const std::pair<const char*, std::string> style[] = {
          {"theme", talk ? "light" : "dark"},
          {"ui-scale", talk ? format_number(std::max(1.35, ui.view.ui_scale)) : "1"},
          {"line-width", talk ? "3" : "2"},
          {"point-size", talk ? "4" : "3"},
      };
      for (const auto& [key, value] : style)
        if (std::string err = set_setting(s, v, key, value); !err.empty()) return err;
      ui.view = v;
      return "";
    }
    if (cmd == "playback") {
      if (!args(1, 1) || w[1] != "toggle") return takes("'toggle'");
      if (!ui.view.playing && ui.view.frame >= ui.status.run_steps) ui.view.frame = 0;
      ui.view.playing = !ui.view.playing;
      return "";
    }
    if (cmd == "caption") {
      // The rest of the line, on the canvas (a tour's words); `caption` alone clears it.
      std::string text;
      for (std::size_t i = 1; i < w.size(); ++i) text += (i > 1 ? " " : "") + w[i];
      if (text.size() > kMaxCaption)
        return "caption: at most " + std::to_string(kMaxCaption) + " characters, got " + std::to_string(text.size());
      ui.tour.caption = text;
      return "";
    }
    if (cmd == "tour") {
      if (!args(1, 1) || (w[1] != "start" && w[1] != "next" && w[1] != "stop")) return takes("start, next or stop");
      if (w[1] == "next") {
        if (!ui.tour.waiting) return "tour next: nothing waits for a key";
        ui.tour.next = true;
        ui.tour.waiting = false;  // until the tour's next `wait key` (a script's `wait tour` sees it)
        return "";
      }
      HostRequest r;
      r.kind = w[1] == "start" ? HostRequest::Kind::kTourStart : HostRequest::Kind::kTourStop;
      sink.host_command(r);
      return "";
    }
    if (cmd == "record") {
      const std::string usage = "record takes F.gif|F.mp4 [FPS] or stop";
      HostRequest r;
      if (args(1, 1) && w[1] == "stop") {
        r.kind = HostRequest::Kind::kRecordStop;
      } else {
        if (!args(1, 2)) return usage;
        long long fps = 10;
        if (w.size() == 3 && (!parse_integer(w[2], fps) || fps < 1 || fps > kMaxAnimationFps))
          return "record: FPS must be a whole number in [1, " + std::to_string(kMaxAnimationFps) + "], got '" + w[2] + "'";
        r.kind = HostRequest::Kind::kRecordStart;
        r.path = w[1];
        r.fps = static_cast<int>(fps);
      }
      sink.host_command(r);
      return "";
    }
    if (cmd == "screenshot" || cmd == "layout" || cmd == "stats" || cmd == "quit") {
      HostRequest r;
      if (cmd == "quit") {
        if (w.size() != 1) return "quit failed: quit takes no argument";  // found by the monkey
        r.kind = HostRequest::Kind::kQuit;
      } else if (cmd == "screenshot") {
        r.kind = HostRequest::Kind::kScreenshot;
        std::size_t i = 1;
        if (i < w.size() && w[i] == "canvas") r.canvas = true, ++i;
        if (i < w.size() && w[i] != "x1" && w[i] != "x2" && w[i] != "x4" && w[i] != "transparent") r.path = w[i++];
        for (; i < w.size(); ++i) {
          if (r.canvas && (w[i] == "x1" || w[i] == "x2" || w[i] == "x4")) r.scale = w[i][1] - '0';
          else if (r.canvas && w[i] == "transparent") r.transparent = true;
          else return "screenshot failed: screenshot takes [canvas] [F.png] [x2|x4] [transparent] (the last two for the canvas)";
        }
        if (r.path.empty()) r.path = export_path(ui, r.canvas ? "_canvas.png" : "_window.png");
      } else if (w.size() == 2 && cmd == "stats" && w[1] == "clear") {
        r.kind = HostRequest::Kind::kStatsClear;
      } else if (w.size() != 2) {
        return cmd + " failed: '" + cmd + "' takes 1 argument(s)";
      } else {
        r.kind = cmd == "layout" ? HostRequest::Kind::kLayout : HostRequest::Kind::kStats;
        r.path = w[1];
      }
      sink.host_command(r);
      return "";
    }
  } catch (const std::exception& e) {
    return cmd + " failed: " + e.what();
  }
  return "unknown command '" + cmd + "'";
}

}  // namespace

}  // namespace hbar::app
