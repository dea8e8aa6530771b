#include "hbar/base/memory.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hbar {

std::uint64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || size <= 0) return 8ull << 30;  // unknown: assume a small machine
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(size);
}

std::uint64_t memory_budget() {
  const char* env = std::getenv("HBAR_MEMORY_BUDGET");
  if (!env || !*env) return physical_memory() / 2;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  double scale = 1;
  if (end && *end) {
    switch (*end) {
      case 'K': case 'k': scale = 1024.0; break;
      case 'M': case 'm': scale = 1024.0 * 1024; break;
      case 'G': case 'g': scale = 1024.0 * 1024 * 1024; break;
      default: scale = 0;
    }
    if (scale > 0 && end[1] != '\0') scale = 0;
  }
  if (end == env || !(scale > 0) || !std::isfinite(v) || v < 0 || v * scale > 1e18)
    throw MemoryBudgetError(std::string("HBAR_MEMORY_BUDGET: '") + env + "' is not a size (bytes, or with K, M or G)");
  return static_cast<std::uint64_t>(v * scale);
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) bytes /= 1024, ++u;
  char b[48];
  std::snprintf(b, sizeof b, u == 0 || bytes >= 100 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
  return b;
}

void check_memory(double bytes, const std::string& what) {
  const std::uint64_t budget = memory_budget();
  if (!(bytes <= static_cast<double>(budget))) {
    const char* env = std::getenv("HBAR_MEMORY_BUDGET");
    const std::string whose = env && *env ? "set by HBAR_MEMORY_BUDGET"
                                          : "half of this machine's " + format_bytes(static_cast<double>(physical_memory())) +
                                                "; HBAR_MEMORY_BUDGET sets it";
    throw MemoryBudgetError(what + " needs " + format_bytes(bytes) + ", beyond the memory budget of " +
                            format_bytes(static_cast<double>(budget)) + " (" + whose + ")");
  }
}

}  // namespace hbar
