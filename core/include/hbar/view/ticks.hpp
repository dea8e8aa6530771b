#pragma once
// Axis maths for plots: "nice" tick positions and padded ranges.
#include <string>
#include <vector>

namespace hbar {

struct Ticks {
  double step = 1;
  std::vector<double> values;  // ticks inside [lo, hi]
};

// Ticks at multiples of 1, 2 or 5 × 10^k, at most max_ticks of them (≥ 2), covering
// [lo, hi]. A degenerate range is widened around its value.
Ticks nice_ticks(double lo, double hi, int max_ticks = 6);

// [lo, hi] of the values (NaN and ±inf ignored), widened by `pad` of the span on
// each side; a flat or empty range becomes a unit interval around its value.
std::pair<double, double> padded_range(const std::vector<double>& values, double pad = 0.05);

// A tick label with no more digits than the step needs ("0.25", "1e-05", "300").
std::string tick_label(double value, double step);

}  // namespace hbar
