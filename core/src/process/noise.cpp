#include "hbar/process/noise.hpp"

#include <algorithm>
#include <string>

#include "hbar/base/memory.hpp"
#include "hbar/base/rng.hpp"

namespace hbar {

namespace {
std::size_t budgeted(std::size_t n, int steps) {
  const double values = 2.0 * static_cast<double>(n) * std::max(steps, 0);
  check_memory(values * sizeof(double),
               "the noise of " + std::to_string(n) + " particles over " + std::to_string(steps) + " steps");
  return static_cast<std::size_t>(values);
}
}  // namespace

NoiseTable::NoiseTable(std::uint64_t seed, std::size_t n, int steps)
    : seed_(seed), n_(n), steps_(steps), z_(budgeted(n, steps)) {
#pragma omp parallel for schedule(static)
  for (int s = 0; s < steps; ++s)
    for (std::size_t i = 0; i < n; ++i) {
      const auto z = normal2(seed, Stream::kStepNoise, i, static_cast<std::uint32_t>(s));
      double* p = z_.data() + 2 * (static_cast<std::size_t>(s) * n + i);
      p[0] = z[0];
      p[1] = z[1];
    }
}

}  // namespace hbar
