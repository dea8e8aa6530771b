// The field's samplers on any linear process (SCIENCE.md §12): DDIM with η, EDM's
// stochastic sampler (Algorithm 2) and Restart, each as a plan of stages shared by every
// particle block; and where each sits on the h axis.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "hbar/base/rng.hpp"
#include "hbar/base/text.hpp"
#include "hbar/process/dynamics.hpp"
#include "runner.hpp"

namespace hbar {
namespace {

using detail::Runner;

// One stage of a plan: a particle moves from time t (noise level r = σ/α) to t1 (r1).
struct Stage {
  enum Kind { kDdim, kDdimLast, kEdm, kJump } kind;
  double t, r, t1, r1;
  double gamma = 0;     // EDM's churn at this step
  std::uint32_t noise;  // the step-noise index of this stage (common random numbers)
};

// Noise levels σ̃_i = (a + i/(n−1) (b − a))^ρ, a = σ̃_hi^(1/ρ), b = σ̃_lo^(1/ρ); ends exact.
std::vector<double> karras(double hi, double lo, int n, double rho) {
  std::vector<double> v(static_cast<std::size_t>(n));
  const double a = std::pow(hi, 1.0 / rho), b = std::pow(lo, 1.0 / rho);
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = n == 1 ? hi : std::pow(a + i * (b - a) / (n - 1), rho);
  v.front() = hi;
  if (n > 1) v.back() = lo;
  return v;
}

// The time of a level: the schedule's ends exactly, 0 for level 0.
double time_of(const Schedule& s, double r, double r_hi, double r_lo) {
  if (r == 0) return 0.0;
  if (r == r_hi) return s.t_max();
  if (r == r_lo) return s.t_min();
  return s.time_of_ratio(r);
}

}  // namespace

void detail::validate_field(const SamplerConfig& c) {
  if (c.h != 0.0 || c.h_of_t)
    throw std::invalid_argument(std::string("the ") + sampler_name(c.integrator) +
                                " sampler sets its own noise: it takes no h or h(t)");
  if (c.steps < 1) throw std::invalid_argument("steps must be > 0");
  if (c.n == 0) throw std::invalid_argument("n must be > 0");
  if (c.stride < 0) throw std::invalid_argument("stride must be >= 0");
  if (!(c.eta >= 0 && c.eta <= 1)) throw std::invalid_argument("eta must be from 0 to 1 (more noise is the h-family's)");
  if (!(c.churn >= 0) || !std::isfinite(c.churn)) throw std::invalid_argument("churn must be a finite number >= 0");
  if (!(c.s_noise > 0) || !std::isfinite(c.s_noise)) throw std::invalid_argument("s-noise must be a finite number > 0");
  if (!(c.s_tmin >= 0) || !(c.s_tmax >= c.s_tmin)) throw std::invalid_argument("s-tmin must be >= 0 and <= s-tmax");
  if (!(c.rho > 0) || !std::isfinite(c.rho)) throw std::invalid_argument("rho must be a finite number > 0");
  if (c.integrator == Integrator::kRestart) {
    if (!(c.restart_min > 0) || !(c.restart_max > c.restart_min) || !std::isfinite(c.restart_max))
      throw std::invalid_argument("the restart interval A:B needs 0 < A < B");
    if (c.restart_repeats < 0 || c.restart_repeats > 100) throw std::invalid_argument("restart repeats must be from 0 to 100");
    if (c.restart_steps < 1 || c.restart_steps > 1000) throw std::invalid_argument("restart steps must be from 1 to 1000");
  }
}

namespace {

std::vector<Stage> plan(const Schedule& s, const SamplerConfig& c) {
  std::vector<Stage> out;
  const int N = c.steps;
  const double r_hi = s.noise_ratio(s.t_max()), r_lo = s.noise_ratio(s.t_min());
  if (c.integrator == Integrator::kDdim) {
    // N evaluations at t_i = step_time(i, N − 1); the last returns x̂0 (α = 1, σ = 0).
    for (int i = 0; i < N; ++i) {
      const bool last = i == N - 1;
      const double t = N == 1 ? s.t_max() : s.step_time(i, N - 1), t1 = last ? 0.0 : s.step_time(i + 1, N - 1);
      out.push_back({last ? Stage::kDdimLast : Stage::kDdim, t, s.noise_ratio(t), t1, last ? 0.0 : s.noise_ratio(t1), 0,
                     static_cast<std::uint32_t>(i)});
    }
    return out;
  }
  // EDM and Restart: Karras levels, then level 0 (t = 0).
  std::vector<double> lv = karras(r_hi, r_lo, N, c.rho);
  const bool churn = c.integrator == Integrator::kEdm && c.churn > 0;
  const double gmax = std::min(c.churn / N, std::sqrt(2.0) - 1.0);
  // Restart: after the grid level nearest restart_min (not the first or the last), the
  // interval up to restart_max is walked again.
  int restart_at = -1;
  if (c.integrator == Integrator::kRestart && c.restart_repeats > 0 && N >= 3) {
    double best = 1e300;
    for (int i = 1; i < N - 1; ++i) {
      const double d = std::abs(std::log(lv[static_cast<std::size_t>(i)] / c.restart_min));
      if (d < best) best = d, restart_at = i;
    }
  }
  for (int i = 0; i < N; ++i) {
    const double r = lv[static_cast<std::size_t>(i)], r1 = i + 1 < N ? lv[static_cast<std::size_t>(i) + 1] : 0.0;
    Stage st{Stage::kEdm, time_of(s, r, r_hi, r_lo), r, time_of(s, r1, r_hi, r_lo), r1, 0, static_cast<std::uint32_t>(i)};
    if (churn && r >= c.s_tmin && r <= c.s_tmax) st.gamma = gmax;
    out.push_back(st);
    if (i + 1 == restart_at) {
      const double rb = c.restart_max, ra = r1, tb = s.time_of_ratio(rb), ta = st.t1;
      const std::vector<double> sub = karras(rb, ra, c.restart_steps + 1, c.rho);
      for (int k = 0; k < c.restart_repeats; ++k) {
        out.push_back({Stage::kJump, ta, ra, tb, rb, 0, static_cast<std::uint32_t>(N + k)});
        for (int j = 0; j < c.restart_steps; ++j) {
          const double u = sub[static_cast<std::size_t>(j)], u1 = sub[static_cast<std::size_t>(j) + 1];
          out.push_back({Stage::kEdm, j == 0 ? tb : s.time_of_ratio(u), u, j + 1 == c.restart_steps ? ta : s.time_of_ratio(u1),
                         u1, 0, 0});
        }
      }
    }
  }
  return out;
}

// α and σ at t, with t = 0 the data itself (α = 1, σ = 0 in every process here).
double alpha_at(const Schedule& s, double t) { return t == 0 ? 1.0 : s.alpha(t); }
double sigma_at(const Schedule& s, double t) { return t == 0 ? 0.0 : s.sigma(t); }

}  // namespace

const char* sampler_name(Integrator kind) {
  switch (kind) {
    case Integrator::kEulerMaruyama: return "em";
    case Integrator::kHeun: return "heun";
    case Integrator::kDdim: return "ddim";
    case Integrator::kEdm: return "edm";
    case Integrator::kRestart: return "restart";
  }
  return "?";
}

std::optional<Integrator> sampler_by_name(std::string_view name) {
  const std::string n = to_lower(name);
  for (Integrator k : {Integrator::kEulerMaruyama, Integrator::kHeun, Integrator::kDdim, Integrator::kEdm,
                       Integrator::kRestart})
    if (n == sampler_name(k)) return k;
  return std::nullopt;
}

long sampler_nfe(const SamplerConfig& c) {
  const long N = c.steps;
  switch (c.integrator) {
    case Integrator::kEulerMaruyama: return N;
    case Integrator::kHeun: return 2 * N;
    case Integrator::kDdim: return N;
    case Integrator::kEdm: return 2 * N - 1;
    case Integrator::kRestart:
      return 2 * N - 1 + (N >= 3 ? 2L * c.restart_repeats * c.restart_steps : 0L);
  }
  return N;
}

std::vector<double> karras_levels(const Schedule& s, int n, double rho) {
  return karras(s.noise_ratio(s.t_max()), s.noise_ratio(s.t_min()), n, rho);
}

EquivalentH equivalent_h(const Schedule& s, const SamplerConfig& c) {
  EquivalentH out;
  switch (c.integrator) {
    case Integrator::kEulerMaruyama:
    case Integrator::kHeun:
      for (int n = 0; n < c.steps; ++n) {
        const double t = s.step_time(n, c.steps);
        out.points.emplace_back(t, c.integrator == Integrator::kHeun ? 0.0 : c.h_at(t));
      }
      return out;
    case Integrator::kDdim:
      for (const Stage& st : plan(s, c)) out.points.emplace_back(st.t, c.eta * c.eta);
      return out;
    case Integrator::kEdm:
      if (c.s_noise > 1 && c.churn > 0) {
        out.none = "S_noise > 1 adds variance (S_noise² − 1)(t̂² − t²) that no h matches: a deliberate inflation";
        return out;
      }
      for (const Stage& st : plan(s, c)) out.points.emplace_back(st.t, st.gamma > 0 ? st.gamma * st.r / (st.r - st.r1) : 0.0);
      return out;
    case Integrator::kRestart:
      out.none = "Restart is not an h(t): it jumps forward by exact noise and walks an interval again";
      return out;
  }
  return out;
}

SampleResult detail::sample_field(const ScoreModel& score, const Schedule& schedule, const SamplerConfig& c,
                                  Progress* progress) {
  detail::validate_field(c);
  const std::vector<Stage> stages = plan(schedule, c);
  SamplerConfig rc = c;  // the runner's view: one "step" a stage, no action
  rc.steps = static_cast<int>(stages.size());
  rc.record_action = false;
  const double prior_std = c.prior_std > 0 ? c.prior_std : schedule.prior_std();
  Runner runner(c.n, rc, progress, [&](int k) { return k == 0 ? stages.front().t : stages[static_cast<std::size_t>(k) - 1].t1; });
  struct Block {
    Block(Eigen::Index b, Eigen::Index n) : begin(b), count(n), x(n, 2), s(n, 2) {}
    Eigen::Index begin, count;
    Points x, s, y, d, x2;
  };
  const auto init = [&](Block& b) {
    for (Eigen::Index k = 0; k < b.count; ++k) {
      const auto z = normal2(c.seed, Stream::kPrior, static_cast<std::uint64_t>(b.begin + k), 0);
      b.x.row(k) << prior_std * z[0], prior_std * z[1];
    }
    runner.keep(0, b.begin, b.x);
  };
  // Adds amp · z(particle, index) to each row of y.
  const auto add_noise = [&](Block& b, Points& y, double amp, std::uint32_t index) {
    for (Eigen::Index k = 0; k < b.count; ++k) {
      const auto z = normal2(c.seed, Stream::kStepNoise, static_cast<std::uint64_t>(b.begin + k), index);
      y(k, 0) += amp * z[0];
      y(k, 1) += amp * z[1];
    }
  };
  // EDM's denoiser of the scaled variable y = x/α at level r (time t): D = (x + σ² s)/α.
  const auto denoise = [&](Block& b, const Points& y, double t, Points& out) {
    const double a = schedule.alpha(t), sg = schedule.sigma(t);
    b.x2 = a * y;
    score.score(b.x2, t, b.s);
    out = (b.x2 + (sg * sg) * b.s) / a;
  };
  const auto step = [&](Block& b, int k) {
    const Stage& st = stages[static_cast<std::size_t>(k)];
    Points& x = b.x;
    switch (st.kind) {
      case Stage::kDdim:
      case Stage::kDdimLast: {
        const double a = schedule.alpha(st.t), sg = schedule.sigma(st.t);
        score.score(x, st.t, b.s);
        // ε̂ = −σ s, x̂0 = (x − σ ε̂)/α.
        const Points eps = -sg * b.s;
        const Points x0 = (x - sg * eps) / a;
        if (st.kind == Stage::kDdimLast) {
          x = x0;
          break;
        }
        const double a1 = alpha_at(schedule, st.t1), s1 = sigma_at(schedule, st.t1);
        const double fwd = sg * sg - (a / a1) * (a / a1) * s1 * s1;
        const double vs = c.eta * (s1 / sg) * std::sqrt(std::max(0.0, fwd));
        x = a1 * x0 + std::sqrt(std::max(0.0, s1 * s1 - vs * vs)) * eps;
        if (vs > 0) add_noise(b, x, vs, st.noise);
        break;
      }
      case Stage::kJump: {
        // Forward by the process's exact transition from level r to r1: y += √(r1² − r²) z.
        const double a = schedule.alpha(st.t), a1 = schedule.alpha(st.t1);
        x *= a1 / a;
        add_noise(b, x, a1 * std::sqrt(st.r1 * st.r1 - st.r * st.r), st.noise);
        break;
      }
      case Stage::kEdm: {
        b.y = x / schedule.alpha(st.t);
        // Churn: up to level r̂ = (1 + γ) r with fresh noise (S_noise).
        double rh = st.r, th = st.t;
        if (st.gamma > 0) {
          rh = (1.0 + st.gamma) * st.r;
          th = schedule.time_of_ratio(rh);
          // √(r̂² − r²) as r √(γ (2 + γ)): no cancellation (with FMA, r̂² − r² can come out
          // below zero when γ is below the rounding of 1 + γ).
          add_noise(b, b.y, st.r * std::sqrt(st.gamma * (2.0 + st.gamma)) * c.s_noise, st.noise);
        }
        Points dd;
        denoise(b, b.y, th, dd);
        b.d = (b.y - dd) / rh;
        Points y1 = b.y + (st.r1 - rh) * b.d;
        if (st.r1 != 0) {
          // Heun's correction (none on the last step, to level 0).
          denoise(b, y1, st.t1, dd);
          y1 = b.y + (st.r1 - rh) * 0.5 * (b.d + (y1 - dd) / st.r1);
        }
        x = alpha_at(schedule, st.t1) * y1;
        break;
      }
    }
    runner.keep(k + 1, b.begin, x);
  };
  return runner.run_stepwise<Block>(init, step);
}

}  // namespace hbar
