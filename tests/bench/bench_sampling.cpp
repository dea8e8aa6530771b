// Sampling benchmarks (issue 2): 3000 particles x 1000 steps of the h-dynamics.
// Run: build/tests/bench/hbar_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include "hbar/view/spacetime.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/score/score_grid.hpp"
#include "hbar/transport/transport.hpp"
#include "hbar/score/score.hpp"

using namespace hbar;

namespace {

void run_sampler(benchmark::State& state, const ScoreModel& score, const Schedule& s) {
  SamplerConfig c;
  c.n = static_cast<std::size_t>(state.range(0));
  c.steps = static_cast<int>(state.range(1));
  c.h = 1.0;
  c.seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(sample_reverse(score, s, c).samples.data());
  state.counters["particle_steps/s"] =
      benchmark::Counter(static_cast<double>(c.n) * c.steps, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_SampleGauss25Exact(benchmark::State& state) {
  const auto s = Schedule::simple();
  const auto law = *mixture_law("gauss25");
  const MixtureScore score(law.centres, law.std, s);
  run_sampler(state, score, s);
}

void BM_SampleSwissRollEmpirical(benchmark::State& state) {
  const auto s = Schedule::simple();
  const MixtureScore score(make_dataset("swissroll", 3000, 0), 0.0, s);
  run_sampler(state, score, s);
}

// One score evaluation of 3000 points against the 3000-point empirical law, by t.
void BM_EmpiricalScore(benchmark::State& state) {
  const auto s = Schedule::simple();
  const MixtureScore score(make_dataset("swissroll", 3000, 0), 0.0, s);
  const double t = static_cast<double>(state.range(0)) / 1000.0;
  Points x(3000, 2);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const auto z = normal2(3, Stream::kPrior, static_cast<std::uint64_t>(i), 0);
    x.row(i) << s.alpha(t) * 0.3 + s.sigma(t) * z[0], s.sigma(t) * z[1];
  }
  Points out(3000, 2);
  for (auto _ : state) {
    score.score(x, t, out);
    benchmark::DoNotOptimize(out.data());
  }
}

}  // namespace

BENCHMARK(BM_SampleGauss25Exact)->Args({3000, 1000})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SampleSwissRollEmpirical)->Args({3000, 1000})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_EmpiricalScore)->Arg(10)->Arg(50)->Arg(200)->Arg(600)->Arg(1000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

// The h slider's preview: 2000 particles × 500 steps through the cached score,
// with the shared noise table, stride-1 trajectories and recorded action (what
// the app does on every h change), and the exact run it is refined by.
namespace {
struct PreviewScene {
  Schedule s = Schedule::simple();
  std::shared_ptr<const MixtureScore> exact =
      std::make_shared<MixtureScore>(make_dataset("swissroll", 2000, 0), 0.0, s);
  NoiseTable noise{1, 2000, 500};
  ScoreGrid cache{exact, Box{-4.5, 4.5, -4.5, 4.5}, 161, 161, ScoreGrid::step_times(s, 500, 5)};
  SamplerConfig config(double h) const {
    SamplerConfig c;
    c.h = h;
    c.n = 2000;
    c.steps = 500;
    c.seed = 1;
    c.stride = 1;
    c.record_action = true;
    c.noise = &noise;
    return c;
  }
};
const PreviewScene& preview_scene() {
  static const PreviewScene p;
  return p;
}

void BM_PreviewFromCache(benchmark::State& state) {
  const auto& p = preview_scene();
  double h = 0.5;
  for (auto _ : state) {
    h = h == 0.5 ? 0.51 : 0.5;  // a new h each time, as when dragging
    benchmark::DoNotOptimize(sample_reverse(p.cache, p.s, p.config(h)).samples.data());
  }
}

void BM_PreviewExactRefine(benchmark::State& state) {
  const auto& p = preview_scene();
  for (auto _ : state) benchmark::DoNotOptimize(sample_reverse(*p.exact, p.s, p.config(0.5)).samples.data());
}

void BM_BuildScoreCache(benchmark::State& state) {
  const auto& p = preview_scene();
  for (auto _ : state) {
    ScoreGrid g(p.exact, Box{-4.5, 4.5, -4.5, 4.5}, 161, 161, ScoreGrid::step_times(p.s, 500, 5));
    benchmark::DoNotOptimize(g.bytes());
  }
}
}  // namespace

BENCHMARK(BM_PreviewFromCache)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PreviewExactRefine)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_BuildScoreCache)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

// Exact W2 between two 3000-point clouds (the paper's sweep size): generated-like
// samples (a noisy Swiss roll) against a held-out draw.
namespace {
void BM_ExactW2(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Points a = make_dataset("swissroll", static_cast<std::size_t>(n), 1);
  const Points b = make_heldout("swissroll", static_cast<std::size_t>(n), 1);
  W2Result r;
  for (auto _ : state) r = exact_w2(a, b);
  state.counters["solves"] = r.rounds;
  state.counters["arcs"] = static_cast<double>(r.arcs);
}
}  // namespace
BENCHMARK(BM_ExactW2)->Arg(1000)->Arg(3000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The space-time canvas's density (the app's 240 × 200 grid): 2000 Swiss-roll points
// projected, per column binned or point by point by σ(t). Arg: data points.
static void BM_SpaceTimeDensity(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const Points data = make_dataset("swissroll", static_cast<std::size_t>(state.range(0)), 0);
  const Box box{s.t_min(), s.t_max(), -3.5, 3.5};
  for (auto _ : state)
    benchmark::DoNotOptimize(projected_log_density(data, s, direction_at(30), box, 240, 200).values.data());
}
BENCHMARK(BM_SpaceTimeDensity)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)
    ->ReportAggregatesOnly(true);

// The space-time canvas's projection of the run on screen (UI thread, once per new run):
// 2000 particles × 501 frames to (t, u·x).
static void BM_SpaceTimePaths(benchmark::State& state) {
  Trajectories tr;
  const Points x = make_dataset("swissroll", 2000, 0);
  for (int f = 0; f <= 500; ++f) {
    tr.steps.push_back(f);
    tr.times.push_back(1.0 - f / 500.0);
    tr.frames.push_back(x);
  }
  for (auto _ : state) benchmark::DoNotOptimize(spacetime_paths(tr, direction_at(30)).frames.back().data());
}
BENCHMARK(BM_SpaceTimePaths)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
