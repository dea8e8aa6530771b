#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "hbar/base/progress.hpp"

// LEMON's network simplex has no cancel check, and one solve of a large problem runs for
// minutes. Its flow type is a template parameter: `CheckedFlow` is a 64-bit integer whose
// comparisons look at the running solve's Progress every 4096th time (the pivot loop
// compares flows on every pivot: `delta >= MAX`, the leaving-arc search), and throw
// Cancelled from inside run(). LEMON keeps its state in std::vectors, so the unwinding
// frees it. The costs stay plain integers: the arc scans, the hot loop, are untouched
// (BM_ExactW2/3000: 304 ms against 313 ms unchecked, medians of 3).
namespace hbar::w2detail {
inline thread_local const Progress* g_watch = nullptr;
inline thread_local unsigned g_ticks = 0;
inline void tick() {
  if ((++g_ticks & 4095u) == 0 && g_watch && g_watch->cancelled()) throw Cancelled();
}
struct CheckedFlow {
  long long v = 0;
  constexpr CheckedFlow() = default;
  constexpr CheckedFlow(long long x) : v(x) {}  // NOLINT: LEMON writes 0 and supplies
  explicit constexpr operator long long() const { return v; }
  CheckedFlow& operator+=(CheckedFlow o) { v += o.v; return *this; }
  CheckedFlow& operator-=(CheckedFlow o) { v -= o.v; return *this; }
  friend CheckedFlow operator+(CheckedFlow a, CheckedFlow b) { return a.v + b.v; }
  friend CheckedFlow operator-(CheckedFlow a, CheckedFlow b) { return a.v - b.v; }
  friend CheckedFlow operator-(CheckedFlow a) { return -a.v; }
  friend CheckedFlow operator*(CheckedFlow a, CheckedFlow b) { return a.v * b.v; }
  friend bool operator<(CheckedFlow a, CheckedFlow b) { tick(); return a.v < b.v; }
  friend bool operator<=(CheckedFlow a, CheckedFlow b) { tick(); return a.v <= b.v; }
  friend bool operator>(CheckedFlow a, CheckedFlow b) { tick(); return a.v > b.v; }
  friend bool operator>=(CheckedFlow a, CheckedFlow b) { tick(); return a.v >= b.v; }
  friend bool operator==(CheckedFlow a, CheckedFlow b) { return a.v == b.v; }
  friend bool operator!=(CheckedFlow a, CheckedFlow b) { return a.v != b.v; }
};
}  // namespace hbar::w2detail

template <>
struct std::numeric_limits<hbar::w2detail::CheckedFlow> : std::numeric_limits<long long> {
  static constexpr hbar::w2detail::CheckedFlow max() { return std::numeric_limits<long long>::max(); }
  static constexpr hbar::w2detail::CheckedFlow min() { return std::numeric_limits<long long>::min(); }
  static constexpr hbar::w2detail::CheckedFlow lowest() { return std::numeric_limits<long long>::lowest(); }
  static constexpr hbar::w2detail::CheckedFlow infinity() { return 0; }
};

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "hbar/base/memory.hpp"
#include "hbar/transport/transport.hpp"

namespace hbar {
namespace {

using Cost = long long;
// Tuned on two 3000-point Swiss rolls (2-core EPYC; medians of 3, see README):
// violating arcs added per point and round (4: 547 ms, 8: best with the coarse
// level, 16: 595 ms, 64: 1.1 s without it);
constexpr std::size_t kAddPerRound = 8;
// the coarse level: every kCoarseStride-th point of both clouds, solved first
// (recursively); each point then gets kShifted arcs to the points nearest to where
// the coarse plan sends its nearest coarse point (3000²: 0.43 s vs 0.55 s without;
// 12 with the nearly tight arcs below, 8 before them);
constexpr int kCoarseStride = 3;
constexpr int kShifted = 12;
// arcs with reduced cost below kNearlyTight × W2² (in cost units) are added with the
// violating ones (0: only violations, 6–15 solves; 0.1: 4–7; 0.2: no better).
constexpr double kNearlyTight = 0.1;
// clouds smaller than this (on the smaller side) skip the coarse level, and coarse
// problems with at most kDenseArcs pairs are solved on the complete graph.
constexpr int kCoarseMin = 600;
constexpr long long kDenseArcs = 250000;

struct Problem {
  const Points& a;
  const Points& b;
  long long supply_a = 1, demand_b = 1;  // per point: nb/g and na/g
  double scale = 1;                      // integer cost = llround(d² × scale)

  double d2(Eigen::Index i, Eigen::Index j) const { return (a.row(i) - b.row(j)).squaredNorm(); }
  // Costs are ≥ 0, so rounding to nearest is a truncation of x + 0.5 (inline, unlike llround).
  Cost cost(Eigen::Index i, Eigen::Index j) const { return static_cast<Cost>(d2(i, j) * scale + 0.5); }
};

Problem make_problem(const Points& a, const Points& b) {
  if (a.rows() < 1 || b.rows() < 1) throw std::invalid_argument("W2 needs two non-empty clouds");
  Problem p{a, b};
  const long long na = a.rows(), nb = b.rows(), g = std::gcd(na, nb);
  p.supply_a = nb / g;
  p.demand_b = na / g;
  // The largest squared distance is at most the squared diagonal of both clouds' box.
  const double dx = std::max(a.col(0).maxCoeff(), b.col(0).maxCoeff()) - std::min(a.col(0).minCoeff(), b.col(0).minCoeff());
  const double dy = std::max(a.col(1).maxCoeff(), b.col(1).maxCoeff()) - std::min(a.col(1).minCoeff(), b.col(1).minCoeff());
  // Normalised clouds span 2 in x or y, or are one point (found by fuzz_w2: a zero box
  // made the scale infinite and every cost 0 × inf = NaN, "infeasible").
  const double box = dx * dx + dy * dy;
  const double maxc = box > 0 ? box : 1.0;
  p.scale = 1e11 / maxc;  // total flow × max cost ≤ 9e6 × 1e11 < 2^63
  return p;
}

struct Solution {
  std::vector<Cost> pi_a, pi_b;  // node potentials
  double w2sq = 0;
  std::size_t arcs = 0;
  Points map_a, map_b;  // barycentric targets of each point under the plan
};

// Solves on the arcs (i, j) given; throws if infeasible (cannot happen with the
// north-west-corner arcs included). With `warm`, the costs are the reduced costs
// c_ij + π_i − π_j of an earlier solution (the same optimal flows, far fewer pivots);
// the potentials returned are those of the original costs.
Solution solve(const Problem& p, const std::vector<std::pair<int, int>>& arcs, const Progress* progress,
               const Solution* warm = nullptr) {
  lemon::SmartDigraph g;
  const int na = static_cast<int>(p.a.rows()), nb = static_cast<int>(p.b.rows());
  g.reserveNode(na + nb);
  g.reserveArc(static_cast<int>(arcs.size()));
  for (int i = 0; i < na + nb; ++i) g.addNode();
  lemon::SmartDigraph::ArcMap<Cost> cost(g);
  lemon::SmartDigraph::NodeMap<long long> supply(g);  // (a class-valued map needs C++17 allocators)
  for (int i = 0; i < na; ++i) supply[g.nodeFromId(i)] = p.supply_a;
  for (int j = 0; j < nb; ++j) supply[g.nodeFromId(na + j)] = -p.demand_b;
  for (const auto& [i, j] : arcs) {
    const auto arc = g.addArc(g.nodeFromId(i), g.nodeFromId(na + j));
    cost[arc] = p.cost(i, j);
    if (warm) cost[arc] += warm->pi_a[static_cast<std::size_t>(i)] - warm->pi_b[static_cast<std::size_t>(j)];
  }
  lemon::NetworkSimplex<lemon::SmartDigraph, w2detail::CheckedFlow, Cost> ns(g);
  ns.costMap(cost).supplyMap(supply);
  struct Watch {  // the solve on this thread answers to `progress` (restored after)
    const Progress* before = w2detail::g_watch;
    explicit Watch(const Progress* p) { w2detail::g_watch = p; }
    ~Watch() { w2detail::g_watch = before; }
  } watch(progress);
  if (ns.run() != decltype(ns)::OPTIMAL) throw std::runtime_error("W2: the transport problem is infeasible");
  Solution s;
  s.arcs = arcs.size();
  s.pi_a.resize(static_cast<std::size_t>(na));
  s.pi_b.resize(static_cast<std::size_t>(nb));
  for (int i = 0; i < na; ++i)
    s.pi_a[static_cast<std::size_t>(i)] =
        ns.potential(g.nodeFromId(i)) + (warm ? warm->pi_a[static_cast<std::size_t>(i)] : 0);
  for (int j = 0; j < nb; ++j)
    s.pi_b[static_cast<std::size_t>(j)] =
        ns.potential(g.nodeFromId(na + j)) + (warm ? warm->pi_b[static_cast<std::size_t>(j)] : 0);
  double total = 0;
  s.map_a = Points::Zero(na, 2);
  s.map_b = Points::Zero(nb, 2);
  for (lemon::SmartDigraph::ArcIt e(g); e != lemon::INVALID; ++e) {
    const auto f = static_cast<long long>(ns.flow(e));
    if (!f) continue;
    const int i = g.id(g.source(e)), j = g.id(g.target(e)) - na;
    total += static_cast<double>(f) * p.d2(i, j);
    s.map_a.row(i) += static_cast<double>(f) / static_cast<double>(p.supply_a) * p.b.row(j);
    s.map_b.row(j) += static_cast<double>(f) / static_cast<double>(p.demand_b) * p.a.row(i);
  }
  s.w2sq = total / (static_cast<double>(p.supply_a) * na);
  return s;
}

// For every point of `from`, the indices of its k nearest points of `to` (a sorted
// top-k buffer per point: most candidates fail the first comparison).
std::vector<std::vector<int>> k_nearest(const Points& from, const Points& to, int k) {
  const int nf = static_cast<int>(from.rows()), nt = static_cast<int>(to.rows());
  const int kk = std::min(k, nt);
  std::vector<std::vector<int>> out(static_cast<std::size_t>(nf));
  if (kk <= 0) return out;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nf; ++i) {
    std::vector<std::pair<double, int>> best(static_cast<std::size_t>(kk), {INFINITY, -1});
    const double x = from(i, 0), y = from(i, 1);
    for (int j = 0; j < nt; ++j) {
      const double dx = to(j, 0) - x, dy = to(j, 1) - y, d = dx * dx + dy * dy;
      if (d >= best.back().first) continue;
      int q = kk - 1;
      while (q > 0 && best[static_cast<std::size_t>(q - 1)].first > d) {
        best[static_cast<std::size_t>(q)] = best[static_cast<std::size_t>(q - 1)];
        --q;
      }
      best[static_cast<std::size_t>(q)] = {d, j};
    }
    for (const auto& [d, j] : best) out[static_cast<std::size_t>(i)].push_back(j);
  }
  return out;
}

// W2 is unchanged by a translation and scales with the clouds, so both are solved as
// copies centred on their common box and scaled into [-1, 1]², and the result is scaled
// back: any finite input is safe. (Raw, coordinates beyond ~1e154 made squared distances
// overflow to infinity, their integer costs undefined, and the network simplex crashed.)
struct Normalized {
  Points a, b;
  double s = 1;  // the half extent: original = centre + s × normalized
};

Normalized normalize(const Points& a, const Points& b) {
  if (a.rows() < 1 || b.rows() < 1) throw std::invalid_argument("W2 needs two non-empty clouds");
  if (!a.allFinite() || !b.allFinite()) throw std::invalid_argument("W2 of points that are not finite");
  Normalized n;
  Eigen::RowVector2d c, half;
  for (int k = 0; k < 2; ++k) {
    const double lo = std::min(a.col(k).minCoeff(), b.col(k).minCoeff());
    const double hi = std::max(a.col(k).maxCoeff(), b.col(k).maxCoeff());
    c(k) = lo / 2 + hi / 2;      // no overflow, unlike (lo + hi) / 2
    half(k) = hi / 2 - lo / 2;   // ≤ the largest double
  }
  n.s = half.maxCoeff() > 0 ? half.maxCoeff() : 1.0;
  if (n.s >= 1) {
    // (x/2 − c/2) / (s/2): each term finite for any finite x within the box.
    n.a = ((a / 2).rowwise() - c / 2) / (n.s / 2);
    n.b = ((b / 2).rowwise() - c / 2) / (n.s / 2);
  } else {
    // A small box (down to subnormal extents, where s/2 may round to 0: found by
    // fuzz_w2): x − c cannot overflow, and dividing by s itself keeps it finite.
    n.a = (a.rowwise() - c) / n.s;
    n.b = (b.rowwise() - c) / n.s;
  }
  return n;
}

// A result on normalized clouds, in the clouds' own units (W2² may overflow to infinity
// for extents beyond ~1e154; W2 itself does not).
W2Result scaled(double w2sq, double s, int rounds, std::size_t arcs) {
  return {w2sq * s * s, std::sqrt(w2sq) * s, rounds, arcs};
}

}  // namespace

// LEMON's network simplex keeps about 100 bytes per arc (its arrays and our arc list).
constexpr double kBytesPerArc = 100;

W2Result exact_w2_dense(const Points& a, const Points& b, Progress* progress) {
  check_memory(kBytesPerArc * static_cast<double>(a.rows()) * static_cast<double>(b.rows()),
               "an exact W2 (all pairs) between " + std::to_string(a.rows()) + " and " + std::to_string(b.rows()) +
                   " points");
  const Normalized n = normalize(a, b);
  const Problem p = make_problem(n.a, n.b);
  std::vector<std::pair<int, int>> arcs;
  for (int i = 0; i < a.rows(); ++i)
    for (int j = 0; j < b.rows(); ++j) arcs.emplace_back(i, j);
  const Solution s = solve(p, arcs, progress);
  return scaled(s.w2sq, n.s, 1, s.arcs);
}

namespace {

Solution solve_sparse(const Points& a, const Points& b, Progress* progress, int k, bool top, int& rounds);

// The points of b bucketed in a uniform grid of about 16 points per cell.
struct CellGrid {
  double x0 = 0, y0 = 0, h = 1;
  int nx = 1, ny = 1;
  std::vector<int> start, order;  // points of cell c: order[start[c] … start[c+1])
  std::size_t count() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
  explicit CellGrid(const Points& b) {
    const double xmin = b.col(0).minCoeff(), ymin = b.col(1).minCoeff();
    const double w = std::max(b.col(0).maxCoeff() - xmin, 1e-12), hh = std::max(b.col(1).maxCoeff() - ymin, 1e-12);
    const double cells = std::max(1.0, static_cast<double>(b.rows()) / 16.0);
    h = std::max(std::sqrt(w * hh / cells), 1e-12 + std::max(w, hh) / 512);
    nx = std::max(1, static_cast<int>(std::ceil(w / h)) + 1);
    ny = std::max(1, static_cast<int>(std::ceil(hh / h)) + 1);
    x0 = xmin;
    y0 = ymin;
    std::vector<int> cell(static_cast<std::size_t>(b.rows()));
    start.assign(count() + 1, 0);
    for (Eigen::Index j = 0; j < b.rows(); ++j) {
      const int cx = std::min(nx - 1, static_cast<int>((b(j, 0) - x0) / h));
      const int cy = std::min(ny - 1, static_cast<int>((b(j, 1) - y0) / h));
      cell[static_cast<std::size_t>(j)] = cy * nx + cx;
      ++start[static_cast<std::size_t>(cell[static_cast<std::size_t>(j)]) + 1];
    }
    for (std::size_t c = 0; c < count(); ++c) start[c + 1] += start[c];
    order.resize(static_cast<std::size_t>(b.rows()));
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (Eigen::Index j = 0; j < b.rows(); ++j)
      order[static_cast<std::size_t>(fill[static_cast<std::size_t>(cell[static_cast<std::size_t>(j)])]++)] = static_cast<int>(j);
  }
};

// Every stride-th point (the clouds are random draws, so this is a random subsample).
Points every_nth(const Points& x, int stride) {
  Points out((x.rows() + stride - 1) / stride, 2);
  for (Eigen::Index i = 0; i < out.rows(); ++i) out.row(i) = x.row(i * stride);
  return out;
}

// Where each point of `from` is predicted to go: its nearest coarse point's
// displacement under the coarse plan, added to the point.
Points predicted_targets(const Points& from, const Points& coarse, const Points& coarse_map) {
  Points pred(from.rows(), 2);
#pragma omp parallel for schedule(static)
  for (Eigen::Index i = 0; i < from.rows(); ++i) {
    Eigen::Index best = 0;
    (coarse.rowwise() - from.row(i)).rowwise().squaredNorm().minCoeff(&best);
    pred.row(i) = from.row(i) + coarse_map.row(best) - coarse.row(best);
  }
  return pred;
}

Solution solve_sparse(const Points& a, const Points& b, Progress* progress, int k, bool top, int& rounds) {
  const Problem p = make_problem(a, b);
  const int na = static_cast<int>(a.rows()), nb = static_cast<int>(b.rows());
  if (!top && static_cast<long long>(na) * nb <= kDenseArcs) {
    std::vector<std::pair<int, int>> all;
    for (int i = 0; i < na; ++i)
      for (int j = 0; j < nb; ++j) all.emplace_back(i, j);
    return solve(p, all, progress);
  }
  // Arcs per source: the k nearest on the other side, both ways.
  std::vector<std::vector<int>> adj = k_nearest(a, b, k);
  const auto near_b = k_nearest(b, a, k);
  for (int j = 0; j < nb; ++j)
    for (int i : near_b[static_cast<std::size_t>(j)]) adj[static_cast<std::size_t>(i)].push_back(j);
  // North-west corner along the x order: a feasible plan, so every sparse problem is feasible.
  {
    std::vector<int> oa(static_cast<std::size_t>(na)), ob(static_cast<std::size_t>(nb));
    std::iota(oa.begin(), oa.end(), 0);
    std::iota(ob.begin(), ob.end(), 0);
    std::sort(oa.begin(), oa.end(), [&](int x, int y) { return a(x, 0) < a(y, 0); });
    std::sort(ob.begin(), ob.end(), [&](int x, int y) { return b(x, 0) < b(y, 0); });
    long long ra = p.supply_a, rb = p.demand_b;
    std::size_t ia = 0, ib = 0;
    while (ia < oa.size() && ib < ob.size()) {
      adj[static_cast<std::size_t>(oa[ia])].push_back(ob[ib]);
      const long long m = std::min(ra, rb);
      ra -= m;
      rb -= m;
      if (ra == 0) ++ia, ra = p.supply_a;
      if (rb == 0) ++ib, rb = p.demand_b;
    }
  }
  // Coarse to fine: arcs towards where a coarse plan sends each neighbourhood.
  if (std::min(na, nb) >= kCoarseMin) {
    const Points ca = every_nth(a, kCoarseStride), cb = every_nth(b, kCoarseStride);
    int coarse_rounds = 0;
    const Solution cs = solve_sparse(ca, cb, progress, k, false, coarse_rounds);  // checks cancel only
    const auto fa = k_nearest(predicted_targets(a, ca, cs.map_a), b, kShifted);
    for (int i = 0; i < na; ++i)
      for (int j : fa[static_cast<std::size_t>(i)]) adj[static_cast<std::size_t>(i)].push_back(j);
    const auto fb = k_nearest(predicted_targets(b, cb, cs.map_b), a, kShifted);
    for (int j = 0; j < nb; ++j)
      for (int i : fb[static_cast<std::size_t>(j)]) adj[static_cast<std::size_t>(i)].push_back(j);
  }
  const CellGrid cells(b);
  Solution s;
  for (int round = 1;; ++round) {
    std::vector<std::pair<int, int>> arcs;
    for (int i = 0; i < na; ++i) {
      auto& v = adj[static_cast<std::size_t>(i)];
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
      for (int j : v) arcs.emplace_back(i, j);
    }
    s = round == 1 ? solve(p, arcs, progress) : solve(p, arcs, progress, &s);
    rounds = round;
    if (progress) {
      if (top) progress->fraction.store(std::min(0.95, 0.3 * round));
      if (progress->cancelled()) throw Cancelled();  // and waits here while paused
    }
    // Dual check over every pair: a missing arc with negative reduced cost
    // c_ij + π_i − π_j < 0 could improve the plan; none left means optimal. Up to
    // kAddPerRound missing arcs per point join, the most negative first, then nearly
    // tight ones (reduced cost below a tenth of the mean cost per unit of flow): the
    // duals move as arcs are added, and these are the likeliest to turn negative next.
    // A cell of b is skipped when even its nearest corner and its largest π_j cannot
    // reach below the threshold (the rounding is monotone, so this is exact).
    const Cost delta = static_cast<Cost>(kNearlyTight * s.w2sq * p.scale);
    std::vector<Cost> cell_max(cells.count(), std::numeric_limits<Cost>::min());
    for (std::size_t c = 0; c < cells.count(); ++c)
      for (int q = cells.start[c]; q < cells.start[c + 1]; ++q)
        cell_max[c] = std::max(cell_max[c], s.pi_b[static_cast<std::size_t>(cells.order[static_cast<std::size_t>(q)])]);
    std::vector<std::vector<int>> add(static_cast<std::size_t>(na));
    long long violations = 0;
#pragma omp parallel for schedule(static) reduction(+ : violations)
    for (int i = 0; i < na; ++i) {
      std::vector<std::pair<Cost, int>> low;
      const auto& have = adj[static_cast<std::size_t>(i)];  // sorted above
      const Cost pi = s.pi_a[static_cast<std::size_t>(i)];
      const double ax = a(i, 0), ay = a(i, 1);
      for (int cy = 0; cy < cells.ny; ++cy) {
        const double y0 = cells.y0 + cy * cells.h, ddy = ay < y0 ? y0 - ay : std::max(0.0, ay - (y0 + cells.h));
        for (int cx = 0; cx < cells.nx; ++cx) {
          const std::size_t c = static_cast<std::size_t>(cy) * static_cast<std::size_t>(cells.nx) + static_cast<std::size_t>(cx);
          if (cells.start[c] == cells.start[c + 1]) continue;
          const double x0 = cells.x0 + cx * cells.h, ddx = ax < x0 ? x0 - ax : std::max(0.0, ax - (x0 + cells.h));
          if (static_cast<Cost>((ddx * ddx + ddy * ddy) * p.scale + 0.5) + pi - cell_max[c] >= delta) continue;
          for (int q = cells.start[c]; q < cells.start[c + 1]; ++q) {
            const int j = cells.order[static_cast<std::size_t>(q)];
            const double dx = ax - b(j, 0), dy = ay - b(j, 1);
            const Cost rc = static_cast<Cost>((dx * dx + dy * dy) * p.scale + 0.5) + pi - s.pi_b[static_cast<std::size_t>(j)];
            if (rc < delta && !std::binary_search(have.begin(), have.end(), j)) low.emplace_back(rc, j);
          }
        }
      }
      for (const auto& e : low) violations += e.first < 0;
      const std::size_t keep = std::min<std::size_t>(low.size(), kAddPerRound);
      std::partial_sort(low.begin(), low.begin() + static_cast<std::ptrdiff_t>(keep), low.end());
      for (std::size_t q = 0; q < keep; ++q) add[static_cast<std::size_t>(i)].push_back(low[q].second);
    }
    if (violations == 0) break;
    for (int i = 0; i < na; ++i)
      for (int j : add[static_cast<std::size_t>(i)]) adj[static_cast<std::size_t>(i)].push_back(j);
  }
  return s;
}

}  // namespace

W2Result exact_w2(const Points& a, const Points& b, Progress* progress, int k) {
  // The first round's graph: k nearest both ways (later rounds add few arcs).
  check_memory(kBytesPerArc * 2.0 * std::max(k, 1) * static_cast<double>(a.rows() + b.rows()),
               "an exact W2 between " + std::to_string(a.rows()) + " and " + std::to_string(b.rows()) + " points");
  int rounds = 0;
  const Normalized n = normalize(a, b);
  const Solution s = solve_sparse(n.a, n.b, progress, k, true, rounds);
  if (progress) progress->fraction.store(1.0);
  return scaled(s.w2sq, n.s, rounds, s.arcs);
}

}  // namespace hbar
