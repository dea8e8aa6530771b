#pragma once
// The sidebar panels, the plot strip, the status line and the canvas overlay.
// Each reads Settings, View and Status and changes nothing itself: every action is a
// command pushed on ui.commands (origin "panel"). ImGui only (no GL): tests/ui runs
// them in a context without a backend.
#include <string>
#include <vector>

#include "../app_state.hpp"
#include "../widgets/plot.hpp"

namespace hbar::app {

void data_panel(UiState& ui);
void model_panel(UiState& ui);
void dynamics_panel(UiState& ui);
// Under the h slider: the h(t) editor and c̄(t) (h_schedule_editor.cpp).
void h_schedule_editor(UiState& ui);
void heatmap_panel(UiState& ui);
void export_panel(UiState& ui);
// The bottom strip: W2(h), NLL(h), and the toy model or the training loss.
void plots_panel(UiState& ui, const std::vector<Curve>& curves);
void status_bar(UiState& ui);
// A plot of the strip ("w2", "nll", "toy", "train"): its spec (title, labels, theme) and
// its series, as the panel draws it and `export plot` writes it as SVG.
PlotSpec plot_spec(const UiState& ui, const std::string& which, ImVec2 size);
std::vector<Curve> plot_curves(const std::string& which, const std::vector<Curve>& curves);
// Over the canvas: the floating h slider, colour bars, legend, toast.
void canvas_overlay(UiState& ui, float canvas_x, float canvas_y, float canvas_w, float canvas_h, double now);

// The big h slider (sidebar and canvas corner share it). Returns true when changed.
bool h_slider(UiState& ui, const char* id, float width, bool big);

// Helpers for widgets bound to a setting: show the current value, push `set KEY V`
// when the user changes it.
void set_key(UiState& ui, const char* key, const std::string& value);
bool checkbox_key(UiState& ui, const char* label, const char* key, bool value);

}  // namespace hbar::app
