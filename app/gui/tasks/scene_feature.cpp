#include "scene_feature.hpp"

#include "data_edit.hpp"
#include "hbar/data/dataset.hpp"
#include "setting_table.hpp"

namespace hbar::app {

bool SceneFeature::waiting_for_data(const SceneSettings& s) {
  return s.points && s.data_file.empty() && s.points->rows() < kMinDrawnPoints;
}

bool SceneFeature::data_stale(const SceneSettings& s) const {
  return scene_ && !(DataSource::of(scene_->settings) == DataSource::of(s));
}

bool SceneFeature::holds_idle(const Products&) const { return task_.pending(); }

const std::shared_ptr<const Points>& SceneFeature::shown_data(const SceneSettings& s) {
  DataSource src = DataSource::of(s);
  if (scene_ && DataSource::of(scene_->settings) == src) {
    if (shown_data_.get() != &scene_->data) shown_data_ = std::shared_ptr<const Points>(scene_, &scene_->data);
  } else if (!has_shown_ || !(src == shown_source_)) {
    // The data at once, before its scene: drawn points as they are, a built-in draw
    // made here (milliseconds); a file's points arrive with its scene.
    if (s.points) shown_data_ = s.points;
    else if (s.data_file.empty() && s.data_n > 0 && s.data_n <= kMaxDataPoints) {
      try {
        shown_data_ = std::make_shared<const Points>(make_dataset(s.data, static_cast<std::size_t>(s.data_n), s.data_seed));
      } catch (const std::exception&) {
        shown_data_.reset();  // the scene's build reports the reason
      }
    } else shown_data_.reset();
  }
  shown_source_ = std::move(src);
  has_shown_ = true;
  return shown_data_;
}

void SceneFeature::maybe_build(FeatureContext& c) {
  const SceneSettings& s = c.ui.settings.scene;
  if (has_applied_ && s == applied_) return;
  const bool drawn = s.points && s.data_file.empty();
  if (waiting_for_data(s)) return;
  // Drawn data: at most twice a second, so a stroke does not restart the build every frame.
  if (drawn && c.task.now - started_at_ < kDrawDebounce) return;
  applied_ = s;
  has_applied_ = true;
  started_at_ = c.task.now;
  ++builds_;
  const SceneSettings copy = applied_;
  task_.start([copy](Progress& p, const auto& stage, const auto& post) { post(build_scene(copy, p, stage)); });
}

void SceneFeature::poll(FeatureContext& c) {
  if (const std::string err = task_.take_error(); !err.empty()) {
    // A failed load or bad setting keeps the previous scene and its settings.
    c.ui.status.load_error = err;
    c.report("Load failed: " + err, true);
    if (scene_) {
      c.ui.settings.scene = scene_->settings;
      applied_ = scene_->settings;
    } else {
      c.ui.settings.scene = SceneSettings{};
      has_applied_ = false;
    }
    return;
  }
  auto r = task_.take();
  if (!r) return;
  const bool first = !scene_;
  const auto& ns = *r;
  const bool data_changed = !scene_ || scene_->label != ns->label || scene_->settings.data_file != ns->settings.data_file;
  scene_ = ns;
  Status& st = c.ui.status;
  st.scene_label = scene_->label;
  st.score_label = scene_->score->describe();
  st.score_kind = score_kind(scene_->settings);
  if (data_changed) st.load_error.clear();
  if (!keep_view_) {
    // Fit the new data (not drawn data: the canvas holds still under the brush).
    const bool drawn = ns->settings.points && ns->settings.data_file.empty();
    if (first || (data_changed && !drawn)) c.ui.view.cam_scale = 0;
    c.ui.view.frame = 0;
    c.ui.view.playing = true;
  }
  keep_view_ = false;
  st.nll = NllSummary{};
  c.products.new_scene = true;  // the controller tells every feature
}

void SceneFeature::update(FeatureContext& c) {
  if (c.products.session_view) {  // a session was opened (its feature comes later in the list)
    keep_view_ = true;
    c.products.session_view = false;
  }
  maybe_build(c);
  poll(c);
  c.products.scene = scene_;
  c.products.shown_data = shown_data(c.ui.settings.scene);
  c.products.scene_current = current(c.ui.settings.scene);
}

void SceneFeature::report(FeatureContext& c) {
  Status& st = c.ui.status;
  // Its failure is poll's to take (it restores the previous scene): taking it here too
  // lost it whenever the build failed between the two in one frame.
  task_.report(st.task(TaskKind::kScene));
  st.task(TaskKind::kScene).error = st.load_error;
  st.task(TaskKind::kScene).pending = !current(c.ui.settings.scene);
}

}  // namespace hbar::app
