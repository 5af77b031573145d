#include "pulley/tasks/gait.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/io/task_results.hpp"
#include "pulley/model/data.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::tasks {
namespace {

using io::MotionTable;
using io::parse_motion_table;

const model::Model& typical() {
  static const model::Model m = model::compile_model(model::Subject{});
  return m;
}

std::string motion_dir() { return PULLEY_MOTION_DIR; }

GaitRecording shipped_walk() {
  GaitRecording r;
  r.coordinates = io::read_motion_table(motion_dir() + "/rajagopal2016_walking/coordinates.sto");
  r.forces = io::read_motion_table(motion_dir() + "/rajagopal2016_walking/grf_walk.mot");
  return r;
}

GaitRecording shipped_run(int speed_cm_per_s) {
  GaitRecording r;
  const std::string stem = motion_dir() + "/hamner2013_running/run" + std::to_string(speed_cm_per_s);
  r.coordinates = io::read_motion_table(stem + "_ik.mot");
  r.forces = io::read_motion_table(stem + "_grf.mot");
  r.knee_flexion = KneeFlexionSign::negative;
  r.vertical_force_label = {"ground_force_calcn_r_vy", "ground_force_calcn_l_vy"};
  return r;
}

// One row of held_posture's table after the time: pelvis at (0, 1 m) and level, both legs alike.
std::string fmt_row(double hip_deg, double knee_deg, double lumbar_extension_deg) {
  const std::string leg = std::to_string(hip_deg) + " " + std::to_string(knee_deg) + " 0 ";
  return "0 1 0 " + leg + leg + std::to_string(lumbar_extension_deg);
}

// A two-row recording (degrees) holding the given angles throughout.
GaitRecording held_posture(double hip_deg, double knee_deg, double lumbar_extension_deg,
                           KneeFlexionSign sign = KneeFlexionSign::positive) {
  const std::string row = fmt_row(hip_deg, knee_deg, lumbar_extension_deg);
  GaitRecording r;
  r.coordinates = parse_motion_table(
      "held\ninDegrees=yes\nendheader\n"
      "time pelvis_tx pelvis_ty pelvis_tilt hip_flexion_r knee_angle_r ankle_angle_r "
      "hip_flexion_l knee_angle_l ankle_angle_l lumbar_extension\n0 " + row + "\n1 " + row + "\n",
      "held.mot");
  r.knee_flexion = sign;
  return r;
}

TEST(Gait, RecordedConfigurationReadsTheWritersCoordinates) {
  // Pulley's --mot writer and RecordedMotion are inverses on the pelvis and the legs, and
  // on the lumbar spine's summed lordosis (the writer's lumbar_extension) read, as the gait
  // tasks read a recording, from the subject's standing shape.
  const model::Model& m = typical();
  const TaskResult bend = run_task(m, parse_task_options("forward-bend", {{"frames", "9"}}));
  GaitRecording r;
  r.coordinates = parse_motion_table(io::task_to_mot(m, bend), "bend.mot");
  const std::array<double, 5> standing = lumbar_angles(m, bend.standing.q);
  const RecordedMotion motion(m, r, &standing);
  Eigen::VectorXd q;
  for (const FrameResult& f : bend.frames) {
    motion.configuration(f.time_s, q);
    for (int k : {0, 1, 2}) EXPECT_NEAR(q[k], f.q[k], 1e-6) << "root " << k;
    for (int k = 0; k < 2; ++k) {
      EXPECT_NEAR(q[m.coord.hip[k]], f.q[m.coord.hip[k]], 1e-6);
      EXPECT_NEAR(q[m.coord.knee[k]], f.q[m.coord.knee[k]], 1e-6);
      EXPECT_NEAR(q[m.coord.ankle[k]], f.q[m.coord.ankle[k]], 1e-6);
    }
    double sum = 0.0, sum_recorded = 0.0;
    for (int c : m.coord.lumbar) {
      sum += q[c];
      sum_recorded += f.q[c];
    }
    EXPECT_NEAR(sum, sum_recorded, 1e-6);
  }
}

TEST(Gait, KneeSignAndLumbarSpread) {
  const model::Model& m = typical();
  const GaitRecording positive = held_posture(30, 40, -10);
  const GaitRecording negative = held_posture(30, -40, -10, KneeFlexionSign::negative);
  Eigen::VectorXd q_pos, q_neg;
  RecordedMotion(m, positive).configuration(0.5, q_pos);
  RecordedMotion(m, negative).configuration(0.5, q_neg);
  EXPECT_NEAR(q_pos[m.coord.knee[0]], deg_to_rad(40), 1e-12);
  EXPECT_NEAR(q_neg[m.coord.knee[0]], deg_to_rad(40), 1e-12);
  EXPECT_NEAR(q_pos[m.coord.hip[1]], deg_to_rad(30), 1e-12);
  // 10 deg of lumbar flexion spread over the levels by neutral-zone compliance (1 / k).
  double compliance = 0.0;
  for (const auto& level : m.levels) compliance += 1.0 / level.k_nm_per_rad;
  for (int l = 0; l < 5; ++l) {
    const double share = (1.0 / m.levels[l].k_nm_per_rad) / compliance;
    EXPECT_NEAR(q_pos[m.coord.lumbar[l]] - m.levels[l].neutral_rad, share * deg_to_rad(-10),
                1e-12)
        << m.levels[l].name;
  }
}

TEST(Gait, FootStrikesAndStrides) {
  const MotionTable f = parse_motion_table(
      "endheader\ntime vy\n0 0\n0.1 40\n0.2 500\n0.3 0\n0.5 0\n0.6 10\n0.7 30\n0.8 0\n",
      "grf.mot");
  const std::vector<double> strikes = foot_strikes(f, "vy", 20.0);
  ASSERT_EQ(strikes.size(), 2u);
  EXPECT_NEAR(strikes[0], 0.05, 1e-12);
  EXPECT_NEAR(strikes[1], 0.65, 1e-12);

  // The shipped walk: angles from 0.45 s, right strikes at about 0.27 and 1.42 s. The stride is
  // read as periodic: its first 0.18 s are taken one period later.
  const GaitRecording walk = shipped_walk();
  const Stride stride = first_right_stride(walk);
  EXPECT_NEAR(stride.start_s, 0.27, 0.01);
  EXPECT_NEAR(stride.end_s, 1.415, 0.01);
  EXPECT_NEAR(stride_sample_time(stride, walk.coordinates, 0.0), stride.end_s, 1e-12);
  EXPECT_NEAR(stride_sample_time(stride, walk.coordinates, 0.5),
              stride.start_s + 0.5 * stride.duration(), 1e-12);

  GaitRecording no_forces = held_posture(0, 0, 0);
  try {
    first_right_stride(no_forces);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("held.mot: no right stride"), std::string::npos)
        << e.what();
  }
}

TEST(Gait, MissingCoordinateNamesTheFile) {
  const model::Model& m = typical();
  GaitRecording r;
  r.coordinates = parse_motion_table(
      "inDegrees=no\nendheader\ntime pelvis_tx pelvis_ty\n0 0 1\n1 0 1\n", "partial.mot");
  try {
    RecordedMotion motion(m, r);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "partial.mot: no column 'pelvis_tilt' (the motion needs it)");
  }
  r.coordinates = parse_motion_table("endheader\ntime x\n0 0\n1 1\n", "nounit.mot");
  try {
    RecordedMotion motion(m, r);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nounit.mot: no 'inDegrees=yes|no' line"),
              std::string::npos)
        << e.what();
  }
}

TEST(Gait, AnAngleBeyondATurnPointsAtTheUnitLine) {
  // Degrees in a table whose header says radians: 30 rad of hip flexion is refused, naming the
  // column, the time and the header line to check.
  const model::Model& m = typical();
  GaitRecording r;
  const std::string labels =
      "time pelvis_tx pelvis_ty pelvis_tilt hip_flexion_r knee_angle_r ankle_angle_r "
      "hip_flexion_l knee_angle_l ankle_angle_l lumbar_extension\n";
  r.coordinates = parse_motion_table("inDegrees=no\nendheader\n" + labels +
                                         "0 0 1 0 0.1 0 0 0 0 0 0\n0.5 0 1 0 30 0 0 0 0 0 0\n",
                                     "degrees.mot");
  try {
    RecordedMotion motion(m, r);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("degrees.mot: column 'hip_flexion_r' at time 0.5 s: 30 "
                                         "rad is more than a full turn; check the header's "
                                         "inDegrees line"),
              std::string::npos)
        << e.what();
  }
  r.coordinates = parse_motion_table("inDegrees=yes\nendheader\n" + labels +
                                         "0 0 1 0 0.1 0 0 0 0 0 0\n0.5 0 1 0 30 0 0 0 0 0 0\n",
                                     "degrees.mot");
  EXPECT_NO_THROW(RecordedMotion(m, r));
}

TEST(Gait, HamstringStretchFollowsHipAndKnee) {
  // Held postures: upright gives no stretch; hip flexion stretches the biarticular heads, knee
  // flexion slackens every head.
  const model::Model& m = typical();
  const Stride whole{0.0, 1.0};
  const auto peak = [&](double hip, double knee, int head) {
    return hamstring_kinematics(m, held_posture(hip, knee, 0), whole, 5).heads[head]
        .peak_stretch_pct;
  };
  for (int h = 0; h < 4; ++h) {
    EXPECT_NEAR(peak(0, 0, h), 0.0, 1e-9) << kHamstringHeads[h];
    EXPECT_LT(peak(0, 30, h), peak(0, 0, h)) << kHamstringHeads[h];
  }
  for (int h = 0; h < 3; ++h) EXPECT_GT(peak(40, 0, h), 5.0) << kHamstringHeads[h];
  EXPECT_NEAR(peak(40, 0, 3), 0.0, 1e-9);  // the short head crosses the knee only
}

TEST(Gait, HamstringsThroughAShippedRun) {
  const model::Model& m = typical();
  const GaitRecording run = shipped_run(500);
  const HamstringKinematics k = hamstring_kinematics(m, run, first_right_stride(run), 101);
  ASSERT_EQ(k.heads.size(), 4u);
  ASSERT_EQ(k.cycle_pct.size(), 101u);
  for (const HamstringTrace& h : k.heads) {
    ASSERT_EQ(h.stretch_pct.size(), 101u);
    for (int j = 0; j < 101; ++j) {
      ASSERT_TRUE(std::isfinite(h.stretch_pct[j]));
      ASSERT_TRUE(std::isfinite(h.lengthening_m_s[j]));
    }
    // The peak is one of the frames (after the first, which repeats the last's phase).
    EXPECT_GT(h.peak_time_pct_cycle, 0.0);
    EXPECT_DOUBLE_EQ(h.peak_stretch_pct,
                     h.stretch_pct[static_cast<int>(std::lround(h.peak_time_pct_cycle))]);
  }
}

}  // namespace
}  // namespace pulley::tasks
