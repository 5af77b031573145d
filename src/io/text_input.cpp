#include "pulley/io/text_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pulley/core/error.hpp"

namespace pulley::io {

namespace {

// What a path that is not a regular file names, for the error.
std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "another kind of file";
}

// The length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 if none starts there
// (Unicode 15, table 3-7).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = at(i);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the second byte's range
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;  // no overlong forms
    if (b0 == 0xed) hi = 0x9f;  // no surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;  // no overlong forms
    if (b0 == 0xf4) hi = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (at(i + k) < 0x80 || at(i + k) > 0xbf) return 0;
  return n;
}

bool is_c1_control(std::string_view text, std::size_t i, std::size_t length) {
  return length == 2 && static_cast<unsigned char>(text[i]) == 0xc2 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}

void append_hex_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

}  // namespace

std::string echo_text(std::string_view text, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (limit != 0 && i >= limit) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0 || c < 0x20 || c == 0x7f || is_c1_control(text, i, n)) {
      // One escape per byte: a C1 control's two bytes, or a byte that is not UTF-8.
      for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k)
        append_hex_escape(out, static_cast<unsigned char>(text[i + k]));
      i += std::max<std::size_t>(n, 1);
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::optional<InvalidUtf8> find_invalid_utf8(std::string_view text) {
  int line = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0)
      return InvalidUtf8{i, line, static_cast<int>(i - line_start),
                         static_cast<unsigned char>(text[i])};
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
  return std::nullopt;
}

bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = std::max<std::size_t>(utf8_sequence_length(text, i), 1);
    if (c < 0x20 || c == 0x7f || is_c1_control(text, i, n)) return true;
    i += n;
  }
  return false;
}

std::string read_text_file(const std::filesystem::path& path, const std::string& source,
                           std::size_t max_bytes) {
  const auto reason = [] { return std::error_code(errno, std::generic_category()).message(); };
  // Opened without blocking, so that a FIFO with no writer is refused below instead of waiting
  // for one; only regular files are read.
  errno = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw InputError(source + ": cannot open file: " + reason());
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(::fdopen(fd, "rb"), &std::fclose);
  if (!file) {
    const std::string why = reason();
    ::close(fd);
    throw InputError(source + ": cannot open file: " + why);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw InputError(source + ": cannot read file: " + reason());
  if (!S_ISREG(info.st_mode))
    throw InputError(source + ": not a regular file (" + file_kind(info.st_mode) +
                     "); give the path of a file");
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  std::array<char, 65536> buffer{};
  while (text.size() <= max_bytes) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    text.append(buffer.data(), n);
    if (n < buffer.size()) {
      if (std::ferror(file.get())) throw InputError(source + ": cannot read file: " + reason());
      break;
    }
  }
  return text;
}

std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  const auto digits = [&](std::size_t from, std::size_t count, auto& value) {
    const char* first = text.data() + from;
    const auto r = std::from_chars(first, first + count, value);
    return r.ec == std::errc() && r.ptr == first + count;
  };
  if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok() || year < kMinDateYear || year > kMaxDateYear) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::string format_iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day d{day};
  return fmt::format("{:04d}-{:02d}-{:02d}", int(d.year()), unsigned(d.month()),
                     unsigned(d.day()));
}

std::string retest_date(std::chrono::sys_days start, int week) {
  return format_iso_date(start + std::chrono::days(7 * week));
}

}  // namespace pulley::io
