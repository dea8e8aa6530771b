// hbar: the desktop app. A thin client of core: GLFW window, OpenGL 3.3 through a
// glad loader, Dear ImGui panels; the numbers come from the Controller.
//
//   hbar [--data NAME | --data-file F.csv] [--schedule simple|cosine] [--h H]
//        [--frames N] [--screenshot F.png] [--script F]
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
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
#include "hbar/atomic_file.hpp"
#include "hbar/dataset.hpp"
#include "panels/panels.hpp"
#include "render/canvas_renderer.hpp"
#include "scenario.hpp"
#include "screenshot.hpp"

namespace hbar::app {
namespace {

UiState* g_ui = nullptr;  // for the GLFW drop callback

struct View {
  double cx = 0, cy = 0, scale = 0.01;  // world units per window pixel
};

struct Layout {
  float sidebar = 340, status = 34, plots = 250;
  float cx = 0, cy = 0, cw = 1, ch = 1;  // canvas in window pixels (top-left origin)
};

Layout layout_for(const UiState& ui, float win_w, float win_h) {
  Layout l;
  const float s = ui.ui_scale;
  l.sidebar = 340 * s;
  l.status = 34 * s;
  l.plots = ui.show_plots ? 250 * s : 26 * s;
  l.cx = l.sidebar;
  l.cy = 0;
  l.cw = std::max(1.0f, win_w - l.sidebar);
  l.ch = std::max(1.0f, win_h - l.status - l.plots);
  return l;
}

void reset_view(View& v, const Controller& c, const Layout& l) {
  Box b{-3, 3, -3, 3};
  if (const auto& s = c.scene()) {
    b.xmin = std::min(b.xmin, s->data.col(0).minCoeff());
    b.xmax = std::max(b.xmax, s->data.col(0).maxCoeff());
    b.ymin = std::min(b.ymin, s->data.col(1).minCoeff());
    b.ymax = std::max(b.ymax, s->data.col(1).maxCoeff());
  }
  v.cx = (b.xmin + b.xmax) / 2;
  v.cy = (b.ymin + b.ymax) / 2;
  v.scale = 1.1 * std::max(b.width() / l.cw, b.height() / l.ch);
}

void apply_theme(bool light) {
  if (light)
    ImGui::StyleColorsLight();
  else
    ImGui::StyleColorsDark();
}

class App final : public ScriptHost {
 public:
  // The GL context must be current: the renderer makes its GL objects here.
  App(GLFWwindow* w, UiState& ui, float font_scale) : window_(w), ui_(ui), controller_(ui), font_scale_(font_scale) {}

  UiState& ui() override { return ui_; }
  void report(const std::string& m) override {
    std::cerr << "hbar: " << m << std::endl;
    ui_.toast = m;
    ui_.toast_until = now_ + 5;
  }
  bool idle() override { return controller_.idle(); }
  void screenshot(const std::string& path) override { shots_.push_back({path, false}); }
  void export_file(const std::string& kind, const std::string& path) override {
    if (kind == "samples") controller_.export_samples(path);
    else if (kind == "trajectories") controller_.export_trajectories(path);
    else if (kind == "heatmap") controller_.export_heatmap(path);
    else controller_.export_curves(path);
  }
  void write_layout(const std::string& path) override {
    char buf[256];
    std::snprintf(buf, sizeof buf, "{\"h_slider\": [%.1f, %.1f, %.1f, %.1f], \"h\": %.6f}\n", ui_.h_slider_rect[0],
                  ui_.h_slider_rect[1], ui_.h_slider_rect[2], ui_.h_slider_rect[3], ui_.h);
    write_file_atomic(path, [&](std::ostream& o) { o << buf; });
  }
  void write_stats(const std::string& path) override {
    std::vector<float> ms = ui_.frame_ms;
    std::sort(ms.begin(), ms.end());
    const double median = ms.empty() ? 0.0 : ms[ms.size() / 2];
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"median_frame_ms\": %.3f, \"frames\": %zu, \"preview_ms\": %.3f, \"vertices\": %zu}\n", median,
                  ms.size(), controller_.preview_ms(), renderer_.last_vertices());
    write_file_atomic(path, [&](std::ostream& o) { o << buf; });
  }
  void quit() override { quit_ = true; }

  int run(long max_frames, const std::string& final_shot, Scenario* script);

 private:
  void handle_input(const Layout& l);
  void hover_particle(const Layout& l, ImVec2 mouse);
  void draw_ui(const Layout& l);
  void take_shots(const Layout& l, int fbw, int fbh, float sx, float sy);

  GLFWwindow* window_;
  UiState& ui_;
  Controller controller_;
  CanvasRenderer renderer_;
  View view_;
  double now_ = 0;
  bool quit_ = false;
  struct Shot {
    std::string path;
    bool canvas;
  };
  std::vector<Shot> shots_;
  std::string last_error_;
  bool light_ = false;
  float font_scale_ = 1;  // the content scale the font was loaded at
  bool mouse_moved_ = false;
};

void App::handle_input(const Layout& l) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 m = io.MousePos;
  const bool in_canvas = m.x >= l.cx && m.x < l.cx + l.cw && m.y >= l.cy && m.y < l.cy + l.ch;
  if (in_canvas && !io.WantCaptureMouse) {
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
      view_.cx -= io.MouseDelta.x * view_.scale;
      view_.cy += io.MouseDelta.y * view_.scale;
    }
    if (io.MouseWheel != 0) {
      // Zoom around the cursor: the world point under it stays put.
      const double wx = view_.cx + (m.x - (l.cx + l.cw / 2)) * view_.scale;
      const double wy = view_.cy - (m.y - (l.cy + l.ch / 2)) * view_.scale;
      const double f = std::pow(0.85, io.MouseWheel);
      view_.scale *= f;
      view_.cx = wx - (wx - view_.cx) * f;
      view_.cy = wy - (wy - view_.cy) * f;
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) ui_.req_reset_view = true;
    // Only once a person has moved the pointer (Xvfb parks it mid-screen).
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) mouse_moved_ = true;
    if (mouse_moved_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) hover_particle(l, m);
  }
}

// Keys come from GLFW's callback rather than ImGui 1.86's polled key state, which
// misses a press and release that fall between two frames (a quick tap).
void key_callback(GLFWwindow*, int key, int, int action, int) {
  if (!g_ui || (action != GLFW_PRESS && action != GLFW_REPEAT)) return;
  if (ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput) return;
  UiState& ui = *g_ui;
  const double nudge = ui.fine_h ? 0.002 : 0.01;
  switch (key) {
    case GLFW_KEY_SPACE:
      if (action != GLFW_PRESS) break;
      if (!ui.playing && ui.frame >= ui.run_steps) ui.frame = 0;
      ui.playing = !ui.playing;
      break;
    case GLFW_KEY_R: ui.req_reset_view = true; break;
    case GLFW_KEY_S: if (action == GLFW_PRESS) ui.req_screenshot_window = true; break;
    case GLFW_KEY_LEFT_BRACKET: ui.h = std::max(0.0, ui.h - nudge); break;
    case GLFW_KEY_RIGHT_BRACKET: ui.h += nudge; break;
    default: break;
  }
}

// Hover a particle: its whole trajectory lights up and its action S[x] shows.
void App::hover_particle(const Layout& l, ImVec2 m) {
  const RunView& run = controller_.run();
  if (!run.result || run.result->trajectories.frames.empty()) return;
  const auto& fr = run.result->trajectories.frames;
  const Points& x = fr[static_cast<std::size_t>(std::clamp(ui_.frame, 0, static_cast<int>(fr.size()) - 1))];
  const auto to_screen = [&](double wx, double wy) {
    return ImVec2(static_cast<float>(l.cx + l.cw / 2 + (wx - view_.cx) / view_.scale),
                  static_cast<float>(l.cy + l.ch / 2 - (wy - view_.cy) / view_.scale));
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
  if (ImGui::Begin("hbar", nullptr, fixed | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted("hbar: diffusion as a path integral");
    ImGui::Separator();
    data_panel(ui_);
    model_panel(ui_);
    dynamics_panel(ui_);
    heatmap_panel(ui_);
    export_panel(ui_);
  }
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(l.sidebar, win.y - l.status - l.plots));
  ImGui::SetNextWindowSize(ImVec2(win.x - l.sidebar, l.plots));
  if (ImGui::Begin("plots", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
    if (ImGui::ArrowButton("##plots", ui_.show_plots ? ImGuiDir_Down : ImGuiDir_Up)) ui_.show_plots = !ui_.show_plots;
    ImGui::SameLine();
    ImGui::TextUnformatted("Plots");
    if (ui_.show_plots) plots_panel(ui_, controller_.curves());
  }
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(0, win.y - l.status));
  ImGui::SetNextWindowSize(ImVec2(win.x, l.status));
  if (ImGui::Begin("status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) status_bar(ui_);
  ImGui::End();

  canvas_overlay(ui_, l.cx, l.cy, l.cw, l.ch, now_);
}

void App::take_shots(const Layout& l, int fbw, int fbh, float sx, float sy) {
  const auto shot = [&](const std::string& path, bool canvas) {
    try {
      if (canvas)
        save_png(path, static_cast<int>(l.cx * sx), static_cast<int>((l.status + l.plots) * sy),
                 static_cast<int>(l.cw * sx), static_cast<int>(l.ch * sy));
      else
        save_png(path, 0, 0, fbw, fbh);
      ui_.toast = "Saved " + path;
      ui_.toast_until = now_ + 4;
      std::cerr << "hbar: saved " << path << std::endl;
    } catch (const std::exception& e) {
      report(std::string("screenshot failed: ") + e.what());
    }
  };
  if (ui_.req_screenshot_window) shots_.push_back({export_path(ui_, "_window.png"), false});
  if (ui_.req_screenshot_canvas) shots_.push_back({export_path(ui_, "_canvas.png"), true});
  ui_.req_screenshot_window = ui_.req_screenshot_canvas = false;
  for (const auto& s : shots_) shot(s.path, s.canvas);
  shots_.clear();
}

int App::run(long max_frames, const std::string& final_shot, Scenario* script) {
  auto t_prev = std::chrono::steady_clock::now();
  const auto t_start = t_prev;
  long frames = 0;
  const bool scripted = script != nullptr || max_frames > 0;
  while (!glfwWindowShouldClose(window_) && !quit_) {
    glfwPollEvents();
    const auto t_now = std::chrono::steady_clock::now();
    const double real_dt = std::chrono::duration<double>(t_now - t_prev).count();
    t_prev = t_now;
    now_ = std::chrono::duration<double>(t_now - t_start).count();
    // Scripts get a fixed 1/60 s per frame, so playback is the same on any machine.
    const double dt = scripted ? 1.0 / 60 : std::min(real_dt, 0.1);
    ui_.frame_ms.push_back(static_cast<float>(real_dt * 1000));
    if (ui_.frame_ms.size() > 120) ui_.frame_ms.erase(ui_.frame_ms.begin());
    double sum = 0;
    for (float f : ui_.frame_ms) sum += f;
    ui_.fps = sum > 0 ? 1000.0 * ui_.frame_ms.size() / sum : 0;

    if (script) script->step(*this);
    if (ui_.light_theme != light_) apply_theme(light_ = ui_.light_theme);
    ImGui::GetIO().FontGlobalScale = ui_.ui_scale / font_scale_;

    int ww, wh, fbw, fbh;
    glfwGetWindowSize(window_, &ww, &wh);
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    const float sx = ww > 0 ? static_cast<float>(fbw) / ww : 1, sy = wh > 0 ? static_cast<float>(fbh) / wh : 1;
    const Layout l = layout_for(ui_, static_cast<float>(ww), static_cast<float>(wh));
    if (ui_.req_reset_view) {
      ui_.req_reset_view = false;
      reset_view(view_, controller_, l);
    }
    ui_.view = Box{view_.cx - view_.scale * l.cw / 2, view_.cx + view_.scale * l.cw / 2,
                   view_.cy - view_.scale * l.ch / 2, view_.cy + view_.scale * l.ch / 2};

    controller_.frame(now_, dt);
    ui_.preview_ms = controller_.preview_ms();
    if (ui_.load_error != last_error_) {
      last_error_ = ui_.load_error;
      if (!last_error_.empty()) std::cerr << "hbar: load failed: " << last_error_ << std::endl;
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handle_input(l);
    draw_ui(l);
    ImGui::Render();

    glViewport(0, 0, fbw, fbh);
    glClearColor(0.1f, 0.1f, 0.1f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    renderer_.draw(controller_, ui_,
                   CanvasRect{static_cast<int>(l.cx * sx), static_cast<int>((l.status + l.plots) * sy),
                              static_cast<int>(l.cw * sx), static_cast<int>(l.ch * sy)});
    glViewport(0, 0, fbw, fbh);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    ++frames;
    const bool last = max_frames > 0 && frames >= max_frames;
    if (last && !final_shot.empty()) shots_.push_back({final_shot, false});
    take_shots(l, fbw, fbh, sx, sy);
    glfwSwapBuffers(window_);
    if (last) break;
    if (!scripted) {
      // About 60 frames a second where the driver does not sync to a display.
      std::this_thread::sleep_until(t_now + std::chrono::microseconds(16000));
    }
  }
  return 0;
}

void drop_callback(GLFWwindow*, int count, const char** paths) {
  if (count < 1 || !g_ui) return;
  std::snprintf(g_ui->data_path, sizeof g_ui->data_path, "%s", paths[0]);
  g_ui->req_load = true;
}

}  // namespace
}  // namespace hbar::app

int main(int argc, char** argv) {
  using namespace hbar::app;
  CLI::App cli{"hbar: diffusion models as Feynman path integrals, interactive"};
  std::string data, data_file, schedule = "simple", shot, script_path;
  double h = 0;
  long frames = 0;
  int width = 1600, height = 1000;
  cli.add_option("--data", data, "built-in data set: " + hbar::dataset_list());
  cli.add_option("--data-file", data_file, "a CSV file with columns x, y");
  cli.add_option("--schedule", schedule, "simple | cosine")->capture_default_str();
  cli.add_option("--h", h, "noise variance factor h >= 0")->capture_default_str();
  cli.add_option("--frames", frames, "exit (status 0) after N frames");
  cli.add_option("--screenshot", shot, "write the last frame of the window to this PNG");
  cli.add_option("--script", script_path, "run one command per line (see README)");
  cli.add_option("--width", width, "window width")->capture_default_str();
  cli.add_option("--height", height, "window height")->capture_default_str();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);
    std::cerr << "hbar: " << e.what() << std::endl;
    return 2;
  }
  if (!data.empty() && !hbar::is_dataset(data)) {
    std::cerr << "hbar: unknown data set '" << data << "' (choose from " << hbar::dataset_list() << ")" << std::endl;
    return 2;
  }
  if (schedule != "simple" && schedule != "cosine") {
    std::cerr << "hbar: unknown schedule '" << schedule << "' (choose simple or cosine)" << std::endl;
    return 2;
  }
  if (!(h >= 0) || !std::isfinite(h)) {
    std::cerr << "hbar: --h must be >= 0" << std::endl;
    return 2;
  }
  std::optional<Scenario> script;
  if (!script_path.empty()) {
    try {
      script = Scenario::from_file(script_path);
    } catch (const std::exception& e) {
      std::cerr << "hbar: " << e.what() << std::endl;
      return 2;
    }
  }

  glfwSetErrorCallback([](int code, const char* msg) { std::cerr << "hbar: GLFW error " << code << ": " << msg << std::endl; });
  if (!glfwInit()) {
    std::cerr << "hbar: cannot start GLFW (is there a display? try xvfb-run)" << std::endl;
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, "hbar", nullptr, nullptr);
  if (!window) {
    std::cerr << "hbar: cannot open an OpenGL 3.3 window" << std::endl;
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::cerr << "hbar: cannot load OpenGL 3.3 functions" << std::endl;
    return 1;
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; no imgui.ini beside the user's files
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (std::filesystem::exists(font)) io.Fonts->AddFontFromFileTTF(font, 15.0f * xs);
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScaleAllSizes(xs);
  glfwSetKeyCallback(window, key_callback);  // ImGui's backend chains to it
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int rc = 0;
  {
    UiState ui;
    ui.ui_scale = xs;
    if (!data.empty()) ui.settings.data = data;
    if (!data_file.empty()) {
      std::snprintf(ui.data_path, sizeof ui.data_path, "%s", data_file.c_str());
      ui.req_load = true;
    }
    ui.settings.schedule = schedule;
    ui.h = h;
    g_ui = &ui;
    glfwSetDropCallback(window, drop_callback);
    try {
      App app(window, ui, xs);
      rc = app.run(frames, shot, script ? &*script : nullptr);
    } catch (const std::exception& e) {
      std::cerr << "hbar: " << e.what() << std::endl;
      rc = 1;
    }
    g_ui = nullptr;
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
