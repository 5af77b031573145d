// The assessment report renders: the S4 demo subject's report, opened in headless Chromium (the
// Debian package scripts/setup.sh installs), gives a screenshot of plausible size that is not
// blank. The screenshot stays in the build tree for people to look at:
// build/<preset>/tests/report-render/s4-assessment.png.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../../src/report/svg.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/report/assessment_report.hpp"
#include "sample_figures.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<unsigned char> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned big_endian(const std::vector<unsigned char>& b, std::size_t at) {
  return (unsigned(b[at]) << 24) | (unsigned(b[at + 1]) << 16) | (unsigned(b[at + 2]) << 8) |
         unsigned(b[at + 3]);
}

TEST(ReportRender, DemoReportRendersInHeadlessChromium) {
  const std::string chromium = PULLEY_CHROMIUM;
  ASSERT_TRUE(fs::exists(chromium))
      << "Chromium not found (" << chromium << "): run scripts/setup.sh, which installs it";
  const pulley::io::DemoSubject* s4 = pulley::io::find_demo_subject("s4");
  ASSERT_NE(s4, nullptr);
  const auto a =
      pulley::assess::run_assessment(pulley::io::parse_subject_yaml(s4->yaml, "s4.yaml"));
  ASSERT_TRUE(a.ok()) << a.findings.message;

  const fs::path dir = fs::path(PULLEY_TEST_OUTPUT_DIR) / "report-render";
  fs::create_directories(dir);
  const fs::path html = dir / "s4-assessment.html", png = dir / "s4-assessment.png";
  fs::remove(png);
  pulley::io::write_text_file_atomically(html.string(), pulley::report::assessment_report_html(a));

  // chosen: 1280 x 2400 px shows the summary, the figures, the gauges and the test bars; a
  // profile folder of its own keeps parallel runs apart; 120 s bounds a stuck browser.
  const std::string command =
      "timeout 120 '" + chromium + "' --headless --no-sandbox --disable-gpu --hide-scrollbars "
      "--user-data-dir='" + (dir / "profile").string() + "' --window-size=1280,2400 "
      "--screenshot='" + png.string() + "' 'file://" + fs::absolute(html).string() + "' > '" +
      (dir / "chromium.log").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << "chromium failed; see " << (dir / "chromium.log").string();
  ASSERT_TRUE(fs::exists(png));

  const auto bytes = read_bytes(png);
  ASSERT_GT(bytes.size(), 33u);
  const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  EXPECT_TRUE(std::equal(signature, signature + 8, bytes.begin()));
  EXPECT_EQ(std::string(bytes.begin() + 12, bytes.begin() + 16), "IHDR");
  EXPECT_EQ(big_endian(bytes, 16), 1280u);  // width
  EXPECT_EQ(big_endian(bytes, 20), 2400u);  // height
  // Not blank: an empty white page of this size compresses to under 15 kB; the report's text,
  // figures and colours take several times that (about 400 kB when checked).
  std::size_t idat = 0;
  for (std::size_t at = 8; at + 8 <= bytes.size();) {
    const unsigned length = big_endian(bytes, at);
    if (std::string(bytes.begin() + at + 4, bytes.begin() + at + 8) == "IDAT") idat += length;
    at += 12 + length;
  }
  EXPECT_GT(idat, 100000u) << "the screenshot looks blank";
}

// The figures' text, as Chromium lays it out (getBBox), lies inside each figure's viewBox: the
// lumbar chart's legend, trend charts' legends of one to six lines and a gauge's long note. The
// page's result stays in the build tree: build/<preset>/tests/report-render/figures.html.
TEST(ReportRender, FigureTextStaysInsideTheViewBoxInHeadlessChromium) {
  const std::string chromium = PULLEY_CHROMIUM;
  ASSERT_TRUE(fs::exists(chromium))
      << "Chromium not found (" << chromium << "): run scripts/setup.sh, which installs it";
  namespace report = pulley::report;
  std::string figures;
  figures += report::grouped_bars_svg(report::testing::lumbar_chart_sample());
  std::vector<std::string> names = report::testing::plan_line_names();
  names.push_back("a sixth line whose name is longer than any row of the legend can hold");
  for (std::size_t n = 1; n <= names.size(); ++n) {
    report::LineChart c;
    c.title = "hamstring strain index, relative to typical";
    c.unit = "N m/kg";
    c.decimals = 2;
    for (std::size_t i = 0; i < n; ++i)
      c.series.push_back({names[i], "#2b6cb0", i > 1, {2.13, 2.3, 2.5, 2.68}});
    figures += report::line_chart_svg(c);
  }
  report::Gauge g;
  g.title = "Nordic force, right leg";
  g.value = 287.0;
  g.high = 600.0;
  g.colours = {"#e2e8f0"};
  g.unit = "N";
  g.note = "simulated; lowered as the protocol says, no published threshold";
  figures += report::gauge_svg(g);

  const fs::path dir = fs::path(PULLEY_TEST_OUTPUT_DIR) / "report-render";
  fs::create_directories(dir);
  const fs::path html = dir / "figures.html";
  // The report's fonts and sizes (assessment_report.cpp's style); the script replaces the page
  // with one line per text outside its figure, between markers.
  pulley::io::write_text_file_atomically(
      html.string(),
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>svg "
      "text{font-family:\"DejaVu Sans\",Arial,sans-serif}.svg-title{font-size:13px;font-weight:"
      "bold}.small{font-size:11px}.tiny{font-size:9px}.gauge-value{font-size:16px;font-weight:bold}"
      "</style></head><body>" +
          figures +
          "<script>const out=[];document.querySelectorAll('svg').forEach((svg,i)=>{"
          "const v=svg.viewBox.baseVal;svg.querySelectorAll('text').forEach(t=>{"
          "const b=t.getBBox();if(b.x<v.x-0.5||b.y<v.y-0.5||b.x+b.width>v.x+v.width+0.5||"
          "b.y+b.height>v.y+v.height+0.5)out.push(i+': '+t.textContent+' at '+b.x+','+b.y+' '+"
          "b.width+' x '+b.height+' in '+v.width+' x '+v.height);});});"
          "document.body.textContent='BEGIN'+out.join('|')+'END';</script></body></html>\n");
  const fs::path dom = dir / "figures-dom.txt";
  const std::string command =
      "timeout 120 '" + chromium + "' --headless --no-sandbox --disable-gpu --user-data-dir='" +
      (dir / "profile-figures").string() + "' --dump-dom 'file://" + fs::absolute(html).string() +
      "' > '" + dom.string() + "' 2> '" + (dir / "chromium-figures.log").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0)
      << "chromium failed; see " << (dir / "chromium-figures.log").string();
  const auto bytes = read_bytes(dom);
  const std::string text(bytes.begin(), bytes.end());
  const auto begin = text.find("BEGIN"), end = text.find("END", begin);
  ASSERT_NE(begin, std::string::npos) << text;
  ASSERT_NE(end, std::string::npos) << text;
  EXPECT_EQ(text.substr(begin + 5, end - begin - 5), "") << "texts outside their figure";
}

}  // namespace
