#pragma once
// A labelled colour bar drawn with ImDrawList.
#include <imgui.h>

#include <string>

#include "hbar/colormap.hpp"

namespace hbar::app {

// A vertical bar at `pos` (screen pixels) of `height`, values lo … hi, with a title.
// The title is moved left where it would pass `right_edge`.
void colorbar(ImDrawList* dl, ImVec2 pos, float height, Colormap map, double lo, double hi,
              const std::string& title, ImU32 text_color, float right_edge);

}  // namespace hbar::app
