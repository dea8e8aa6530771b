// Crash recovery (issue 13, part 8): the controller autosaves the session a moment after
// every change into its own file; a clean exit removes it; a file whose app is gone is
// offered at the next start, and `recovery restore | discard` take or drop it. The gl
// test (gl_recovery.sh) kills the real app with SIGKILL and restores with a click.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "controller.hpp"
#include "frames.hpp"
#include "recovery.hpp"
#include "tasks/autosave_feature.hpp"
#include "session.hpp"

using namespace hbar;
using namespace hbar::app;
using test::run;
using test::scratch;
using test::settle;
using test::slurp;
using test::small;
namespace fs = std::filesystem;

namespace {
// Frames until the recovery file holds a session whose h is `h` (the writer is a thread).
Session wait_saved(Controller& c, double h) {
  Session s;
  const fs::path f = c.autosave().file();
  REQUIRE(test::frames_until(c, [&] {
    if (!fs::exists(f)) return false;
    try {
      s = load_session(f.string());
    } catch (const SessionError&) {
      return false;  // never half-written (atomic), but it may not be there yet
    }
    return s.settings.h == h;
  }, 30));
  return s;
}

void write_orphan(const fs::path& p, const std::string& text, fs::file_time_type t) {
  std::ofstream(p) << text;
  fs::last_write_time(p, t);
}
}  // namespace

TEST_CASE("recovery: the session is autosaved after a change, with drawn data, and removed on a clean exit") {
  const fs::path dir = scratch("recovery_autosave");
  fs::path file;
  {
    UiState ui;
    small(ui);
    Controller c(ui);
    c.enable_recovery(dir);
    CHECK(ui.status.recovery_file.empty());  // nothing to offer in an empty folder
    settle(c);
    file = c.autosave().file();
    CHECK(file.filename() == "session-" + std::to_string(::getpid()) + ".json");

    CHECK(run(c, ui, "set h 0.35") == "");
    Session s = wait_saved(c, 0.35);
    CHECK(s.settings.scene == ui.settings.scene);

    // Drawn data: the file holds the points themselves.
    CHECK(run(c, ui, "draw clear") == "");
    CHECK(run(c, ui, "draw add 0.5 -0.5 0.3 40") == "");
    CHECK(run(c, ui, "set h 0.45") == "");
    s = wait_saved(c, 0.45);
    REQUIRE(ui.settings.scene.points);
    REQUIRE(s.settings.scene.points);
    CHECK(s.settings.scene.points->rows() == 40);
    CHECK(*s.settings.scene.points == *ui.settings.scene.points);
    CHECK(c.autosave().last_error() == "");

    // A view change is a change too.
    CHECK(run(c, ui, "set theme light") == "");
    REQUIRE(test::frames_until(c, [&] { return load_session(file.string()).view.light_theme; }, 30));
  }
  CHECK_FALSE(fs::exists(file));  // the controller (the app) ended cleanly
}

TEST_CASE("recovery: the newest file of an app that is gone is offered, restore loads it, discard drops it") {
  const fs::path dir = scratch("recovery_offer");
  fs::create_directories(dir);
  // Pids above the kernel's limit (2^22) are never running.
  const fs::path old_one = dir / "session-999999998.json", new_one = dir / "session-999999999.json";
  const auto now = fs::file_time_type::clock::now();
  write_orphan(old_one, R"({"hbar_session": 1, "settings": {"h": 0.1}})", now - std::chrono::minutes(30));
  write_orphan(new_one,
               R"({"hbar_session": 1, "settings": {"h": 0.6, "data": "moons", "data-n": 300, "particles": 200,
                   "steps": 100}, "view": {"lines": 77},
                   "data_points": [[0.25, 0.5], [1, -1], [2, 0.125]], "data_drawn": true})",
               now - std::chrono::minutes(3));
  std::ofstream(dir / "notes.json") << "not ours";
  std::ofstream(dir / "session-12ab.json") << "not ours either";

  UiState ui;
  small(ui);
  Controller c(ui);
  c.enable_recovery(dir);
  CHECK(ui.status.recovery_file == new_one.string());
  CHECK(ui.status.recovery_age == "3 min ago");

  CHECK(run(c, ui, "recovery restore") == "");
  CHECK(ui.settings.h == 0.6);
  CHECK(ui.view.lines == 77);
  REQUIRE(ui.settings.scene.points);
  Points want(3, 2);
  want << 0.25, 0.5, 1, -1, 2, 0.125;
  CHECK(*ui.settings.scene.points == want);
  CHECK(ui.status.recovery_file.empty());
  CHECK_FALSE(fs::exists(new_one));
  CHECK(fs::exists(old_one));  // only the one offered is taken
  // Nothing offered any more.
  CHECK(run(c, ui, "recovery discard").find("there is no session to recover") != std::string::npos);
  CHECK(run(c, ui, "recovery later").find("takes restore, discard or offer") != std::string::npos);

  // The restored session is ours now: autosaved under our name.
  const Session mine = wait_saved(c, 0.6);
  REQUIRE(mine.settings.scene.points);
  CHECK(*mine.settings.scene.points == want);

  // The next start offers the older one; discard removes it and changes nothing.
  UiState ui2;
  small(ui2);
  Controller c2(ui2);
  c2.enable_recovery(dir);
  CHECK(ui2.status.recovery_file == old_one.string());
  CHECK(run(c2, ui2, "recovery discard") == "");
  CHECK_FALSE(fs::exists(old_one));
  CHECK(ui2.settings.h == 0.0);
  CHECK(ui2.status.recovery_file.empty());
}

TEST_CASE("recovery: a damaged file is refused with its name and stays offered, a folder that cannot be written is reported") {
  const fs::path dir = scratch("recovery_bad");
  fs::create_directories(dir);
  const fs::path bad = dir / "session-999999997.json";
  write_orphan(bad, R"({"hbar_session": 1, "settings": {"h": 99}})", fs::file_time_type::clock::now());
  UiState ui;
  small(ui);
  Controller c(ui);
  c.enable_recovery(dir);
  REQUIRE(ui.status.recovery_file == bad.string());
  const std::string err = run(c, ui, "recovery restore");
  CHECK(err.find(bad.string()) != std::string::npos);
  CHECK(err.find("settings.h") != std::string::npos);
  CHECK(ui.settings.h == 0.0);
  CHECK(ui.status.recovery_file == bad.string());  // still offered: discard is the user's choice
  CHECK(run(c, ui, "recovery discard") == "");
  CHECK_FALSE(fs::exists(bad));

  // The recovery folder is a file: every save fails with the reason, the app goes on.
  const fs::path blocked = scratch("recovery_blocked") / "not_a_folder";
  std::ofstream(blocked) << "a file where the folder should be";
  UiState ui3;
  small(ui3);
  Controller c3(ui3);
  c3.enable_recovery(blocked);
  CHECK(run(c3, ui3, "set h 0.2") == "");
  REQUIRE(test::frames_until(c3, [&] { return c3.autosave().saves() > 0 && !ui3.status.last_error.empty(); }, 30));
  CHECK(c3.autosave().last_error() != "");
  CHECK(ui3.status.last_error.find("Autosave for crash recovery failed") != std::string::npos);
  CHECK(ui3.settings.h == 0.2);
}

TEST_CASE("recovery: only on demand in a scripted run, and never a file another user owns") {
  const fs::path dir = scratch("recovery_on_demand");
  fs::create_directories(dir);
  const fs::path mine = dir / "session-999999996.json";
  write_orphan(mine, R"({"hbar_session": 1, "settings": {"h": 0.3}})", fs::file_time_type::clock::now());
  UiState ui;
  small(ui);
  Controller c(ui);
  c.enable_recovery(dir, false);  // a script or --screenshot run: nothing offered at start
  CHECK(ui.status.recovery_file.empty());
  CHECK(run(c, ui, "recovery offer") == "");
  CHECK(ui.status.recovery_file == mine.string());
  CHECK(run(c, ui, "recovery discard") == "");
  CHECK(run(c, ui, "recovery offer") == "");
  CHECK(ui.status.toast == "No session of yours was left by an abnormal exit");
  CHECK(ui.status.recovery_file.empty());
  // Another user's file in a shared folder (root can give a file away: then test it).
  write_orphan(mine, R"({"hbar_session": 1, "settings": {"h": 0.3}})", fs::file_time_type::clock::now());
  if (::geteuid() == 0 && ::chown(mine.c_str(), 12345, 12345) == 0) {
    CHECK(run(c, ui, "recovery offer") == "");
    CHECK(ui.status.recovery_file.empty());
  }
}
