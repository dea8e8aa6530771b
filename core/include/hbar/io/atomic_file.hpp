#pragma once
// Whole-or-nothing file output: write to a temporary name beside the target,
// then rename over it. A failure leaves no file (and no temporary) behind.
#include <filesystem>
#include <functional>
#include <ostream>

namespace hbar {

// Calls write(stream); on success renames the temporary to `path`. Creates
// missing parent directories. Throws std::runtime_error naming `path` on failure
// (including an exception thrown by `write`, which is rethrown as is).
void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(std::ostream&)>& write);

}  // namespace hbar
