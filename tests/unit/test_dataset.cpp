#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "hbar/data/dataset.hpp"
#include "hbar/base/moments.hpp"

using namespace hbar;

TEST_CASE("every built-in set is seeded, sized and finite, and held-out differs") {
  for (auto name : dataset_names()) {
    CAPTURE(name);
    const Points a = make_dataset(name, 1000, 5);
    CHECK(a.rows() == 1000);
    CHECK(a.allFinite());
    CHECK(a == make_dataset(name, 1000, 5));
    CHECK(a != make_dataset(name, 1000, 6));
    CHECK(a != make_heldout(name, 1000, 5));
    // Roughly unit scale, so that N(0, I) at T_max is a sensible prior.
    CHECK(a.cwiseAbs().maxCoeff() < 5.0);
  }
  CHECK_THROWS_AS(make_dataset("spiral", 10, 0), std::invalid_argument);
  CHECK_THROWS_AS(make_dataset("swissroll", 0, 0), std::invalid_argument);
}

TEST_CASE("swissroll follows SCIENCE.md §8") {
  // Undo the scale: x = τ cos τ + 0.5 ξ1, y = τ sin τ + 0.5 ξ2 with τ in [1.5π, 4.5π].
  // The radius r = |(x, y)| then lies within a few 0.5-sd of τ's range.
  const Points p = make_dataset("swissroll", 20000, 1) * 6.865;
  const Eigen::VectorXd r = p.rowwise().norm();
  CHECK(r.minCoeff() > 1.5 * std::numbers::pi - 2.5);
  CHECK(r.maxCoeff() < 4.5 * std::numbers::pi + 2.5);
  // τ uniform on [1.5π, 4.5π]: the mean radius is ≈ 3π (noise adds O(0.5²/τ)).
  CHECK(r.mean() == doctest::Approx(3.0 * std::numbers::pi).epsilon(0.01));
}

TEST_CASE("gauss25: balanced modes, std 0.05/2.828, centres (2i, 2j)/2.828") {
  const std::size_t n = 25 * 400;
  const Points p = make_dataset("gauss25", n, 3);
  const auto law = *mixture_law("gauss25");
  CHECK(law.centres.rows() == 25);
  CHECK(law.std == doctest::Approx(0.05 / 2.828));
  std::vector<int> count(25, 0);
  double ss = 0;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    Eigen::Index k;
    (law.centres.rowwise() - p.row(i)).rowwise().squaredNorm().minCoeff(&k);
    ++count[static_cast<std::size_t>(k)];
    ss += (p.row(i) - law.centres.row(k)).squaredNorm();
  }
  for (int c : count) CHECK(c == 400);  // n/25 points each, exactly
  // Pooled variance per coordinate, 2n draws: relative SE sqrt(2/(2n)) = 1%.
  CHECK(ss / (2.0 * n) == doctest::Approx(law.std * law.std).epsilon(0.04));
}

TEST_CASE("gaussian set matches its law") {
  const std::size_t n = 100000;
  const Points p = make_dataset("gaussian", n, 9);
  const auto law = *gaussian_law("gaussian");
  const Vec2 m = mean_of(p);
  const Mat2 c = cov_of(p);
  for (int i = 0; i < 2; ++i) {
    CHECK(std::abs(m[i] - law.mean[i]) < 4 * std::sqrt(law.cov(i, i) / n));
    for (int j = 0; j < 2; ++j) {
      const double se = std::sqrt((law.cov(i, i) * law.cov(j, j) + law.cov(i, j) * law.cov(i, j)) / n);
      CHECK(std::abs(c(i, j) - law.cov(i, j)) < 4 * se);
    }
  }
}
