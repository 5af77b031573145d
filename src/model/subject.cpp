#include "pulley/model/subject.hpp"

namespace pulley::model {
namespace {

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
