// hbar-cli samplers: quality against cost. Each sampler at each budget of network
// evaluations: exact W2 to held-out data over trials, the time taken, and the sampler's
// place on the h axis (SCIENCE.md §12).
#include <chrono>
#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "hbar/process/h_schedule.hpp"
#include "ranges.hpp"
#include "hbar/base/text.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/io/output.hpp"
#include "hbar/transport/sweep.hpp"

namespace hbar::cli {
namespace {

// "edm:churn=40:smin=0.05" → the sampler with those options. Keys: h (em), eta (ddim),
// churn, smin, smax, snoise, rho (edm), ra, rb, k, m, rho (restart).
SamplerConfig parse_sampler(const std::string& spec) {
  const std::vector<std::string> parts = split(spec, ':');
  const auto kind = sampler_by_name(parts.empty() ? std::string() : parts[0]);
  if (!kind) throw UsageError("--samplers: unknown sampler '" + (parts.empty() ? spec : parts[0]) +
                              "' in '" + spec + "' (em, heun, ddim, edm, restart)");
  SamplerConfig c;
  c.integrator = *kind;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto eq = parts[i].find('=');
    if (eq == std::string::npos) throw UsageError("--samplers: '" + parts[i] + "' in '" + spec + "' is not KEY=VALUE");
    const std::string key = parts[i].substr(0, eq);
    double v = 0;
    try {
      v = parse_spec_number(parts[i].substr(eq + 1), spec);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--samplers: " + std::string(e.what()));
    }
    const auto only = [&](Integrator k) {
      if (c.integrator != k)
        throw UsageError("--samplers: '" + key + "' is not an option of " + sampler_name(c.integrator) + " (in '" + spec + "')");
    };
    if (key == "h") only(Integrator::kEulerMaruyama), c.h = v;
    else if (key == "eta") only(Integrator::kDdim), c.eta = v;
    else if (key == "churn") only(Integrator::kEdm), c.churn = v;
    else if (key == "smin") only(Integrator::kEdm), c.s_tmin = v;
    else if (key == "smax") only(Integrator::kEdm), c.s_tmax = v;
    else if (key == "snoise") only(Integrator::kEdm), c.s_noise = v;
    else if (key == "ra") only(Integrator::kRestart), c.restart_min = v;
    else if (key == "rb") only(Integrator::kRestart), c.restart_max = v;
    else if (key == "k") only(Integrator::kRestart), c.restart_repeats = static_cast<int>(v);
    else if (key == "m") only(Integrator::kRestart), c.restart_steps = static_cast<int>(v);
    else if (key == "rho") c.rho = v;
    else throw UsageError("--samplers: unknown option '" + key + "' in '" + spec + "'");
  }
  if (!(c.h >= 0 && c.h <= 10)) throw UsageError("--samplers: h must be in [0, 10] (in '" + spec + "')");
  // The sampler's own checks, before any work.
  try {
    check_sampler(c);
  } catch (const std::invalid_argument& e) {
    throw UsageError("--samplers '" + spec + "': " + e.what());
  }
  return c;
}

}  // namespace

void add_samplers_command(CLI::App& app) {
  struct Opts {
    DataOptions data;
    ModelOptions model;
    std::string samplers = "em:h=0,em:h=1,heun,ddim:eta=0,ddim:eta=1,edm,edm:churn=40,restart";
    std::string nfe = "4,8,16,32,64,128,256", out, eval_file;
    long long trials = 5, n = 2000;
    int threads = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("samplers", "quality against cost: W2 of each sampler over budgets of network evaluations");
  o->data.add_to(*cmd, "--data-n", "points drawn from a built-in set (the empirical score's support)");
  o->model.add_to(*cmd);
  cmd->add_option("--samplers", o->samplers, "NAME[:KEY=VALUE…],… (keys: h; eta; churn, smin, smax, snoise, rho; ra, rb, k, m)")
      ->capture_default_str();
  cmd->add_option("--nfe", o->nfe, "budgets of network evaluations, comma-separated")->capture_default_str();
  cmd->add_option("--trials", o->trials, "trials per run (trial k: seed + k, held-out draw k)")->capture_default_str();
  cmd->add_option("--n", o->n, "generated (and held-out) points per trial")->capture_default_str();
  cmd->add_option("--eval-file", o->eval_file, "held-out CSV used by every trial (needed with --data-file)");
  cmd->add_option("--out", o->out, "CSV: sampler, nfe_budget, nfe, steps, w2_mean, w2_sem, seconds, h_mean, trials");
  cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON object on stdout");
  cmd->callback([o, cmd] {
    SamplerSweepConfig c;
    for (const std::string& s : split(o->samplers, ',')) c.samplers.push_back(parse_sampler(s));
    if (c.samplers.empty() || c.samplers.size() > 64) throw UsageError("--samplers: from 1 to 64 samplers");
    for (const std::string& s : split(o->nfe, ',')) {
      double v = 0;
      try {
        v = parse_spec_number(s, o->nfe);
      } catch (const std::invalid_argument& e) {
        throw UsageError("--nfe: " + std::string(e.what()));
      }
      if (!(v >= 1 && v <= 100000) || v != std::floor(v))
        throw UsageError("--nfe: each budget is a whole number from 1 to 100000 (got '" + s + "')");
      c.nfe.push_back(static_cast<long>(v));
    }
    if (c.nfe.empty() || c.nfe.size() > 64) throw UsageError("--nfe: from 1 to 64 budgets");
    require_positive(o->trials, "--trials");
    require_positive(o->n, "--n");
    if (o->trials > 100) throw UsageError("--trials: at most 100");
    if (o->n > 100000) throw UsageError("--n: at most 100000 (each trial is an exact W2 of n points)");
    if (o->threads < 0) throw UsageError("--threads must be >= 0");
    c.trials = static_cast<int>(o->trials);
    c.n = static_cast<std::size_t>(o->n);
    c.seed = o->data.sampler_seed();
    c.threads = o->threads;
    const Schedule schedule = o->model.make_schedule();
    OutputSet outs;
    expect_outputs(*cmd, outs, {{"--out", &o->out}});
    const Points data = o->data.load();
    const auto score = o->model.make_score(o->data, data, schedule);
    const auto heldout = o->data.heldout(c.n, o->eval_file);
    const auto t0 = std::chrono::steady_clock::now();
    Progress progress;
    std::vector<SamplerSweepRow> rows;
    {
      ProgressReporter rep("samplers", progress);
      rows = sampler_sweep(*score, schedule, c, heldout, &progress);
    }
    const double secs = seconds_since(t0);
    const auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    if (!o->out.empty())
      outs.stage(o->out, [&](std::ostream& f) {
        f << "sampler,nfe_budget,nfe,steps,w2_mean,w2_sem,seconds,h_mean,trials\n";
        f.precision(17);
        for (const SamplerSweepRow& r : rows) {
          f << '"' << r.sampler << "\"," << r.nfe_budget << ',' << r.nfe << ',' << r.steps << ',';
          if (r.steps > 0) f << r.w2_mean << ',' << r.w2_sem << ',' << r.seconds;
          else f << ",,";
          f << ',';
          if (std::isfinite(r.h_mean)) f << r.h_mean;
          f << ',' << c.trials << '\n';
        }
      });
    outs.commit();
    nlohmann::json jr = nlohmann::json::array();
    for (const SamplerSweepRow& r : rows)
      jr.push_back({{"sampler", r.sampler}, {"nfe_budget", r.nfe_budget}, {"nfe", r.nfe}, {"steps", r.steps},
                    {"w2_mean", num(r.w2_mean)}, {"w2_sem", num(r.w2_sem)}, {"seconds", r.seconds},
                    {"h_mean", num(r.h_mean)}, {"note", r.note}});
    const nlohmann::json j = {{"rows", jr},
                              {"trials", c.trials},
                              {"n", o->n},
                              {"data", o->data.label()},
                              {"schedule", schedule.name()},
                              {"score", score->describe()},
                              {"bias", o->model.bias},
                              {"seed", o->data.sampler_seed()},
                              {"out", o->out.empty() ? nlohmann::json(nullptr) : nlohmann::json(o->out)},
                              {"seconds", secs}};
    if (o->json) return print_json(j);
    std::fprintf(summary_out(), "%-28s %6s %6s  %-20s %9s %8s\n", "sampler", "NFE", "steps", "W2 (mean ± sem)", "s/trial",
                 "mean h");
    for (const SamplerSweepRow& r : rows) {
      if (r.steps == 0) {
        std::fprintf(summary_out(), "%-28s %6ld %6s  %s\n", r.sampler.c_str(), r.nfe_budget, "-", r.note.c_str());
        continue;
      }
      std::fprintf(summary_out(), "%-28s %6ld %6d  %.5f ± %.5f  %9.4f %8s\n", r.sampler.c_str(), r.nfe, r.steps,
                   r.w2_mean, r.w2_sem, r.seconds, std::isfinite(r.h_mean) ? app::number_text(r.h_mean).c_str() : "-");
    }
  });
}

}  // namespace hbar::cli
