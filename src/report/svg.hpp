// Inline SVG figures for the HTML reports (report/assessment_report.hpp): the skeleton with its
// muscles, bars against norms, bars by lumbar level and gauges. Each returns a complete <svg>
// element with no external references; every text is escaped. Internal to src/report.
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/model/model.hpp"

namespace pulley::report {

/// Text made safe for HTML content and attribute values (& < > " ' escaped).
std::string escape_html(std::string_view text);

/// A colour scale from `low` to `high` (values beyond are clamped): sequential (light to red) or
/// diverging (blue through grey to red around zero).
struct ColourScale {
  double low = 0.0, high = 1.0;
  bool diverging = false;
  std::string label;  ///< "force / maximum isometric force (%)"
  double multiplier = 1.0;  ///< shown values = value * multiplier
  std::string colour(double value) const;  ///< "#rrggbb"
};

/// A pose ready to draw: bones and muscle paths in the world frame (m).
struct PoseDrawing {
  struct Line {
    std::vector<Eigen::Vector2d> points;
    double value = 0.0;    ///< muscles: the value the colour shows
    std::string name;      ///< muscles: unit name (tooltip)
  };
  std::vector<Line> near_bones;  ///< trunk, pelvis, right leg
  std::vector<Line> far_bones;   ///< left leg, drawn lighter behind
  std::vector<Line> muscles;     ///< right-side units
  Eigen::Vector2d head_centre = Eigen::Vector2d::Zero();
  double head_radius = 0.1;
  double ground_y = 0.0;
  Eigen::Vector2d min = Eigen::Vector2d::Zero(), max = Eigen::Vector2d::Zero();  ///< bounds
};

/// The pose of `model` at configuration q, with `unit_values` (one per unit) on the muscles.
PoseDrawing draw_pose(const model::Model& model, const Eigen::VectorXd& q,
                      const std::vector<double>& unit_values);

/// Musculotendon length of every unit at configuration q (m).
std::vector<double> unit_lengths(const model::Model& model, const Eigen::VectorXd& q);

/// Poses side by side in one SVG, on a common scale, each with its caption below, and the
/// colour scale's legend.
std::string poses_svg(const std::vector<const PoseDrawing*>& poses,
                      const std::vector<std::string>& captions, const ColourScale& scale,
                      const std::string& title);

/// One row of a bar chart against a norm.
struct NormBar {
  std::string label;
  std::vector<std::pair<std::string, double>> bars;  ///< (name, value), drawn in order
  double typical = 0.0;        ///< dashed line (NaN: none)
  std::vector<std::pair<std::string, double>> measured;  ///< (name, value) diamonds
  double norm_low = 0.0, norm_high = 0.0;  ///< shaded band (NaN end: open)
  std::string unit;
  int decimals = 1;
};
/// A small chart for one row: bars, the typical line, measured diamonds and the norm band.
std::string norm_bar_svg(const NormBar& row);

/// Grouped horizontal bars (one group per label, one bar per series) with an optional limit line.
struct GroupedBars {
  std::vector<std::string> labels;
  std::vector<std::string> series;   ///< legend names
  std::vector<std::string> colours;  ///< per series
  std::vector<std::vector<double>> values;  ///< [label][series]
  double limit = 0.0;                ///< NaN: none
  std::string limit_label;
  std::string unit;
  std::string title;
};
std::string grouped_bars_svg(const GroupedBars& chart);

/// A semicircular gauge from `low` to `high` with coloured zones and a needle at `value`.
struct Gauge {
  std::string title;
  double value = 0.0, low = 0.0, high = 1.0;
  /// Zone boundaries (ascending, inside low..high) and colours (one more than the boundaries).
  std::vector<double> bounds;
  std::vector<std::string> colours;
  double typical = 0.0;  ///< tick for the typical subject (NaN: none)
  std::string unit;
  int decimals = 0;
  std::string note;  ///< under the value: what the zones mean
};
std::string gauge_svg(const Gauge& gauge);

/// Lines over the weeks of a programme (x: week 0 to the last), with vertical marks at re-test
/// weeks.
struct LineChart {
  std::string title, unit;
  struct Series {
    std::string name, colour;
    bool dashed = false;
    std::vector<double> values;  ///< one per week from week 0 (NaN: gap)
  };
  std::vector<Series> series;
  std::vector<int> marks;  ///< weeks to mark (re-tests)
  int decimals = 1;
};
std::string line_chart_svg(const LineChart& chart);

/// Marks a simulated test value at a posture the subject does not tolerate passively
/// (assess::TestEnd::beyond_passive_range); each table that uses it explains it below, the note
/// led by the sign alone (kBeyondRangeSign). The marks start with a non-breaking space, so that a
/// narrow cell keeps them beside what they mark.
inline constexpr const char* kBeyondRangeSign = "&dagger;";
inline constexpr const char* kBeyondRangeMark = "&nbsp;&dagger;";
/// Mark after a test value that ended at its start (assess::ended_at_start): a bound, not a
/// reading; the table that uses it explains it below.
inline constexpr const char* kAtStartSign = "&Dagger;";
inline constexpr const char* kAtStartMark = "&nbsp;&Dagger;";
/// Mark after a simulated test value beyond healthy people's spread
/// (assess::TestComparison::subject_beyond_healthy_spread); the table that uses it explains it.
inline constexpr const char* kBeyondHealthySign = "&sect;";
inline constexpr const char* kBeyondHealthyMark = "&nbsp;&sect;";
/// The mark of a test value that is no reading (kBeyondRangeMark, kAtStartMark), or "".
inline const char* test_value_mark(bool out_of_reach, bool at_start) {
  return out_of_reach ? kBeyondRangeMark : at_start ? kAtStartMark : "";
}

/// The width (px) of `text` in DejaVu Sans of `font_px` px, bold or not: the reports' first font
/// (the style's font-family), whose advance widths it sums. The fallback Arial is narrower.
double text_width(std::string_view text, double font_px, bool bold = false);
/// DejaVu Sans's ascent and descent, in em: a line of text reaches this far above and below its
/// baseline.
inline constexpr double kTextAscentEm = 1901.0 / 2048.0, kTextDescentEm = 483.0 / 2048.0;

/// `text` broken at its spaces into lines no wider than `width` px in `font_px` text (text_width);
/// a word wider than that alone on its line.
std::vector<std::string> wrap_text(std::string_view text, double width, double font_px);

/// Where each entry of a legend goes: entries (a `swatch` px mark, a 3 px gap and the name in
/// `font_px` text) left to right from `left`, a new row whenever the next would pass `right`; a
/// name wider than a row wrapped (wrap_text) onto rows of its own.
struct LegendPlace {
  double x = 0.0;                  ///< the swatch's left edge
  int row = 0;                     ///< its first row
  std::vector<std::string> lines;  ///< the name, one line a row
};
/// The rows a legend laid out by legend_places takes.
int legend_rows(const std::vector<LegendPlace>& legend);
std::vector<LegendPlace> legend_places(const std::vector<std::string>& names, double left,
                                       double right, double swatch, double font_px);

/// A number formatted with `decimals`, or "n/a" when not finite.
std::string format_number(double v, int decimals);

}  // namespace pulley::report
