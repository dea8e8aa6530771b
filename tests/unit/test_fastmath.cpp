#include <doctest/doctest.h>

#include <cmath>

#include "hbar/base/fastmath.hpp"

using namespace hbar;

TEST_CASE("exp_nonpositive agrees with std::exp to a few ulps on [-708, 0]") {
  double worst = 0;
  for (double x = -708.0; x <= 0.0; x += 0.000731) {
    const double ref = std::exp(x);
    worst = std::max(worst, std::abs(exp_nonpositive(x) - ref) / ref);
  }
  CHECK(worst < 3e-16);
  CHECK(exp_nonpositive(0.0) == 1.0);
  const V4d v = {-1.0, -0.5, -30.0, -700.0};
  const V4d e = exp_nonpositive(v);
  for (int l = 0; l < 4; ++l) CHECK(e[l] == doctest::Approx(std::exp(v[l])).epsilon(1e-15));
}
