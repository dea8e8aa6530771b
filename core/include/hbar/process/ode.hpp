#pragma once
// Adaptive Dormand–Prince 5(4) for a batch of independent systems that share one
// step size: row r of the state is system r. The error of a trial step is the largest
// per-row RMS of e_j / (atol + rtol·max(|y_j|, |y_new_j|)), so the step suits the
// hardest system of the batch and every system meets the tolerance.
#include <Eigen/Core>
#include <functional>

namespace hbar {

struct OdeOptions {
  double rtol = 1e-6;
  double atol = 1e-8;
  double first_step = 0;  // 0: 1e-3 of the interval
  long max_steps = 200000;
};

struct OdeStats {
  long steps = 0;
  long rejected = 0;
  long rhs_evals = 0;
};

// dy = rhs(t, y). The state is n × m, one system per row.
using OdeRhs = std::function<void(double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy)>;

// Sees the state and its derivative at t0 and after every accepted step (dy is the
// right-hand side at (t, y): Dormand–Prince's first-same-as-last stage, no extra call).
using OdeObserver = std::function<void(double t, const Eigen::MatrixXd& y, const Eigen::MatrixXd& dy)>;

// Integrates y from t0 to t1 (either direction) in place. Throws std::runtime_error
// when max_steps is exceeded or the step underflows (a non-finite right-hand side).
// `cancelled` is polled once per step; when it returns true, hbar::Cancelled is thrown.
OdeStats integrate_dopri5(const OdeRhs& rhs, double t0, double t1, Eigen::MatrixXd& y, const OdeOptions& opt,
                          const std::function<bool()>& cancelled = {}, const OdeObserver& observe = {});

}  // namespace hbar
