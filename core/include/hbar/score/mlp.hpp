#pragma once
// The paper's score network (SCIENCE.md §4): input (x1, x2, t) → depth hidden layers
// of `width` swish units → 2 outputs, the score itself. Hand-written batched forward
// and backward passes on Eigen matrices (float, one column per sample), Adam, and the
// derivatives w.r.t. x the likelihood needs (double, forward mode up to third order).
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace hbar {

struct MlpShape {
  int width = 128;
  int depth = 3;  // hidden layers
  bool operator==(const MlpShape&) const = default;
  // The number of parameters (weights and biases), without building the network.
  std::size_t count() const;
};

struct MlpParams {
  std::vector<Eigen::MatrixXf> w;  // w[l]: out × in
  std::vector<Eigen::VectorXf> b;
  void zeros_like(const MlpParams& o);
  std::size_t count() const;
};

class Mlp {
 public:
  Mlp() = default;
  // LeCun-normal weights N(0, 1/fan_in) from Philox (seed, Stream::kInit); zero biases.
  Mlp(MlpShape shape, std::uint64_t seed);
  // From parameters laid out as a model file stores them: per layer its weights
  // (column-major, out × in) then its biases. `n` must equal shape.count().
  static Mlp from_flat(MlpShape shape, const float* flat, std::size_t n);
  const MlpShape& shape() const { return shape_; }
  MlpParams& params() { return p_; }
  const MlpParams& params() const { return p_; }

  // in: 3 × B (x1, x2, t), out: 2 × B.
  void forward(const Eigen::MatrixXf& in, Eigen::MatrixXf& out) const;

  // Training: forward keeping what backward needs, then gradients of a loss whose
  // derivative w.r.t. the outputs is dout (2 × B).
  struct Tape {
    std::vector<Eigen::MatrixXf> act, dact;  // activations and φ'(pre-activation) per hidden layer
    Eigen::MatrixXf pre;                      // scratch: one layer's pre-activation
    Eigen::MatrixXf in;
    Eigen::MatrixXf delta[2];  // backward scratch, kept between steps (no allocation)
  };
  void forward(const Eigen::MatrixXf& in, Eigen::MatrixXf& out, Tape& tape) const;
  void backward(Tape& tape, const Eigen::MatrixXf& dout, MlpParams& grad) const;

  // Derivatives w.r.t. (x1, x2) at fixed t, in double, for n points (rows of x).
  // Per point: s (2), jac[2i+j] = ∂_j s_i, hess[4k+2i+j] = ∂_i∂_j s_k,
  // third[8k + 4i + 2j + l] = ∂_i∂_j∂_l s_k (order 0: s only; 1: + jac; 2: + hess; 3: + third).
  struct Derivs {
    Eigen::MatrixXd s, jac, hess, third;  // n × 2, n × 4, n × 8, n × 16
  };
  void derivatives(const Eigen::MatrixXd& x, double t, int order, Derivs& out) const;

 private:
  MlpShape shape_;
  MlpParams p_;
};

// Adam (Kingma & Ba) with bias correction.
class Adam {
 public:
  Adam() = default;
  Adam(const MlpParams& like, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f);
  void step(MlpParams& params, const MlpParams& grad);
  long steps() const { return t_; }

 private:
  float lr_ = 1e-3f, b1_ = 0.9f, b2_ = 0.999f, eps_ = 1e-8f;
  long t_ = 0;
  MlpParams m_, v_;
};

}  // namespace hbar
