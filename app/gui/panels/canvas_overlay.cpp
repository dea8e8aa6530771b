#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../widgets/annotations.hpp"
#include "../widgets/colorbar.hpp"
#include "hbar/view/ticks.hpp"
#include "panels.hpp"

namespace hbar::app {

SpaceTimeMargins spacetime_margins(double scale) {
  const auto f = static_cast<float>(scale);
  return SpaceTimeMargins{150 * f, 16 * f, 52 * f, (24 + kHStripHeight + kCCurveHeight + 14) * f, 96 * f};
}

Box spacetime_box(const Box& area, float w, float h, const SpaceTimeMargins& m) {
  const double sx = area.width() / std::max(1.0f, w - m.left - m.right);
  const double sy = area.height() / std::max(1.0f, h - m.top - m.bottom);
  return Box{area.xmin - m.left * sx, area.xmax + m.right * sx, area.ymin - m.bottom * sy, area.ymax + m.top * sy};
}

namespace {

// The space-time canvas's axes, the profiles at T_min and the h(t) strip under it.
void spacetime_overlay(UiState& ui, float x, float y, float w, float h) {
  SpaceTimeStatus& st = ui.status.spacetime;
  const View& v = ui.view;
  const Box& b = ui.layout.canvas_world;
  const auto px = [&](double t) { return x + static_cast<float>((t - b.xmin) / b.width()) * w; };
  const auto py = [&](double u) { return y + h - static_cast<float>((u - b.ymin) / b.height()) * h; };
  const ImU32 text = v.light_theme ? IM_COL32(20, 20, 20, 255) : IM_COL32(225, 225, 225, 255);
  const ImU32 faint = v.light_theme ? IM_COL32(0, 0, 0, 60) : IM_COL32(255, 255, 255, 50);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float fh = ImGui::GetFontSize();
  const float ax0 = px(st.t0), ax1 = px(st.t1), ay0 = py(st.y0), ay1 = py(st.y1);
  const SpaceTimeMargins m = spacetime_margins(v.ui_scale);
  dl->AddRect(ImVec2(ax0, ay1), ImVec2(ax1, ay0), faint);
  // Time ticks under the area, u·x ticks at its left (labels at the canvas's edge).
  const Ticks tt = nice_ticks(st.t0, st.t1, 10);
  for (double t : tt.values) {
    dl->AddLine(ImVec2(px(t), ay0), ImVec2(px(t), ay0 + 5), text);
    const std::string l = tick_label(t, tt.step);
    dl->AddText(ImVec2(px(t) - ImGui::CalcTextSize(l.c_str()).x / 2, ay0 + 6), text, l.c_str());
  }
  dl->AddText(ImVec2(ax1 - fh, ay0 + 6 + fh), text, "t");
  const Ticks ty = nice_ticks(st.y0, st.y1, 8);
  for (double u : ty.values) {
    dl->AddLine(ImVec2(ax0 - 5, py(u)), ImVec2(ax0, py(u)), text);
    dl->AddLine(ImVec2(x + 4 + 3 * fh, py(u)), ImVec2(ax0 - 5, py(u)), faint);
    const std::string l = tick_label(u, ty.step);
    dl->AddText(ImVec2(x + 4, py(u) - fh / 2), text, l.c_str());
  }
  char axis[128];
  if (st.toy)
    std::snprintf(axis, sizeof axis, "x of the 1-D toy model, score bias eps = %.3g", ui.settings.toy_eps);
  else
    std::snprintf(axis, sizeof axis, "u.x, u = (cos, sin) of %.4g deg", st.angle);
  // Right-aligned before the colour bar, clear of the floating h slider.
  const float aw = ImGui::CalcTextSize(axis).x;
  dl->AddText(ImVec2(std::max(ax0, x + w - 11 * fh - aw), ay1 - fh - 4), text, axis);

  // The profiles at the left edge (t = T_min): the data law and the model, pointing left.
  double top = 0;
  for (double p : st.profile_data) top = std::max(top, p);
  for (double p : st.profile_model) top = std::max(top, p);
  const auto profile = [&](const std::vector<double>& pr, ImU32 c) {
    if (pr.empty() || top <= 0) return;
    std::vector<ImVec2> line;
    const double dy = (st.y1 - st.y0) / static_cast<double>(pr.size());
    for (std::size_t j = 0; j < pr.size(); ++j)
      line.emplace_back(ax0 - 4 - m.profile * static_cast<float>(pr[j] / top), py(st.y0 + (j + 0.5) * dy));
    dl->AddPolyline(line.data(), static_cast<int>(line.size()), c, 0, 2.0f);
  };
  profile(st.profile_data, IM_COL32(170, 170, 170, 255));
  profile(st.profile_model, IM_COL32(255, 140, 60, 255));
  dl->AddLine(ImVec2(ax0 - 4, ay1), ImVec2(ax0 - 4, ay0), faint);

  // The h(t) strip and c̄(t) on the canvas's time axis.
  ImGui::SetNextWindowPos(ImVec2(ax0, ay0 + 24 * static_cast<float>(v.ui_scale)));
  ImGui::SetNextWindowSize(ImVec2(ax1 - ax0, m.bottom - 24 * static_cast<float>(v.ui_scale)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 4));
  if (ImGui::Begin("##spacetime_strip", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                       ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove))
    h_time_strip(ui, "##h_of_t_canvas", ax1 - ax0, st.t0, st.t1, st.toy ? st.toy_c : ui.status.nll.c_curve, st.toy,
                 ui.layout.spacetime_strip);
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// Particles beyond the view: a small orange triangle on the border where they leave it,
// larger for more, and their count (few paths at h = 1 run off the frame).
void edge_overlay(ImDrawList* dl, const EdgeMarks& m, float x, float y, float w, float h, ImU32 text, ImU32 box) {
  if (m.outside == 0) return;
  const float fh = ImGui::GetFontSize();
  const int K = EdgeMarks::kBins;
  const ImU32 c = IM_COL32(255, 120, 60, 235);
  for (int s = 0; s < 4; ++s)
    for (int k = 0; k < K; ++k) {
      const int n = m.count[static_cast<std::size_t>(s * K + k)];
      if (n == 0) continue;
      const float u = (static_cast<float>(k) + 0.5f) / static_cast<float>(K);
      const float a = std::min(0.9f, 0.35f + 0.12f * std::log2(1.0f + static_cast<float>(n))) * fh;  // size
      // The tip on the border, pointing out; the base a inside.
      ImVec2 tip, b0, b1;
      if (s == 0) tip = ImVec2(x + u * w, y + h - 1), b0 = ImVec2(tip.x - a / 2, tip.y - a), b1 = ImVec2(tip.x + a / 2, tip.y - a);
      else if (s == 2) tip = ImVec2(x + u * w, y + 1), b0 = ImVec2(tip.x + a / 2, tip.y + a), b1 = ImVec2(tip.x - a / 2, tip.y + a);
      else if (s == 1) tip = ImVec2(x + w - 1, y + h - u * h), b0 = ImVec2(tip.x - a, tip.y + a / 2), b1 = ImVec2(tip.x - a, tip.y - a / 2);
      else tip = ImVec2(x + 1, y + h - u * h), b0 = ImVec2(tip.x + a, tip.y - a / 2), b1 = ImVec2(tip.x + a, tip.y + a / 2);
      dl->AddTriangleFilled(tip, b0, b1, c);
    }
  char buf[128];
  std::snprintf(buf, sizeof buf, "%d of %d particles beyond the view (marked at its edge; R fits the data)", m.outside,
                m.total);
  const ImVec2 sz = ImGui::CalcTextSize(buf);
  const ImVec2 p(x + std::max(12.0f, (w - sz.x) / 2), y + 3.4f * fh);  // top centre, under the h slider's row
  dl->AddRectFilled(ImVec2(p.x - 6, p.y - 2), ImVec2(p.x + sz.x + 6, p.y + sz.y + 2), box, 4);
  dl->AddText(p, text, buf);
}

}  // namespace

Annotations canvas_annotations(const UiState& ui) {
  const Status& st = ui.status;
  const View& v = ui.view;
  Annotations a;
  a.light = v.light_theme;
  a.headline = ui.tour.caption;
  const bool spacetime = st.spacetime.shown;
  if (spacetime) {
    if (!st.spacetime.heat_label.empty())
      a.bars.push_back({v.heat_map, st.spacetime.heat_lo, st.spacetime.heat_hi, st.spacetime.heat_label});
  } else {
    // The trajectories' colour runs from the run's first frame (t0) to its last (t1).
    a.bars.push_back({Colormap::kViridis, st.run_t_first, st.run_t_last, "time t"});
    if (ui.settings.heat != HeatKind::kNone && !st.heat_label.empty())
      a.bars.push_back({v.heat_map, st.heat_lo, st.heat_hi, st.heat_label});
  }
  const bool toy = spacetime && st.spacetime.toy;
  // (Through a function: GCC 12 sees a false bounds error in push_back of a literal here.)
  const auto item = [&a](ImU32 c, const char* s) {
    a.legend.emplace_back();
    a.legend.back().color = c;
    a.legend.back().text.assign(s);
  };
  if (v.show_data && !toy) item(IM_COL32(150, 150, 150, 255), spacetime ? "training data, at T_min" : "training data");
  if (v.show_particles) item(IM_COL32(255, 120, 60, 255), "particles at the current step");
  if (st.compare_shown && !toy) item(IM_COL32(110, 220, 110, 255), "exact score: same starts, noise and h");
  if (ui.settings.overlay && ui.settings.mode == Mode::kReverse && !toy) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "overlay: h = %.2g (cyan), %.2g (magenta), %.2g (yellow)", kOverlayH[0],
                  kOverlayH[1], kOverlayH[2]);
    item(IM_COL32(0, 220, 255, 255), buf);
  }
  return a;
}

void canvas_overlay(UiState& ui, float x, float y, float w, float h, double now) {
  const Status& st = ui.status;
  const View& v = ui.view;
  const ImU32 text = v.light_theme ? IM_COL32(20, 20, 20, 255) : IM_COL32(235, 235, 235, 255);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float fh = ImGui::GetFontSize();

  // The floating h slider in the canvas's top-left corner.
  ImGui::SetNextWindowPos(ImVec2(x + 10, y + 10));
  ImGui::SetNextWindowBgAlpha(0.55f);
  if (ImGui::Begin("##h_float", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                       ImGuiWindowFlags_NoNav)) {
    if (ui.settings.mode == Mode::kReverse) {
      h_slider(ui, "h_canvas", 16 * fh, false);
      ImGui::SameLine();
      // A fixed width, so the window does not resize as the label changes.
      const ImVec2 at = ImGui::GetCursorPos();
      ImGui::TextUnformatted(st.spacetime.shown && st.spacetime.toy ? "toy model"
                             : st.picture_exact                     ? st.score_kind
                                                                    : "preview");
      ImGui::SetCursorPos(at);
      ImGui::Dummy(ImVec2(ImGui::CalcTextSize("learned score").x, fh));
    } else {
      ImGui::TextUnformatted("forward SDE: data -> noise");
    }
  }
  ImGui::End();

  // Colour bars, legend and a tour's words: what an exported image carries too.
  const bool spacetime = st.spacetime.shown;
  Annotations a = canvas_annotations(ui);
  if (!spacetime) {
    draw_annotations(dl, ImGui::GetFont(), fh, ImVec2(x, y), ImVec2(w, h), a);
    if (v.show_particles)
      edge_overlay(dl, st.edge, x, y, w, h, text, v.light_theme ? IM_COL32(255, 255, 255, 200) : IM_COL32(0, 0, 0, 150));
  } else {
    // Space-time: the heat bar at the top right, the legend under it (the strip is below).
    spacetime_overlay(ui, x, y, w, h);
    Annotations bars;
    bars.bars = a.bars;
    bars.light = a.light;
    draw_annotations(dl, ImGui::GetFont(), fh, ImVec2(x, y), ImVec2(w, h), bars);
    float ly = y + h * 0.25f + 3 * fh;
    const float lx = x + w - 26 * fh;
    const auto line_item = [&](ImU32 c, const std::string& s) {
      dl->AddLine(ImVec2(lx + 8, ly + fh / 2), ImVec2(lx + 22, ly + fh / 2), c, 2.0f);
      dl->AddText(ImVec2(lx + 26, ly), text, s.c_str());
      ly += fh * 1.2f;
    };
    line_item(IM_COL32(170, 170, 170, 255), st.spacetime.toy ? "left: data law N(0, v0)" : "left: data law at T_min");
    line_item(IM_COL32(255, 140, 60, 255), "left: " + st.spacetime.model_label);
    for (const Annotations::Item& it : a.legend) {
      dl->AddCircleFilled(ImVec2(lx + 16, ly + fh / 2), 4, it.color);
      dl->AddText(ImVec2(lx + 26, ly), text, it.text.c_str());
      ly += fh * 1.2f;
    }
    Annotations words;
    words.headline = a.headline;
    words.light = a.light;
    // Above the time axis and the h(t) strip.
    draw_annotations(dl, ImGui::GetFont(), fh, ImVec2(x, y), ImVec2(w, h - spacetime_margins(v.ui_scale).bottom), words);
  }

  // A progressive preview: a thin bar along the top says how much of it is there yet.
  if (st.preview_partial())
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w * static_cast<float>(st.preview_fraction), y + 3),
                      IM_COL32(255, 190, 60, 230));

  // A tour: how to go on, at the bottom right.
  if (ui.tour.running) {
    const char* hint = ui.tour.waiting ? "Space or ->: next step    Esc: end the tour" : "Esc: end the tour";
    const ImVec2 sz = ImGui::CalcTextSize(hint);
    dl->AddText(ImVec2(x + w - sz.x - 12, y + h - sz.y - 6), text, hint);
  }

  // The scene's progress in place while it builds (the data shows already), or what to do
  // when a drawn set is too small.
  const TaskStatus& scene = st.task(TaskKind::kScene);
  if (st.waiting_for_data || scene.running) {
    char buf[160];
    if (st.waiting_for_data)
      std::snprintf(buf, sizeof buf, "Draw at least %d points (Data: brush) to build the scene", kMinDrawnPoints);
    else
      std::snprintf(buf, sizeof buf, "Building the scene: %s  %.0f %%", scene.stage.c_str(), 100 * scene.progress);
    const ImVec2 sz = ImGui::CalcTextSize(buf);
    const ImVec2 p(x + (w - sz.x) / 2, y + h * 0.12f);
    const ImU32 bg = v.light_theme ? IM_COL32(245, 245, 245, 230) : IM_COL32(25, 25, 30, 220);
    dl->AddRectFilled(ImVec2(p.x - 12, p.y - 8), ImVec2(p.x + sz.x + 12, p.y + sz.y + 16), bg, 4);
    dl->AddText(p, text, buf);
    if (!st.waiting_for_data) {
      const float bw = sz.x * static_cast<float>(std::clamp(scene.progress, 0.0, 1.0));
      dl->AddRectFilled(ImVec2(p.x, p.y + sz.y + 4), ImVec2(p.x + bw, p.y + sz.y + 9), IM_COL32(255, 140, 60, 255), 2);
      dl->AddRect(ImVec2(p.x, p.y + sz.y + 4), ImVec2(p.x + sz.x, p.y + sz.y + 9), IM_COL32(140, 140, 140, 255), 2);
    }
  }

  // Toast.
  if (now < st.toast_until && !st.toast.empty()) {
    const ImVec2 sz = ImGui::CalcTextSize(st.toast.c_str());
    // Bottom right; during a tour at the top (its words are at the bottom).
    const ImVec2 p = ui.tour.caption.empty() ? ImVec2(x + w - sz.x - 24, y + h - sz.y - 20)
                                             : ImVec2(x + std::max(12.0f, (w - sz.x) / 2), y + 5.0f * fh);
    dl->AddRectFilled(ImVec2(p.x - 8, p.y - 6), ImVec2(p.x + sz.x + 8, p.y + sz.y + 6), IM_COL32(30, 30, 30, 220), 4);
    dl->AddText(p, IM_COL32(255, 255, 255, 255), st.toast.c_str());
  }
}

}  // namespace hbar::app
