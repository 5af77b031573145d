// A training plan (pulley plan; training/planner.hpp) as JSON and as a programme file.
#pragma once

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pulley/assess/calibration.hpp"
#include "pulley/training/planner.hpp"

namespace pulley::io {

/// Re-tests as JSON (docs/file-formats.md, "Plans"): each with its `week` and `date`, the ISO
/// date of the day after that week ends (`start`, the first day of week 1, plus 7 days a week;
/// null without it), as the printout and the report give it.
nlohmann::json retests_to_json(const std::vector<training::Retest>& retests,
                               const std::optional<std::chrono::sys_days>& start);

/// The plan as JSON (docs/file-formats.md, "Plans"): what it targets and why, the constraints,
/// the proposed programme with its weeks (as pulley train writes them) and re-tests (dated from
/// `start`, if given), and each alternative with its weeks and the comparison of their outcomes.
nlohmann::json plan_to_json(const training::Plan& plan,
                            const std::optional<std::chrono::sys_days>& start = std::nullopt);

/// pulley train's JSON (docs/file-formats.md, "Training results"): programme_result_to_json with
/// the re-tests and their notes (training::plan_retests) as the plan gives them and, given the
/// calibration week 0 starts from, its `status` and `message` as pulley assess's JSON gives them.
nlohmann::json training_to_json(const training::ProgrammeResult& result,
                                const std::vector<training::Retest>& retests,
                                const std::vector<std::string>& retest_notes,
                                const std::optional<std::chrono::sys_days>& start,
                                const assess::CalibrationResult* calibration = nullptr);

/// The proposed programme as a programme file `pulley train` runs, each entry with its reason.
std::string plan_programme_yaml(const training::Plan& plan, const std::string& subject_name);

}  // namespace pulley::io
