#pragma once
// The app's window loop (app_window.cpp): runs frames until quit, the window closes or
// max_frames (counted once the work asked for is complete) have passed; then writes
// the files still queued. The GL context of `window` must be current.
#include <string>

#include "app_state.hpp"
#include "scenario.hpp"

struct GLFWwindow;

namespace hbar::app {

int run_app(GLFWwindow* window, UiState& ui, float font_scale, long max_frames, const std::string& final_shot,
            Scenario* script, bool pace = false);

}  // namespace hbar::app
