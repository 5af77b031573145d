// Identifiers as people read them in reports and messages.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace pulley {

/// A snake_case identifier as words: "hip_flexors" -> "hip flexors", "L4_L5" -> "L4 L5".
inline std::string words(std::string_view id) {
  std::string s(id);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

/// A muscle's name (model::kMuscleNames, no side suffix) as words, a biceps femoris head named
/// as such: "biceps_femoris_long" -> "biceps femoris long head", "vasti" -> "vasti".
inline std::string muscle_words(std::string_view muscle) {
  std::string s = words(muscle);
  if (muscle.ends_with("_long") || muscle.ends_with("_short")) s += " head";
  return s;
}

}  // namespace pulley
