// Tests of the De Groote et al. (2016) curves: key points, inverses, derivatives, robustness.

#include "pulley/muscle/curves.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>

namespace pulley::muscle {
namespace {

namespace cc = curve_constants;

// ---- Active force-length -------------------------------------------------------------------

TEST(ActiveForceLength, KeyPoints) {
  // Published constants give f_L(1) = 0.99933 (peak 1.0005 at l = 1.0136).
  EXPECT_NEAR(active_force_length(1.0).f, 1.0, 1e-3);
  EXPECT_NEAR(active_force_length(1.0).f, 0.99933, 1e-5);
  EXPECT_LT(active_force_length(0.4).f, 0.05);  // actual 0.0255
  EXPECT_NEAR(active_force_length(0.4).f, 0.0255, 1e-4);
  EXPECT_LT(active_force_length(1.8).f, 0.05);  // actual 0.0307
  EXPECT_NEAR(active_force_length(1.8).f, 0.0307, 1e-4);
}

TEST(ActiveForceLength, PeakNearOne) {
  double best_l = 0.0, best_f = 0.0;
  for (double l = 0.5; l <= 1.5; l += 1e-4) {
    const double f = active_force_length(l).f;
    if (f > best_f) best_f = f, best_l = l;
  }
  EXPECT_NEAR(best_l, 1.0136, 2e-3);
  EXPECT_NEAR(best_f, 1.0, 1e-3);
}

TEST(ActiveForceLength, PositiveEverywhereAndSlopeBound) {
  for (double l = -10.0; l <= 10.0; l += 1e-3) {
    const CurvePoint c = active_force_length(l);
    EXPECT_GT(c.f, 0.0) << "l = " << l;
    EXPECT_GE(c.df, cc::kActiveForceLengthMinSlope) << "l = " << l;
  }
}

// ---- Passive force-length ------------------------------------------------------------------

TEST(PassiveForceLength, ZeroAtAndBelowOptimal) {
  for (double l : {-5.0, 0.0, 0.5, 0.9, 0.999, 1.0}) {
    const CurvePoint c = passive_force_length(l);
    EXPECT_EQ(c.f, 0.0) << l;
    EXPECT_EQ(c.df, 0.0) << l;
    EXPECT_EQ(c.ddf, 0.0) << l;
  }
}

TEST(PassiveForceLength, UnitForceAtStrainE0AndPublishedAboveBlend) {
  EXPECT_NEAR(passive_force_length(1.0 + cc::kE0).f, 1.0, 1e-12);
  for (double l = 1.0 + cc::kPassiveBlendWidth; l < 2.0; l += 0.01) {
    const double g = std::expm1(cc::kPE * (l - 1.0) / cc::kE0) / std::expm1(cc::kPE);
    EXPECT_NEAR(passive_force_length(l).f, g, 1e-14) << l;
  }
}

TEST(PassiveForceLength, MonotoneNonNegativeAndTwiceContinuous) {
  double prev = 0.0;
  for (double l = 0.9; l <= 2.0; l += 1e-4) {
    const CurvePoint c = passive_force_length(l);
    EXPECT_GE(c.f, prev) << l;
    EXPECT_GE(c.df, 0.0) << l;
    prev = c.f;
  }
  // Continuity of f, f' and f'' at both ends of the blend.
  for (double l0 : {1.0, 1.0 + cc::kPassiveBlendWidth}) {
    const CurvePoint lo = passive_force_length(l0 - 1e-9);
    const CurvePoint hi = passive_force_length(l0 + 1e-9);
    EXPECT_NEAR(lo.f, hi.f, 1e-9);
    EXPECT_NEAR(lo.df, hi.df, 1e-7);
    EXPECT_NEAR(lo.ddf, hi.ddf, 1e-5);  // f''' is bounded (~500), not continuous
  }
}

// ---- Tendon force-length -------------------------------------------------------------------

TEST(TendonForceLength, KeyPoints) {
  // Published constants: f_T(1) = 0.2 exp(0.175) - 0.25 = -0.0117; zero force at l = 1.00138.
  EXPECT_NEAR(tendon_force_length(1.0).f, -0.01175, 1e-5);
  EXPECT_LT(std::abs(tendon_force_length(1.0).f), 0.012);
  const double l0 = tendon_length_norm_for_force(0.0);
  EXPECT_NEAR(l0, 1.0, 2e-3);
  EXPECT_NEAR(tendon_force_length(l0).f, 0.0, 1e-14);
  // Unit force at strain ln(6.25) / 35 - 0.005 = 0.04736 (OpenSim's default is 0.049).
  const double strain_at_unit_force = tendon_length_norm_for_force(1.0) - 1.0;
  EXPECT_NEAR(strain_at_unit_force, 0.04736, 1e-5);
  EXPECT_NEAR(strain_at_unit_force, 0.049, 0.002);
  EXPECT_NEAR(tendon_force_length(1.0 + strain_at_unit_force).f, 1.0, 1e-12);
}

TEST(TendonForceLength, InverseRoundTrip) {
  for (double f = 0.0; f <= 5.0; f += 0.01) {
    EXPECT_NEAR(tendon_force_length(tendon_length_norm_for_force(f)).f, f, 1e-12) << f;
  }
  for (double l = 1.0014; l <= 1.1; l += 1e-3) {
    EXPECT_NEAR(tendon_length_norm_for_force(tendon_force_length(l).f), l, 1e-12) << l;
  }
  EXPECT_EQ(tendon_length_norm_for_force(-3.0), tendon_length_norm_for_force(0.0));
}

// ---- Force-velocity ------------------------------------------------------------------------

TEST(ForceVelocity, KeyPoints) {
  EXPECT_NEAR(force_velocity(0.0).f, 1.0, 0.01);    // actual 1.0023
  EXPECT_NEAR(force_velocity(-1.0).f, 0.0, 0.015);  // actual 0.0121
  EXPECT_NEAR(force_velocity(-1.0).f, 0.0121, 1e-4);
  EXPECT_GT(force_velocity(1.0).f, 1.4);  // eccentric plateau, actual 1.7889
  EXPECT_LT(force_velocity(1.0).f, 1.8);
}

TEST(ForceVelocity, MonotoneIncreasing) {
  double prev = -std::numeric_limits<double>::infinity();
  for (double v = -1.5; v <= 1.5; v += 1e-3) {
    const CurvePoint c = force_velocity(v);
    EXPECT_GT(c.f, prev) << v;
    EXPECT_GT(c.df, 0.0) << v;
    prev = c.f;
  }
}

TEST(ForceVelocity, InverseRoundTrip) {
  for (double v = -1.0; v <= 1.0; v += 0.01) {
    EXPECT_NEAR(velocity_norm_for_force_velocity(force_velocity(v).f), v, 1e-12) << v;
  }
  for (double f = 0.02; f <= 1.78; f += 0.01) {
    EXPECT_NEAR(force_velocity(velocity_norm_for_force_velocity(f)).f, f, 1e-12) << f;
  }
}

// ---- A unit's wider active curve ---------------------------------------------------------

// Rajagopal 2016's ends (ActiveForceLengthCurve 0.25 and 1.9 optimal lengths).
CurvePoint rajagopal_active(double l) {
  return stretched_active_force_length(l, active_curve_stretch(0.25, 1.9));
}

TEST(StretchedActiveForceLength, DefaultEndsGiveDeGrootesCurveExactly) {
  for (double l = 0.0; l <= 2.5; l += 0.01) {
    const CurvePoint a = active_force_length(l);
    const CurvePoint b = stretched_active_force_length(
        l, active_curve_stretch(curve_constants::kActiveLengthMin, curve_constants::kActiveLengthMax));
    EXPECT_EQ(a.f, b.f);
    EXPECT_EQ(a.df, b.df);
    EXPECT_EQ(a.ddf, b.ddf);
  }
}

TEST(StretchedActiveForceLength, EndsMapOntoDeGrootesEndsAndThePeakStays) {
  // The curve's own ends (3.4 % and 2.8 % of its peak) move to the unit's.
  EXPECT_NEAR(rajagopal_active(0.25).f, active_force_length(curve_constants::kActiveLengthMin).f,
              1e-12);
  EXPECT_NEAR(rajagopal_active(1.9).f, active_force_length(curve_constants::kActiveLengthMax).f,
              1e-12);
  EXPECT_EQ(rajagopal_active(1.0).f, active_force_length(1.0).f);
  // Wider: more force away from the optimum on both limbs, the same inside the blend.
  for (double l : {0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7}) {
    EXPECT_GT(rajagopal_active(l).f, active_force_length(l).f) << l;
    EXPECT_LE(rajagopal_active(l).f, 1.001) << l;
  }
  // At half the optimal length: 0.431 of the peak against De Groote's 0.054 (the curve is a map of
  // De Groote's, so this is f_L(1 - 0.5 * 0.7412) = f_L(0.6294)).
  EXPECT_NEAR(rajagopal_active(0.5).f, active_force_length(1.0 - 0.5 * (1.0 - 0.4441) / 0.75).f,
              1e-12);
  EXPECT_NEAR(rajagopal_active(0.5).f, 0.431, 0.001);
}

TEST(StretchedActiveForceLength, SlopeStaysWithinTheCurvesBound) {
  for (double l = 0.0; l <= 3.0; l += 0.001)
    EXPECT_GE(rajagopal_active(l).df, curve_constants::kActiveForceLengthMinSlope) << l;
}

// ---- Derivatives ---------------------------------------------------------------------------

using Curve = std::function<CurvePoint(double)>;

void expect_derivatives_match(const Curve& curve, double lo, double hi, const char* name) {
  const double h = 1e-5;
  for (double x = lo; x <= hi; x += (hi - lo) / 97.0) {
    const CurvePoint c = curve(x);
    const CurvePoint p = curve(x + h), m = curve(x - h);
    const double df_fd = (p.f - m.f) / (2.0 * h);
    const double ddf_fd = (p.df - m.df) / (2.0 * h);
    EXPECT_NEAR(c.df, df_fd, 1e-6 * (1.0 + std::abs(c.df))) << name << " x = " << x;
    EXPECT_NEAR(c.ddf, ddf_fd, 1e-6 * (1.0 + std::abs(c.ddf))) << name << " x = " << x;
    // Second derivative also against the second difference of f.
    const double ddf_fd2 = (p.f - 2.0 * c.f + m.f) / (h * h);
    EXPECT_NEAR(c.ddf, ddf_fd2, 1e-3 * (1.0 + std::abs(c.ddf))) << name << " x = " << x;
  }
}

TEST(CurveDerivatives, MatchFiniteDifferences) {
  expect_derivatives_match(active_force_length, 0.0, 2.5, "f_L");
  expect_derivatives_match(rajagopal_active, 0.0, 2.5, "f_L stretched");
  expect_derivatives_match(rajagopal_active, 0.94, 1.06, "f_L stretched, blend");
  expect_derivatives_match(passive_force_length, 0.8, 2.0, "f_PE");
  expect_derivatives_match(tendon_force_length, 0.95, 1.12, "f_T");
  expect_derivatives_match(force_velocity, -1.2, 1.2, "f_V");
}

// ---- Robustness ----------------------------------------------------------------------------

TEST(Curves, FiniteForExtremeArguments) {
  const double big = std::numeric_limits<double>::max();
  const double b32_root = 0.030 / 0.200;   // zero denominator of the second f_L term
  const double b31_root = -0.162 / 0.063;  // zero denominator of the first f_L term
  for (double x :
       {-big, -1e300, -1e10, -1.0, 0.0, b31_root, b32_root, 1e-300, 1.0, 50.0, 1e10, 1e300, big}) {
    for (const Curve& curve : {Curve(active_force_length), Curve(passive_force_length),
                               Curve(tendon_force_length), Curve(force_velocity),
                               Curve(rajagopal_active)}) {
      const CurvePoint c = curve(x);
      EXPECT_TRUE(std::isfinite(c.f) && std::isfinite(c.df) && std::isfinite(c.ddf)) << x;
    }
    EXPECT_TRUE(std::isfinite(tendon_length_norm_for_force(x))) << x;
    EXPECT_TRUE(std::isfinite(velocity_norm_for_force_velocity(x))) << x;
  }
  EXPECT_GE(active_force_length(b32_root).f, 0.0);
}

}  // namespace
}  // namespace pulley::muscle
