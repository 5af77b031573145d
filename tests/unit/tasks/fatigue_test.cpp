// Fatigue in the model and the tasks that tire it: target loads, the fatigued model, the
// trunk-extensor endurance test, repeated sprints, long standing, and the hamstring strain index.
#include "pulley/tasks/fatigue.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "pulley/tasks/gait.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {
namespace {

using model::Model;
using model::MuscleAdjustment;
using model::Subject;

const Model& typical() {
  static const Model m = model::compile_model(Subject{});
  return m;
}

Model with_hamstrings(void (*set)(model::MuscleFactors&)) {
  Subject s;
  MuscleAdjustment h;
  h.target = "hamstrings";
  h.is_group = true;
  set(h.both);
  s.muscles = {h};
  return model::compile_model(s);
}

TEST(ModelFatigue, MusclesTakeTheirJointsRates) {
  EXPECT_EQ(fatigue_joint("hamstrings", "semimembranosus"), muscle::FatigueJoint::knee);
  EXPECT_EQ(fatigue_joint("calves", "soleus"), muscle::FatigueJoint::ankle);
  EXPECT_EQ(fatigue_joint("", "tibialis_anterior"), muscle::FatigueJoint::ankle);
  EXPECT_EQ(fatigue_joint("erector_spinae", "multifidus"), muscle::FatigueJoint::trunk);
  EXPECT_EQ(fatigue_joint("gluteals", "gluteus_maximus"), muscle::FatigueJoint::general);
}

TEST(ModelFatigue, TargetsCountActivationAboveToneOnly) {
  const Model& m = typical();
  Eigen::VectorXd targets;
  muscle_target_loads(m, Eigen::VectorXd::Constant(m.num_units(), m.tone), m.tone, targets);
  EXPECT_EQ(targets.size(), static_cast<Eigen::Index>(m.muscles.size()));
  EXPECT_EQ(targets.maxCoeff(), 0.0);
  muscle_target_loads(m, Eigen::VectorXd::Ones(m.num_units()), m.tone, targets);
  for (Eigen::Index k = 0; k < targets.size(); ++k) EXPECT_NEAR(targets[k], 1.0 - m.tone, 1e-12);
}

TEST(ModelFatigue, FatiguedModelLowersCapacityAndRaisesTone) {
  const Model& m = typical();
  ModelFatigue fatigue(m);
  const int bflh = m.find_muscle("biceps_femoris_long_r");
  fatigue.state[bflh] = {0.0, 0.7, 0.3};
  const Model tired = fatigued_model(m, fatigue);
  for (int i = 0; i < m.num_units(); ++i) {
    const bool hit = m.units[i].muscle == bflh;
    EXPECT_NEAR(tired.units[i].capacity, hit ? 0.7 : 1.0, 1e-12);
    EXPECT_NEAR(tired.units[i].params.passive_scale, hit ? 1.0 + 0.3 * kFatigueToneGain : 1.0,
                1e-12);
    EXPECT_EQ(tired.units[i].params.F_M_max, m.units[i].params.F_M_max);
  }
}

TEST(TrunkEndurance, HoldsUntilTheTiringBackGivesOutAndAWeakerBackSooner) {
  const TaskResult fresh = run_task(typical(), parse_task_options("trunk-endurance", {}));
  ASSERT_TRUE(fresh.fatigue);
  ASSERT_TRUE(fresh.fatigue->endurance_time_s);
  const double t = *fresh.fatigue->endurance_time_s;
  EXPECT_GT(t, 30.0);
  EXPECT_LT(t, 600.0);
  EXPECT_EQ(fresh.infeasible_frames, 0);  // every reported second is held
  EXPECT_EQ(fresh.frames.size(), static_cast<std::size_t>(t));
  // The back muscles tire monotonically while the legs, strapped down, do not.
  const auto& d = *fresh.fatigue;
  const int longissimus = typical().find_muscle("longissimus_r");
  const int soleus = typical().find_muscle("soleus_r");
  for (std::size_t k = 1; k < d.capacity.size(); ++k)
    EXPECT_LE(d.capacity[k][longissimus], d.capacity[k - 1][longissimus] + 1e-12);
  EXPECT_LT(d.capacity.back()[longissimus], 0.9);
  EXPECT_NEAR(d.capacity.back()[soleus], 1.0, 1e-9);
  ASSERT_TRUE(d.after);

  Subject weak;
  MuscleAdjustment back;
  back.target = "erector_spinae";
  back.is_group = true;
  back.both.strength = 0.8;
  weak.muscles = {back};
  const TaskResult weaker =
      run_task(model::compile_model(weak), parse_task_options("trunk-endurance", {}));
  ASSERT_TRUE(weaker.fatigue && weaker.fatigue->endurance_time_s);
  EXPECT_LT(*weaker.fatigue->endurance_time_s, t);
}

TEST(TrunkEndurance, StopsAtTheLimit) {
  const TaskResult r =
      run_task(typical(), parse_task_options("trunk-endurance", {{"limit_s", "20"}}));
  ASSERT_TRUE(r.fatigue);
  EXPECT_FALSE(r.fatigue->endurance_time_s);
  EXPECT_EQ(r.fatigue->duration_s, 20.0);
  EXPECT_EQ(r.frames.size(), 21u);  // 0 to 20 s
}

TEST(RepeatedSprints, TireTheHamstringsAndRaiseTheirStrainIndex) {
  const TaskResult r = run_task(
      typical(), parse_task_options("repeated-sprints", {{"sprints", "3"}, {"frames", "31"},
                                                         {"reserve", "on"}}));
  ASSERT_TRUE(r.fatigue);
  ASSERT_TRUE(r.gait);
  const auto& d = *r.fatigue;
  ASSERT_EQ(d.sprints.size(), 3u);
  EXPECT_EQ(d.duration_s, 3 * 6.0 + 2 * 24.0);
  const std::size_t bflh = 2;  // kHamstringHeads order
  EXPECT_EQ(d.sprints[0].hamstring_capacity[bflh], 1.0);
  EXPECT_LT(d.sprints[2].hamstring_capacity[bflh], d.sprints[1].hamstring_capacity[bflh]);
  EXPECT_LT(d.sprints[1].hamstring_capacity[bflh], 1.0);
  // The next sprint is run tired: its strain index exceeds the first sprint's.
  ASSERT_TRUE(d.after);
  const auto& index = d.after->hamstring_strain_index[bflh];
  EXPECT_EQ(index.fresh, d.sprints[0].hamstring_strain_index[bflh]);
  EXPECT_GT(index.fatigued, index.fresh);
  EXPECT_EQ(r.frames.size(), 31u);
}

TEST(LongStand, SamplesEveryFiveMinutesAndTiresTheBack) {
  const TaskResult r =
      run_task(typical(), parse_task_options("long-stand", {{"duration_min", "30"}}));
  ASSERT_TRUE(r.fatigue);
  EXPECT_EQ(r.frames.size(), 7u);
  EXPECT_EQ(r.frames.back().time_s, 1800.0);
  for (const auto& m : r.fatigue->muscles) {
    EXPECT_GE(m.capacity, 0.0);
    EXPECT_LE(m.capacity, 1.0);
  }
  // The standing back muscles work above tone, so they tire through the half hour.
  const auto& d = *r.fatigue;
  const int longissimus = typical().find_muscle("longissimus_r");
  ASSERT_EQ(d.capacity.size(), 7u);
  EXPECT_LT(d.capacity[1][longissimus], 1.0);
  EXPECT_LT(d.capacity.back()[longissimus], d.capacity[1][longissimus]);
}

// The strain index of each change alone and of all three together, against the typical subject
// in the fastest shipped running stride.
TEST(HamstringStrainIndex, WeakerShorterOrTiredHamstringsRaiseIt) {
  const std::vector<double> speeds = recorded_speeds("run");
  const GaitRecordingInfo& info = find_gait_recording("run", speeds.back());
  const GaitRecording recording = load_gait_recording(info);
  GaitSettings settings;
  settings.frames = 51;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  const std::size_t bflh = 2;
  const auto index = [&](const Model& m) {
    return simulate_gait(m, recording, settings).details.hamstrings[bflh].strain_index.value;
  };
  const double base = index(typical());
  ASSERT_GT(base, 0.0);
  const double weaker = index(with_hamstrings([](model::MuscleFactors& f) { f.strength = 0.8; }));
  const double shorter =
      index(with_hamstrings([](model::MuscleFactors& f) { f.fascicle_length = 0.85; }));
  ModelFatigue fatigue(typical());
  for (int m = 0; m < fatigue.num_muscles(); ++m)
    if (typical().muscles[m].group == "hamstrings") fatigue.state[m] = {0.0, 0.8, 0.2};
  const double tired = index(fatigued_model(typical(), fatigue));
  EXPECT_GT(weaker, 1.1 * base);
  EXPECT_GT(shorter, 1.05 * base);
  EXPECT_GT(tired, 1.1 * base);
  Model all = with_hamstrings([](model::MuscleFactors& f) {
    f.strength = 0.8;
    f.fascicle_length = 0.85;
  });
  ModelFatigue all_fatigue(all);
  for (int m = 0; m < all_fatigue.num_muscles(); ++m)
    if (all.muscles[m].group == "hamstrings") all_fatigue.state[m] = {0.0, 0.8, 0.2};
  const double together = index(fatigued_model(all, all_fatigue));
  EXPECT_GT(together, std::max({weaker, shorter, tired}));
}

}  // namespace
}  // namespace pulley::tasks
