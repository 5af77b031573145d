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

#include "pulley/assess/findings.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/report/assessment_report.hpp"

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

}  // namespace
