#pragma once
// The sidebar panels, the plot strip, the status line and the canvas overlay.
// Each reads Settings, View and Status and changes nothing itself: every action is a
// command pushed on ui.commands (origin "panel"). ImGui only (no GL): tests/ui runs
// them in a context without a backend.
#include <string>
#include <vector>

#include "../app_state.hpp"
#include "../widgets/annotations.hpp"
#include "../widgets/plot.hpp"

namespace hbar::app {

void data_panel(UiState& ui);
void model_panel(UiState& ui);
void dynamics_panel(UiState& ui);
// Under the h slider: the h(t) editor and c̄(t) (h_schedule_editor.cpp).
void h_schedule_editor(UiState& ui);
// The editor's strip (kHStripHeight) and a c̄(t) curve under it (kCCurveHeight), `w` wide at
// the cursor, over times t0 … t1 (the sidebar's editor, and the space-time canvas's strip
// on the canvas's own time axis). `exact`: the curve has no error bars (the toy model's).
// `rect` receives the strip's rectangle (window pixels).
inline constexpr float kHStripHeight = 64, kCCurveHeight = 64;
void h_time_strip(UiState& ui, const char* id, float w, double t0, double t1, const CCurve& curve, bool exact,
                  float* rect);
void heatmap_panel(UiState& ui);
void export_panel(UiState& ui);
// The bottom strip: W2(h), NLL(h), and the toy model or the training loss.
void plots_panel(UiState& ui, const std::vector<Curve>& curves);
void status_bar(UiState& ui);
// The modal offer to restore the session an abnormal exit left (Status::recovery_file).
void recovery_prompt(UiState& ui);
// Play / Pause, step, loop, speed and the step scrubber (the sidebar's fixed footer).
void transport_panel(UiState& ui);
// The footer's height at the current font.
float transport_height();
// A plot of the strip ("w2", "nll", "toy", "train"): its spec (title, labels, theme) and
// its series, as the panel draws it and `export plot` writes it as SVG.
PlotSpec plot_spec(const UiState& ui, const std::string& which, ImVec2 size);
std::vector<Curve> plot_curves(const std::string& which, const std::vector<Curve>& curves);
// Over the canvas: the floating h slider, colour bars, legend, toast; in space-time, the
// axes, the profiles at T_min and the h(t) strip on the canvas's time axis.
void canvas_overlay(UiState& ui, float canvas_x, float canvas_y, float canvas_w, float canvas_h, double now);
// What the canvas's picture carries (colour bars, legend, a tour's words), in the window
// and in exported images alike (the caller adds an image's caption).
Annotations canvas_annotations(const UiState& ui);

// The space-time canvas's margins (pixels at ui scale 1 times `scale`): the y ticks and
// the profiles at T_min on the left, the slider on top, the time ticks and the h(t) strip
// with c̄(t) below. The density area fills the rest.
struct SpaceTimeMargins {
  float left, right, top, bottom, profile;  // profile: the width of the profiles (inside left)
};
SpaceTimeMargins spacetime_margins(double scale);
// The world box (x = t, y = u·x) of a w × h canvas whose density area shows `area`.
Box spacetime_box(const Box& area, float w, float h, const SpaceTimeMargins& m);
// A figure's or an animation frame's box (no axes drawn there): the area and a thin margin.
inline Box spacetime_figure_box(const Box& a) {
  return Box{a.xmin - 0.03 * a.width(), a.xmax + 0.02 * a.width(), a.ymin - 0.04 * a.height(), a.ymax + 0.04 * a.height()};
}

// The big h slider (sidebar and canvas corner share it). Returns true when changed.
bool h_slider(UiState& ui, const char* id, float width, bool big);

// Helpers for widgets bound to a setting: show the current value, push `set KEY V`
// when the user changes it.
void set_key(UiState& ui, const char* key, const std::string& value);
bool checkbox_key(UiState& ui, const char* label, const char* key, bool value);

}  // namespace hbar::app
