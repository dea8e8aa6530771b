#pragma once
// Every file hbar writes goes through here (CLI and app alike).
//
// - A regular file (or a new one) is written whole or not at all: to a temporary
//   `.hbar-tmp-PID-N` in the same folder (a short name: any legal target name fits
//   NAME_MAX), then renamed over the target.
// - A symlink is followed: its target is written, the link stays.
// - A named pipe, a device or `-` (stdout) cannot be replaced or taken back: it is
//   written through, and its errors reported (a pipe with no reader is refused).
// - Several outputs of one command are checked before any work (each writable,
//   no two the same file) and committed together: if one fails, none is written.
// - A signal (see `exit_on_signal`) removes the temporaries; temporaries a killed
//   process left in a folder are removed the first time hbar writes there again.
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hbar {

// Names the output (as the user gave it) and the reason.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Writer = std::function<void(std::ostream&)>;

// What an output path is, found without touching it.
struct OutputTarget {
  enum class Kind { kFile, kStream, kStdout };
  std::string given;                 // as the user wrote it (messages say this)
  std::filesystem::path target;      // symlinks followed
  Kind kind = Kind::kFile;
  std::string identity;              // equal for two names of one file
};

// Throws OutputError naming `given` (and `what`, e.g. "--out", when not empty): an
// empty name, a folder, a name beyond NAME_MAX, a symlink loop, a read-only file,
// a folder that cannot be written or created.
OutputTarget check_output(const std::string& given, const std::string& what = "");

// Every output of one command.
class OutputSet {
 public:
  OutputSet();
  ~OutputSet();  // removes temporaries of an uncommitted set
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // Checks a path now, before any work: throws OutputError if it is bad or names the
  // same file as an output already expected.
  void expect(const std::string& path, const std::string& what = "");
  // The content of an output (expected earlier, or checked now).
  void stage(const std::string& path, Writer write);
  // Writes every staged output (files to temporaries, then streams), then renames the
  // temporaries into place. On any failure nothing is renamed, every temporary is
  // removed and OutputError (or the writer's own exception) is thrown.
  void commit();

 private:
  struct Item;
  std::vector<std::unique_ptr<Item>> items_;
  Item& add(const std::string& path, const std::string& what);
};

// One output, whole or nothing (an OutputSet of one).
void write_file_atomic(const std::filesystem::path& path, const Writer& write);

// A temporary file beside `target` for a writer that needs a path (video encoders):
// registered for removal on a signal, removed by the destructor unless committed. The
// first one in a folder removes the stale temporaries there (once per process).
class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& target);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return tmp_; }
  // Renames the temporary over the target (signals held back meanwhile).
  void commit();
  void remove();

 private:
  std::filesystem::path target_, tmp_;
  int slot_ = -1;
  bool done_ = false;
};

// Removes this program's temporaries left in `folder` by processes that no longer run
// (`.hbar-tmp-PID-N`); returns how many. Errors are ignored (nothing to report).
int remove_stale_temporaries(const std::filesystem::path& folder);

// For a SIGINT/SIGTERM handler (async-signal-safe): removes every live temporary,
// prints "PROGRAM: interrupted|terminated TAIL" on stderr (set beforehand with
// set_signal_message) and exits with 128 + sig. While outputs are being renamed into
// place it only records the signal; the commit then finishes and exits the same way,
// saying "after writing its outputs".
void exit_on_signal(int sig) noexcept;
void set_signal_message(const std::string& program, const std::string& tail = "; nothing written");
// Installs exit_on_signal for SIGINT and SIGTERM.
void install_output_signal_handlers(const std::string& program, const std::string& tail = "; nothing written");

}  // namespace hbar
