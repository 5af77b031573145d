// Reading a programme file (docs/programme-file.md) and writing a programme's simulation as JSON.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/training/programme.hpp"

namespace pulley::io {

/// Largest programme file read (bytes).
inline constexpr std::size_t kMaxProgrammeFileBytes = 1024 * 1024;

/// Reads a programme file. Throws InputError naming the file, line, key, value and what is
/// allowed for anything it cannot run: check_programme's checks at the line of the key at fault
/// (or of its entry when the key is not given), and a progression key the exercise does not use
/// even at 0. Entries are named from exercises[0], as the subject file's signs.
training::Programme load_programme_file(const std::filesystem::path& path);
training::Programme parse_programme_yaml(std::string_view text, std::string_view source_name);

/// `programme` as a programme file that load_programme_file reads back to the same programme,
/// each entry preceded by its line of `comments` (when given; one per entry, may be empty) and
/// the file by `header` (comment lines without the '#').
std::string programme_to_yaml(const training::Programme& programme, std::string_view header = {},
                              const std::vector<std::string>& comments = {});

/// The simulation's weeks as JSON (docs/file-formats.md, "Training results"), without the
/// re-tests (io::training_to_json adds them).
nlohmann::json programme_result_to_json(const training::ProgrammeResult& result);

/// A dose's set fields as JSON (`sets`, `reps`, `hold_s`, `effort`, `load_kg`,
/// `sessions_per_week`).
nlohmann::json dose_to_json(const training::Dose& dose);

/// The library as JSON (`pulley exercises --json`).
nlohmann::json exercise_library_to_json();

}  // namespace pulley::io
