#include "hbar/view/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace hbar {
namespace {
// Nine evenly spaced anchors of each map (sRGB, 0…255).
constexpr std::array<std::array<int, 3>, 9> kViridis = {{{68, 1, 84},
                                                         {71, 45, 123},
                                                         {59, 82, 139},
                                                         {44, 114, 142},
                                                         {33, 145, 140},
                                                         {40, 174, 128},
                                                         {94, 201, 98},
                                                         {173, 220, 48},
                                                         {253, 231, 37}}};
constexpr std::array<std::array<int, 3>, 9> kMagma = {{{0, 0, 4},
                                                       {28, 16, 68},
                                                       {79, 18, 123},
                                                       {129, 37, 129},
                                                       {181, 54, 122},
                                                       {229, 80, 100},
                                                       {251, 135, 97},
                                                       {254, 194, 135},
                                                       {252, 253, 191}}};
}  // namespace

Rgba8 colormap(Colormap map, double u) {
  const auto& a = map == Colormap::kViridis ? kViridis : kMagma;
  u = std::isfinite(u) ? std::clamp(u, 0.0, 1.0) : 0.0;
  const double x = u * 8.0;
  const int k = std::min(static_cast<int>(x), 7);
  const double f = x - k;
  Rgba8 c{};
  for (int ch = 0; ch < 3; ++ch)
    c[static_cast<std::size_t>(ch)] = static_cast<std::uint8_t>(
        std::lround(a[static_cast<std::size_t>(k)][static_cast<std::size_t>(ch)] * (1 - f) +
                    a[static_cast<std::size_t>(k) + 1][static_cast<std::size_t>(ch)] * f));
  c[3] = 255;
  return c;
}

std::string_view colormap_name(Colormap map) { return map == Colormap::kViridis ? "viridis" : "magma"; }

std::vector<std::uint8_t> grid_to_rgba(const Grid& g, Colormap map, double lo, double hi,
                                       std::uint8_t alpha) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(g.nx) * g.ny * 4, 0);
  const double span = hi > lo ? hi - lo : 1.0;
  for (std::size_t k = 0; k < g.values.size(); ++k) {
    const double v = g.values[k];
    if (!std::isfinite(v)) continue;
    const Rgba8 c = colormap(map, (v - lo) / span);
    px[4 * k] = c[0];
    px[4 * k + 1] = c[1];
    px[4 * k + 2] = c[2];
    px[4 * k + 3] = alpha;
  }
  return px;
}

}  // namespace hbar
