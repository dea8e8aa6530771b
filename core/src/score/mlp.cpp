#include "hbar/score/mlp.hpp"

#include <cmath>
#include <stdexcept>

#include "hbar/base/rng.hpp"

namespace hbar {
namespace {
constexpr int kIn = 3, kOut = 2;

// σ(u) = ½ tanh(u/2) + ½: Eigen's vectorised float tanh is several times faster
// than exp plus a division, and as accurate in float.
template <class A>
auto sigmoid(const A& u) {
  return (u * 0.5f).tanh() * 0.5f + 0.5f;
}
}  // namespace

void MlpParams::zeros_like(const MlpParams& o) {
  w.resize(o.w.size());
  b.resize(o.b.size());
  for (std::size_t l = 0; l < o.w.size(); ++l) {
    w[l] = Eigen::MatrixXf::Zero(o.w[l].rows(), o.w[l].cols());
    b[l] = Eigen::VectorXf::Zero(o.b[l].size());
  }
}

std::size_t MlpParams::count() const {
  std::size_t n = 0;
  for (std::size_t l = 0; l < w.size(); ++l) n += static_cast<std::size_t>(w[l].size() + b[l].size());
  return n;
}

std::size_t MlpShape::count() const {
  const auto w = static_cast<std::size_t>(width), d = static_cast<std::size_t>(depth);
  return (kIn + 1) * w + (d - 1) * (w * w + w) + kOut * w + kOut;
}

Mlp Mlp::from_flat(MlpShape shape, const float* flat, std::size_t n) {
  if (shape.width < 1 || shape.depth < 1) throw std::invalid_argument("network width and depth must be >= 1");
  if (n != shape.count()) throw std::invalid_argument("parameter count does not fit the network's shape");
  Mlp net;
  net.shape_ = shape;
  std::size_t k = 0;
  for (int l = 0; l <= shape.depth; ++l) {
    const int in = l == 0 ? kIn : shape.width, out = l == shape.depth ? kOut : shape.width;
    net.p_.w.push_back(Eigen::Map<const Eigen::MatrixXf>(flat + k, out, in));
    k += static_cast<std::size_t>(out) * static_cast<std::size_t>(in);
    net.p_.b.push_back(Eigen::Map<const Eigen::VectorXf>(flat + k, out));
    k += static_cast<std::size_t>(out);
  }
  return net;
}

Mlp::Mlp(MlpShape shape, std::uint64_t seed) : shape_(shape) {
  if (shape.width < 1 || shape.depth < 1) throw std::invalid_argument("network width and depth must be >= 1");
  std::uint64_t counter = 0;
  for (int l = 0; l <= shape.depth; ++l) {
    const int in = l == 0 ? kIn : shape.width, out = l == shape.depth ? kOut : shape.width;
    Eigen::MatrixXf w(out, in);
    const double sd = 1.0 / std::sqrt(static_cast<double>(in));
    for (Eigen::Index k = 0; k < w.size(); k += 2) {
      const auto z = normal2(seed, Stream::kInit, counter++, static_cast<std::uint32_t>(l));
      w.data()[k] = static_cast<float>(sd * z[0]);
      if (k + 1 < w.size()) w.data()[k + 1] = static_cast<float>(sd * z[1]);
    }
    p_.w.push_back(std::move(w));
    p_.b.push_back(Eigen::VectorXf::Zero(out));
  }
}

void Mlp::forward(const Eigen::MatrixXf& in, Eigen::MatrixXf& out) const {
  Eigen::MatrixXf h = in, u;
  for (int l = 0; l < shape_.depth; ++l) {
    u.noalias() = p_.w[static_cast<std::size_t>(l)] * h;
    u.colwise() += p_.b[static_cast<std::size_t>(l)];
    h.resize(u.rows(), u.cols());
    h.array() = u.array() * sigmoid(u.array());
  }
  out.noalias() = p_.w.back() * h;
  out.colwise() += p_.b.back();
}

void Mlp::forward(const Eigen::MatrixXf& in, Eigen::MatrixXf& out, Tape& tape) const {
  const auto L = static_cast<std::size_t>(shape_.depth);
  tape.in = in;
  tape.act.resize(L);
  tape.dact.resize(L);
  for (std::size_t l = 0; l < L; ++l) {
    const Eigen::MatrixXf& h = l == 0 ? tape.in : tape.act[l - 1];
    tape.pre.noalias() = p_.w[l] * h;
    tape.pre.colwise() += p_.b[l];
    const auto u = tape.pre.array();
    Eigen::MatrixXf& d = tape.dact[l];
    d.resize(u.rows(), u.cols());
    d.array() = sigmoid(u);  // σ(u)
    tape.act[l].resize(u.rows(), u.cols());
    tape.act[l].array() = u * d.array();                          // φ = u σ
    d.array() = d.array() + tape.act[l].array() * (1 - d.array());  // φ' = σ + u σ (1 − σ)
  }
  out.noalias() = p_.w.back() * tape.act.back();
  out.colwise() += p_.b.back();
}

void Mlp::backward(Tape& tape, const Eigen::MatrixXf& dout, MlpParams& grad) const {
  const auto L = static_cast<std::size_t>(shape_.depth);
  if (grad.w.size() != L + 1) grad.zeros_like(p_);
  grad.w[L].noalias() = dout * tape.act[L - 1].transpose();
  grad.b[L] = dout.rowwise().sum();
  Eigen::MatrixXf* delta = &tape.delta[0];
  Eigen::MatrixXf* next = &tape.delta[1];
  delta->noalias() = p_.w[L].transpose() * dout;  // d loss / d act[L-1]
  for (std::size_t l = L; l-- > 0;) {
    delta->array() *= tape.dact[l].array();  // d loss / d pre-activation
    const Eigen::MatrixXf& h = l == 0 ? tape.in : tape.act[l - 1];
    grad.w[l].noalias() = *delta * h.transpose();
    grad.b[l] = delta->rowwise().sum();
    if (l > 0) {
      next->noalias() = p_.w[l].transpose() * *delta;
      std::swap(delta, next);
    }
  }
}

void Mlp::derivatives(const Eigen::MatrixXd& x, double t, int order, Derivs& out) const {
  // Forward-mode Taylor propagation in (x1, x2): per unit the value, its gradient
  // (2), the unique second derivatives (00, 01, 11) and third derivatives (000, 001,
  // 011, 111), each a (units × n) array.
  using A = Eigen::ArrayXXd;
  const Eigen::Index n = x.rows();
  const auto L = static_cast<std::size_t>(shape_.depth);
  A v;
  A d1[2], d2[3], d3[4];
  {
    const Eigen::MatrixXd w0 = p_.w[0].cast<double>();
    Eigen::MatrixXd in(kIn, n);
    in.row(0) = x.col(0).transpose();
    in.row(1) = x.col(1).transpose();
    in.row(2).setConstant(t);
    Eigen::MatrixXd u = w0 * in;
    u.colwise() += p_.b[0].cast<double>();
    v = u.array();
    for (int i = 0; i < 2; ++i) d1[i] = w0.col(i).array().replicate(1, n);
    for (auto& d : d2) d = A::Zero(v.rows(), n);
    for (auto& d : d3) d = A::Zero(v.rows(), n);
  }
  // Index helpers: second (i ≤ j) → i + j; third → number of 1s among (i, j, l).
  for (std::size_t l = 0; l < L; ++l) {
    // Activation of the pre-activation (v, d1, d2, d3).
    const A sg = (1 + (-v).exp()).inverse();
    const A s1 = sg * (1 - sg);
    const A f0 = v * sg;
    const A f1 = sg + v * s1;
    const A f2 = s1 * (2 + v * (1 - 2 * sg));
    const A f3 = s1 * (3 * (1 - 2 * sg) + v * (1 - 6 * sg + 6 * sg * sg));
    A a1[2], a2[3], a3[4];
    if (order >= 1)
      for (int i = 0; i < 2; ++i) a1[i] = f1 * d1[i];
    if (order >= 2)
      for (int i = 0; i < 2; ++i)
        for (int j = i; j < 2; ++j) a2[i + j] = f2 * d1[i] * d1[j] + f1 * d2[i + j];
    if (order >= 3)
      for (int k = 0; k < 4; ++k) {
        // i ≤ j ≤ l with k ones: (0,0,0), (0,0,1), (0,1,1), (1,1,1)
        const int i = k >= 3 ? 1 : 0, j = k >= 2 ? 1 : 0, m = k >= 1 ? 1 : 0;
        a3[k] = f3 * d1[i] * d1[j] * d1[m] +
                f2 * (d2[i + j] * d1[m] + d2[i + m] * d1[j] + d2[j + m] * d1[i]) + f1 * d3[k];
      }
    // Next linear layer.
    const Eigen::MatrixXd w = p_.w[l + 1].cast<double>();
    Eigen::MatrixXd u = w * f0.matrix();
    u.colwise() += p_.b[l + 1].cast<double>();
    v = u.array();
    if (order >= 1)
      for (int i = 0; i < 2; ++i) d1[i] = (w * a1[i].matrix()).array();
    if (order >= 2)
      for (int k = 0; k < 3; ++k) d2[k] = (w * a2[k].matrix()).array();
    if (order >= 3)
      for (int k = 0; k < 4; ++k) d3[k] = (w * a3[k].matrix()).array();
  }
  out.s = v.transpose().matrix();
  if (order >= 1) {
    out.jac.resize(n, 4);
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 2; ++j) out.jac.col(2 * k + j) = d1[j].row(k).transpose().matrix();
  }
  if (order >= 2) {
    out.hess.resize(n, 8);
    for (int k = 0; k < 2; ++k)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) out.hess.col(4 * k + 2 * i + j) = d2[i + j].row(k).transpose().matrix();
  }
  if (order >= 3) {
    out.third.resize(n, 16);
    for (int k = 0; k < 2; ++k)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
          for (int m = 0; m < 2; ++m)
            out.third.col(8 * k + 4 * i + 2 * j + m) = d3[i + j + m].row(k).transpose().matrix();
  }
}

Adam::Adam(const MlpParams& like, float lr, float beta1, float beta2, float eps)
    : lr_(lr), b1_(beta1), b2_(beta2), eps_(eps) {
  m_.zeros_like(like);
  v_.zeros_like(like);
}

void Adam::step(MlpParams& p, const MlpParams& g) {
  ++t_;
  const float c1 = 1.0f - std::pow(b1_, static_cast<float>(t_)), c2 = 1.0f - std::pow(b2_, static_cast<float>(t_));
  const float step = lr_ * std::sqrt(c2) / c1;
  const float eps_hat = eps_ * std::sqrt(c2);  // ε on the bias-corrected v, as in the paper's algorithm
  const auto update = [&](auto& param, auto& m, auto& v, const auto& grad) {
    m.array() = b1_ * m.array() + (1 - b1_) * grad.array();
    v.array() = b2_ * v.array() + (1 - b2_) * grad.array().square();
    param.array() -= step * m.array() / (v.array().sqrt() + eps_hat);
  };
  for (std::size_t l = 0; l < p.w.size(); ++l) {
    update(p.w[l], m_.w[l], v_.w[l], g.w[l]);
    update(p.b[l], m_.b[l], v_.b[l], g.b[l]);
  }
}

}  // namespace hbar
