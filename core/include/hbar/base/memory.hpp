#pragma once
// The memory budget (issue 13): before a large allocation — trajectories, score caches,
// Fokker–Planck grids, W2 graphs, networks — its bytes are estimated and compared with
// a budget, half of the machine's physical memory (HBAR_MEMORY_BUDGET overrides it:
// bytes, or with a suffix K, M, G). A request beyond it is refused with the estimate,
// instead of the system killing the process part-way.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace hbar {

struct MemoryBudgetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t physical_memory();  // bytes (sysconf)
// Bytes; throws MemoryBudgetError when HBAR_MEMORY_BUDGET is set but not a size.
std::uint64_t memory_budget();
std::string format_bytes(double bytes);  // "1.5 GiB", "320 MiB", "12 KiB", "100 B"
// Throws MemoryBudgetError "WHAT needs 1.5 GiB, beyond the memory budget of 12 GiB (half of
// this machine's 24 GiB; HBAR_MEMORY_BUDGET sets it)" when bytes > memory_budget().
void check_memory(double bytes, const std::string& what);

}  // namespace hbar
