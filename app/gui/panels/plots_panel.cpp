#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "../widgets/plot.hpp"
#include "panels.hpp"

namespace hbar::app {

void plots_panel(UiState& ui, const std::vector<Curve>& curves) {
  // The controller's labels start with the plot they belong to ("W2: ", "NLL: ",
  // "toy 1-D: "; the CSV export keeps them whole); the legend drops that prefix.
  std::vector<Curve> w2, nll, toy, train;
  for (Curve c : curves) {
    const auto colon = c.label.find(": ");
    const std::string group = colon == std::string::npos ? std::string() : c.label.substr(0, colon);
    if (colon != std::string::npos) c.label = c.label.substr(colon + 2);
    (group == "toy 1-D" ? toy : group == "training" ? train : group == "NLL" ? nll : w2).push_back(std::move(c));
  }
  const ImGuiStyle& st = ImGui::GetStyle();
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing();
  const float w = (avail_w - 2 * st.ItemSpacing.x) / 3;
  const auto job_row = [&](bool running, double progress, const std::string& status, bool& req_run,
                           bool& req_cancel, const char* run_label, const char* id) {
    if (running) {
      ImGui::ProgressBar(static_cast<float>(progress), ImVec2(w - 80, 0), status.c_str());
      ImGui::SameLine();
      ImGui::PushID(id);
      if (ImGui::Button("Cancel")) req_cancel = true;
      ImGui::PopID();
    } else if (ImGui::Button(run_label)) {
      req_run = true;
    }
  };

  ImGui::BeginGroup();
  PlotSpec a{"w2", "W2(h) to held-out data, 3 trials, +-1 s.e.", "h", "W2 (not squared)",
             ImVec2(w, h), ui.light_theme, -0.02, 1.02};
  plot(a, w2);
  job_row(ui.sweep_running, ui.sweep_progress, ui.sweep_status, ui.req_sweep, ui.req_cancel_sweep,
          "Run W2(h) sweep", "sweep");
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  char title[160];
  std::snprintf(title, sizeof title, "NLL(h) at %d held-out points, +-1 s.e.",
                ui.nll.points > 0 ? ui.nll.points : 200);
  PlotSpec b{"nll", title, "h", "NLL (nats)", ImVec2(w, h), ui.light_theme, -0.02, 1.02};
  plot(b, nll);
  job_row(ui.nll_running, ui.nll_progress, ui.nll_status, ui.req_nll, ui.req_cancel_nll, "Run NLL(h)", "nll");
  ImGui::EndGroup();
  ImGui::SameLine();
  // The third plot: the 1-D toy model, or the training loss once a network trains.
  ImGui::BeginGroup();
  const float x0 = ImGui::GetCursorScreenPos().x;
  const bool can_train_plot = ui.train_running || !train.empty();
  if (!can_train_plot) ui.plot_training = false;
  if (ui.plot_training) {
    char tt[160];
    std::snprintf(tt, sizeof tt, "DSM training loss, %d x %d MLP, Adam batch 512", ui.trained_width, ui.trained_depth);
    PlotSpec c{"train", tt, "Adam step", "loss (g^2-weighted)", ImVec2(w, h), ui.light_theme};
    plot(c, train);
  } else {
    PlotSpec c{"toy", "1-D toy (SCIENCE.md 9), v0 = 0.25, beta = 8", "h", "nats / W2", ImVec2(w, h), ui.light_theme};
    plot(c, toy);
  }
  if (can_train_plot) {
    int which = ui.plot_training ? 1 : 0;
    if (ImGui::RadioButton("toy", &which, 0)) ui.plot_training = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("loss", &which, 1)) ui.plot_training = true;
    ImGui::SameLine();
  }
  if (ui.plot_training) {
    if (ui.train_running) {
      const float buttons = ImGui::CalcTextSize("ResumeCancel").x + 4 * ImGui::GetStyle().FramePadding.x +
                            2 * ImGui::GetStyle().ItemSpacing.x;
      const float bw = x0 + w - ImGui::GetCursorScreenPos().x - buttons;
      ImGui::ProgressBar(static_cast<float>(ui.train_progress), ImVec2(std::max(bw, 60.0f), 0),
                         ui.train_paused ? "paused" : nullptr);
      ImGui::SameLine();
      if (ImGui::Button(ui.train_paused ? "Resume##plot" : "Pause##plot")) ui.req_pause_train = true;
      ImGui::SameLine();
      if (ImGui::Button("Cancel##trainplot")) ui.req_cancel_train = true;
    } else {
      ImGui::TextDisabled("%s", ui.train_status.c_str());
    }
  } else {
    ImGui::SetNextItemWidth(w * 0.4f);
    ImGui::SliderFloat("toy score bias epsilon", &ui.toy_eps, 0.0f, 0.5f, "%.2f");
  }
  ImGui::EndGroup();
}

}  // namespace hbar::app
