#include "hbar/process/toy1d.hpp"

#include <algorithm>
#include <functional>
#include <cmath>
#include <vector>
#include <numbers>
#include <stdexcept>
#include <string>

#include "hbar/process/dynamics.hpp"
#include "hbar/process/ode.hpp"

namespace hbar {
namespace {
void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}
}  // namespace

void Toy1d::validate() const {
  require(std::isfinite(v0) && v0 > 0, "v0 must be > 0");
  require(std::isfinite(beta) && beta > 0, "beta must be > 0");
  require(std::isfinite(T) && T > 0, "T must be > 0");
  require(std::isfinite(uT) && uT > 0, "uT must be > 0");
  require(std::isfinite(eps) && eps > -1, "eps must be > -1");
}

double Toy1d::v(double t) const { return 1.0 + (v0 - 1.0) * std::exp(-beta * t); }

double Toy1d::u0(double h) const {
  const double k = (1.0 + h) * (1.0 + eps);
  const double e = std::exp(beta * T) * v(T);
  // ∫_0^T β e^{βt} (e^{βt} v_t)^{-k} ... in closed form; k = 1 is the logarithmic limit.
  const double frac = std::abs(1.0 - k) < 1e-12 ? std::log(e / v0)
                                                : (std::pow(e, 1.0 - k) - std::pow(v0, 1.0 - k)) /
                                                      (1.0 - k);
  return std::pow(v0, k) * (uT * std::exp(beta * T) * std::pow(e, -k) + h * frac);
}

double Toy1d::nll(double h) const {
  const double u = u0(h);
  return 0.5 * std::log(2.0 * std::numbers::pi * u) + v0 / (2.0 * u);
}

double Toy1d::w2(double h) const { return std::abs(std::sqrt(u0(h)) - std::sqrt(v0)); }

double Toy1d::u0_euler(const HSchedule& hs, int steps) const {
  const double dt = T / steps;
  double u = uT;
  for (int n = 0; n < steps; ++n) {
    const double t = T - n * dt;
    const double h = hs.at(t);
    // x ← x − f x Δt + (1+h)/2 g² s Δt + sqrt(h Δt) g z, with f = −β/2, g² = β, s = −(1+ε) x / v_t.
    const double a = 1.0 + 0.5 * beta * dt - 0.5 * (1.0 + h) * beta * dt * (1.0 + eps) / v(t);
    u = a * a * u + h * beta * dt;
  }
  return u;
}

double Toy1d::u0(const HSchedule& hs) const {
  if (hs.is_constant_on(0.0, T)) return u0(hs.at(0.5 * T));
  return u_path(hs, {0.0}).front();
}

std::vector<double> Toy1d::u_path(const HSchedule& hs, const std::vector<double>& times) const {
  for (double t : times)
    if (!(t >= 0.0 && t <= T)) throw std::invalid_argument("u_path: times must lie in [0, T]");
  const double k0 = 1.0 + eps;
  const auto rhs = [&](double t, const Eigen::MatrixXd& y, Eigen::MatrixXd& dy) {
    const double h = hs.at(t);
    dy(0, 0) = beta * ((1.0 + h) * k0 / v(t) - 1.0) * y(0, 0) - h * beta;
  };
  // Stops at every breakpoint inside (0, T), so a jump of h(t) is a segment's edge, and
  // at every requested time (descending, duplicates once).
  std::vector<double> stops;
  for (double b : hs.breakpoints())
    if (b > 0.0 && b < T) stops.push_back(b);
  for (double t : times) stops.push_back(t);
  stops.push_back(0.0);
  std::sort(stops.begin(), stops.end(), std::greater<>());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
  std::vector<double> at_stop(stops.size());
  Eigen::MatrixXd y(1, 1);
  y(0, 0) = uT;
  double from = T;
  const OdeOptions opt{1e-12, 1e-14, 0, 1000000};
  for (std::size_t i = 0; i < stops.size(); ++i) {
    const double hi = from, lo = stops[i];
    if (lo < hi) {
      // Within a segment h is continuous; evaluate it inside so an edge belongs to its segment.
      const auto seg = [&](double t, const Eigen::MatrixXd& yy, Eigen::MatrixXd& dy) {
        rhs(std::clamp(t, lo + 1e-12 * (hi - lo), hi - 1e-12 * (hi - lo)), yy, dy);
      };
      integrate_dopri5(seg, hi, lo, y, opt);
    }
    at_stop[i] = y(0, 0);
    from = lo;
  }
  std::vector<double> out;
  out.reserve(times.size());
  for (double t : times) {
    const auto it = std::find(stops.begin(), stops.end(), t);
    out.push_back(at_stop[static_cast<std::size_t>(it - stops.begin())]);
  }
  return out;
}

double Toy1d::nll(const HSchedule& h) const {
  const double u = u0(h);
  return 0.5 * std::log(2.0 * std::numbers::pi * u) + v0 / (2.0 * u);
}

double Toy1d::log_q(const HSchedule& h, double x0) const {
  const double u = u0(h);
  return -0.5 * std::log(2.0 * std::numbers::pi * u) - x0 * x0 / (2.0 * u);
}

double Toy1d::u_pf(double t) const {
  const double et = std::exp(beta * t) * v(t), eT = std::exp(beta * T) * v(T);
  return uT * std::pow(et / eT, 1.0 + eps) * std::exp(beta * (T - t));
}

double Toy1d::c_of_t(double x0, double t) const {
  const double ut = u_pf(t);
  const double xt = x0 * std::sqrt(ut / u_pf(0.0));
  const double a = -xt / ut, hess = -1.0 / ut;
  const double s = -(1.0 + eps) * xt / v(t), div_s = -(1.0 + eps) / v(t);
  return 0.5 * beta * (a * a - a * s + hess - div_s);
}

double Toy1d::c_mean(double t) const {
  const double ut = u_pf(t), vt = v(t);
  const double xx = v0 * ut / u_pf(0.0);  // E x_t²
  return 0.5 * beta * (xx * (1.0 / (ut * ut) - (1.0 + eps) / (ut * vt)) - 1.0 / ut + (1.0 + eps) / vt);
}

double Toy1d::c_window(double x0, double a, double b) const {
  // 5-point Gauss–Legendre nodes and weights on [−1, 1].
  static constexpr double node[5] = {0.0, 0.5384693101056831, -0.5384693101056831, 0.9061798459386640,
                                     -0.9061798459386640};
  static constexpr double weight[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
                                       0.2369268850561891, 0.2369268850561891};
  constexpr int kPanels = 200;
  const double w = (b - a) / kPanels;
  double sum = 0;
  for (int p = 0; p < kPanels; ++p) {
    const double mid = a + (p + 0.5) * w;
    for (int q = 0; q < 5; ++q) sum += weight[q] * c_of_t(x0, mid + 0.5 * w * node[q]);
  }
  return 0.5 * w * sum;
}

std::shared_ptr<const ScoreModel> Toy1d::score() const {
  auto exact = std::make_shared<GaussianScore>(Vec2::Zero(), v0 * Mat2::Identity(), schedule());
  return std::make_shared<BiasedScore>(std::move(exact), eps);
}

SampleResult sample_toy(const Toy1d& toy, const HSchedule& h, std::size_t n, int steps, std::uint64_t seed,
                        int stride, int threads, Progress* progress) {
  toy.validate();
  SamplerConfig c;
  c.h = h.height();
  if (h.kind() != HScheduleKind::kConstant) c.h_of_t = h;
  c.n = n;
  c.steps = steps;
  c.seed = seed;
  c.stride = stride;
  c.prior_std = std::sqrt(toy.uT);
  c.threads = threads;
  return sample_reverse(*toy.score(), toy.schedule(), c, progress);
}

ToySimulation simulate_toy(const Toy1d& toy, const HSchedule& h, std::size_t n, int steps, std::uint64_t seed,
                           int threads) {
  const auto r = sample_toy(toy, h, n, steps, seed, 0, threads);
  if (const std::string bad = r.nonfinite_message(steps); !bad.empty())
    throw std::runtime_error(bad + ": the toy's dynamics blew up");
  const Eigen::Map<const Eigen::ArrayXd> all(r.samples.data(), r.samples.size());
  const double m = all.mean();
  const Eigen::ArrayXd sq = (all - m).square();
  const double draws = static_cast<double>(all.size());
  ToySimulation out;
  out.draws = static_cast<std::size_t>(all.size());
  out.var = sq.sum() / (draws - 1.0);
  out.var_stderr = std::sqrt((sq - sq.mean()).square().sum() / (draws - 1.0) / draws);
  return out;
}

}  // namespace hbar
