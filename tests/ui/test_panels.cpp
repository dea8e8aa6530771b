// Every panel for N frames in a Dear ImGui context with no backend (no window, no GL).
#include <doctest/doctest.h>
#include <imgui.h>

#include "app_state.hpp"
#include "panels/panels.hpp"
#include "widgets/plot.hpp"

using namespace hbar::app;

namespace {
struct Context {
  Context() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.IniFilename = nullptr;
    unsigned char* px;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);  // builds the atlas, as a backend would
  }
  ~Context() { ImGui::DestroyContext(); }
};

void one_frame(UiState& ui, const std::vector<Curve>& curves, float mouse_x, float mouse_y, bool down) {
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = 1.0f / 60;
  io.MousePos = ImVec2(mouse_x, mouse_y);
  io.MouseDown[0] = down;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(340, 960));
  ImGui::Begin("sidebar");
  data_panel(ui);
  model_panel(ui);
  dynamics_panel(ui);
  heatmap_panel(ui);
  export_panel(ui);
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(340, 700));
  ImGui::SetNextWindowSize(ImVec2(1260, 260));
  ImGui::Begin("plots");
  plots_panel(ui, curves);
  ImGui::End();
  ImGui::Begin("status");
  status_bar(ui);
  ImGui::End();
  canvas_overlay(ui, 340, 0, 1260, 700, 1.0);
  ImGui::Render();
}
}  // namespace

TEST_CASE("every panel runs for 120 frames with changing state") {
  Context ctx;
  UiState ui;
  ui.load_error = "bad.csv:3: not a number in column 2: 'abc'";
  ui.heat = HeatKind::kLogDensity;
  ui.heat_label = "log p_t(x), exact law";
  ui.sweep = {{0.0, 0.3, 0.01, 3}, {0.1, 0.25, 0.02, 3}};
  ui.toast = "Saved exports/x.png";
  ui.toast_until = 10;
  std::vector<Curve> curves = {{"sliced W2", {0, 0.1}, {0.3, 0.25}, {0.01, 0.02}, 0xffffffff},
                               {"toy 1-D: NLL(h), exact", {0, 0.5, 1}, {2.5, 0.8, 0.75}, {}, 0xff00ffff}};
  for (int f = 0; f < 120; ++f) {
    ui.overlay = f % 40 > 20;
    ui.mode = f % 60 > 45 ? Mode::kForward : Mode::kReverse;
    ui.light_theme = f > 100;
    ui.scene_busy = f < 30;
    ui.sweep_running = f % 2 == 0;
    one_frame(ui, curves, 700, 800, false);  // hover over the W2 plot: tooltip path
  }
  CHECK(ImGui::GetFrameCount() == 120);
  // The big h slider reported where it is.
  CHECK(ui.h_slider_rect[2] > ui.h_slider_rect[0]);
  CHECK(ui.h_slider_rect[3] > ui.h_slider_rect[1]);
}

TEST_CASE("dragging the sidebar h slider changes h, as a person would") {
  Context ctx;
  UiState ui;
  std::vector<Curve> none;
  one_frame(ui, none, 0, 0, false);
  const float y = (ui.h_slider_rect[1] + ui.h_slider_rect[3]) / 2;
  const float x0 = ui.h_slider_rect[0] + 2, x1 = ui.h_slider_rect[2] - 2;
  one_frame(ui, none, x0, y, false);
  one_frame(ui, none, x0, y, true);
  for (int k = 1; k <= 10; ++k) one_frame(ui, none, x0 + (x1 - x0) * k / 10, y, true);
  one_frame(ui, none, x1, y, false);
  CHECK(ui.h > 0.95);
  CHECK(ui.h <= 1.0);
}
