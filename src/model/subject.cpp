#include "pulley/model/subject.hpp"

#include <array>

namespace pulley::model {
namespace {

constexpr std::array<std::string_view, kNumMeasuredTests> kMeasuredTestNames = {
    "straight_leg_raise_deg",
    "passive_knee_extension_deficit_deg",
    "active_knee_extension_deficit_deg",
    "thomas_hip_extension_deg",
    "thomas_knee_flexion_deg",
    "knee_flexion_torque_nm_per_kg",
    "knee_extension_torque_nm_per_kg",
    "hq_ratio",
    "concentric_knee_flexion_nm_per_kg",
    "concentric_knee_extension_nm_per_kg",
    "conventional_hq_ratio",
    "nordic_force_n",
    "trunk_extensor_endurance_s",
    "standing_pelvic_tilt_deg",
    "standing_lumbar_lordosis_deg",
};

constexpr std::array<std::string_view, kNumSignKinds> kSignNames = {
    "bottom_sticks_out",     "exaggerated_lumbar_arch", "hamstring_pain_with_low_back_pain",
    "knee_clicking",         "difficulty_bending_knee", "back_of_thigh_fatigue",
    "instability_on_stairs", "pain_behind_knee",
};

// Copies the set fields of `factors` over `out`.
void apply(const MuscleFactors& factors, ResolvedFactors& out) {
  if (factors.strength) out.strength = *factors.strength;
  if (factors.length) out.length = *factors.length;
  if (factors.stiffness) out.stiffness = *factors.stiffness;
  if (factors.capacity) out.capacity = *factors.capacity;
  if (factors.fascicle_length) out.fascicle_length = *factors.fascicle_length;
}

const MuscleFactors& side_factors(const MuscleAdjustment& entry, Side side) {
  return side == Side::right ? entry.right : entry.left;
}

}  // namespace

std::string_view to_string(MeasuredTest test) {
  return kMeasuredTestNames[static_cast<std::size_t>(test)];
}

std::optional<MeasuredTest> measured_test_from(std::string_view key) {
  for (std::size_t k = 0; k < kMeasuredTestNames.size(); ++k)
    if (kMeasuredTestNames[k] == key) return static_cast<MeasuredTest>(k);
  return std::nullopt;
}

bool is_sided(MeasuredTest test) {
  return test != MeasuredTest::trunk_extensor_endurance_s &&
         test != MeasuredTest::standing_pelvic_tilt_deg &&
         test != MeasuredTest::standing_lumbar_lordosis_deg;
}

std::string_view to_string(SignKind sign) { return kSignNames[static_cast<std::size_t>(sign)]; }

ResolvedFactors resolve_factors(const Subject& subject, std::string_view muscle,
                                std::string_view group, Side side) {
  // Apply the four levels from lowest to highest precedence, field by field; within a level,
  // later entries win.
  ResolvedFactors out;
  const auto matches = [&](const MuscleAdjustment& entry, bool want_group) {
    if (entry.is_group != want_group) return false;
    const std::string_view name = want_group ? group : muscle;
    return !name.empty() && entry.target == name;
  };
  for (const bool want_group : {true, false}) {
    for (const auto& entry : subject.muscles)
      if (matches(entry, want_group)) apply(entry.both, out);
    for (const auto& entry : subject.muscles)
      if (matches(entry, want_group)) apply(side_factors(entry, side), out);
  }
  return out;
}

}  // namespace pulley::model
