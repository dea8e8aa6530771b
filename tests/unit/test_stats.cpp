// mean ± s.e. (the one definition), the app's heat maps as core computes them, the
// sweep's sliced figures and held-out draws, and a paused worker.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/view/heatmap.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/base/stats.hpp"
#include "hbar/transport/sweep.hpp"
#include "hbar/transport/transport.hpp"

using namespace hbar;

TEST_CASE("mean_sem: hand-computed values") {
  const MeanSem s = mean_sem(std::vector<double>{1, 2, 3, 4});
  CHECK(s.n == 4);
  CHECK(s.mean == 2.5);
  CHECK(s.std == doctest::Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));  // Σ(x − 2.5)² = 5, n − 1 = 3
  CHECK(s.sem == doctest::Approx(std::sqrt(5.0 / 3.0) / 2).epsilon(1e-15));
  const MeanSem one = mean_sem(std::vector<double>{7});
  CHECK(one.mean == 7);
  CHECK(one.std == 0);
  CHECK(mean_sem(std::vector<double>{}).n == 0);
  Eigen::VectorXd v(3);
  v << -1, 0, 4;
  CHECK(mean_sem(v).mean == 1);
  CHECK(mean_sem(v).std == doctest::Approx(std::sqrt(14.0 / 2.0)).epsilon(1e-15));  // (−2)² + (−1)² + 3² = 14
}

TEST_CASE("heat colour ranges: the top 30 nats of a log density, the 2nd–98th percentile of C") {
  Grid g(Box{0, 1, 0, 1}, 10, 10);
  for (int k = 0; k < 100; ++k) g.values[static_cast<std::size_t>(k)] = -k;  // 0 … −99
  auto [lo, hi] = heat_colour_range(HeatKind::kLogDensity, g);
  CHECK(hi == 0);
  CHECK(lo == -kLogDensitySpan);
  std::tie(lo, hi) = heat_colour_range(HeatKind::kPathAction, g);
  CHECK(lo == -99);
  for (int k = 0; k < 100; ++k) g.values[static_cast<std::size_t>(k)] = k;  // 0 … 99
  g.values[5] = NAN;                                                       // 99 finite values left
  std::tie(lo, hi) = heat_colour_range(HeatKind::kWkbC, g);
  // Sorted finite values v[0..98] = 0..4, 6..99: v[⌊99 · 0.02⌋ = 1] = 1, v[⌊99 · 0.98⌋ = 97] = 98.
  CHECK(lo == 1);
  CHECK(hi == 98);
  // Rows follow the view's aspect, clamped.
  CHECK(heat_grid_size(HeatKind::kPathAction, Box{0, 2, 0, 1}) == std::pair{kHeatColumns, kHeatColumns / 2});
  CHECK(heat_grid_size(HeatKind::kLogQ0, Box{0, 100, 0, 1}) == std::pair{kHeatOdeColumns, kHeatOdeMinRows});
}

TEST_CASE("compute_heat_map: the path action equals the grid function, and the colours cover it") {
  const Schedule s = Schedule::simple();
  const auto exact = std::make_shared<MixtureScore>(make_dataset("gauss8", 200, 0), 0.0, s);
  SamplerConfig c;
  c.h = 0.5;
  c.n = 200;
  c.steps = 50;
  c.stride = 1;
  c.record_action = true;
  const SampleResult r = sample_reverse(*exact, s, c);
  HeatInputs in;
  in.score = exact.get();
  in.exact = exact.get();
  in.schedule = &s;
  in.run = &r;
  const Box view{-4, 4, -3, 3};
  const HeatMap m = compute_heat_map(HeatKind::kPathAction, in, view, 0.5, 30, Colormap::kMagma);
  const auto [nx, ny] = heat_grid_size(HeatKind::kPathAction, view);
  const Grid direct = path_action_density(r.trajectories, r.action_increments, 200, 0, 30, view, nx, ny);
  CHECK(m.grid.values == direct.values);
  CHECK(m.rgba.size() == static_cast<std::size_t>(nx) * ny * 4);
  CHECK(std::pair{m.lo, m.hi} == direct.range());
  // A forward run has no action: the map is empty (NaN), not a picture of nothing.
  in.forward = true;
  const HeatMap f = compute_heat_map(HeatKind::kEndpointAction, in, view, 0.5, 30, Colormap::kMagma);
  CHECK(std::count_if(f.grid.values.begin(), f.grid.values.end(), [](double v) { return !std::isnan(v); }) == 0);
  CHECK_FALSE(f.grid.values.empty());
}

TEST_CASE("w2_sweep: sliced figures of the same samples, rows as they finish, held-out draw k") {
  const Schedule s = Schedule::simple();
  const auto score = make_exact_score("gauss25", make_dataset("gauss25", 100, 0), s);
  SweepConfig cfg;
  cfg.h = {0.0, 1.0};
  cfg.trials = 2;
  cfg.n = 150;
  cfg.steps = 40;
  cfg.seed = 5;
  cfg.sliced_too = true;
  const auto heldout = sweep_heldout("gauss25", cfg.n, 2);
  CHECK(heldout(1) == make_heldout("gauss25", 150, 3));  // data seed + k
  std::vector<double> seen;
  const auto rows = w2_sweep(*score, s, cfg, heldout, nullptr, [&](const SweepRow& r) { seen.push_back(r.w2_mean); });
  REQUIRE(seen.size() == 2);
  CHECK(seen[1] == rows[1].w2_mean);
  for (const SweepRow& row : rows)
    for (int k = 0; k < cfg.trials; ++k) {
      SamplerConfig sc;
      sc.h = row.h;
      sc.n = cfg.n;
      sc.steps = cfg.steps;
      sc.seed = cfg.seed + static_cast<std::uint64_t>(k);
      const Points gen = sample_reverse(*score, s, sc).samples;  // trial k: seed + k
      const auto i = static_cast<std::size_t>(k);
      CHECK(row.sliced[i] == sliced_w2_lower_bound(gen, heldout(k)));
      CHECK(row.w2[i] == exact_w2(gen, heldout(k)).w2);
      CHECK(row.sliced[i] <= row.w2[i] + 1e-12);
    }
  const Points fixed = make_dataset("moons", 10, 1);
  CHECK(sweep_heldout("ignored", 5, 0, fixed)(3) == fixed);
}

TEST_CASE("a paused worker waits at its check, and cancel and a parent's pause reach it") {
  Progress parent, child;
  child.parent = &parent;
  CHECK_FALSE(child.cancelled());
  parent.paused = true;
  std::atomic<int> state{0};  // 0 waiting, 1 went on, 2 saw cancel
  std::thread worker([&] { state = child.cancelled() ? 2 : 1; });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(state == 0);  // still waiting at its check
  parent.paused = false;
  worker.join();
  CHECK(state == 1);
  child.paused = true;
  std::thread second([&] { state = child.cancelled() ? 2 : 1; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  parent.cancel = true;  // a cancel ends the wait
  second.join();
  CHECK(state == 2);
}
