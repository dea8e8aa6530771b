#pragma once
// The app's window (internal to app/gui): the frame loop, input and layout
// (app_window.cpp) and what it writes besides frames, screenshots, animation frames and
// recordings (app_pictures.cpp). GL and GLFW: only the window's files include it.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "controller.hpp"
#include "recovery.hpp"
#include "hbar/io/output.hpp"
#include "hbar/data/dataset.hpp"
#include "resources.hpp"
#include "video_encoder_thread.hpp"
#include "video_writer.hpp"
#include "panels/panels.hpp"
#include "render/canvas_renderer.hpp"
#include "scenario.hpp"
#include "screenshot.hpp"
#include "session.hpp"
#include "setting_table.hpp"
#include "window.hpp"

namespace hbar::app {

class App final : public ScriptHost, public Host {
 public:
  // The GL context must be current: the renderer makes its GL objects here.
  // offer_recovery: a person's run (not a script, not --frames/--screenshot) is offered
  // what an abnormal exit left.
  App(GLFWwindow* w, UiState& ui, float font_scale, bool offer_recovery)
      : window_(w), ui_(ui), controller_(ui), font_scale_(font_scale) {
    controller_.set_host(this);
    controller_.set_reporter([](const std::string& m) { std::cerr << "hbar: " << printable(m) << std::endl; });
    // Autosave for crash recovery, and the offer of what an abnormal exit left.
    if (const auto dir = default_recovery_dir(); !dir.empty()) controller_.enable_recovery(dir, offer_recovery);
  }

  UiState& ui() override { return ui_; }
  void report(const std::string& m) override { controller_.report(m, true); }
  bool idle() override { return controller_.idle(); }
  // The window's commands, parsed by the command layer (commands.cpp, HostRequest).
  void host_command(const HostRequest& req) override {
    using K = HostRequest::Kind;
    if (req.kind == K::kQuit) {
      quit_ = true;
    } else if (req.kind == K::kScreenshot) {
      shots_.push_back(Shot{req.path, req.canvas, req.scale, req.transparent});
    } else if (req.kind == K::kTourStart) {
      start_tour();
    } else if (req.kind == K::kTourStop) {
      end_tour();
    } else if (req.kind == K::kRecordStart) {
      start_recording(req.path, req.fps);
    } else if (req.kind == K::kRecordStop) {
      stop_recording();
    } else if (req.kind == K::kStatsClear) {
      ui_.status.frame_ms.clear();  // measure from here on (a drag, say)
      ui_.status.work_ms.clear();
      ui_.status.preview_ms.clear();
    } else if (req.kind == K::kLayout) {
      // Where the h slider, the canvas and the rest are, for tests: every rectangle as
      // x0, y0, x1, y1 (window pixels, top-left origin).
      const float* r = ui_.layout.h_slider;
      const Layout& l = layout_;
      const View& v = ui_.view;
      const float* e = ui_.layout.h_editor;
      const double* et = ui_.layout.h_editor_t;
      const SpaceTimeStatus& sp = ui_.status.spacetime;
      const float* sr = ui_.layout.spacetime_strip;
      const float* rr = ui_.layout.recovery_restore;
      const float* sb = ui_.layout.scrubber;
      char buf[1300];
      std::snprintf(buf, sizeof buf,
                    "{\"h_slider\": [%.1f, %.1f, %.1f, %.1f], \"canvas\": [%.1f, %.1f, %.1f, %.1f], \"h\": %.6f, "
                    "\"camera\": [%.17g, %.17g, %.17g], \"window\": [%d, %d], "
                    "\"h_editor\": [%.1f, %.1f, %.1f, %.1f], \"h_editor_t\": [%.17g, %.17g], "
                    "\"spacetime\": %s, \"spacetime_strip\": [%.1f, %.1f, %.1f, %.1f], "
                    "\"spacetime_t\": [%.17g, %.17g], \"spacetime_y\": [%.17g, %.17g], "
                    "\"recovery_restore\": [%.1f, %.1f, %.1f, %.1f], \"scrubber\": [%.1f, %.1f, %.1f, %.1f], ",
                    r[0], r[1], r[2], r[3], l.cx, l.cy, l.cx + l.cw, l.cy + l.ch, ui_.settings.h, v.cam_x, v.cam_y, v.cam_scale,
                    win_w_, win_h_, e[0], e[1], e[2], e[3], et[0], et[1], sp.shown ? "true" : "false", sr[0], sr[1],
                    sr[2], sr[3], sp.t0, sp.t1, sp.y0, sp.y1, rr[0], rr[1], rr[2], rr[3], sb[0], sb[1], sb[2], sb[3]);
      // The tour's state, for tests: its words (JSON-escaped) and whether it waits for a key.
      std::string out(buf);
      out += "\"tour\": {\"running\": " + std::string(ui_.tour.running ? "true" : "false") +
             ", \"waiting\": " + (ui_.tour.waiting ? "true" : "false") +
             ", \"caption\": " + nlohmann::json(ui_.tour.caption).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}}\n";
      write_file_atomic(req.path, [&](std::ostream& o) { o << out; });
    } else {
      // Frame times of the last 120 frames; preview compute times of the last 600 previews.
      const auto& st = ui_.status;
      char buf[640];
      std::snprintf(buf, sizeof buf,
                    "{\"median_frame_ms\": %.3f, \"p95_frame_ms\": %.3f, \"median_work_ms\": %.3f, \"p95_work_ms\": %.3f, "
                    "\"paced\": %s, \"frames\": %zu, \"preview_ms\": %.3f, \"previews\": %zu, "
                    "\"preview_median_ms\": %.3f, \"preview_p95_ms\": %.3f, \"vertices\": %zu, "
                    "\"first_w2_s\": %.3f, \"first_nll_s\": %.3f}\n",
                    percentile(st.frame_ms, 50), percentile(st.frame_ms, 95), percentile(st.work_ms, 50),
                    percentile(st.work_ms, 95), paced_ ? "true" : "false", st.frame_ms.size(), controller_.preview_ms(), st.preview_ms.size(),
                    percentile(st.preview_ms, 50), percentile(st.preview_ms, 95), renderer_.last_vertices(),
                    st.first_w2_s, st.first_nll_s);
      write_file_atomic(req.path, [&](std::ostream& o) { o << buf; });
    }
  }

  // paced: draw at most 60 frames a second with the real clock and run background work
  // at a lower priority, as an interactive window does (also under a script: --pace).
  int run(long max_frames, const std::string& final_shot, Scenario* script, bool paced);

 private:
  void handle_input(const Layout& l, double dt);
  void draw_with_mouse(std::pair<double, double> at, double dt);
  void hover_particle(const Layout& l, ImVec2 mouse);
  void draw_ui(const Layout& l);
  void take_shots(const Layout& l, int fbw, int fbh, float sx, float sy);
  void render_animation_frame();
  // What an exported image carries (nothing when `annotate` is off): the canvas's colour
  // bars, legend and tour words, and a caption with h and t.
  // `approx`: what the caption says of a run that is not the exact one.
  Annotations image_annotations(double h, int step, const RunView* run, const char* approx = " (preview)") const;
  void start_tour();
  void end_tour();
  void start_recording(const std::string& path, int fps);
  void stop_recording();
  void record_frame();

  GLFWwindow* window_;
  UiState& ui_;
  Controller controller_;
  CanvasRenderer renderer_;
  Layout layout_;  // of the last frame
  double now_ = 0;
  bool quit_ = false;
  struct Shot {
    std::string path;
    bool canvas = false;
    int scale = 1;             // canvas only: drawn again at 2 or 4 times the pixels
    bool transparent = false;  // canvas only: no background
  };
  std::vector<Shot> shots_;
  bool paced_ = false;
  std::string last_error_;
  bool light_ = false;
  float font_scale_ = 1;  // the content scale the font was loaded at
  bool mouse_moved_ = false;
  int win_w_ = 0, win_h_ = 0;  // window size of the last frame (screen coordinates)
  bool stroke_ = false;     // the brush or eraser is down (between draw begin and end)
  double brush_due_ = 0;    // points owed to the brush
  double last_anim_frame_ = -1;  // when the last animation frame was drawn (seconds)
  std::optional<Scenario> tour_;  // a tour started in the app (`tour start`)
  // `record F.gif|F.mp4`: the canvas, annotated, every 1/fps seconds of the clock.
  std::unique_ptr<VideoEncoderThread> rec_;  // encodes on its own thread
  int rec_fps_ = 10, rec_w_ = 0, rec_h_ = 0;
  double rec_next_ = 0;
};

}  // namespace hbar::app
