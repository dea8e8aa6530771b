#include "recovery.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace hbar::app {
namespace fs = std::filesystem;

namespace {
constexpr const char* kPrefix = "session-";
constexpr const char* kSuffix = ".json";

// The pid in "session-<pid>.json", or -1.
long pid_of(const fs::path& p) {
  const std::string name = p.filename().string();
  const std::string pre = kPrefix, suf = kSuffix;
  if (name.size() <= pre.size() + suf.size() || name.rfind(pre, 0) != 0 ||
      name.compare(name.size() - suf.size(), suf.size(), suf) != 0)
    return -1;
  const std::string digits = name.substr(pre.size(), name.size() - pre.size() - suf.size());
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stol(digits);
}

std::string age_text(fs::file_time_type t) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(fs::file_time_type::clock::now() - t).count();
  if (s < 60) return std::to_string(std::max<long long>(s, 0)) + " s ago";
  if (s < 3600) return std::to_string(s / 60) + " min ago";
  if (s < 86400 * 2) return std::to_string(s / 3600) + " h ago";
  return std::to_string(s / 86400) + " days ago";
}
}  // namespace

fs::path default_recovery_dir() {
  if (const char* d = std::getenv("HBAR_RECOVERY_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_STATE_HOME"); d && *d) return fs::path(d) / "hbar";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local" / "state" / "hbar";
  return {};
}

bool hbar_process_alive(long pid) {
  if (pid <= 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  return in && std::getline(in, comm) && comm == "hbar";
}

Recovery::Recovery(fs::path dir) : dir_(std::move(dir)) {
  file_ = dir_ / (kPrefix + std::to_string(static_cast<long>(::getpid())) + kSuffix);
}

Recovery::~Recovery() {
  std::error_code ec;
  fs::remove(file_, ec);
}

std::optional<RecoveryOffer> Recovery::orphan() const {
  std::optional<RecoveryOffer> best;
  std::error_code ec;
  fs::directory_iterator it(dir_, ec);
  if (ec) return best;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    const long pid = pid_of(p);
    if (pid < 0 || p == file_ || hbar_process_alive(pid) || !it->is_regular_file(ec)) continue;
    struct stat info {};
    if (::stat(p.c_str(), &info) != 0 || info.st_uid != ::geteuid()) continue;
    const auto t = fs::last_write_time(p, ec);
    if (ec) continue;
    if (!best || t > best->written) best = RecoveryOffer{p, t, age_text(t)};
  }
  return best;
}

}  // namespace hbar::app
