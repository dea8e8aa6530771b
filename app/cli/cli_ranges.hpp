#pragma once
// Every number hbar-cli takes has a range, checked when the command line is parsed:
// outside it, one line naming the option, the range and why (exit 2). The table is the
// app's and the CLI's one table (app/common/ranges.hpp); `hbar-cli ranges` prints it.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "ranges.hpp"

namespace hbar::cli {

using app::find_range;
using app::number_text;
using app::Range;
using app::range_text;
using app::ranges;

// Attaches each option's range as its validator, in every subcommand of `app`, and the one
// number syntax (hbar/base/number.hpp) to every numeric option without a range.
void attach_ranges(CLI::App& app);
// The table as markdown (`hbar-cli ranges`, docs/cli.md).
std::string ranges_markdown();
// hbar-cli ranges [--json]: the table.
void add_ranges_command(CLI::App& app);

}  // namespace hbar::cli
