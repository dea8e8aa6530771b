#pragma once
// A command and the queue every input goes through (ARCHITECTURE.md rule 11): below the
// app state (UiState holds the queue); commands.hpp, above it, parses and applies them.
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hbar::app {

struct Command {
  std::vector<std::string> words;
  std::string origin;  // "panel", "key", "drop", "script demo.hbs:4", "session F.json"
  static Command parse(const std::string& line, std::string origin);
};

// Filled by any thread (the drop callback), drained by the controller once a frame.
class CommandQueue {
 public:
  void push(Command c);
  std::optional<Command> pop();
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::deque<Command> q_;
};

}  // namespace hbar::app
