// hbar-cli as a user runs it: exit codes, stderr, JSON keys, CSV files.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"


TEST_CASE("--help works for the program and every subcommand") {
  for (std::string sub : {"", "data", "sample", "forward", "toy1d", "w2", "nll", "table1", "suggest-h", "sweep", "train"}) {
    CAPTURE(sub);
    const Run r = cli(sub + " --help");
    CHECK(r.status == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("data writes a CSV with a header and reports JSON") {
  const auto f = path("roll.csv");
  const Run r = cli("data --data swissroll --n 123 --seed 4 --out " + f + " --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  for (auto k : {"data", "n", "seed", "mean", "cov", "out", "seconds"}) CHECK(j.contains(k));
  CHECK(j["n"] == 123);
  const auto l = lines_of(slurp(f));
  REQUIRE(l.size() == 124);
  CHECK(l[0] == "x,y");
  // The held-out stream gives other points.
  const auto g = path("roll_heldout.csv");
  REQUIRE(cli("data --data swissroll --n 123 --seed 4 --heldout --out " + g).status == 0);
  CHECK(slurp(f) != slurp(g));
}

TEST_CASE("sample: JSON keys, samples and trajectories") {
  const auto out = path("s.csv"), traj = path("t.csv");
  const Run r = cli("sample --data gauss25 --schedule cosine --h 0.5 --n 50 --steps 40 --seed 3 --out " +
                    out + " --trajectories " + traj + " --stride 10 --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  for (auto k : {"n", "h", "steps", "seconds", "mean", "cov"}) CHECK(j.contains(k));
  CHECK(j["n"] == 50);
  CHECK(j["h"] == 0.5);
  CHECK(j["steps"] == 40);
  CHECK(j["mean"].size() == 2);
  CHECK(j["cov"].size() == 2);
  CHECK(j["cov"][0][1] == j["cov"][1][0]);
  const auto s = lines_of(slurp(out));
  REQUIRE(s.size() == 51);
  CHECK(s[0] == "x,y");
  // The JSON mean is the mean of the CSV.
  double mx = 0;
  for (std::size_t i = 1; i < s.size(); ++i) mx += std::stod(s[i].substr(0, s[i].find(',')));
  CHECK(mx / 50 == doctest::Approx(j["mean"][0].get<double>()).epsilon(1e-12));
  const auto t = lines_of(slurp(traj));
  CHECK(t[0] == "particle,step,t,x,y");
  CHECK(t.size() == 1 + 50 * 5);  // steps 0, 10, 20, 30, 40
  CHECK(t[1].rfind("0,0,0.999,", 0) == 0);
  CHECK(t[5].rfind("0,40,", 0) == 0);
}

TEST_CASE("sample --sampler: the field's samplers, their NFE, defaults and place on the h axis (SCIENCE.md §12)") {
  // The example: EDM's stochastic sampler on the edm process.
  const Run e = cli("sample --data gaussian --score exact --schedule edm --sampler edm --steps 10 --churn 30 "
                    "--s-tmin 0.05 --s-tmax 20 --n 200 --json");
  REQUIRE(e.status == 0);
  json j = e.j();
  CHECK(j["sampler"] == "edm");
  CHECK(j["nfe"] == 19);
  CHECK(j["schedule"] == "edm");
  CHECK(j["churn"] == 30);
  // h(t_i) = γ t_i / (t_i − t_{i+1}) where the churn acts (t in [0.05, 20]), 0 elsewhere.
  REQUIRE(j["equivalent_h"].size() == 10);
  const double gamma = std::min(30.0 / 10, std::sqrt(2.0) - 1);
  for (std::size_t i = 0; i < 10; ++i) {
    const double t = j["equivalent_h"][i][0], h = j["equivalent_h"][i][1];
    const double t1 = i + 1 < 10 ? j["equivalent_h"][i + 1][0].get<double>() : 0.0;
    CHECK(h == doctest::Approx(t >= 0.05 && t <= 20 ? gamma * t / (t - t1) : 0.0));
  }
  // S_noise > 1: no h matches it, and the JSON says what it is instead.
  j = cli("sample --data gaussian --score exact --schedule edm --sampler edm --steps 10 --churn 30 --s-noise 1.007 "
          "--n 50 --json").j();
  CHECK(j["equivalent_h"].is_null());
  CHECK(j["equivalent_h_note"].get<std::string>().find("S_noise") != std::string::npos);
  // DDIM: its 50 evaluations by default, h = η².
  j = cli("sample --data gauss25 --sampler ddim --eta 0.5 --n 50 --json").j();
  CHECK(j["steps"] == 50);
  CHECK(j["nfe"] == 50);
  for (const auto& p : j["equivalent_h"]) CHECK(p[1].get<double>() == doctest::Approx(0.25));
  // Restart: 18 grid points by default, two walks of 4 Heun steps; not an h(t).
  j = cli("sample --data gauss25 --sampler restart --restart 0.1:1 --n 50 --json").j();
  CHECK(j["steps"] == 18);
  CHECK(j["nfe"] == 2 * 18 - 1 + 2 * 2 * 4);
  CHECK(j["equivalent_h"].is_null());
  // --integrator stays an alias of --sampler.
  CHECK(cli("sample --data gauss25 --integrator heun --n 20 --steps 20 --json").j()["sampler"] == "heun");
  const auto out = path("never.csv");
  expect_usage_error("sample --data moons --sampler dpm --out " + out, "unknown sampler 'dpm'", out);
  expect_usage_error("sample --data moons --sampler ddim --h 1 --out " + out, "sets its own noise", out);
  expect_usage_error("sample --data moons --sampler ddim --eta 1.5 --out " + out, "eta must be from 0 to 1", out);
  expect_usage_error("sample --data moons --sampler restart --restart 0.5 --out " + out, "--restart", out);
  expect_usage_error("sample --data moons --sampler edm --churn -1 --out " + out, "churn", out);
}

TEST_CASE("samplers: quality against cost, rows per sampler and budget, and its refusals") {
  const auto out = path("samplers.csv");
  const Run r = cli("samplers --data gauss25 --samplers em:h=1,heun,edm:churn=10,restart --nfe 8,40 --trials 2 --n 200 "
                    "--out " + out + " --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  REQUIRE(j["rows"].size() == 8);
  // Each run takes the most steps within its budget: em 8 and 40; heun 4 and 20; edm
  // (2N − 1) 4 and 20; restart (2N − 1 + 2·2·4) none at 8, 12 at 40.
  const int steps[] = {8, 40, 4, 20, 4, 20, 0, 12};
  const int nfe[] = {8, 40, 8, 40, 7, 39, 0, 39};
  for (std::size_t i = 0; i < 8; ++i) {
    const json& row = j["rows"][i];
    CAPTURE(row.dump());
    CHECK(row["steps"] == steps[i]);
    CHECK(row["nfe"] == nfe[i]);
    if (steps[i] > 0) CHECK(row["w2_mean"].get<double>() > 0);
    else CHECK(row["w2_mean"].is_null());
  }
  CHECK(j["rows"][0]["sampler"] == "em h=1");
  CHECK(j["rows"][0]["h_mean"] == 1.0);
  CHECK(j["rows"][2]["h_mean"] == 0.0);
  CHECK(j["rows"][4]["sampler"] == "edm churn=10");
  CHECK(j["rows"][7]["h_mean"].is_null());
  const auto csv = lines_of(slurp(out));
  REQUIRE(csv.size() == 9);
  CHECK(csv[0] == "sampler,nfe_budget,nfe,steps,w2_mean,w2_sem,seconds,h_mean,trials");
  CHECK(csv[1].rfind("\"em h=1\",8,8,8,", 0) == 0);
  const auto never = path("never.csv");
  expect_usage_error("samplers --data gauss25 --samplers ddim:churn=3 --out " + never, "'churn' is not an option of ddim", never);
  expect_usage_error("samplers --data gauss25 --samplers dpm --out " + never, "unknown sampler 'dpm'", never);
  expect_usage_error("samplers --data gauss25 --samplers ddim:eta=2 --out " + never, "eta must be from 0 to 1", never);
  expect_usage_error("samplers --data gauss25 --nfe 0 --out " + never, "--nfe", never);
  // A score error confined in time (docs/findings.md): the window needs a bias, and one interval.
  expect_usage_error("sample --data gauss25 --bias-window 0.1:0.2 --out " + never, "--bias-window needs --bias", never);
  expect_usage_error("sample --data gauss25 --bias 0.3 --bias-window 0.1:0.2,0.5:0.6 --out " + never, "one interval", never);
  CHECK(cli("sample --data gauss25 --bias 0.3 --bias-window 0.5:1 --n 20 --steps 20 --json").j()["score"] ==
        "(1 + 0.3 on t in [0.5, 1]) x exact mixture (25 components)");
}

TEST_CASE("particle order and starting points are the same for every h") {
  const auto a = path("ta.csv"), b = path("tb.csv");
  REQUIRE(cli("sample --data moons --data-n 300 --h 0 --n 20 --steps 20 --trajectories " + a +
              " --stride 20").status == 0);
  REQUIRE(cli("sample --data moons --data-n 300 --h 1 --n 20 --steps 20 --trajectories " + b +
              " --stride 20").status == 0);
  const auto la = lines_of(slurp(a)), lb = lines_of(slurp(b));
  REQUIRE(la.size() == lb.size());
  for (std::size_t i = 1; i < la.size(); i += 2) CHECK(la[i] == lb[i]);  // step-0 rows
  CHECK(la[2] != lb[2]);                                                  // end points differ
}

TEST_CASE("a CSV round trip: data out, data-file in") {
  const auto f = path("pts.csv");
  REQUIRE(cli("data --data circles --n 200 --out " + f).status == 0);
  const Run r = cli("sample --data-file " + f + " --n 30 --steps 30 --json");
  REQUIRE(r.status == 0);
  CHECK(r.j()["data"] == f);
  CHECK(r.j()["score"] == "exact empirical (200 points)");
  const Run fw = cli("forward --data-file " + f + " --steps 30 --json");
  REQUIRE(fw.status == 0);
  CHECK(fw.j()["n"] == 200);
}

TEST_CASE("forward: JSON keys and output") {
  const auto out = path("fw.csv");
  const Run r = cli("forward --data gaussian --n 400 --steps 50 --out " + out + " --json");
  REQUIRE(r.status == 0);
  for (auto k : {"n", "steps", "seconds", "mean", "cov"}) CHECK(r.j().contains(k));
  CHECK(lines_of(slurp(out)).size() == 401);
  // At T_max the forward law is close to N(0, I).
  CHECK(r.j()["cov"][0][0].get<double>() == doctest::Approx(1.0).epsilon(0.25));
}

TEST_CASE("toy1d: the closed form, and the simulation keys") {
  const Run r = cli("toy1d --v0 0.25 --beta 8 --T 1 --uT 1 --eps 0.2 --h 0.5 --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  CHECK(std::abs(j["u0"].get<double>() - 0.1563) < 1e-4);
  CHECK(std::abs(j["nll"].get<double>() - 0.7907) < 1e-4);
  CHECK(std::abs(j["w2"].get<double>() - 0.1047) < 1e-4);
  CHECK_FALSE(j.contains("sim_var"));
  const Run s = cli("toy1d --eps 0.1 --h 1 --simulate --n 20000 --steps 500 --seed 2 --json");
  REQUIRE(s.status == 0);
  const json k = s.j();
  REQUIRE(k.contains("sim_var"));
  REQUIRE(k.contains("sim_var_stderr"));
  CHECK(std::abs(k["sim_var"].get<double>() - k["sim_var_euler"].get<double>()) <
        4 * k["sim_var_stderr"].get<double>());
}

TEST_CASE("w2: exact and sliced, both named, between two CSVs") {
  const auto a = path("wa.csv"), b = path("wb.csv");
  REQUIRE(cli("data --data moons --n 200 --seed 1 --out " + a).status == 0);
  REQUIRE(cli("data --data moons --n 150 --seed 1 --heldout --out " + b).status == 0);
  const Run e = cli("w2 " + a + " " + b + " --json");
  REQUIRE(e.status == 0);
  const json j = e.j();
  for (auto k : {"w2", "w2sq", "method", "n_a", "n_b", "seconds"}) CHECK(j.contains(k));
  CHECK(j["method"] == "exact");
  CHECK(j["n_a"] == 200);
  CHECK(j["n_b"] == 150);
  CHECK(j["w2"].get<double>() * j["w2"].get<double>() == doctest::Approx(j["w2sq"].get<double>()));
  const Run s = cli("w2 " + a + " " + b + " --method sliced --json");
  REQUIRE(s.status == 0);
  CHECK(s.j()["method"] == "sliced");
  CHECK(s.j()["w2"].get<double>() <= j["w2"].get<double>());
  // A cloud against itself.
  CHECK(cli("w2 " + a + " " + a + " --json").j()["w2sq"].get<double>() == 0.0);
}

TEST_CASE("nll: exact gauss25 score against the closed-form mixture density at T_min") {
  const auto f = path("eval25.csv");
  REQUIRE(cli("data --data gauss25 --n 40 --seed 3 --heldout --out " + f).status == 0);
  const Run r = cli("nll --data gauss25 --schedule simple --score exact --eval-file " + f + " --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  for (auto k : {"nll0_mean", "nll0_std", "corr_mean", "corr_std", "n", "seconds"}) CHECK(j.contains(k));
  CHECK(j["n"] == 40);
  // Independent truth: the 25-component density at t = 0.01 (SCIENCE.md §1, §8):
  // centres (2i, 2j)/2.828 scaled by α, variance α² (0.05/2.828)² + σ².
  const double t = 0.01, alpha = std::exp(-5 * t * t), s2 = 1 - std::exp(-10 * t * t);
  const double sd = 0.05 / 2.828, tau2 = alpha * alpha * sd * sd + s2;
  std::stringstream ss(slurp(f));
  std::string line;
  std::getline(ss, line);
  double sum = 0;
  int n = 0;
  for (double x, y; std::getline(ss, line); ++n) {
    std::sscanf(line.c_str(), "%lf,%lf", &x, &y);
    double p = 0;
    for (int i = -2; i <= 2; ++i)
      for (int k = -2; k <= 2; ++k) {
        const double cx = alpha * 2 * i / 2.828, cy = alpha * 2 * k / 2.828;
        p += std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * tau2)) / (2 * M_PI * tau2 * 25);
      }
    sum -= std::log(p);
  }
  REQUIRE(n == 40);
  // π ≠ p_T changes log q by < 1e-6 here; the solver's tolerance adds ~1e-6.
  CHECK(std::abs(j["nll0_mean"].get<double>() - sum / n) < 1e-4);
  CHECK(std::abs(j["corr_mean"].get<double>()) < 1e-4);  // the exact score: C = 0
  // A biased score: the paper's 1st-corr is negative.
  const Run b = cli("nll --data gauss25 --bias 0.2 --eval-file " + f + " --first-order exact --json");
  REQUIRE(b.status == 0);
  CHECK(b.j()["corr_mean"].get<double>() < 0);
  const Run none = cli("nll --data gauss25 --eval-file " + f + " --first-order none --json");
  CHECK(none.j()["corr_mean"].is_null());
}

TEST_CASE("nll --exact-h: the Fokker–Planck NLL(h) of the exact score does not depend on h") {
  // With the exact score every h has the same law (SCIENCE.md §2).
  const Run r = cli("nll --data gaussian --n 30 --seed 4 --exact-h 0,0.5,1 --fp-cells 96 --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  REQUIRE(j["nll_exact"].size() == 3);
  const double grid_err = j["fp"]["h0_mean_abs_error"].get<double>();
  CHECK(grid_err < 0.05);
  for (const auto& row : j["nll_exact"]) {
    CHECK(row["mass_drift"].get<double>() < 1e-10);
    CHECK(row["min_cell"].get<double>() >= 0);
    CHECK(std::abs(row["nll_mean"].get<double>() - j["nll0_mean"].get<double>()) < 2 * grid_err + 0.01);
  }
}

TEST_CASE("toy1d --x0: the general likelihood solver against the closed form") {
  const Run r = cli("toy1d --eps 0.2 --x0 0.7 --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  // Closed form: log q^h(x0) = −½ log(2π u0(h)) − x0²/(2 u0(h)); C = d/dh at 0.
  CHECK(std::abs(j["logq0"].get<double>() - j["logq0_closed_form"].get<double>()) < 1e-7);
  const auto logq = [](double h) {
    const double v0 = 0.25, b = 8, T = 1, k = (1 + h) * 1.2, E = std::exp(b * T) * (1 + (v0 - 1) * std::exp(-b * T));
    const double u = std::pow(v0, k) * (std::exp(b * T) * std::pow(E, -k) +
                                        h * (std::pow(E, 1 - k) - std::pow(v0, 1 - k)) / (1 - k));
    return -0.5 * std::log(2 * M_PI * u) - 0.49 / (2 * u);
  };
  const double d = 1e-4, slope = (logq(d) - logq(-d)) / (2 * d);
  CHECK(std::abs(j["wkb_c"].get<double>() - slope) < 1e-4 * std::abs(slope));
}

TEST_CASE("noise schedules: toy1d --h-window, nll windows and c(t), suggest-h, sample and sweep") {
  // SCIENCE.md §11's table row [0.02, 0.05]: 14.4338.
  const json toy = cli("toy1d --x0 0.7 --h-window 0.02:0.05 --json").j();
  CHECK(std::abs(toy["wkb_c_window"].get<double>() - toy["wkb_c_window_closed_form"].get<double>()) < 1e-6 * 14.4);
  CHECK(std::abs(toy["wkb_c_window"].get<double>() - 14.4338) < 6e-5);

  // Windows partitioning [T_min, T_max] add up to C (stops at the edges: to the ODE tolerance).
  const std::string base = "nll --data gauss25 --bias 0.2 --n 30 --seed 2 --json";
  const json whole = cli(base + " --c-of-t " + path("c.csv")).j();
  const json early = cli(base + " --h-window 0.01:0.2").j(), late = cli(base + " --h-window 0.2:1").j();
  const double c = whole["c_mean"].get<double>();
  CHECK(std::abs(early["c_window_mean"].get<double>() + late["c_window_mean"].get<double>() - c) < 1e-6 * c);
  CHECK(early["h_shape"]["integral"].get<double>() == doctest::Approx(0.19));
  // The c(t) CSV: its trapezoid gives C̄ within 1 %.
  const auto rows = lines_of(slurp(path("c.csv")));
  REQUIRE(rows.size() > 10);
  CHECK(rows[0] == "t,c_mean,c_sem");
  double trap = 0, t_prev = 0, c_prev = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    double t = 0, cm = 0, se = 0;
    REQUIRE(std::sscanf(rows[i].c_str(), "%lf,%lf,%lf", &t, &cm, &se) == 3);
    if (i > 1) trap += 0.5 * (cm + c_prev) * (t - t_prev);
    CHECK(se >= 0);
    t_prev = t;
    c_prev = cm;
  }
  CHECK(std::abs(trap - c) < 0.01 * std::abs(c));
  CHECK(whole["c_of_t"]["times"].get<std::size_t>() == rows.size() - 1);

  // suggest-h: h_max where c̄ > 0; the equal-integral constant has the same ∫ h dt.
  const json sug = cli("suggest-h --data gauss25 --bias 0.2 --n 30 --seed 2 --h-max 0.2 --window-length 0.1 --json").j();
  CHECK(sug["best_schedule"]["kind"] == "window");
  CHECK(sug["best_schedule"]["height"].get<double>() == 0.2);
  CHECK(sug["best_schedule_equal_constant"]["integral"].get<double>() ==
        doctest::Approx(sug["best_schedule"]["integral"].get<double>()));
  const auto& w = sug["best_window"]["windows"][0];
  CHECK(w[1].get<double>() - w[0].get<double>() == doctest::Approx(0.1));
  // First order: the best window gains at least as much as the constant of the same integral.
  CHECK(sug["best_window"]["gain_mean"].get<double>() >= sug["best_window_equal_constant"]["gain_mean"].get<double>());

  // sample: a window over all time is constant h, bit for bit; a partial one differs.
  const std::string run = "sample --data gauss25 --n 200 --steps 100 --seed 3 --json";
  const json constant = cli(run + " --h 0.3").j(), all = cli(run + " --h 0.3 --h-window 0:5").j();
  const json part = cli(run + " --h 0.3 --h-window 0.2:0.5").j();
  CHECK(constant["mean"] == all["mean"]);
  CHECK(constant["cov"] == all["cov"]);
  CHECK(part["mean"] != constant["mean"]);
  CHECK(all["h_schedule"]["windows"][0][0].get<double>() == 0.01);  // clipped to [T_min, T_max]
  const json knots = cli(run + " --h-knots 0.1:0,0.5:0.4").j();
  CHECK(knots["h"].get<double>() == 0.4);
  CHECK(knots["h_schedule"]["kind"] == "knots");

  // sweep: each h is the window's height.
  const json sw = cli("sweep --data gauss25 --h 0:0.2:2 --trials 1 --n 100 --steps 50 --method sliced "
                      "--h-window 0.1:0.3 --json").j();
  REQUIRE(sw["rows"].size() == 2);
  CHECK(sw["rows"][1]["h_integral"].get<double>() == doctest::Approx(0.2 * 0.2));
  CHECK(sw["h_shape"]["kind"] == "window");
}

TEST_CASE("sweep and table1: keys, rows, CSV") {
  const auto out = path("sweep.csv");
  const Run r = cli("sweep --data gauss25 --h 0:0.2:3 --trials 2 --n 300 --steps 100 --seed 1 --out " + out + " --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  REQUIRE(j["rows"].size() == 3);
  CHECK(j["rows"][1]["h"].get<double>() == doctest::Approx(0.1));
  for (const auto& row : j["rows"])
    for (auto k : {"w2_mean", "w2_std", "w2_sem", "w2sq_mean", "w2sq_std", "w2sq_sem"}) CHECK(row.contains(k));
  CHECK(j["rows"][0]["w2_sem"].get<double>() ==
        doctest::Approx(j["rows"][0]["w2_std"].get<double>() / std::sqrt(2.0)));
  const auto l = lines_of(slurp(out));
  REQUIRE(l.size() == 4);
  CHECK(l[0] == "h,w2_mean,w2_std,w2_sem,w2sq_mean,w2sq_std,w2sq_sem,trials");
  // Sliced figures are lower bounds of the exact ones (same samples: same seeds).
  const Run s = cli("sweep --data gauss25 --h 0:0.2:3 --trials 2 --n 300 --steps 100 --seed 1 --method sliced --json");
  REQUIRE(s.status == 0);
  for (int i = 0; i < 3; ++i)
    CHECK(s.j()["rows"][i]["w2_mean"].get<double>() <= j["rows"][i]["w2_mean"].get<double>() + 1e-12);

  const Run t = cli("table1 --data gauss25 --bias 0.2 --batches 4 --batch 5 --json");
  REQUIRE(t.status == 0);
  const json k = t.j();
  for (auto key : {"nll_mean", "nll_std", "corr_mean", "corr_std", "batches", "batch"}) CHECK(k.contains(key));
  CHECK(k["batches"] == 4);
  CHECK(k["batches_dropped"] == 0);
  CHECK(k["escaped"] == 0);
  CHECK(k["escaped_points"].empty());
  CHECK(k["corr_mean"].get<double>() < 0);
  // the standard error over batches is std / sqrt(batches)
  CHECK(k["nll_sem"].get<double>() == doctest::Approx(k["nll_std"].get<double>() / 2.0).epsilon(1e-12));
  CHECK(k["corr_sem"].get<double>() == doctest::Approx(k["corr_std"].get<double>() / 2.0).epsilon(1e-12));
}

TEST_CASE("train writes a model that --score accepts in sample and nll") {
  const auto m = path("m.hbm");
  const Run r = cli("train --data gauss25 --steps 200 --batch 128 --width 32 --depth 2 --seed 3 --out " + m + " --json");
  REQUIRE(r.status == 0);
  const json j = r.j();
  for (auto k : {"steps", "final_loss", "seconds", "steps_per_second"}) CHECK(j.contains(k));
  CHECK(j["steps"] == 200);
  CHECK(std::isfinite(j["final_loss"].get<double>()));
  REQUIRE(fs::exists(m));
  const Run s = cli("sample --data gauss25 --score " + m + " --n 100 --steps 50 --json");
  REQUIRE(s.status == 0);
  CHECK(s.j()["score"].get<std::string>().rfind("learned MLP 32x2", 0) == 0);
  const Run n = cli("nll --data gauss25 --score " + m + " --n 20 --json");
  REQUIRE(n.status == 0);
  CHECK(std::isfinite(n.j()["corr_mean"].get<double>()));
  // The same seed trains the same network (bit-exact file).
  const auto m2 = path("m2.hbm");
  REQUIRE(cli("train --data gauss25 --steps 200 --batch 128 --width 32 --depth 2 --seed 3 --out " + m2).status == 0);
  CHECK(slurp(m) == slurp(m2));
  expect_usage_error("sample --data gauss25 --schedule cosine --score " + m, "trained for the simple schedule, not cosine");
}

TEST_CASE("bad input: status 2, one line naming the problem, no output file") {
  const auto out = path("never.csv");
  expect_usage_error("data --data spiral --n 10 --out " + out, "unknown data set 'spiral'", out);
  expect_usage_error("data --data moons --n 0 --out " + out, "--n: must be in [1, 1e+07]", out);
  expect_usage_error("sample --data moons --schedule quadratic --out " + out, "unknown schedule 'quadratic'", out);
  expect_usage_error("sample --data moons --h -0.5 --out " + out, "--h: must be in [0, 10]", out);
  expect_usage_error("sample --data moons --h 1e308 --out " + out, "--h: must be in [0, 10]", out);
  expect_usage_error("sample --data moons --h abc --out " + out, "--h", out);
  expect_usage_error("sample --data moons --n -3 --out " + out, "--n: must be in [1, 1e+06]", out);
  expect_usage_error("sample --data moons --steps 0 --out " + out, "--steps: must be in [1, 100000]", out);
  expect_usage_error("sample --data moons --score learned --out " + out, "unknown score 'learned'", out);
  expect_usage_error("sample --data moons --score " + kData + "/missing.hbm --out " + out, "missing.hbm: no such file", out);
  expect_usage_error("sample --data moons --score " + kData + "/bad_truncated.hbm --out " + out,
                     "bad_truncated.hbm: truncated header", out);
  expect_usage_error("train --data moons --steps 0 --out " + path("x.hbm"), "--steps: must be in [1, 1e+07]", path("x.hbm"));
  expect_usage_error("train --data moons --out " + path("x.txt"), "--out must name a .hbm file");
  expect_usage_error("sample --data moons --h 0.2 --integrator heun --out " + out, "needs --h 0", out);
  expect_usage_error("sample --data moons --bogus 1", "bogus");
  expect_usage_error("sample --out " + out, "give --data NAME or --data-file", out);
  expect_usage_error("sample --data-file " + kData + "/bad_tail.csv --out " + out,
                     kData + "/bad_tail.csv:2: not a number in column 1: '4abc'", out);
  expect_usage_error("sample --data-file " + kData + "/missing.csv --out " + out,
                     kData + "/missing.csv: no such file", out);
  expect_usage_error("forward --data-file " + kData + "/bad_binary.bin --out " + out,
                     "bad_binary.bin:2: binary content", out);
  expect_usage_error("toy1d --v0 -1 --json", "--v0: must be in (0, 1e+06]");
  expect_usage_error("toy1d --h -1 --json", "--h: must be in [0, 10]");
  expect_usage_error("w2 " + kData + "/good_tab.tsv " + kData + "/bad_nan.csv", "bad_nan.csv:2: not a finite number");
  expect_usage_error("w2 " + kData + "/good_tab.tsv " + kData + "/good_tab.tsv --method fast", "unknown method 'fast'");
  // Extreme coordinates (issue 26: a point at 1e300 crashed the exact W2): refused at the reader.
  expect_usage_error("w2 " + kData + "/good_tab.tsv " + kData + "/bad_far.csv",
                     "bad_far.csv:3: coordinate beyond ±1e6 in column 1: '1e300'");
  expect_usage_error("sweep --data-file " + kData + "/bad_far.csv --out " + out, "bad_far.csv:3: coordinate beyond ±1e6", out);
  expect_usage_error("nll --data gauss25 --first-order second", "unknown --first-order 'second'");
  expect_usage_error("nll --data gauss25 --exact-h 0,abc", "--exact-h: 'abc' is not a number");
  expect_usage_error("nll --data-file " + kData + "/good_tab.tsv", "give --eval-file");
  expect_usage_error("nll --data gauss25 --eval-file " + kData + "/bad_nan.csv", "bad_nan.csv:2: not a finite number");
  expect_usage_error("sweep --data gauss25 --h 0:1:0 --out " + out, "COUNT must be a whole number", out);
  expect_usage_error("sweep --data gauss25 --method fast --out " + out, "unknown --method 'fast'", out);
  expect_usage_error("table1 --data gauss25 --first-order none", "needs --first-order exact or fd");
  expect_usage_error("sample --data moons --h 0.1 --h-window 0.5:0.2 --out " + out, "--h-window: the window [0.5, 0.2] is reversed", out);
  expect_usage_error("sample --data moons --h 0.1 --h-window 0.3:0.3 --out " + out, "is empty", out);
  expect_usage_error("sample --data moons --h 0.1 --h-window 2:3 --out " + out, "overlaps the time range [0.01, 1]", out);
  expect_usage_error("sample --data moons --h-knots 0.5:0.1,0.2:0.3 --out " + out, "--h-knots: knots out of order", out);
  expect_usage_error("sample --data moons --h-knots 0.1:-1 --out " + out, "must be a finite number >= 0", out);
  expect_usage_error("sample --data moons --h-knots 0.1:20 --out " + out, "h must be in [0, 10]", out);
  expect_usage_error("sample --data moons --h 1 --h-knots 0.1:0,0.5:0 --out " + out,
                     "--h-knots: every knot has h = 0, so the shape has no height to scale to h", out);
  expect_usage_error("sample --data moons --h-window 0.1:0.2 --h-knots 0.1:1 --out " + out, "excludes", out);
  expect_usage_error("nll --data gauss25 --first-order fd --h-window 0.1:0.2", "need --first-order exact");
  expect_usage_error("suggest-h --data gauss25 --h-max 0.1 --window-length 2", "--window-length: must be in (0, 1]");
  expect_usage_error("suggest-h --data gauss25 --h-max 0.1 --window-length 0.995",
                     "--window-length must be in (0, 0.99] (T_max - T_min)");
  expect_usage_error("suggest-h --data gauss25", "--h-max is required");
  expect_usage_error("", "subcommand");
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("every range of `hbar-cli ranges`: just outside is refused in one line, just inside runs") {
  const Run table = cli("ranges --json");
  REQUIRE(table.status == 0);
  const json ranges = table.j();
  REQUIRE(ranges.size() > 30);
  // A cheap, valid command line per command (option -> value).
  using Args = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Args>> commands = {
      {"data", {{"--data", "moons"}, {"--n", "10"}, {"--out", path("r.csv")}}},
      {"sample", {{"--data", "moons"}, {"--data-n", "50"}, {"--n", "20"}, {"--steps", "10"}}},
      {"forward", {{"--data", "moons"}, {"--n", "20"}, {"--steps", "10"}}},
      {"toy1d", {{"--n", "50"}, {"--steps", "10"}}},
      {"nll", {{"--data", "moons"}, {"--data-n", "50"}, {"--n", "4"}}},
      {"suggest-h", {{"--data", "moons"}, {"--data-n", "50"}, {"--n", "4"}, {"--h-max", "0.2"}}},
      {"table1", {{"--data", "moons"}, {"--data-n", "50"}, {"--batches", "2"}, {"--batch", "2"}}},
      {"sweep", {{"--data", "moons"}, {"--data-n", "50"}, {"--h", "0"}, {"--n", "20"}, {"--steps", "10"}, {"--trials", "1"}}},
      {"train", {{"--data", "moons"}, {"--data-n", "50"}, {"--steps", "3"}, {"--batch", "8"}, {"--width", "8"},
                 {"--depth", "1"}, {"--out", path("m.hbm")}}},
  };
  const auto line = [](const std::string& cmd, const Args& args, const std::string& opt, const std::string& v) {
    std::string l = cmd;
    for (const auto& [k, val] : args)
      if (k != opt) l += " " + k + " " + val;
    return l + " " + opt + " " + v;
  };
  const auto text = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", v);
    return std::string(b);
  };
  int probed = 0;
  for (const auto& [cmd, args] : commands) {
    const std::string help = cli(cmd + " --help").out;
    for (const json& r : ranges) {
      const std::string opt = r["option"], owner = r["command"];
      if (owner != "*" && owner != cmd) continue;
      // A command's own row wins over the "*" row of the same option.
      bool own = false;
      for (const json& q : ranges) own = own || (q["option"] == opt && q["command"] == cmd);
      if (owner == "*" && own) continue;
      if (help.find("  " + opt + " ") == std::string::npos) continue;  // not an option of this command
      if (cmd == "sweep" && opt == "--h") continue;                       // START:STOP:COUNT: its own test
      CAPTURE(cmd);
      CAPTURE(opt);
      const double lo = r["lo"], hi = r["hi"];
      const bool open = r["lo_open"];
      const double below = open ? lo : lo - std::max(std::abs(lo) * 0.5, 1e-3);
      const double above = hi + std::max(std::abs(hi) * 0.5, 1.0);
      for (double v : {below, above}) {
        const Run bad = cli(line(cmd, args, opt, text(v)));
        CHECK(bad.status == 2);
        CHECK(lines_of(bad.err).size() == 1);
        CHECK(bad.err.find(opt + ": must be in ") != std::string::npos);
        CHECK(bad.out.empty());
      }
      // Just inside at the cheap end: the low bound (or just above an open one).
      const double inside = open ? lo + (hi - lo) * 1e-3 : lo;
      const Run good = cli(line(cmd, args, opt, text(inside)));
      CHECK_MESSAGE(good.status == 0, good.err);
      ++probed;
    }
  }
  CHECK(probed >= 40);
}

TEST_CASE("docs/cli.md is `hbar-cli help --markdown`, byte for byte") {
  const Run r = cli("help --markdown");
  REQUIRE(r.status == 0);
  const std::string doc = slurp(fs::path(kData) / ".." / ".." / "docs" / "cli.md");
  // On a failure: build/app/cli/hbar-cli help --markdown > docs/cli.md
  CHECK_MESSAGE(doc == r.out, "docs/cli.md differs from `hbar-cli help --markdown`: regenerate it");
  // The ranges table is in it, row for row.
  const Run ranges = cli("ranges");
  REQUIRE(ranges.status == 0);
  for (const std::string& l : lines_of(ranges.out)) {
    CAPTURE(l);
    CHECK(doc.find(l + "\n") != std::string::npos);
  }
  // Every subcommand has its section and its text.
  for (const char* c : {"data", "sample", "forward", "toy1d", "w2", "nll", "table1", "suggest-h", "sweep", "train"}) {
    CAPTURE(c);
    CHECK(doc.find(std::string("## `hbar-cli ") + c + "`") != std::string::npos);
    const Run h = cli(std::string(c) + " --help");
    CHECK(h.status == 0);
    CHECK(h.out.find("JSON") != std::string::npos);  // the command's text is its --help footer
  }
}

TEST_CASE("Ctrl-C stops a long run: exit 130, one line, nothing written") {
  const fs::path dir = scratch() / "interrupt";
  fs::create_directories(dir);
  const std::string out = (dir / "never.csv").string();
  // SIGINT into a run of minutes once its first progress line is out (after 5 s when
  // stderr is not a terminal): the run is under way, the reporter watching.
  const fs::path so = scratch() / "int_out.txt", se = scratch() / "int_err.txt";
  const std::string cmd = std::string("'") + HBAR_CLI + "' sample --data swissroll --data-n 3000 --n 200000 " +
                          "--steps 5000 --out '" + out + "' > '" + so.string() + "' 2> '" + se.string() +
                          "' < /dev/null & p=$!; for i in $(seq 300); do grep -q 'sample:' '" + se.string() +
                          "' && break; sleep 0.1; done; kill -INT $p; wait $p";
  const int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.err = slurp(se);
  REQUIRE(!lines_of(r.err).empty());
  CHECK(lines_of(r.err).back() == "hbar-cli sample: interrupted; nothing written");
  CHECK(r.status == 130);
  CHECK(r.err.find("hbar-cli sample: interrupted; nothing written") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  CHECK(fs::is_empty(dir));  // no temporary left either
}

TEST_CASE("memory budget: a request beyond it is refused at once with the estimate, nothing written") {
  // 20 000 particles keeping every one of 1000 steps: 20 000 x 1001 x 16 bytes = 305 MiB.
  const std::string out = path("budget.csv"), traj = path("budget_traj.csv");
  const std::string env = "HBAR_MEMORY_BUDGET=64M ";
  const auto o = scratch() / "b_out.txt", e = scratch() / "b_err.txt";
  const std::string cmd = env + "'" + HBAR_CLI + "' sample --data gauss25 --n 20000 --steps 1000 --stride 1 --out " + out +
                          " --trajectories " + traj + " > '" + o.string() + "' 2> '" + e.string() + "' < /dev/null";
  const int raw = std::system(cmd.c_str());
  const std::string err = slurp(e);
  CAPTURE(err);
  CHECK(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 2);
  REQUIRE(lines_of(err).size() == 1);
  CHECK(err.find("hbar-cli sample: a run of 20000 particles keeping 1001 frames needs 305 MiB, beyond the memory "
                 "budget of 64 MiB (set by HBAR_MEMORY_BUDGET)") == 0);
  CHECK(slurp(o).empty());
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(traj));
}

TEST_CASE("a hostile model (finite weights of 1e30) never puts NaN or Inf into output: exit 2, one line") {
  const std::string model = kData + "/hostile_huge_weights.hbm";
  const std::string out = path("hostile.csv");
  for (const std::string& args :
       {"sample --data gauss25 --score " + model + " --n 200 --steps 50 --out " + out + " --json",
        "nll --data gauss25 --score " + model + " --n 20 --json",
        "sweep --data gauss25 --score " + model + " --h 0:0.2:2 --trials 1 --n 100 --steps 20 --out " + out + " --json"}) {
    CAPTURE(args);
    const Run r = cli(args);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(lines_of(r.err).size() == 1);
    CHECK_FALSE(fs::exists(out));
  }
}
