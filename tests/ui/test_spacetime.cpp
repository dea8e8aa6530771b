// The space-time canvas (issue 12, part 6): its settings, the runs projected on u, the
// density under them computed by core, the toy model's paths and law following h(t).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "controller.hpp"
#include "frames.hpp"
#include "hbar/view/spacetime.hpp"
#include "hbar/process/toy1d.hpp"
#include "setting_table.hpp"

using namespace hbar;
using namespace hbar::app;

using test::frames_until;
using test::run;
using test::settle;
using test::small;

namespace {
double sample_var(const Eigen::VectorXd& y) {
  const double m = y.mean();
  return (y.array() - m).square().sum() / static_cast<double>(y.size() - 1);
}
}  // namespace

TEST_CASE("space-time settings: canvas, direction and what it shows, refused outside their range") {
  Settings s;
  View v;
  CHECK(v.canvas == CanvasMode::kPlane);
  CHECK(set_setting(s, v, "canvas", "spacetime").empty());
  CHECK(v.canvas == CanvasMode::kSpaceTime);
  CHECK(set_setting(s, v, "spacetime-angle", "-37.5").empty());
  CHECK(v.spacetime_angle == -37.5);
  CHECK(set_setting(s, v, "spacetime-of", "toy").empty());
  CHECK(get_setting(s, v, "spacetime-of") == "toy");
  CHECK(get_setting(s, v, "canvas") == "spacetime");
  CHECK(set_setting(s, v, "spacetime-angle", "181").find("-180 … 180") != std::string::npos);
  CHECK(set_setting(s, v, "spacetime-of", "plane").find("scene or toy") != std::string::npos);
  CHECK(set_setting(s, v, "canvas", "time").find("plane | spacetime") != std::string::npos);
  CHECK(v.spacetime_angle == -37.5);
}

TEST_CASE("space-time of the scene: the run projected on u over core's density of the diffused data") {
  UiState ui;
  small(ui);
  Controller c(ui);
  CHECK(run(c, ui, "set canvas spacetime") == "");
  CHECK(run(c, ui, "set spacetime-angle 90") == "");
  settle(c);
  const SpaceTimeTask& st = c.spacetime();
  REQUIRE(st.shown());
  REQUIRE(frames_until(c, [&] { return st.view().heat.map.grid.nx > 0; }));
  const Scene& sc = *c.scene();
  const SpaceTimeView& v = st.view();
  CHECK(v.area.xmin == sc.schedule.t_min());
  CHECK(v.area.xmax == sc.schedule.t_max());
  // Every frame of the run on screen as (t, u.x), u = (0, 1): the y coordinate.
  const Trajectories& tr = c.run().result->trajectories;
  const Trajectories& pr = v.run.result->trajectories;
  REQUIRE(pr.frames.size() == tr.frames.size());
  for (std::size_t f = 0; f < tr.frames.size(); f += 17)
    for (Eigen::Index i = 0; i < tr.frames[f].rows(); i += 13) {
      CHECK(pr.frames[f](i, 0) == tr.times[f]);
      CHECK(pr.frames[f](i, 1) == doctest::Approx(tr.frames[f](i, 1)).epsilon(1e-12));
    }
  // The data as a column at T_min.
  REQUIRE(v.data);
  CHECK(v.data->rows() == sc.data.rows());
  CHECK((*v.data)(5, 0) == sc.schedule.t_min());
  // The density is core's, on the area, bit for bit; the colours span its top 12 nats.
  const Grid g = projected_log_density(sc.data, sc.schedule, direction_at(90), v.area, SpaceTimeTask::kColumns,
                                       SpaceTimeTask::kRows);
  REQUIRE(g.values.size() == v.heat.map.grid.values.size());
  int same = 0;
  for (std::size_t k = 0; k < g.values.size(); ++k)
    same += g.values[k] == v.heat.map.grid.values[k] || (std::isnan(g.values[k]) && std::isnan(v.heat.map.grid.values[k]));
  CHECK(same == static_cast<int>(g.values.size()));
  CHECK(v.heat.map.hi - v.heat.map.lo == SpaceTimeTask::kSpan);
  // The profiles at T_min are densities: the data law's integrates to 1 over the area (it
  // lies inside), the run's particles to the share of them inside it.
  const SpaceTimeStatus& ss = ui.status.spacetime;
  const double dy = v.area.height() / SpaceTimeTask::kRows;
  double pd = 0, pm = 0;
  for (double p : ss.profile_data) pd += p * dy;
  for (double p : ss.profile_model) pm += p * dy;
  CHECK(pd == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(pm > 0.95);
  CHECK(pm <= 1.0 + 1e-12);
  // A new h: the projection follows the new run.
  const std::uint64_t before = v.run.version;
  CHECK(run(c, ui, "set h 0.6") == "");
  settle(c);
  CHECK(st.view().run.version != before);
  CHECK(st.view().run.h == 0.6);
  const Points& last = c.run().result->trajectories.frames.back();
  CHECK(st.view().run.result->trajectories.frames.back()(3, 1) == doctest::Approx(last(3, 1)).epsilon(1e-12));
  // Back to the plane: nothing projected is shown.
  CHECK(run(c, ui, "set canvas plane") == "");
  c.frame(test::seconds(), 0);
  CHECK_FALSE(st.shown());
  CHECK_FALSE(ui.status.spacetime.shown);
}

TEST_CASE("space-time of the toy model: its paths' variance is the discrete dynamics', its law follows h(t)") {
  UiState ui;
  small(ui);  // 100 steps
  Controller c(ui);
  CHECK(run(c, ui, "set canvas spacetime") == "");
  CHECK(run(c, ui, "set spacetime-of toy") == "");
  CHECK(run(c, ui, "set h 0.5") == "");
  settle(c);
  const SpaceTimeTask& st = c.spacetime();
  REQUIRE(frames_until(c, [&] { return st.view().run.result != nullptr && !st.pending(); }));
  Toy1d toy;
  toy.eps = ui.settings.toy_eps;
  const auto check_run = [&](const HSchedule& hs) {
    const Trajectories& tr = st.view().run.result->trajectories;
    REQUIRE(tr.frames.size() == 101);
    CHECK(tr.times.front() == toy.T);
    CHECK(tr.times.back() == doctest::Approx(0.0).epsilon(1e-12));
    const Eigen::VectorXd y = tr.frames.back().col(1);
    REQUIRE(y.size() == SpaceTimeTask::kToyParticles);
    // The Euler–Maruyama variance recursion is exact for the discrete dynamics; the sample
    // variance of n draws has relative s.e. sqrt(2/n) (4.5 % at n = 1000): 4 s.e.
    const double want = toy.u0_euler(hs, 100);
    CHECK(std::abs(sample_var(y) / want - 1) < 4 * std::sqrt(2.0 / 1000));
  };
  check_run(HSchedule::constant(0.5));
  // The density: N(0, u_t) of the variance ODE at each column's centre time.
  const auto check_heat = [&](const HSchedule& hs) {
    const SpaceTimeView& v = st.view();
    std::vector<double> times;
    for (int i = 0; i < SpaceTimeTask::kColumns; ++i)
      times.push_back(v.area.xmin + (i + 0.5) * v.area.width() / SpaceTimeTask::kColumns);
    const std::vector<double> u = toy.u_path(hs, times);
    for (int i = 0; i < SpaceTimeTask::kColumns; i += 23)
      for (int j = 0; j < SpaceTimeTask::kRows; j += 19) {
        const double dy = v.area.height() / SpaceTimeTask::kRows;
        const double want = log_cell_density(0, std::sqrt(u[static_cast<std::size_t>(i)]), v.area.ymin + j * dy,
                                             v.area.ymin + (j + 1) * dy);
        if (want > v.heat.map.hi - 30) CHECK(v.heat.map.grid.at(i, j) == doctest::Approx(want).epsilon(1e-12));
      }
  };
  check_heat(HSchedule::constant(0.5));
  // The exact c̄(t) for the strip.
  const CCurve& cc = ui.status.spacetime.toy_c;
  REQUIRE(cc.t.size() > 100);
  CHECK(cc.mean[50] == doctest::Approx(toy.c_mean(cc.t[50])));
  // A window: the paths and the law follow it.
  CHECK(run(c, ui, "set h-window 0.1 0.4") == "");
  settle(c);
  REQUIRE(frames_until(c, [&] { return !st.pending() && st.view().run.schedule.kind() == HScheduleKind::kWindow; }));
  const HSchedule w = HSchedule::window(0.5, {{0.1, 0.4}});
  CHECK(st.view().run.schedule == w);
  check_run(w);
  check_heat(w);
  // Exports follow the canvas: the toy's samples (1000 particles, two 1-D draws each) and
  // the space-time density (x = t of each column's centre).
  const auto dir = test::scratch("hbar_spacetime_export");
  CHECK(run(c, ui, "export samples " + (dir / "s.csv").string()) == "");
  CHECK(run(c, ui, "export heatmap " + (dir / "h.csv").string()) == "");
  const std::string samples = test::slurp(dir / "s.csv"), heat = test::slurp(dir / "h.csv");
  CHECK(std::count(samples.begin(), samples.end(), '\n') == 1 + SpaceTimeTask::kToyParticles);
  CHECK(std::count(heat.begin(), heat.end(), '\n') == 1 + SpaceTimeTask::kColumns * SpaceTimeTask::kRows);
  const std::string first = heat.substr(heat.find('\n') + 1, heat.find(',', heat.find('\n')) - heat.find('\n') - 1);
  CHECK(std::stod(first) == doctest::Approx(0.5 / SpaceTimeTask::kColumns));
}
