#include <doctest/doctest.h>

#include <vector>

#include "scenario.hpp"

using namespace hbar::app;

namespace {
struct FakeHost : ScriptHost {
  UiState state;
  std::vector<std::string> reports, shots, exports;
  bool is_idle = false, quitted = false;
  UiState& ui() override { return state; }
  void report(const std::string& m) override { reports.push_back(m); }
  bool idle() override { return is_idle; }
  void screenshot(const std::string& p) override { shots.push_back(p); }
  void export_file(const std::string& k, const std::string& p) override {
    if (k == "heatmap") throw std::runtime_error("no heat map on screen");
    exports.push_back(k + " " + p);
  }
  void write_layout(const std::string&) override {}
  void write_stats(const std::string&) override {}
  void quit() override { quitted = true; }
};
}  // namespace

TEST_CASE("script: commands, waits, errors with line numbers") {
  const char* text =
      "# a scenario\n"
      "load bad.csv\n"
      "set h 0.25\n"
      "frobnicate 3\n"
      "wait 2\n"
      "set schedule cosine\n"
      "data gauss25\n"
      "screenshot a.png\n"
      "set h -1\n"
      "export samples s.csv\n"
      "export heatmap m.csv\n"
      "wait idle\n"
      "set heat density\n"
      "quit\n";
  Scenario s(text, "demo.hbs");
  FakeHost host;
  s.step(host);  // frame 1: up to "wait 2"
  CHECK(host.state.req_load);
  CHECK(std::string(host.state.data_path) == "bad.csv");
  CHECK(host.state.h == 0.25);
  REQUIRE(host.reports.size() == 1);
  CHECK(host.reports[0] == "script demo.hbs:4: unknown command 'frobnicate'");
  CHECK(host.state.settings.schedule == "simple");
  s.step(host);  // frame 2: waiting
  CHECK(host.state.settings.schedule == "simple");
  s.step(host);  // frame 3: schedule, data, screenshot (then yields a frame)
  CHECK(host.state.settings.schedule == "cosine");
  CHECK(host.state.settings.data == "gauss25");
  CHECK(host.shots == std::vector<std::string>{"a.png"});
  CHECK(host.reports.size() == 1);
  s.step(host);  // frame 4: set h -1 (error), exports, then wait idle
  REQUIRE(host.reports.size() == 3);
  CHECK(host.reports[1] == "script demo.hbs:9: h must be a number >= 0, got '-1'");
  CHECK(host.reports[2] == "script demo.hbs:11: export failed: no heat map on screen");
  CHECK(host.exports == std::vector<std::string>{"samples s.csv"});
  CHECK(host.state.h == 0.25);
  s.step(host);
  s.step(host);
  CHECK_FALSE(host.quitted);  // not idle yet
  host.is_idle = true;
  s.step(host);
  CHECK_FALSE(host.quitted);  // idle for one frame only
  s.step(host);
  CHECK(host.quitted);
  CHECK(host.state.heat == HeatKind::kLogDensity);
  CHECK(s.finished());
}

TEST_CASE("script: wait nll holds until the likelihood plot is complete, and the new heat maps") {
  Scenario s("wait nll\nset heat wkbc\nset heat logq0\nset heat bogus\nquit\n", "nll.hbs");
  FakeHost host;
  host.state.nll_running = true;
  s.step(host);
  s.step(host);
  CHECK(host.state.heat == HeatKind::kNone);  // still waiting
  host.state.nll_running = false;
  host.state.nll.has_exact = true;  // an earlier scene's plot: not enough
  s.step(host);
  CHECK(host.state.heat == HeatKind::kNone);
  host.state.nll_pending = false;   // this scene's job has run
  s.step(host);
  CHECK(host.state.heat == HeatKind::kLogQ0);
  REQUIRE(host.reports.size() == 1);
  CHECK(host.reports[0] == "script nll.hbs:4: heat is none, path, endpoint, density, logq0 or wkbc");
  CHECK(host.quitted);
}

TEST_CASE("script: train, wait train, score and model settings") {
  Scenario s(
      "set score learned\n"
      "set train-width 32\n"
      "set train-depth 0\n"
      "train 0\n"
      "train 500\n"
      "wait train\n"
      "set score learned\n"
      "set score biased\n"
      "set model other.hbm\n"
      "set score learned\n"
      "set score magic\n"
      "set compare on\n"
      "set compare maybe\n"
      "quit\n",
      "train.hbs");
  FakeHost host;
  s.step(host);
  REQUIRE(host.reports.size() == 3);
  CHECK(host.reports[0] == "script train.hbs:1: no model yet (train N, or set model F.hbm)");
  CHECK(host.reports[1] == "script train.hbs:3: train-depth must be > 0");
  CHECK(host.reports[2] == "script train.hbs:4: train takes a number of Adam steps > 0");
  CHECK(host.state.train_width == 32);
  CHECK(host.state.train_depth == 3);
  CHECK(host.state.train_steps == 500);
  CHECK(host.state.req_train);
  CHECK_FALSE(host.state.settings.learned);
  // Waits while the request is pending, while the run goes, and until its status says it ended.
  s.step(host);
  host.state.req_train = false;
  host.state.train_running = true;
  host.state.train_status = "step 100/500";
  s.step(host);
  host.state.train_running = false;
  s.step(host);  // stopped, but the final update has not arrived
  CHECK_FALSE(host.state.settings.learned);
  host.state.train_status = "done: exports/m.hbm";
  std::snprintf(host.state.model_path_edit, sizeof host.state.model_path_edit, "exports/m.hbm");
  s.step(host);
  CHECK(host.quitted);
  // learned → biased (the exact score's) → learned with the model named last.
  CHECK(host.state.settings.learned);
  CHECK_FALSE(host.state.settings.biased);
  CHECK(host.state.settings.model_path == "other.hbm");
  CHECK(host.state.compare_exact);
  REQUIRE(host.reports.size() == 5);
  CHECK(host.reports[3] == "script train.hbs:11: score is exact, biased or learned");
  CHECK(host.reports[4] == "script train.hbs:13: compare is on or off");
}
