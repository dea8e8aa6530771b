#pragma once
// Each subcommand registers itself on the app; its callback does the work.
#include <CLI/CLI.hpp>

namespace hbar::cli {
void add_data_command(CLI::App& app);
void add_sample_command(CLI::App& app);
void add_forward_command(CLI::App& app);
void add_toy1d_command(CLI::App& app);
void add_w2_command(CLI::App& app);
void add_nll_command(CLI::App& app);
void add_table1_command(CLI::App& app);
void add_suggest_h_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_samplers_command(CLI::App& app);
void add_train_command(CLI::App& app);
}  // namespace hbar::cli
