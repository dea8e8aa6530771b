// Learned-score benchmarks (issue: learned score): Adam steps of the paper's network
// at batch 512, and sampling 3000 particles × 1000 steps with it.
#include <benchmark/benchmark.h>

#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/score/learned_score.hpp"
#include "hbar/training/train.hpp"

using namespace hbar;

static void BM_TrainStep(benchmark::State& state) {
  TrainConfig c;
  c.shape = {static_cast<int>(state.range(0)), 3};
  c.batch = 512;
  ScoreTrainer tr(make_dataset("gauss25", 3000, 0), Schedule::simple(), c);
  for (int k = 0; k < 20; ++k) tr.step();  // warm up
  for (auto _ : state) benchmark::DoNotOptimize(tr.step());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TrainStep)->Arg(128)->Unit(benchmark::kMillisecond)->UseRealTime();

static void BM_LearnedSampling(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const LearnedScore score(Mlp(MlpShape{128, 3}, 1), s, ModelInfo{});
  SamplerConfig c;
  c.h = 1.0;
  c.n = static_cast<std::size_t>(state.range(0));
  c.steps = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(sample_reverse(score, s, c).samples.sum());
}
BENCHMARK(BM_LearnedSampling)->Args({3000, 1000})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
