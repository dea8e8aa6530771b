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

// The sampler settings of a scene at h (stride 1, action recorded, shared noise).
SamplerConfig sampler_config(const Scene& scene, const HSchedule& h);

}  // namespace hbar::app
