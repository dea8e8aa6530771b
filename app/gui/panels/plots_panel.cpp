#include <imgui.h>

#include "../widgets/plot.hpp"
#include "panels.hpp"

namespace hbar::app {

void plots_panel(UiState& ui, const std::vector<Curve>& curves) {
  std::vector<Curve> w2, toy;
  for (const auto& c : curves) (c.label.rfind("toy", 0) == 0 ? toy : w2).push_back(c);
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing();
  const float w = (avail_w - ImGui::GetStyle().ItemSpacing.x) / 2;

  ImGui::BeginGroup();
  PlotSpec a{"w2", "W2(h) vs held-out data: sliced (approximate, a lower bound), 3 trials, +-1 s.e.",
             "h", "W2", ImVec2(w, h), ui.light_theme, -0.02, 1.02};
  plot(a, w2);
  if (ui.sweep_running) {
    ImGui::ProgressBar(static_cast<float>(ui.sweep_progress), ImVec2(w - 80, 0));
    ImGui::SameLine();
    if (ImGui::Button("Cancel##sweep")) ui.req_cancel_sweep = true;
  } else if (ImGui::Button("Run W2(h) sweep")) {
    ui.req_sweep = true;
  }
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  PlotSpec b{"toy", "1-D toy model (SCIENCE.md 9): exact NLL(h) and W2(h), v0 = 0.25, beta = 8", "h",
             "nats / W2", ImVec2(w, h), ui.light_theme};
  plot(b, toy);
  ImGui::SetNextItemWidth(w * 0.5f);
  ImGui::SliderFloat("toy score bias epsilon", &ui.toy_eps, 0.0f, 0.5f, "%.2f");
  ImGui::EndGroup();
}

}  // namespace hbar::app
