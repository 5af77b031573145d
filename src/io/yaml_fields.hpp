// Internal to the io module: reading user YAML (subject files, programme files, the exercise
// library) with one-line errors that name the file, the line, the key, the value and what is
// allowed. Not installed.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/io/text_input.hpp"

namespace pulley::io::detail {

// Shortest decimal text that reads back to exactly `value`.
inline std::string format_number(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

// Edit distance, for "did you mean" hints on unknown keys.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest candidate within a small edit distance, or "".
inline std::string closest(std::string_view key, const std::vector<std::string>& candidates) {
  if (key.size() > 64) return "";
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 4) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

// Inclusive bounds of one number, with its unit for messages.
struct Range {
  double min;
  double max;
  std::string_view unit;  // "" for dimensionless factors

  std::string allowed() const {
    std::string text = format_number(min) + " to " + format_number(max);
    if (!unit.empty()) text += " " + std::string(unit);
    return text;
  }
};


enum class NumberText { kOk, kNotNumber, kNotFinite, kOutOfRange };

// Parses a plain YAML decimal ("75", "-1", "1.5e-2", ".5"); rejects hex, octal, words.
inline NumberText parse_decimal(std::string_view text, double& value) {
  std::string_view body = text;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);  // from_chars takes no '+'
  std::string_view unsigned_body = body;
  if (!unsigned_body.empty() && unsigned_body.front() == '-' && body.data() == text.data())
    unsigned_body.remove_prefix(1);
  std::string lower;
  for (const char c : unsigned_body) lower += static_cast<char>(std::tolower(c));
  if (lower == ".inf" || lower == "inf" || lower == "infinity" || lower == ".nan" || lower == "nan")
    return NumberText::kNotFinite;
  const bool starts_with_digit =
      !unsigned_body.empty() && (std::isdigit(static_cast<unsigned char>(unsigned_body[0])) ||
                                 (unsigned_body[0] == '.' && unsigned_body.size() > 1 &&
                                  std::isdigit(static_cast<unsigned char>(unsigned_body[1]))));
  if (!starts_with_digit) return NumberText::kNotNumber;
  const char* end = body.data() + body.size();
  const auto result = std::from_chars(body.data(), end, value, std::chars_format::general);
  if (result.ptr != end) return NumberText::kNotNumber;
  if (result.ec == std::errc::result_out_of_range) return NumberText::kOutOfRange;
  if (result.ec != std::errc()) return NumberText::kNotNumber;
  return std::isfinite(value) ? NumberText::kOk : NumberText::kNotFinite;
}

// How a node looks, for messages: "value 5000", "value \"75\" (quoted text)", "a list".
inline std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") return "value \"" + echo_text(node.Scalar()) + "\" (quoted text)";
      return "value " + echo_text(node.Scalar());
    default:
      return "an empty value";
  }
}

// A key and its value in a mapping, with the key's path ("muscles.hamstrings.strength").
struct Entry {
  std::string key;
  std::string path;
  YAML::Node key_node;
  YAML::Node value;
};

// The reader of one YAML source: its name for messages and the checks every parser shares.
class YamlFields {
 public:
  explicit YamlFields(std::string_view source) : source_(echo_text(source, 0)) {}

  // Throws InputError: "<source>: line <N>: key '<path>': <what>; allowed: <allowed>".
  [[noreturn]] void fail(const YAML::Mark& mark, std::string_view path, std::string_view what,
                         std::string_view allowed = {}) const {
    std::string message = source_ + ": ";
    if (!mark.is_null()) message += "line " + std::to_string(mark.line + 1) + ": ";
    if (!path.empty()) message += "key '" + std::string(path) + "': ";
    message += what;
    if (!allowed.empty()) message += "; allowed: " + std::string(allowed);
    throw InputError(message);
  }

  // The entries of a mapping in file order; rejects non-text and duplicate keys.
  std::vector<Entry> entries(const YAML::Node& map, std::string_view parent,
                             std::string_view allowed_keys) const {
    std::vector<Entry> out;
    std::map<std::string, int> first_line;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key_node = it->first;
      const std::string prefix = parent.empty() ? "" : std::string(parent) + ".";
      if (!key_node.IsScalar() || key_node.Scalar().empty())
        fail(key_node.Mark(), parent, describe(key_node) + " is not a valid key", allowed_keys);
      const std::string& key = key_node.Scalar();
      const std::string path = prefix + echo_text(key);
      const int line = key_node.Mark().line + 1;
      const auto [previous, inserted] = first_line.emplace(key, line);
      if (!inserted)
        fail(key_node.Mark(), path,
             "duplicate key (first given at line " + std::to_string(previous->second) + ")",
             "each key once per mapping");
      out.push_back({key, path, key_node, it->second});
    }
    return out;
  }

  [[noreturn]] void unknown_key(const Entry& entry, const std::vector<std::string>& candidates,
                                std::string_view hint, std::string_view allowed) const {
    std::string what = "unknown key";
    const std::string suggestion = closest(entry.key, candidates);
    if (!hint.empty())
      what += " (" + std::string(hint) + ")";
    else if (!suggestion.empty())
      what += " (did you mean '" + suggestion + "'?)";
    fail(entry.key_node.Mark(), entry.path, what, allowed);
  }

  // Where to point for a value: the value itself, or its key when the value is empty or an alias
  // (*name: its mark is the anchor's, earlier in the file, not the line that uses it).
  static YAML::Mark value_mark(const Entry& entry) {
    const YAML::Mark key = entry.key_node.Mark();
    if (entry.value.IsNull()) return key;
    const YAML::Mark value = entry.value.Mark();
    return value.pos < key.pos ? key : value;
  }

  double parse_number(const Entry& entry, const Range& range) const {
    const std::string allowed = range.allowed();
    const YAML::Node& value = entry.value;
    if (!value.IsScalar())
      fail(value_mark(entry), entry.path, describe(value) + " is not a number", allowed);
    // Quoted ("!") or tagged as anything but a number (!!str, a tag of the file's own) is text.
    const std::string& tag = value.Tag();
    if (tag == "!")
      fail(value_mark(entry), entry.path, describe(value) + " is not a number",
           allowed + ", written without quotes");
    if (tag != "?" && tag != "tag:yaml.org,2002:float" && tag != "tag:yaml.org,2002:int") {
      constexpr std::string_view kCore = "tag:yaml.org,2002:";  // written !! in the file
      const std::string shown = tag.rfind(kCore, 0) == 0 ? "!!" + tag.substr(kCore.size()) : tag;
      fail(value_mark(entry), entry.path,
           describe(value) + " is tagged " + echo_text(shown, 0) + ", not a number",
           allowed + ", written without a tag");
    }
    double number = 0.0;
    switch (parse_decimal(value.Scalar(), number)) {
      case NumberText::kNotNumber:
        fail(value_mark(entry), entry.path, describe(value) + " is not a number", allowed);
      case NumberText::kNotFinite:
        fail(value_mark(entry), entry.path, describe(value) + " is not a finite number", allowed);
      case NumberText::kOutOfRange:
        fail(value_mark(entry), entry.path, describe(value) + " is out of range", allowed);
      case NumberText::kOk:
        break;
    }
    if (!(number >= range.min && number <= range.max))
      fail(value_mark(entry), entry.path, describe(value) + " is out of range", allowed);
    return number;
  }


  // The single YAML document of `text`, or a null node when there is none. `kind` names the file
  // ("a subject file") and `doc` its documentation ("docs/subject-file.md"), for the messages.
  YAML::Node load_one_document(std::string_view text, std::size_t max_bytes, std::string_view kind,
                               std::string_view doc) const;

  // `parse` (the parser's own reading of a document) applied to the single document of `text`,
  // with any exception yaml-cpp throws kept one InputError naming the source.
  template <class Parse>
  auto parse_one_document(std::string_view text, std::size_t max_bytes, std::string_view kind,
                          std::string_view doc, Parse&& parse) const {
    const YAML::Node document = load_one_document(text, max_bytes, kind, doc);
    try {
      return parse(document);
    } catch (const YAML::Exception& e) {  // not expected
      fail(e.mark, "", "cannot read the YAML: " + echo_text(e.msg, 0));
    }
  }

 protected:
  std::string source_;
};

}  // namespace pulley::io::detail
