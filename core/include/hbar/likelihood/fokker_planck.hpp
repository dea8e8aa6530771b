#pragma once
// Exact log q^h at T_min for any h in 2-D, by solving the Fokker–Planck equation of
// the h-dynamics (SCIENCE.md §5, end)
//     ∂_t q = −∇·(F_h q) − (h g²/2) Δq,   F_h = f x − (1+h)/2 g² s,
// backwards from q(T_max) = π to T_min on a grid.
//
// The grid moves with the law: x = L(t) ξ, ξ ∈ [−1, 1]², L(t) = α_t R + k τ_t with
// τ_t² = α_t² s_d² + σ_t² (R: the data's half-width, s_d: its component spread, k:
// extent_sigmas). The density of ξ, p = L² q, obeys a Fokker–Planck equation of the
// same form with velocity w = (−F_h − L_τ ξ)/L in reverse time τ = T_max − t and
// diffusion h g² / (2 L²).
//
// Scheme: conservative finite volumes on M × M cells; advection by MUSCL with van
// Leer's limiter and SSP-RK2 (Heun), velocities frozen at the step's midpoint time;
// diffusion by backward Euler, one tridiagonal sweep per direction (an M-matrix with
// unit column sums: positive and mass-conserving); zero flux through the box's edge.
// The step keeps the advective Courant number at `cfl`, which keeps every cell
// non-negative. Several h share the score evaluations, which are made at knots every
// knot_steps steps and interpolated linearly in time between them.
// Read-out: bilinear interpolation of log p at the evaluation points.
#include <Eigen/Core>
#include <vector>

#include "hbar/process/h_schedule.hpp"
#include "hbar/base/progress.hpp"
#include "hbar/process/schedule.hpp"
#include "hbar/score/score.hpp"

namespace hbar {

struct FokkerPlanckConfig {
  int cells = 320;            // M per dimension
  double data_radius = 2.0;   // R: max |coordinate| of the data
  double data_std = 0.0;      // s_d: spread of the data around its support (0: empirical)
  double extent_sigmas = 6.0; // k
  double cfl = 0.2;
  double max_dt = 2e-3;       // also caps the step where the flow is slow
  int knot_steps = 8;         // steps between score evaluations (linear in t between)
  double prior_var = 0.0;     // π = N(0, prior_var I); 0: the schedule's (Schedule::prior_std²)
  int threads = 0;
  // Shape of h(t): each h of the list is this schedule's height (SCIENCE.md §11). h(t)
  // is taken at each step's midpoint time, like the velocities.
  HSchedule shape;
};

struct FokkerPlanckResult {
  std::vector<double> h;
  Eigen::MatrixXd logq;             // evaluation points × h
  std::vector<double> mass_drift;   // |Σ p dξ² − 1| at T_min per h
  std::vector<double> min_cell;     // smallest cell value met per h (≥ 0: positive)
  std::vector<double> edge_mass;    // mass in the outermost ring of cells at T_min per h
  long steps = 0;
  double half_width_tmin = 0;       // L(T_min)
};

// Throws std::invalid_argument on a bad config or h < 0; hbar::Cancelled on cancel.
FokkerPlanckResult solve_fokker_planck(const ScoreModel& model, const Schedule& schedule,
                                       const std::vector<double>& h, const Points& eval,
                                       const FokkerPlanckConfig& cfg, Progress* progress = nullptr);

}  // namespace hbar
