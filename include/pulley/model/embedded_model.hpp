#pragma once

#include <string_view>
#include <vector>

namespace pulley::model {

/// One data file compiled into the library: of the default model (models/default/*.yaml) or of
/// the recorded motion (models/motion/, io/embedded_motion.hpp).
struct EmbeddedFile {
  std::string_view name;     ///< path in its folder, e.g. "muscles.yaml", "hamner2013_running/run200_ik.mot"
  std::string_view content;  ///< the file's text
};

/// The default model's data files, sorted by name.
const std::vector<EmbeddedFile>& embedded_model_files();

}  // namespace pulley::model
