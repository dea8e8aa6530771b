#pragma once
// Progress and cancellation shared between a worker and whoever watches it.
// The worker writes `done`; the watcher (UI thread, CLI reporter) reads it and may
// set `cancel`. Lock-free, so neither side ever waits.
#include <atomic>
#include <stdexcept>

namespace hbar {

struct Progress {
  std::atomic<double> fraction{0.0};  // 0 … 1
  std::atomic<bool> cancel{false};
  bool cancelled() const { return cancel.load(std::memory_order_relaxed); }
};

// Thrown by a job that saw Progress::cancel.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace hbar
