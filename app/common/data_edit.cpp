#include "data_edit.hpp"

#include <random>
#include <stdexcept>
#include <string>

#include "setting_table.hpp"

namespace hbar::app {

Points add_disc(const Points& p, double x, double y, double r, int n, std::uint64_t seed) {
  if (n < 0 || static_cast<long long>(p.rows()) + n > kMaxDataPoints)
    throw std::invalid_argument("a data set holds at most " + std::to_string(kMaxDataPoints) +
                                " points");
  Points out(p.rows() + n, 2);
  out.topRows(p.rows()) = p;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 0.5);
  for (int i = 0; i < n; ++i) {
    double dx = 0, dy = 0;
    do {
      dx = z(rng);
      dy = z(rng);
    } while (dx * dx + dy * dy > 1.0);  // inside the disc: 2 sigma, so ~86 % accepted
    out(p.rows() + i, 0) = x + r * dx;
    out(p.rows() + i, 1) = y + r * dy;
  }
  return out;
}

Points erase_disc(const Points& p, double x, double y, double r) {
  std::vector<Eigen::Index> keep;
  keep.reserve(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    const double dx = p(i, 0) - x, dy = p(i, 1) - y;
    if (dx * dx + dy * dy > r * r) keep.push_back(i);
  }
  Points out(static_cast<Eigen::Index>(keep.size()), 2);
  for (std::size_t k = 0; k < keep.size(); ++k)
    out.row(static_cast<Eigen::Index>(k)) = p.row(keep[k]);
  return out;
}

DataSource DataSource::of(const SceneSettings& s) {
  return {s.data, s.data_file, s.points, s.data_n, s.data_seed};
}

void DataSource::apply_to(SceneSettings& s) const {
  s.data = data;
  s.data_file = data_file;
  s.points = points;
  s.data_n = data_n;
  s.data_seed = data_seed;
}

bool DataSource::operator==(const DataSource& o) const {
  return same_points(points, o.points) && data == o.data && data_file == o.data_file && data_n == o.data_n && data_seed == o.data_seed;
}

void EditHistory::will_edit(const DataSource& before) {
  if (in_stroke_ && stroke_open_) return;
  stroke_open_ = in_stroke_;
  undo_.push_back(before);
  if (undo_.size() > kMaxSteps) undo_.erase(undo_.begin());
  redo_.clear();
}

namespace {

// Moves the newest entry of `from` to `out`, leaving `current` on `to`.
bool step(std::vector<DataSource>& from, std::vector<DataSource>& to, const DataSource& current, DataSource& out) {
  if (from.empty()) return false;
  out = std::move(from.back());
  from.pop_back();
  to.push_back(current);
  return true;
}

}  // namespace

bool EditHistory::undo(const DataSource& current, DataSource& out) { return step(undo_, redo_, current, out); }

bool EditHistory::redo(const DataSource& current, DataSource& out) { return step(redo_, undo_, current, out); }

void EditHistory::clear() {
  undo_.clear();
  redo_.clear();
  in_stroke_ = stroke_open_ = false;
}

}  // namespace hbar::app
