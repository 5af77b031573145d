// Muscle fatigue: the three-compartment model of Xia & Frey-Law (2008, J Biomech 41:3046-3052)
// with the rest recovery multiplier of Looft, Herkert & Frey-Law (2018, J Biomech 77:16-25).
//
// A muscle's motor units are shared among three compartments, as fractions of the whole:
// active M_A, fatigued M_F and resting M_R, with M_A + M_F + M_R = 1. For a target load TL(t)
// (the force asked of the muscle, as a fraction of its fresh maximum):
//   dM_A/dt =  C(t) - F M_A
//   dM_R/dt = -C(t) + R_eff M_F
//   dM_F/dt =  F M_A - R_eff M_F
// where the controller C(t) recruits resting units to meet the target and lets active ones rest
// when it falls:
//   M_A < TL and M_R >  TL - M_A:  C = L_D (TL - M_A)
//   M_A < TL and M_R <= TL - M_A:  C = L_D M_R
//   M_A >= TL:                     C = L_R (TL - M_A)
// and R_eff = R while the muscle works, r R while it rests (TL = 0; Looft 2018). The residual
// capacity, the largest force the muscle can still produce, is M_A + M_R = 1 - M_F; a sustained
// contraction fails when it falls below the target (Frey-Law et al. 2012, J Biomech
// 45:1803-1808).
#pragma once

#include <string_view>

namespace pulley::muscle {

/// The model's rates for the muscles of one joint (1/s).
struct FatigueParameters {
  double F = 0.0;     ///< fatigue rate
  double R = 0.0;     ///< recovery rate
  double r = 1.0;     ///< rest recovery multiplier: R_eff = r R while the target is zero
  double L_D = 10.0;  ///< controller gain recruiting resting units (Xia & Frey-Law 2008)
  double L_R = 10.0;  ///< controller gain relaxing active units (Xia & Frey-Law 2008)
};

/// The joints with published fatigue and recovery rates.
enum class FatigueJoint { ankle, knee, trunk, general };

/// "ankle", "knee", "trunk", "general".
std::string_view to_string(FatigueJoint joint);

/// The published rates of a joint's muscles (the .cpp cites each number).
const FatigueParameters& fatigue_parameters(FatigueJoint joint);

/// The compartments of one muscle (fractions of its motor units). Fresh: all resting.
struct FatigueState {
  double active = 0.0, resting = 1.0, fatigued = 0.0;
  /// Residual capacity: the largest force the muscle can produce now, as a fraction of fresh.
  double capacity() const { return active + resting; }
};

/// The integration step (s) advance_fatigue() never exceeds. chosen: L h = 0.1 with the
/// controller gains of 10/s, where explicit Euler's endurance times agree with the closed form
/// to within 0.3 % (tests/unit/muscle/fatigue_test.cpp).
inline constexpr double kFatigueMaxStepS = 0.01;

/// Advances `state` by `duration_s` (>= 0) at a constant target load `target` (fraction of the
/// fresh maximum, clamped to [0, 1]), in explicit Euler steps of at most kFatigueMaxStepS; a fresh
/// muscle at target 0, which every step would leave as it is, is returned unchanged at once.
void advance_fatigue(const FatigueParameters& p, double target, double duration_s,
                     FatigueState& state);

/// One explicit Euler step of length h (s, <= kFatigueMaxStepS) at target `target` in [0, 1].
/// The hot loop of a protocol; advance_fatigue() calls it.
inline void fatigue_step(const FatigueParameters& p, double target, double h,
                         FatigueState& s) {
  const double deficit = target - s.active;
  const double c = deficit > 0.0 ? p.L_D * (deficit < s.resting ? deficit : s.resting)
                                 : p.L_R * deficit;
  const double recovery = (target > 0.0 ? p.R : p.r * p.R) * s.fatigued;
  const double fatiguing = p.F * s.active;
  s.active += h * (c - fatiguing);
  s.resting += h * (recovery - c);
  s.fatigued = 1.0 - s.active - s.resting;  // the three always sum to one
}

/// How long a contraction at `target` (in (0, 1]) can be held from fresh before the residual
/// capacity falls below it (s), integrated in kFatigueMaxStepS steps; `limit_s` if it lasts
/// that long (a low enough target is held for ever: F TL <= R (1 - TL)).
double endurance_time(const FatigueParameters& p, double target, double limit_s);

}  // namespace pulley::muscle
