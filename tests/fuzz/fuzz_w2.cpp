// libFuzzer entry: the W2 solvers on any finite coordinates, at every magnitude.
// The bytes are two clouds: a count byte each (1 … 48 points), then 8-byte doubles
// (a non-finite pattern becomes its exponent bits' power of ten, so every magnitude from
// 1e-128 to 1e127 comes up, beside the raw doubles). Promise: the exact W2 is finite and
// ≥ 0; a cloud is within the solver's quantization of W2 0 from itself (integer costs in
// units of 1e-11 of the largest squared distance: W2 ≤ 1e-5 × the diameter); scaling
// both clouds by 2 doubles it exactly (the normalised problems are the same; a subnormal
// W2 to within a few units of its last place); the sliced
// bound is ≥ 0 wherever it is finite. No crash, no hang (found: a segmentation fault in
// the network simplex from 1e155 on).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "hbar/transport/transport.hpp"

namespace {
double coordinate(const std::uint8_t* p) {
  double d;
  std::memcpy(&d, p, sizeof d);
  if (std::isfinite(d)) return d;
  return std::pow(10.0, static_cast<int>(p[0]) - 128) * ((p[1] & 1) ? -1 : 1) * 2.5;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int na = 1 + data[0] % 48, nb = 1 + data[1] % 48;
  const std::size_t need = 2 + 16 * static_cast<std::size_t>(na + nb);
  if (size < need) return 0;
  hbar::Points a(na, 2), b(nb, 2);
  const std::uint8_t* p = data + 2;
  for (int i = 0; i < na; ++i, p += 16) a.row(i) << coordinate(p), coordinate(p + 8);
  for (int i = 0; i < nb; ++i, p += 16) b.row(i) << coordinate(p), coordinate(p + 8);
  // Twice the clouds must stay finite for the scaling check: skip the top of the range.
  if (a.cwiseAbs().maxCoeff() > 1e307 || b.cwiseAbs().maxCoeff() > 1e307) return 0;
  const double w2 = hbar::exact_w2(a, b).w2;
  if (!std::isfinite(w2) || w2 < 0) std::abort();
  const double diameter = std::hypot(a.col(0).maxCoeff() - a.col(0).minCoeff(), a.col(1).maxCoeff() - a.col(1).minCoeff());
  if (!(hbar::exact_w2(a, a).w2 <= 1e-5 * diameter)) std::abort();
  const double w2x2 = hbar::exact_w2(2.0 * a, 2.0 * b).w2;
  // (Subnormal results have few bits: there, a few units of the last place.)
  const bool subnormal = w2 < 4 * std::numeric_limits<double>::min();
  if (subnormal ? std::abs(w2x2 - 2.0 * w2) > 1e-6 * w2 + 1e-320 : w2x2 != 2.0 * w2) std::abort();
  const double sliced = hbar::sliced_w2_lower_bound(a, b, 16);
  if (std::isfinite(sliced) && sliced < 0) std::abort();
  return 0;
}
