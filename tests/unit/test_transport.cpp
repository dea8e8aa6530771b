#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "hbar/data/dataset.hpp"
#include "hbar/base/rng.hpp"
#include "hbar/transport/transport.hpp"

using namespace hbar;

namespace {
Points cloud(int n, std::uint64_t seed, double sx = 1, double sy = 1, double mx = 0, double my = 0) {
  Points p(n, 2);
  for (int i = 0; i < n; ++i) {
    const auto z = normal2(seed, Stream::kData, static_cast<std::uint64_t>(i), 0);
    p.row(i) << mx + sx * z[0], my + sy * z[1];
  }
  return p;
}
double brute_force_w2sq(const Points& a, const Points& b) {
  std::vector<int> perm(static_cast<std::size_t>(a.rows()));
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int>(i);
  double best = INFINITY;
  do {
    double c = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i) c += (a.row(i) - b.row(perm[static_cast<std::size_t>(i)])).squaredNorm();
    best = std::min(best, c / static_cast<double>(a.rows()));
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}
}  // namespace

TEST_CASE("exact W2 equals brute force over all permutations (n <= 8)") {
  for (int n : {1, 2, 5, 8})
    for (std::uint64_t seed : {1, 2, 3}) {
      CAPTURE(n);
      CAPTURE(seed);
      const Points a = cloud(n, seed), b = cloud(n, seed + 100, 1.5, 0.5, 0.3, -0.2);
      const double ref = brute_force_w2sq(a, b);
      const W2Result r = exact_w2(a, b, nullptr, 2);
      CHECK(r.w2sq == doctest::Approx(ref).epsilon(1e-9));
      CHECK(r.w2 == doctest::Approx(std::sqrt(ref)).epsilon(1e-9));
    }
}

TEST_CASE("exact W2 of a translated cloud is the shift") {
  const Points a = make_dataset("swissroll", 500, 1);
  Points b = a;
  b.col(0).array() += 0.03;
  b.col(1).array() -= 0.04;
  const W2Result r = exact_w2(a, b);
  CHECK(r.w2sq == doctest::Approx(0.0025).epsilon(1e-9));
}

TEST_CASE("exact W2 at any finite magnitude: the same plan scaled, no overflow (found: a crash from 1e155 on)") {
  // W2(c + s a, c + s b) = s W2(a, b): clouds scaled from 1e-150 to 1e300 and moved far
  // from the origin give the unit clouds' W2 times s, to rounding.
  const Points a = cloud(60, 7), b = cloud(45, 8, 1.5, 0.5, 0.3, -0.2);
  const double ref = exact_w2(a, b).w2;
  for (double s : {1e-150, 1e-3, 1.0, 1e6, 1e154, 1e155, 1e200, 1e300}) {
    CAPTURE(s);
    for (double c : {0.0, 0.5}) {
      const Points as = ((a * s).array() + c * s).matrix(), bs = ((b * s).array() + c * s).matrix();
      const W2Result r = exact_w2(as, bs);
      CHECK(r.w2 / s == doctest::Approx(ref).epsilon(1e-9));
      CHECK(exact_w2_dense(as, bs).w2 / s == doctest::Approx(ref).epsilon(1e-9));
      if (s <= 1e150) CHECK(r.w2sq / (s * s) == doctest::Approx(ref * ref).epsilon(1e-9));
    }
  }
  // The largest doubles of both signs in one cloud.
  Points wide = a;
  wide(0, 0) = 1.7e308, wide(1, 0) = -1.7e308;
  CHECK(std::isfinite(exact_w2(wide, b).w2));
  Points bad = a;
  bad(3, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(exact_w2(bad, b), "W2 of points that are not finite");
}

TEST_CASE("sparse graph with dual checks equals the complete graph, also for unequal sizes") {
  // 660 × 620 takes the coarse-to-fine path (both sides ≥ 600), the others do not.
  for (auto [na, nb] : {std::pair{300, 300}, std::pair{250, 400}, std::pair{7, 3}, std::pair{660, 620}}) {
    CAPTURE(na);
    CAPTURE(nb);
    const Points a = make_dataset("moons", static_cast<std::size_t>(na), 4);
    const Points b = make_dataset("circles", static_cast<std::size_t>(nb), 5);
    const W2Result dense = exact_w2_dense(a, b);
    const W2Result sparse = exact_w2(a, b, nullptr, 4);
    CHECK(sparse.w2sq == doctest::Approx(dense.w2sq).epsilon(1e-9));
    CHECK(sparse.arcs <= dense.arcs);
    MESSAGE(na << " x " << nb << ": " << sparse.rounds << " solves, " << sparse.arcs << " arcs (dense "
                << dense.arcs << ")");
  }
  // One point against two: all of its mass is split, W2² = mean squared distance.
  Points one(1, 2), two(2, 2);
  one << 0, 0;
  two << -1, 0, 1, 0;
  CHECK(exact_w2(one, two).w2sq == doctest::Approx(1.0));
}

TEST_CASE("two Gaussians: the closed form, within the finite-sample error") {
  // W2²(N(0, I), N(m, diag(s²))) = |m|² + Σ (1 − s_k)². Between two samples of n
  // points in 2-D the empirical W2² exceeds it by O(log n / n) (≈ 4e-3 at n = 2000),
  // and the cross terms fluctuate by O(n^-1/2) ≈ 0.02: tolerance 0.05.
  const int n = 2000;
  const Points a = cloud(n, 7), b = cloud(n, 8, 1.5, 0.7, 0.4, -0.3);
  const double closed = 0.4 * 0.4 + 0.3 * 0.3 + 0.5 * 0.5 + 0.3 * 0.3;
  const W2Result r = exact_w2(a, b);
  MESSAGE("n = 2000: W2² " << r.w2sq << " vs closed form " << closed << " (" << r.rounds << " solves)");
  CHECK(std::abs(r.w2sq - closed) < 0.05);
  // The sliced bound lies below.
  CHECK(sliced_w2_lower_bound(a, b) <= r.w2 + 1e-12);
}

TEST_CASE("a cancel reaches inside one network-simplex solve (found: the app's exit waited for a solve)") {
  // One solve on the complete graph: 500 x 500 points, 250 000 arcs, thousands of pivots.
  const Points a = cloud(500, 11), b = cloud(500, 12, 1, 2, 0.5, 0);
  // Without a cancel it completes, and the same as the sparse solver.
  Progress go;
  const W2Result full = exact_w2_dense(a, b, &go);
  CHECK(full.w2 == doctest::Approx(exact_w2(a, b).w2).epsilon(1e-9));
  // A cancel set before the solve: the dense path has no round to check between, so
  // only the check inside LEMON's pivot loop (the flow type's comparisons) can stop it.
  Progress stop;
  stop.cancel = true;
  CHECK_THROWS_AS(exact_w2_dense(a, b, &stop), Cancelled);
  CHECK_THROWS_AS(exact_w2(a, b, &stop), Cancelled);
  // The check belongs to that solve only: a later solve on this thread runs to the end.
  CHECK(exact_w2_dense(a, b).w2 == doctest::Approx(full.w2).epsilon(1e-12));
}

TEST_CASE("exact W2 of degenerate clouds (found by fuzz_w2): one point, a subnormal box") {
  Points one(1, 2), two(2, 2);
  one << 0.5, -2;
  two << 0.5, -2, 0.5, -2;
  CHECK(exact_w2(one, one).w2 == 0.0);  // used to be NaN costs, "infeasible"
  CHECK(exact_w2(one, two).w2 == 0.0);
  CHECK(exact_w2_dense(two, one).w2 == 0.0);
  // Points a subnormal distance apart: the box's half-width rounds to 0 when halved.
  Points a(1, 2), b(1, 2);
  a << 8.289046058458095e-317, 0;
  b << 0, 1.1788111017970281e-309;
  const double w2 = exact_w2(a, b).w2;
  CHECK(std::isfinite(w2));
  CHECK(w2 == doctest::Approx(std::hypot(8.289046058458095e-317, 1.1788111017970281e-309)).epsilon(1e-6));
}
