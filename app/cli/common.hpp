#pragma once
// Shared pieces of the hbar-cli subcommands: data selection, errors, progress, output.
#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "hbar/io/output.hpp"
#include "hbar/process/h_schedule.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"
#include "hbar/base/types.hpp"

namespace hbar::cli {

// Bad input from the user: the program prints it as one line and exits with status 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --data NAME | --data-file F.csv, with the size and seed of a built-in draw.
struct DataOptions {
  std::string name;
  std::string file;
  long long n = 3000;
  std::uint64_t seed = 0;
  std::string n_flag;
  // From a session: the data as points (a file's data replays without the file), and
  // the sampler's seed when it differs from the data's.
  std::shared_ptr<const Points> points;
  std::optional<std::uint64_t> run_seed;
  void add_to(CLI::App& cmd, const char* n_flag, const char* n_help);
  Points load() const;          // throws UsageError / CsvError
  std::string label() const;    // the set's name or the file's path
  std::uint64_t sampler_seed() const { return run_seed.value_or(seed); }
  // The held-out draw of trial k for W2 (sweep, samplers): `eval_file` for every trial when
  // given, a session's points themselves, else the built-in set's held-out stream; a data
  // file without --eval-file is refused (there is no held-out draw of a file).
  std::function<Points(int)> heldout(std::size_t n, const std::string& eval_file) const;
};

// --schedule, --score, --bias
// FLAG's value "A:B": one interval (UsageError naming FLAG otherwise).
std::pair<double, double> one_interval(const std::string& spec, const std::string& flag);

struct ModelOptions {
  std::string schedule = "simple";
  std::string score = "exact";
  double bias = 0.0;
  std::string bias_window;  // "A:B": the bias acts only for t in [A, B]
  void add_to(CLI::App& cmd);
  Schedule make_schedule() const;
  std::shared_ptr<const ScoreModel> make_score(const DataOptions& data, const Points& points,
                                               const Schedule& s) const;
};

// --session F.json: start from the app's session; options given beside it win.
// Maps the session's data, schedule, score, bias, seeds, and (where the command has
// them) h, particles (as --n) and steps. Throws UsageError naming the file, key and reason.
struct HShapeOptions;
struct SessionOptions {
  std::string path;
  void add_to(CLI::App& cmd);
  // shape: the session's h(t) shape (h-schedule, h-window, h-knots) unless --h-window or
  // --h-knots is given.
  void apply(const CLI::App& cmd, DataOptions& data, ModelOptions& model, double* h = nullptr,
             long long* n = nullptr, long long* steps = nullptr, HShapeOptions* shape = nullptr) const;
};

// --h-window A:B[,C:D…] | --h-knots "t1:h1,t2:h2,…": the shape of h(t) (SCIENCE.md §11).
struct HShapeOptions {
  std::string window, knots;
  bool from_session = false;  // knots from a session are a shape: the session's h is their top
  std::string source;         // "F.json: settings.h-knots" when the shape came from a session (messages name it)
  void add_to(CLI::App& cmd);
  bool given() const { return !window.empty() || !knots.empty(); }
  // The schedule of height h: windows clipped to [T_min, T_max]; knots rescaled to
  // height h (or as given when keep_knots). Without either option: constant h.
  // Throws UsageError naming the option and the reason.
  HSchedule make(double h, const Schedule& s, bool keep_knots = false) const;
  // JSON of a schedule: kind, height, windows or knots, ∫ h dt.
  static nlohmann::json json(const HSchedule& h, const Schedule& s);
};

void require_positive(long long v, const char* flag);
// A command's output options checked before any work (OutputError, exit 2): an empty
// name given (`--out ""`), a folder, a file or folder that cannot be written, a name
// beyond NAME_MAX, two options naming one file. Options not given are skipped.
void expect_outputs(const CLI::App& cmd, OutputSet& outs,
                    std::initializer_list<std::pair<const char*, const std::string*>> options);
// Where a command's text summary goes: stdout, or stderr when an output is `-` (stdout
// then carries the data alone; `--json` beside `-` is refused).
FILE* summary_out();
// Mean and covariance of a cloud as JSON ([mx, my], [[cxx, cxy], [cxy, cyy]]).
nlohmann::json mean_json(const Points& p);
nlohmann::json cov_json(const Points& p);
// Refuses (std::runtime_error naming the keys) a result holding NaN or ±inf: no NaN or
// Inf reaches stdout as JSON null or text "nan". print_json checks; text output calls it.
void require_finite(const nlohmann::json& j);
void print_json(const nlohmann::json& j);

// Watches a Progress from a second thread and reports on stderr while a long job
// runs (quiet for the first second, so short runs print nothing).
// SIGINT (Ctrl-C) and SIGTERM: cancel the runs that report progress (they throw
// Cancelled, main exits 130 with nothing written); without one running, or while the
// outputs are written, the temporaries are removed, "PROGRAM: interrupted; nothing
// written" is printed and the exit is 128 + signal at once.
void install_interrupt_handler(const std::string& program);
bool interrupted();

class ProgressReporter {
 public:
  ProgressReporter(std::string label, Progress& p);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  std::string label_;
  Progress& progress_;
  bool stop_ = false;  // guarded by mutex_; the destructor wakes the thread at once
  std::mutex mutex_;
  std::condition_variable wake_;
  bool printed_ = false;
  std::thread thread_;
};

double seconds_since(std::chrono::steady_clock::time_point t0);

}  // namespace hbar::cli
