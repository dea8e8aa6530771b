#include "hbar/training/train.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "hbar/base/memory.hpp"
#include "hbar/base/rng.hpp"

namespace hbar {
namespace {
// The network, its gradient and Adam's two moments (float), and the tapes of a minibatch
// (about four width x batch arrays per layer), checked before anything is built.
MlpShape budgeted(const TrainConfig& cfg) {
  if (cfg.shape.width < 1 || cfg.shape.depth < 1) throw std::invalid_argument("network width and depth must be >= 1");
  const double params = static_cast<double>(cfg.shape.count());
  const double tape = 4.0 * cfg.shape.width * cfg.shape.depth * std::max(cfg.batch, 1);
  check_memory(4.0 * (4 * params + 2 * tape),
               "training a " + std::to_string(cfg.shape.width) + " x " + std::to_string(cfg.shape.depth) +
                   " network on batches of " + std::to_string(cfg.batch));
  return cfg.shape;
}
}  // namespace

ScoreTrainer::ScoreTrainer(Points data, Schedule schedule, TrainConfig cfg)
    : data_(std::move(data)), schedule_(schedule), cfg_(cfg), net_(budgeted(cfg), cfg.seed) {
  if (data_.rows() < 1) throw std::invalid_argument("training needs at least one data point");
  if (cfg.batch < 1) throw std::invalid_argument("batch must be >= 1");
  if (!(cfg.lr > 0)) throw std::invalid_argument("learning rate must be > 0");
  if (schedule_.kind() == ScheduleKind::kEdm) {
    output_ = NetOutput::kX0;
    const Eigen::RowVector2d mean = data_.colwise().mean();
    sigma_data_ = std::sqrt((data_.rowwise() - mean).squaredNorm() / (2.0 * static_cast<double>(data_.rows())));
    if (!(sigma_data_ > 0)) sigma_data_ = 0.5;  // one point: EDM's own default
  } else if (schedule_.kind() == ScheduleKind::kLinear) {
    output_ = NetOutput::kVelocity;
  }
  adam_ = Adam(net_.params(), cfg.lr);
}

void ScoreTrainer::draw(std::uint64_t base, Eigen::MatrixXf& in, Eigen::VectorXf& weight, Eigen::MatrixXf& target,
                        Eigen::MatrixXd* xs, Eigen::VectorXd* ts) const {
  const int B = cfg_.batch;
  in.resize(3, B);
  weight.resize(B);
  target.resize(2, B);
  if (xs) xs->resize(2, B);
  if (ts) ts->resize(B);
  const double n = static_cast<double>(data_.rows());
  const double t0 = schedule_.t_min(), dt = (schedule_.t_max() - t0) / (kTimeGrid - 1);
  for (int b = 0; b < B; ++b) {
    const std::uint64_t c = base + static_cast<std::uint64_t>(b);
    const auto u = uniform2(cfg_.seed, Stream::kTraining, c, 0);
    const auto z = normal2(cfg_.seed, Stream::kTraining, c, 1);
    const auto i = static_cast<Eigen::Index>(std::min(n - 1, std::floor(u[0] * n)));
    const double x0 = data_(i, 0), y0 = data_(i, 1);
    double t = 0, x = 0, y = 0;
    switch (output_) {
      case NetOutput::kX0: {
        // ln σ ~ N(P_mean, P_std²) = N(−1.2, 1.2²), clipped to the process's range.
        const double ln_sigma = -1.2 + 1.2 * normal2(cfg_.seed, Stream::kTraining, c, 2)[0];
        t = std::clamp(std::exp(ln_sigma), t0, schedule_.t_max());
        x = x0 + t * z[0];
        y = y0 + t * z[1];
        const OutputMap m = output_map(output_, schedule_, t, sigma_data_);
        // s = a x + b F  and  s = (D − x)/σ² with D = x0 at the optimum: F* = ((x0 − x)/σ² − a x)/b.
        in(0, b) = static_cast<float>(m.c * x);
        in(1, b) = static_cast<float>(m.c * y);
        in(2, b) = static_cast<float>(m.tau);
        weight[b] = 1.0f;
        target(0, b) = static_cast<float>(((x0 - x) / (t * t) - m.a * x) / m.b);
        target(1, b) = static_cast<float>(((y0 - y) / (t * t) - m.a * y) / m.b);
        break;
      }
      case NetOutput::kVelocity: {
        t = t0 + u[1] * (schedule_.t_max() - t0);
        const double a = schedule_.alpha(t), s = schedule_.sigma(t);
        x = a * x0 + s * z[0];
        y = a * y0 + s * z[1];
        in(0, b) = static_cast<float>(x);
        in(1, b) = static_cast<float>(y);
        in(2, b) = static_cast<float>(t);
        weight[b] = 1.0f;
        // v = α' x0 + σ' z
        target(0, b) = static_cast<float>(schedule_.dalpha(t) * x0 + schedule_.dsigma(t) * z[0]);
        target(1, b) = static_cast<float>(schedule_.dalpha(t) * y0 + schedule_.dsigma(t) * z[1]);
        break;
      }
      default: {
        const int k = std::min(kTimeGrid - 1, static_cast<int>(std::floor(u[1] * kTimeGrid)));
        t = t0 + k * dt;
        const double a = schedule_.alpha(t), s = schedule_.sigma(t);
        x = a * x0 + s * z[0];
        y = a * y0 + s * z[1];
        in(0, b) = static_cast<float>(x);
        in(1, b) = static_cast<float>(y);
        in(2, b) = static_cast<float>(t);
        weight[b] = static_cast<float>(schedule_.g2(t));
        // The score's target −z/σ (negated as a float: the same bits as before).
        target(0, b) = -static_cast<float>(z[0] / s);
        target(1, b) = -static_cast<float>(z[1] / s);
      }
    }
    if (xs) (*xs)(0, b) = x, (*xs)(1, b) = y;
    if (ts) (*ts)[b] = t;
  }
}

double ScoreTrainer::step() {
  const std::uint64_t base = static_cast<std::uint64_t>(adam_.steps()) * static_cast<std::uint64_t>(cfg_.batch);
  draw(base, in_, g2_, target_);
  const int B = cfg_.batch;
  const int nt = std::max(1, std::min(cfg_.threads > 0 ? cfg_.threads : omp_get_max_threads(), B / 64));
  slices_.resize(static_cast<std::size_t>(nt));
  const float inv_b = 1.0f / static_cast<float>(B);
#pragma omp parallel for schedule(static, 1) num_threads(nt)
  for (int k = 0; k < nt; ++k) {
    Slice& sl = slices_[static_cast<std::size_t>(k)];
    const int begin = B * k / nt, cols = B * (k + 1) / nt - begin;
    sl.in = in_.middleCols(begin, cols);
    sl.target = target_.middleCols(begin, cols);
    sl.g2 = g2_.segment(begin, cols);
    net_.forward(sl.in, sl.out, sl.tape);
    // r = out − target; loss = mean over 2B entries of w r²; d loss / d out = w r / B.
    sl.dout = sl.out - sl.target;
    sl.loss = 0;
    for (int b = 0; b < cols; ++b) {
      sl.loss += static_cast<double>(sl.g2[b]) * static_cast<double>(sl.dout.col(b).squaredNorm());
      sl.dout.col(b) *= sl.g2[b] * inv_b;
    }
    net_.backward(sl.tape, sl.dout, sl.grad);
  }
  double loss = 0;
  grad_ = slices_[0].grad;
  loss += slices_[0].loss;
  for (std::size_t k = 1; k < slices_.size(); ++k) {
    for (std::size_t l = 0; l < grad_.w.size(); ++l) {
      grad_.w[l] += slices_[k].grad.w[l];
      grad_.b[l] += slices_[k].grad.b[l];
    }
    loss += slices_[k].loss;
  }
  adam_.step(net_.params(), grad_);
  return loss / (2.0 * B);
}

double ScoreTrainer::evaluation_loss(int batches) const {
  double total = 0;
  Eigen::MatrixXf in, target, out;
  Eigen::VectorXf g2;  // the weights
  for (int k = 0; k < batches; ++k) {
    // Counters from 2^62 on: never met by training minibatches.
    draw((std::uint64_t{1} << 62) + static_cast<std::uint64_t>(k) * static_cast<std::uint64_t>(cfg_.batch), in,
         g2, target);
    net_.forward(in, out);
    const Eigen::ArrayXXf r = out.array() - target.array();
    total += static_cast<double>((g2.transpose().array().replicate(2, 1) * r.square()).sum()) / (2.0 * cfg_.batch);
  }
  return total / batches;
}

double ScoreTrainer::evaluation_loss_of(const ScoreModel& model, int batches) const {
  double total = 0;
  Eigen::MatrixXf in, target;
  Eigen::VectorXf w;
  Eigen::MatrixXd xs;
  Eigen::VectorXd ts;
  Points x(1, 2), sc(1, 2);
  for (int k = 0; k < batches; ++k) {
    draw((std::uint64_t{1} << 62) + static_cast<std::uint64_t>(k) * static_cast<std::uint64_t>(cfg_.batch), in, w,
         target, &xs, &ts);
    for (int b = 0; b < cfg_.batch; ++b) {
      x << xs(0, b), xs(1, b);
      model.score(x, ts[b], sc);
      // The model's score as this objective's network output: F = (s − a x)/b.
      const OutputMap m = output_map(output_, schedule_, ts[b], sigma_data_);
      const double f0 = output_ == NetOutput::kScore ? sc(0, 0) : (sc(0, 0) - m.a * x(0, 0)) / m.b;
      const double f1 = output_ == NetOutput::kScore ? sc(0, 1) : (sc(0, 1) - m.a * x(0, 1)) / m.b;
      const double r0 = f0 - target(0, b), r1 = f1 - target(1, b);
      total += static_cast<double>(w[b]) * (r0 * r0 + r1 * r1) / (2.0 * cfg_.batch);
    }
  }
  return total / batches;
}

}  // namespace hbar
