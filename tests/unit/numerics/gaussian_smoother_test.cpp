// Gaussian-weighted local quadratic regression: exact on quadratics (inside and at the ends), and
// its gain at the stated cut-off.
#include "pulley/numerics/gaussian_smoother.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pulley/core/units.hpp"

namespace pulley::numerics {
namespace {

std::vector<double> sample_times(double dt, int n) {
  std::vector<double> t(n);
  for (int i = 0; i < n; ++i) t[i] = i * dt;
  return t;
}

TEST(GaussianSmoother, ReproducesAQuadraticInsideAndAtTheEnds) {
  const auto t = sample_times(0.01, 101);  // 0 to 1 s
  Eigen::VectorXd x(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) x[i] = 2.0 - 3.0 * t[i] + 4.0 * t[i] * t[i];
  GaussianSmoother smoother(t, sigma_for_cutoff(6.0));
  for (double at : {0.0, 0.013, 0.5, 0.987, 1.0}) {
    smoother.at(at);
    const SmoothedValue s = smoother.apply(x);
    EXPECT_NEAR(s.value, 2.0 - 3.0 * at + 4.0 * at * at, 1e-9) << at;
    EXPECT_NEAR(s.rate, -3.0 + 8.0 * at, 1e-8) << at;
    EXPECT_NEAR(s.acceleration, 8.0, 1e-6) << at;
  }
}

TEST(GaussianSmoother, GainIsHalfPowerAtTheCutoff) {
  const double cutoff = 6.0;
  const auto t = sample_times(0.001, 4001);  // 4 s at 1000 Hz
  const auto gain = [&](double f) {
    Eigen::VectorXd x(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) x[i] = std::cos(2.0 * kPi * f * (t[i] - 2.0));
    GaussianSmoother smoother(t, sigma_for_cutoff(cutoff));
    // Zero lag: at a crest (t = 2 s, well inside) the smoothed value is the gain.
    smoother.at(2.0);
    return smoother.apply(x).value;
  };
  EXPECT_NEAR(gain(cutoff), std::sqrt(0.5), 0.01);
  EXPECT_GT(gain(cutoff / 4.0), 0.98);
  EXPECT_LT(gain(3.0 * cutoff), 0.05);
}

TEST(GaussianSmoother, SparseSamplesStillGiveALine) {
  // sigma far below the sampling interval: the nearest three samples.
  const std::vector<double> t = {0.0, 1.0, 2.0, 3.0};
  Eigen::VectorXd x(4);
  x << 1.0, 3.0, 5.0, 7.0;
  GaussianSmoother smoother(t, 1e-3);
  smoother.at(1.5);
  const SmoothedValue s = smoother.apply(x);
  EXPECT_NEAR(s.value, 4.0, 1e-9);
  EXPECT_NEAR(s.rate, 2.0, 1e-9);
  EXPECT_TRUE(std::isfinite(s.acceleration));
}

}  // namespace
}  // namespace pulley::numerics

namespace pulley::numerics {
namespace {

// Evenly spaced samples take the weights' recurrence; the same window on a grid that is not even
// (one far sample moved) takes one exponential per sample. Both give the same answer.
TEST(GaussianSmoother, RecurrenceOnEvenSamplesMatchesDirectWeights) {
  const auto even = sample_times(0.001, 2001);  // 0 to 2 s at 1000 Hz
  auto uneven = even;
  uneven.back() += 1e-5;  // 1 % of an interval, outside every window below
  Eigen::VectorXd x(even.size());
  for (std::size_t i = 0; i < even.size(); ++i) x[i] = std::sin(7.0 * even[i]) + 0.3 * even[i];
  GaussianSmoother a(even, sigma_for_cutoff(6.0)), b(uneven, sigma_for_cutoff(6.0));
  for (double at : {0.0, 0.0004, 0.5, 1.2345, 1.7}) {
    a.at(at);
    b.at(at);
    const SmoothedValue sa = a.apply(x), sb = b.apply(x);
    EXPECT_NEAR(sa.value, sb.value, 1e-12) << at;
    EXPECT_NEAR(sa.rate, sb.rate, 1e-9) << at;
    EXPECT_NEAR(sa.acceleration, sb.acceleration, 1e-6) << at;
  }
}

// A values-only smoother (ground reactions, whose rates nothing reads) gives the same values, to
// the bit, as one that also gives rates, inside the recording and where the window is cut short.
TEST(GaussianSmoother, ValuesOnlyGivesTheSameValuesToTheBit) {
  const auto t = sample_times(0.0005, 2001);  // 0 to 1 s at 2000 Hz, as the walk's forces
  Eigen::VectorXd x(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) x[i] = 800.0 * std::sin(9.0 * t[i]) + 20.0 * t[i];
  GaussianSmoother full(t, sigma_for_cutoff(6.0));
  GaussianSmoother values(t, sigma_for_cutoff(6.0), SmoothedOutput::values_only);
  for (double at : {0.0, 0.0102, 0.5, 0.93, 1.0}) {
    full.at(at);
    values.at(at);
    const double expected = full.apply(x).value;
    EXPECT_EQ(values.value(x), expected) << at;
    EXPECT_EQ(full.value(x), expected) << at;
  }
}

}  // namespace
}  // namespace pulley::numerics
