#pragma once
// A VideoWriter fed from the UI thread and encoding on a thread of its own, so a
// recording (`record F.gif|F.mp4`) costs a frame a copy of its pixels, not an encode.
// Frames wait in a short queue; when the encoder falls that far behind, add_frame waits
// for it (a recording drops nothing). An encoder error is thrown by the next add_frame
// or by finish(). Destroyed without finish(): the thread stops and the temporary goes.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "video_writer.hpp"

namespace hbar::app {

class VideoEncoderThread {
 public:
  static constexpr std::size_t kQueue = 8;  // frames waiting at most
  VideoEncoderThread(const std::string& path, int width, int height, int fps);  // throws as VideoWriter
  ~VideoEncoderThread();
  VideoEncoderThread(const VideoEncoderThread&) = delete;
  VideoEncoderThread& operator=(const VideoEncoderThread&) = delete;

  void add_frame(const std::uint8_t* rgba);
  // Encodes what is queued, closes the file and renames it into place.
  void finish();
  void abort();
  int frames() const { return added_; }
  const std::string& path() const { return path_; }

 private:
  void loop();
  void stop_thread();
  std::string path_;
  std::size_t bytes_;
  std::unique_ptr<VideoWriter> writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<std::uint8_t>> queue_;
  bool closing_ = false;
  std::exception_ptr error_;
  int added_ = 0;
  std::thread thread_;
};

}  // namespace hbar::app
