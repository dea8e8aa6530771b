// The app's logic without a window: scenes, preview then exact runs, a failed load
// that keeps the previous data, heat maps and exports.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <thread>

#include "controller.hpp"
#include "hbar/csv.hpp"

using namespace hbar;
using namespace hbar::app;
namespace fs = std::filesystem;

namespace {
double seconds() {
  static const auto start = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Frames until the controller is idle (bounded: 60 s).
void settle(Controller& c) {
  const auto t0 = std::chrono::steady_clock::now();
  int streak = 0;
  while (streak < 2 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)) {
    c.frame(seconds(), 1.0 / 60);
    streak = c.idle() ? streak + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(c.idle());
}

// Frames until `done` holds (bounded by `limit`).
template <class F>
bool frames_until(Controller& c, F done, std::chrono::seconds limit) {
  const auto t0 = std::chrono::steady_clock::now();
  while (!done() && std::chrono::steady_clock::now() - t0 < limit) {
    c.frame(seconds(), 1.0 / 60);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

UiState small_ui() {
  UiState ui;
  ui.settings.data = "moons";
  ui.settings.data_n = 300;
  ui.settings.particles = 200;
  ui.settings.steps = 100;
  return ui;
}
}  // namespace

TEST_CASE("scene, cached preview, then the exact run") {
  UiState ui = small_ui();
  Controller c(ui);
  settle(c);
  REQUIRE(c.scene());
  CHECK(ui.scene_label == "moons_simple");
  CHECK(c.run().exact);
  CHECK(c.run().result->samples.rows() == 200);
  CHECK(c.run().result->trajectories.frame_count() == 101);
  const Points exact0 = c.run().result->samples;
  const Points start0 = c.run().result->trajectories.frames.front();
  // A new h: this frame shows the preview from the cache, the exact run follows.
  ui.h = 1.0;
  c.frame(seconds(), 0);
  CHECK_FALSE(c.run().exact);
  CHECK(c.run().h == 1.0);
  settle(c);
  CHECK(c.run().exact);
  CHECK(c.run().result->samples != exact0);
  // Same starting points for every h (common random numbers).
  CHECK(c.run().result->trajectories.frames.front() == start0);
}

TEST_CASE("a failed load keeps the previous data and says why") {
  UiState ui = small_ui();
  Controller c(ui);
  settle(c);
  const Points before = c.scene()->data;
  std::snprintf(ui.data_path, sizeof ui.data_path, "%s", HBAR_TEST_DATA "/bad_tail.csv");
  ui.req_load = true;
  settle(c);
  CHECK(ui.load_error.find("bad_tail.csv:2: not a number in column 1: '4abc'") != std::string::npos);
  CHECK(c.scene()->data == before);
  CHECK(ui.settings.data_file.empty());
  // A good file then loads, and clears the error.
  std::snprintf(ui.data_path, sizeof ui.data_path, "%s", HBAR_TEST_DATA "/good_semicolon.csv");
  ui.req_load = true;
  settle(c);
  CHECK(ui.load_error.empty());
  CHECK(c.scene()->data.rows() == 3);
  CHECK(ui.scene_label == "good_semicolon_simple");
}

TEST_CASE("heat maps and exports") {
  UiState ui = small_ui();
  ui.h = 0.5;
  ui.heat = HeatKind::kPathAction;
  ui.playing = false;
  ui.frame = 100;
  Controller c(ui);
  settle(c);
  REQUIRE_FALSE(c.heat().grid.values.empty());
  CHECK(ui.heat_label == "path action density");
  double total = 0;
  for (double v : c.heat().grid.values) total += v;
  CHECK(total > 0);
  ui.heat = HeatKind::kLogDensity;
  settle(c);
  CHECK(ui.heat_label.rfind("log p_t(x)", 0) == 0);
  CHECK(ui.heat_hi - ui.heat_lo <= Controller::kLogDensitySpan);
  CHECK(ui.heat_hi == doctest::Approx(c.heat().grid.range().second));

  const fs::path dir = fs::temp_directory_path() / "hbar_ui_exports";
  fs::remove_all(dir);
  std::snprintf(ui.export_dir, sizeof ui.export_dir, "%s", dir.string().c_str());
  ui.req_export_samples = ui.req_export_trajectories = ui.req_export_heatmap = ui.req_export_curves = true;
  c.frame(seconds(), 0);
  for (const char* f : {"moons_simple_h0.50_samples.csv", "moons_simple_h0.50_trajectories.csv",
                        "moons_simple_h0.50_heatmap.csv", "moons_simple_h0.50_curves.csv"})
    CHECK(fs::exists(dir / f));
  CHECK(read_points_csv(dir / "moons_simple_h0.50_samples.csv") == c.run().result->samples);
  CHECK(ui.toast.rfind("Saved ", 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("the likelihood plot and heat maps of log q0 and C, exact score") {
  // gauss25's exact law is centred, so π = N(0, I) matches its p_T to ~1e-6 and C ≈ 0
  // (for an off-centre law like moons, the offset α_T·mean of p_T alone gives |C| ~ 0.1).
  UiState ui = small_ui();
  ui.settings.data = "gauss25";
  ui.nll_grid_cells = 48;  // a coarse grid keeps the test short
  ui.playing = false;
  Controller c(ui);
  settle(c);
  // The sweep runs first, then the likelihood job: frames until both are done (≤ 300 s).
  frames_until(c, [&] { return ui.nll.has_exact && !ui.nll_running && !ui.sweep_running; },
               std::chrono::seconds(300));
  REQUIRE(ui.nll.has_exact);
  REQUIRE(ui.sweep.size() == 11);
  for (const auto& p : ui.sweep) {
    CHECK(p.has_exact);
    CHECK(p.mean <= p.exact_mean + 1e-12);  // the sliced figure is a lower bound
  }
  CHECK(ui.nll.points == 200);
  CHECK(std::isfinite(ui.nll.nll0));
  // The exact score: C = 0 up to the prior mismatch and the ODE tolerance.
  CHECK(std::abs(ui.nll.corr) < 1e-3);
  REQUIRE(ui.nll.exact_nll.size() == std::size(Controller::kNllExactH));
  // Mean of the differences ≤ mean of their absolute values (the reported grid error).
  CHECK(std::abs(-ui.nll.exact_nll[0] + ui.nll.nll0) <= ui.nll.grid_error + 1e-12);
  int nll_curves = 0;
  for (const auto& cv : c.curves()) nll_curves += cv.label.rfind("NLL: ", 0) == 0;
  CHECK(nll_curves == 3);

  ui.heat = HeatKind::kWkbC;
  settle(c);
  CHECK(ui.heat_label.rfind("C(x)", 0) == 0);
  int finite = 0;
  for (double v : c.heat().grid.values)
    if (std::isfinite(v)) {
      ++finite;
      CHECK(std::abs(v) < 1e-2);
    }
  CHECK(finite > 10);
  ui.heat = HeatKind::kLogQ0;
  settle(c);
  CHECK(ui.heat_label.rfind("log q0_t", 0) == 0);
  CHECK(ui.heat_hi - ui.heat_lo <= Controller::kLogDensitySpan);
}

TEST_CASE("training in the background: loss, pause, cancel, then the learned score") {
  UiState ui = small_ui();
  ui.settings.data = "gauss25";
  ui.playing = false;
  const fs::path dir = fs::temp_directory_path() / "hbar_ui_train";
  fs::remove_all(dir);
  std::snprintf(ui.export_dir, sizeof ui.export_dir, "%s", dir.string().c_str());
  Controller c(ui);
  settle(c);

  // A run that is cancelled part-way: no model file, the status says so.
  ui.train_width = 16;
  ui.train_depth = 2;
  ui.train_steps = 1000000;
  ui.req_train = true;
  REQUIRE(frames_until(c, [&] { return ui.train_loss.size() >= 2; }, std::chrono::seconds(120)));
  // Paused, the worker stops between Adam steps: the loss history stops growing.
  ui.req_pause_train = true;
  c.frame(seconds(), 0);
  CHECK(ui.train_paused);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  c.frame(seconds(), 0);
  const std::size_t paused_at = ui.train_loss.size();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  c.frame(seconds(), 0);
  CHECK(ui.train_loss.size() == paused_at);
  CHECK(ui.train_running);
  ui.req_pause_train = true;  // resume
  REQUIRE(frames_until(c, [&] { return ui.train_loss.size() > paused_at; }, std::chrono::seconds(60)));
  ui.req_cancel_train = true;
  REQUIRE(frames_until(c, [&] { return !ui.train_running; }, std::chrono::seconds(60)));
  CHECK(ui.train_status == "cancelled");
  CHECK_FALSE(fs::exists(dir));
  CHECK(ui.model_path_edit[0] == 0);

  // A short run to the end: 600 Adam steps of a 32 x 2 network.
  ui.train_width = 32;
  ui.train_steps = 600;
  ui.req_train = true;
  c.frame(seconds(), 0);
  REQUIRE(frames_until(c, [&] { return !ui.train_running && ui.train_status.rfind("done", 0) == 0; },
                       std::chrono::seconds(180)));
  REQUIRE(ui.train_loss.size() == 6);  // means over steps 1–100, …, 501–600
  CHECK(ui.train_step.back() == 600);
  // The loss falls (mean of the first 100 steps ≈ 9.8, of the last ≈ 7.0) and stays
  // above the floor the exact score reaches (3.3); means of 100 minibatches of 512 scatter
  // by ~0.1, far below both gaps.
  CHECK(ui.train_loss.back() < 0.8 * ui.train_loss.front());
  REQUIRE(ui.train_floor > 0);
  CHECK(ui.train_loss.back() > ui.train_floor);
  const fs::path model = dir / "gauss25_simple_h0.00_model.hbm";
  CHECK(std::string(ui.model_path_edit) == model.string());
  REQUIRE(fs::exists(model));
  // On the floor's own draws the difference estimates the network's score error (≈ 3.5
  // here, against a sampling error of ~0.1 from 4096 draws): positive.
  REQUIRE(ui.train_eval_loss.size() == 2);  // steps 500 and 600
  CHECK(ui.train_eval_step.back() == 600);
  CHECK(ui.train_eval_loss.back() > ui.train_floor);
  CHECK(ui.train_eval_loss.back() < ui.train_loss.front());
  int train_curves = 0;
  for (const auto& cv : c.curves()) train_curves += cv.label.rfind("training: ", 0) == 0;
  CHECK(train_curves == 3);
  // Choosing it makes it the scene's score; the run on screen then uses the network.
  CHECK(ui.score_label.rfind("exact", 0) == 0);
  ui.settings.learned = true;
  ui.settings.model_path = ui.model_path_edit;
  settle(c);
  CHECK(ui.score_label.rfind("learned MLP 32x2 (gauss25_simple, simple, 600 steps)", 0) == 0);
  CHECK(c.run().exact);
  CHECK(c.run().result->samples.allFinite());
  // The exact score beside it: the same starts and noise, so frame 0 is the same and
  // the end points differ only by the network's error.
  CHECK_FALSE(c.compare().result);
  ui.compare_exact = true;
  settle(c);
  REQUIRE(c.compare().result);
  CHECK(ui.compare_shown);
  const auto& mine = c.run().result->trajectories.frames;
  const auto& theirs = c.compare().result->trajectories.frames;
  REQUIRE(theirs.size() == mine.size());
  CHECK(theirs.front() == mine.front());
  const Points exact_end =
      sample_reverse(*c.scene()->exact, c.scene()->schedule, sampler_config(*c.scene(), ui.h)).samples;
  CHECK(c.compare().result->samples.isApprox(exact_end, 1e-12));
  CHECK((c.compare().result->samples - c.run().result->samples).rowwise().norm().mean() > 0.01);
  // A new h: the comparison goes until the new exact run is in, then follows it.
  ui.h = 0.5;
  c.frame(seconds(), 0);
  CHECK_FALSE(c.compare().result);
  settle(c);
  REQUIRE(c.compare().result);
  CHECK(c.compare().h == 0.5);
  ui.compare_exact = false;
  c.frame(seconds(), 0);
  CHECK_FALSE(c.compare().result);

  // A missing model file: the previous scene stays, and the message names the file.
  ui.settings.model_path = (dir / "missing.hbm").string();
  settle(c);
  CHECK(ui.load_error.find("missing.hbm") != std::string::npos);
  CHECK(ui.settings.model_path == model.string());
  CHECK(ui.score_label.rfind("learned MLP", 0) == 0);
  fs::remove_all(dir);
}
