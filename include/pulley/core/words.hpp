// Identifiers as people read them in reports and messages.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

/// Items listed as people write them: "a", "a and b", "a, b and c".
inline std::string and_list(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i)
    text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return text;
}

}  // namespace pulley
