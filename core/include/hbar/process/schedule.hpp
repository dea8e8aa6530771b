#pragma once
// Noise schedules of the forward SDE dx = f(t) x dt + g(t) dw (SCIENCE.md §1).
#include <optional>
#include <string>
#include <string_view>

namespace hbar {

enum class ScheduleKind { kSimple, kCosine, kConstant };

class Schedule {
 public:
  // SIMPLE: VP with beta(t) = 20 t on [0.01, 1].
  static Schedule simple();
  // COSINE: alpha = cos(pi t / 2) on [0.01, 0.999].
  static Schedule cosine();
  // Constant beta (the 1-D toy model, §9): f = -beta/2, g^2 = beta, on [t_min, t_max].
  static Schedule constant(double beta, double t_min, double t_max);
  // "simple" or "cosine" (case-insensitive); nullopt otherwise.
  static std::optional<Schedule> by_name(std::string_view name);

  ScheduleKind kind() const { return kind_; }
  std::string name() const;
  double f(double t) const;       // drift coefficient
  double g2(double t) const;      // noise variance rate g(t)^2
  double alpha(double t) const;   // mean factor of the marginal
  double sigma2(double t) const;  // variance of the marginal (per dimension)
  double sigma(double t) const;
  double t_min() const { return t_min_; }
  double t_max() const { return t_max_; }

 private:
  Schedule(ScheduleKind k, double t_min, double t_max, double beta)
      : kind_(k), t_min_(t_min), t_max_(t_max), beta_(beta) {}
  ScheduleKind kind_;
  double t_min_, t_max_, beta_;
};

}  // namespace hbar
