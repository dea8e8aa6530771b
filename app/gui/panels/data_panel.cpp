#include <imgui.h>

#include <string>

#include "hbar/data/dataset.hpp"
#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

// Draw data by hand: the tool, the brush, clear, undo / redo and the point count.
void draw_tools(UiState& ui) {
  ImGui::Separator();
  const View& v = ui.view;
  const Status& st = ui.status;
  ImGui::Text("Draw: %d points%s", st.data_points, st.data_drawn ? " (drawn)" : "");
  int tool = static_cast<int>(v.tool);
  const char* names[] = {"pan", "brush", "eraser"};
  for (int i = 0; i < 3; ++i) {
    if (i) ImGui::SameLine();
    if (ImGui::RadioButton(names[i], &tool, i)) set_key(ui, "tool", names[i]);
  }
  if (ImGui::IsItemHovered() || tool != 0)
    ImGui::TextDisabled(tool == 0 ? "drag pans, wheel zooms" : "left drag on the canvas; the wheel still zooms");
  float r = static_cast<float>(v.brush_radius);
  if (ImGui::SliderFloat("radius", &r, 0.02f, 3.0f, "%.2f", ImGuiSliderFlags_Logarithmic))
    set_key(ui, "brush-radius", format_number(r));
  float rate = static_cast<float>(v.brush_rate);
  if (ImGui::SliderFloat("points/s", &rate, 10.0f, 2000.0f, "%.0f", ImGuiSliderFlags_Logarithmic))
    set_key(ui, "brush-rate", format_number(rate));
  if (ImGui::Button("Clear")) ui.push({"draw", "clear"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("start from an empty canvas (Undo brings the data back)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!ui.history.can_undo());
  if (ImGui::Button("Undo")) ui.push({"undo"});
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!ui.history.can_redo());
  if (ImGui::Button("Redo")) ui.push({"redo"});
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Save CSV")) ui.push({"export", "data"});
  if (st.data_drawn && st.data_points < kMinDrawnPoints)
    ImGui::TextDisabled("draw at least %d points to build the scene", kMinDrawnPoints);
}

}  // namespace

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
  // A file's or a drawn set's own count (greyed: the draw size is for built-in sets).
  const bool own = !s.data_file.empty() || (s.points && s.data_file.empty());
  ImGui::BeginDisabled(own);
  int n = own ? ui.status.data_points : s.data_n;
  if (ImGui::InputInt("points", &n, 100, 1000, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "data-n", std::to_string(n));
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(own ? "points of the file or the drawing (the draw size is for the built-in sets)"
                          : "size of the draw: the support of the empirical score (2 ... 100000)");
  int seed = static_cast<int>(s.data_seed);
  if (ImGui::InputInt("data seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "data-seed", std::to_string(seed));
  ImGui::EndDisabled();

  draw_tools(ui);

  ImGui::Separator();
  ImGui::TextUnformatted("Load a CSV (x, y), or drop it on the window");
  ImGui::SetNextItemWidth(-120);
  const bool enter =
      ImGui::InputText("##path", ui.edits.data_path, sizeof ui.edits.data_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Load") || enter) && ui.edits.data_path[0]) ui.push({"load", ui.edits.data_path});
  ImGui::SameLine();
  if (ImGui::Button("Open...##data")) ui.push({"choose", "data"});
  if (ImGui::Button("Save data as...")) ui.push({"choose", "save-data"});
  const std::string& err = ui.status.load_error;
  if (!err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 100, 255));
    ImGui::TextWrapped("%s", err.c_str());
    ImGui::PopStyleColor();
    ImGui::TextDisabled("(the previous data is kept)");
  }
}

}  // namespace hbar::app
