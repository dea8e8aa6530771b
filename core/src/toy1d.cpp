#include "hbar/toy1d.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "hbar/dynamics.hpp"

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

double Toy1d::u0_euler(double h, int steps) const {
  const double dt = T / steps;
  double u = uT;
  for (int n = 0; n < steps; ++n) {
    const double t = T - n * dt;
    // x ← x − f x Δt + (1+h)/2 g² s Δt + sqrt(h Δt) g z, with f = −β/2, g² = β, s = −(1+ε) x / v_t.
    const double a = 1.0 + 0.5 * beta * dt - 0.5 * (1.0 + h) * beta * dt * (1.0 + eps) / v(t);
    u = a * a * u + h * beta * dt;
  }
  return u;
}

std::shared_ptr<const ScoreModel> Toy1d::score() const {
  auto exact = std::make_shared<GaussianScore>(Vec2::Zero(), v0 * Mat2::Identity(), schedule());
  return std::make_shared<BiasedScore>(std::move(exact), eps);
}

ToySimulation simulate_toy(const Toy1d& toy, double h, std::size_t n, int steps, std::uint64_t seed,
                           int threads) {
  toy.validate();
  SamplerConfig c;
  c.h = h;
  c.n = n;
  c.steps = steps;
  c.seed = seed;
  c.prior_std = std::sqrt(toy.uT);
  c.threads = threads;
  const auto r = sample_reverse(*toy.score(), toy.schedule(), c);
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
