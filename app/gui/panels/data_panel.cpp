#include <imgui.h>

#include <cstring>
#include <string>

#include "hbar/dataset.hpp"
#include "panels.hpp"

namespace hbar::app {

void data_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen)) return;
  auto& s = ui.settings;
  const std::string current = s.data_file.empty() ? s.data : "file: " + s.data_file;
  if (ImGui::BeginCombo("data set", current.c_str())) {
    for (auto name : dataset_names()) {
      const bool sel = s.data_file.empty() && s.data == name;
      if (ImGui::Selectable(std::string(name).c_str(), sel)) {
        s.data = std::string(name);
        s.data_file.clear();
      }
    }
    ImGui::EndCombo();
  }
  ImGui::BeginDisabled(!s.data_file.empty());
  int n = s.data_n;
  if (ImGui::InputInt("points", &n, 100, 1000, ImGuiInputTextFlags_EnterReturnsTrue))
    s.data_n = std::clamp(n, 2, 1000000);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("size of the draw: the support of the empirical score");
  int seed = static_cast<int>(s.data_seed);
  if (ImGui::InputInt("data seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
    s.data_seed = static_cast<std::uint64_t>(std::max(seed, 0));
  ImGui::EndDisabled();

  ImGui::Separator();
  ImGui::TextUnformatted("Load a CSV (x, y), or drop it on the window");
  ImGui::SetNextItemWidth(-70);
  const bool enter = ImGui::InputText("##path", ui.data_path, sizeof ui.data_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Load") || enter) && ui.data_path[0]) ui.req_load = true;
  if (!ui.load_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 100, 255));
    ImGui::TextWrapped("%s", ui.load_error.c_str());
    ImGui::PopStyleColor();
    ImGui::TextDisabled("(the previous data is kept)");
  }
}

}  // namespace hbar::app
