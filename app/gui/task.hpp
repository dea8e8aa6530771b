#pragma once
// A background feature (ARCHITECTURE.md rule 12): a Job on a worker thread, the
// Mailbox its results travel back in, the ticket that drops a superseded run's late
// results, and a status (running, progress, stage, error) for the status line.
// No error is swallowed: an exception in the work becomes the task's error.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "jobs.hpp"
#include "status.hpp"

namespace hbar::app {

// For tests: the next run of this kind throws "injected failure" before its work.
void inject_task_failure(TaskKind k);
bool take_injected_failure(TaskKind k);

template <class T>
class Task {
 public:
  using Stage = std::function<void(std::string)>;
  using Post = std::function<void(T)>;
  using Work = std::function<void(Progress&, const Stage&, const Post&)>;

  // The long computations no frame waits for run as background work (Job::set_background).
  explicit Task(TaskKind kind) : kind_(kind) {
    job_.set_background(kind == TaskKind::kSweep || kind == TaskKind::kNll || kind == TaskKind::kTrain ||
                        kind == TaskKind::kAutosave);
  }

  // Starts `work`, cancelling the previous run (whose late results are dropped).
  void start(Work work) {
    const std::uint64_t ticket = ++ticket_;
    reported_ = false;
    job_.start([this, ticket, kind = kind_, work = std::move(work)](Progress& p, const Job::Status& stage) {
      if (take_injected_failure(kind)) throw std::runtime_error("injected failure");
      work(p, stage, [this, ticket](T v) { box_.post(ticket, std::move(v)); });
    });
  }
  // Stops the run at its next check; what it already posted still arrives.
  void cancel() { job_.cancel(); }
  // Steps aside (waits at its next check) while the user drags the h slider.
  void yield(bool y) { job_.set_paused(y); }
  // Stops the run and drops anything it posts from now on.
  void discard() {
    job_.cancel();
    ++ticket_;
  }
  // The newest value the current run posted, once.
  std::optional<T> take() { return box_.take(ticket_); }
  bool busy() const { return job_.busy(); }
  // Running, or its result not taken yet (a run can end between two frames: the frame
  // that takes its result has not come yet). What "idle" has to wait for.
  bool pending() const { return job_.busy() || box_.holds(ticket_); }
  // The current run's failure, once (then "" until the next run fails).
  std::string take_error() {
    if (reported_) return {};
    std::string e = job_.error();
    if (!e.empty()) reported_ = true;
    return e;
  }
  // The current run failed and take_error has not said so yet (a command's answer still to come).
  bool failure_untold() const { return !reported_ && !job_.busy() && !job_.error().empty(); }
  // Running, progress and stage; `error` is the last failure until a new run starts.
  void report(TaskStatus& s) const {
    s.running = job_.busy();
    s.progress = s.running ? job_.progress() : 1.0;
    s.stage = s.running ? job_.status() : std::string();
    s.error = job_.error();
  }
  void reap() { job_.reap(); }
  void wait() { job_.wait(); }
  TaskKind kind() const { return kind_; }

 private:
  TaskKind kind_;
  std::uint64_t ticket_ = 0;
  bool reported_ = false;
  Mailbox<T> box_;
  Job job_;  // last: its thread is joined while the mailbox still exists
};

}  // namespace hbar::app
