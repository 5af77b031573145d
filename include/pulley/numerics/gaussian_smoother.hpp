// Gaussian-weighted local quadratic regression of a sampled signal, giving its value and (unless
// asked for values alone) its first and second time derivatives at any time: the zero-lag low-pass
// filter that turns recorded joint angles and ground reaction forces into the positions,
// velocities, accelerations and loads of inverse dynamics (the idea of Savitzky-Golay filters, with
// Gaussian weights and at any time).
//
// Estimate, over the samples (t_j, x_j) within kKernelHalfWidthSigmas sigma of t, u_j = t_j - t:
//   minimise sum_j w_j (x_j - a - b u_j - c u_j^2 / 2)^2,   w_j = exp(-u_j^2 / (2 sigma^2)),
// and s(t) = a, s'(t) = b, s''(t) = c. A quadratic passes unchanged, also where the window is
// cut short at a recording's ends; a local mean (kernel averaging) would there bend every rate
// toward zero.
//
// Cut-off. On evenly spaced samples well inside a recording, the value is a convolution with the
// kernel w(u) (3 - u^2 / sigma^2) / 2 (normalised), whose gain is (1 + y) exp(-y) with
// y = 2 pi^2 sigma^2 f^2; it falls to 1/sqrt(2) at y = 1.0776, so sigma = 0.2337 / f_c:
// sigma_for_cutoff(f_c).
#pragma once

#include <Eigen/Core>
#include <vector>

namespace pulley::numerics {

/// chosen: weights beyond 4 sigma (below exp(-8) = 3e-4 of the centre's) are left out.
inline constexpr double kKernelHalfWidthSigmas = 4.0;

/// Samples count as evenly spaced when each lies within this fraction of the mean interval of
/// its place on the even grid. chosen: far above the round-off of times written with 6-7
/// significant digits (1e-7 of a 1 ms interval), far below any real jitter.
inline constexpr double kEvenSpacingTolerance = 1e-6;

/// The sigma (s) whose value filter has gain 1/sqrt(2) at `cutoff_hz` (> 0).
double sigma_for_cutoff(double cutoff_hz);

/// A signal's smoothed value and its first and second time derivatives.
struct SmoothedValue {
  double value = 0.0, rate = 0.0, acceleration = 0.0;
};

/// What a smoother gives: values with their rates and accelerations, or values alone (for a table
/// whose derivatives are not wanted, such as the ground reactions: two of the three sets of
/// weights and dot products are spared, which counts where they are sampled at 2 kHz; the values
/// are the same to the bit).
enum class SmoothedOutput { with_rates, values_only };

/// The weights of one time, found once and applied to every column of a table sampled at the same
/// times. No allocation once its scratch has grown to the widest window.
class GaussianSmoother {
 public:
  /// `time` strictly increasing (kept by reference: it must outlive the smoother); sigma > 0 (s).
  GaussianSmoother(const std::vector<double>& time, double sigma,
                   SmoothedOutput output = SmoothedOutput::with_rates);

  /// Computes the weights at time t (clamped to the samples' span). InputError-free: a window
  /// with fewer than three samples (sigma far below the sampling interval) takes the nearest
  /// samples' straight line.
  void at(double t);
  /// The smoothed column at the last time given to at(): `values` holds one entry per sample.
  /// Needs SmoothedOutput::with_rates.
  SmoothedValue apply(const Eigen::Ref<const Eigen::VectorXd>& values) const;
  /// The smoothed column's value alone (either output).
  double value(const Eigen::Ref<const Eigen::VectorXd>& values) const;

  double sigma() const { return sigma_; }

 private:
  const std::vector<double>& time_;
  double sigma_;
  SmoothedOutput output_;
  double step_ = 0.0;   // mean sample interval (s)
  bool even_ = false;   // samples evenly spaced (within kEvenSpacingTolerance of step_)
  Eigen::Index first_ = 0;  // first sample of the window
  // Per sample of the window: coefficients of value, rate and acceleration (values_only: c0_
  // alone; c1_ holds the scaled times, c2_ is unused).
  Eigen::VectorXd c0_, c1_, c2_;
  Eigen::Index size_ = 0;
};

}  // namespace pulley::numerics
