#include "scenario.hpp"

#include <cerrno>
#include <cstdio>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "hbar/dataset.hpp"

namespace hbar::app {
namespace {

bool parse_double(const std::string& s, double& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size() && std::isfinite(v);
}

bool parse_int(const std::string& s, int& v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && p == s.data() + s.size();
}

bool on_off(const std::string& s, bool& v) {
  if (s == "on" || s == "true" || s == "1") return v = true, true;
  if (s == "off" || s == "false" || s == "0") return v = false, true;
  return false;
}

}  // namespace

Scenario::Scenario(std::string_view text, std::string name) : name_(std::move(name)) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ws(line);
    Command c{n, {}};
    for (std::string w; ws >> w;) {
      if (w[0] == '#') break;
      c.words.push_back(w);
    }
    if (!c.words.empty()) cmds_.push_back(std::move(c));
  }
}

Scenario Scenario::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the script");
  std::stringstream ss;
  ss << in.rdbuf();
  return Scenario(ss.str(), path);
}

std::string Scenario::where(const Command& c) const { return name_ + ":" + std::to_string(c.line); }

void Scenario::step(ScriptHost& host) {
  if (wait_frames_ > 0) {
    --wait_frames_;
    if (wait_frames_ > 0 || pc_ >= cmds_.size()) return;
  }
  if (wait_sweep_) {
    const UiState& u = host.ui();
    if ((u.sweep_pending || u.sweep_running || u.sweep.size() < 11) && ++idle_waited_ < 200000) return;
    wait_sweep_ = false;
  }
  if (wait_train_) {
    // Until the run has started and ended (its status then says done, failed or cancelled).
    const UiState& u = host.ui();
    const auto ended = [&](const char* w) { return u.train_status.rfind(w, 0) == 0; };
    const bool over = !u.req_train && !u.train_running && (ended("done") || ended("failed") || ended("cancelled"));
    if (!over && ++idle_waited_ < 2000000) return;
    wait_train_ = false;
  }
  if (wait_nll_) {
    const UiState& u = host.ui();
    if ((u.nll_pending || u.nll_running || !u.nll.has_exact) && ++idle_waited_ < 400000) return;
    wait_nll_ = false;
  }
  if (wait_idle_) {
    // Idle for two frames in a row, so that finished results reach the screen.
    idle_streak_ = host.idle() ? idle_streak_ + 1 : 0;
    if (idle_streak_ < 2 && ++idle_waited_ < 100000) return;
    wait_idle_ = false;
  }
  while (pc_ < cmds_.size() && wait_frames_ == 0 && !wait_idle_ && !wait_sweep_ && !wait_nll_ && !wait_train_) run(cmds_[pc_++], host);
}

void Scenario::run(const Command& c, ScriptHost& host) {
  const auto& w = c.words;
  UiState& ui = host.ui();
  const auto bad = [&](const std::string& why) { host.report("script " + where(c) + ": " + why); };
  const std::string& cmd = w[0];
  const auto need = [&](std::size_t n) {
    if (w.size() == n) return true;
    bad("'" + cmd + "' takes " + std::to_string(n - 1) + " argument(s)");
    return false;
  };
  if (cmd == "load") {
    if (!need(2)) return;
    std::snprintf(ui.data_path, sizeof ui.data_path, "%s", w[1].c_str());
    ui.req_load = true;
  } else if (cmd == "data") {
    if (!need(2)) return;
    if (!is_dataset(w[1])) return bad("unknown data set '" + w[1] + "' (choose from " + dataset_list() + ")");
    ui.settings.data = w[1];
    ui.settings.data_file.clear();
  } else if (cmd == "wait") {
    if (!need(2)) return;
    int n = 0;
    if (w[1] == "sweep") {
      wait_sweep_ = true;
      idle_waited_ = 0;
    } else if (w[1] == "train") {
      wait_train_ = true;
      idle_waited_ = 0;
    } else if (w[1] == "nll") {
      wait_nll_ = true;
      idle_waited_ = 0;
    } else if (w[1] == "idle") {
      wait_idle_ = true;
      idle_streak_ = 0;
      idle_waited_ = 0;
    } else if (parse_int(w[1], n) && n >= 0) {
      wait_frames_ = n;
    } else {
      bad("wait takes a number of frames, 'idle', 'sweep', 'nll' or 'train'");
    }
  } else if (cmd == "train") {
    if (!need(2)) return;
    int n = 0;
    if (!parse_int(w[1], n) || n <= 0) return bad("train takes a number of Adam steps > 0");
    ui.train_steps = n;
    ui.req_train = true;
    ui.train_status.clear();
  } else if (cmd == "screenshot") {
    // Taken at the end of this frame: later commands wait for the next one.
    if (need(2)) host.screenshot(w[1]);
    wait_frames_ = 1;
  } else if (cmd == "export") {
    if (!need(3)) return;
    if (w[1] != "samples" && w[1] != "trajectories" && w[1] != "heatmap" && w[1] != "curves")
      return bad("export takes samples, trajectories, heatmap or curves");
    try {
      host.export_file(w[1], w[2]);
    } catch (const std::exception& e) {
      bad(std::string("export failed: ") + e.what());
    }
  } else if (cmd == "layout") {
    if (need(2)) host.write_layout(w[1]);
  } else if (cmd == "stats") {
    if (need(2)) host.write_stats(w[1]);
  } else if (cmd == "quit") {
    host.quit();
    pc_ = cmds_.size();
  } else if (cmd == "set") {
    if (w.size() != 3) return bad("set takes a name and a value");
    const std::string& k = w[1];
    const std::string& v = w[2];
    double d = 0;
    int i = 0;
    bool b = false;
    if (k == "h") {
      if (!parse_double(v, d) || d < 0) return bad("h must be a number >= 0, got '" + v + "'");
      ui.h = d;
    } else if (k == "schedule") {
      if (v != "simple" && v != "cosine") return bad("unknown schedule '" + v + "' (simple or cosine)");
      ui.settings.schedule = v;
    } else if (k == "mode") {
      if (v != "forward" && v != "reverse") return bad("mode is forward or reverse");
      ui.mode = v == "forward" ? Mode::kForward : Mode::kReverse;
    } else if (k == "heat") {
      if (v == "none") ui.heat = HeatKind::kNone;
      else if (v == "path") ui.heat = HeatKind::kPathAction;
      else if (v == "endpoint") ui.heat = HeatKind::kEndpointAction;
      else if (v == "density") ui.heat = HeatKind::kLogDensity;
      else if (v == "logq0") ui.heat = HeatKind::kLogQ0;
      else if (v == "wkbc") ui.heat = HeatKind::kWkbC;
      else return bad("heat is none, path, endpoint, density, logq0 or wkbc");
    } else if (k == "overlay" || k == "play" || k == "arrows" || k == "compare") {
      if (!on_off(v, b)) return bad(k + " is on or off");
      (k == "overlay" ? ui.overlay : k == "play" ? ui.playing : k == "arrows" ? ui.arrows : ui.compare_exact) = b;
    } else if (k == "frame") {
      if (v == "end") {
        ui.frame = 1 << 30;
      } else if (parse_int(v, i) && i >= 0) {
        ui.frame = i;
      } else {
        return bad("frame is a step number or 'end'");
      }
      ui.playing = false;
    } else if (k == "lines") {
      if (!parse_int(v, i) || i < 0) return bad("lines must be >= 0");
      ui.traj_shown = i;
    } else if (k == "particles" || k == "steps") {
      if (!parse_int(v, i) || i <= 0) return bad(k + " must be > 0");
      (k == "particles" ? ui.settings.particles : ui.settings.steps) = i;
    } else if (k == "score") {
      if (v != "exact" && v != "biased" && v != "learned") return bad("score is exact, biased or learned");
      const ScoreChoice choice = v == "exact" ? ScoreChoice::kExact : v == "biased" ? ScoreChoice::kBiased : ScoreChoice::kLearned;
      if (!choose_score(ui, choice)) return bad("no model yet (train N, or set model F.hbm)");
    } else if (k == "model") {
      std::snprintf(ui.model_path_edit, sizeof ui.model_path_edit, "%s", v.c_str());
    } else if (k == "train-width" || k == "train-depth") {
      if (!parse_int(v, i) || i <= 0) return bad(k + " must be > 0");
      (k == "train-width" ? ui.train_width : ui.train_depth) = i;
    } else if (k == "theme") {
      if (v != "dark" && v != "light") return bad("theme is dark or light");
      ui.light_theme = v == "light";
    } else {
      bad("unknown setting '" + k + "'");
    }
  } else {
    bad("unknown command '" + cmd + "'");
  }
}

}  // namespace hbar::app
