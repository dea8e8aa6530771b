#pragma once
// Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
//
// Every draw is a pure function of (seed, stream, index, step): no state, so
// results do not depend on the thread count or on the order of evaluation, and
// the h slider can reuse exactly the same noise for every h.
#include <array>
#include <cstdint>

namespace hbar {

// Documented streams: each purpose reads its own independent sequence.
enum class Stream : std::uint32_t {
  kStepNoise = 0,   // dynamics: noise z of particle i at step n
  kPrior = 1,       // dynamics: the starting point of particle i
  kData = 2,        // data sets: the training draw
  kHeldOut = 3,     // data sets: the held-out (evaluation) draw, same generator
  kShuffle = 4,     // data sets: permutations
  kForwardInit = 5, // forward SDE: noise of the exact first marginal
  kTraining = 6,    // score training: minibatch indices, times and noise
  kInit = 7         // network weights at initialisation
};

// Philox4x32-10 on counter (c0..c3) and key (k0, k1).
std::array<std::uint32_t, 4> philox4x32(std::array<std::uint32_t, 4> ctr,
                                        std::array<std::uint32_t, 2> key) noexcept;

// Four 32-bit words for (seed, stream, index, step).
inline std::array<std::uint32_t, 4> random_words(std::uint64_t seed, Stream stream,
                                                 std::uint64_t index,
                                                 std::uint32_t step) noexcept {
  return philox4x32({static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                     step, static_cast<std::uint32_t>(stream)},
                    {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
}

// Two independent uniforms in the open interval (0, 1), 53 bits each.
std::array<double, 2> uniform2(std::uint64_t seed, Stream stream, std::uint64_t index,
                               std::uint32_t step) noexcept;

// Two independent standard normals (Box–Muller on uniform2).
std::array<double, 2> normal2(std::uint64_t seed, Stream stream, std::uint64_t index,
                              std::uint32_t step) noexcept;

}  // namespace hbar
