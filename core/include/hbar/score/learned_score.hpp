#pragma once
// A trained network as a score model, and its file format (.hbm).
//
// File: a text header, then the parameters as little-endian float32, then a checksum:
//   hbar-model 1
//   width 128 / depth 3 / schedule simple / data gauss25 / steps 80000 / final_loss 1.23
//   batch 512 / lr 0.001 / seed 0            (one "key value" per line)
//   params 33794
//   <33794 × 4 bytes>
//   fnv1a64 0123456789abcdef                 (of the parameter bytes)
// Optional keys (written only when not their default, so the paper's models are
// unchanged): `output eps|x0|velocity` (default score: what the network returns, SCIENCE.md
// §12) and `sigma_data V` (EDM's σ_d, for output x0).
// Loading refuses, naming the file and the reason: another magic or version, a missing
// or malformed key, a parameter count that does not fit the shape, a truncated or
// over-long file, non-finite weights, a checksum mismatch.
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hbar/score/mlp.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

// What a network returns (SCIENCE.md §12), and how that becomes a score.
enum class NetOutput {
  kScore,    // s itself (the paper's networks)
  kEps,      // ε̂: s = −ε̂/σ
  kX0,       // EDM's preconditioned denoiser: D = c_skip y + c_out F(c_in y, ln(σ̃)/4) on y = x/α
             // at σ̃ = σ/α, and s = (α D − x)/σ²
  kVelocity  // v̂ = α' x̂0 + σ' ẑ: ẑ = (v̂ − (α'/α) x)/(σ' − α'σ/α), s = −ẑ/σ
};
const char* net_output_name(NetOutput o);
std::optional<NetOutput> net_output_by_name(std::string_view name);

// The score as s(x, t) = a x + b F(c x, τ) for a network F of output `o`: the map is affine
// in F with scalars at each t, so F's derivatives carry over (∂s = a I + b c ∂F, ∂²s =
// b c² ∂²F, ∂³s = b c³ ∂³F). `sigma_data`: EDM's σ_d (output x0).
struct OutputMap {
  double a = 0, b = 1, c = 1, tau = 0;
};
OutputMap output_map(NetOutput o, const Schedule& s, double t, double sigma_data);

struct ModelInfo {
  std::string schedule = "simple";
  NetOutput output = NetOutput::kScore;
  double sigma_data = 0;  // EDM's σ_d (output x0)
  std::string data;  // the data set's name or file
  long steps = 0;
  double final_loss = 0;
  int batch = 512;
  double lr = 1e-3;
  std::uint64_t seed = 0;
};

struct ModelFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Atomic (temporary name + rename).
void save_model(const std::filesystem::path& path, const Mlp& net, const ModelInfo& info);
// Throws ModelFileError "path: reason".
Mlp load_model(const std::filesystem::path& path, ModelInfo& info);
// The same from the file's bytes; `name` begins every message (the fuzz target's entry).
Mlp parse_model(std::string_view bytes, const std::string& name, ModelInfo& info);

class LearnedScore final : public ScoreModel {
 public:
  LearnedScore(Mlp net, Schedule schedule, ModelInfo info);
  using ScoreModel::score;
  // Float forward pass (batched GEMM).
  void score(const PointsCRef& x, double t, PointsRef out) const override;
  // Double forward mode (accurate enough for the likelihood's ODE tolerances).
  void score_jacobian(const PointsCRef& x, double t, PointsRef out, JacobiansRef jac) const override;
  bool score_derivatives(const PointsCRef& x, double t, ScoreDerivatives& out) const override;
  std::string describe() const override;
  const Mlp& net() const { return net_; }
  const ModelInfo& info() const { return info_; }

 private:
  Mlp net_;
  Schedule schedule_;
  ModelInfo info_;
};

// Loads a model for use with `schedule`; a model trained for another schedule is
// refused (ModelFileError naming the file and both schedules).
std::shared_ptr<const LearnedScore> load_learned_score(const std::filesystem::path& path, const Schedule& schedule);

// "fnv1a64:0123456789abcdef" of the whole file's bytes: a session names its model by
// path and this checksum. Throws ModelFileError "path: reason" when it cannot be read.
std::string model_file_checksum(const std::filesystem::path& path);

}  // namespace hbar
