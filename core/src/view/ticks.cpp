#include "hbar/view/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hbar {

Ticks nice_ticks(double lo, double hi, int max_ticks) {
  max_ticks = std::max(max_ticks, 2);
  if (!(std::isfinite(lo) && std::isfinite(hi))) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) {
    const double w = std::max(std::abs(lo) * 0.1, 0.5);
    lo -= w;
    hi += w;
  }
  // A step of at least `raw` always gives at most max_ticks ticks; a smaller nice step may
  // too, as the ticks are only its multiples inside [lo, hi] (a padded 0 … 1 with two
  // ticks: 0 and 1, where the smallest step ≥ raw, 2, would leave 0 alone).
  const double raw = (hi - lo) / (max_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0}) {
    const double s = m * mag;
    const double count = std::floor(hi / s + 1e-9) - std::ceil(lo / s - 1e-9) + 1;
    if (count <= max_ticks) {
      step = s;
      break;
    }
  }
  Ticks t;
  t.step = step;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1) {
    const double v = k * step;
    t.values.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
  }
  return t;
}

std::pair<double, double> padded_range(const std::vector<double>& values, double pad) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(lo <= hi)) return {0.0, 1.0};
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) return {lo - 0.5, hi + 0.5};
  const double w = (hi - lo) * pad;
  return {lo - w, hi + w};
}

std::string tick_label(double value, double step) {
  char buf[32];
  const double a = std::abs(step);
  if (a >= 1e5 || a < 1e-4) {
    std::snprintf(buf, sizeof buf, "%.3g", value);
  } else {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(a) - 1e-9)));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  return buf;
}

}  // namespace hbar
