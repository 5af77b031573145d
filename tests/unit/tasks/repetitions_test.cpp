// Sit-to-stand and squat on the shipped OpenCap recordings (models/motion/uhlrich2023_opencap):
// the recorded subject's mass from its foot forces, the chair's seated frames, the repetitions,
// the knee's peaks, and bad input.
#include "pulley/tasks/repetitions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {
namespace {

const model::Model& typical() {
  static const model::Model m = model::compile_model(model::Subject{});
  return m;
}

GaitRecording recording(const char* task) { return load_gait_recording(find_recording(task)); }

MotionSettings motion_settings() {
  static const std::array<double, 5> lumbar = [] {
    const StandingResult s = solve_standing(typical());
    std::array<double, 5> l{};
    for (int k = 0; k < 5; ++k) l[k] = s.q[typical().coord.lumbar[k]];
    return l;
  }();
  MotionSettings m;
  m.lumbar_base = lumbar;
  return m;
}

const PreparedMotion& prepared(const char* task) {
  static const PreparedMotion sts = prepare_motion(
      typical(), recording("sit-to-stand"), recording("sit-to-stand").coordinates.time,
      motion_settings());
  static const PreparedMotion squat = prepare_motion(
      typical(), recording("squat"), recording("squat").coordinates.time, motion_settings());
  return std::string(task) == "squat" ? squat : sts;
}

const RepetitionSimulation& simulated(const char* task) {
  const auto run = [](const char* t) {
    RepetitionSettings s;
    s.motion = motion_settings();
    return simulate_repetitions(typical(), recording(t), std::string(t) == "squat"
                                                             ? RepetitionKind::squat
                                                             : RepetitionKind::sit_to_stand,
                                s);
  };
  static const RepetitionSimulation sts = run("sit-to-stand");
  static const RepetitionSimulation squat = run("squat");
  return std::string(task) == "squat" ? squat : sts;
}

TEST(Repetitions, RecordedMassFromTheFootForces) {
  // 62.6 kg in AddBiomechanics' subject file (the shared data's README); the squat's plates,
  // which carry the subject alone from standing to standing, give 60.1 kg: within 5 %.
  const SupportFit squat = fit_mass_and_support(typical(), prepared("squat"), false);
  EXPECT_NEAR(squat.recorded_mass_kg, 62.6, 0.05 * 62.6);
  // The squat starts and ends standing still, so the inertia cancels: the mean force over g.
  const GaitRecording r = recording("squat");
  double mean = 0.0;
  for (const char* label : {"ground_force_1_vy", "ground_force_2_vy"})
    mean += r.forces.values.col(r.forces.require(label)).mean();
  EXPECT_NEAR(squat.recorded_mass_kg, mean / kGravity, 0.005 * squat.recorded_mass_kg);
  // The sit-to-stand, from the frames its feet alone carry, finds the same subject (1 %).
  const SupportFit sts = fit_mass_and_support(typical(), prepared("sit-to-stand"), true);
  EXPECT_NEAR(sts.recorded_mass_kg, squat.recorded_mass_kg, 0.01 * squat.recorded_mass_kg);
  EXPECT_LT(sts.iterations, 50);
}

TEST(Repetitions, SeatOffPrecedesTheRisesForcePeakAndSeatedFramesLackBodyWeight) {
  const RepetitionSimulation& s = simulated("sit-to-stand");
  const RepetitionDetails& d = s.details;
  ASSERT_EQ(d.repetitions.size(), 5u);
  const GaitRecording r = recording("sit-to-stand");
  const int right = r.forces.require("ground_force_1_vy"), left = r.forces.require("ground_force_2_vy");
  const double weight = 60.1 * kGravity;
  for (const Repetition& rep : d.repetitions) {
    ASSERT_TRUE(std::isfinite(rep.seat_off_s) && std::isfinite(rep.seat_on_s)) << rep.number;
    EXPECT_LT(rep.seat_off_s, rep.turn_s);
    EXPECT_GT(rep.seat_on_s, rep.turn_s);
    // The recorded feet's force peaks as the body leaves the seat (by inspection of STS1_grf.mot:
    // 810-869 N at 0.9, 3.6, 6.2, 8.8 and 11.5 s): within 0.15 s after seat-off.
    int peak = 0;
    double peak_force = 0.0;
    for (int i = 0; i < r.forces.num_samples(); ++i) {
      const double t = r.forces.time[i];
      const double f = r.forces.values(i, right) + r.forces.values(i, left);
      if (t >= rep.seat_off_s - 0.3 && t <= rep.turn_s && f > peak_force) {
        peak_force = f;
        peak = i;
      }
    }
    EXPECT_GE(r.forces.time[peak], rep.seat_off_s - 0.02) << rep.number;
    EXPECT_LE(r.forces.time[peak], rep.seat_off_s + 0.15) << rep.number;
    EXPECT_GT(peak_force, 1.3 * weight);
    // Seated in the middle of the chair's stretch before the rise: the feet carry under a fifth of
    // the body's weight, and the frame is marked.
    const double seated_t = rep.seat_off_s - 0.3;
    const int j = static_cast<int>(std::lround(seated_t * 100.0));
    EXPECT_LT(r.forces.interpolate(right, seated_t) + r.forces.interpolate(left, seated_t),
              0.2 * weight);
    EXPECT_TRUE(s.simulation.details.supported(j)) << seated_t;
    EXPECT_EQ(s.simulation.frames[j].phase, "seated");
  }
  EXPECT_GT(d.supported_frames, 300);
  // The chair's share while seated: most of body weight (on this subject, 75 kg).
  EXPECT_GT(d.peak_support_force_n, 0.8 * typical().tree.total_mass() * kGravity);
  // Outside the seated frames the pelvis residual stays below the support threshold's scale.
  EXPECT_LT(s.simulation.details.peak_pelvis_residual().force_n,
            0.2 * typical().tree.total_mass() * kGravity);
}

TEST(Repetitions, TheSquatHasNoChairAndFiveRepetitions) {
  // The detection, run on the squat, marks no frame: no chair, and the model's own vertical
  // residual stays below the threshold.
  const SupportFit fit = fit_mass_and_support(typical(), prepared("squat"), true);
  EXPECT_EQ(std::count(fit.supported.begin(), fit.supported.end(), true), 0);
  const RepetitionSimulation& s = simulated("squat");
  ASSERT_EQ(s.details.repetitions.size(), 5u);
  // The shared data's README: bottoms at about 1.3, 3.9, 6.6, 9.3 and 12.2 s.
  const double bottoms[5] = {1.3, 3.9, 6.6, 9.3, 12.2};
  for (int r = 0; r < 5; ++r) {
    const Repetition& rep = s.details.repetitions[r];
    EXPECT_NEAR(rep.turn_s, bottoms[r], 0.2) << r;
    EXPECT_TRUE(std::isnan(rep.seat_off_s));
    EXPECT_EQ(rep.phases[0].name, "descent");
    EXPECT_EQ(rep.phases[1].name, "ascent");
    if (r > 0) EXPECT_EQ(rep.start_s, s.details.repetitions[r - 1].end_s);
  }
  EXPECT_EQ(s.details.supported_frames, 0);
  EXPECT_TRUE(s.simulation.details.unmeasured_support.empty());
  EXPECT_TRUE(std::isnan(s.details.support_threshold_bw));
}

TEST(Repetitions, KneePeaksAreFiniteDeepAndLeaveTheSeatedFramesOut) {
  for (const char* task : {"sit-to-stand", "squat"}) {
    const RepetitionSimulation& s = simulated(task);
    for (const Repetition& rep : s.details.repetitions)
      for (const RepetitionPhase& phase : rep.phases) {
        const KneePeaks& k = phase.knee;
        ASSERT_GT(k.frames, 0) << task << rep.number << phase.name;
        // Sane: above quiet standing's 1.04 (docs/validation.md) and finite; the knee deeply
        // flexed at the peak (the recordings reach 91-99 deg).
        EXPECT_TRUE(std::isfinite(k.compression_bw));
        EXPECT_GT(k.compression_bw, 1.5) << task << rep.number << phase.name;
        EXPECT_LT(k.compression_bw, 20.0) << task << rep.number << phase.name;
        EXPECT_GE(k.resultant_bw, k.compression_bw);
        EXPECT_GT(k.knee_flexion_deg, 75.0) << task << rep.number << phase.name;
        EXPECT_GE(k.compression_time_s, phase.start_s);
        EXPECT_LE(k.compression_time_s, phase.end_s);
        EXPECT_GE(k.posterior_shear_n, -k.anterior_shear_n);
      }
  }
  // The rise's peak comes after seat-off, within the first 0.3 s (the knee's extension moment peaks
  // just after seat-off).
  for (const Repetition& rep : simulated("sit-to-stand").details.repetitions) {
    EXPECT_GE(rep.phases[0].knee.compression_time_s, rep.seat_off_s);
    EXPECT_LE(rep.phases[0].knee.compression_time_s, rep.seat_off_s + 0.3);
  }
  // The task's summary peak is the largest over the frames the feet alone carry.
  const RepetitionSimulation& s = simulated("sit-to-stand");
  TaskResult result;
  result.options.task = "sit-to-stand";
  result.frames = s.simulation.frames;
  result.gait = s.simulation.details;
  const double weight = typical().tree.total_mass() * kGravity;
  double carried = 0.0, all = 0.0;
  for (std::size_t j = 0; j < result.frames.size(); ++j)
    for (const auto& knee : result.frames[j].loads.knee) {
      all = std::max(all, knee.compression_n / weight);
      if (!result.gait->supported(j)) carried = std::max(carried, knee.compression_n / weight);
    }
  EXPECT_DOUBLE_EQ(summarise(typical(), result).knee_peak_compression_bw, carried);
  // So is its count of frames the muscles cannot hold: the seated ones short are left out.
  int short_carried = 0, short_seated = 0;
  for (std::size_t j = 0; j < result.frames.size(); ++j)
    if (!result.frames[j].feasible) ++(result.gait->supported(j) ? short_seated : short_carried);
  ASSERT_GT(short_seated, 0);  // what the count's rule is tested on
  EXPECT_EQ(summarise(typical(), result).infeasible_frames_in_peaks, short_carried);
  double best = 0.0;
  for (const Repetition& rep : s.details.repetitions) best = std::max(best, rep.knee.compression_bw);
  EXPECT_DOUBLE_EQ(best, carried);
  EXPECT_GE(all, carried);
}

TEST(Repetitions, OneRepetitionAloneMatchesItsPartOfTheWholeRecording) {
  RepetitionSettings one;
  one.motion = motion_settings();
  one.repetition = 3;
  const RepetitionSimulation s =
      simulate_repetitions(typical(), recording("sit-to-stand"), RepetitionKind::sit_to_stand, one);
  ASSERT_EQ(s.details.repetitions.size(), 1u);
  EXPECT_EQ(s.details.repetitions_in_recording, 5);
  const Repetition& alone = s.details.repetitions.front();
  const Repetition& within = simulated("sit-to-stand").details.repetitions[2];
  EXPECT_EQ(alone.number, 3);
  EXPECT_DOUBLE_EQ(alone.seat_off_s, within.seat_off_s);
  EXPECT_DOUBLE_EQ(s.simulation.frames.front().time_s, within.start_s);
  EXPECT_DOUBLE_EQ(s.simulation.frames.back().time_s, within.end_s);
  // The recruitment is warm-started from the frame before, so the two runs may differ slightly.
  EXPECT_NEAR(alone.phases[0].knee.compression_bw, within.phases[0].knee.compression_bw, 1e-3);
  EXPECT_NEAR(alone.phases[1].knee.compression_bw, within.phases[1].knee.compression_bw, 1e-3);
}

TEST(Repetitions, BadInputIsAClearError) {
  RepetitionSettings settings;
  settings.motion = motion_settings();
  settings.repetition = 6;
  try {
    simulate_repetitions(typical(), recording("squat"), RepetitionKind::squat, settings);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("holds 5"), std::string::npos) << e.what();
  }
  settings.repetition = 0;
  // No ground reactions: nothing to carry the body.
  GaitRecording no_forces = recording("squat");
  no_forces.forces.values.setZero();
  EXPECT_THROW(simulate_repetitions(typical(), no_forces, RepetitionKind::squat, settings),
               InputError);
  // The plates' columns named wrongly (the external-forces file's mistake would put both on one).
  GaitRecording wrong_labels = recording("squat");
  wrong_labels.vertical_force_label = {"ground_force_r_vy", "ground_force_l_vy"};
  EXPECT_THROW(simulate_repetitions(typical(), wrong_labels, RepetitionKind::squat, settings),
               InputError);
  // A pelvis that does not rise and fall: no repetition.
  GaitRecording still = recording("squat");
  const int ty = still.coordinates.require("pelvis_ty");
  still.coordinates.values.col(ty).setConstant(0.96);
  try {
    simulate_repetitions(typical(), still, RepetitionKind::squat, settings);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("rises and falls"), std::string::npos) << e.what();
  }
  // The task refuses a repetition the recording cannot have.
  EXPECT_THROW(parse_task_options("squat", {{"rep", "6"}}), InputError);
  EXPECT_THROW(parse_task_options("sit-to-stand", {{"rep", "0"}}), InputError);
}

}  // namespace
}  // namespace pulley::tasks
