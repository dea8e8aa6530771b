#include "hbar/process/dynamics.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "hbar/base/memory.hpp"
#include "hbar/base/rng.hpp"

namespace hbar {
namespace {

constexpr Eigen::Index kBlock = 64;  // particles advanced together (one score call per step)

void validate(const SamplerConfig& c, bool reverse) {
  if (!(c.h >= 0.0) || !std::isfinite(c.h))
    throw std::invalid_argument("h must be a finite number >= 0, got " + std::to_string(c.h));
  if (c.h_of_t && !std::isfinite(c.h_of_t->height()))
    throw std::invalid_argument("the noise schedule h(t) must be finite");
  if (c.steps <= 0) throw std::invalid_argument("steps must be > 0");
  if (reverse && c.n == 0) throw std::invalid_argument("n must be > 0");
  if (c.stride < 0) throw std::invalid_argument("stride must be >= 0");
  if (reverse && c.noise && !c.noise->covers(c.seed, c.n, c.steps))
    throw std::invalid_argument("the noise table does not cover this run (seed, n, steps)");
  if (reverse && c.integrator == Integrator::kHeun && c.h_height() != 0.0)
    throw std::invalid_argument("the Heun integrator solves the PF ODE: it needs h = 0");
}

// Shared frame bookkeeping and the parallel loop over particle blocks.
class Runner {
 public:
  Runner(std::size_t n, const SamplerConfig& c, Progress* p, double t_first, double dt)
      : n_(static_cast<Eigen::Index>(n)), cfg_(c), progress_(p) {
    const double frames = c.stride > 0 ? static_cast<double>(kept_steps(c.steps, c.stride).size()) : 0;
    check_memory(static_cast<double>(n) * (frames * 2 * sizeof(double) + (c.record_action ? 4.0 * c.steps : 0.0)),
                 "a run of " + std::to_string(n) + " particles keeping " + std::to_string(static_cast<long>(frames)) +
                     " frames");
    if (c.stride > 0) {
      traj_.steps = kept_steps(c.steps, c.stride);
      for (int s : traj_.steps) {
        traj_.times.push_back(t_first + dt * s);
        traj_.frames.emplace_back(n_, 2);
      }
    }
    total_ = static_cast<double>((n_ + kBlock - 1) / kBlock) * c.steps;
    if (c.record_action) increments_.assign(static_cast<std::size_t>(n_) * c.steps, 0.0f);
  }

  // Stores the action increments of a block at one step.
  void record(int step, Eigen::Index begin, const Eigen::VectorXd& inc) {
    float* p = increments_.data() + static_cast<std::size_t>(step) * n_ + begin;
    for (Eigen::Index k = 0; k < inc.size(); ++k) p[k] = static_cast<float>(inc[k]);
  }

  // body(begin, count, keep) runs one block; keep(step, x) stores frames; tick()
  // reports a step and returns false when cancelled.
  template <class Body>
  SampleResult run(Body&& body) {
    SampleResult r;
    r.samples.resize(n_, 2);
    const Eigen::Index blocks = (n_ + kBlock - 1) / kBlock;
    const int threads = cfg_.threads > 0 ? cfg_.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (Eigen::Index b = 0; b < blocks; ++b) {
      const Eigen::Index begin = b * kBlock;
      const Eigen::Index count = std::min(kBlock, n_ - begin);
      Points x(count, 2);
      body(begin, count, x);
      r.samples.middleRows(begin, count) = x;
    }
    finish(r);
    return r;
  }

  // The same, step-major: each thread takes a contiguous chunk of blocks and moves all
  // of them one step before the next step, so the cached score of a time knot (a few
  // hundred kB) is reused by the whole chunk while it is in cache (3x faster than
  // block-major for the app's preview). The arithmetic of each block is unchanged.
  // init(block) starts a block; step(block, n) moves it by one step.
  template <class Block, class Init, class Step>
  SampleResult run_stepwise(Init&& init, Step&& step) {
    SampleResult r;
    r.samples.resize(n_, 2);
    const Eigen::Index blocks = (n_ + kBlock - 1) / kBlock;
    const int threads = static_cast<int>(
        std::clamp<Eigen::Index>(cfg_.threads > 0 ? cfg_.threads : omp_get_max_threads(), 1, blocks));
#pragma omp parallel num_threads(threads)
    {
      const Eigen::Index t = omp_get_thread_num(), nt = omp_get_num_threads();
      const Eigen::Index b0 = blocks * t / nt, b1 = blocks * (t + 1) / nt;
      std::vector<Block> mine;
      for (Eigen::Index b = b0; b < b1; ++b) {
        const Eigen::Index begin = b * kBlock;
        mine.emplace_back(begin, std::min(kBlock, n_ - begin));
        init(mine.back());
      }
      for (int n = 0; n < cfg_.steps && !cancelled_.load(std::memory_order_relaxed); ++n)
        for (Block& blk : mine) {
          step(blk, n);
          // The first step after which a particle is not finite (one pass over the block
          // until one is found).
          if (first_bad_.load(std::memory_order_relaxed) > n + 1 && !blk.x.allFinite()) note_bad(n + 1);
          if (!tick()) break;
        }
      for (const Block& blk : mine) r.samples.middleRows(blk.begin, blk.count) = blk.x;
    }
    finish(r);
    return r;
  }

  // After the loop: cancelled, or hand over the frames and sum each particle's action.
  void finish(SampleResult& r) {
    if (cancelled_.load()) throw Cancelled();
    if (progress_) progress_->fraction.store(1.0);
    for (Eigen::Index i = 0; i < r.samples.rows(); ++i)
      if (!r.samples.row(i).allFinite()) ++r.nonfinite;
    const int bad = first_bad_.load();
    r.nonfinite_step = bad == std::numeric_limits<int>::max() ? -1 : bad;
    r.trajectories = std::move(traj_);
    if (cfg_.record_action) {
      r.action = Eigen::VectorXd::Zero(n_);
      for (int st = 0; st < cfg_.steps; ++st)
        for (Eigen::Index i = 0; i < n_; ++i)
          r.action[i] += increments_[static_cast<std::size_t>(st) * n_ + i];
      r.action_increments = std::move(increments_);
    }
  }

  void keep(int step, Eigen::Index begin, const Points& x) {
    if (cfg_.stride <= 0) return;
    const bool last = step == cfg_.steps;
    if (step % cfg_.stride != 0 && !last) return;
    const std::size_t f = last ? traj_.steps.size() - 1 : static_cast<std::size_t>(step / cfg_.stride);
    traj_.frames[f].middleRows(begin, x.rows()) = x;
  }

  void note_bad(int step) {
    int seen = first_bad_.load();
    while (step < seen && !first_bad_.compare_exchange_weak(seen, step)) {
    }
  }

  bool tick() {
    if (!progress_) return true;
    const double d = static_cast<double>(done_.fetch_add(1) + 1);
    progress_->fraction.store(d / total_, std::memory_order_relaxed);
    if (progress_->cancelled()) {
      cancelled_.store(true);
      return false;
    }
    return true;
  }

 private:
  Eigen::Index n_;
  const SamplerConfig& cfg_;
  Progress* progress_;
  Trajectories traj_;
  std::vector<float> increments_;
  double total_ = 1;
  std::atomic<long> done_{0};
  std::atomic<bool> cancelled_{false};
  std::atomic<int> first_bad_{std::numeric_limits<int>::max()};
};

}  // namespace

std::string SampleResult::nonfinite_message(int steps) const {
  if (nonfinite == 0 && nonfinite_step < 0) return {};
  std::string m = std::to_string(nonfinite) + " of " + std::to_string(samples.rows()) + " particles are not finite";
  if (nonfinite_step >= 0)
    m += ", the first after step " + std::to_string(nonfinite_step) + " of " + std::to_string(steps);
  return m;
}

std::string SampleResult::refusal(int steps) const {
  const std::string bad = nonfinite_message(steps);
  return bad.empty() ? bad : bad + ": the dynamics blew up (lower h or the bias, or take more steps); nothing written";
}

double divergence_radius(double data_radius) { return 2.0 * (data_radius + 8.0); }

int stable_step_count(const ScoreModel& score, const Schedule& schedule, const HSchedule& h, const Points& data) {
  const Eigen::Index n = std::min<Eigen::Index>(data.rows(), 256);
  if (n == 0) return 1;
  const double t0 = schedule.t_min(), t1 = schedule.t_max();
  Points x(n, 2), s(n, 2);
  Jacobians jac(n, 4);
  double rho_max = 0;
  constexpr int kTimes = 200;
  for (int k = 0; k < kTimes; ++k) {
    const double t = t0 * std::pow(t1 / t0, static_cast<double>(k) / (kTimes - 1));
    x = schedule.alpha(t) * data.topRows(n);
    score.score_jacobian(x, t, s, jac);
    const double f = schedule.f(t), c = 0.5 * (1.0 + h.at(t)) * schedule.g2(t);
    for (Eigen::Index i = 0; i < n; ++i) {
      // A = f I − c J (2 × 2): its eigenvalues from the trace and determinant.
      const double a = f - c * jac(i, 0), b = -c * jac(i, 1), cc = -c * jac(i, 2), d = f - c * jac(i, 3);
      const double tr = a + d, det = a * d - b * cc, disc = 0.25 * tr * tr - det;
      const double rho = disc >= 0 ? std::abs(0.5 * tr) + std::sqrt(disc) : std::sqrt(std::abs(det));
      if (std::isfinite(rho)) rho_max = std::max(rho_max, rho);
    }
  }
  const double need = std::ceil((t1 - t0) * rho_max / 2.0);
  return need >= 1e9 ? 1000000000 : std::max(1, static_cast<int>(need));
}

Divergence find_divergence(const SampleResult& r, const Points& data, const ScoreModel& score,
                           const Schedule& schedule, const HSchedule& h, int steps) {
  const double data_radius = data.rows() ? data.rowwise().norm().maxCoeff() : 0.0;
  const double radius = divergence_radius(data_radius);
  std::size_t far = 0;
  double largest = 0;
  for (Eigen::Index i = 0; i < r.samples.rows(); ++i) {
    const double d = r.samples.row(i).norm();
    if (!std::isfinite(d) || d <= radius) continue;
    ++far;
    largest = std::max(largest, d);
  }
  Divergence out;
  if (far == 0) return out;
  char what[200];
  std::snprintf(what, sizeof what, "%zu of %lld particles ended beyond |x| = %.3g, twice the data's radius %.3g plus 8 "
                "(the farthest at %.3g)", far, static_cast<long long>(r.samples.rows()), radius, data_radius, largest);
  const int stable = stable_step_count(score, schedule, h, data);
  if (steps >= stable) {
    out.note = std::string(what) + ": the steps are stable (" + std::to_string(steps) + " >= " + std::to_string(stable) +
               "), so this is the score's own law, far from the data";
    return out;
  }
  // A step count that would do: the stability bound, said as a round number above it.
  const int round = stable <= 1000 ? 100 : stable <= 10000 ? 1000 : 10000;
  const long long suggest = (static_cast<long long>(stable) + round) / round * round;
  char m[512];
  std::snprintf(m, sizeof m,
                "%s: the dynamics diverged, the steps are too large for this h and score (%d steps; stable from "
                "about %d), so take --steps %lld or lower h or the bias; nothing written",
                what, steps, stable, suggest);
  out.refusal = m;
  return out;
}

std::vector<int> kept_steps(int steps, int stride) {
  std::vector<int> out;
  if (stride <= 0) return out;
  for (int s = 0; s <= steps; s += stride) out.push_back(s);
  if (out.back() != steps) out.push_back(steps);
  return out;
}

SampleResult sample_reverse(const ScoreModel& score, const Schedule& schedule,
                            const SamplerConfig& c, Progress* progress) {
  validate(c, true);
  const double tmax = schedule.t_max();
  const double dt = (tmax - schedule.t_min()) / c.steps;
  Runner runner(c.n, c, progress, tmax, -dt);
  // One block of particles and its scratch (kept across steps).
  struct Block {
    Block(Eigen::Index b, Eigen::Index n) : begin(b), count(n), x(n, 2), s(n, 2) {}
    Eigen::Index begin, count;
    Points x, s, x2, s2, x_prev;
    Eigen::VectorXd inc;
  };
  const auto init = [&](Block& b) {
    for (Eigen::Index k = 0; k < b.count; ++k) {
      const auto z = normal2(c.seed, Stream::kPrior, static_cast<std::uint64_t>(b.begin + k), 0);
      b.x.row(k) << c.prior_std * z[0], c.prior_std * z[1];
    }
    runner.keep(0, b.begin, b.x);
  };
  const auto step = [&](Block& b, int n) {
    Points& x = b.x;
    Points& s = b.s;
    const double t = tmax - n * dt;
    const double f = schedule.f(t), g2 = schedule.g2(t);
    score.score(x, t, s);
    if (c.record_action) b.x_prev = x;
    if (c.integrator == Integrator::kHeun) {
      // k1 = f_PF(x, t_n); predictor x̃ = x − k1 Δt; k2 = f_PF(x̃, t_{n+1}).
      const double t1 = tmax - (n + 1) * dt;
      const double f1 = schedule.f(t1), g21 = schedule.g2(t1);
      const Points k1 = f * x - 0.5 * g2 * s;
      b.x2 = x - dt * k1;
      b.s2.resize(b.count, 2);
      score.score(b.x2, t1, b.s2);
      x -= 0.5 * dt * (k1 + f1 * b.x2 - 0.5 * g21 * b.s2);
    } else {
      const double h = c.h_at(t);
      x += (-f * dt) * x + (0.5 * (1.0 + h) * g2 * dt) * s;
      if (h > 0.0) {
        const double amp = std::sqrt(h * dt) * std::sqrt(g2);
        for (Eigen::Index k = 0; k < b.count; ++k) {
          const auto i = static_cast<std::uint64_t>(b.begin + k);
          if (c.noise) {
            const double* z = c.noise->at(n, i);
            x(k, 0) += amp * z[0];
            x(k, 1) += amp * z[1];
          } else {
            const auto z = normal2(c.seed, Stream::kStepNoise, i, static_cast<std::uint32_t>(n));
            x(k, 0) += amp * z[0];
            x(k, 1) += amp * z[1];
          }
        }
      }
    }
    if (c.record_action) {
      // Deviation from the classical (PF) step, pre-point rule.
      b.inc = ((x - b.x_prev + dt * (f * b.x_prev - 0.5 * g2 * s)).rowwise().squaredNorm()) / (2.0 * g2 * dt);
      runner.record(n, b.begin, b.inc);
    }
    runner.keep(n + 1, b.begin, x);
  };
  return runner.run_stepwise<Block>(init, step);
}

SampleResult sample_forward(const Points& data, const Schedule& schedule, const SamplerConfig& c,
                            Progress* progress) {
  validate(c, false);
  if (data.rows() == 0) throw std::invalid_argument("forward: no data points");
  const double tmin = schedule.t_min();
  const double dt = (schedule.t_max() - tmin) / c.steps;
  const double a0 = schedule.alpha(tmin), s0 = schedule.sigma(tmin);
  Runner runner(static_cast<std::size_t>(data.rows()), c, progress, tmin, dt);
  return runner.run([&](Eigen::Index begin, Eigen::Index count, Points& x) {
    for (Eigen::Index k = 0; k < count; ++k) {
      const auto z = normal2(c.seed, Stream::kForwardInit, static_cast<std::uint64_t>(begin + k), 0);
      x.row(k) << a0 * data(begin + k, 0) + s0 * z[0], a0 * data(begin + k, 1) + s0 * z[1];
    }
    runner.keep(0, begin, x);
    for (int n = 0; n < c.steps; ++n) {
      // Exact transition of the linear SDE from t to t + Δt:
      // x' = (α'/α) x + sqrt(σ'² − (α'/α)² σ²) z.
      const double t = tmin + n * dt, t1 = tmin + (n + 1) * dt;
      const double r = schedule.alpha(t1) / schedule.alpha(t);
      const double amp = std::sqrt(std::max(0.0, schedule.sigma2(t1) - r * r * schedule.sigma2(t)));
      x *= r;
      for (Eigen::Index k = 0; k < count; ++k) {
        const auto z = normal2(c.seed, Stream::kStepNoise, static_cast<std::uint64_t>(begin + k),
                               static_cast<std::uint32_t>(n));
        x(k, 0) += amp * z[0];
        x(k, 1) += amp * z[1];
      }
      runner.keep(n + 1, begin, x);
      if (!runner.tick()) return;
    }
  });
}

}  // namespace hbar
