#include "hbar/io/atomic_file.hpp"

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include <unistd.h>

namespace hbar {

void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  static std::atomic<unsigned> counter{0};
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw std::runtime_error(path.string() + ": cannot create directory: " + ec.message());
  }
  if (fs::is_directory(path, ec))
    throw std::runtime_error(path.string() + ": is a directory");
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error(path.string() + ": cannot open for writing");
      write(out);
      out.flush();
      if (!out) throw std::runtime_error(path.string() + ": write failed");
    }
    fs::rename(tmp, path, ec);
    if (ec) throw std::runtime_error(path.string() + ": cannot rename into place: " + ec.message());
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace hbar
