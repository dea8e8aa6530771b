#pragma once
// Driving the app's controller in tests: wall-clock seconds and frames until a condition.
#include <chrono>
#include <thread>

#include "controller.hpp"

namespace hbar::app::test {

inline double seconds() {
  static const auto start = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Frames (1/60 s of playback each) until `done` holds or `limit_s` seconds pass.
template <class F>
bool frames_until(Controller& c, F done, double limit_s = 120) {
  const double t0 = seconds();
  while (!done() && seconds() - t0 < limit_s) {
    c.frame(seconds(), 1.0 / 60);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

}  // namespace hbar::app::test
