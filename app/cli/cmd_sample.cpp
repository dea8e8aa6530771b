// hbar-cli sample / forward: the h-dynamics from the prior, and the forward SDE from data.
#include <chrono>
#include <cmath>

#include "commands.hpp"
#include "common.hpp"
#include "cli_ranges.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/process/dynamics.hpp"
#include "setting_table.hpp"

namespace hbar::cli {
namespace {

struct RunOptions {
  DataOptions data;
  ModelOptions model;
  SessionOptions session;
  HShapeOptions shape;
  double h = 0.0;
  long long n = 3000, steps = 1000, stride = 10;
  int threads = 0;
  std::string integrator = "em", out, traj_out;
  bool json = false;
  // The field's samplers (SCIENCE.md §12).
  double eta = 0.0, churn = 0.0, s_tmin = 0.0, s_tmax = 1e300, s_noise = 1.0, rho = 7.0;
  std::string restart = "0.06:0.3";
  int restart_repeats = 2, restart_steps = 4;
};

// Each sampler's own default step count (grid points or evaluations): the h-family's
// 1000 (the paper), DDIM's 50, EDM's 18 (its CIFAR-10 setting), Restart's 18.
long long default_steps(Integrator k) {
  switch (k) {
    case Integrator::kDdim: return 50;
    case Integrator::kEdm:
    case Integrator::kRestart: return 18;
    default: return 1000;
  }
}

void add_run_flags(CLI::App& cmd, RunOptions& o) {
  cmd.add_option("--steps", o.steps, "time steps N")->capture_default_str();
  cmd.add_option("--out", o.out, "CSV of the final positions (x,y)");
  cmd.add_option("--trajectories", o.traj_out, "CSV of trajectories (particle,step,t,x,y)");
  cmd.add_option("--stride", o.stride, "keep every M-th step in --trajectories")->capture_default_str();
  cmd.add_option("--threads", o.threads, "worker threads (0: all cores)")->capture_default_str();
  cmd.add_flag("--json", o.json, "print one JSON object on stdout");
}

SamplerConfig config_of(const RunOptions& o) {
  require_positive(o.steps, "--steps");
  if (!o.traj_out.empty()) require_positive(o.stride, "--stride");
  if (o.threads < 0) throw UsageError("--threads must be >= 0");
  SamplerConfig c;
  c.h = o.h;
  c.steps = static_cast<int>(o.steps);
  c.seed = o.data.sampler_seed();
  c.stride = o.traj_out.empty() ? 0 : static_cast<int>(o.stride);
  c.threads = o.threads;
  return c;
}

void expect_run_outputs(const CLI::App& cmd, const RunOptions& o, OutputSet& outs) {
  expect_outputs(cmd, outs, {{"--out", &o.out}, {"--trajectories", &o.traj_out}});
}

nlohmann::json write_outputs(const RunOptions& o, const SampleResult& r, OutputSet& outs) {
  // A blown-up run is reported, never written (no NaN reaches a CSV or the JSON).
  if (const std::string bad = r.refusal(static_cast<int>(o.steps)); !bad.empty()) throw UsageError(bad);
  if (!o.out.empty()) write_points_csv(o.out, r.samples, nullptr, &outs);
  if (!o.traj_out.empty()) write_trajectories_csv(o.traj_out, r.trajectories, nullptr, &outs);
  outs.commit();  // both or neither
  nlohmann::json j = {{"mean", mean_json(r.samples)}, {"cov", cov_json(r.samples)}};
  j["out"] = o.out.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.out);
  j["trajectories"] = o.traj_out.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.traj_out);
  return j;
}

void report(const RunOptions& o, const nlohmann::json& j) {
  require_finite(j);
  if (o.json) return print_json(j);
  std::fprintf(summary_out(), "%lld samples in %.3f s, mean (%.4f, %.4f)\n", j["n"].get<long long>(),
              j["seconds"].get<double>(), j["mean"][0].get<double>(), j["mean"][1].get<double>());
  if (!o.out.empty()) std::fprintf(summary_out(), "samples: %s\n", o.out.c_str());
  if (!o.traj_out.empty()) std::fprintf(summary_out(), "trajectories: %s\n", o.traj_out.c_str());
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("sample", "generate samples with the h-dynamics (h = 0: PF ODE, h = 1: reverse SDE)");
  o->data.add_to(*cmd, "--data-n", "points drawn from a built-in set (the empirical score's support)");
  o->model.add_to(*cmd);
  cmd->add_option("--h", o->h, "noise variance factor h in [0, 10]")->capture_default_str();
  cmd->add_option("--n", o->n, "number of particles")->capture_default_str();
  o->shape.add_to(*cmd);
  o->session.add_to(*cmd);
  cmd->add_option("--sampler,--integrator", o->integrator,
                  "em (Euler–Maruyama) | heun (h = 0 only) | ddim | edm | restart (SCIENCE.md §12)")
      ->capture_default_str();
  cmd->add_option("--eta", o->eta, "ddim: η in [0, 1] (1: DDPM's ancestral sampler; h = η²)")->capture_default_str();
  cmd->add_option("--churn", o->churn, "edm: S_churn >= 0")->capture_default_str();
  cmd->add_option("--s-tmin", o->s_tmin, "edm: churn from this noise level σ/α (t for edm)")->capture_default_str();
  cmd->add_option("--s-tmax", o->s_tmax, "edm: churn up to this noise level (default: all)");
  cmd->add_option("--s-noise", o->s_noise, "edm: S_noise > 0 (> 1 inflates the churn's noise)")->capture_default_str();
  cmd->add_option("--rho", o->rho, "edm, restart: ρ of Karras's grid")->capture_default_str();
  cmd->add_option("--restart", o->restart, "restart: the interval A:B of noise levels σ/α walked again")
      ->capture_default_str();
  cmd->add_option("--restart-repeats", o->restart_repeats, "restart: how often (K)")->capture_default_str();
  cmd->add_option("--restart-steps", o->restart_steps, "restart: Heun steps in each walk")->capture_default_str();
  add_run_flags(*cmd, *o);
  cmd->callback([o, cmd] {
    o->session.apply(*cmd, o->data, o->model, &o->h, &o->n, &o->steps, &o->shape);
    if (!(o->h >= 0.0 && o->h <= app::kMaxH))
      throw UsageError("--h must be in [0, 10] (got " + number_text(o->h) + ")");
    require_positive(o->n, "--n");
    const auto kind = sampler_by_name(o->integrator);
    if (!kind) throw UsageError("unknown sampler '" + o->integrator + "' (choose em, heun, ddim, edm or restart)");
    const bool family = *kind == Integrator::kEulerMaruyama || *kind == Integrator::kHeun;
    if (!family && (cmd->count("--h") > 0 || o->shape.given()))
      throw UsageError(std::string("--sampler ") + sampler_name(*kind) +
                       " sets its own noise (--eta, --churn): --h and h(t) are the h-family's (em, heun)");
    if (cmd->count("--steps") == 0 && o->session.path.empty()) o->steps = default_steps(*kind);
    const Schedule schedule = o->model.make_schedule();
    // --h-knots carry their own h unless --h is given beside them (then it is their height).
    const HSchedule hs = o->shape.make(o->h, schedule, cmd->count("--h") == 0 && !o->shape.from_session);
    if (hs.height() > app::kMaxH)
      throw UsageError("--h-knots: h must be in [0, 10] (got " + number_text(hs.height()) + ")");
    if (o->integrator == "heun" && hs.height() != 0.0)
      throw UsageError("--integrator heun solves the PF ODE: it needs --h 0");
    SamplerConfig c = config_of(*o);
    c.n = static_cast<std::size_t>(o->n);
    c.integrator = *kind;
    if (o->shape.given()) c.h_of_t = hs;
    c.eta = o->eta;
    c.churn = o->churn;
    c.s_tmin = o->s_tmin;
    c.s_tmax = o->s_tmax;
    c.s_noise = o->s_noise;
    c.rho = o->rho;
    if (*kind == Integrator::kRestart) {
      const auto ab = one_interval(o->restart, "--restart");
      c.restart_min = ab.first;
      c.restart_max = ab.second;
    }
    c.restart_repeats = o->restart_repeats;
    c.restart_steps = o->restart_steps;
    if (!family) {
      try {
        check_sampler(c);  // the sampler's own checks, before any work
      } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
      }
    }
    OutputSet outs;
    expect_run_outputs(*cmd, *o, outs);
    const Points data = o->data.load();
    const auto score = o->model.make_score(o->data, data, schedule);

    const auto t0 = std::chrono::steady_clock::now();
    Progress progress;
    SampleResult r;
    {
      ProgressReporter rep("sample", progress);
      r = sample_reverse(*score, schedule, c, &progress);
    }
    const double secs = seconds_since(t0);
    // Finite but far beyond the data: a blow-up all the same (after the non-finite check;
    // the step-count bound is the h-family's explicit Euler stability).
    if (family && r.refusal(static_cast<int>(o->steps)).empty()) {
      const Divergence far = find_divergence(r, data, *score, schedule, hs, static_cast<int>(o->steps));
      if (!far.refusal.empty()) throw UsageError(far.refusal);
      if (!far.note.empty()) std::fprintf(stderr, "note: %s\n", far.note.c_str());
    }
    auto j = write_outputs(*o, r, outs);
    j.update({{"n", o->n}, {"h", hs.height()}, {"steps", o->steps}, {"seconds", secs},
              {"h_schedule", HShapeOptions::json(hs, schedule)},
              {"data", o->data.label()}, {"schedule", schedule.name()}, {"score", score->describe()},
              {"bias", o->model.bias}, {"integrator", sampler_name(*kind)}, {"sampler", sampler_name(*kind)},
              {"nfe", sampler_nfe(c)}, {"seed", o->data.sampler_seed()}});
    if (*kind == Integrator::kDdim) j["eta"] = o->eta;
    if (*kind == Integrator::kEdm)
      j.update({{"churn", o->churn}, {"s_tmin", o->s_tmin}, {"s_tmax", o->s_tmax}, {"s_noise", o->s_noise}});
    if (*kind == Integrator::kEdm || *kind == Integrator::kRestart) j["rho"] = o->rho;
    if (*kind == Integrator::kRestart)
      j.update({{"restart", {c.restart_min, c.restart_max}}, {"restart_repeats", c.restart_repeats},
                {"restart_steps", c.restart_steps}});
    // Where the sampler sits on the h axis: [t, h] pairs, or what it is instead.
    const EquivalentH eh = equivalent_h(schedule, c);
    if (eh.none.empty()) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& [t, h] : eh.points) pts.push_back({t, h});
      j["equivalent_h"] = pts;
    } else {
      j["equivalent_h"] = nullptr;
      j["equivalent_h_note"] = eh.none;
    }
    report(*o, j);
  });
}

void add_forward_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("forward", "run the forward SDE from data to noise");
  o->data.add_to(*cmd, "--n", "points drawn from a built-in set (a file: all its rows)");
  cmd->add_option("--schedule", o->model.schedule, "the forward process: simple | cosine | edm | linear")->capture_default_str();
  add_run_flags(*cmd, *o);
  cmd->callback([o, cmd] {
    const SamplerConfig c = config_of(*o);
    OutputSet outs;
    expect_run_outputs(*cmd, *o, outs);
    const Schedule schedule = o->model.make_schedule();
    const Points data = o->data.load();
    const auto t0 = std::chrono::steady_clock::now();
    Progress progress;
    SampleResult r;
    {
      ProgressReporter rep("forward", progress);
      r = sample_forward(data, schedule, c, &progress);
    }
    const double secs = seconds_since(t0);
    auto j = write_outputs(*o, r, outs);
    j.update({{"n", data.rows()}, {"steps", o->steps}, {"seconds", secs}, {"data", o->data.label()},
              {"schedule", schedule.name()}, {"seed", o->data.seed}});
    report(*o, j);
  });
}

}  // namespace hbar::cli
