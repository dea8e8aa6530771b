#pragma once
// Writes an animation frame by frame: MP4 (H.264 through Debian's libavcodec,
// libavformat and libswscale) or GIF (Debian's giflib). Frames go to a temporary
// file beside the target (core's TempFile: removed on a signal too), renamed to it by
// finish(); a writer destroyed before finish() (cancelled, failed) removes it: no
// half-written export. The target is checked like every output (a symlink is written
// at its target); a pipe or device is refused: an MP4 is finished by seeking back.
// No GL, no ImGui.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace hbar {
class TempFile;
}

namespace hbar::app {

enum class VideoFormat { kMp4, kGif };

// From the path's extension (.mp4, .gif; any case); nullopt for anything else.
std::optional<VideoFormat> video_format_of(const std::string& path);

class VideoWriter {
 public:
  // Frames are width × height RGBA, top row first. MP4 needs even sizes. Throws
  // std::runtime_error naming the file and the reason (bad folder, no encoder, …).
  VideoWriter(const std::string& path, int width, int height, int fps);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  void add_frame(const std::uint8_t* rgba);
  // Flushes and closes the temporary file and renames it to the path.
  void finish();
  // Closes and removes the temporary file now (a cancel or failure); also what the
  // destructor does without finish().
  void abort();
  int frames() const { return frames_; }
  const std::string& path() const { return path_; }

  struct Impl;

 private:
  std::string path_;
  std::unique_ptr<TempFile> tmp_;
  int frames_ = 0;
  bool finished_ = false;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hbar::app
