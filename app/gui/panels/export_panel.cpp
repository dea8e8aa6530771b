#include <imgui.h>

#include <cstdio>

#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {

void export_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Export", ImGuiTreeNodeFlags_DefaultOpen)) return;
  char dir[512], name[512];
  std::snprintf(dir, sizeof dir, "%s", ui.view.export_dir.c_str());
  std::snprintf(name, sizeof name, "%s", ui.view.export_name.c_str());
  if (ImGui::InputText("folder", dir, sizeof dir)) set_key(ui, "export-dir", dir);
  const std::string stem = export_stem(ui);
  if (ImGui::InputTextWithHint("name", stem.c_str(), name, sizeof name)) set_key(ui, "export-name", name);
  if (ImGui::Button("Screenshot (S)")) ui.push({"screenshot"});
  ImGui::SameLine();
  if (ImGui::Button("Canvas PNG")) ui.push({"screenshot", "canvas"});
  if (ImGui::Button("Samples CSV")) ui.push({"export", "samples"});
  ImGui::SameLine();
  if (ImGui::Button("Trajectories CSV")) ui.push({"export", "trajectories"});
  if (ImGui::Button("Heat map CSV")) ui.push({"export", "heatmap"});
  ImGui::SameLine();
  if (ImGui::Button("Curves CSV")) ui.push({"export", "curves"});
  bool light = ui.view.light_theme;
  if (ImGui::Checkbox("light theme (for figures)", &light)) set_key(ui, "theme", light ? "light" : "dark");
  float scale = static_cast<float>(ui.view.ui_scale);
  if (ImGui::SliderFloat("UI scale", &scale, 0.75f, 2.5f, "%.2f")) set_key(ui, "ui-scale", format_number(scale));

  ImGui::Separator();
  ImGui::TextUnformatted("Session: settings, view and data in one file");
  if (ImGui::Button("Save session")) ui.push({"session", "save"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("to the export folder, named after the scene");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-110);
  const bool enter = ImGui::InputTextWithHint("##session", "F.json", ui.edits.session_path,
                                              sizeof ui.edits.session_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open session") || enter) && ui.edits.session_path[0])
    ui.push({"session", "load", ui.edits.session_path});
}

}  // namespace hbar::app
