#pragma once
// Perceptually ordered colour maps to RGBA8, for trajectories (time) and heat maps.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hbar/view/grid.hpp"

namespace hbar {

enum class Colormap { kViridis, kMagma };

using Rgba8 = std::array<std::uint8_t, 4>;

// Colour at u in [0, 1] (clamped): piecewise-linear between nine anchors of the
// viridis / magma maps (sRGB).
Rgba8 colormap(Colormap map, double u);
std::string_view colormap_name(Colormap map);

// A grid as an RGBA8 image (row 0 = lowest y), values mapped linearly from [lo, hi];
// NaN cells are transparent and the others get `alpha`.
std::vector<std::uint8_t> grid_to_rgba(const Grid& g, Colormap map, double lo, double hi,
                                       std::uint8_t alpha = 255);

}  // namespace hbar
