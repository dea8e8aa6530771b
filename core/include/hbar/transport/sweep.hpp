#pragma once
// The paper's W2 sweep (Fig. 4, SCIENCE.md §7): for each h and trial, generate n
// samples with the h-dynamics and compare them with a held-out draw by W2.
// Trial k uses seed + k for every h (common random numbers across h), and the
// held-out cloud heldout(k).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hbar/process/dynamics.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

// kSliced reports sqrt(2 · SW2²) and 2 · SW2², lower bounds of W2 and W2².
enum class W2Method { kExact, kSliced };

struct SweepConfig {
  std::vector<double> h;
  // Shape of h(t): each h of the list is the height of this schedule (constant: the
  // paper's sweep; a window: h on the window and 0 elsewhere).
  HSchedule shape;
  int trials = 10;
  std::size_t n = 3000;
  int steps = 1000;
  std::uint64_t seed = 0;
  W2Method method = W2Method::kExact;
  // Also the sliced bound sqrt(2 · SW2²) of the same samples (the app plots both).
  bool sliced_too = false;
  int threads = 0;
};

struct SweepRow {
  double h = 0;
  std::vector<double> w2, w2sq;  // one per trial
  double w2_mean = 0, w2_std = 0, w2_sem = 0;
  double w2sq_mean = 0, w2sq_std = 0, w2sq_sem = 0;
  std::vector<double> sliced;          // with sliced_too: sqrt(2 · SW2²) per trial
  double sliced_mean = 0, sliced_sem = 0;
};

// linspace-style "a:b:k" (k values from a to b inclusive; k = 1 gives a) or a single
// number. Throws std::invalid_argument with the reason.
std::vector<double> parse_h_range(const std::string& spec);

// `on_row` (optional) sees each row as soon as it is complete (the app plots them).
std::vector<SweepRow> w2_sweep(const ScoreModel& model, const Schedule& schedule, const SweepConfig& cfg,
                               const std::function<Points(int trial)>& heldout, Progress* progress = nullptr,
                               const std::function<void(const SweepRow&)>& on_row = {});

// The held-out draw of trial k: `fixed` when it has rows (a file's data or an
// --eval-file), else make_heldout(name, n, data_seed + k). The CLI and the app share it.
// Quality against cost (SCIENCE.md §12): each sampler at each budget of network
// evaluations, W2 to held-out data over trials (trial k: seed + k, held-out draw k, as
// w2_sweep), the sampling time, and where the sampler sits on the h axis.
struct SamplerSweepConfig {
  std::vector<SamplerConfig> samplers;  // kind and options; n, steps, seed and threads are set per run
  std::vector<long> nfe;                // budgets: each run takes the most steps within it
  int trials = 5;
  std::size_t n = 2000;
  std::uint64_t seed = 0;
  int threads = 0;
};
struct SamplerSweepRow {
  std::string sampler;       // "edm churn=40" (name and the options that differ from the defaults)
  long nfe_budget = 0, nfe = 0;
  int steps = 0;             // 0: the budget is below the sampler's least (see note)
  std::vector<double> w2;    // one per trial
  double w2_mean = 0, w2_sem = 0;
  double seconds = 0;        // sampling time per trial (mean, wall clock)
  double h_mean = 0;         // the equivalent h(t) averaged over the grid points (NaN: none)
  std::string note;          // why no run, or what the sampler is instead of an h(t)
};
// The most steps N with sampler_nfe(N) <= nfe (0 when none: Restart needs 3 points and
// its walks).
int steps_for_nfe(const SamplerConfig& c, long nfe);
// "edm churn=40 s_noise=1.007": the sampler and its options away from their defaults.
std::string sampler_label(const SamplerConfig& c);
std::vector<SamplerSweepRow> sampler_sweep(const ScoreModel& model, const Schedule& schedule,
                                           const SamplerSweepConfig& cfg, const std::function<Points(int trial)>& heldout,
                                           Progress* progress = nullptr,
                                           const std::function<void(const SamplerSweepRow&)>& on_row = {});

std::function<Points(int trial)> sweep_heldout(const std::string& name, std::size_t n, std::uint64_t data_seed,
                                               Points fixed = Points());

}  // namespace hbar
