#include "resources.hpp"

#include <cstdlib>
#include <system_error>

namespace hbar::app {

std::filesystem::path executable_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

std::filesystem::path resource_dir() {
  if (const char* env = std::getenv("HBAR_DATA_DIR"); env && *env) return env;
  const std::filesystem::path dir = executable_dir();
  if (dir.empty()) return {};
  std::error_code ec;
  for (const auto& candidate : {dir / ".." / "share" / "hbar", dir / ".." / ".." / "share" / "hbar"})
    if (std::filesystem::is_directory(candidate, ec)) return std::filesystem::weakly_canonical(candidate, ec);
  return {};
}

}  // namespace hbar::app
