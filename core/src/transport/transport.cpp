#include "hbar/transport/transport.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace hbar {

double w2sq_1d_sorted(const double* a, std::size_t na, const double* b, std::size_t nb) {
  // Walk the merged quantile breakpoints k/na and l/nb; on each piece both
  // quantile functions are constant.
  double total = 0.0, u = 0.0;
  std::size_t i = 0, j = 0;
  while (i < na && j < nb) {
    const double ua = static_cast<double>(i + 1) / na, ub = static_cast<double>(j + 1) / nb;
    const double next = std::min(ua, ub);
    const double d = a[i] - b[j];
    total += (next - u) * d * d;
    u = next;
    if (ua <= next) ++i;
    if (ub <= next) ++j;
  }
  return total;
}

double sliced_w2sq(const Points& a, const Points& b, int directions) {
  std::vector<double> pa(static_cast<std::size_t>(a.rows())), pb(static_cast<std::size_t>(b.rows()));
  double sum = 0.0;
  for (int k = 0; k < directions; ++k) {
    const double th = std::numbers::pi * (k + 0.5) / directions;
    const double c = std::cos(th), s = std::sin(th);
    for (Eigen::Index i = 0; i < a.rows(); ++i) pa[static_cast<std::size_t>(i)] = c * a(i, 0) + s * a(i, 1);
    for (Eigen::Index i = 0; i < b.rows(); ++i) pb[static_cast<std::size_t>(i)] = c * b(i, 0) + s * b(i, 1);
    std::sort(pa.begin(), pa.end());
    std::sort(pb.begin(), pb.end());
    sum += w2sq_1d_sorted(pa.data(), pa.size(), pb.data(), pb.size());
  }
  return sum / directions;
}

double sliced_w2_lower_bound(const Points& a, const Points& b, int directions) {
  return std::sqrt(2.0 * sliced_w2sq(a, b, directions));
}

}  // namespace hbar
