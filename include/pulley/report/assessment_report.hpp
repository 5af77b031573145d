// The assessment report: one self-contained HTML file (no external assets; figures are inline
// SVG) for `pulley assess SUBJECT.yaml --report FILE.html` and `pulley demo`. It holds, in order:
// the simulation disclaimer; the findings in plain words; the standing posture and the toe-touch
// drawn as a skeleton with the muscles coloured by force (standing) and stretch (toe-touch), the
// typical subject's beside; risk gauges; the tests as bars against the typical subject, the
// published norms and the person's measurements; lumbar load by level; the imbalance profile;
// the causal chains with the numbers behind them; the signs weighed; the calibration (when there
// is one); the precise figures for the clinician; and the subject's data echoed.
// docs/assessment.md, "The report", describes each part.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/model/model.hpp"
#include "pulley/training/planner.hpp"
#include "pulley/training/programme.hpp"

namespace pulley::report {

/// What the report shows of a training programme (pulley train --report, pulley plan --report):
/// the programme, the predicted trajectories as charts, the re-test dates and, from the planner,
/// what it targets and why and the alternatives compared.
struct TrainingReport {
  const training::ProgrammeResult* result = nullptr;  ///< the programme shown (required)
  std::string title;                                  ///< "Training programme: nordic.yaml"
  const training::Plan* plan = nullptr;  ///< the planner's plan (result is its proposed one)
  std::vector<training::Retest> retests;
  /// Tests left out of the re-tests, each with why (training::plan_retests).
  std::vector<std::string> retest_notes;
  /// The date of week 0: re-tests are then given as dates too.
  std::optional<std::chrono::sys_days> start;
};

struct AssessmentReportInput {
  const model::Model* subject = nullptr;  ///< the model the tests and findings ran on
  /// The subject file as read, echoed in the report; nullptr: subject->subject (they differ when
  /// the model is the calibrated subject).
  const model::Subject* subject_file = nullptr;
  const model::Model* typical = nullptr;
  const assess::ClinicalTestResults* subject_tests = nullptr;
  const assess::ClinicalTestResults* typical_tests = nullptr;
  const assess::Findings* findings = nullptr;
  /// The calibration to the subject's measurements; nullptr when there was none (the report then
  /// shows the measurements, if any, against the simulation without fitting).
  const assess::CalibrationResult* calibration = nullptr;
  /// A training programme to add (its section follows the findings); nullptr for none.
  const TrainingReport* training = nullptr;
};

/// The report as one HTML document. Every text from the subject file (its name, above all) is
/// escaped. Throws InputError if a required input is missing.
std::string assessment_report_html(const AssessmentReportInput& input);

/// The report of a whole assessment (assess::run_assessment), with its calibration if any.
std::string assessment_report_html(const assess::Assessment& assessment,
                                   const assess::CalibrationResult* calibration = nullptr,
                                   const TrainingReport* training = nullptr);

}  // namespace pulley::report
