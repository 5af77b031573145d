// sides_alike: a compiled model's sides are alike until a subject entry or a change to one side's
// muscles, path, leg or joint limits sets them apart, whichever side is changed.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "pulley/model/model.hpp"

namespace pulley::model {
namespace {

const Model& typical() {
  static const Model m = compile_model(Subject{});
  return m;
}

int first_unit_of(const Model& m, const std::string& muscle) {
  return m.muscles[static_cast<std::size_t>(m.find_muscle(muscle))].units.front();
}

TEST(SidesAlike, ACompiledSubjectWithoutPerSideEntriesHasTwinSides) {
  EXPECT_TRUE(sides_alike(typical()));
  Subject s;
  s.sex = Sex::female;
  s.height_m = 1.62;
  s.mass_kg = 58.0;
  MuscleAdjustment both;
  both.target = "hamstrings";
  both.is_group = true;
  both.both.strength = 0.7;
  s.muscles = {both};
  EXPECT_TRUE(sides_alike(compile_model(s)));
}

TEST(SidesAlike, APerSideFactorSetsThemApart) {
  for (const bool right : {true, false}) {
    Subject s;
    MuscleAdjustment one;
    one.target = "semimembranosus";
    (right ? one.right : one.left).stiffness = 1.5;
    s.muscles = {one};
    EXPECT_FALSE(sides_alike(compile_model(s))) << (right ? "right" : "left");
  }
}

// Each change, made to either side of the typical model, sets the sides apart.
TEST(SidesAlike, AChangeToOneSideSetsThemApart) {
  const std::vector<std::pair<std::string, std::function<void(Model&, const std::string&)>>>
      changes = {
          {"unit capacity",
           [](Model& m, const std::string& sfx) {
             m.units[first_unit_of(m, "vasti" + sfx)].capacity = 0.5;
           }},
          {"trunk unit's tendon",
           [](Model& m, const std::string& sfx) {
             m.units[first_unit_of(m, "multifidus" + sfx)].params.l_T_slack *= 1.01;
           }},
          {"path point",
           [](Model& m, const std::string& sfx) {
             m.units[first_unit_of(m, "gracilis" + sfx)].path.points.back().p_B.x() += 1e-3;
           }},
          {"wrap radius",
           [](Model& m, const std::string& sfx) {
             auto& circles = m.units[first_unit_of(m, "semimembranosus" + sfx)].path.circles;
             ASSERT_FALSE(circles.empty());
             circles.front().radius *= 1.1;
           }},
          {"joint limit",
           [](Model& m, const std::string& sfx) {
             const int knee = m.coord.knee[sfx == "_r" ? 0 : 1];
             for (JointLimit& l : m.limits)
               if (l.coordinate == knee) l.k1 *= 2.0;
           }},
          {"hip ligaments",
           [](Model& m, const std::string& sfx) {
             const int hip = m.coord.hip[sfx == "_r" ? 0 : 1];
             for (JointLigament& l : m.ligaments)
               if (l.coordinate == hip) l.stiffness_nm *= 2.0;
           }},
      };
  for (const auto& [what, change] : changes)
    for (const std::string sfx : {"_r", "_l"}) {
      Model m = typical();
      change(m, sfx);
      EXPECT_FALSE(sides_alike(m)) << what << sfx;
    }
}

TEST(SidesAlike, AHeavierLegSetsThemApart) {
  const Model& t = typical();
  std::vector<skeleton::BodySpec> bodies;
  for (int b = 0; b < t.tree.num_bodies(); ++b) bodies.push_back(t.tree.body(b));
  bodies[static_cast<std::size_t>(t.body.tibia[1])].mass *= 1.05;
  Model m = t;
  m.tree = skeleton::PlanarTree(bodies);
  EXPECT_FALSE(sides_alike(m));
}

}  // namespace
}  // namespace pulley::model
