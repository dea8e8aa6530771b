// hbar: the desktop app. A thin client of core: GLFW window, OpenGL 3.3 through a
// glad loader, Dear ImGui panels; the numbers come from the Controller. This file only
// starts the program: its flags (each through the setting table), the window, the loop
// (app_window.cpp).
//
//   hbar [--session F.json] [--data NAME | --data-file F.csv] [--schedule simple|cosine|edm|linear]
//        [--h H] [--heat KIND] [--frames N] [--screenshot F.png] [--script F] [--width W] [--height H]
//        [--tour] [--tour-seconds N]
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "app_window.hpp"
#include "hbar/io/output.hpp"
#include "recovery.hpp"
#include "hbar/data/dataset.hpp"
#include "scenario.hpp"
#include "session.hpp"
#include "setting_table.hpp"
#include "window.hpp"

int main(int argc, char** argv) {
  using namespace hbar::app;
  CLI::App cli{"hbar: diffusion models as Feynman path integrals, interactive"};
  std::string session, data, data_file, schedule, h, heat, shot, script_path;
  long frames = 0;
  int width = 1600, height = 1000, tour_seconds = 0;
  bool tour = false, pace = false;
  cli.add_option("--session", session, "start from a session file (settings, view and data)");
  cli.add_option("--data", data, "built-in data set: " + hbar::dataset_list());
  cli.add_option("--data-file", data_file, "a CSV file with columns x, y");
  cli.add_option("--schedule", schedule, "simple | cosine | edm | linear");
  cli.add_option("--h", h, "noise variance factor h in [0, 10]");
  cli.add_option("--heat", heat, "heat map: none | path | endpoint | density | logq0 | wkbc");
  cli.add_option("--frames", frames,
                 "exit (status 0) after N frames, counted once the scene, the run at the requested h and any "
                 "requested heat map are complete; without --script the picture shows the run's last step");
  cli.add_option("--screenshot", shot, "write the last frame of the window to this PNG");
  cli.add_option("--script", script_path, "run one command per line (see README)");
  cli.add_flag("--tour", tour, "start the lecture tour (Space or the right arrow: next step, Esc: end)");
  cli.add_option("--tour-seconds", tour_seconds, "a tour step also ends after N seconds (0: only a key)")
      ->check(CLI::Range(0, 3600));
  cli.add_flag("--pace", pace,
               "with --script or --frames: draw 60 frames a second on the real clock and run background work at a "
               "lower priority, as an interactive session does (frame-time benchmarks)");
  auto* wopt = cli.add_option("--width", width, "window width (at most the screen's work area)")->capture_default_str();
  auto* hopt = cli.add_option("--height", height, "window height (at most the screen's work area)")->capture_default_str();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);
    std::cerr << "hbar: " << e.what() << std::endl;
    return 2;
  }
  // The session first, then the options beside it, each through the setting table's checks.
  Settings settings;
  View view;
  try {
    if (!session.empty()) {
      Session s = load_session(session);
      settings = std::move(s.settings);
      view = std::move(s.view);
    }
  } catch (const std::exception& e) {
    std::cerr << "hbar: " << e.what() << std::endl;
    return 2;
  }
  for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"data", data}, {"data-file", data_file},
                                   {"schedule", schedule}, {"h", h}, {"heat", heat}}) {
    if (value.empty()) continue;
    if (const std::string err = set_setting(settings, view, key, value); !err.empty()) {
      std::cerr << "hbar: --" << key << ": " << err << std::endl;
      return 2;
    }
  }
  // A signal removes the exports being written; what a killed hbar left is removed now.
  hbar::install_output_signal_handlers("hbar", "; unfinished exports removed");
  hbar::remove_stale_temporaries(view.export_dir);
  hbar::remove_stale_temporaries(default_recovery_dir());
  std::optional<Scenario> script;
  if (!script_path.empty()) {
    try {
      script = Scenario::from_file(script_path);
    } catch (const std::exception& e) {
      std::cerr << "hbar: " << e.what() << std::endl;
      return 2;
    }
  }

  if (width < 1 || height < 1 || width > 16384 || height > 16384) {
    std::cerr << "hbar: --width and --height must be in [1, 16384]" << std::endl;
    return 2;
  }
  GLFWwindow* window = open_window(width, height, wopt->count() > 0 || hopt->count() > 0);
  if (!window) return 1;
  const float xs = init_imgui(window);

  int rc = 0;
  {
    UiState ui;
    ui.settings = settings;
    ui.view = view;
    if (session.empty()) ui.view.ui_scale = xs;
    ui.tour.auto_seconds = tour_seconds;
    if (tour) ui.push({"tour", "start"}, "--tour");
    set_callback_target(window, &ui);
    try {
      rc = run_app(window, ui, xs, frames, shot, script ? &*script : nullptr, pace);
    } catch (const std::exception& e) {
      std::cerr << "hbar: " << e.what() << std::endl;
      rc = 1;
    }
    set_callback_target(window, nullptr);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}
