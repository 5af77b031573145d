#include "pulley/numerics/gaussian_smoother.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"

namespace pulley::numerics {

namespace {
// y at which (1 + y) exp(-y) = 1/sqrt(2), solved by Newton's method to 1e-12 (see the header).
double half_power_y() {
  double y = 1.0;
  for (int i = 0; i < 50; ++i) {
    const double g = (1.0 + y) * std::exp(-y) - std::sqrt(0.5);
    const double dg = -y * std::exp(-y);
    const double step = g / dg;
    y -= step;
    if (std::abs(step) < 1e-12) break;
  }
  return y;
}
}  // namespace

double sigma_for_cutoff(double cutoff_hz) {
  PULLEY_DEMAND(cutoff_hz > 0.0, "smoothing cut-off must be positive");
  static const double y = half_power_y();
  return std::sqrt(y / (2.0 * kPi * kPi)) / cutoff_hz;
}

GaussianSmoother::GaussianSmoother(const std::vector<double>& time, double sigma)
    : time_(time), sigma_(sigma) {
  PULLEY_DEMAND(sigma > 0.0 && time.size() >= 3, "smoother needs sigma > 0 and three samples");
}

void GaussianSmoother::at(double t) {
  t = std::clamp(t, time_.front(), time_.back());
  const double reach = kKernelHalfWidthSigmas * sigma_;
  auto lo = std::lower_bound(time_.begin(), time_.end(), t - reach);
  auto hi = std::upper_bound(lo, time_.end(), t + reach);
  // At least three samples: widen to the nearest ones (a quadratic needs three), with the
  // weights' width stretched so the farthest stays within kKernelHalfWidthSigmas of t.
  double sigma = sigma_;
  if (hi - lo < 3) {
    while (hi - lo < 3) {
      if (lo != time_.begin() && (hi == time_.end() || t - *(lo - 1) < *hi - t)) --lo;
      else ++hi;
    }
    sigma = std::max(sigma, std::max(t - *lo, *(hi - 1) - t) / kKernelHalfWidthSigmas);
  }
  first_ = lo - time_.begin();
  size_ = hi - lo;
  if (c0_.size() < size_) {
    c0_.resize(size_);
    c1_.resize(size_);
    c2_.resize(size_);
  }
  // Weighted normal equations in the basis (1, v, v^2) with v = u / sigma (scaled for
  // conditioning): M = sum_j w_j phi_j phi_j^T.
  Eigen::Matrix3d M = Eigen::Matrix3d::Zero();
  const double inv_sigma = 1.0 / sigma;
  for (Eigen::Index j = 0; j < size_; ++j) {
    const double v = (time_[first_ + j] - t) * inv_sigma;
    const double w = std::exp(-0.5 * v * v);
    const Eigen::Vector3d phi(1.0, v, v * v);
    M.noalias() += w * phi * phi.transpose();
    c0_[j] = w;  // kept for the second pass
  }
  const Eigen::Matrix3d Minv = M.ldlt().solve(Eigen::Matrix3d::Identity());
  // Coefficients of (a, b sigma, c' sigma^2) per sample: w_j M^-1 phi_j; value a, rate
  // b = (b sigma) / sigma, acceleration = 2 c' = 2 (c' sigma^2) / sigma^2.
  for (Eigen::Index j = 0; j < size_; ++j) {
    const double v = (time_[first_ + j] - t) * inv_sigma;
    const Eigen::Vector3d k = c0_[j] * (Minv * Eigen::Vector3d(1.0, v, v * v));
    c0_[j] = k[0];
    c1_[j] = k[1] * inv_sigma;
    c2_[j] = 2.0 * k[2] * inv_sigma * inv_sigma;
  }
}

SmoothedValue GaussianSmoother::apply(const Eigen::Ref<const Eigen::VectorXd>& values) const {
  const auto x = values.segment(first_, size_);
  return {c0_.head(size_).dot(x), c1_.head(size_).dot(x), c2_.head(size_).dot(x)};
}

}  // namespace pulley::numerics
