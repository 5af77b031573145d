#include "pulley/tasks/quasi_static.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {
namespace {

const model::Model& default_model() {
  static const model::Model m = model::compile_model(model::Subject{});
  return m;
}

PostureVector degrees(std::initializer_list<double> deg) {
  PostureVector p;
  int k = 0;
  for (double d : deg) p[k++] = deg_to_rad(d);
  return p;
}

TEST(PostureMap, PrescribedThoraxAngleHoldsForAnyFreeCoordinates) {
  FrameEquations eq(default_model());
  eq.set_conditions({});
  PostureVector prescribed = PostureVector::Constant(std::nan(""));
  prescribed[kKnee] = deg_to_rad(20.0);
  const double thorax = deg_to_rad(-50.0);
  const PostureVector lo = PostureVector::Constant(-1.0), hi = PostureVector::Constant(1.0);
  const PostureMap map = make_posture_map(eq, prescribed, thorax, lo, hi, true);
  ASSERT_EQ(map.num_free(), 6);  // ankle and the five lumbar levels; knee fixed, hip eliminated
  for (const double shift : {-0.2, 0.0, 0.3}) {
    const Eigen::VectorXd z = Eigen::VectorXd::Constant(6, shift);
    const PostureVector p = posture_from(map, z);
    EXPECT_NEAR(p[kKnee], deg_to_rad(20.0), 1e-15);
    eq.evaluate_kinematics(p);
    EXPECT_NEAR(eq.data.kin.theta_WB[default_model().body.thorax], thorax, 1e-12);
  }
}

// The passive-tissue term's gradient (one directional difference, using the symmetry of the
// passive stiffness) against central differences of the term itself, at a flexed posture where
// the segments, the hamstrings' passive force and the joint limits all carry load.
TEST(PassiveEffort, GradientMatchesDifferences) {
  const model::Model& m = default_model();
  ASSERT_GT(m.passive_load_reference, 0.0);
  FrameEquations eq(m), probe(m);
  eq.set_conditions({});
  probe.set_conditions({});
  PassiveEffortScratch scratch(m);
  const PostureVector p = degrees({-6, 10, 75, 10, 5, 0, -2, -5});  // hips and lumbar spine flexed
  eq.evaluate(p);
  passive_effort(m, eq.data);  // the gradient reads the passive loads it computes
  const PostureVector g = passive_effort_gradient(m, eq, scratch);
  const double h = 1e-6;
  for (int k = 0; k < kNumPosture; ++k) {
    PostureVector dp = PostureVector::Zero();
    dp[k] = h;
    probe.evaluate(p + dp);
    const double up = passive_effort(m, probe.data);
    probe.evaluate(p - dp);
    const double down = passive_effort(m, probe.data);
    const double fd = (up - down) / (2.0 * h);
    EXPECT_NEAR(g[k], fd, 1e-4 * std::abs(fd) + 1e-9) << "posture coordinate " << k;
  }
  EXPECT_GT(g.norm(), 0.0);
}

// The passive load at a joint is its segment or limit moment plus every unit's passive moment;
// at a flexed hip with the knee straight it comes mostly from the stretched hamstrings.
TEST(PassiveEffort, HipLoadComesFromStretchedHamstrings) {
  const model::Model& m = default_model();
  FrameEquations eq(m);
  eq.set_conditions({});
  eq.evaluate(degrees({0, 0, 80, 20, 15, 10, 8, 4}));
  model::calc_passive_load(m, eq.data);
  const int hip = m.coord.hip[0];
  double all = eq.data.Q_passive[hip], hamstrings = 0.0;
  for (int i = 0; i < m.num_units(); ++i) {
    const double force = model::rigid_tendon_passive_force(
        m.units[i].params, muscle::fibre_height(m.units[i].params), eq.data.l_MT[i]);
    // Both legs alike: a twin's force is taken from its pair, and must be the same number.
    EXPECT_EQ(eq.data.passive_force[i], force) << m.units[i].name;
    const double moment = eq.data.moment_arms(hip, i) * force;
    all += moment;
    if (m.muscles[m.units[i].muscle].group == "hamstrings") hamstrings += moment;
  }
  EXPECT_NEAR(eq.data.passive_load[hip], all, 1e-9 * std::abs(all));
  EXPECT_LT(eq.data.passive_load[hip], -20.0);  // resists flexion (N m)
  EXPECT_LT(hamstrings, 0.5 * eq.data.passive_load[hip]);  // more than half of it
}

TEST(PostureSolver, StandingMapGivesTheStandingSolution) {
  const StandingResult standing = solve_standing(default_model());
  ASSERT_EQ(standing.status, SolveStatus::converged);
  PostureSolver solver(default_model(), Support::feet);
  PostureMap map;
  map.B = Eigen::MatrixXd::Identity(kNumPosture, kNumPosture);
  map.lower = PostureVector::Constant(-1.0);
  map.upper = PostureVector::Constant(1.5);
  map.balance = true;
  const FrameSolution s =
      solver.solve({}, map, degrees({5, 5, 5, 20, 15, 10, 8, 4}));
  EXPECT_NEAR(rad_to_deg(s.p[kHip]), standing.posture.hip_flexion_deg[0], 0.05);
  EXPECT_NEAR(rad_to_deg(s.p.tail<5>().sum()), standing.posture.lumbar_lordosis_deg, 0.05);
}

TEST(PostureSolver, BalanceIncludesTheHandLoad) {
  PostureSolver solver(default_model(), Support::feet);
  FrameConditions cond;
  cond.load.mass_kg = 20.0;
  cond.load.p_thorax = skeleton::Vec2(0.4, 0.2);  // well ahead of the trunk
  FrameEquations& eq = solver.equations();
  eq.set_conditions(cond);
  const PostureVector lo = degrees({-30, -10, -30, -30, -30, -30, -30, -30});
  const PostureVector hi = degrees({40, 140, 140, 45, 45, 45, 45, 45});
  const PostureMap map = make_posture_map(eq, PostureVector::Constant(std::nan("")),
                                          std::nan(""), lo, hi, true);
  const FrameSolution s = solver.solve(cond, map, degrees({5, 5, 5, 20, 15, 10, 8, 4}));
  eq.evaluate_kinematics(s.p);
  EXPECT_NEAR(eq.com_offset(nullptr), default_model().com_anterior_to_ankle, 1e-9);
  EXPECT_LT(s.unmet.cwiseAbs().maxCoeff(), 1e-3);
  // The body leans back to carry a load held in front.
  FrameConditions none;
  eq.set_conditions(none);
  eq.evaluate_kinematics(s.p);
  EXPECT_LT(eq.com_offset(nullptr), default_model().com_anterior_to_ankle - 0.01);
}

TEST(FrameEquations, BedCarriesTheWeight) {
  FrameEquations eq(default_model());
  FrameConditions bed;
  bed.support = Support::bed;
  eq.set_conditions(bed);
  eq.evaluate(degrees({0, 0, 0, 24, 16, 12, 7, 4}));
  EXPECT_EQ(eq.first_row(), kL5S1);
  EXPECT_EQ(eq.Q_external.norm(), 0.0);
}

}  // namespace
}  // namespace pulley::tasks
