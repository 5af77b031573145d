// Gait dynamics on the shipped recordings: the recorded subject's mass and size recovered, stance
// where the foot is loaded, residuals, loads in stance and swing, and the hamstrings' mechanics.
#include "pulley/tasks/gait_dynamics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {
namespace {

const model::Model& typical() {
  static const model::Model m = model::compile_model(model::Subject{});
  return m;
}

std::array<double, 5> standing_lumbar(const model::Model& m) {
  const StandingResult s = solve_standing(m);
  std::array<double, 5> lumbar{};
  for (int l = 0; l < 5; ++l) lumbar[l] = s.q[m.coord.lumbar[l]];
  return lumbar;
}

GaitSimulation simulate(const char* activity, double speed, bool standing_base = true) {
  const GaitRecordingInfo& info = find_gait_recording(activity, speed);
  GaitSettings settings;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  if (standing_base) settings.lumbar_base = standing_lumbar(typical());
  return simulate_gait(typical(), load_gait_recording(info), settings);
}

double stance_share(const GaitSimulation& g) {
  int stance = 0;
  for (std::size_t j = 0; j + 1 < g.frames.size(); ++j) stance += g.frames[j].phase == "stance";
  return static_cast<double>(stance) / static_cast<double>(g.frames.size() - 1);
}

TEST(GaitDynamics, WalkingStrideRecoversTheRecordedSubjectAndLoadsTheStanceLeg) {
  const GaitSimulation g = simulate("walk", 1.25);
  const GaitDetails& d = g.details;
  const double weight = typical().tree.total_mass() * kGravity;
  ASSERT_EQ(g.frames.size(), 101u);
  // models/motion/README.md: about 77.7 kg from the mean vertical force over a stride.
  EXPECT_NEAR(d.recorded_mass_kg, 77.7, 0.03 * 77.7);
  EXPECT_GT(d.size_ratio, 0.9);
  EXPECT_LT(d.size_ratio, 1.1);
  EXPECT_LT(d.size_fit_rms_m, 0.02);
  // Stance lasts from the strike to the recorded right force's fall through 20 N (1.024 s in
  // grf_walk.mot, by inspection of the file): about two-thirds of this stride.
  EXPECT_NEAR(stance_share(g), (1.024 - d.stride.start_s) / d.stride.duration(), 0.011);
  double residual = 0.0;
  for (const auto& r : d.pelvis_residual) residual = std::max(residual, r.head<2>().norm());
  // chosen: a guard against a misplaced ground reaction (a reaction on the wrong foot or scaled
  // twice leaves about body weight); the walk leaves 16 % (docs/validation.md).
  EXPECT_LT(residual, 0.25 * weight);
  // The right knee carries more than body weight in mid-stance and less in mid-swing.
  EXPECT_GT(g.frames[15].loads.knee[0].compression_n, weight);
  EXPECT_LT(g.frames[80].loads.knee[0].compression_n, weight);
  EXPECT_EQ(d.ground_force_n[80][0].norm(), 0.0);
  for (const auto& m : d.hamstrings) {
    EXPECT_GE(m.negative_work_j, 0.0) << m.head;
    for (std::size_t j = 0; j < g.frames.size(); ++j) {
      EXPECT_TRUE(std::isfinite(m.fibre_strain[j])) << m.head;
      EXPECT_GE(m.force_n[j], 0.0) << m.head;
    }
  }
}

TEST(GaitDynamics, RunningStanceIsShortAndTheHamstringsPeakInLateSwing) {
  const GaitSimulation g = simulate("run", 3.0);
  // AddBiomechanics subject01: 72.84 kg (models/motion/README.md).
  EXPECT_NEAR(g.details.recorded_mass_kg, 72.84, 0.02 * 72.84);
  // Running stance is well under half the stride (Novacheck TF 1998, Gait Posture 7:77).
  EXPECT_LT(stance_share(g), 0.45);
  const HamstringMechanics& bf = g.details.hamstrings[2];
  ASSERT_EQ(bf.head, "biceps_femoris_long");
  const double t = bf.peak_stretch_pct.time_pct_cycle;
  EXPECT_TRUE(t >= 80.0 || t <= 5.0) << t;
  // The biceps femoris long head brakes the swinging leg: most of the work it absorbs over the
  // stride, it absorbs in late swing (70-100 % of the cycle; Chumanov et al. 2011 put the
  // hamstrings' negative work there).
  const double dt = g.details.stride.duration() / (g.frames.size() - 1);
  double late_swing = 0.0;
  for (std::size_t j = 70; j + 1 < g.frames.size(); ++j)
    late_swing += 0.5 * dt *
                  (bf.force_n[j] * std::max(bf.lengthening_m_s[j], 0.0) +
                   bf.force_n[j + 1] * std::max(bf.lengthening_m_s[j + 1], 0.0));
  EXPECT_GT(bf.negative_work_j, 0.0);
  EXPECT_GT(late_swing, 0.5 * bf.negative_work_j);
}

// A stride's first frame follows the motion before it (stride_history_frames). The walking
// recording is read as periodic, so the first frame and the last, the same phase, follow the
// same motion and must agree; the two frames before the last that earlier builds solved as the
// first frame's history left the left soleus 175 N off the last frame's.
TEST(GaitDynamics, AStridesFirstFrameFollowsTheMotionBeforeIt) {
  EXPECT_EQ(stride_history_frames(101), 25);
  EXPECT_EQ(stride_history_frames(51), 13);
  const GaitSimulation walk = simulate("walk", 1.25);
  const FrameResult& first = walk.frames.front();
  const FrameResult& last = walk.frames.back();
  double largest = 0.0;
  for (int i = 0; i < typical().num_units(); ++i)
    largest = std::max(largest, std::abs(first.force_n[i] - last.force_n[i]));
  EXPECT_LT(largest, 0.05);  // N; 0.0004 N measured
  // The 4 m/s run's recording holds the motion before the stride (models/motion/README.md): its
  // first frame follows it, where reading the stride's own last frames as its history left the
  // left hip 11.8 N m short there, the recording being no exact repeat.
  const GaitSimulation run = simulate("run", 4.0);
  for (const double u : run.details.unmet_nm.front()) EXPECT_LT(std::abs(u), kUnmetToleranceNm);
}

// The history's frames are smoothed like the stride's but take no part in the size fit: the fit
// over the frames from `fitted_from` on is the fit of those frames alone.
TEST(GaitDynamics, TheSizeFitLeavesOutTheFramesBeforeFittedFrom) {
  const GaitRecordingInfo& info = find_gait_recording("run", 3.0);
  const GaitRecording recording = load_gait_recording(info);
  MotionSettings settings;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  // 0.3 to 0.7 s of the recording, the first 20 frames (to 0.49 s) standing for a history: their
  // contacts, were they fitted, would move the fit.
  std::vector<double> times;
  for (int j = 0; j <= 40; ++j) times.push_back(0.3 + 0.01 * j);
  const PreparedMotion with_history = prepare_motion(typical(), recording, times, settings, 20);
  const PreparedMotion alone = prepare_motion(
      typical(), recording, std::vector<double>(times.begin() + 20, times.end()), settings);
  const PreparedMotion all = prepare_motion(typical(), recording, times, settings);
  ASSERT_EQ(with_history.frames.size(), times.size());
  EXPECT_EQ(with_history.size_ratio, alone.size_ratio);
  EXPECT_EQ(with_history.size_fit_rms_m, alone.size_fit_rms_m);
  EXPECT_NE(with_history.size_ratio, all.size_ratio);  // the history's contacts would move it
  for (std::size_t j = 20; j < times.size(); ++j)
    EXPECT_EQ(with_history.frames[j].q, alone.frames[j - 20].q) << j;
}

GaitSimulation simulate_run_at_3(bool settle) {
  const GaitRecordingInfo& info = find_gait_recording("run", 3.0);
  GaitSettings settings;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  settings.lumbar_base = standing_lumbar(typical());
  settings.settle_lumbar_levels = settle;
  return simulate_gait(typical(), load_gait_recording(info), settings);
}

double worst_lumbar_unmet(const GaitSimulation& g) {
  double worst = 0.0;
  for (const auto& u : g.details.unmet_nm)
    for (int l = 6; l < 11; ++l) worst = std::max(worst, std::abs(u[l]));
  return worst;
}

// The largest turn of any lumbar level from the recorded split, over the frames (rad).
double largest_settling(const GaitSimulation& settled, const GaitSimulation& held) {
  double largest = 0.0;
  for (std::size_t j = 0; j < settled.frames.size(); ++j)
    for (const int c : typical().coord.lumbar)
      largest = std::max(largest, std::abs(settled.frames[j].q[c] - held.frames[j].q[c]));
  return largest;
}

TEST(GaitDynamics, StandingLumbarShapeLetsTheMusclesHoldTheTrunkInWalking) {
  // Spread over each level's neutral, the recording's lumbar extension leaves the levels a shape
  // their muscles cannot balance, and the levels must settle far from it; from the subject's
  // standing shape the muscles hold every level where the recording puts it.
  const auto walk = [](bool standing_base, bool settle) {
    const GaitRecordingInfo& info = find_gait_recording("walk", 1.25);
    GaitSettings settings;
    settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
    if (standing_base) settings.lumbar_base = standing_lumbar(typical());
    settings.settle_lumbar_levels = settle;
    return simulate_gait(typical(), load_gait_recording(info), settings);
  };
  const GaitSimulation standing = walk(true, true);
  EXPECT_LT(worst_lumbar_unmet(standing), kUnmetToleranceNm);
  EXPECT_EQ(largest_settling(standing, walk(true, false)), 0.0);
  const GaitSimulation neutral_held = walk(false, false);
  EXPECT_GT(worst_lumbar_unmet(neutral_held), 1.0);
  EXPECT_GT(largest_settling(walk(false, true), neutral_held), deg_to_rad(1.0));
}

// Running at 3 m/s from the standing shape, the recorded split leaves the muscles short at the
// lumbar levels in about a third of the stride (docs/gait.md, "Lumbar levels that settle").
// Settled, the muscles meet every lumbar moment, the levels' sum (and so the thorax) stays as
// recorded, and only the frames the muscles could not hold move.
TEST(GaitDynamics, LumbarLevelsSettleWhereTheMusclesFallShortAtTheRecordedSplit) {
  const GaitSimulation held = simulate_run_at_3(false), settled = simulate_run_at_3(true);
  EXPECT_GT(worst_lumbar_unmet(held), 0.5);
  EXPECT_LT(worst_lumbar_unmet(settled), kUnmetToleranceNm);
  int moved = 0;
  for (std::size_t j = 0; j < held.frames.size(); ++j) {
    double sum_held = 0.0, sum_settled = 0.0;
    for (const int c : typical().coord.lumbar) {
      sum_held += held.frames[j].q[c];
      sum_settled += settled.frames[j].q[c];
    }
    EXPECT_NEAR(sum_settled, sum_held, 1e-12) << j;
    // Only the frames the muscles could not hold move, and every frame they fell clearly short
    // in does (chosen: 0.1 N m, ten times the tolerance, so that a frame at the threshold, whose
    // start differs between the two runs, decides neither).
    double held_worst = 0.0;
    for (int l = 6; l < 11; ++l)
      held_worst = std::max(held_worst, std::abs(held.details.unmet_nm[j][l]));
    const bool frame_moved = (settled.frames[j].q - held.frames[j].q).cwiseAbs().maxCoeff() > 0.0;
    if (frame_moved) EXPECT_GT(held_worst, kUnmetToleranceNm) << j;
    if (held_worst > 0.1) EXPECT_TRUE(frame_moved) << j;
    moved += frame_moved;
  }
  EXPECT_GT(moved, 10);
  // chosen: 8 deg, a guard against a settling that runs away (the largest turn measured here is
  // 5.2 deg, docs/gait.md; 6.0-6.7 deg in the 4 and 5 m/s runs and the rise from a chair).
  EXPECT_LT(largest_settling(settled, held), deg_to_rad(8.0));
}

// The task parameter reaches the recorded repetitions: rising from a chair, the recorded split
// leaves frames short at the lumbar levels (up to 10.5 N m after seat-off; docs/tasks.md), the
// settled levels none.
TEST(GaitDynamics, SitToStandTakesTheLumbarSetting) {
  const auto lumbar_short_frames = [](const char* lumbar) {
    const TaskResult r = run_task(
        typical(), parse_task_options("sit-to-stand", {{"lumbar", lumbar}, {"reserve", "on"}}));
    int frames = 0;
    for (const auto& u : r.gait->unmet_nm) {
      double worst = 0.0;
      for (int l = 6; l < 11; ++l) worst = std::max(worst, std::abs(u[l]));
      frames += worst > kUnmetToleranceNm;
    }
    return frames;
  };
  EXPECT_GT(lumbar_short_frames("recorded"), 100);
  EXPECT_EQ(lumbar_short_frames("settle"), 0);
}

// Near toe-off the hip needs about 60 N m of flexion with the thigh behind the body (docs/
// validation.md, Gait: dynamics). Iliacus, psoas and rectus femoris alone left it up to 11.8 N m
// short in 14 frames; with the accessory hip flexors (adductor longus, gracilis, sartorius,
// tensor fasciae latae) the muscles meet every joint moment of the walking stride, and the
// adductor longus, the strongest of them in hip extension, works there.
TEST(GaitDynamics, AccessoryHipFlexorsHoldTheWalkingHipNearToeOff) {
  const GaitSimulation g = simulate("walk", 1.25);
  double worst = 0.0;
  for (const auto& u : g.details.unmet_nm)
    for (const double m : u) worst = std::max(worst, std::abs(m));
  EXPECT_LT(worst, kUnmetToleranceNm);
  const int longus = typical().find_muscle("adductor_longus_r");
  ASSERT_GE(longus, 0);
  const int unit = typical().muscles[longus].units.front();
  double most = 0.0;
  for (std::size_t j = 40; j <= 60; ++j) most = std::max(most, g.frames[j].activation[unit]);
  EXPECT_GT(most, 0.5);
}

// Hamstring-quadriceps co-contraction in walking: every hamstring and quadriceps unit stays at or
// above the floor, the knee is pressed harder, and the hamstrings draw the tibia back.
TEST(GaitDynamics, CoContractionRaisesKneeCompressionAndDrawsTheTibiaBack) {
  const GaitRecordingInfo& info = find_gait_recording("walk", 1.25);
  const GaitRecording recording = load_gait_recording(info);
  GaitSettings settings;
  settings.frames = 51;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  settings.lumbar_base = standing_lumbar(typical());
  const GaitSimulation free = simulate_gait(typical(), recording, settings);
  settings.cocontraction = 0.1;
  const GaitSimulation held = simulate_gait(typical(), recording, settings);
  const model::Model& m = typical();
  double compression[2] = {0, 0}, most_posterior[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    const GaitSimulation& g = k == 0 ? free : held;
    for (const FrameResult& f : g.frames) {
      compression[k] = std::max(compression[k], f.loads.knee[0].compression_n);
      most_posterior[k] = std::min(most_posterior[k], f.loads.knee[0].anterior_shear_n);
      if (k == 0) continue;
      for (int i = 0; i < m.num_units(); ++i) {
        const std::string& group = m.muscles[m.units[i].muscle].group;
        if (group == "hamstrings" || group == "quadriceps")
          ASSERT_GE(f.activation[i], 0.1 - 1e-9) << m.units[i].name;
      }
    }
  }
  EXPECT_GT(compression[1], 1.1 * compression[0]);
  EXPECT_LT(most_posterior[1], most_posterior[0] - 100.0);
}

TEST(GaitDynamics, UnrecordedSpeedsAndMissingRecordingsAreClearErrors) {
  try {
    find_gait_recording("run", 3.5);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("2, 3, 4 or 5"), std::string::npos) << e.what();
  }
  EXPECT_THROW(find_gait_recording("hop", 1.0), InputError);
  GaitRecording no_forces = load_gait_recording(find_gait_recording("walk", 1.25));
  no_forces.forces.values.setZero();
  EXPECT_THROW(simulate_gait(typical(), no_forces), InputError);
}

}  // namespace
}  // namespace pulley::tasks
