#include "hbar/base/rng.hpp"

#include <cmath>
#include <numbers>

namespace hbar {
namespace {
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

inline double to_open_unit(std::uint32_t hi, std::uint32_t lo) {
  // 53 random bits, then shifted by half an ulp: never 0, never 1.
  const std::uint64_t bits = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}
}  // namespace

std::array<std::uint32_t, 4> philox4x32(std::array<std::uint32_t, 4> c,
                                        std::array<std::uint32_t, 2> k) noexcept {
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kM0, c[0], hi0, lo0);
    mulhilo(kM1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += kW0;
    k[1] += kW1;
  }
  return c;
}

std::array<double, 2> uniform2(std::uint64_t seed, Stream stream, std::uint64_t index,
                               std::uint32_t step) noexcept {
  const auto w = random_words(seed, stream, index, step);
  return {to_open_unit(w[0], w[1]), to_open_unit(w[2], w[3])};
}

std::array<double, 2> normal2(std::uint64_t seed, Stream stream, std::uint64_t index,
                              std::uint32_t step) noexcept {
  const auto u = uniform2(seed, stream, index, step);
  const double r = std::sqrt(-2.0 * std::log(u[0]));
  const double a = 2.0 * std::numbers::pi * u[1];
  return {r * std::cos(a), r * std::sin(a)};
}

}  // namespace hbar
