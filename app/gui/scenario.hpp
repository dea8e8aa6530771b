#pragma once
// The --script runner: one command per line, run in frame order.
//
//   load F.csv | data NAME | set h H | set schedule NAME | wait N | screenshot F.png
//   export samples|trajectories|heatmap|curves F.csv | quit
// and, for tests and demos: wait idle (until no background job is running),
//   wait sweep (until the W2(h) sweep has all its points),
//   set mode forward|reverse, set heat none|path|endpoint|density, set overlay on|off,
//   set frame N|end, set play on|off, set particles N, set steps N, set theme dark|light,
//   set arrows on|off, set lines N (trajectories drawn), layout F.json (where the h
//   slider is, in window pixels), stats F.json (median frame time of the last 120
//   frames, the last preview's compute time, vertices drawn).
// Blank lines and '#' comments are skipped. A bad command is reported with its line
// number and the script goes on; a failed load shows its error and the script goes on.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app_state.hpp"

namespace hbar::app {

class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  virtual UiState& ui() = 0;
  virtual void report(const std::string& message) = 0;  // stderr and a toast
  virtual bool idle() = 0;                               // no background job pending
  virtual void screenshot(const std::string& path) = 0;  // of this frame
  virtual void export_file(const std::string& kind, const std::string& path) = 0;  // throws on failure
  virtual void write_layout(const std::string& path) = 0;
  virtual void write_stats(const std::string& path) = 0;  // frame-time figures (JSON)
  virtual void quit() = 0;
};

class Scenario {
 public:
  Scenario() = default;
  Scenario(std::string_view text, std::string name);
  // Reads a file; throws std::runtime_error naming it when it cannot be read.
  static Scenario from_file(const std::string& path);
  // Runs commands until one has to wait for later frames. Call once per frame.
  void step(ScriptHost& host);
  bool finished() const { return pc_ >= cmds_.size() && wait_frames_ == 0 && !wait_idle_ && !wait_sweep_ && !wait_nll_ && !wait_train_; }
  std::size_t size() const { return cmds_.size(); }

 private:
  struct Command {
    std::size_t line;
    std::vector<std::string> words;
  };
  // Runs one command; returns false when the script must wait.
  void run(const Command& c, ScriptHost& host);
  std::string where(const Command& c) const;

  std::string name_;
  std::vector<Command> cmds_;
  std::size_t pc_ = 0;
  int wait_frames_ = 0;
  bool wait_idle_ = false;
  bool wait_sweep_ = false;
  bool wait_nll_ = false;
  bool wait_train_ = false;
  int idle_streak_ = 0;
  long idle_waited_ = 0;
};

}  // namespace hbar::app
