#pragma once
// Particles beyond a view, gathered where they leave it: the view's border is cut into
// bins, and each particle outside the box is counted in the bin where the ray from the
// box's centre to it crosses the border. The canvas marks those bins (few paths at h = 1
// run off the frame: the marks say where and how many).
#include <array>

#include "hbar/base/types.hpp"
#include "hbar/view/grid.hpp"

namespace hbar {

struct EdgeMarks {
  static constexpr int kBins = 24;  // per side
  // Side s (0 bottom, 1 right, 2 top, 3 left), bin k (along the side, from its lower x
  // or y end) at [s * kBins + k].
  std::array<int, 4 * kBins> count{};
  int outside = 0;  // finite particles outside the box
  int total = 0;    // particles looked at (non-finite ones are not)
};

EdgeMarks edge_marks(const Points& p, const Box& view);

}  // namespace hbar
