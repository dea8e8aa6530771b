// The app's exports and saves against outputs that are not plain new files (issue 26):
// the same output module as the CLI, through the commands a script or a panel sends.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "controller.hpp"
#include "frames.hpp"
#include "hbar/io/csv.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;

namespace {
int temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().rfind(".hbar-tmp-", 0) == 0;
  return n;
}
}  // namespace

TEST_CASE("hostile outputs in the app: symlinks, pipes, devices, read-only files; the app goes on") {
  UiState ui;
  test::small(ui);
  ui.view.playing = false;
  Controller c(ui);
  test::settle(c);
  const fs::path d = test::scratch("hbar_ui_hostile_outputs");
  // A symlink: its target is written, the link stays (samples, data, session alike).
  std::ofstream(d / "real.csv") << "old";
  fs::create_symlink("real.csv", d / "link.csv");
  CHECK(test::run(c, ui, "export samples " + (d / "link.csv").string()).empty());
  CHECK(fs::is_symlink(d / "link.csv"));
  CHECK(read_points_csv(d / "real.csv") == c.run().result->samples);
  fs::create_symlink("made.json", d / "dangling.json");
  CHECK(test::run(c, ui, "session save " + (d / "dangling.json").string()).empty());
  CHECK(fs::is_symlink(d / "dangling.json"));
  CHECK(fs::file_size(d / "made.json") > 0);
  // A read-only file is not replaced; the refusal names it.
  std::ofstream(d / "ro.csv") << "mine";
  ::chmod((d / "ro.csv").c_str(), 0444);
  CHECK(test::run(c, ui, "export data " + (d / "ro.csv").string()).find("ro.csv: the file is read-only") !=
        std::string::npos);
  CHECK(test::slurp(d / "ro.csv") == "mine");
  // A named pipe with no reader: refused after a short wait, the pipe stays a pipe.
  REQUIRE(::mkfifo((d / "pipe").c_str(), 0644) == 0);
  CHECK(test::run(c, ui, "export samples " + (d / "pipe").string()).find("a named pipe with no reader") !=
        std::string::npos);
  struct stat st {};
  REQUIRE(::stat((d / "pipe").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  // Devices are written through: /dev/null takes it, /dev/full says why it cannot.
  CHECK(test::run(c, ui, "export trajectories /dev/null").empty());
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  if (::access("/dev/full", W_OK) == 0)
    CHECK(test::run(c, ui, "export curves /dev/full").find("No space left on device") != std::string::npos);
  // An animation needs a regular file (an MP4 is finished by seeking back).
  REQUIRE(::mkfifo((d / "anim.mp4").c_str(), 0644) == 0);
  CHECK(test::run(c, ui, "export animation " + (d / "anim.mp4").string() + " hsweep 1 4")
            .find("an animation is written to a regular file") != std::string::npos);
  // Nothing half-written anywhere, and the app goes on.
  CHECK(temporaries(d) == 0);
  CHECK(test::run(c, ui, "export samples " + (d / "after.csv").string()).empty());
  CHECK(fs::exists(d / "after.csv"));
  ::chmod((d / "ro.csv").c_str(), 0644);
  fs::remove_all(d);
}
