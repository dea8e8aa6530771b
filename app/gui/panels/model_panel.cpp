#include <imgui.h>

#include <algorithm>

#include "panels.hpp"

namespace hbar::app {

void model_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) return;
  auto& s = ui.settings;
  int sched = s.schedule == "cosine" ? 1 : 0;
  ImGui::TextUnformatted("schedule");
  ImGui::SameLine();
  if (ImGui::RadioButton("SIMPLE", &sched, 0)) s.schedule = "simple";
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("VP, beta(t) = 20 t: f = -10 t, g^2 = 20 t, t in [0.01, 1]");
  ImGui::SameLine();
  if (ImGui::RadioButton("COSINE", &sched, 1)) s.schedule = "cosine";
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("alpha = cos(pi t / 2), g^2 = pi tan(pi t / 2), t in [0.01, 0.999]");

  int score = s.learned ? 2 : s.biased ? 1 : 0;
  ImGui::TextUnformatted("score   ");
  ImGui::SameLine();
  if (ImGui::RadioButton("exact", &score, 0)) choose_score(ui, ScoreChoice::kExact);
  ImGui::SameLine();
  if (ImGui::RadioButton("biased", &score, 1)) choose_score(ui, ScoreChoice::kBiased);
  ImGui::SameLine();
  const bool have_model = ui.model_path_edit[0] != 0;
  ImGui::BeginDisabled(!have_model);
  if (ImGui::RadioButton("learned", &score, 2)) choose_score(ui, ScoreChoice::kLearned);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(have_model ? "the trained network: %s" : "train a network below (or give a .hbm file) first%s",
                      have_model ? ui.model_path_edit : "");
  if (s.learned || s.biased) {
    ImGui::Checkbox("the exact score's particles too", &ui.compare_exact);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("green: the exact score from the same starts with the same noise and h,\n"
                        "so each orange particle has its exact counterpart");
  }
  if (s.biased) {
    float eps = s.eps;
    ImGui::SliderFloat("epsilon", &eps, -0.5f, 1.0f, "%.3f");
    if (ImGui::IsItemDeactivatedAfterEdit()) s.eps = eps;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("s = (1 + epsilon) * exact score");
  }
  int steps = s.steps, particles = s.particles, seed = static_cast<int>(s.seed);
  if (ImGui::InputInt("steps N", &steps, 50, 250, ImGuiInputTextFlags_EnterReturnsTrue))
    s.steps = std::clamp(steps, 10, 5000);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Euler-Maruyama steps, dt = (T_max - T_min) / N");
  if (ImGui::InputInt("particles", &particles, 100, 1000, ImGuiInputTextFlags_EnterReturnsTrue))
    s.particles = std::clamp(particles, 1, 20000);
  if (ImGui::InputInt("seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
    s.seed = static_cast<std::uint64_t>(std::max(seed, 0));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("the noise z(seed, particle, step): the same for every h");

  if (ImGui::TreeNodeEx("Train a network", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginDisabled(ui.train_running);
    ImGui::InputInt("Adam steps", &ui.train_steps, 1000, 10000);
    ui.train_steps = std::clamp(ui.train_steps, 1, 10000000);
    ImGui::InputInt("width", &ui.train_width, 16, 64);
    ui.train_width = std::clamp(ui.train_width, 1, 1024);
    ImGui::InputInt("depth", &ui.train_depth, 1, 1);
    ui.train_depth = std::clamp(ui.train_depth, 1, 16);
    ImGui::EndDisabled();
    if (ui.train_running) {
      ImGui::ProgressBar(static_cast<float>(ui.train_progress), ImVec2(-1, 0));
      if (ImGui::Button(ui.train_paused ? "Resume" : "Pause")) ui.req_pause_train = true;
      ImGui::SameLine();
      if (ImGui::Button("Cancel##train")) ui.req_cancel_train = true;
    } else if (ImGui::Button("Train on this data")) {
      ui.req_train = true;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("denoising score matching, g^2 weighting, Adam lr 1e-3, batch 512, one core;\n"
                        "the model is saved to the export folder, then 'learned' uses it");
    if (!ui.train_status.empty()) ImGui::TextWrapped("%s", ui.train_status.c_str());
    if (ui.train_running || !ui.train_loss.empty()) ImGui::TextDisabled("the loss is plotted under the canvas");
    ImGui::InputText("model", ui.model_path_edit, sizeof ui.model_path_edit);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("a .hbm file; 'learned' above uses it");
    ImGui::TreePop();
  }
}

}  // namespace hbar::app
