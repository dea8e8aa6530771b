#pragma once
// The window around the app: GLFW + OpenGL 3.3 (glad) + Dear ImGui set-up, the fixed
// layout of sidebar, canvas, plots and status line, GLFW's key and drop callbacks
// (they push commands like every input), and captions drawn into an offscreen image.
#include <string>
#include <vector>

#include "app_state.hpp"
#include "controller.hpp"
#include "widgets/annotations.hpp"

struct GLFWwindow;

namespace hbar::app {

struct Layout {
  float sidebar = 340, status = 34, plots = 250;
  float cx = 0, cy = 0, cw = 1, ch = 1;  // canvas in window pixels (top-left origin)
};

// The layout of a win_w × win_h window at the view's UI scale.
Layout layout_for(const View& v, float win_w, float win_h);
// Fits the camera to the data and the prior's bulk.
void fit_view(View& v, const Controller& c, const Layout& l);
void apply_theme(bool light);
// Point sizes of an offscreen image `height` pixels tall (relative to a 720-line canvas).
double v_point_scale(int height);
// The p-th percentile of recent times (0 when there are none).
double percentile(std::vector<float> ms, double p);
// Colour bars, legend, caption and headline over the bound w × h framebuffer (an
// offscreen image), in ImGui's font at a size that grows with the image (h / 40, ≥ 13 px).
void render_annotations(int w, int h, const Annotations& a);

// GLFW, an OpenGL 3.3 core window inside the monitor's work area, and its functions;
// nullptr (said why on stderr) on failure.
GLFWwindow* open_window(int width, int height, bool size_given);
// Dear ImGui on the window, with DejaVu Sans where installed; returns the content scale.
float init_imgui(GLFWwindow* window);
// Where the key and drop callbacks push their commands (null: nowhere).
void set_callback_target(GLFWwindow* window, UiState* ui);

}  // namespace hbar::app
