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

// One Adam step of each process's objective (SCIENCE.md §12): 0 simple (score matching),
// 1 edm (EDM's preconditioned denoiser), 2 linear (flow matching). The paper's net, batch 512.
static void BM_TrainStepObjective(benchmark::State& state) {
  const Schedule s[] = {Schedule::simple(), Schedule::edm(), Schedule::linear()};
  TrainConfig c;
  c.shape = {128, 3};
  c.batch = 512;
  ScoreTrainer tr(make_dataset("gauss25", 3000, 0), s[state.range(0)], c);
  for (auto _ : state) benchmark::DoNotOptimize(tr.step());
  state.SetLabel(s[state.range(0)].name());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TrainStepObjective)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Each sampler on the paper's network shape (SIMPLE, score output), 3000 particles, about
// 100 network evaluations (em 100 steps, heun 50, ddim 100 (η = 1), edm 50 points with churn
// 40 (99 NFE), restart 42 points and 2 walks of 4 (99 NFE)). `s_per_nfe` is the time of a
// run divided by its NFE (tests/bench/torch_samplers.py is the same in PyTorch).
static void BM_SamplerPerNfe(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const LearnedScore score(Mlp(MlpShape{128, 3}, 1), s, ModelInfo{});
  SamplerConfig c;
  c.n = 3000;
  switch (state.range(0)) {
    case 0: c.integrator = Integrator::kEulerMaruyama, c.h = 1.0, c.steps = 100; break;
    case 1: c.integrator = Integrator::kHeun, c.steps = 50; break;
    case 2: c.integrator = Integrator::kDdim, c.eta = 1.0, c.steps = 100; break;
    case 3: c.integrator = Integrator::kEdm, c.churn = 40, c.steps = 50; break;
    default: c.integrator = Integrator::kRestart, c.steps = 42; break;
  }
  const double nfe = static_cast<double>(sampler_nfe(c));
  for (auto _ : state) benchmark::DoNotOptimize(sample_reverse(score, s, c).samples.sum());
  state.SetLabel(sampler_name(c.integrator));
  state.counters["s_per_nfe"] = benchmark::Counter(nfe * static_cast<double>(state.iterations()),
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SamplerPerNfe)->DenseRange(0, 4)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(3)->ReportAggregatesOnly(true);

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
