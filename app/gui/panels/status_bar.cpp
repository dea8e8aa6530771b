#include <imgui.h>

#include "panels.hpp"

namespace hbar::app {

void status_bar(UiState& ui) {
  ImGui::Text("%5.1f fps", ui.fps);
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (ui.mode == Mode::kForward)
    ImGui::TextUnformatted("forward SDE (exact transitions)");
  else if (ui.picture_exact)
    ImGui::TextColored(ImVec4(0.5f, 0.9f, 0.5f, 1), "full run: %s", ui.score_label.c_str());
  else
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1), "preview: cached score (%.1f ms)", ui.preview_ms);
  if (ui.exact_busy) {
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(ui.exact_progress), ImVec2(120, 0), "exact run");
  }
  if (ui.scene_busy) {
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(ui.scene_status.c_str());
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(ui.scene_progress), ImVec2(160, 0));
  }
  ImGui::SameLine();
  ImGui::TextDisabled("|  %s", ui.scene_label.c_str());
}

}  // namespace hbar::app
