// Calibration (assess/calibration.hpp): what it fits from a few measurements, what it leaves to
// the priors, and how it reports measurements that disagree.
#include "pulley/assess/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/core/error.hpp"
#include "pulley/io/subject_yaml.hpp"

namespace {

using pulley::assess::CalibrationStatus;
using pulley::model::MeasuredTest;
using pulley::model::Side;

const pulley::assess::FittedParameter& find(const pulley::assess::CalibrationResult& c,
                                            const std::string& group, const std::string& factor,
                                            std::optional<Side> side) {
  for (const auto& p : c.parameters)
    if (p.group == group && p.factor == factor && p.side == side) return p;
  throw std::runtime_error("no parameter " + group + " " + factor);
}

TEST(Calibration, WithoutMeasurementsTheSubjectIsUsedAsGiven) {
  pulley::model::Subject s;
  s.name = "as given";
  const auto c = pulley::assess::calibrate(s);
  EXPECT_EQ(c.status, CalibrationStatus::no_measurements);
  EXPECT_TRUE(c.parameters.empty());
  EXPECT_EQ(pulley::io::subject_to_yaml(c.fitted_subject), pulley::io::subject_to_yaml(s));
}

// With hip flexors this short the kneeling Nordic posture cannot be held (its test gives no
// value): the calibration says which measured test could not be simulated, before any fit.
TEST(Calibration, NamesTheMeasuredTestThatGivesNoValueAtTheStart) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hip_flexors: {length: 0.8}\n"
      "measurements:\n  nordic_force_n: 300\n  straight_leg_raise_deg: 70\n",
      "s.yaml");
  const auto c = pulley::assess::calibrate(s);
  EXPECT_EQ(c.status, CalibrationStatus::failed);
  EXPECT_NE(c.message.find("Nordic hamstring force (right) gave no value"), std::string::npos)
      << c.message;
  EXPECT_EQ(c.iterations, 0);
  EXPECT_EQ(pulley::io::subject_to_yaml(c.fitted_subject), pulley::io::subject_to_yaml(s));
}

// An H:Q of 0.1 with strong flexors (a high Nordic force, 600 N, about twice the typical man's
// 281 N, keeps the fit from weakening them instead) asks for quadriceps stronger than the subject
// file allows: the fit stops on the bound, and the fitted subject, written as a subject file, reads
// back (the bound came back as 3.0000000000000004, which the file refused).
TEST(Calibration, AFactorFittedOnItsBoundReadsBackFromTheFittedSubjectFile) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  hq_ratio: 0.1\n"
      "  knee_flexion_torque_nm_per_kg: 4\n  nordic_force_n: 600\n",
      "s.yaml");
  const auto c = pulley::assess::calibrate(s);
  ASSERT_NE(c.status, CalibrationStatus::failed) << c.message;
  const auto& strength = find(c, "quadriceps", "strength", Side::right);
  EXPECT_EQ(strength.value, pulley::model::SubjectLimits::kStrengthMax);
  const std::string yaml = pulley::io::subject_to_yaml(c.fitted_subject);
  EXPECT_NO_THROW(pulley::io::parse_subject_yaml(yaml, "fitted.yaml")) << yaml;
}

TEST(Calibration, OneStraightLegRaiseMovesOnlyWhatItSees) {
  pulley::model::Subject s;
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::right, 55.0});
  const auto c = pulley::assess::calibrate(s);
  ASSERT_EQ(c.status, CalibrationStatus::fitted) << c.message;
  ASSERT_EQ(c.residuals.size(), 1u);
  // The typical model raises the leg to about 71 deg; the fit brings it to the measured 55.
  EXPECT_GT(c.residuals[0].simulated_prior, 65.0);
  EXPECT_LT(std::abs(c.residuals[0].normalized()), 2.0);
  // Tighter right hamstrings (shorter, stiffer or a lower tolerance), the left leg untouched.
  const auto& length_r = find(c, "hamstrings", "length", Side::right);
  const auto& length_l = find(c, "hamstrings", "length", Side::left);
  EXPECT_LT(length_r.value, 1.0);
  EXPECT_DOUBLE_EQ(length_l.value, 1.0);
  EXPECT_FALSE(length_l.determined);
  EXPECT_DOUBLE_EQ(length_l.sd, length_l.prior_sd);
  // One number cannot separate length, stiffness and tolerance: not all three are determined,
  // and the message says which are not.
  const int determined = find(c, "hamstrings", "length", Side::right).determined +
                         find(c, "hamstrings", "stiffness", Side::right).determined +
                         find(c, "", "stretch_tolerance_hip_nm", std::nullopt).determined;
  EXPECT_LT(determined, 3);
  EXPECT_NE(c.message.find("not determined"), std::string::npos);
  // A passive test sees strength only through the relaxed muscles' resting tone (0.9 moves the
  // raise by 0.006 deg): it stays at its prior to a thousandth and is not determined.
  EXPECT_NEAR(find(c, "hamstrings", "strength", Side::right).value, 1.0, 1e-3);
  EXPECT_FALSE(find(c, "hamstrings", "strength", Side::right).determined);
  // The fitted subject carries the fit and no longer the measurement.
  EXPECT_TRUE(c.fitted_subject.measurements.empty());
  const auto reread = pulley::io::parse_subject_yaml(
      pulley::io::subject_to_yaml(c.fitted_subject), "fitted");
  EXPECT_EQ(pulley::io::subject_to_yaml(reread), pulley::io::subject_to_yaml(c.fitted_subject));
}

TEST(Calibration, ConflictingMeasurementsAreReportedNotHidden) {
  // Very tight in the straight-leg raise, very loose in knee extension with the hip at 90 deg:
  // both test the same hamstrings.
  pulley::model::Subject s;
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::right, 40.0});
  s.measurements.push_back({MeasuredTest::passive_knee_extension_deficit_deg, Side::right, 0.0});
  s.measurements.push_back({MeasuredTest::active_knee_extension_deficit_deg, Side::right, 0.0});
  const auto c = pulley::assess::calibrate(s);
  ASSERT_NE(c.status, CalibrationStatus::failed) << c.message;
  EXPECT_FALSE(c.conflicts.empty());
  for (const auto& r : c.residuals) EXPECT_TRUE(std::isfinite(r.simulated));
  for (const auto& p : c.parameters) {
    EXPECT_TRUE(std::isfinite(p.value));
    EXPECT_TRUE(std::isfinite(p.sd));
  }
}

TEST(Calibration, AnAnswerAtTheEdgeOfWhatTheTestsCanProbeKeepsItsValuesAndHonestSpreads) {
  // A thigh 60 deg above the table with the knee at 150 deg: the fit drives the hip flexors to
  // near their shortest (factor 0.8), where the Thomas test cannot be run a step shorter. The
  // slopes are taken on the other side, and a parameter no step can probe keeps its prior's
  // spread: no simulated value is lost and no spread claims a certainty of 0.
  pulley::model::Subject s;
  for (Side side : {Side::right, Side::left}) {
    s.measurements.push_back({MeasuredTest::thomas_hip_extension_deg, side, -60.0});
    s.measurements.push_back({MeasuredTest::thomas_knee_flexion_deg, side, 150.0});
  }
  const auto c = pulley::assess::calibrate(s);
  ASSERT_NE(c.status, CalibrationStatus::failed) << c.message;
  EXPECT_LT(find(c, "hip_flexors", "length", Side::right).value, 0.85);
  for (const auto& r : c.residuals) EXPECT_TRUE(std::isfinite(r.simulated));
  for (const auto& o : c.outputs) EXPECT_TRUE(std::isfinite(o.value) && std::isfinite(o.sd));
  for (const auto& p : c.parameters) {
    EXPECT_TRUE(std::isfinite(p.sd)) << p.group << " " << p.factor;
    EXPECT_GT(p.sd, 0.0) << p.group << " " << p.factor;
  }
}

TEST(Calibration, TheSubjectFilesOwnValuesAreThePriors) {
  pulley::model::Subject s;
  pulley::model::MuscleAdjustment weak;
  weak.target = "hamstrings";
  weak.is_group = true;
  weak.both.strength = 0.7;
  s.muscles.push_back(weak);
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::left, 75.0});
  const auto c = pulley::assess::calibrate(s);
  ASSERT_EQ(c.status, CalibrationStatus::fitted) << c.message;
  const auto& strength = find(c, "hamstrings", "strength", Side::left);
  EXPECT_DOUBLE_EQ(strength.prior, 0.7);
  // The raise sees strength only through resting tone: the fit leaves it at the prior.
  EXPECT_NEAR(strength.value, 0.7, 1e-3);
  EXPECT_FALSE(strength.determined);
}

TEST(Calibration, StrengthTestsDetermineStrengthOnceLengthIsPinned) {
  // Torque alone cannot tell weaker hamstrings from shorter ones working further down their
  // force-length curve; typical flexibility tests pin the length.
  pulley::model::Subject s;
  for (const Side side : pulley::model::kSides) {
    s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, 71.3});
    s.measurements.push_back({MeasuredTest::active_knee_extension_deficit_deg, side, 38.1});
    s.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side, 1.4});
    s.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, side, 3.2});
  }
  const auto c = pulley::assess::calibrate(s);
  ASSERT_EQ(c.status, CalibrationStatus::fitted) << c.message;
  const auto& flexors = find(c, "hamstrings", "strength", Side::right);
  // The typical model's knee flexion is 2.4 N m/kg: 1.4 needs markedly weaker hamstrings.
  EXPECT_LT(flexors.value, 0.8);
  EXPECT_LT(flexors.sd, flexors.prior_sd);
  for (const auto& o : c.outputs) EXPECT_GE(o.sd, 0.0);
}

// A person measured on an isokinetic dynamometer: their concentric peaks at 60 deg/s are fitted
// back to the strengths they were simulated from. As with the isometric torques, a torque alone
// cannot tell a weaker muscle from a shorter one: the straight-leg raise and the passive knee
// extension (which also sets the test's range) pin the hamstrings' length, the Thomas test's
// knee the quadriceps'.
TEST(Calibration, ConcentricPeaksRecoverTheKneeMusclesStrength) {
  pulley::model::Subject truth;
  for (const auto& [group, strength] : {std::pair{"hamstrings", 0.75}, {"quadriceps", 1.2}}) {
    pulley::model::MuscleAdjustment a;
    a.target = group;
    a.is_group = true;
    a.both.strength = strength;
    truth.muscles.push_back(a);
  }
  const auto r = pulley::assess::run_clinical_tests(pulley::model::compile_model(truth));
  ASSERT_TRUE(r.ok);
  pulley::model::Subject s;
  for (const Side side : pulley::model::kSides) {
    const auto k = static_cast<std::size_t>(pulley::model::side_index(side));
    s.measurements.push_back(
        {MeasuredTest::straight_leg_raise_deg, side, r.straight_leg_raise_deg[k].value});
    s.measurements.push_back({MeasuredTest::passive_knee_extension_deficit_deg, side,
                              r.passive_knee_extension_deficit_deg[k].value});
    s.measurements.push_back({MeasuredTest::concentric_knee_flexion_nm_per_kg, side,
                              r.concentric_knee_flexion_nm_per_kg[k].value});
    s.measurements.push_back({MeasuredTest::concentric_knee_extension_nm_per_kg, side,
                              r.concentric_knee_extension_nm_per_kg[k].value});
    s.measurements.push_back(
        {MeasuredTest::thomas_knee_flexion_deg, side, r.thomas_knee_flexion_deg[k].value});
  }
  const auto c = pulley::assess::calibrate(s);
  ASSERT_EQ(c.status, CalibrationStatus::fitted) << c.message;
  for (const Side side : pulley::model::kSides) {
    // Within the round trip's bound for the hamstrings (docs/validation.md, 0.1), and the fit
    // sure of both: their spreads well inside the priors'.
    const auto& flexors = find(c, "hamstrings", "strength", side);
    const auto& extensors = find(c, "quadriceps", "strength", side);
    EXPECT_NEAR(flexors.value, 0.75, 0.1);
    EXPECT_NEAR(extensors.value, 1.2, 0.1);
    EXPECT_TRUE(flexors.determined);
    EXPECT_TRUE(extensors.determined);
  }
  for (const auto& m : c.residuals) EXPECT_LT(std::abs(m.normalized()), 1.0);
}

// A clinic that tests at 180 deg/s gives that speed in the subject file (`tests:`), and the fit
// simulates its peaks at 180 deg/s: the typical man's own peaks fit back to typical strengths.
// Read as 60 deg/s peaks (the default protocol) the same numbers would make him weak.
TEST(Calibration, PeaksMeasuredAtTheProtocolsSpeedAreFittedAtThatSpeed) {
  pulley::model::Subject clinic;
  clinic.protocol.isokinetic_speed_deg_s = 180.0;
  const auto r = pulley::assess::run_clinical_tests(pulley::model::compile_model(clinic),
                                                    pulley::assess::clinical_test_settings(clinic));
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.settings.isokinetic_speed_deg_s, 180.0);
  for (const Side side : pulley::model::kSides) {
    const auto k = static_cast<std::size_t>(pulley::model::side_index(side));
    clinic.measurements.push_back({MeasuredTest::concentric_knee_flexion_nm_per_kg, side,
                                   r.concentric_knee_flexion_nm_per_kg[k].value});
    clinic.measurements.push_back({MeasuredTest::concentric_knee_extension_nm_per_kg, side,
                                   r.concentric_knee_extension_nm_per_kg[k].value});
  }
  pulley::model::Subject default_protocol = clinic;
  default_protocol.protocol = {};
  const auto at_180 = pulley::assess::calibrate(clinic);
  const auto at_60 = pulley::assess::calibrate(default_protocol);
  ASSERT_EQ(at_180.status, CalibrationStatus::fitted) << at_180.message;
  ASSERT_EQ(at_60.status, CalibrationStatus::fitted) << at_60.message;
  EXPECT_EQ(at_180.fitted_subject.protocol.isokinetic_speed_deg_s, 180.0);  // kept for the tests
  for (const auto& m : at_180.residuals) EXPECT_LT(std::abs(m.normalized()), 0.1);
  for (const char* group : {"hamstrings", "quadriceps"}) {
    SCOPED_TRACE(group);
    // chosen: within the round trip's bound (docs/validation.md, 0.1) of the truth, 1; and at
    // 60 deg/s at least that much weaker (the typical man's flexion peak is 2.17 N m/kg at 60
    // deg/s against about 1.7 at 180).
    EXPECT_NEAR(find(at_180, group, "strength", Side::right).value, 1.0, 0.1);
    EXPECT_LT(find(at_60, group, "strength", Side::right).value, 0.9);
  }
}

// Only the conventional ratio: the fit moves the balance between the two groups, not their sum,
// and says the strengths themselves stay open.
TEST(Calibration, AConventionalRatioAloneMovesTheBalanceNotTheStrengths) {
  pulley::model::Subject s;
  s.measurements.push_back({MeasuredTest::conventional_hq_ratio, Side::right, 0.5});
  const auto c = pulley::assess::calibrate(s);
  ASSERT_EQ(c.status, CalibrationStatus::fitted) << c.message;
  const auto& flexors = find(c, "hamstrings", "strength", Side::right);
  const auto& extensors = find(c, "quadriceps", "strength", Side::right);
  // The typical man's conventional ratio is 0.75 (docs/validation.md): 0.5 asks for weaker
  // hamstrings, stronger quadriceps, or both, their strengths' ratio near 0.5 / 0.75 = 0.67 if the
  // priors gave nothing; chosen: at least halfway there from 1, (1 + 0.67) / 2 = 0.835 (the fit
  // gives 0.74).
  EXPECT_LT(flexors.value / extensors.value, 0.835);
  EXPECT_FALSE(flexors.determined && extensors.determined);
  ASSERT_EQ(c.residuals.size(), 1u);
  EXPECT_LT(c.residuals[0].simulated, c.residuals[0].simulated_prior);
  // The left leg was not measured: its strengths stay at the priors.
  EXPECT_NEAR(find(c, "hamstrings", "strength", Side::left).value, 1.0, 1e-9);
}

TEST(Calibration, RejectsInvalidSettings) {
  pulley::assess::CalibrationSettings settings;
  settings.max_iterations = 0;
  EXPECT_THROW(pulley::assess::calibrate(pulley::model::Subject{}, settings), pulley::InputError);
}

}  // namespace
