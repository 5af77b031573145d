// The three-compartment fatigue model: compartments sum to one, a sustained contraction fails
// when the closed form says, recovery is faster at rest, and endurance falls with the target.
#include "pulley/muscle/fatigue.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pulley::muscle {
namespace {

// Sustained target TL held by M_A = TL: dM_F/dt = F TL - R M_F, so M_F = (F TL / R)(1 - e^-Rt),
// and the capacity 1 - M_F meets TL at t = -ln(1 - R (1 - TL) / (F TL)) / R (infinite when the
// logarithm's argument is <= 0). Written apart from the integrator as its oracle.
double closed_form_endurance(const FatigueParameters& p, double target) {
  const double x = p.R * (1.0 - target) / (p.F * target);
  return x >= 1.0 ? INFINITY : -std::log(1.0 - x) / p.R;
}

TEST(Fatigue, CompartmentsAlwaysSumToOneAndStayInRange) {
  FatigueState s;
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::knee);
  for (int k = 0; k < 2000; ++k) {
    const double target = (k / 100) % 2 == 0 ? 0.6 : 0.0;  // 1 s on, 1 s off
    fatigue_step(p, target, kFatigueMaxStepS, s);
    ASSERT_NEAR(s.active + s.resting + s.fatigued, 1.0, 1e-12);
    ASSERT_GE(s.active, -1e-12);
    ASSERT_GE(s.resting, -1e-12);
    ASSERT_GE(s.fatigued, -1e-12);
  }
  EXPECT_GT(s.fatigued, 0.0);
}

TEST(Fatigue, EnduranceTimeMatchesTheClosedForm) {
  for (FatigueJoint joint : {FatigueJoint::ankle, FatigueJoint::knee, FatigueJoint::trunk,
                             FatigueJoint::general}) {
    const FatigueParameters& p = fatigue_parameters(joint);
    for (double target : {0.3, 0.5, 0.8}) {
      const double expected = closed_form_endurance(p, target);
      ASSERT_TRUE(std::isfinite(expected));
      // The ramp to the target (time constant 1 / L_D = 0.1 s) delays the fatigue a little.
      EXPECT_NEAR(endurance_time(p, target, 1e5), expected, 0.003 * expected + 0.3)
          << to_string(joint) << " at " << target;
    }
  }
}

TEST(Fatigue, LowTargetsAreHeldForEver) {
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::trunk);
  // F TL <= R (1 - TL) at TL = 0.05: the fatigued share settles below 1 - TL.
  ASSERT_FALSE(std::isfinite(closed_form_endurance(p, 0.05)));
  EXPECT_EQ(endurance_time(p, 0.05, 3600.0), 3600.0);
}

TEST(Fatigue, EnduranceFallsAsTheTargetRises) {
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::knee);
  double previous = INFINITY;
  for (double target = 0.2; target <= 1.0; target += 0.1) {
    const double t = endurance_time(p, target, 1e5);
    EXPECT_LT(t, previous) << target;
    previous = t;
  }
}

TEST(Fatigue, RestRecoversFasterThanLightWork) {
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::knee);
  FatigueState tired;
  advance_fatigue(p, 0.7, 40.0, tired);
  FatigueState resting = tired, working = tired;
  advance_fatigue(p, 0.0, 60.0, resting);
  advance_fatigue(p, 0.01, 60.0, working);  // a whisper of effort: no rest multiplier
  EXPECT_LT(resting.fatigued, working.fatigued);
  // At rest the fatigued share decays at r R (the active units return within a second).
  EXPECT_NEAR(resting.fatigued, tired.fatigued * std::exp(-p.r * p.R * 60.0),
              0.02 * tired.fatigued);
}

TEST(Fatigue, AdvanceSplitsLongStepsAndIgnoresZeroDuration) {
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::ankle);
  FatigueState one, many;
  advance_fatigue(p, 0.5, 30.0, one);
  for (int k = 0; k < 3000; ++k) fatigue_step(p, 0.5, 0.01, many);
  EXPECT_NEAR(one.fatigued, many.fatigued, 1e-12);
  const FatigueState before = one;
  advance_fatigue(p, 0.5, 0.0, one);
  EXPECT_EQ(one.fatigued, before.fatigued);
}

// advance_fatigue() returns at once for a fresh muscle asked for nothing; the steps it skips
// would have left the state exactly as it was, and a muscle not fresh, or asked for something,
// is still stepped.
TEST(Fatigue, AFreshIdleMuscleStaysFreshAndTheShortcutChangesNothing) {
  const FatigueParameters& p = fatigue_parameters(FatigueJoint::trunk);
  FatigueState skipped, stepped;
  advance_fatigue(p, 0.0, 60.0, skipped);
  for (int k = 0; k < 6000; ++k) fatigue_step(p, 0.0, kFatigueMaxStepS, stepped);
  EXPECT_EQ(skipped.active, stepped.active);
  EXPECT_EQ(skipped.resting, stepped.resting);
  EXPECT_EQ(skipped.fatigued, stepped.fatigued);
  EXPECT_EQ(skipped.capacity(), 1.0);
  // A negative target is clamped to zero, so it is skipped alike.
  advance_fatigue(p, -0.3, 60.0, skipped);
  EXPECT_EQ(skipped.capacity(), 1.0);
  // Tired, then idle: it recovers (not skipped).
  FatigueState tired;
  advance_fatigue(p, 0.6, 30.0, tired);
  const double capacity_after_work = tired.capacity();
  advance_fatigue(p, 0.0, 30.0, tired);
  EXPECT_GT(tired.capacity(), capacity_after_work);
  // Fresh and asked for a little: it works (not skipped).
  FatigueState working;
  advance_fatigue(p, 1e-6, 1.0, working);
  EXPECT_GT(working.active, 0.0);
}

}  // namespace
}  // namespace pulley::muscle
