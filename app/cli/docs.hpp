#pragma once
// hbar-cli's reference, generated from the program: each subcommand's options (names,
// defaults, ranges, descriptions) from CLI11 itself, the ranges from ranges.cpp and the
// prose from docs_text.cpp. `hbar-cli help --markdown` prints docs/cli.md; a test fails
// when the file and the program disagree.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hbar::cli {

struct CommandDoc {
  const char* name;   // the subcommand
  const char* usage;  // its synopsis after "hbar-cli NAME"
  const char* text;   // what it does, its JSON keys and CSV columns (markdown)
};
const char* cli_intro();
const std::vector<CommandDoc>& command_docs();

// Gives each subcommand its text as the footer of --help. Call after every subcommand is added.
void attach_docs(CLI::App& app);
// The whole reference as markdown (docs/cli.md).
std::string markdown_reference(CLI::App& app);
// hbar-cli help [--markdown] [COMMAND].
void add_help_command(CLI::App& app);

}  // namespace hbar::cli
