// Likelihood benchmarks (issue: metrics): zeroth-order NLL and the WKB coefficient C
// for 1000 points, exact against finite differences, and one Fokker–Planck solve.
#include <benchmark/benchmark.h>

#include "hbar/data/dataset.hpp"
#include "hbar/likelihood/fokker_planck.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/likelihood/wkb_time.hpp"

using namespace hbar;

namespace {
std::shared_ptr<const ScoreModel> biased_gauss25(const Schedule& s) {
  return std::make_shared<BiasedScore>(make_exact_score("gauss25", Points(), s), 0.2);
}
}  // namespace

// Zeroth order (PF ODE with the exact divergence), gauss25 biased score, SIMPLE.
static void BM_Nll0(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = biased_gauss25(s);
  const Points x = make_heldout("gauss25", static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(likelihood(*model, s, x, FirstOrder::kNone, {}).logq0.sum());
}
BENCHMARK(BM_Nll0)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same on the empirical Swiss roll score (3000 components).
static void BM_Nll0SwissRoll(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = make_exact_score("", make_dataset("swissroll", 3000, 0), s);
  const Points x = make_heldout("swissroll", static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(likelihood(*model, s, x, FirstOrder::kNone, {}).logq0.sum());
}
BENCHMARK(BM_Nll0SwissRoll)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// First order C: exact two-pass method (1000 points) and the paper's finite
// differences (fewer points: it is ~1000 times slower; compare per point).
static void BM_FirstOrderExact(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = biased_gauss25(s);
  const Points x = make_heldout("gauss25", static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(likelihood(*model, s, x, FirstOrder::kExact, {}).c.sum());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FirstOrderExact)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// c(x0, t) kept (SCIENCE.md §11) for 200 held-out points, as the app's NLL task does:
// Arg 0 = C alone, 1 = with c(t) traces, 2 = traces and the c̄(t) curve (adaptive grid).
static void BM_CofT(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = biased_gauss25(s);
  const Points x = make_heldout("gauss25", 200, 1);
  LikelihoodConfig cfg;
  cfg.keep_c = state.range(0) > 0;
  for (auto _ : state) {
    const LikelihoodResult r = likelihood(*model, s, x, FirstOrder::kExact, cfg);
    if (state.range(0) == 2) benchmark::DoNotOptimize(c_mean_curve(r.c_traces).trapezoid());
    benchmark::DoNotOptimize(r.c.sum());
  }
}
BENCHMARK(BM_CofT)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)
    ->ReportAggregatesOnly(true);

static void BM_FirstOrderFiniteDifference(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = biased_gauss25(s);
  const Points x = make_heldout("gauss25", static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state)
    benchmark::DoNotOptimize(likelihood(*model, s, x, FirstOrder::kFiniteDifference, {}).c.sum());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FirstOrderFiniteDifference)->Arg(20)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// One Fokker–Planck solve (gauss25 biased, 320² cells) for one h and for three h at once.
static void BM_FokkerPlanck(benchmark::State& state) {
  const Schedule s = Schedule::simple();
  const auto model = biased_gauss25(s);
  const Points x = make_heldout("gauss25", 100, 1);
  FokkerPlanckConfig c;
  c.cells = 320;
  c.data_radius = 1.5;
  std::vector<double> hs = {0.1};
  if (state.range(0) == 3) hs = {0.0, 0.05, 0.1};
  for (auto _ : state) benchmark::DoNotOptimize(solve_fokker_planck(*model, s, hs, x, c).logq.sum());
}
BENCHMARK(BM_FokkerPlanck)->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
