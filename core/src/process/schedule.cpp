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

Schedule Schedule::edm() { return {ScheduleKind::kEdm, 0.002, 80.0, 0.0}; }
Schedule Schedule::linear() { return {ScheduleKind::kLinear, 0.001, 0.999, 0.0}; }

std::optional<Schedule> Schedule::by_name(std::string_view name) {
  const auto n = to_lower(name);
  if (n == "simple") return simple();
  if (n == "cosine") return cosine();
  if (n == "edm") return edm();
  if (n == "linear") return linear();
  return std::nullopt;
}

const char* Schedule::names() { return "simple, cosine, edm or linear"; }

std::string Schedule::name() const {
  switch (kind_) {
    case ScheduleKind::kSimple: return "simple";
    case ScheduleKind::kCosine: return "cosine";
    case ScheduleKind::kConstant: return "constant";
    case ScheduleKind::kEdm: return "edm";
    case ScheduleKind::kLinear: return "linear";
  }
  return "?";
}

double Schedule::f(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return -10.0 * t;
    case ScheduleKind::kCosine: return -0.5 * kPi * std::tan(0.5 * kPi * t);
    case ScheduleKind::kConstant: return -0.5 * beta_;
    case ScheduleKind::kEdm: return 0.0;
    case ScheduleKind::kLinear: return -1.0 / (1.0 - t);
  }
  return 0.0;
}

double Schedule::g2(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return 20.0 * t;
    case ScheduleKind::kCosine: return kPi * std::tan(0.5 * kPi * t);
    case ScheduleKind::kConstant: return beta_;
    case ScheduleKind::kEdm: return 2.0 * t;
    case ScheduleKind::kLinear: return 2.0 * t / (1.0 - t);
  }
  return 0.0;
}

double Schedule::alpha(double t) const {
  switch (kind_) {
    case ScheduleKind::kSimple: return std::exp(-5.0 * t * t);
    case ScheduleKind::kCosine: return std::cos(0.5 * kPi * t);
    case ScheduleKind::kConstant: return std::exp(-0.5 * beta_ * t);
    case ScheduleKind::kEdm: return 1.0;
    case ScheduleKind::kLinear: return 1.0 - t;
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
    case ScheduleKind::kEdm:
    case ScheduleKind::kLinear: return t * t;
  }
  return 0.0;
}

double Schedule::sigma(double t) const {
  if (kind_ == ScheduleKind::kEdm || kind_ == ScheduleKind::kLinear) return t;
  return std::sqrt(sigma2(t));
}

double Schedule::dalpha(double t) const {
  switch (kind_) {
    case ScheduleKind::kEdm: return 0.0;
    case ScheduleKind::kLinear: return -1.0;
    default: return f(t) * alpha(t);
  }
}

double Schedule::dsigma(double t) const {
  switch (kind_) {
    case ScheduleKind::kEdm:
    case ScheduleKind::kLinear: return 1.0;
    default: {
      // From g^2 = 2 sigma sigma' - 2 f sigma^2.
      const double s = sigma(t);
      return (0.5 * g2(t) + f(t) * s * s) / s;
    }
  }
}

double Schedule::noise_ratio(double t) const {
  switch (kind_) {
    case ScheduleKind::kEdm: return t;
    case ScheduleKind::kLinear: return t / (1.0 - t);
    case ScheduleKind::kSimple: return std::sqrt(std::expm1(10.0 * t * t));
    case ScheduleKind::kCosine: return std::tan(0.5 * kPi * t);
    case ScheduleKind::kConstant: return std::sqrt(std::expm1(beta_ * t));
  }
  return 0.0;
}

double Schedule::time_of_ratio(double r) const {
  switch (kind_) {
    case ScheduleKind::kEdm: return r;
    case ScheduleKind::kLinear: return r / (1.0 + r);
    case ScheduleKind::kSimple: return std::sqrt(std::log1p(r * r) / 10.0);
    case ScheduleKind::kCosine: return 2.0 / kPi * std::atan(r);
    case ScheduleKind::kConstant: return std::log1p(r * r) / beta_;
  }
  return 0.0;
}

double Schedule::step_time(int n, int steps) const {
  const double rho = grid_rho();
  // T_max − n Δt, the expression the samplers have always used (bit for bit).
  if (rho == 0) return t_max_ - n * ((t_max_ - t_min_) / steps);
  if (n <= 0) return t_max_;
  if (n >= steps) return t_min_;
  const double u = static_cast<double>(n) / steps;
  const double a = std::pow(t_max_, 1.0 / rho), b = std::pow(t_min_, 1.0 / rho);
  return std::pow(a + u * (b - a), rho);
}

double Schedule::grid_speed(double t) const {
  const double rho = grid_rho();
  if (rho == 0) return t_max_ - t_min_;
  const double a = std::pow(t_max_, 1.0 / rho), b = std::pow(t_min_, 1.0 / rho);
  return rho * std::pow(t, (rho - 1.0) / rho) * (a - b);
}

double Schedule::prior_std() const {
  switch (kind_) {
    case ScheduleKind::kEdm:
    case ScheduleKind::kLinear: return sigma(t_max_);
    default: return 1.0;
  }
}

}  // namespace hbar
