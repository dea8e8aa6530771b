// The plotted series, with stable ids for the CSV export and human labels for legends.
#include <cmath>
#include <cstdio>

#include "hbar/process/toy1d.hpp"
#include "hbar/training/train.hpp"
#include "tasks.hpp"

namespace hbar::app {

std::vector<Curve> make_curves(const Settings& s, const Status& st) {
  std::vector<Curve> out;
  // The last complete curve of other settings, grey, while the new one computes.
  if (!st.sweep_previous.empty()) {
    Curve p{"w2_previous", "previous settings (exact W2)", PlotGroup::kW2, {}, {}, {}, 0xff8c8c8c};
    for (const auto& q : st.sweep_previous) {
      p.x.push_back(q.h);
      p.y.push_back(q.has_exact ? q.exact_mean : q.mean);
    }
    out.push_back(std::move(p));
  }
  // The quick pass until the full protocol has every height (faint; its label says how).
  if (!st.sweep_quick.empty() && st.sweep.size() < static_cast<std::size_t>(SweepTask::kH)) {
    // Short labels (the legend sits in the plot); the title says how the pass was made.
    Curve c{"w2_quick_sliced", "quick: sliced bound", PlotGroup::kW2, {}, {}, {}, 0x994cc2ff};
    Curve e{"w2_quick_exact", "quick: exact", PlotGroup::kW2, {}, {}, {}, 0x996fe07a};
    for (const auto& p : st.sweep_quick) {
      c.x.push_back(p.h);
      c.y.push_back(p.mean);
      c.err.push_back(p.err);
      e.x.push_back(p.h);
      e.y.push_back(p.exact_mean);
      e.err.push_back(p.exact_err);
    }
    out.push_back(std::move(c));
    out.push_back(std::move(e));
  }
  if (!st.sweep.empty()) {
    Curve c{"w2_sliced", "fast lower bound (sliced)", PlotGroup::kW2, {}, {}, {}, 0xff4cc2ff};
    Curve e{"w2_exact", "exact W2", PlotGroup::kW2, {}, {}, {}, 0xff6fe07a};
    for (const auto& p : st.sweep) {
      c.x.push_back(p.h);
      c.y.push_back(p.mean);
      c.err.push_back(p.err);
      if (!p.has_exact) continue;
      e.x.push_back(p.h);
      e.y.push_back(p.exact_mean);
      e.err.push_back(p.exact_err);
    }
    out.push_back(std::move(c));
    if (!e.x.empty()) out.push_back(std::move(e));
  }
  if (st.live_w2 >= 0)
    out.push_back({"w2_this_run",
                   st.live_w2_dropped ? "this run (sliced bound; " + std::to_string(st.live_w2_dropped) +
                                            " non-finite left out)"
                                      : std::string("this run (sliced bound)"),
                   PlotGroup::kW2, {st.live_w2_h}, {st.live_w2}, {}, 0xffffffff});
  const NllSummary& n = st.nll;
  if (n.has_first) {
    const std::string quick_first = n.quick_first ? " (quick)" : "";
    out.push_back({"nll_pf_ode", "h = 0, PF ODE" + quick_first, PlotGroup::kNll, {0.0}, {n.nll0}, {n.nll0_sem},
                   0xff6fd3ff});
    // The tangent's slope for the h(t) shape: −∫ shape · c̄ dt (−C̄ for a constant).
    double slope = n.corr;
    std::string label = "tangent NLL(0) - h C" + quick_first;
    if (s.h_kind != HShapeKind::kConstant && n.traces && !n.traces->empty()) {
      const CTrace& tr = n.traces->front();
      slope = -weighted_stats(*n.traces, h_shape(s, tr.t.front(), tr.t.back())).mean;
      label = "tangent NLL(0) - h int shape(t) c(t) dt" + quick_first;
    }
    // The tangent over h ≤ 0.2, shortened to move at most 2 nats (C can be large).
    const double ht = std::min(0.2, 2.0 / std::max(std::abs(slope), 1e-12));
    out.push_back({"nll_tangent", label, PlotGroup::kNll, {0.0, ht}, {n.nll0, n.nll0 + ht * slope}, {}, 0xffff9f4c});
    if (!n.c_curve.t.empty())
      out.push_back({"c_mean", "c(t) over held-out points, +-1 s.e. (> 0: noise at t lowers the NLL)",
                     PlotGroup::kCTime, n.c_curve.t, n.c_curve.mean, n.c_curve.sem, 0xff6fd3ff});
  }
  if (n.has_exact) {
    char label[200];
    const char* quick = n.quick_exact ? "quick: " : "";
    if (n.exact_shape.kind() == HScheduleKind::kConstant)
      std::snprintf(label, sizeof label, "%sexact, grid %d^2 (off by %.2g at h = 0)", quick, n.grid_cells, n.grid_error);
    else
      std::snprintf(label, sizeof label, "%sexact for h x %s, grid %d^2 (off by %.2g at h = 0)", quick,
                    n.exact_shape.describe().c_str(), n.grid_cells, n.grid_error);
    out.push_back({"nll_exact", label, PlotGroup::kNll, n.exact_h, n.exact_nll, {}, 0xff6fe07a});
  }
  const TrainHistory& t = st.train;
  if (!t.loss.empty()) {
    char label[96];
    std::snprintf(label, sizeof label, "DSM loss, mean of %d steps", TrainTask::kLossEvery);
    out.push_back({"train_loss", label, PlotGroup::kTraining, t.step, t.loss, {}, 0xff6fd3ff});
    // evaluation_loss() uses 8 fixed minibatches of the training batch size.
    std::snprintf(label, sizeof label, "evaluation loss, %d fixed draws", 8 * TrainConfig{}.batch);
    if (!t.eval_loss.empty())
      out.push_back({"train_eval_loss", label, PlotGroup::kTraining, t.eval_step, t.eval_loss, {}, 0xffff9f4c});
    if (t.floor >= 0)
      out.push_back({"train_floor", "exact score's loss on those draws (the floor)", PlotGroup::kTraining,
                     {t.step.front(), t.step.back()}, {t.floor, t.floor}, {}, 0xff6fe07a});
  }
  Toy1d toy;
  toy.eps = s.toy_eps;
  Curve nll{"toy_nll", "NLL(h), exact", PlotGroup::kToy, {}, {}, {}, 0xff6fd3ff};
  Curve w2{"toy_w2", "W2(h), exact", PlotGroup::kToy, {}, {}, {}, 0xffff9f4c};
  constexpr int kToyPoints = 50;
  for (int k = 0; k <= kToyPoints; ++k) {
    const double h = static_cast<double>(k) / kToyPoints;
    nll.x.push_back(h);
    nll.y.push_back(toy.nll(h));
    w2.x.push_back(h);
    w2.y.push_back(toy.w2(h));
  }
  out.push_back(std::move(nll));
  out.push_back(std::move(w2));
  return out;
}

}  // namespace hbar::app
