#pragma once
// The one table of ranges (ARCHITECTURE.md rule 14): every number hbar-cli takes, and the
// app's and sessions' key for the same quantity. Where the app allows less than the CLI,
// the row gives the app's bounds and why. hbar-cli checks its options against it when the
// command line is parsed (app/cli/ranges.cpp), the setting table takes the shared rows'
// bounds from it (setting_table.cpp), and docs/cli.md prints it (`hbar-cli ranges`).
#include <string>
#include <vector>

namespace hbar::app {

struct Range {
  const char* command;  // the subcommand, or "*" for every subcommand with the option
  const char* option;   // "--steps"
  double lo, hi;
  bool lo_open;         // (lo, hi] instead of [lo, hi]
  const char* why;
  // The same quantity in the app, scripts and sessions ("" when the app has none).
  const char* setting = "";
  // The app's bounds where it allows less than the CLI, and why (app_why "": the same).
  double app_lo = 0, app_hi = 0;
  const char* app_why = "";
};
const std::vector<Range>& ranges();
// The range of an option in a command (a command's own row before a "*" row), or null.
const Range* find_range(const std::string& command, const std::string& option);
// The row of an app setting; throws std::logic_error when there is none (a programming error).
const Range& setting_range(const std::string& key);
// The app's bounds of a row: its own where it names them, else the CLI's.
double app_lo(const Range& r);
double app_hi(const Range& r);
// "[1, 100000]" / "(-1, 10]" with %g numbers.
std::string range_text(const Range& r);
// A number for a message: %g (never 300 digits of 1e308).
std::string number_text(double v);

}  // namespace hbar::app
