#pragma once
// Sample moments of point clouds.
#include "hbar/base/types.hpp"

namespace hbar {

Vec2 mean_of(const Points& p);
// Unbiased (n - 1) sample covariance.
Mat2 cov_of(const Points& p);

}  // namespace hbar
