#include "hbar/transport/sweep.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <exception>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/base/stats.hpp"
#include "hbar/transport/transport.hpp"

namespace hbar {
namespace {
void summarise(const std::vector<double>& v, double& mean, double& sd, double& sem) {
  const MeanSem s = mean_sem(v);
  mean = s.mean;
  sd = s.std;
  sem = s.sem;
}

// body(k) for k = 0 … trials − 1 side by side on nt threads; the first exception is
// rethrown after all have run.
template <class Body>
void parallel_trials(int trials, int nt, Body&& body) {
  std::exception_ptr error;
  std::mutex error_mutex;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (int k = 0; k < trials; ++k) {
    try {
      body(k);
    } catch (...) {
      // A std::mutex, not `omp critical`: under ThreadSanitizer with LLVM's OpenMP the
      // named critical section crashed in __kmpc_end_critical (found by the TSan pass).
      const std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace

std::vector<double> parse_h_range(const std::string& spec) {
  const auto c1 = spec.find(':');
  std::vector<double> out;
  if (c1 == std::string::npos) {
    out.push_back(parse_spec_number(spec, spec));
  } else {
    const auto c2 = spec.find(':', c1 + 1);
    if (c2 == std::string::npos || spec.find(':', c2 + 1) != std::string::npos)
      throw std::invalid_argument("'" + spec + "': expected START:STOP:COUNT");
    const double a = parse_spec_number(spec.substr(0, c1), spec);
    const double b = parse_spec_number(spec.substr(c1 + 1, c2 - c1 - 1), spec);
    const double k = parse_spec_number(spec.substr(c2 + 1), spec);
    if (k < 1 || k != std::floor(k) || k > 10000)
      throw std::invalid_argument("'" + spec + "': COUNT must be a whole number from 1 to 10000");
    const int count = static_cast<int>(k);
    for (int i = 0; i < count; ++i) out.push_back(count == 1 ? a : a + (b - a) * i / (count - 1));
  }
  for (double h : out)
    if (h < 0) throw std::invalid_argument("'" + spec + "': h must be >= 0");
  return out;
}

std::vector<SweepRow> w2_sweep(const ScoreModel& model, const Schedule& schedule, const SweepConfig& cfg,
                               const std::function<Points(int)>& heldout, Progress* progress,
                               const std::function<void(const SweepRow&)>& on_row) {
  if (cfg.trials < 1) throw std::invalid_argument("trials must be >= 1");
  std::vector<Points> ref(static_cast<std::size_t>(cfg.trials));
  for (int k = 0; k < cfg.trials; ++k) ref[static_cast<std::size_t>(k)] = heldout(k);
  const int nt = cfg.threads > 0 ? cfg.threads : omp_get_max_threads();
  std::vector<SweepRow> rows;
  const double total = static_cast<double>(cfg.h.size()) * cfg.trials;
  double done = 0;
  for (double h : cfg.h) {
    SweepRow row;
    row.h = h;
    row.w2.resize(static_cast<std::size_t>(cfg.trials));
    row.w2sq.resize(static_cast<std::size_t>(cfg.trials));
    if (cfg.sliced_too) row.sliced.resize(static_cast<std::size_t>(cfg.trials));
    // Sampling runs its particles in parallel; the W2 solves of a row run side by side.
    std::vector<Points> gen(static_cast<std::size_t>(cfg.trials));
    for (int k = 0; k < cfg.trials; ++k) {
      if (progress && progress->cancelled()) throw Cancelled();
      SamplerConfig sc;
      sc.h = h;
      if (cfg.shape.kind() != HScheduleKind::kConstant) sc.h_of_t = cfg.shape.with_height(h);
      sc.n = cfg.n;
      sc.steps = cfg.steps;
      sc.seed = cfg.seed + static_cast<std::uint64_t>(k);
      sc.threads = cfg.threads;
      Progress step;  // cancel and pause reach the sampling; its fraction stays its own
      step.parent = progress;
      SampleResult run = sample_reverse(model, schedule, sc, progress ? &step : nullptr);
      if (const std::string bad = run.nonfinite_message(cfg.steps); !bad.empty())
      {
        char at[64];
        std::snprintf(at, sizeof at, "h = %g, trial %d: ", h, k);
        throw std::runtime_error(at + bad + " (the dynamics blew up); no W2 of it");
      }
      const HSchedule hk = sc.h_of_t ? *sc.h_of_t : HSchedule::constant(h);
      if (const std::string far = find_divergence(run, ref[static_cast<std::size_t>(k)], model, schedule, hk, cfg.steps).refusal;
          !far.empty()) {
        char at[64];
        std::snprintf(at, sizeof at, "h = %g, trial %d: ", h, k);
        throw std::runtime_error(at + far);
      }
      gen[static_cast<std::size_t>(k)] = std::move(run.samples);
      done += 0.5;
      if (progress) progress->fraction.store(done / total);
    }
    parallel_trials(cfg.trials, nt, [&](int k) {
        const auto i = static_cast<std::size_t>(k);
        if (cfg.method == W2Method::kExact) {
          Progress step;
          step.parent = progress;
          const W2Result r = exact_w2(gen[i], ref[i], progress ? &step : nullptr);
          row.w2[i] = r.w2;
          row.w2sq[i] = r.w2sq;
        } else {
          // 2 · SW2² ≤ W2² in 2-D: the sliced figures are lower bounds on W2's scale.
          row.w2sq[i] = 2.0 * sliced_w2sq(gen[i], ref[i]);
          row.w2[i] = std::sqrt(row.w2sq[i]);
        }
        if (cfg.sliced_too) row.sliced[i] = sliced_w2_lower_bound(gen[i], ref[i]);
    });
    done += 0.5 * cfg.trials;
    if (progress) progress->fraction.store(done / total);
    summarise(row.w2, row.w2_mean, row.w2_std, row.w2_sem);
    summarise(row.w2sq, row.w2sq_mean, row.w2sq_std, row.w2sq_sem);
    if (cfg.sliced_too) {
      const MeanSem s = mean_sem(row.sliced);
      row.sliced_mean = s.mean;
      row.sliced_sem = s.sem;
    }
    if (on_row) on_row(row);
    rows.push_back(std::move(row));
  }
  return rows;
}

int steps_for_nfe(const SamplerConfig& c, long nfe) {
  SamplerConfig k = c;
  int best = 0;
  // sampler_nfe grows with N: a binary search over 1 … 10⁶.
  int lo = 1, hi = 1000000;
  while (lo <= hi) {
    const int mid = lo + (hi - lo) / 2;
    k.steps = mid;
    if (sampler_nfe(k) <= nfe) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // Restart with fewer than 3 points has no interval to walk: not Restart.
  if (c.integrator == Integrator::kRestart && best < 3) return 0;
  return best;
}

std::string sampler_label(const SamplerConfig& c) {
  const SamplerConfig d;
  std::string out = sampler_name(c.integrator);
  char buf[64];
  const auto add = [&](const char* key, double v, double dv) {
    if (v == dv) return;
    std::snprintf(buf, sizeof buf, " %s=%g", key, v);
    out += buf;
  };
  switch (c.integrator) {
    case Integrator::kEulerMaruyama: add("h", c.h, -1); break;
    case Integrator::kHeun: break;
    case Integrator::kDdim: add("eta", c.eta, -1); break;
    case Integrator::kEdm:
      add("churn", c.churn, d.churn);
      add("smin", c.s_tmin, d.s_tmin);
      add("smax", c.s_tmax, d.s_tmax);
      add("snoise", c.s_noise, d.s_noise);
      add("rho", c.rho, d.rho);
      break;
    case Integrator::kRestart:
      add("ra", c.restart_min, d.restart_min);
      add("rb", c.restart_max, d.restart_max);
      add("k", c.restart_repeats, d.restart_repeats);
      add("m", c.restart_steps, d.restart_steps);
      add("rho", c.rho, d.rho);
      break;
  }
  return out;
}

std::vector<SamplerSweepRow> sampler_sweep(const ScoreModel& model, const Schedule& schedule,
                                           const SamplerSweepConfig& cfg, const std::function<Points(int)>& heldout,
                                           Progress* progress, const std::function<void(const SamplerSweepRow&)>& on_row) {
  if (cfg.trials < 1) throw std::invalid_argument("trials must be >= 1");
  std::vector<Points> ref(static_cast<std::size_t>(cfg.trials));
  for (int k = 0; k < cfg.trials; ++k) ref[static_cast<std::size_t>(k)] = heldout(k);
  const int nt = cfg.threads > 0 ? cfg.threads : omp_get_max_threads();
  std::vector<SamplerSweepRow> rows;
  const double total = static_cast<double>(cfg.samplers.size() * cfg.nfe.size()) * cfg.trials;
  double done = 0;
  for (const SamplerConfig& base : cfg.samplers)
    for (long budget : cfg.nfe) {
      SamplerSweepRow row;
      row.sampler = sampler_label(base);
      row.nfe_budget = budget;
      SamplerConfig sc = base;
      sc.n = cfg.n;
      sc.threads = cfg.threads;
      sc.stride = 0;
      sc.record_action = false;
      row.steps = sc.steps = steps_for_nfe(base, budget);
      const EquivalentH eh = row.steps > 0 ? equivalent_h(schedule, sc) : EquivalentH{};
      if (eh.none.empty() && !eh.points.empty()) {
        double sum = 0;
        for (const auto& p : eh.points) sum += p.second;
        row.h_mean = sum / static_cast<double>(eh.points.size());
      } else {
        row.h_mean = std::nan("");
        row.note = eh.none;
      }
      if (row.steps == 0) {
        row.note = "the budget is below this sampler's least";
        row.w2_mean = row.w2_sem = std::nan("");
        done += cfg.trials;
        if (on_row) on_row(row);
        rows.push_back(std::move(row));
        continue;
      }
      row.nfe = sampler_nfe(sc);
      std::vector<Points> gen(static_cast<std::size_t>(cfg.trials));
      for (int k = 0; k < cfg.trials; ++k) {
        if (progress && progress->cancelled()) throw Cancelled();
        sc.seed = cfg.seed + static_cast<std::uint64_t>(k);
        Progress step;
        step.parent = progress;
        const auto t0 = std::chrono::steady_clock::now();
        SampleResult run = sample_reverse(model, schedule, sc, progress ? &step : nullptr);
        row.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / cfg.trials;
        if (const std::string bad = run.nonfinite_message(sc.steps); !bad.empty())
          throw std::runtime_error(row.sampler + " at " + std::to_string(budget) + " evaluations, trial " +
                                   std::to_string(k) + ": " + bad + " (the sampler blew up); no W2 of it");
        gen[static_cast<std::size_t>(k)] = std::move(run.samples);
        done += 0.5;
        if (progress) progress->fraction.store(done / total);
      }
      row.w2.resize(static_cast<std::size_t>(cfg.trials));
      parallel_trials(cfg.trials, nt, [&](int k) {
        const auto i = static_cast<std::size_t>(k);
        Progress step;
        step.parent = progress;
        row.w2[i] = exact_w2(gen[i], ref[i], progress ? &step : nullptr).w2;
      });
      done += 0.5 * cfg.trials;
      if (progress) progress->fraction.store(done / total);
      double sd = 0;
      summarise(row.w2, row.w2_mean, sd, row.w2_sem);
      if (on_row) on_row(row);
      rows.push_back(std::move(row));
    }
  return rows;
}

std::function<Points(int)> sweep_heldout(const std::string& name, std::size_t n, std::uint64_t data_seed,
                                         Points fixed) {
  if (fixed.rows() > 0) return [fixed = std::move(fixed)](int) { return fixed; };
  return [name, n, data_seed](int k) { return make_heldout(name, n, data_seed + static_cast<std::uint64_t>(k)); };
}

}  // namespace hbar
