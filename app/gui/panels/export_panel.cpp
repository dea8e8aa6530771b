#include <imgui.h>

#include <cstdio>

#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

// MP4 / GIF of playback or of an h sweep: options, the buttons, progress and Cancel (Esc).
void animation_section(UiState& ui) {
  ImGui::Separator();
  ImGui::TextUnformatted("Animation (MP4 or GIF)");
  const View& v = ui.view;
  Edits& e = ui.edits;
  ImGui::RadioButton("h sweep", &e.anim_kind, 0);
  ImGui::SameLine();
  ImGui::RadioButton("playback", &e.anim_kind, 1);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  ImGui::InputFloat("s", &e.anim_seconds, 0, 0, "%.1f");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4);
  ImGui::InputInt("fps", &e.anim_fps, 0);
  int size[2] = {v.anim_width, v.anim_height};
  if (ImGui::InputInt2("size", size, ImGuiInputTextFlags_EnterReturnsTrue)) {
    set_key(ui, "anim-width", std::to_string(size[0]));
    set_key(ui, "anim-height", std::to_string(size[1]));
  }
  if (e.anim_kind == 0) {
    checkbox_key(ui, "exact runs (slow)", "anim-exact", v.anim_exact);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("each h with the scene's own score; off: its grid cache, as the slider's preview");
    float hr[2] = {static_cast<float>(v.anim_h_from), static_cast<float>(v.anim_h_to)};
    if (ImGui::InputFloat2("h from, to", hr, "%.3f", ImGuiInputTextFlags_EnterReturnsTrue)) {
      set_key(ui, "anim-h-from", format_number(hr[0]));
      set_key(ui, "anim-h-to", format_number(hr[1]));
    }
  }
  checkbox_key(ui, "paths", "anim-trajectories", v.anim_traj);
  ImGui::SameLine();
  checkbox_key(ui, "particles", "anim-particles", v.anim_particles);
  ImGui::SameLine();
  checkbox_key(ui, "heat map", "anim-heat", v.anim_heat);
  const TaskStatus& t = ui.status.task(TaskKind::kAnimation);
  if (t.running) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.0f %%", 100 * t.progress);
    ImGui::ProgressBar(static_cast<float>(t.progress), ImVec2(-80, 0), buf);
    ImGui::SameLine();
    if (ImGui::Button("Cancel##anim")) ui.push({"cancel", "animation"});
    return;
  }
  const char* kind = e.anim_kind == 0 ? "hsweep" : "playback";
  const auto go = [&](const char* ext) {
    char secs[32], fps[16];
    std::snprintf(secs, sizeof secs, "%g", static_cast<double>(e.anim_seconds));
    std::snprintf(fps, sizeof fps, "%d", e.anim_fps);
    const std::string suffix = std::string("_") + kind + ext;
    ui.push({"export", "animation", export_path(ui, suffix.c_str()), kind, secs, fps});
  };
  if (ImGui::Button("Export MP4")) go(".mp4");
  ImGui::SameLine();
  if (ImGui::Button("Export GIF")) go(".gif");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("GIFs are large: 640 x 360 at 15 fps is a good size");
}

}  // namespace

void export_panel(UiState& ui) {
  if (!ImGui::CollapsingHeader("Export", ImGuiTreeNodeFlags_DefaultOpen)) return;
  char dir[512], name[512];
  std::snprintf(dir, sizeof dir, "%s", ui.view.export_dir.c_str());
  std::snprintf(name, sizeof name, "%s", ui.view.export_name.c_str());
  if (ImGui::InputText("folder", dir, sizeof dir)) set_key(ui, "export-dir", dir);
  const std::string stem = export_stem(ui);
  if (ImGui::InputTextWithHint("name", stem.c_str(), name, sizeof name)) set_key(ui, "export-name", name);
  if (ImGui::Button("Screenshot (S)")) ui.push({"screenshot"});
  ImGui::SameLine();
  if (ImGui::Button("Canvas PNG")) ui.push({"screenshot", "canvas"});
  if (ImGui::Button("Samples CSV")) ui.push({"export", "samples"});
  ImGui::SameLine();
  if (ImGui::Button("Trajectories CSV")) ui.push({"export", "trajectories"});
  if (ImGui::Button("Heat map CSV")) ui.push({"export", "heatmap"});
  ImGui::SameLine();
  if (ImGui::Button("Curves CSV")) ui.push({"export", "curves"});
  if (ImGui::Button("Canvas PNG 2x")) ui.push({"screenshot", "canvas", export_path(ui, "_canvas@2x.png"), "x2"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("the canvas drawn again at twice the pixels, with its colour bar, legend and caption\n"
                      "(annotate off below: the bare canvas)");
  ImGui::SameLine();
  if (ImGui::Button("4x, transparent"))
    ui.push({"screenshot", "canvas", export_path(ui, "_canvas@4x.png"), "x4", "transparent"});
  if (ImGui::Button("Plots SVG")) {
    ui.push({"export", "plot", "w2"});
    ui.push({"export", "plot", "nll"});
    ui.push({"export", "plot", ui.view.plot_training ? "train" : "toy"});
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("W2(h), NLL(h) and the third plot as vector graphics (print)");
  if (ImGui::Button("Presentation style")) ui.push({"view", "presentation"});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("for a projector or a paper: light background, larger text, thicker lines and points");
  ImGui::SameLine();
  if (ImGui::Button("Screen style")) ui.push({"view", "screen"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("back to the dark screen style (text at scale 1)");
  checkbox_key(ui, "annotate pictures", "annotate", ui.view.annotate);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("canvas PNGs, GIF and MP4 frames and recordings carry the colour bar, the legend and a caption");
  bool light = ui.view.light_theme;
  if (ImGui::Checkbox("light theme (for figures)", &light)) set_key(ui, "theme", light ? "light" : "dark");
  float scale = static_cast<float>(ui.view.ui_scale);
  if (ImGui::SliderFloat("UI scale", &scale, 0.75f, 2.5f, "%.2f")) set_key(ui, "ui-scale", format_number(scale));

  animation_section(ui);

  ImGui::Separator();
  ImGui::TextUnformatted("Session: settings, view and data in one file");
  if (ImGui::Button("Save session")) ui.push({"session", "save"});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("to the export folder, named after the scene");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-110);
  const bool enter = ImGui::InputTextWithHint("##session", "F.json", ui.edits.session_path,
                                              sizeof ui.edits.session_path, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open session") || enter) && ui.edits.session_path[0])
    ui.push({"session", "load", ui.edits.session_path});
  if (ImGui::Button("Open...##session")) ui.push({"choose", "session"});
  ImGui::SameLine();
  if (ImGui::Button("Save as...##session")) ui.push({"choose", "save-session"});
}

}  // namespace hbar::app
