// What "idle" promises a script's `wait`: nothing pending, and the run on screen is the
// full run of the scene and h in the settings. A task's result can arrive between two
// frames; until a frame takes it, the task is still pending.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "controller.hpp"
#include "hbar/io/csv.hpp"
#include "frames.hpp"
#include "task.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;

TEST_CASE("a task whose run has ended is pending until its result is taken") {
  Task<int> t(TaskKind::kRun);
  t.start([](Progress&, const Task<int>::Stage&, const Task<int>::Post& post) { post(42); });
  t.wait();
  CHECK_FALSE(t.busy());
  CHECK(t.pending());
  const auto v = t.take();
  REQUIRE(v);
  CHECK(*v == 42);
  CHECK_FALSE(t.pending());
  // A discarded run's late result is dropped: it leaves nothing pending.
  t.start([](Progress&, const Task<int>::Stage&, const Task<int>::Post& post) { post(7); });
  t.wait();
  t.discard();
  CHECK_FALSE(t.pending());
  CHECK_FALSE(t.take());
}

TEST_CASE("whenever the controller says idle, the run on screen is the full run of the current settings") {
  UiState ui;
  test::small(ui);
  ui.view.playing = false;
  Controller c(ui);
  test::settle(c);
  // Each change below is followed frame by frame (no waiting between frames, so a run
  // that ends between two frames is seen in that state) until the controller is idle.
  const char* changes[] = {"set h 0.3", "set data gauss25", "set particles 150", "set h 0", "set score biased",
                           "set schedule cosine", "set mode forward", "set mode reverse"};
  for (const std::string line : changes) {
    CAPTURE(line);
    ui.commands.push(Command::parse(line, "test"));
    bool seen_idle = false;
    const double t0 = test::seconds();
    while (!seen_idle && test::seconds() - t0 < 120) {
      c.frame(test::seconds(), 1.0 / 60);
      if (!c.idle()) continue;
      seen_idle = true;
      CHECK(c.run().exact);
      REQUIRE(c.run().result);
      CHECK(c.run().result->samples.rows() == ui.settings.scene.particles);
      CHECK(ui.status.scene_label == ui.settings.scene.data + "_" + ui.settings.scene.schedule);
    }
    CHECK(seen_idle);
    test::settle(c);
  }
}

TEST_CASE("an export right after a change writes the result of the settings it names, or nothing") {
  UiState ui;
  test::small(ui);
  ui.view.playing = false;
  Controller c(ui);
  test::settle(c);
  const auto dir = test::scratch("hbar_ui_bound_exports");
  ui.view.export_dir = dir.string();
  // h changes and the export comes in the same frame: it waits for the full run at h = 1.
  ui.commands.push(Command::parse("set h 1", "test"));
  ui.commands.push(Command::parse("export samples", "test"));
  c.frame(test::seconds(), 0);
  test::drain(c);
  REQUIRE(c.run().result);
  CHECK(c.run().exact);
  CHECK(c.run().h == 1.0);
  CHECK(read_points_csv(dir / "moons_simple_h1.00_samples.csv") == c.run().result->samples);
  // New data: the file is named after it and holds its run (not the previous data's).
  ui.commands.push(Command::parse("set data gauss25", "test"));
  ui.commands.push(Command::parse("export samples", "test"));
  ui.commands.push(Command::parse("export trajectories", "test"));
  c.frame(test::seconds(), 0);
  test::drain(c);
  CHECK(ui.status.scene_label == "gauss25_simple");
  CHECK(read_points_csv(dir / "gauss25_simple_h1.00_samples.csv") == c.run().result->samples);
  CHECK(fs::exists(dir / "gauss25_simple_h1.00_trajectories.csv"));
  // Settings that change again before their run was ready: refused, nothing written.
  ui.status.last_error.clear();
  ui.commands.push(Command::parse("set h 0.5", "test"));
  ui.commands.push(Command::parse("export samples", "test"));
  ui.commands.push(Command::parse("set h 0.7", "test"));
  c.frame(test::seconds(), 0);
  test::drain(c);
  CHECK(ui.status.last_error.find("gauss25_simple_h0.50_samples.csv: the settings changed before the result it names") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "gauss25_simple_h0.50_samples.csv"));
  fs::remove_all(dir);
}
