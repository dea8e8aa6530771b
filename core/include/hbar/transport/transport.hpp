#pragma once
// Wasserstein distances between point clouds with uniform weights.
#include <cstddef>

#include "hbar/base/progress.hpp"
#include "hbar/base/types.hpp"

namespace hbar {

// Sliced W2² (SCIENCE.md §7): the mean over `directions` equispaced angles in [0, π)
// of the exact 1-D W2² between the projected clouds (sizes may differ: quantile
// functions). An approximation for live display: in 2-D, sqrt(2 · SW2²) ≤ W2.
double sliced_w2sq(const Points& a, const Points& b, int directions = 64);
// sqrt(2 · SW2²): a lower bound of W2 on the same scale, labelled "sliced".
double sliced_w2_lower_bound(const Points& a, const Points& b, int directions = 64);

// Exact W2 between two clouds with uniform weights (sizes may differ), as a min-cost
// flow on LEMON's network simplex. Squared distances are scaled to int64 (the largest
// possible cost becomes ~1e11) for LEMON; W2² is then summed in double from the
// optimal flows. The graph is sparse: each point's k nearest neighbours on the other
// side, a north-west-corner plan (so it is always feasible) and, for clouds of 600
// points or more, arcs to the 8 points nearest to where a coarse plan (every third
// point, solved the same way, recursively) sends each point's neighbourhood. After
// each solve the duals are checked against every pair (a cell grid skips cells that
// cannot violate), violating arcs are added and it is solved again, warm-started from
// the last potentials (reduced costs) — exact by LP duality when no pair violates.
// (The dense graph of 3000 × 3000 points needs ~0.7 GB and is no faster than POT.)
struct W2Result {
  double w2sq = 0;  // squared Euclidean cost: what POT's ot.emd2(a, b, ot.dist(x, y)) returns
  double w2 = 0;
  int rounds = 0;         // network-simplex solves
  std::size_t arcs = 0;   // arcs in the last solve
};
W2Result exact_w2(const Points& a, const Points& b, Progress* progress = nullptr, int k = 2);
// The same on the complete bipartite graph (a cross-check for tests; small clouds only).
// Both answer a cancel within a network-simplex solve (Cancelled), not only between them.
W2Result exact_w2_dense(const Points& a, const Points& b, Progress* progress = nullptr);

// Exact W2² between two 1-D empirical laws with uniform weights (sorted inputs).
double w2sq_1d_sorted(const double* a, std::size_t na, const double* b, std::size_t nb);

}  // namespace hbar
