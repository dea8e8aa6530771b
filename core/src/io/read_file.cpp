#include "hbar/io/read_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace hbar {

std::string read_file_text(const std::filesystem::path& path, const char* kind, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  const std::string name = path.string();
  const auto fail = [&](const std::string& reason) { throw FileReadError(name, reason); };
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) fail("cannot be read: " + ec.message());
  if (!fs::exists(st)) fail("no such file");
  if (fs::is_directory(st)) fail(std::string("is a directory, not ") + kind);
  if (!fs::is_regular_file(st)) fail(std::string("is a device or pipe, not ") + kind);
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes)
    fail("is " + std::to_string(size >> 20) + " MiB, more than the " + std::to_string(max_bytes >> 20) +
         " MiB " + kind + " may have");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::string("cannot be read: ") + (errno ? std::strerror(errno) : "open failed"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail("read error");
  return text;
}

}  // namespace hbar
