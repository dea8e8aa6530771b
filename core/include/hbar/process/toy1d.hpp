#pragma once
// The exactly solvable 1-D Gaussian toy model (SCIENCE.md §9, the paper's Fig. 3).
//
// Data N(0, v0); f = −β/2, g² = β; true variance v_t = 1 + (v0 − 1) e^{−βt};
// biased score s = −(1 + ε) x / v_t; the h-dynamics run from N(0, u_T) at t = T to 0.
#include <cstdint>
#include <memory>
#include <vector>

#include "hbar/process/dynamics.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

struct Toy1d {
  double v0 = 0.25;
  double beta = 8.0;
  double T = 1.0;
  double uT = 1.0;
  double eps = 0.2;

  // Throws std::invalid_argument naming the bad parameter.
  void validate() const;
  double v(double t) const;
  // Closed forms of §9.
  double u0(double h) const;
  double nll(double h) const;
  double w2(double h) const;
  // Variance at t = 0 of the Euler–Maruyama discretisation with `steps` steps
  // (exact for the discrete dynamics: x ← a_n x + b_n z, so u ← a_n² u + b_n²).
  double u0_euler(double h, int steps) const { return u0_euler(HSchedule::constant(h), steps); }
  double u0_euler(const HSchedule& h, int steps) const;  // step n uses h(t_n)

  // With a noise schedule h(t) (SCIENCE.md §11): the variance ODE
  // du/dt = β (k(t)/v_t − 1) u − h(t) β, k(t) = (1 + h(t))(1 + ε), integrated from u(T) = u_T
  // to 0 by Dormand–Prince at rtol 1e-12, stopping at the schedule's breakpoints.
  double u0(const HSchedule& h) const;
  // The same ODE's u(t) at each of `times` (any order, each in [0, T]): the variance of
  // q^h_t = N(0, u_t), the law the h-dynamics carry at time t (the space-time view).
  std::vector<double> u_path(const HSchedule& h, const std::vector<double>& times) const;
  double nll(const HSchedule& h) const;
  // log q^{h(·)}(x0) = −½ log(2π u0) − x0² / (2 u0).
  double log_q(const HSchedule& h, double x0) const;
  // The PF path's variance u⁰_t = u_T (E_t / E_T)^{1+ε} e^{β(T−t)}, E_t = e^{βt} v_t.
  double u_pf(double t) const;
  // c(x0, t) = β/2 [a² − a s + H − ∂s] on the PF path through x0 (closed form, §11).
  double c_of_t(double x0, double t) const;
  // c̄(t): c(x0, t) averaged over the data law x0 ~ N(0, v0) (c is quadratic in x0 and
  // E x_t² = v0 u⁰_t / u⁰_0 on the PF path), the toy's exact "when does noise help" curve.
  double c_mean(double t) const;
  // ∫_a^b c(x0, t) dt by composite 5-point Gauss–Legendre (200 panels: exact to rounding
  // for this smooth integrand).
  double c_window(double x0, double a, double b) const;

  Schedule schedule() const { return Schedule::constant(beta, 0.0, T); }
  // The biased score as a 2-D isotropic model: each coordinate is an independent
  // copy of the 1-D model, so the 2-D sampler simulates two 1-D draws per particle.
  std::shared_ptr<const ScoreModel> score() const;
};

struct ToySimulation {
  double var = 0;         // sample variance at t = 0 over all 1-D draws
  double var_stderr = 0;  // its standard error, sqrt(Var[(x − x̄)²] / draws)
  std::size_t draws = 0;  // 2 n (two coordinates per particle)
};

// The general sampler (sample_reverse) on the toy model's 2-D isotropic score from
// N(0, u_T I): each coordinate of a particle is an independent 1-D path. `stride` as in
// SamplerConfig (0: no frames).
SampleResult sample_toy(const Toy1d& toy, const HSchedule& h, std::size_t n, int steps, std::uint64_t seed,
                        int stride = 0, int threads = 0, Progress* progress = nullptr);
// Its variance at t = 0 over all 1-D draws.
ToySimulation simulate_toy(const Toy1d& toy, const HSchedule& h, std::size_t n, int steps, std::uint64_t seed,
                           int threads = 0);
inline ToySimulation simulate_toy(const Toy1d& toy, double h, std::size_t n, int steps, std::uint64_t seed,
                                  int threads = 0) {
  return simulate_toy(toy, HSchedule::constant(h), n, steps, seed, threads);
}

}  // namespace hbar
