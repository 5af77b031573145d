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

GaussianSmoother::GaussianSmoother(const std::vector<double>& time, double sigma,
                                   SmoothedOutput output)
    : time_(time), sigma_(sigma), output_(output) {
  PULLEY_DEMAND(sigma > 0.0 && time.size() >= 3, "smoother needs sigma > 0 and three samples");
  // Evenly spaced samples (as recordings are) let at() find the weights by a recurrence.
  const double n = static_cast<double>(time.size() - 1);
  step_ = (time.back() - time.front()) / n;
  double worst = 0.0;
  for (std::size_t j = 0; j < time.size(); ++j)
    worst = std::max(worst, std::abs(time[j] - (time.front() + static_cast<double>(j) * step_)));
  even_ = step_ > 0.0 && worst <= kEvenSpacingTolerance * step_;
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
  // conditioning): M = sum_j w_j phi_j phi_j^T, whose entries are the weights' moments
  // m_k = sum_j w_j v_j^k, k = 0..4.
  const double inv_sigma = 1.0 / sigma;
  double m[5] = {0.0, 0.0, 0.0, 0.0, 0.0};
  const auto add = [&m](double w, double v) {
    const double wv = w * v, wv2 = wv * v;
    m[0] += w;
    m[1] += wv;
    m[2] += wv2;
    m[3] += wv2 * v;
    m[4] += wv2 * v * v;
  };
  if (even_) {
    // v_j = v_0 + j d: w_{j+1} = w_j r_j with r_j = exp(-(v_j d + d^2 / 2)) and r_{j+1} = r_j
    // exp(-d^2): two exponentials per window instead of one per sample (relative round-off
    // about 1e-16 per step).
    const double d = step_ * inv_sigma;
    const double v0 = (time_[first_] - t) * inv_sigma;
    const double q = std::exp(-d * d);
    double w = std::exp(-0.5 * v0 * v0), r = std::exp(-(v0 * d + 0.5 * d * d));
    for (Eigen::Index j = 0; j < size_; ++j) {
      const double v = v0 + static_cast<double>(j) * d;
      add(w, v);
      c0_[j] = w;  // weight and abscissa kept for the second pass
      c1_[j] = v;
      w *= r;
      r *= q;
    }
  } else {
    for (Eigen::Index j = 0; j < size_; ++j) {
      const double v = (time_[first_ + j] - t) * inv_sigma;
      const double w = std::exp(-0.5 * v * v);
      add(w, v);
      c0_[j] = w;
      c1_[j] = v;
    }
  }
  Eigen::Matrix3d M;
  M << m[0], m[1], m[2], m[1], m[2], m[3], m[2], m[3], m[4];
  const Eigen::Matrix3d Minv = M.ldlt().solve(Eigen::Matrix3d::Identity());
  // Coefficients of (a, b sigma, c' sigma^2) per sample: w_j M^-1 phi_j; value a, rate
  // b = (b sigma) / sigma, acceleration = 2 c' = 2 (c' sigma^2) / sigma^2.
  if (output_ == SmoothedOutput::values_only) {
    for (Eigen::Index j = 0; j < size_; ++j) {
      const double w = c0_[j], v = c1_[j], v2 = v * v;
      c0_[j] = w * (Minv(0, 0) + Minv(0, 1) * v + Minv(0, 2) * v2);
    }
    return;
  }
  for (Eigen::Index j = 0; j < size_; ++j) {
    const double w = c0_[j], v = c1_[j], v2 = v * v;
    c0_[j] = w * (Minv(0, 0) + Minv(0, 1) * v + Minv(0, 2) * v2);
    c1_[j] = w * (Minv(1, 0) + Minv(1, 1) * v + Minv(1, 2) * v2) * inv_sigma;
    c2_[j] = w * (Minv(2, 0) + Minv(2, 1) * v + Minv(2, 2) * v2) * 2.0 * inv_sigma * inv_sigma;
  }
}

SmoothedValue GaussianSmoother::apply(const Eigen::Ref<const Eigen::VectorXd>& values) const {
  PULLEY_DEMAND(output_ == SmoothedOutput::with_rates, "a values-only smoother gives no rates");
  const auto x = values.segment(first_, size_);
  return {c0_.head(size_).dot(x), c1_.head(size_).dot(x), c2_.head(size_).dot(x)};
}

double GaussianSmoother::value(const Eigen::Ref<const Eigen::VectorXd>& values) const {
  return c0_.head(size_).dot(values.segment(first_, size_));
}

}  // namespace pulley::numerics
