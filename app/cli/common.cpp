#include "common.hpp"
#include "hbar/transport/sweep.hpp"
#include "paper_models.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "hbar/io/csv.hpp"
#include "hbar/data/dataset.hpp"
#include "hbar/score/learned_score.hpp"
#include "hbar/base/moments.hpp"
#include "session.hpp"

namespace hbar::cli {

namespace {
bool g_stdout_taken = false;  // an output is `-`: the text summary goes to stderr
}  // namespace

void DataOptions::add_to(CLI::App& cmd, const char* n_flag_name, const char* n_help) {
  auto* d = cmd.add_option("--data", name, "built-in data set: " + dataset_list());
  auto* f = cmd.add_option("--data-file", file, "CSV file with two columns x, y");
  d->excludes(f);
  n_flag = n_flag_name;
  cmd.add_option(n_flag_name, n, n_help)->capture_default_str();
  cmd.add_option("--seed", seed, "random seed")->capture_default_str();
}

Points DataOptions::load() const {
  if (points) return *points;
  if (name.empty() && file.empty()) throw UsageError("give --data NAME or --data-file F.csv");
  if (!file.empty()) return read_points_csv(file);
  if (!is_dataset(name))
    throw UsageError("unknown data set '" + name + "' (choose from " + dataset_list() + ")");
  require_positive(n, n_flag.c_str());
  return make_dataset(name, static_cast<std::size_t>(n), seed);
}

std::function<Points(int)> DataOptions::heldout(std::size_t count, const std::string& eval_file) const {
  Points fixed;
  if (!eval_file.empty()) fixed = read_points_csv(eval_file);
  else if (points) fixed = *points;
  else if (!file.empty()) throw UsageError("with --data-file, give --eval-file (there is no held-out draw of a file)");
  return sweep_heldout(name, count, seed, fixed);
}

std::string DataOptions::label() const { return file.empty() ? name : file; }

std::pair<double, double> one_interval(const std::string& spec, const std::string& flag) {
  std::vector<HInterval> w;
  try {
    w = parse_windows(spec);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag + ": " + e.what());
  }
  if (w.size() != 1) throw UsageError(flag + " takes one interval A:B (got '" + spec + "')");
  return {w[0].a, w[0].b};
}

void ModelOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--schedule", schedule, "the forward process: simple | cosine | edm | linear")->capture_default_str();
  cmd.add_option("--score", score, "score model: exact, or a trained model file F.hbm")->capture_default_str();
  cmd.add_option("--bias", bias, "multiply the score by (1 + EPS)")->capture_default_str();
  cmd.add_option("--bias-window", bias_window, "A:B: the bias acts only for t in [A, B] (a score error confined in time)");
}

Schedule ModelOptions::make_schedule() const {
  auto s = Schedule::by_name(schedule);
  if (!s) throw UsageError("unknown schedule '" + schedule + "' (choose " + std::string(Schedule::names()) + ")");
  return *s;
}

std::shared_ptr<const ScoreModel> ModelOptions::make_score(const DataOptions& data,
                                                           const Points& points,
                                                           const Schedule& s) const {
  if (!std::isfinite(bias) || bias <= -1.0) throw UsageError("--bias must be > -1");
  std::shared_ptr<const ScoreModel> base;
  if ((score.size() > 4 && score.substr(score.size() - 4) == ".hbm") || score == app::kPaperModel) {
    try {
      // `paper`: the shipped network of --data and --schedule (paper_models.hpp)
      const bool file_data = data.points || !data.file.empty();
      base = load_learned_score(app::model_file(score, file_data ? std::string() : data.name, s.name()), s);
    } catch (const ModelFileError& e) {
      throw UsageError(e.what());
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  } else if (score != "exact") {
    throw UsageError("unknown score '" + score + "' (choose exact, paper or a model file F.hbm)");
  } else {
    base = make_exact_score(data.file.empty() ? data.name : std::string(), points, s);
  }
  if (!bias_window.empty()) {
    const auto [a, b] = one_interval(bias_window, "--bias-window");
    if (bias == 0.0) throw UsageError("--bias-window needs --bias (the error it confines)");
    return std::make_shared<BiasedScore>(std::move(base), bias, a, b);
  }
  if (bias == 0.0) return base;
  return std::make_shared<BiasedScore>(std::move(base), bias);
}

void SessionOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--session", path, "start from a session of the app (F.json); options given beside it win");
}

void SessionOptions::apply(const CLI::App& cmd, DataOptions& data, ModelOptions& model, double* h, long long* n,
                           long long* steps, HShapeOptions* shape) const {
  if (path.empty()) return;
  app::Session s;
  try {
    s = app::load_session(path);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  const app::SceneSettings& sc = s.settings.scene;
  const auto given = [&](const char* flag) { return cmd.count(flag) > 0; };
  if (!given("--data") && !given("--data-file")) {
    if (!sc.data_file.empty()) {
      data.file = sc.data_file;
      data.points = sc.points;  // the embedded points, not the file as it is now
    } else {
      data.name = sc.data;
      data.file.clear();
      if (!given(data.n_flag.c_str())) data.n = sc.data_n;
    }
  }
  if (!given("--seed")) {
    data.seed = sc.data_seed;
    data.run_seed = sc.seed;
  }
  if (!given("--schedule")) model.schedule = sc.schedule;
  if (!given("--score")) model.score = sc.learned ? sc.model_path : "exact";
  if (!given("--bias")) model.bias = sc.biased ? sc.eps : 0.0;
  if (h && !given("--h")) *h = s.settings.h;
  if (n && !given("--n")) *n = sc.particles;
  if (steps && !given("--steps")) *steps = sc.steps;
  if (shape && !given("--h-window") && !given("--h-knots")) {
    if (s.settings.h_kind == app::HShapeKind::kWindow) {
      shape->window = format_windows(s.settings.h_windows);
      shape->source = path + ": settings.h-windows";
    }
    if (s.settings.h_kind == app::HShapeKind::kKnots) {
      shape->knots = format_knots(s.settings.h_knots);
      shape->from_session = true;
      shape->source = path + ": settings.h-knots";
    }
  }
}

void HShapeOptions::add_to(CLI::App& cmd) {
  auto* w = cmd.add_option("--h-window", window,
                           "noise only on the window(s) A:B[,C:D…] of t (h(t) = h there, 0 elsewhere)");
  auto* k = cmd.add_option("--h-knots", knots,
                           "piecewise-linear h(t) through \"t1:h1,t2:h2,…\" (held constant beyond the ends)");
  w->excludes(k);
}

HSchedule HShapeOptions::make(double h, const Schedule& s, bool keep_knots) const {
  const std::string flag = !source.empty() ? source : !window.empty() ? "--h-window" : "--h-knots";
  try {
    if (!window.empty()) return HSchedule::window(h, parse_windows(window)).clipped(s.t_min(), s.t_max());
    if (!knots.empty()) {
      const HSchedule k = HSchedule::knots(parse_knots(knots));
      return keep_knots ? k : k.with_height(h);
    }
    return HSchedule::constant(h);
  } catch (const std::invalid_argument& e) {
    std::string msg = flag;
    msg.append(": ").append(e.what());
    throw UsageError(msg);
  }
}

nlohmann::json HShapeOptions::json(const HSchedule& h, const Schedule& s) {
  nlohmann::json j = {{"height", h.height()}, {"integral", h.integral(s.t_min(), s.t_max())},
                      {"describe", h.describe()}};
  switch (h.kind()) {
    case HScheduleKind::kConstant:
      j["kind"] = "constant";
      break;
    case HScheduleKind::kWindow: {
      j["kind"] = "window";
      nlohmann::json w = nlohmann::json::array();
      for (const HInterval& i : h.windows()) w.push_back({i.a, i.b});
      j["windows"] = w;
      j["h_window"] = format_windows(h.windows());
      break;
    }
    case HScheduleKind::kKnots: {
      j["kind"] = "knots";
      nlohmann::json k = nlohmann::json::array();
      for (const HKnot& i : h.knot_list()) k.push_back({i.t, i.h});
      j["knots"] = k;
      j["h_knots"] = format_knots(h.knot_list());
      break;
    }
  }
  return j;
}

void require_positive(long long v, const char* flag) {
  if (v <= 0) throw UsageError(std::string(flag) + " must be > 0 (got " + std::to_string(v) + ")");
}

nlohmann::json mean_json(const Points& p) {
  const Vec2 m = mean_of(p);
  return {m[0], m[1]};
}

nlohmann::json cov_json(const Points& p) {
  if (p.rows() < 2) return nullptr;
  const Mat2 c = cov_of(p);
  return {{c(0, 0), c(0, 1)}, {c(1, 0), c(1, 1)}};
}

namespace {
void collect_nonfinite(const nlohmann::json& j, const std::string& at, std::vector<std::string>& where) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) where.push_back(at.empty() ? "the value" : at);
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) collect_nonfinite(*it, at.empty() ? it.key() : at + "." + it.key(), where);
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) collect_nonfinite(j[i], at + "[" + std::to_string(i) + "]", where);
}
}  // namespace

void require_finite(const nlohmann::json& j) {
  std::vector<std::string> where;
  collect_nonfinite(j, "", where);
  if (where.empty()) return;
  std::string list;
  for (std::size_t i = 0; i < where.size() && i < 4; ++i) list += (i ? ", " : "") + where[i];
  if (where.size() > 4) list += ", …";
  throw std::runtime_error(std::to_string(where.size()) + (where.size() == 1 ? " value of the result is" : " values of the result are") +
                           " not finite (" + list + "): the computation failed; nothing printed");
}

void print_json(const nlohmann::json& j) {
  require_finite(j);
  std::cout << j.dump(2) << std::endl;
}

void expect_outputs(const CLI::App& cmd, OutputSet& outs,
                    std::initializer_list<std::pair<const char*, const std::string*>> options) {
  for (const auto& [flag, value] : options) {
    const CLI::Option* opt = cmd.get_option_no_throw(flag);
    if ((opt == nullptr || opt->count() == 0) && value->empty()) continue;
    outs.expect(*value, flag);
    if (*value != "-") continue;
    const CLI::Option* json = cmd.get_option_no_throw("--json");
    if (json && json->count() > 0)
      throw UsageError(std::string("--json and ") + flag + " - would both write stdout: name a file, or leave out --json");
    g_stdout_taken = true;
  }
}

FILE* summary_out() { return g_stdout_taken ? stderr : stdout; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {
// Ctrl-C: a long run (one with a progress reporter) is cancelled at its next check and
// exits 130 with nothing written; with none running, or at a second Ctrl-C, at once.
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_reporters{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

// Otherwise (no run to cancel, or the second signal) the output module removes its
// temporaries, prints the line and exits 128 + sig.
extern "C" void on_interrupt(int sig) {
  if (g_reporters.load() == 0 || g_interrupted.exchange(true)) exit_on_signal(sig);
}
}  // namespace

void install_interrupt_handler(const std::string& program) {
  set_signal_message(program);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}
bool interrupted() { return g_interrupted.load(); }

ProgressReporter::ProgressReporter(std::string label, Progress& p)
    : label_(std::move(label)), progress_(p) {
  ++g_reporters;
  if (g_interrupted.load()) progress_.cancel = true;
  thread_ = std::thread([this] {
    using namespace std::chrono;
    const auto t0 = steady_clock::now();
    const bool tty = ::isatty(STDERR_FILENO);
    auto last = t0;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, milliseconds(100), [this] { return stop_; })) break;
      }
      if (g_interrupted.load()) progress_.cancel = true;
      const auto now = steady_clock::now();
      if (now - t0 < seconds(1) || now - last < (tty ? milliseconds(250) : seconds(5))) continue;
      last = now;
      const double f = progress_.fraction.load();
      const double el = duration<double>(now - t0).count();
      const double eta = f > 0 ? el * (1 - f) / f : 0;
      std::fprintf(stderr, "%s%s: %5.1f%%  %.1f s elapsed, ~%.1f s left%s", tty ? "\r" : "",
                   label_.c_str(), 100 * f, el, eta, tty ? "" : "\n");
      std::fflush(stderr);
      printed_ = true;
    }
  });
}

ProgressReporter::~ProgressReporter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  --g_reporters;
  if (printed_ && ::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
}

}  // namespace hbar::cli
