#pragma once
// The forward SDE and the h-family of generative dynamics (SCIENCE.md §2).
//
//   dx = [ f(t) x − (1 + h)/2 · g(t)² · s(x,t) ] dt + sqrt(h) · g(t) · dw̄,   t: T_max → T_min
//
// Time grid t_n = T_max − n Δt, n = 0 … N, Δt = (T_max − T_min)/N: N steps that end
// exactly at T_min (the reference code takes N + 1). The noise of particle i at
// step n is normal2(seed, Stream::kStepNoise, i, n), the start normal2(seed,
// Stream::kPrior, i, 0): identical for every h and every thread count (common
// random numbers).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hbar/process/h_schedule.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

// The samplers (SCIENCE.md §2, §12). The first two run the h-family; the others are the
// field's samplers, each of which sits on the h axis (equivalent_h below).
enum class Integrator {
  kEulerMaruyama,  // the h-family, any h ≥ 0 or h(t), on the schedule's grid
  kHeun,           // h = 0 only: the PF ODE with Heun's second-order method
  kDdim,           // DDIM (Song et al. 2021, eq. 12) in its α/σ form, with η
  kEdm,            // EDM's stochastic sampler (Karras et al. 2022, Algorithm 2)
  kRestart         // Restart (Xu et al. 2023): EDM's Heun ODE, an interval walked again
};

struct SamplerConfig {
  double h = 0.0;
  // A noise schedule h(t) (SCIENCE.md §11) in place of the constant h: step n uses
  // h(t_n) at its pre-point. A constant schedule, or a window covering [T_min, T_max],
  // gives the constant-h run bit for bit.
  std::optional<HSchedule> h_of_t;
  double h_at(double t) const { return h_of_t ? h_of_t->at(t) : h; }
  double h_height() const { return h_of_t ? h_of_t->height() : h; }
  int steps = 1000;
  std::size_t n = 1000;
  std::uint64_t seed = 0;
  Integrator integrator = Integrator::kEulerMaruyama;
  int stride = 0;          // keep every stride-th step as a trajectory frame; 0: none
  double prior_std = 0.0;  // start from N(0, prior_std² I); 0: the schedule's (Schedule::prior_std)
  int threads = 0;         // 0: OpenMP's default
  // Optional precomputed step noise (same seed, ≥ n particles, ≥ steps): saves
  // drawing it again; results are bit-identical either way.
  const NoiseTable* noise = nullptr;
  // DDIM: η in [0, 1] (0: deterministic; 1: DDPM's ancestral sampler). `steps` is the
  // number of network evaluations N, on the grid t_i = step_time(i, N − 1).
  double eta = 0.0;
  // EDM (Algorithm 2): `steps` grid points t_0 > … > t_{N−1} plus t_N = 0, Karras's grid
  // with ρ in the noise level σ/α (t itself for the edm process); churn S_churn on
  // [s_tmin, s_tmax] (noise levels), S_noise. Other processes run it on x/α (EDM's §4).
  double churn = 0.0, s_tmin = 0.0, s_tmax = 1e300, s_noise = 1.0, rho = 7.0;
  // Restart: EDM's deterministic sampler, and the interval of noise levels
  // [restart_min, restart_max] walked again restart_repeats times (a forward jump, then
  // restart_steps Heun steps). restart_min is moved to the grid level nearest it.
  double restart_min = 0.06, restart_max = 0.3;
  int restart_repeats = 2, restart_steps = 4;
  // Record each step's classical-action increment (SCIENCE.md §3):
  // ‖x_{n+1} − x_n + f_PF(x_n, t_n) Δt‖² / (2 g(t_n)² Δt).
  bool record_action = false;
};

// Frames of all particles: frame f holds every particle at time times[f].
struct Trajectories {
  std::vector<int> steps;     // step index n of each frame
  std::vector<double> times;  // t of each frame
  std::vector<Points> frames;
  std::size_t frame_count() const { return frames.size(); }
};

struct SampleResult {
  Points samples;  // positions at the end of the run
  Trajectories trajectories;
  // With record_action: increment of particle i at step n at [n * N_particles + i]
  // (step-major), and the classical action S[x] of each particle (their sum).
  std::vector<float> action_increments;
  Eigen::VectorXd action;
  // Particles whose end position is not finite (blown up: an extreme h or bias, a hostile
  // model), and the first step after which any particle was not (−1: none; stepwise
  // runs of the reverse dynamics).
  std::size_t nonfinite = 0;
  int nonfinite_step = -1;
  // "12 of 2000 particles are not finite, the first after step 37 of 100" ("" when none).
  std::string nonfinite_message(int steps) const;
  // Why such a run is not written anywhere, in the words every front end uses ("" when
  // all particles are finite): "<nonfinite_message>: the dynamics blew up (lower h or the
  // bias, or take more steps); nothing written".
  std::string refusal(int steps) const;
};

// A run that stays finite can still have blown up: Euler–Maruyama steps too large for
// the drift's stiffness throw particles out to 1e9 and beyond. The law at T_min is
// α x0 + σ z with α ≤ 1 and σ ≤ 0.1 in every process here, so an exact sample lies within
// R + |z| of the origin (R: the data's radius), and a 2-D standard normal has |z| > 8
// with probability e^-32 ≈ 1e-14. Twice that, 2 (R + 8), leaves room for biased and
// learned scores; a sample beyond it is a blow-up, not a sample.
double divergence_radius(double data_radius);
// The Euler–Maruyama step count the run needs to be stable: explicit steps on the
// linearised drift need dt · ρ(t) < 2, ρ(t) the spectral radius of its Jacobian
// f(t) I − (1 + h(t))/2 g(t)² ∂s(x, t), taken at the data (up to 256 points) carried to
// t (α_t x0) on 200 log-spaced times. Returns ceil((T_max − T_min) · max ρ / 2).
int stable_step_count(const ScoreModel& score, const Schedule& schedule, const HSchedule& h, const Points& data);
// Samples beyond divergence_radius of the data's radius, and what they mean:
// - with fewer steps than stable_step_count, a numerical blow-up: `refusal` in every
//   front end's words (how many, how far, the cause, a step count that would do);
// - with enough steps, the model's own law lies there (a score switched almost off by
//   its bias carries the prior out by 1/α(T_max)): no refusal, only `note`, to be said.
struct Divergence {
  std::string refusal, note;  // both "" when every finite sample is within the radius
};
Divergence find_divergence(const SampleResult& r, const Points& data, const ScoreModel& score,
                           const Schedule& schedule, const HSchedule& h, int steps);

// Throws std::invalid_argument for bad settings (h < 0, steps ≤ 0, n == 0, Heun with
// h > 0, a sampler's option out of its range) and Cancelled if progress->cancel was set.
// DDIM, EDM and Restart keep a frame per grid point (Restart's passes in the order they
// run); they record no action.
SampleResult sample_reverse(const ScoreModel& score, const Schedule& schedule,
                            const SamplerConfig& config, Progress* progress = nullptr);

// The forward SDE dx = f x dt + g dw from data on the same grid read upwards.
// Particle i starts at the exact marginal α(T_min) x0_i + σ(T_min) z
// (Stream::kForwardInit) and steps to T_max with the SDE's exact Gaussian
// transition (it is linear), noise (seed, kStepNoise, i, n): every frame is an
// exact draw of p_t given x0, for any step size (Euler–Maruyama is badly biased
// near COSINE's T_max, where f ≈ −1000).
// config.n and config.h are ignored: every row of `data` is one particle.
SampleResult sample_forward(const Points& data, const Schedule& schedule,
                            const SamplerConfig& config, Progress* progress = nullptr);

// The checks sample_reverse makes of a configuration, without running it: throws
// std::invalid_argument with the reason (front ends refuse bad options before any work).
void check_sampler(const SamplerConfig& config);

// The network evaluations a run costs: em N, heun 2N, ddim N, edm 2N − 1, restart
// 2N − 1 + 2 · repeats · restart_steps.
long sampler_nfe(const SamplerConfig& config);
// "em", "heun", "ddim", "edm", "restart"; and back (nullopt for another name).
const char* sampler_name(Integrator kind);
std::optional<Integrator> sampler_by_name(std::string_view name);

// Where a sampler sits on the h axis (SCIENCE.md §12): its h(t) as points (t, h) in
// decreasing t (a step function: h holds from each t down to the next), or, where it has
// none, `none` says what it is instead.
// - em / heun: the run's own h or h(t); ddim: h = η²;
// - edm: h(t_i) = γ_i σ̃_i / (σ̃_i − σ̃_{i+1}) where the churn acts (σ̃ = σ/α; t for the
//   edm process), 0 elsewhere; S_noise > 1 adds variance no h matches: `none`;
// - restart: a forward jump, not an h(t): `none`.
struct EquivalentH {
  std::vector<std::pair<double, double>> points;
  std::string none;
};
EquivalentH equivalent_h(const Schedule& schedule, const SamplerConfig& config);
// The EDM / Restart grid of noise levels σ̃_0 > … > σ̃_{N−1} (Karras, ρ) between the
// schedule's σ̃(T_max) and σ̃(T_min), and its times.
std::vector<double> karras_levels(const Schedule& schedule, int n, double rho);

// Frames kept for `steps` steps at `stride`: every multiple of stride and the last.
std::vector<int> kept_steps(int steps, int stride);

}  // namespace hbar
