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

  int score = s.biased ? 1 : 0;
  ImGui::TextUnformatted("score   ");
  ImGui::SameLine();
  if (ImGui::RadioButton("exact", &score, 0)) s.biased = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("biased", &score, 1)) s.biased = true;
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
}

}  // namespace hbar::app
