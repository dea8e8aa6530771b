#pragma once
// The step noise of a run, drawn once: z[n][i] = normal2(seed, kStepNoise, i, n).
//
// Common random numbers make the noise independent of h, so an interactive h
// slider can reuse one table for every h instead of drawing 2 normals per particle
// and step each time. Results with and without a table are bit-identical.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hbar {

class NoiseTable {
 public:
  NoiseTable() = default;
  // Draws steps × n pairs (parallel; ~16 MB for 2000 × 500).
  NoiseTable(std::uint64_t seed, std::size_t n, int steps);
  std::uint64_t seed() const { return seed_; }
  std::size_t n() const { return n_; }
  int steps() const { return steps_; }
  // The pair of particle i at step n.
  const double* at(int step, std::size_t i) const {
    return z_.data() + 2 * (static_cast<std::size_t>(step) * n_ + i);
  }
  bool covers(std::uint64_t seed, std::size_t n, int steps) const {
    return seed == seed_ && n <= n_ && steps <= steps_ && !z_.empty();
  }

 private:
  std::uint64_t seed_ = 0;
  std::size_t n_ = 0;
  int steps_ = 0;
  std::vector<double> z_;
};

}  // namespace hbar
