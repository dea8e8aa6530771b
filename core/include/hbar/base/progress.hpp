#pragma once
// Progress and cancellation shared between a worker and whoever watches it.
// The worker writes `fraction`; the watcher (UI thread, CLI reporter) reads it and
// may set `cancel`, or `paused` to make the worker step aside: a paused worker waits
// at its next cancellation check (the app pauses its background work while the h
// slider is dragged, so the preview has a core to itself). Lock-free on the worker's
// side: a check costs two relaxed loads unless paused.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace hbar {

struct Progress {
  std::atomic<double> fraction{0.0};  // 0 … 1
  std::atomic<bool> cancel{false};
  std::atomic<bool> paused{false};
  // A step of a larger job reports its own fraction here and obeys the parent's
  // cancel and pause too (a sweep's sampling runs, say).
  const Progress* parent = nullptr;

  bool cancelled() const {
    for (;;) {
      bool stop = false, wait = false;
      for (const Progress* p = this; p; p = p->parent) {
        stop = stop || p->cancel.load(std::memory_order_relaxed);
        wait = wait || p->paused.load(std::memory_order_relaxed);
      }
      if (stop || !wait) return stop;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
};

// Thrown by a job that saw Progress::cancel.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace hbar
