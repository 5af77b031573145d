// Findings of an assessment (assess/findings.hpp): the imbalance profile, the causal chains and
// the signs weighed, on subjects built in code.
#include "pulley/assess/findings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "pulley/core/error.hpp"
#include "pulley/tasks/standing.hpp"

namespace {

namespace assess = pulley::assess;
using pulley::model::MeasuredTest;
using pulley::model::Side;
using pulley::model::SignKind;

// A group's factors on both sides, or on `side` alone.
pulley::model::MuscleAdjustment group(const char* name, pulley::model::MuscleFactors f,
                                      std::optional<Side> side = std::nullopt) {
  pulley::model::MuscleAdjustment a;
  a.target = name;
  a.is_group = true;
  (!side ? a.both : *side == Side::right ? a.right : a.left) = f;
  return a;
}

// The demo's S4 pattern: tight hamstrings, weak quadriceps and hip flexors.
pulley::model::Subject s4() {
  pulley::model::Subject s;
  s.name = "S4 pattern";
  s.muscles.push_back(group("hamstrings", {.length = 0.95, .stiffness = 2.0}));
  s.muscles.push_back(group("quadriceps", {.strength = 0.6}));
  s.muscles.push_back(group("hip_flexors", {.strength = 0.6}));
  return s;
}

const assess::Assessment& s4_assessment() {
  static const assess::Assessment a = assess::run_assessment(s4());
  return a;
}

const assess::GroupProfile& profile(const assess::Findings& f, const char* g, Side side) {
  const auto it = std::find_if(f.imbalance.begin(), f.imbalance.end(),
                               [&](const auto& p) { return p.group == g && p.side == side; });
  EXPECT_NE(it, f.imbalance.end());
  return *it;
}

const assess::CausalChain* chain(const assess::Findings& f, const char* id) {
  for (const auto& c : f.chains)
    if (c.id == id) return &c;
  return nullptr;
}

TEST(Findings, TypicalSubjectKeepsSizeAndDropsFactors) {
  pulley::model::Subject s = s4();
  s.height_m = 1.62;
  s.sex = pulley::model::Sex::female;
  s.signs.push_back({SignKind::knee_clicking, std::nullopt});
  s.stretch_tolerance.hip_nm = 90.0;
  s.protocol.isokinetic_speed_deg_s = 180.0;
  const auto t = assess::typical_subject(s);
  EXPECT_EQ(t.protocol.isokinetic_speed_deg_s, 180.0);  // tested as the subject is
  EXPECT_EQ(t.height_m, 1.62);
  EXPECT_EQ(t.sex, pulley::model::Sex::female);
  EXPECT_TRUE(t.muscles.empty());
  EXPECT_TRUE(t.signs.empty());
  EXPECT_FALSE(t.stretch_tolerance.hip_nm.has_value());
}

TEST(Findings, TightHamstringsNamedWithTheBendingChain) {
  const auto& f = s4_assessment().findings;
  ASSERT_TRUE(f.ok) << f.message;
  for (const Side side : pulley::model::kSides) {
    const auto& ham = profile(f, "hamstrings", side);
    EXPECT_EQ(ham.length_vs_norm, assess::Deviation::low);
    EXPECT_EQ(ham.stiffness_vs_norm, assess::Deviation::high);
    EXPECT_NE(ham.summary.find("shorter"), std::string::npos) << ham.summary;
    EXPECT_NE(ham.summary.find("stiffer"), std::string::npos) << ham.summary;
    EXPECT_EQ(profile(f, "quadriceps", side).strength_vs_norm, assess::Deviation::low);
    EXPECT_TRUE(profile(f, "gluteals", side).is_typical());
  }
  const auto* slr = f.find(MeasuredTest::straight_leg_raise_deg, Side::right);
  ASSERT_NE(slr, nullptr);
  EXPECT_EQ(slr->simulated_vs_typical, assess::Deviation::low);
  EXPECT_LT(slr->subject, 70.0);  // "tight" (Li 1996)

  const auto* bend = chain(f, "bending");
  ASSERT_NE(bend, nullptr);
  ASSERT_GE(bend->links.size(), 4u);
  // Less pelvis, more lumbar flexion, more posterior tension than the typical subject.
  const auto find_link = [&](const std::string& quantity) -> const assess::ChainLink* {
    for (const auto& l : bend->links)
      if (l.quantity.find(quantity) != std::string::npos) return &l;
    return nullptr;
  };
  const auto* pelvis = find_link("peak_pelvis_rotation_deg");
  const auto* lumbar = find_link("peak_lumbar_flexion_deg");
  const auto* ligament = find_link("peak_ligament_tension_n");
  ASSERT_TRUE(pelvis && lumbar && ligament);
  EXPECT_LT(pelvis->value, pelvis->typical - 5.0);
  EXPECT_GT(lumbar->value, lumbar->typical + 5.0);
  EXPECT_GT(ligament->value, ligament->typical);
  for (const auto& l : bend->links) {
    EXPECT_FALSE(l.evidence.empty()) << l.statement;
    EXPECT_TRUE(std::isfinite(l.value)) << l.statement;
  }
  // The loads behind it are the same numbers.
  EXPECT_DOUBLE_EQ(pelvis->value, f.loads.bend_peak_pelvis_rotation_deg);
  EXPECT_GT(f.loads.bend_frames, 0);
}

// The S4 pattern's knee stops 77 deg short of straight with the hip at 90 deg, so the seated
// strength tests at 60 deg lie beyond it: their comparisons say so, in the summary too, and the
// tests within reach (the straight-leg raise, the concentric range) and the typical subject's do
// not.
TEST(Findings, StrengthTestsBeyondThePassiveRangeAreMarked) {
  const auto& a = s4_assessment();
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  for (const Side side : pulley::model::kSides) {
    for (const MeasuredTest test :
         {MeasuredTest::knee_flexion_torque_nm_per_kg,
          MeasuredTest::knee_extension_torque_nm_per_kg, MeasuredTest::hq_ratio}) {
      const auto* t = a.findings.find(test, side);
      ASSERT_NE(t, nullptr);
      EXPECT_TRUE(t->subject_beyond_passive_range());
      EXPECT_EQ(assess::test_result(a.tests, test, side).end,
                assess::TestEnd::beyond_passive_range);
    }
    for (const MeasuredTest test :
         {MeasuredTest::straight_leg_raise_deg, MeasuredTest::concentric_knee_flexion_nm_per_kg})
      EXPECT_FALSE(a.findings.find(test, side)->subject_beyond_passive_range());
  }
  const auto& summary = a.findings.summary;
  const auto marked = std::count_if(summary.begin(), summary.end(), [](const std::string& line) {
    return line.find("beyond the range this subject tolerates passively") != std::string::npos;
  });
  EXPECT_GT(marked, 0);
  // The concentric range (77-90 deg) is within reach: simulated, its line stands in for the
  // isometric one out of reach (weak quadriceps, strength 0.6).
  const auto concentric = std::count_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.find("Simulated concentric knee extension strength") != std::string::npos;
  });
  EXPECT_EQ(concentric, 1);         // both sides alike
  const auto raise = std::find_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.find("Simulated passive straight-leg raise") != std::string::npos;
  });
  ASSERT_NE(raise, summary.end());  // a test within reach reads as before
  EXPECT_EQ(raise->find("beyond the range"), std::string::npos) << *raise;
  // Out of reach, a simulated value is no evidence: the H:Q reads high against the typical
  // subject's, but no knee_balance chain rests on it.
  const auto* hq = a.findings.find(MeasuredTest::hq_ratio, Side::right);
  EXPECT_EQ(hq->simulated_vs_typical, assess::Deviation::high);
  EXPECT_EQ(hq->evidence(), assess::Deviation::not_compared);
  for (const auto& c : a.findings.chains) EXPECT_NE(c.id, "knee_balance") << c.title;
}

// A test ended at its start is a bound: at the stretch tolerance it still says which way the
// subject lies (the stretch was at its limit before the test moved); at the muscles' capacity it
// says nothing (weak quadriceps and pulling hamstrings both end the active knee extension so).
TEST(Findings, AStartHeldBackByTheMusclesIsNoEvidence) {
  assess::TestComparison t;
  t.test = pulley::model::MeasuredTest::active_knee_extension_deficit_deg;
  t.simulated_vs_typical = assess::Deviation::high;
  t.subject_end = assess::TestEnd::stretch_tolerance_at_start;
  EXPECT_TRUE(t.subject_at_start());
  EXPECT_EQ(t.simulated_evidence(), assess::Deviation::high);
  t.subject_end = assess::TestEnd::muscle_capacity_at_start;
  EXPECT_TRUE(t.subject_at_start());
  EXPECT_EQ(t.simulated_evidence(), assess::Deviation::not_compared);
  EXPECT_EQ(t.evidence(), assess::Deviation::not_compared);
  t.subject_end = assess::TestEnd::muscle_capacity;
  EXPECT_FALSE(t.subject_at_start());
  EXPECT_EQ(t.simulated_evidence(), assess::Deviation::high);
}

// Tight adductors (the adductor magnus extends the hip) shorten the straight-leg raise and hold
// the pelvis back in bending, with the hamstrings typical: the bending chain names the tissue
// behind the hip and says the hamstrings are not tighter than typical; each link's words follow
// its own figures.
TEST(Findings, TheBendingChainNamesTheHamstringsOnlyWhenTheyAreTight) {
  pulley::model::Subject s;
  s.muscles.push_back(group("adductors", {.length = 0.9, .stiffness = 3.0}));
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  const auto* bend = chain(a.findings, "bending");
  ASSERT_NE(bend, nullptr);
  EXPECT_TRUE(profile(a.findings, "hamstrings", Side::right).is_typical());
  EXPECT_EQ(bend->title.find("stiffer or shorter hamstrings"), std::string::npos) << bend->title;
  EXPECT_NE(bend->title.find("the hamstrings are not tighter than typical"), std::string::npos)
      << bend->title;
  for (const auto& l : bend->links) {
    const bool more = l.value > l.typical;
    if (l.statement.starts_with("less ")) EXPECT_FALSE(more) << l.statement;
    if (l.statement.starts_with("more ")) EXPECT_TRUE(more) << l.statement;
    if (l.statement.find("stops earlier") != std::string::npos) EXPECT_FALSE(more) << l.statement;
    EXPECT_EQ(l.statement.find("the hamstrings' passive tension reaches"), std::string::npos)
        << l.statement;
  }
}

TEST(Findings, WeakHamstringsGiveTheStrengthImbalance) {
  pulley::model::Subject s;
  s.name = "weak hamstrings";
  s.muscles.push_back(group("hamstrings", {.strength = 0.5}));
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  const auto& f = a.findings;
  EXPECT_EQ(profile(f, "hamstrings", Side::left).strength_vs_norm, assess::Deviation::low);
  EXPECT_EQ(profile(f, "hamstrings", Side::left).length_vs_norm, assess::Deviation::typical);
  const auto* flexion = f.find(MeasuredTest::knee_flexion_torque_nm_per_kg, Side::right);
  const auto* hq = f.find(MeasuredTest::hq_ratio, Side::right);
  ASSERT_TRUE(flexion && hq);
  EXPECT_EQ(flexion->simulated_vs_typical, assess::Deviation::low);
  EXPECT_EQ(hq->simulated_vs_typical, assess::Deviation::low);
  const auto* knee = chain(f, "knee_balance");
  ASSERT_NE(knee, nullptr);
  EXPECT_NE(knee->title.find("hamstrings weak"), std::string::npos) << knee->title;
  // Flexibility is untouched, so no bending chain starts from the hamstrings' length.
  const auto* slr = f.find(MeasuredTest::straight_leg_raise_deg, Side::right);
  EXPECT_EQ(slr->simulated_vs_typical, assess::Deviation::typical);
  EXPECT_EQ(chain(f, "bending"), nullptr);
}

// The plain summary names a concentric (isokinetic) result only where it was measured: simulated,
// it repeats the isometric line. The comparisons keep it either way.
TEST(Findings, TheSummaryNamesConcentricResultsOnlyWhereMeasured) {
  pulley::model::Subject s;
  s.muscles.push_back(group("hamstrings", {.strength = 0.5}));
  const auto count = [](const assess::Findings& f, const std::string& what) {
    return std::count_if(f.summary.begin(), f.summary.end(), [&](const std::string& line) {
      return line.find(what) != std::string::npos;
    });
  };
  const auto simulated = assess::run_assessment(s);
  ASSERT_TRUE(simulated.findings.ok) << simulated.findings.message;
  const auto* concentric =
      simulated.findings.find(MeasuredTest::concentric_knee_flexion_nm_per_kg, Side::right);
  ASSERT_TRUE(concentric);
  EXPECT_EQ(concentric->simulated_vs_typical, assess::Deviation::low);
  EXPECT_EQ(count(simulated.findings, "concentric"), 0);
  EXPECT_EQ(count(simulated.findings, "isometric knee flexion"), 1);  // both sides alike
  s.measurements.push_back({MeasuredTest::conventional_hq_ratio, Side::right, 0.4});
  const auto measured = assess::run_assessment(s);
  ASSERT_TRUE(measured.findings.ok) << measured.findings.message;
  EXPECT_EQ(count(measured.findings, "Measured conventional hamstring:quadriceps ratio"), 1);
}

TEST(Findings, SignContradictedByMeasurementsSaysSo) {
  // Bottom sticks out (read as weak hamstrings), but the measured knee flexion strength is above
  // the published range: the sign and the measurement disagree.
  pulley::model::Subject s;
  s.name = "strong hamstrings, bottom sticks out";
  s.signs.push_back({SignKind::bottom_sticks_out, std::nullopt});
  s.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, Side::right, 2.1});
  s.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, Side::left, 2.0});
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  ASSERT_EQ(a.findings.signs.size(), 1u);
  const auto& sign = a.findings.signs[0];
  EXPECT_EQ(sign.verdict, assess::SignVerdict::contradicted) << sign.conclusion;
  EXPECT_NE(sign.conclusion.find("measurements"), std::string::npos) << sign.conclusion;
  EXPECT_TRUE(std::any_of(sign.evidence.begin(), sign.evidence.end(),
                          [](const auto& e) { return e.measured && !e.supports; }));
  const auto* t = a.findings.find(MeasuredTest::knee_flexion_torque_nm_per_kg, Side::left);
  ASSERT_TRUE(t && t->measured);
  EXPECT_EQ(t->measured_vs_norm, assess::Deviation::high);
}

// `pulley assess` calibrates, then assesses the fitted subject, which has no measurements (they
// are in its factors): the findings still compare the tests with what was measured, and name the
// factors as the calibration's, not the subject file's.
TEST(Findings, ACalibratedAssessmentComparesTheMeasurementsAndNamesTheFactorsAsFitted) {
  pulley::model::Subject s;
  s.name = "tight right hamstrings, measured";
  s.signs.push_back({SignKind::bottom_sticks_out, std::nullopt});
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::right, 55.0});
  const auto calibration = assess::calibrate(s);
  ASSERT_EQ(calibration.status, assess::CalibrationStatus::fitted) << calibration.message;
  ASSERT_TRUE(calibration.fitted_subject.measurements.empty());
  const auto a = assess::run_assessment(s, calibration);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  EXPECT_TRUE(a.findings.factors_fitted);
  // The tests ran on the fitted subject: its raise is near the measured 55 deg, not the
  // typical man's 71.
  const auto* raise = a.findings.find(MeasuredTest::straight_leg_raise_deg, Side::right);
  ASSERT_TRUE(raise && raise->measured);
  EXPECT_NEAR(raise->subject, 55.0, 3.0);
  EXPECT_DOUBLE_EQ(*raise->measured, 55.0);
  EXPECT_EQ(raise->measured_vs_norm, assess::Deviation::low);  // tight below 70 deg
  const auto* left = a.findings.find(MeasuredTest::straight_leg_raise_deg, Side::left);
  ASSERT_TRUE(left);
  EXPECT_FALSE(left->measured);
  ASSERT_FALSE(a.findings.summary.empty());
  EXPECT_EQ(
      a.findings.summary.front().rfind("The calibrated subject (fitted to the measurements", 0), 0u)
      << a.findings.summary.front();
  EXPECT_TRUE(std::any_of(
      a.findings.summary.begin(), a.findings.summary.end(), [](const std::string& line) {
        return line.rfind("Measured passive straight-leg raise (right)", 0) == 0;
      }));
  // The report echoes the file as read, measurements and all; the model is the fitted subject.
  EXPECT_EQ(a.subject_file.measurements.size(), 1u);
  EXPECT_TRUE(a.model.subject.measurements.empty());
  // Without a fit the factors are the subject file's.
  pulley::model::Subject plain;
  plain.muscles.push_back(group("hamstrings", {.length = 0.95}));
  const auto b = assess::run_assessment(plain, assess::calibrate(plain));
  ASSERT_TRUE(b.findings.ok) << b.findings.message;
  EXPECT_FALSE(b.findings.factors_fitted);
  EXPECT_EQ(b.findings.summary.front().rfind("The subject file describes:", 0), 0u)
      << b.findings.summary.front();
}

// A man whose every measurement is a published mean (docs/assessment.md, "Calibrated subjects"):
// the fit moves his hamstrings' and back muscles' factors, because the model's typical man lies
// outside some of those norms, but no finding, chain or load reads them as his.
pulley::model::Subject measured_at_the_means() {
  pulley::model::Subject s;
  s.name = "published means";
  s.height_m = 1.78;
  for (const Side side : pulley::model::kSides) {
    s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, 75.0});
    s.measurements.push_back({MeasuredTest::active_knee_extension_deficit_deg, side, 18.0});
    s.measurements.push_back({MeasuredTest::passive_knee_extension_deficit_deg, side, 31.0});
    s.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side, 1.39});
    s.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, side, 3.18});
    s.measurements.push_back({MeasuredTest::nordic_force_n, side, 300.0});
  }
  s.measurements.push_back({MeasuredTest::trunk_extensor_endurance_s, std::nullopt, 162.0});
  s.signs.push_back({SignKind::back_of_thigh_fatigue, Side::right});
  return s;
}

TEST(Findings, AFitWithinThePublishedNormsIsNotReadAsAFinding) {
  const pulley::model::Subject s = measured_at_the_means();
  const auto calibration = assess::calibrate(s);
  ASSERT_EQ(calibration.status, assess::CalibrationStatus::fitted) << calibration.message;
  const auto a = assess::run_assessment(s, calibration);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  // The fit moved the hamstrings' strength below its band (the model's typical man is 30 % above
  // the published knee flexion), but every measurement of it lies within its norm.
  for (const Side side : pulley::model::kSides) {
    const auto& ham = profile(a.findings, "hamstrings", side);
    EXPECT_LT(ham.strength, 0.9);
    EXPECT_NE(std::find(ham.held_to_norms.begin(), ham.held_to_norms.end(), "strength"),
              ham.held_to_norms.end());
    EXPECT_EQ(ham.strength_vs_norm, assess::Deviation::typical);
  }
  for (const auto& g : a.findings.imbalance) EXPECT_TRUE(g.is_typical()) << g.group << g.summary;
  // Simulated values fitted to the measurements are no evidence against the typical subject.
  const auto* flexion = a.findings.find(MeasuredTest::knee_flexion_torque_nm_per_kg, Side::right);
  const auto* ratio = a.findings.find(MeasuredTest::hq_ratio, Side::right);
  const auto* thomas = a.findings.find(MeasuredTest::thomas_hip_extension_deg, Side::right);
  ASSERT_TRUE(flexion && ratio && thomas);
  EXPECT_TRUE(flexion->fitted_to_measurement);
  EXPECT_TRUE(ratio->fitted_to_measurement);
  EXPECT_FALSE(thomas->fitted_to_measurement);
  EXPECT_EQ(ratio->simulated_vs_typical, assess::Deviation::low);  // 0.45 against 0.61
  EXPECT_EQ(ratio->deviation(), assess::Deviation::not_compared);
  EXPECT_EQ(ratio->evidence(), assess::Deviation::not_compared);
  EXPECT_EQ(flexion->measured_vs_norm, assess::Deviation::typical);
  EXPECT_TRUE(a.findings.chains.empty()) << a.findings.chains.front().title;
  // The bend and the run are simulated with the held factors at their priors: like the typical
  // man's, where the fitted subject's bend turned the pelvis 5 deg less.
  ASSERT_TRUE(a.findings.loads_model);
  EXPECT_NEAR(a.findings.loads_model->muscles.front().factors.strength, 1.0,
              1e-12);  // semimembranosus, first muscle
  EXPECT_NEAR(a.findings.loads.bend_peak_pelvis_rotation_deg,
              a.findings.typical_loads.bend_peak_pelvis_rotation_deg, 1.0);
  EXPECT_NEAR(a.findings.strain.relative, 1.0, 0.1);
  EXPECT_EQ(a.findings.bend.standing.q.size(), a.findings.loads_model->num_coordinates());
  EXPECT_TRUE(std::any_of(
      a.findings.summary.begin(), a.findings.summary.end(), [](const std::string& line) {
        return line.rfind("Fitted, but not read as findings: hamstrings: strength", 0) == 0;
      }));
  // Nothing supports the sign; the measured flexion, within its norm, says so once.
  ASSERT_EQ(a.findings.signs.size(), 1u);
  EXPECT_NE(a.findings.signs[0].verdict, assess::SignVerdict::supported)
      << a.findings.signs[0].conclusion;
}

// What a held factor moves is no evidence, a measurement beyond its norm keeps even an
// undetermined factor, and the loads' model restores a group's fitted factors together.
TEST(Findings, HeldFactorsLeaveNoTraceInTheFindings) {
  const auto assessed = [](pulley::model::Subject s) {
    return assess::run_assessment(s, assess::calibrate(s));
  };
  // A woman at the middle of the women's extension norm: her quadriceps' fitted strength is held,
  // and the isometric H:Q it moves (one part measured) reads nothing.
  pulley::model::Subject woman;
  woman.sex = pulley::model::Sex::female;
  woman.height_m = 1.65;
  woman.mass_kg = 60.0;
  for (const Side side : pulley::model::kSides) {
    woman.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, side, 2.41});
    woman.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, 80.0});
  }
  const auto w = assessed(woman);
  ASSERT_TRUE(w.findings.ok) << w.findings.message;
  const auto& quadriceps = profile(w.findings, "quadriceps", Side::right);
  EXPECT_LT(quadriceps.strength, 0.9);
  EXPECT_EQ(quadriceps.held_to_norms, std::vector<std::string>{"strength"});
  const auto* ratio = w.findings.find(MeasuredTest::hq_ratio, Side::right);
  ASSERT_TRUE(ratio);
  EXPECT_TRUE(ratio->fitted_to_measurement);
  EXPECT_TRUE(ratio->moved_by_unread_factor);
  EXPECT_EQ(ratio->evidence(), assess::Deviation::not_compared);
  EXPECT_EQ(chain(w.findings, "knee_balance"), nullptr);
  // Knee flexion measured at 0.9 N m/kg, below the men's 1.15: the fitted weakness stands, whether
  // or not the one measurement determined it.
  pulley::model::Subject weak;
  weak.height_m = 1.78;
  for (const Side side : pulley::model::kSides)
    weak.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side, 0.9});
  const auto k = assessed(weak);
  ASSERT_TRUE(k.findings.ok) << k.findings.message;
  for (const Side side : pulley::model::kSides) {
    const auto& ham = profile(k.findings, "hamstrings", side);
    EXPECT_EQ(ham.strength_vs_norm, assess::Deviation::low);
    EXPECT_EQ(std::find(ham.held_to_norms.begin(), ham.held_to_norms.end(), "strength"),
              ham.held_to_norms.end());
  }
  ASSERT_TRUE(k.findings.loads_model);  // others are held: the weak strength is kept in it
  EXPECT_LT(k.findings.loads_model->muscles.front().factors.strength, 0.9);
  // One side measured within the norms: every fitted hamstring factor of that side goes back to
  // its prior in the loads' model, not the held ones alone, so the bend is the typical man's.
  pulley::model::Subject one;
  one.height_m = 1.78;
  one.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::right, 75.0});
  one.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, Side::right, 1.39});
  one.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, Side::right, 3.18});
  const auto o = assessed(one);
  ASSERT_TRUE(o.findings.ok) << o.findings.message;
  ASSERT_TRUE(o.findings.loads_model);
  for (const auto& m : o.findings.loads_model->muscles) {
    if (m.group != "hamstrings") continue;
    EXPECT_NEAR(m.factors.strength, 1.0, 1e-12) << m.name;
    EXPECT_NEAR(m.factors.length, 1.0, 1e-12) << m.name;
    EXPECT_NEAR(m.factors.stiffness, 1.0, 1e-12) << m.name;
  }
  EXPECT_NEAR(o.findings.loads.bend_peak_pelvis_rotation_deg,
              o.findings.typical_loads.bend_peak_pelvis_rotation_deg, 0.5);
  EXPECT_TRUE(o.findings.chains.empty()) << o.findings.chains.front().title;
}

// The edges of what the findings read: a prior the measurements overruled stays overruled in the
// loads' model; a strength test is no reading of strength only where something else is shown to
// move it; a measurement beyond a range's open side reads against its published mean.
TEST(Findings, WhatMovesATestIsReadFromWhatDeviates) {
  // The subject file's hamstrings at length 0.95, a raise measured at 78 deg: the fit moves the
  // length back near typical, and the loads use the fitted length, not the file's.
  pulley::model::Subject prior;
  prior.height_m = 1.78;
  prior.muscles.push_back(group("hamstrings", {.length = 0.95}));
  for (const Side side : pulley::model::kSides) {
    prior.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, 78.0});
    prior.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side, 1.39});
  }
  const auto p = assess::run_assessment(prior, assess::calibrate(prior));
  ASSERT_TRUE(p.findings.ok) << p.findings.message;
  EXPECT_EQ(profile(p.findings, "hamstrings", Side::right).length_vs_norm,
            assess::Deviation::typical);
  const auto& ham = p.model.muscles.front();  // semimembranosus, fitted
  // The loads' model exists (the hamstrings' fitted strength, 0.80, is read back at its prior of
  // 1: the knee flexion measured at the published mean) and keeps the fitted length.
  ASSERT_TRUE(p.findings.loads_model);
  const auto& loads_ham = p.findings.loads_model->muscles.front();
  EXPECT_LT(ham.factors.strength, 0.9);
  EXPECT_DOUBLE_EQ(loads_ham.factors.strength, 1.0);
  EXPECT_NEAR(loads_ham.factors.length, ham.factors.length, 1e-12);
  EXPECT_GT(ham.factors.length, 0.97);
  // Hamstrings 9 % weaker (within the band): their Nordic reads lower, and that is a reading of
  // strength, for nothing else about them deviates.
  pulley::model::Subject slightly;
  slightly.muscles.push_back(group("hamstrings", {.strength = 0.91}));
  const auto w = assess::run_assessment(slightly);
  const auto* nordic = w.findings.find(MeasuredTest::nordic_force_n, Side::right);
  ASSERT_TRUE(nordic);
  EXPECT_FALSE(nordic->strength_typical());
  // One side's back muscles at half strength: the trunk hold is theirs.
  pulley::model::Subject left;
  left.muscles.push_back(group("erector_spinae", {.strength = 0.5}, Side::left));
  left.measurements.push_back({MeasuredTest::trunk_extensor_endurance_s, std::nullopt, 300.0});
  const auto e = assess::run_assessment(left);
  const auto* hold = e.findings.find(MeasuredTest::trunk_extensor_endurance_s, std::nullopt);
  ASSERT_TRUE(hold);
  EXPECT_FALSE(hold->strength_typical());
  // 300 s lies above the men's low end of 110 s and 138 s above their mean of 162 s, beyond the
  // test's detectable difference (32 % of it): above the norm.
  EXPECT_EQ(hold->measured_vs_norm, assess::Deviation::high);
}

// A measurement outside its norm never prints as the bound it lies beyond.
TEST(Findings, AMeasurementBeyondItsNormPrintsApartFromTheBound) {
  assess::TestComparison t;
  t.test = MeasuredTest::knee_extension_torque_nm_per_kg;
  t.measured = 210.0 / 72.0;  // 2.9167 N m/kg
  t.norm_low = 2.92;
  t.norm_high = 3.45;
  t.norm_source = "men 2.92-3.45 N m/kg";
  t.measured_vs_norm = assess::Deviation::low;
  EXPECT_EQ(assess::measured_against_norm(t).rfind("2.917 N m/kg, below the norm", 0), 0u)
      << assess::measured_against_norm(t);
  t.measured = 2.80;
  EXPECT_EQ(assess::measured_against_norm(t).rfind("2.80 N m/kg, below the norm", 0), 0u)
      << assess::measured_against_norm(t);
  t.measured = 2.9249;
  t.measured_vs_norm = assess::Deviation::typical;
  EXPECT_EQ(assess::measured_against_norm(t).rfind("2.92 N m/kg, within the norm", 0), 0u)
      << assess::measured_against_norm(t);
}

TEST(Findings, AMeasurementBeyondItsNormKeepsTheFittedDeviation) {
  pulley::model::Subject s = measured_at_the_means();
  for (auto& m : s.measurements)
    if (m.test == MeasuredTest::knee_flexion_torque_nm_per_kg)
      m.value = 0.9;  // below 1.15
    else if (m.test == MeasuredTest::straight_leg_raise_deg)
      m.value = 50.0;  // below 70
  const auto a = assess::run_assessment(s, assess::calibrate(s));
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  for (const Side side : pulley::model::kSides) {
    const auto& ham = profile(a.findings, "hamstrings", side);
    EXPECT_EQ(ham.strength_vs_norm, assess::Deviation::low);
    EXPECT_EQ(ham.length_vs_norm, assess::Deviation::low);
    for (const char* kept : {"strength", "length"})
      EXPECT_EQ(std::find(ham.held_to_norms.begin(), ham.held_to_norms.end(), kept),
                ham.held_to_norms.end())
          << kept;
  }
  // The bending chain names the tight hamstrings the raise showed.
  const auto* bending = chain(a.findings, "bending");
  ASSERT_TRUE(bending);
  EXPECT_NE(bending->title.find("hamstrings hold the pelvis back"), std::string::npos)
      << bending->title;
}

// A calibration that did not determine a group's factors leaves them at their priors, here the
// subject file's: the findings call them the calibrated subject's, not the calibration's fit.
TEST(Findings, FactorsTheMeasurementsDidNotDetermineAreNotCalledFitted) {
  pulley::model::Subject s;
  s.muscles.push_back(group("hamstrings", {.strength = 0.6, .length = 0.97, .capacity = 0.8}));
  s.signs.push_back({SignKind::back_of_thigh_fatigue, std::nullopt});
  s.measurements.push_back({MeasuredTest::trunk_extensor_endurance_s, std::nullopt, 100.0});
  const auto calibration = assess::calibrate(s);
  ASSERT_EQ(calibration.status, assess::CalibrationStatus::fitted) << calibration.message;
  for (const auto& p : calibration.parameters)
    if (p.group == "hamstrings") ASSERT_FALSE(p.determined) << p.factor;
  const auto a = assess::run_assessment(s, calibration);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  // The trunk hold determines the back muscles' strength alone.
  for (const auto& g : a.findings.imbalance)
    EXPECT_EQ(g.determined_factors, g.group == "erector_spinae"
                                        ? std::vector<std::string>{"strength"}
                                        : std::vector<std::string>{})
        << g.group;
  const std::string& summary = a.findings.summary.front();
  EXPECT_NE(summary.find("hamstrings: weaker"), std::string::npos) << summary;
  EXPECT_NE(summary.find("(not determined by the measurements)"), std::string::npos) << summary;
  ASSERT_EQ(a.findings.signs.size(), 1u);
  // The weak and the injured hamstrings' checks give one line, which says the measurements did
  // not determine the factors.
  const auto& ev = a.findings.signs[0].evidence;
  const auto factor_lines = [&](const std::string& what) {
    return std::count_if(ev.begin(), ev.end(), [&](const assess::SignEvidence& e) {
      return e.statement.rfind("the calibrated subject's right hamstrings", 0) == 0 &&
             e.statement.find(what) != std::string::npos;
    });
  };
  EXPECT_EQ(factor_lines(""), 1);
  EXPECT_EQ(factor_lines("(not determined by the measurements)"), 1);
  // A measured raise determines the hamstrings' length, and the summary says so.
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::right, 50.0});
  s.measurements.push_back({MeasuredTest::straight_leg_raise_deg, Side::left, 50.0});
  const auto b = assess::run_assessment(s, assess::calibrate(s));
  ASSERT_TRUE(b.findings.ok) << b.findings.message;
  EXPECT_NE(b.findings.summary.front().find("(the measurements determined their length)"),
            std::string::npos)
      << b.findings.summary.front();
}

// Weak, long, compliant hamstrings and slightly short hip flexors tip the pelvis back in standing
// by over 2 deg but leave the lordosis within 3 deg of typical, and no hamstring head of theirs is
// stretched beyond its optimal length in the run: the chain and the summary name only what the
// model moved.
TEST(Findings, TheStandingChainAndTheStrainLineNameOnlyWhatMoved) {
  pulley::model::Subject s;
  s.muscles.push_back(group("hamstrings", {.strength = 0.3, .length = 1.2, .stiffness = 0.3}));
  s.muscles.push_back(group("hip_flexors", {.length = 0.98}));
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  const auto& f = a.findings;
  ASSERT_GE(f.loads.pelvic_tilt_deg - f.typical_loads.pelvic_tilt_deg, 2.0);
  ASSERT_LT(std::abs(f.loads.lumbar_lordosis_deg - f.typical_loads.lumbar_lordosis_deg), 3.0);
  const auto standing = std::find_if(f.chains.begin(), f.chains.end(),
                                     [](const auto& c) { return c.id == "standing"; });
  ASSERT_NE(standing, f.chains.end());
  EXPECT_EQ(standing->title,
            "the pelvis tips back in standing; the lower back keeps a typical curve");
  EXPECT_EQ(standing->links[1].statement.rfind("lumbar lordosis near typical", 0), 0u)
      << standing->links[1].statement;
  ASSERT_TRUE(f.strain.computed);
  ASSERT_EQ(f.strain.relative, 0.0);
  EXPECT_TRUE(std::any_of(f.summary.begin(), f.summary.end(), [](const std::string& line) {
    return line.find("Hamstring strain index in a run at 5 m/s: zero") != std::string::npos;
  }));
}

TEST(Findings, MeasurementsOfAWomanAreReadAgainstWomensNorms) {
  // Women: trunk-extensor endurance 194 +- 53 s (Juan-Recio et al. 2025), knee extension 2.08-2.74
  // N m/kg (Sarabon et al. 2021). 130 s is low for a woman (below 141 s), where a man's norm
  // (below 110 s) would pass it; 2.5 N m/kg is within the women's range and below the men's.
  pulley::model::Subject s;
  s.sex = pulley::model::Sex::female;
  s.height_m = 1.65;
  s.mass_kg = 62.0;
  s.measurements.push_back({MeasuredTest::trunk_extensor_endurance_s, std::nullopt, 130.0});
  s.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, Side::right, 2.5});
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  const auto* trunk = a.findings.find(MeasuredTest::trunk_extensor_endurance_s, std::nullopt);
  ASSERT_TRUE(trunk && trunk->measured);
  EXPECT_EQ(trunk->measured_vs_norm, assess::Deviation::low);
  EXPECT_EQ(trunk->norm_low, 141.0);
  const auto* knee = a.findings.find(MeasuredTest::knee_extension_torque_nm_per_kg, Side::right);
  ASSERT_TRUE(knee && knee->measured);
  EXPECT_EQ(knee->measured_vs_norm, assess::Deviation::typical);
  // Healthy people's spreads are hers too: one SD of 6.0 deg for the active knee extension
  // (Yildirim et al. 2018); none for the passive one or the strength tests, whose sources read
  // give men only.
  const auto* active =
      a.findings.find(MeasuredTest::active_knee_extension_deficit_deg, Side::right);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->healthy_sd, 6.0);
  for (const auto test : {MeasuredTest::passive_knee_extension_deficit_deg,
                          MeasuredTest::knee_flexion_torque_nm_per_kg,
                          MeasuredTest::knee_extension_torque_nm_per_kg}) {
    const auto* t = a.findings.find(test, Side::right);
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->healthy_source.empty());
    EXPECT_FALSE(std::isfinite(t->healthy_sd));
    EXPECT_FALSE(t->subject_beyond_healthy_spread());
  }
}

// A simulated test beyond healthy people's spread (the typical subject's value +- 3 published
// between-person SDs) is named once in the summary.
TEST(Findings, TestsBeyondHealthyPeopleAreNamed) {
  const auto& a = s4_assessment();
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  int with_spread = 0;
  for (const auto& t : a.findings.tests) with_spread += !t.healthy_source.empty();
  EXPECT_EQ(with_spread, 13);  // eight tests, five of them on both sides
  for (const Side side : pulley::model::kSides) {
    // Tight hamstrings (length 0.95, stiffness 2): knee extension deficits of 77.5 deg lie
    // more than 3 SD above the typical man's 25.2 (8 deg, Gajdosik et al. 1993; 9.1 deg,
    // Yildirim et al. 2018); the raise, 35.5 deg, within 3 x 14.4 deg below his 71.2 (Santonja
    // Renedo et al. 2020).
    const auto* passive = a.findings.find(MeasuredTest::passive_knee_extension_deficit_deg, side);
    const auto* active = a.findings.find(MeasuredTest::active_knee_extension_deficit_deg, side);
    const auto* raise = a.findings.find(MeasuredTest::straight_leg_raise_deg, side);
    ASSERT_TRUE(passive && active && raise);
    EXPECT_EQ(passive->healthy_sd, 8.0);
    EXPECT_TRUE(passive->subject_beyond_healthy_spread()) << passive->subject;
    EXPECT_EQ(active->healthy_sd, 9.1);
    EXPECT_TRUE(active->subject_beyond_healthy_spread()) << active->subject;
    EXPECT_EQ(raise->healthy_sd, 14.4);
    EXPECT_FALSE(raise->subject_beyond_healthy_spread()) << raise->subject;
    // The strength tests' spread is relative: young men's largest knee flexion torque, 0.087 +-
    // 0.015 body weight x stature (Anderson et al. 2007), about the typical man's.
    const auto* flexion = a.findings.find(MeasuredTest::knee_flexion_torque_nm_per_kg, side);
    ASSERT_TRUE(flexion);
    EXPECT_NEAR(flexion->healthy_sd, 0.015 / 0.087 * flexion->typical, 1e-12);
  }
  const auto& summary = a.findings.summary;
  const auto beyond = std::find_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.rfind("Beyond healthy people:", 0) == 0;
  });
  ASSERT_NE(beyond, summary.end());
  EXPECT_NE(beyond->find("passive knee extension deficit, hip 90: 77.5 deg (right) and 77.5 deg "
                         "(left) against the typical subject's 25.2 deg, 6.5 SD away (one SD 8.0 "
                         "deg, Gajdosik et al. 1993)"),
            std::string::npos)
      << *beyond;
  EXPECT_NE(beyond->find("active knee extension deficit, hip 90: 77.5 deg (right) and 77.5 deg "
                         "(left) against the typical subject's 25.2 deg, 5.7 SD away (one SD 9.1 "
                         "deg, Yildirim et al. 2018)"),
            std::string::npos)
      << *beyond;
  EXPECT_EQ(beyond->find("straight-leg raise"), std::string::npos) << *beyond;
  EXPECT_EQ(std::count_if(summary.begin(), summary.end(),
                          [](const std::string& l) { return l.find("Beyond healthy") == 0; }),
            1);
  // Out of reach, a strength test's value is mostly the relaxed muscles' pull, no test result:
  // one line names S4's isometric tests as not testable, without their values or a muscle's
  // strength (S4's weak quadriceps or otherwise).
  for (const auto& line : summary)
    EXPECT_EQ(line.find("Simulated isometric knee"), std::string::npos) << line;
  const auto not_testable = std::find_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.rfind("Not testable on this subject: ", 0) == 0;
  });
  ASSERT_NE(not_testable, summary.end());
  EXPECT_NE(not_testable->find("isometric knee extension strength (both sides)"), std::string::npos)
      << *not_testable;
  EXPECT_EQ(not_testable->find("N m/kg"), std::string::npos) << *not_testable;
  EXPECT_EQ(not_testable->find("weaker"), std::string::npos) << *not_testable;
}

// A value out of the subject's reach is no test result: the "Beyond healthy people" line leaves
// it out, though it lies far beyond (the "Not testable" line names its test, and the comparison
// still flags it).
TEST(Findings, BeyondHealthyPeopleLeavesOutValuesOutOfReach) {
  pulley::model::Subject s;
  s.muscles.push_back(group("hamstrings", {.length = 0.85, .stiffness = 1.5}));
  s.stretch_tolerance.hip_nm = 70.0;
  s.stretch_tolerance.knee_nm = 35.0;
  const auto a = assess::run_assessment(s);
  const auto* extension =
      a.findings.find(MeasuredTest::knee_extension_torque_nm_per_kg, Side::right);
  ASSERT_TRUE(extension);
  ASSERT_TRUE(extension->subject_beyond_passive_range());
  ASSERT_TRUE(extension->subject_beyond_healthy_spread()) << extension->subject;
  const auto& summary = a.findings.summary;
  const auto beyond = std::find_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.rfind("Beyond healthy people:", 0) == 0;
  });
  ASSERT_NE(beyond, summary.end());  // the raise and the knee extension deficits
  EXPECT_EQ(beyond->find("isometric knee"), std::string::npos) << *beyond;
  EXPECT_NE(beyond->find("passive straight-leg raise"), std::string::npos) << *beyond;
  const auto not_testable = std::find_if(summary.begin(), summary.end(), [](const std::string& l) {
    return l.rfind("Not testable on this subject: ", 0) == 0;
  });
  ASSERT_NE(not_testable, summary.end());
  EXPECT_NE(not_testable->find("isometric knee extension strength"), std::string::npos);
}

// Where the model's own typical subject lies outside a test's published range, the comparison
// says so (the reports then say it beside the norm): the typical man of 1.92 m and 100 kg misses
// the straight-leg raise's 70 deg and the isometric knee flexion's 1.15-1.62 N m/kg, not the
// standing pelvic tilt's 0-27 deg; a test without a published range never does.
TEST(Findings, SaysWhichNormsTheTypicalSubjectMisses) {
  pulley::model::Subject big;
  big.height_m = 1.92;
  big.mass_kg = 100.0;
  const auto a = assess::run_assessment(big);
  for (const Side side : {Side::right, Side::left}) {
    const auto* raise = a.findings.find(MeasuredTest::straight_leg_raise_deg, side);
    ASSERT_TRUE(raise);
    EXPECT_LT(raise->typical, raise->norm_low);
    EXPECT_TRUE(raise->typical_outside_norm());
    const auto* flexion = a.findings.find(MeasuredTest::knee_flexion_torque_nm_per_kg, side);
    ASSERT_TRUE(flexion);
    EXPECT_GT(flexion->typical, flexion->norm_high);
    EXPECT_TRUE(flexion->typical_outside_norm());
    const auto* ratio = a.findings.find(MeasuredTest::hq_ratio, side);
    ASSERT_TRUE(ratio);
    EXPECT_FALSE(ratio->typical_outside_norm());  // no published range
  }
  const auto* tilt = a.findings.find(MeasuredTest::standing_pelvic_tilt_deg, std::nullopt);
  ASSERT_TRUE(tilt);
  EXPECT_FALSE(tilt->typical_outside_norm()) << tilt->typical;
  // Either end alone.
  assess::TestComparison t;
  t.typical = 1.0;
  EXPECT_FALSE(t.typical_outside_norm());
  t.norm_high = 0.9;
  EXPECT_TRUE(t.typical_outside_norm());
  t.norm_high = assess::kNaN;
  t.norm_low = 0.9;
  EXPECT_FALSE(t.typical_outside_norm());
  t.norm_low = 1.1;
  EXPECT_TRUE(t.typical_outside_norm());
}

// Quiet standing alone (`pulley stand`) is compared as the assessment compares its standing
// tests: the same values, norms and spreads as the assessment's rows.
TEST(Findings, StandingIsComparedAsTheAssessmentComparesIt) {
  const auto& a = s4_assessment();
  const auto standing =
      assess::compare_standing(a.model, a.tests.standing, a.typical_tests.standing);
  ASSERT_EQ(standing.size(), 2u);
  for (const auto& t : standing) {
    const auto* in_assessment = a.findings.find(t.test, std::nullopt);
    ASSERT_TRUE(in_assessment);
    EXPECT_EQ(t.subject, in_assessment->subject);
    EXPECT_EQ(t.typical, in_assessment->typical);
    EXPECT_EQ(t.norm_low, in_assessment->norm_low);
    EXPECT_EQ(t.norm_high, in_assessment->norm_high);
    EXPECT_EQ(t.healthy_sd, in_assessment->healthy_sd);
    EXPECT_EQ(t.healthy_source, in_assessment->healthy_source);
    EXPECT_EQ(t.simulated_vs_typical, in_assessment->simulated_vs_typical);
    EXPECT_EQ(t.norm_reference, in_assessment->norm_reference);
    EXPECT_EQ(t.norm_source, in_assessment->norm_source);
  }
  // S4 stands within healthy people's spread (tilt 4 deg, lordosis 8 deg a SD): no sentence.
  EXPECT_EQ(assess::beyond_healthy_people(standing), "");
  // A measured standing posture in the subject file is read as the assessment reads it.
  pulley::model::Model measured = a.model;
  measured.subject.measurements.push_back(
      {MeasuredTest::standing_pelvic_tilt_deg, std::nullopt, 30.0});
  const auto with_measurement =
      assess::compare_standing(measured, a.tests.standing, a.typical_tests.standing);
  ASSERT_TRUE(with_measurement[0].measured);
  EXPECT_EQ(*with_measurement[0].measured, 30.0);
  EXPECT_EQ(with_measurement[0].measured_vs_norm, assess::Deviation::high);  // norm 0-27 deg
}

// A standing pelvis tipped far back is named beyond healthy people, with the typical subject's
// value and the spread's source.
TEST(Findings, StandingBeyondHealthyPeopleIsNamed) {
  pulley::model::Subject s;
  s.sex = pulley::model::Sex::female;
  s.height_m = 1.65;
  s.mass_kg = 62.0;
  s.muscles.push_back(group("hamstrings", {.length = 0.85}));
  const auto model = pulley::model::compile_model(s);
  const auto typical = pulley::model::compile_model(assess::typical_subject(s));
  const auto standing = pulley::tasks::solve_standing(model);
  const auto typical_standing = pulley::tasks::solve_standing(typical);
  ASSERT_EQ(standing.status, pulley::tasks::SolveStatus::converged) << standing.message;
  ASSERT_EQ(typical_standing.status, pulley::tasks::SolveStatus::converged);
  const auto compared = assess::compare_standing(model, standing, typical_standing);
  ASSERT_EQ(compared.size(), 2u);
  const auto& tilt = compared[0];
  EXPECT_EQ(tilt.test, MeasuredTest::standing_pelvic_tilt_deg);
  EXPECT_EQ(tilt.healthy_sd, 4.0);
  EXPECT_TRUE(tilt.subject_beyond_healthy_spread()) << tilt.subject << " against " << tilt.typical;
  const std::string line = assess::beyond_healthy_people(compared);
  EXPECT_EQ(line.rfind("Beyond healthy people: standing pelvic tilt: ", 0), 0u) << line;
  EXPECT_NE(line.find("against the typical subject's"), std::string::npos) << line;
  EXPECT_NE(line.find("PMC4303780 table 3"), std::string::npos) << line;
  EXPECT_NE(line.find("not a diagnosis"), std::string::npos) << line;
}

// A norm is read only for the protocol it was published for: at another knee angle or speed the
// subject is compared with the typical subject tested alike; a hold stopped at its limit is read
// against as much of the norm as the limit lets it reach.
TEST(Findings, NormsAreReadOnlyForTheProtocolTheyWerePublishedFor) {
  const assess::ClinicalTestSettings standard;
  for (int t = 0; t < pulley::model::kNumMeasuredTests; ++t)
    EXPECT_TRUE(assess::norm_applies(static_cast<MeasuredTest>(t), standard));
  assess::ClinicalTestSettings hip = standard, nordic = standard, speed = standard;
  hip.isometric_hip_flexion_deg = 80.0;  // every seated strength test
  nordic.nordic_lowering_speed_deg_s = 60.0;
  speed.isokinetic_speed_deg_s = 180.0;
  for (const auto test :
       {MeasuredTest::knee_flexion_torque_nm_per_kg, MeasuredTest::hq_ratio,
        MeasuredTest::concentric_knee_flexion_nm_per_kg, MeasuredTest::conventional_hq_ratio})
    EXPECT_FALSE(assess::norm_applies(test, hip));
  EXPECT_FALSE(assess::norm_applies(MeasuredTest::nordic_force_n, nordic));
  EXPECT_TRUE(assess::norm_applies(MeasuredTest::knee_flexion_torque_nm_per_kg, nordic));
  EXPECT_FALSE(assess::norm_applies(MeasuredTest::conventional_hq_ratio, speed));
  EXPECT_TRUE(assess::norm_applies(MeasuredTest::hq_ratio, speed));  // isometric: no speed

  pulley::model::Subject s;
  s.protocol.isometric_knee_flexion_deg = 90.0;
  s.protocol.isokinetic_speed_deg_s = 180.0;
  s.protocol.trunk_endurance_limit_s = 120.0;  // past the men's low end (110 s), short of 162 s
  s.measurements.push_back({MeasuredTest::conventional_hq_ratio, Side::right, 0.85});
  s.measurements.push_back({MeasuredTest::trunk_extensor_endurance_s, std::nullopt, 100.0});
  const auto a = assess::run_assessment(s);
  ASSERT_TRUE(a.findings.ok) << a.findings.message;
  EXPECT_EQ(a.tests.settings.isokinetic_speed_deg_s, 180.0);
  EXPECT_EQ(a.typical_tests.settings.isokinetic_speed_deg_s, 180.0);
  EXPECT_EQ(a.typical_tests.settings.isometric_knee_flexion_deg, 90.0);
  const auto& default_protocol = s4_assessment().findings;
  for (const auto test :
       {MeasuredTest::conventional_hq_ratio, MeasuredTest::knee_flexion_torque_nm_per_kg}) {
    SCOPED_TRACE(std::string(pulley::model::to_string(test)));
    const auto* here = a.findings.find(test, Side::right);
    const auto* there = default_protocol.find(test, Side::right);
    ASSERT_TRUE(here && there);
    EXPECT_TRUE(std::isfinite(there->norm_low) || std::isfinite(there->norm_high));
    EXPECT_FALSE(std::isfinite(here->norm_low) || std::isfinite(here->norm_high));
    EXPECT_TRUE(here->norm_source.empty());
    // The strength test's healthy spread, of the largest torque, is read with its norm only.
    if (test == MeasuredTest::knee_flexion_torque_nm_per_kg) {
      EXPECT_FALSE(there->healthy_source.empty());
      EXPECT_TRUE(here->healthy_source.empty());
    }
  }
  // The isometric ratio has no published norm under any protocol (the 0.47 flag is the
  // concentric ratio's).
  for (const auto* f : {&a.findings, &default_protocol}) {
    const auto* isometric = f->find(MeasuredTest::hq_ratio, Side::right);
    ASSERT_TRUE(isometric);
    EXPECT_FALSE(std::isfinite(isometric->norm_low) || std::isfinite(isometric->norm_high) ||
                 std::isfinite(isometric->norm_reference));
    EXPECT_TRUE(isometric->norm_source.empty());
  }
  // 0.85 is high against the typical man's ratio at 180 deg/s (about 0.63, beyond 22 %), but the
  // model's typical subject is no norm: with none published for 180 deg/s the measurement is not
  // compared, and the summary says why.
  const auto* ratio = a.findings.find(MeasuredTest::conventional_hq_ratio, Side::right);
  ASSERT_TRUE(ratio->measured);
  EXPECT_EQ(ratio->simulated_vs_typical, assess::Deviation::typical);
  EXPECT_EQ(ratio->measured_vs_norm, assess::Deviation::not_compared);
  EXPECT_NE(assess::measured_against_norm(*ratio).find("not compared: no published norm"),
            std::string::npos)
      << assess::measured_against_norm(*ratio);
  // The hold stopped at 120 s keeps the low end, not the mean it could not reach.
  const auto* trunk = a.findings.find(MeasuredTest::trunk_extensor_endurance_s, std::nullopt);
  ASSERT_TRUE(trunk);
  EXPECT_EQ(trunk->norm_low, 110.0);
  EXPECT_FALSE(std::isfinite(trunk->norm_reference));
  EXPECT_EQ(trunk->measured_vs_norm, assess::Deviation::low);
  // The Nordic's norm stands: its lowering speed is the default.
  const auto* nordic_force = a.findings.find(MeasuredTest::nordic_force_n, Side::right);
  ASSERT_TRUE(nordic_force);
  EXPECT_EQ(nordic_force->norm_low, 256.0);
}

TEST(Findings, SignSupportedByTheModelAgainstMeasurementIsMixed) {
  // Weak hamstrings in the model support "back of thigh fatigue"; a measured Nordic force well
  // above the 256 N threshold does not.
  pulley::model::Subject s;
  s.muscles.push_back(group("hamstrings", {.strength = 0.5}));
  s.signs.push_back({SignKind::back_of_thigh_fatigue, Side::right});
  s.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, Side::right, 1.9});
  const auto a = assess::run_assessment(s);
  ASSERT_EQ(a.findings.signs.size(), 1u);
  const auto& sign = a.findings.signs[0];
  EXPECT_EQ(sign.verdict, assess::SignVerdict::mixed) << sign.conclusion;
  EXPECT_NE(sign.conclusion.find("measurements point the other way"), std::string::npos)
      << sign.conclusion;
}

// A posture sign is weighed first against the model's standing, and a strength test against
// the group's strength: tight hamstrings lower the knee flexion torque without being weak.
TEST(Findings, APostureSignIsWeighedAgainstStandingAndStrengthAgainstStrength) {
  const auto weigh = [](pulley::model::MuscleFactors hamstrings) {
    pulley::model::Subject s;
    s.muscles.push_back(group("hamstrings", hamstrings));
    s.signs.push_back({SignKind::bottom_sticks_out, std::nullopt});
    const auto a = assess::run_assessment(s);
    EXPECT_TRUE(a.findings.ok) << a.findings.message;
    return a.findings.signs.at(0);
  };
  const auto count = [](const assess::SignAssessment& sign, const std::string& text,
                        bool supports) {
    return std::count_if(sign.evidence.begin(), sign.evidence.end(), [&](const auto& e) {
      return e.supports == supports && e.statement.find(text) != std::string::npos;
    });
  };
  const auto tight = weigh({.length = 0.97, .stiffness = 1.6});
  EXPECT_EQ(count(tight, "no sign of the pelvis tipped forward", false), 1);
  // Isometric knee flexion and the Nordic force, both sides, each with its own cause.
  EXPECT_EQ(count(tight,
                  "its length, stiffness or fascicles, which differ from typical, move "
                  "this test",
                  false),
            4);
  EXPECT_EQ(count(tight, "", true), 0);
  EXPECT_EQ(tight.verdict, assess::SignVerdict::contradicted) << tight.conclusion;
  // Weak hamstrings' lower torque is a reading of their strength.
  const auto weak = weigh({.strength = 0.6});
  EXPECT_EQ(count(weak, ": weaker hamstrings", true), 4);
  EXPECT_EQ(count(weak, "move this test", false), 0);
}

TEST(Findings, SignWithoutAnyBearingIsNotExplained) {
  pulley::model::Subject s;
  s.signs.push_back({SignKind::pain_behind_knee, Side::left});
  const auto a = assess::run_assessment(s);
  ASSERT_EQ(a.findings.signs.size(), 1u);
  EXPECT_EQ(a.findings.signs[0].verdict, assess::SignVerdict::not_explained);
  EXPECT_NE(a.findings.signs[0].conclusion.find("clinician"), std::string::npos);
  EXPECT_TRUE(a.findings.chains.empty());
}

TEST(Findings, TheTypicalSubjectsRunIsKeptBetweenCalls) {
  // The first call fills the typical subject's indices, one per head, and gives the strain index
  // the assessment gave; the second reads them (doubled here, they halve the relative index).
  const assess::Assessment& a = s4_assessment();
  std::vector<double> kept;
  const assess::FindingsSettings settings;
  const auto first = assess::hamstring_strain(a.model, a.tests.standing, a.typical,
                                              a.typical_tests.standing, settings, &kept);
  ASSERT_EQ(kept.size(), 4u);
  for (double& index : kept) index *= 2.0;
  const auto second = assess::hamstring_strain(a.model, a.tests.standing, a.typical,
                                               a.typical_tests.standing, settings, &kept);
  EXPECT_DOUBLE_EQ(first.relative, a.findings.strain.relative);
  EXPECT_DOUBLE_EQ(second.relative, a.findings.strain.relative / 2.0);
  EXPECT_GT(std::abs(a.findings.strain.relative - 1.0), 0.01);
  // Indices kept for another stride (one head) are not taken: they are computed again.
  std::vector<double> wrong = {1.0};
  const auto third = assess::hamstring_strain(a.model, a.tests.standing, a.typical,
                                              a.typical_tests.standing, settings, &wrong);
  EXPECT_DOUBLE_EQ(third.relative, a.findings.strain.relative);
  EXPECT_EQ(wrong.size(), 4u);  // filled again
}

TEST(Findings, BadSettingsAndMissingInputsAreInputErrors) {
  assess::FindingsSettings bad;
  bad.run_speed_m_s = 9.5;
  std::string error;
  EXPECT_FALSE(bad.IsValid(&error));
  EXPECT_NE(error.find("run_speed_m_s"), std::string::npos);
  EXPECT_THROW(assess::find_findings({}, {}), pulley::InputError);
  bad = {};
  bad.bend_frames = 3;
  EXPECT_THROW(assess::run_assessment(pulley::model::Subject{}, bad), pulley::InputError);
  bad.bend_frames = 30;  // no deepest frame in the middle
  EXPECT_FALSE(bad.IsValid(&error));
  EXPECT_NE(error.find("odd numbers"), std::string::npos) << error;
}

}  // namespace
