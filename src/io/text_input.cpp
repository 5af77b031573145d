#include "pulley/io/text_input.hpp"

#include <array>
#include <cerrno>
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

}  // namespace pulley::io
