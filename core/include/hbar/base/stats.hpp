#pragma once
// Summary statistics used wherever hbar reports "mean ± s.e.": one definition for the
// CLI, the sweeps and the app's plots.
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace hbar {

struct MeanSem {
  double mean = 0;
  double std = 0;  // sample standard deviation (n − 1 in the denominator; 0 for n < 2)
  double sem = 0;  // standard error of the mean: std / sqrt(n)
  std::size_t n = 0;
};

// NaN entries are not skipped: a non-finite input gives a non-finite summary.
MeanSem mean_sem(const double* values, std::size_t n);
inline MeanSem mean_sem(const std::vector<double>& v) { return mean_sem(v.data(), v.size()); }
inline MeanSem mean_sem(const Eigen::VectorXd& v) { return mean_sem(v.data(), static_cast<std::size_t>(v.size())); }

}  // namespace hbar
