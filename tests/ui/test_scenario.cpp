#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "scenario.hpp"
#include "task.hpp"

using namespace hbar::app;

namespace {
// A host without a controller: commands apply to its state at once (as the
// controller's frame would), exports and screenshots are recorded.
struct FakeHost : ScriptHost, CommandSink {
  UiState state;
  std::vector<std::string> reports, shots, exports, tasks;
  bool is_idle = false, quitted = false;
  UiState& ui() override { return state; }
  void report(const std::string& m) override {
    reports.push_back(m);
    state.status.errors.push_back(m);  // as the controller keeps every error
  }
  bool idle() override { return is_idle; }
  void start_task(TaskKind k) override { tasks.push_back(std::string("start ") + task_name(k)); }
  void cancel_task(TaskKind k) override { tasks.push_back(std::string("cancel ") + task_name(k)); }
  void pause_training(bool p) override { tasks.push_back(p ? "pause" : "resume"); }
  std::string export_file(const std::string& k, const std::string& p) override {
    if (k == "heatmap") throw std::runtime_error("no heat map on screen");
    exports.push_back(k + " " + p);
    return p;
  }
  std::string save_session(const std::string& p) override { return p; }
  void load_session(const std::string&) override {}
  void recover(bool r) override { tasks.push_back(r ? "restore" : "discard"); }
  void offer_recovery() override { tasks.push_back("offer"); }
  std::shared_ptr<const hbar::Points> data_points() const override { return nullptr; }
  void export_animation(const std::string& p, const std::string& k, int frames, int fps) override {
    exports.push_back("animation " + p + " " + k + " " + std::to_string(frames) + " " + std::to_string(fps));
  }
  void host_command(const HostRequest& r) override {
    if (r.kind == HostRequest::Kind::kScreenshot) shots.push_back(r.path);
    if (r.kind == HostRequest::Kind::kQuit) quitted = true;
    if (r.kind == HostRequest::Kind::kTourStart) tasks.push_back("tour start");
    if (r.kind == HostRequest::Kind::kRecordStart) tasks.push_back("record " + r.path + " " + std::to_string(r.fps));
    if (r.kind == HostRequest::Kind::kRecordStop) tasks.push_back("record stop");
  }
  // One frame: the script queues its lines, then they are applied in order.
  void step(Scenario& s) {
    s.step(*this);
    while (auto c = state.commands.pop()) {
      const std::string err = apply_command(state, *this, *c);
      if (!err.empty()) report(c->origin + ": " + err);
    }
  }
};
}  // namespace

TEST_CASE("script: commands, waits, errors with line numbers") {
  const char* text =
      "# a scenario\n"
      "set data-n 300\n"
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
      "load bad.csv\n"
      "quit\n";
  Scenario s(text, "demo.hbs");
  FakeHost host;
  host.step(s);  // frame 1: up to "wait 2"
  CHECK(host.state.settings.scene.data_n == 300);
  CHECK(host.state.settings.h == 0.25);
  REQUIRE(host.reports.size() == 1);
  CHECK(host.reports[0] == "script demo.hbs:4: unknown command 'frobnicate'");
  CHECK(host.state.settings.scene.schedule == "simple");
  host.step(s);  // frame 2: waiting
  CHECK(host.state.settings.scene.schedule == "simple");
  host.step(s);  // frame 3: schedule, data, screenshot (then yields a frame)
  CHECK(host.state.settings.scene.schedule == "cosine");
  CHECK(host.state.settings.scene.data == "gauss25");
  CHECK(host.shots == std::vector<std::string>{"a.png"});
  CHECK(host.reports.size() == 1);
  host.step(s);  // frame 4: set h -1 (error), exports, then wait idle
  REQUIRE(host.reports.size() == 3);
  CHECK(host.reports[1] == "script demo.hbs:9: h must be a number in [0, 10], got '-1'");
  CHECK(host.reports[2] == "script demo.hbs:11: export failed: no heat map on screen");
  CHECK(host.exports == std::vector<std::string>{"samples s.csv"});
  CHECK(host.state.settings.h == 0.25);
  host.step(s);
  host.step(s);
  CHECK_FALSE(host.quitted);  // not idle yet
  host.is_idle = true;
  host.step(s);
  CHECK_FALSE(host.quitted);  // idle for one frame only
  host.step(s);  // idle twice: set heat, load (which holds until its file is read or refused)
  CHECK_FALSE(host.quitted);
  CHECK(host.state.settings.heat == HeatKind::kLogDensity);
  CHECK(host.state.settings.scene.data_file == "bad.csv");
  host.step(s);
  host.step(s);
  CHECK(host.quitted);
  CHECK(s.finished());
  // The summary lists every failed line once more.
  s.collect(host);
  CHECK(s.summary() ==
        "script demo.hbs: 3 failures\n"
        "  script demo.hbs:4: unknown command 'frobnicate'\n"
        "  script demo.hbs:9: h must be a number in [0, 10], got '-1'\n"
        "  script demo.hbs:11: export failed: no heat map on screen");
}

TEST_CASE("script: every failed load is said at its own line, and all are listed at the end") {
  Scenario s("load a.csv\nload b.csv\nset h 0.5\nload c.csv\nquit\n", "loads.hbs");
  FakeHost host;
  host.is_idle = false;
  for (const char* file : {"a.csv", "b.csv", "c.csv"}) {
    host.step(s);  // the load's line, then it waits while the file is read …
    CHECK(host.state.settings.scene.data_file == file);
    host.report(std::string("Load failed: ") + file + ":3: not a number in column 2");  // … and refused
    host.is_idle = true;
    host.step(s);
    host.step(s);
    host.is_idle = false;
  }
  host.is_idle = true;
  host.step(s);
  host.step(s);
  CHECK(host.quitted);
  s.collect(host);
  CHECK(s.summary() ==
        "script loads.hbs: 3 failures\n"
        "  script loads.hbs:1: Load failed: a.csv:3: not a number in column 2\n"
        "  script loads.hbs:2: Load failed: b.csv:3: not a number in column 2\n"
        "  script loads.hbs:4: Load failed: c.csv:3: not a number in column 2");
}

TEST_CASE("script: wait nll holds until the likelihood plot is complete, and the new heat maps") {
  Scenario s("wait nll\nset heat wkbc\nset heat logq0\nset heat bogus\nquit\n", "nll.hbs");
  FakeHost host;
  TaskStatus& nll = host.state.status.task(TaskKind::kNll);
  nll.running = true;
  nll.pending = true;
  host.step(s);
  host.step(s);
  CHECK(host.state.settings.heat == HeatKind::kNone);  // still waiting
  nll.running = false;
  host.state.status.nll.has_exact = true;  // an earlier scene's plot: not enough
  host.step(s);
  CHECK(host.state.settings.heat == HeatKind::kNone);
  nll.pending = false;   // this scene's job has run
  host.step(s);
  CHECK(host.state.settings.heat == HeatKind::kLogQ0);
  REQUIRE(host.reports.size() == 1);
  CHECK(host.reports[0] == "script nll.hbs:4: heat is none, path, endpoint, density, logq0 or wkbc");
  CHECK(host.quitted);
}

TEST_CASE("script: only a valid quit ends it (found by the monkey: 'quit now' stopped the script there)") {
  Scenario s("quit now\nset h 0.5\nquit\nset h 0.7\n", "q.hbs");
  FakeHost host;
  for (int i = 0; i < 5 && !s.finished(); ++i) host.step(s);
  CHECK(s.finished());
  CHECK(host.state.settings.h == 0.5);  // the line after "quit now" ran, the one after quit did not
  CHECK(host.quitted);
}

TEST_CASE("script: train, wait train, score and model settings") {
  Scenario s(
      "set data moons\n"
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
  host.step(s);
  REQUIRE(host.reports.size() == 3);
  // moons has no paper network (swissroll and gauss25 do: paper_models.hpp)
  CHECK(host.reports[0] ==
        "script train.hbs:2: no model yet (train N, or set model F.hbm, or model paper for swissroll and gauss25)");
  CHECK(host.reports[1] == "script train.hbs:4: train-depth must be 1 … 16, got '0'");
  CHECK(host.reports[2] == "script train.hbs:5: train takes a number of Adam steps > 0 (at most 10000000)");
  CHECK(host.state.settings.train_width == 32);
  CHECK(host.state.settings.train_depth == 3);
  CHECK(host.state.settings.train_steps == 500);
  CHECK(host.tasks == std::vector<std::string>{"start training"});
  CHECK_FALSE(host.state.settings.scene.learned);
  // Waits while the request is pending, while the run goes, and until its status says it ended.
  host.step(s);
  TaskStatus& train = host.state.status.task(TaskKind::kTrain);
  train.running = true;
  host.state.status.train.outcome = "step 100/500";
  host.step(s);
  train.running = false;
  host.step(s);  // stopped, but the final update has not arrived
  CHECK_FALSE(host.state.settings.scene.learned);
  host.state.status.train.outcome = "done: exports/m.hbm";
  host.state.push({"set", "model", "exports/m.hbm"}, "training");  // as the controller does
  host.step(s);
  CHECK(host.quitted);
  // learned → biased (the exact score's) → learned with the model named last.
  CHECK(host.state.settings.scene.learned);
  CHECK_FALSE(host.state.settings.scene.biased);
  CHECK(host.state.settings.scene.model_path == "other.hbm");
  CHECK(host.state.settings.compare);
  REQUIRE(host.reports.size() == 5);
  CHECK(host.reports[3] == "script train.hbs:12: score is exact, biased or learned, got 'magic'");
  CHECK(host.reports[4] == "script train.hbs:14: compare is on or off, got 'maybe'");
}

TEST_CASE("script: a tour's captions, wait key, tour next, wait tour and --tour-seconds") {
  // The tour (as assets/tour.hbs): a caption, a step, a pause for the key.
  Scenario tour("caption 1/2  first words\nset h 0.5\nwait key\ncaption 2/2 second\nset h 1\nwait key\ncaption\n", "tour.hbs");
  // The driver (as readme_tour.hbs): waits for each pause, then goes on.
  Scenario driver("tour start\nwait tour\nscreenshot one.png\ntour next\nwait tour\nscreenshot two.png\n", "drive.hbs");
  FakeHost host;
  Tour& t = host.state.tour;
  t.running = true;
  std::vector<std::string> captions_at_shots;
  for (int frame = 0; frame < 40 && !(tour.finished() && driver.finished()); ++frame) {
    const std::size_t shots = host.shots.size();
    host.step(driver);
    if (host.shots.size() > shots) captions_at_shots.push_back(t.caption);
    host.step(tour);
  }
  CHECK(host.reports.empty());
  CHECK(host.tasks.front() == "tour start");
  // Each screenshot was taken while its step waited, with that step's words and settings.
  REQUIRE(captions_at_shots.size() == 2);
  CHECK(captions_at_shots[0] == "1/2 first words");  // words re-joined by one space
  CHECK(captions_at_shots[1] == "2/2 second");
  CHECK(host.state.settings.h == 1.0);
  CHECK(t.waiting);  // the tour's last pause holds: nobody pressed the key
  CHECK_FALSE(tour.finished());

  // `tour next` only while a pause holds; a caption's length is bounded.
  FakeHost idle;
  CHECK(apply_command(idle.state, idle, Command{{"tour", "next"}, "key"}) == "tour next: nothing waits for a key");
  CHECK(apply_command(idle.state, idle, Command{{"tour", "go"}, "key"}) == "'tour' takes start, next or stop");
  CHECK(apply_command(idle.state, idle, Command{{"caption", std::string(kMaxCaption + 1, 'x')}, "t"}).rfind("caption: at most", 0) == 0);
  CHECK(apply_command(idle.state, idle, Command{{"record", "r.gif", "0"}, "t"}) ==
        "record: FPS must be a whole number in [1, 60], got '0'");
  CHECK(apply_command(idle.state, idle, Command{{"record", "r.gif", "12"}, "t"}).empty());
  CHECK(apply_command(idle.state, idle, Command{{"record", "stop"}, "t"}).empty());
  CHECK(idle.tasks == std::vector<std::string>{"record r.gif 12", "record stop"});
  CHECK(script_step(Command{{"wait", "keys"}, "t"}).error ==
        "wait takes a number of frames, Ns (seconds), 'idle', 'sweep', 'nll', 'plots', 'train', 'key' or 'tour'");

  // --tour-seconds 1: a pause also ends by itself after a second.
  Scenario timed("caption a\nwait key\ncaption b\n", "timed.hbs");
  FakeHost auto_host;
  auto_host.state.tour.auto_seconds = 1;
  auto_host.step(timed);
  CHECK(auto_host.state.tour.caption == "a");
  const auto start = std::chrono::steady_clock::now();
  while (!timed.finished() && std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    auto_host.step(timed);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(auto_host.state.tour.caption == "b");
  CHECK(waited >= 0.9);  // not before its second (an upper bound would be a timed assertion)
}
