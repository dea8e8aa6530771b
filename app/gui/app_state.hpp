#pragma once
// What the panels read: Settings and View (changed only through commands), Status
// (written by the controller), the text boxes being edited, and the command queue
// every input goes through. No GL, no threads: tests/ui runs the panels without a
// backend.
#include <string>

#include "command_queue.hpp"
#include "data_edit.hpp"
#include "widgets/file_browser.hpp"
#include "settings.hpp"
#include "status.hpp"

namespace hbar::app {

// Text boxes whose contents become a command only when the user confirms them.
struct Edits {
  char data_path[512] = "";
  char model_path[512] = "";
  char session_path[512] = "";
  // The animation's length and rate until Export is pressed (they travel in the command).
  int anim_kind = 0;  // 0: h sweep, 1: playback
  float anim_seconds = 6;
  int anim_fps = 30;
};

// Where the panels drew what tests and the `layout` command locate, in window pixels:
// the panels' own result each frame (Status is the controller's alone).
struct LayoutRects {
  // Each rectangle as x0, y0, x1, y1 (window pixels, top-left origin).
  float h_slider[4] = {0, 0, 0, 0};          // the big h slider
  float h_editor[4] = {0, 0, 0, 0};          // the h(t) editor's strip, and the times at its ends
  double h_editor_t[2] = {0, 1};
  float spacetime_strip[4] = {0, 0, 0, 0};   // the h(t) strip under the space-time canvas
  float recovery_restore[4] = {0, 0, 0, 0};  // the recovery prompt's Restore button
  float scrubber[4] = {0, 0, 0, 0};          // the step scrubber (the sidebar's footer)
  // The world rectangle the canvas shows (the camera or the space-time area fitted to
  // the canvas's pixels): the window's layout result, read by the overlay and the heat map.
  Box canvas_world{-3, 3, -3, 3};
};

// A lecture tour (assets/tour.hbs, `tour start`) or any script with captions: its words
// on the canvas and its pauses, which Space or → ends.
struct Tour {
  std::string caption;     // `caption …`: on the canvas and in exported images
  bool waiting = false;    // a script's `wait key` holds
  bool next = false;       // Space / → pressed while it held (`tour next`)
  int auto_seconds = 0;    // each `wait key` also ends after this long (0: only a key; --tour-seconds)
  bool running = false;    // a tour started in the app (`tour stop` / Esc ends it)
};

struct UiState {
  Settings settings;
  View view;
  Status status;
  LayoutRects layout;
  Edits edits;
  CommandQueue commands;
  EditHistory history;  // undo / redo of drawn data
  FileBrowser files;    // Open… / Save as…
  Tour tour;
  // Queues a command from the panels (origin "panel"); words may hold spaces (paths).
  void push(std::vector<std::string> words, std::string origin = "panel") {
    commands.push(Command{std::move(words), std::move(origin)});
  }
};

// "swissroll_simple_h0.30": the default stem of exported files.
std::string export_stem(const UiState& ui);
// Where an export goes: the export folder / (the export name or the stem) + suffix.
std::string export_path(const UiState& ui, const char* suffix);

}  // namespace hbar::app
