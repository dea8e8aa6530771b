#pragma once
// Basic numeric types shared by the whole core.
#include <Eigen/Core>

namespace hbar {

// n points in the plane, one per row (contiguous x, y pairs).
using Points = Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>;
// One 2x2 Jacobian per row, row-major: [d s_x/dx, d s_x/dy, d s_y/dx, d s_y/dy].
using Jacobians = Eigen::Matrix<double, Eigen::Dynamic, 4, Eigen::RowMajor>;
using Vec2 = Eigen::Vector2d;
using Mat2 = Eigen::Matrix2d;

}  // namespace hbar
