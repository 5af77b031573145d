#pragma once

#include <string_view>
#include <vector>

namespace pulley::model {

/// One data file of the default model (models/default/*.yaml), compiled into the library.
struct EmbeddedFile {
  std::string_view name;     ///< file name, e.g. "muscles.yaml"
  std::string_view content;  ///< the file's text
};

/// The default model's data files, sorted by name.
const std::vector<EmbeddedFile>& embedded_model_files();

}  // namespace pulley::model
