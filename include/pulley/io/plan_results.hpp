// A training plan (pulley plan; training/planner.hpp) as JSON and as a programme file.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pulley/training/planner.hpp"

namespace pulley::io {

/// The plan as JSON (docs/file-formats.md, "Plan results"): what it targets and why, the
/// constraints, the proposed programme with its weeks (as pulley train writes them) and re-tests,
/// and each alternative with its weeks and the comparison of their outcomes.
nlohmann::json plan_to_json(const training::Plan& plan);

/// The proposed programme as a programme file `pulley train` runs, each entry with its reason.
std::string plan_programme_yaml(const training::Plan& plan, const std::string& subject_name);

}  // namespace pulley::io
