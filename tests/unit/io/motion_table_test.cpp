#include "pulley/io/motion_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "pulley/core/error.hpp"

namespace pulley::io {
namespace {

constexpr const char* kHeader = "Coordinates\nversion=1\nnRows=3\nnColumns=3\ninDegrees=yes\nendheader\n";

// The message of the InputError that parsing `text` throws ("" if none).
std::string parse_error(const std::string& text) {
  try {
    parse_motion_table(text, "walk.mot");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(MotionTable, ReadsLabelsRowsAndUnit) {
  const MotionTable t = parse_motion_table(
      std::string(kHeader) +
          "time\t/jointset/hip_r/hip_flexion_r/value\tpelvis_tx\r\n"
          "0.0\t10\t1.5\r\n\n0.01   20   1.6\n0.03\t40\t1.8\n\n",
      "walk.mot");
  ASSERT_EQ(t.labels.size(), 2u);
  EXPECT_EQ(t.labels[0], "hip_flexion_r");  // the state path shortened to the coordinate
  EXPECT_EQ(t.labels[1], "pelvis_tx");
  ASSERT_EQ(t.num_samples(), 3);
  EXPECT_EQ(t.in_degrees, true);
  EXPECT_DOUBLE_EQ(t.values(2, 1), 1.8);
  EXPECT_EQ(t.find("pelvis_tx"), 1);
  EXPECT_EQ(t.find("knee_angle_r"), -1);
  // Linear between samples, held at the ends.
  EXPECT_DOUBLE_EQ(t.interpolate(0, 0.02), 30.0);
  EXPECT_DOUBLE_EQ(t.interpolate(0, 0.005), 15.0);
  EXPECT_DOUBLE_EQ(t.interpolate(0, -1.0), 10.0);
  EXPECT_DOUBLE_EQ(t.interpolate(0, 9.0), 40.0);
}

TEST(MotionTable, OtherStatePathsKeepTheirLabels) {
  const MotionTable t = parse_motion_table(
      "x\nendheader\ntime /jointset/hip_r/hip_flexion_r/speed /forceset/soleus_r/activation\n"
      "0 1 2\n1 3 4\n",
      "states.sto");
  EXPECT_EQ(t.labels[0], "/jointset/hip_r/hip_flexion_r/speed");
  EXPECT_EQ(t.labels[1], "/forceset/soleus_r/activation");
  EXPECT_FALSE(t.in_degrees.has_value());
}

TEST(MotionTable, BadTablesNameFileLineAndValue) {
  const std::string labels = "time\thip_flexion_r\tpelvis_tx\n";
  struct Case {
    std::string text, expected;
  };
  const Case cases[] = {
      {"time\thip\n0 1\n1 2\n", "walk.mot: no 'endheader' line"},
      {std::string(kHeader), "walk.mot: no column labels after 'endheader'"},
      {std::string(kHeader) + "t\thip\n0 1\n1 2\n", "walk.mot: line 7: first column is 't'"},
      {std::string(kHeader) + "time\thip\thip\n0 1 1\n1 2 2\n",
       "walk.mot: line 7: column 'hip' appears twice"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 2\n", "walk.mot: line 9: 2 values; the labels give 3 columns"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 2 3 4\n", "walk.mot: line 9: 4 values"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 NaN 3\n",
       "walk.mot: line 9: column 'hip_flexion_r': NaN; values must be finite"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 2 inf\n", "column 'pelvis_tx': inf; values must be finite"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 2 1,5\n", "column 'pelvis_tx': '1,5' is not a number"},
      {std::string(kHeader) + labels + "0 1 2\n0.01 1e308 3\n",
       "walk.mot: line 9: column 'hip_flexion_r': 1e308 is beyond +-1e+06"},
      {std::string(kHeader) + labels + "0 1 2\n0 2 3\n",
       "walk.mot: line 9: time 0 does not follow 0; time must increase"},
      {std::string(kHeader) + labels + "0.1 1 2\n0.05 2 3\n", "time 0.05 does not follow 0.1"},
      {std::string(kHeader) + labels + "0 1 2\n", "walk.mot: 1 rows of data; a motion needs at least two"},
      {"inDegrees=maybe\nendheader\ntime x\n0 1\n1 2\n", "walk.mot: line 1: inDegrees=maybe; allowed: yes or no"},
  };
  for (const Case& c : cases) {
    const std::string message = parse_error(c.text);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "text:\n" << c.text << "\nmessage: " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;  // one line
  }
}

TEST(MotionTable, MissingColumnAndFileAreInputErrors) {
  const MotionTable t = parse_motion_table("endheader\ntime x\n0 1\n1 2\n", "run.mot");
  try {
    t.require("knee_angle_r");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "run.mot: no column 'knee_angle_r' (the motion needs it)");
  }
  EXPECT_THROW(read_motion_table("/nonexistent/walk.mot"), InputError);
}

TEST(MotionTable, ReadsTheShippedWalk) {
  const MotionTable t =
      read_motion_table(std::string(PULLEY_MOTION_DIR) + "/rajagopal2016_walking/coordinates.sto");
  EXPECT_EQ(t.num_samples(), 1350);
  EXPECT_EQ(t.in_degrees, false);
  EXPECT_GE(t.find("hip_flexion_r"), 0);
  EXPECT_GE(t.find("lumbar_extension"), 0);
  EXPECT_DOUBLE_EQ(t.time.front(), 0.45);
}

}  // namespace
}  // namespace pulley::io
