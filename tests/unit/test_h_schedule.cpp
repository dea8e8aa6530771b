#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "hbar/process/dynamics.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/likelihood/wkb_time.hpp"

using namespace hbar;

TEST_CASE("h(t): values, heights, integrals and breakpoints of the three kinds") {
  const HSchedule c = HSchedule::constant(0.3);
  CHECK(c.at(0.5) == 0.3);
  CHECK(c.integral(0.0, 2.0) == doctest::Approx(0.6));
  CHECK(c.is_constant_on(0.01, 1.0));

  const HSchedule w = HSchedule::window(0.5, {{0.4, 0.6}, {0.1, 0.2}});  // sorted on the way in
  REQUIRE(w.windows().size() == 2);
  CHECK(w.windows()[0].a == 0.1);
  CHECK(w.at(0.1) == 0.5);  // closed intervals
  CHECK(w.at(0.2) == 0.5);
  CHECK(w.at(0.3) == 0.0);
  CHECK(w.at(0.5) == 0.5);
  CHECK(w.integral(0.0, 1.0) == doctest::Approx(0.5 * 0.3));
  CHECK(w.integral(0.15, 0.5) == doctest::Approx(0.5 * 0.15));
  CHECK(w.breakpoints() == std::vector<double>{0.1, 0.2, 0.4, 0.6});
  CHECK(!w.is_constant_on(0.0, 1.0));
  CHECK(HSchedule::window(0.5, {{0.0, 1.0}}).is_constant_on(0.01, 1.0));
  CHECK(w.with_height(2.0).at(0.5) == 2.0);
  const HSchedule wc = w.clipped(0.15, 0.5);
  CHECK(wc.windows()[0].a == 0.15);
  CHECK(wc.windows()[1].b == 0.5);
  CHECK_THROWS_WITH_AS(w.clipped(0.7, 1.0), doctest::Contains("overlaps"), std::invalid_argument);

  const HSchedule k = HSchedule::knots({{0.2, 0.0}, {0.6, 0.4}, {0.8, 0.1}});
  CHECK(k.at(0.0) == 0.0);    // held before the first knot
  CHECK(k.at(1.0) == 0.1);    // and after the last
  CHECK(k.at(0.4) == doctest::Approx(0.2));
  CHECK(k.at(0.7) == doctest::Approx(0.25));
  CHECK(k.height() == 0.4);
  // ∫_0^1 = 0 + ½·0.4·0.4 + ½(0.4+0.1)·0.2 + 0.1·0.2
  CHECK(k.integral(0.0, 1.0) == doctest::Approx(0.08 + 0.05 + 0.02));
  const HSchedule k2 = k.with_height(0.8);
  CHECK(k2.at(0.6) == 0.8);
  CHECK(k2.at(0.8) == doctest::Approx(0.2));
  // A shape with every knot at 0 has no height to scale (it became constant h: issue 26).
  CHECK_THROWS_WITH_AS(HSchedule::knots({{0.0, 0.0}, {1.0, 0.0}}), doctest::Contains("every knot has h = 0"),
                       std::invalid_argument);
  // A shape scaled to 0 stays 0 at any height.
  CHECK(k.with_height(0.0).with_height(0.7).at(0.6) == 0.0);
}

TEST_CASE("h(t): parsing round trips and bad schedules are refused with the reason") {
  const auto w = parse_windows("0.1:0.3,0.5:0.7");
  REQUIRE(w.size() == 2);
  CHECK(w[1].b == 0.7);
  CHECK(parse_windows(format_windows(w))[0].a == 0.1);
  const auto k = parse_knots("0.1:0,0.5:0.25");
  CHECK(k[1].h == 0.25);
  CHECK(format_knots(k) == "0.1:0,0.5:0.25");
  CHECK(parse_knots(format_knots({{1.0 / 3, 0.1}}))[0].t == 1.0 / 3);
  CHECK_THROWS_WITH_AS(parse_windows("0.1-0.3"), doctest::Contains("not of the form A:B"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_windows("0.1:x"), doctest::Contains("'x' is not a number"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_windows(""), doctest::Contains("empty"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::window(0.1, {{0.3, 0.1}}), doctest::Contains("reversed"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::window(0.1, {{0.3, 0.3}}), doctest::Contains("empty"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::window(0.1, {{0.1, 0.3}, {0.2, 0.4}}), doctest::Contains("overlap"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::window(-0.1, {{0.1, 0.3}}), doctest::Contains(">= 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::knots({{0.5, 0.1}, {0.2, 0.1}}), doctest::Contains("out of order"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(HSchedule::knots({{0.1, -1.0}}), doctest::Contains(">= 0"), std::invalid_argument);
  CHECK_THROWS_AS(HSchedule::constant(std::nan("")), std::invalid_argument);
}

namespace {
SampleResult run(const HSchedule* h, double constant_h) {
  const Schedule sched = Schedule::simple();
  const GaussianScore exact(Vec2(0.3, -0.2), Mat2{{0.4, 0.1}, {0.1, 0.2}}, sched);
  const BiasedScore biased(std::make_shared<GaussianScore>(exact), 0.3);
  SamplerConfig c;
  c.h = constant_h;
  if (h) c.h_of_t = *h;
  c.n = 300;
  c.steps = 1000;
  c.seed = 11;
  c.stride = 50;
  return sample_reverse(biased, sched, c);
}
}  // namespace

TEST_CASE("sampling with h(t): full window = constant bit for bit, zero = PF ODE, windows deform continuously") {
  const SampleResult constant = run(nullptr, 0.4);
  const HSchedule all = HSchedule::window(0.4, {{0.0, 1.0}});
  const SampleResult windowed = run(&all, 0.0);
  CHECK((windowed.samples.array() == constant.samples.array()).all());
  const HSchedule as_constant = HSchedule::constant(0.4);
  CHECK((run(&as_constant, 0.0).samples.array() == constant.samples.array()).all());

  const SampleResult pf = run(nullptr, 0.0);
  const HSchedule zero = HSchedule::window(0.0, {{0.2, 0.5}});
  CHECK((run(&zero, 0.7).samples.array() == pf.samples.array()).all());  // h_of_t wins over h
  const HSchedule flat_zero = HSchedule::knots({{0.3, 1.0}}).with_height(0.0);
  CHECK((run(&flat_zero, 0.0).samples.array() == pf.samples.array()).all());

  const HSchedule part = HSchedule::window(0.4, {{0.2, 0.5}});
  const SampleResult partial = run(&part, 0.0);
  const double to_pf = (partial.samples - pf.samples).rowwise().norm().mean();
  const double to_const = (partial.samples - constant.samples).rowwise().norm().mean();
  MESSAGE("mean distance of the [0.2, 0.5] window run to the PF run " << to_pf << ", to constant h " << to_const);
  CHECK(to_pf > 0.01);
  CHECK(to_const > 0.01);
  // Frames before the window opens (t > 0.5) are the PF run's exactly: noise only acts inside.
  const auto& tr = partial.trajectories;
  for (std::size_t f = 0; f < tr.frame_count(); ++f)
    if (tr.times[f] > 0.5 + 1e-12) CHECK((tr.frames[f].array() == pf.trajectories.frames[f].array()).all());

  // Common random numbers: moving an edge by δ (40, 10, 2.5 steps of 0.00099) moves the
  // samples by O(√δ) (the noise of the added steps): each quartering of δ about halves it.
  double last = 0;
  for (double d : {0.04, 0.01, 0.0025}) {
    const HSchedule moved = HSchedule::window(0.4, {{0.2, 0.5 + d}});
    const double shift = (run(&moved, 0.0).samples - partial.samples).rowwise().norm().mean();
    MESSAGE("edge moved by " << d << ": mean shift " << shift);
    if (last > 0) CHECK(shift < 0.65 * last);
    CHECK(shift < 2.0 * std::sqrt(d));  // √h g dW over the extra time, at most
    last = shift;
  }
}

TEST_CASE("best schedule and best window on a hand-made c(t) with a known answer") {
  // c(t) = sin(2π t) on [0, 1]: positive on (0, ½); the best window of length ¼ is
  // centred on the peak, [1/8, 3/8], where ∫ c = √2 / (2π).
  std::vector<CTrace> traces(3);
  for (int p = 0; p < 3; ++p) {
    CTrace& tr = traces[static_cast<std::size_t>(p)];
    const double amp = 0.5 + 0.5 * p;  // mean amplitude 1
    for (int i = 0; i <= 400; ++i) {
      const double t = i / 400.0;
      tr.t.push_back(t);
      tr.c.push_back(amp * std::sin(2 * std::numbers::pi * t));
      tr.k.push_back(amp * (std::cos(2 * std::numbers::pi * t) - 1) / (2 * std::numbers::pi));  // ∫_t^1 c
    }
  }
  const CCurve curve = c_mean_curve(traces);
  CHECK(curve.c_mean == doctest::Approx(0.0).epsilon(1e-12));
  const HSchedule best = best_schedule(curve, 0.3);
  REQUIRE(best.kind() == HScheduleKind::kWindow);
  REQUIRE(best.windows().size() == 1);
  CHECK(best.windows()[0].a == doctest::Approx(0.0));
  CHECK(best.windows()[0].b == doctest::Approx(0.5).epsilon(1e-4));
  CHECK(best.height() == 0.3);
  const HInterval w = best_window(traces, 0.25);
  CHECK(w.a == doctest::Approx(0.125).epsilon(1e-5));
  CHECK(w.b == doctest::Approx(0.375).epsilon(1e-5));
  const MeanStd gain = weighted_stats(traces, HSchedule::window(1.0, {w}));
  CHECK(gain.mean == doctest::Approx(std::sqrt(2.0) / (2 * std::numbers::pi)).epsilon(1e-6));
  // Negative everywhere: no noise.
  CCurve neg = curve;
  for (double& m : neg.mean) m = -1;
  CHECK(best_schedule(neg, 0.3).height() == 0.0);
  CHECK_THROWS_AS(best_window(traces, 1.5), std::invalid_argument);
}
