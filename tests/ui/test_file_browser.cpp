// The file chooser's listing (issue 11): "..", folders, then files of the asked
// extensions (any case), each by name; hidden entries left out; an unreadable
// folder is refused naming it.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "frames.hpp"
#include "widgets/file_browser.hpp"

using namespace hbar::app;
namespace fs = std::filesystem;

TEST_CASE("list_dir: parent, folders, then the files asked for, by name") {
  const fs::path d = test::scratch("hbar_ui_browser");
  fs::create_directories(d / "b_dir");
  fs::create_directories(d / "a_dir");
  fs::create_directories(d / ".hidden_dir");
  for (const char* f : {"z.csv", "a.CSV", "m.txt", "s.json", ".h.csv"}) std::ofstream(d / f) << "x";
  const auto names = [](const std::vector<DirEntry>& v) {
    std::vector<std::string> out;
    for (const auto& e : v) out.push_back(e.name + (e.is_dir ? "/" : ""));
    return out;
  };
  CHECK(names(list_dir(d, {".csv"})) == std::vector<std::string>{"../", "a_dir/", "b_dir/", "a.CSV", "z.csv"});
  CHECK(names(list_dir(d, {".csv", ".txt"})) ==
        std::vector<std::string>{"../", "a_dir/", "b_dir/", "a.CSV", "m.txt", "z.csv"});
  CHECK(names(list_dir(d, {})) == std::vector<std::string>{"../", "a_dir/", "b_dir/", "a.CSV", "m.txt", "s.json", "z.csv"});
  CHECK(names(list_dir("/", {".none"})).front() != "../");  // the root has no parent entry
  CHECK_THROWS_WITH_AS(list_dir(d / "missing", {}), doctest::Contains("hbar_ui_browser/missing: cannot list"),
                       std::runtime_error);
  fs::remove_all(d);
}
