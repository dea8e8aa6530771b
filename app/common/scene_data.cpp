#include "scene_data.hpp"

#include <filesystem>
#include <stdexcept>

#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/score/learned_score.hpp"
#include "paper_models.hpp"
#include "setting_table.hpp"

namespace hbar::app {

SceneData make_scene_data(const SceneSettings& s) {
  SceneData d;
  auto sched = Schedule::by_name(s.schedule);
  if (!sched) throw std::invalid_argument("unknown schedule '" + s.schedule + "'");
  d.schedule = *sched;
  if (s.particles <= 0 || s.steps <= 0 || s.data_n <= 0)
    throw std::invalid_argument("particles, steps and n must be > 0");
  if (s.points || !s.data_file.empty()) {
    // A file's points (read now, or embedded in a session): the held-out draw is the
    // data itself (there is no generator).
    d.data = s.points ? *s.points : read_points_csv(s.data_file);
    d.heldout = d.data;
  } else {
    d.data = make_dataset(s.data, static_cast<std::size_t>(s.data_n), s.data_seed);
    d.heldout = make_heldout(s.data, static_cast<std::size_t>(s.data_n), s.data_seed);
    d.data_name = s.data;
  }
  d.label = scene_label(s);
  d.exact = make_exact_score(d.data_name, d.data, d.schedule);
  std::shared_ptr<const ScoreModel> base = d.exact;
  if (s.learned) {
    if (s.model_path.empty()) throw std::invalid_argument("no model: train one or give a .hbm file");
    // ModelFileError names the file; `paper` is the shipped network of the data and schedule
    base = load_learned_score(model_file_of(s), d.schedule);
  }
  d.score = s.biased ? std::make_shared<BiasedScore>(base, s.eps) : base;
  return d;
}

}  // namespace hbar::app
