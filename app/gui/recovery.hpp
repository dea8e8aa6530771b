#pragma once
// Nothing lost on a crash (issue 13): the app writes its session (settings, view and
// the data, drawn data included) to a recovery file a moment after every change, in
// the background; a clean exit removes it. A file left by a process that is no longer
// running is what an abnormal exit (a crash, SIGKILL, power loss) left behind: the
// next start offers to restore it (`recovery restore`) or to drop it (`recovery discard`).
//
// Where: $HBAR_RECOVERY_DIR, else $XDG_STATE_HOME/hbar, else ~/.local/state/hbar; one
// file per running app, session-<pid>.json, so two windows never write the same file.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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

class Recovery {
 public:
  // Owns dir/session-<pid>.json (created on the first save).
  explicit Recovery(std::filesystem::path dir);
  // A clean exit: stops the writer and removes this app's file.
  ~Recovery();
  Recovery(const Recovery&) = delete;
  Recovery& operator=(const Recovery&) = delete;

  // The newest file in dir whose process is gone (not this one); none when there is none.
  std::optional<RecoveryOffer> orphan() const;
  // Queues a save; the writer thread keeps only the newest (atomic write: temporary
  // name, then rename). `data`: the scene's data (embedded, like a saved session).
  void save(const Settings& s, const View& v, std::shared_ptr<const Points> data);
  // Saves finished so far (tests), and the last write's error ("" when it worked).
  long saves() const;
  std::string last_error() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  void writer();

  std::filesystem::path dir_, file_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  struct Snapshot {
    Settings settings;
    View view;
    std::shared_ptr<const Points> data;
  };
  std::optional<Snapshot> pending_;
  bool stop_ = false;
  long saves_ = 0;
  std::string error_;
  std::thread thread_;
};

// Whether a process with this pid is running hbar (Linux: /proc/PID/comm).
bool hbar_process_alive(long pid);

}  // namespace hbar::app
