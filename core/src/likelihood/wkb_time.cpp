#include "hbar/likelihood/wkb_time.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "hbar/base/stats.hpp"

namespace hbar {
namespace {

// Index j of the step interval [t_j, t_{j+1}] holding `time` (clamped).
std::size_t interval_of(const std::vector<double>& t, double time) {
  const auto it = std::upper_bound(t.begin(), t.end(), time);
  const std::size_t j = it == t.begin() ? 0 : static_cast<std::size_t>(it - t.begin()) - 1;
  return std::min(j, t.size() - 2);
}

// Cubic Hermite of K on [t_j, t_{j+1}] (slopes −c): value and slope at `time`.
void hermite(const CTrace& tr, std::size_t j, double time, double& value, double& slope) {
  const double h = tr.t[j + 1] - tr.t[j];
  const double s = (time - tr.t[j]) / h;
  const double k0 = tr.k[j], k1 = tr.k[j + 1], d0 = -tr.c[j], d1 = -tr.c[j + 1];
  const double s2 = s * s, s3 = s2 * s;
  value = (2 * s3 - 3 * s2 + 1) * k0 + (s3 - 2 * s2 + s) * h * d0 + (-2 * s3 + 3 * s2) * k1 + (s3 - s2) * h * d1;
  slope = ((6 * s2 - 6 * s) * k0 + (-6 * s2 + 6 * s) * k1) / h + (3 * s2 - 4 * s + 1) * d0 + (3 * s2 - 2 * s) * d1;
}

double mean_k(const std::vector<CTrace>& traces, double time) {
  double sum = 0;
  for (const CTrace& tr : traces) sum += tr.k_at(time);
  return sum / static_cast<double>(traces.size());
}

double mean_c(const std::vector<CTrace>& traces, double time) {
  double sum = 0;
  for (const CTrace& tr : traces) sum += tr.at(time);
  return sum / static_cast<double>(traces.size());
}

void check_traces(const std::vector<CTrace>& traces) {
  if (traces.empty()) throw std::invalid_argument("c(t): no points");
  for (const CTrace& tr : traces)
    if (tr.t.size() < 2 || tr.t.front() != traces[0].t.front() || tr.t.back() != traces[0].t.back())
      throw std::invalid_argument("c(t): the points' time ranges differ");
}

}  // namespace

double CTrace::k_at(double time) const {
  if (t.size() < 2) return 0.0;
  if (time <= t.front()) return k.front();
  if (time >= t.back()) return k.back();
  const std::size_t j = interval_of(t, time);
  double v = 0, d = 0;
  hermite(*this, j, time, v, d);
  return v;
}

double CTrace::at(double time) const {
  if (t.size() < 2) return c.empty() ? 0.0 : c.front();
  if (time <= t.front()) return c.front();
  if (time >= t.back()) return c.back();
  const std::size_t j = interval_of(t, time);
  double v = 0, d = 0;
  hermite(*this, j, time, v, d);
  return -d;
}

double CTrace::weighted(const HSchedule& h) const {
  if (t.size() < 2) return 0.0;
  if (h.is_constant_on(t.front(), t.back())) return h.at(0.5 * (t.front() + t.back())) * total();
  if (h.kind() == HScheduleKind::kWindow) {
    double sum = 0;
    for (const HInterval& w : h.windows()) sum += window(std::max(w.a, t.front()), std::min(w.b, t.back()));
    return h.height() * sum;
  }
  // Knots: c is quadratic on each step interval and h linear between breakpoints, so
  // two-point Gauss–Legendre on every piece is exact.
  const std::vector<double> bp = h.breakpoints();
  const double g = 1.0 / std::sqrt(3.0);
  double sum = 0;
  for (std::size_t j = 0; j + 1 < t.size(); ++j) {
    std::vector<double> cuts{t[j], t[j + 1]};
    for (double b : bp)
      if (b > t[j] && b < t[j + 1]) cuts.push_back(b);
    std::sort(cuts.begin(), cuts.end());
    for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
      const double mid = 0.5 * (cuts[p] + cuts[p + 1]), half = 0.5 * (cuts[p + 1] - cuts[p]);
      for (double u : {-g, g}) {
        double v = 0, d = 0;
        hermite(*this, j, mid + half * u, v, d);
        sum += half * h.at(mid + half * u) * (-d);
      }
    }
  }
  return sum;
}

double CCurve::trapezoid() const {
  double s = 0;
  for (std::size_t i = 1; i < t.size(); ++i) s += 0.5 * (mean[i - 1] + mean[i]) * (t[i] - t[i - 1]);
  return s;
}

CCurve c_mean_curve(const std::vector<CTrace>& traces, double rel_tol) {
  check_traces(traces);
  const double t0 = traces[0].t.front(), t1 = traces[0].t.back(), span = t1 - t0;
  CCurve out;
  out.points = traces.size();
  double abs_c = 0;
  for (const CTrace& tr : traces) {
    out.c_mean += tr.total();
    abs_c += std::abs(tr.total());
  }
  out.c_mean /= static_cast<double>(traces.size());
  abs_c /= static_cast<double>(traces.size());
  // Error budget: half of rel_tol of |C̄| (or of 1 % of the mean |C| when C̄ nearly
  // cancels), shared among intervals in proportion to their length.
  const double budget = 0.5 * rel_tol * std::max(std::abs(out.c_mean), 0.01 * abs_c);
  constexpr std::size_t kMaxNodes = 20000;
  // Start dense near T_min (t = t0 + span u², 33 nodes), then bisect where the
  // trapezoid misses the interval's exact integral.
  struct Node {
    double t, c;
  };
  std::vector<Node> nodes;
  for (int i = 0; i <= 32; ++i) {
    const double u = i / 32.0;
    const double ti = i == 32 ? t1 : t0 + span * u * u;
    nodes.push_back({ti, mean_c(traces, ti)});
  }
  for (int pass = 0; pass < 40 && nodes.size() < kMaxNodes; ++pass) {
    std::vector<Node> next{nodes.front()};
    bool split = false;
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      const Node& l = nodes[i - 1];
      const Node& r = nodes[i];
      const double dt = r.t - l.t;
      const double exact = mean_k(traces, l.t) - mean_k(traces, r.t);
      const double trap = 0.5 * (l.c + r.c) * dt;
      if (std::abs(exact - trap) > budget * dt / span && dt > 1e-9 * span &&
          nodes.size() + (next.size() - i) < kMaxNodes) {
        const double m = 0.5 * (l.t + r.t);
        next.push_back({m, mean_c(traces, m)});
        split = true;
      }
      next.push_back(r);
    }
    nodes.swap(next);
    if (!split) break;
  }
  const double n = static_cast<double>(traces.size());
  for (const Node& nd : nodes) {
    out.t.push_back(nd.t);
    out.mean.push_back(nd.c);
    double ss = 0;
    for (const CTrace& tr : traces) {
      const double d = tr.at(nd.t) - nd.c;
      ss += d * d;
    }
    out.sem.push_back(n > 1 ? std::sqrt(ss / (n - 1) / n) : 0.0);
  }
  return out;
}

MeanStd weighted_stats(const std::vector<CTrace>& traces, const HSchedule& h) {
  std::vector<double> v;
  v.reserve(traces.size());
  for (const CTrace& tr : traces) v.push_back(tr.weighted(h));
  const MeanSem s = mean_sem(v);
  return {s.mean, s.std, s.sem};
}

HSchedule best_schedule(const CCurve& curve, double h_max) {
  std::vector<HInterval> w;
  const auto& t = curve.t;
  const auto& c = curve.mean;
  double start = 0;
  bool open = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool pos = c[i] > 0;
    if (pos && !open) {
      start = i == 0 ? t[0] : t[i - 1] + (t[i] - t[i - 1]) * (-c[i - 1]) / (c[i] - c[i - 1]);
      open = true;
    } else if (!pos && open) {
      const double end = t[i - 1] + (t[i] - t[i - 1]) * c[i - 1] / (c[i - 1] - c[i]);
      if (end > start) w.push_back({start, end});
      open = false;
    }
  }
  if (open && t.back() > start) w.push_back({start, t.back()});
  if (w.empty()) return HSchedule::constant(0.0);
  return HSchedule::window(h_max, std::move(w));
}

HInterval best_window(const std::vector<CTrace>& traces, double length) {
  check_traces(traces);
  const double t0 = traces[0].t.front(), t1 = traces[0].t.back();
  if (!(length > 0) || length > t1 - t0)
    throw std::invalid_argument("the window length must be in (0, " + std::to_string(t1 - t0) + "]");
  const auto gain = [&](double a) { return mean_k(traces, a) - mean_k(traces, a + length); };
  // Scan the starts, then refine around the best by golden-section search.
  const double room = t1 - t0 - length;
  constexpr int kScan = 2000;
  double best_a = t0, best = gain(t0);
  for (int i = 1; i <= kScan; ++i) {
    const double a = t0 + room * i / kScan;
    const double g = gain(a);
    if (g > best) {
      best = g;
      best_a = a;
    }
  }
  double lo = std::max(t0, best_a - room / kScan), hi = std::min(t0 + room, best_a + room / kScan);
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  for (int it = 0; it < 60 && hi - lo > 1e-12; ++it) {
    const double m1 = hi - phi * (hi - lo), m2 = lo + phi * (hi - lo);
    if (gain(m1) >= gain(m2))
      hi = m2;
    else
      lo = m1;
  }
  const double a = 0.5 * (lo + hi);
  if (gain(a) >= best) best_a = a;
  return {best_a, best_a + length};
}

}  // namespace hbar
