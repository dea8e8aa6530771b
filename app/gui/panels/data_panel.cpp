#include <imgui.h>

#include <string>

#include "hbar/dataset.hpp"
#include "panels.hpp"

namespace hbar::app {

void data_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const SceneSettings& s = ui.settings.scene;
  const std::string current = s.data_file.empty() ? s.data : "file: " + s.data_file;
  if (ImGui::BeginCombo("data set", current.c_str())) {
    for (auto name : dataset_names()) {
      const bool sel = s.data_file.empty() && s.data == name;
      if (ImGui::Selectable(std::string(name).c_str(), sel)) ui.push({"data", std::string(name)});
    }
    ImGui::EndCombo();
  }
  ImGui::BeginDisabled(!s.data_file.empty());
  int n = s.data_n;
  if (ImGui::InputInt("points", &n, 100, 1000, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "data-n", std::to_string(n));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("size of the draw: the support of the empirical score (2 ... 100000)");
  int seed = static_cast<int>(s.data_seed);
  if (ImGui::InputInt("data seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "data-seed", std::to_string(seed));
  ImGui::EndDisabled();

  ImGui::Separator();
  ImGui::TextUnformatted("Load a CSV (x, y), or drop it on the window");
  ImGui::SetNextItemWidth(-70);
  const bool enter =
      ImGui::InputText("##path", ui.edits.data_path, sizeof ui.edits.data_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Load") || enter) && ui.edits.data_path[0]) ui.push({"load", ui.edits.data_path});
  const std::string& err = ui.status.load_error;
  if (!err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 100, 255));
    ImGui::TextWrapped("%s", err.c_str());
    ImGui::PopStyleColor();
    ImGui::TextDisabled("(the previous data is kept)");
  }
}

}  // namespace hbar::app
