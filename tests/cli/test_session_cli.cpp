// hbar-cli --session replays the app: the app (its controller, headless) saves a
// session and exports its samples; hbar-cli sample --session writes the same bytes,
// and hbar-cli sweep --session gives the app's W2(h) curve number for number.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "controller.hpp"
#include "session.hpp"
#include "setting_table.hpp"
#include "frames.hpp"

namespace fs = std::filesystem;
using namespace hbar::app;

using test::frames_until;
using test::seconds;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Run {
  int status = -1;
  std::string out, err;
};

Run cli(const fs::path& dir, const std::string& args) {
  const auto out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string cmd = std::string("'") + HBAR_CLI + "' " + args + " > '" + out.string() + "' 2> '" + err.string() +
                          "' < /dev/null";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

// The app, headless: settings by commands, then until the full run and the sweep are in.
void run_app(Controller& c, UiState& ui, const std::vector<std::string>& lines) {
  for (const auto& l : lines) ui.commands.push(Command::parse(l, "test"));
  int streak = 0;
  REQUIRE(frames_until(c, [&] {
    streak = c.idle() ? streak + 1 : 0;
    return streak >= 2 && ui.status.sweep.size() == SweepTask::kH && !ui.status.task(TaskKind::kSweep).running;
  }, 300));
  REQUIRE(ui.status.last_error.empty());
}
}  // namespace

TEST_CASE("sample --session writes the app's samples bit for bit, and sweep --session is the app's curve") {
  const fs::path dir = fs::temp_directory_path() / ("hbar_session_cli_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Two sessions: a built-in set with the biased score, and a file's data (replayed from
  // the embedded points after the file is gone).
  const fs::path file = dir / "ring.csv";
  {
    std::ofstream f(file);
    f << "x,y\n";
    for (int i = 0; i < 60; ++i) f << std::cos(i * 0.1047) * 1.5 << ',' << std::sin(i * 0.1047) * 1.5 << '\n';
  }
  const std::vector<std::vector<std::string>> cases = {
      {"data gauss25", "set data-n 300", "set data-seed 4", "set seed 9", "set score biased", "set bias 0.15",
       "set particles 150", "set steps 80", "set h 0.35"},
      {"load " + file.string(), "set schedule COSINE", "set particles 120", "set steps 60", "set h 1"},
      // Noise schedules h(t): a window, and knots (their top is the session's h).
      {"data moons", "set data-n 300", "set particles 150", "set steps 80", "set h 0.6", "set h-window 0.1 0.45"},
      {"data moons", "set data-n 300", "set particles 150", "set steps 80", "set h 0.3",
       "set h-knots 0.01:0,0.3:2,0.7:0.5"},
  };
  for (std::size_t k = 0; k < cases.size(); ++k) {
    UiState ui;
    Controller c(ui);
    run_app(c, ui, cases[k]);
    const fs::path session = dir / ("session" + std::to_string(k) + ".json"), app_samples = dir / "app.csv";
    ui.push({"session", "save", session.string()}, "test");
    ui.push({"export", "samples", app_samples.string()}, "test");
    c.frame(seconds(), 0);
    test::drain(c);
    REQUIRE(ui.status.last_error.empty());
    if (k == 1) fs::remove(file);

    const Run r = cli(dir, "sample --session '" + session.string() + "' --out '" + (dir / "cli.csv").string() + "' --json");
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(slurp(dir / "cli.csv") == slurp(app_samples));
    // An option beside --session wins.
    const Run r2 = cli(dir, "sample --session '" + session.string() + "' --h 0.05 --json");
    REQUIRE(r2.status == 0);
    CHECK(nlohmann::json::parse(r2.out)["h"] == 0.05);  // with knots: --h is their new top

    const Run s = cli(dir, "sweep --session '" + session.string() + "' --h 0:1:11 --trials 3 --json");
    REQUIRE_MESSAGE(s.status == 0, s.err);
    const auto rows = nlohmann::json::parse(s.out)["rows"];
    REQUIRE(rows.size() == ui.status.sweep.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i]["h"].get<double>() == ui.status.sweep[i].h);
      CHECK(rows[i]["w2_mean"].get<double>() == ui.status.sweep[i].exact_mean);
      CHECK(rows[i]["w2_sem"].get<double>() == ui.status.sweep[i].exact_err);
    }
  }

  // Bad sessions: status 2, one line naming the file and the key.
  std::ofstream(dir / "bad.json") << R"({"hbar_session": 1, "settings": {"h": 1e308}})";
  const Run b = cli(dir, "sample --session '" + (dir / "bad.json").string() + "' --out '" + (dir / "x.csv").string() + "'");
  CHECK(b.status == 2);
  CHECK(b.err == "hbar-cli sample: " + (dir / "bad.json").string() +
                     ": settings.h: h must be a number in [0, 10], got '1e+308'\n");
  CHECK_FALSE(fs::exists(dir / "x.csv"));
  const Run m = cli(dir, "sweep --session '" + (dir / "missing.json").string() + "'");
  CHECK(m.status == 2);
  CHECK(m.err == "hbar-cli sweep: " + (dir / "missing.json").string() + ": no such file\n");
  fs::remove_all(dir);
}

TEST_CASE("one number syntax: the CLI, a script's set and a session file accept and refuse the same strings") {
  const fs::path dir = fs::temp_directory_path() / ("hbar_number_syntax_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // h in [0, 10]: every string below is in range when it is a number at all.
  const char* texts[] = {"0.5", "-0", "1e-400", "1e-320", "2.5E0", "0.25e+1", "+0.5", "0x1p-1", ".5",
                         "5.",  "05", "inf",    "nan",    "1e400", "0.5f",    "1e",      "0.5.1"};
  int accepted = 0;
  for (const char* t : texts) {
    CAPTURE(t);
    const Run r = cli(dir, std::string("sample --data gaussian --n 4 --steps 60 --h '") + t + "' --json");
    const bool by_cli = r.status == 0;
    Settings s;
    View v;
    const bool by_script = set_setting(s, v, "h", t).empty();
    bool by_session = true;
    try {
      const std::string text = std::string(R"({"hbar_session": )") + std::to_string(kSessionVersion) +
                               R"(, "settings": {"h": )" + t + "}}";
      parse_session(text, "s.json");
    } catch (const std::exception&) {
      by_session = false;
    }
    CHECK(by_cli == by_script);
    CHECK(by_session == by_script);
    accepted += by_script;
  }
  CHECK(accepted == 6);  // 0.5, -0, 1e-400, 1e-320, 2.5E0, 0.25e+1
  fs::remove_all(dir);
}

// The hostile sessions of issue 26, several instances per class: the app's reader and
// `hbar-cli --session` refuse (or accept) the same file, naming the file and the key.
TEST_CASE("hostile sessions: duplicate keys, whole numbers in any spelling, control bytes in messages") {
  const fs::path dir = fs::temp_directory_path() / ("hbar_hostile_sessions_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string head = R"({"hbar_session": )" + std::to_string(kSessionVersion);
  struct Case {
    std::string body;  // after the version
    std::string key;   // named in the refusal ("" when accepted)
    std::string why;
  };
  const Case cases[] = {
      // A key twice, in every object and order: refused by its path.
      {R"(, "settings": {"h": 0.5, "h": 1})", "settings.h", "given twice"},
      {R"(, "settings": {"h": 1, "particles": 50, "h": 0.5})", "settings.h", "given twice"},
      {R"(, "view": {"frame": 3}, "view": {"frame": 4})", "view", "given twice"},
      {R"(, "hbar_session": 9)", "hbar_session", "given twice"},
      {R"(, "settings": {"steps": 20, "data": "moons", "data": "gauss25"})", "settings.data", "given twice"},
      // Not a whole number: refused; a NUL or an escape in a string: spelled out, never cut.
      {R"(, "settings": {"particles": 100.5})", "settings.particles", "expected a whole number, got 100.5"},
      {R"(, "settings": {"data": "moo\u0000ns"})", "settings.data", "moo\\0ns"},
      {R"(, "settings": {"data": "x\u001b[31my"})", "settings.data", "x\\x1b[31my"},
      // A whole number in any exact spelling: accepted as 100.
      {R"(, "settings": {"particles": 1e2, "steps": 20})", "", ""},
      {R"(, "settings": {"particles": 100.0, "steps": 2.0e1})", "", ""},
      {R"(, "settings": {"particles": 1.00e+2, "steps": 20})", "", ""},
  };
  int k = 0;
  for (const Case& c : cases) {
    char name[32];
    std::snprintf(name, sizeof name, "s%d.json", k++);
    const fs::path f = dir / name;
    std::ofstream(f) << head << c.body << "}\n";
    CAPTURE(c.body);
    std::string app_error;
    Session s;
    try {
      s = load_session(f.string());
    } catch (const SessionError& e) {
      app_error = e.what();
    }
    const Run r = cli(dir, "sample --session '" + f.string() + "' --n 100 --steps 20 --json");
    if (c.key.empty()) {
      CHECK(app_error.empty());
      CHECK(s.settings.scene.particles == 100);
      CHECK(r.status == 0);
      continue;
    }
    std::string where = f.string();  // "F.json: settings.h: "
    where.append(": ").append(c.key).append(": ");
    CHECK(app_error.rfind(where, 0) == 0);
    CHECK(app_error.find(c.why) != std::string::npos);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(where) != std::string::npos);
    CHECK(r.err.find(c.why) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find('\x1b') == std::string::npos);
  }
  fs::remove_all(dir);
}
