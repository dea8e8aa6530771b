#pragma once
// When does noise help? The time density c(x0, t) of the WKB coefficient (SCIENCE.md §11):
//     log q^{h(·)}(x0) = log q⁰(x0) + ∫ h(t) c(x0, t) dt + O(h²),   C(x0) = ∫ c dt,
//     c = g²/2 [a·a − a·s + tr H − ∇·s]   on the PF path through x0.
// The exact first-order method's backward pass evaluates c at each accepted step; a
// CTrace keeps it (see LikelihoodConfig::keep_c). Between steps K(t) = ∫_t^{T_max} c is
// the cubic Hermite interpolant of its values and slopes (−c), so windows, c at any
// time and ∫ h c dt are all integrals of one piecewise-polynomial function: additive
// over a partition of time and summing to C exactly.
#include <cstddef>
#include <vector>

#include "hbar/process/h_schedule.hpp"

namespace hbar {

struct CTrace {
  std::vector<double> t;  // increasing, t.front() = T_min, t.back() = T_max
  std::vector<double> k;  // K(t) = ∫_t^{T_max} c dt (k.front() = C)
  std::vector<double> c;  // c(x0, t)

  double total() const { return k.empty() ? 0.0 : k.front(); }
  double k_at(double time) const;  // K at any time (clamped to the trace's range)
  double at(double time) const;    // c at any time (exact at the steps)
  double window(double a, double b) const { return k_at(a) - k_at(b); }  // ∫_a^b c dt
  double weighted(const HSchedule& h) const;                              // ∫ h(t) c(t) dt
};

// c̄(t) over points with its standard error, on a grid adapted so that the trapezoid rule
// over it gives the mean of ∫ c dt over every grid interval within rel_tol (dense where c̄
// varies fast: near T_min).
struct CCurve {
  std::vector<double> t, mean, sem;
  std::size_t points = 0;
  double c_mean = 0;  // mean C over the points
  double trapezoid() const;
};
// Throws std::invalid_argument if traces is empty or their time ranges differ.
CCurve c_mean_curve(const std::vector<CTrace>& traces, double rel_tol = 0.01);

struct MeanStd {
  double mean = 0, std = 0, sem = 0;
};
// ∫ h(t) c(x0, t) dt over the points: mean, std, std/√n.
MeanStd weighted_stats(const std::vector<CTrace>& traces, const HSchedule& h);

// The first-order best schedule under 0 ≤ h(t) ≤ h_max: h_max where c̄(t) > 0 and 0
// elsewhere (zero crossings of the curve interpolated linearly). Constant 0 when c̄ ≤ 0
// everywhere.
HSchedule best_schedule(const CCurve& curve, double h_max);
// The window of the given length with the largest ∫_W c̄ dt (mean over the traces).
// Throws std::invalid_argument if the length is not in (0, T_max − T_min].
HInterval best_window(const std::vector<CTrace>& traces, double length);

}  // namespace hbar
