#pragma once
// Data drawn and edited by hand: a brush that adds points, an eraser, clear, and
// the undo / redo history of these edits (issue 11). No ImGui: the panels, the
// mouse and scripts issue `draw …`, `undo`, `redo` commands that end here.
#include <cstdint>
#include <memory>
#include <vector>

#include "settings.hpp"

namespace hbar::app {

// A drawn set needs this many points before it becomes a scene (a score needs two).
inline constexpr int kMinDrawnPoints = 2;
// Largest brush radius and points per `draw add` (data units / points).
inline constexpr double kMaxBrushRadius = 100.0;
inline constexpr int kMaxBrushPoints = 10000;

// `p` with n points added around (x, y): normal with standard deviation r / 2,
// redrawn until inside the disc of radius r. Deterministic in `seed`.
// The result has at most kMaxDataPoints rows (throws std::invalid_argument beyond).
Points add_disc(const Points& p, double x, double y, double r, int n, std::uint64_t seed);
// `p` without the points inside the closed disc of radius r around (x, y).
Points erase_disc(const Points& p, double x, double y, double r);

// Where the scene's data comes from: a built-in draw, a file, or points.
struct DataSource {
  std::string data, data_file;
  std::shared_ptr<const Points> points;
  int data_n = 0;
  std::uint64_t data_seed = 0;
  static DataSource of(const SceneSettings& s);
  void apply_to(SceneSettings& s) const;
  bool operator==(const DataSource& o) const;
};

// Undo / redo of data edits. A stroke (mouse down … up) is one step; a script's
// `draw` command is one step each.
class EditHistory {
 public:
  // Before an edit: remembers `before` (unless inside a stroke that already did).
  void will_edit(const DataSource& before);
  void begin_stroke() { stroke_open_ = false, in_stroke_ = true; }
  void end_stroke() { in_stroke_ = false; }
  bool in_stroke() const { return in_stroke_; }
  // Returns the source to restore, pushing `current` on the other stack; false when empty.
  bool undo(const DataSource& current, DataSource& out);
  bool redo(const DataSource& current, DataSource& out);
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  void clear();
  // Counts `draw add` commands: with the scene's seed, the seed of the next one.
  std::uint64_t next_add() { return adds_++; }

 private:
  std::vector<DataSource> undo_, redo_;
  bool in_stroke_ = false, stroke_open_ = false;
  std::uint64_t adds_ = 0;
  static constexpr std::size_t kMaxSteps = 200;  // undo depth
};

}  // namespace hbar::app
