#pragma once
// The particle loop every sampler shares (private to core): blocks of particles over
// OpenMP threads, the frames kept, the action increments, progress, cancel and the count
// of particles that blew up.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <vector>

#include "hbar/base/memory.hpp"
#include "hbar/process/dynamics.hpp"

namespace hbar::detail {

inline constexpr Eigen::Index kBlock = 64;  // particles advanced together (one score call per step)

// Shared frame bookkeeping and the parallel loop over particle blocks.
class Runner {
 public:
  // time_of(step): the time of the run after `step` steps (frames' times).
  template <class TimeOf>
  Runner(std::size_t n, const SamplerConfig& c, Progress* p, TimeOf&& time_of)
      : n_(static_cast<Eigen::Index>(n)), cfg_(c), progress_(p) {
    const double frames = c.stride > 0 ? static_cast<double>(kept_steps(c.steps, c.stride).size()) : 0;
    check_memory(static_cast<double>(n) * (frames * 2 * sizeof(double) + (c.record_action ? 4.0 * c.steps : 0.0)),
                 "a run of " + std::to_string(n) + " particles keeping " + std::to_string(static_cast<long>(frames)) +
                     " frames");
    if (c.stride > 0) {
      traj_.steps = kept_steps(c.steps, c.stride);
      for (int s : traj_.steps) {
        traj_.times.push_back(time_of(s));
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

// The checks of DDIM, EDM and Restart's options (samplers.cpp).
void validate_field(const SamplerConfig& c);
// DDIM, EDM and Restart (samplers.cpp); sample_reverse hands them over.
SampleResult sample_field(const ScoreModel& score, const Schedule& schedule, const SamplerConfig& c,
                          Progress* progress);

}  // namespace hbar::detail
