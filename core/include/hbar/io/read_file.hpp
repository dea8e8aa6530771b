#pragma once
// Whole-file input for every reader (CSV, model, session, script): the file's name and
// the reason on any failure — missing, a directory, a device or pipe (never read: /dev/zero
// would not end), unreadable, too large — before a byte is parsed.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace hbar {

struct FileReadError : std::runtime_error {
  FileReadError(std::string path_, std::string reason_)
      : std::runtime_error(path_ + ": " + reason_), path(std::move(path_)), reason(std::move(reason_)) {}
  std::string path, reason;
};

inline constexpr std::size_t kMaxInputBytes = std::size_t{1} << 30;  // 1 GiB

// The whole file as bytes. `kind` names what was expected ("a CSV file", "a model
// file"…) in the reasons. Throws FileReadError.
std::string read_file_text(const std::filesystem::path& path, const char* kind,
                           std::size_t max_bytes = kMaxInputBytes);

}  // namespace hbar
