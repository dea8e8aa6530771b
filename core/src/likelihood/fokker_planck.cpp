#include "hbar/likelihood/fokker_planck.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "hbar/base/memory.hpp"

namespace hbar {
namespace {

double half_width(const Schedule& s, const FokkerPlanckConfig& c, double t) {
  const double a = s.alpha(t);
  return a * c.data_radius + c.extent_sigmas * std::sqrt(a * a * c.data_std * c.data_std + s.sigma2(t));
}

double van_leer(double a, double b) { return a * b > 0 ? 2.0 * a * b / (a + b) : 0.0; }

// One density on the M × M grid, row-major (index j·M + i, i along x).
struct Solver {
  int m;
  double dxi;
  int threads;
  Eigen::ArrayXd wx, wy;  // cell-centre velocities of the current h and step

  Eigen::ArrayXd sx, sy;  // limited slopes of the current stage

  // out = −∇·(w p) by MUSCL fluxes with zero flux through the edge.
  void advection_rate(const Eigen::ArrayXd& p, Eigen::ArrayXd& out) {
    const int M = m;
    const double inv = 1.0 / dxi;
    sx.resize(p.size());
    sy.resize(p.size());
    out.resize(p.size());
#pragma omp parallel num_threads(threads)
    {
      // Slopes (van Leer; 0 in the edge cells, whose outer face carries no flux).
#pragma omp for schedule(static)
      for (int j = 0; j < M; ++j) {
        const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(j) * M;
        const double* row = p.data() + o;
        sx[o] = 0;
        sx[o + M - 1] = 0;
        for (int i = 1; i + 1 < M; ++i) sx[o + i] = van_leer(row[i] - row[i - 1], row[i + 1] - row[i]);
        if (j == 0 || j == M - 1) {
          for (int i = 0; i < M; ++i) sy[o + i] = 0;
        } else {
          const double *up = row + M, *dn = row - M;
          for (int i = 0; i < M; ++i) sy[o + i] = van_leer(row[i] - dn[i], up[i] - row[i]);
        }
      }
      // Fluxes: each cell takes its right and upper face, so rows never write to
      // each other's cells except through the upper face, handled as a gather.
#pragma omp for schedule(static)
      for (int j = 0; j < M; ++j) {
        const std::ptrdiff_t o = static_cast<std::ptrdiff_t>(j) * M;
        double* d = out.data() + o;
        for (int i = 0; i < M; ++i) d[i] = 0;
        // x faces of row j.
        for (int i = 0; i + 1 < M; ++i) {
          const std::ptrdiff_t a = o + i;
          const double u = 0.5 * (wx[a] + wx[a + 1]);
          const double f = u > 0 ? u * (p[a] + 0.5 * sx[a]) : u * (p[a + 1] - 0.5 * sx[a + 1]);
          d[i] -= f * inv;
          d[i + 1] += f * inv;
        }
        // y faces below (j−1 | j) and above (j | j+1) of row j.
        for (int i = 0; i < M; ++i) {
          const std::ptrdiff_t a = o + i;
          if (j + 1 < M) {
            const std::ptrdiff_t b = a + M;
            const double u = 0.5 * (wy[a] + wy[b]);
            d[i] -= inv * (u > 0 ? u * (p[a] + 0.5 * sy[a]) : u * (p[b] - 0.5 * sy[b]));
          }
          if (j > 0) {
            const std::ptrdiff_t b = a - M;
            const double u = 0.5 * (wy[b] + wy[a]);
            d[i] += inv * (u > 0 ? u * (p[b] + 0.5 * sy[b]) : u * (p[a] - 0.5 * sy[a]));
          }
        }
      }
    }
  }

  // Backward Euler for ∂p = r ∂²p (r = dt D / dξ²) along x, then along y.
  void diffuse(Eigen::ArrayXd& p, double r) const {
    if (r <= 0) return;
    const int M = m;
    // Thomas coefficients of tridiag(−r, 1 + 2r, −r) with 1 + r at both ends.
    std::vector<double> cp(M), inv(M);
    for (int k = 0; k < M; ++k) {
      const double b = (k == 0 || k == M - 1) ? 1.0 + r : 1.0 + 2.0 * r;
      const double denom = k == 0 ? b : b + r * cp[k - 1];
      inv[k] = 1.0 / denom;
      cp[k] = -r * inv[k];
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int j = 0; j < M; ++j) {
      double* row = p.data() + static_cast<std::ptrdiff_t>(j) * M;
      row[0] *= inv[0];
      for (int k = 1; k < M; ++k) row[k] = (row[k] + r * row[k - 1]) * inv[k];
      for (int k = M - 2; k >= 0; --k) row[k] -= cp[k] * row[k + 1];
    }
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int i0 = 0; i0 < M; i0 += 64) {
      const int i1 = std::min(M, i0 + 64);
      const auto at = [&](int k, int i) -> double& { return p[static_cast<std::ptrdiff_t>(k) * M + i]; };
      for (int i = i0; i < i1; ++i) at(0, i) *= inv[0];
      for (int k = 1; k < M; ++k)
        for (int i = i0; i < i1; ++i) at(k, i) = (at(k, i) + r * at(k - 1, i)) * inv[k];
      for (int k = M - 2; k >= 0; --k)
        for (int i = i0; i < i1; ++i) at(k, i) -= cp[k] * at(k + 1, i);
    }
  }
};

// Cell averages of π in ξ at T_max (exact Gaussian cell masses).
Eigen::ArrayXd initial_density(const Schedule& sched, const FokkerPlanckConfig& cfg, int M, double dxi) {
  const double L = half_width(sched, cfg, sched.t_max()), sd = std::sqrt(cfg.prior_var);
  Eigen::ArrayXd m1(M);
  for (int i = 0; i < M; ++i) {
    const double a = (-1.0 + i * dxi) * L / sd, b = (-1.0 + (i + 1) * dxi) * L / sd;
    m1[i] = 0.5 * (std::erf(b / std::sqrt(2.0)) - std::erf(a / std::sqrt(2.0)));
  }
  m1 /= m1.sum();
  Eigen::ArrayXd p0(static_cast<std::ptrdiff_t>(M) * M);
  for (int j = 0; j < M; ++j)
    for (int i = 0; i < M; ++i) p0[static_cast<std::ptrdiff_t>(j) * M + i] = m1[i] * m1[j] / (dxi * dxi);
  return p0;
}

// The velocity on the moving grid at time t: w_h = A + (1 + h) B with
// A = ξ (L_t/L − f), B = g² s / (2L). The score on the moving cells, σ(ξ, t) =
// s(L(t) ξ, t), is evaluated at knots t_a > t_b and interpolated linearly in t between
// them; a knot spans cfg.knot_steps steps (error ≈ (Δt)²/8 · ∂²_t σ, far below the grid's).
class MovingField {
 public:
  MovingField(const ScoreModel& model, const Schedule& sched, const FokkerPlanckConfig& cfg, int M, int threads,
              double h_max)
      : model_(model), sched_(sched), cfg_(cfg), M_(M), threads_(threads), h_max_(h_max),
        cells_(static_cast<std::ptrdiff_t>(M) * M), xi_(M), centres_(cells_, 2), score_(cells_, 2),
        snap_a_(cells_, 2), snap_b_(cells_, 2), ax(cells_), ay(cells_), bx(cells_), by(cells_) {
    const double dxi = 2.0 / M;
    for (int i = 0; i < M; ++i) xi_[i] = -1.0 + (i + 0.5) * dxi;
    const double t_hi = sched.t_max();
    evaluate_score(t_hi, snap_a_);
    snap_b_ = snap_a_;
    ta_ = tb_ = t_hi;
    update(t_hi, 0.0);
  }

  // Fills ax, ay, bx, by and max_speed at time t; returns L(t).
  double update(double t, double knot_span) {
    const double L = half_width(sched_, cfg_, t);
    const double e = 1e-6;
    const double Lt = (half_width(sched_, cfg_, t + e) - half_width(sched_, cfg_, t - e)) / (2 * e);
    score_at(t, knot_span);
    const double a = Lt / L - sched_.f(t), bcoef = sched_.g2(t) / (2 * L);
    max_speed = 0;
    for (int j = 0; j < M_; ++j)
      for (int i = 0; i < M_; ++i) {
        const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(j) * M_ + i;
        ax[k] = a * xi_[i];
        ay[k] = a * xi_[j];
        bx[k] = bcoef * score_(k, 0);
        by[k] = bcoef * score_(k, 1);
        max_speed =
            std::max(max_speed, std::abs(ax[k] + (1 + h_max_) * bx[k]) + std::abs(ay[k] + (1 + h_max_) * by[k]));
      }
    return L;
  }

 private:
  void evaluate_score(double t, Points& out) {
    const double L = half_width(sched_, cfg_, t);
    for (int j = 0; j < M_; ++j)
      for (int i = 0; i < M_; ++i) {
        const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(j) * M_ + i;
        centres_(k, 0) = L * xi_[i];
        centres_(k, 1) = L * xi_[j];
      }
    const std::ptrdiff_t chunk = 1024;
    const std::ptrdiff_t nchunks = (cells_ + chunk - 1) / chunk;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (std::ptrdiff_t c = 0; c < nchunks; ++c) {
      const std::ptrdiff_t b = c * chunk, n = std::min(chunk, cells_ - b);
      model_.score(centres_.middleRows(b, n), t, out.middleRows(b, n));
    }
    if (!out.allFinite()) throw std::runtime_error("Fokker–Planck: the score is not finite on the grid");
  }

  void score_at(double t, double knot_span) {
    while (t < tb_) {
      std::swap(snap_a_, snap_b_);
      ta_ = tb_;
      tb_ = std::max(sched_.t_min(), std::min(ta_ - knot_span, t));
      evaluate_score(tb_, snap_b_);
    }
    const double w = ta_ > tb_ ? (ta_ - t) / (ta_ - tb_) : 0.0;
    score_ = (1 - w) * snap_a_ + w * snap_b_;
  }

  const ScoreModel& model_;
  const Schedule& sched_;
  const FokkerPlanckConfig& cfg_;
  int M_, threads_;
  double h_max_;
  std::ptrdiff_t cells_;
  Eigen::ArrayXd xi_;
  Points centres_, score_, snap_a_, snap_b_;
  double ta_ = 0, tb_ = 0;

 public:
  Eigen::ArrayXd ax, ay, bx, by;
  double max_speed = 0;
};

// Read-out at T_min: mass drift, mass in the edge cells, and log q at the points
// (bilinear in log density), with the Jacobian of ξ = x / L.
void read_out(const std::vector<Eigen::ArrayXd>& p, const Points& eval, int M, double L, FokkerPlanckResult& res) {
  const double dxi = 2.0 / M;
  res.half_width_tmin = L;
  res.logq.resize(eval.rows(), static_cast<Eigen::Index>(p.size()));
  for (std::size_t q = 0; q < p.size(); ++q) {
    const Eigen::ArrayXd& d = p[q];
    res.mass_drift.push_back(std::abs(d.sum() * dxi * dxi - 1.0));
    double edge = 0;
    for (int j = 0; j < M; ++j)
      for (int i = 0; i < M; ++i)
        if (i == 0 || j == 0 || i == M - 1 || j == M - 1) edge += d[static_cast<std::ptrdiff_t>(j) * M + i];
    res.edge_mass.push_back(edge * dxi * dxi);
    const auto logp = [&](int i, int j) {
      return std::log(std::max(d[static_cast<std::ptrdiff_t>(j) * M + i], 1e-300));
    };
    for (Eigen::Index r = 0; r < eval.rows(); ++r) {
      const double u = (eval(r, 0) / L + 1.0) / dxi - 0.5, v = (eval(r, 1) / L + 1.0) / dxi - 0.5;
      const int i0 = std::clamp(static_cast<int>(std::floor(u)), 0, M - 2);
      const int j0 = std::clamp(static_cast<int>(std::floor(v)), 0, M - 2);
      const double fu = std::clamp(u - i0, 0.0, 1.0), fv = std::clamp(v - j0, 0.0, 1.0);
      const double lp = (1 - fu) * (1 - fv) * logp(i0, j0) + fu * (1 - fv) * logp(i0 + 1, j0) +
                        (1 - fu) * fv * logp(i0, j0 + 1) + fu * fv * logp(i0 + 1, j0 + 1);
      res.logq(r, static_cast<Eigen::Index>(q)) = lp - 2.0 * std::log(L);
    }
  }
}

}  // namespace

FokkerPlanckResult solve_fokker_planck(const ScoreModel& model, const Schedule& sched, const std::vector<double>& hs,
                                       const Points& eval, const FokkerPlanckConfig& cfg_in, Progress* progress) {
  FokkerPlanckConfig cfg = cfg_in;
  if (cfg.prior_var == 0) cfg.prior_var = sched.prior_std() * sched.prior_std();  // the schedule's own
  if (cfg.cells < 8) throw std::invalid_argument("Fokker–Planck grid needs at least 8 cells per side");
  if (!(cfg.cfl > 0 && cfg.cfl <= 0.25)) throw std::invalid_argument("Fokker–Planck cfl must be in (0, 0.25]");
  if (!(cfg.data_radius >= 0) || !(cfg.data_std >= 0) || !(cfg.extent_sigmas > 0) || !(cfg.prior_var > 0))
    throw std::invalid_argument("Fokker–Planck extent must be positive");
  for (double h : hs)
    if (!(h >= 0) || !std::isfinite(h)) throw std::invalid_argument("h must be >= 0");
  const int M = cfg.cells;
  // Small grids run on one thread: below ~40 000 cells the fork/join of each pass
  // costs more than it saves (and oversubscribed cores make it far worse).
  const int threads = M < 200 ? 1 : (cfg.threads > 0 ? cfg.threads : omp_get_max_threads());
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(M) * M;
  // A density per h, the solver's and the drift field's work arrays (about 16 of them).
  check_memory(static_cast<double>(cells) * sizeof(double) * (static_cast<double>(hs.size()) + 16),
               "a Fokker-Planck solve on " + std::to_string(M) + " x " + std::to_string(M) + " cells for " +
                   std::to_string(hs.size()) + " values of h");
  const double dxi = 2.0 / M;
  const double h_max = hs.empty() ? 0.0 : *std::max_element(hs.begin(), hs.end());
  std::vector<HSchedule> shapes;  // h(t) of each run (its height is that run's h)
  for (double h : hs) shapes.push_back(cfg.shape.with_height(h));
  const double t_hi = sched.t_max(), t_lo = sched.t_min();
  const Eigen::ArrayXd p0 = initial_density(sched, cfg, M, dxi);
  std::vector<Eigen::ArrayXd> p(hs.size(), p0);
  FokkerPlanckResult res;
  res.h = hs;
  res.min_cell.assign(hs.size(), p0.minCoeff());

  Solver solver{M, dxi, threads, Eigen::ArrayXd(cells), Eigen::ArrayXd(cells), {}, {}};
  MovingField w(model, sched, cfg, M, threads, h_max);
  Eigen::ArrayXd k1(cells), k2(cells), stage(cells);
  double t = t_hi;
  const double span = t_hi - t_lo;
  while (t > t_lo + 1e-15 * span) {
    if (progress && progress->cancelled()) throw Cancelled();
    double dt = std::min({cfg.max_dt, cfg.cfl * dxi / std::max(w.max_speed, 1e-300), t - t_lo});
    const double knot_span = cfg.knot_steps * dt;
    double L = w.update(t - 0.5 * dt, knot_span);
    if (dt * w.max_speed > 1.5 * cfg.cfl * dxi) {  // the flow sped up: shorten and redo
      dt = std::min(t - t_lo, cfg.cfl * dxi / w.max_speed);
      L = w.update(t - 0.5 * dt, knot_span);
    }
    // SSP-RK2 advection, then implicit diffusion, for every h.
    const double g2 = sched.g2(t - 0.5 * dt);
    for (std::size_t q = 0; q < hs.size(); ++q) {
      const double hq = shapes[q].at(t - 0.5 * dt);
      solver.wx = w.ax + (1 + hq) * w.bx;
      solver.wy = w.ay + (1 + hq) * w.by;
      Eigen::ArrayXd& d = p[q];
      solver.advection_rate(d, k1);
      stage = d + dt * k1;
      solver.advection_rate(stage, k2);
      d = 0.5 * d + 0.5 * (stage + dt * k2);
      solver.diffuse(d, dt * hq * g2 / (2 * L * L) / (dxi * dxi));
      res.min_cell[q] = std::min(res.min_cell[q], d.minCoeff());
    }
    t -= dt;
    ++res.steps;
    if (progress) progress->fraction.store((t_hi - t) / span);
  }
  read_out(p, eval, M, half_width(sched, cfg, t_lo), res);
  return res;
}

}  // namespace hbar
