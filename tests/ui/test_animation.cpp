// Animation export as a task (issue 11), without GL: frames the task asks for are
// answered with synthetic pixels, the way the window answers them with the canvas.
// The files are decoded by Debian's ffprobe (a test dependency): frame count and size.
// A cancelled export leaves no file (nor its temporary); bad requests are refused.
#include <doctest/doctest.h>

#include <gif_lib.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "controller.hpp"
#include "frames.hpp"
#include "video_encoder_thread.hpp"
#include "video_writer.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;
using test::run;
using test::scratch;
using test::settle;
using test::small;

namespace {

// Frames of the window until the export ends, answering each request: a gradient
// whose brightness is the request's h (sweep) or step (playback).
std::vector<FrameRequest> answer_frames(Controller& c, UiState& ui, int stop_after = -1) {
  std::vector<FrameRequest> seen;
  const double t0 = test::seconds();
  while (test::seconds() - t0 < 120) {
    c.frame(test::seconds(), 1.0 / 60);
    AnimationTask& a = c.animation();
    if (auto r = a.frame_wanted()) {
      seen.push_back(*r);
      if (static_cast<int>(seen.size()) == stop_after) {
        ui.push({"cancel", "animation"},
                "test");  // the worker waits for these pixels: they never come
        continue;
      }
      const int w = a.spec().width, h = a.spec().height;
      std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          std::uint8_t* p = px.data() + 4 * (static_cast<std::size_t>(y) * w + x);
          p[0] = static_cast<std::uint8_t>(255 * x / w);
          p[1] = static_cast<std::uint8_t>(20 + 200 * r->index / std::max(1, r->count - 1));
          p[2] = static_cast<std::uint8_t>(255 * y / h);
          p[3] = 255;
        }
      a.deliver(std::move(px));
    }
    if (!a.busy() && c.idle()) break;
  }
  return seen;
}

// "frames,width,height" of the first video stream, by ffprobe.
std::string probe(const fs::path& f) {
  const std::string cmd =
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=nb_read_frames,width,height -of csv=p=0 '" +
      f.string() + "' 2>&1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ',')) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE(
    "an h-sweep MP4 and a playback GIF: every frame asked for, at the right h and step, decoded "
    "back") {
  REQUIRE_MESSAGE(std::system("ffprobe -version > /dev/null 2>&1") == 0,
                  "ffprobe is missing: scripts/setup.sh test");
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const fs::path dir = scratch("hbar_ui_anim");
  run(c, ui, "set anim-width 160");
  run(c, ui, "set anim-height 90");
  run(c, ui, "set anim-h-from 0.2");
  run(c, ui, "set anim-h-to 0.6");
  run(c, ui, "set anim-exact on");
  CHECK(run(c, ui, "export animation " + (dir / "s.mp4").string() + " hsweep 1 5").empty());
  CHECK_FALSE(c.idle());  // a script waits for the file
  auto seen = answer_frames(c, ui);
  REQUIRE(seen.size() == 5);
  for (int k = 0; k < 5; ++k) {
    CHECK(seen[k].index == k);
    CHECK(seen[k].h == doctest::Approx(0.2 + 0.1 * k).epsilon(1e-12));
    CHECK(seen[k].run.h == seen[k].h);
    CHECK(seen[k].run.exact);                        // the finished run with the scene's own score
    CHECK(seen[k].step == ui.settings.scene.steps);  // the run's last step
  }
  // The sweep's run at h equals the full run the app draws at rest at that h (same noise).
  run(c, ui, "set h 0.4");
  settle(c);
  CHECK(c.run().result->samples == seen[2].run.result->samples);
  CHECK(probe(dir / "s.mp4") == "160,90,5");
  for (const auto& e : fs::directory_iterator(dir))  // no temporary left beside it
    CHECK(e.path().filename().string().rfind(".hbar-tmp-", 0) != 0);

  // By default the sweep's runs come from the score cache, as the slider's preview.
  run(c, ui, "set anim-exact off");
  CHECK(run(c, ui, "export animation " + (dir / "c.gif").string() + " hsweep 0.2 10").empty());
  seen = answer_frames(c, ui);
  REQUIRE(seen.size() == 2);
  CHECK_FALSE(seen[1].run.exact);
  CHECK(seen[1].run.result->samples == cached_run(*c.scene(), HSchedule::constant(0.6), nullptr).result->samples);

  run(c, ui, "set play off");
  CHECK(run(c, ui, "export animation " + (dir / "p.gif").string() + " playback 0.5 12").empty());
  seen = answer_frames(c, ui);
  REQUIRE(seen.size() == 6);
  for (int k = 0; k < 6; ++k) CHECK(seen[k].step == static_cast<int>(std::lround(k * 100 / 5.0)));
  CHECK(probe(dir / "p.gif") == "160,90,6");
  fs::remove_all(dir);
}

TEST_CASE(
    "a cancelled animation leaves no file and says so, and bad requests are refused and the app goes "
    "on") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const fs::path dir = scratch("hbar_ui_anim_cancel");
  run(c, ui, "set anim-width 64");
  run(c, ui, "set anim-height 64");
  CHECK(run(c, ui, "export animation " + (dir / "c.mp4").string() + " hsweep 2 10").empty());
  const auto seen = answer_frames(c, ui, 3);
  CHECK(seen.size() == 3);
  CHECK(ui.status.toast.find("not written") != std::string::npos);
  CHECK(fs::is_empty(dir));  // neither c.mp4 nor .c.mp4.part

  const std::string d = dir.string();
  CHECK(run(c, ui, "export animation " + d + "/a.avi hsweep 1 10") ==
        "test: export animation failed: " + d + "/a.avi: an animation is .mp4 or .gif");
  CHECK(run(c, ui, "export animation /proc/no/such/a.mp4 hsweep 1 10").find("cannot be written") !=
        std::string::npos);
  CHECK(run(c, ui, "export animation " + d + "/a.mp4 spin 1 10").find("playback|hsweep") !=
        std::string::npos);
  CHECK(run(c, ui, "export animation " + d + "/a.mp4 hsweep 0 10").find("SECONDS") !=
        std::string::npos);
  CHECK(run(c, ui, "export animation " + d + "/a.mp4 hsweep 1 61").find("FPS") !=
        std::string::npos);
  CHECK(run(c, ui, "export animation " + d + "/a.mp4 hsweep 0.1 10").find("2 … 10000 frames") !=
        std::string::npos);
  run(c, ui, "set anim-width 65");
  CHECK(run(c, ui, "export animation " + d + "/a.mp4 hsweep 1 10").find("even width") !=
        std::string::npos);
  CHECK(fs::is_empty(dir));
  CHECK_FALSE(c.animation().busy());
  // And the app goes on: a GIF may be odd-sized.
  CHECK(run(c, ui, "export animation " + d + "/a.gif hsweep 0.2 10").empty());
  answer_frames(c, ui);
  CHECK(fs::exists(dir / "a.gif"));
  fs::remove_all(dir);
}

TEST_CASE("VideoWriter: a writer dropped before finish removes its temporary file") {
  const fs::path dir = scratch("hbar_ui_videowriter");
  {
    VideoWriter w((dir / "x.gif").string(), 32, 32, 10);
    std::vector<std::uint8_t> px(32 * 32 * 4, 128);
    w.add_frame(px.data());
    // The frames go to a temporary beside x.gif (core's TempFile), not to x.gif.
    CHECK(fs::path(w.path()).filename() == "x.gif");
    CHECK_FALSE(fs::exists(dir / "x.gif"));
    int temporaries = 0;
    for (const auto& e : fs::directory_iterator(dir))
      temporaries += e.path().filename().string().rfind(".hbar-tmp-", 0) == 0;
    CHECK(temporaries == 1);
  }
  CHECK(fs::is_empty(dir));
  CHECK_THROWS_WITH_AS(VideoWriter((dir / "x.mp4").string(), 32, 32, 0),
                       doctest::Contains("frames per second"), std::runtime_error);
  CHECK_THROWS_WITH_AS(VideoWriter((dir / "x.mp4").string(), 8, 32, 10),
                       doctest::Contains("outside 16 x 16"), std::runtime_error);
  fs::remove_all(dir);
}

// The GIF decoded by giflib and composed as a viewer does (each image at its rectangle,
// its transparent index keeping what was there): every frame is the frame given, within
// giflib's quantisation (frames of at most 255 colours, rounded to 5 bits a channel
// before the median cut: at most 8 off).
TEST_CASE("VideoWriter: a GIF's frames, written as changed rectangles with transparency, decode to the frames given") {
  const fs::path dir = scratch("hbar_ui_gifdiff");
  const int W = 64, H = 48;
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint8_t> f(static_cast<std::size_t>(W * H * 4), 255);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      std::uint8_t* p = &f[static_cast<std::size_t>(4 * (y * W + x))];
      // 16 × 12 blocks of their own colour: fewer colours than a palette holds.
      p[0] = static_cast<std::uint8_t>(16 * (x / 4)), p[1] = static_cast<std::uint8_t>(20 * (y / 4)), p[2] = 90;
    }
  frames.push_back(f);
  for (int y = 10; y < 20; ++y)  // a small square changes
    for (int x = 30; x < 38; ++x) f[static_cast<std::size_t>(4 * (y * W + x))] = 250, f[static_cast<std::size_t>(4 * (y * W + x) + 2)] = 10;
  frames.push_back(f);
  frames.push_back(f);  // nothing changes
  for (int y = 40; y < 48; ++y)  // a band at the bottom, and one pixel at the top left
    for (int x = 0; x < W; ++x) f[static_cast<std::size_t>(4 * (y * W + x) + 1)] = 3;
  f[0] = 7;
  frames.push_back(f);
  const std::string path = (dir / "d.gif").string();
  {
    VideoWriter w(path, W, H, 10);
    for (const auto& fr : frames) w.add_frame(fr.data());
    w.finish();
  }
  {  // A recording's writer encodes on its own thread: the same file, byte for byte.
    VideoEncoderThread t((dir / "t.gif").string(), W, H, 10);
    for (const auto& fr : frames) t.add_frame(fr.data());
    CHECK(t.frames() == 4);
    t.finish();
    CHECK(test::slurp(dir / "t.gif") == test::slurp(path));
    // More frames than its queue holds (add_frame waits for the encoder): all of them land.
    VideoEncoderThread m((dir / "m.mp4").string(), W, H, 25);
    for (int k = 0; k < 3 * static_cast<int>(VideoEncoderThread::kQueue) + 1; ++k) m.add_frame(frames[k % 4].data());
    m.finish();
    CHECK(probe(dir / "m.mp4") == "64,48,25");  // width, height, frames
    // Dropped before finish: nothing is left, not even a temporary.
    {
      VideoEncoderThread d((dir / "dropped.gif").string(), W, H, 10);
      d.add_frame(frames[0].data());
    }
    CHECK_FALSE(fs::exists(dir / "dropped.gif"));
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().rfind(".hbar-tmp-", 0) != 0);
  }
  int err = 0;
  GifFileType* g = DGifOpenFileName(path.c_str(), &err);
  REQUIRE(g);
  REQUIRE(DGifSlurp(g) == GIF_OK);
  REQUIRE(g->ImageCount == static_cast<int>(frames.size()));
  std::vector<int> canvas(static_cast<std::size_t>(W * H * 3), 0);
  for (int k = 0; k < g->ImageCount; ++k) {
    const SavedImage& im = g->SavedImages[k];
    GraphicsControlBlock gcb;
    REQUIRE(DGifSavedExtensionToGCB(g, k, &gcb) == GIF_OK);
    CHECK(gcb.DisposalMode == DISPOSE_DO_NOT);
    CHECK(gcb.DelayTime == 10);
    const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : g->SColorMap;
    REQUIRE(map);
    const GifImageDesc& d = im.ImageDesc;
    for (int y = 0; y < d.Height; ++y)
      for (int x = 0; x < d.Width; ++x) {
        const int c = im.RasterBits[y * d.Width + x];
        if (c == gcb.TransparentColor) continue;
        int* p = &canvas[static_cast<std::size_t>(3 * ((d.Top + y) * W + d.Left + x))];
        p[0] = map->Colors[c].Red, p[1] = map->Colors[c].Green, p[2] = map->Colors[c].Blue;
      }
    int worst = 0;
    for (int i = 0; i < W * H; ++i)
      for (int ch = 0; ch < 3; ++ch)
        worst = std::max(worst, std::abs(canvas[static_cast<std::size_t>(3 * i + ch)] -
                                         frames[static_cast<std::size_t>(k)][static_cast<std::size_t>(4 * i + ch)]));
    CHECK_MESSAGE(worst <= 8, "frame ", k, " differs by ", worst);
    // What each frame wrote: all, the square, one pixel, the rows 0 … 47 (the band and the pixel).
    const int want[4][4] = {{0, 0, W, H}, {30, 10, 8, 10}, {0, 0, 1, 1}, {0, 0, W, H}};
    CHECK(d.Left == want[k][0]);
    CHECK(d.Top == want[k][1]);
    CHECK(d.Width == want[k][2]);
    CHECK(d.Height == want[k][3]);
    CHECK(gcb.TransparentColor == (k == 0 ? NO_TRANSPARENT_COLOR : 255));
  }
  DGifCloseFile(g, &err);
  fs::remove_all(dir);
}
