#include "video_writer.hpp"

#include "hbar/io/output.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace hbar::app {

std::optional<VideoFormat> video_format_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".mp4") return VideoFormat::kMp4;
  if (ext == ".gif") return VideoFormat::kGif;
  return std::nullopt;
}

struct VideoWriter::Impl {
  virtual ~Impl() = default;
  virtual void add(const std::uint8_t* rgba) = 0;
  virtual void finish() = 0;
};

namespace {

std::string av_error(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

// H.264 (libx264 where Debian's libavcodec has it, else any H.264 or MPEG-4 encoder)
// in an MP4 container; yuv420p so that every player reads it.
class Mp4 final : public VideoWriter::Impl {
 public:
  Mp4(const std::string& tmp, const std::string& shown, int w, int h, int fps) : w_(w), h_(h) {
    const auto fail = [&](const std::string& why) { throw std::runtime_error(shown + ": " + why); };
    if (avformat_alloc_output_context2(&oc_, nullptr, "mp4", tmp.c_str()) < 0 || !oc_)
      fail("cannot make an MP4 container");
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!codec) fail("this libavcodec has no H.264 or MPEG-4 encoder");
    st_ = avformat_new_stream(oc_, nullptr);
    cc_ = avcodec_alloc_context3(codec);
    if (!st_ || !cc_) fail("out of memory");
    cc_->width = w;
    cc_->height = h;
    cc_->time_base = AVRational{1, fps};
    cc_->framerate = AVRational{fps, 1};
    cc_->pix_fmt = AV_PIX_FMT_YUV420P;
    cc_->gop_size = 2 * fps;
    cc_->thread_count = 1;  // the encoder shares the machine with the window drawing the frames
    if (oc_->oformat->flags & AVFMT_GLOBALHEADER) cc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* opts = nullptr;
    if (std::string(codec->name) == "libx264") {
      av_dict_set(&opts, "preset", "veryfast", 0);
      av_dict_set(&opts, "crf", "20", 0);
    } else {
      cc_->bit_rate = static_cast<std::int64_t>(w) * h * fps / 4;
    }
    int rc = avcodec_open2(cc_, codec, &opts);
    av_dict_free(&opts);
    if (rc < 0) fail("cannot open the " + std::string(codec->name) + " encoder: " + av_error(rc));
    if (avcodec_parameters_from_context(st_->codecpar, cc_) < 0)
      fail("cannot set the stream's parameters");
    st_->time_base = cc_->time_base;
    if ((rc = avio_open(&oc_->pb, tmp.c_str(), AVIO_FLAG_WRITE)) < 0)
      fail("cannot write: " + av_error(rc));
    if ((rc = avformat_write_header(oc_, nullptr)) < 0)
      fail("cannot write the header: " + av_error(rc));
    frame_ = av_frame_alloc();
    pkt_ = av_packet_alloc();
    if (!frame_ || !pkt_) fail("out of memory");
    frame_->format = AV_PIX_FMT_YUV420P;
    frame_->width = w;
    frame_->height = h;
    if (av_frame_get_buffer(frame_, 0) < 0) fail("out of memory");
    sws_ = sws_getContext(w, h, AV_PIX_FMT_RGBA, w, h, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr,
                          nullptr, nullptr);
    if (!sws_) fail("cannot convert RGBA to yuv420p");
    shown_ = shown;
  }
  ~Mp4() override {
    sws_freeContext(sws_);
    av_packet_free(&pkt_);
    av_frame_free(&frame_);
    avcodec_free_context(&cc_);
    if (oc_ && oc_->pb) avio_closep(&oc_->pb);
    avformat_free_context(oc_);
  }
  void add(const std::uint8_t* rgba) override {
    if (av_frame_make_writable(frame_) < 0) throw std::runtime_error(shown_ + ": out of memory");
    const std::uint8_t* src[1] = {rgba};
    const int stride[1] = {4 * w_};
    sws_scale(sws_, src, stride, 0, h_, frame_->data, frame_->linesize);
    frame_->pts = pts_++;
    encode(frame_);
  }
  void finish() override {
    encode(nullptr);
    int rc = av_write_trailer(oc_);
    if (rc < 0) throw std::runtime_error(shown_ + ": cannot finish the MP4: " + av_error(rc));
    if ((rc = avio_closep(&oc_->pb)) < 0)
      throw std::runtime_error(shown_ + ": cannot close: " + av_error(rc));
  }

 private:
  void encode(AVFrame* f) {
    int rc = avcodec_send_frame(cc_, f);
    if (rc < 0) throw std::runtime_error(shown_ + ": encoding failed: " + av_error(rc));
    while ((rc = avcodec_receive_packet(cc_, pkt_)) == 0) {
      // Every frame lasts one tick: without it the muxer's edit list drops the last frame.
      if (pkt_->duration == 0) pkt_->duration = 1;
      av_packet_rescale_ts(pkt_, cc_->time_base, st_->time_base);
      pkt_->stream_index = st_->index;
      if ((rc = av_interleaved_write_frame(oc_, pkt_)) < 0)
        throw std::runtime_error(shown_ + ": cannot write: " + av_error(rc));
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF)
      throw std::runtime_error(shown_ + ": encoding failed: " + av_error(rc));
  }

  int w_, h_;
  std::int64_t pts_ = 0;
  std::string shown_;
  AVFormatContext* oc_ = nullptr;
  AVCodecContext* cc_ = nullptr;
  AVStream* st_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* pkt_ = nullptr;
  SwsContext* sws_ = nullptr;
};

// An animated GIF that loops: each frame with its own palette (giflib's median cut, 256
// colours; 255 and a transparent index after the first), delays in hundredths of a
// second that add up to the frame rate.
class Gif final : public VideoWriter::Impl {
 public:
  Gif(const std::string& tmp, const std::string& shown, int w, int h, int fps)
      : w_(w), h_(h), fps_(fps), shown_(shown) {
    int err = 0;
    gif_ = EGifOpenFileName(tmp.c_str(), false, &err);
    if (!gif_) throw std::runtime_error(shown + ": cannot write: " + GifErrorString(err));
    EGifSetGifVersion(gif_, true);
    if (EGifPutScreenDesc(gif_, w, h, 8, 0, nullptr) == GIF_ERROR) fail();
    // NETSCAPE2.0: loop forever.
    static const GifByteType app[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    static const GifByteType loop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(gif_, sizeof app, app) == GIF_ERROR ||
        EGifPutExtensionBlock(gif_, sizeof loop, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(gif_) == GIF_ERROR)
      fail();
  }
  ~Gif() override {
    if (gif_) EGifCloseFile(gif_, nullptr);
  }
  // After the first frame only the rectangle that changed is written, and inside it the
  // pixels equal to the previous frame's are transparent (index 255): the viewer keeps
  // what it shows there. A playing run changes a small part of each frame, so the file
  // is several times smaller (the README's tour: see docs/benchmarks.md).
  void add(const std::uint8_t* rgba) override {
    const std::size_t n = static_cast<std::size_t>(w_) * static_cast<std::size_t>(h_);
    const bool first = prev_.size() != 4 * n;
    const auto same = [&](std::size_t i) {
      return !first && rgba[4 * i] == prev_[4 * i] && rgba[4 * i + 1] == prev_[4 * i + 1] &&
             rgba[4 * i + 2] == prev_[4 * i + 2];
    };
    int x0 = w_, y0 = h_, x1 = -1, y1 = -1;  // the changed rectangle (inclusive)
    for (int y = 0; y < h_; ++y)
      for (int x = 0; x < w_; ++x)
        if (!same(static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(x)))
          x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    if (x1 < 0) x0 = y0 = x1 = y1 = 0;  // nothing changed: one transparent pixel holds the delay
    const int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    const std::size_t m = static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh);
    r_.resize(m), g_.resize(m), b_.resize(m), idx_.resize(m);
    for (int y = 0; y < bh; ++y)
      for (int x = 0; x < bw; ++x) {
        const std::size_t i = static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(x0 + x);
        const std::size_t j = static_cast<std::size_t>(y) * static_cast<std::size_t>(bw) + static_cast<std::size_t>(x);
        r_[j] = rgba[4 * i], g_[j] = rgba[4 * i + 1], b_[j] = rgba[4 * i + 2];
      }
    int size = first ? 256 : 255;  // 255: the last index is the transparent one
    GifColorType pal[256] = {};
    if (GifQuantizeBuffer(static_cast<unsigned>(bw), static_cast<unsigned>(bh), &size, r_.data(), g_.data(), b_.data(),
                          idx_.data(), pal) == GIF_ERROR)
      throw std::runtime_error(shown_ + ": cannot reduce a frame to 256 colours");
    const int transparent = first ? NO_TRANSPARENT_COLOR : 255;
    if (!first)
      for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x) {
          const std::size_t i = static_cast<std::size_t>(y0 + y) * static_cast<std::size_t>(w_) + static_cast<std::size_t>(x0 + x);
          if (same(i))
            idx_[static_cast<std::size_t>(y) * static_cast<std::size_t>(bw) + static_cast<std::size_t>(x)] = 255;
        }
    prev_.assign(rgba, rgba + 4 * n);
    // Delay of frame k: round(100 (k+1) / fps) - round(100 k / fps) hundredths.
    const auto at = [&](int k) { return static_cast<int>(std::lround(100.0 * k / fps_)); };
    GraphicsControlBlock gcb{DISPOSE_DO_NOT, false, at(frame_ + 1) - at(frame_), transparent};
    GifByteType ext[4];
    const std::size_t len = EGifGCBToExtension(&gcb, ext);
    if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(len), ext) == GIF_ERROR)
      fail();
    ColorMapObject* map = GifMakeMapObject(256, pal);
    if (!map) throw std::runtime_error(shown_ + ": out of memory");
    const bool ok = EGifPutImageDesc(gif_, x0, y0, bw, bh, false, map) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!ok) fail();
    for (int y = 0; y < bh; ++y)
      if (EGifPutLine(gif_, idx_.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(bw), bw) == GIF_ERROR)
        fail();
    ++frame_;
  }
  void finish() override {
    int err = 0;
    const int rc = EGifCloseFile(gif_, &err);
    gif_ = nullptr;
    if (rc == GIF_ERROR)
      throw std::runtime_error(shown_ + ": cannot finish the GIF: " + GifErrorString(err));
  }

 private:
  [[noreturn]] void fail() {
    throw std::runtime_error(shown_ + ": cannot write: " + GifErrorString(gif_ ? gif_->Error : 0));
  }
  int w_, h_, fps_, frame_ = 0;
  std::string shown_;
  GifFileType* gif_ = nullptr;
  std::vector<GifByteType> r_, g_, b_, idx_;
  std::vector<std::uint8_t> prev_;  // the previous frame's RGBA (empty before the first)
};

}  // namespace

VideoWriter::VideoWriter(const std::string& path, int width, int height, int fps) : path_(path) {
  const auto format = video_format_of(path);
  if (!format) throw std::runtime_error(path + ": an animation is .mp4 or .gif");
  if (width < 16 || height < 16 || width > 7680 || height > 4320)
    throw std::runtime_error(path + ": size " + std::to_string(width) + " x " +
                             std::to_string(height) + " is outside 16 x 16 … 7680 x 4320");
  if (*format == VideoFormat::kMp4 && (width % 2 || height % 2))
    throw std::runtime_error(path + ": an MP4 needs an even width and height");
  if (fps < 1 || fps > 120)
    throw std::runtime_error(path + ": frames per second must be in [1, 120]");
  const OutputTarget target = check_output(path);
  if (target.kind != OutputTarget::Kind::kFile)
    throw std::runtime_error(path + ": an animation is written to a regular file (not a pipe, device or stdout)");
  std::error_code ec;
  const std::filesystem::path dir = target.target.has_parent_path() ? target.target.parent_path() : ".";
  if (!std::filesystem::is_directory(dir, ec)) throw std::runtime_error(path + ": no folder " + dir.string());
  tmp_ = std::make_unique<TempFile>(target.target);
  const std::string tmp = tmp_->path().string();
  if (*format == VideoFormat::kMp4) {
    av_log_set_level(AV_LOG_ERROR);  // the encoder's statistics are not the user's business
    impl_ = std::make_unique<Mp4>(tmp, path, width, height, fps);
  } else
    impl_ = std::make_unique<Gif>(tmp, path, width, height, fps);
}

VideoWriter::~VideoWriter() { abort(); }

void VideoWriter::abort() {
  impl_.reset();
  if (!finished_ && tmp_) tmp_->remove();
}

void VideoWriter::add_frame(const std::uint8_t* rgba) {
  if (!impl_) throw std::runtime_error(path_ + ": the writer was closed");
  impl_->add(rgba);
  ++frames_;
}

void VideoWriter::finish() {
  if (frames_ == 0 || !impl_) throw std::runtime_error(path_ + ": no frames");
  impl_->finish();
  std::error_code ec;
  // giflib creates its file for the owner only; an export is an ordinary file.
  using P = std::filesystem::perms;
  std::filesystem::permissions(tmp_->path(), P::owner_read | P::owner_write | P::group_read | P::others_read, ec);
  tmp_->commit();  // throws naming the target when the rename fails
  finished_ = true;
}

}  // namespace hbar::app
