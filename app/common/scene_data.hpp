#pragma once
// The part of a scene the app and hbar-cli --session build alike: the data, its
// held-out draw, the schedule and the score. One function, so a session replays in
// the CLI exactly as in the app.
#include <memory>
#include <string>

#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/base/types.hpp"
#include "settings.hpp"

namespace hbar::app {

struct SceneData {
  std::string label;  // "swissroll_simple", "mydata_cosine"
  std::string data_name;  // the built-in set ("" for a file's or a session's points)
  Points data, heldout;
  Schedule schedule = Schedule::simple();
  std::shared_ptr<const ScoreModel> exact;  // the exact score of the data law
  std::shared_ptr<const ScoreModel> score;  // exact, biased or learned: what the dynamics use
};

// Throws CsvError, ModelFileError or std::invalid_argument naming the reason.
SceneData make_scene_data(const SceneSettings& s);

}  // namespace hbar::app
