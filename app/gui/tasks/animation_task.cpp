#include "animation_task.hpp"

#include <chrono>
#include <cmath>

#include "video_writer.hpp"

namespace hbar::app {

AnimationTask::~AnimationTask() {
  task_.cancel();
  if (ex_) ex_->cv.notify_all();
}

void AnimationTask::start(const AnimationSpec& spec, const TaskContext& c, const RunView& current) {
  if (task_.busy()) throw std::runtime_error("an animation is being written: cancel it first");
  if (!video_format_of(spec.path))
    throw std::runtime_error(spec.path + ": an animation is .mp4 or .gif");
  if (spec.frames < 2 || spec.frames > kMaxAnimationFrames)
    throw std::runtime_error("an animation has 2 … " + std::to_string(kMaxAnimationFrames) +
                             " frames, asked for " + std::to_string(spec.frames));
  if (!c.scene || !c.scene_current)
    throw std::runtime_error("the scene is still being built: export when it is ready");
  if (spec.kind == AnimationKind::kPlayback && !current.result)
    throw std::runtime_error("no run on screen yet");
  // Open the file now (in the UI thread): a bad folder or size is refused at once.
  auto writer = std::make_shared<VideoWriter>(spec.path, spec.width, spec.height, spec.fps);
  spec_ = spec;
  auto ex = ex_ = std::make_shared<Exchange>();
  const std::shared_ptr<const Scene> sc = c.scene;
  task_.start([spec, ex, sc, current, writer](Progress& p, const Task<std::string>::Stage& stage,
                                              const Task<std::string>::Post& post) {
    // Frame k's run, computed while the window draws frame k - 1 and the encoder
    // takes frame k - 2's pixels: the window never waits for the sampler.
    const auto make = [&](int k) {
      FrameRequest r;
      r.index = k;
      r.count = spec.frames;
      const double u = static_cast<double>(k) / (spec.frames - 1);
      if (spec.kind == AnimationKind::kHSweep) {
        r.h = spec.h_from + (spec.h_to - spec.h_from) * u;
        Progress inner;
        inner.parent = &p;  // a cancel or pause of the export reaches the sampler
        // One thread (and one for the encoder): the other core draws the frames and the window.
        const HSchedule hs = spec.shape.with_height(r.h);
        r.run = spec.exact ? full_run(*sc, hs, &inner, 1) : cached_run(*sc, hs, &inner, 1);
        r.step = static_cast<int>(r.run.result->trajectories.frames.size()) - 1;
      } else {
        r.run = current;
        r.h = current.h;
        const int last = static_cast<int>(current.result->trajectories.frames.size()) - 1;
        r.step = static_cast<int>(std::lround(u * last));
      }
      return r;
    };
    const auto hand = [&](FrameRequest r) {
      std::lock_guard lock(ex->m);
      ex->want = std::move(r);
      ex->handed_out = false;
      ex->pixels.reset();
    };
    const auto pixels = [&] {
      std::unique_lock lock(ex->m);
      while (!ex->pixels) {
        if (p.cancelled()) throw Cancelled();
        ex->cv.wait_for(lock, std::chrono::milliseconds(50));
      }
      std::vector<std::uint8_t> px = std::move(*ex->pixels);
      ex->want.reset();
      ex->pixels.reset();
      return px;
    };
    try {
      hand(make(0));
      for (int k = 0; k < spec.frames; ++k) {
        stage("frame " + std::to_string(k + 1) + " of " + std::to_string(spec.frames));
        std::optional<FrameRequest> next;
        if (k + 1 < spec.frames) next = make(k + 1);
        std::vector<std::uint8_t> px = pixels();
        if (p.cancelled()) throw Cancelled();
        if (next) hand(std::move(*next));
        if (px.size() != static_cast<std::size_t>(spec.width) * static_cast<std::size_t>(spec.height) * 4)
          throw std::runtime_error("the window could not draw frame " + std::to_string(k + 1) + " of " + spec.path);
        writer->add_frame(px.data());
        p.fraction.store(static_cast<double>(k + 1) / spec.frames);
      }
      if (p.cancelled()) throw Cancelled();
      stage("finishing the file");
      writer->finish();
    } catch (...) {
      writer->abort();  // before the task reports the end: no temporary file left behind
      throw;
    }
    post(spec.path);
  });
}

std::optional<FrameRequest> AnimationTask::frame_wanted() {
  if (!ex_) return std::nullopt;
  std::lock_guard lock(ex_->m);
  if (!ex_->want || ex_->handed_out) return std::nullopt;
  ex_->handed_out = true;
  return ex_->want;
}

void AnimationTask::deliver(std::vector<std::uint8_t> rgba) {
  if (!ex_) return;
  {
    std::lock_guard lock(ex_->m);
    ex_->pixels = std::move(rgba);
  }
  ex_->cv.notify_all();
}

std::string AnimationTask::take_finished() {
  auto r = task_.take();
  return r ? *r : std::string();
}

}  // namespace hbar::app
