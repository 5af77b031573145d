// Calendar dates users give (pulley plan and train --start; io/text_input.hpp).
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
