// hbar-cli nll / table1: the likelihood (SCIENCE.md §5) and the paper's Table-1 row.
#include <chrono>
#include <cmath>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "hbar/stats.hpp"
#include "hbar/csv.hpp"
#include "hbar/dataset.hpp"
#include "hbar/fokker_planck.hpp"
#include "hbar/likelihood.hpp"

namespace hbar::cli {
namespace {

struct NllOptions {
  DataOptions data;
  ModelOptions model;
  SessionOptions session;
  std::string eval_file, first_order = "exact", exact_h;
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
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || !(v >= 0) || !std::isfinite(v))
      throw UsageError("--exact-h: '" + item + "' is not a number >= 0");
    out.push_back(v);
  }
  return out;
}

double mean_of(const Eigen::VectorXd& v) { return mean_sem(v).mean; }
double std_of(const Eigen::VectorXd& v) { return mean_sem(v).std; }

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
  cmd->callback([o, cmd] {
    o->session.apply(*cmd, o->data, o->model);
    const FirstOrder order = o->order();
    const LikelihoodConfig cfg = o->config();
    const std::vector<double> hs = o->exact_h.empty() ? std::vector<double>{} : parse_h_list(o->exact_h);
    if (!hs.empty() && o->fp_cells < 16) throw UsageError("--fp-cells must be >= 16");
    const Schedule schedule = o->model.make_schedule();
    const Points data = o->data.load();
    const Points eval = o->eval_points(o->n);
    const auto score = o->model.make_score(o->data, data, schedule);
    const auto t0 = std::chrono::steady_clock::now();
    Progress progress;
    LikelihoodResult r;
    try {
      ProgressReporter rep("nll", progress);
      r = likelihood(*score, schedule, eval, order, cfg, &progress);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    const Eigen::VectorXd nll0 = -r.logq0;
    nlohmann::json j = {{"n", eval.rows()},           {"nll0_mean", mean_of(nll0)},
                        {"nll0_std", std_of(nll0)},   {"data", o->data.label()},
                        {"schedule", schedule.name()}, {"score", score->describe()},
                        {"bias", o->model.bias},      {"first_order", o->first_order},
                        {"rtol", o->rtol},            {"atol", o->atol}};
    if (order != FirstOrder::kNone) {
      const Eigen::VectorXd corr = -r.c;
      j.update({{"corr_mean", mean_of(corr)}, {"corr_std", std_of(corr)}, {"c_mean", -mean_of(corr)}});
    } else {
      j.update({{"corr_mean", nullptr}, {"corr_std", nullptr}, {"c_mean", nullptr}});
    }
    if (!hs.empty()) {
      FokkerPlanckConfig fc;
      fc.cells = o->fp_cells;
      fc.threads = o->threads;
      fc.data_radius = std::max(data.cwiseAbs().maxCoeff(), eval.cwiseAbs().maxCoeff());
      std::vector<double> all = hs;
      all.push_back(0.0);  // h = 0 on the grid against the ODE: the grid's error
      ProgressReporter rep("fokker-planck", progress);
      progress.fraction = 0;
      const FokkerPlanckResult fp = solve_fokker_planck(*score, schedule, all, eval, fc, &progress);
      nlohmann::json rows = nlohmann::json::array();
      for (std::size_t q = 0; q < hs.size(); ++q) {
        const Eigen::VectorXd nll = -fp.logq.col(static_cast<Eigen::Index>(q));
        rows.push_back({{"h", hs[q]}, {"nll_mean", mean_of(nll)}, {"nll_std", std_of(nll)},
                        {"mass_drift", fp.mass_drift[q]}, {"min_cell", fp.min_cell[q]}});
      }
      const Eigen::VectorXd grid_err = fp.logq.col(static_cast<Eigen::Index>(hs.size())) - r.logq0;
      j["nll_exact"] = rows;
      j["fp"] = {{"cells", o->fp_cells},
                 {"steps", fp.steps},
                 {"half_width_tmin", fp.half_width_tmin},
                 {"h0_mean_abs_error", grid_err.cwiseAbs().mean()},
                 {"h0_max_abs_error", grid_err.cwiseAbs().maxCoeff()}};
    }
    j["seconds"] = seconds_since(t0);
    if (o->json) return print_json(j);
    std::printf("NLL (h = 0) = %.4f ± %.4f over %lld points\n", j["nll0_mean"].get<double>(),
                j["nll0_std"].get<double>(), static_cast<long long>(eval.rows()));
    if (order != FirstOrder::kNone)
      std::printf("1st-order corr (-C) = %.4f ± %.4f   (NLL(h) ≈ NLL(0) + h·corr)\n", j["corr_mean"].get<double>(),
                  j["corr_std"].get<double>());
    if (j.contains("nll_exact")) {
      for (const auto& row : j["nll_exact"])
        std::printf("exact NLL(h = %g) = %.4f ± %.4f\n", row["h"].get<double>(), row["nll_mean"].get<double>(),
                    row["nll_std"].get<double>());
      std::printf("grid check at h = 0: mean |Δ log q| vs the ODE %.3g\n",
                  j["fp"]["h0_mean_abs_error"].get<double>());
    }
  });
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
    Progress progress;
    LikelihoodResult r;
    try {
      ProgressReporter rep("table1", progress);
      r = likelihood(*score, schedule, eval.topRows(count * per), order, cfg, &progress);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    Eigen::VectorXd nll(count), corr(count);
    for (Eigen::Index b = 0; b < count; ++b) {
      nll[b] = -r.logq0.segment(b * per, per).mean();
      corr[b] = -r.c.segment(b * per, per).mean();
    }
    const nlohmann::json j = {{"data", o->data.label()},   {"schedule", schedule.name()},
                              {"score", score->describe()}, {"bias", o->model.bias},
                              {"batches", count},          {"batch", per},
                              {"nll_mean", mean_of(nll)},   {"nll_std", std_of(nll)},
                              {"corr_mean", mean_of(corr)}, {"corr_std", std_of(corr)},
                              {"first_order", o->first_order}, {"seconds", seconds_since(t0)}};
    if (o->json) return print_json(j);
    std::printf("%s %s | NLL %.2f ± %.2f | 1st-corr %.2f ± %.2f  (%lld batches of %lld)\n", o->data.label().c_str(),
                schedule.name().c_str(), j["nll_mean"].get<double>(), j["nll_std"].get<double>(),
                j["corr_mean"].get<double>(), j["corr_std"].get<double>(), static_cast<long long>(count),
                static_cast<long long>(per));
  });
}

}  // namespace hbar::cli
