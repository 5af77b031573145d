// The exercise library's data files (models/exercises/*.yaml), compiled into the library.
#pragma once

#include <vector>

#include "pulley/model/embedded_model.hpp"

namespace pulley::training {

/// The exercise library's files, sorted by name.
const std::vector<model::EmbeddedFile>& embedded_exercise_files();

}  // namespace pulley::training
