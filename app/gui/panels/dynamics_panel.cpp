#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {

bool h_slider(UiState& ui, const char* id, float width, bool big) {
  const double lo = 0.0, hi = ui.view.fine_h ? 0.2 : 1.0;
  ImGui::PushID(id);
  if (big) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(8, 10));
  ImGui::SetNextItemWidth(width);
  double h = ui.settings.h;
  const bool changed = ImGui::SliderScalar("##h", ImGuiDataType_Double, &h, &lo, &hi, "h = %.3f");
  if (big) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    float* r = ui.layout.h_slider;
    r[0] = a.x, r[1] = a.y, r[2] = b.x, r[3] = b.y;
    ImGui::PopStyleVar();
  }
  // Not while dragging: the tooltip would cover the value it explains.
  if (ImGui::IsItemHovered() && !ImGui::IsItemActive())
    ImGui::SetTooltip("h: noise variance factor. 0 = probability-flow ODE, 1 = reverse SDE.\n"
                      "Ctrl+click to type a value (0 ... 10); [ and ] nudge it.");
  ImGui::PopID();
  if (changed) set_key(ui, "h", format_number(std::clamp(h, 0.0, kMaxH)));
  return changed;
}

void dynamics_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Dynamics", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const Settings& s = ui.settings;
  const View& v = ui.view;
  int mode = s.mode == Mode::kForward ? 1 : 0;
  if (ImGui::RadioButton("reverse (noise -> data)", &mode, 0)) set_key(ui, "mode", "reverse");
  ImGui::SameLine();
  if (ImGui::RadioButton("forward", &mode, 1)) set_key(ui, "mode", "forward");
  ImGui::BeginDisabled(s.mode == Mode::kForward);
  // The sampler, and its own noise on the same row: one row whatever is chosen, so nothing
  // below moves under the mouse.
  static const char* kSamplers[] = {"em: the h-family", "heun: the ODE", "ddim", "edm", "restart"};
  int kind = static_cast<int>(s.sampler);
  ImGui::SetNextItemWidth(130);
  if (ImGui::Combo("##sampler", &kind, kSamplers, 5))
    set_key(ui, "sampler", sampler_name(static_cast<Integrator>(kind)));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The sampler (SCIENCE.md §12). em: Euler–Maruyama with the h below (0 = the ODE, 1 = the SDE).\n"
                      "heun: the ODE, second order. ddim: its own noise eta, h = eta^2. edm: EDM's sampler with\n"
                      "S_churn, h(t) = gamma t / dt. restart: EDM's ODE, walking [0.06, 0.3] again: not an h(t).");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (s.sampler == Integrator::kDdim) {
    float eta = static_cast<float>(s.eta);
    if (ImGui::SliderFloat("##eta", &eta, 0.0f, 1.0f, "eta = %.2f  (h = eta^2)")) set_key(ui, "eta", format_number(eta));
  } else if (s.sampler == Integrator::kEdm) {
    float churn = static_cast<float>(s.churn);
    if (ImGui::SliderFloat("##churn", &churn, 0.0f, 100.0f, "S_churn = %.1f")) set_key(ui, "churn", format_number(churn));
  } else {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled(s.sampler == Integrator::kEulerMaruyama ? "noise: h below"
                        : s.sampler == Integrator::kHeun        ? "h = 0, second order"
                                                                : "no h: a forward jump");
  }
  ImGui::BeginDisabled(s.sampler != Integrator::kEulerMaruyama);
  h_slider(ui, "h_sidebar", -1, true);
  checkbox_key(ui, "fine (0 ... 0.2)", "fine-h", v.fine_h);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  // The typed box: the command refuses a value outside [0, 10] and says why.
  double typed = s.h;
  if (ImGui::InputDouble("##h_typed", &typed, 0.01, 0.1, "%.4f", ImGuiInputTextFlags_EnterReturnsTrue))
    set_key(ui, "h", format_number(typed));
  h_schedule_editor(ui);
  checkbox_key(ui, "overlay h = 0, 0.25, 1 (Fig. 2)", "overlay", s.overlay);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("40 particles from the same starting points for each h");
  ImGui::EndDisabled();
  ImGui::EndDisabled();


  ImGui::Separator();
  checkbox_key(ui, "data", "show-data", v.show_data);
  ImGui::SameLine();
  checkbox_key(ui, "trajectories", "show-trajectories", v.show_traj);
  ImGui::SameLine();
  checkbox_key(ui, "particles", "show-particles", v.show_particles);
  int lines = v.lines;
  if (ImGui::SliderInt("lines shown", &lines, 0, kMaxLines, "%d", ImGuiSliderFlags_Logarithmic))
    set_key(ui, "lines", std::to_string(lines));
  int step = v.line_step;
  if (ImGui::SliderInt("every k-th step", &step, 1, 50)) set_key(ui, "line-step", std::to_string(step));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("draw the trajectories through every k-th step: smoother paths at h = 1, faster drawing");
  int blend = static_cast<int>(v.line_blend);
  if (ImGui::RadioButton("alpha", &blend, 0)) set_key(ui, "line-blend", "alpha");
  ImGui::SameLine();
  if (ImGui::RadioButton("density", &blend, 1)) set_key(ui, "line-blend", "density");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("lines add up: many noisy paths read as a flow");
  if (v.line_blend == LineBlend::kDensity) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-60);
    float c = static_cast<float>(v.line_contrast);
    if (ImGui::SliderFloat("contrast", &c, 0.005f, 2.0f, "%.3f", ImGuiSliderFlags_Logarithmic))
      set_key(ui, "line-contrast", format_number(c));
  }
  int paths = v.paths;
  if (ImGui::SliderInt("few paths", &paths, 0, 50)) set_key(ui, "paths", std::to_string(paths));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("thick trajectories from spread-out starts over the rest (Fig. 2); 0: off");
  float ps = static_cast<float>(v.point_size);
  if (ImGui::SliderFloat("point size", &ps, 1.0f, 8.0f, "%.1f")) set_key(ui, "point-size", format_number(ps));
}

// Play / Pause, a step back and on, loop, speed and the step scrubber: the sidebar's
// footer, always in view (the panels above it scroll).
float transport_height() {
  return 2 * ImGui::GetFrameHeightWithSpacing() + 2 * ImGui::GetStyle().ItemSpacing.y + 1;
}

void transport_panel(UiState& ui) {
  const View& v = ui.view;
  if (ImGui::Button(v.playing ? "Pause" : "Play")) ui.push({"playback", "toggle"});
  ImGui::SameLine();
  if (ImGui::Button("<")) set_key(ui, "frame", std::to_string(std::max(0, v.frame - 1)));
  ImGui::SameLine();
  if (ImGui::Button(">")) set_key(ui, "frame", std::to_string(std::min(ui.status.run_steps, v.frame + 1)));
  ImGui::SameLine();
  checkbox_key(ui, "loop", "loop", v.loop);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  float speed = static_cast<float>(v.speed);
  if (ImGui::SliderFloat("##speed", &speed, 0.1f, 8.0f, "speed %.1fx", ImGuiSliderFlags_Logarithmic))
    set_key(ui, "speed", format_number(speed));
  const int steps = ui.status.run_steps;
  const double t = ui.status.run_t_now;
  char label[64];
  std::snprintf(label, sizeof label, "step %%d  (t = %.3f)", t);
  ImGui::SetNextItemWidth(-1);
  int frame = v.frame;
  if (ImGui::SliderInt("##frame", &frame, 0, std::max(steps, 1), label)) set_key(ui, "frame", std::to_string(frame));
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  float* r = ui.layout.scrubber;
  r[0] = a.x, r[1] = a.y, r[2] = b.x, r[3] = b.y;
}

}  // namespace hbar::app
