// Clinical-test results as text and JSON (`pulley assess SUBJECT.yaml [--json FILE]`; the JSON
// schema is in docs/file-formats.md). Units are in the key names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/model/model.hpp"

namespace pulley::io {

/// The clinical tests as JSON: schema_version, pulley_version, task "assess", disclaimer,
/// subject, status, message, tests.<test>.{right,left} (whole-body tests: .both), ends (how each
/// test ended, same shape), protocol (the stretch tolerances and settings used, each
/// tolerance's origin: "default", "subject", or "calibration" when `calibration` fitted it) and
/// details (the Nordic exercise's break angle, force-velocity factor and strap distances). Room is
/// left for `calibration` at the top level; `findings` holds findings_to_json(*findings) when
/// given. Never contains NaN: such a value is null.
nlohmann::json assessment_to_json(const model::Model& model,
                                  const assess::ClinicalTestResults& results,
                                  const assess::Findings* findings = nullptr,
                                  const assess::CalibrationResult* calibration = nullptr);

/// A whole assessment (`pulley assess`): assessment_to_json of its model, tests and findings,
/// its `subject` the subject file as read (the calibrated subject is what --fitted-subject
/// writes), and `calibration` (calibration_to_json) when one is given.
nlohmann::json assessment_to_json(const assess::Assessment& assessment,
                                  const assess::CalibrationResult* calibration);

/// The protocol settings the tests were done by (`used`): each key of model::kTestProtocolKeys with
/// its value, and beside it the key's stem with `_from` (`isokinetic_speed_from`): `subject` where
/// the subject file's `tests:` section (`given`) set it, else `default`.
nlohmann::json protocol_settings_to_json(const assess::ClinicalTestSettings& used,
                                         const model::TestProtocol& given);

/// One test compared (an entry of the findings' `tests`, docs/file-formats.md): test, side, the
/// subject's and the typical subject's values, the measurement, the norm, healthy people's spread
/// and the deviations. Never contains NaN (null instead).
nlohmann::json test_comparison_to_json(const assess::TestComparison& comparison);

/// Quiet standing against the typical subject's (`pulley stand`'s `against_typical`,
/// docs/file-formats.md): {tests: [test_comparison_to_json], beyond_healthy_people}; null where
/// `comparisons` is empty (a posture search did not converge).
nlohmann::json standing_comparison_to_json(const std::vector<assess::TestComparison>& comparisons);

/// The findings as JSON (docs/file-formats.md, "findings"): status, summary, imbalance, tests,
/// loads {subject, typical}, strain, chains, signs, settings.
nlohmann::json findings_to_json(const assess::Findings& findings);

/// The findings as printed text: the plain-language summary, the chains with their numbers and
/// the signs weighed.
std::string findings_to_text(const assess::Findings& findings);

/// The clinical tests as a printed table: each test's value per side and what ended it, the
/// whole-body tests, the stretch tolerances used (and where they come from: the defaults, the
/// subject file, or `calibration`'s fit when it has one) and the disclaimer.
std::string assessment_to_text(const model::Model& model,
                               const assess::ClinicalTestResults& results,
                               const assess::CalibrationResult* calibration = nullptr);

/// The calibration as JSON (the assessment's `calibration`): status, message, iterations,
/// initial_cost, final_cost, residuals [{test, side, measured, simulated_before, simulated, sd,
/// z}], parameters [{group, factor, side, prior, prior_sd, value, sd, determined}], outputs
/// [{output, value, sd}] and conflicts [text]. Never contains NaN (null instead).
nlohmann::json calibration_to_json(const assess::CalibrationResult& calibration);

/// The calibration as printed text: the outcome, each measurement against the fitted model, each
/// parameter against its prior with its uncertainty, and the conflicts.
std::string calibration_to_text(const assess::CalibrationResult& calibration);

}  // namespace pulley::io
