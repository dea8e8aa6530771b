#pragma once
// Animations out (issue 11): MP4 or GIF of the canvas, of playback (the dynamics
// from the first step to the last) or of an h sweep (the finished run at each h of
// a range, trajectories deforming with h). A background task: its worker computes
// the runs and encodes; the UI thread renders each frame it asks for (GL lives
// there) between its own frames, so the app stays responsive. A cancelled or failed
// export leaves no file.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tasks.hpp"

namespace hbar::app {

enum class AnimationKind { kPlayback, kHSweep };

struct AnimationSpec {
  std::string path;  // .mp4 or .gif
  AnimationKind kind = AnimationKind::kHSweep;
  int frames = 2, fps = 30;
  int width = 1280, height = 720;
  double h_from = 0, h_to = 1;  // the h sweep's range (heights of `shape`)
  HSchedule shape = HSchedule::constant(1.0);  // h(t) at height 1
  bool trajectories = true, particles = true, heat = false;
  // The h sweep's runs with the scene's own score (seconds each for an empirical score)
  // rather than its cache (the slider's preview, milliseconds each).
  bool exact = false;
};

// Limits of one export (frames × pixels bound the time; each frame is encoded as it comes).
inline constexpr int kMaxAnimationFrames = 10000, kMaxAnimationFps = 60;
inline constexpr double kMaxAnimationSeconds = 600;

// One frame the UI thread is asked to draw: `run` at its step `step`.
struct FrameRequest {
  int index = 0, count = 0;
  RunView run;
  int step = 0;
  double h = 0;
};

class AnimationTask {
 public:
  ~AnimationTask();
  // Checks the spec (throws std::runtime_error with the reason: path, extension,
  // folder, size) and starts; `current` is the run on screen (playback draws it).
  void start(const AnimationSpec& spec, const TaskContext& c, const RunView& current);
  void cancel() { task_.cancel(); }
  // UI thread: the frame wanted now (once), then its pixels: width × height RGBA, top row first.
  std::optional<FrameRequest> frame_wanted();
  void deliver(std::vector<std::uint8_t> rgba);
  const AnimationSpec& spec() const { return spec_; }
  // The path of a file just completed ("" otherwise), once.
  std::string take_finished();
  bool busy() const { return task_.busy(); }
  Task<std::string>& task() { return task_; }

 private:
  struct Exchange {
    std::mutex m;
    std::condition_variable cv;
    std::optional<FrameRequest> want;
    bool handed_out = false;
    std::optional<std::vector<std::uint8_t>> pixels;
  };
  std::shared_ptr<Exchange> ex_;
  AnimationSpec spec_;
  Task<std::string> task_{TaskKind::kAnimation};
};

}  // namespace hbar::app
