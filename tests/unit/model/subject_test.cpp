#include "pulley/model/subject.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pulley::model {
namespace {

MuscleAdjustment entry(std::string target, bool is_group) {
  MuscleAdjustment m;
  m.target = std::move(target);
  m.is_group = is_group;
  return m;
}

TEST(ResolveFactors, DefaultsToOne) {
  const Subject s;
  const ResolvedFactors f = resolve_factors(s, "semimembranosus", "hamstrings", Side::right);
  EXPECT_EQ(f.strength, 1.0);
  EXPECT_EQ(f.length, 1.0);
  EXPECT_EQ(f.stiffness, 1.0);
  EXPECT_EQ(f.capacity, 1.0);
}

// One field at every level: each level, when present, beats all lower ones.
TEST(ResolveFactors, PrecedenceOfTheFourLevels) {
  MuscleAdjustment group = entry("hamstrings", true);
  MuscleAdjustment muscle = entry("semimembranosus", false);
  group.both.strength = 0.4;
  group.right.strength = 0.5;
  muscle.both.strength = 0.6;
  muscle.right.strength = 0.7;
  Subject s;
  s.muscles = {muscle, group};  // order in the file does not matter
  const auto strength = [&](Side side) {
    return resolve_factors(s, "semimembranosus", "hamstrings", side).strength;
  };
  EXPECT_EQ(strength(Side::right), 0.7);  // muscle side
  EXPECT_EQ(strength(Side::left), 0.6);   // muscle both
  s.muscles[0].both.strength.reset();
  EXPECT_EQ(strength(Side::right), 0.7);
  EXPECT_EQ(strength(Side::left), 0.4);  // group both (no group left)
  s.muscles[0].right.strength.reset();
  EXPECT_EQ(strength(Side::right), 0.5);  // group side
  s.muscles[1].right.strength.reset();
  EXPECT_EQ(strength(Side::right), 0.4);  // group both
  s.muscles[1].both.strength.reset();
  EXPECT_EQ(strength(Side::right), 1.0);  // default
  // Muscle both beats group side.
  s.muscles[1].right.strength = 0.5;
  s.muscles[0].both.strength = 0.6;
  EXPECT_EQ(strength(Side::right), 0.6);
}

// Each field resolves on its own: a higher level that leaves a field unset does not hide a lower
// level's value for it.
TEST(ResolveFactors, FieldByField) {
  MuscleAdjustment group = entry("hamstrings", true);
  group.both = {0.5, 0.9, 2.0};
  group.right.length = 0.95;
  MuscleAdjustment muscle = entry("semimembranosus", false);
  muscle.both.stiffness = 3.0;
  muscle.right.strength = 1.5;
  group.left.capacity = 0.5;
  muscle.right.capacity = 0.0;
  Subject s;
  s.muscles = {group, muscle};

  const ResolvedFactors right = resolve_factors(s, "semimembranosus", "hamstrings", Side::right);
  EXPECT_EQ(right.strength, 1.5);   // muscle right
  EXPECT_EQ(right.length, 0.95);    // group right
  EXPECT_EQ(right.stiffness, 3.0);  // muscle both
  EXPECT_EQ(right.capacity, 0.0);   // muscle right
  const ResolvedFactors left = resolve_factors(s, "semimembranosus", "hamstrings", Side::left);
  EXPECT_EQ(left.strength, 0.5);
  EXPECT_EQ(left.length, 0.9);
  EXPECT_EQ(left.stiffness, 3.0);
  EXPECT_EQ(left.capacity, 0.5);  // group left
  // Another muscle of the group gets only the group's factors.
  const ResolvedFactors other = resolve_factors(s, "semitendinosus", "hamstrings", Side::right);
  EXPECT_EQ(other.strength, 0.5);
  EXPECT_EQ(other.length, 0.95);
  EXPECT_EQ(other.stiffness, 2.0);
  EXPECT_EQ(other.capacity, 1.0);
}

TEST(ResolveFactors, OnlyMatchingEntriesApply) {
  MuscleAdjustment quads = entry("quadriceps", true);
  quads.both.strength = 2.0;
  MuscleAdjustment vasti = entry("vasti", false);
  vasti.both.length = 0.9;
  // A muscle entry never acts as a group entry, even if a caller names it as a group.
  MuscleAdjustment not_group = entry("calves", false);
  not_group.both.stiffness = 4.0;
  Subject s;
  s.muscles = {quads, vasti, not_group};

  const ResolvedFactors ta = resolve_factors(s, "tibialis_anterior", "", Side::left);
  EXPECT_EQ(ta.strength, 1.0);
  EXPECT_EQ(ta.length, 1.0);
  EXPECT_EQ(ta.stiffness, 1.0);
  const ResolvedFactors soleus = resolve_factors(s, "soleus", "calves", Side::left);
  EXPECT_EQ(soleus.stiffness, 1.0);
  const ResolvedFactors rf = resolve_factors(s, "rectus_femoris", "quadriceps", Side::left);
  EXPECT_EQ(rf.strength, 2.0);
  EXPECT_EQ(rf.length, 1.0);
}

TEST(ResolveFactors, LaterEntryForTheSameTargetWins) {
  MuscleAdjustment first = entry("psoas", false);
  first.both.strength = 0.5;
  first.both.length = 0.9;
  MuscleAdjustment second = entry("psoas", false);
  second.both.strength = 0.7;
  Subject s;
  s.muscles = {first, second};
  const ResolvedFactors f = resolve_factors(s, "psoas", "hip_flexors", Side::right);
  EXPECT_EQ(f.strength, 0.7);
  EXPECT_EQ(f.length, 0.9);
}

TEST(MeasuredTests, KeysReadBackToTheirTests) {
  for (int k = 0; k < kNumMeasuredTests; ++k) {
    const auto test = static_cast<MeasuredTest>(k);
    EXPECT_EQ(measured_test_from(to_string(test)), test) << to_string(test);
  }
  EXPECT_FALSE(measured_test_from("straight_leg_raise"));  // a stem, not a key
  EXPECT_FALSE(measured_test_from(""));
}

}  // namespace
}  // namespace pulley::model
