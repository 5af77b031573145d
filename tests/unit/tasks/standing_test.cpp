#include "pulley/tasks/standing.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"

namespace pulley::tasks {
namespace {

using model::Model;

const Model& default_model() {
  static const Model m = model::compile_model(model::Subject{});
  return m;
}

TEST(StandingConfiguration, JacobianMatchesFiniteDifferences) {
  const Model& m = default_model();
  Eigen::VectorXd p(8);
  p << 0.05, 0.1, 0.2, 0.3, 0.25, 0.2, 0.1, 0.05;
  Eigen::VectorXd q, qp, qm;
  Eigen::MatrixXd J;
  standing_configuration(m, p, q, &J);
  const double h = 1e-6;
  for (int k = 0; k < 8; ++k) {
    Eigen::VectorXd pp = p, pm = p;
    pp[k] += h;
    pm[k] -= h;
    standing_configuration(m, pp, qp);
    standing_configuration(m, pm, qm);
    const Eigen::VectorXd fd = (qp - qm) / (2 * h);
    EXPECT_LT((fd - J.col(k)).cwiseAbs().maxCoeff(), 1e-7) << "column " << k;
  }
}

TEST(StandingConfiguration, FeetStayFlatOnTheGround) {
  const Model& m = default_model();
  Eigen::VectorXd p(8);
  p << 0.1, 0.3, 0.4, 0.3, 0.2, 0.2, 0.1, 0.0;
  Eigen::VectorXd q;
  standing_configuration(m, p, q);
  skeleton::Kinematics kin;
  skeleton::calc_kinematics(m.tree, q, kin);
  for (int k = 0; k < 2; ++k) {
    const int foot = m.body.foot[k];
    EXPECT_NEAR(kin.theta_WB[foot], 0.0, 1e-12);
    EXPECT_NEAR(kin.p_WJ[foot].x(), 0.0, 1e-12);
    EXPECT_NEAR(kin.p_WJ[foot].y(), -m.sole_y, 1e-12);
  }
}

TEST(Standing, DefaultSubjectConvergesToABalancedPosture) {
  const Model& m = default_model();
  const StandingResult r = solve_standing(m);
  ASSERT_EQ(r.status, SolveStatus::converged) << r.message;
  EXPECT_LT(r.residual_nm, 1e-4);
  // PI = PT + SS holds and the measured PI is the subject's.
  EXPECT_NEAR(r.posture.pelvic_tilt_deg + r.posture.sacral_slope_deg,
              r.posture.pelvic_incidence_deg, 1e-9);
  EXPECT_NEAR(r.posture.pelvic_incidence_deg, 52.0, 1e-6);
  EXPECT_NEAR(r.posture.com_anterior_to_ankle_m, m.com_anterior_to_ankle, 1e-5);
  // The feet carry the body weight, shared equally by a symmetric subject.
  const double weight = m.tree.total_mass() * kGravity;
  EXPECT_NEAR(r.ground_force_n[0] + r.ground_force_n[1], weight, 1e-6 * weight);
  EXPECT_NEAR(r.ground_force_n[0], r.ground_force_n[1], 1e-3 * weight);
  for (int i = 0; i < m.num_units(); ++i) {
    EXPECT_TRUE(std::isfinite(r.force_n[i]));
    EXPECT_GE(r.activation[i], m.tone - 1e-9);
    EXPECT_LE(r.activation[i], 1.0 + 1e-9);
  }
  for (const auto& l : r.lumbar) {
    EXPECT_GT(l.compression_n, 0.0) << l.level;
    EXPECT_TRUE(std::isfinite(l.shear_n));
    EXPECT_GE(l.posterior_share, 0.0);
    EXPECT_LE(l.posterior_share, 1.0);
  }
}

TEST(Standing, AStartNearTheAnswerSavesEvaluationsAndFindsIt) {
  // A tighter subject stands from the typical one's posture (a training week from the last): the
  // same posture to 1e-3 deg (chosen: a tenth of the 0.01 deg postures are reported to).
  const Model& m = default_model();
  const StandingResult typical = solve_standing(m);
  ASSERT_EQ(typical.p.size(), 8u);
  const Model tight = compile_model(
      io::parse_subject_yaml("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.92}\n",
                             "tight.yaml"));
  const StandingResult cold = solve_standing(tight);
  StandingSettings from_typical;
  from_typical.start = typical.p;
  const StandingResult warm = solve_standing(tight, from_typical);
  ASSERT_EQ(warm.status, SolveStatus::converged) << warm.message;
  EXPECT_LT(warm.iterations, cold.iterations);
  EXPECT_NEAR(warm.posture.pelvic_tilt_deg, cold.posture.pelvic_tilt_deg, 1e-3);
  EXPECT_NEAR(warm.posture.lumbar_lordosis_deg, cold.posture.lumbar_lordosis_deg, 1e-3);
  EXPECT_GT(std::abs(cold.posture.pelvic_tilt_deg - typical.posture.pelvic_tilt_deg), 0.1);
  StandingSettings bad;
  bad.start = {0.0, 0.1};
  const StandingResult refused = solve_standing(m, bad);
  EXPECT_EQ(refused.status, SolveStatus::failed);
  EXPECT_NE(refused.message.find("start must be empty or hold 8 finite angles"), std::string::npos);
}

// The status is the equilibrium's; the message says how the least-effort search behind it ended,
// in words, without the optimiser's own error text.
TEST(Standing, AnEquilibriumWhoseSearchStoppedShortSaysSo) {
  const Model& m = default_model();
  const StandingResult full = solve_standing(m);
  ASSERT_EQ(full.status, SolveStatus::converged) << full.message;
  EXPECT_FALSE(full.least_effort_unconfirmed);
  EXPECT_EQ(full.message.rfind("equilibrium found", 0), 0u) << full.message;
  EXPECT_EQ(full.message.find("least effort not confirmed"), std::string::npos) << full.message;
  // A search cut short still ends in equilibrium (the final recruitment balances its posture),
  // but not necessarily at least effort.
  StandingSettings short_search;
  short_search.max_iterations = 5;
  const StandingResult cut = solve_standing(m, short_search);
  ASSERT_EQ(cut.status, SolveStatus::converged) << cut.message;
  EXPECT_LT(cut.residual_nm, short_search.residual_tolerance_nm);
  EXPECT_TRUE(cut.least_effort_unconfirmed);
  EXPECT_EQ(cut.message,
            "equilibrium found, least effort not confirmed: the search stopped at its evaluation "
            "limit before meeting its tolerances");
  EXPECT_GT(cut.effort, full.effort);
  // A subject whose search ends where L-BFGS's line search finds no lower effort (NLopt reports
  // it as a failure) is in equilibrium, and told so without NLopt's "nlopt failure".
  const Model runner = compile_model(
      io::load_subject_file(std::string(PULLEY_TEST_DATA_DIR) + "/subjects/full.yaml"));
  const StandingResult r = solve_standing(runner);
  ASSERT_EQ(r.status, SolveStatus::converged) << r.message;
  EXPECT_FALSE(r.least_effort_unconfirmed);
  EXPECT_EQ(r.message,
            "equilibrium found; the least-effort search ended where its line search found no "
            "lower effort");
}

TEST(Standing, DiscMomentFromLoadsEqualsPassiveSegmentMoment) {
  const Model& m = default_model();
  const StandingResult r = solve_standing(m);
  ASSERT_EQ(r.status, SolveStatus::converged);
  for (size_t k = 0; k < m.levels.size(); ++k) {
    const double passive = model::lumbar_passive_moment(m.levels[k], r.q[m.levels[k].coordinate]);
    // The disc carries the passive segment moment; the free-body cut must agree.
    EXPECT_NEAR(r.lumbar[k].disc_moment_nm, passive, 1e-3) << m.levels[k].name;
  }
}

// The fast reduced method and the simple full-space SLSQP find the same optimum: the same effort
// within `effort_rel` of it and the same angles within `angle_deg`.
void expect_methods_agree(const Model& m, double effort_rel = 1e-5, double angle_deg = 0.02) {
  StandingSettings full;
  full.method = StandingMethod::full_space;
  const StandingResult a = solve_standing(m);
  const StandingResult b = solve_standing(m, full);
  ASSERT_EQ(a.status, SolveStatus::converged) << a.message;
  ASSERT_EQ(b.status, SolveStatus::converged) << b.message;
  EXPECT_NEAR(a.effort, b.effort, effort_rel * b.effort);
  EXPECT_NEAR(a.posture.pelvic_tilt_deg, b.posture.pelvic_tilt_deg, angle_deg);
  EXPECT_NEAR(a.posture.lumbar_lordosis_deg, b.posture.lumbar_lordosis_deg, angle_deg);
  for (int j = 0; j < 5; ++j)
    EXPECT_NEAR(a.posture.segmental_lordosis_deg[j], b.posture.segmental_lordosis_deg[j], angle_deg);
  EXPECT_NEAR(a.posture.hip_flexion_deg[0], b.posture.hip_flexion_deg[0], angle_deg);
  EXPECT_NEAR(a.posture.knee_flexion_deg[0], b.posture.knee_flexion_deg[0], angle_deg);
  for (int i = 0; i < m.num_units(); ++i)
    EXPECT_NEAR(a.activation[i], b.activation[i], 2e-3) << m.units[i].name;
  for (int l = 0; l < 5; ++l)
    EXPECT_NEAR(a.lumbar[l].compression_n, b.lumbar[l].compression_n, 1.0) << a.lumbar[l].level;
}

TEST(Standing, ReducedMethodMatchesFullSpaceOnTheDefaultSubject) {
  expect_methods_agree(default_model());
}

TEST(Standing, ReducedMethodMatchesFullSpaceOnAnImbalancedSubject) {
  const model::Subject s = io::parse_subject_yaml(R"(
height_m: 1.62
mass_kg: 90
sex: female
pelvic_incidence_deg: 64
muscles:
  hamstrings: {strength: 0.6, length: 0.95}
  hip_flexors: {length: 0.93, stiffness: 1.5}
  psoas: {right: {strength: 0.7}}
)",
                                                  "test subject");
  // The effort is flat here: L-BFGS on the reduced problem stops where its gradient is 2e-7, 4e-5
  // of the effort above the full-space answer and 0.17 deg of knee flexion from it (0.06 deg of
  // hip flexion and lordosis, 0.04 deg of pelvic tilt), since iliacus and psoas turn over the
  // pelvic brim; both are held to those sizes.
  expect_methods_agree(model::compile_model(s), 1e-4, 0.2);
}

TEST(Standing, SubjectsOfEitherSexAndAnySizeStand) {
  for (const char* yaml : {"height_m: 1.58\nmass_kg: 55\nsex: female\n",
                           "height_m: 1.98\nmass_kg: 110\n",
                           "height_m: 1.62\nmass_kg: 90\nsex: female\npelvic_incidence_deg: 64\n",
                           "height_m: 1.80\nmass_kg: 70\npelvic_incidence_deg: 38\n"}) {
    const Model m = model::compile_model(io::parse_subject_yaml(yaml, "test"));
    const StandingResult r = solve_standing(m);
    EXPECT_EQ(r.status, SolveStatus::converged) << yaml << r.message;
    EXPECT_LT(r.residual_nm, 1e-4) << yaml;
  }
}

}  // namespace
}  // namespace pulley::tasks
