// The muscles and groups users can name (subject files, JSON results). Each muscle exists on both
// sides, named with a side suffix in results: "semimembranosus_r", "semimembranosus_l".
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace pulley::model {

struct MuscleName {
  std::string_view name;   ///< snake_case, no side suffix
  std::string_view group;  ///< user-facing group, or "" when the muscle is in no group
};

/// Every muscle of the model, per side (domain.md section 2).
inline constexpr std::array<MuscleName, 23> kMuscleNames = {{
    {"semimembranosus", "hamstrings"},
    {"semitendinosus", "hamstrings"},
    {"biceps_femoris_long", "hamstrings"},
    {"biceps_femoris_short", "hamstrings"},
    {"rectus_femoris", "quadriceps"},
    {"vasti", "quadriceps"},
    {"iliacus", "hip_flexors"},
    {"psoas", "hip_flexors"},
    {"sartorius", "hip_flexors"},
    {"tensor_fasciae_latae", "hip_flexors"},
    {"gluteus_maximus", "gluteals"},
    {"adductor_magnus", "adductors"},
    {"adductor_longus", "adductors"},
    {"gracilis", "adductors"},
    {"iliocostalis", "erector_spinae"},
    {"longissimus", "erector_spinae"},
    {"multifidus", "erector_spinae"},
    {"rectus_abdominis", "abdominals"},
    {"external_oblique", "abdominals"},
    {"internal_oblique", "abdominals"},
    {"gastrocnemius", "calves"},
    {"soleus", "calves"},
    {"tibialis_anterior", ""},
}};

/// The user-facing muscle groups.
inline constexpr std::array<std::string_view, 8> kMuscleGroups = {
    "hamstrings", "quadriceps", "hip_flexors", "gluteals",   "adductors",
    "erector_spinae", "abdominals", "calves"};

/// The group of a muscle name (no side suffix), or nullopt if the name is unknown.
constexpr std::optional<std::string_view> group_of(std::string_view muscle) {
  for (const auto& m : kMuscleNames)
    if (m.name == muscle) return m.group;
  return std::nullopt;
}

constexpr bool is_group(std::string_view name) {
  for (const auto g : kMuscleGroups)
    if (g == name) return true;
  return false;
}

}  // namespace pulley::model
