#include "hbar/likelihood/likelihood.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <exception>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace hbar {
namespace {

double log_prior(double x, double y, double pv) {
  return -(x * x + y * y) / (2.0 * pv) - std::log(2.0 * std::numbers::pi * pv);
}

// A row whose position is beyond the escape radius stands still (likelihood.hpp, "Escaped points"):
// its derivative is zero, so it neither moves nor sets the batch's step.
bool beyond(const Eigen::MatrixXd& y, Eigen::Index r, double radius2) {
  return y(r, 0) * y(r, 0) + y(r, 1) * y(r, 1) > radius2;
}

// Zeroth order: state [x, y, ℓ] per row; ẋ = f_PF, ℓ̇ = ∇·f_PF.
struct ZerothOrder {
  const ScoreModel& model;
  const Schedule& sched;
  long* evals;
  double radius2;  // escape radius squared
  void operator()(double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) const {
    const Eigen::Index n = y.rows();
    Points x = y.leftCols<2>();
    Points s(n, 2);
    Jacobians j(n, 4);
    model.score_jacobian(x, t, s, j);
    *evals += n;
    const double f = sched.f(t), hg = 0.5 * sched.g2(t);
    dy.col(0) = f * y.col(0) - hg * s.col(0);
    dy.col(1) = f * y.col(1) - hg * s.col(1);
    dy.col(2) = Eigen::VectorXd::Constant(n, 2.0 * f) - hg * (j.col(0) + j.col(3));
    for (Eigen::Index r = 0; r < n; ++r)
      if (beyond(y, r, radius2)) dy.row(r).setZero();
  }
};

// The exact method's backward pass: state [x(2), a(2), H(4), K] per row, with
// K(t) = ∫_t^{T_max} q dt, q = −g²/2 [a·(s − a) + ∇·s − tr H]  (so K̇ = −q).
struct BackwardPass {
  const ScoreModel& model;
  const Schedule& sched;
  long* evals;
  double radius2;
  void operator()(double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) const {
    const Eigen::Index n = y.rows();
    Points x = y.leftCols<2>();
    ScoreDerivatives d;
    model.score_derivatives(x, t, d);
    *evals += n;
    const double f = sched.f(t), hg = 0.5 * sched.g2(t);
    for (Eigen::Index r = 0; r < n; ++r) {
      if (beyond(y, r, radius2)) {  // an escaped point (pass 1) stays where it stopped
        dy.row(r).setZero();
        continue;
      }
      Mat2 js;
      js << d.jac(r, 0), d.jac(r, 1), d.jac(r, 2), d.jac(r, 3);
      const Mat2 jf = f * Mat2::Identity() - hg * js;  // J_f(i,j) = ∂_j f_i
      const Vec2 s(d.s(r, 0), d.s(r, 1));
      const Vec2 a(y(r, 2), y(r, 3));
      Mat2 h;
      h << y(r, 4), y(r, 5), y(r, 6), y(r, 7);
      const Vec2 grad_div_f = -hg * Vec2(d.grad_div(r, 0), d.grad_div(r, 1));
      Mat2 hess_div_f;
      hess_div_f << d.hess_div(r, 0), d.hess_div(r, 1), d.hess_div(r, 2), d.hess_div(r, 3);
      hess_div_f *= -hg;
      Mat2 sum_a_hess_f = Mat2::Zero();  // Σ_k a_k ∇∇f_k, ∇∇f_k = −g²/2 ∇∇s_k
      for (int k = 0; k < 2; ++k) {
        Mat2 hk;
        hk << d.hess(r, 4 * k + 0), d.hess(r, 4 * k + 1), d.hess(r, 4 * k + 2), d.hess(r, 4 * k + 3);
        sum_a_hess_f += a[k] * (-hg) * hk;
      }
      const Vec2 fpf = f * Vec2(y(r, 0), y(r, 1)) - hg * s;
      const Vec2 da = -jf.transpose() * a - grad_div_f;
      const Mat2 dh = -hess_div_f - sum_a_hess_f - jf.transpose() * h - h * jf;
      const double div_s = d.jac(r, 0) + d.jac(r, 3);
      const double q = -hg * (a.dot(s - a) + div_s - h.trace());
      dy(r, 0) = fpf[0];
      dy(r, 1) = fpf[1];
      dy(r, 2) = da[0];
      dy(r, 3) = da[1];
      dy(r, 4) = dh(0, 0);
      dy(r, 5) = dh(0, 1);
      dy(r, 6) = dh(1, 0);
      dy(r, 7) = dh(1, 1);
      dy(r, 8) = -q;
    }
  }
};

// The backward pass from T_max to T_min in segments between the stops, recording each
// row's t, K = z(·, 8) and c = −K̇ at every accepted step into traces[0 … rows).
void backward_with_traces(const BackwardPass& pass, const Schedule& sched, const LikelihoodConfig& cfg,
                          Eigen::MatrixXd& z, const std::function<bool()>& cancelled, CTrace* traces) {
  std::vector<double> stops{sched.t_max()};
  std::vector<double> inner;
  for (double s : cfg.c_stops)
    if (s > sched.t_min() && s < sched.t_max()) inner.push_back(s);
  std::sort(inner.begin(), inner.end(), std::greater<>());
  inner.erase(std::unique(inner.begin(), inner.end()), inner.end());
  stops.insert(stops.end(), inner.begin(), inner.end());
  stops.push_back(sched.t_min());
  const Eigen::Index rows = z.rows();
  const OdeObserver record = [&](double t, const Eigen::MatrixXd& y, const Eigen::MatrixXd& dy) {
    for (Eigen::Index r = 0; r < rows; ++r) {
      CTrace& tr = traces[r];
      if (!tr.t.empty() && tr.t.back() == t) continue;  // a segment's start repeats the last end
      tr.t.push_back(t);
      tr.k.push_back(y(r, 8));
      tr.c.push_back(-dy(r, 8));
    }
  };
  for (std::size_t i = 1; i < stops.size(); ++i)
    integrate_dopri5(pass, stops[i - 1], stops[i], z, cfg.ode, cancelled, record);
  for (Eigen::Index r = 0; r < rows; ++r) {  // recorded backwards in time: make t increase
    CTrace& tr = traces[r];
    std::reverse(tr.t.begin(), tr.t.end());
    std::reverse(tr.k.begin(), tr.k.end());
    std::reverse(tr.c.begin(), tr.c.end());
  }
}

double escape_radius2(const LikelihoodConfig& cfg) { return cfg.escape_radius * cfg.escape_radius * cfg.prior_var; }

// log q⁰ of the rows of y = [x, ℓ] at T_max; −∞ for an escaped row.
double log_q0_of_row(const Eigen::MatrixXd& y, Eigen::Index r, const LikelihoodConfig& cfg) {
  if (beyond(y, r, escape_radius2(cfg))) return -std::numeric_limits<double>::infinity();
  return log_prior(y(r, 0), y(r, 1), cfg.prior_var) + y(r, 2);
}

// log q⁰_t at the rows of x (integrate [x, ℓ] from t to T_max).
Eigen::VectorXd log_q0_batch(const ScoreModel& model, const Schedule& sched, const Points& x, double t,
                             const OdeOptions& ode, const LikelihoodConfig& cfg, long* evals,
                             const std::function<bool()>& cancelled) {
  Eigen::MatrixXd y(x.rows(), 3);
  y.leftCols<2>() = x;
  y.col(2).setZero();
  integrate_dopri5(ZerothOrder{model, sched, evals, escape_radius2(cfg)}, t, sched.t_max(), y, ode, cancelled);
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) out[r] = log_q0_of_row(y, r, cfg);
  return out;
}

// The reference code's method: forward [x(2), δx(2), c] with ∇log q⁰_t and Δlog q⁰_t
// from central differences of nested zeroth-order solves (5 per point and call).
struct FiniteDifferencePass {
  const ScoreModel& model;
  const Schedule& sched;
  const LikelihoodConfig& cfg;
  long* evals;
  std::function<bool()> cancelled;
  // Rows where a neighbour's PF path escaped: log q⁰_t has no finite differences there,
  // so the row stops and its C is NaN (a stage of a rejected step can mark a row too:
  // only where the path's neighbourhood itself runs away).
  std::vector<char>* undefined;
  void operator()(double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) const {
    const Eigen::Index n = y.rows();
    Points x = y.leftCols<2>();
    ScoreDerivatives d;
    model.score_derivatives(x, t, d);
    *evals += n;
    const double dx = cfg.fd_dx, radius2 = escape_radius2(cfg);
    Points probe(5 * n, 2);
    for (Eigen::Index r = 0; r < n; ++r) {
      const Vec2 c(x(r, 0), x(r, 1));
      probe.row(5 * r + 0) = c.transpose();
      probe.row(5 * r + 1) = (c + Vec2(dx, 0)).transpose();
      probe.row(5 * r + 2) = (c - Vec2(dx, 0)).transpose();
      probe.row(5 * r + 3) = (c + Vec2(0, dx)).transpose();
      probe.row(5 * r + 4) = (c - Vec2(0, dx)).transpose();
    }
    const Eigen::VectorXd l = log_q0_batch(model, sched, probe, t, cfg.fd_inner, cfg, evals, cancelled);
    const double f = sched.f(t), hg = 0.5 * sched.g2(t);
    for (Eigen::Index r = 0; r < n; ++r) {
      const double* v = l.data() + 5 * r;
      bool finite = true;
      for (int k = 0; k < 5; ++k) finite = finite && std::isfinite(v[k]);
      if (!finite) (*undefined)[static_cast<std::size_t>(r)] = 1;
      if (beyond(y, r, radius2) || (*undefined)[static_cast<std::size_t>(r)]) {
        dy.row(r).setZero();
        continue;
      }
      const Vec2 grad((v[1] - v[2]) / (2 * dx), (v[3] - v[4]) / (2 * dx));
      const double lap = (v[1] + v[2] + v[3] + v[4] - 4 * v[0]) / (dx * dx);
      Mat2 js;
      js << d.jac(r, 0), d.jac(r, 1), d.jac(r, 2), d.jac(r, 3);
      const Mat2 jf = f * Mat2::Identity() - hg * js;
      const Vec2 s(d.s(r, 0), d.s(r, 1));
      const Vec2 ddx(y(r, 2), y(r, 3));
      const Vec2 fpf = f * Vec2(y(r, 0), y(r, 1)) - hg * s;
      const Vec2 dd = jf * ddx - hg * (s - grad);
      const Vec2 grad_div_f = -hg * Vec2(d.grad_div(r, 0), d.grad_div(r, 1));
      const double dc = ddx.dot(grad_div_f) - hg * (d.jac(r, 0) + d.jac(r, 3) - lap);
      dy(r, 0) = fpf[0];
      dy(r, 1) = fpf[1];
      dy(r, 2) = dd[0];
      dy(r, 3) = dd[1];
      dy(r, 4) = dc;
    }
  }
};

void require_derivatives(const ScoreModel& model, const Schedule& sched) {
  ScoreDerivatives d;
  Points probe = Points::Zero(1, 2);
  if (!model.score_derivatives(probe, sched.t_max(), d))
    throw std::invalid_argument("the score model \"" + model.describe() +
                                "\" does not provide the derivatives the first-order term needs");
}

// Runs body(begin, rows) over batches in parallel; rethrows the first exception.
template <class Body>
void for_batches(Eigen::Index n, Eigen::Index batch, int threads, Progress* progress, Body body) {
  batch = std::max<Eigen::Index>(1, batch);
  const Eigen::Index nb = (n + batch - 1) / batch;
  const int nt = threads > 0 ? threads : omp_get_max_threads();
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  std::atomic<Eigen::Index> done{0};
  std::mutex error_mutex;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
  for (Eigen::Index b = 0; b < nb; ++b) {
    if (failed.load()) continue;
    try {
      const Eigen::Index begin = b * batch, rows = std::min(batch, n - begin);
      body(begin, rows);
      const Eigen::Index k = ++done;
      if (progress) progress->fraction.store(static_cast<double>(k) / static_cast<double>(nb));
    } catch (...) {
      const std::lock_guard lock(error_mutex);  // not `omp critical`: see sweep.cpp
      if (!error) error = std::current_exception();
      failed.store(true);
    }
  }
  if (error) std::rethrow_exception(error);
}

// The config with its prior resolved: prior_var 0 is the schedule's own (Schedule::prior_std²).
LikelihoodConfig with_prior(const LikelihoodConfig& cfg, const Schedule& sched) {
  LikelihoodConfig c = cfg;
  if (c.prior_var == 0) c.prior_var = sched.prior_std() * sched.prior_std();
  if (!(c.prior_var > 0) || !std::isfinite(c.prior_var)) throw std::invalid_argument("the prior's variance must be positive");
  return c;
}

std::function<bool()> cancel_poll(Progress* progress) {
  if (!progress) return {};
  return [progress] { return progress->cancelled(); };
}

}  // namespace

LikelihoodResult likelihood(const ScoreModel& model, const Schedule& sched, const Points& x0, FirstOrder order,
                            const LikelihoodConfig& cfg_in, Progress* progress) {
  const LikelihoodConfig cfg = with_prior(cfg_in, sched);
  if (order != FirstOrder::kNone) require_derivatives(model, sched);
  const Eigen::Index n = x0.rows();
  LikelihoodResult res;
  res.logq0.resize(n);
  if (order != FirstOrder::kNone) res.c.resize(n);
  if (cfg.keep_c && order != FirstOrder::kExact)
    throw std::invalid_argument("c(x0, t) needs the exact first-order method");
  if (cfg.keep_c) res.c_traces.resize(static_cast<std::size_t>(n));
  std::atomic<long> evals{0};
  std::mutex escaped_mutex;
  const auto cancelled = cancel_poll(progress);
  const double pv = cfg.prior_var;
  for_batches(n, cfg.batch, cfg.threads, progress, [&](Eigen::Index begin, Eigen::Index rows) {
    long ev = 0;
    // Pass 1: [x, ℓ] from T_min to T_max, noting when a path escapes.
    Eigen::MatrixXd y(rows, 3);
    y.leftCols<2>() = x0.middleRows(begin, rows);
    y.col(2).setZero();
    const double radius2 = escape_radius2(cfg);
    std::vector<double> escape_t(static_cast<std::size_t>(rows), NAN);
    const OdeObserver watch = [&](double t, const Eigen::MatrixXd& yy, const Eigen::MatrixXd&) {
      for (Eigen::Index r = 0; r < rows; ++r)
        if (std::isnan(escape_t[static_cast<std::size_t>(r)]) && beyond(yy, r, radius2))
          escape_t[static_cast<std::size_t>(r)] = t;
    };
    integrate_dopri5(ZerothOrder{model, sched, &ev, radius2}, sched.t_min(), sched.t_max(), y, cfg.ode, cancelled,
                     watch);
    for (Eigen::Index r = 0; r < rows; ++r) {
      res.logq0[begin + r] = log_q0_of_row(y, r, cfg);
      if (!std::isnan(escape_t[static_cast<std::size_t>(r)])) {
        const std::lock_guard lock(escaped_mutex);
        res.escaped.push_back({begin + r, escape_t[static_cast<std::size_t>(r)]});
      }
    }
    if (order == FirstOrder::kExact) {
      Eigen::MatrixXd z(rows, 9);
      z.leftCols<2>() = y.leftCols<2>();
      z.middleCols<2>(2) = -y.leftCols<2>() / pv;
      z.col(4).setConstant(-1.0 / pv);
      z.col(5).setZero();
      z.col(6).setZero();
      z.col(7).setConstant(-1.0 / pv);
      z.col(8).setZero();
      if (cfg.keep_c) {
        backward_with_traces(BackwardPass{model, sched, &ev, radius2}, sched, cfg, z, cancelled,
                             res.c_traces.data() + begin);
      } else {
        integrate_dopri5(BackwardPass{model, sched, &ev, radius2}, sched.t_max(), sched.t_min(), z, cfg.ode,
                         cancelled);
      }
      res.c.segment(begin, rows) = z.col(8);
      for (Eigen::Index r = 0; r < rows; ++r)
        if (beyond(y, r, radius2)) res.c[begin + r] = NAN;
    } else if (order == FirstOrder::kFiniteDifference) {
      Eigen::MatrixXd z(rows, 5);
      z.leftCols<2>() = x0.middleRows(begin, rows);
      z.rightCols<3>().setZero();
      std::vector<char> undefined(static_cast<std::size_t>(rows), 0);
      integrate_dopri5(FiniteDifferencePass{model, sched, cfg, &ev, cancelled, &undefined}, sched.t_min(),
                       sched.t_max(), z, cfg.ode, cancelled);
      for (Eigen::Index r = 0; r < rows; ++r)
        res.c[begin + r] = beyond(z, r, radius2) || undefined[static_cast<std::size_t>(r)]
                               ? NAN
                               : z(r, 4) - (z(r, 2) * z(r, 0) + z(r, 3) * z(r, 1)) / pv;
    }
    evals += ev;
  });
  std::sort(res.escaped.begin(), res.escaped.end(),
            [](const Escape& a, const Escape& b) { return a.index < b.index; });
  res.rhs_evals = evals.load();
  return res;
}

namespace {
template <class T>
T keep_rows(const T& v, Eigen::Index n, const std::vector<Escape>& escaped) {
  if (n == 0) return v;  // nothing kept per point (no c, no traces)
  std::vector<char> out(static_cast<std::size_t>(n), 0);
  for (const Escape& e : escaped) {
    if (e.index >= n) throw std::invalid_argument("without_escaped: a point beyond the values");
    out[static_cast<std::size_t>(e.index)] = 1;
  }
  T kept;
  Eigen::Index k = 0;
  if constexpr (std::is_same_v<T, Eigen::VectorXd>) {
    kept.resize(n - static_cast<Eigen::Index>(escaped.size()));
    for (Eigen::Index i = 0; i < n; ++i)
      if (!out[static_cast<std::size_t>(i)]) kept[k++] = v[i];
  } else {
    for (Eigen::Index i = 0; i < n; ++i)
      if (!out[static_cast<std::size_t>(i)]) kept.push_back(v[static_cast<std::size_t>(i)]);
  }
  return kept;
}
}  // namespace

Eigen::VectorXd without_escaped(const Eigen::VectorXd& v, const std::vector<Escape>& escaped) {
  return keep_rows(v, v.size(), escaped);
}

std::vector<CTrace> without_escaped(const std::vector<CTrace>& v, const std::vector<Escape>& escaped) {
  return keep_rows(v, static_cast<Eigen::Index>(v.size()), escaped);
}

Eigen::VectorXd log_q0_at(const ScoreModel& model, const Schedule& sched, const Points& x, double t,
                          const LikelihoodConfig& cfg_in, Progress* progress) {
  const LikelihoodConfig cfg = with_prior(cfg_in, sched);
  Eigen::VectorXd out(x.rows());
  const auto cancelled = cancel_poll(progress);
  for_batches(x.rows(), cfg.batch, cfg.threads, progress, [&](Eigen::Index begin, Eigen::Index rows) {
    long ev = 0;
    out.segment(begin, rows) =
        log_q0_batch(model, sched, x.middleRows(begin, rows), t, cfg.ode, cfg, &ev, cancelled);
  });
  return out;
}

void log_q0_derivatives_on_path(const ScoreModel& model, const Schedule& sched, const Vec2& x0, double t,
                                const LikelihoodConfig& cfg_in, Vec2& xt, Vec2& a, Mat2& h) {
  const LikelihoodConfig cfg = with_prior(cfg_in, sched);
  require_derivatives(model, sched);
  long ev = 0;
  const double pv = cfg.prior_var;
  Eigen::MatrixXd y(1, 3);
  y << x0[0], x0[1], 0.0;
  const double radius2 = escape_radius2(cfg);
  integrate_dopri5(ZerothOrder{model, sched, &ev, radius2}, sched.t_min(), sched.t_max(), y, cfg.ode);
  Eigen::MatrixXd z(1, 9);
  z << y(0, 0), y(0, 1), -y(0, 0) / pv, -y(0, 1) / pv, -1.0 / pv, 0.0, 0.0, -1.0 / pv, 0.0;
  integrate_dopri5(BackwardPass{model, sched, &ev, radius2}, sched.t_max(), t, z, cfg.ode);
  xt = Vec2(z(0, 0), z(0, 1));
  a = Vec2(z(0, 2), z(0, 3));
  h << z(0, 4), z(0, 5), z(0, 6), z(0, 7);
}

}  // namespace hbar
