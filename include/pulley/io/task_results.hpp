// Movement-task results as JSON, CSV and an OpenSim motion file (schemas in
// docs/file-formats.md). Units are in the key and column names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::io {

/// A task result as JSON: schema_version, pulley_version, task, parameters, subject, status,
/// message, reserve, disclaimer, units, frames (one array per quantity, one entry per frame),
/// summary and, when `compensation` is given, compensation (muscles in the given order, groups,
/// lumbar levels).
/// Never contains NaN or infinity: such a number is written as null.
nlohmann::json task_to_json(const model::Model& model, const tasks::TaskResult& result,
                            const tasks::TaskSummary& summary,
                            const tasks::Compensation* compensation = nullptr);

/// A task result as CSV: a header row (units in the names) and one row per frame.
std::string task_to_csv(const tasks::TaskResult& result);

/// A task's kinematics as an OpenSim motion file (.mot, version 1, angles in degrees): the
/// Rajagopal 2016 coordinates Pulley has, then Pulley's segmental lordosis angles.
std::string task_to_mot(const model::Model& model, const tasks::TaskResult& result);

/// The task's parameters as run, defaults resolved: words as strings, numbers as numbers, a
/// parameter without a value (none today) as null.
nlohmann::json task_parameters_json(const tasks::TaskOptions& options);

/// "ok", "infeasible" (a frame the muscles cannot hold, or standing failed) or "not_converged".
std::string task_status(const tasks::TaskResult& result);

}  // namespace pulley::io
