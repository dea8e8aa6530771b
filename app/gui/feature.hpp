#pragma once
// A background feature (ARCHITECTURE.md rule 12): one interface for every piece of work
// the app does off the UI thread. The controller holds the registered features in one
// list (features.cpp, `register_features`) and names none of them: each frame it walks
// the list to update them, to report their status, to let them step aside while h moves;
// `cancel X`, `run X`, `wait idle` and the status line walk it too.
//
// Adding a feature: a file in tasks/ with a class deriving from Feature (most derive
// from TaskFeature<T>, which owns one Task<T>), its TaskKind and name in status.hpp /
// task.cpp, and one line in register_features.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "tasks/tasks.hpp"

namespace hbar::app {

// What features make for each other and for the window, this frame (written by their
// owners in registration order, read by the ones after them and by the renderer).
struct Products {
  std::shared_ptr<const Scene> scene;            // the scene on screen (may be null)
  std::shared_ptr<const Points> shown_data;      // the data on the canvas (drawn, a draw, or the scene's)
  const RunView* run = nullptr;                  // the run on screen
  const std::vector<RunView>* overlay = nullptr;
  const RunView* compare = nullptr;
  bool sweep_shown = false;  // the W2 sweep has a curve for this scene (its quick pass at least)
  bool scene_current = false;  // the scene is of the current settings
  bool new_scene = false;      // a new scene landed this frame (the controller tells every feature)
  bool exporting = false;    // an animation is being written: long work waits for it
  bool h_moving = false;     // h changed within the last moments: background work steps aside
  bool session_view = false;  // a session was opened: the scene it builds keeps its camera and frame
  std::uint64_t commands = 0;  // commands applied so far (a view change is a change too: autosave)
  // The run the status line describes: the run on screen, or the toy model's in its space-time view.
  const RunView* shown_run = nullptr;
};

// What a feature sees each frame.
struct FeatureContext {
  UiState& ui;
  Products& products;
  TaskContext task;  // settings, view, status, scene, scene_current, now
  // A message for the status line and the toast; error: also the last error.
  std::function<void(const std::string&, bool)> report;
};

class Feature {
 public:
  virtual ~Feature() = default;
  // The status rows (Status::tasks) it owns: one per background job.
  virtual std::vector<TaskKind> kinds() const = 0;
  // Once a frame, in registration order: take results, decide whether to (re)start.
  virtual void update(FeatureContext& c) = 0;
  // Its rows of Status::tasks (running, progress, stage, error, pending), and its new
  // failures once through c.report ("<name> failed: <reason>").
  virtual void report(FeatureContext& c) = 0;
  // `wait idle` waits while this is true: work the picture on screen still needs.
  virtual bool holds_idle(const Products& p) const = 0;
  // `cancel K` / `run K` from the user: true when K is this feature's and it acted.
  virtual bool cancel(TaskKind k, FeatureContext& c) = 0;
  virtual bool start(TaskKind, FeatureContext&) { return false; }
  // Steps aside (waits at its next check) while h moves or an animation is written.
  virtual void yield(bool h_moving, bool exporting) = 0;
  // Joins finished worker threads (the UI thread, each frame).
  virtual void reap() = 0;
  // Stops everything at its next check (the window closes).
  virtual void stop() = 0;
  // A new scene is on screen.
  virtual void new_scene(FeatureContext&) {}
  // Steps aside while an animation is written?
  virtual bool busy_exporting() const { return false; }
  // Work the user asked for whose file must land before the app exits (exports).
  virtual bool must_finish() const { return false; }
};

// A feature with one Task<T>: the status, error, cancel, yield and reap of its task.
template <class T>
class TaskFeature : public Feature {
 public:
  // yields_to_preview: steps aside while h moves; yields_to_export: also while an animation is written.
  TaskFeature(bool yields_to_preview, bool yields_to_export)
      : yields_preview_(yields_to_preview), yields_export_(yields_to_export) {}
  std::vector<TaskKind> kinds() const override { return {const_cast<TaskFeature*>(this)->task().kind()}; }
  void report(FeatureContext& c) override {
    task().report(c.ui.status.task(task().kind()));
    if (const std::string e = task().take_error(); !e.empty()) on_error(c, e);
  }
  bool cancel(TaskKind k, FeatureContext&) override {
    if (k != task().kind()) return false;
    task().cancel();
    return true;
  }
  void yield(bool h_moving, bool exporting) override {
    task().yield((yields_preview_ && h_moving) || (yields_export_ && exporting));
  }
  void reap() override { task().reap(); }
  void stop() override { task().cancel(); }

 protected:
  // The task the feature's class owns (declared last there: its thread is joined first).
  virtual Task<T>& task() = 0;
  virtual void on_error(FeatureContext& c, const std::string& e) {
    c.report(std::string(task_name(task().kind())) + " failed: " + e, true);
  }

 private:
  bool yields_preview_, yields_export_;
};

// Every feature of the app, in the order they update (features.cpp: the one place).
std::vector<std::unique_ptr<Feature>> register_features();

}  // namespace hbar::app
