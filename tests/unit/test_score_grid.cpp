#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/score/score_grid.hpp"

using namespace hbar;

TEST_CASE("score cache: exact at nodes and knots, bounded preview error") {
  const auto s = Schedule::simple();
  const auto law = *mixture_law("gauss25");
  auto exact = std::make_shared<MixtureScore>(law.centres, law.std, s);
  const int steps = 500;
  const auto times = ScoreGrid::step_times(s, steps, 5);
  CHECK(times.size() == 101);
  const Box box{-4, 4, -4, 4};
  const ScoreGrid cache(exact, box, 161, 161, times);
  // At a node and a knot the cache is the exact score (to float precision).
  Points node(1, 2);
  node << -4 + 8.0 * 37 / 160, -4 + 8.0 * 101 / 160;
  const double t = times[40];
  const Points a = cache.score(node, t), b = exact->score(node, t);
  CHECK((a - b).cwiseAbs().maxCoeff() <= 1e-6 * (1 + b.cwiseAbs().maxCoeff()));
  // Outside the box: exact.
  Points far(1, 2);
  far << 9, -9;
  CHECK(cache.score(far, 0.5) == exact->score(far, 0.5));

  // The preview that matters: 2000 particles × 500 steps through the cache against
  // the exact score with the same noise. Measured (this test prints it): the
  // median end-point distance, and the fraction of particles that end in another mode.
  for (double h : {0.0, 1.0}) {
    CAPTURE(h);
    SamplerConfig c;
    c.h = h;
    c.n = 2000;
    c.steps = steps;
    c.seed = 8;
    const Points pe = sample_reverse(*exact, s, c).samples;
    const Points pc = sample_reverse(cache, s, c).samples;
    Eigen::ArrayXd d = (pe - pc).rowwise().norm().array();
    std::sort(d.begin(), d.end());
    const double median = d[d.size() / 2];
    const double switched = (d > 0.3).cast<double>().mean();
    MESSAGE("h = " << h << ": preview vs exact, median end-point distance " << median << ", p90 "
                   << d[d.size() * 9 / 10] << ", ended in another mode " << 100 * switched << "%");
    CHECK(median < 0.02);
    CHECK(switched < 0.05);
  }
}
