#include <imgui.h>

#include "panels.hpp"

namespace hbar::app {

void status_bar(UiState& ui) {
  const Status& st = ui.status;
  ImGui::Text("%5.1f fps", st.fps);
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
  if (ui.settings.mode == Mode::kForward)
    ImGui::TextUnformatted("forward SDE (exact transitions)");
  else if (st.picture_exact)
    ImGui::TextColored(ImVec4(0.5f, 0.9f, 0.5f, 1), "full run: %s", st.score_label.c_str());
  else
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1), st.preview_partial() ? "preview: cached score, its first particles (%.1f ms)"
                                                                        : "preview: cached score (%.1f ms)",
                       st.last_preview_ms);
  const TaskStatus& run = st.task(TaskKind::kRun);
  if (run.running) {
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(run.progress), ImVec2(120, 0), "full run");
  }
  // A running task's stage and progress: "| loading the data  [=====    ]".
  const auto stage = [&](TaskKind k, float width) {
    const TaskStatus& t = st.task(k);
    if (!t.running) return false;
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(t.stage.c_str());
    ImGui::SameLine();
    ImGui::ProgressBar(static_cast<float>(t.progress), ImVec2(width, 0));
    return true;
  };
  stage(TaskKind::kScene, 160);
  // A file being written (exports, session saves, screenshots), with its cancel.
  if (stage(TaskKind::kExport, 120)) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel##export")) ui.push({"cancel", "export"});
  }
  if (!st.run_nonfinite.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "|  %s: the dynamics blew up (lower h or the bias)",
                       st.run_nonfinite.c_str());
  }
  if (st.run_nonfinite.empty() && !st.run_diverged.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "|  %s", st.run_diverged.c_str());
  }
  if (st.data_stale) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1), "|  new data: %d points (the previous run shows faded until its scene is built)",
                       st.data_points);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("|  %s", st.scene_label.c_str());
  // A task that failed says so here until it runs again.
  for (int k = 0; k < kTaskKinds; ++k) {
    const TaskStatus& t = st.tasks[static_cast<std::size_t>(k)];
    if (t.error.empty() || static_cast<TaskKind>(k) == TaskKind::kScene) continue;
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "|  %s failed: %s", task_name(static_cast<TaskKind>(k)),
                       t.error.c_str());
  }
}

void recovery_prompt(UiState& ui) {
  const Status& st = ui.status;
  constexpr const char* kTitle = "Restore the last session?";
  if (st.recovery_file.empty()) {
    if (ImGui::BeginPopupModal(kTitle)) {  // answered elsewhere (a script): close it
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    return;
  }
  if (!ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.4f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("hbar did not close normally last time (a crash or the process was killed).");
  ImGui::Text("Its session was saved %s: settings, view and data (drawn data included).", st.recovery_age.c_str());
  ImGui::TextDisabled("%s", st.recovery_file.c_str());
  ImGui::Spacing();
  if (ImGui::Button("Restore")) ui.push({"recovery", "restore"});
  const ImVec2 lo = ImGui::GetItemRectMin(), sz = ImGui::GetItemRectSize();
  float* r = ui.layout.recovery_restore;
  r[0] = lo.x, r[1] = lo.y, r[2] = lo.x + sz.x, r[3] = lo.y + sz.y;
  ImGui::SameLine();
  if (ImGui::Button("Discard")) ui.push({"recovery", "discard"});
  ImGui::EndPopup();
}

}  // namespace hbar::app
