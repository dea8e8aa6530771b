#include "screenshot.hpp"

#include <glad/gl.h>
#include <stb_image_write.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "hbar/io/output.hpp"

namespace hbar::app {

std::vector<std::uint8_t> read_pixels(int x, int y, int w, int h) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  // GL rows go upwards; PNG rows go downwards. Opaque alpha for viewers.
  std::vector<std::uint8_t> flipped(px.size());
  const std::size_t row = static_cast<std::size_t>(w) * 4;
  for (int r = 0; r < h; ++r)
    std::copy(px.begin() + static_cast<std::ptrdiff_t>(r * row), px.begin() + static_cast<std::ptrdiff_t>((r + 1) * row),
              flipped.begin() + static_cast<std::ptrdiff_t>((h - 1 - r) * row));
  for (std::size_t k = 3; k < flipped.size(); k += 4) flipped[k] = 255;
  return flipped;
}

void write_png(const std::string& path, int w, int h, const std::vector<std::uint8_t>& rgba) {
  std::vector<std::uint8_t> png;
  const auto sink = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(ctx);
    const auto* d = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), d, d + size);
  };
  if (!stbi_write_png_to_func(sink, &png, w, h, 4, rgba.data(), w * 4))
    throw std::runtime_error(path + ": PNG encoding failed");
  write_file_atomic(path, [&](std::ostream& o) {
    o.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  });
}

}  // namespace hbar::app
