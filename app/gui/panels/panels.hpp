#pragma once
// The sidebar panels, the plot strip, the status line and the canvas overlay.
// Each is a function of UiState that uses ImGui only (no GL): tests/ui runs them
// in a context without a backend.
#include <vector>

#include "../app_state.hpp"

namespace hbar::app {

void data_panel(UiState& ui);
void model_panel(UiState& ui);
void dynamics_panel(UiState& ui);
void heatmap_panel(UiState& ui);
void export_panel(UiState& ui);
// The bottom strip: W2(h) and the toy model's NLL(h), W2(h).
void plots_panel(UiState& ui, const std::vector<Curve>& curves);
void status_bar(UiState& ui);
// Over the canvas: the floating h slider, colour bars, legend, toast.
void canvas_overlay(UiState& ui, float canvas_x, float canvas_y, float canvas_w, float canvas_h, double now);

// The big h slider (sidebar and canvas corner share it). Returns true when changed.
bool h_slider(UiState& ui, const char* id, float width, bool big);

}  // namespace hbar::app
