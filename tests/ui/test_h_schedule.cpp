// Noise schedules h(t) in the app (SCIENCE.md §11): the settings and their refusals,
// sessions, the run on screen, the W2 sweep and the NLL task follow the shape, and
// best-h applies core's first-order suggestion.
#include <doctest/doctest.h>

#include <filesystem>

#include "controller.hpp"
#include "frames.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/transport/sweep.hpp"
#include "hbar/likelihood/wkb_time.hpp"
#include "session.hpp"
#include "setting_table.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;

using test::frames_until;
using test::run;
using test::scratch;
using test::settle;
using test::small;

TEST_CASE("h(t) settings: windows, knots and the kind, and refusals that name the reason and change nothing") {
  Settings s;
  View v;
  CHECK(s.h_kind == HShapeKind::kConstant);
  CHECK(set_setting(s, v, "h-window", "0.1:0.4,0.6:0.8").empty());
  CHECK(s.h_kind == HShapeKind::kWindow);
  REQUIRE(s.h_windows.size() == 2);
  CHECK(get_setting(s, v, "h-window") == "0.1:0.4,0.6:0.8");
  CHECK(set_setting(s, v, "h-schedule", "constant").empty());
  CHECK(s.h_windows.size() == 2);  // kept for when the window kind comes back
  const auto refused = [&](const char* key, const char* value, const char* needle) {
    const Settings before = s;
    const std::string err = set_setting(s, v, key, value);
    CAPTURE(err);
    CHECK(err.find(needle) != std::string::npos);
    CHECK(s == before);
  };
  refused("h-window", "0.4:0.1", "reversed");
  refused("h-window", "0.2:0.2", "empty");
  refused("h-window", "0.1:0.5,0.4:0.6", "overlap");
  refused("h-window", "0.5:1.5", "windows lie in [0, 1]");
  refused("h-window", "a:b", "is not a number");
  refused("h-knots", "0.5:1,0.2:1", "out of order");
  refused("h-knots", "0.2:-1", ">= 0");
  refused("h-knots", "0.1:0,0.5:0", "every knot has h = 0");
  refused("h-knots", "0.2:11", "h in [0, 10]");
  refused("h-schedule", "ramp", "constant | window | knots");
  CHECK(set_setting(s, v, "h-knots", "0.01:0,0.5:2").empty());
  CHECK(s.h_kind == HShapeKind::kKnots);
  // The effective schedule: the knots scaled so that their top is h; windows clipped.
  s.h = 0.3;
  const HSchedule k = h_schedule(s, 0.01, 1.0);
  CHECK(k.height() == 0.3);
  CHECK(k.at(0.5) == 0.3);
  CHECK(k.at(0.255) == doctest::Approx(0.15));
  CHECK(set_setting(s, v, "h-window", "0:0.005").empty());
  CHECK(h_schedule(s, 0.01, 1.0).height() == 0.0);  // no window inside [T_min, T_max]: no noise
  CHECK(set_setting(s, v, "h-window", "0:0.5").empty());
  CHECK(h_schedule(s, 0.01, 1.0).windows()[0].a == 0.01);
}

TEST_CASE("the run, the W2 sweep and the NLL task follow h(t), and sessions keep it") {
  UiState ui;
  small(ui);
  ui.settings.scene.data = "gauss25";
  ui.settings.scene.biased = true;
  Controller c(ui);
  CHECK(run(c, ui, "set h 0.5") == "");
  CHECK(run(c, ui, "set h-window 0.1 0.4") == "");
  CHECK(ui.settings.h_windows == std::vector<HInterval>{{0.1, 0.4}});
  settle(c);
  const Scene& sc = *c.scene();
  const HSchedule want = HSchedule::window(0.5, {{0.1, 0.4}});
  // The full run on screen is core's run with that schedule, bit for bit.
  REQUIRE(c.run().exact);
  CHECK(c.run().schedule == want);
  SamplerConfig cfg = sampler_config(sc, want);
  CHECK(c.run().result->samples == sample_reverse(*sc.score, sc.schedule, cfg).samples);
  // …and differs from constant h (noise acts only inside the window).
  SamplerConfig flat = sampler_config(sc, HSchedule::constant(0.5));
  CHECK(c.run().result->samples != sample_reverse(*sc.score, sc.schedule, flat).samples);

  // The sweep's heights are the window's: core's w2_sweep with the same shape.
  REQUIRE(frames_until(c, [&] {
    return ui.status.sweep.size() == SweepTask::kH && !ui.status.task(TaskKind::kSweep).running &&
           ui.status.nll.has_exact && !ui.status.task(TaskKind::kNll).running;
  }, 300));
  SweepConfig sw;
  for (int k = 0; k < SweepTask::kH; ++k) sw.h.push_back(k / 10.0);
  sw.shape = HSchedule::window(1.0, {{0.1, 0.4}});
  sw.trials = SweepTask::kTrials;
  sw.n = 200;
  sw.steps = 100;
  sw.seed = ui.settings.scene.seed;
  const auto rows = w2_sweep(*sc.score, sc.schedule, sw, [&](int k) { return make_heldout("gauss25", 200, k); });
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(ui.status.sweep[i].exact_mean == rows[i].w2_mean);
  // The NLL task: c(t) kept, its curve integrates to C̄, the grid ran the window's shape.
  const NllSummary& n = ui.status.nll;
  REQUIRE(n.traces);
  CHECK(n.traces->size() == static_cast<std::size_t>(n.points));
  CHECK(std::abs(n.c_curve.trapezoid() - n.c_curve.c_mean) < 0.01 * std::abs(n.c_curve.c_mean));
  CHECK(n.c_curve.c_mean == doctest::Approx(-n.corr));
  CHECK(n.exact_shape == HSchedule::window(1.0, {{0.1, 0.4}}));
  // The tangent of the NLL plot has the window's slope.
  const auto curves = make_curves(ui.settings, ui.status);
  for (const Curve& cv : curves)
    if (cv.id == "nll_tangent") {
      const double slope = (cv.y[1] - cv.y[0]) / (cv.x[1] - cv.x[0]);
      CHECK(slope == doctest::Approx(-weighted_stats(*n.traces, sw.shape).mean));
    }

  // best-h window: the best window of the current length (0.3), as core finds it.
  CHECK(run(c, ui, "best-h window") == "");
  const HInterval best = best_window(*n.traces, 0.3);
  REQUIRE(ui.settings.h_windows.size() == 1);
  CHECK(ui.settings.h_windows[0].a == doctest::Approx(best.a));
  CHECK(ui.settings.h_windows[0].b - ui.settings.h_windows[0].a == doctest::Approx(0.3));
  CHECK(run(c, ui, "best-h window 0.2") == "");
  CHECK(ui.settings.h_windows[0].b - ui.settings.h_windows[0].a == doctest::Approx(0.2));
  CHECK(run(c, ui, "best-h schedule") == "");
  CHECK(ui.settings.h_windows == best_schedule(n.c_curve, 1.0).windows());
  CHECK(run(c, ui, "best-h sideways").find("best-h takes window") != std::string::npos);

  // A session keeps the schedule, and a loaded session brings it back.
  CHECK(run(c, ui, "set h-knots 0.01:0,0.4:1") == "");
  const fs::path f = scratch("h_schedule") / "s.json";
  CHECK(run(c, ui, "session save " + f.string()) == "");
  UiState other;
  Controller c2(other);
  CHECK(run(c2, other, "session load " + f.string()) == "");
  CHECK(other.settings.h_kind == HShapeKind::kKnots);
  CHECK(other.settings.h_knots == ui.settings.h_knots);
  CHECK(other.settings.h_windows == ui.settings.h_windows);
}
