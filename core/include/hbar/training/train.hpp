#pragma once
// Training, each process with its customary objective (SCIENCE.md §4, §12):
// - simple, cosine (the paper's): denoising score matching, t uniform on the 1000-point
//   grid linspace(T_min, T_max, 1000), x_t = α_t x0 + σ_t z, loss = mean over batch and
//   dims of g(t)² (s_θ(x_t, t) + z/σ_t)²; the network returns the score;
// - edm: EDM's preconditioned denoiser (Karras et al. 2022): ln σ ~ N(−1.2, 1.2²) clipped to
//   [T_min, T_max], x = x0 + σ n, the network F sees (c_in x, ln(σ)/4) and learns
//   (x0 − c_skip x)/c_out, weight λ(σ) c_out² = 1; σ_d is the training data's standard
//   deviation (RMS over both coordinates); output x0;
// - linear: conditional flow matching with the independent coupling: t uniform on
//   [T_min, T_max], x = (1 − t) x0 + t z, target velocity z − x0, weight 1; output velocity.
// Adam throughout. Minibatch k draws its data
// indices, times and noise from Philox (seed, Stream::kTraining, k·batch + b): the run
// is the same for every thread count up to the float GEMM's summation order.
#include <cstdint>

#include "hbar/score/learned_score.hpp"
#include "hbar/score/mlp.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

struct TrainConfig {
  MlpShape shape;
  int batch = 512;
  float lr = 1e-3f;
  std::uint64_t seed = 0;
  int threads = 0;  // 0: all cores
};

class ScoreTrainer {
 public:
  static constexpr int kTimeGrid = 1000;
  // Throws std::invalid_argument on an empty data set or a bad config.
  ScoreTrainer(Points data, Schedule schedule, TrainConfig cfg);
  // One Adam step; returns its minibatch loss.
  double step();
  // The DSM loss of the current network on `batches` minibatches drawn from another
  // stream index range (a fixed evaluation set for a given seed).
  double evaluation_loss(int batches = 8) const;
  // The same loss for any score model (e.g. the exact score: the floor a perfect
  // network reaches, since DSM differs from the true score error by a constant).
  double evaluation_loss_of(const ScoreModel& model, int batches = 8) const;
  const Mlp& net() const { return net_; }
  Mlp& net() { return net_; }
  long steps() const { return adam_.steps(); }
  const Schedule& schedule() const { return schedule_; }
  const TrainConfig& config() const { return cfg_; }
  // What the network returns (the model file records it) and EDM's σ_d (0 otherwise).
  NetOutput output() const { return output_; }
  double sigma_data() const { return sigma_data_; }

 private:
  // The minibatch with counter base `base`: network input (3 × B), each sample's weight,
  // and the target the network's output should match (loss: weight · ‖out − target‖²);
  // `x` and `t` (when given): the points and times themselves.
  void draw(std::uint64_t base, Eigen::MatrixXf& in, Eigen::VectorXf& weight, Eigen::MatrixXf& target,
            Eigen::MatrixXd* x = nullptr, Eigen::VectorXd* t = nullptr) const;
  Points data_;
  Schedule schedule_;
  TrainConfig cfg_;
  NetOutput output_ = NetOutput::kScore;
  double sigma_data_ = 0;
  Mlp net_;
  Adam adam_;
  // Data-parallel step: the minibatch is cut into one slice per thread, each slice runs
  // forward and backward with single-threaded GEMMs, and the gradients are summed in
  // slice order (deterministic for a fixed thread count).
  struct Slice {
    Mlp::Tape tape;
    MlpParams grad;
    Eigen::MatrixXf in, out, target, dout;
    Eigen::VectorXf g2;
    double loss = 0;
  };
  std::vector<Slice> slices_;
  MlpParams grad_;
  Eigen::MatrixXf in_, target_;
  Eigen::VectorXf g2_;
};

}  // namespace hbar
