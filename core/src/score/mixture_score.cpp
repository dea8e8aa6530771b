#include "hbar/score/mixture_score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "hbar/base/fastmath.hpp"

namespace hbar {
namespace {
const double kLogInvRatio = -std::log(MixtureScore::kPruneRatio);  // ≈ 34.54

// Log-sum-exp sums of one query q over centres (cx, cy):
//   dmin = min_k ‖q − c_k‖²,  w_k = exp(−a (‖q − c_k‖² − dmin)),
//   s0 = Σ w_k,  sx = Σ w_k cx_k,  sy = Σ w_k cy_k.
// Four lanes at a time. The shift only has to keep every exponent in a safe range:
// with a shift a·d_ref, d_ref ≥ dmin, the largest weight is at most e^{a (d_ref − dmin)},
// and d_ref − dmin ≤ 2 sqrt(d_ref) · diam (diam: the centres' diameter). When that
// bound keeps a (d_ref − dmin) ≤ 600, one pass suffices (weights ≤ e^600, and every
// weight above kPruneRatio of the largest stays above the e^-708 floor); otherwise a
// first pass finds dmin exactly.
struct Sums {
  double s0, sx, sy;
};

Sums lse_sums(const double* cx, const double* cy, std::ptrdiff_t m, double qx, double qy, double a,
              double diam) {
  const std::ptrdiff_t m4 = m & ~std::ptrdiff_t{3};
  const V4d vqx = {qx, qx, qx, qx}, vqy = {qy, qy, qy, qy};
  const auto load = [](const double* p) {
    V4d v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
  };
  const double d_ref = (cx[0] - qx) * (cx[0] - qx) + (cy[0] - qy) * (cy[0] - qy);
  double dmin = d_ref;
  if (a * 2.0 * std::sqrt(d_ref) * diam > 600.0) {
    V4d vmin = {INFINITY, INFINITY, INFINITY, INFINITY};
    for (std::ptrdiff_t k = 0; k < m4; k += 4) {
      const V4d dx = load(cx + k) - vqx, dy = load(cy + k) - vqy;
      const V4d d2 = dx * dx + dy * dy;
      vmin = d2 < vmin ? d2 : vmin;
    }
    for (int l = 0; l < 4; ++l) dmin = std::min(dmin, vmin[l]);
    for (std::ptrdiff_t k = m4; k < m; ++k) {
      const double dx = cx[k] - qx, dy = cy[k] - qy;
      dmin = std::min(dmin, dx * dx + dy * dy);
    }
  }
  const double shift = a * dmin;
  V4d s0 = {0, 0, 0, 0}, sx = s0, sy = s0;
  const V4d va = {-a, -a, -a, -a}, vshift = {shift, shift, shift, shift};
  const V4d vfloor = {-708.0, -708.0, -708.0, -708.0};
  for (std::ptrdiff_t k = 0; k < m4; k += 4) {
    const V4d x = load(cx + k), y = load(cy + k);
    const V4d dx = x - vqx, dy = y - vqy;
    V4d arg = (dx * dx + dy * dy) * va + vshift;
    arg = arg > vfloor ? arg : vfloor;
    const V4d w = exp_nonpositive(arg);
    s0 += w;
    sx += w * x;
    sy += w * y;
  }
  Sums out{s0[0] + s0[1] + s0[2] + s0[3], sx[0] + sx[1] + sx[2] + sx[3], sy[0] + sy[1] + sy[2] + sy[3]};
  for (std::ptrdiff_t k = m4; k < m; ++k) {
    const double dx = cx[k] - qx, dy = cy[k] - qy;
    const double w = exp_nonpositive(std::max(-a * (dx * dx + dy * dy) + shift, -708.0));
    out.s0 += w;
    out.sx += w * cx[k];
    out.sy += w * cy[k];
  }
  return out;
}
}

struct MixtureScore::Scratch {
  std::vector<double> gx, gy;  // gathered candidate centres
  Eigen::ArrayXd d2, w;
  const double* px = nullptr;
  const double* py = nullptr;
  Eigen::Index m = 0;
};

// Moments Σ_k β_k e1^p e2^q, p + q ≤ kMaxDegree + 1, of one time t.
struct MixtureScore::FarField {
  static constexpr int kSide = kMaxDegree + 2;
  std::vector<double> m = std::vector<double>(kSide * kSide, 0.0);
  double at(int p, int q) const { return m[static_cast<std::size_t>(p * kSide + q)]; }
};

int MixtureScore::far_field_degree(double rho) {
  if (!(rho >= 0.0 && rho <= kTaylorRho)) return -1;
  double bound = std::exp(2.0 * rho);  // e^{2ρ} ρ^{P+1} / (P+1)! after the update below
  for (int p = 0; p <= kMaxDegree; ++p) {
    bound *= rho / (p + 1);
    if (bound <= kTaylorTol) return p;
  }
  return -1;
}

std::shared_ptr<const MixtureScore::FarField> MixtureScore::far_field(double t) const {
  {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(t); it != cache_.end()) return it->second;
  }
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  const double a2 = alpha * alpha / (2.0 * tau2);
  auto ff = std::make_shared<FarField>();
  constexpr int kSide = FarField::kSide;
  double px[kSide], py[kSide];
  for (std::size_t k = 0; k < ex_.size(); ++k) {
    const double b = exp_nonpositive(std::max(-a2 * (r2_[k] - r2min_), -708.0));
    px[0] = b;
    py[0] = 1.0;
    for (int p = 1; p < kSide; ++p) {
      px[p] = px[p - 1] * ex_[k];
      py[p] = py[p - 1] * ey_[k];
    }
    for (int p = 0; p < kSide; ++p)
      for (int q = 0; q < kSide - p; ++q) ff->m[static_cast<std::size_t>(p * kSide + q)] += px[p] * py[q];
  }
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() >= 4096) cache_.clear();  // bound the memory (~3 MB)
  return cache_.emplace(t, std::move(ff)).first->second;
}

bool MixtureScore::uses_far_field(const Vec2& x, double t) const {
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  const int deg = far_field_degree(alpha * radius_ * (x - alpha * centroid_).norm() / tau2);
  return deg >= 0 && (deg + 1) * (deg + 2) < static_cast<int>(cx_.size());
}

MixtureScore::MixtureScore(const Points& centres, double component_std, Schedule schedule)
    : std_(component_std), schedule_(schedule) {
  const auto n = centres.rows();
  if (n < 1) throw std::invalid_argument("a mixture needs at least one centre");
  const double xmin = centres.col(0).minCoeff(), xmax = centres.col(0).maxCoeff();
  const double ymin = centres.col(1).minCoeff(), ymax = centres.col(1).maxCoeff();
  const double w = std::max(xmax - xmin, 1e-12), hgt = std::max(ymax - ymin, 1e-12);
  // About four centres per occupied cell on a square grid, at most 1024 x 1024 cells.
  cell_ = std::max(std::sqrt(4.0 * w * hgt / static_cast<double>(n)), std::max(w, hgt) / 1024.0);
  nx_ = std::max(1, static_cast<int>(std::ceil(w / cell_)));
  ny_ = std::max(1, static_cast<int>(std::ceil(hgt / cell_)));
  x0_ = xmin;
  y0_ = ymin;
  diam_ = std::hypot(xmax - xmin, ymax - ymin);
  const auto cell_of = [&](Eigen::Index i) {
    const int ci = std::clamp(static_cast<int>((centres(i, 0) - x0_) / cell_), 0, nx_ - 1);
    const int cj = std::clamp(static_cast<int>((centres(i, 1) - y0_) / cell_), 0, ny_ - 1);
    return cj * nx_ + ci;
  };
  cell_start_.assign(static_cast<std::size_t>(nx_) * ny_ + 1, 0);
  for (Eigen::Index i = 0; i < n; ++i) ++cell_start_[cell_of(i) + 1];
  for (std::size_t c = 1; c < cell_start_.size(); ++c) cell_start_[c] += cell_start_[c - 1];
  std::vector<int> fill(cell_start_.begin(), cell_start_.end() - 1);
  cx_.resize(n);
  cy_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int slot = fill[cell_of(i)]++;
    cx_[slot] = centres(i, 0);
    cy_[slot] = centres(i, 1);
  }
  centroid_ = centres.colwise().mean().transpose();
  r2_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) r2_[i] = (centres.row(i).transpose() - centroid_).squaredNorm();
  r2min_ = *std::min_element(r2_.begin(), r2_.end());
  radius_ = std::max(std::sqrt(*std::max_element(r2_.begin(), r2_.end())), 1e-300);
  ex_.resize(n);
  ey_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    ex_[i] = (centres(i, 0) - centroid_[0]) / radius_;
    ey_[i] = (centres(i, 1) - centroid_[1]) / radius_;
  }
}

std::string MixtureScore::describe() const {
  return std_ > 0 ? "exact mixture (" + std::to_string(size()) + " components)"
                  : "exact empirical (" + std::to_string(size()) + " points)";
}

namespace {
// The grid cell of a coordinate, clamped before the cast: a huge (or NaN) value must not
// overflow the conversion to int.
int clamp_cell(double v, int n) {
  const double f = std::floor(v);
  if (!(f > 0)) return 0;
  return f >= n - 1 ? n - 1 : static_cast<int>(f);
}
}  // namespace

void MixtureScore::gather(const Vec2& q, double r2_extra, Scratch& s) const {
  const auto use_all = [&] {
    s.px = cx_.data();
    s.py = cy_.data();
    s.m = static_cast<Eigen::Index>(cx_.size());
  };
  // The radius is at least sqrt(r2_extra): if that already covers the grid, keep all.
  const auto covers_all = [&](double r) {
    return q[0] - r <= x0_ && q[1] - r <= y0_ && q[0] + r >= x0_ + nx_ * cell_ &&
           q[1] + r >= y0_ + ny_ * cell_;
  };
  // Few centres: summing them all is cheaper than searching the grid.
  if (cx_.size() <= 64 || covers_all(std::sqrt(r2_extra))) return use_all();
  const int qi = clamp_cell((q[0] - x0_) / cell_, nx_);
  const int qj = clamp_cell((q[1] - y0_) / cell_, ny_);
  // Upper bound on the nearest distance: the first ring of cells holding a centre.
  double u2 = INFINITY;
  for (int r = 0; r <= std::max(nx_, ny_) && !std::isfinite(u2); ++r) {
    for (int j = std::max(0, qj - r); j <= std::min(ny_ - 1, qj + r); ++j) {
      const bool edge_row = (j == qj - r || j == qj + r);
      for (int i = std::max(0, qi - r); i <= std::min(nx_ - 1, qi + r); ++i) {
        if (!edge_row && i != qi - r && i != qi + r) continue;
        const int c = j * nx_ + i;
        for (int k = cell_start_[c]; k < cell_start_[c + 1]; ++k) {
          const double dx = cx_[k] - q[0], dy = cy_[k] - q[1];
          u2 = std::min(u2, dx * dx + dy * dy);
        }
      }
    }
  }
  const double r = std::sqrt(u2 + r2_extra);
  const int i0 = clamp_cell((q[0] - r - x0_) / cell_, nx_);
  const int i1 = clamp_cell((q[0] + r - x0_) / cell_, nx_);
  const int j0 = clamp_cell((q[1] - r - y0_) / cell_, ny_);
  const int j1 = clamp_cell((q[1] + r - y0_) / cell_, ny_);
  if (i0 == 0 && j0 == 0 && i1 == nx_ - 1 && j1 == ny_ - 1) return use_all();
  s.gx.clear();
  s.gy.clear();
  for (int j = j0; j <= j1; ++j) {
    // Cells i0..i1 of row j are contiguous in the sorted arrays.
    const int a = cell_start_[j * nx_ + i0], b = cell_start_[j * nx_ + i1 + 1];
    s.gx.insert(s.gx.end(), cx_.begin() + a, cx_.begin() + b);
    s.gy.insert(s.gy.end(), cy_.begin() + a, cy_.begin() + b);
  }
  s.px = s.gx.data();
  s.py = s.gy.data();
  s.m = static_cast<Eigen::Index>(s.gx.size());
}

template <bool kJacobian>
void MixtureScore::evaluate(const PointsCRef& x, double t, PointsRef out, Jacobians* jac,
                            bool prune) const {
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  const double a = alpha * alpha / (2.0 * tau2);  // weight exponent per unscaled squared distance
  const double r2_extra = kLogInvRatio / a;       // 2 τ² L / α², in unscaled units
  Scratch s;
  if constexpr (kJacobian) {
    s.d2.resize(static_cast<Eigen::Index>(cx_.size()));
    s.w.resize(static_cast<Eigen::Index>(cx_.size()));
  }
  std::shared_ptr<const FarField> ff;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    // A point that has left the numbers (a blown-up particle) has no score: NaN, which the
    // caller counts. It must not reach the grid search, whose cell indices it would poison.
    if (!std::isfinite(x(i, 0)) || !std::isfinite(x(i, 1))) {
      out.row(i).setConstant(std::numeric_limits<double>::quiet_NaN());
      if constexpr (kJacobian) jac->row(i).setConstant(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    if constexpr (!kJacobian) {
      // Far field: v = α D (x − α c̄) / τ², Taylor degree from ρ = |v|.
      const double vx = alpha * radius_ * (x(i, 0) - alpha * centroid_[0]) / tau2;
      const double vy = alpha * radius_ * (x(i, 1) - alpha * centroid_[1]) / tau2;
      const int deg = prune ? far_field_degree(std::sqrt(vx * vx + vy * vy)) : -1;
      // Worth it when its (P+1)(P+2)/2 terms cost less than the n-term sum.
      if (deg >= 0 && (deg + 1) * (deg + 2) < static_cast<int>(cx_.size())) {
        if (!ff) ff = far_field(t);
        double ax[kMaxDegree + 1], by[kMaxDegree + 1];
        ax[0] = by[0] = 1.0;
        for (int p = 1; p <= deg; ++p) {
          ax[p] = ax[p - 1] * vx / p;
          by[p] = by[p - 1] * vy / p;
        }
        double s0 = 0, e1 = 0, e2 = 0;
        for (int p = 0; p <= deg; ++p)
          for (int q = 0; q <= deg - p; ++q) {
            const double c = ax[p] * by[q];
            s0 += c * ff->at(p, q);
            e1 += c * ff->at(p + 1, q);
            e2 += c * ff->at(p, q + 1);
          }
        out(i, 0) = (alpha * (centroid_[0] + radius_ * e1 / s0) - x(i, 0)) / tau2;
        out(i, 1) = (alpha * (centroid_[1] + radius_ * e2 / s0) - x(i, 1)) / tau2;
        continue;
      }
    }
    const Vec2 q(x(i, 0) / alpha, x(i, 1) / alpha);
    if (prune) {
      gather(q, r2_extra, s);
    } else {
      s.px = cx_.data();
      s.py = cy_.data();
      s.m = static_cast<Eigen::Index>(cx_.size());
    }
    if constexpr (!kJacobian) {
      const Sums r = lse_sums(s.px, s.py, s.m, q[0], q[1], a, diam_);
      out(i, 0) = (alpha * r.sx / r.s0 - x(i, 0)) / tau2;
      out(i, 1) = (alpha * r.sy / r.s0 - x(i, 1)) / tau2;
    } else {
      // The likelihood path: the same log-sum-exp, plus the weighted covariance.
      const Eigen::Map<const Eigen::ArrayXd> cx(s.px, s.m), cy(s.py, s.m);
      auto d2 = s.d2.head(s.m);
      auto w = s.w.head(s.m);
      d2 = (cx - q[0]).square() + (cy - q[1]).square();
      const double dmin = d2.minCoeff();
      d2 = ((d2 - dmin) * (-a)).max(-708.0);
      for (Eigen::Index k = 0; k < s.m; ++k) w[k] = exp_nonpositive(d2[k]);
      const double s0 = w.sum();
      const double mx = (w * cx).sum() / s0, my = (w * cy).sum() / s0;
      out(i, 0) = (alpha * mx - x(i, 0)) / tau2;
      out(i, 1) = (alpha * my - x(i, 1)) / tau2;
      const double vxx = (w * (cx - mx).square()).sum() / s0;
      const double vyy = (w * (cy - my).square()).sum() / s0;
      const double vxy = (w * (cx - mx) * (cy - my)).sum() / s0;
      const double c = alpha * alpha / (tau2 * tau2);
      jac->row(i) << c * vxx - 1.0 / tau2, c * vxy, c * vxy, c * vyy - 1.0 / tau2;
    }
  }
}

bool MixtureScore::log_density(const PointsCRef& x, double t, Eigen::Ref<Eigen::VectorXd> out) const {
  // log p_t(x) = log Σ_k exp(−|x − α c_k|² / 2τ²) − log n − log(2π τ²), by log-sum-exp.
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  const Eigen::Map<const Eigen::ArrayXd> cx(cx_.data(), static_cast<Eigen::Index>(cx_.size()));
  const Eigen::Map<const Eigen::ArrayXd> cy(cy_.data(), static_cast<Eigen::Index>(cy_.size()));
  const double norm = -std::log(static_cast<double>(cx_.size())) - std::log(2.0 * M_PI * tau2);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Eigen::ArrayXd e = -((alpha * cx - x(i, 0)).square() + (alpha * cy - x(i, 1)).square()) / (2.0 * tau2);
    const double mx = e.maxCoeff();
    out[i] = mx + std::log((e - mx).exp().sum()) + norm;
  }
  return true;
}

void MixtureScore::score(const PointsCRef& x, double t, PointsRef out) const {
  evaluate<false>(x, t, out, nullptr, true);
}

void MixtureScore::score_full(const PointsCRef& x, double t, PointsRef out) const {
  evaluate<false>(x, t, out, nullptr, false);
}

void MixtureScore::score_jacobian(const PointsCRef& x, double t, PointsRef out,
                                  JacobiansRef jac) const {
  Jacobians j(x.rows(), 4);
  evaluate<true>(x, t, out, &j, true);
  jac = j;
}

bool MixtureScore::score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const {
  out.resize(x.rows());
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  const double a = alpha * alpha / (2.0 * tau2);
  Scratch s;
  s.d2.resize(static_cast<Eigen::Index>(cx_.size()));
  s.w.resize(static_cast<Eigen::Index>(cx_.size()));
  const double r1 = alpha / tau2;  // ∂θ/∂x
  const double r2 = r1 * r1, r3 = r2 * r1, r4 = r2 * r2;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Vec2 q(x(i, 0) / alpha, x(i, 1) / alpha);
    gather(q, kLogInvRatio / a, s);
    const Eigen::Map<const Eigen::ArrayXd> cx(s.px, s.m), cy(s.py, s.m);
    auto d2 = s.d2.head(s.m);
    auto w = s.w.head(s.m);
    d2 = (cx - q[0]).square() + (cy - q[1]).square();
    const double dmin = d2.minCoeff();
    d2 = ((d2 - dmin) * (-a)).max(-708.0);
    for (Eigen::Index k = 0; k < s.m; ++k) w[k] = exp_nonpositive(d2[k]);
    w /= w.sum();
    const double mx = (w * cx).sum(), my = (w * cy).sum();
    // Central moments of the posterior over the (unscaled) centres, up to order 4.
    const Eigen::ArrayXd u = cx - mx, v = cy - my;
    const Eigen::ArrayXd wu = w * u, wv = w * v;
    const double uu = (wu * u).sum(), uv = (wu * v).sum(), vv = (wv * v).sum();
    const Eigen::ArrayXd wuu = wu * u, wuv = wu * v, wvv = wv * v;
    const double uuu = (wuu * u).sum(), uuv = (wuu * v).sum(), uvv = (wuv * v).sum(), vvv = (wvv * v).sum();
    const double m4_uuuu = (wuu * u * u).sum(), m4_uuuv = (wuu * u * v).sum(), m4_uuvv = (wuu * v * v).sum(),
                 m4_uvvv = (wuv * v * v).sum(), m4_vvvv = (wvv * v * v).sum();
    out.s(i, 0) = (alpha * mx - x(i, 0)) / tau2;
    out.s(i, 1) = (alpha * my - x(i, 1)) / tau2;
    out.jac.row(i) << r2 * uu - 1.0 / tau2, r2 * uv, r2 * uv, r2 * vv - 1.0 / tau2;
    // Third cumulants = third central moments. T(k,i,j) = ∂_k∂_i∂_j log p.
    const double k3[2][2][2] = {{{uuu, uuv}, {uuv, uvv}}, {{uuv, uvv}, {uvv, vvv}}};
    for (int k = 0; k < 2; ++k)
      for (int a2 = 0; a2 < 2; ++a2)
        for (int b = 0; b < 2; ++b) out.hess(i, 4 * k + 2 * a2 + b) = r3 * k3[k][a2][b];
    out.grad_div(i, 0) = r3 * (uuu + uvv);
    out.grad_div(i, 1) = r3 * (uuv + vvv);
    // Fourth cumulants κ_ijkl = m_ijkl − (κ_ij κ_kl + κ_ik κ_jl + κ_il κ_jk); we need
    // Σ_k κ_kkij for the Hessian of the divergence.
    const double k2[2][2] = {{uu, uv}, {uv, vv}};
    const double m4[2][2][2][2] = {
        {{{m4_uuuu, m4_uuuv}, {m4_uuuv, m4_uuvv}}, {{m4_uuuv, m4_uuvv}, {m4_uuvv, m4_uvvv}}},
        {{{m4_uuuv, m4_uuvv}, {m4_uuvv, m4_uvvv}}, {{m4_uuvv, m4_uvvv}, {m4_uvvv, m4_vvvv}}}};
    for (int p = 0; p < 2; ++p)
      for (int r = 0; r < 2; ++r) {
        double sum = 0;
        for (int k = 0; k < 2; ++k)
          sum += m4[k][k][p][r] - (k2[k][k] * k2[p][r] + 2.0 * k2[k][p] * k2[k][r]);
        out.hess_div(i, 2 * p + r) = r4 * sum;
      }
  }
  return true;
}

std::size_t MixtureScore::candidate_count(const Vec2& x, double t) const {
  const double alpha = schedule_.alpha(t);
  const double tau2 = alpha * alpha * std_ * std_ + schedule_.sigma2(t);
  Scratch s;
  gather(x / alpha, kLogInvRatio * 2.0 * tau2 / (alpha * alpha), s);
  return static_cast<std::size_t>(s.m);
}

}  // namespace hbar
