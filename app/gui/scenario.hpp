#pragma once
// The --script runner: one command per line (the command vocabulary of
// commands.hpp), run in frame order. Each line goes into the command queue with its
// origin "script F:LINE", so a refused one is reported with its file and line and the
// script goes on. The script adds waits of its own:
//   wait N       N frames
//   wait Ns      N seconds of wall-clock time (for tests where xdotool acts meanwhile)
//   wait idle    until no command, scene build, run or heat map is pending
//   wait sweep   until the current scene's W2(h) sweep has all its points
//   wait nll     until the current scene's NLL(h) plot is complete
//   wait plots   until W2(h) and NLL(h) of the current settings each have a curve (quick at least)
//   wait train   until the requested training run has ended (done, failed or cancelled)
//   wait key     until Space or → is pressed (`tour next`); with --tour-seconds N, at
//                most N seconds (a tour that plays itself)
//   wait tour    until a running tour waits for its key (its step is set up and idle)
// A screenshot is taken at the end of its frame: later lines wait for the next one.
// Blank lines and '#' comments are skipped.
#include <chrono>
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
  virtual bool idle() = 0;                               // nothing pending
};

class Scenario {
 public:
  Scenario() = default;
  Scenario(std::string_view text, std::string name);
  // Reads a file; throws std::runtime_error naming it when it cannot be read.
  static Scenario from_file(const std::string& path);
  // Queues commands until one has to wait for later frames. Call once per frame,
  // before the controller's frame.
  void step(ScriptHost& host);
  bool finished() const { return pc_ >= lines_.size() && wait_frames_ == 0 && wait_ == Wait::kNone; }
  std::size_t size() const { return lines_.size(); }
  // Takes the errors reported since the last call, each with the script line it came
  // from (a command's own message names it; a file refused later, the line that waited).
  void collect(ScriptHost& host);
  // "script F: 2 of 9 lines failed" and one line each ("" when none): the app prints it
  // when the script ends, so that no failure is only in a toast that went by.
  std::string summary() const;
  const std::vector<Command>& commands() const { return lines_; }

 private:
  enum class Wait { kNone, kIdle, kSweep, kNll, kPlots, kTrain, kClock, kKey, kTour };
  bool waiting(ScriptHost& host);

  std::string name_;
  std::vector<Command> lines_;
  std::vector<std::string> failures_;
  std::size_t errors_seen_ = 0;
  std::string current_origin_;
  std::size_t pc_ = 0;
  int wait_frames_ = 0;
  Wait wait_ = Wait::kNone;
  int idle_streak_ = 0;
  long waited_ = 0;
  std::chrono::steady_clock::time_point wait_until_;
};

}  // namespace hbar::app
