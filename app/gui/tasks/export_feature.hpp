#pragma once
// Files out in the background: CSV (samples, trajectories, data, heat map, curves), plot
// SVGs and sessions. The UI thread takes a snapshot of what is on screen and checks it
// (no run yet, non-finite samples: refused at once, nothing queued); a worker writes it,
// all or nothing (temporary + rename), one file after another in the order asked. The
// status line shows the file being written with its progress; `cancel export` stops it
// and drops the queue; `wait idle` waits until the queue is written; the app writes what
// is queued before it exits.
#include <deque>
#include <functional>
#include <string>

#include "../feature.hpp"

namespace hbar::app {

struct ExportJob {
  std::string path;                          // the file, for messages
  std::function<void(Progress&)> write;      // writes `path` (throws with the reason)
  // Without `write`: the result the file names is still being made. Called each frame
  // (UI thread) until it gives the writer; throws when that result can no longer come
  // (the settings changed), which is reported and nothing is written.
  std::function<std::function<void(Progress&)>()> bind = {};
};

class ExportFeature final : public TaskFeature<std::string> {
 public:
  ExportFeature() : TaskFeature(false, false) {}
  void enqueue(ExportJob job) { queue_.push_back(std::move(job)); }
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return busy(); }
  bool cancel(TaskKind k, FeatureContext& c) override;
  bool must_finish() const override { return busy(); }
  bool busy() const { return !queue_.empty() || task_.pending() || task_.failure_untold(); }

 protected:
  Task<std::string>& task() override { return task_; }
  void on_error(FeatureContext& c, const std::string& e) override { c.report("export failed: " + e, true); }

 private:
  std::deque<ExportJob> queue_;
  std::string current_;
  Task<std::string> task_{TaskKind::kExport};
};

}  // namespace hbar::app
