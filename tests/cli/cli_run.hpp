#pragma once
// Running hbar-cli as a user does, for the cli tests: status, stdout, stderr, files.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace cli_test {

struct Run {
  int status = -1;
  std::string out, err;
  json j() const { return json::parse(out); }  // throws unless stdout is exactly one JSON value
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

// A scratch directory per test process.
inline const fs::path& scratch() {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("hbar_cli_test_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

inline Run cli(const std::string& args) {
  const auto out = scratch() / "stdout.txt", err = scratch() / "stderr.txt";
  const std::string cmd = std::string("'") + HBAR_CLI + "' " + args + " > '" + out.string() +
                          "' 2> '" + err.string() + "' < /dev/null";
  const int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline std::string path(const std::string& name) { return (scratch() / name).string(); }
inline const std::string kData = HBAR_TEST_DATA;

// Bad input: status 2, exactly one line on stderr containing `needle`, no stdout, no file.
inline void expect_usage_error(const std::string& args, const std::string& needle,
                        const std::string& must_not_exist = "") {
  CAPTURE(args);
  const Run r = cli(args);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  const auto l = lines_of(r.err);
  CHECK(l.size() == 1);
  CHECK(r.err.find(needle) != std::string::npos);
  if (!must_not_exist.empty()) CHECK_FALSE(fs::exists(must_not_exist));
}

}  // namespace cli_test

using namespace cli_test;  // NOLINT: the tests' vocabulary
