#pragma once
// Every number hbar-cli takes has a range, checked in one place when the command line is
// parsed: outside it, one line naming the option, the range and why (exit 2). The ranges
// keep one request within this machine's memory and a run that finishes (issue 13);
// `hbar-cli ranges` prints them (README "hbar-cli ranges").
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hbar::cli {

struct Range {
  const char* command;  // the subcommand, or "*" for every subcommand with the option
  const char* option;   // "--steps"
  double lo, hi;
  bool lo_open;         // (lo, hi] instead of [lo, hi]
  const char* why;
};
const std::vector<Range>& ranges();
// The range of an option in a command (a command's own row before a "*" row), or null.
const Range* find_range(const std::string& command, const std::string& option);
// "[1, 100000]" / "(-1, 10]" with %g numbers.
std::string range_text(const Range& r);
// A number for a message: %g (never 300 digits of 1e308).
std::string number_text(double v);
// Attaches each option's range as its validator, in every subcommand of `app`.
void attach_ranges(CLI::App& app);
// hbar-cli ranges [--json]: the table.
void add_ranges_command(CLI::App& app);

}  // namespace hbar::cli
