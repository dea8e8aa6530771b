#pragma once
// A monkey of our own (issue 13, part 7): a seeded random walk over the whole command
// vocabulary (commands.hpp) with good and bad values — every setting of the table with
// values inside, at and beyond its range and garbage, bad files, bursts of h changes,
// scene rebuilds while tasks run, training, drawing, sessions, exports, cancel. The
// same walk drives the ui tier (the controller without GL, test_monkey.cpp, under ASan
// and TSan in CI) and, as a script, the real window (gl_monkey.sh via hbar_monkey).
//
// Good values of the settings that cost time are kept small (a few hundred particles
// and steps, tiny networks), so that a few thousand commands take a minute or two; the
// ranges' far ends are the table-driven tests' business.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "setting_table.hpp"

namespace hbar::app::monkey {

// splitmix64: a tiny, fixed generator (the walk must be the same on every machine).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 0x1234567ull) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(double p) { return uniform() < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))]; }

 private:
  std::uint64_t s_;
};

inline std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

// Where files come from and go: good and bad inputs (tests/data), a scratch folder.
struct Places {
  std::string data;     // tests/data
  std::string scratch;  // exports, sessions
  bool window = false;  // the gl tier: screenshots, layout, stats, animations
};

// Cheap good values of the settings that cost time (else: anywhere in the range).
inline bool capped(const std::string& key, double& hi) {
  struct Cap {
    const char* key;
    double hi;
  };
  static const Cap caps[] = {{"particles", 600},  {"steps", 150},      {"data-n", 1500},   {"lines", 1500},
                             {"nll-cells", 40},   {"train-steps", 150}, {"train-width", 16}, {"train-depth", 2},
                             {"anim-width", 96},  {"anim-height", 64},  {"paths", 20},      {"brush-rate", 500}};
  for (const Cap& c : caps)
    if (key == c.key) return hi = c.hi, true;
  return false;
}

// A value for setting `info`: 70 % inside its range (cheap), else out of it or garbage.
inline std::string setting_value(Rng& r, const SettingInfo& info, const Places& at) {
  static const std::vector<std::string> garbage = {"", "nan", "inf", "-inf", "1e308", "-1e308", "abc", "0x10",
                                                   "1,5", "  ", "9999999999999999999999", "-0", "1e-320", "on off"};
  const std::string key = info.key;
  const std::string range = info.range;
  const bool good = r.chance(0.7);
  if (!good && r.chance(0.5)) return r.pick(garbage);
  if (key == "data") return good ? r.pick(std::vector<std::string>{"swissroll", "gauss25", "moons", "gauss8", "circles", "pinwheel"})
                                 : r.pick(std::vector<std::string>{"swiss", "GAUSS25", "none"});
  if (key == "data-file")
    return good ? at.data + "/" + r.pick(std::vector<std::string>{"good_header.csv", "good_tab.tsv", "good_space.txt"})
                : r.pick(std::vector<std::string>{at.data + "/bad_nan.csv", at.data + "/bad_binary.bin", at.data,
                                                  at.data + "/missing.csv", "/dev/zero", at.data + "/empty.csv"});
  if (key == "model")
    return good ? at.data + "/good_tiny.hbm"
                : r.pick(std::vector<std::string>{at.data + "/bad_truncated.hbm", at.data + "/good_header.csv", at.data});
  if (key == "h-window") {
    const double a = r.uniform() * 0.8, b = a + 0.05 + r.uniform() * (1 - a - 0.05);
    return good ? num(a) + ":" + num(b) : r.pick(std::vector<std::string>{"0.5:0.2", "0:2", "-1:0.5", "a:b", "0.3"});
  }
  if (key == "h-knots") {
    const double t = 0.1 + 0.5 * r.uniform();
    return good ? "0:0," + num(t) + ":" + num(0.05 + 2 * r.uniform()) + ",1:0"
                : r.pick(std::vector<std::string>{"0.5:1,0.2:1", "0:11", "1", "0:0,,1:1"});
  }
  if (key == "frame") return good ? (r.chance(0.3) ? "end" : std::to_string(r.below(200))) : "-3";
  if (key == "export-dir")
    return good ? at.scratch : r.pick(std::vector<std::string>{"/nonexistent/folder", "/proc", at.data + "/empty.csv"});
  if (key == "export-name") return good ? "monkey" + std::to_string(r.below(5)) : "no/such/folder/name";
  if (info.kind == ValueKind::kBool) return good ? (r.chance(0.5) ? "on" : "off") : "maybe";
  if (info.kind == ValueKind::kChoice || range.find(" | ") != std::string::npos) {
    std::vector<std::string> words;
    std::size_t p = 0;
    while (p <= range.size()) {
      const std::size_t e = range.find(" | ", p);
      words.push_back(range.substr(p, e == std::string::npos ? std::string::npos : e - p));
      if (e == std::string::npos) break;
      p = e + 3;
    }
    return good ? r.pick(words) : words.front() + "x";
  }
  // Numbers: "LO … HI" (possibly with words around; h: "a number in [0, 10]").
  double lo = 0, hi = 10;
  if (key != "h") {
    const std::size_t dots = range.find("…");
    if (dots != std::string::npos) {
      lo = std::strtod(range.c_str(), nullptr);
      hi = std::strtod(range.c_str() + dots + std::string("…").size(), nullptr);
      if (range.find("2^53") != std::string::npos) hi = 9007199254740992.0;
    }
  }
  if (good) {
    double top = hi;
    const bool cap = capped(key, top);
    if (key == "h") top = r.chance(0.8) ? 1.5 : 10;  // mostly where the pictures are
    const double v = lo + (std::min(top, hi) - lo) * (cap ? r.uniform() * r.uniform() : r.uniform());
    return info.kind == ValueKind::kInteger ? std::to_string(static_cast<long long>(std::floor(v))) : num(v);
  }
  const double width = std::max(hi - lo, 1.0);
  return num(r.chance(0.5) ? lo - width * (0.001 + r.uniform()) : hi + width * (0.001 + r.uniform()));
}

// The next command of the walk.
inline std::string command(Rng& r, const Places& at) {
  const auto& table = setting_table();
  const int k = r.below(100);
  const std::string f = at.scratch + "/m" + std::to_string(r.below(4));
  if (k < 40) {
    const SettingInfo& info = table[static_cast<std::size_t>(r.below(static_cast<int>(table.size())))];
    return std::string("set ") + info.key + " " + setting_value(r, info, at);
  }
  if (k < 50) return "set h " + num(r.chance(0.9) ? 1.2 * r.uniform() : 20 * r.uniform() - 5);  // h moving
  if (k < 53) return "data " + r.pick(std::vector<std::string>{"moons", "gauss8", "gauss25", "swissroll", "nope"});
  if (k < 55) return "load " + r.pick(std::vector<std::string>{at.data + "/good_header.csv", at.data + "/bad_tail.csv",
                                                               at.data + "/missing.csv", at.data});
  if (k < 57) return "train " + r.pick(std::vector<std::string>{"20", "60", "0", "-5", "1e9", "x"});
  if (k < 59) return r.pick(std::vector<std::string>{"pause train", "resume train", "cancel train", "cancel sweep",
                                                      "cancel nll", "cancel animation", "cancel everything"});
  if (k < 61) return r.pick(std::vector<std::string>{"run sweep", "run nll", "run train", "run"});
  if (k < 64) {
    const std::string kind = r.pick(std::vector<std::string>{"samples", "trajectories", "heatmap", "curves", "data",
                                                             "bogus"});
    return "export " + kind + (r.chance(0.7) ? " " + f + ".csv" : r.chance(0.5) ? "" : " /nonexistent/dir/x.csv");
  }
  if (k < 66) return "export plot " + r.pick(std::vector<std::string>{"w2", "nll", "toy", "train", "ct", "pie"}) +
                     (r.chance(0.8) ? " " + f + ".svg" : " /nonexistent/x.svg");
  if (k < 67 && at.window)
    return "export animation " + f + r.pick(std::vector<std::string>{".gif", ".mp4"}) + " " +
           r.pick(std::vector<std::string>{"playback", "hsweep"}) + " 0.3 10";
  if (k < 67) return "export animation " + f + ".gif playback " + r.pick(std::vector<std::string>{"0", "-1", "1e9"}) + " 10";
  if (k < 70) return r.pick(std::vector<std::string>{"session save " + f + ".json", "session load " + f + ".json",
                                                      "session load " + at.data + "/good_session.json",
                                                      "session load " + at.data + "/good_drawn_session.json",
                                                      "session load " + at.data + "/bad_nan.csv", "session load " + at.data,
                                                      "session"});
  if (k < 72) return "best-h " + r.pick(std::vector<std::string>{"window", "window 0.2", "schedule", "window -1", "x"});
  if (k < 74) return "choose " + r.pick(std::vector<std::string>{"data", "model", "session", "save-session", "save-data",
                                                                  "nothing"});
  if (k < 85) {
    const double x = 6 * r.uniform() - 3, y = 6 * r.uniform() - 3;
    switch (r.below(8)) {
      case 0: return "draw add " + num(x) + " " + num(y) + " " + num(0.05 + r.uniform()) + " " + std::to_string(r.below(80));
      case 1: return "draw erase " + num(x) + " " + num(y) + " " + num(r.uniform());
      case 2: return "draw " + r.pick(std::vector<std::string>{"begin", "end"});
      case 3: return "draw add " + num(x) + " " + num(y) + " 1e9 5";
      case 4: return "draw clear";
      case 5: return "draw add nan 0 0.3 5";
      default: return r.pick(std::vector<std::string>{"undo", "redo"});
    }
  }
  if (k < 88) return r.pick(std::vector<std::string>{"view reset", "playback toggle", "view", "playback"});
  if (k < 89) return "recovery " + r.pick(std::vector<std::string>{"restore", "discard", "maybe"});
  if (k < 92 && at.window)
    return r.pick(std::vector<std::string>{"screenshot " + f + ".png", "screenshot canvas " + f + ".png",
                                           "layout " + f + "_layout.json", "stats " + f + "_stats.json",
                                           "stats clear"});
  if (k < 92) return r.pick(std::vector<std::string>{"screenshot", "layout x.json", "stats clear"});
  if (k < 96) return r.pick(std::vector<std::string>{"", "   ", "# a comment", "sett h 1", "set", "set h", "set h 1 2",
                                                      "quit now", "export", "draw", "\x01\x02", "set h\t0.5"});
  return "set h " + num(0.01 * r.below(100));  // a burst of slider moves follows in the driver
}

}  // namespace hbar::app::monkey
