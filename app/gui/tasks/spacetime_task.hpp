#pragma once
// The space-time canvas (View::canvas = spacetime; UX.md "The 1-D toy model"): time
// across, u·x up. The runs on screen are projected on u here (a pass over their frames,
// only when a run or u changes); in the background, the density under them — the
// diffused data law projected on u (core's projected_log_density), or for the 1-D toy
// model its q^h_t = N(0, u_t) under the current h(t), together with the toy's own run.
#include <memory>
#include <string>
#include <vector>

#include "tasks.hpp"

namespace hbar::app {

struct SpaceTimeView {
  RunView run, compare;          // projected: frame f holds (t_f, u·x)
  std::vector<RunView> overlay;  // projected overlay runs (Fig. 2)
  std::shared_ptr<const Points> data;  // the data as a column at T_min (scene only)
  HeatView heat;                 // log density of u·x_t over the area
  Box area{0, 1, -3, 3};         // t0 … t1 × the u·x range the density covers
  bool toy = false;              // of the 1-D toy model
  RunView toy_raw;               // toy: its run as sampled (two independent 1-D paths per particle)
};

// What the background computes.
struct SpaceTimeResult {
  HeatView heat;
  std::vector<double> profile_data;  // density at the left edge (data law), one per row
  std::vector<double> profile_model; // toy: q^h_0 = N(0, u0) (scene: filled from the run)
  RunView toy_run;                   // toy: the h-dynamics' paths, projected
  RunView toy_raw;                   // toy: the same run unprojected
  CCurve toy_c;                      // toy: the exact c̄(t) (Toy1d::c_mean)
  std::string label;
};

class SpaceTimeTask {
 public:
  static constexpr int kColumns = 240, kRows = 200;
  static constexpr double kSpan = 12;       // nats of log density in colour
  static constexpr int kToyParticles = 1000;
  void update(const TaskContext& c, const RunView& run, const std::vector<RunView>& overlay, const RunView& compare,
              const std::shared_ptr<const Points>& data);
  // Whether the canvas shows space-time now (the mode is on and there is something to show).
  bool shown() const { return shown_; }
  const SpaceTimeView& view() const { return view_; }
  // A run projected on the current direction (an animation's frames).
  RunView project(const RunView& r) const;
  Task<SpaceTimeResult>& task() { return task_; }
  bool pending() const { return task_.pending(); }  // running, or its map not taken yet

 private:
  void project_runs(const TaskContext& c, const RunView& run, const std::vector<RunView>& overlay,
                    const RunView& compare, const std::shared_ptr<const Points>& data);
  void model_profile(const RunView& run, Status& st) const;
  bool shown_ = false;
  Vec2 u_{1, 0};
  SpaceTimeView view_;
  std::string key_, runs_key_;
  // The u·x range of the data (the projection's extremes), kept while the data and u stay.
  std::shared_ptr<const Points> range_of_;  // held, so a new set cannot reuse its address
  double range_angle_ = 0, range_lo_ = -3, range_hi_ = 3;
  Task<SpaceTimeResult> task_{TaskKind::kSpaceTime};
};

}  // namespace hbar::app
