#include "jobs.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hbar::app {

namespace {
std::atomic<int> g_worker_nice{0};
}  // namespace

void set_worker_nice(int nice) { g_worker_nice.store(nice); }
int worker_nice() { return g_worker_nice.load(); }

Job::~Job() {
  cancel();
  if (current_) finished_.push_back(std::move(*current_));
  current_.reset();
  for (auto& r : finished_)
    if (r.thread.joinable()) r.thread.join();
}


void Job::start(Work work) {
  cancel();
  if (current_) finished_.push_back(std::move(*current_));
  Run r;
  r.progress = std::make_shared<Progress>();
  r.done = std::make_shared<std::atomic<bool>>(false);
  r.error = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  auto progress = r.progress;
  auto done = r.done;
  auto error = r.error;
  const int nice = background_ ? worker_nice() : 0;
  r.thread = std::thread([work = std::move(work), progress, done, status, error, nice, this] {
    if (nice > 0)  // this thread only (Linux: per thread)
      ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), nice);
    const Status set_status = [this, status](std::string s) {
      std::lock_guard lock(mutex_);
      *status = std::move(s);
    };
    // Cancelled ends quietly; any other exception is the run's error, shown by the task.
    try {
      work(*progress, set_status);
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
      *error = e.what()[0] ? e.what() : "an error without a message";
    } catch (...) {
      *error = "an unknown exception";
    }
    done->store(true, std::memory_order_release);
  });
  current_ = std::move(r);
  reap();
}

void Job::cancel() {
  if (current_) current_->progress->cancel.store(true);
}

void Job::set_paused(bool paused) {
  if (current_) current_->progress->paused.store(paused, std::memory_order_relaxed);
}

bool Job::busy() const { return current_ && !current_->done->load(); }

double Job::progress() const { return current_ ? current_->progress->fraction.load() : 1.0; }

std::string Job::status() const {
  std::lock_guard lock(mutex_);
  return *status_;
}

std::string Job::error() const {
  if (!current_ || !current_->done->load(std::memory_order_acquire)) return {};
  return *current_->error;
}

void Job::reap() {
  for (auto it = finished_.begin(); it != finished_.end();) {
    if (it->done->load()) {
      if (it->thread.joinable()) it->thread.join();
      it = finished_.erase(it);
    } else {
      ++it;
    }
  }
}

void Job::wait() {
  if (current_ && current_->thread.joinable()) current_->thread.join();
}

}  // namespace hbar::app
