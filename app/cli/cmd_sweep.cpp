// hbar-cli sweep: W2 between generated and held-out samples over a range of h
// (the paper's Fig. 4 protocol, SCIENCE.md §7).
#include <chrono>
#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "cli_ranges.hpp"
#include "setting_table.hpp"
#include "hbar/io/output.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/transport/sweep.hpp"

namespace hbar::cli {

void add_sweep_command(CLI::App& app) {
  struct Opts {
    DataOptions data;
    ModelOptions model;
    SessionOptions session;
    HShapeOptions shape;
    std::string h = "0:0.2:10", method = "exact", out, eval_file;
    long long trials = 10, n = 3000, steps = 1000;
    int threads = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("sweep", "W2 and W2² against held-out data over h, mean ± std over trials");
  o->data.add_to(*cmd, "--data-n", "points drawn from a built-in set (the empirical score's support)");
  o->model.add_to(*cmd);
  o->session.add_to(*cmd);
  cmd->add_option("--h", o->h, "START:STOP:COUNT (inclusive, like linspace) or one value")->capture_default_str();
  o->shape.add_to(*cmd);
  cmd->add_option("--trials", o->trials, "trials per h (trial k: seed + k, held-out draw k)")->capture_default_str();
  cmd->add_option("--n", o->n, "generated (and held-out) points per trial")->capture_default_str();
  cmd->add_option("--steps", o->steps, "time steps")->capture_default_str();
  cmd->add_option("--method", o->method, "exact | sliced (a lower bound, for quick looks)")->capture_default_str();
  cmd->add_option("--eval-file", o->eval_file, "held-out CSV used by every trial (needed with --data-file)");
  cmd->add_option("--out", o->out, "CSV: h, w2_mean, w2_std, w2_sem, w2sq_mean, w2sq_std, w2sq_sem, trials");
  cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON object on stdout");
  cmd->callback([o, cmd] {
    o->session.apply(*cmd, o->data, o->model, nullptr, &o->n, &o->steps, &o->shape);
    SweepConfig c;
    try {
      c.h = parse_h_range(o->h);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--h ") + e.what());
    }
    if (c.h.size() > 1000) throw UsageError("--h: at most 1000 values (each a run per trial)");
    for (double h : c.h)
      if (h > app::kMaxH) throw UsageError("--h '" + o->h + "': h must be in [0, 10], got " + number_text(h));
    require_positive(o->trials, "--trials");
    require_positive(o->n, "--n");
    require_positive(o->steps, "--steps");
    if (o->threads < 0) throw UsageError("--threads must be >= 0");
    if (o->method != "exact" && o->method != "sliced")
      throw UsageError("unknown --method '" + o->method + "' (choose exact or sliced)");
    c.trials = static_cast<int>(o->trials);
    c.n = static_cast<std::size_t>(o->n);
    c.steps = static_cast<int>(o->steps);
    c.seed = o->data.sampler_seed();
    c.threads = o->threads;
    c.method = o->method == "exact" ? W2Method::kExact : W2Method::kSliced;
    const Schedule schedule = o->model.make_schedule();
    // Each h of the list is the height of the --h-window / --h-knots shape.
    c.shape = o->shape.make(1.0, schedule);
    OutputSet outs;
    expect_outputs(*cmd, outs, {{"--out", &o->out}});
    const Points data = o->data.load();
    const auto score = o->model.make_score(o->data, data, schedule);
    // A file's data has no held-out draw: --eval-file, or a session's points themselves (as in the app).
    const auto heldout = o->data.heldout(c.n, o->eval_file);
    const auto t0 = std::chrono::steady_clock::now();
    Progress progress;
    std::vector<SweepRow> rows;
    {
      ProgressReporter rep("sweep", progress);
      rows = w2_sweep(*score, schedule, c, heldout, &progress);
    }
    const double secs = seconds_since(t0);
    for (const SweepRow& r : rows)
      if (!std::isfinite(r.w2_mean) || !std::isfinite(r.w2_std) || !std::isfinite(r.w2sq_sem))
        throw std::runtime_error("W2 at h = " + std::to_string(r.h) + " is not finite: nothing written");
    if (!o->out.empty())
      outs.stage(o->out, [&](std::ostream& f) {
        f << "h,w2_mean,w2_std,w2_sem,w2sq_mean,w2sq_std,w2sq_sem,trials\n";
        f.precision(17);
        for (const SweepRow& r : rows)
          f << r.h << ',' << r.w2_mean << ',' << r.w2_std << ',' << r.w2_sem << ',' << r.w2sq_mean << ','
            << r.w2sq_std << ',' << r.w2sq_sem << ',' << c.trials << '\n';
      });
    outs.commit();
    nlohmann::json jr = nlohmann::json::array();
    for (const SweepRow& r : rows)
      jr.push_back({{"h", r.h}, {"h_integral", r.h * c.shape.integral(schedule.t_min(), schedule.t_max())},
                    {"w2_mean", r.w2_mean}, {"w2_std", r.w2_std}, {"w2_sem", r.w2_sem},
                    {"w2sq_mean", r.w2sq_mean}, {"w2sq_std", r.w2sq_std}, {"w2sq_sem", r.w2sq_sem}});
    const nlohmann::json j = {{"rows", jr},
                              {"h_shape", HShapeOptions::json(c.shape, schedule)},
                              {"method", o->method},
                              {"trials", c.trials},
                              {"n", o->n},
                              {"steps", o->steps},
                              {"data", o->data.label()},
                              {"schedule", schedule.name()},
                              {"score", score->describe()},
                              {"bias", o->model.bias},
                              {"seed", o->data.sampler_seed()},
                              {"data_seed", o->data.seed},
                              {"out", o->out.empty() ? nlohmann::json(nullptr) : nlohmann::json(o->out)},
                              {"seconds", secs}};
    require_finite(j);
    if (o->json) return print_json(j);
    std::fprintf(summary_out(), "%8s  %-22s  %-22s\n", "h", o->method == "exact" ? "W2 (mean ± sem)" : "W2 >= (sliced)",
                "W2² (mean ± sem)");
    for (const SweepRow& r : rows)
      std::fprintf(summary_out(), "%8.4f  %.5f ± %.5f       %.5f ± %.5f\n", r.h, r.w2_mean, r.w2_sem, r.w2sq_mean, r.w2sq_sem);
  });
}

}  // namespace hbar::cli
