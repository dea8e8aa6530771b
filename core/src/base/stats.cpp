#include "hbar/base/stats.hpp"

#include <cmath>

namespace hbar {

MeanSem mean_sem(const double* values, std::size_t n) {
  MeanSem s;
  s.n = n;
  if (n == 0) return s;
  for (std::size_t i = 0; i < n; ++i) s.mean += values[i];
  s.mean /= static_cast<double>(n);
  if (n < 2) return s;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) ss += (values[i] - s.mean) * (values[i] - s.mean);
  s.std = std::sqrt(ss / static_cast<double>(n - 1));
  s.sem = s.std / std::sqrt(static_cast<double>(n));
  return s;
}

}  // namespace hbar
