#include "hbar/process/ode.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "hbar/base/progress.hpp"

namespace hbar {
namespace {
// Dormand & Prince (1980), the RK5(4)7M pair; b equals the last row of a (FSAL).
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
// b − b̂ (fifth minus embedded fourth order).
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
}  // namespace

OdeStats integrate_dopri5(const OdeRhs& rhs, double t0, double t1, Eigen::MatrixXd& y, const OdeOptions& opt,
                          const std::function<bool()>& cancelled, const OdeObserver& observe) {
  OdeStats st;
  const double span = t1 - t0;
  if (span == 0.0 || y.size() == 0) return st;
  const double dir = span > 0 ? 1.0 : -1.0;
  double h = opt.first_step > 0 ? opt.first_step : 1e-3 * std::abs(span);
  const Eigen::Index n = y.rows(), m = y.cols();
  Eigen::MatrixXd k1(n, m), k2(n, m), k3(n, m), k4(n, m), k5(n, m), k6(n, m), k7(n, m), tmp(n, m), yn(n, m);
  double t = t0;
  rhs(t, y, k1);
  ++st.rhs_evals;
  if (observe) observe(t, y, k1);
  bool last_rejected = false;
  while (dir * (t1 - t) > 0) {
    if (cancelled && cancelled()) throw Cancelled();
    if (st.steps + st.rejected >= opt.max_steps)
      throw std::runtime_error("ODE solver: more than " + std::to_string(opt.max_steps) + " steps");
    bool final_step = false;
    if (h >= std::abs(t1 - t)) {
      h = std::abs(t1 - t);
      final_step = true;
    }
    if (h <= 1e-14 * std::max(1.0, std::abs(t)))
      throw std::runtime_error("ODE solver: step size underflow at t = " + std::to_string(t));
    const double hs = dir * h;
    tmp = y + hs * a21 * k1;
    rhs(t + c2 * hs, tmp, k2);
    tmp = y + hs * (a31 * k1 + a32 * k2);
    rhs(t + c3 * hs, tmp, k3);
    tmp = y + hs * (a41 * k1 + a42 * k2 + a43 * k3);
    rhs(t + c4 * hs, tmp, k4);
    tmp = y + hs * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4);
    rhs(t + c5 * hs, tmp, k5);
    tmp = y + hs * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5);
    rhs(t + hs, tmp, k6);
    yn = y + hs * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6);
    const double t_new = final_step ? t1 : t + hs;
    rhs(t_new, yn, k7);
    st.rhs_evals += 6;
    tmp = hs * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7);
    double err = 0;
    for (Eigen::Index r = 0; r < n; ++r) {
      double acc = 0;
      for (Eigen::Index j = 0; j < m; ++j) {
        const double sc = opt.atol + opt.rtol * std::max(std::abs(y(r, j)), std::abs(yn(r, j)));
        const double q = tmp(r, j) / sc;
        acc += q * q;
      }
      // Not std::max, which drops a NaN second argument: a row whose trial step is not
      // finite must reject the step, not be carried along by the others.
      const double row_err = std::sqrt(acc / static_cast<double>(m));
      if (!(row_err <= err)) err = row_err;
    }
    if (!std::isfinite(err)) {
      // A non-finite trial (overflow in a stiff region): shrink hard and retry.
      h *= 0.1;
      ++st.rejected;
      last_rejected = true;
      continue;
    }
    if (err <= 1.0) {
      t = t_new;
      y.swap(yn);
      k1.swap(k7);
      ++st.steps;
      if (observe) observe(t, y, k1);
      double fac = err == 0.0 ? 5.0 : std::clamp(0.9 * std::pow(err, -0.2), 0.2, 5.0);
      if (last_rejected) fac = std::min(fac, 1.0);
      h *= fac;
      last_rejected = false;
    } else {
      h *= std::max(0.2, 0.9 * std::pow(err, -0.2));
      ++st.rejected;
      last_rejected = true;
    }
  }
  return st;
}

}  // namespace hbar
