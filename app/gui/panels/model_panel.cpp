#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "hbar/training/train.hpp"
#include "paper_models.hpp"
#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

void train_section(UiState& ui) {
  const Settings& s = ui.settings;
  const Status& st = ui.status;
  const bool running = st.task(TaskKind::kTrain).running;
  ImGui::BeginDisabled(running);
  int steps = s.train_steps, width = s.train_width, depth = s.train_depth;
  if (ImGui::InputInt("Adam steps", &steps, 1000, 10000)) set_key(ui, "train-steps", std::to_string(steps));
  if (ImGui::InputInt("width", &width, 16, 64)) set_key(ui, "train-width", std::to_string(width));
  if (ImGui::InputInt("depth", &depth, 1, 1)) set_key(ui, "train-depth", std::to_string(depth));
  ImGui::EndDisabled();
  if (running) {
    ImGui::ProgressBar(static_cast<float>(st.task(TaskKind::kTrain).progress), ImVec2(-1, 0));
    if (ImGui::Button(st.train.paused ? "Resume" : "Pause")) ui.push({st.train.paused ? "resume" : "pause", "train"});
    ImGui::SameLine();
    if (ImGui::Button("Cancel##train")) ui.push({"cancel", "train"});
  } else if (ImGui::Button("Train on this data")) {
    ui.push({"train", std::to_string(s.train_steps)});
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("denoising score matching, g^2 weighting, Adam lr %g, batch %d, one core;\n"
                      "the model is saved to the export folder, then 'learned' uses it",
                      TrainConfig{}.lr, TrainConfig{}.batch);
  if (!st.train.outcome.empty()) ImGui::TextWrapped("%s", st.train.outcome.c_str());
  if (running || !st.train.loss.empty()) ImGui::TextDisabled("the loss is plotted under the canvas");
  char model[512];
  std::snprintf(model, sizeof model, "%s", s.scene.model_path.c_str());
  ImGui::SetNextItemWidth(-120);
  if (ImGui::InputText("model", model, sizeof model, ImGuiInputTextFlags_EnterReturnsTrue)) set_key(ui, "model", model);
  ImGui::SameLine();
  if (ImGui::Button("Open...##model")) ui.push({"choose", "model"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("a .hbm file (Enter to use it); 'learned' above uses it");
}

}  // namespace

void model_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Model", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const SceneSettings& s = ui.settings.scene;
  int sched = s.schedule == "cosine" ? 1 : 0;
  ImGui::TextUnformatted("schedule");
  ImGui::SameLine();
  if (ImGui::RadioButton("SIMPLE", &sched, 0)) set_key(ui, "schedule", "simple");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("VP, beta(t) = 20 t: f = -10 t, g^2 = 20 t, t in [0.01, 1]");
  ImGui::SameLine();
  if (ImGui::RadioButton("COSINE", &sched, 1)) set_key(ui, "schedule", "cosine");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("alpha = cos(pi t / 2), g^2 = pi tan(pi t / 2), t in [0.01, 0.999]");

  int score = s.learned ? 2 : s.biased ? 1 : 0;
  ImGui::TextUnformatted("score   ");
  ImGui::SameLine();
  if (ImGui::RadioButton("exact", &score, 0)) set_key(ui, "score", "exact");
  ImGui::SameLine();
  if (ImGui::RadioButton("biased", &score, 1)) set_key(ui, "score", "biased");
  ImGui::SameLine();
  // The paper's data sets and schedules have their shipped network at once (paper_models.hpp).
  const bool paper_here = !s.points && s.data_file.empty() && has_paper_model(s.data, s.schedule);
  const bool paper = s.model_path == kPaperModel || (s.model_path.empty() && paper_here);
  const bool have_model = !s.model_path.empty() || paper_here;
  ImGui::BeginDisabled(!have_model);
  if (ImGui::RadioButton("learned", &score, 2)) set_key(ui, "score", "learned");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    if (paper)
      ImGui::SetTooltip("the %s: 128 x 3, Adam batch 512, lr 1e-3, seed 1 (assets/models)", kPaperModelLabel);
    else
      ImGui::SetTooltip(have_model ? "the trained network: %s" : "train a network below (or give a .hbm file) first%s",
                        s.model_path.c_str());
  }
  if (paper && s.learned) {
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", kPaperModelLabel);
  }
  if (s.learned || s.biased) {
    checkbox_key(ui, "the exact score's particles too", "compare", ui.settings.compare);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("green: the exact score from the same starts with the same noise and h,\n"
                        "so each orange particle has its exact counterpart");
  }
  if (s.biased) {
    float eps = static_cast<float>(s.eps);
    ImGui::SliderFloat("epsilon", &eps, -0.5f, 1.0f, "%.3f");
    if (ImGui::IsItemDeactivatedAfterEdit()) set_key(ui, "bias", format_number(eps));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("s = (1 + epsilon) * exact score");
  }
  int steps = s.steps, particles = s.particles, seed = static_cast<int>(s.seed);
  if (ImGui::InputInt("steps N", &steps, 50, 250, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "steps", std::to_string(steps));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Euler-Maruyama steps, dt = (T_max - T_min) / N (1 ... 5000)");
  if (ImGui::InputInt("particles", &particles, 100, 1000, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "particles", std::to_string(particles));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("1 ... 20000, and particles x steps <= 2e7");
  if (ImGui::InputInt("seed", &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "seed", std::to_string(seed));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("the noise z(seed, particle, step): the same for every h");

  if (ImGui::TreeNodeEx("Train a network", ImGuiTreeNodeFlags_DefaultOpen)) {
    train_section(ui);
    ImGui::TreePop();
  }
}

}  // namespace hbar::app
