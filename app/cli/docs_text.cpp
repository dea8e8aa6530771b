// The words of hbar-cli's reference (docs/cli.md is generated from them and from the
// options themselves: `hbar-cli help --markdown`). Each command's text is also the footer
// of its --help.
#include "docs.hpp"

namespace hbar::cli {

const char* cli_intro() {
  return R"(`--session F.json` (on `sample`, `sweep`, `nll`, `table1`) starts from an app session:
its data (a file's data from the embedded points), schedule, score and bias, data seed
and sampling seed, and for `sample` its h, particles (as `--n`) and steps, for `sweep`
its particles and steps, and for `sample`, `sweep` and `nll` its noise schedule h(t)
(`h-schedule`, `h-window`, `h-knots`; the session's h is the knots' top). Options given
beside it win; `--seed` then sets both seeds.

**Noise schedules h(t)** (SCIENCE.md §11) on `sample`, `sweep`, `nll` and `toy1d`:
`--h-window A:B[,C:D…]` puts h on those windows of t and 0 elsewhere; `--h-knots
"t1:h1,t2:h2,…"` is piecewise linear through the knots, held constant beyond the ends
(`sample`: the knots' own values, or rescaled so their top is `--h` when it is given;
`sweep` and `nll --exact-h`: each h of the list is the schedule's height). Windows are
clipped to [T_min, T_max]; a reversed or empty window, overlapping windows, a window
outside the time range, a negative h or knots out of order exit 2 with one line
(`--h-window: the window [0.5, 0.2] is reversed: its start must be below its end`).

Every subcommand has `--help` (it shows each number's range). Bad input — an unknown
data set, schedule or score, a number outside its range (table below), a bad session
file, a bad or unreadable CSV or model file (missing, a directory, a device or pipe,
larger than 1 GiB), an unwritable output — exits with status **2**, prints one line on
stderr naming the problem (for CSV content: `file:line: reason`; for a range:
`hbar-cli sample: --steps: must be in [1, 100000] (time steps: …), got 2000000000`), and
writes no output file. A run whose particles blow up (an extreme h or bias, a hostile
model) says so and exits 2, writing nothing (`101 of 500 particles are not finite, the
first after step 13 of 100: the dynamics blew up …`): no NaN reaches a CSV or the JSON —
every result is checked before it is printed or written (`hbar-cli nll: 2 values of the
result are not finite (nll_mean, nll_std): the computation failed; nothing printed`; a
model with weights of 1e30, `tests/data/hostile_huge_weights.hbm`, is refused so by
`sample`, `nll` and `sweep`). A request that would not fit in memory — a run keeping
every frame, the noise of a run, a score cache, a Fokker–Planck grid, an exact W2 graph,
a network to train — is estimated before anything is allocated and refused beyond the
**memory budget**, half of the machine's memory (`HBAR_MEMORY_BUDGET=2G` sets it):
`hbar-cli sample: a run of 20000 particles keeping 1001 frames needs 305 MiB, beyond the
memory budget of 64 MiB (set by HBAR_MEMORY_BUDGET)`, exit 2; the app shows the same
message as the task's failure. A run whose particles stay finite but end far beyond the
data (beyond 2 (R + 8), R the data's radius) with fewer steps than the drift's stability
bound is refused the same way, with a step count that would do (`hbar-cli sample: 2931
of 3000 particles ended beyond |x| = 20.1, … (1000 steps; stable from about 4566), so
take --steps 5000 or lower h or the bias; nothing written`); with enough steps the far
law is the model's own, said as a note on stderr.

**Outputs.** Every output option (`--out`, `--trajectories`, `--c-of-t`,
`--points-out`) is checked before any work: an empty name, a folder, a read-only file or
folder, a name beyond 255 bytes, or two options naming one file (also through `..`, a
symlink or a hard link) exit 2 at once. A regular file is written whole or not at all (a
temporary `.hbar-tmp-PID-N` beside it, renamed), and the outputs of one command land
together: if the second fails, the first is not written either. A symlink is written at
its target (the link stays); a named pipe or a device is written through (a pipe with no
reader is refused after 2 s; `/dev/full` says `No space left on device`); `-` is stdout,
and the text summary then goes to stderr (`--json` beside `-` is refused). With
`--json`, exactly one JSON object goes to stdout.
Runs longer than a second report progress on stderr, and Ctrl-C stops them at their next
check: exit status **130**, one line (`hbar-cli sample: interrupted; nothing written`), no
output file and no temporary left. A second Ctrl-C, one during a short step without
progress, or SIGTERM while the outputs are written exits at once with the same line
(`terminated` for SIGTERM, exit 128 + the signal) and removes the temporaries; a signal
while they are renamed into place waits for the last rename and says `after writing its
outputs`. Temporaries a killed hbar left in a folder are removed the next time hbar
writes there.

CSV input (`--data-file`): two numeric columns x, y; an optional header row; `#`
comments and blank lines; comma, semicolon, tab or whitespace separators; CRLF; a
UTF-8 BOM. Refused with the file, line and reason: a third column, a non-number or a
trailing tail (`4abc`), NaN/Inf, overflow, a coordinate beyond ±1e6 (data are expected
near the unit scale), an empty field, an empty file, fewer than 2 points, more than 10
million rows, a missing file, a directory, binary content.
CSV output: header `x,y` (trajectories: `particle,step,t,x,y`), 17 significant digits.)";
}

const std::vector<CommandDoc>& command_docs() {
  static const std::vector<CommandDoc> docs = {
      {"data",
       R"(--data NAME --n N --seed S [--heldout] --out F.csv [--json])",
       R"(Draws a built-in set (`--heldout`: the held-out stream of the same seed).
JSON: `data, n, seed, heldout, mean, cov, out, seconds`.)"},
      {"sample",
       R"((--data NAME [--data-n M] | --data-file F.csv) [--schedule simple|cosine|edm|linear] [--score exact|paper|F.hbm] [--bias EPS] [--h H] [--h-window A:B | --h-knots K] [--n N] [--steps K] [--seed S] [--sampler em|heun|ddim|edm|restart] [--eta E] [--churn C --s-tmin A --s-tmax B --s-noise S] [--rho R] [--restart A:B --restart-repeats K --restart-steps M] [--out F.csv] [--trajectories F.csv --stride M] [--threads T] [--session F.json] [--json])",
       R"(Generates N particles (default 3000) with the h-dynamics, K steps (default 1000).
`--data-n` is the size of the built-in draw whose empirical law is the score
(default 3000; unused for the analytic gauss25, gauss8, gaussian). `--trajectories`
keeps every M-th step (default 10) and the last; particle order and starting points
are the same for every h at a given seed.
`--sampler` (alias `--integrator`): `em` and `heun` run the h-family (SCIENCE.md §2);
`ddim` (η in [0, 1], N evaluations, default 50), `edm` (EDM's Algorithm 2 on Karras's
grid with ρ, N points + σ = 0, default 18; churn only for noise levels σ/α in
[s-tmin, s-tmax]; on a process other than edm it runs on x/α) and `restart` (EDM's
Heun sampler, default 18 points, walking the noise levels A:B again K times in M Heun
steps) set their own noise and take no `--h` (SCIENCE.md §12).
JSON: `n, h, steps, seconds, mean, cov` and `data, schedule, score, bias, sampler
(= integrator), nfe, seed, out, trajectories, h_schedule, equivalent_h` (`mean` is
`[x, y]`, `cov` the 2×2 sample covariance; `h` is the schedule's height, `h_schedule` as
`nll`'s `h_shape`; `equivalent_h` the sampler's h(t) as `[t, h]` pairs from T_max down,
or null with `equivalent_h_note` saying what it is instead), and each sampler's options
(`eta`; `churn, s_tmin, s_tmax, s_noise, rho`; `restart, restart_repeats, restart_steps`).)"},
      {"forward",
       R"((--data NAME [--n N] | --data-file F.csv) [--schedule …] [--steps K] [--seed S] [--out F.csv] [--trajectories F.csv --stride M] [--threads T] [--json])",
       R"(Runs the forward SDE from every data point (a file: all its rows) to T_max.
JSON: `n, steps, seconds, mean, cov, data, schedule, seed, out, trajectories`.)"},
      {"toy1d",
       R"([--v0 0.25] [--beta 8] [--T 1] [--uT 1] [--eps 0.2] [--h 0] [--h-window A:B] [--simulate --n 100000 --steps 1000 --seed S] [--x0 X] [--json])",
       R"(The closed form of SCIENCE.md §9. JSON: `v0, beta, T, uT, eps, h, u0, nll, w2`; with
`--simulate` also `sim_var, sim_var_stderr, sim_draws, sim_steps` and `sim_var_euler`
(the exact variance of the discretised chain, so the Euler bias is visible). With
`--x0 X` also `x0, logq0, wkb_c` computed by the **general** likelihood code (the
exact first-order method, rtol 1e-10) on the model run as two independent copies at
(X, X) — half of the 2-D values — and `logq0_closed_form` beside it as the check
(e.g. x0 = 0.7, ε = 0.2: log q⁰ = −5.6902334 both ways, C = 96.843), and
`wkb_c_closed_form` (∫ c dt of SCIENCE.md §11's closed form by Gauss–Legendre). With
`--h-window A:B`, `u0, nll, w2` are those of h on the window (the variance ODE of §11,
integrated), `--simulate` runs that schedule, and `--x0` adds `wkb_c_window` (∫_A^B c(x0,
t) dt from the general solver, stopping at the edges) beside `wkb_c_window_closed_form`
(x0 = 0.7, [0.02, 0.05]: 14.433768 both ways; the table of §11 says 14.4338).)"},
      {"nll",
       R"((--data NAME [--data-n M] | --data-file F.csv) [--schedule S] [--score exact|paper|F.hbm] [--bias EPS] [--eval-file E.csv | --n N] [--seed S] [--first-order none|exact|fd] [--exact-h H1,H2,…] [--fp-cells 320] [--rtol 1e-6] [--atol 1e-8] [--fd-dx 0.01] [--fd-rtol 1e-6] [--batch 10] [--h-window A:B | --h-knots K] [--c-of-t F.csv] [--points-out F.csv] [--suggest-h HMAX [--window-length L]] [--threads T] [--json])",
       R"(NLL of the model at the evaluation points: `--data` picks the law whose score is used,
`--eval-file` the points (default: a fresh held-out draw of N = 1000 points of the
built-in set; with `--data-file`, `--eval-file` is required). `--first-order` adds C
(default exact). `--exact-h` adds the Fokker–Planck NLL(h) (h = 0 is always solved too,
to report the grid's error against the ODE).
**Escaped points**: a point whose PF path the model carries beyond |x| = 10⁶ before
T_max (a learned network's field grows linearly outside its data, and a path that
wanders out there runs away exponentially: log π(x(T)) < −5·10¹¹) has no density under
the model; it is stopped there, counted, named on stderr and left out of every
statistic — never a NaN, never a silent null. With `--first-order fd` a point whose
neighbours at `--fd-dx` escape has no difference quotient (`c_undefined`).
JSON: `nll0_mean, nll0_std, corr_mean, corr_std, c_mean, n, seconds` (std over points;
corr = −C, null with `--first-order none`), `escaped` (count) and `escaped_points`
(the first 20: `index, x, y, t`), `c_undefined`, `data, schedule, score, bias, first_order,
rtol, atol`; `--points-out F.csv` writes `index,x,y,nll0,corr` per point (index in the
evaluation set; points without a value left out) and adds `points_out`; with `--exact-h`: `nll_exact` = [{`h, nll_mean, nll_std, mass_drift,
min_cell`}] and `fp` = {`cells, steps, half_width_tmin, h0_mean_abs_error,
h0_max_abs_error`}. With `--h-window` / `--h-knots` (exact first order only): `h_shape`
(`kind, height, integral, describe`, `windows`/`h_window` or `knots`/`h_knots`) and
`c_window_mean, c_window_std, c_window_sem` — ∫ shape(t) c(x0, t) dt over the points (the
shape at height 1: the first-order slope of log q in the height) — and the
Fokker–Planck runs use h(t) = H × shape; each `nll_exact` row adds `h_integral` (∫ h dt)
and `nll_first_order` (NLL(0) − H ∫ shape c̄). `--c-of-t F.csv` writes `t,c_mean,c_sem`
(c̄(t) and its standard error over the points, on a grid whose trapezoid rule gives C̄
within 1 %; `c_of_t` = {`file, times, trapezoid, c_mean`} in the JSON). `--suggest-h
HMAX` adds `suggest` (as `hbar-cli suggest-h` prints it).)"},
      {"suggest-h",
       R"((data and model options as nll) --h-max HMAX [--window-length L] [--n 1000] [--c-of-t F.csv] [--json])",
       R"(The first-order best noise schedule (SCIENCE.md §11) from c(x0, t) at held-out points:
`best_schedule` (HMAX where c̄(t) > 0, 0 elsewhere; constant 0 if c̄ ≤ 0 everywhere) and
`best_window` (the window of length L, default a fifth of [T_min, T_max], with the largest
∫ c̄), each beside `…_equal_constant` (the constant h with the same ∫ h dt). Each entry:
`kind, height, integral, describe, windows, h_window` and `gain_mean, gain_sem` (∫ h c̄
dt: the first-order NLL decrease, ± s.e. over points) and `nll_first_order`; also
`h_max, window_length, nll0_mean, n, data, schedule, score, c_mean, seconds`. First
order only: check it with `nll --h-window … --exact-h …` and `sweep --h-window …`.)"},
      {"table1",
       R"((--data NAME | --data-file F --eval-file E) [--schedule S] [--score exact|paper|F.hbm] [--bias EPS] [--batches 100] [--batch 10] [--first-order exact|fd] [tolerances as nll] [--json])",
       R"(The paper's Table-1 row: NLL and corr (= −C) averaged per batch, mean ± std over the
batches and its standard error (std / √batches). A batch holding an escaped point (see
`nll`) has no finite mean and is left out, as the paper's code drops it; `batches` counts
the kept ones. JSON: `nll_mean, nll_std, nll_sem, corr_mean, corr_std, corr_sem,
batches, batches_dropped, escaped, escaped_points, c_undefined, batch, data, schedule,
score, bias, first_order, seconds`.)"},
      {"train",
       R"((--data NAME [--data-n 3000] | --data-file F.csv) [--schedule simple|cosine|edm|linear] [--steps 80000] [--batch 512] [--lr 1e-3] [--width 128] [--depth 3] [--seed S] --out F.hbm [--json])",
       R"(Trains the network with the process's own objective: simple and cosine learn the score
by denoising score matching (the paper's), edm EDM's preconditioned denoiser (output
`x0`, σ_d the data's standard deviation, ln σ ~ N(−1.2, 1.2²)), linear the velocity of
conditional flow matching (output `velocity`); the model file records the process and
the output, and another process refuses it. Progress (steps/s, loss, time left) on
stderr every 2 s. `final_loss` is the loss on 8 fixed evaluation minibatches (drawn from
counters no training minibatch uses).
JSON: `steps, final_loss, seconds, steps_per_second, width, depth, batch, lr, data,
schedule, output, seed, out`.)"},
      {"sweep",
       R"((--data NAME [--data-n M] | --data-file F --eval-file E) [--schedule S] [--score exact|paper|F.hbm] [--bias EPS] [--h 0:0.2:10] [--trials 10] [--n 3000] [--steps 1000] [--seed S] [--method exact|sliced] [--h-window A:B | --h-knots K] [--out sweep.csv] [--threads T] [--json])",
       R"(The paper's Fig. 4 protocol: `--h A:B:K` is K values from A to B inclusive (like
linspace) or one value; per h and trial k, N samples (seed + k, the same for every h)
against held-out draw k (or `--eval-file` for every trial). Progress on stderr.
JSON: `rows` = [{`h, h_integral, w2_mean, w2_std, w2_sem, w2sq_mean, w2sq_std, w2sq_sem`}]
(sem = std/√trials; with `--h-window`/`--h-knots` each h is the schedule's height and
`h_integral` its ∫ h dt), `h_shape` (the schedule at height 1), `method, trials, n,
steps, data, schedule, score, bias, seed, data_seed, out, seconds` (`seed` samples, `data_seed` draws the held-out sets: equal unless a
session says otherwise). CSV: `h,w2_mean,w2_std,w2_sem,w2sq_mean,w2sq_std,w2sq_sem,trials`.
`--method sliced` reports √(2·SW2²) and 2·SW2², lower bounds of W2 and W2².)"},
      {"samplers",
       R"((--data NAME [--data-n M] | --data-file F --eval-file E) [--schedule S] [--score exact|paper|F.hbm] [--bias EPS] [--samplers NAME[:KEY=VALUE…],…] [--nfe 4,8,16,32,64,128,256] [--trials 5] [--n 2000] [--seed S] [--out samplers.csv] [--threads T] [--json])",
       R"(Quality against cost (SCIENCE.md §12): every sampler at every budget of network
evaluations takes the most steps within it (`sampler_nfe`), and its samples are compared
with held-out data by exact W2 (trial k: seed + k, held-out draw k). Samplers are
`em:h=H`, `heun`, `ddim:eta=E`, `edm:churn=C:smin=A:smax=B:snoise=S:rho=R` and
`restart:ra=A:rb=B:k=K:m=M:rho=R` (default: em at h 0 and 1, heun, ddim at η 0 and 1,
edm without and with churn 40, restart). A budget below a sampler's least (Restart:
3 points and its walks) gives a row without a run. Progress on stderr.
JSON: `rows` = [{`sampler, nfe_budget, nfe, steps, w2_mean, w2_sem, seconds, h_mean,
note`}] (`seconds` per trial of sampling; `h_mean` the equivalent h(t) averaged over the
grid points, null where the sampler has none and `note` says what it is instead),
`trials, n, data, schedule, score, bias, seed, out, seconds`.
CSV: `sampler,nfe_budget,nfe,steps,w2_mean,w2_sem,seconds,h_mean,trials`.)"},
      {"w2",
       R"(A.csv B.csv [--method exact|sliced] [--json])",
       R"(Wasserstein-2 between two clouds with uniform weights (sizes may differ). `exact`: a
min-cost flow on LEMON's network simplex over a sparse candidate graph — the 2 nearest
neighbours both ways, a north-west-corner plan (always feasible) and, for clouds of
600 points or more, coarse to fine: every third point of both clouds is solved first
(the same way, recursively; small problems on the complete graph) and each point gets
arcs to the 12 points nearest to where the coarse plan moves its nearest coarse point.
Then every pair's reduced cost is checked against the duals (a cell grid skips cells
that cannot violate), up to 8 arcs per point are added — the violating ones first,
then nearly tight ones (reduced cost below W2²/10), which are likely to turn negative
as the duals move — and the problem is
solved again with the last potentials as a warm start (costs replaced by reduced
costs: the same optimal flows, far fewer pivots), until no pair violates — exact by
LP duality; costs are squared distances scaled to int64 (largest ≈ 1e11), W2² is summed in
double from the flows. `sliced`: √(2·SW2²) over 64 directions, an approximation that is
a lower bound of W2. Both W2 and W2² are reported by name (POT's `ot.emd2(a, b, ot.dist(x, y))`
is W2²). JSON: `w2, w2sq, method, n_a, n_b, seconds` (+ `solves` for exact).)"},
  };
  return docs;
}

}  // namespace hbar::cli
