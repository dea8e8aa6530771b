#include "autosave_feature.hpp"

#include "hbar/io/output.hpp"
#include "session.hpp"

namespace hbar::app {

void AutosaveFeature::enable(const std::filesystem::path& dir) {
  task_.discard();
  recovery_ = std::make_unique<Recovery>(dir);
}

bool AutosaveFeature::offer(Status& st) const {
  const auto o = recovery_ ? recovery_->orphan() : std::nullopt;
  if (!o) return false;
  st.recovery_file = o->path.string();
  st.recovery_age = o->age;
  return true;
}

const std::filesystem::path& AutosaveFeature::file() const {
  static const std::filesystem::path none;
  return recovery_ ? recovery_->file() : none;
}

void AutosaveFeature::on_error(FeatureContext& c, const std::string& e) {
  ++saves_;
  error_ = e;
  if (e != said_) c.report("Autosave for crash recovery failed: " + e, true);
  said_ = e;
}

void AutosaveFeature::update(FeatureContext& c) {
  if (!recovery_) return;
  if (task_.take()) {
    ++saves_;
    error_.clear();
    said_.clear();
  }
  const double now = c.task.now;
  // A change: the settings differ from the ones seen last, or a command was applied (a
  // view change is a change too).
  if (!seen_ || !(*seen_ == c.ui.settings) || c.products.commands != commands_seen_) {
    seen_ = c.ui.settings;
    commands_seen_ = c.products.commands;
    if (changed_at_ < 0) first_unsaved_ = now;
    changed_at_ = now;
  }
  if (changed_at_ < 0 || task_.busy() || (now - changed_at_ < kQuiet && now - first_unsaved_ < kAtLeastEvery)) return;
  // Only once the data on the canvas is known (a file's data is embedded, like a saved session).
  const SceneSettings& sc = c.ui.settings.scene;
  if ((!sc.data_file.empty() || sc.points) && !c.products.shown_data) return;
  changed_at_ = first_unsaved_ = -1;
  const std::filesystem::path path = recovery_->file();
  task_.start([path, settings = c.ui.settings, view = c.ui.view, data = c.products.shown_data,
               n = ++next_save_](Progress& p, const auto& stage, const auto& post) {
    stage("autosaving " + path.string());
    const Points empty(0, 2);
    const std::string text = session_json(settings, view, data ? *data : empty) + "\n";
    if (p.cancelled()) throw Cancelled();
    write_file_atomic(path, [&](std::ostream& o) {
      o << text;
      if (p.cancelled()) throw Cancelled();  // before the rename: the previous file stays
    });
    post(n);
  });
}

}  // namespace hbar::app
