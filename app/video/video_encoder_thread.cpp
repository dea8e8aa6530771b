#include "video_encoder_thread.hpp"

namespace hbar::app {

VideoEncoderThread::VideoEncoderThread(const std::string& path, int width, int height, int fps)
    : path_(path),
      bytes_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4),
      writer_(std::make_unique<VideoWriter>(path, width, height, fps)) {
  thread_ = std::thread([this] { loop(); });
}

VideoEncoderThread::~VideoEncoderThread() { abort(); }

void VideoEncoderThread::loop() {
  for (;;) {
    std::vector<std::uint8_t> frame;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty() || error_) return;  // closing, with nothing left to encode
      frame = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();  // room in the queue
    try {
      writer_->add_frame(frame.data());
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

void VideoEncoderThread::add_frame(const std::uint8_t* rgba) {
  std::vector<std::uint8_t> frame(rgba, rgba + bytes_);
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kQueue || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(frame));
  ++added_;
  lock.unlock();
  changed_.notify_all();
}

void VideoEncoderThread::stop_thread() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VideoEncoderThread::finish() {
  stop_thread();  // the queue is encoded first
  if (error_) std::rethrow_exception(error_);
  writer_->finish();
}

void VideoEncoderThread::abort() {
  {
    std::lock_guard lock(mutex_);
    queue_.clear();
  }
  stop_thread();
  if (writer_) writer_->abort();
}

}  // namespace hbar::app
