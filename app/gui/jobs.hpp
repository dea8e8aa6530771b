#pragma once
// Background work for the app: one Job runs one piece of work at a time on a
// worker thread, with progress and cancel. Starting new work cancels the old run,
// which is joined later, once it has noticed, so the UI thread never waits.
// Results travel back through a Mailbox, tagged with a ticket so a cancelled
// run's late result is dropped.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hbar/base/progress.hpp"

namespace hbar::app {

// The nice value a background job's worker thread takes (0: as the UI thread; see
// Job::set_background). An interactive window sets it above 0, so that the UI thread
// and the GL driver's threads get the cores first when a frame is due, and the long
// work takes what the frames leave (threads a worker starts, OpenMP's among them,
// inherit it). Scripted runs keep 0.
void set_worker_nice(int nice);
int worker_nice();

class Job {
 public:
  using Status = std::function<void(std::string)>;
  using Work = std::function<void(Progress&, const Status&)>;
  Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;
  ~Job();

  void start(Work work);
  // Long computations the user does not wait for frame by frame (the W2 sweep, NLL,
  // training) run at worker_nice(); everything else (the scene, runs, heat maps, files,
  // sessions) keeps the UI thread's priority, so that it is not starved by other load.
  void set_background(bool background) { background_ = background; }
  void cancel();
  // Makes the current run wait at its next cancellation check (or go on again).
  void set_paused(bool paused);
  bool busy() const;
  double progress() const;
  std::string status() const;
  // Why the current run failed, once it has ended ("" while running or after success).
  // Cancelled is not a failure.
  std::string error() const;
  // Joins runs that have finished (called every frame; never blocks for long).
  void reap();
  // Blocks until the current run ends (tests and shutdown only).
  void wait();

 private:
  struct Run {
    std::thread thread;
    std::shared_ptr<Progress> progress;
    std::shared_ptr<std::atomic<bool>> done;
    std::shared_ptr<std::string> error;  // written by the worker before `done`
  };
  bool background_ = false;
  std::optional<Run> current_;
  std::vector<Run> finished_;
  mutable std::mutex mutex_;
  std::shared_ptr<std::string> status_ = std::make_shared<std::string>();
};

template <class T>
class Mailbox {
 public:
  void post(std::uint64_t ticket, T value) {
    std::lock_guard lock(mutex_);
    ticket_ = ticket;
    value_ = std::move(value);
  }
  // The posted value if its ticket is `ticket`; empties the box either way.
  std::optional<T> take(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    if (!value_) return std::nullopt;
    std::optional<T> v = std::move(value_);
    value_.reset();
    if (ticket_ != ticket) return std::nullopt;
    return v;
  }
  // Whether a value of `ticket` waits to be taken.
  bool holds(std::uint64_t ticket) const {
    std::lock_guard lock(mutex_);
    return value_ && ticket_ == ticket;
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t ticket_ = 0;
  std::optional<T> value_;
};

}  // namespace hbar::app
