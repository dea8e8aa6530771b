#pragma once
// Basic numeric types shared by the whole core.
#include <Eigen/Core>
#include <limits>
#include <numbers>

namespace hbar {

// n points in the plane, one per row (contiguous x, y pairs).
using Points = Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>;
// One 2x2 Jacobian per row, row-major: [d s_x/dx, d s_x/dy, d s_y/dx, d s_y/dy].
using Jacobians = Eigen::Matrix<double, Eigen::Dynamic, 4, Eigen::RowMajor>;
using Vec2 = Eigen::Vector2d;
using Mat2 = Eigen::Matrix2d;

inline constexpr double kPi = std::numbers::pi;
// "No value here" in grids and heat maps (drawn transparent, written empty).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The largest |coordinate| a data point may have (CSV files, sessions, drawing): the
// diffusion starts from N(0, I) and its schedules are made for data near the unit scale,
// so a point beyond 1e6 is a unit or file error; 1e6 is also where the drawing tool and
// the likelihood's escape radius stop. (Every solver is also safe beyond it.)
inline constexpr double kMaxCoordinate = 1e6;

}  // namespace hbar
