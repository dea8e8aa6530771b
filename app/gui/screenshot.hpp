#pragma once
// Reads the back buffer (before the swap) and writes a PNG atomically.
#include <cstdint>
#include <string>
#include <vector>

namespace hbar::app {

// Pixels (x, y, w, h) of the current framebuffer (GL origin bottom-left) as RGBA, top row
// first, opaque: the UI thread's part of a screenshot (the encoding and the file are not).
std::vector<std::uint8_t> read_pixels(int x, int y, int w, int h);
// RGBA pixels (top row first) to a PNG, written atomically (temporary name, then rename).
void write_png(const std::string& path, int w, int h, const std::vector<std::uint8_t>& rgba);

}  // namespace hbar::app
