// The built-in example subjects of `pulley demo`, as subject-file text users can copy.
#pragma once

#include <string_view>
#include <vector>

namespace pulley::io {

struct DemoSubject {
  std::string_view id;           ///< short name, e.g. "typical"
  std::string_view description;  ///< one line
  std::string_view yaml;         ///< a complete subject file
};

const std::vector<DemoSubject>& demo_subjects();

/// The demo subject with this id, or null if there is none.
const DemoSubject* find_demo_subject(std::string_view id);

}  // namespace pulley::io
