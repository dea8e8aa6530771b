// Every panel for N frames in a Dear ImGui context with no backend (no window, no GL).
#include <doctest/doctest.h>
#include <imgui.h>

#include "app_state.hpp"
#include "setting_table.hpp"
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
  Status& st = ui.status;
  st.load_error = "bad.csv:3: not a number in column 2: 'abc'";
  ui.settings.heat = HeatKind::kLogDensity;
  st.heat_label = "log p_t(x), exact law";
  st.sweep = {{0.0, 0.3, 0.01, 3}, {0.1, 0.25, 0.02, 3}};
  st.toast = "Saved exports/x.png";
  st.toast_until = 10;
  std::vector<Curve> curves = {{"w2_sliced", "sliced W2", PlotGroup::kW2, {0, 0.1}, {0.3, 0.25}, {0.01, 0.02}, 0xffffffff},
                               {"toy_nll", "NLL(h), exact", PlotGroup::kToy, {0, 0.5, 1}, {2.5, 0.8, 0.75}, {}, 0xff00ffff}};
  for (int f = 0; f < 120; ++f) {
    ui.settings.overlay = f % 40 > 20;
    ui.settings.mode = f % 60 > 45 ? Mode::kForward : Mode::kReverse;
    ui.view.light_theme = f > 100;
    st.task(TaskKind::kScene).running = f < 30;
    st.task(TaskKind::kSweep).running = f % 2 == 0;
    st.task(TaskKind::kNll).error = f > 60 ? "injected failure" : "";
    one_frame(ui, curves, 700, 800, false);  // hover over the W2 plot: tooltip path
  }
  CHECK(ImGui::GetFrameCount() == 120);
  // The big h slider reported where it is.
  CHECK(ui.layout.h_slider[2] > ui.layout.h_slider[0]);
  CHECK(ui.layout.h_slider[3] > ui.layout.h_slider[1]);
  // Hovering issued no command.
  CHECK(ui.commands.empty());
}

TEST_CASE("the space-time overlay: axes, profiles and the h(t) strip on the canvas's time axis") {
  Context ctx;
  UiState ui;
  SpaceTimeStatus& st = ui.status.spacetime;
  st.shown = true;
  st.t0 = 0.01, st.t1 = 1.0, st.y0 = -3, st.y1 = 3;
  st.heat_label = "log p_t(u.x)";
  st.profile_data.assign(200, 0.1);
  st.profile_model.assign(200, 0.2);
  st.model_label = "the run's particles";
  ui.settings.h_kind = HShapeKind::kWindow;
  // The canvas (340, 0, 1260 x 700) shows the area with the margins of spacetime_box.
  const SpaceTimeMargins m = spacetime_margins(1.0);
  ui.layout.canvas_world = spacetime_box(hbar::Box{st.t0, st.t1, st.y0, st.y1}, 1260, 700, m);
  for (int f = 0; f < 20; ++f) {
    st.toy = f >= 10;
    one_frame(ui, {}, 700, 300, false);
  }
  // The strip spans exactly the area's time axis: x of t0 … x of t1 on the canvas.
  const float* strip = ui.layout.spacetime_strip;
  CHECK(strip[0] == doctest::Approx(340 + m.left));
  CHECK(strip[2] == doctest::Approx(340 + 1260 - m.right));
  CHECK(strip[3] - strip[1] == doctest::Approx(kHStripHeight));
  CHECK(strip[3] < 700);
  CHECK(ui.commands.empty());
}

TEST_CASE("dragging the sidebar h slider changes h, as a person would") {
  Context ctx;
  UiState ui;
  std::vector<Curve> none;
  one_frame(ui, none, 0, 0, false);
  const float* r = ui.layout.h_slider;
  const float y = (r[1] + r[3]) / 2;
  const float x0 = r[0] + 2, x1 = r[2] - 2;
  one_frame(ui, none, x0, y, false);
  one_frame(ui, none, x0, y, true);
  for (int k = 1; k <= 10; ++k) one_frame(ui, none, x0 + (x1 - x0) * k / 10, y, true);
  one_frame(ui, none, x1, y, false);
  // The slider issued `set h …` commands; the controller would apply them in order.
  int commands = 0;
  while (auto c = ui.commands.pop()) {
    REQUIRE(c->words.size() == 3);
    CHECK(c->words[0] == "set");
    CHECK(c->words[1] == "h");
    CHECK(c->origin == "panel");
    CHECK(set_setting(ui.settings, ui.view, c->words[1], c->words[2]).empty());
    ++commands;
  }
  CHECK(commands >= 10);
  CHECK(ui.settings.h > 0.95);
  CHECK(ui.settings.h <= 1.0);
}
