#pragma once
// Vectorisable elementary functions for hot loops.
#include <bit>
#include <cstddef>
#include <cstdint>

namespace hbar {

// Four doubles in one AVX2 register (GCC/Clang vector extension) and its bit twin.
using V4d = double __attribute__((vector_size(32)));
using V4u = std::uint64_t __attribute__((vector_size(32)));

// exp(x) for -708 <= x <= 0 (the caller clamps); T is double or V4d. Relative error
// below 3e-16 (tested against std::exp).
//
// exp(x) = 2^k · exp(r), k = round(x / ln 2), |r| ≤ ln 2 / 2. k is rounded by the
// 1.5·2^52 shifter, whose low mantissa bits then hold k as an integer, so 2^k is
// added straight into the exponent field: no float-to-int conversion, which AVX2
// lacks for 64-bit lanes. exp(r) by its Taylor series to r^13 (truncation below
// 0.35^14 / 14! ≈ 4e-18); ln 2 split in two parts (Cody–Waite) for an exact r.
template <class T>
inline T exp_nonpositive(T x) {
  using U = std::conditional_t<std::is_same_v<T, double>, std::uint64_t, V4u>;
  constexpr double kShifter = 0x1.8p52;
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const T kd = x * kLog2e + kShifter;
  const T k = kd - kShifter;
  const T r = (x - k * kLn2Hi) - k * kLn2Lo;
  T p = r * (1.0 / 6227020800.0) + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const U scale = std::bit_cast<U>(kd) << 52;
  return std::bit_cast<T>(std::bit_cast<U>(p) + scale);
}

}  // namespace hbar
