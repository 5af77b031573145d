// Calendar dates users give (pulley plan and train --start) and the checks of user text: UTF-8
// and control characters, and the reading of input files (io/text_input.hpp).
#include "pulley/io/text_input.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "pulley/core/error.hpp"

namespace pulley::io {
namespace {

TEST(IsoDate, ReadsRealDatesOnlyAndWritesThemBack) {
  const auto leap = parse_iso_date("2028-02-29");
  ASSERT_TRUE(leap.has_value());
  EXPECT_EQ(format_iso_date(*leap), "2028-02-29");
  EXPECT_EQ(format_iso_date(*leap + std::chrono::days(7)), "2028-03-07");
  for (const char* bad : {"2027-02-29", "2026-13-01", "2026-12-1", "2026-12-01x", "26-12-01ab",
                          "2026/12/01", "+026-12-01", "1899-12-31", "2201-01-01", ""})
    EXPECT_FALSE(parse_iso_date(bad).has_value()) << bad;
}

// The one-line error of reading `path`, or "" if it was read.
std::string read_error(const std::filesystem::path& path) {
  try {
    read_text_file(path, path.string(), 1000);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ReadTextFile, ReadsRegularFilesAndRefusesEverythingElseWithoutWaiting) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("pulley_text_input_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "subject.yaml", fifo = dir / "fifo.yaml";
  std::ofstream(file) << "height_m: 1.8\n";
  EXPECT_EQ(read_text_file(file, "subject.yaml", 1000), "height_m: 1.8\n");
  // A FIFO with no writer: opening it to read would wait for one; it is refused at once.
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(read_error(fifo),
            fifo.string() + ": not a regular file (a FIFO); give the path of a file");
  EXPECT_EQ(read_error(dir),
            dir.string() + ": not a regular file (a directory); give the path of a file");
  EXPECT_EQ(read_error("/dev/null"),
            "/dev/null: not a regular file (a character device); give the path of a file");
  EXPECT_NE(read_error(dir / "missing.yaml").find("cannot open file: No such file"),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pulley::io

namespace pulley::io {
namespace {

TEST(Utf8, FindsTheFirstByteThatIsNotWellFormedWithItsLineAndColumn) {
  EXPECT_FALSE(find_invalid_utf8("plain\nZo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80"));
  // A lone lead byte, a stray continuation, an overlong '/', a surrogate, beyond U+10FFFF, and a
  // sequence cut short by the end of the text.
  for (const std::string bad : {"\xc3(", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                "\xe2\x82"}) {
    const auto at = find_invalid_utf8("ok\nab" + bad);
    ASSERT_TRUE(at) << echo_text(bad);
    EXPECT_EQ(at->line, 1);
    EXPECT_EQ(at->column, 2);
    EXPECT_EQ(at->offset, 5u);
    EXPECT_EQ(at->byte, static_cast<unsigned char>(bad[0]));
  }
}

TEST(Utf8, EchoEscapesControlsAndBytesThatAreNotTextAndKeepsTheRest) {
  EXPECT_EQ(echo_text("Zo\xc3\xab \xe2\x82\xac"), "Zo\xc3\xab \xe2\x82\xac");
  EXPECT_EQ(echo_text("a\tb\x7f"), "a\\x09b\\x7f");
  EXPECT_EQ(echo_text("a\xc2\x85" "b"), "a\\xc2\\x85b");  // C1 control U+0085
  EXPECT_EQ(echo_text("ham\xffstrings"), "ham\\xffstrings");
  EXPECT_TRUE(has_control_character("a\xc2\x9b"));
  EXPECT_TRUE(has_control_character("a\nb"));
  EXPECT_FALSE(has_control_character("Zo\xc3\xab \xc2\xa0"));  // U+00A0 is a space, not a control
}

}  // namespace
}  // namespace pulley::io
