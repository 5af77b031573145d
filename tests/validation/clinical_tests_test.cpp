// The simulated clinical tests against published values (tabulated in docs/validation.md, section
// "Clinical tests"). The model's parameters and the tests' defaults were not fitted to these
// values. A documented miss is asserted as a miss, so that the docs are updated when it changes.
//
// Sources:
//  - straight-leg raise: "tight" below 70 deg (Li et al. 1996, as in domain.md); typical healthy
//    adults 75-80 deg (the target, domain.md); 61 +- 6.7 deg in 30 men with the pelvis
//    strapped (Gajdosik et al. 1993, J Orthop Sports Phys Ther 18:614); women about 8 deg more
//    than men (Youdas et al. 2005, J Orthop Sports Phys Ther 35:246).
//  - active knee extension deficit: 17.8 +- 9.1 deg in men, 13.4 +- 6.0 in women; "tight" above
//    33 / 23 deg (Yildirim et al. 2018, Balkan Med J 35:388).
//  - isometric knee torque of adult men, mid-range knee angles, pooled 95 % CI: extension
//    2.92-3.45, flexion 1.15-1.62 N m/kg (Sarabon, Kozinc & Perman 2021, Front Physiol
//    12:767941).
//  - conventional H:Q about 0.6, 0.47 flags imbalance (Coombs & Garbutt 2002; Ardern 2015).
//  - modified Thomas test, 117 elite athletes: thigh 11.9 deg below the horizontal, knee flexion
//    52.5 deg (Harvey 1998, Br J Sports Med 32:68).
//  - Nordic hamstring force below 256 N (pre-season) carries 2.7 times the risk of a strain (Opar
//    et al. 2015, Med Sci Sports Exerc 47:857).
//  - prone trunk-extensor endurance: men 161.9 +- 52.2 s, women 193.7 +- 53.2 s (Juan-Recio et
//    al. 2025, PLoS ONE 20:e0324787).
//  - knee flexion (isometric at 45 deg of knee flexion, and isokinetic) with the hip at 0 / 30 /
//    60 / 90 deg, ten sprinters: lowest at 0 deg, greater at 90 deg than at 30 and 60; the
//    quadriceps' peak torque no different across the hip angles (Guex et al. 2012, J Athl Train
//    47:390, abstract).
//  - isometric knee flexion at 80 deg, trained adults: women 1.04 +- 0.26, men 1.24 +- 0.30 N m/kg
//    (Arthrosc Sports Med Rehabil 2024, PMC10823066).
#include "pulley/assess/clinical_tests.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "pulley/core/units.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/data.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::assess {
namespace {

constexpr int kRight = 0;

ClinicalTestResults run(const std::string& yaml) {
  return run_clinical_tests(model::compile_model(io::parse_subject_yaml(yaml, "subject.yaml")));
}

ClinicalTestResults demo(const std::string& id) {
  const io::DemoSubject* d = io::find_demo_subject(id);
  if (d) return run(std::string(d->yaml));
  ADD_FAILURE() << "no demo subject " << id;
  return {};
}

const ClinicalTestResults& typical() {
  static const ClinicalTestResults r = demo("typical");
  return r;
}

// The typical woman of docs/validation.md (1.65 m, 62 kg).
const ClinicalTestResults& typical_woman() {
  static const ClinicalTestResults r = run("sex: female\nheight_m: 1.65\nmass_kg: 62\n");
  return r;
}

double right(const SidedValue& v) { return v[kRight].value; }

TEST(ClinicalTestsValidation, StraightLegRaise) {
  const double slr = right(typical().straight_leg_raise_deg);
  EXPECT_GE(slr, 70.0);  // not "tight" (Li 1996)
  // Documented miss: 71.2 deg against 75-80 deg with the default hip stretch tolerance.
  EXPECT_LT(slr, 75.0);
  // With the pelvis and other thigh strapped, as the model holds them: 61 +- 6.7 deg in 30 men
  // (Gajdosik et al. 1993); the model lies within two spreads, above the mean.
  EXPECT_NEAR(slr, 61.0, 2.0 * 6.7);
  // Women are more flexible (Youdas 2005): the model's woman raises the leg further.
  EXPECT_GT(right(typical_woman().straight_leg_raise_deg), slr);
}

TEST(ClinicalTestsValidation, ActiveKneeExtensionDeficit) {
  // Men 17.8 +- 9.1 deg ("tight" above 33; Yildirim 2018): the model's 26.6 deg lies within one
  // spread but above the 15-18 deg (documented miss; 38.1 deg, "tight", with the knee
  // tolerance's earlier default of 30 N m).
  const double man = right(typical().active_knee_extension_deficit_deg);
  EXPECT_LT(man, 17.8 + 9.1);
  EXPECT_GT(man, 18.0);
  // Women 13.4 +- 6.0 deg: the model's woman 16.2 deg, within one spread, and less than the man's
  // as published.
  EXPECT_NEAR(right(typical_woman().active_knee_extension_deficit_deg), 13.4, 6.0);
  EXPECT_LT(right(typical_woman().active_knee_extension_deficit_deg), man);
}

TEST(ClinicalTestsValidation, TrunkExtensorEndurance) {
  // Documented misses: the typical man holds 81 s and the typical woman 122 s, both more than one
  // spread below the published means (the trunk's fatigue rates or the back muscles' strength;
  // docs/validation.md, Fatigue). The woman holds longer than the man, as published.
  const double man = typical().trunk_extensor_endurance_s.value;
  const double woman = typical_woman().trunk_extensor_endurance_s.value;
  EXPECT_LT(man, 161.9 - 52.2);
  EXPECT_LT(woman, 193.7 - 53.2);
  EXPECT_GT(woman, man);
}

TEST(ClinicalTestsValidation, IsometricKneeTorqueAndHQ) {
  const ClinicalTestResults& r = typical();
  // H:Q 0.61 within 10 % of about 0.6 (0.69, a miss, before the vasti's tendon slack length
  // followed Chen et al. 2016; 0.86 before the knee's coupled motion). Documented misses:
  // extension 3.48 N m/kg, just above Sarabon's 2.92-3.45 (3.06 within before the vasti's slack
  // length; 3.03 before the knee's coupled motion; 2.85, just below, before the leg muscles'
  // active curves took Rajagopal's ends); flexion 2.11 N m/kg above 1.15-1.62 (2.60 before the
  // knee's coupled motion, 2.43 before the active curves).
  // chosen: each miss held near its present size (2.11 and 3.48), so that a change that moves
  // it further is seen and documented.
  EXPECT_GT(right(r.knee_flexion_torque_nm_per_kg), 1.62);
  EXPECT_LT(right(r.knee_flexion_torque_nm_per_kg), 2.2);
  EXPECT_GT(right(r.knee_extension_torque_nm_per_kg), 3.45);
  EXPECT_LT(right(r.knee_extension_torque_nm_per_kg), 3.55);
  EXPECT_NEAR(right(r.hq_ratio), 0.6, 0.06);
}

TEST(ClinicalTestsValidation, ConventionalHQ) {
  const ClinicalTestResults& r = typical();
  // Documented misses: the conventional ratio (concentric peaks at 60 deg/s) is 0.67 against
  // about 0.6 (Coombs & Garbutt 2002), more than 10 % above (0.75 before the vasti's tendon slack
  // length followed Chen et al. 2016); the model's knee flexors peak with the knee bent (80 deg),
  // more than two spreads beyond young men's 29.9 +- 18.2 deg (Anderson et al. 2007) and past the
  // isometric test's 60 deg, so the conventional ratio lies above the isometric one (0.61).
  EXPECT_GT(right(r.conventional_hq_ratio), 0.66);
  EXPECT_GT(right(r.conventional_hq_ratio), right(r.hq_ratio));
  EXPECT_GT(r.concentric_flexion_peak_knee_deg[0], 29.9 + 2.0 * 18.2);
  // The extensors' peak at 58 deg lies within two spreads of young men's 64.9 +- 4.2 deg (Anderson
  // et al. 2007; 76 deg, a miss, before the vasti's slack length).
  EXPECT_NEAR(r.concentric_extension_peak_knee_deg[0], 64.9, 2.0 * 4.2);
  // Moving fibres pull less: each concentric peak lies below the isometric maximum at its angle.
  const model::Model m = model::compile_model(
      io::parse_subject_yaml(std::string(io::find_demo_subject("typical")->yaml), "typical.yaml"));
  const TestContext context = make_test_context(m, r.standing);
  for (const bool flexion : {true, false}) {
    ClinicalTestSettings at_peak;
    at_peak.isometric_knee_flexion_deg =
        flexion ? r.concentric_flexion_peak_knee_deg[0] : r.concentric_extension_peak_knee_deg[0];
    const KneeStrength still = isometric_knee_strength(m, context, model::Side::right, at_peak);
    const double isometric =
        (flexion ? still.flexion_nm.value : still.extension_nm.value) / m.subject.mass_kg;
    EXPECT_LT(right(flexion ? r.concentric_knee_flexion_nm_per_kg
                            : r.concentric_knee_extension_nm_per_kg),
              isometric);
  }
  // Young men's largest active isometric torques (Anderson et al. 2007's c1 times body weight and
  // height, for 1.75 m): extension 2.80 +- 0.69 N m/kg, which the model's seated maximum (75 deg)
  // meets; flexion 1.49 +- 0.26 N m/kg, which it exceeds by more than two spreads (documented
  // miss).
  ClinicalTestSettings at_75;
  at_75.isometric_knee_flexion_deg = 75.0;
  const KneeStrength most = isometric_knee_strength(m, context, model::Side::right, at_75);
  EXPECT_NEAR(most.extension_nm.value / m.subject.mass_kg, 2.80, 0.69);
  EXPECT_GT(most.flexion_nm.value / m.subject.mass_kg, 1.49 + 2.0 * 0.26);
}

// The right semimembranosus of a subject at the seated knee tests' pose (hip 90, knee 60 deg):
// its maximum isometric force per kilogram of body mass and its knee moment arm (m).
struct SeatedHamstring {
  double force_per_kg = 0.0, knee_moment_arm_m = 0.0;
};
SeatedHamstring seated_semimembranosus(const std::string& yaml) {
  const model::Subject subject = io::parse_subject_yaml(yaml, "subject.yaml");
  const model::Model m = model::compile_model(subject);
  model::Data data(m);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  for (int k = 0; k < 2; ++k) {
    q[m.coord.hip[k]] = deg_to_rad(90.0);
    q[m.coord.knee[k]] = deg_to_rad(60.0);
  }
  model::calc_musculotendon_geometry(m, q, data);
  for (int i = 0; i < m.num_units(); ++i)
    if (m.units[i].name == "semimembranosus_r")
      return {m.units[i].params.F_M_max / subject.mass_kg,
              data.moment_arms(m.coord.knee[kRight], i)};
  ADD_FAILURE() << "no semimembranosus_r";
  return {};
}

// Guex et al. 2012: knee flexion torque at 45 deg of knee flexion is lowest with the hip straight
// and greatest with it flexed 90 deg (their order pooled over isometric and isokinetic tests).
// The model's is lowest with the hip straight too, but greatest at 60 deg: with the hip at 90 deg
// its long hamstrings' fibres lie far along the descending limb (docs/validation.md, "Clinical
// tests"). The miss is asserted as a miss.
TEST(ClinicalTestsValidation, KneeFlexionAgainstHipAngleGuex2012) {
  const model::Model m = model::compile_model(model::Subject{});
  const TestContext context = make_test_context(m, tasks::solve_standing(m));
  std::array<double, 4> flexion{}, extension{};
  const std::array<double, 4> hips = {0.0, 30.0, 60.0, 90.0};
  for (std::size_t i = 0; i < hips.size(); ++i) {
    ClinicalTestSettings settings;
    settings.isometric_knee_flexion_deg = 45.0;
    settings.isometric_hip_flexion_deg = hips[i];
    const KneeStrength strength = isometric_knee_strength(m, context, model::Side::right, settings);
    flexion[i] = strength.flexion_nm.value;
    extension[i] = strength.extension_nm.value;
    const std::string hip = std::to_string(static_cast<int>(hips[i]));
    RecordProperty("knee_flexion_nm_hip_" + hip, std::to_string(flexion[i]));
    RecordProperty("knee_extension_nm_hip_" + hip, std::to_string(extension[i]));
  }
  EXPECT_LT(flexion[0], flexion[1]);  // lowest with the hip straight: as published
  EXPECT_LT(flexion[0], flexion[3]);
  EXPECT_GT(flexion[1], flexion[3]);  // the miss: published, 90 deg above 30 and 60
  EXPECT_GT(flexion[2], flexion[3]);
  // A second miss: their quadriceps' peak torque did not differ across the hip angles; the
  // model's extension falls by more than a fifth from the hip straight to 90 deg (a shorter rectus
  // femoris, and the stretched hamstrings' passive pull against it).
  EXPECT_LT(extension[3], 0.8 * extension[0]);
}

TEST(ClinicalTestsValidation, WomansKneeFlexorsOutdoTheMansPerKilogram) {
  // Documented miss (docs/validation.md, Clinical tests, "The woman's knee flexion"): published
  // women's isometric knee flexion per kilogram is below men's (1.04 +- 0.26 against 1.24 +- 0.30
  // N m/kg), the model's woman's above (2.57 against 2.11, 22 % more), while her extension
  // matches his (3.02 against 3.06).
  const double man = right(typical().knee_flexion_torque_nm_per_kg);
  const double woman = right(typical_woman().knee_flexion_torque_nm_per_kg);
  EXPECT_GT(woman, 1.15 * man);
  EXPECT_NEAR(right(typical_woman().knee_extension_torque_nm_per_kg),
              right(typical().knee_extension_torque_nm_per_kg), 0.1);
  // Why: her thigh, 12 % shorter for her stature than his in de Leva's tables, is 0.83 of his
  // and shortens her hamstrings, so at her muscle volume their forces per kilogram are 18 %
  // above his (1.182 measured), while their knee moment arms follow her shank, 0.94 of his (de
  // Leva's shank is the same share of stature in both sexes; 1.65 / 1.75 = 0.943).
  const SeatedHamstring him = seated_semimembranosus("height_m: 1.75\nmass_kg: 75\n");
  const SeatedHamstring her =
      seated_semimembranosus("sex: female\nheight_m: 1.65\nmass_kg: 62\n");
  EXPECT_NEAR(her.force_per_kg / him.force_per_kg, 1.18, 0.02);
  EXPECT_NEAR(her.knee_moment_arm_m / him.knee_moment_arm_m, 1.65 / 1.75, 0.01);
}

TEST(ClinicalTestsValidation, ModifiedThomasTest) {
  const ClinicalTestResults& r = typical();
  // Documented miss: the thigh hangs 29.4 deg below the table against 11.9 deg (43.6 deg before
  // the hip ligaments), held near its size (chosen: a change that brings it within 8 deg of 11.9,
  // or lets it fall past 35 deg, must update docs/validation.md). The knee, 54.6 deg, lies within
  // 10 % of 52.5 (chosen as the forward bend's bands; Harvey's spread was not read).
  EXPECT_GT(right(r.thomas_hip_extension_deg), 20.0);
  EXPECT_LT(right(r.thomas_hip_extension_deg), 35.0);
  EXPECT_NEAR(right(r.thomas_knee_flexion_deg), 52.5, 5.25);
}

TEST(ClinicalTestsValidation, NordicForce) {
  // 284 N per leg: above Opar's 256 N risk threshold and within 2 SD of uninjured professional
  // footballers' 378 +- 62 N (doi:10.1080/17461391.2020.1743766, abstract); 367 N, within 1 SD,
  // before the knee's coupled motion lowered the hamstrings' knee moment arms in flexion. 156 N,
  // a miss, before the leg muscles' active curves took Rajagopal's ends.
  EXPECT_GT(right(typical().nordic_force_n), 256.0);
  EXPECT_NEAR(right(typical().nordic_force_n), 378.0, 2.0 * 62.0);
}

TEST(ClinicalTestsValidation, ImbalancePatternsMoveTheRightWay) {
  const ClinicalTestResults& t = typical();
  const ClinicalTestResults s3 = demo("s3");  // weak hamstrings, tight quadriceps and hip flexors
  const ClinicalTestResults s4 = demo("s4");  // tight hamstrings, weak quadriceps and hip flexors
  // S3: weaker knee flexion, an H:Q ratio below the 0.47 that flags imbalance, a weaker Nordic,
  // and a Thomas test with the knee held straighter by the tight rectus femoris.
  EXPECT_LT(right(s3.knee_flexion_torque_nm_per_kg), right(t.knee_flexion_torque_nm_per_kg));
  EXPECT_LT(right(s3.hq_ratio), 0.47);
  EXPECT_LT(right(s3.nordic_force_n), right(t.nordic_force_n));
  EXPECT_LT(right(s3.thomas_knee_flexion_deg), right(t.thomas_knee_flexion_deg) - 10.0);
  // S3's tight hip flexors hold the thigh higher in the Thomas test (23.6 against 29.4 deg; 32.1
  // against 43.6 before the hip ligaments; before iliacus and psoas turned over the pelvic brim it
  // hung lower, 46.8 against 46.1 deg, held by the hip's joint limit). chosen: higher by more than
  // 5 deg, a difference a goniometer reads.
  EXPECT_LT(right(s3.thomas_hip_extension_deg), right(t.thomas_hip_extension_deg) - 5.0);
  // S4: a "tight" straight-leg raise and knee extension, weak knee extension, a high H:Q.
  EXPECT_LT(right(s4.straight_leg_raise_deg), 70.0);
  EXPECT_GT(right(s4.active_knee_extension_deficit_deg), 33.0);
  EXPECT_GT(right(s4.active_knee_extension_deficit_deg),
            right(t.active_knee_extension_deficit_deg));
  EXPECT_LT(right(s4.knee_extension_torque_nm_per_kg), right(t.knee_extension_torque_nm_per_kg));
  EXPECT_GT(right(s4.hq_ratio), right(t.hq_ratio));
  // Weak hamstrings alone: flexibility unchanged, strength and H:Q down.
  const ClinicalTestResults weak =
      run("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {strength: 0.6}\n");
  EXPECT_NEAR(right(weak.straight_leg_raise_deg), right(t.straight_leg_raise_deg), 0.2);
  EXPECT_LT(right(weak.knee_flexion_torque_nm_per_kg),
            0.7 * right(t.knee_flexion_torque_nm_per_kg));
  EXPECT_LT(right(weak.hq_ratio), right(t.hq_ratio));
  EXPECT_LT(right(weak.nordic_force_n), right(t.nordic_force_n));
}

}  // namespace
}  // namespace pulley::assess
