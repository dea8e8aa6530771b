// hbar-cli's outputs as a hostile user names them: pipes, devices, symlinks, `-`, the
// same file twice, an empty name, a second output that fails, signals while writing.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "cli_run.hpp"

namespace {

fs::path fresh(const std::string& name) {
  const fs::path d = scratch() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void put(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

int temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string().rfind(".hbar-tmp-", 0) == 0;
  return n;
}

const std::string kSample = "sample --data gaussian --n 50 --steps 20 ";

}  // namespace

TEST_CASE("outputs: names refused before any work, one line each, nothing written or changed") {
  const fs::path d = fresh("out_refused");
  const std::string a = (d / "a.csv").string();
  put(a, "mine");
  ::chmod(a.c_str(), 0444);
  struct Case {
    std::string args, needle;
  };
  const Case cases[] = {
      {"data --data moons --out ''", "--out: an empty file name"},
      {kSample + "--out ''", "--out: an empty file name"},
      {kSample + "--out " + (d / "x.csv").string() + " --trajectories " + (d / "x.csv").string(),
       "the same file as --out"},
      {kSample + "--out " + (d / "x.csv").string() + " --trajectories " + d.string() + "/../" +
           d.filename().string() + "/x.csv",
       "the same file as --out"},
      {kSample + "--out " + d.string(), "is a folder"},
      {kSample + "--out " + a, "read-only"},
      {"nll --data gaussian --n 20 --c-of-t " + (d / "c.csv").string() + " --points-out " + (d / "c.csv").string(),
       "the same file as --c-of-t"},
      {"sweep --data gaussian --h 0 --n 50 --steps 10 --trials 1 --out ''", "--out: an empty file name"},
      {"data --data moons --out " + (d / std::string(256, 'n')).string(), "longer than 255 bytes"},
      {"data --data moons --out - --json", "would both write stdout"},
  };
  for (const Case& c : cases) expect_usage_error(c.args, c.needle);
  CHECK(slurp(a) == "mine");
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(d)) left.push_back(e.path().filename().string());
  CHECK(left == std::vector<std::string>{"a.csv"});
}

TEST_CASE("outputs: a symlink is written at its target, a pipe and a device through, `-` to stdout") {
  const fs::path d = fresh("out_kinds");
  put(d / "real.csv", "old");
  fs::create_symlink("real.csv", d / "link.csv");
  fs::create_symlink("made.csv", d / "dangling.csv");
  Run r = cli("data --data moons --n 7 --out " + (d / "link.csv").string());
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(d / "link.csv"));
  CHECK(lines_of(slurp(d / "real.csv")).size() == 8);
  r = cli("data --data moons --n 7 --out " + (d / "dangling.csv").string());
  CHECK(r.status == 0);
  CHECK(fs::is_symlink(d / "dangling.csv"));
  CHECK(lines_of(slurp(d / "made.csv")).size() == 8);
  // A named pipe with a reader: the reader gets every row, the pipe stays a pipe.
  const fs::path p = d / "pipe";
  REQUIRE(::mkfifo(p.c_str(), 0644) == 0);
  const fs::path got = d / "from_pipe.csv";
  const std::string cmd = "cat '" + p.string() + "' > '" + got.string() + "' & c=$!; '" + HBAR_CLI +
                          "' sample --data gaussian --n 40 --steps 10 --out '" + p.string() +
                          "' > /dev/null 2>&1; s=$?; wait $c; exit $s";
  CHECK(std::system(cmd.c_str()) == 0);
  CHECK(lines_of(slurp(got)).size() == 41);
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  // /dev/null stays a device; /dev/full's error is the command's one line and exit 2.
  CHECK(cli(kSample + "--out /dev/null").status == 0);
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  expect_usage_error("data --data moons --out /dev/full", "/dev/full: No space left on device");
  // `-`: the CSV alone on stdout, the summary on stderr.
  r = cli(kSample + "--out -");
  CHECK(r.status == 0);
  const auto rows = lines_of(r.out);
  REQUIRE(rows.size() == 51);
  CHECK(rows[0] == "x,y");
  CHECK(r.err.find("50 samples") != std::string::npos);
  CHECK(temporaries(d) == 0);
}

TEST_CASE("outputs: when the second output fails the first is not written either") {
  const fs::path d = fresh("out_together");
  const std::string a = (d / "a.csv").string();
  put(a, "old");
  expect_usage_error(kSample + "--out " + a + " --trajectories /dev/full", "No space left on device");
  CHECK(slurp(a) == "old");
  const std::string fresh_out = (d / "new.csv").string();
  expect_usage_error(kSample + "--out " + fresh_out + " --trajectories /dev/full", "No space left on device");
  CHECK_FALSE(fs::exists(fresh_out));
  CHECK(temporaries(d) == 0);
  // Both good: both written.
  const Run r = cli(kSample + "--out " + a + " --trajectories " + (d / "t.csv").string());
  CHECK(r.status == 0);
  CHECK(lines_of(slurp(a)).size() == 51);
  CHECK(fs::file_size(d / "t.csv") > 0);
}

TEST_CASE("outputs: SIGTERM while a large output is written: one line, exit 143, nothing left") {
  const fs::path d = fresh("out_signal");
  const std::string old_text = "old samples";
  put(d / "s.csv", old_text);
  const fs::path se = scratch() / "sig_err.txt";
  // 20 000 particles × 201 kept steps: a trajectories file of ~300 MB takes seconds to write.
  const std::string cmd = std::string("'") + HBAR_CLI + "' sample --data gaussian --n 20000 --steps 200 --stride 1 " +
                          "--out '" + (d / "s.csv").string() + "' --trajectories '" + (d / "t.csv").string() +
                          "' > /dev/null 2> '" + se.string() + "' < /dev/null & p=$!; for i in $(seq 600); do " +
                          "ls -A '" + d.string() + "' | grep -q '^.hbar-tmp-' && break; sleep 0.05; done; " +
                          "sleep 0.2; kill -TERM $p; wait $p";
  const int raw = std::system(cmd.c_str());
  const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  const std::string err = slurp(se);
  CAPTURE(err);
  CHECK(status == 143);
  REQUIRE(!lines_of(err).empty());
  CHECK(lines_of(err).back() == "hbar-cli sample: terminated; nothing written");
  CHECK(slurp(d / "s.csv") == old_text);
  CHECK_FALSE(fs::exists(d / "t.csv"));
  CHECK(temporaries(d) == 0);
}

TEST_CASE("hostile numbers: far coordinates in every reader and command, finite blow-ups, each refused whole") {
  const fs::path d = fresh("hostile_numbers");
  const std::string out = (d / "never.csv").string();
  // Several far coordinates, both signs and both columns, in the commands that read data.
  struct Far {
    std::string row, needle;
  };
  const Far far[] = {{"1e300,0", "column 1: '1e300'"},
                     {"0,-1e7", "column 2: '-1e7'"},
                     {"-1000000.5,3", "column 1: '-1000000.5'"},
                     {"1.7976931348623157e308,1", "column 1"}};
  int k = 0;
  for (const Far& f : far) {
    char name[32];
    std::snprintf(name, sizeof name, "far%d.csv", k++);
    const fs::path csv = d / name;
    std::ofstream(csv) << "x,y\n0.5,0.5\n" << f.row << "\n-0.5,0.25\n";
    const std::string where = csv.filename().string() + ":3: coordinate beyond ±1e6 in " + f.needle;
    // Every instance through w2; the other readers' commands take two of them each (each
    // run costs a program start, seconds under ASan, and the reader is the same).
    expect_usage_error("w2 " + csv.string() + " " + kData + "/good_tab.tsv", where);
    if (k % 2 == 1)
      expect_usage_error("sample --data-file " + csv.string() + " --n 10 --steps 10 --out " + out, where, out);
    else
      expect_usage_error("sweep --data-file " + csv.string() + " --eval-file " + csv.string() +
                             " --h 0 --n 10 --steps 10 --trials 1 --out " + out,
                         where, out);
    if (k <= 2)
      expect_usage_error("nll --data-file " + csv.string() + " --eval-file " + kData + "/good_tab.tsv --n 4", where);
  }
  // The edge itself is data: ±1e6 exactly is read (and the exact W2 of it is finite).
  const fs::path edge = d / "edge.csv";
  std::ofstream(edge) << "x,y\n1e6,-1e6\n-1e6,1e6\n0,0\n";
  const Run w = cli("w2 " + edge.string() + " " + kData + "/good_tab.tsv --json");
  REQUIRE(w.status == 0);
  CHECK(std::isfinite(w.j()["w2"].get<double>()));
  // Finite blow-ups: steps too large for h and the bias, several ways; exit 2, the cause,
  // a step count, nothing written.
  // (Small runs: under ASan a run of a second would add a progress line to stderr.)
  const std::string blowups[] = {
      "sample --data gauss25 --h 10 --bias 10 --n 60 --out " + out,
      "sample --data swissroll --data-n 300 --h 10 --bias 3 --n 60 --steps 300 --out " + out,
      "sample --data swissroll --data-n 300 --h 6 --bias 4 --n 60 --steps 200 --trajectories " + out,
      "sweep --data gauss25 --h 10 --bias 10 --n 60 --trials 1 --out " + out,
  };
  for (const std::string& args : blowups) {
    expect_usage_error(args, "the dynamics diverged, the steps are too large", out);
    const Run r = cli(args);
    CHECK(r.err.find("so take --steps ") != std::string::npos);
  }
  for (const auto& e : fs::directory_iterator(d)) CHECK(e.path().extension() == ".csv");
  CHECK_FALSE(fs::exists(out));
}
