#pragma once
// A labelled colour bar drawn with ImDrawList.
#include <imgui.h>

#include <string>

#include "hbar/view/colormap.hpp"

namespace hbar::app {

// A vertical bar at `pos` (pixels of the draw list) of `height`, with a title, in `font`
// at `font_size`: the map's first colour (bottom) stands for `at0`, its last (top) for
// `at1`; at0 > at1 is allowed (a reverse run's time runs from T_max down). The title is
// moved left where it would pass `right_edge`.
void colorbar(ImDrawList* dl, ImFont* font, float font_size, ImVec2 pos, float height, Colormap map, double at0,
              double at1, const std::string& title, ImU32 text_color, float right_edge);

}  // namespace hbar::app
