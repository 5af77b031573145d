#include "pulley/muscle/fatigue.hpp"

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"

namespace pulley::muscle {

namespace {

// F and R: Frey-Law LA, Looft JM, Heitsman J (2012) J Biomech 45:1803-1808, table 1, fitted to the
// joint-specific endurance-time curves of Frey Law & Avin (2010, Ergonomics 53:109-129). The
// "general" set is their fit to all joints pooled. r = 15: Looft JM, Frey-Law LA (2020) J Biomech
// 106:109762 ("r = 15 was optimal for ankle, knee, and elbow joint regions"); Looft et al. (2018)
// found 15 for the pooled data too, and did not study the trunk, which takes the pooled value.
// L_D = L_R = 10/s: Xia & Frey-Law 2008, as used by Frey-Law 2012 and Looft 2018.
constexpr double kRestRecoveryMultiplier = 15.0;
constexpr FatigueParameters kAnkle{0.00589, 0.00058, kRestRecoveryMultiplier};
constexpr FatigueParameters kKnee{0.01500, 0.00149, kRestRecoveryMultiplier};
constexpr FatigueParameters kTrunk{0.00755, 0.00075, kRestRecoveryMultiplier};
constexpr FatigueParameters kGeneral{0.00970, 0.00091, kRestRecoveryMultiplier};

}  // namespace

std::string_view to_string(FatigueJoint joint) {
  switch (joint) {
    case FatigueJoint::ankle: return "ankle";
    case FatigueJoint::knee: return "knee";
    case FatigueJoint::trunk: return "trunk";
    case FatigueJoint::general: return "general";
  }
  return "general";
}

const FatigueParameters& fatigue_parameters(FatigueJoint joint) {
  switch (joint) {
    case FatigueJoint::ankle: return kAnkle;
    case FatigueJoint::knee: return kKnee;
    case FatigueJoint::trunk: return kTrunk;
    case FatigueJoint::general: return kGeneral;
  }
  return kGeneral;
}

void advance_fatigue(const FatigueParameters& p, double target, double duration_s,
                     FatigueState& state) {
  PULLEY_DEMAND(duration_s >= 0.0 && std::isfinite(duration_s),
                "advance_fatigue: the duration must be finite and >= 0");
  target = std::clamp(target, 0.0, 1.0);
  // A fresh muscle asked for nothing stays fresh: every step would leave it exactly as it is (no
  // recruitment, fatigue or recovery). Most of the body's muscles in a trunk hold.
  if (target == 0.0 && state.active == 0.0 && state.fatigued == 0.0) return;
  const int steps = static_cast<int>(std::ceil(duration_s / kFatigueMaxStepS));
  if (steps == 0) return;
  const double h = duration_s / steps;
  for (int k = 0; k < steps; ++k) fatigue_step(p, target, h, state);
}

double endurance_time(const FatigueParameters& p, double target, double limit_s) {
  PULLEY_DEMAND(target > 0.0 && target <= 1.0, "endurance_time: the target must lie in (0, 1]");
  FatigueState state;
  const double h = kFatigueMaxStepS;
  for (double t = 0.0; t < limit_s; t += h) {
    fatigue_step(p, target, h, state);
    if (state.capacity() < target) return t + h;
  }
  return limit_s;
}

}  // namespace pulley::muscle
