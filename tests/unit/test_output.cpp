// The output module (core/io/output): every kind of path a user can name as an output.
#include <doctest/doctest.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hbar/io/output.hpp"

namespace fs = std::filesystem;
using hbar::OutputError;
using hbar::OutputSet;

namespace {

fs::path scratch(const char* name) {
  const fs::path d = fs::temp_directory_path() / (std::string(name) + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

hbar::Writer text(std::string s) {
  return [s = std::move(s)](std::ostream& o) { o << s; };
}

// Names in `dir` that are this program's temporaries.
int temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().rfind(".hbar-tmp-", 0) == 0;
  return n;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("output: a regular file is replaced whole, keeps its permissions, leaves no temporary") {
  const fs::path d = scratch("hbar_out_file");
  put(d / "a.csv", "old");
  ::chmod((d / "a.csv").c_str(), 0600);
  hbar::write_file_atomic(d / "a.csv", text("new content"));
  CHECK(slurp(d / "a.csv") == "new content");
  CHECK((fs::status(d / "a.csv").permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  // A missing folder is made (also a relative one: "exports/x.png" from a fresh folder);
  // a writer that throws leaves the old file and no temporary.
  hbar::write_file_atomic(d / "new/b.csv", text("b"));
  CHECK(slurp(d / "new/b.csv") == "b");
  const fs::path cwd = fs::current_path();
  fs::current_path(d);
  hbar::write_file_atomic("exports/deeper/x.png", text("x"));
  fs::current_path(cwd);
  CHECK(slurp(d / "exports/deeper/x.png") == "x");
  CHECK(error_of([&] {
          hbar::write_file_atomic(d / "a.csv", [](std::ostream& o) {
            o << "half";
            throw std::runtime_error("writer failed");
          });
        }) == "writer failed");
  CHECK(slurp(d / "a.csv") == "new content");
  CHECK(temporaries(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("output: names refused before any work, each with its reason") {
  const fs::path d = scratch("hbar_out_names");
  CHECK(error_of([] { hbar::check_output("", "--out"); }) == "--out: an empty file name");
  CHECK(error_of([&] { hbar::check_output(d.string(), "--out"); }).find("is a folder") != std::string::npos);
  // The name's own limit: 255 bytes fit (the temporary has its own short name), 256 do not.
  const std::string n255(255, 'a'), n256(256, 'a');
  CHECK_NOTHROW(hbar::write_file_atomic(d / n255, text("x")));
  CHECK(slurp(d / n255) == "x");
  CHECK(error_of([&] { hbar::check_output((d / n256).string()); }).find("longer than 255 bytes") != std::string::npos);
  // A symlink loop.
  fs::create_symlink("loop2", d / "loop1");
  fs::create_symlink("loop1", d / "loop2");
  CHECK(error_of([&] { hbar::check_output((d / "loop1").string()); }).find("too many levels") != std::string::npos);
  // A read-only file (by its mode: refused for root too) is not replaced.
  put(d / "ro.csv", "mine");
  ::chmod((d / "ro.csv").c_str(), 0444);
  CHECK(error_of([&] { hbar::write_file_atomic(d / "ro.csv", text("x")); }).find("read-only") != std::string::npos);
  CHECK(slurp(d / "ro.csv") == "mine");
  // A read-only folder.
  fs::create_directory(d / "rodir");
  ::chmod((d / "rodir").c_str(), 0555);
  CHECK(error_of([&] { hbar::write_file_atomic(d / "rodir/x.csv", text("x")); }).find("cannot be written") !=
        std::string::npos);
  CHECK(fs::is_empty(d / "rodir"));
  ::chmod((d / "rodir").c_str(), 0755);
  CHECK(temporaries(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("output: a symlink is written at its target; a dangling one makes its target") {
  const fs::path d = scratch("hbar_out_link");
  put(d / "real.csv", "old");
  fs::create_symlink("real.csv", d / "link.csv");
  hbar::write_file_atomic(d / "link.csv", text("through the link"));
  CHECK(fs::is_symlink(d / "link.csv"));
  CHECK(slurp(d / "real.csv") == "through the link");
  fs::create_symlink("sub/target.csv", d / "dangling.csv");
  hbar::write_file_atomic(d / "dangling.csv", text("made"));
  CHECK(fs::is_symlink(d / "dangling.csv"));
  CHECK(slurp(d / "sub/target.csv") == "made");
  CHECK(temporaries(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("output: a named pipe is written through to its reader, and stays a pipe") {
  const fs::path d = scratch("hbar_out_fifo");
  const fs::path p = d / "pipe";
  REQUIRE(::mkfifo(p.c_str(), 0644) == 0);
  std::string got;
  std::thread reader([&] { got = slurp(p); });
  std::string big(200000, 'z');  // more than a pipe's buffer: the reader must drain it
  hbar::write_file_atomic(p, text(big));
  reader.join();
  CHECK(got == big);
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  // With no reader it is refused (after a short wait), not blocked on for ever.
  CHECK(error_of([&] { hbar::write_file_atomic(p, text("x")); }).find("no reader") != std::string::npos);
  CHECK(temporaries(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("output: devices are written through; /dev/full's error is reported and nothing else lands") {
  hbar::write_file_atomic("/dev/null", text("discarded"));
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  if (::access("/dev/full", W_OK) != 0) return;
  const fs::path d = scratch("hbar_out_full");
  put(d / "first.csv", "old");
  OutputSet set;
  set.expect((d / "first.csv").string(), "--out");
  set.expect("/dev/full", "--trajectories");
  set.stage((d / "first.csv").string(), text("new"));
  set.stage("/dev/full", text(std::string(100000, 'x')));
  CHECK(error_of([&] { set.commit(); }).find("No space left on device") != std::string::npos);
  CHECK(slurp(d / "first.csv") == "old");  // the other output is not committed either
  CHECK(temporaries(d) == 0);
  REQUIRE(::stat("/dev/full", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  fs::remove_all(d);
}

TEST_CASE("output: several outputs are distinct files, and land together or not at all") {
  const fs::path d = scratch("hbar_out_set");
  put(d / "a.csv", "A");
  fs::create_symlink("a.csv", d / "alias.csv");
  fs::create_hard_link(d / "a.csv", d / "hard.csv");
  fs::create_directory(d / "sub");
  for (const fs::path& same : {d / "sub/../a.csv", d / "alias.csv", d / "hard.csv"}) {
    OutputSet set;
    set.expect((d / "a.csv").string(), "--out");
    const std::string e = error_of([&] { set.expect(same.string(), "--trajectories"); });
    CHECK_MESSAGE(e.find("the same file as --out") != std::string::npos, same);
  }
  {  // two new files spelled differently
    OutputSet set;
    set.expect((d / "n.csv").string(), "--out");
    CHECK(error_of([&] { set.expect((d / "sub/../n.csv").string(), "--points-out"); }).find("the same file") !=
          std::string::npos);
  }
  {  // the second fails: the first keeps its old content, no temporary stays
    OutputSet set;
    set.stage((d / "a.csv").string(), text("new A"));
    set.stage((d / "b.csv").string(), [](std::ostream&) { throw std::runtime_error("b failed"); });
    CHECK(error_of([&] { set.commit(); }) == "b failed");
    CHECK(slurp(d / "a.csv") == "A");
    CHECK_FALSE(fs::exists(d / "b.csv"));
  }
  {  // both succeed
    OutputSet set;
    set.stage((d / "a.csv").string(), text("new A"));
    set.stage((d / "b.csv").string(), text("B"));
    set.commit();
    CHECK(slurp(d / "a.csv") == "new A");
    CHECK(slurp(d / "b.csv") == "B");
  }
  CHECK(temporaries(d) == 0);
  fs::remove_all(d);
}

TEST_CASE("output: a short write (file size limit) fails whole and leaves the old file") {
  const fs::path d = scratch("hbar_out_short");
  put(d / "a.csv", "old");
  // In a child: RLIMIT_FSIZE makes the kernel cut writes beyond 4 kB (EFBIG), as a full disk would.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    const std::string e = error_of([&] { hbar::write_file_atomic(d / "a.csv", text(std::string(100000, 'x'))); });
    ::_exit(e.find("a.csv") != std::string::npos && e.find("too large") != std::string::npos ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK(slurp(d / "a.csv") == "old");
  CHECK(temporaries(d) == 0);
  // A full file system, where this machine lets us mount a small tmpfs.
  const fs::path m = d / "small";
  fs::create_directory(m);
  if (::mount("tmpfs", m.c_str(), "tmpfs", 0, "size=16k") == 0) {
    put(m / "keep.csv", "old");
    const std::string e = error_of([&] { hbar::write_file_atomic(m / "keep.csv", text(std::string(200000, 'x'))); });
    CHECK(e.find("No space left on device") != std::string::npos);
    CHECK(slurp(m / "keep.csv") == "old");
    CHECK(temporaries(m) == 0);
    ::umount(m.c_str());
  } else {
    MESSAGE("no tmpfs mount here (not root or no CAP_SYS_ADMIN): the size-limit case stands for a full disk");
  }
  fs::remove_all(d);
}

TEST_CASE("output: stale temporaries of dead processes are removed, live ones kept") {
  const fs::path d = scratch("hbar_out_stale");
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string dead_name = ".hbar-tmp-" + std::to_string(dead) + "-3";
  const std::string live_name = ".hbar-tmp-1-0";  // pid 1 runs
  const std::string mine = ".hbar-tmp-" + std::to_string(::getpid()) + "-9";
  for (const auto& n : {dead_name, live_name, mine, std::string(".hbar-tmp-x-1"), std::string("a.csv")}) put(d / n, "x");
  CHECK(hbar::remove_stale_temporaries(d) == 1);
  CHECK_FALSE(fs::exists(d / dead_name));
  for (const auto& n : {live_name, mine, std::string(".hbar-tmp-x-1"), std::string("a.csv")}) CHECK(fs::exists(d / n));
  fs::remove_all(d);
}

TEST_CASE("output: SIGTERM while writing removes the temporaries and says so in one line") {
  const fs::path d = scratch("hbar_out_signal");
  int err[2];
  REQUIRE(::pipe(err) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    hbar::install_output_signal_handlers("test-writer");
    OutputSet set;
    set.stage((d / "a.csv").string(), text("first, complete"));
    set.stage((d / "b.csv").string(), [](std::ostream& o) {
      o << std::string(1 << 20, 'x') << std::flush;
      for (;;) ::pause();  // killed here, with a.csv's temporary complete and b.csv's half written
    });
    set.commit();
    ::_exit(0);
  }
  ::close(err[1]);
  for (int i = 0; i < 200 && temporaries(d) < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(temporaries(d) == 2);
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  char buf[256] = {};
  const ssize_t n = ::read(err[0], buf, sizeof buf - 1);
  ::close(err[0]);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM));
  CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "test-writer: terminated; nothing written\n");
  CHECK(fs::is_empty(d));
  fs::remove_all(d);
}
