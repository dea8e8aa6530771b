#pragma once
// Built-in 2-D data sets (SCIENCE.md §8 and the usual toy sets), seeded.
//
// Point i of a draw depends only on (seed, stream, i) through the counter-based
// generator (rng.hpp), plus one seeded shuffle for the mixture sets. The training
// draw reads Stream::kData, the held-out draw Stream::kHeldOut: same generator,
// independent numbers, same seed argument.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hbar/base/rng.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

// Names of every built-in data set, in display order.
std::span<const std::string_view> dataset_names();
bool is_dataset(std::string_view name);
// "swissroll, gauss25, ..." for messages.
std::string dataset_list();

// n points of the named set. Throws std::invalid_argument for an unknown name or n == 0.
Points make_dataset(std::string_view name, std::size_t n, std::uint64_t seed,
                    Stream stream = Stream::kData);
inline Points make_heldout(std::string_view name, std::size_t n, std::uint64_t seed) {
  return make_dataset(name, n, seed, Stream::kHeldOut);
}

// The exact law of a data set where it is a Gaussian mixture with equal weights
// and isotropic components of one standard deviation (gauss25, gauss8).
struct IsotropicMixtureLaw {
  Points centres;
  double std = 0.0;
};
std::optional<IsotropicMixtureLaw> mixture_law(std::string_view name);

// The exact law of a data set where it is one Gaussian (gaussian).
struct GaussianLaw {
  Vec2 mean;
  Mat2 cov;
};
std::optional<GaussianLaw> gaussian_law(std::string_view name);

}  // namespace hbar
