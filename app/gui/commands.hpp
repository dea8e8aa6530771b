#pragma once
// Every user action is a Command (ARCHITECTURE.md rule 11): panels, keys, drag and
// drop, script lines and sessions issue the same words through one queue, and
// apply_command() is the one place that parses them. The vocabulary (README, "Commands"):
//
//   set KEY VALUE            any key of the setting table (setting_table.hpp), range-checked
//   data NAME | load F.csv   a built-in data set | a CSV file
//   train N                  train a network for N Adam steps on the scene's data
//   pause train | resume train | cancel train|sweep|nll|animation|export|session|autosave
//   run sweep | run nll      start the W2(h) sweep / the NLL(h) plot again
//   export samples|trajectories|heatmap|curves|data [F]
//   export plot w2|nll|toy|train|ct [F.svg]                  the plot as vector graphics
//   best-h window [LENGTH] | best-h schedule   apply the first-order best window (of the
//                            current window's length) or schedule (h where c̄(t) > 0)
//   export animation F.mp4|F.gif playback|hsweep SECONDS FPS   (a background task; scripts wait)
//   screenshot [F.png] | screenshot canvas [F.png]
//   session save [F.json] | session load F.json
//   view reset | view presentation | view screen | playback toggle
//   choose data|model|session|save-session|save-data   the file chooser (Open… / Save as…)
//   draw add X Y R N | draw erase X Y R | draw clear | draw begin | draw end | undo | redo
//                            data edits in data coordinates (data_edit.hpp); begin … end
//                            make a stroke one undo step
//   layout F.json | stats F.json | stats clear | quit   (the host: window geometry, frame times)
//   recovery restore | discard | offer    the session an abnormal exit left (recovery.hpp)
// and, in scripts only, wait N|idle|sweep|nll|train (scenario.hpp).
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hbar/base/types.hpp"
#include "app_state.hpp"
#include "command_queue.hpp"
#include "status.hpp"

namespace hbar::app {

// What commands do beyond Settings and View: tasks, files and the window. The
// controller implements it; it forwards the window's part to the host.
// The window's commands, parsed here like every other: the window only carries them out.
//   screenshot [canvas] [F.png] [x2|x4] [transparent] | layout F | stats F | stats clear | quit
// The longest `caption` (characters): a few lines on the canvas.
inline constexpr std::size_t kMaxCaption = 400;

struct HostRequest {
  enum class Kind { kScreenshot, kLayout, kStats, kStatsClear, kQuit, kTourStart, kTourStop, kRecordStart, kRecordStop };
  Kind kind = Kind::kQuit;
  std::string path;          // screenshot (default: the export folder's name), layout, stats
  bool canvas = false;       // screenshot canvas: the canvas only, offscreen
  int scale = 1;             // canvas: 1, 2 or 4 times the window's pixels
  bool transparent = false;  // canvas: background clear (alpha 0)
  int fps = 10;              // record: frames a second
};

class CommandSink {
 public:
  virtual ~CommandSink() = default;
  virtual void start_task(TaskKind k) = 0;     // sweep, nll, train
  virtual void cancel_task(TaskKind k) = 0;
  virtual void pause_training(bool paused) = 0;
  // Each returns the path written or throws std::runtime_error with the reason.
  virtual std::string export_file(const std::string& kind, const std::string& path) = 0;
  virtual std::string save_session(const std::string& path) = 0;
  // Starts writing an animation (playback | hsweep) of `frames` frames; throws with the reason.
  virtual void export_animation(const std::string& path, const std::string& kind, int frames, int fps) = 0;
  virtual void load_session(const std::string& path) = 0;
  // recovery restore | discard: the file an abnormal exit left (throws when there is none).
  virtual void recover(bool restore) = 0;
  // recovery offer: look for a session an abnormal exit left and offer it (scripted runs
  // do not look at start).
  virtual void offer_recovery() = 0;
  // screenshot / layout / stats / quit: the window's (throws when there is none).
  virtual void host_command(const HostRequest& r) = 0;
  // The data on the canvas (drawn, or the scene's); null while it is being loaded.
  virtual std::shared_ptr<const Points> data_points() const = 0;
};

// What a script does around a line (scenario.hpp), read from the line's words here with
// the rest of the vocabulary: `wait …` is the script's own; a screenshot is taken at the
// end of its frame; an animation export holds the script until its file is complete; a
// valid `quit` ends it.
struct ScriptStep {
  enum class Wait { kNone, kFrames, kSeconds, kIdle, kSweep, kNll, kTrain, kPlots, kKey, kTour };
  bool is_wait = false;   // a `wait` line (never queued)
  Wait wait = Wait::kNone;
  long long count = 0;    // frames or seconds
  std::string error;      // a bad `wait` line: why
  bool next_frame = false;  // the next line waits a frame (screenshot)
  bool until_idle = false;  // the script holds until idle (export animation)
  bool ends = false;        // quit
  bool clears_train = false;  // train: `wait train` waits for this run
};
ScriptStep script_step(const Command& c);

// Applies one command; returns "" or why it was refused (then nothing changed).
std::string apply_command(UiState& ui, CommandSink& sink, const Command& c);

}  // namespace hbar::app
