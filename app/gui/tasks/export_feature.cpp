#include "export_feature.hpp"

namespace hbar::app {

void ExportFeature::update(FeatureContext& c) {
  if (auto done = task_.take()) c.report("Saved " + *done, false);
  if (task_.busy() || queue_.empty()) return;
  while (!queue_.empty() && !queue_.front().write) {  // waiting for its result
    try {
      queue_.front().write = queue_.front().bind();
      if (!queue_.front().write) return;
    } catch (const std::exception& e) {
      c.report("export failed: " + queue_.front().path + ": " + e.what(), true);
      queue_.pop_front();
    }
  }
  if (queue_.empty()) return;
  ExportJob job = std::move(queue_.front());
  queue_.pop_front();
  current_ = job.path;
  task_.start([job = std::move(job)](Progress& p, const auto& stage, const auto& post) {
    stage("writing " + job.path);
    job.write(p);
    post(job.path);
  });
}

bool ExportFeature::cancel(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kExport) return false;
  if (busy()) {
    const std::size_t dropped = queue_.size();
    queue_.clear();
    task_.cancel();
    c.report("Export cancelled: " + current_ + " not written" +
                 (dropped ? " (and " + std::to_string(dropped) + " more dropped)" : std::string()),
             false);
  }
  return true;
}

}  // namespace hbar::app
