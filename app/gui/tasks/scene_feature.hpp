#pragma once
// The scene: the data, its score, the step noise and the score cache, built in the
// background from the settings (scene.hpp); the root every other feature reads
// (Products::scene). It also keeps the data on the canvas, shown at once — drawn
// points as they are, a built-in draw made here — before its scene is ready.
#include <memory>

#include "../feature.hpp"
#include "../scene.hpp"
#include "scene_data.hpp"

namespace hbar::app {

class SceneFeature final : public TaskFeature<std::shared_ptr<const Scene>> {
 public:
  // While data is drawn, the scene follows at most this often (seconds).
  static constexpr double kDrawDebounce = 0.5;
  SceneFeature() : TaskFeature(false, false) {}
  void update(FeatureContext& c) override;
  void report(FeatureContext& c) override;
  bool holds_idle(const Products& p) const override;
  bool cancel(TaskKind, FeatureContext&) override { return false; }  // it follows the settings

  const std::shared_ptr<const Scene>& scene() const { return scene_; }
  // The scene on screen is of other data than the settings' (drawn data being edited,
  // a new data set loading): its runs and maps are not drawn.
  bool data_stale(const SceneSettings& s) const;
  // A drawn set with fewer than kMinDrawnPoints: no scene until there are more.
  static bool waiting_for_data(const SceneSettings& s);
  bool current(const SceneSettings& s) const { return scene_ && scene_->settings == s; }
  // Everything is built for these settings (nothing to start, nothing building).
  bool settled(const SceneSettings& s) const { return !task_.pending() && scene_ && s == applied_; }
  bool building() const { return task_.pending(); }
  // The data on the canvas for these settings (call after a data edit in this frame).
  const std::shared_ptr<const Points>& shown_data(const SceneSettings& s);
  int builds() const { return builds_; }

 protected:
  Task<std::shared_ptr<const Scene>>& task() override { return task_; }

 private:
  void maybe_build(FeatureContext& c);
  void poll(FeatureContext& c);

  std::shared_ptr<const Scene> scene_;
  SceneSettings applied_;  // settings of the scene built or being built
  bool has_applied_ = false;
  bool keep_view_ = false;
  double started_at_ = -1e9;
  int builds_ = 0;
  std::shared_ptr<const Points> shown_data_;
  DataSource shown_source_;
  bool has_shown_ = false;  // the data has been looked up once
  Task<std::shared_ptr<const Scene>> task_{TaskKind::kScene};
};

}  // namespace hbar::app
