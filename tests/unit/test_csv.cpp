#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "hbar/io/csv.hpp"
#include "hbar/io/read_file.hpp"

#include <sys/stat.h>

using namespace hbar;
namespace fs = std::filesystem;

namespace {
const std::string kData = HBAR_TEST_DATA;

// Loads a file that must fail; returns the error.
CsvError load_error(const std::string& path) {
  try {
    read_points_csv(path);
  } catch (const CsvError& e) {
    return e;
  }
  FAIL("expected a CsvError for " << path);
  return CsvError("", 0, "");
}

void check_error(const std::string& file, std::size_t line, const std::string& reason_part) {
  const auto path = kData + "/" + file;
  CAPTURE(path);
  const CsvError e = load_error(path);
  CHECK(e.file() == path);
  CHECK(e.line() == line);
  CHECK(e.reason().find(reason_part) != std::string::npos);
  // The message names the file, the line and the reason.
  const std::string what = e.what();
  CHECK(what.find(path) == 0);
  if (line) {
    std::string tag = ":";
    tag += std::to_string(line);
    tag += ": ";
    CHECK(what.find(tag) != std::string::npos);
  }
  CHECK(what.find(reason_part) != std::string::npos);
}
}  // namespace

TEST_CASE("good CSV variants load") {
  SUBCASE("header, comma") {
    const Points p = read_points_csv(kData + "/good_header.csv");
    REQUIRE(p.rows() == 2);
    CHECK(p(0, 0) == 0.5);
    CHECK(p(0, 1) == 1.5);
    CHECK(p(1, 0) == -2.0);
    CHECK(p(1, 1) == 0.03);
  }
  SUBCASE("semicolon, comments, blank line, leading +") {
    const Points p = read_points_csv(kData + "/good_semicolon.csv");
    REQUIRE(p.rows() == 3);
    CHECK(p(2, 1) == 6.0);
  }
  SUBCASE("tab") { CHECK(read_points_csv(kData + "/good_tab.tsv").rows() == 2); }
  SUBCASE("whitespace runs") {
    const Points p = read_points_csv(kData + "/good_space.txt");
    REQUIRE(p.rows() == 2);
    CHECK(p(1, 0) == 3.0);
  }
  SUBCASE("UTF-8 BOM and CRLF") {
    const Points p = read_points_csv(kData + "/good_bom_crlf.csv");
    REQUIRE(p.rows() == 2);
    CHECK(p(0, 0) == 1.25);
    CHECK(p(0, 1) == -2.5);
  }
  SUBCASE("underflow is a tiny number, not an error") {
    const Points p = parse_points_csv("1e-400,1\n2,3\n", "mem");
    CHECK(p(0, 0) == 0.0);
  }
}

TEST_CASE("every bad CSV gives its own error with file and line") {
  check_error("bad_three_columns.csv", 2, "expected 2 columns (x, y), found 3");
  check_error("bad_one_column.txt", 2, "found 1");
  check_error("bad_not_number.csv", 3, "not a number in column 2: 'abc'");
  check_error("bad_tail.csv", 2, "not a number in column 1: '4abc'");
  check_error("bad_nan.csv", 2, "not a finite number in column 1: 'nan'");
  check_error("bad_inf.csv", 2, "not a finite number in column 2: '-inf'");
  check_error("bad_overflow.csv", 2, "number out of range in column 2: '1e999'");
  check_error("bad_far.csv", 3, "coordinate beyond ±1e6 in column 1: '1e300' (data are expected near the unit scale: rescale the file)");
  check_error("far_edge.csv", 3, "coordinate beyond ±1e6 in column 1: '-1000000.5'");
  check_error("bad_empty_field.csv", 2, "empty field in column 1");
  check_error("empty.csv", 0, "file is empty");
  check_error("bad_one_point.csv", 0, "need at least 2 points, found 1");
  check_error("bad_header_only.csv", 0, "no data rows");
  check_error("bad_binary.bin", 2, "binary content");
  check_error("does_not_exist.csv", 0, "no such file");
  check_error("", 0, "is a directory");  // tests/data itself
}

TEST_CASE("more than 10 million rows is refused at the first row too many") {
  std::string text;
  text.reserve(4 * (kMaxCsvRows + 1));
  for (std::size_t i = 0; i <= kMaxCsvRows; ++i) text += "0,1\n";
  try {
    parse_points_csv(text, "big.csv");
    FAIL("expected an error");
  } catch (const CsvError& e) {
    CHECK(e.line() == kMaxCsvRows + 1);
    CHECK(e.reason().find("more than 10000000 data rows") != std::string::npos);
  }
  text.resize(4 * kMaxCsvRows);  // exactly at the limit: fine
  CHECK(parse_points_csv(text, "big.csv").rows() == static_cast<Eigen::Index>(kMaxCsvRows));
}

TEST_CASE("write then read is bit-exact, atomic and leaves no temporary") {
  const fs::path dir = fs::temp_directory_path() / "hbar_csv_test";
  fs::remove_all(dir);
  Points p(3, 2);
  p << 0.1, -1e-300, 1.0 / 3.0, 2.0 / 7.0, -123456.789, 987654.3210987654;  // within ±kMaxCoordinate
  const fs::path f = dir / "sub" / "points.csv";
  write_points_csv(f, p);
  CHECK(read_points_csv(f) == p);
  std::ifstream in(f);
  std::string header;
  std::getline(in, header);
  CHECK(header == "x,y");
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) files += e.is_regular_file();
  CHECK(files == 1);
  // A target that is a directory: error, nothing written.
  CHECK_THROWS(write_points_csv(dir / "sub", p));
  fs::remove_all(dir);
}

TEST_CASE("non-finite points or trajectories are refused with the CLI's words, and no file is left") {
  const fs::path dir = fs::temp_directory_path() / "hbar_csv_nonfinite_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  Points p(4, 2);
  p << 0.5, 1.0, nan, 2.0, 3.0, -inf, 4.0, 5.0;
  const auto refusal = [](const auto& write) -> std::string {
    try {
      write();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  };
  const fs::path f = dir / "samples.csv";
  const std::string m = refusal([&] { write_points_csv(f, p); });
  CHECK(m.find("2 of 4 points are not finite, the first is row 1") != std::string::npos);
  CHECK(m.find("the dynamics blew up (lower h or the bias, or take more steps)") != std::string::npos);
  CHECK_FALSE(fs::exists(f));
  // An earlier file of that name is left as it was.
  Points good(2, 2);
  good << 1, 2, 3, 4;
  write_points_csv(f, good);
  CHECK_FALSE(refusal([&] { write_points_csv(f, p); }).empty());
  CHECK(read_points_csv(f) == good);
  // Trajectories: a non-finite particle in any frame, also one that is finite again at the end.
  Trajectories t;
  t.steps = {0, 1};
  t.times = {1.0, 0.5};
  t.frames = {p, good};
  t.frames[1] = Points::Zero(4, 2);
  const fs::path g = dir / "traj.csv";
  CHECK(refusal([&] { write_trajectories_csv(g, t); }).find("particles of a frame are not finite") != std::string::npos);
  CHECK_FALSE(fs::exists(g));
  int files = 0;
  for (auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  CHECK(files == 1);  // samples.csv from before, no temporary
  fs::remove_all(dir);
}

TEST_CASE("every reader names the file and the reason: missing, a directory, a device, a pipe, too large") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "hbar_read_file_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto reason = [](const fs::path& p, std::size_t max = kMaxInputBytes) {
    try {
      read_file_text(p, "a CSV file", max);
    } catch (const FileReadError& e) {
      CHECK(std::string(e.what()) == p.string() + ": " + e.reason);
      return e.reason;
    }
    return std::string("read");
  };
  CHECK(reason(dir / "missing.csv") == "no such file");
  CHECK(reason(dir) == "is a directory, not a CSV file");
  CHECK(reason("/dev/zero") == "is a device or pipe, not a CSV file");  // would never end
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(reason(fifo) == "is a device or pipe, not a CSV file");  // would block
  const fs::path big = dir / "big.csv";
  std::ofstream(big) << std::string(3 << 20, 'x');
  CHECK(reason(big, std::size_t{1} << 20) == "is 3 MiB, more than the 1 MiB a CSV file may have");
  std::ofstream(dir / "empty.csv").flush();
  CHECK(read_file_text(dir / "empty.csv", "a CSV file").empty());
  // The readers built on it keep their own error types and say the same.
  try {
    read_points_csv("/dev/zero");
    FAIL("a device was read");
  } catch (const CsvError& e) {
    CHECK(std::string(e.what()).find("/dev/zero") != std::string::npos);
    CHECK(std::string(e.what()).find("is a device or pipe") != std::string::npos);
  }
  fs::remove_all(dir);
}
