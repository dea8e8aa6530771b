#include <doctest/doctest.h>

#include <Eigen/LU>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "hbar/view/colormap.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/process/dynamics.hpp"
#include "hbar/view/grid.hpp"
#include "hbar/score/mixture_score.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/score/score.hpp"
#include "hbar/view/ticks.hpp"
#include "hbar/transport/transport.hpp"

using namespace hbar;

namespace {
SamplerConfig cfg(double h, std::size_t n, int steps, int stride = 1) {
  SamplerConfig c;
  c.h = h;
  c.n = n;
  c.steps = steps;
  c.seed = 12;
  c.stride = stride;
  c.record_action = true;
  return c;
}
}  // namespace

TEST_CASE("noise table: bit-identical results, and it must cover the run") {
  const auto law = *mixture_law("gauss25");
  const auto s = Schedule::cosine();
  const MixtureScore score(law.centres, law.std, s);
  const NoiseTable table(12, 300, 200);
  auto c = cfg(0.7, 300, 200);
  const Points direct = sample_reverse(score, s, c).samples;
  c.noise = &table;
  CHECK(sample_reverse(score, s, c).samples == direct);
  c.n = 301;
  CHECK_THROWS_AS(sample_reverse(score, s, c), std::invalid_argument);
}

TEST_CASE("actions: A_h of a path of the same h is ½Σ|z|², S from the frames, S grows with h") {
  const auto g = *gaussian_law("gaussian");
  const auto s = Schedule::simple();
  const GaussianScore score(g.mean, g.cov, s);
  const int steps = 200;
  const std::size_t n = 50;
  const double dt = (s.t_max() - s.t_min()) / steps;
  std::vector<double> mean_s;
  for (double h : {0.0, 0.3, 1.0}) {
    CAPTURE(h);
    const auto r = sample_reverse(score, s, cfg(h, n, steps));
    REQUIRE(r.trajectories.frame_count() == static_cast<std::size_t>(steps) + 1);
    REQUIRE(r.action.size() == static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; i += 7) {
      double a_h = 0, half_z2 = 0, s_cl = 0;
      for (int k = 0; k < steps; ++k) {
        const double t = s.t_max() - k * dt, f = s.f(t), g2 = s.g2(t);
        const Vec2 x0 = r.trajectories.frames[static_cast<std::size_t>(k)].row(static_cast<Eigen::Index>(i)).transpose();
        const Vec2 x1 = r.trajectories.frames[static_cast<std::size_t>(k) + 1].row(static_cast<Eigen::Index>(i)).transpose();
        Points xp(1, 2);
        xp.row(0) = x0.transpose();
        const Vec2 sc = score.score(xp, t).row(0).transpose();
        const Vec2 fh = f * x0 - 0.5 * (1 + h) * g2 * sc, fpf = f * x0 - 0.5 * g2 * sc;
        if (h > 0) a_h += (x1 - x0 + fh * dt).squaredNorm() / (2 * h * g2 * dt);
        const auto z = normal2(12, Stream::kStepNoise, i, static_cast<std::uint32_t>(k));
        half_z2 += 0.5 * (z[0] * z[0] + z[1] * z[1]);
        s_cl += (x1 - x0 + fpf * dt).squaredNorm() / (2 * g2 * dt);
      }
      if (h > 0) CHECK(a_h == doctest::Approx(half_z2).epsilon(1e-8));
      CHECK(r.action[static_cast<Eigen::Index>(i)] == doctest::Approx(s_cl).epsilon(1e-5).scale(1e-12));
    }
    mean_s.push_back(r.action.mean());
  }
  CHECK(mean_s[0] < 1e-20);  // the PF path is classical: S = 0
  // E[S] per step = h·d/2·2/2 + O(h² g² |s|² Δt): about h N, a little more.
  CHECK(mean_s[1] > 0.3 * steps * 0.8);
  CHECK(mean_s[1] < 0.3 * steps * 1.5);
  CHECK(mean_s[2] > mean_s[1]);
}

TEST_CASE("action maps: path density sums to the mean action, and end-point mean, and log density") {
  const auto g = *gaussian_law("gaussian");
  const auto s = Schedule::simple();
  const GaussianScore score(g.mean, g.cov, s);
  const auto r = sample_reverse(score, s, cfg(0.5, 200, 100));
  const Box big{-20, 20, -20, 20};
  const Grid dens = path_action_density(r.trajectories, r.action_increments, 200, 0, 100, big, 64, 64);
  double total = 0;
  for (double v : dens.values) total += v;
  CHECK(total == doctest::Approx(r.action.mean()).epsilon(1e-5));
  // A window of the first half holds the first half's increments only.
  const Grid half = path_action_density(r.trajectories, r.action_increments, 200, 0, 50, big, 64, 64);
  double first = 0;
  for (int k = 0; k < 50; ++k)
    for (int i = 0; i < 200; ++i) first += r.action_increments[static_cast<std::size_t>(k) * 200 + i];
  double th = 0;
  for (double v : half.values) th += v;
  CHECK(th == doctest::Approx(first / 200).epsilon(1e-5));

  const Grid end = endpoint_action(r.samples, r.action, big, 1, 1);
  CHECK(end.at(0, 0) == doctest::Approx(r.action.mean()));
  const Grid none = endpoint_action(r.samples, r.action, Box{100, 101, 100, 101}, 2, 2);
  CHECK(std::isnan(none.at(0, 0)));

  const Grid ld = log_density_grid(score, 0.5, Box{-1, 1, -1, 1}, 4, 4);
  const Vec2 c = ld.centre(1, 2);
  const Mat2 cov = score.cov_at(0.5);
  const Vec2 d = c - score.mean_at(0.5);
  const double expect = -std::log(2 * M_PI) - 0.5 * std::log(cov.determinant()) - 0.5 * d.dot(cov.inverse() * d);
  CHECK(ld.at(1, 2) == doctest::Approx(expect).epsilon(1e-12));
  // The mixture's log density integrates to 1 on a fine grid.
  const auto law = *mixture_law("gauss25");
  const MixtureScore mix(law.centres, law.std, s);
  const Grid lm = log_density_grid(mix, 0.3, Box{-5, 5, -5, 5}, 200, 200);
  double mass = 0;
  for (double v : lm.values) mass += std::exp(v) * (10.0 / 200) * (10.0 / 200);
  CHECK(mass == doctest::Approx(1.0).epsilon(1e-6));
  // A biased score knows no density.
  const BiasedScore b(std::make_shared<GaussianScore>(g.mean, g.cov, s), 0.1);
  CHECK(std::isnan(log_density_grid(b, 0.5, Box{}, 2, 2).at(0, 0)));
  // Drift field: f x − g²/2 s.
  const auto [fx, fy] = drift_field(score, s, 0.5, Box{-1, 1, -1, 1}, 3, 3);
  Points p(1, 2);
  p.row(0) = fx.centre(2, 1).transpose();
  const Vec2 sc = score.score(p, 0.5).row(0).transpose();
  CHECK(fx.at(2, 1) == doctest::Approx(s.f(0.5) * p(0, 0) - 0.5 * s.g2(0.5) * sc[0]));
  CHECK(fy.at(2, 1) == doctest::Approx(s.f(0.5) * p(0, 1) - 0.5 * s.g2(0.5) * sc[1]));
}

TEST_CASE("grid CSV export") {
  Grid g(Box{0, 2, 0, 1}, 2, 1, 0.0);
  g.at(1, 0) = 3.5;
  const auto f = std::filesystem::temp_directory_path() / "hbar_grid_test.csv";
  write_grid_csv(f.string(), g);
  std::ifstream in(f);
  std::string a, b, c;
  std::getline(in, a);
  std::getline(in, b);
  std::getline(in, c);
  CHECK(a == "x,y,value");
  CHECK(b == "0.5,0.5,0");
  CHECK(c == "1.5,0.5,3.5");
  std::filesystem::remove(f);
}

TEST_CASE("colour maps") {
  CHECK(colormap(Colormap::kViridis, 0.0) == Rgba8{68, 1, 84, 255});
  CHECK(colormap(Colormap::kViridis, 1.0) == Rgba8{253, 231, 37, 255});
  CHECK(colormap(Colormap::kViridis, 7.0) == colormap(Colormap::kViridis, 1.0));  // clamped
  CHECK(colormap(Colormap::kMagma, 0.0) == Rgba8{0, 0, 4, 255});
  // Magma's brightness increases monotonically.
  int last = -1;
  for (int k = 0; k <= 64; ++k) {
    const auto c = colormap(Colormap::kMagma, k / 64.0);
    const int lum = 2 * c[0] + 7 * c[1] + c[2];
    CHECK(lum >= last);
    last = lum;
  }
  Grid g(Box{}, 2, 1, 0.0);
  g.at(1, 0) = NAN;
  const auto px = grid_to_rgba(g, Colormap::kViridis, 0.0, 1.0, 200);
  CHECK(px[3] == 200);
  CHECK(px[7] == 0);
}

TEST_CASE("nice ticks and ranges") {
  const Ticks a = nice_ticks(0.0, 1.0, 6);
  CHECK(a.step == doctest::Approx(0.2));
  REQUIRE(a.values.size() == 6);
  CHECK(a.values.front() == 0.0);
  CHECK(a.values.back() == doctest::Approx(1.0));
  const Ticks b = nice_ticks(-3.7, 12.1, 6);
  CHECK(b.step == doctest::Approx(5.0));
  CHECK(b.values == std::vector<double>{0.0, 5.0, 10.0});
  const Ticks c = nice_ticks(0.0013, 0.0021, 5);
  CHECK(c.step == doctest::Approx(0.0002));
  for (double v : c.values) CHECK((v >= 0.0013 - 1e-12 && v <= 0.0021 + 1e-12));
  const Ticks d = nice_ticks(2.0, 2.0, 5);  // degenerate
  CHECK(d.values.size() >= 2);
  for (int m = 2; m <= 10; ++m) CHECK(static_cast<int>(nice_ticks(-1.234, 98.7, m).values.size()) <= m);
  // A padded 0 … 1 in a narrow plot (two ticks at most): both ends labelled, not 0 alone.
  CHECK(nice_ticks(-0.02, 1.02, 2).values == std::vector<double>{0.0, 1.0});
  CHECK(nice_ticks(-0.02, 1.02, 3).values == std::vector<double>{0.0, 0.5, 1.0});
  for (int m = 2; m <= 10; ++m) {
    const Ticks t = nice_ticks(-0.02, 1.02, m);
    CHECK(static_cast<int>(t.values.size()) <= m);
    CHECK(t.values.size() >= 2);
  }
  auto [lo, hi] = padded_range({1.0, NAN, 3.0, INFINITY});
  CHECK(lo == doctest::Approx(0.9));
  CHECK(hi == doctest::Approx(3.1));
  auto [l2, h2] = padded_range({});
  CHECK(l2 == 0.0);
  CHECK(h2 == 1.0);
  CHECK(tick_label(0.25, 0.05) == "0.25");
  CHECK(tick_label(300, 100) == "300");
  CHECK(tick_label(2e-5, 1e-5) == "2e-05");
}

TEST_CASE("sliced W2: translations exactly, below exact W2 by brute force") {
  Points a(5, 2);
  a << 0, 0, 1, 0.5, -0.3, 2, 0.7, -1, 2, 2;
  Points b = a;
  b.col(0).array() += 0.3;
  b.col(1).array() -= 0.4;
  CHECK(sliced_w2_lower_bound(a, b, 64) == doctest::Approx(0.5).epsilon(1e-12));  // |(0.3, −0.4)|
  // Brute-force exact W2 over all permutations.
  Points c(5, 2);
  c << 1, 1, -1, 0.2, 0.4, -0.8, 2.2, 0.1, 0, 3;
  std::vector<int> perm = {0, 1, 2, 3, 4};
  double best = INFINITY;
  do {
    double cost = 0;
    for (int i = 0; i < 5; ++i) cost += (a.row(i) - c.row(perm[static_cast<std::size_t>(i)])).squaredNorm();
    best = std::min(best, cost / 5);
  } while (std::next_permutation(perm.begin(), perm.end()));
  CHECK(sliced_w2_lower_bound(a, c, 128) <= std::sqrt(best) + 1e-12);
  // 1-D with unequal sizes against a fine quantile integration.
  const double x[] = {0.0, 1.0, 2.0}, y[] = {0.5, 3.0};
  double ref = 0;
  const int m = 600000;
  for (int k = 0; k < m; ++k) {
    const double u = (k + 0.5) / m;
    const double qa = x[std::min(2, static_cast<int>(u * 3))], qb = y[std::min(1, static_cast<int>(u * 2))];
    ref += (qa - qb) * (qa - qb) / m;
  }
  CHECK(w2sq_1d_sorted(x, 3, y, 2) == doctest::Approx(ref).epsilon(1e-6));
}

TEST_CASE("a heat map's CSV leaves out the cells without a value: no NaN reaches the file") {
  namespace fs = std::filesystem;
  Grid g(Box{0, 2, 0, 1}, 4, 2, 1.5);
  g.at(1, 0) = std::nan("");
  g.at(3, 1) = -std::numeric_limits<double>::infinity();
  const fs::path f = fs::temp_directory_path() / "hbar_grid_nan_test.csv";
  write_grid_csv(f.string(), g);
  std::ifstream in(f);
  std::string line, all;
  int rows = -1;  // the header
  while (std::getline(in, line)) {
    ++rows;
    all += line + "\n";
  }
  CHECK(rows == 8 - 2);
  CHECK(all.find("nan") == std::string::npos);
  CHECK(all.find("inf") == std::string::npos);
  CHECK(all.rfind("x,y,value\n", 0) == 0);
  fs::remove(f);
}
