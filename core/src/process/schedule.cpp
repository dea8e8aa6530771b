#include "hbar/process/schedule.hpp"
#include "hbar/base/text.hpp"
#include "hbar/base/types.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

namespace hbar {

Schedule Schedule::simple() { return {ScheduleKind::kSimple, 0.01, 1.0, 0.0}; }
Schedule Schedule::cosine() { return {ScheduleKind::kCosine, 0.01, 0.999, 0.0}; }
Schedule Schedule::constant(double beta, double t_min, double t_max) {
  return {ScheduleKind::kConstant, t_min, t_max, beta};
}

std::optional<Schedule> Schedule::by_name(std::string_view name) {
  const auto n = to_lower(name);
  if (n == "simple") return simple();
  if (n == "cosine") return cosine();
  return std::nullopt;
}

std::string Schedule::name() const {
  switch (kind_) {
    case ScheduleKind::kSimple: return "simple";
    case ScheduleKind::kCosine: return "cosine";
    case ScheduleKind::kConstant: return "constant";
  }
  return "?";
}

double Schedule::f(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return -10.0 * t;
    case ScheduleKind::kCosine: return -0.5 * kPi * std::tan(0.5 * kPi * t);
    case ScheduleKind::kConstant: return -0.5 * beta_;
  }
  return 0.0;
}

double Schedule::g2(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return 20.0 * t;
    case ScheduleKind::kCosine: return kPi * std::tan(0.5 * kPi * t);
    case ScheduleKind::kConstant: return beta_;
  }
  return 0.0;
}

double Schedule::alpha(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return std::exp(-5.0 * t * t);
    case ScheduleKind::kCosine: return std::cos(0.5 * kPi * t);
    case ScheduleKind::kConstant: return std::exp(-0.5 * beta_ * t);
  }
  return 1.0;
}

double Schedule::sigma2(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return -std::expm1(-10.0 * t * t);
    case ScheduleKind::kCosine: {
      const double s = std::sin(0.5 * kPi * t);
      return s * s;
    }
    case ScheduleKind::kConstant: return -std::expm1(-beta_ * t);
  }
  return 0.0;
}

double Schedule::sigma(double t) const { return std::sqrt(sigma2(t)); }

}  // namespace hbar
