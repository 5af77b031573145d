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

}  // namespace pulley
