#pragma once
// What a picture of the canvas says about itself: its colour bars, its legend, a caption
// and a tour step's words, drawn with ImDrawList into the window's canvas or into an
// offscreen image (canvas PNGs, GIF and MP4 frames, recordings), from one description.
#include <imgui.h>

#include <string>
#include <vector>

#include "hbar/view/colormap.hpp"

namespace hbar::app {

struct Annotations {
  struct Bar {
    Colormap map;
    double at0, at1;  // the values of the map's first (bottom) and last (top) colour
    std::string title;
  };
  struct Item {
    ImU32 color;
    std::string text;
  };
  std::vector<Bar> bars;     // top right, one under the other
  std::vector<Item> legend;  // bottom left
  std::string caption;       // top left, one line (images: h, t, the scene, the score)
  std::string headline;      // a tour step's words: at the bottom, wrapped, larger
  bool light = false;        // dark text on light boxes
};

// Draws `a` into the rectangle [origin, origin + size] of `dl` in `font` at `font_size`.
void draw_annotations(ImDrawList* dl, ImFont* font, float font_size, ImVec2 origin, ImVec2 size, const Annotations& a);

}  // namespace hbar::app
