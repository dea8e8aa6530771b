#pragma once
// Exact score of an equal-weight isotropic Gaussian mixture diffused by a linear
// schedule: components N(α_t c_k, τ_t² I) with τ_t² = α_t² s² + σ_t². With s = 0
// and the data points as centres this is the diffused empirical law.
//
// Evaluation uses log-sum-exp. Components whose weight is provably below
// kPruneRatio of the largest are skipped: a uniform grid over the centres finds an
// upper bound U on the nearest scaled distance, and only centres with
// ‖x - α c‖² ≤ U² + 2 τ² ln(1/kPruneRatio) are summed (every skipped weight is
// below the bound relative to the nearest, hence to the largest).
//
// Far field: write the scaled centres as α c̄ + α D e_k (c̄ the centroid, |e_k| ≤ 1).
// The weights are w_k ∝ β_k exp(v·e_k) with β_k = exp(−α² |c_k − c̄|² / 2τ²) and
// v = α D (x − α c̄) / τ². Where ρ = |v| ≤ kTaylorRho, exp(v·e_k) is expanded to
// total degree P, so the sums need only the moments Σ β_k e1^p e2^q (computed once
// per t and cached): O(P²) per point instead of O(n). P is the smallest degree with
// truncation bound e^{2ρ} ρ^{P+1} / (P+1)! ≤ kTaylorTol relative to every sum, so
// the result agrees with the full sum to ~1e-15 as well.
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "hbar/score/score.hpp"

namespace hbar {

class MixtureScore final : public ScoreModel {
 public:
  static constexpr double kPruneRatio = 1e-15;
  static constexpr double kTaylorRho = 2.0;
  static constexpr double kTaylorTol = 1e-16;
  static constexpr int kMaxDegree = 26;  // enough for ρ = kTaylorRho

  MixtureScore(const Points& centres, double component_std, Schedule schedule);
  using ScoreModel::score;
  void score(const PointsCRef& x, double t, PointsRef out) const override;
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override;
  std::string describe() const override;
  bool log_density(const PointsCRef& x, double t, Eigen::Ref<Eigen::VectorXd> out) const override;
  // Analytic, from the cumulants of the posterior over the components: with
  // θ = α x / τ², log p_t = −|x|²/2τ² + K(θ) + const, K the cumulant-generating
  // function of the centres under their prior weights, so ∇ⁿ log p_t = (α/τ²)ⁿ κ_n
  // (posterior cumulants) for n ≥ 3 (pruned sum, no far field).
  bool score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const override;

  // Reference evaluation over every component (no pruning), for tests.
  void score_full(const PointsCRef& x, double t, PointsRef out) const;
  // Number of components summed for one point (for tests and diagnostics).
  std::size_t candidate_count(const Vec2& x, double t) const;
  std::size_t size() const { return cx_.size(); }
  // Whether the far-field expansion evaluates this point at t (for tests).
  bool uses_far_field(const Vec2& x, double t) const;
  // The Taylor degree needed for a given ρ (0 … kTaylorRho); -1 beyond.
  static int far_field_degree(double rho);

 private:
  struct Scratch;
  template <bool kJacobian>
  void evaluate(const PointsCRef& x, double t, PointsRef out, Jacobians* jac, bool prune) const;
  // Fills scratch with the candidate centres of query x (unscaled coordinates q = x/α).
  void gather(const Vec2& q, double r2_extra_unscaled, Scratch& s) const;

  struct FarField;  // moments at one t
  std::shared_ptr<const FarField> far_field(double t) const;

  double std_;
  Schedule schedule_;
  // Centres sorted by grid cell (structure of arrays).
  std::vector<double> cx_, cy_;
  // Uniform grid over the centres' bounding box.
  double x0_ = 0, y0_ = 0, cell_ = 1, diam_ = 0;
  int nx_ = 1, ny_ = 1;
  std::vector<int> cell_start_;  // size nx*ny + 1
  // Far field: centroid, radius D, normalised offsets e_k and |c_k − c̄|².
  Vec2 centroid_ = Vec2::Zero();
  double radius_ = 0, r2min_ = 0;
  std::vector<double> ex_, ey_, r2_;
  mutable std::mutex cache_mutex_;
  mutable std::map<double, std::shared_ptr<const FarField>> cache_;
};

}  // namespace hbar
