#include "pulley/io/text_input.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <memory>
#include <system_error>

#include "pulley/core/error.hpp"

namespace pulley::io {

std::string echo_text(std::string_view text, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (limit != 0 && i == limit) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string read_text_file(const std::filesystem::path& path, const std::string& source,
                           std::size_t max_bytes) {
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  const auto reason = [] { return std::error_code(errno, std::generic_category()).message(); };
  if (!file) throw InputError(source + ": cannot open file: " + reason());
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

}  // namespace pulley::io
