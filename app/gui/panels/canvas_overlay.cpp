#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "../widgets/colorbar.hpp"
#include "panels.hpp"

namespace hbar::app {

void canvas_overlay(UiState& ui, float x, float y, float w, float h, double now) {
  const Status& st = ui.status;
  const View& v = ui.view;
  const ImU32 text = v.light_theme ? IM_COL32(20, 20, 20, 255) : IM_COL32(235, 235, 235, 255);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float fh = ImGui::GetFontSize();

  // The floating h slider in the canvas's top-left corner.
  ImGui::SetNextWindowPos(ImVec2(x + 10, y + 10));
  ImGui::SetNextWindowBgAlpha(0.55f);
  if (ImGui::Begin("##h_float", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                       ImGuiWindowFlags_NoNav)) {
    if (ui.settings.mode == Mode::kReverse) {
      h_slider(ui, "h_canvas", 16 * fh, false);
      ImGui::SameLine();
      // A fixed width, so the window does not resize as the label changes.
      const ImVec2 at = ImGui::GetCursorPos();
      ImGui::TextUnformatted(st.picture_exact ? st.score_kind : "preview");
      ImGui::SetCursorPos(at);
      ImGui::Dummy(ImVec2(ImGui::CalcTextSize("learned score").x, fh));
    } else {
      ImGui::TextUnformatted("forward SDE: data -> noise");
    }
  }
  ImGui::End();

  // Colour bars: time along trajectories, and the heat map.
  const double t0 = st.run_t_first, t1 = st.run_t_last;
  // The trajectories' colour runs from the run's first frame (t0) to its last (t1).
  colorbar(dl, ImVec2(x + w - 10 * fh, y + 10), h * 0.3f, Colormap::kViridis, t0, t1, "time t", text, x + w);
  if (ui.settings.heat != HeatKind::kNone && !st.heat_label.empty())
    colorbar(dl, ImVec2(x + w - 10 * fh, y + h * 0.3f + 4 * fh), h * 0.3f, v.heat_map, st.heat_lo, st.heat_hi,
             st.heat_label, text, x + w);

  // Legend.
  float ly = y + h - 4.5f * fh;
  const auto item = [&](ImU32 c, const char* s) {
    dl->AddCircleFilled(ImVec2(x + 16, ly + fh / 2), 4, c);
    dl->AddText(ImVec2(x + 26, ly), text, s);
    ly += fh * 1.2f;
  };
  if (v.show_data) item(IM_COL32(150, 150, 150, 255), "training data");
  if (v.show_particles) item(IM_COL32(255, 120, 60, 255), "particles at the current step");
  if (st.compare_shown) item(IM_COL32(110, 220, 110, 255), "exact score: same starts, noise and h");
  if (ui.settings.overlay && ui.settings.mode == Mode::kReverse) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "overlay: h = %.2g (cyan), %.2g (magenta), %.2g (yellow)", kOverlayH[0],
                  kOverlayH[1], kOverlayH[2]);
    item(IM_COL32(0, 220, 255, 255), buf);
  }

  // The scene's progress in place while it builds (the data shows already), or what to do
  // when a drawn set is too small.
  const TaskStatus& scene = st.task(TaskKind::kScene);
  if (st.waiting_for_data || scene.running) {
    char buf[160];
    if (st.waiting_for_data)
      std::snprintf(buf, sizeof buf, "Draw at least %d points (Data: brush) to build the scene", kMinDrawnPoints);
    else
      std::snprintf(buf, sizeof buf, "Building the scene: %s  %.0f %%", scene.stage.c_str(), 100 * scene.progress);
    const ImVec2 sz = ImGui::CalcTextSize(buf);
    const ImVec2 p(x + (w - sz.x) / 2, y + h * 0.12f);
    const ImU32 bg = v.light_theme ? IM_COL32(245, 245, 245, 230) : IM_COL32(25, 25, 30, 220);
    dl->AddRectFilled(ImVec2(p.x - 12, p.y - 8), ImVec2(p.x + sz.x + 12, p.y + sz.y + 16), bg, 4);
    dl->AddText(p, text, buf);
    if (!st.waiting_for_data) {
      const float bw = sz.x * static_cast<float>(std::clamp(scene.progress, 0.0, 1.0));
      dl->AddRectFilled(ImVec2(p.x, p.y + sz.y + 4), ImVec2(p.x + bw, p.y + sz.y + 9), IM_COL32(255, 140, 60, 255), 2);
      dl->AddRect(ImVec2(p.x, p.y + sz.y + 4), ImVec2(p.x + sz.x, p.y + sz.y + 9), IM_COL32(140, 140, 140, 255), 2);
    }
  }

  // Toast.
  if (now < st.toast_until && !st.toast.empty()) {
    const ImVec2 sz = ImGui::CalcTextSize(st.toast.c_str());
    const ImVec2 p(x + w - sz.x - 24, y + h - sz.y - 20);
    dl->AddRectFilled(ImVec2(p.x - 8, p.y - 6), ImVec2(p.x + sz.x + 8, p.y + sz.y + 6), IM_COL32(30, 30, 30, 220), 4);
    dl->AddText(p, IM_COL32(255, 255, 255, 255), st.toast.c_str());
  }
}

}  // namespace hbar::app
