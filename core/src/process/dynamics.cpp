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
#include "runner.hpp"

namespace hbar {
namespace {

using detail::Runner;

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
      // A step near t is grid_speed(t) / N long: stable while that times rho is below 2.
      if (std::isfinite(rho)) rho_max = std::max(rho_max, rho * schedule.grid_speed(t));
    }
  }
  const double need = std::ceil(rho_max / 2.0);
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

void check_sampler(const SamplerConfig& c) {
  if (c.integrator != Integrator::kEulerMaruyama && c.integrator != Integrator::kHeun) detail::validate_field(c);
  else validate(c, true);
}

SampleResult sample_reverse(const ScoreModel& score, const Schedule& schedule,
                            const SamplerConfig& c, Progress* progress) {
  if (c.integrator != Integrator::kEulerMaruyama && c.integrator != Integrator::kHeun)
    return detail::sample_field(score, schedule, c, progress);
  validate(c, true);
  const double tmax = schedule.t_max();
  const double prior_std = c.prior_std > 0 ? c.prior_std : schedule.prior_std();
  const int N = c.steps;
  // A uniform grid's step is the one Δt (bit for bit as it always was); a Karras grid's varies.
  const bool uniform = schedule.grid_rho() == 0;
  const double dt_uniform = (tmax - schedule.t_min()) / N;
  Runner runner(c.n, c, progress, [&](int n) { return schedule.step_time(n, N); });
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
      b.x.row(k) << prior_std * z[0], prior_std * z[1];
    }
    runner.keep(0, b.begin, b.x);
  };
  const auto step = [&](Block& b, int n) {
    Points& x = b.x;
    Points& s = b.s;
    const double t = schedule.step_time(n, N), t1 = schedule.step_time(n + 1, N);
    const double dt = uniform ? dt_uniform : t - t1;
    const double f = schedule.f(t), g2 = schedule.g2(t);
    score.score(x, t, s);
    if (c.record_action) b.x_prev = x;
    if (c.integrator == Integrator::kHeun) {
      // k1 = f_PF(x, t_n); predictor x̃ = x − k1 Δt; k2 = f_PF(x̃, t_{n+1}).
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
  const int N = c.steps;
  // The reverse run's grid, walked upwards (a uniform one as T_min + n Δt).
  const double dt = (schedule.t_max() - tmin) / N;
  const bool uniform = schedule.grid_rho() == 0;
  const auto time_of = [&](int n) { return uniform ? tmin + n * dt : schedule.step_time(N - n, N); };
  const double a0 = schedule.alpha(tmin), s0 = schedule.sigma(tmin);
  Runner runner(static_cast<std::size_t>(data.rows()), c, progress, time_of);
  return runner.run([&](Eigen::Index begin, Eigen::Index count, Points& x) {
    for (Eigen::Index k = 0; k < count; ++k) {
      const auto z = normal2(c.seed, Stream::kForwardInit, static_cast<std::uint64_t>(begin + k), 0);
      x.row(k) << a0 * data(begin + k, 0) + s0 * z[0], a0 * data(begin + k, 1) + s0 * z[1];
    }
    runner.keep(0, begin, x);
    for (int n = 0; n < c.steps; ++n) {
      // Exact transition of the linear SDE from t to t + Δt:
      // x' = (α'/α) x + sqrt(σ'² − (α'/α)² σ²) z.
      const double t = time_of(n), t1 = time_of(n + 1);
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
