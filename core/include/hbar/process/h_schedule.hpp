#pragma once
// Noise schedules h(t) ≥ 0 of the generative dynamics (SCIENCE.md §11):
//   dx = [f x − (1 + h(t))/2 g² s] dt + √h(t) g dw̄.
// Three kinds: constant (the paper's), windows (h on a union of closed intervals of t,
// 0 elsewhere; EDM's churn window) and knots (piecewise linear through (t_i, h_i),
// held constant before the first and after the last knot).
//
// A schedule's height is its largest value; with_height(H) rescales it so that the
// height becomes H (sweeps and the app's h slider move the height, the shape stays).
#include <string>
#include <string_view>
#include <vector>

namespace hbar {

enum class HScheduleKind { kConstant, kWindow, kKnots };

struct HInterval {
  double a = 0, b = 0;  // a < b
  bool operator==(const HInterval&) const = default;
};

struct HKnot {
  double t = 0, h = 0;
  bool operator==(const HKnot&) const = default;
};

class HSchedule {
 public:
  HSchedule() = default;  // constant 0: the probability-flow ODE
  // Each factory throws std::invalid_argument with the reason: a negative or non-finite
  // h, an empty or reversed window, overlapping windows, knots out of order.
  static HSchedule constant(double h);
  static HSchedule window(double h, std::vector<HInterval> windows);
  static HSchedule knots(std::vector<HKnot> knots);

  HScheduleKind kind() const { return kind_; }
  double at(double t) const;
  double height() const;
  // The same shape with height H (≥ 0). A knots schedule that is 0 everywhere becomes
  // constant H through its knots.
  HSchedule with_height(double h) const;
  // Windows cut to [t_min, t_max] (a window left empty is dropped; throws if none is
  // left); other kinds are unchanged.
  HSchedule clipped(double t_min, double t_max) const;
  // ∫_{t_min}^{t_max} h(t) dt, exactly.
  double integral(double t_min, double t_max) const;
  // Times where h(t) has a kink or jump (window edges, knot times), sorted.
  std::vector<double> breakpoints() const;
  // True if h(t) = c for every t of [t_min, t_max] (a constant, or a window covering it).
  bool is_constant_on(double t_min, double t_max) const;
  const std::vector<HInterval>& windows() const { return windows_; }
  const std::vector<HKnot>& knot_list() const { return knots_; }
  // "constant 0.3", "window 0.3 on [0.1, 0.4]", "knots 0.1:0, 0.5:0.3"
  std::string describe() const;
  bool operator==(const HSchedule&) const = default;

 private:
  HScheduleKind kind_ = HScheduleKind::kConstant;
  double h_ = 0;
  std::vector<HInterval> windows_;
  std::vector<HKnot> knots_;
};

// "A:B" or "A:B,C:D,…" (the CLI's --h-window, the scripts' set h-window). Throws
// std::invalid_argument naming the bad part.
std::vector<HInterval> parse_windows(std::string_view spec);
// "t1:h1,t2:h2,…" (--h-knots, set h-knots).
std::vector<HKnot> parse_knots(std::string_view spec);
// A finite number that is all of `text`; throws std::invalid_argument naming `spec`
// ("'0.1:x': 'x' is not a number"). The sweep's range parser shares it.
double parse_spec_number(std::string_view text, std::string_view spec);
// Inverse of the parsers (shortest round-tripping numbers).
std::string format_windows(const std::vector<HInterval>& w);
std::string format_knots(const std::vector<HKnot>& k);

}  // namespace hbar
