#include "hbar/noise.hpp"

#include "hbar/rng.hpp"

namespace hbar {

NoiseTable::NoiseTable(std::uint64_t seed, std::size_t n, int steps)
    : seed_(seed), n_(n), steps_(steps), z_(2 * n * static_cast<std::size_t>(steps)) {
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
