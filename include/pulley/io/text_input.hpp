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

/// User text made safe for a one-line message: control characters (C0, DEL and C1) and bytes
/// that are not UTF-8 text become \xNN and, when `limit` is non-zero, text longer than `limit`
/// bytes is cut with "...".
std::string echo_text(std::string_view text, std::size_t limit = kEchoLimitChars);

/// Where text stops being UTF-8: the first byte that does not begin or continue a well-formed
/// sequence (overlong forms, surrogates and code points above U+10FFFF are not well formed).
struct InvalidUtf8 {
  std::size_t offset = 0;  ///< from the start of the text (bytes)
  int line = 0, column = 0;  ///< 0-based, as YAML marks count
  unsigned char byte = 0;
};
std::optional<InvalidUtf8> find_invalid_utf8(std::string_view text);

/// True if `text` holds a control character: C0 (below U+0020), DEL (U+007F) or C1 (U+0080 to
/// U+009F, bytes 0xC2 0x80-0x9F in UTF-8).
bool has_control_character(std::string_view text);

/// The file's bytes, at most `max_bytes` + 1 of them (so that a caller can tell an oversize file
/// from one exactly at the cap). InputError "<source>: cannot open file: <reason>", "cannot
/// read file" or "not a regular file" (a directory, FIFO, device or socket: a FIFO with no
/// writer would block the read) on failure.
std::string read_text_file(const std::filesystem::path& path, const std::string& source,
                           std::size_t max_bytes);

/// Dates users may give (inclusive years). chosen: any date a training plan could start on.
inline constexpr int kMinDateYear = 1900, kMaxDateYear = 2200;

/// The date of "YYYY-MM-DD" text, or none when it is not exactly that form, not a real date or
/// outside kMinDateYear..kMaxDateYear.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text);

/// "YYYY-MM-DD".
std::string format_iso_date(std::chrono::sys_days day);

/// The re-test date after week `week` of a programme whose first day is `start`: the day after
/// that week ends, start + 7 week days, "YYYY-MM-DD" (docs/training.md).
std::string retest_date(std::chrono::sys_days start, int week);

}  // namespace pulley::io
