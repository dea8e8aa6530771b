// hbar-cli data: draw a built-in data set and write it as CSV.
#include <chrono>

#include "commands.hpp"
#include "common.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"

namespace hbar::cli {

void add_data_command(CLI::App& app) {
  struct Opts {
    std::string name, out;
    long long n = 3000;
    std::uint64_t seed = 0;
    bool heldout = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("data", "draw a built-in data set and write it as CSV");
  cmd->add_option("--data", o->name, "data set: " + dataset_list())->required();
  cmd->add_option("--n", o->n, "number of points")->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  cmd->add_flag("--heldout", o->heldout, "draw from the held-out stream (evaluation data)");
  cmd->add_option("--out", o->out, "output CSV (x,y)")->required();
  cmd->add_flag("--json", o->json, "print a JSON summary on stdout");
  cmd->callback([o, cmd] {
    if (!is_dataset(o->name))
      throw UsageError("unknown data set '" + o->name + "' (choose from " + dataset_list() + ")");
    require_positive(o->n, "--n");
    OutputSet outs;
    expect_outputs(*cmd, outs, {{"--out", &o->out}});
    const auto t0 = std::chrono::steady_clock::now();
    const Points p = make_dataset(o->name, static_cast<std::size_t>(o->n), o->seed,
                                  o->heldout ? Stream::kHeldOut : Stream::kData);
    write_points_csv(o->out, p, nullptr, &outs);
    outs.commit();
    if (o->json)
      print_json({{"data", o->name}, {"n", p.rows()}, {"seed", o->seed}, {"heldout", o->heldout},
                  {"mean", mean_json(p)}, {"cov", cov_json(p)}, {"out", o->out},
                  {"seconds", seconds_since(t0)}});
  });
}

}  // namespace hbar::cli
