#pragma once
// Open… / Save as… (issue 11): a small file chooser of our own (Debian has no
// file-dialog library): folders first, then files filtered by extension, a path box,
// and recent places. The listing is plain C++ (tested headless); the dialog is ImGui.
#include <filesystem>
#include <string>
#include <vector>

namespace hbar::app {

struct DirEntry {
  std::string name;
  bool is_dir = false;
};

// The entries of `dir`: "..", then folders, then files whose extension is one of
// `exts` (".csv", any case; empty: every file), each group by name; hidden entries
// (a leading dot) left out. Throws std::runtime_error naming the folder when it
// cannot be read.
std::vector<DirEntry> list_dir(const std::filesystem::path& dir, const std::vector<std::string>& exts);

class FileBrowser {
 public:
  // Opens the dialog. `command` is the command's words before the path (e.g. {"load"},
  // {"session", "save"}); `save` asks for a new name (else an existing file).
  void open(std::string title, std::vector<std::string> command, std::vector<std::string> exts, bool save,
            const std::string& start_dir, const std::string& default_name = "");
  // Draws the dialog when open; returns the chosen command (words + path) once.
  std::vector<std::string> draw();
  bool is_open() const { return open_; }
  // Enter from the window's key callback (a press and release between two slow frames
  // escapes ImGui 1.86's polled keys): confirms at the next draw.
  void confirm() { confirm_ = true; }
  // Folders where files were chosen, newest first (at most 8).
  const std::vector<std::string>& recent() const { return recent_; }

 private:
  void go(const std::filesystem::path& dir);
  bool open_ = false, save_ = false, just_opened_ = false, confirm_ = false;
  std::string title_, error_;
  std::vector<std::string> command_, exts_, recent_;
  std::filesystem::path dir_;
  std::vector<DirEntry> entries_;
  char name_[512] = "";
};

}  // namespace hbar::app
