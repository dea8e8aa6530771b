#include "hbar/view/edge_marks.hpp"

#include <algorithm>
#include <cmath>

namespace hbar {

EdgeMarks edge_marks(const Points& p, const Box& b) {
  EdgeMarks m;
  const double cx = (b.xmin + b.xmax) / 2, cy = (b.ymin + b.ymax) / 2;
  const double hw = b.width() / 2, hh = b.height() / 2;
  if (!(hw > 0) || !(hh > 0)) return m;
  const auto bin = [](double u) {  // u in [0, 1] along a side
    return std::clamp(static_cast<int>(u * EdgeMarks::kBins), 0, EdgeMarks::kBins - 1);
  };
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const double x = p(i, 0), y = p(i, 1);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    ++m.total;
    if (x >= b.xmin && x <= b.xmax && y >= b.ymin && y <= b.ymax) continue;
    ++m.outside;
    const double dx = x - cx, dy = y - cy;
    // The ray leaves through a vertical side when it reaches |dx| = hw before |dy| = hh.
    if (std::abs(dx) * hh >= std::abs(dy) * hw) {
      const double yb = cy + dy * (hw / std::abs(dx));  // where it crosses x = ±hw
      const int k = bin((yb - b.ymin) / b.height());
      ++m.count[static_cast<std::size_t>((dx > 0 ? 1 : 3) * EdgeMarks::kBins + k)];
    } else {
      const double xb = cx + dx * (hh / std::abs(dy));
      const int k = bin((xb - b.xmin) / b.width());
      ++m.count[static_cast<std::size_t>((dy > 0 ? 2 : 0) * EdgeMarks::kBins + k)];
    }
  }
  return m;
}

}  // namespace hbar
