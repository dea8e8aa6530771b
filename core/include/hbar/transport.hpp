#pragma once
// Wasserstein distances between point clouds with uniform weights.
#include "hbar/types.hpp"

namespace hbar {

// Sliced W2² (SCIENCE.md §7): the mean over `directions` equispaced angles in [0, π)
// of the exact 1-D W2² between the projected clouds (sizes may differ: quantile
// functions). An approximation for live display: in 2-D, sqrt(2 · SW2²) ≤ W2.
double sliced_w2sq(const Points& a, const Points& b, int directions = 64);
// sqrt(2 · SW2²): a lower bound of W2 on the same scale, labelled "sliced".
double sliced_w2_lower_bound(const Points& a, const Points& b, int directions = 64);

// Exact W2² between two 1-D empirical laws with uniform weights (sorted inputs).
double w2sq_1d_sorted(const double* a, std::size_t na, const double* b, std::size_t nb);

}  // namespace hbar
