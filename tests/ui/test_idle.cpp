// What "idle" promises a script's `wait`: nothing pending, and the run on screen is the
// full run of the scene and h in the settings. A task's result can arrive between two
// frames; until a frame takes it, the task is still pending.
#include <doctest/doctest.h>

#include <string>

#include "controller.hpp"
#include "frames.hpp"
#include "task.hpp"

using namespace hbar;
using namespace hbar::app;

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
