#include "pulley/io/motion_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_set>

#include "pulley/core/error.hpp"
#include "pulley/io/text_input.hpp"

namespace pulley::io {
namespace {

// chosen: the largest shipped table is under 1 MB; 64 MB leaves room for long recordings at
// 2 kHz and refuses anything that is plainly not a motion table before it fills memory.
constexpr std::size_t kMaxMotionFileBytes = 64u << 20;
// chosen: larger than any time (s), angle (deg), position (m) or force (N) of a recorded human
// motion by orders of magnitude; a value beyond it is a broken file, not a motion.
constexpr double kMaxMotionValue = 1e6;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits a line at runs of tabs and spaces.
void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// `/jointset/<joint>/<coordinate>/value` -> `<coordinate>`; any other label unchanged.
std::string short_label(std::string_view label) {
  constexpr std::string_view kPrefix = "/jointset/", kSuffix = "/value";
  if (label.starts_with(kPrefix) && label.ends_with(kSuffix)) {
    const std::string_view middle =
        label.substr(kPrefix.size(), label.size() - kPrefix.size() - kSuffix.size());
    const std::size_t slash = middle.find('/');
    if (slash != std::string_view::npos && slash + 1 < middle.size() &&
        middle.find('/', slash + 1) == std::string_view::npos)
      return std::string(middle.substr(slash + 1));
  }
  return std::string(label);
}

// Lines of text, each without its line break.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = text_.find('\n', pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    line = text_.substr(pos_, stop - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = stop + 1;
    ++number_;
    return true;
  }
  int number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

}  // namespace

int MotionTable::find(std::string_view label) const {
  const auto it = std::find(labels.begin(), labels.end(), label);
  return it == labels.end() ? -1 : static_cast<int>(it - labels.begin());
}

int MotionTable::require(std::string_view label) const {
  const int c = find(label);
  if (c < 0)
    throw InputError(fmt::format("{}: no column '{}' (the motion needs it)", source,
                                 echo_text(label)));
  return c;
}

MotionTable::Location MotionTable::locate(double t) const {
  PULLEY_DEMAND(time.size() >= 2, "a motion table has at least two rows");
  const auto upper = std::upper_bound(time.begin(), time.end(), t);
  const std::size_t k = std::clamp<std::size_t>(upper - time.begin(), 1, time.size() - 1);
  const double t0 = time[k - 1], t1 = time[k];
  return {static_cast<Eigen::Index>(k), std::clamp((t - t0) / (t1 - t0), 0.0, 1.0)};
}

double MotionTable::value(int column, const Location& at) const {
  PULLEY_DEMAND(column >= 0 && column < values.cols(), "column out of range");
  return (1.0 - at.weight) * values(at.row - 1, column) + at.weight * values(at.row, column);
}

MotionTable parse_motion_table(std::string_view text, const std::string& source) {
  MotionTable table;
  table.source = echo_text(source, 0);
  const auto fail = [&](int line, const std::string& what) {
    throw InputError(fmt::format("{}: line {}: {}", table.source, line, what));
  };
  if (text.size() > kMaxMotionFileBytes)
    throw InputError(fmt::format("{}: {} bytes; a motion table may have at most {} MB",
                                 table.source, text.size(), kMaxMotionFileBytes >> 20));
  Lines lines(text);
  std::string_view line;
  bool ended = false;
  while (lines.next(line)) {
    const std::string_view t = trim(line);
    if (t == "endheader") {
      ended = true;
      break;
    }
    if (t.starts_with("inDegrees=")) {
      const std::string_view v = t.substr(10);
      if (v == "yes") table.in_degrees = true;
      else if (v == "no") table.in_degrees = false;
      else fail(lines.number(), fmt::format("inDegrees={}; allowed: yes or no", echo_text(v)));
    }
  }
  if (!ended) throw InputError(table.source + ": no 'endheader' line; not an OpenSim motion table");

  std::vector<std::string_view> fields;
  // The labels: the first non-blank line after the header.
  int label_line = 0;
  while (lines.next(line)) {
    split_fields(line, fields);
    if (!fields.empty()) {
      label_line = lines.number();
      break;
    }
  }
  if (label_line == 0) throw InputError(table.source + ": no column labels after 'endheader'");
  if (fields.front() != "time")
    fail(label_line, fmt::format("first column is '{}'; it must be 'time'",
                                 echo_text(fields.front())));
  std::unordered_set<std::string> seen;
  for (std::size_t k = 1; k < fields.size(); ++k) {
    std::string label = short_label(fields[k]);
    if (!seen.insert(label).second)
      fail(label_line, fmt::format("column '{}' appears twice", echo_text(label)));
    table.labels.push_back(std::move(label));
  }
  const std::size_t width = fields.size();

  std::vector<double> row_values;
  while (lines.next(line)) {
    split_fields(line, fields);
    if (fields.empty()) continue;  // blank lines, such as a final one
    if (fields.size() != width)
      fail(lines.number(), fmt::format("{} values; the labels give {} columns", fields.size(),
                                       width));
    for (std::size_t k = 0; k < width; ++k) {
      double v = 0.0;
      const char* first = fields[k].data();
      const char* last = first + fields[k].size();
      const auto [end, error] = std::from_chars(first, last, v);
      const auto column = [&] { return echo_text(k == 0 ? "time" : table.labels[k - 1]); };
      if (error != std::errc() || end != last)
        fail(lines.number(), fmt::format("column '{}': '{}' is not a number", column(),
                                         echo_text(fields[k])));
      if (!std::isfinite(v))
        fail(lines.number(), fmt::format("column '{}': {}; values must be finite", column(),
                                         echo_text(fields[k])));
      if (std::abs(v) > kMaxMotionValue)
        fail(lines.number(), fmt::format("column '{}': {} is beyond +-{:g}, larger than any "
                                         "time, angle, position or force of a motion",
                                         column(), echo_text(fields[k]), kMaxMotionValue));
      if (k == 0) {
        if (!table.time.empty() && !(v > table.time.back()))
          fail(lines.number(), fmt::format("time {} does not follow {}; time must increase",
                                           v, table.time.back()));
        table.time.push_back(v);
      } else {
        row_values.push_back(v);
      }
    }
  }
  if (table.time.size() < 2)
    throw InputError(fmt::format("{}: {} rows of data; a motion needs at least two",
                                 table.source, table.time.size()));
  const auto rows = static_cast<Eigen::Index>(table.time.size());
  const auto cols = static_cast<Eigen::Index>(table.labels.size());
  table.values = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic,
                                                Eigen::RowMajor>>(row_values.data(), rows, cols);
  return table;
}

MotionTable read_motion_table(const std::string& path) {
  const std::string source = echo_text(path, 0);
  return parse_motion_table(read_text_file(path, source, kMaxMotionFileBytes), source);
}

}  // namespace pulley::io
