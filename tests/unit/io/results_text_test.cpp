// Numbers as results print them (io/results_json.hpp): "n/a" for what could not be computed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "pulley/io/results_json.hpp"

namespace pulley::io {
namespace {

TEST(ResultsText, NumbersPrintInTheirFormatAndWhatWasNotComputedAsNa) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(number_or_na(2.114, "{:.2f}"), "2.11");
  EXPECT_EQ(number_or_na(2.114, "{:.1f}", 6), "   2.1");
  EXPECT_EQ(number_or_na(-0.25, "{:+.2f}", 7), "  -0.25");
  EXPECT_EQ(number_or_na(nan, "{:.2f}"), "n/a");
  EXPECT_EQ(number_or_na(nan, "{:.2f}", 6), "   n/a");
  EXPECT_EQ(number_or_na(std::numeric_limits<double>::infinity(), "{:.0f}"), "n/a");
  EXPECT_EQ(readable_number(43.21), "43.2");
  EXPECT_EQ(readable_number(nan), "n/a");
}

}  // namespace
}  // namespace pulley::io
