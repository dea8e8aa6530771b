#include <imgui.h>

#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {

void heatmap_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Heat maps", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const char* kinds[] = {"none", "path action density", "end-point action S[x]", "log p_t(x) (exact law)",
                         "log q0_t(x) (model, PF ODE)", "C(x): first-order h effect"};
  const char* keys[] = {"none", "path", "endpoint", "density", "logq0", "wkbc"};
  int k = static_cast<int>(ui.settings.heat);
  if (ImGui::Combo("map", &k, kinds, 6)) set_key(ui, "heat", keys[k]);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("path action: |x_{n+1} - x_n + f_PF dt|^2 / (2 g^2 dt) per step, in the cell of x_n,\n"
                      "summed up to the current step, per particle. End-point: mean S[x] of the paths\n"
                      "ending in each cell. log p_t: the exact diffused data law at the current time.\n"
                      "log q0_t: the likelihood the model's PF ODE gives at the current time (an ODE solve\n"
                      "per cell, 64 columns; follows the frame while paused). C(x): log q^h = log q0 + h C\n"
                      "at T_min; C > 0 where a little noise raises the likelihood (exact derivatives).");
  float op = static_cast<float>(ui.view.heat_opacity);
  if (ImGui::SliderFloat("opacity", &op, 0.0f, 1.0f, "%.2f")) set_key(ui, "opacity", format_number(op));
  int cm = ui.view.heat_map == Colormap::kMagma ? 0 : 1;
  const char* maps[] = {"magma", "viridis"};
  if (ImGui::Combo("colours", &cm, maps, 2)) set_key(ui, "colours", maps[cm]);
  checkbox_key(ui, "drift arrows f_PF", "arrows", ui.view.arrows);
  const Status& st = ui.status;
  if (ui.settings.heat != HeatKind::kNone && !st.heat_label.empty())
    ImGui::TextDisabled("%s: %.3g ... %.3g", st.heat_label.c_str(), st.heat_lo, st.heat_hi);

  // The canvas: the plane, or space-time (t across, u·x up) over the diffused law's density.
  ImGui::Separator();
  const View& v = ui.view;
  int mode = static_cast<int>(v.canvas);
  ImGui::TextUnformatted("canvas:");
  ImGui::SameLine();
  if (ImGui::RadioButton("plane", &mode, 0)) set_key(ui, "canvas", "plane");
  ImGui::SameLine();
  if (ImGui::RadioButton("space-time", &mode, 1)) set_key(ui, "canvas", "spacetime");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("time across, the paths' coordinate u.x up, over the log density of u.x_t under the\n"
                      "diffused data law (exact); the h(t) strip and c(t) under it on the same time axis.\n"
                      "The maps above are for the plane.");
  if (v.canvas != CanvasMode::kSpaceTime) return;
  int of = v.spacetime_toy ? 1 : 0;
  ImGui::TextUnformatted("of:");
  ImGui::SameLine();
  if (ImGui::RadioButton("the scene", &of, 0)) set_key(ui, "spacetime-of", "scene");
  ImGui::SameLine();
  if (ImGui::RadioButton("the 1-D toy model", &of, 1)) set_key(ui, "spacetime-of", "toy");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("SCIENCE.md 9: data N(0, 0.25), score biased by toy-eps; its law q^h_t = N(0, u_t)\n"
                      "in closed form (the variance ODE under h(t)), and its c(t) exactly");
  if (!v.spacetime_toy) {
    float a = static_cast<float>(v.spacetime_angle);
    if (ImGui::SliderFloat("direction u", &a, -180.0f, 180.0f, "%.0f deg"))
      set_key(ui, "spacetime-angle", format_number(a));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the paths are drawn as u.x against t, u = (cos, sin) of this angle");
  }
}

}  // namespace hbar::app
