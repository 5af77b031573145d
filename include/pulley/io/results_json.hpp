// Results as JSON (schema documented in docs/file-formats.md). Units are in the key names.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "pulley/model/model.hpp"
#include "pulley/tasks/moment_arms.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::io {

/// v as JSON, or null when it is not finite (JSON has no NaN or infinity).
nlohmann::json finite_number(double v);

/// A number for people to read, with as many decimals as its size needs (5003, 43.2, 2.06,
/// 0.472); "n/a" when it is not finite.
std::string readable_number(double v);

/// `v` in `format` (an fmt format of one number, "{:.2f}"), or "n/a" when it is not finite (a test
/// not computed); either right-aligned in `width` columns when `width` is positive.
std::string number_or_na(double v, std::string_view format, int width = 0);

/// The subject's inputs echoed in every result: name, sex, age, height, mass, pelvic incidence and
/// the whole subject file.
nlohmann::json subject_to_json(const model::Model& model);
/// The same for a subject file as read (`pulley assess` of a calibrated subject).
nlohmann::json subject_to_json(const model::Subject& subject);

/// The sentence every result file carries: a model estimate, not a measurement or a diagnosis.
extern const char* const kResultDisclaimer;

/// What every result file starts with: schema_version, pulley_version, task and the disclaimer.
nlohmann::json result_header(const std::string& task);

/// The standing result of `model` as JSON: schema_version, pulley_version, subject, posture,
/// loads, muscles, units, solver. Where standing did not converge (no equilibrium), the loads and
/// every muscle's and unit's force, activation and fibre length are null.
nlohmann::json standing_to_json(const model::Model& model, const tasks::StandingResult& result);

/// A moment-arm sweep as JSON: schema_version, pulley_version, task "moment-arms", joint,
/// coordinate, side, sign convention, angles_deg and per muscle moment_arm_mm (one per angle).
nlohmann::json moment_arms_to_json(const model::Model& model, const tasks::MomentArmSweep& sweep,
                                   const std::string& joint, model::Side side);

/// Writes text to `path` through a temporary file renamed into place, so a failed write leaves
/// no partial file. Throws InputError naming the path when it cannot be written.
void write_text_file_atomically(const std::string& path, const std::string& text);

/// How write_text_file_atomically writes an output.
enum class OutputKind {
  file,      ///< a file, written beside and renamed into place (replacing what was there)
  in_place,  ///< a device, pipe or FIFO (/dev/null, /dev/stdout), written into
};

/// Checks, before any work, that write_text_file_atomically could write `path` (its folder
/// exists, it is not a folder, a file can be created beside it); leaves nothing behind. Throws
/// InputError naming `path` when it could not. Returns how `path` will be written.
OutputKind check_output_file(const std::string& path);

}  // namespace pulley::io
