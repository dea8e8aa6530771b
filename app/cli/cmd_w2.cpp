// hbar-cli w2: exact or sliced Wasserstein-2 between two CSV point clouds.
#include <chrono>

#include "commands.hpp"
#include "common.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/transport/transport.hpp"

namespace hbar::cli {

void add_w2_command(CLI::App& app) {
  struct Opts {
    std::string a, b, method = "exact";
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("w2", "Wasserstein-2 between two point clouds (W2 and W2², named)");
  cmd->add_option("A", o->a, "first CSV (x, y)")->required();
  cmd->add_option("B", o->b, "second CSV (x, y)")->required();
  cmd->add_option("--method", o->method, "exact (network simplex) | sliced (approximate lower bound)")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON object on stdout");
  cmd->callback([o] {
    if (o->method != "exact" && o->method != "sliced")
      throw UsageError("unknown method '" + o->method + "' (choose exact or sliced)");
    const Points a = read_points_csv(o->a), b = read_points_csv(o->b);
    const auto t0 = std::chrono::steady_clock::now();
    double w2sq = 0;
    nlohmann::json j;
    if (o->method == "exact") {
      Progress progress;
      ProgressReporter rep("w2", progress);
      const W2Result r = exact_w2(a, b, &progress);
      w2sq = r.w2sq;
      j["solves"] = r.rounds;
    } else {
      // Reported on W2's scale: sqrt(2 · SW2²) ≤ W2 in 2-D.
      w2sq = 2.0 * sliced_w2sq(a, b);
    }
    const double secs = seconds_since(t0);
    j.update({{"w2", std::sqrt(w2sq)}, {"w2sq", w2sq}, {"method", o->method}, {"n_a", a.rows()},
              {"n_b", b.rows()}, {"seconds", secs}});
    require_finite(j);
    if (o->json) return print_json(j);
    std::printf("%s W2 = %.10g   W2^2 = %.10g   (%lld vs %lld points, %.3f s)\n",
                o->method == "exact" ? "exact" : "sliced (lower bound)", std::sqrt(w2sq), w2sq,
                static_cast<long long>(a.rows()), static_cast<long long>(b.rows()), secs);
  });
}

}  // namespace hbar::cli
