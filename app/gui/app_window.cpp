// The window's side of the app: the frame loop, input (mouse, keys, the brush), the
// panels' layout and the tour (app.hpp; its pictures are app_pictures.cpp). The numbers
// and all background work are the Controller's; main.cpp only starts the program.
#include "app_window.hpp"

#include "app.hpp"
#include "jobs.hpp"

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
#include "video_writer.hpp"
#include "panels/panels.hpp"
#include "render/canvas_renderer.hpp"
#include "scenario.hpp"
#include "screenshot.hpp"
#include "session.hpp"
#include "setting_table.hpp"
#include "window.hpp"

namespace hbar::app {


void App::start_tour() {
  const std::filesystem::path dir = resource_dir();  // looks at the disk: once
  try {
    if (dir.empty()) throw std::runtime_error("the tour (tour.hbs) is not installed beside hbar");
    tour_ = Scenario::from_file((dir / "tour.hbs").string());
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

namespace {
// The nice value of background work in an interactive window: CFS then gives a frame's
// threads about 9 parts in 10 of a core they contend for (weights 1024 against 110).
constexpr int kWorkerNice = 19;
}  // namespace

int App::run(long max_frames, const std::string& final_shot, Scenario* script, bool pace) {
  auto t_prev = std::chrono::steady_clock::now();
  const auto t_start = t_prev;
  long frames = 0;
  bool counting = false;  // --frames counts from the moment the work asked for is complete
  // A scripted run draws frames as fast as it can with a fixed 1/60 s step (the same on
  // any machine); an interactive one (or --pace) 60 a second on the real clock, its
  // background work niced so that a frame's threads get the cores first.
  const bool scripted = (script != nullptr || max_frames > 0) && !pace;
  paced_ = !scripted;
  set_worker_nice(scripted ? 0 : kWorkerNice);
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
    if (v.show_particles && !controller_.spacetime().shown() && !st.waiting_for_data)
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
    st.work_ms.push_back(static_cast<float>(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_now).count()));
    if (st.work_ms.size() > 120) st.work_ms.erase(st.work_ms.begin());
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
  if (script) {  // every failed line, listed once more at the end
    script->collect(*this);
    if (const std::string s = script->summary(); !s.empty()) std::cerr << "hbar: " << s << std::endl;
  }
  return 0;
}

int run_app(GLFWwindow* window, UiState& ui, float font_scale, long max_frames, const std::string& final_shot,
            Scenario* script, bool pace) {
  App app(window, ui, font_scale, script == nullptr && max_frames <= 0);
  return app.run(max_frames, final_shot, script, pace);
}

}  // namespace hbar::app

