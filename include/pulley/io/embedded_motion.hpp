// The recorded motion shipped in models/motion/ (its README gives each file's source and
// licence), compiled into the library by cmake/embed_files.cmake.
#pragma once

#include <vector>

#include "pulley/model/embedded_model.hpp"

namespace pulley::io {

/// Every models/motion/<folder>/*.mot and *.sto, named "<folder>/<file>", sorted by name.
const std::vector<model::EmbeddedFile>& embedded_motion_files();

}  // namespace pulley::io
