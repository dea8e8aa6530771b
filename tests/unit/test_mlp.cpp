#include <doctest/doctest.h>

#include <cmath>

#include "hbar/score/mlp.hpp"

using namespace hbar;

namespace {
// An independent double-precision forward pass of the same network (the test's truth).
Eigen::MatrixXd forward_double(const Mlp& net, const Eigen::MatrixXd& in) {
  Eigen::MatrixXd h = in;
  const auto& p = net.params();
  for (std::size_t l = 0; l + 1 < p.w.size(); ++l) {
    Eigen::MatrixXd u = p.w[l].cast<double>() * h;
    u.colwise() += p.b[l].cast<double>();
    h = u.unaryExpr([](double v) { return v / (1 + std::exp(-v)); });
  }
  Eigen::MatrixXd out = p.w.back().cast<double>() * h;
  out.colwise() += p.b.back().cast<double>();
  return out;
}
// Loss 0.5 Σ (out ⊙ target) weights: d loss / d out = target.
double loss_double(const Mlp& net, const Eigen::MatrixXd& in, const Eigen::MatrixXd& target) {
  return (forward_double(net, in).array() * target.array()).sum();
}
}  // namespace

TEST_CASE("MLP: LeCun-normal initialisation, zero biases, the paper's shape") {
  const Mlp net(MlpShape{128, 3}, 7);
  CHECK(net.params().w.size() == 4);
  CHECK(net.params().count() == 3 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2);
  // Variance of the 128 × 128 weights ≈ 1/128 (16384 draws: relative SE √(2/16384) ≈ 1.1 %).
  const auto& w = net.params().w[1];
  const double var = (w.array().cast<double>().square()).mean();
  CHECK(std::abs(var * 128 - 1) < 4 * std::sqrt(2.0 / 16384));
  for (const auto& b : net.params().b) CHECK(b.isZero());
  // Seeded: the same seed gives the same weights, another seed others.
  CHECK(Mlp(MlpShape{128, 3}, 7).params().w[2] == net.params().w[2]);
  CHECK(Mlp(MlpShape{128, 3}, 8).params().w[2] != net.params().w[2]);
}

TEST_CASE("MLP: backward equals finite differences of an independent double forward") {
  Mlp net(MlpShape{16, 3}, 3);
  for (auto& b : net.params().b) b.setRandom();  // non-zero biases exercise their gradients
  Eigen::MatrixXf in(3, 5);
  in.setRandom();
  Eigen::MatrixXf target(2, 5);
  target.setRandom();
  Eigen::MatrixXf out;
  Mlp::Tape tape;
  net.forward(in, out, tape);
  CHECK((out.cast<double>() - forward_double(net, in.cast<double>())).cwiseAbs().maxCoeff() < 1e-5);
  MlpParams grad;
  net.backward(tape, target, grad);
  // Central differences in double with step 1e-3 on a handful of weights of every
  // layer: truncation ~1e-6 · |∂³|, float storage of the weights is exact for the
  // perturbed copy since the difference is taken on the double network.
  for (std::size_t l = 0; l < net.params().w.size(); ++l) {
    for (Eigen::Index k : {Eigen::Index{0}, net.params().w[l].size() / 2, net.params().w[l].size() - 1}) {
      const float w0 = net.params().w[l].data()[k];
      const float e = 1e-2f;
      net.params().w[l].data()[k] = w0 + e;
      const double lp = loss_double(net, in.cast<double>(), target.cast<double>());
      net.params().w[l].data()[k] = w0 - e;
      const double lm = loss_double(net, in.cast<double>(), target.cast<double>());
      net.params().w[l].data()[k] = w0;
      const double fd = (lp - lm) / (static_cast<double>(w0 + e) - static_cast<double>(w0 - e));
      CAPTURE(l);
      CAPTURE(k);
      CHECK(std::abs(grad.w[l].data()[k] - fd) < 2e-4 * (1 + std::abs(fd)));
    }
    const float b0 = net.params().b[l][0];
    net.params().b[l][0] = b0 + 1e-2f;
    const double lp = loss_double(net, in.cast<double>(), target.cast<double>());
    net.params().b[l][0] = b0 - 1e-2f;
    const double lm = loss_double(net, in.cast<double>(), target.cast<double>());
    net.params().b[l][0] = b0;
    const double fd = (lp - lm) / (static_cast<double>(b0 + 1e-2f) - static_cast<double>(b0 - 1e-2f));
    CHECK(std::abs(grad.b[l][0] - fd) < 2e-4 * (1 + std::abs(fd)));
  }
}

TEST_CASE("MLP: derivatives in x equal finite differences of one order lower") {
  Mlp net(MlpShape{24, 3}, 5);
  for (auto& b : net.params().b) b.setRandom();
  Eigen::MatrixXd x(4, 2);
  x << 0.3, -0.7, 1.2, 0.4, -0.5, -0.5, 0.0, 2.0;
  const double t = 0.37;
  Mlp::Derivs d, dp, dm;
  net.derivatives(x, t, 3, d);
  // Order 0 equals the float forward.
  Eigen::MatrixXf in(3, 4);
  in.topRows(2) = x.transpose().cast<float>();
  in.row(2).setConstant(static_cast<float>(t));
  Eigen::MatrixXf out;
  net.forward(in, out);
  CHECK((d.s - out.transpose().cast<double>()).cwiseAbs().maxCoeff() < 1e-5);
  const double e = 1e-5;  // central differences: truncation e²·|∂⁴| ~ 1e-10, rounding 1e-16/e ~ 1e-11
  for (int j = 0; j < 2; ++j) {
    Eigen::MatrixXd xp = x, xm = x;
    xp.col(j).array() += e;
    xm.col(j).array() -= e;
    net.derivatives(xp, t, 3, dp);
    net.derivatives(xm, t, 3, dm);
    for (int k = 0; k < 2; ++k) {
      CHECK(((dp.s.col(k) - dm.s.col(k)) / (2 * e) - d.jac.col(2 * k + j)).cwiseAbs().maxCoeff() < 1e-7);
      for (int i = 0; i < 2; ++i) {
        CHECK(((dp.jac.col(2 * k + i) - dm.jac.col(2 * k + i)) / (2 * e) - d.hess.col(4 * k + 2 * i + j))
                  .cwiseAbs()
                  .maxCoeff() < 1e-7);
        for (int m = 0; m < 2; ++m)
          CHECK(((dp.hess.col(4 * k + 2 * i + m) - dm.hess.col(4 * k + 2 * i + m)) / (2 * e) -
                 d.third.col(8 * k + 4 * i + 2 * m + j))
                    .cwiseAbs()
                    .maxCoeff() < 1e-7);
      }
    }
  }
}
