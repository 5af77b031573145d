// The reports' figures keep their text inside their viewBox: the lumbar load chart's legend, the
// trend charts' legends in as many rows as their entries need and the gauges' notes are neither
// clipped nor laid over other text (src/report/svg.hpp, internal to src/report).
#include "../../../src/report/svg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "sample_figures.hpp"

namespace {

using pulley::report::kTextAscentEm;
using pulley::report::kTextDescentEm;
using pulley::report::text_width;

struct Box {
  std::string text;
  double left, right, top, bottom;
};

struct Figure {
  double width = 0.0, height = 0.0;
  std::vector<Box> texts;
};

std::string attribute(const std::string& attributes, const std::string& name) {
  std::smatch m;
  return std::regex_search(attributes, m, std::regex(" " + name + "=\"([^\"]*)\"")) ? m[1].str()
                                                                                    : "";
}

std::string unescaped(std::string s) {
  for (const auto& [from, to] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
      s.replace(at, std::string(from).size(), to);
  return s;
}

// The figure's viewBox and the box each of its texts takes, from the reports' style: the classes'
// font sizes and weights (src/report/assessment_report.cpp, kStyle) and DejaVu Sans's metrics.
Figure figure(const std::string& svg) {
  Figure f;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"")));
  f.width = std::stod(m[1]);
  f.height = std::stod(m[2]);
  const std::regex text("<text([^>]*)>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator();
       ++it) {
    const std::string a = (*it)[1], content = unescaped((*it)[2]);
    const std::string cls = attribute(a, "class");
    const bool bold =
        cls.find("svg-title") != std::string::npos || cls.find("gauge-value") != std::string::npos;
    const double px = cls.find("svg-title") != std::string::npos     ? 13.0
                      : cls.find("gauge-value") != std::string::npos ? 16.0
                      : cls.find("tiny") != std::string::npos        ? 9.0
                      : cls.find("caption") != std::string::npos     ? 12.0
                                                                     : 11.0;
    const double x = std::stod(attribute(a, "x")), y = std::stod(attribute(a, "y"));
    const double w = text_width(content, px, bold);
    const std::string anchor = attribute(a, "text-anchor");
    const double left = anchor == "middle" ? x - w / 2.0 : anchor == "end" ? x - w : x;
    f.texts.push_back({content, left, left + w, y - kTextAscentEm * px, y + kTextDescentEm * px});
  }
  return f;
}

// Every text inside the viewBox, and no two overlapping.
void expect_laid_out(const std::string& svg) {
  const Figure f = figure(svg);
  ASSERT_FALSE(f.texts.empty());
  for (const Box& b : f.texts) {
    EXPECT_GE(b.left, 0.0) << b.text;
    EXPECT_LE(b.right, f.width) << b.text << " (viewBox " << f.width << " wide)";
    EXPECT_GE(b.top, 0.0) << b.text;
    EXPECT_LE(b.bottom, f.height) << b.text << " (viewBox " << f.height << " high)";
  }
  for (std::size_t i = 0; i < f.texts.size(); ++i)
    for (std::size_t j = i + 1; j < f.texts.size(); ++j) {
      const Box &a = f.texts[i], &b = f.texts[j];
      EXPECT_FALSE(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
          << "\"" << a.text << "\" overlaps \"" << b.text << "\"";
    }
}

// The advance widths are DejaVu Sans's: Chromium's getBBox gave these texts 164.5 px at 9 px and
// 126.9 px at 11 px (164.46 and 126.88, headless Chromium on Debian 12).
TEST(Svg, MeasuresTextAsDejaVuSans) {
  EXPECT_NEAR(text_width("Everything from the first week, right", 9.0), 164.5, 0.5);
  EXPECT_NEAR(text_width("toe-touch peak, typical", 11.0), 126.9, 0.5);
  EXPECT_GT(text_width("W", 13.0, true), text_width("W", 13.0));
}

// The assessment report's lumbar chart: its four series' legend and the unit fit within its 640
// px, on as many rows as they need (the last name ran past the edge into the unit before).
TEST(Svg, TheLumbarChartsLegendStaysInsideAndClearOfTheUnit) {
  pulley::report::GroupedBars c = pulley::report::testing::lumbar_chart_sample();
  const std::string svg = pulley::report::grouped_bars_svg(c);
  expect_laid_out(svg);
  // One series more, with a long name: a further row, still inside.
  c.series.push_back("a much longer series name that needs a row of its own");
  c.colours.push_back("#000000");
  for (auto& row : c.values) row.push_back(1000.0);
  const std::string longer = pulley::report::grouped_bars_svg(c);
  expect_laid_out(longer);
  EXPECT_GT(figure(longer).height, figure(svg).height);
}

// A trend chart with one to seven lines, as a plan with alternatives on two sides draws them:
// every legend row, the third one included (cut off at the viewBox's edge before), lies inside.
TEST(Svg, TheTrendChartsLegendRowsAllLieInside) {
  std::vector<std::string> names = pulley::report::testing::plan_line_names();
  names.push_back("a seventh line whose name is longer than any row of the legend can hold");
  names.push_back("x");
  double last_height = 0.0;
  for (std::size_t n = 1; n <= names.size(); ++n) {
    pulley::report::LineChart c;
    c.title = "hamstring strain index, relative to typical";
    c.unit = "N m/kg";
    c.decimals = 2;
    c.marks = {3, 8};
    for (std::size_t i = 0; i < n; ++i)
      c.series.push_back(
          {names[i], "#2b6cb0", i > 1, {2.13, 2.2, 2.3, 2.41, 2.5, 2.6, 2.68, 2.7, 2.71}});
    const std::string svg = pulley::report::line_chart_svg(c);
    SCOPED_TRACE(n);
    expect_laid_out(svg);
    const double height = figure(svg).height;
    EXPECT_GE(height, last_height);
    last_height = height;
  }
}

// A line with gaps (weeks out of the person's reach): no line through them, and a week alone
// between gaps drawn as a dot, which a one-point path would not show.
TEST(Svg, ATrendLineLeavesGapsAndDotsAWeekBetweenThem) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  pulley::report::LineChart c;
  c.title = "isometric knee extension strength";
  c.unit = "N m/kg";
  c.decimals = 2;
  c.series.push_back({"plan", "#2b6cb0", false, {nan, nan, 3.0, nan, 3.1, 3.2}});
  const std::string svg = pulley::report::line_chart_svg(c);
  std::smatch path;
  ASSERT_TRUE(std::regex_search(svg, path, std::regex("<path d=\"([^\"]*)\""))) << svg;
  const std::string d = path[1];
  const auto moves = static_cast<std::size_t>(std::count(d.begin(), d.end(), 'M'));
  std::size_t dots = 0;
  for (auto at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1))
    ++dots;
  EXPECT_EQ(moves, 2u) << svg;  // week 2 alone, then weeks 4-5
  EXPECT_EQ(dots, 1u) << svg;   // week 2
}

// A gauge's note too long for one line (a Nordic lowered otherwise than its published protocol)
// wraps within the gauge, which grows to hold it.
TEST(Svg, AGaugesLongNoteWrapsInside) {
  pulley::report::Gauge g;
  g.title = "Nordic force, right leg";
  g.value = 287.0;
  g.high = 600.0;
  g.typical = 287.0;
  g.unit = "N";
  g.colours = {"#e2e8f0"};
  g.note = "simulated; lowered as the protocol says, no published threshold";
  const std::string svg = pulley::report::gauge_svg(g);
  expect_laid_out(svg);
  EXPECT_GT(figure(svg).height, 150.0);
}

}  // namespace
