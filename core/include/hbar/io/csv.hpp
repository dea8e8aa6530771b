#pragma once
// Reading user point clouds from CSV and writing points back.
//
// Accepted: two numeric columns x, y; an optional header row (first data line
// with no numeric field); '#' comment lines and blank lines; comma, semicolon,
// tab or whitespace separators (detected from the first non-comment line); CRLF;
// a UTF-8 BOM. Everything else throws CsvError naming the file, the line and the
// reason, and nothing is returned: a load is all or nothing.
#include "hbar/base/progress.hpp"
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "hbar/process/dynamics.hpp"
#include "hbar/base/types.hpp"

namespace hbar {
class OutputSet;

inline constexpr std::size_t kMaxCsvRows = 10'000'000;

class CsvError : public std::runtime_error {
 public:
  // line == 0: the error concerns the whole file.
  CsvError(std::string file, std::size_t line, std::string reason);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string reason_;
};

// Parse CSV text; `name` is used in error messages.
Points parse_points_csv(std::string_view text, const std::string& name);
// Read and parse a file (missing, unreadable, directory: CsvError with line 0).
Points read_points_csv(const std::filesystem::path& path);
// Write "x,y" and one row per point with round-trip precision (whole or nothing). With
// `into`, the file is staged there instead (written by its commit(), with the command's
// other outputs: `points` must live until then). Non-finite points are refused now.
void write_points_csv(const std::filesystem::path& path, const Points& points, Progress* progress = nullptr,
                      OutputSet* into = nullptr);
// Write "particle,step,t,x,y", grouped by particle, steps in time order (as above).
void write_trajectories_csv(const std::filesystem::path& path, const Trajectories& traj, Progress* progress = nullptr,
                            OutputSet* into = nullptr);

}  // namespace hbar
