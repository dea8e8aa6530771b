#include "hbar/io/csv.hpp"
#include "hbar/base/number.hpp"
#include "hbar/base/text.hpp"

#include "hbar/io/read_file.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "hbar/io/output.hpp"

namespace hbar {
namespace {

std::string compose(const std::string& file, std::size_t line, const std::string& reason) {
  return line ? file + ":" + std::to_string(line) + ": " + reason : file + ": " + reason;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Shows a field in a message: quoted, shortened, non-printables escaped.
std::string show(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > 40) out += "...";
  return out + "'";
}

enum class Sep { kComma, kSemicolon, kTab, kSpace };

Sep detect(std::string_view line) {
  if (line.find(',') != std::string_view::npos) return Sep::kComma;
  if (line.find(';') != std::string_view::npos) return Sep::kSemicolon;
  if (line.find('\t') != std::string_view::npos) return Sep::kTab;
  return Sep::kSpace;
}

std::vector<std::string_view> split(std::string_view line, Sep sep) {
  std::vector<std::string_view> out;
  if (sep == Sep::kSpace) {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && is_space(line[i])) ++i;
      if (i == line.size()) break;
      std::size_t j = i;
      while (j < line.size() && !is_space(line[j])) ++j;
      out.push_back(line.substr(i, j - i));
      i = j;
    }
    return out;
  }
  const char c = sep == Sep::kComma ? ',' : sep == Sep::kSemicolon ? ';' : '\t';
  std::size_t start = 0;
  for (;;) {
    const auto pos = line.find(c, start);
    out.push_back(trim(line.substr(start, pos == std::string_view::npos ? pos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

using NumStatus = NumberStatus;

// CSV data takes the data syntax (hbar/base/number.hpp): "+1", ".5" as numpy and spreadsheets write.
NumStatus parse_data_number(std::string_view s, double& value) { return hbar::parse_number(s, value, NumberSyntax::kData); }

}  // namespace

CsvError::CsvError(std::string file, std::size_t line, std::string reason)
    : std::runtime_error(printable(compose(file, line, reason))),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)) {}

Points parse_points_csv(std::string_view text, const std::string& name) {
  if (text.empty()) throw CsvError(name, 0, "file is empty");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  std::vector<double> xy;
  bool first_content = true;
  Sep sep = Sep::kComma;
  std::size_t line_no = 0, rows = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (char ch : line) {
      const auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "binary content (control byte 0x%02x)", c);
        throw CsvError(name, line_no, buf);
      }
    }
    const auto content = trim(line);
    if (content.empty() || content.front() == '#') continue;

    if (first_content) sep = detect(content);
    const auto fields = split(content, sep);
    if (fields.size() != 2)
      throw CsvError(name, line_no,
                     "expected 2 columns (x, y), found " + std::to_string(fields.size()));
    double v[2];
    NumStatus st[2];
    for (int k = 0; k < 2; ++k) st[k] = parse_data_number(fields[k], v[k]);

    if (first_content) {
      first_content = false;
      const bool header = st[0] == NumStatus::kNotNumber && st[1] == NumStatus::kNotNumber &&
                          !fields[0].empty() && !fields[1].empty();
      if (header) continue;
    }
    for (int k = 0; k < 2; ++k) {
      const std::string col = "column " + std::to_string(k + 1);
      if (fields[k].empty()) throw CsvError(name, line_no, "empty field in " + col);
      switch (st[k]) {
        case NumStatus::kOk: break;
        case NumStatus::kNotNumber:
          throw CsvError(name, line_no, "not a number in " + col + ": " + show(fields[k]));
        case NumStatus::kNotFinite:
          throw CsvError(name, line_no, "not a finite number in " + col + ": " + show(fields[k]));
        case NumStatus::kOverflow:
          throw CsvError(name, line_no, "number out of range in " + col + ": " + show(fields[k]));
      }
    }
    for (int k = 0; k < 2; ++k)
      if (std::abs(v[k]) > kMaxCoordinate)
        throw CsvError(name, line_no,
                       "coordinate beyond ±1e6 in column " + std::to_string(k + 1) + ": " + show(fields[k]) +
                           " (data are expected near the unit scale: rescale the file)");
    if (++rows > kMaxCsvRows)
      throw CsvError(name, line_no,
                     "more than " + std::to_string(kMaxCsvRows) + " data rows (the limit)");
    xy.push_back(v[0]);
    xy.push_back(v[1]);
  }
  if (rows == 0) throw CsvError(name, 0, "no data rows");
  if (rows < 2) throw CsvError(name, 0, "need at least 2 points, found 1");
  Points p(static_cast<Eigen::Index>(rows), 2);
  std::memcpy(p.data(), xy.data(), xy.size() * sizeof(double));
  return p;
}

Points read_points_csv(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::string text;
  try {
    text = read_file_text(path, "a CSV file");
  } catch (const FileReadError& e) {
    throw CsvError(name, 0, e.reason);
  }
  return parse_points_csv(text, name);
}

namespace {

// The number of rows of `p` with a non-finite coordinate, and the first of them.
std::pair<Eigen::Index, Eigen::Index> count_nonfinite(const Points& p) {
  Eigen::Index n = 0, first = -1;
  for (Eigen::Index i = 0; i < p.rows(); ++i)
    if (!p.row(i).allFinite()) {
      if (n++ == 0) first = i;
    }
  return {n, first};
}

// No NaN or Inf reaches a file (ARCHITECTURE.md rule 14): the CLI's wording, nothing written.
void require_finite_points(const std::filesystem::path& path, const Points& p, const char* what) {
  const auto [n, first] = count_nonfinite(p);
  if (n == 0) return;
  throw std::runtime_error(std::to_string(n) + " of " + std::to_string(p.rows()) + " " + what +
                           " are not finite, the first is row " + std::to_string(first) +
                           ": the dynamics blew up (lower h or the bias, or take more steps); " + path.string() +
                           " not written");
}

}  // namespace

namespace {

// Every 4096 rows: the fraction written, and a cancel (Cancelled: the temporary goes).
void check_rows(Progress* progress, Eigen::Index done, Eigen::Index total) {
  if (!progress || (done & 4095) != 0) return;
  progress->fraction.store(total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0);
  if (progress->cancelled()) throw Cancelled();
}

}  // namespace

void write_points_csv(const std::filesystem::path& path, const Points& points, Progress* progress,
                      OutputSet* into) {
  require_finite_points(path, points, "points");
  Writer write = [&points, progress](std::ostream& out) {
    out << "x,y\n";
    char buf[64];
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
      check_rows(progress, i, points.rows());
      std::snprintf(buf, sizeof buf, "%.17g,%.17g\n", points(i, 0), points(i, 1));
      out << buf;
    }
  };
  if (into) into->stage(path.string(), std::move(write));
  else write_file_atomic(path, write);
}

void write_trajectories_csv(const std::filesystem::path& path, const Trajectories& traj, Progress* progress,
                            OutputSet* into) {
  for (const Points& f : traj.frames) require_finite_points(path, f, "particles of a frame");
  Writer write = [&traj, progress](std::ostream& out) {
    out << "particle,step,t,x,y\n";
    if (traj.frames.empty()) return;
    char buf[128];
    const auto n = traj.frames.front().rows();
    for (Eigen::Index i = 0; i < n; ++i) {
      check_rows(progress, i, n);
      for (std::size_t f = 0; f < traj.frames.size(); ++f) {
        std::snprintf(buf, sizeof buf, "%lld,%d,%.17g,%.17g,%.17g\n", static_cast<long long>(i),
                      traj.steps[f], traj.times[f], traj.frames[f](i, 0), traj.frames[f](i, 1));
        out << buf;
      }
    }
  };
  if (into) into->stage(path.string(), std::move(write));
  else write_file_atomic(path, write);
}

}  // namespace hbar
