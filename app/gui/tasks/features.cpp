// The app's features behind one interface, and the one place they are registered.
#include "features.hpp"

#include <algorithm>

#include "autosave_feature.hpp"
#include "export_feature.hpp"
#include "scene_feature.hpp"
#include "session_feature.hpp"

namespace hbar::app {

std::vector<std::unique_ptr<Feature>> register_features() {
  // In update order: a feature reads what the ones before it made this frame (Products).
  std::vector<std::unique_ptr<Feature>> f;
  f.push_back(std::make_unique<SceneFeature>());      // data, score, noise and score cache: the root
  f.push_back(std::make_unique<RunFeature>());        // the run on screen (and the comparison run)
  f.push_back(std::make_unique<SweepFeature>());      // W2(h), after the first full run
  f.push_back(std::make_unique<NllFeature>());        // NLL(h), after the sweep
  f.push_back(std::make_unique<TrainFeature>());      // training a network
  f.push_back(std::make_unique<AnimationFeature>());  // MP4 / GIF export
  f.push_back(std::make_unique<HeatFeature>());       // the heat map of the frame on screen
  f.push_back(std::make_unique<SpaceTimeFeature>());  // the space-time canvas
  f.push_back(std::make_unique<ExportFeature>());     // CSV, SVG and session files
  f.push_back(std::make_unique<SessionFeature>());    // opening a session (its scene follows next frame)
  f.push_back(std::make_unique<AutosaveFeature>());   // crash recovery's autosave
  return f;
}

namespace {

// A task's status row and its new failure, reported once.
template <class T>
void note(FeatureContext& c, Task<T>& task) {
  task.report(c.ui.status.task(task.kind()));
  if (const std::string e = task.take_error(); !e.empty())
    c.report(std::string(task_name(task.kind())) + " failed: " + e, true);
}

}  // namespace

// --- the run on screen

void RunFeature::update(FeatureContext& c) {
  runs_.update(c.task);
  c.products.run = &runs_.run();
  c.products.overlay = &runs_.overlay();
  c.products.compare = &runs_.compare();
  c.products.shown_run = &runs_.run();
  c.products.h_moving = runs_.h_moving(c.task.now);
}

void RunFeature::report(FeatureContext& c) {
  note(c, runs_.full());
  note(c, runs_.compare_task());
}

bool RunFeature::holds_idle(const Products& p) const { return !runs_.idle(p.scene.get()); }

// --- heat map and space-time

void HeatFeature::update(FeatureContext& c) {
  const RunView& run = *c.products.run;
  heat_.update(c.task, run, time_of_frame(run, c.task.view.frame));
}

void SpaceTimeFeature::update(FeatureContext& c) {
  spacetime_.update(c.task, *c.products.run, *c.products.overlay, *c.products.compare, c.products.shown_data);
  // In the toy model's space-time view, its run is the one on screen.
  if (spacetime_.shown() && spacetime_.view().toy && spacetime_.view().run.result)
    c.products.shown_run = &spacetime_.view().run;
}

// --- the plots' sweeps

void SweepFeature::update(FeatureContext& c) {
  const RunView& run = *c.products.run;
  sweep_.update(c.task, run.exact && run.mode == Mode::kReverse);
  // NLL starts once W2 has its first curve: the full sweep and NLL then share the cores.
  c.products.sweep_shown = sweep_.done_for_scene() && (!sweep_.task().busy() || sweep_.quick_done(c.ui.status));
}

void SweepFeature::report(FeatureContext& c) {
  TaskFeature::report(c);
  c.ui.status.task(TaskKind::kSweep).pending = !c.task.scene_current || !sweep_.done_for_scene();
}

bool SweepFeature::start(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kSweep) return false;
  sweep_.start(c.task);
  return true;
}

void NllFeature::update(FeatureContext& c) { nll_.update(c.task, c.products.sweep_shown); }

void NllFeature::report(FeatureContext& c) {
  TaskFeature::report(c);
  c.ui.status.task(TaskKind::kNll).pending = !c.task.scene_current || !nll_.done_for_scene();
}

bool NllFeature::start(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kNll) return false;
  nll_.start(c.task);
  return true;
}

// --- training

void TrainFeature::update(FeatureContext& c) {
  const bool was_running = task_running_;
  const std::string model = train_.update(c.task, export_path(c.ui, "_model.hbm"));
  task_running_ = train_.task().busy();
  // A run that has just started shows its loss: a view change, so a command like any other.
  if (task_running_ && !was_running) c.ui.commands.push({{"set", "plot-training", "on"}, "training"});
  if (!model.empty()) {
    c.ui.commands.push({{"set", "model", model}, "training"});
    c.report("Model saved " + model + " (choose 'learned' to use it)", false);
  }
}

void TrainFeature::report(FeatureContext& c) {
  TaskFeature::report(c);
  c.ui.status.task(TaskKind::kTrain).pending = train_.pending();
}

void TrainFeature::on_error(FeatureContext& c, const std::string& e) {
  TaskFeature::on_error(c, e);
  c.ui.status.train.outcome = "failed: " + e;
}

bool TrainFeature::cancel(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kTrain) return false;
  train_.cancel(c.ui.status);
  return true;
}

bool TrainFeature::start(TaskKind k, FeatureContext&) {
  if (k != TaskKind::kTrain) return false;
  train_.request();
  return true;
}

// --- animation export

void AnimationFeature::update(FeatureContext& c) {
  if (const std::string done = anim_.take_finished(); !done.empty())
    c.report("Saved " + done + " (" + std::to_string(anim_.spec().frames) + " frames)", false);
}

bool AnimationFeature::cancel(TaskKind k, FeatureContext& c) {
  if (k != TaskKind::kAnimation) return false;
  if (anim_.busy()) {
    anim_.cancel();
    c.report("Animation cancelled: " + anim_.spec().path + " not written", false);
  }
  return true;
}

}  // namespace hbar::app
