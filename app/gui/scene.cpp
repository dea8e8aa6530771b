#include "scene.hpp"

#include <cstdio>
#include <filesystem>

#include "hbar/csv.hpp"
#include "hbar/dataset.hpp"
#include "hbar/learned_score.hpp"

namespace hbar::app {

bool choose_score(UiState& ui, ScoreChoice choice) {
  SceneSettings& s = ui.settings;
  if (choice == ScoreChoice::kLearned && ui.model_path_edit[0] == 0) return false;
  s.biased = choice == ScoreChoice::kBiased;
  s.learned = choice == ScoreChoice::kLearned;
  if (s.learned) s.model_path = ui.model_path_edit;
  return true;
}

const char* score_kind(const SceneSettings& s) {
  return s.learned ? "learned score" : s.biased ? "biased score" : "exact score";
}

std::string export_stem(const UiState& ui) {
  char h[32];
  std::snprintf(h, sizeof h, "_h%.2f", ui.h);
  return (ui.scene_label.empty() ? std::string("scene") : ui.scene_label) + h;
}

std::string export_path(const UiState& ui, const char* suffix) {
  const std::string stem = ui.export_name[0] ? std::string(ui.export_name) : export_stem(ui);
  return (std::filesystem::path(ui.export_dir) / (stem + suffix)).string();
}

std::shared_ptr<const Scene> build_scene(const SceneSettings& s, Progress& progress,
                                         const std::function<void(std::string)>& status) {
  auto scene = std::make_shared<Scene>();
  scene->settings = s;
  auto sched = Schedule::by_name(s.schedule);
  if (!sched) throw std::invalid_argument("unknown schedule '" + s.schedule + "'");
  scene->schedule = *sched;
  if (s.particles <= 0 || s.steps <= 0 || s.data_n <= 0)
    throw std::invalid_argument("particles, steps and n must be > 0");
  std::string name;
  if (!s.data_file.empty()) {
    scene->data = read_points_csv(s.data_file);
    name = std::filesystem::path(s.data_file).stem().string();
    // The held-out draw of a loaded file is the file itself (no generator).
    scene->heldout = scene->data;
  } else {
    scene->data = make_dataset(s.data, static_cast<std::size_t>(s.data_n), s.data_seed);
    scene->heldout = make_heldout(s.data, static_cast<std::size_t>(s.data_n), s.data_seed);
    name = s.data;
  }
  scene->label = name + "_" + scene->schedule.name();
  auto exact = make_exact_score(s.data_file.empty() ? s.data : std::string(), scene->data, scene->schedule);
  scene->exact = exact;
  std::shared_ptr<const ScoreModel> base = exact;
  if (s.learned) {
    if (s.model_path.empty()) throw std::invalid_argument("no model: train one or give a .hbm file");
    base = load_learned_score(s.model_path, scene->schedule);  // ModelFileError names the file
  }
  scene->score = s.biased ? std::make_shared<BiasedScore>(base, s.eps) : base;

  // The cache covers the data and the prior's bulk (|x| ≤ 4.5), with a margin.
  Box b{-4.5, 4.5, -4.5, 4.5};
  b.xmin = std::min(b.xmin, scene->data.col(0).minCoeff() - 0.5);
  b.xmax = std::max(b.xmax, scene->data.col(0).maxCoeff() + 0.5);
  b.ymin = std::min(b.ymin, scene->data.col(1).minCoeff() - 0.5);
  b.ymax = std::max(b.ymax, scene->data.col(1).maxCoeff() + 0.5);
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

SamplerConfig sampler_config(const Scene& scene, double h) {
  SamplerConfig c;
  c.h = h;
  c.n = static_cast<std::size_t>(scene.settings.particles);
  c.steps = scene.settings.steps;
  c.seed = scene.settings.seed;
  c.stride = 1;
  c.record_action = true;
  c.noise = scene.noise.get();
  return c;
}

}  // namespace hbar::app
