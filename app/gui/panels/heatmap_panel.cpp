#include <imgui.h>

#include "panels.hpp"

namespace hbar::app {

void heatmap_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Heat maps", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const char* kinds[] = {"none", "path action density", "end-point action S[x]", "log p_t(x) (exact law)",
                         "log q0_t(x) (model, PF ODE)", "C(x): first-order h effect"};
  int k = static_cast<int>(ui.heat);
  if (ImGui::Combo("map", &k, kinds, 6)) ui.heat = static_cast<HeatKind>(k);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("path action: |x_{n+1} - x_n + f_PF dt|^2 / (2 g^2 dt) per step, in the cell of x_n,\n"
                      "summed up to the current step, per particle. End-point: mean S[x] of the paths\n"
                      "ending in each cell. log p_t: the exact diffused data law at the current time.\n"
                      "log q0_t: the likelihood the model's PF ODE gives at the current time (an ODE solve\n"
                      "per cell, 64 columns; follows the frame while paused). C(x): log q^h = log q0 + h C\n"
                      "at T_min; C > 0 where a little noise raises the likelihood (exact derivatives).");
  ImGui::SliderFloat("opacity", &ui.heat_opacity, 0.0f, 1.0f, "%.2f");
  int cm = ui.heat_map == Colormap::kMagma ? 0 : 1;
  const char* maps[] = {"magma", "viridis"};
  if (ImGui::Combo("colours", &cm, maps, 2)) ui.heat_map = cm == 0 ? Colormap::kMagma : Colormap::kViridis;
  ImGui::Checkbox("drift arrows f_PF", &ui.arrows);
  if (ui.heat != HeatKind::kNone && !ui.heat_label.empty())
    ImGui::TextDisabled("%s: %.3g ... %.3g", ui.heat_label.c_str(), ui.heat_lo, ui.heat_hi);
}

}  // namespace hbar::app
