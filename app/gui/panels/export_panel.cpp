#include <imgui.h>

#include "panels.hpp"

namespace hbar::app {

void export_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Export", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::InputText("folder", ui.export_dir, sizeof ui.export_dir);
  const std::string stem = export_stem(ui);
  ImGui::InputTextWithHint("name", stem.c_str(), ui.export_name, sizeof ui.export_name);
  if (ImGui::Button("Screenshot (S)")) ui.req_screenshot_window = true;
  ImGui::SameLine();
  if (ImGui::Button("Canvas PNG")) ui.req_screenshot_canvas = true;
  if (ImGui::Button("Samples CSV")) ui.req_export_samples = true;
  ImGui::SameLine();
  if (ImGui::Button("Trajectories CSV")) ui.req_export_trajectories = true;
  if (ImGui::Button("Heat map CSV")) ui.req_export_heatmap = true;
  ImGui::SameLine();
  if (ImGui::Button("Curves CSV")) ui.req_export_curves = true;
  ImGui::Checkbox("light theme (for figures)", &ui.light_theme);
  ImGui::SliderFloat("UI scale", &ui.ui_scale, 0.75f, 2.5f, "%.2f");
}

}  // namespace hbar::app
