#pragma once
// The app's background features behind the Feature interface (feature.hpp), each around
// the task class that does its work (tasks.hpp, animation_task.hpp, spacetime_task.hpp).
// The controller reaches them only through the list; the window reads what they made
// through the controller's accessors.
#include "../feature.hpp"
#include "animation_task.hpp"
#include "spacetime_task.hpp"
#include "tasks.hpp"

namespace hbar::app {

// The run on screen: preview, full run, overlay, forward SDE, and the comparison run.
class RunFeature final : public Feature {
 public:
  std::vector<TaskKind> kinds() const override { return {TaskKind::kRun, TaskKind::kCompare}; }
  void update(FeatureContext& c) override;
  void report(FeatureContext& c) override;
  bool holds_idle(const Products& p) const override;
  bool cancel(TaskKind, FeatureContext&) override { return false; }  // they start by themselves
  void yield(bool h_moving, bool) override { runs_.compare_task().yield(h_moving); }
  void reap() override { runs_.reap(); }
  void stop() override {
    runs_.full().cancel();
    runs_.compare_task().cancel();
  }
  void new_scene(FeatureContext&) override { runs_.new_scene(); }
  bool h_moving(double now) const { return runs_.h_moving(now); }
  const RunTasks& runs() const { return runs_; }

 private:
  RunTasks runs_;
};

class HeatFeature final : public TaskFeature<HeatView> {
 public:
  HeatFeature() : TaskFeature(true, false) {}
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return heat_.pending(); }
  bool cancel(TaskKind, FeatureContext&) override { return false; }
  const HeatTask& heat() const { return heat_; }

 protected:
  Task<HeatView>& task() override { return heat_.task(); }

 private:
  HeatTask heat_;
};

class SweepFeature final : public TaskFeature<SweepCurves> {
 public:
  SweepFeature() : TaskFeature(true, true) {}
  void update(FeatureContext& c) override;
  void report(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return false; }  // `wait sweep` waits for it
  bool start(TaskKind k, FeatureContext& c) override;
  void new_scene(FeatureContext& c) override { sweep_.new_scene(c.ui.status, c.task.now); }

 protected:
  Task<SweepCurves>& task() override { return sweep_.task(); }

 private:
  SweepTask sweep_;
};

class NllFeature final : public TaskFeature<NllSummary> {
 public:
  NllFeature() : TaskFeature(true, true) {}
  void update(FeatureContext& c) override;
  void report(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return false; }  // `wait nll` waits for it
  bool start(TaskKind k, FeatureContext& c) override;
  void new_scene(FeatureContext&) override { nll_.new_scene(); }

 protected:
  Task<NllSummary>& task() override { return nll_.task(); }

 private:
  NllTask nll_;
};

class TrainFeature final : public TaskFeature<TrainHistory> {
 public:
  TrainFeature() : TaskFeature(true, true) {}
  void update(FeatureContext& c) override;
  void report(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return false; }  // `wait train` waits for it
  bool cancel(TaskKind k, FeatureContext& c) override;
  bool start(TaskKind k, FeatureContext& c) override;
  void pause(bool paused, Status& s) { train_.pause(paused, s); }

 private:
  bool task_running_ = false;

 protected:
  void on_error(FeatureContext& c, const std::string& e) override;

 protected:
  Task<TrainHistory>& task() override { return train_.task(); }

 private:
  TrainTask train_;
};

class AnimationFeature final : public TaskFeature<std::string> {
 public:
  AnimationFeature() : TaskFeature(false, false) {}
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return anim_.busy(); }  // scripts wait for its file
  bool cancel(TaskKind k, FeatureContext& c) override;
  bool busy_exporting() const override { return anim_.busy(); }
  AnimationTask& animation() { return anim_; }

 protected:
  Task<std::string>& task() override { return anim_.task(); }

 private:
  AnimationTask anim_;
};

class SpaceTimeFeature final : public TaskFeature<SpaceTimeResult> {
 public:
  // It steps aside while h moves, as every background task (it was missing from the list).
  SpaceTimeFeature() : TaskFeature(true, false) {}
  void update(FeatureContext& c) override;
  bool holds_idle(const Products&) const override { return spacetime_.pending(); }
  bool cancel(TaskKind, FeatureContext&) override { return false; }
  const SpaceTimeTask& spacetime() const { return spacetime_; }

 protected:
  Task<SpaceTimeResult>& task() override { return spacetime_.task(); }

 private:
  SpaceTimeTask spacetime_;
};

}  // namespace hbar::app
