// The NLL(h) plot: the PF-ODE likelihood and its first-order slope at held-out points,
// then the exact NLL(h) from the Fokker–Planck grid.
#include "hbar/likelihood/fokker_planck.hpp"
#include "hbar/likelihood/likelihood.hpp"
#include "hbar/base/stats.hpp"
#include "tasks.hpp"

namespace hbar::app {

void NllTask::new_scene() {
  task_.discard();
  done_for_scene_ = false;
}

void NllTask::update(const TaskContext& c, bool sweep_shown) {
  if (auto r = task_.take()) c.status.nll = std::move(*r);
  if (c.status.first_nll_s < 0 && c.status.nll.exact_h.size() >= 5) c.status.first_nll_s = c.now - c.status.curves_since;
  // h(t) changed: the Fokker–Planck curve again (the first order holds for every shape).
  if (done_for_scene_ && c.scene_current && shape_.due(c)) {
    task_.discard();
    start(c, c.status.nll.has_first);
    return;
  }
  // Once W2(h) has its first curve (then the full sweep and NLL have a core each).
  if (c.scene && c.scene_current && sweep_shown && !done_for_scene_ && !task_.busy()) start(c);
}

void NllTask::start(const TaskContext& c, bool keep_first) {
  if (!c.scene) return;
  done_for_scene_ = true;
  NllSummary first;  // the first-order part kept
  if (keep_first && c.status.nll.has_first) {
    first = c.status.nll;
    first.has_exact = false;
    first.exact_h.clear();
    first.exact_nll.clear();
  }
  c.status.nll = first;
  const auto sc = c.scene;
  const int cells = c.settings.nll_cells;
  shape_.used(c);
  const HSchedule shape = ShapeWatch::current(c);
  task_.start([sc, cells, shape, first](Progress& p, const Task<NllSummary>::Stage& stage,
                                        const Task<NllSummary>::Post& post) {
    // The first order at `points` held-out points (PF ODE and its correction).
    const auto first_order = [&](NllSummary& out, Eigen::Index points) {
      const Points eval = sc->heldout.topRows(std::min<Eigen::Index>(points, sc->heldout.rows()));
      out.points = static_cast<int>(eval.rows());
      LikelihoodConfig cfg;
      cfg.threads = 1;
      cfg.keep_c = true;  // c(x0, t): no extra cost (SCIENCE.md §11)
      LikelihoodResult r = likelihood(*sc->score, sc->schedule, eval, FirstOrder::kExact, cfg, &p);
      if (r.escaped.size() == static_cast<std::size_t>(eval.rows()))
        throw std::runtime_error("the PF path of every held-out point escaped beyond |x| = 1e6: no density");
      // Escaped points (LikelihoodConfig::escape_radius): left out of every mean, counted in the plot's title.
      out.escaped = static_cast<int>(r.escaped.size());
      out.escaped_points = r.escaped;
      r.logq0 = without_escaped(r.logq0, r.escaped);
      r.c = without_escaped(r.c, r.escaped);
      r.c_traces = without_escaped(r.c_traces, r.escaped);
      const MeanSem nll0 = mean_sem(Eigen::VectorXd(-r.logq0)), corr = mean_sem(Eigen::VectorXd(-r.c));
      out.nll0 = nll0.mean;
      out.nll0_sem = nll0.sem;
      out.corr = corr.mean;
      out.corr_sem = corr.sem;
      out.c_curve = c_mean_curve(r.c_traces);
      out.traces = std::make_shared<const std::vector<CTrace>>(std::move(r.c_traces));
      out.has_first = true;
      out.logq0.assign(r.logq0.data(), r.logq0.data() + r.logq0.size());
    };
    // The exact NLL(h) on a Fokker–Planck grid of `grid` cells at heights hs, at the
    // points the first order used.
    const auto exact = [&](NllSummary& out, int grid, const std::vector<double>& hs) {
      const Points eval = sc->heldout.topRows(std::min<Eigen::Index>(out.points, sc->heldout.rows()));
      FokkerPlanckConfig fc;
      fc.cells = grid;
      fc.threads = 1;
      fc.data_radius = std::max(sc->data.cwiseAbs().maxCoeff(), eval.cwiseAbs().maxCoeff());
      fc.shape = shape;
      out.exact_shape = shape;
      const FokkerPlanckResult fp = solve_fokker_planck(*sc->score, sc->schedule, hs, eval, fc, &p);
      out.exact_h = hs;
      out.exact_nll.clear();
      // The same points as the PF-ODE value (an escaped point's grid value is the grid's edge).
      for (std::size_t q = 0; q < hs.size(); ++q)
        out.exact_nll.push_back(
            mean_sem(Eigen::VectorXd(-without_escaped(fp.logq.col(static_cast<Eigen::Index>(q)), out.escaped_points)))
                .mean);
      // hs[0] = 0: the grid against the ODE.
      const Eigen::Map<const Eigen::VectorXd> logq0(out.logq0.data(), static_cast<Eigen::Index>(out.logq0.size()));
      out.grid_error = (without_escaped(fp.logq.col(0), out.escaped_points) - logq0).cwiseAbs().mean();
      out.grid_cells = fc.cells;
      out.has_exact = true;
    };
    NllSummary out = first;
    if (!out.has_first) {
      // Quick first (a curve within seconds), then the full protocol replaces it part by part.
      stage("NLL quick pass");
      NllSummary quick;
      first_order(quick, kQuickPoints);
      quick.quick_first = true;
      post(quick);
      exact(quick, std::min(cells, kQuickCells), std::vector<double>(std::begin(kQuickH), std::end(kQuickH)));
      quick.quick_exact = true;
      post(quick);
      stage("NLL 1/2: PF ODE and first order");
      first_order(out, kPoints);
      // Until the full grid is there, the quick one stays on screen (its label says so).
      NllSummary shown = out;
      shown.has_exact = true;
      shown.quick_exact = true;
      shown.exact_h = quick.exact_h;
      shown.exact_nll = quick.exact_nll;
      shown.grid_cells = quick.grid_cells;
      shown.grid_error = quick.grid_error;
      shown.exact_shape = quick.exact_shape;
      post(shown);
    } else {
      // A new h(t) (the first order holds for every shape): a quick grid at five heights
      // first, so the curve of the new shape is there in seconds too.
      stage("NLL quick pass (new h(t))");
      NllSummary quick = out;
      exact(quick, std::min(cells, kQuickCells), std::vector<double>(std::begin(kQuickH), std::end(kQuickH)));
      quick.quick_exact = true;
      post(quick);
    }
    stage("NLL 2/2: Fokker-Planck grid");
    exact(out, cells, std::vector<double>(std::begin(kExactH), std::end(kExactH)));
    out.quick_exact = false;
    post(out);
  });
}

}  // namespace hbar::app
