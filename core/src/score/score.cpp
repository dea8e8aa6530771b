#include "hbar/score/score.hpp"

#include <Eigen/LU>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "hbar/score/mixture_score.hpp"

namespace hbar {

Points ScoreModel::score(const Points& x, double t) const {
  Points out(x.rows(), 2);
  score(x, t, out);
  return out;
}

Eigen::VectorXd ScoreModel::divergence(const Points& x, double t) const {
  Points s(x.rows(), 2);
  Jacobians j(x.rows(), 4);
  score_jacobian(x, t, s, j);
  return j.col(0) + j.col(3);
}

// ---------------------------------------------------------------- Gaussian
GaussianScore::GaussianScore(Vec2 mean, Mat2 cov, Schedule schedule)
    : mean_(std::move(mean)), cov_(std::move(cov)), schedule_(schedule) {}

Mat2 GaussianScore::cov_at(double t) const {
  const double a = schedule_.alpha(t);
  return a * a * cov_ + schedule_.sigma2(t) * Mat2::Identity();
}
Vec2 GaussianScore::mean_at(double t) const { return schedule_.alpha(t) * mean_; }

void GaussianScore::score(const PointsCRef& x, double t, PointsRef out) const {
  const Mat2 p = cov_at(t).inverse();
  const Vec2 m = mean_at(t);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Vec2 d(x(i, 0) - m[0], x(i, 1) - m[1]);
    const Vec2 s = -p * d;
    out(i, 0) = s[0];
    out(i, 1) = s[1];
  }
}

void GaussianScore::score_jacobian(const PointsCRef& x, double t, PointsRef out,
                                   JacobiansRef jac) const {
  score(x, t, out);
  const Mat2 p = cov_at(t).inverse();
  for (Eigen::Index i = 0; i < x.rows(); ++i) jac.row(i) << -p(0, 0), -p(0, 1), -p(1, 0), -p(1, 1);
}

bool GaussianScore::log_density(const PointsCRef& x, double t, Eigen::Ref<Eigen::VectorXd> out) const {
  const Mat2 c = cov_at(t);
  const Mat2 p = c.inverse();
  const Vec2 m = mean_at(t);
  const double norm = -std::log(2.0 * std::numbers::pi) - 0.5 * std::log(c.determinant());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Vec2 d(x(i, 0) - m[0], x(i, 1) - m[1]);
    out[i] = norm - 0.5 * d.dot(p * d);
  }
  return true;
}

bool GaussianScore::score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const {
  out.resize(x.rows());
  score_jacobian(x, t, out.s, out.jac);
  // A linear score: every higher derivative vanishes.
  out.hess.setZero();
  out.grad_div.setZero();
  out.hess_div.setZero();
  return true;
}

// ---------------------------------------------------------------- biased
BiasedScore::BiasedScore(std::shared_ptr<const ScoreModel> base, double eps, double t_from, double t_to)
    : base_(std::move(base)), eps_(eps), t_from_(t_from), t_to_(t_to) {}

void BiasedScore::score(const PointsCRef& x, double t, PointsRef out) const {
  base_->score(x, t, out);
  out *= factor(t);
}

void BiasedScore::score_jacobian(const PointsCRef& x, double t, PointsRef out,
                                 JacobiansRef jac) const {
  base_->score_jacobian(x, t, out, jac);
  const double k = factor(t);
  out *= k;
  jac *= k;
}

bool BiasedScore::score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const {
  if (!base_->score_derivatives(x, t, out)) return false;
  const double k = factor(t);
  out.s *= k;
  out.jac *= k;
  out.hess *= k;
  out.grad_div *= k;
  out.hess_div *= k;
  return true;
}

std::string BiasedScore::describe() const {
  char buf[96];
  if (t_from_ > -1e300 || t_to_ < 1e300)
    std::snprintf(buf, sizeof buf, "(1 + %.4g on t in [%.4g, %.4g]) x ", eps_, t_from_, t_to_);
  else
    std::snprintf(buf, sizeof buf, "(1 + %.4g) x ", eps_);
  return buf + base_->describe();
}

// ---------------------------------------------------------------- factory
std::shared_ptr<const ScoreModel> make_exact_score(std::string_view dataset_name, const Points& data,
                                                   const Schedule& schedule) {
  if (!dataset_name.empty()) {
    if (auto law = mixture_law(dataset_name))
      return std::make_shared<MixtureScore>(law->centres, law->std, schedule);
    if (auto g = gaussian_law(dataset_name))
      return std::make_shared<GaussianScore>(g->mean, g->cov, schedule);
  }
  return std::make_shared<MixtureScore>(data, 0.0, schedule);
}

}  // namespace hbar
