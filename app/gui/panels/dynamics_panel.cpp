#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "panels.hpp"

namespace hbar::app {

bool h_slider(UiState& ui, const char* id, float width, bool big) {
  const double lo = 0.0, hi = ui.fine_h ? 0.2 : 1.0;
  ImGui::PushID(id);
  if (big) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(8, 10));
  ImGui::SetNextItemWidth(width);
  double h = ui.h;
  const bool changed = ImGui::SliderScalar("##h", ImGuiDataType_Double, &h, &lo, &hi, "h = %.3f");
  if (big) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ui.h_slider_rect[0] = a.x;
    ui.h_slider_rect[1] = a.y;
    ui.h_slider_rect[2] = b.x;
    ui.h_slider_rect[3] = b.y;
    ImGui::PopStyleVar();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("h: noise variance factor. 0 = probability-flow ODE, 1 = reverse SDE.\n"
                      "Ctrl+click to type a value; [ and ] nudge it.");
  ImGui::PopID();
  if (changed) ui.h = std::max(0.0, h);
  return changed;
}

void dynamics_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Dynamics", ImGuiTreeNodeFlags_DefaultOpen)) return;
  int mode = ui.mode == Mode::kForward ? 1 : 0;
  if (ImGui::RadioButton("reverse (noise -> data)", &mode, 0)) ui.mode = Mode::kReverse;
  ImGui::SameLine();
  if (ImGui::RadioButton("forward", &mode, 1)) ui.mode = Mode::kForward;
  ImGui::BeginDisabled(ui.mode == Mode::kForward);
  h_slider(ui, "h_sidebar", -1, true);
  ImGui::Checkbox("fine (0 ... 0.2)", &ui.fine_h);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  double typed = ui.h;
  if (ImGui::InputDouble("##h_typed", &typed, 0.01, 0.1, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue))
    ui.h = std::max(0.0, typed);
  ImGui::Checkbox("overlay h = 0, 0.25, 1 (Fig. 2)", &ui.overlay);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("40 particles from the same starting points for each h");
  ImGui::EndDisabled();

  ImGui::Separator();
  if (ImGui::Button(ui.playing ? "Pause" : "Play")) {
    if (!ui.playing && ui.frame >= ui.run_steps) ui.frame = 0;
    ui.playing = !ui.playing;
  }
  ImGui::SameLine();
  if (ImGui::Button("<")) ui.frame = std::max(0, ui.frame - 1), ui.playing = false;
  ImGui::SameLine();
  if (ImGui::Button(">")) ui.frame = std::min(ui.run_steps, ui.frame + 1), ui.playing = false;
  ImGui::SameLine();
  ImGui::Checkbox("loop", &ui.loop);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderFloat("##speed", &ui.speed, 0.1f, 8.0f, "speed %.1fx", ImGuiSliderFlags_Logarithmic);
  const double t = ui.run_steps > 0 ? ui.run_t_first + (ui.run_t_last - ui.run_t_first) * ui.frame / ui.run_steps
                                    : ui.run_t_first;
  char label[64];
  std::snprintf(label, sizeof label, "step %%d  (t = %.3f)", t);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##frame", &ui.frame, 0, std::max(ui.run_steps, 1), label)) ui.playing = false;

  ImGui::Separator();
  ImGui::Checkbox("data", &ui.show_data);
  ImGui::SameLine();
  ImGui::Checkbox("trajectories", &ui.show_traj);
  ImGui::SameLine();
  ImGui::Checkbox("particles", &ui.show_particles);
  ImGui::SliderInt("lines shown", &ui.traj_shown, 0, 20000);
  ImGui::SliderFloat("point size", &ui.point_size, 1.0f, 8.0f, "%.1f");
}

}  // namespace hbar::app
