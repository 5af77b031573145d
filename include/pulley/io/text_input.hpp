// Helpers shared by the input parsers (subject files, motion tables): reading a text file with a
// size cap, echoing user text safely in one-line error messages, and calendar dates.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pulley::io {

/// How much of a user's value an error message echoes (characters; chosen: enough to recognise
/// the value, short enough to keep the message on one line).
inline constexpr std::size_t kEchoLimitChars = 40;

/// User text made safe for a one-line message: control characters become \xNN and, when `limit`
/// is non-zero, text longer than `limit` characters is cut with "...".
std::string echo_text(std::string_view text, std::size_t limit = kEchoLimitChars);

/// The file's bytes, at most `max_bytes` + 1 of them (so that a caller can tell an oversize file
/// from one exactly at the cap). InputError "<source>: cannot open file: <reason>" or "cannot
/// read file" on failure.
std::string read_text_file(const std::filesystem::path& path, const std::string& source,
                           std::size_t max_bytes);

/// Dates users may give (inclusive years). chosen: any date a training plan could start on.
inline constexpr int kMinDateYear = 1900, kMaxDateYear = 2200;

/// The date of "YYYY-MM-DD" text, or none when it is not exactly that form, not a real date or
/// outside kMinDateYear..kMaxDateYear.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text);

/// "YYYY-MM-DD".
std::string format_iso_date(std::chrono::sys_days day);

}  // namespace pulley::io
