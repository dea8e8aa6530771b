#include "hbar/data/dataset.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <Eigen/Cholesky>

namespace hbar {
namespace {
constexpr std::array<std::string_view, 8> kNames = {
    "swissroll", "gauss25", "gauss8", "moons", "circles", "checkerboard", "pinwheel", "gaussian"};

// gauss25 (§8): centres (2i, 2j), i, j in -2..2, std 0.05, all divided by 2.828.
constexpr double kGauss25Scale = 2.828;
constexpr double kGauss25Std = 0.05;
// gauss8: centres 4 (cos, sin)(2 pi k / 8), std 0.5, all divided by 1.414.
constexpr double kGauss8Scale = 1.414;
constexpr double kGauss8Std = 0.5;
// gaussian: one correlated Gaussian.
const Vec2 kGaussianMean(0.5, -0.25);
Mat2 gaussian_cov() {
  Mat2 c;
  c << 0.5, 0.3, 0.3, 0.4;
  return c;
}

// Balanced labels 0..k-1 (label of slot i is i % k), shuffled by Fisher–Yates.
std::vector<int> shuffled_labels(std::size_t n, int k, std::uint64_t seed, Stream stream) {
  std::vector<int> lab(n);
  for (std::size_t i = 0; i < n; ++i) lab[i] = static_cast<int>(i % static_cast<std::size_t>(k));
  for (std::size_t j = n; j-- > 1;) {
    const double u = uniform2(seed, Stream::kShuffle, j, static_cast<std::uint32_t>(stream))[0];
    const auto r = std::min<std::size_t>(j, static_cast<std::size_t>(u * static_cast<double>(j + 1)));
    std::swap(lab[j], lab[r]);
  }
  return lab;
}

Points gauss25_centres() {
  Points c(25, 2);
  int k = 0;
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j, ++k) c.row(k) << 2.0 * i / kGauss25Scale, 2.0 * j / kGauss25Scale;
  return c;
}

Points gauss8_centres() {
  Points c(8, 2);
  for (int k = 0; k < 8; ++k) {
    const double a = 2.0 * kPi * k / 8.0;
    c.row(k) << 4.0 * std::cos(a) / kGauss8Scale, 4.0 * std::sin(a) / kGauss8Scale;
  }
  return c;
}
}  // namespace

std::span<const std::string_view> dataset_names() { return kNames; }

bool is_dataset(std::string_view name) {
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

std::string dataset_list() {
  std::string s;
  for (auto n : kNames) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

std::optional<IsotropicMixtureLaw> mixture_law(std::string_view name) {
  if (name == "gauss25") return IsotropicMixtureLaw{gauss25_centres(), kGauss25Std / kGauss25Scale};
  if (name == "gauss8") return IsotropicMixtureLaw{gauss8_centres(), kGauss8Std / kGauss8Scale};
  return std::nullopt;
}

std::optional<GaussianLaw> gaussian_law(std::string_view name) {
  if (name == "gaussian") return GaussianLaw{kGaussianMean, gaussian_cov()};
  return std::nullopt;
}

Points make_dataset(std::string_view name, std::size_t n, std::uint64_t seed, Stream stream) {
  if (!is_dataset(name))
    throw std::invalid_argument("unknown data set '" + std::string(name) + "' (choose from " +
                                dataset_list() + ")");
  if (n == 0) throw std::invalid_argument("a data set needs n > 0 points");
  Points p(static_cast<Eigen::Index>(n), 2);
  const auto u2 = [&](std::size_t i, std::uint32_t k) { return uniform2(seed, stream, i, k); };
  const auto n2 = [&](std::size_t i, std::uint32_t k) { return normal2(seed, stream, i, k); };
  const auto row = [&](std::size_t i, double x, double y) {
    p(static_cast<Eigen::Index>(i), 0) = x;
    p(static_cast<Eigen::Index>(i), 1) = y;
  };

  if (name == "swissroll") {
    for (std::size_t i = 0; i < n; ++i) {
      const double tau = 1.5 * kPi * (1.0 + 2.0 * u2(i, 0)[0]);
      const auto xi = n2(i, 1);
      row(i, (tau * std::cos(tau) + 0.5 * xi[0]) / 6.865, (tau * std::sin(tau) + 0.5 * xi[1]) / 6.865);
    }
  } else if (name == "gauss25" || name == "gauss8") {
    const auto law = *mixture_law(name);
    const auto lab = shuffled_labels(n, static_cast<int>(law.centres.rows()), seed, stream);
    for (std::size_t i = 0; i < n; ++i) {
      const auto xi = n2(i, 0);
      row(i, law.centres(lab[i], 0) + law.std * xi[0], law.centres(lab[i], 1) + law.std * xi[1]);
    }
  } else if (name == "moons") {
    // Two interleaved half circles (noise 0.1), then x 2 - (1, 0.2).
    const auto lab = shuffled_labels(n, 2, seed, stream);
    for (std::size_t i = 0; i < n; ++i) {
      const double a = kPi * u2(i, 0)[0];
      const auto xi = n2(i, 1);
      double x = std::cos(a), y = std::sin(a);
      if (lab[i] == 1) x = 1.0 - x, y = 0.5 - y;
      row(i, 2.0 * (x + 0.1 * xi[0]) - 1.0, 2.0 * (y + 0.1 * xi[1]) - 0.2);
    }
  } else if (name == "circles") {
    // Concentric circles of radius 1.5 and 0.75, noise 0.12 (make_circles x 1.5).
    const auto lab = shuffled_labels(n, 2, seed, stream);
    for (std::size_t i = 0; i < n; ++i) {
      const double a = 2.0 * kPi * u2(i, 0)[0];
      const double r = lab[i] == 0 ? 1.0 : 0.5;
      const auto xi = n2(i, 1);
      row(i, 1.5 * (r * std::cos(a) + 0.08 * xi[0]), 1.5 * (r * std::sin(a) + 0.08 * xi[1]));
    }
  } else if (name == "checkerboard") {
    // Eight unit squares of a 4 x 4 board on [-2, 2]^2.
    for (std::size_t i = 0; i < n; ++i) {
      const auto u = u2(i, 0);
      const auto v = u2(i, 1);
      const double x = 4.0 * u[0] - 2.0;
      const double y0 = u[1] - (v[0] < 0.5 ? 0.0 : 2.0);
      const double y = y0 + static_cast<double>(static_cast<long>(std::floor(x)) & 1L);
      row(i, x, y);
    }
  } else if (name == "pinwheel") {
    // Five arms: radial std 0.3, tangential std 0.1, rate 0.25.
    const auto lab = shuffled_labels(n, 5, seed, stream);
    for (std::size_t i = 0; i < n; ++i) {
      const auto xi = n2(i, 0);
      const double fr = 0.3 * xi[0] + 1.0, ft = 0.1 * xi[1];
      const double a = 2.0 * kPi * lab[i] / 5.0 + 0.25 * std::exp(fr);
      const double c = std::cos(a), s = std::sin(a);
      row(i, c * fr - s * ft, s * fr + c * ft);
    }
  } else if (name == "gaussian") {
    const Mat2 l = gaussian_cov().llt().matrixL();
    for (std::size_t i = 0; i < n; ++i) {
      const auto xi = n2(i, 0);
      const Vec2 v = kGaussianMean + l * Vec2(xi[0], xi[1]);
      row(i, v[0], v[1]);
    }
  }
  return p;
}

}  // namespace hbar
