// OpenSim motion tables (.mot, .sto): a header ended by `endheader`, a line of column labels
// starting with `time`, then one row of numbers per sample, separated by tabs or spaces. Read
// as written: angles stay in the unit the header's `inDegrees` gives, translations in metres,
// forces in newtons (docs/file-formats.md, "Motion tables").
//
// Labels that are OpenSim 4 state paths, `/jointset/<joint>/<coordinate>/value`, are shortened to
// the coordinate's name, so tables from inverse kinematics and from Moco read alike.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulley::io {

struct MotionTable {
  std::string source;                  ///< file name (or a label), for messages
  std::vector<std::string> labels;     ///< column labels without `time`
  std::vector<double> time;            ///< s, strictly increasing
  Eigen::MatrixXd values;              ///< samples x labels
  std::optional<bool> in_degrees;      ///< the header's inDegrees, if it has one

  int num_samples() const { return static_cast<int>(time.size()); }
  /// Index of the column labelled `label`, or -1.
  int find(std::string_view label) const;
  /// Index of the column labelled `label`; InputError naming the file and the label if missing.
  int require(std::string_view label) const;
  /// Where time t falls: between rows `row` - 1 and `row`, `weight` of the way (t is clamped to
  /// [time.front(), time.back()]). Found once, it serves every column at that time.
  struct Location {
    Eigen::Index row = 1;
    double weight = 0.0;
  };
  Location locate(double t) const;
  /// Column `column` linearly interpolated at a located time.
  double value(int column, const Location& at) const;
  double interpolate(int column, double t) const { return value(column, locate(t)); }
};

/// Parses a table's text; `source` names it in errors. Throws InputError with the source, the line
/// and what is wrong: no `endheader`, no `time` column, duplicate labels, a row with too few or too
/// many numbers, a value that is not a finite number or lies beyond +-1e6, time not strictly
/// increasing, fewer than two rows, or an `inDegrees` other than yes / no.
MotionTable parse_motion_table(std::string_view text, const std::string& source);

/// Reads and parses a file (at most 64 MB: larger is refused as not a motion table).
MotionTable read_motion_table(const std::string& path);

}  // namespace pulley::io
