// Data drawn by hand (issue 11): the brush's and the eraser's geometry against brute
// force, undo / redo as a stack of data sources, a stroke as one undo step, refusals
// that change nothing, the scene following drawn data at most twice a second, drawn
// data in sessions, and `export data`.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "controller.hpp"
#include "data_edit.hpp"
#include "frames.hpp"
#include "hbar/io/csv.hpp"
#include "session.hpp"
#include "setting_table.hpp"

using namespace hbar;
using namespace hbar::app;
using test::run;
using test::scratch;
using test::settle;
using test::small;

TEST_CASE(
    "add_disc: n points inside the disc, normal around its centre, deterministic in the seed") {
  Points base(1, 2);
  base << 7.0, 7.0;
  const int n = 20000;
  const Points p = add_disc(base, 1.0, -2.0, 0.5, n, 42);
  REQUIRE(p.rows() == n + 1);
  CHECK(p.row(0) == base.row(0));
  double sx = 0, sy = 0, s2 = 0;
  for (int i = 1; i <= n; ++i) {
    const double dx = p(i, 0) - 1.0, dy = p(i, 1) + 2.0;
    REQUIRE(dx * dx + dy * dy <= 0.25 + 1e-12);
    sx += dx, sy += dy, s2 += dx * dx + dy * dy;
  }
  // Mean offset 0: each coordinate's sd is below r/2 = 0.25, so 5 s.e. is 5 * 0.25 / sqrt(n).
  const double tol = 5 * 0.25 / std::sqrt(static_cast<double>(n));
  CHECK(std::abs(sx / n) < tol);
  CHECK(std::abs(sy / n) < tol);
  // E|d|^2 of a 2-D normal (sd r/2) cut at radius r, in closed form: with u = |d|^2 / (2 sd^2),
  // u is exponential cut at 2, so E u = (1 - 3 e^-2) / (1 - e^-2) and E|d|^2 = 2 sd^2 E u.
  const double sd2 = 0.0625, eu = (1 - 3 * std::exp(-2.0)) / (1 - std::exp(-2.0));
  CHECK(
      s2 / n ==
      doctest::Approx(2 * sd2 * eu).epsilon(0.02));  // sd of |d|^2 / its mean ~ 0.7/sqrt(n) << 2 %
  CHECK(add_disc(base, 1.0, -2.0, 0.5, 100, 42) == add_disc(base, 1.0, -2.0, 0.5, 100, 42));
  CHECK_FALSE(add_disc(base, 1.0, -2.0, 0.5, 100, 42) == add_disc(base, 1.0, -2.0, 0.5, 100, 43));
  CHECK_THROWS_AS(add_disc(Points(kMaxDataPoints, 2), 0, 0, 1, 1, 1), std::invalid_argument);
}

TEST_CASE("erase_disc keeps exactly the points outside the closed disc, in order") {
  Points p(6, 2);
  p << 0, 0, 1, 0, 0.5, 0.5, 2, 2, -1, 0, 0, 1.0000001;
  const Points e = erase_disc(p, 0, 0, 1.0);
  REQUIRE(e.rows() == 2);  // (1, 0) and (-1, 0) lie on the circle: erased
  CHECK(e.row(0) == p.row(3));
  CHECK(e.row(1) == p.row(5));
  CHECK(erase_disc(Points(0, 2), 0, 0, 1).rows() == 0);
}

TEST_CASE("draw commands: edit the canvas's data, undo and redo them, a stroke is one step") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const Points moons = c.scene()->data;
  // Editing starts from the data on the canvas.
  CHECK(run(c, ui, "draw add 5 5 0.5 10").empty());
  REQUIRE(ui.settings.scene.points);
  CHECK(ui.settings.scene.points->rows() == moons.rows() + 10);
  CHECK(ui.settings.scene.points->topRows(moons.rows()) == moons);
  CHECK(ui.settings.scene.data_file.empty());
  settle(c);
  CHECK(ui.status.scene_label == "drawn_simple");
  CHECK(ui.status.data_points == moons.rows() + 10);
  CHECK(c.scene()->data == *ui.settings.scene.points);
  // Erase the added blob, then undo both edits one by one, and redo.
  CHECK(run(c, ui, "draw erase 5 5 0.6").empty());
  CHECK(ui.settings.scene.points->rows() == moons.rows());
  CHECK(run(c, ui, "undo").empty());
  CHECK(ui.settings.scene.points->rows() == moons.rows() + 10);
  CHECK(run(c, ui, "undo").empty());
  CHECK_FALSE(ui.settings.scene.points);  // the built-in draw again
  CHECK(ui.settings.scene.data == "moons");
  CHECK(run(c, ui, "undo") == "test: nothing to undo");
  CHECK(run(c, ui, "redo").empty());
  CHECK(ui.settings.scene.points->rows() == moons.rows() + 10);
  // A stroke (begin … end) is one undo step however many adds it holds.
  CHECK(run(c, ui, "draw begin").empty());
  for (int k = 0; k < 5; ++k)
    CHECK(run(c, ui, "draw add " + std::to_string(k) + " -5 0.2 3").empty());
  CHECK(run(c, ui, "draw end").empty());
  CHECK(ui.settings.scene.points->rows() == moons.rows() + 25);
  CHECK(run(c, ui, "undo").empty());
  CHECK(ui.settings.scene.points->rows() == moons.rows() + 10);
  // Any other change of the data source starts a new history.
  CHECK(run(c, ui, "data gauss25").empty());
  CHECK(run(c, ui, "undo") == "test: nothing to undo");
  CHECK(run(c, ui, "redo") == "test: nothing to redo");
}

TEST_CASE("bad draw commands are refused with the reason, and change nothing") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const Settings before = ui.settings;
  for (const char* bad :
       {"draw", "draw add 0 0 0.5", "draw add 0 0 0 5", "draw add 0 0 -1 5", "draw add 0 0 101 5",
        "draw add x 0 1 5", "draw add 0 nan 1 5", "draw add 0 0 1 0", "draw add 0 0 1 10001",
        "draw add 0 0 1 2.5", "draw add 2e6 0 1 5", "draw erase 0 0", "draw erase 0 0 0",
        "draw clear now", "draw paint 0 0 1", "undo 2"}) {
    CAPTURE(bad);
    const std::string err = run(c, ui, bad);
    CHECK(err.rfind("test: ", 0) == 0);
    CHECK(err.size() > 12);
    CHECK(ui.settings == before);
    CHECK_FALSE(ui.history.can_undo());
  }
  CHECK(run(c, ui, "draw add 0 0 1 10001") ==
        "test: draw add: N must be a whole number in [1, 10000], got '10001'");
  CHECK(run(c, ui, "draw add 0 0 0 5") == "test: draw add: R must be in (0, 100], got '0'");
}

TEST_CASE(
    "a cleared canvas waits for points, and drawn data rebuilds the scene at most twice a second") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  CHECK(run(c, ui, "draw clear").empty());
  c.frame(test::seconds(), 0);
  CHECK(ui.status.waiting_for_data);
  CHECK(ui.status.data_points == 0);
  CHECK(c.data_stale());  // the moons' run is not drawn over an empty canvas
  CHECK(c.idle());        // scripts do not wait for a scene that cannot be built
  CHECK(run(c, ui, "draw add 0 0 0.1 1").empty());
  c.frame(test::seconds(), 0);
  CHECK(ui.status.waiting_for_data);  // one point is not a data set
  // A 2-second stroke adding points every frame: builds start at most every 0.5 s.
  const int builds0 = c.scene_builds();
  run(c, ui, "draw begin");
  const double t0 = test::seconds();
  int k = 0;
  while (test::seconds() - t0 < 2.0) {
    ui.push({"draw", "add", format_number(-1 + 0.001 * k), "0", "0.2", "2"}, "test");
    c.frame(test::seconds(), 1.0 / 60);
    ++k;
  }
  run(c, ui, "draw end");
  const int builds = c.scene_builds() - builds0;
  CAPTURE(k);
  CHECK(k > 20);
  CHECK(builds >= 2);
  CHECK(builds <= 5);  // at most 1 + 2 s / 0.5 s
  settle(c);
  CHECK(c.scene()->data == *ui.settings.scene.points);
  CHECK_FALSE(c.data_stale());
  CHECK(c.run().result);
}

TEST_CASE(
    "drawn data: export data writes it, a session keeps it, hbar-cli's data source replays it") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const auto dir = scratch("hbar_ui_draw");
  run(c, ui, "draw clear");
  run(c, ui, "draw add -1 0 0.3 40");
  run(c, ui, "draw add 1 0 0.3 40");
  settle(c);
  const Points drawn = *ui.settings.scene.points;
  CHECK(run(c, ui, "export data " + (dir / "d.csv").string()).empty());
  CHECK(read_points_csv((dir / "d.csv").string()) == drawn);  // %.17g: bit for bit
  CHECK(run(c, ui, "session save " + (dir / "s.json").string()).empty());
  CHECK(test::slurp(dir / "s.json").find("\"data_drawn\": true") != std::string::npos);

  UiState ui2;
  Controller c2(ui2);
  CHECK(run(c2, ui2, "session load " + (dir / "s.json").string()).empty());
  settle(c2);
  REQUIRE(ui2.settings.scene.points);
  CHECK(*ui2.settings.scene.points == drawn);
  CHECK(ui2.status.scene_label == "drawn_simple");
  CHECK(c2.run().result->samples == c.run().result->samples);
  std::filesystem::remove_all(dir);
}
