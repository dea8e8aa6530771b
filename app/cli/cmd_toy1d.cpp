// hbar-cli toy1d: the exactly solvable 1-D Gaussian model (SCIENCE.md §9).
#include <cmath>
#include <numbers>
#include <optional>

#include "commands.hpp"
#include "common.hpp"
#include "cli_ranges.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/process/toy1d.hpp"

namespace hbar::cli {

void add_toy1d_command(CLI::App& app) {
  struct Opts {
    Toy1d toy;
    double h = 0.0;
    bool simulate = false, json = false;
    long long n = 100000, steps = 1000;
    std::uint64_t seed = 0;
    int threads = 0;
    std::optional<double> x0;
    std::string window;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("toy1d", "closed-form u0, NLL, W2 of the 1-D Gaussian model, optionally simulated");
  cmd->add_option("--v0", o->toy.v0, "data variance v0")->capture_default_str();
  cmd->add_option("--beta", o->toy.beta, "constant beta (f = -beta/2, g^2 = beta)")->capture_default_str();
  cmd->add_option("--T", o->toy.T, "end time T")->capture_default_str();
  cmd->add_option("--uT", o->toy.uT, "variance u_T of the start at t = T")->capture_default_str();
  cmd->add_option("--eps", o->toy.eps, "score bias: s = -(1 + eps) x / v_t")->capture_default_str();
  cmd->add_option("--h", o->h, "noise variance factor h >= 0")->capture_default_str();
  cmd->add_flag("--simulate", o->simulate, "also run the sampler and measure the variance at t = 0");
  cmd->add_option("--n", o->n, "particles (each gives 2 independent 1-D draws)")->capture_default_str();
  cmd->add_option("--steps", o->steps, "time steps")->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
  cmd->add_option("--x0", o->x0,
                  "also log q0(x0) and the WKB coefficient C(x0), from the general likelihood solver");
  cmd->add_option("--h-window", o->window,
                  "noise only on the window(s) A:B[,C:D…] of t: u0, NLL, W2 (and --simulate) use h there, 0 elsewhere; "
                  "with --x0 also wkb_c_window = ∫_W c(x0, t) dt");
  cmd->add_flag("--json", o->json, "print one JSON object on stdout");
  cmd->callback([o] {
    try {
      o->toy.validate();
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--") + e.what());
    }
    if (!(o->h >= 0.0) || !std::isfinite(o->h))
      throw UsageError("--h must be >= 0 (got " + number_text(o->h) + ")");
    HSchedule hs = HSchedule::constant(o->h);
    if (!o->window.empty()) {
      try {
        hs = HSchedule::window(o->h, parse_windows(o->window)).clipped(0.0, o->toy.T);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--h-window: ") + e.what());
      }
    }
    const double u0 = o->toy.u0(hs);
    nlohmann::json j = {{"v0", o->toy.v0}, {"beta", o->toy.beta}, {"T", o->toy.T},
                        {"uT", o->toy.uT}, {"eps", o->toy.eps}, {"h", o->h},
                        {"u0", u0},        {"nll", o->toy.nll(hs)}, {"w2", std::abs(std::sqrt(u0) - std::sqrt(o->toy.v0))}};
    if (!o->window.empty()) j["h_window"] = format_windows(hs.windows());
    if (o->simulate) {
      require_positive(o->n, "--n");
      require_positive(o->steps, "--steps");
      const auto sim = simulate_toy(o->toy, hs, static_cast<std::size_t>(o->n),
                                    static_cast<int>(o->steps), o->seed, o->threads);
      j.update({{"sim_var", sim.var}, {"sim_var_stderr", sim.var_stderr},
                {"sim_draws", sim.draws}, {"sim_steps", o->steps},
                {"sim_var_euler", o->toy.u0_euler(hs, static_cast<int>(o->steps))}});
    }
    if (o->x0) {
      // The general 2-D solver on two independent copies at (x0, x0): the 1-D values
      // are half the 2-D ones. The closed form is reported beside it as the check.
      const double x0 = *o->x0;
      if (!std::isfinite(x0)) throw UsageError("--x0 must be a finite number");
      LikelihoodConfig cfg;
      cfg.ode = {1e-10, 1e-12};
      cfg.prior_var = o->toy.uT;
      cfg.keep_c = !o->window.empty();
      cfg.c_stops = hs.breakpoints();
      Points p(1, 2);
      p << x0, x0;
      const LikelihoodResult r = likelihood(*o->toy.score(), o->toy.schedule(), p, FirstOrder::kExact, cfg);
      const double u = o->toy.u0(0.0);
      j.update({{"x0", x0},
                {"logq0", r.logq0[0] / 2},
                {"wkb_c", r.c[0] / 2},
                {"logq0_closed_form", -0.5 * std::log(2 * std::numbers::pi * u) - x0 * x0 / (2 * u)},
                {"wkb_c_closed_form", o->toy.c_window(x0, 0.0, o->toy.T)}});
      if (!o->window.empty()) {
        double solver = 0, closed = 0;
        for (const HInterval& w : hs.windows()) {
          solver += r.c_traces[0].window(w.a, w.b) / 2;
          closed += o->toy.c_window(x0, w.a, w.b);
        }
        j.update({{"wkb_c_window", solver}, {"wkb_c_window_closed_form", closed}});
      }
    }
    require_finite(j);
    if (o->json) return print_json(j);
    std::printf("u0 = %.6g   NLL = %.6g   W2 = %.6g\n", j["u0"].get<double>(), j["nll"].get<double>(),
                j["w2"].get<double>());
    if (o->x0)
      std::printf("log q0(%g) = %.8g (closed form %.8g)   WKB C = %.8g   (1st-corr -C = %.8g)\n", *o->x0,
                  j["logq0"].get<double>(), j["logq0_closed_form"].get<double>(), j["wkb_c"].get<double>(),
                  -j["wkb_c"].get<double>());
    if (j.contains("wkb_c_window"))
      std::printf("∫_W c(x0, t) dt on %s = %.8g (closed form %.8g)\n", o->window.c_str(),
                  j["wkb_c_window"].get<double>(), j["wkb_c_window_closed_form"].get<double>());
    if (o->simulate)
      std::printf("simulated variance = %.6g ± %.2g (%zu draws; Euler-discrete truth %.6g)\n",
                  j["sim_var"].get<double>(), j["sim_var_stderr"].get<double>(),
                  j["sim_draws"].get<std::size_t>(), j["sim_var_euler"].get<double>());
  });
}

}  // namespace hbar::cli
