// Every action is a command: each kind goes through the queue and does what it says;
// the setting table refuses out-of-range values and changes nothing; sessions round-trip
// and refuse bad files naming the key; a failure in any task reaches the status line.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "controller.hpp"
#include "tasks/autosave_feature.hpp"
#include "frames.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/transport/sweep.hpp"
#include "paper_models.hpp"
#include "ranges.hpp"
#include "session.hpp"
#include "setting_table.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;

using test::frames_until;
using test::seconds;

using test::run;
using test::scratch;
using test::settle;
using test::slurp;
using test::small;

TEST_CASE("the setting table: every key reads back what it was set to, and refuses out of range") {
  Settings s;
  View v;
  s.scene.model_path = "m.hbm";  // so that `score learned` is allowed
  for (const SettingInfo& info : setting_table()) {
    const std::string before = get_setting(s, v, info.key);
    CHECK_MESSAGE(set_setting(s, v, info.key, before).empty(), info.key);
    CHECK(get_setting(s, v, info.key) == before);
  }
  // h: finite and in [0, 10]; a refused value changes nothing.
  s.h = 0.25;
  for (const char* bad : {"-1", "10.5", "1e308", "nan", "inf", "0.1x", ""}) {
    const std::string err = set_setting(s, v, "h", bad);
    CHECK(err == std::string("h must be a number in [0, 10], got '") + bad + "'");
    CHECK(s.h == 0.25);
  }
  CHECK(set_setting(s, v, "h", "10").empty());
  CHECK(s.h == 10);
  // Numbers round-trip bit for bit through their text.
  CHECK(set_setting(s, v, "h", format_number(0.1 + 0.2)).empty());
  CHECK(s.h == 0.1 + 0.2);
  // Counts and their product.
  CHECK(set_setting(s, v, "particles", "0") == "particles must be 1 … 20000, got '0'");
  CHECK(set_setting(s, v, "steps", "5001") == "steps must be 1 … 5000, got '5001'");
  CHECK(set_setting(s, v, "steps", "5000").empty());
  CHECK(set_setting(s, v, "particles", "20000").empty() == false);  // 20000 × 5000 > 2e7
  CHECK(s.scene.particles == 2000);
  // Names are case-insensitive where core's are.
  CHECK(set_setting(s, v, "schedule", "COSINE").empty());
  CHECK(s.scene.schedule == "cosine");
  CHECK(set_setting(s, v, "nope", "1") == "unknown setting 'nope'");
}

TEST_CASE("every command kind goes through the queue") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const fs::path dir = scratch("hbar_ui_commands");
  CHECK(run(c, ui, "set export-dir " + dir.string()).empty());
  CHECK(ui.view.export_dir == dir.string());

  // set: settings and view.
  CHECK(run(c, ui, "set h 0.5").empty());
  CHECK(ui.settings.h == 0.5);
  CHECK(run(c, ui, "set h 1e308") == "test: h must be a number in [0, 10], got '1e308'");
  CHECK(ui.settings.h == 0.5);
  CHECK(run(c, ui, "set lines 12").empty());
  CHECK(ui.view.lines == 12);
  CHECK(run(c, ui, "set frame 7").empty());
  CHECK(ui.view.frame == 7);
  CHECK_FALSE(ui.view.playing);
  // data / load (a bad file is refused by the scene build and the data stays).
  CHECK(run(c, ui, "data gauss25").empty());
  CHECK(ui.settings.scene.data == "gauss25");
  CHECK(run(c, ui, "data nope").find("unknown data set 'nope'") != std::string::npos);
  settle(c);
  CHECK(ui.status.scene_label == "gauss25_simple");
  run(c, ui, "load " HBAR_TEST_DATA "/bad_tail.csv");
  settle(c);
  CHECK(ui.status.load_error.find("bad_tail.csv:2") != std::string::npos);
  CHECK(ui.status.scene_label == "gauss25_simple");
  // playback and view.
  const bool playing = ui.view.playing;
  CHECK(run(c, ui, "playback toggle").empty());
  CHECK(ui.view.playing != playing);
  ui.view.cam_scale = 0.5;
  CHECK(run(c, ui, "view reset").empty());
  CHECK(ui.view.cam_scale == 0);
  // tasks: run, cancel, train, pause, resume.
  CHECK(run(c, ui, "run sweep").empty());
  CHECK(ui.status.task(TaskKind::kSweep).running);
  CHECK(run(c, ui, "cancel sweep").empty());
  REQUIRE(frames_until(c, [&] { return !ui.status.task(TaskKind::kSweep).running; }));
  CHECK(run(c, ui, "run nll").empty());
  CHECK(run(c, ui, "cancel nll").empty());
  CHECK(run(c, ui, "run train") == "test: 'run' takes sweep or nll");
  CHECK(run(c, ui, "set train-width 8").empty());
  CHECK(run(c, ui, "train 100000").empty());
  REQUIRE(frames_until(c, [&] { return ui.status.task(TaskKind::kTrain).running; }));
  CHECK(run(c, ui, "pause train").empty());
  CHECK(ui.status.train.paused);
  CHECK(run(c, ui, "resume train").empty());
  CHECK_FALSE(ui.status.train.paused);
  CHECK(run(c, ui, "cancel train").empty());
  REQUIRE(frames_until(c, [&] { return ui.status.train.outcome == "cancelled"; }));
  // exports and sessions.
  settle(c);
  for (const char* kind : {"samples", "trajectories", "curves"}) {
    CHECK(run(c, ui, std::string("export ") + kind).empty());
    CHECK(fs::exists(dir / ("gauss25_simple_h0.50_" + std::string(kind) + ".csv")));
  }
  CHECK(run(c, ui, "export heatmap") == "test: export failed: no heat map on screen");
  CHECK(run(c, ui, "session save").empty());
  CHECK(fs::exists(dir / "gauss25_simple_h0.50_session.json"));
  CHECK(run(c, ui, "session load " + (dir / "gauss25_simple_h0.50_session.json").string()).empty());
  // The window's commands need a window.
  CHECK(run(c, ui, "screenshot x.png") == "test: screenshot failed: there is no window here");
  CHECK(run(c, ui, "quit") == "test: quit failed: there is no window here");
  CHECK(run(c, ui, "frobnicate") == "test: unknown command 'frobnicate'");
  // The curves CSV names its series by stable ids.
  const std::string curves = slurp(dir / "gauss25_simple_h0.50_curves.csv");
  CHECK(curves.rfind("series,x,y,err\n", 0) == 0);
  CHECK(curves.find("\ntoy_nll,") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("sessions: save, load, save gives the same file, and the app follows the loaded settings") {
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const fs::path dir = scratch("hbar_ui_sessions");
  run(c, ui, "load " HBAR_TEST_DATA "/good_semicolon.csv");
  run(c, ui, "set h 0.3");
  run(c, ui, "set theme light");
  run(c, ui, "set heat endpoint");
  settle(c);
  run(c, ui, "set frame 40");
  REQUIRE(ui.status.scene_label == "good_semicolon_simple");
  CHECK(run(c, ui, "session save " + (dir / "a.json").string()).empty());

  UiState ui2;
  Controller c2(ui2);
  CHECK(run(c2, ui2, "session load " + (dir / "a.json").string()).empty());
  settle(c2);
  // The same settings, the file's points now embedded.
  Settings expected = ui.settings;
  REQUIRE(ui2.settings.scene.points);
  expected.scene.points = ui2.settings.scene.points;
  CHECK(ui2.settings == expected);
  CHECK(ui2.view.light_theme);
  CHECK(ui2.view.frame == 40);  // the view replays too: not reset by the new scene
  CHECK_FALSE(ui2.view.playing);
  CHECK(ui2.status.scene_label == "good_semicolon_simple");
  // The data came from the session's points: the same as the file's.
  CHECK(c2.scene()->data == c.scene()->data);
  CHECK(c2.run().result->samples == c.run().result->samples);
  CHECK(run(c2, ui2, "session save " + (dir / "b.json").string()).empty());
  CHECK(slurp(dir / "a.json") == slurp(dir / "b.json"));
  fs::remove_all(dir);
}

TEST_CASE("bad sessions are refused naming the file, the key and the reason, and nothing changes") {
  const fs::path dir = scratch("hbar_ui_bad_sessions");
  struct Bad {
    const char* name;
    std::string text;
    std::string says;
  };
  const std::string good_settings = R"("settings": {"h": 0.25, "particles": 100})";
  const std::vector<Bad> bad = {
      {"not_json.json", "{ h: 1", "not JSON"},
      // Found by fuzz_session: a number beyond double was an uncaught out_of_range.
      {"number_overflow.json", R"({"hbar_session": 1, "settings": {"h": 0.7e000000000000000002821869521576723540}})",
       "not JSON ([json.exception.out_of_range.406] number overflow"},
      {"empty.json", "", "empty file"},
      {"array.json", "[1, 2]", "not an hbar session"},
      {"version.json", R"({"hbar_session": 2})", "hbar_session: version 2, this hbar reads version 1"},
      {"h_negative.json", R"({"hbar_session": 1, "settings": {"h": -1}})", "settings.h: h must be a number in [0, 10], got '-1'"},
      {"h_huge.json", R"({"hbar_session": 1, "settings": {"h": 1e308}})", "settings.h: h must be a number in [0, 10]"},
      {"h_string.json", R"({"hbar_session": 1, "settings": {"h": "0.5"}})", "settings.h: expected a number, got a string"},
      {"steps_float.json", R"({"hbar_session": 1, "settings": {"steps": 10.5}})", "settings.steps: expected a whole number, got 10.5"},
      {"unknown.json", R"({"hbar_session": 1, "settings": {"hh": 1}})", "settings.hh: unknown key"},
      {"view_in_settings.json", R"({"hbar_session": 1, "settings": {"theme": "dark"}})", "settings.theme: unknown key"},
      {"schedule.json", R"({"hbar_session": 1, "settings": {"schedule": "quadratic"}})", "settings.schedule: unknown schedule 'quadratic'"},
      {"no_points.json", R"({"hbar_session": 1, "settings": {"data-file": "x.csv"}})", "data_points: missing"},
      {"bad_point.json", R"({"hbar_session": 1, "settings": {"data-file": "x.csv"}, "data_points": [[0, 1], [2]]})",
       "data_points[1]: expected [x, y] with two numbers"},
      {"far_point.json", R"({"hbar_session": 1, "settings": {"data-file": "x.csv"}, "data_points": [[0, 1], [2, 3], [1e300, -1e300]]})",
       "data_points[2]: a coordinate beyond ±1e6 (data are expected near the unit scale)"},
      {"no_model.json", R"({"hbar_session": 1, "settings": {"model": "/nonexistent/m.hbm", "score": "learned"}})",
       "settings.model: /nonexistent/m.hbm: no such file"},
      {"top_key.json", R"({"hbar_session": 1, "extra": 1, )" + good_settings + "}", "extra: unknown key"},
  };
  UiState ui;
  small(ui);
  Controller c(ui);
  settle(c);
  const Settings before = ui.settings;
  for (const Bad& b : bad) {
    const fs::path p = dir / b.name;
    std::ofstream(p) << b.text;
    const std::string err = run(c, ui, "session load " + p.string());
    CHECK_MESSAGE(err.find(p.string() + ": ") != std::string::npos, err);
    CHECK_MESSAGE(err.find(b.says) != std::string::npos, err);
    CHECK(ui.settings == before);
  }
  const std::string err = run(c, ui, "session load " + dir.string());
  CHECK(err.find("is a directory") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an injected failure in each kind of task reaches the status line, and the last result stays") {
  UiState ui;
  small(ui);
  ui.settings.scene.data = "gauss25";
  ui.view.playing = false;
  Controller c(ui);
  REQUIRE(frames_until(c, [&] { return ui.status.nll.has_exact && !ui.status.task(TaskKind::kNll).running; }, 300));
  settle(c);
  const Points samples = c.run().result->samples;
  const auto sweep = ui.status.sweep;
  const auto failed = [&](TaskKind k) {
    return frames_until(c, [&] { return !ui.status.task(k).running && !ui.status.task(k).error.empty(); });
  };
  const auto says = [&](TaskKind k) {
    CHECK(ui.status.task(k).error == "injected failure");
    CHECK(ui.status.last_error == std::string(task_name(k)) + " failed: injected failure");
  };
  // The full run: the preview of the new h shows, the status says why the run failed.
  inject_task_failure(TaskKind::kRun);
  run(c, ui, "set h 0.4");
  REQUIRE(failed(TaskKind::kRun));
  says(TaskKind::kRun);
  CHECK_FALSE(c.run().exact);
  // The heat map.
  inject_task_failure(TaskKind::kHeat);
  run(c, ui, "set heat density");
  REQUIRE(failed(TaskKind::kHeat));
  says(TaskKind::kHeat);
  // The sweep and the NLL plot keep their last curves.
  inject_task_failure(TaskKind::kSweep);
  run(c, ui, "run sweep");
  REQUIRE(failed(TaskKind::kSweep));
  says(TaskKind::kSweep);
  inject_task_failure(TaskKind::kNll);
  run(c, ui, "run nll");
  REQUIRE(failed(TaskKind::kNll));
  says(TaskKind::kNll);
  // Training says failed in its outcome too (and `wait train` ends on it).
  inject_task_failure(TaskKind::kTrain);
  run(c, ui, "train 10");
  REQUIRE(failed(TaskKind::kTrain));
  says(TaskKind::kTrain);
  CHECK(ui.status.train.outcome == "failed: injected failure");
  // The comparison run beside a biased score.
  run(c, ui, "set score biased");
  run(c, ui, "set h 0");
  settle(c);
  inject_task_failure(TaskKind::kCompare);
  run(c, ui, "set compare on");
  REQUIRE(failed(TaskKind::kCompare));
  says(TaskKind::kCompare);
  // The files: an export, a session being opened, the autosave; each says why, in its words.
  const std::filesystem::path files = test::scratch("hbar_injected_files");
  inject_task_failure(TaskKind::kExport);
  CHECK(run(c, ui, "export samples " + (files / "s.csv").string()) == "export failed: injected failure");
  CHECK_FALSE(std::filesystem::exists(files / "s.csv"));
  CHECK(run(c, ui, "session save " + (files / "s.json").string()) == "");
  inject_task_failure(TaskKind::kSession);
  CHECK(run(c, ui, "session load " + (files / "s.json").string()) == "session load failed: injected failure");
  CHECK(ui.status.task(TaskKind::kSession).error == "injected failure");
  c.enable_recovery(files / "recovery");
  inject_task_failure(TaskKind::kAutosave);
  run(c, ui, "set h 0.45");
  REQUIRE(failed(TaskKind::kAutosave));
  CHECK(ui.status.task(TaskKind::kAutosave).error == "injected failure");
  CHECK(ui.status.last_error == "Autosave for crash recovery failed: injected failure");
  CHECK(c.autosave().last_error() == "injected failure");
  run(c, ui, "set h 0.5");  // the next change is saved, and the error is gone
  REQUIRE(frames_until(c, [&] { return c.autosave().saves() >= 2 && c.autosave().last_error().empty(); }));
  CHECK(std::filesystem::exists(c.autosave().file()));
  // The scene: the previous one stays, with its settings.
  inject_task_failure(TaskKind::kScene);
  run(c, ui, "set steps 50");
  REQUIRE(frames_until(c, [&] { return !ui.status.load_error.empty(); }));
  CHECK(ui.status.load_error == "injected failure");
  CHECK(ui.settings.scene.steps == 100);
  CHECK(c.scene()->settings.steps == 100);
  (void)samples;
  (void)sweep;
}

TEST_CASE("the app's W2(h) sweep equals core's w2_sweep with the CLI's protocol") {
  UiState ui;
  small(ui);
  ui.settings.scene.data = "gauss25";
  ui.settings.scene.data_seed = 3;
  ui.settings.scene.seed = 11;
  Controller c(ui);
  REQUIRE(frames_until(c, [&] {
    return ui.status.sweep.size() == SweepTask::kH && !ui.status.task(TaskKind::kSweep).running;
  }, 300));
  const Scene& sc = *c.scene();
  SweepConfig cfg;
  for (int k = 0; k < SweepTask::kH; ++k) cfg.h.push_back(k / 10.0);
  cfg.trials = SweepTask::kTrials;
  cfg.n = 200;
  cfg.steps = 100;
  cfg.seed = 11;
  cfg.sliced_too = true;
  // Trial k: seed + k for the samples, held-out draw (data seed + k).
  const auto rows = w2_sweep(*sc.score, sc.schedule, cfg, [&](int k) { return make_heldout("gauss25", 200, 3 + k); });
  REQUIRE(rows.size() == ui.status.sweep.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SweepPoint& p = ui.status.sweep[i];
    CHECK(p.h == rows[i].h);
    CHECK(p.exact_mean == rows[i].w2_mean);
    CHECK(p.exact_err == rows[i].w2_sem);
    CHECK(p.mean == rows[i].sliced_mean);
    CHECK(p.mean <= p.exact_mean + 1e-12);  // the sliced figure is a lower bound
  }
  // Its quick first pass is core's sweep too: 5 heights, 2 trials, at most 300 particles
  // × 100 steps (this small scene has 200 × 100), the same held-out draws.
  SweepConfig q = cfg;
  q.h = {0.0, 0.25, 0.5, 0.75, 1.0};
  q.trials = SweepTask::kQuickTrials;
  const auto quick = w2_sweep(*sc.score, sc.schedule, q, [&](int k) { return make_heldout("gauss25", 200, 3 + k); });
  REQUIRE(ui.status.sweep_quick.size() == quick.size());
  for (std::size_t i = 0; i < quick.size(); ++i) {
    const SweepPoint& p = ui.status.sweep_quick[i];
    CHECK(p.h == quick[i].h);
    CHECK(p.exact_mean == quick[i].w2_mean);
    CHECK(p.mean == quick[i].sliced_mean);
    CHECK(p.quick_n == 200);
    CHECK(p.quick_steps == 100);
  }
}

TEST_CASE("W2(h) coarse to fine: a quick curve first, the old curve greyed meanwhile, a complete curve kept per setting") {
  UiState ui;
  small(ui);
  Controller c(ui);
  const auto complete = [&] {
    return ui.status.sweep.size() == SweepTask::kH && !ui.status.task(TaskKind::kSweep).running;
  };
  const auto has = [&](const char* id) {
    const auto cs = make_curves(ui.settings, ui.status);
    return std::any_of(cs.begin(), cs.end(), [&](const Curve& k) { return k.id == id; });
  };
  REQUIRE(frames_until(c, complete, 300));
  CHECK(ui.status.sweep_quick.size() == SweepTask::kQuickH);
  CHECK_FALSE(has("w2_quick_exact"));  // the full curve is complete: the quick one steps back
  const std::vector<SweepPoint> seed1 = ui.status.sweep;
  // Another seed: the complete curve becomes the previous one (grey) until the new one is complete.
  CHECK(run(c, ui, "set seed 2") == "");
  REQUIRE(frames_until(c, [&] { return c.scene() && c.scene()->settings.seed == 2; }));
  CHECK(ui.status.sweep_previous.size() == SweepTask::kH);
  CHECK(ui.status.sweep_previous[3].exact_mean == seed1[3].exact_mean);
  CHECK(has("w2_previous"));
  REQUIRE(frames_until(c, [&] { return ui.status.sweep_quick.size() == SweepTask::kQuickH; }, 300));
  if (ui.status.sweep.size() < SweepTask::kH) CHECK(has("w2_quick_exact"));
  REQUIRE(frames_until(c, complete, 300));
  CHECK(ui.status.sweep_previous.empty());
  CHECK(ui.status.sweep[3].exact_mean != seed1[3].exact_mean);  // another seed, other samples
  // Back to seed 1: its curve at once, from the cache, with no sweep run.
  CHECK(run(c, ui, "set seed 1") == "");
  REQUIRE(frames_until(c, [&] { return c.scene()->settings.seed == 1 && ui.status.sweep.size() == SweepTask::kH; }));
  CHECK_FALSE(ui.status.task(TaskKind::kSweep).running);
  for (std::size_t i = 0; i < seed1.size(); ++i) CHECK(ui.status.sweep[i].exact_mean == seed1[i].exact_mean);
}

TEST_CASE("background tasks step aside while h is dragged, and go on when it rests") {
  UiState ui;
  small(ui);
  ui.view.playing = false;
  Controller c(ui);
  settle(c);
  run(c, ui, "set train-width 16");
  run(c, ui, "train 1000000");
  const auto& loss = ui.status.train.loss;
  REQUIRE(frames_until(c, [&] { return loss.size() >= 2; }));
  // Dragging: a new h every frame (16 ms apart) for 1.5 s. A training step takes ~1 ms,
  // so a worker that did not step aside would post ~10 more means of 100 steps.
  double h = 0;
  const double t0 = seconds();
  std::size_t at_start = 0;
  bool first = true;
  while (seconds() - t0 < 1.5) {
    h = h >= 1 ? 0 : h + 0.01;
    run(c, ui, "set h " + format_number(h));
    if (first) at_start = loss.size(), first = false;  // a post already in flight may land
    std::this_thread::sleep_for(std::chrono::milliseconds(16));
  }
  CHECK(loss.size() <= at_start + 1);
  CHECK_FALSE(c.run().exact);  // the preview is on screen; the full run waits for h to rest
  // At rest, the full run comes and the training goes on.
  const std::size_t paused_at = loss.size();
  REQUIRE(frames_until(c, [&] { return loss.size() > paused_at + 2 && c.run().exact; }));
  run(c, ui, "cancel train");
}

TEST_CASE("the paper network: learned at once for the paper's data sets and schedules, in sessions too") {
  // One learned scene only (each builds the network's score cache and runs its tasks).
  UiState ui;
  small(ui);
  ui.settings.scene.data = "swissroll";
  ui.settings.scene.schedule = "cosine";
  ui.view.playing = false;
  Controller c(ui);
  settle(c);
  CHECK(run(c, ui, "set score learned").empty());
  CHECK(ui.settings.scene.model_path == "paper");
  settle(c);
  CHECK(ui.status.score_label.rfind("learned MLP 128x3 (swissroll, cosine, 80000 steps)", 0) == 0);
  REQUIRE(c.run().result);
  CHECK(c.run().result->samples.allFinite());
  // A session names it `paper` with the shipped file's checksum, and reads back.
  const fs::path f = scratch("hbar_paper_session") / "s.json";
  run(c, ui, "session save " + f.string());
  settle(c);
  const std::string text = slurp(f);
  CHECK(text.find("\"model\": \"paper\"") != std::string::npos);
  CHECK(text.find("\"model_checksum\": \"fnv1a64:") != std::string::npos);
  const Session back = load_session(f.string());
  CHECK(back.settings.scene.learned);
  CHECK(back.settings.scene.model_path == "paper");
  CHECK(model_file_of(back.settings.scene).find("swissroll_cosine.hbm") != std::string::npos);
  // moons has none: the scene says why and the last one stays.
  run(c, ui, "set data moons");
  REQUIRE(frames_until(c, [&] { return ui.status.last_error.find("paper network") != std::string::npos; }));
  CHECK(ui.status.last_error.find("exists for swissroll and gauss25 with SIMPLE or COSINE, not for moons") !=
        std::string::npos);
}

TEST_CASE("one range table: the app takes each shared setting exactly within the row's app bounds") {
  CHECK(app_hi(setting_range("steps")) == kMaxSteps);
  CHECK(app_hi(setting_range("particles")) == kMaxParticles);
  CHECK(app_hi(setting_range("data-n")) == kMaxDataPoints);
  CHECK(app_hi(setting_range("train-steps")) == kMaxTrainSteps);
  CHECK(app_hi(setting_range("train-width")) == kMaxTrainWidth);
  CHECK(app_hi(setting_range("train-depth")) == kMaxTrainDepth);
  CHECK(app_lo(setting_range("nll-cells")) == kMinNllCells);
  CHECK(app_hi(setting_range("nll-cells")) == kMaxNllCells);
  CHECK(app_hi(setting_range("h")) == kMaxH);
  int shared = 0;
  for (const Range& r : ranges()) {
    if (!*r.setting) continue;
    CAPTURE(r.setting);
    ++shared;
    const SettingInfo* info = find_setting(r.setting);
    REQUIRE(info != nullptr);
    const bool whole = info->kind == ValueKind::kInteger;
    const auto text = [&](double v) { return whole ? std::to_string(static_cast<long long>(v)) : format_number(v); };
    Settings s;
    View v;
    CHECK(set_setting(s, v, r.setting, text(app_hi(r))) == "");
    CHECK(set_setting(s, v, r.setting, text(app_lo(r))) == "");
    CHECK(set_setting(s, v, r.setting, text(app_hi(r) + (whole ? 1 : 0.01))) != "");
    CHECK(set_setting(s, v, r.setting, text(app_lo(r) - (whole ? 1 : 0.01))) != "");
    // The app never allows more than the CLI.
    CHECK(app_lo(r) >= r.lo);
    CHECK(app_hi(r) <= r.hi);
    if (*r.app_why) CHECK((app_lo(r) != r.lo || app_hi(r) != r.hi));
  }
  CHECK(shared == 9);
}

TEST_CASE("view presentation and view screen set the style's view settings at once, and a bad word changes nothing") {
  UiState ui;
  small(ui);
  Controller c(ui);
  CHECK(run(c, ui, "view presentation") == "");
  CHECK(ui.view.light_theme);
  CHECK(ui.view.ui_scale == 1.35);
  CHECK(ui.view.line_width == 3);
  CHECK(ui.view.point_size == 4.0);
  CHECK(run(c, ui, "set ui-scale 2") == "");
  CHECK(run(c, ui, "view presentation") == "");
  CHECK(ui.view.ui_scale == 2.0);  // never smaller than it was
  CHECK(run(c, ui, "view screen") == "");
  CHECK_FALSE(ui.view.light_theme);
  CHECK(ui.view.ui_scale == 1.0);
  CHECK(ui.view.line_width == 2);
  CHECK(ui.view.point_size == 3.0);
  CHECK(run(c, ui, "view lecture") == "test: 'view' takes reset, presentation or screen");
  CHECK(run(c, ui, "set line-width 5").find("line-width") != std::string::npos);
  CHECK(ui.view.line_width == 2);
}
