#pragma once
// Driving the app's controller in tests: wall-clock seconds, frames until a condition,
// a small scene, one command through the queue, scratch folders.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
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

// Frames until the controller has been idle two frames running (fails the test after 120 s).
inline void settle(Controller& c) {
  int streak = 0;
  REQUIRE(frames_until(c, [&] { return (streak = c.idle() ? streak + 1 : 0) >= 2; }));
}

// A scene that builds in well under a second.
inline void small(UiState& ui) {
  ui.settings.scene.data = "moons";
  ui.settings.scene.data_n = 300;
  ui.settings.scene.particles = 200;
  ui.settings.scene.steps = 100;
  ui.settings.nll_cells = 32;
}

// Runs one command through the queue; returns the message the controller showed ("" if none).
// Frames until the files asked for (exports, session saves), written in the background,
// have landed: as a person waits for the file before opening it (fails after 20 s).
inline void drain(Controller& c) {
  for (int i = 0; i < 20000 && c.finishing(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    c.frame(seconds(), 0);
  }
  REQUIRE_FALSE(c.finishing());
}

inline std::string run(Controller& c, UiState& ui, const std::string& line) {
  ui.status.last_error.clear();
  ui.commands.push(Command::parse(line, "test"));
  c.frame(seconds(), 0);
  drain(c);
  return ui.status.last_error;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path scratch(const char* name) {
  const std::filesystem::path d = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace hbar::app::test
