// The noise schedule h(t) over the time axis (SCIENCE.md §11): constant, windows with
// draggable edges, or draggable knots; the h slider sets the height. Beneath it, c̄(t)
// of the scene's held-out points (the NLL task's first order) ± its standard error,
// shaded where noise helps. Every edit is a command (set h-window / h-knots / h-schedule).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hbar/process/h_schedule.hpp"
#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

constexpr float kStripHeight = kHStripHeight, kCurveHeight = kCCurveHeight, kGrab = 6;
constexpr double kMinWidth = 0.005;  // the narrowest window an edge drag leaves

// What the mouse holds: a window's edge (0: start, 1: end) or body, or a knot.
struct Grab {
  int index = -1, part = -1;
  double offset = 0;  // body drags: mouse t minus the window's start
};

struct Axis {
  double t0, t1;
  float x0, w;
  float x(double t) const { return x0 + static_cast<float>((t - t0) / (t1 - t0)) * w; }
  double t(float px) const { return std::clamp(t0 + (px - x0) / w * (t1 - t0), t0, t1); }
};

// The scene's time range: from c(t) when computed, else the run on screen, else SIMPLE's.
Axis time_axis(const UiState& ui, float x0, float w) {
  const NllSummary& n = ui.status.nll;
  if (n.traces && !n.traces->empty()) return {n.traces->front().t.front(), n.traces->front().t.back(), x0, w};
  const double a = std::min(ui.status.run_t_first, ui.status.run_t_last),
               b = std::max(ui.status.run_t_first, ui.status.run_t_last);
  if (b > a) return {a, b, x0, w};
  return {0.01, 1.0, x0, w};
}

void push_windows(UiState& ui, const std::vector<HInterval>& w) { set_key(ui, "h-window", format_windows(w)); }
void push_knots(UiState& ui, const std::vector<HKnot>& k) { set_key(ui, "h-knots", format_knots(k)); }

void edit_windows(UiState& ui, const Axis& ax, Grab& grab, float y0) {
  std::vector<HInterval> w = ui.settings.h_windows;
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsItemActivated()) {
    grab = Grab{};
    for (std::size_t i = 0; i < w.size() && grab.index < 0; ++i) {
      if (std::abs(m.x - ax.x(w[i].a)) <= kGrab) grab = {static_cast<int>(i), 0, 0};
      else if (std::abs(m.x - ax.x(w[i].b)) <= kGrab) grab = {static_cast<int>(i), 1, 0};
      else if (m.x > ax.x(w[i].a) && m.x < ax.x(w[i].b)) grab = {static_cast<int>(i), 2, ax.t(m.x) - w[i].a};
    }
  }
  if (ImGui::IsItemActive() && grab.index >= 0) {
    const auto i = static_cast<std::size_t>(grab.index);
    const double lo = i > 0 ? w[i - 1].b : 0.0, hi = i + 1 < w.size() ? w[i + 1].a : 1.0;
    const double t = ax.t(m.x);
    HInterval& iv = w[i];
    if (grab.part == 0) iv.a = std::clamp(t, lo, iv.b - kMinWidth);
    else if (grab.part == 1) iv.b = std::clamp(t, iv.a + kMinWidth, hi);
    else {
      const double len = iv.b - iv.a;
      iv.a = std::clamp(t - grab.offset, lo, hi - len);
      iv.b = iv.a + len;
    }
    if (!(w == ui.settings.h_windows)) push_windows(ui, w);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const HInterval& iv : w)
    for (double e : {iv.a, iv.b}) {
      const bool near = std::abs(m.x - ax.x(e)) <= kGrab && ImGui::IsItemHovered();
      dl->AddLine(ImVec2(ax.x(e), y0), ImVec2(ax.x(e), y0 + kStripHeight), near ? 0xffffffff : 0xff40a0ff,
                  near ? 3.0f : 2.0f);
    }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("drag an edge, or a window to move it");
}

void edit_knots(UiState& ui, const Axis& ax, Grab& grab, float y0) {
  std::vector<HKnot> k = ui.settings.h_knots;
  double top = 0;
  for (const HKnot& q : k) top = std::max(top, q.h);
  if (top <= 0) top = 1;
  const auto kx = [&](const HKnot& q) { return ax.x(std::clamp(q.t, ax.t0, ax.t1)); };
  const auto ky = [&](const HKnot& q) { return y0 + kStripHeight * static_cast<float>(1 - q.h / top); };
  const ImVec2 m = ImGui::GetIO().MousePos;
  int near = -1;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (std::hypot(m.x - kx(k[i]), m.y - ky(k[i])) <= 2 * kGrab) near = static_cast<int>(i);
  if (ImGui::IsItemActivated()) grab = {near, 0, 0};
  if (ImGui::IsItemActive() && grab.index >= 0) {
    const auto i = static_cast<std::size_t>(grab.index);
    const double lo = i > 0 ? k[i - 1].t + 1e-3 : 0.0, hi = i + 1 < k.size() ? k[i + 1].t - 1e-3 : 1.0;
    k[i].t = std::clamp(ax.t(m.x), lo, hi);
    k[i].h = top * std::clamp(1.0 - (m.y - y0) / kStripHeight, 0.0, 1.0);
    if (!(k == ui.settings.h_knots)) push_knots(ui, k);
  } else if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && near < 0) {
    const HKnot q{ax.t(m.x), top * std::clamp(1.0 - (m.y - y0) / kStripHeight, 0.0, 1.0)};
    k.insert(std::upper_bound(k.begin(), k.end(), q, [](const HKnot& a, const HKnot& b) { return a.t < b.t; }), q);
    push_knots(ui, k);
  } else if (ImGui::IsItemHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && near >= 0 && k.size() > 1) {
    k.erase(k.begin() + near);
    push_knots(ui, k);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < k.size(); ++i)
    dl->AddCircleFilled(ImVec2(kx(k[i]), ky(k[i])), static_cast<int>(i) == near ? 6.0f : 4.5f, 0xff40a0ff);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("drag a knot; double-click adds one, right-click removes it\n(the h slider sets the top)");
}

// c̄(t) ± s.e. on an asinh scale (c spans orders of magnitude near T_min), green where > 0.
void c_curve(const UiState& ui, const CCurve& cc, bool exact, const Axis& ax, float y0) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const bool light = ui.view.light_theme;
  dl->AddRectFilled(ImVec2(ax.x0, y0), ImVec2(ax.x0 + ax.w, y0 + kCurveHeight), light ? 0xfff4f4f4 : 0xff202020);
  if (cc.t.size() < 2) {
    dl->AddText(ImVec2(ax.x0 + 6, y0 + 6), light ? 0xff606060 : 0xffa0a0a0,
                ui.status.task(TaskKind::kNll).running ? "c(t): computing (NLL task)" : "c(t): after the NLL task");
    return;
  }
  double big = 0;
  for (std::size_t i = 0; i < cc.t.size(); ++i) big = std::max(big, std::abs(cc.mean[i]) + cc.sem[i]);
  const double s0 = std::max(1e-12, 0.05 * big);
  const double ymax = std::asinh(big / s0);
  const auto y = [&](double c) { return y0 + kCurveHeight * 0.5f * static_cast<float>(1 - std::asinh(c / s0) / ymax); };
  const float zero = y(0);
  for (std::size_t i = 1; i < cc.t.size(); ++i) {
    const float xa = ax.x(cc.t[i - 1]), xb = ax.x(cc.t[i]);
    // ± s.e. band, then the shading between the curve and zero where c̄ > 0.
    dl->AddQuadFilled(ImVec2(xa, y(cc.mean[i - 1] + cc.sem[i - 1])), ImVec2(xb, y(cc.mean[i] + cc.sem[i])),
                      ImVec2(xb, y(cc.mean[i] - cc.sem[i])), ImVec2(xa, y(cc.mean[i - 1] - cc.sem[i - 1])),
                      light ? 0x40a06020 : 0x50ffb070);
    if (cc.mean[i - 1] > 0 && cc.mean[i] > 0)
      dl->AddQuadFilled(ImVec2(xa, y(cc.mean[i - 1])), ImVec2(xb, y(cc.mean[i])), ImVec2(xb, zero), ImVec2(xa, zero),
                        0x6040c040);
    dl->AddLine(ImVec2(xa, y(cc.mean[i - 1])), ImVec2(xb, y(cc.mean[i])), light ? 0xffa05010 : 0xffffc080, 1.5f);
  }
  dl->AddLine(ImVec2(ax.x0, zero), ImVec2(ax.x0 + ax.w, zero), light ? 0xff808080 : 0xff707070);
  char label[96];
  std::snprintf(label, sizeof label, exact ? "c(t) of the toy model (exact), asinh, |c| <= %.2g; green: helps"
                                           : "c(t) +-s.e., asinh, |c| <= %.2g; green: helps",
                big);
  dl->AddText(ImVec2(ax.x0 + 4, y0 + 2), light ? 0xff404040 : 0xffc0c0c0, label);
}

}  // namespace

void h_time_strip(UiState& ui, const char* id, float w, double t0, double t1, const CCurve& curve, bool exact,
                  float* rect) {
  const Settings& s = ui.settings;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const Axis ax{t0, t1, p.x, w};
  static Grab grab;
  ImGui::InvisibleButton(id, ImVec2(w, kStripHeight));
  rect[0] = p.x, rect[1] = p.y, rect[2] = p.x + w, rect[3] = p.y + kStripHeight;  // for `layout`
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const bool light = ui.view.light_theme;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + kStripHeight), light ? 0xffeeeeee : 0xff282828);
  // h(t) as a filled profile, its top at the strip's top (the slider's h).
  const HSchedule hs = h_shape(s, ax.t0, ax.t1);
  const int n = static_cast<int>(w / 2);
  for (int i = 0; i < n; ++i) {
    const double ta = ax.t0 + (ax.t1 - ax.t0) * i / n, tb = ax.t0 + (ax.t1 - ax.t0) * (i + 1) / n;
    const double v = hs.at(0.5 * (ta + tb));
    if (v <= 0) continue;
    dl->AddRectFilled(ImVec2(ax.x(ta), p.y + kStripHeight * static_cast<float>(1 - v)), ImVec2(ax.x(tb), p.y + kStripHeight),
                      light ? 0x8040a0ff : 0x7040a0ff);
  }
  if (s.h_kind == HShapeKind::kWindow) edit_windows(ui, ax, grab, p.y);
  if (s.h_kind == HShapeKind::kKnots) edit_knots(ui, ax, grab, p.y);
  // The time on screen, and the axis's ends.
  const int steps = ui.status.run_steps;
  if (steps > 0) {
    const double t = ui.status.run_t_now;
    if (t >= std::min(t0, t1) && t <= std::max(t0, t1))
      dl->AddLine(ImVec2(ax.x(t), p.y), ImVec2(ax.x(t), p.y + kStripHeight), light ? 0xff000000 : 0xffffffff);
  }
  char text[96];
  std::snprintf(text, sizeof text, "h = %.3g at the top;  t %.2f ... %.2f", s.h, ax.t0, ax.t1);
  dl->AddText(ImVec2(p.x + 4, p.y + 2), light ? 0xff404040 : 0xffc0c0c0, text);

  const ImVec2 q = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, kCurveHeight));
  c_curve(ui, curve, exact, Axis{ax.t0, ax.t1, q.x, w}, q.y);
}

void h_schedule_editor(UiState& ui) {
  const Settings& s = ui.settings;
  int kind = static_cast<int>(s.h_kind);
  ImGui::TextUnformatted("h(t):");
  ImGui::SameLine();
  if (ImGui::RadioButton("constant", &kind, 0)) set_key(ui, "h-schedule", "constant");
  ImGui::SameLine();
  if (ImGui::RadioButton("window", &kind, 1)) set_key(ui, "h-schedule", "window");
  ImGui::SameLine();
  if (ImGui::RadioButton("knots", &kind, 2)) set_key(ui, "h-schedule", "knots");

  const float w = std::max(80.0f, ImGui::GetContentRegionAvail().x);
  const Axis ax = time_axis(ui, 0, w);
  h_time_strip(ui, "##h_of_t", w, ax.t0, ax.t1, ui.status.nll.c_curve, false, ui.layout.h_editor);
  ui.layout.h_editor_t[0] = ax.t0, ui.layout.h_editor_t[1] = ax.t1;
  const bool ready = ui.status.nll.traces != nullptr;
  ImGui::BeginDisabled(!ready);
  if (ImGui::Button("Best window")) ui.push({"best-h", "window"});
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("the window of the current window's length with the largest integral of c(t):\n"
                      "to first order, the most NLL gained per unit of h there");
  ImGui::SameLine();
  if (ImGui::Button("Best schedule")) ui.push({"best-h", "schedule"});
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("h where c(t) > 0, 0 elsewhere: the first-order best h(t) <= h");
  ImGui::EndDisabled();
}

}  // namespace hbar::app
