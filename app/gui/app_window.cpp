// The window's side of the app: the frame loop, input (mouse, keys, the brush), the
// panels' layout, screenshots and animation frames (GL). The numbers and all background
// work are the Controller's; main.cpp only starts the program.
#include "app_window.hpp"

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
#include "hbar/io/atomic_file.hpp"
#include "hbar/data/dataset.hpp"
#include "resources.hpp"
#include "video_writer.hpp"
#include "panels/panels.hpp"
#include "render/canvas_renderer.hpp"
#include "scenario.hpp"
#include "screenshot.hpp"
#include "session.hpp"
#include "setting_table.hpp"
#include "window.hpp"

namespace hbar::app {
namespace {

class App final : public ScriptHost, public Host {
 public:
  // The GL context must be current: the renderer makes its GL objects here.
  // offer_recovery: a person's run (not a script, not --frames/--screenshot) is offered
  // what an abnormal exit left.
  App(GLFWwindow* w, UiState& ui, float font_scale, bool offer_recovery)
      : window_(w), ui_(ui), controller_(ui), font_scale_(font_scale) {
    controller_.set_host(this);
    controller_.set_reporter([](const std::string& m) { std::cerr << "hbar: " << m << std::endl; });
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
                    "\"recovery_restore\": [%.1f, %.1f, %.1f, %.1f], \"scrubber\": [%.1f, %.1f, %.1f, %.1f]}\n",
                    r[0], r[1], r[2], r[3], l.cx, l.cy, l.cx + l.cw, l.cy + l.ch, ui_.settings.h, v.cam_x, v.cam_y, v.cam_scale,
                    win_w_, win_h_, e[0], e[1], e[2], e[3], et[0], et[1], sp.shown ? "true" : "false", sr[0], sr[1],
                    sr[2], sr[3], sp.t0, sp.t1, sp.y0, sp.y1, rr[0], rr[1], rr[2], rr[3], sb[0], sb[1], sb[2], sb[3]);
      // The tour's state, for tests: its words (JSON-escaped) and whether it waits for a key.
      std::string out(buf);
      out.resize(out.rfind('}'));
      out += ", \"tour\": {\"running\": " + std::string(ui_.tour.running ? "true" : "false") +
             ", \"waiting\": " + (ui_.tour.waiting ? "true" : "false") +
             ", \"caption\": " + nlohmann::json(ui_.tour.caption).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}}\n";
      write_file_atomic(req.path, [&](std::ostream& o) { o << out; });
    } else {
      // Frame times of the last 120 frames; preview compute times of the last 600 previews.
      const auto& st = ui_.status;
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "{\"median_frame_ms\": %.3f, \"p95_frame_ms\": %.3f, \"frames\": %zu, \"preview_ms\": %.3f, \"previews\": %zu, "
                    "\"preview_median_ms\": %.3f, \"preview_p95_ms\": %.3f, \"vertices\": %zu, "
                    "\"first_w2_s\": %.3f, \"first_nll_s\": %.3f}\n",
                    percentile(st.frame_ms, 50), percentile(st.frame_ms, 95), st.frame_ms.size(), controller_.preview_ms(), st.preview_ms.size(),
                    percentile(st.preview_ms, 50), percentile(st.preview_ms, 95), renderer_.last_vertices(),
                    st.first_w2_s, st.first_nll_s);
      write_file_atomic(req.path, [&](std::ostream& o) { o << buf; });
    }
  }

  int run(long max_frames, const std::string& final_shot, Scenario* script);

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
  std::unique_ptr<VideoWriter> rec_;
  int rec_fps_ = 10, rec_w_ = 0, rec_h_ = 0;
  double rec_next_ = 0;
};

Annotations App::image_annotations(double h, int step, const RunView* run, const char* approx) const {
  if (!ui_.view.annotate) return {};
  Annotations a = canvas_annotations(ui_);
  double t = 0;
  if (run && run->result) {
    const auto& times = run->result->trajectories.times;
    if (!times.empty()) t = times[static_cast<std::size_t>(std::clamp(step, 0, static_cast<int>(times.size()) - 1))];
  }
  char cap[200];
  std::snprintf(cap, sizeof cap, "h = %.3f   t = %.3f   %s, %s%s", h, t, ui_.status.scene_label.c_str(),
                ui_.status.score_kind, run && !run->exact ? approx : "");
  a.caption = cap;
  return a;
}

void App::start_tour() {
  const std::filesystem::path path = resource_dir() / "tour.hbs";
  try {
    if (resource_dir().empty()) throw std::runtime_error("the tour (tour.hbs) is not installed beside hbar");
    tour_ = Scenario::from_file(path.string());
  } catch (const std::exception& e) {
    report(std::string("tour start failed: ") + e.what());
    return;
  }
  ui_.tour.running = true;
  ui_.tour.caption.clear();
}

void App::end_tour() {
  tour_.reset();
  ui_.tour.running = ui_.tour.waiting = ui_.tour.next = false;
  ui_.tour.caption.clear();
}

void App::start_recording(const std::string& path, int fps) {
  if (rec_) {
    report("record failed: already recording to " + rec_->path() + " (record stop ends it)");
    return;
  }
  // An animation's size (anim-width × anim-height), the canvas fitted into it.
  const int w = ui_.view.anim_width, h = ui_.view.anim_height;
  try {
    rec_ = std::make_unique<VideoWriter>(path, w, h, fps);
  } catch (const std::exception& e) {
    report(std::string("record failed: ") + e.what());
    return;
  }
  rec_fps_ = fps, rec_w_ = w, rec_h_ = h;
  rec_next_ = now_;
  report("recording the canvas to " + path + " (record stop ends it)");
}

void App::stop_recording() {
  if (!rec_) {
    report("record stop: nothing is being recorded");
    return;
  }
  try {
    const int n = rec_->frames();
    rec_->finish();
    report("Saved " + rec_->path() + " (" + std::to_string(n) + " frames)");
  } catch (const std::exception& e) {
    rec_->abort();
    report(std::string("record failed: ") + e.what());
  }
  rec_.reset();
}

// A recording's frame: the canvas drawn again offscreen at the recording's size, with its
// annotations; a slow frame is repeated so the recording keeps the clock's time.
void App::record_frame() {
  if (!rec_ || now_ < rec_next_) return;
  const int w = rec_w_, h = rec_h_;
  const Box& b = ui_.layout.canvas_world;
  const double scale = std::max(b.width() / w, b.height() / h);
  const double cx = (b.xmin + b.xmax) / 2, cy = (b.ymin + b.ymax) / 2;
  const Box world{cx - scale * w / 2, cx + scale * w / 2, cy - scale * h / 2, cy + scale * h / 2};
  View v = ui_.view;
  v.point_size = std::max(1.0, v_point_scale(h) * ui_.view.point_size);
  const CanvasContent k = content_of(controller_, ui_);
  const Annotations a = image_annotations(ui_.settings.h, ui_.view.frame, k.run);
  std::vector<std::uint8_t> px = renderer_.draw_offscreen(k, v, world, w, h, [&] { render_annotations(w, h, a); });
  try {
    if (px.empty()) throw std::runtime_error("the offscreen canvas could not be drawn");
    int copies = 0;
    while (rec_next_ <= now_ && copies < 10) {
      rec_->add_frame(px.data());
      rec_next_ += 1.0 / rec_fps_;
      ++copies;
    }
    if (rec_next_ <= now_) rec_next_ = now_ + 1.0 / rec_fps_;  // a long stall is cut, not replayed
  } catch (const std::exception& e) {
    rec_->abort();
    rec_.reset();
    report(std::string("record failed: ") + e.what());
  }
}

void App::handle_input(const Layout& l, double dt) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 m = io.MousePos;
  const bool in_canvas = m.x >= l.cx && m.x < l.cx + l.cw && m.y >= l.cy && m.y < l.cy + l.ch;
  const View& v = ui_.view;
  const auto world = [&](ImVec2 p) {
    return std::pair<double, double>{v.cam_x + (p.x - (l.cx + l.cw / 2)) * v.cam_scale,
                                      v.cam_y - (p.y - (l.cy + l.ch / 2)) * v.cam_scale};
  };
  // A stroke ends when the button comes up, wherever the pointer is.
  if (stroke_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    ui_.push({"draw", "end"}, "mouse");
    stroke_ = false;
  }
  // Space-time has a fixed frame (t across the canvas): no pan, zoom, brush or hover.
  if (in_canvas && !io.WantCaptureMouse && !controller_.spacetime().shown()) {
    // Pan and zoom are commands too (a session keeps the camera).
    double cx = v.cam_x, cy = v.cam_y, scale = v.cam_scale;
    const bool drawing = v.tool != Tool::kPan;
    if (!drawing && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
      cx -= io.MouseDelta.x * scale;
      cy += io.MouseDelta.y * scale;
    }
    if (drawing) draw_with_mouse(world(m), dt);
    if (io.MouseWheel != 0) {
      // Zoom around the cursor: the world point under it stays put.
      const auto [wx, wy] = world(m);
      const double f = std::pow(0.85, io.MouseWheel);
      scale = std::clamp(scale * f, 1e-6, 1000.0);
      cx = wx - (wx - cx) * f;
      cy = wy - (wy - cy) * f;
    }
    if (cx != v.cam_x) ui_.push({"set", "camera-x", format_number(std::clamp(cx, -1e6, 1e6))}, "mouse");
    if (cy != v.cam_y) ui_.push({"set", "camera-y", format_number(std::clamp(cy, -1e6, 1e6))}, "mouse");
    if (scale != v.cam_scale) ui_.push({"set", "camera-scale", format_number(scale)}, "mouse");
    if (!drawing && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) ui_.push({"view", "reset"}, "mouse");
    // Only once a person has moved the pointer (Xvfb parks it mid-screen).
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) mouse_moved_ = true;
    if (drawing && mouse_moved_) {
      // The brush's disc under the pointer.
      ImDrawList* dl = ImGui::GetForegroundDrawList();
      const float r = static_cast<float>(v.brush_radius / v.cam_scale);
      const ImU32 c = v.tool == Tool::kBrush ? IM_COL32(255, 170, 60, 220) : IM_COL32(120, 200, 255, 220);
      dl->AddCircle(m, r, c, 0, 1.5f);
    } else if (mouse_moved_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      hover_particle(l, m);
    }
  }
}

// The brush adds brush-rate points a second around the pointer (a click adds a small
// blob at once); the eraser removes what its disc covers. One stroke, one undo step.
void App::draw_with_mouse(std::pair<double, double> at, double dt) {
  const View& v = ui_.view;
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;
  const bool pressed = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
  if (pressed) {
    ui_.push({"draw", "begin"}, "mouse");
    stroke_ = true;
    brush_due_ = std::max(1.0, v.brush_rate / 30);
  } else if (!stroke_) {
    return;  // the press began outside the canvas
  }
  const std::string x = format_number(at.first), y = format_number(at.second), r = format_number(v.brush_radius);
  if (v.tool == Tool::kEraser) {
    ui_.push({"draw", "erase", x, y, r}, "mouse");
    return;
  }
  if (!pressed) brush_due_ += v.brush_rate * dt;
  const int n = static_cast<int>(brush_due_);
  if (n < 1) return;
  brush_due_ -= n;
  ui_.push({"draw", "add", x, y, r, std::to_string(std::min(n, kMaxBrushPoints))}, "mouse");
}

// Hover a particle: its whole trajectory lights up and its action S[x] shows.
void App::hover_particle(const Layout& l, ImVec2 m) {
  const RunView& run = controller_.run();
  if (!run.result || run.result->trajectories.frames.empty()) return;
  const auto& fr = run.result->trajectories.frames;
  const Points& x = fr[static_cast<std::size_t>(std::clamp(ui_.view.frame, 0, static_cast<int>(fr.size()) - 1))];
  const View& v = ui_.view;
  const auto to_screen = [&](double wx, double wy) {
    return ImVec2(static_cast<float>(l.cx + l.cw / 2 + (wx - v.cam_x) / v.cam_scale),
                  static_cast<float>(l.cy + l.ch / 2 - (wy - v.cam_y) / v.cam_scale));
  };
  Eigen::Index best = -1;
  float best_d2 = 64.0f;  // within 8 pixels
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const ImVec2 p = to_screen(x(i, 0), x(i, 1));
    const float d2 = (p.x - m.x) * (p.x - m.x) + (p.y - m.y) * (p.y - m.y);
    if (d2 < best_d2) best_d2 = d2, best = i;
  }
  if (best < 0) return;
  std::vector<ImVec2> line;
  const std::size_t every = std::max<std::size_t>(1, fr.size() / 600);
  for (std::size_t f = 0; f < fr.size(); f += every) line.push_back(to_screen(fr[f](best, 0), fr[f](best, 1)));
  line.push_back(to_screen(fr.back()(best, 0), fr.back()(best, 1)));
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  dl->PushClipRect(ImVec2(l.cx, l.cy), ImVec2(l.cx + l.cw, l.cy + l.ch), true);
  dl->AddPolyline(line.data(), static_cast<int>(line.size()), IM_COL32(255, 255, 255, 230), 0, 2.0f);
  dl->AddCircle(to_screen(x(best, 0), x(best, 1)), 6, IM_COL32(255, 255, 255, 255), 0, 2.0f);
  dl->PopClipRect();
  ImGui::BeginTooltip();
  ImGui::Text("particle %ld", static_cast<long>(best));
  if (run.result->action.size() > best)
    ImGui::Text("classical action S[x] = %.4g (h = %.3g)", run.result->action[best], run.h);
  ImGui::Text("end point (%.3f, %.3f)", fr.back()(best, 0), fr.back()(best, 1));
  ImGui::EndTooltip();
}

void App::draw_ui(const Layout& l) {
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  const ImVec2 win = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(l.sidebar, win.y - l.status));
  if (ImGui::Begin("hbar", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
    // The panels scroll; playback stays in view below them.
    ImGui::BeginChild("panels", ImVec2(0, -transport_height()), false);
    ImGui::TextUnformatted("hbar: diffusion as a path integral");
    // The lecture tour on the title line (nothing moves when it starts or ends).
    const char* tour = ui_.tour.running ? "End tour" : "Tour";
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(tour).x - 2 * ImGui::GetStyle().FramePadding.x);
    if (ImGui::SmallButton(tour)) ui_.push({"tour", ui_.tour.running ? "stop" : "start"});
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("the paper's story in 7 steps, with words on the canvas: Space or the right arrow goes on, Esc ends");
    ImGui::Separator();
    // The data and the dynamics (h, h(t)) first: the controls a lecture moves.
    data_panel(ui_);
    dynamics_panel(ui_);
    model_panel(ui_);
    heatmap_panel(ui_);
    export_panel(ui_);
    ImGui::EndChild();
    ImGui::Separator();
    transport_panel(ui_);
  }
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(l.sidebar, win.y - l.status - l.plots));
  ImGui::SetNextWindowSize(ImVec2(win.x - l.sidebar, l.plots));
  if (ImGui::Begin("plots", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
    if (ImGui::ArrowButton("##plots", ui_.view.show_plots ? ImGuiDir_Down : ImGuiDir_Up))
      ui_.push({"set", "plots", ui_.view.show_plots ? "off" : "on"});
    ImGui::SameLine();
    ImGui::TextUnformatted("Plots");
    if (ui_.view.show_plots) plots_panel(ui_, controller_.curves());
  }
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(0, win.y - l.status));
  ImGui::SetNextWindowSize(ImVec2(win.x, l.status));
  if (ImGui::Begin("status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) status_bar(ui_);
  ImGui::End();

  canvas_overlay(ui_, l.cx, l.cy, l.cw, l.ch, now_);
  if (std::vector<std::string> c = ui_.files.draw(); !c.empty()) ui_.push(std::move(c), "file chooser");
  recovery_prompt(ui_);
}

void App::take_shots(const Layout& l, int fbw, int fbh, float sx, float sy) {
  // The pixels are read here (GL, this thread); the PNG is encoded and written by the
  // export feature in the background, which says "Saved …" or why it failed.
  const auto write_later = [&](const std::string& path, int w, int h, std::vector<std::uint8_t> px) {
    controller_.queue_file(path, [path, w, h, px = std::move(px)](Progress&) { write_png(path, w, h, px); });
  };
  const auto shot = [&](const Shot& s) {
    try {
      if (s.canvas && (s.scale > 1 || s.transparent || !ui_.view.annotate)) {
        // A print-ready canvas: drawn again offscreen, scale × the pixels, with the colour
        // bars, legend and caption unless `annotate` is off (then the bare canvas).
        const int w = static_cast<int>(l.cw * sx) * s.scale, h = static_cast<int>(l.ch * sy) * s.scale;
        View v = ui_.view;
        v.point_size *= s.scale;
        // Space-time: the density area fills the figure (the axes are the window's overlay).
        const Box world = controller_.spacetime().shown() ? spacetime_figure_box(controller_.spacetime().view().area)
                                                          : ui_.layout.canvas_world;
        CanvasContent k = content_of(controller_, ui_);
        k.transparent = s.transparent;
        const Annotations a = image_annotations(ui_.settings.h, ui_.view.frame, k.run);
        std::vector<std::uint8_t> px = renderer_.draw_offscreen(k, v, world, w, h, [&] { render_annotations(w, h, a); });
        if (px.empty()) throw std::runtime_error("the offscreen canvas could not be drawn");
        write_later(s.path, w, h, std::move(px));
      } else if (s.canvas) {
        // What the window shows there, its overlay included.
        const int w = static_cast<int>(l.cw * sx), h = static_cast<int>(l.ch * sy);
        write_later(s.path, w, h, read_pixels(static_cast<int>(l.cx * sx), static_cast<int>((l.status + l.plots) * sy), w, h));
      } else {
        write_later(s.path, fbw, fbh, read_pixels(0, 0, fbw, fbh));
      }
    } catch (const std::exception& e) {
      report(std::string("screenshot failed: ") + e.what());
    }
  };
  for (const auto& s : shots_) shot(s);
  shots_.clear();
}

// The frame an animation export asks for: its run at its step, the canvas's centre and
// extent fitted into the animation's size, and a caption with h (and t).
void App::render_animation_frame() {
  AnimationTask& anim = controller_.animation();
  // While a person moves the mouse or types, the export draws at most 4 frames a second
  // (a software GL takes ~0.1 s a frame): the window answers first.
  const ImGuiIO& io = ImGui::GetIO();
  const bool busy_hand = io.MouseDown[0] || io.MouseDown[1] || io.MouseDelta.x != 0 || io.MouseDelta.y != 0 ||
                         io.MouseWheel != 0 || io.WantTextInput;
  if (busy_hand && now_ - last_anim_frame_ < 0.25) return;
  const auto req = anim.frame_wanted();
  if (!req) return;
  last_anim_frame_ = now_;
  const AnimationSpec& spec = anim.spec();
  View av = ui_.view;
  const Box& b = ui_.layout.canvas_world;
  const double scale = std::max(b.width() / spec.width, b.height() / spec.height);
  const double cx = (b.xmin + b.xmax) / 2, cy = (b.ymin + b.ymax) / 2;
  Box world{cx - scale * spec.width / 2, cx + scale * spec.width / 2, cy - scale * spec.height / 2,
               cy + scale * spec.height / 2};
  av.frame = req->step;
  av.point_size = std::max(1.0, v_point_scale(spec.height) * ui_.view.point_size);
  CanvasContent k;
  k.data = ui_.view.show_data ? controller_.data_points() : nullptr;
  k.run = &req->run;
  k.heat = spec.heat ? &controller_.heat() : nullptr;
  RunView projected;
  const SpaceTimeTask& stt = controller_.spacetime();
  if (stt.shown() && !stt.view().toy) {
    // Space-time: the frame's run projected, over the density, the area filling the frame
    // (a 4 % margin; the axes are the window's overlay, not the animation's).
    projected = stt.project(req->run);
    world = spacetime_figure_box(stt.view().area);
    k.data = ui_.view.show_data ? stt.view().data : nullptr;
    k.run = &projected;
    k.heat = stt.view().heat.map.grid.nx > 0 ? &stt.view().heat : nullptr;
  }
  k.particles = spec.particles;
  k.trajectories = spec.trajectories && ui_.view.lines > 0;
  Annotations a = image_annotations(req->h, req->step, &req->run, " (grid cache)");
  if (!spec.heat && !stt.shown() && a.bars.size() > 1) a.bars.resize(1);  // no heat map drawn: no heat bar
  const int w = spec.width, h = spec.height;
  anim.deliver(renderer_.draw_offscreen(k, av, world, w, h, [&] { render_annotations(w, h, a); }));
}

int App::run(long max_frames, const std::string& final_shot, Scenario* script) {
  auto t_prev = std::chrono::steady_clock::now();
  const auto t_start = t_prev;
  long frames = 0;
  bool counting = false;  // --frames counts from the moment the work asked for is complete
  const bool scripted = script != nullptr || max_frames > 0;
  while (!glfwWindowShouldClose(window_) && !quit_) {
    glfwPollEvents();
    const auto t_now = std::chrono::steady_clock::now();
    const double real_dt = std::chrono::duration<double>(t_now - t_prev).count();
    t_prev = t_now;
    now_ = std::chrono::duration<double>(t_now - t_start).count();
    // Scripts get a fixed 1/60 s per frame, so playback is the same on any machine.
    const double dt = scripted ? 1.0 / 60 : std::min(real_dt, 0.1);
    Status& st = ui_.status;
    st.frame_ms.push_back(static_cast<float>(real_dt * 1000));
    if (st.frame_ms.size() > 120) st.frame_ms.erase(st.frame_ms.begin());
    double sum = 0;
    for (float f : st.frame_ms) sum += f;
    st.fps = sum > 0 ? 1000.0 * static_cast<double>(st.frame_ms.size()) / sum : 0;

    if (script) script->step(*this);
    if (tour_) {
      tour_->step(*this);
      if (tour_->finished()) end_tour();
    }
    controller_.frame(now_, dt);
    View& v = ui_.view;
    if (v.light_theme != light_) apply_theme(light_ = v.light_theme);
    ImGui::GetIO().FontGlobalScale = static_cast<float>(v.ui_scale) / font_scale_;

    int ww, wh, fbw, fbh;
    glfwGetWindowSize(window_, &ww, &wh);
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    win_w_ = ww, win_h_ = wh;
    const float sx = ww > 0 ? static_cast<float>(fbw) / ww : 1, sy = wh > 0 ? static_cast<float>(fbh) / wh : 1;
    const Layout l = layout_ = layout_for(v, static_cast<float>(ww), static_cast<float>(wh));
    if (v.cam_scale <= 0) fit_view(v, controller_, l);
    // The layout's result: the world rectangle the canvas shows this frame.
    ui_.layout.canvas_world =
        controller_.spacetime().shown()
            ? spacetime_box(controller_.spacetime().view().area, l.cw, l.ch, spacetime_margins(v.ui_scale))
            : Box{v.cam_x - v.cam_scale * l.cw / 2, v.cam_x + v.cam_scale * l.cw / 2, v.cam_y - v.cam_scale * l.ch / 2,
                  v.cam_y + v.cam_scale * l.ch / 2};

    // Particles of the step shown that lie beyond the view (the overlay marks where).
    st.edge = EdgeMarks{};
    if (!controller_.spacetime().shown() && !st.waiting_for_data)
      if (const RunView& r = controller_.run(); r.result && !r.result->trajectories.frames.empty()) {
        const auto& fr = r.result->trajectories.frames;
        st.edge = edge_marks(fr[static_cast<std::size_t>(std::clamp(v.frame, 0, static_cast<int>(fr.size()) - 1))],
                             ui_.layout.canvas_world);
      }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handle_input(l, real_dt);
    draw_ui(l);
    ImGui::Render();

    glViewport(0, 0, fbw, fbh);
    glClearColor(0.1f, 0.1f, 0.1f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    renderer_.draw(content_of(controller_, ui_), v, ui_.layout.canvas_world,
                   CanvasRect{static_cast<int>(l.cx * sx), static_cast<int>((l.status + l.plots) * sy),
                              static_cast<int>(l.cw * sx), static_cast<int>(l.ch * sy)});
    render_animation_frame();
    record_frame();
    glViewport(0, 0, fbw, fbh);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    if (!counting && controller_.idle()) {
      counting = true;
      // A picture from the command line shows the finished run (a script says otherwise).
      if (max_frames > 0 && !script) {
        ui_.push({"set", "play", "off"}, "--frames");
        ui_.push({"set", "frame", "end"}, "--frames");
      }
    }
    if (counting) ++frames;
    const bool last = max_frames > 0 && frames >= max_frames;
    if (last && !final_shot.empty()) shots_.push_back(Shot{final_shot});
    take_shots(l, fbw, fbh, sx, sy);
    glfwSwapBuffers(window_);
    if (last) break;
    if (!scripted) {
      // About 60 frames a second where the driver does not sync to a display.
      std::this_thread::sleep_until(t_now + std::chrono::microseconds(16000));
    }
  }
  if (rec_) stop_recording();  // a recording still running is kept, complete
  // Files asked for (exports, session saves) land before the app exits: at most a minute.
  const auto t_end = std::chrono::steady_clock::now();
  while (controller_.finishing() && std::chrono::steady_clock::now() - t_end < std::chrono::seconds(60)) {
    controller_.frame(now_, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return 0;
}

}  // namespace

int run_app(GLFWwindow* window, UiState& ui, float font_scale, long max_frames, const std::string& final_shot,
            Scenario* script) {
  App app(window, ui, font_scale, script == nullptr && max_frames <= 0);
  return app.run(max_frames, final_shot, script);
}

}  // namespace hbar::app

