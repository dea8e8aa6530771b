// hbar-cli nll / table1: the likelihood (SCIENCE.md §5) and the paper's Table-1 row.
#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "cli_ranges.hpp"
#include "hbar/base/number.hpp"
#include "hbar/io/output.hpp"
#include "hbar/base/stats.hpp"
#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/likelihood/fokker_planck.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/likelihood/wkb_time.hpp"
#include "setting_table.hpp"

namespace hbar::cli {
namespace {

struct NllOptions {
  DataOptions data;
  ModelOptions model;
  SessionOptions session;
  HShapeOptions shape;
  std::string eval_file, first_order = "exact", exact_h, c_of_t, points_out;
  std::optional<double> suggest_h, window_length;
  long long n = 1000;
  double rtol = 1e-6, atol = 1e-8, fd_dx = 0.01, fd_rtol = 1e-6;
  long long batch = 10;
  int threads = 0, fp_cells = 320;
  bool json = false;

  void add_common(CLI::App& cmd) {
    data.add_to(cmd, "--data-n", "points drawn from a built-in set (the empirical score's support)");
    model.add_to(cmd);
    session.add_to(cmd);
    cmd.add_option("--eval-file", eval_file, "CSV of the points where the NLL is evaluated");
    cmd.add_option("--rtol", rtol, "relative tolerance of the ODE solves")->capture_default_str();
    cmd.add_option("--atol", atol, "absolute tolerance of the ODE solves")->capture_default_str();
    cmd.add_option("--fd-dx", fd_dx, "finite-difference step of --first-order fd")->capture_default_str();
    cmd.add_option("--fd-rtol", fd_rtol, "relative tolerance of the nested solves of --first-order fd")
        ->capture_default_str();
    cmd.add_option("--threads", threads, "worker threads (0: all cores)")->capture_default_str();
    cmd.add_flag("--json", json, "print one JSON object on stdout");
  }

  FirstOrder order() const {
    if (first_order == "none") return FirstOrder::kNone;
    if (first_order == "exact") return FirstOrder::kExact;
    if (first_order == "fd") return FirstOrder::kFiniteDifference;
    throw UsageError("unknown --first-order '" + first_order + "' (choose none, exact or fd)");
  }

  LikelihoodConfig config() const {
    if (!(rtol > 0) || !(atol > 0) || !(fd_rtol > 0)) throw UsageError("tolerances must be > 0");
    if (!(fd_dx > 0)) throw UsageError("--fd-dx must be > 0");
    require_positive(batch, "--batch");
    if (threads < 0) throw UsageError("--threads must be >= 0");
    LikelihoodConfig c;
    c.ode = {rtol, atol};
    c.fd_inner = {fd_rtol, fd_rtol * 1e-2};
    c.fd_dx = fd_dx;
    c.batch = static_cast<Eigen::Index>(batch);
    c.threads = threads;
    return c;
  }

  // The evaluation points: --eval-file, or a fresh held-out draw of the built-in set.
  Points eval_points(long long count) const {
    if (!eval_file.empty()) return read_points_csv(eval_file);
    if (data.points) return *data.points;  // a session's file data, as the app evaluates it
    if (!data.file.empty())
      throw UsageError("with --data-file, give --eval-file (there is no held-out draw of a file)");
    require_positive(count, "--n");
    return make_heldout(data.name, static_cast<std::size_t>(count), data.seed);
  }
};

std::vector<double> parse_h_list(const std::string& s) {
  std::vector<double> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    double v = 0;
    if (hbar::parse_number(item, v) != hbar::NumberStatus::kOk || !(v >= 0))
      throw UsageError("--exact-h: '" + item + "' is not a number >= 0");
    out.push_back(v);
    if (out.size() > 100) throw UsageError("--exact-h: at most 100 values (each a Fokker-Planck run)");
  }
  return out;
}

// likelihood() with progress on stderr; a model without the derivatives is a usage error.
LikelihoodResult run_likelihood(const char* label, const ScoreModel& score, const Schedule& schedule,
                                const Points& eval, FirstOrder order, const LikelihoodConfig& cfg) {
  Progress progress;
  try {
    ProgressReporter rep(label, progress);
    return likelihood(score, schedule, eval, order, cfg, &progress);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

// The first-order best schedule for h_max and the best window of a length (SCIENCE.md
// §11), each beside the constant h with the same ∫ h dt, with first-order NLL predictions.
nlohmann::json suggestion(const std::vector<CTrace>& traces, const CCurve& curve, double nll0, double h_max,
                          double length, const Schedule& s) {
  const double span = s.t_max() - s.t_min();
  const auto entry = [&](const HSchedule& h) {
    const MeanStd g = weighted_stats(traces, h);
    nlohmann::json j = HShapeOptions::json(h, s);
    j.update({{"gain_mean", g.mean}, {"gain_sem", g.sem}, {"nll_first_order", nll0 - g.mean}});
    return j;
  };
  const HSchedule best = best_schedule(curve, h_max);
  const HInterval w = best_window(traces, length);
  const HSchedule window = HSchedule::window(h_max, {w});
  return {{"h_max", h_max},
          {"window_length", length},
          {"nll0_mean", nll0},
          {"best_schedule", entry(best)},
          {"best_schedule_equal_constant", entry(HSchedule::constant(best.integral(s.t_min(), s.t_max()) / span))},
          {"best_window", entry(window)},
          {"best_window_equal_constant", entry(HSchedule::constant(h_max * length / span))}};
}

double mean_of(const Eigen::VectorXd& v) { return mean_sem(v).mean; }
double std_of(const Eigen::VectorXd& v) { return mean_sem(v).std; }
double sem_of(const Eigen::VectorXd& v) { return mean_sem(v).sem; }

// The points whose PF path escaped (hbar/likelihood/likelihood.hpp, "Escaped points"): how many, and the
// first 20 of them (index in the evaluation set, position, the time they escaped).
// Every statistic leaves them out; when all escaped there is nothing to report. Says how
// many on stderr.
nlohmann::json escaped_json(const LikelihoodResult& r, const Points& eval) {
  nlohmann::json list = nlohmann::json::array();
  for (const Escape& e : r.escaped) {
    if (list.size() == 20) break;
    list.push_back({{"index", e.index}, {"x", eval(e.index, 0)}, {"y", eval(e.index, 1)}, {"t", e.t}});
  }
  if (!r.escaped.empty())  // one line on stderr beside the JSON's list
    std::fprintf(stderr,
                 "%zu of %lld points left out: the model's PF path carries them beyond |x| = 1e6 (no density; "
                 "the first, point %lld, at t = %.4g)\n",
                 r.escaped.size(), static_cast<long long>(eval.rows()), static_cast<long long>(r.escaped[0].index),
                 r.escaped[0].t);
  if (static_cast<Eigen::Index>(r.escaped.size()) == eval.rows())
    throw std::runtime_error("the PF path of every one of the " + std::to_string(eval.rows()) +
                             " points escaped beyond |x| = 1e6: the model gives them no density");
  return list;
}

// nll (and suggest-h, which prints only the suggestion).
void run_nll(NllOptions& opts, const CLI::App& command, bool suggest_only) {
  NllOptions* o = &opts;
  const CLI::App* cmd = &command;
  o->session.apply(*cmd, o->data, o->model, nullptr, nullptr, nullptr, &o->shape);
  const FirstOrder order = o->order();
  LikelihoodConfig cfg = o->config();
  const std::vector<double> hs = o->exact_h.empty() ? std::vector<double>{} : parse_h_list(o->exact_h);
  if (!hs.empty() && o->fp_cells < 16) throw UsageError("--fp-cells must be >= 16");
  for (double h : hs)
    if (h > app::kMaxH) throw UsageError("--exact-h: h must be in [0, 10] (got " + number_text(h) + ")");
  const Schedule schedule = o->model.make_schedule();
  const double span = schedule.t_max() - schedule.t_min();
  // The shape of h(t) at height 1: --exact-h gives the heights.
  const HSchedule shape = o->shape.make(1.0, schedule);
  const bool want_c = o->shape.given() || !o->c_of_t.empty() || o->suggest_h;
  if (want_c && order != FirstOrder::kExact)
    throw UsageError("--h-window, --h-knots, --c-of-t and --suggest-h need --first-order exact");
  if (o->suggest_h && (!(*o->suggest_h > 0) || *o->suggest_h > app::kMaxH))
    throw UsageError("--suggest-h / --h-max must be in (0, 10]");
  const double length = o->window_length.value_or(0.2 * span);
  if (!(length > 0) || length > span)
    throw UsageError("--window-length must be in (0, " + number_text(span) + "] (T_max - T_min)");
  cfg.keep_c = want_c;
  cfg.c_stops = shape.breakpoints();
  OutputSet outs;  // --c-of-t and --points-out: both or neither, checked before the work
  expect_outputs(*cmd, outs, {{"--c-of-t", &o->c_of_t}, {"--points-out", &o->points_out}});
  const Points data = o->data.load();
  const Points eval = o->eval_points(o->n);
  const auto score = o->model.make_score(o->data, data, schedule);
  const auto t0 = std::chrono::steady_clock::now();
  LikelihoodResult r = run_likelihood("nll", *score, schedule, eval, order, cfg);
  const nlohmann::json escaped = escaped_json(r, eval);
  const Eigen::VectorXd nll0 = -without_escaped(r.logq0, r.escaped);
  r.c_traces = without_escaped(r.c_traces, r.escaped);
  nlohmann::json j = {{"n", eval.rows()},           {"nll0_mean", mean_of(nll0)},
                      {"nll0_std", std_of(nll0)},   {"data", o->data.label()},
                      {"schedule", schedule.name()}, {"score", score->describe()},
                      {"bias", o->model.bias},      {"first_order", o->first_order},
                      {"rtol", o->rtol},            {"atol", o->atol},
                      {"escaped", r.escaped.size()}, {"escaped_points", escaped}};
  if (order != FirstOrder::kNone) {
    Eigen::VectorXd corr = -without_escaped(r.c, r.escaped);
    // finite differences: points whose neighbours escape have no C (counted, left out)
    const auto undefined = static_cast<long>((!corr.array().isFinite()).count());
    if (undefined > 0) {
      std::vector<double> ok;
      for (double v : corr)
        if (std::isfinite(v)) ok.push_back(v);
      corr = Eigen::Map<const Eigen::VectorXd>(ok.data(), static_cast<Eigen::Index>(ok.size()));
      std::fprintf(stderr, "%ld points have no finite-difference C (a neighbour at --fd-dx escapes)\n", undefined);
    }
    j["c_undefined"] = undefined;
    j.update({{"corr_mean", mean_of(corr)}, {"corr_std", std_of(corr)}, {"c_mean", -mean_of(corr)}});
  } else {
    j.update({{"corr_mean", nullptr}, {"corr_std", nullptr}, {"c_mean", nullptr}});
  }
  // ∫ shape(t) c dt per point: the first-order slope of log q in the schedule's height.
  double shape_gain = order == FirstOrder::kNone ? 0.0 : mean_of(without_escaped(r.c, r.escaped));
  if (o->shape.given()) {
    const MeanStd w = weighted_stats(r.c_traces, shape);
    shape_gain = w.mean;
    j.update({{"h_shape", HShapeOptions::json(shape, schedule)},
              {"c_window_mean", w.mean},
              {"c_window_std", w.std},
              {"c_window_sem", w.sem}});
  }
  if (want_c) {
    const CCurve curve = c_mean_curve(r.c_traces);
    if (!o->c_of_t.empty()) {
      for (std::size_t i = 0; i < curve.t.size(); ++i)
        if (!std::isfinite(curve.mean[i]) || !std::isfinite(curve.sem[i]))
          throw std::runtime_error("c(t) is not finite at t = " + std::to_string(curve.t[i]) +
                                   " (the likelihood of some point failed): " + o->c_of_t + " not written");
      outs.stage(o->c_of_t, [curve](std::ostream& f) {
        f << "t,c_mean,c_sem\n";
        f.precision(17);
        for (std::size_t i = 0; i < curve.t.size(); ++i)
          f << curve.t[i] << ',' << curve.mean[i] << ',' << curve.sem[i] << '\n';
      });
      j["c_of_t"] = {{"file", o->c_of_t},
                     {"times", curve.t.size()},
                     {"trapezoid", curve.trapezoid()},
                     {"c_mean", curve.c_mean}};
    }
    if (o->suggest_h) j["suggest"] = suggestion(r.c_traces, curve, mean_of(nll0), *o->suggest_h, length, schedule);
  }
  if (!hs.empty()) {
    FokkerPlanckConfig fc;
    fc.cells = o->fp_cells;
    fc.threads = o->threads;
    fc.shape = shape;
    fc.data_radius = std::max(data.cwiseAbs().maxCoeff(), eval.cwiseAbs().maxCoeff());
    std::vector<double> all = hs;
    all.push_back(0.0);  // h = 0 on the grid against the ODE: the grid's error
    Progress progress;
    ProgressReporter rep("fokker-planck", progress);
    const FokkerPlanckResult fp = solve_fokker_planck(*score, schedule, all, eval, fc, &progress);
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t q = 0; q < hs.size(); ++q) {
      // The same points as nll0 (an escaped point's grid value is the grid's edge, not the model).
      const Eigen::VectorXd nll = -without_escaped(fp.logq.col(static_cast<Eigen::Index>(q)), r.escaped);
      nlohmann::json row = {{"h", hs[q]},
                            {"h_integral", hs[q] * shape.integral(schedule.t_min(), schedule.t_max())},
                            {"nll_mean", mean_of(nll)},
                            {"nll_std", std_of(nll)},
                            {"mass_drift", fp.mass_drift[q]},
                            {"min_cell", fp.min_cell[q]}};
      if (order != FirstOrder::kNone) row["nll_first_order"] = mean_of(nll0) - hs[q] * shape_gain;
      rows.push_back(row);
    }
    const Eigen::VectorXd grid_err = without_escaped(fp.logq.col(static_cast<Eigen::Index>(hs.size())), r.escaped) +
                                     nll0;
    j["nll_exact"] = rows;
    j["fp"] = {{"cells", o->fp_cells},
               {"steps", fp.steps},
               {"half_width_tmin", fp.half_width_tmin},
               {"h0_mean_abs_error", grid_err.cwiseAbs().mean()},
               {"h0_max_abs_error", grid_err.cwiseAbs().maxCoeff()}};
  }
  j["seconds"] = seconds_since(t0);
  if (suggest_only) {
    nlohmann::json out = j["suggest"];
    out.update({{"n", j["n"]}, {"data", j["data"]}, {"schedule", j["schedule"]}, {"score", j["score"]},
                {"c_mean", j["c_mean"]}, {"seconds", j["seconds"]}});
    if (j.contains("c_of_t")) out["c_of_t"] = j["c_of_t"];
    require_finite(out);
    outs.commit();
    if (o->json) return print_json(out);
    for (const char* key : {"best_schedule", "best_schedule_equal_constant", "best_window", "best_window_equal_constant"})
      std::fprintf(summary_out(), "%-30s %-40s NLL ≈ %.4f (gain %.4f ± %.4f)\n", key, out[key]["describe"].get<std::string>().c_str(),
                  out[key]["nll_first_order"].get<double>(), out[key]["gain_mean"].get<double>(),
                  out[key]["gain_sem"].get<double>());
    return;
  }
  require_finite(j);
  if (!o->points_out.empty()) {
    // Per point (index in the evaluation set): the points without a value are not written.
    outs.stage(o->points_out, [&](std::ostream& f) {
      f << (order == FirstOrder::kNone ? "index,x,y,nll0\n" : "index,x,y,nll0,corr\n");
      f.precision(17);
      for (Eigen::Index i = 0; i < eval.rows(); ++i) {
        if (!std::isfinite(r.logq0[i]) || (order != FirstOrder::kNone && !std::isfinite(r.c[i]))) continue;
        f << i << ',' << eval(i, 0) << ',' << eval(i, 1) << ',' << -r.logq0[i];
        if (order != FirstOrder::kNone) f << ',' << -r.c[i];
        f << '\n';
      }
    });
    j["points_out"] = o->points_out;
  }
  outs.commit();
  if (o->json) return print_json(j);
  std::fprintf(summary_out(), "NLL (h = 0) = %.4f ± %.4f over %lld points\n", j["nll0_mean"].get<double>(),
              j["nll0_std"].get<double>(), static_cast<long long>(eval.rows()));
  if (order != FirstOrder::kNone)
    std::fprintf(summary_out(), "1st-order corr (-C) = %.4f ± %.4f   (NLL(h) ≈ NLL(0) + h·corr)\n", j["corr_mean"].get<double>(),
                j["corr_std"].get<double>());
  if (j.contains("c_window_mean"))
    std::fprintf(summary_out(), "∫ shape·c dt (%s) = %.4f ± %.4f\n", shape.describe().c_str(), j["c_window_mean"].get<double>(),
                j["c_window_std"].get<double>());
  if (j.contains("nll_exact")) {
    for (const auto& row : j["nll_exact"])
      std::fprintf(summary_out(), "exact NLL(h = %g) = %.4f ± %.4f\n", row["h"].get<double>(), row["nll_mean"].get<double>(),
                  row["nll_std"].get<double>());
    std::fprintf(summary_out(), "grid check at h = 0: mean |Δ log q| vs the ODE %.3g\n", j["fp"]["h0_mean_abs_error"].get<double>());
  }
}

}  // namespace

void add_nll_command(CLI::App& app) {
  auto o = std::make_shared<NllOptions>();
  auto* cmd = app.add_subcommand("nll", "negative log-likelihood log q0 (PF ODE), its WKB coefficient, exact NLL(h)");
  o->add_common(*cmd);
  cmd->add_option("--n", o->n, "held-out points to evaluate (without --eval-file)")->capture_default_str();
  cmd->add_option("--first-order", o->first_order, "none | exact | fd (the paper's finite differences)")
      ->capture_default_str();
  cmd->add_option("--exact-h", o->exact_h, "comma-separated h for the exact NLL(h) (Fokker–Planck grid)");
  cmd->add_option("--fp-cells", o->fp_cells, "Fokker–Planck grid cells per side")->capture_default_str();
  cmd->add_option("--batch", o->batch, "points per ODE batch (one shared step)")->capture_default_str();
  o->shape.add_to(*cmd);
  cmd->add_option("--c-of-t", o->c_of_t, "CSV t,c_mean,c_sem: c̄(t) over the points, ± its standard error");
  cmd->add_option("--points-out", o->points_out, "CSV index,x,y,nll0[,corr] per point (escaped ones left out)");
  cmd->add_option("--suggest-h", o->suggest_h, "also the first-order best schedule with h(t) <= this h_max");
  cmd->add_option("--window-length", o->window_length,
                  "length of the best single window (default: a fifth of [T_min, T_max])");
  cmd->callback([o, cmd] { run_nll(*o, *cmd, false); });
}

void add_suggest_h_command(CLI::App& app) {
  auto o = std::make_shared<NllOptions>();
  auto* cmd = app.add_subcommand("suggest-h", "first-order best noise schedule h(t) and best window, from c̄(t)");
  o->add_common(*cmd);
  cmd->add_option("--n", o->n, "held-out points (without --eval-file)")->capture_default_str();
  cmd->add_option("--batch", o->batch, "points per ODE batch (one shared step)")->capture_default_str();
  cmd->add_option("--h-max", o->suggest_h, "largest h(t) allowed")->required();
  cmd->add_option("--window-length", o->window_length,
                  "length of the best single window (default: a fifth of [T_min, T_max])");
  cmd->add_option("--c-of-t", o->c_of_t, "CSV t,c_mean,c_sem: c̄(t) over the points, ± its standard error");
  cmd->callback([o, cmd] { run_nll(*o, *cmd, true); });
}

void add_table1_command(CLI::App& app) {
  auto o = std::make_shared<NllOptions>();
  auto* cmd = app.add_subcommand("table1", "the paper's Table-1 row: NLL and 1st-corr, mean ± std over batches");
  o->add_common(*cmd);
  auto nb = std::make_shared<long long>(100);
  cmd->add_option("--batches", *nb, "batches of held-out points")->capture_default_str();
  cmd->add_option("--batch", o->batch, "points per batch")->capture_default_str();
  cmd->add_option("--first-order", o->first_order, "exact | fd")->capture_default_str();
  cmd->callback([o, nb, cmd] {
    o->session.apply(*cmd, o->data, o->model);
    require_positive(*nb, "--batches");
    const FirstOrder order = o->order();
    if (order == FirstOrder::kNone) throw UsageError("table1 needs --first-order exact or fd");
    const LikelihoodConfig cfg = o->config();
    const Schedule schedule = o->model.make_schedule();
    const Points data = o->data.load();
    const Points eval = o->eval_points(*nb * o->batch);
    const Eigen::Index per = static_cast<Eigen::Index>(o->batch);
    const Eigen::Index count = eval.rows() / per;
    if (count < 1) throw UsageError("fewer evaluation points than one batch");
    const auto score = o->model.make_score(o->data, data, schedule);
    const auto t0 = std::chrono::steady_clock::now();
    const Points used = eval.topRows(count * per);
    const LikelihoodResult r = run_likelihood("table1", *score, schedule, used, order, cfg);
    const nlohmann::json escaped = escaped_json(r, used);
    // A batch with an escaped point has no finite mean: it is left out (the paper's code
    // drops such batches too), and the count says so.
    // With finite differences a point whose neighbours escape has no C either.
    std::vector<char> bad(static_cast<std::size_t>(count), 0);
    long c_undefined = 0;
    for (Eigen::Index i = 0; i < used.rows(); ++i) {
      const bool escaped_here = std::isinf(r.logq0[i]);
      if (!escaped_here && !std::isfinite(r.c[i])) ++c_undefined;
      if (escaped_here || !std::isfinite(r.c[i])) bad[static_cast<std::size_t>(i / per)] = 1;
    }
    if (c_undefined > 0)
      std::fprintf(stderr, "%ld points have no finite-difference C (a neighbour at --fd-dx escapes)\n",
                   c_undefined);
    std::vector<double> nll_b, corr_b;
    for (Eigen::Index b = 0; b < count; ++b) {
      if (bad[static_cast<std::size_t>(b)]) continue;
      nll_b.push_back(-r.logq0.segment(b * per, per).mean());
      corr_b.push_back(-r.c.segment(b * per, per).mean());
    }
    const auto kept = static_cast<Eigen::Index>(nll_b.size());
    const Eigen::VectorXd nll = Eigen::Map<const Eigen::VectorXd>(nll_b.data(), kept);
    const Eigen::VectorXd corr = Eigen::Map<const Eigen::VectorXd>(corr_b.data(), kept);
    const nlohmann::json j = {{"data", o->data.label()},   {"schedule", schedule.name()},
                              {"score", score->describe()}, {"bias", o->model.bias},
                              {"batches", kept},           {"batch", per},
                              {"batches_dropped", count - kept},
                              {"escaped", r.escaped.size()}, {"escaped_points", escaped},
                              {"c_undefined", c_undefined},
                              {"nll_mean", mean_of(nll)},   {"nll_std", std_of(nll)},
                              {"nll_sem", sem_of(nll)},     {"corr_mean", mean_of(corr)},
                              {"corr_std", std_of(corr)},   {"corr_sem", sem_of(corr)},
                              {"first_order", o->first_order}, {"seconds", seconds_since(t0)}};
    require_finite(j);
    if (o->json) return print_json(j);
    std::fprintf(summary_out(), "%s %s | NLL %.2f ± %.2f | 1st-corr %.2f ± %.2f  (± std over %lld batches of %lld; s.e. %.3f, %.3f)\n",
                o->data.label().c_str(), schedule.name().c_str(), j["nll_mean"].get<double>(),
                j["nll_std"].get<double>(), j["corr_mean"].get<double>(), j["corr_std"].get<double>(),
                static_cast<long long>(kept), static_cast<long long>(per), j["nll_sem"].get<double>(),
                j["corr_sem"].get<double>());
  });
}

}  // namespace hbar::cli
