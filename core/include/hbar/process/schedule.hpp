#pragma once
// Forward processes dx = f(t) x dt + g(t) dw with marginals x_t = α_t x0 + σ_t z: the
// paper's two variance-preserving schedules (SCIENCE.md §1), EDM's variance-exploding
// process and the linear interpolant of flow matching (§12).
#include <optional>
#include <string>
#include <string_view>

namespace hbar {

enum class ScheduleKind { kSimple, kCosine, kConstant, kEdm, kLinear };

class Schedule {
 public:
  // SIMPLE: VP with beta(t) = 20 t on [0.01, 1].
  static Schedule simple();
  // COSINE: alpha = cos(pi t / 2) on [0.01, 0.999].
  static Schedule cosine();
  // Constant beta (the 1-D toy model, §9): f = -beta/2, g^2 = beta, on [t_min, t_max].
  static Schedule constant(double beta, double t_min, double t_max);
  // EDM (Karras et al. 2022), variance exploding: alpha = 1, sigma = t on [0.002, 80].
  static Schedule edm();
  // The linear interpolant (rectified flow, flow matching): alpha = 1 - t, sigma = t on
  // [0.001, 0.999].
  static Schedule linear();
  // "simple", "cosine", "edm" or "linear" (case-insensitive); nullopt otherwise.
  static std::optional<Schedule> by_name(std::string_view name);
  // The names by_name takes, for messages: "simple, cosine, edm or linear".
  static const char* names();

  ScheduleKind kind() const { return kind_; }
  std::string name() const;
  double f(double t) const;       // drift coefficient
  double g2(double t) const;      // noise variance rate g(t)^2
  double alpha(double t) const;   // mean factor of the marginal
  double sigma2(double t) const;  // variance of the marginal (per dimension)
  double sigma(double t) const;
  // d alpha / dt and d sigma / dt (f = alpha'/alpha, g^2 = 2 sigma sigma' - 2 f sigma^2).
  double dalpha(double t) const;
  double dsigma(double t) const;
  // The standard deviation of the generative dynamics' initial law N(0, prior_std^2 I):
  // 1 for the variance-preserving schedules (the paper's prior), sigma(T_max) for EDM
  // (80) and the linear interpolant (0.999), where the law at T_max is that wide.
  double prior_std() const;
  // The noise level σ/α (EDM's σ of the scaled variable x/α; t for EDM) and its inverse,
  // both closed forms (increasing in t).
  double noise_ratio(double t) const;
  double time_of_ratio(double r) const;
  // The time grid of an N-step run, from t_max (n = 0) down to t_min (n = N): uniform in t
  // (SCIENCE.md §2) except for EDM, whose grid is Karras et al.'s with ρ = 7 (uniform in
  // t^(1/ρ), dense near t_min: a uniform grid on [0.002, 80] would take steps of 0.08 where
  // the law varies on the scale 0.002). A Karras grid's ends are exact; a uniform one is
  // T_max − n Δt, as the samplers have always computed it.
  double step_time(int n, int steps) const;
  // |dt/du| of that grid at t, u = n / N: a step near t is about grid_speed(t) / N long.
  double grid_speed(double t) const;
  // 0 for a uniform grid, ρ for a Karras grid.
  double grid_rho() const { return kind_ == ScheduleKind::kEdm ? 7.0 : 0.0; }
  // The paper's SIMPLE and COSINE (SCIENCE.md §1): true; EDM, linear and constant: false.
  bool variance_preserving() const { return kind_ == ScheduleKind::kSimple || kind_ == ScheduleKind::kCosine; }
  double t_min() const { return t_min_; }
  double t_max() const { return t_max_; }

 private:
  Schedule(ScheduleKind k, double t_min, double t_max, double beta)
      : kind_(k), t_min_(t_min), t_max_(t_max), beta_(beta) {}
  ScheduleKind kind_;
  double t_min_, t_max_, beta_;
};

}  // namespace hbar
