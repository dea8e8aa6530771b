#include "session_feature.hpp"

#include <filesystem>
#include <system_error>

namespace hbar::app {

void SessionFeature::open(const std::string& path, const Settings& current, const View& current_view,
                          bool recovered) {
  opening_ = path;
  task_.start([path, current, current_view, recovered](Progress&, const auto& stage, const auto& post) {
    stage("opening " + path);
    // Throws SessionError naming the file and the key.
    post(OpenedSession{load_session(path, current, current_view), path, recovered});
  });
}

bool SessionFeature::cancel(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kSession) return false;
  if (task_.pending()) {
    task_.discard();  // whatever it posts from now on is dropped
    c.report("Session not opened: " + opening_ + " (cancelled)", false);
  }
  return true;
}

void SessionFeature::update(FeatureContext& c) {
  auto opened = task_.take();
  if (!opened) return;
  Session& s = opened->session;
  // Another scene (or none yet): the scene it builds keeps the session's camera and frame.
  c.products.session_view = !(s.settings.scene == c.ui.settings.scene) || !c.products.scene;
  c.ui.settings = std::move(s.settings);
  c.ui.view = std::move(s.view);
  if (opened->recovered) {
    Status& st = c.ui.status;
    if (st.recovery_file == opened->path) st.recovery_file.clear(), st.recovery_age.clear();
    std::error_code ec;
    std::filesystem::remove(opened->path, ec);  // ours takes over (the restored session is saved again)
  }
  c.report("Opened " + opened->path, false);
}

}  // namespace hbar::app
