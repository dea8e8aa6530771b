#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "hbar/view/edge_marks.hpp"

using namespace hbar;

TEST_CASE("edge marks: each particle outside is counted once, where the ray from the centre leaves the box") {
  const Box box{-1, 3, -2, 2};  // centre (1, 0), half extents 2 and 2
  Points p(7, 2);
  p << 1, 0,     // inside
      3, 2,      // on the corner: inside (closed box)
      5, 0,      // right, through (3, 0): bin of y = 0 -> the middle of the right side
      1, -10,    // below, through (1, -2): the middle of the bottom
      -9, 1.9,   // left: the ray from (1, 0) crosses x = -1 at y = 0.38
      2, 9,      // top: crosses y = 2 at x = 1 + 1 * 2 / 9
      std::numeric_limits<double>::quiet_NaN(), 0;  // not finite: not looked at
  const EdgeMarks m = edge_marks(p, box);
  CHECK(m.total == 6);
  CHECK(m.outside == 4);
  CHECK(std::accumulate(m.count.begin(), m.count.end(), 0) == 4);
  const int K = EdgeMarks::kBins;
  const auto bin = [&](double u) { return static_cast<int>(u * K); };
  CHECK(m.count[static_cast<std::size_t>(1 * K + bin(0.5))] == 1);                        // right, y = 0
  CHECK(m.count[static_cast<std::size_t>(0 * K + bin(0.5))] == 1);                        // bottom, x = 1
  CHECK(m.count[static_cast<std::size_t>(3 * K + bin((0.38 + 2) / 4))] == 1);             // left, y = 0.38
  CHECK(m.count[static_cast<std::size_t>(2 * K + bin((1 + 2.0 / 9 + 1) / 4))] == 1);      // top
}

TEST_CASE("edge marks: a uniform ring around the box marks every side, in proportion to its angle") {
  // Points on a circle of radius 10 around the centre of a square: every one outside, and
  // the four sides take a quarter each (the rays through a side span 90 degrees).
  const Box box{-1, 1, -1, 1};
  const int n = 4000;
  Points p(n, 2);
  for (int i = 0; i < n; ++i) {
    const double a = 2 * M_PI * (i + 0.5) / n;
    p(i, 0) = 10 * std::cos(a), p(i, 1) = 10 * std::sin(a);
  }
  const EdgeMarks m = edge_marks(p, box);
  CHECK(m.outside == n);
  const int K = EdgeMarks::kBins;
  for (int s = 0; s < 4; ++s) {
    int side = 0;
    for (int k = 0; k < K; ++k) side += m.count[static_cast<std::size_t>(s * K + k)];
    CHECK(side == n / 4);
    // Along a side the ray's crossing is tan(angle): the middle bins get the most.
    CHECK(m.count[static_cast<std::size_t>(s * K + K / 2)] > m.count[static_cast<std::size_t>(s * K)]);
  }
}
