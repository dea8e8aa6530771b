#include "scene.hpp"

#include <cstdio>
#include <filesystem>

#include "hbar/base/progress.hpp"

namespace hbar::app {

std::shared_ptr<const Scene> build_scene(const SceneSettings& s, Progress& progress,
                                         const std::function<void(std::string)>& status) {
  status("loading the data and the score");
  auto scene = std::make_shared<Scene>();
  static_cast<SceneData&>(*scene) = make_scene_data(s);
  scene->settings = s;

  // The cache covers the data and the prior's bulk, with a margin.
  Box b{-kPriorBulk, kPriorBulk, -kPriorBulk, kPriorBulk};
  b.xmin = std::min(b.xmin, scene->data.col(0).minCoeff() - kCacheMargin);
  b.xmax = std::max(b.xmax, scene->data.col(0).maxCoeff() + kCacheMargin);
  b.ymin = std::min(b.ymin, scene->data.col(1).minCoeff() - kCacheMargin);
  b.ymax = std::max(b.ymax, scene->data.col(1).maxCoeff() + kCacheMargin);
  scene->box = b;
  status("drawing the noise");
  scene->noise = std::make_shared<NoiseTable>(s.seed, static_cast<std::size_t>(s.particles), s.steps);
  if (progress.cancelled()) throw Cancelled();
  status("caching the score");
  scene->cache = std::make_shared<ScoreGrid>(scene->score, b, kCacheNodes, kCacheNodes,
                                             ScoreGrid::step_times(scene->schedule, s.steps, kCacheEvery),
                                             &progress);
  return scene;
}

RunSampler run_sampler(const Settings& s) { return {s.sampler, s.eta, s.churn}; }

SamplerConfig sampler_config(const Scene& scene, const HSchedule& h, const RunSampler& rs) {
  SamplerConfig c;
  c.integrator = rs.kind;
  if (rs.takes_h()) {
    c.h = h.height();
    if (h.kind() != HScheduleKind::kConstant) c.h_of_t = h;
  }
  c.eta = rs.eta;
  c.churn = rs.churn;
  c.n = static_cast<std::size_t>(scene.settings.particles);
  c.steps = scene.settings.steps;
  c.seed = scene.settings.seed;
  c.stride = 1;
  c.record_action = rs.takes_h();
  c.noise = scene.noise.get();
  return c;
}

}  // namespace hbar::app
