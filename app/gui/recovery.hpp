#pragma once
// Nothing lost on a crash (issue 13): the app writes its session (settings, view and
// the data, drawn data included) to a recovery file a moment after every change, in
// the background (tasks/autosave_feature.hpp); a clean exit removes it. A file left by a process that is no longer
// running is what an abnormal exit (a crash, SIGKILL, power loss) left behind: the
// next start offers to restore it (`recovery restore`) or to drop it (`recovery discard`).
//
// Where: $HBAR_RECOVERY_DIR, else $XDG_STATE_HOME/hbar, else ~/.local/state/hbar; one
// file per running app, session-<pid>.json, so two windows never write the same file.
#include <filesystem>
#include <optional>
#include <string>

#include "settings.hpp"

namespace hbar::app {

// The folder the environment names (see above); empty when none can be found.
std::filesystem::path default_recovery_dir();

// A recovery file of an app that is not running any more.
struct RecoveryOffer {
  std::filesystem::path path;
  std::filesystem::file_time_type written;
  std::string age;  // "2 min ago"
};

// This app's recovery file and the ones other apps left.
class Recovery {
 public:
  // Owns dir/session-<pid>.json (written by the autosave feature).
  explicit Recovery(std::filesystem::path dir);
  // A clean exit removes this app's file.
  ~Recovery();
  Recovery(const Recovery&) = delete;
  Recovery& operator=(const Recovery&) = delete;

  // The newest file in dir, owned by this user, whose process is gone (not this one);
  // none when there is none. (A shared folder holds other users' sessions: never offered.)
  std::optional<RecoveryOffer> orphan() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path dir_, file_;
};

// Whether a process with this pid is running hbar (Linux: /proc/PID/comm).
bool hbar_process_alive(long pid);

}  // namespace hbar::app
