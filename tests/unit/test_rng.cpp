#include <doctest/doctest.h>

#include <cmath>

#include "hbar/base/rng.hpp"

using namespace hbar;

TEST_CASE("philox4x32-10 matches the Random123 known-answer vectors") {
  using A4 = std::array<std::uint32_t, 4>;
  CHECK(philox4x32({0, 0, 0, 0}, {0, 0}) == A4{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32({~0u, ~0u, ~0u, ~0u}, {~0u, ~0u}) ==
        A4{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        A4{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("draws are pure functions of (seed, stream, index, step)") {
  CHECK(normal2(7, Stream::kStepNoise, 12, 3) == normal2(7, Stream::kStepNoise, 12, 3));
  CHECK(normal2(7, Stream::kStepNoise, 12, 3) != normal2(7, Stream::kStepNoise, 12, 4));
  CHECK(normal2(7, Stream::kStepNoise, 12, 3) != normal2(7, Stream::kPrior, 12, 3));
  CHECK(normal2(7, Stream::kStepNoise, 12, 3) != normal2(8, Stream::kStepNoise, 12, 3));
  CHECK(normal2(7, Stream::kStepNoise, 12, 3) != normal2(7, Stream::kStepNoise, 12ull << 32, 3));
}

TEST_CASE("uniforms lie in (0,1) and normals have unit moments") {
  // n = 2e5 pairs: the standard error of a mean is 1/sqrt(4e5) ≈ 1.6e-3, of the
  // variance sqrt(2/4e5) ≈ 2.2e-3, of the fourth moment sqrt(96/4e5) ≈ 1.5e-2; 4 SE.
  const int n = 200000;
  double s1 = 0, s2 = 0, s4 = 0, su = 0, corr = 0;
  for (int i = 0; i < n; ++i) {
    const auto u = uniform2(1, Stream::kData, static_cast<std::uint64_t>(i), 0);
    REQUIRE(u[0] > 0.0);
    REQUIRE(u[0] < 1.0);
    su += u[0] + u[1];
    const auto z = normal2(1, Stream::kStepNoise, static_cast<std::uint64_t>(i), 0);
    for (double v : z) {
      s1 += v;
      s2 += v * v;
      s4 += v * v * v * v;
    }
    corr += z[0] * z[1];
  }
  const double m = 2.0 * n;
  CHECK(std::abs(su / m - 0.5) < 4 * std::sqrt(1.0 / 12.0 / m));
  CHECK(std::abs(s1 / m) < 4 / std::sqrt(m));
  CHECK(std::abs(s2 / m - 1.0) < 4 * std::sqrt(2.0 / m));
  CHECK(std::abs(s4 / m - 3.0) < 4 * std::sqrt(96.0 / m));
  CHECK(std::abs(corr / n) < 4 / std::sqrt(static_cast<double>(n)));
}
