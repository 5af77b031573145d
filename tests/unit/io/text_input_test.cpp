// Calendar dates users give (pulley plan and train --start) and the checks of user text: UTF-8
// and control characters (io/text_input.hpp).
#include "pulley/io/text_input.hpp"

#include <gtest/gtest.h>

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
