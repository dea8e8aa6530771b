#include "hbar/base/moments.hpp"

namespace hbar {

Vec2 mean_of(const Points& p) { return p.colwise().mean().transpose(); }

Mat2 cov_of(const Points& p) {
  const Points c = p.rowwise() - p.colwise().mean();
  return (c.transpose() * c) / static_cast<double>(p.rows() - 1);
}

}  // namespace hbar
