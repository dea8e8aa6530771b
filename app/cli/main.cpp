// hbar-cli: the hbar core without a window, for scripts, sweeps and tests.
//
// Exit status: 0 on success; 2 on any bad input (unknown names, bad numbers, a bad
// or unreadable CSV, an unwritable output), with one line on stderr and no output
// file written.
#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "docs.hpp"
#include "cli_ranges.hpp"
#include "hbar/base/text.hpp"

int main(int argc, char** argv) {
  CLI::App app{"hbar-cli: the path-integral view of diffusion models, headless"};
  app.require_subcommand(1, 1);
  app.set_version_flag("--version", "hbar-cli 0.1.0");
  hbar::cli::add_data_command(app);
  hbar::cli::add_sample_command(app);
  hbar::cli::add_forward_command(app);
  hbar::cli::add_toy1d_command(app);
  hbar::cli::add_w2_command(app);
  hbar::cli::add_nll_command(app);
  hbar::cli::add_table1_command(app);
  hbar::cli::add_suggest_h_command(app);
  hbar::cli::add_sweep_command(app);
  hbar::cli::add_samplers_command(app);
  hbar::cli::add_train_command(app);
  hbar::cli::add_ranges_command(app);
  hbar::cli::add_help_command(app);
  hbar::cli::attach_ranges(app);  // last: every option of every command is there
  hbar::cli::attach_docs(app);
  std::string program = "hbar-cli";  // the command's name for the signal's one line
  if (argc > 1)
    for (const auto* sub : app.get_subcommands({}))
      if (sub->get_name() == argv[1]) program += " " + sub->get_name();
  hbar::cli::install_interrupt_handler(program);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string where = "hbar-cli";
    for (const auto* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << where << ": " << e.what() << " (see " << where << " --help)" << std::endl;
    return 2;
  } catch (const hbar::Cancelled&) {
    std::string where = "hbar-cli";
    for (const auto* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << where << ": interrupted; nothing written" << std::endl;
    return 130;
  } catch (const std::exception& e) {
    std::string where = "hbar-cli";
    for (const auto* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << where << ": " << hbar::printable(e.what()) << std::endl;  // no escape sequence reaches the terminal
    return 2;
  }
  return 0;
}
