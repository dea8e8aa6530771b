#pragma once
// Reads the back buffer (before the swap) and writes a PNG atomically.
#include <string>

namespace hbar::app {

// Pixels (x, y, w, h) of the current framebuffer, GL origin bottom-left.
void save_png(const std::string& path, int x, int y, int w, int h);

}  // namespace hbar::app
