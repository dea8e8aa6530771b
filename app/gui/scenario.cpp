#include "scenario.hpp"

#include "hbar/io/read_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "commands.hpp"
#include "setting_table.hpp"
#include "tasks/tasks.hpp"

namespace hbar::app {

Scenario::Scenario(std::string_view text, std::string name) : name_(std::move(name)) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Command c = Command::parse(line, "script " + name_ + ":" + std::to_string(n));
    if (!c.words.empty()) lines_.push_back(std::move(c));
  }
}

Scenario Scenario::from_file(const std::string& path) {
  try {
    return Scenario(read_file_text(path, "a script"), path);
  } catch (const FileReadError& e) {
    throw std::runtime_error(e.what());
  }
}

// Whether a wait still holds (each is bounded, so a script never hangs forever).
bool Scenario::waiting(ScriptHost& host) {
  const Status& st = host.ui().status;
  const auto busy = [&](TaskKind k) { return st.task(k).pending || st.task(k).running; };
  bool holds = false;
  long limit = 0;
  switch (wait_) {
    case Wait::kNone: return false;
    case Wait::kClock:
      holds = std::chrono::steady_clock::now() < wait_until_;
      limit = 1L << 40;
      break;
    case Wait::kKey: {
      Tour& t = host.ui().tour;
      const bool timed_out = t.auto_seconds > 0 && std::chrono::steady_clock::now() >= wait_until_;
      holds = !t.next && !timed_out;
      t.waiting = holds;
      if (!holds) t.next = false;
      limit = 1L << 40;
      break;
    }
    case Wait::kTour:
      holds = host.ui().tour.running && !host.ui().tour.waiting;
      limit = 400000;
      break;
    case Wait::kSweep:
      holds = busy(TaskKind::kSweep) || st.sweep.size() < static_cast<std::size_t>(SweepTask::kH);
      limit = 200000;
      break;
    case Wait::kNll:
      holds = busy(TaskKind::kNll) || !st.nll.has_exact;
      limit = 400000;
      break;
    case Wait::kPlots:
      // Until W2(h) and NLL(h) of the current settings each have a curve (their quick
      // passes at least).
      holds = st.first_w2_s < 0 || st.first_nll_s < 0 || busy(TaskKind::kScene) ||
              !(st.sweep.size() >= static_cast<std::size_t>(SweepTask::kH) ||
                st.sweep_quick.size() >= static_cast<std::size_t>(SweepTask::kQuickH)) ||
              !st.nll.has_exact;
      limit = 400000;
      break;
    case Wait::kTrain: {
      // Until the run has started and ended (its outcome then says done, failed or cancelled).
      const auto ended = [&](const char* w) { return st.train.outcome.rfind(w, 0) == 0; };
      holds = busy(TaskKind::kTrain) || !(ended("done") || ended("failed") || ended("cancelled"));
      limit = 2000000;
      break;
    }
    case Wait::kIdle:
      // Idle for two frames in a row, so that finished results reach the screen.
      idle_streak_ = host.idle() ? idle_streak_ + 1 : 0;
      holds = idle_streak_ < 2;
      limit = 100000;
      break;
  }
  if (holds && ++waited_ < limit) return true;
  wait_ = Wait::kNone;
  return false;
}

void Scenario::collect(ScriptHost& host) {
  const auto& errors = host.ui().status.errors;
  for (; errors_seen_ < errors.size(); ++errors_seen_) {
    const std::string& e = errors[errors_seen_];
    failures_.push_back(e.rfind("script ", 0) == 0 ? e : (current_origin_.empty() ? "script " + name_ : current_origin_) + ": " + e);
  }
}

std::string Scenario::summary() const {
  if (failures_.empty()) return {};
  std::string s = "script " + name_ + ": " + std::to_string(failures_.size()) + (failures_.size() == 1 ? " failure" : " failures");
  for (const std::string& f : failures_) s += "\n  " + f;
  return s;
}

void Scenario::step(ScriptHost& host) {
  collect(host);
  if (wait_frames_ > 0) {
    --wait_frames_;
    if (wait_frames_ > 0 || pc_ >= lines_.size()) return;
  }
  if (waiting(host)) return;
  while (pc_ < lines_.size() && wait_frames_ == 0 && wait_ == Wait::kNone) {
    const Command& c = lines_[pc_++];
    current_origin_ = c.origin;
    const ScriptStep st = script_step(c);  // the words are read by the command layer
    if (st.is_wait) {
      waited_ = 0;
      idle_streak_ = 0;
      using W = ScriptStep::Wait;
      if (!st.error.empty()) host.report(c.origin + ": " + st.error);
      else if (st.wait == W::kIdle) wait_ = Wait::kIdle;
      else if (st.wait == W::kSweep) wait_ = Wait::kSweep;
      else if (st.wait == W::kNll) wait_ = Wait::kNll;
      else if (st.wait == W::kPlots) wait_ = Wait::kPlots;
      else if (st.wait == W::kTrain) wait_ = Wait::kTrain;
      else if (st.wait == W::kTour) wait_ = Wait::kTour;
      else if (st.wait == W::kFrames) wait_frames_ = static_cast<int>(st.count);
      else if (st.wait == W::kKey) {
        wait_ = Wait::kKey;
        Tour& t = host.ui().tour;
        t.waiting = true;
        t.next = false;
        wait_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(t.auto_seconds);
      }
      else {
        wait_ = Wait::kClock;
        wait_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(st.count);
      }
      continue;
    }
    if (st.clears_train) host.ui().status.train.outcome.clear();  // `wait train` waits for this run
    host.ui().commands.push(c);
    if (st.next_frame) wait_frames_ = 1;
    if (st.until_idle) {
      // The script goes on once the file is complete (or refused, or cancelled).
      wait_ = Wait::kIdle;
      waited_ = 0;
      idle_streak_ = 0;
    }
    if (st.ends) pc_ = lines_.size();
  }
}

}  // namespace hbar::app
