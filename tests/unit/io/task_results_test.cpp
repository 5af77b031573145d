#include "pulley/io/task_results.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::io {
namespace {

using nlohmann::json;

// Every number in j is finite, and j holds no NaN-as-null where a number belongs: walk it all.
void expect_all_finite(const json& j, const std::string& where, int& numbers) {
  if (j.is_number()) {
    ++numbers;
    EXPECT_TRUE(std::isfinite(j.get<double>())) << where;
  } else if (j.is_structured()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      expect_all_finite(*it, where + "/" + (j.is_object() ? it.key() : "[]"), numbers);
  }
}

// Max of a per-frame array (of |x| when `absolute`).
double max_of(const json& a, bool absolute = false) {
  double m = -1e300;
  for (const auto& v : a) m = std::max(m, absolute ? std::abs(v.get<double>()) : v.get<double>());
  return m;
}

struct TaskRun {
  model::Model model;
  tasks::TaskResult result;
  tasks::TaskSummary summary;
};

TaskRun run(const std::string& task, const std::vector<std::pair<std::string, std::string>>& set) {
  TaskRun r{model::compile_model(model::Subject{}), {}, {}};
  r.result = tasks::run_task(r.model, tasks::parse_task_options(task, set));
  r.summary = tasks::summarise(r.model, r.result);
  return r;
}

// Shared by the tests below (one lift of 3 frames, one stand).
const TaskRun& lift() {
  static const TaskRun r = run("lift", {{"frames", "3"}});
  return r;
}
const TaskRun& stand() {
  static const TaskRun r = run("stand", {});
  return r;
}

TEST(TaskJson, LiftHasEveryKeyOneEntryPerFrameAndNoNaN) {
  const TaskRun& r = lift();
  ASSERT_EQ(r.result.frames.size(), 3u);
  const json j = task_to_json(r.model, r.result, r.summary, nullptr);
  for (const char* key : {"schema_version", "pulley_version", "task", "parameters", "subject",
                          "status", "message", "reserve", "disclaimer", "units", "frames",
                          "summary"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("compensation"));
  EXPECT_EQ(j["task"], "lift");
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["reserve"], "off");
  EXPECT_EQ(j["parameters"]["frames"], 3);
  EXPECT_EQ(j["parameters"]["style"], "stoop");
  // The style-dependent default is written as the value used (80 deg for stoop).
  EXPECT_DOUBLE_EQ(j["parameters"]["pickup_thorax_inclination_deg"].get<double>(), 80.0);

  const json& f = j["frames"];
  const std::vector<json::json_pointer> arrays = {
      json::json_pointer("/time_s"), json::json_pointer("/phase"), json::json_pointer("/feasible"),
      json::json_pointer("/posture/pelvic_tilt_deg"),
      json::json_pointer("/posture/lumbar_lordosis_deg"),
      json::json_pointer("/posture/hip_flexion_deg"), json::json_pointer("/posture/knee_flexion_deg"),
      json::json_pointer("/posture/ankle_dorsiflexion_deg"),
      json::json_pointer("/posture/trunk_inclination_deg"),
      json::json_pointer("/thorax_rotation_deg"), json::json_pointer("/pelvis_rotation_deg"),
      json::json_pointer("/lumbar_flexion_deg"), json::json_pointer("/hip/right/contact_force_n"),
      json::json_pointer("/hip/left/contact_force_n"), json::json_pointer("/knee/right/compression_n"),
      json::json_pointer("/knee/left/anterior_shear_n"),
      json::json_pointer("/joint_moments_nm/hip_extension/right"),
      json::json_pointer("/joint_moments_nm/knee_flexion/left"),
      json::json_pointer("/joint_moments_nm/ankle_plantarflexion/right"),
      json::json_pointer("/joint_moments_nm/lumbar_extension/L4_L5"),
      json::json_pointer("/reserve_nm/ankle"), json::json_pointer("/reserve_nm/hip"),
      json::json_pointer("/reserve_nm/L1_L2"), json::json_pointer("/muscles/gluteus_maximus_r/force_n"),
      json::json_pointer("/muscles/multifidus_l/activation"), json::json_pointer("/load_distance_m"),
      json::json_pointer("/flags/compression_over_3400_n"),
      json::json_pointer("/flags/shear_over_1000_n")};
  for (const auto& p : arrays) {
    ASSERT_TRUE(f.contains(p)) << p.to_string();
    EXPECT_TRUE(f[p].is_array()) << p.to_string();
    EXPECT_EQ(f[p].size(), 3u) << p.to_string();
  }
  for (const auto& level : tasks::lumbar_level_names())
    for (const char* q : {"compression_n", "shear_n", "disc_moment_nm", "ligament_tension_n",
                          "disc_pressure_mpa", "posterior_share"})
      EXPECT_EQ(f["lumbar"][level][q].size(), 3u) << level << " " << q;
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t l = 0; l < 5; ++l) {
      const auto& load = r.result.frames[k].loads.lumbar[l];
      const json& lv = f["lumbar"][load.level];
      EXPECT_DOUBLE_EQ(lv["ligament_tension_n"][k].get<double>(), load.ligament_tension_n);
      EXPECT_DOUBLE_EQ(lv["disc_moment_nm"][k].get<double>(), load.disc_moment_nm);
    }
  EXPECT_EQ(f["muscles"].size(), r.model.muscles.size());
  // The hand load is held 0.4 m ahead of L5-S1 (to 1 mm).
  EXPECT_NEAR(f["load_distance_m"][0].get<double>(), 0.4, 2e-3);

  int numbers = 0;
  expect_all_finite(j, "", numbers);
  EXPECT_GT(numbers, 300);
  EXPECT_EQ(j.dump().find("null"), std::string::npos);
}

TEST(TaskJson, SummaryPeaksAreTheMaximaOfTheFrames) {
  for (const TaskRun* r : {&lift(), &stand()}) {
    const json j = task_to_json(r->model, r->result, r->summary, nullptr);
    const json& f = j["frames"];
    const json& s = j["summary"];
    int compression_flags = 0, shear_flags = 0;
    for (const auto& level : tasks::lumbar_level_names()) {
      const json& lv = f["lumbar"][level];
      const json& peak = s["lumbar"][level];
      EXPECT_DOUBLE_EQ(peak["peak_compression_n"].get<double>(), max_of(lv["compression_n"]))
          << level;
      EXPECT_DOUBLE_EQ(peak["peak_shear_n"].get<double>(), max_of(lv["shear_n"], true)) << level;
      EXPECT_DOUBLE_EQ(peak["peak_disc_pressure_mpa"].get<double>(),
                       max_of(lv["disc_pressure_mpa"]))
          << level;
      int over = 0;
      for (const auto& v : lv["shear_n"]) over += std::abs(v.get<double>()) > 1000.0;
      EXPECT_EQ(peak["frames_over_shear_limit"].get<int>(), over) << level;
      compression_flags += peak["frames_over_compression_limit"].get<int>();
      shear_flags += over;
    }
    // A frame is flagged when any level is over.
    int flagged_c = 0, flagged_s = 0;
    for (const auto& v : f["flags"]["compression_over_3400_n"]) flagged_c += v.get<bool>();
    for (const auto& v : f["flags"]["shear_over_1000_n"]) flagged_s += v.get<bool>();
    EXPECT_EQ(flagged_c > 0, compression_flags > 0);
    EXPECT_EQ(flagged_s > 0, shear_flags > 0);
    const double weight_n = r->model.tree.total_mass() * kGravity;
    const double hip = std::max(max_of(f["hip"]["right"]["contact_force_n"]),
                                max_of(f["hip"]["left"]["contact_force_n"]));
    EXPECT_NEAR(s["hip"]["peak_contact_bw"].get<double>(), hip / weight_n, 1e-9);
    const double knee = std::max(max_of(f["knee"]["right"]["compression_n"]),
                                 max_of(f["knee"]["left"]["compression_n"]));
    EXPECT_NEAR(s["knee"]["peak_compression_bw"].get<double>(), knee / weight_n, 1e-9);
    EXPECT_GT(hip, 0.0);
  }
}

TEST(TaskJson, PostureJumpsListEachJumpsFrameTimeAndAngles) {
  const TaskRun& r = lift();
  const json smooth = task_to_json(r.model, r.result, r.summary, nullptr);
  ASSERT_TRUE(smooth["summary"]["posture_jumps"].is_array());
  EXPECT_TRUE(smooth["summary"]["posture_jumps"].empty());  // the short default lift is smooth
  tasks::TaskSummary with_jump = r.summary;
  tasks::PostureJump jump;
  jump.frame = 2;
  jump.time_s = 0.4;
  jump.thorax_rotation_deg = {52.4, 48.3};
  jump.pelvis_rotation_deg = {47.7, -22.2};
  jump.lumbar_flexion_deg = {4.7, 70.5};
  with_jump.posture_jumps = {jump};
  const json j = task_to_json(r.model, r.result, with_jump, nullptr)["summary"]["posture_jumps"];
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["frame"].get<int>(), 2);
  EXPECT_DOUBLE_EQ(j[0]["time_s"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j[0]["thorax_rotation_deg"][1].get<double>(), 48.3);
  EXPECT_DOUBLE_EQ(j[0]["pelvis_rotation_deg"][0].get<double>(), 47.7);
  EXPECT_DOUBLE_EQ(j[0]["pelvis_rotation_deg"][1].get<double>(), -22.2);
  EXPECT_DOUBLE_EQ(j[0]["lumbar_flexion_deg"][1].get<double>(), 70.5);
}

TEST(TaskJson, StandHasOneHoldFrame) {
  const TaskRun& r = stand();
  const json j = task_to_json(r.model, r.result, r.summary, nullptr);
  EXPECT_EQ(j["task"], "stand");
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["frames"]["time_s"].size(), 1u);
  EXPECT_EQ(j["frames"]["phase"][0], "hold");
  EXPECT_EQ(j["parameters"]["reserve"], "off");
  EXPECT_FALSE(j["summary"].contains("lumbar_pelvis_ratio_by_band"));
  int numbers = 0;
  expect_all_finite(j, "", numbers);
  EXPECT_EQ(j.dump().find("null"), std::string::npos);
}

TEST(TaskJson, NonFiniteNumbersAreWrittenAsNull) {
  TaskRun r = stand();
  r.result.frames[0].loads.lumbar[0].compression_n = std::nan("");
  r.result.frames[0].time_s = INFINITY;
  const json j = task_to_json(r.model, r.result, r.summary, nullptr);
  EXPECT_TRUE(j["frames"]["lumbar"]["L1_L2"]["compression_n"][0].is_null());
  EXPECT_TRUE(j["frames"]["time_s"][0].is_null());
  EXPECT_EQ(task_to_csv(r.result).find("nan"), std::string::npos);
  EXPECT_EQ(task_to_csv(r.result).find("inf"), std::string::npos);
}

TEST(TaskJson, CompensationListsMusclesInOrderSumsGroupsAndGivesLevels) {
  const TaskRun& r = stand();
  tasks::Compensation changes;
  changes.muscles = {{"semimembranosus_r", "hamstrings", 100.0, 150.0, 120.0, 180.0, 1.0},
                     {"gluteus_maximus_r", "", 200.0, 100.0, 250.0, 110.0, 0.4},
                     {"semitendinosus_r", "hamstrings", 0.0, 50.0, 0.0, 60.0, 1.0}};
  changes.lumbar = {{"L4_L5", 400.0, 500.0, 2000.0, 2100.0}, {"L5_S1", 0.0, 30.0, 2500.0, 2400.0}};
  const json j = task_to_json(r.model, r.result, r.summary, &changes);
  const json& m = j["compensation"]["muscles"];
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0]["muscle"], "semimembranosus_r");
  EXPECT_EQ(m[1]["muscle"], "gluteus_maximus_r");
  EXPECT_DOUBLE_EQ(m[0]["change_n"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(m[0]["change_pct"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(m[1]["change_pct"].get<double>(), -50.0);
  EXPECT_DOUBLE_EQ(m[1]["capacity"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(m[0]["peak_force_n"].get<double>(), 180.0);
  EXPECT_TRUE(m[2]["change_pct"].is_null());  // from zero: no percentage
  const json& g = j["compensation"]["groups"];
  EXPECT_EQ(g.size(), 1u);
  EXPECT_DOUBLE_EQ(g["hamstrings"]["baseline_mean_force_n"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(g["hamstrings"]["mean_force_n"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(g["hamstrings"]["change_pct"].get<double>(), 100.0);
  const json& lv = j["compensation"]["lumbar"];
  ASSERT_EQ(lv.size(), 2u);
  EXPECT_DOUBLE_EQ(lv["L4_L5"]["baseline_mean_ligament_tension_n"].get<double>(), 400.0);
  EXPECT_DOUBLE_EQ(lv["L4_L5"]["mean_ligament_tension_n"].get<double>(), 500.0);
  EXPECT_DOUBLE_EQ(lv["L4_L5"]["ligament_tension_change_pct"].get<double>(), 25.0);
  EXPECT_DOUBLE_EQ(lv["L5_S1"]["peak_compression_n"].get<double>(), 2400.0);
  EXPECT_DOUBLE_EQ(lv["L5_S1"]["baseline_peak_compression_n"].get<double>(), 2500.0);
  EXPECT_TRUE(lv["L5_S1"]["ligament_tension_change_pct"].is_null());  // from zero
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream s(line);
  for (std::string item; std::getline(s, item, sep);) out.push_back(item);
  return out;
}

TEST(TaskMot, HeaderRowsAndRajagopalCoordinates) {
  const TaskRun& r = lift();
  const std::string mot = task_to_mot(r.model, r.result);
  const std::vector<std::string> lines = split(mot, '\n');
  ASSERT_GT(lines.size(), 6u);
  EXPECT_EQ(lines[1], "version=1");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "nRows=3"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "inDegrees=yes"), lines.end());
  const auto end = std::find(lines.begin(), lines.end(), "endheader");
  ASSERT_NE(end, lines.end());
  const auto header = split(*(end + 1), '\t');
  const std::vector<std::string> expected = {
      "time", "pelvis_tilt", "pelvis_tx", "pelvis_ty", "hip_flexion_r", "knee_angle_r",
      "ankle_angle_r", "hip_flexion_l", "knee_angle_l", "ankle_angle_l", "lumbar_extension",
      "L5_S1_lordosis", "L4_L5_lordosis", "L3_L4_lordosis", "L2_L3_lordosis", "L1_L2_lordosis"};
  EXPECT_EQ(header, expected);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "nColumns=" + std::to_string(expected.size())),
            lines.end());
  const std::size_t first = static_cast<std::size_t>(end - lines.begin()) + 2;
  ASSERT_EQ(lines.size(), first + 3);  // one row per frame
  const auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (std::size_t k = 0; k < 3; ++k) {
    const auto row = split(lines[first + k], '\t');
    ASSERT_EQ(row.size(), expected.size());
    const auto& f = r.result.frames[k];
    // Rajagopal 2016's knee_angle is positive in flexion (range 0 to 120 deg), like Pulley's.
    EXPECT_NEAR(std::stod(row[col("knee_angle_r")]), f.posture.knee_flexion_deg[0], 1e-6);
    EXPECT_NEAR(std::stod(row[col("hip_flexion_l")]), f.posture.hip_flexion_deg[1], 1e-6);
    EXPECT_NEAR(std::stod(row[col("ankle_angle_r")]), f.posture.ankle_dorsiflexion_deg[0], 1e-6);
    EXPECT_NEAR(std::stod(row[col("time")]), f.time_s, 1e-6);
    EXPECT_NEAR(std::stod(row[col("pelvis_tilt")]), rad_to_deg(f.q[2]), 1e-6);
    EXPECT_NEAR(std::stod(row[col("L4_L5_lordosis")]), f.posture.segmental_lordosis_deg[3], 1e-6);
  }
  // Pickup (frame 0) is flexed against upright (frame 2): lumbar_extension falls by the lumbar
  // flexion, and the pelvis is tipped forward (clockwise, pelvis_tilt smaller).
  const auto row0 = split(lines[first], '\t'), row2 = split(lines[first + 2], '\t');
  const double d_ext = std::stod(row0[col("lumbar_extension")]) - std::stod(row2[col("lumbar_extension")]);
  EXPECT_NEAR(-d_ext, r.result.frames[0].lumbar_flexion_deg - r.result.frames[2].lumbar_flexion_deg,
              1e-5);
  EXPECT_LT(std::stod(row0[col("pelvis_tilt")]), std::stod(row2[col("pelvis_tilt")]) - 10.0);
  // Its zero is the subject's standing spine, as recordings are read: minus the lumbar flexion
  // from standing in every frame, and 0 in quiet standing itself.
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_NEAR(std::stod(split(lines[first + k], '\t')[col("lumbar_extension")]),
                -r.result.frames[k].lumbar_flexion_deg, 1e-6);
  const std::vector<std::string> standing = split(task_to_mot(stand().model, stand().result), '\n');
  const auto standing_end = std::find(standing.begin(), standing.end(), "endheader");
  ASSERT_NE(standing_end, standing.end());
  EXPECT_NEAR(std::stod(split(*(standing_end + 2), '\t')[col("lumbar_extension")]), 0.0, 1e-6);
}

// The walk's stride wraps round its recording (its later frames are read a stride earlier), yet
// the viewer's pelvis moves on without a jump: about a stride length (the recording's speed over
// the stride) from the first frame to the last, and no step between frames beyond a few
// centimetres.
TEST(TaskMot, AWalksPelvisMovesOnThroughTheStride) {
  const TaskRun r = run("walk", {{"reserve", "on"}, {"frames", "21"}});
  ASSERT_TRUE(r.result.gait.has_value());
  const auto& g = *r.result.gait;
  // The recording is read a period away in some frames (else this test shows nothing).
  ASSERT_TRUE(std::any_of(g.pelvis_offset_m.begin(), g.pelvis_offset_m.end(),
                          [](double offset) { return std::abs(offset) > 1.0; }));
  const std::vector<std::string> lines = split(task_to_mot(r.model, r.result), '\n');
  const auto end = std::find(lines.begin(), lines.end(), "endheader");
  ASSERT_NE(end, lines.end());
  const auto header = split(*(end + 1), '\t');
  const auto column = static_cast<std::size_t>(
      std::find(header.begin(), header.end(), "pelvis_tx") - header.begin());
  std::vector<double> x;
  for (auto line = end + 2; line != lines.end() && !line->empty(); ++line)
    x.push_back(std::stod(split(*line, '\t')[column]));
  ASSERT_EQ(x.size(), 21u);
  for (std::size_t j = 1; j < x.size(); ++j) {
    EXPECT_GT(x[j] - x[j - 1], 0.0) << j;
    // The speed over a twentieth of the stride: 7 cm; chosen: twice that.
    EXPECT_LT(x[j] - x[j - 1], 2.0 * g.speed_m_s * g.stride.duration() / 20.0) << j;
  }
  // chosen: 0.2 m, a seventh of the stride, for the speed's changes within it; the jump was
  // 1.42 m.
  EXPECT_NEAR(x.back() - x.front(), g.speed_m_s * g.stride.duration(), 0.2);
}

TEST(TaskCsv, OneRowPerFrameWithTheHeaderColumns) {
  const TaskRun& r = lift();
  const std::string csv = task_to_csv(r.result);
  const std::vector<std::string> lines = split(csv, '\n');
  ASSERT_EQ(lines.size(), 4u);
  const auto header = split(lines[0], ',');
  EXPECT_EQ(header.front(), "time_s");
  EXPECT_EQ(header.back(), "feasible");
  for (const char* name : {"phase", "thorax_rotation_deg", "L5_S1_compression_n",
                           "L4_L5_disc_pressure_mpa", "L4_L5_ligament_tension_n", "hip_contact_l_n", "knee_anterior_shear_r_n",
                           "reserve_hip_nm", "reserve_L1_L2_nm"})
    EXPECT_NE(std::find(header.begin(), header.end(), name), header.end()) << name;
  const auto column = [&header](const char* name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t c = column("L5_S1_compression_n");
  const std::size_t t = column("L4_L5_ligament_tension_n");
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const auto row = split(lines[k], ',');
    ASSERT_EQ(row.size(), header.size()) << lines[k];
    EXPECT_EQ(row[1], "lift");
    EXPECT_EQ(row.back(), "1");
    EXPECT_NEAR(std::stod(row[c]), r.result.frames[k - 1].loads.lumbar[4].compression_n, 0.051);
    EXPECT_NEAR(std::stod(row[t]), r.result.frames[k - 1].loads.lumbar[3].ligament_tension_n, 0.051);
  }
}

}  // namespace
}  // namespace pulley::io
