#pragma once
// Opening a session in the background: the file is read and checked on a worker (a
// session with its data embedded can hold megabytes of numbers); its settings and view
// land on the UI thread at once, in the frame the worker posts them. A bad file changes
// nothing and says why (the file and the key). `recovery restore` opens the file an
// abnormal exit left the same way, and drops the offer only once it is open. Scripts
// hold at `session load` until the session is open (or refused).
#include <string>

#include "../feature.hpp"
#include "session.hpp"

namespace hbar::app {

struct OpenedSession {
  Session session;
  std::string path;
  bool recovered = false;  // the file an abnormal exit left (removed once open: ours takes over)
};

class SessionFeature final : public TaskFeature<OpenedSession> {
 public:
  SessionFeature() : TaskFeature(false, false) {}
  // Reads `path` in the background; keys it does not hold keep the current settings and view.
  void open(const std::string& path, const Settings& current, const View& current_view, bool recovered);
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return busy(); }
  bool must_finish() const override { return busy(); }  // a command's answer: applied or refused
  // `cancel session`: the file being read is dropped; nothing changes.
  bool cancel(TaskKind k, FeatureContext& c) override;
  bool busy() const { return task_.pending() || task_.failure_untold(); }

 protected:
  Task<OpenedSession>& task() override { return task_; }
  void on_error(FeatureContext& c, const std::string& e) override { c.report("session load failed: " + e, true); }

 private:
  std::string opening_;  // the file being read
  Task<OpenedSession> task_{TaskKind::kSession};
};

}  // namespace hbar::app
