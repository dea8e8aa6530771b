#pragma once
// Likelihood of the h-dynamics (SCIENCE.md §5): log q⁰ from the probability-flow
// ODE as a continuous normalising flow with the exact divergence, and the WKB
// coefficient C of log q^h = log q⁰ + h C + O(h²), exactly or by the paper's finite
// differences.
//
// Exact C in two passes: (1) integrate (x, ℓ) from T_min to T_max; (2) integrate back
// from T_max the PF path x, a = ∇log q⁰_t(x), H = ∇∇log q⁰_t(x) (their transport
// equations of §5) and the integral
//     C = −∫ g²/2 [ a·(s − a) + ∇·s − tr H ] dt.
// The second form follows from §5's joint (x, δx, c) system: the adjoint of the linear
// δx equation with the boundary term δx(T)·∇log π obeys the same equation and end
// value as a, so c(T) + δx(T)·∇log π(x(T)) = ∫ (w + a·b) dt with b = −g²/2 (s − a),
// w = −g²/2 (∇·s − Δlog q⁰_t). No storage or interpolation of the backward pass.
#include <Eigen/Core>
#include <functional>
#include <vector>

#include "hbar/process/ode.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/likelihood/wkb_time.hpp"

namespace hbar {

enum class FirstOrder { kNone, kExact, kFiniteDifference };

struct LikelihoodConfig {
  OdeOptions ode{1e-6, 1e-8};   // outer solves (and the exact method's backward pass)
  double prior_var = 0.0;       // π = N(0, prior_var I); 0: the schedule's (Schedule::prior_std²)
  Eigen::Index batch = 10;      // points integrated together (one shared step)
  int threads = 0;              // 0: all
  // Finite-difference method (the reference code's): central differences of nested
  // zeroth-order solves with step fd_dx, each solved with fd_inner.
  double fd_dx = 0.01;
  OdeOptions fd_inner{1e-6, 1e-8};
  // Exact method only: keep c(x0, t) of every point at the backward pass's steps
  // (SCIENCE.md §11; no extra score evaluations). The pass also stops at each time of
  // c_stops inside (T_min, T_max), so windows with those edges are exact to the ODE
  // tolerance rather than to the interpolation between steps.
  bool keep_c = false;
  std::vector<double> c_stops;
  double escape_radius = 1e6;  // see "Escaped points" above
};

// Escaped points: a PF path that reaches |x| = escape_radius · √prior_var (LikelihoodConfig)
// before T_max is stopped there. The flow has carried the point a million prior standard
// deviations out, beyond every region a model of the data covers — an untrained or
// extrapolating network's field grows linearly far out, and a path that wanders there
// runs away exponentially — so log π(x(T_max)) < −5·10¹¹: the point has no density under
// the model worth the name. (Followed further, such a path overflows a double, and its
// backward pass's ∇∇log q⁰ overflows long before.) It is reported (index, time); its log q⁰
// is −∞ and its C NaN — never a number, never a silent NaN.
struct Escape {
  Eigen::Index index;  // row of x0
  double t;            // the first accepted step beyond the radius
};

struct LikelihoodResult {
  Eigen::VectorXd logq0;  // log q⁰(x0) per point (−∞ for an escaped point)
  // C(x0) per point (empty for FirstOrder::kNone). NaN when the point escaped, and with
  // finite differences also where a neighbour at fd_dx escaped (no difference quotient).
  Eigen::VectorXd c;
  std::vector<Escape> escaped;   // sorted by index
  std::vector<CTrace> c_traces;  // with keep_c: c(x0, t) per point
  long rhs_evals = 0;     // score evaluations (rows × calls), summed over batches
};

// log q⁰ at T_min and, if asked, C. Throws std::invalid_argument when the model lacks
// the derivatives the method needs, hbar::Cancelled when progress->cancel is set.
LikelihoodResult likelihood(const ScoreModel& model, const Schedule& schedule, const Points& x0,
                            FirstOrder order, const LikelihoodConfig& cfg, Progress* progress = nullptr);

// The entries of the points that did not escape, in their order.
Eigen::VectorXd without_escaped(const Eigen::VectorXd& v, const std::vector<Escape>& escaped);
std::vector<CTrace> without_escaped(const std::vector<CTrace>& v, const std::vector<Escape>& escaped);

// log q⁰_t(x) at an intermediate time t (integrate from t to T_max).
Eigen::VectorXd log_q0_at(const ScoreModel& model, const Schedule& schedule, const Points& x, double t,
                          const LikelihoodConfig& cfg, Progress* progress = nullptr);

// For tests: a = ∇log q⁰_t and H = ∇∇log q⁰_t (row-major 2×2) at the PF-path point
// x_t reached from x0, by the exact backward pass stopped at t. Returns x_t in `xt`.
void log_q0_derivatives_on_path(const ScoreModel& model, const Schedule& schedule, const Vec2& x0, double t,
                                const LikelihoodConfig& cfg, Vec2& xt, Vec2& a, Mat2& h);

}  // namespace hbar
