// Clinical-test results as text and JSON (`pulley assess SUBJECT.yaml [--json FILE]`; the JSON
// schema is in docs/file-formats.md). Units are in the key names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/model/model.hpp"

namespace pulley::io {

/// The clinical tests as JSON: schema_version, pulley_version, task "assess", disclaimer,
/// subject, status, message, tests.<test>.{right,left} (whole-body tests: .both), ends (how each
/// test ended, same shape), protocol (the stretch tolerances and settings used) and details
/// (the Nordic exercise's break angle, force-velocity factor and strap distances). Room is left
/// for `calibration` and `findings` at the top level. Never contains NaN: such a value is null.
nlohmann::json assessment_to_json(const model::Model& model,
                                  const assess::ClinicalTestResults& results);

/// The clinical tests as a printed table: each test's value per side and what ended it, the
/// whole-body tests, the stretch tolerances used and the disclaimer.
std::string assessment_to_text(const model::Model& model,
                               const assess::ClinicalTestResults& results);

}  // namespace pulley::io
