#pragma once
// Score models s(x, t) ≈ ∇log p_t(x) behind one batched interface.
#include <memory>
#include <string>
#include <string_view>

#include "hbar/data/dataset.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

using PointsRef = Eigen::Ref<Points>;
using PointsCRef = Eigen::Ref<const Points>;
using JacobiansRef = Eigen::Ref<Jacobians>;

// Derivatives of a score per row, up to the order the likelihood needs
// (SCIENCE.md §5). Index conventions (row-major within each row):
//   jac(r, 2i + j)       = ∂_j s_i
//   hess(r, 4k + 2i + j) = ∂_i ∂_j s_k            (the Hessian of component k)
//   grad_div(r, i)       = ∂_i (∇·s)
//   hess_div(r, 2i + j)  = ∂_i ∂_j (∇·s)
struct ScoreDerivatives {
  Points s;
  Jacobians jac;
  Eigen::Matrix<double, Eigen::Dynamic, 8, Eigen::RowMajor> hess;
  Points grad_div;
  Jacobians hess_div;
  void resize(Eigen::Index n) {
    s.resize(n, 2);
    jac.resize(n, 4);
    hess.resize(n, 8);
    grad_div.resize(n, 2);
    hess_div.resize(n, 4);
  }
};

class ScoreModel {
 public:
  virtual ~ScoreModel() = default;
  // s(x, t) for every row of x (all at the same t). Thread-safe (const, no shared scratch).
  virtual void score(const PointsCRef& x, double t, PointsRef out) const = 0;
  // The score and its Jacobian J_ij = d s_i / d x_j per row (see Jacobians).
  virtual void score_jacobian(const PointsCRef& x, double t, PointsRef out,
                              JacobiansRef jac) const = 0;
  // Short human-readable description ("exact mixture (25 components)", ...).
  virtual std::string describe() const = 0;
  // log p_t(x) per row where the model is the score of a known density; returns
  // false (and leaves out alone) where it is not (a biased or learned score).
  virtual bool log_density(const PointsCRef& /*x*/, double /*t*/, Eigen::Ref<Eigen::VectorXd> /*out*/) const {
    return false;
  }

  // s, its Jacobian, the Hessians of its components, ∇(∇·s) and ∇∇(∇·s) per row
  // (out is resized). Returns false where the model cannot provide them.
  virtual bool score_derivatives(const PointsCRef& /*x*/, double /*t*/, ScoreDerivatives& /*out*/) const {
    return false;
  }

  // Convenience: allocate and return.
  Points score(const Points& x, double t) const;
  // ∇·s per row (trace of the Jacobian).
  Eigen::VectorXd divergence(const Points& x, double t) const;
};

// Exact score of one Gaussian data law N(mean, cov) diffused by the schedule:
// s = -Σ_t⁻¹ (x - α_t mean), Σ_t = α_t² cov + σ_t² I.
class GaussianScore final : public ScoreModel {
 public:
  GaussianScore(Vec2 mean, Mat2 cov, Schedule schedule);
  using ScoreModel::score;
  void score(const PointsCRef& x, double t, PointsRef out) const override;
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override;
  std::string describe() const override { return "exact Gaussian"; }
  bool log_density(const PointsCRef& x, double t, Eigen::Ref<Eigen::VectorXd> out) const override;
  bool score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const override;
  // Σ_t and α_t m at time t.
  Mat2 cov_at(double t) const;
  Vec2 mean_at(double t) const;

 private:
  Vec2 mean_;
  Mat2 cov_;
  Schedule schedule_;
};

// (1 + ε) times another score: the paper's imperfect score (SCIENCE.md §9).
// With a window [t_from, t_to], the bias acts only for t inside it (a score error
// confined in time: Cao et al. 2023's experiment, docs/findings.md).
class BiasedScore final : public ScoreModel {
 public:
  BiasedScore(std::shared_ptr<const ScoreModel> base, double eps, double t_from = -1e300, double t_to = 1e300);
  using ScoreModel::score;
  void score(const PointsCRef& x, double t, PointsRef out) const override;
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override;
  std::string describe() const override;
  bool score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const override;
  double eps() const { return eps_; }

 private:
  double factor(double t) const { return t >= t_from_ && t <= t_to_ ? 1.0 + eps_ : 1.0; }
  std::shared_ptr<const ScoreModel> base_;
  double eps_, t_from_, t_to_;
};

// The exact score for a data set: the analytic diffused law for gauss25, gauss8
// (isotropic mixtures) and gaussian; for any other set the exact score of the
// diffused empirical law of `data` (an n-component mixture). `dataset_name` may be
// empty (a loaded CSV): then `data` is used.
std::shared_ptr<const ScoreModel> make_exact_score(std::string_view dataset_name, const Points& data,
                                                   const Schedule& schedule);

}  // namespace hbar
