#pragma once
// Crash recovery's autosave (recovery.hpp) as a feature: a moment after a change (0.5 s
// after the last one, or every 2 s while changes keep coming) the session — settings,
// view and the data on the canvas, drawn data included — is written to this app's
// recovery file by a worker, all or nothing. A failed write is said once, until one works
// again; the app goes on. `cancel autosave` drops the write under way (the next change
// writes again). Nothing happens until the app enables it (tests may).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "../feature.hpp"
#include "../recovery.hpp"

namespace hbar::app {

class AutosaveFeature final : public TaskFeature<long> {
 public:
  // After the last change, and at most this long while changes keep coming (seconds).
  static constexpr double kQuiet = 0.5, kAtLeastEvery = 2.0;
  AutosaveFeature() : TaskFeature(false, false) {}
  // Autosaves into `dir` from now on.
  void enable(const std::filesystem::path& dir);
  // Offers the newest file there of this user's app that is gone (Status::recovery_file);
  // false when there is none.
  bool offer(Status& st) const;
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return task_.pending(); }

  bool enabled() const { return recovery_ != nullptr; }
  const std::filesystem::path& file() const;
  long saves() const { return saves_; }                  // writes ended so far (tests)
  const std::string& last_error() const { return error_; }  // "" when the last write worked

 protected:
  Task<long>& task() override { return task_; }
  void on_error(FeatureContext& c, const std::string& e) override;

 private:
  std::unique_ptr<Recovery> recovery_;
  std::optional<Settings> seen_;    // the settings the last change check saw
  std::uint64_t commands_seen_ = 0;
  double changed_at_ = -1, first_unsaved_ = -1;  // the newest unsaved change, the oldest (< 0: none)
  long saves_ = 0, next_save_ = 0;
  std::string error_, said_;
  Task<long> task_{TaskKind::kAutosave};  // last: its thread is joined first
};

}  // namespace hbar::app
