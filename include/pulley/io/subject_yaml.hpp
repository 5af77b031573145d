// Reading and writing subject files (YAML). The format is documented in docs/subject-file.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "pulley/model/subject.hpp"

namespace pulley::io {

/// Largest subject file or text accepted (bytes); larger input is an InputError.
inline constexpr std::size_t kMaxSubjectFileBytes = 1024 * 1024;

/// Parse a subject file. Throws pulley::InputError with a one-line message on any problem
/// (including a missing or unreadable file).
model::Subject load_subject_file(const std::filesystem::path& path);

/// Parse subject YAML text; `source_name` is used in messages (e.g. the file name).
/// Throws pulley::InputError with a one-line message on any problem.
model::Subject parse_subject_yaml(std::string_view text, std::string_view source_name);

/// Write a subject back as YAML text. A valid subject round-trips through parse_subject_yaml;
/// entries of `muscles` naming the same target are merged first (later fields win, as in
/// model::resolve_factors). No validation is done here.
std::string subject_to_yaml(const model::Subject& subject);

}  // namespace pulley::io
