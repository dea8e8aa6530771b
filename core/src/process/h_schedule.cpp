#include "hbar/process/h_schedule.hpp"

#include "hbar/base/number.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <stdexcept>

namespace hbar {
namespace {

// The shortest of %.15g … %.17g that reads back as v.
std::string num(double v) {
  char b[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(b, sizeof b, "%.*g", digits, v);
    if (std::strtod(b, nullptr) == v) break;
  }
  return b;
}

std::string short_num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

// Joins the parts (GCC 12's -Wrestrict misfires on long chains of operator+).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}

void check_h(double h, const std::string& what) {
  if (!std::isfinite(h) || h < 0) throw std::invalid_argument(cat({what, " must be a finite number >= 0, got ", num(h)}));
}

}  // namespace

double parse_spec_number(std::string_view s, std::string_view spec) {
  double v = 0;
  const NumberStatus st = parse_number(s, v);
  if (st != NumberStatus::kOk) throw std::invalid_argument(cat({"'", spec, "': '", s, "' ", number_error(st)}));
  return v;
}

namespace {

// "x:y" pairs separated by commas.
std::vector<std::pair<double, double>> parse_pairs(std::string_view spec) {
  std::vector<std::pair<double, double>> out;
  if (spec.empty()) throw std::invalid_argument("an empty list: expected A:B[,C:D…]");
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    const std::string_view part = spec.substr(pos, comma - pos);
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos || part.find(':', colon + 1) != std::string_view::npos)
      throw std::invalid_argument(cat({"'", spec, "': '", part, "' is not of the form A:B"}));
    out.emplace_back(parse_spec_number(part.substr(0, colon), spec), parse_spec_number(part.substr(colon + 1), spec));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

HSchedule HSchedule::constant(double h) {
  check_h(h, "h");
  HSchedule s;
  s.h_ = h;
  return s;
}

HSchedule HSchedule::window(double h, std::vector<HInterval> w) {
  check_h(h, "h");
  if (w.empty()) throw std::invalid_argument("a window schedule needs at least one window");
  for (const HInterval& i : w) {
    if (!std::isfinite(i.a) || !std::isfinite(i.b))
      throw std::invalid_argument("window edges must be finite numbers");
    if (!(i.a < i.b))
      throw std::invalid_argument(cat({"the window [", num(i.a), ", ", num(i.b), "] is ",
                                       i.a == i.b ? "empty" : "reversed", ": its start must be below its end"}));
  }
  std::sort(w.begin(), w.end(), [](const HInterval& x, const HInterval& y) { return x.a < y.a; });
  for (std::size_t k = 1; k < w.size(); ++k)
    if (w[k].a < w[k - 1].b)
      throw std::invalid_argument(cat({"the windows [", num(w[k - 1].a), ", ", num(w[k - 1].b), "] and [",
                                       num(w[k].a), ", ", num(w[k].b), "] overlap"}));
  HSchedule s;
  s.kind_ = HScheduleKind::kWindow;
  s.h_ = h;
  s.windows_ = std::move(w);
  return s;
}

HSchedule HSchedule::knots(std::vector<HKnot> k) {
  if (k.empty()) throw std::invalid_argument("a knots schedule needs at least one knot");
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (!std::isfinite(k[i].t)) throw std::invalid_argument("knot times must be finite numbers");
    check_h(k[i].h, cat({"the h of the knot at t = ", num(k[i].t)}));
    if (i > 0 && !(k[i].t > k[i - 1].t))
      throw std::invalid_argument(
          cat({"knots out of order: t = ", num(k[i].t), " follows t = ", num(k[i - 1].t), " (times must increase)"}));
  }
  // A shape is scaled so that its top is h: with every knot at 0 it has no top, and
  // `--h 1` used to turn it silently into a constant h = 1 (issue 26).
  if (std::all_of(k.begin(), k.end(), [](const HKnot& x) { return x.h == 0; }))
    throw std::invalid_argument(
        "every knot has h = 0, so the shape has no height to scale to h: give a knot above 0 (no noise at all is a "
        "constant h of 0)");
  HSchedule s;
  s.kind_ = HScheduleKind::kKnots;
  s.knots_ = std::move(k);
  return s;
}

double HSchedule::at(double t) const {
  switch (kind_) {
    case HScheduleKind::kConstant:
      return h_;
    case HScheduleKind::kWindow:
      for (const HInterval& w : windows_)
        if (t >= w.a && t <= w.b) return h_;
      return 0.0;
    case HScheduleKind::kKnots: {
      if (t <= knots_.front().t) return knots_.front().h;
      if (t >= knots_.back().t) return knots_.back().h;
      const auto it = std::upper_bound(knots_.begin(), knots_.end(), t,
                                       [](double v, const HKnot& k) { return v < k.t; });
      const HKnot& r = *it;
      const HKnot& l = *(it - 1);
      const double w = (t - l.t) / (r.t - l.t);
      return (1 - w) * l.h + w * r.h;
    }
  }
  return 0.0;
}

double HSchedule::height() const {
  if (kind_ != HScheduleKind::kKnots) return h_;
  double m = 0;
  for (const HKnot& k : knots_) m = std::max(m, k.h);
  return m;
}

HSchedule HSchedule::with_height(double h) const {
  check_h(h, "h");
  HSchedule s = *this;
  if (kind_ != HScheduleKind::kKnots) {
    s.h_ = h;
    return s;
  }
  const double m = height();
  // A shape scaled to 0 (h = 0) stays 0 at any height: it has no top left to scale.
  for (HKnot& k : s.knots_) k.h = m > 0 ? k.h * (h / m) : 0.0;
  if (m > 0)  // exact at the top (h / m · m may round)
    for (std::size_t i = 0; i < s.knots_.size(); ++i)
      if (knots_[i].h == m) s.knots_[i].h = h;
  return s;
}

HSchedule HSchedule::clipped(double t_min, double t_max) const {
  if (kind_ != HScheduleKind::kWindow) return *this;
  std::vector<HInterval> w;
  for (const HInterval& i : windows_) {
    const double a = std::max(i.a, t_min), b = std::min(i.b, t_max);
    if (a < b) w.push_back({a, b});
  }
  if (w.empty())
    throw std::invalid_argument(cat({"no window of ", format_windows(windows_), " overlaps the time range [",
                                     num(t_min), ", ", num(t_max), "]"}));
  return window(h_, std::move(w));
}

double HSchedule::integral(double t_min, double t_max) const {
  switch (kind_) {
    case HScheduleKind::kConstant:
      return h_ * (t_max - t_min);
    case HScheduleKind::kWindow: {
      double len = 0;
      for (const HInterval& w : windows_) len += std::max(0.0, std::min(w.b, t_max) - std::max(w.a, t_min));
      return h_ * len;
    }
    case HScheduleKind::kKnots: {
      // Trapezoids between consecutive breakpoints (h is linear there).
      std::vector<double> ts{t_min, t_max};
      for (const HKnot& k : knots_)
        if (k.t > t_min && k.t < t_max) ts.push_back(k.t);
      std::sort(ts.begin(), ts.end());
      double sum = 0;
      for (std::size_t i = 1; i < ts.size(); ++i) sum += 0.5 * (at(ts[i - 1]) + at(ts[i])) * (ts[i] - ts[i - 1]);
      return sum;
    }
  }
  return 0.0;
}

std::vector<double> HSchedule::breakpoints() const {
  std::vector<double> out;
  for (const HInterval& w : windows_) {
    out.push_back(w.a);
    out.push_back(w.b);
  }
  for (const HKnot& k : knots_) out.push_back(k.t);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool HSchedule::is_constant_on(double t_min, double t_max) const {
  switch (kind_) {
    case HScheduleKind::kConstant:
      return true;
    case HScheduleKind::kWindow:
      if (h_ == 0) return true;
      for (const HInterval& w : windows_)
        if (w.a <= t_min && w.b >= t_max) return true;
      return false;
    case HScheduleKind::kKnots: {
      const double v = at(t_min);
      for (const HKnot& k : knots_)
        if (k.t > t_min && k.t < t_max && k.h != v) return false;
      return at(t_max) == v;
    }
  }
  return false;
}

std::string HSchedule::describe() const {
  switch (kind_) {
    case HScheduleKind::kConstant:
      return cat({"constant ", short_num(h_)});
    case HScheduleKind::kWindow: {
      std::string s = cat({"window ", short_num(h_), " on "});
      for (std::size_t i = 0; i < windows_.size(); ++i) {
        if (i) s += " ∪ ";
        s += cat({"[", short_num(windows_[i].a), ", ", short_num(windows_[i].b), "]"});
      }
      return s;
    }
    case HScheduleKind::kKnots: {
      std::string s = "knots ";
      for (std::size_t i = 0; i < knots_.size(); ++i) {
        if (i) s += ", ";
        s += cat({short_num(knots_[i].t), ":", short_num(knots_[i].h)});
      }
      return s;
    }
  }
  return {};
}

std::vector<HInterval> parse_windows(std::string_view spec) {
  std::vector<HInterval> out;
  for (const auto& [a, b] : parse_pairs(spec)) out.push_back({a, b});
  return out;
}

std::vector<HKnot> parse_knots(std::string_view spec) {
  std::vector<HKnot> out;
  for (const auto& [t, h] : parse_pairs(spec)) out.push_back({t, h});
  return out;
}

std::string format_windows(const std::vector<HInterval>& w) {
  std::string s;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) s.push_back(',');
    s.append(num(w[i].a)).push_back(':');
    s.append(num(w[i].b));
  }
  return s;
}

std::string format_knots(const std::vector<HKnot>& k) {
  std::string s;
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (i) s.push_back(',');
    s.append(num(k[i].t)).push_back(':');
    s.append(num(k[i].h));
  }
  return s;
}

}  // namespace hbar
