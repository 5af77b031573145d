// The training section of the assessment report (report/assessment_report.hpp, TrainingReport).
// Internal to src/report.
#pragma once

#include <string>

#include "pulley/report/assessment_report.hpp"

namespace pulley::report {

/// The section as HTML: the programme, what the planner targets and why, the re-test dates,
/// the predicted trajectories as inline SVG charts and the alternatives compared.
std::string training_section_html(const TrainingReport& training);

}  // namespace pulley::report
