#pragma once
// A scene: everything that does not depend on h, built once in the background.
#include <functional>
#include <memory>
#include <string>

#include "hbar/process/dynamics.hpp"
#include "hbar/view/grid.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/score/score_grid.hpp"
#include "scene_data.hpp"
#include "settings.hpp"

namespace hbar::app {

// The data and score (SceneData, as hbar-cli --session builds them) and what the app
// adds for the slider.
struct Scene : SceneData {
  SceneSettings settings;
  std::shared_ptr<const ScoreGrid> cache;   // the score on a space-time grid
  std::shared_ptr<const NoiseTable> noise;  // step noise of (seed, particles, steps)
  Box box;                                  // the cache's box: data ∪ the prior's bulk
};

inline constexpr int kCacheEvery = 5;   // time knots: every 5th step
inline constexpr int kCacheNodes = 161; // nodes per side
inline constexpr double kPriorBulk = 4.5, kCacheMargin = 0.5;

// Loads / draws the data and builds score, cache and noise. Throws CsvError,
// ModelFileError or std::invalid_argument for bad input, Cancelled when cancelled.
std::shared_ptr<const Scene> build_scene(const SceneSettings& s, Progress& progress,
                                         const std::function<void(std::string)>& status);

// The run's sampler and its options (Settings::sampler, eta, churn); the default is the
// h-family (Euler–Maruyama), which the sweeps, the overlay and animations always use.
struct RunSampler {
  Integrator kind = Integrator::kEulerMaruyama;
  double eta = 0.0, churn = 0.0;
  bool operator==(const RunSampler&) const = default;
  // em and heun take h; the others set their own noise.
  bool takes_h() const { return kind == Integrator::kEulerMaruyama; }
};
RunSampler run_sampler(const Settings& s);

// The sampler settings of a scene at h (stride 1, action recorded, shared noise); with
// another sampler than em, its own (heun: h = 0; ddim, edm, restart: no h, no action).
SamplerConfig sampler_config(const Scene& scene, const HSchedule& h, const RunSampler& rs = {});

}  // namespace hbar::app
