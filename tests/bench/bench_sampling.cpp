// Sampling benchmarks (issue 2): 3000 particles x 1000 steps of the h-dynamics.
// Run: build/tests/bench/hbar_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include "hbar/dataset.hpp"
#include "hbar/dynamics.hpp"
#include "hbar/mixture_score.hpp"
#include "hbar/score.hpp"

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
