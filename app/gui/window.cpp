// The window around the app: GLFW + OpenGL 3.3 + Dear ImGui set-up, the fixed layout,
// GLFW's key and drop callbacks (they queue commands) and captions drawn offscreen.
#include "window.hpp"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "setting_table.hpp"

namespace hbar::app {
namespace {

UiState* g_ui = nullptr;  // where the key and drop callbacks push commands

// Keys come from GLFW's callback rather than ImGui 1.86's polled key state, which
// misses a press and release that fall between two frames (a quick tap).
void key_callback(GLFWwindow*, int key, int, int action, int mods) {
  if (!g_ui || (action != GLFW_PRESS && action != GLFW_REPEAT)) return;
  UiState& ui = *g_ui;
  if (ui.files.is_open() && (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER)) ui.files.confirm();
  if (ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput) return;
  const double nudge = ui.view.fine_h ? 0.002 : 0.01;
  const auto set_h = [&](double h) { ui.push({"set", "h", format_number(std::clamp(h, 0.0, kMaxH))}, "key"); };
  switch (key) {
    case GLFW_KEY_SPACE:
      // A tour's pause goes on to its next step; otherwise Space plays and pauses.
      if (action == GLFW_PRESS) ui.push(ui.tour.waiting ? std::vector<std::string>{"tour", "next"}
                                                        : std::vector<std::string>{"playback", "toggle"}, "key");
      break;
    case GLFW_KEY_RIGHT:
      if (action == GLFW_PRESS && ui.tour.waiting) ui.push({"tour", "next"}, "key");
      break;
    case GLFW_KEY_R: ui.push({"view", "reset"}, "key"); break;
    case GLFW_KEY_ESCAPE:
      if (ui.status.task(TaskKind::kAnimation).running) ui.push({"cancel", "animation"}, "key");
      else if (ui.tour.running) ui.push({"tour", "stop"}, "key");
      break;
    case GLFW_KEY_Z:
      // Ctrl+Z undoes a data edit, Ctrl+Shift+Z redoes it (Ctrl+Y too).
      if (mods & GLFW_MOD_CONTROL) ui.push({(mods & GLFW_MOD_SHIFT) ? "redo" : "undo"}, "key");
      break;
    case GLFW_KEY_Y: if (mods & GLFW_MOD_CONTROL) ui.push({"redo"}, "key"); break;
    case GLFW_KEY_S: if (action == GLFW_PRESS) ui.push({"screenshot"}, "key"); break;
    case GLFW_KEY_LEFT_BRACKET: set_h(ui.settings.h - nudge); break;
    case GLFW_KEY_RIGHT_BRACKET: set_h(ui.settings.h + nudge); break;
    default: break;
  }
}

// A dropped .json opens as a session, anything else loads as data.
void drop_callback(GLFWwindow*, int count, const char** paths) {
  if (count < 1 || !g_ui) return;
  const std::string p = paths[0];
  const bool json = p.size() > 5 && p.compare(p.size() - 5, 5, ".json") == 0;
  g_ui->push(json ? std::vector<std::string>{"session", "load", p} : std::vector<std::string>{"load", p}, "drop");
}

}  // namespace

void set_callback_target(GLFWwindow* window, UiState* ui) {
  g_ui = ui;
  glfwSetDropCallback(window, ui ? drop_callback : nullptr);
}

// Widths of the fixed layout at UI scale 1 (window pixels).
constexpr float kSidebarWidth = 340, kStatusHeight = 34, kPlotsHeight = 250, kPlotsFolded = 26;

Layout layout_for(const View& v, float win_w, float win_h) {
  Layout l;
  const float s = static_cast<float>(v.ui_scale);
  l.sidebar = kSidebarWidth * s;
  l.status = kStatusHeight * s;
  l.plots = (v.show_plots ? kPlotsHeight : kPlotsFolded) * s;
  l.cx = l.sidebar;
  l.cy = 0;
  l.cw = std::max(1.0f, win_w - l.sidebar);
  l.ch = std::max(1.0f, win_h - l.status - l.plots);
  return l;
}

// Fits the camera to the data and the prior's bulk.
void fit_view(View& v, const Controller& c, const Layout& l) {
  Box b{-3, 3, -3, 3};
  if (const auto& s = c.scene()) {
    b.xmin = std::min(b.xmin, s->data.col(0).minCoeff());
    b.xmax = std::max(b.xmax, s->data.col(0).maxCoeff());
    b.ymin = std::min(b.ymin, s->data.col(1).minCoeff());
    b.ymax = std::max(b.ymax, s->data.col(1).maxCoeff());
  }
  v.cam_x = (b.xmin + b.xmax) / 2;
  v.cam_y = (b.ymin + b.ymax) / 2;
  v.cam_scale = 1.1 * std::max(b.width() / l.cw, b.height() / l.ch);
}

void apply_theme(bool light) {
  if (light)
    ImGui::StyleColorsLight();
  else
    ImGui::StyleColorsDark();
}

// Points grow with the animation's height (relative to a 720-line canvas), so a 4K
// export does not show specks.
double v_point_scale(int height) { return std::max(1.0, height / 720.0); }

// The p-th percentile of recent times (0 when there are none).
double percentile(std::vector<float> ms, double p) {
  if (ms.empty()) return 0.0;
  std::sort(ms.begin(), ms.end());
  return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p / 100 * static_cast<double>(ms.size())))];
}

// A caption in the corner of an offscreen image, drawn with ImGui's font by its
// OpenGL backend (the same text the app shows).
void render_annotations(int w, int h, const Annotations& a) {
  ImDrawList dl(ImGui::GetDrawListSharedData());
  dl._ResetForNewFrame();
  dl.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(w), static_cast<float>(h)));
  dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
  draw_annotations(&dl, ImGui::GetFont(), std::max(13.0f, static_cast<float>(h) / 40), ImVec2(0, 0),
                   ImVec2(static_cast<float>(w), static_cast<float>(h)), a);
  ImDrawList* lists[] = {&dl};
  ImDrawData dd;
  dd.Valid = true;
  dd.CmdLists = lists;
  dd.CmdListsCount = 1;
  dd.TotalVtxCount = dl.VtxBuffer.Size;
  dd.TotalIdxCount = dl.IdxBuffer.Size;
  dd.DisplayPos = ImVec2(0, 0);
  dd.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
  dd.FramebufferScale = ImVec2(1, 1);
  ImGui_ImplOpenGL3_RenderDrawData(&dd);
}

// GLFW, an OpenGL 3.3 core window and its functions; nullptr (said why) on failure.
// The window opens inside the primary monitor's work area (never larger than the
// screen), its default size scaled by the monitor's content scale.
GLFWwindow* open_window(int width, int height, bool size_given) {
  glfwSetErrorCallback([](int code, const char* msg) { std::cerr << "hbar: GLFW error " << code << ": " << msg << std::endl; });
  if (!glfwInit()) {
    std::cerr << "hbar: cannot start GLFW (is there a display? try xvfb-run)" << std::endl;
    return nullptr;
  }
  int wx = 0, wy = 0, ww = 0, wh = 0;
  if (GLFWmonitor* mon = glfwGetPrimaryMonitor()) {
    glfwGetMonitorWorkarea(mon, &wx, &wy, &ww, &wh);
    float xs = 1, ys = 1;
    glfwGetMonitorContentScale(mon, &xs, &ys);
    if (!size_given && xs > 0 && ys > 0) {
      width = static_cast<int>(static_cast<float>(width) * xs);
      height = static_cast<int>(static_cast<float>(height) * ys);
    }
    if (ww > 0 && wh > 0) {
      width = std::min(width, ww);
      height = std::min(height, wh);
    }
  }
  width = std::max(width, 320);
  height = std::max(height, 240);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, "hbar", nullptr, nullptr);
  if (!window) {
    std::cerr << "hbar: cannot open an OpenGL 3.3 window" << std::endl;
    glfwTerminate();
    return nullptr;
  }
  if (ww > 0 && wh > 0) glfwSetWindowPos(window, wx + (ww - width) / 2, wy + (wh - height) / 2);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::cerr << "hbar: cannot load OpenGL 3.3 functions" << std::endl;
    glfwDestroyWindow(window);
    glfwTerminate();
    return nullptr;
  }
  return window;
}

// Dear ImGui on the window, with DejaVu Sans where installed; returns the content scale.
float init_imgui(GLFWwindow* window) {
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
  return xs;
}

}  // namespace hbar::app
