// Clinical tests of the muscles around the pelvis, simulated the way they are performed: the
// position, what is held fixed and what ends each test (docs/assessment.md gives the protocols,
// their sources and their assumptions; docs/validation.md the figures against published values).
//
//   passive straight-leg raise (SLR)        supine, pelvis held, knee straight; the examiner raises
//                                           the leg until the passive hip moment reaches the
//                                           person's hip stretch tolerance
//   passive knee extension (PKE)            supine, hip held at 90 deg; the examiner extends the
//                                           knee until the passive knee moment reaches the knee
//                                           stretch tolerance; result: knee flexion left (deficit)
//   active knee extension (AKE)             the same position; the person extends the knee with
//                                           the quadriceps until the stretch tolerance or until the
//                                           muscles at full effort can extend it no further
//   modified Thomas test                    supine at the end of the table, the other knee held to
//                                           the chest; the test leg hangs where gravity and passive
//                                           tissue balance: hip extension below the table line and
//                                           knee flexion
//   isometric knee flexion and extension    seated, hip and knee at set angles, each side alone:
//                                           the largest knee moment at full effort with the ankle
//                                           in balance (N m per kg of body mass), and H:Q
//   Nordic hamstring exercise               kneeling, ankles strapped, hips straight; the body
//                                           lowers forward until the knee flexors can no longer
//                                           hold it; the force at each strap there
//   prone trunk-extensor endurance          the `trunk-endurance` task's hold (tasks/fatigue.hpp)
//   standing pelvic tilt and lordosis       quiet standing (tasks/standing.hpp)
//
// Every test uses the subject's own model: passive forces from each unit's fibre-tendon
// equilibrium at resting tone (docs/model.md, section 4), the joint limits and lumbar segments
// (section 6), and, for the active tests, the units' forces up to full activation (times the
// subject's `capacity`), shared by the recruitment of recruitment/static_optimization.hpp.
// Units: SI inside; degrees and N m per kg only in the result fields that name them.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "pulley/model/model.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::assess {

/// Hip stretch tolerance when the subject file sets none (N m): the passive hip extension moment
/// (relaxed muscles at lying tone and the hip's joint limit, the leg's weight excluded) at which a
/// straight-leg raise ends. UNVERIFIED: a recalled order of the end-of-range passive hip moment of
/// healthy young adults in instrumented straight-leg raises. The abstracts read give no figure to
/// set it by: Halbertsma & Goeken 1994 (Arch Phys Med Rehabil 75:976; 14 adults, 20-38 y) report
/// only that 4 weeks of stretching raised "the stretching moment tolerated"; Marshall & Siegler
/// 2014 (BMC Musculoskelet Disord 15:223; 45 men, 45 women, instrumented raise) that the maximal
/// applied torque did not differ between the sexes (p = 0.42), so no sex-specific default;
/// Marshall, Cashman & Cheema 2011 (J Sci Med Sport 14:535) measured tolerance as pain, not torque.
/// docs/assessment.md, "What the torque studies give".
inline constexpr double kDefaultHipStretchToleranceNm = 60.0;
/// Knee stretch tolerance when the subject file sets none (N m): the passive knee flexion moment
/// (likewise, the shank's weight excluded) at which a knee extension with the hip at 90 deg ends.
/// Chosen: the person stops both stretches of the hamstrings at the same hamstring tension. The
/// value is the knee moment at which the typical man's (1.75 m, 75 kg) semimembranosus,
/// semitendinosus and biceps femoris long head carry, together, the 1.10 kN they carry when
/// kDefaultHipStretchToleranceNm ends his straight-leg raise (39.8 N m, at 25.5 deg of knee
/// flexion; 43.4 N m, at 26.2 deg, before the knee's coupled motion moved the hamstrings'
/// tibial insertions, docs/model.md section 1; clinical_tests_test.cpp,
/// KneeDefaultToleratesTheHipDefaultsHamstringTension). So it is as
/// unverified as the hip default it follows. Both tests end at a stretch felt in the back of the
/// thigh, and the tolerance is the person's, not the muscle's (Weppler & Magnusson 2010, Phys
/// Ther 90:438; Gajdosik's short- and normal-hamstring men stopped at the same maximal passive
/// knee torque). No figure to set it by directly: Iwata et al. 2019 (J Sports Sci Med 18:13; 24
/// adults) give only the change of the torque at the onset of pain (+10 % after dynamic
/// stretching); Brusco, Blazevich & Pinto 2019 (Eur J Appl Physiol 119:1691; 13 young men with
/// limited hamstring flexibility) a peak passive torque of 53.1 +- 11.7 whose joint and hip angle
/// the abstract does not name. docs/assessment.md, "What the torque studies give".
inline constexpr double kDefaultKneeStretchToleranceNm = 40.0;

/// How a test ended.
enum class TestEnd {
  stretch_tolerance,  ///< the passive moment reached the person's stretch tolerance
  range_limit,        ///< the search reached its end (hip 150 deg) before the tolerance
  full_extension,     ///< the knee reached full extension (0 deg) first
  muscle_capacity,    ///< the muscles at full effort could hold or move the joint no further
  gravity_balance,    ///< the limb came to rest where gravity and passive tissue balance
  maximum_effort,     ///< a maximum at full effort: isometric at a fixed posture, or the
                      ///< concentric peak over the isokinetic range
  held_throughout,    ///< the muscles held the whole movement or hold (Nordic to the floor,
                      ///< trunk endurance to the time limit)
  /// a maximum at full effort, as maximum_effort, but at a knee posture beyond the range the
  /// person tolerates passively (the knee's relaxed flexion moment there is at or above the knee
  /// stretch tolerance, as at the passive knee extension's end): no person could be placed there,
  /// so the value is the model's at the prescribed posture, not a test result
  beyond_passive_range,
  /// the stretch tolerance was already reached where the test starts (the straight-leg raise
  /// with the leg on the table, a passive or active knee extension with the knee at 90 deg): the
  /// value is the start, a bound (a raise of at most 0 deg, a deficit of at least 90 deg)
  stretch_tolerance_at_start,
  /// the muscles at full effort could not hold the active knee extension's start (the knee at 90
  /// deg) against the shank's weight and the relaxed hamstrings' pull, though the stretch there
  /// was within the tolerance: the value is the start, a bound (a deficit of at least 90 deg)
  muscle_capacity_at_start,
  not_computed,  ///< a solve failed; the value is NaN (JSON null)
};
const char* to_string(TestEnd end);
/// True for the ends at the test's start (stretch_tolerance_at_start, muscle_capacity_at_start).
bool ended_at_start(TestEnd end);

/// Why a value that ended beyond_passive_range is no test result: the one wording the printouts,
/// the findings and the reports use, after "not testable: " or the like.
inline constexpr const char* kBeyondPassiveRangeNote =
    "the test's knee angle, or a concentric test's whole range, lies beyond the range this "
    "subject tolerates passively, where its relaxed knee stops extending with the hip as the test "
    "sets it (docs/assessment.md, \"Out of reach\"): no person could be placed there, so the "
    "value is the model's, not a test result";

/// Why a value that ended at its start is a bound, not a reading: the one full wording the
/// printouts' and the report's notes use (the findings' summary says it in a clause).
inline constexpr const char* kAtStartNote =
    "the test ended where it starts (docs/assessment.md, \"Ended at the start\"): the stretch "
    "tolerance was already reached there, or the muscles at full effort could not hold the start, "
    "so the value is the start, a bound (a straight-leg raise of at most 0 deg, a knee extension "
    "deficit of at least 90 deg), not a reading: muscles this far from typical lie beyond what "
    "the test can tell apart";

/// The body shape the tests start from: each lumbar level as in the subject's quiet standing
/// (supine with straight legs reproduces the standing lordosis within a median 3 deg, Andreasen et
/// al. 2007, cited in docs/model.md).
struct TestContext {
  std::array<double, 5> lumbar_rad{};  ///< segmental lordosis L1_L2 ... L5_S1 (rad)
};
TestContext make_test_context(const model::Model& model, const tasks::StandingResult& standing);
/// The context with every level at its neutral (zero-moment) lordosis, for tests of one test alone.
TestContext neutral_test_context(const model::Model& model);

/// The test protocols' settings. Defaults are documented in docs/assessment.md.
struct ClinicalTestSettings {
  /// Knee and hip flexion of the isometric strength tests (deg). chosen: 60 deg lies in the
  /// "mid-range" knee angles of the reference values (Sarabon et al. 2021, Front Physiol
  /// 12:767941) and is a usual test angle; seated upright, the hip at 90 deg.
  double isometric_knee_flexion_deg = 60.0;
  double isometric_hip_flexion_deg = 90.0;
  /// Angular speed of the knee while the body lowers in the Nordic exercise (deg/s), for the
  /// knee-crossing units' force-velocity factor. chosen: about 90 deg in 3 s, a slow controlled
  /// lowering; docs/assessment.md gives the factor it makes.
  double nordic_lowering_speed_deg_s = 30.0;
  /// Knee speed of the concentric (isokinetic) strength test (deg/s). chosen: 60 deg/s, the speed
  /// of the conventional hamstring:quadriceps ratio (Coombs & Garbutt 2002, domain.md).
  double isokinetic_speed_deg_s = 60.0;
  /// Whether run_clinical_tests runs the concentric test (the conventional H:Q); false leaves its
  /// results not computed, for callers that do not report them.
  bool isokinetic_test = true;
  /// Longest trunk-extensor hold simulated (s); the `trunk-endurance` task's default.
  double trunk_endurance_limit_s = model::SubjectLimits::kTrunkHoldLimitDefaultS;

  /// True if every value is finite and in its range (knee 0-120 deg, hip 0-120 deg, Nordic speed
  /// 1-180 deg/s, isokinetic speed 1-300 deg/s, limit 10-3600 s); otherwise `error` says which and
  /// what is allowed.
  bool IsValid(std::string* error) const;
};

/// The settings of the protocol `subject` was measured by (its subject file's `tests:` section),
/// the defaults where it sets none.
ClinicalTestSettings clinical_test_settings(const model::Subject& subject);

/// Each protocol setting's value in `settings`, in the order of model::kTestProtocolKeys: what
/// the outputs write as the protocol used.
std::array<double, model::kTestProtocolKeys.size()> protocol_values(
    const ClinicalTestSettings& settings);

/// The settings the subject file's `tests:` section (`given`) set, with the values `used`, in
/// words for the printouts: "isokinetic speed 180 deg/s, trunk endurance limit 120 s"; empty where
/// it sets none.
std::string protocol_set_by_subject(const ClinicalTestSettings& used,
                                    const model::TestProtocol& given);

/// One test's result on one side, or on the whole body.
struct TestValue {
  double value = 0.0;  ///< in the unit its name gives; NaN when not computed
  TestEnd end = TestEnd::not_computed;
};

/// A test on both sides, [right, left].
using SidedValue = std::array<TestValue, 2>;

/// Where a test's search for its end looks first: the same test's result (deg, as the test
/// reports it) on a nearby subject, as a calibration has from its last run of the test. The
/// searches scan the joint's range in fixed steps and refine the first step where the test ends; a
/// hint lets them start at the step that held the last end and walk back or on from there. Where
/// the test's condition changes once over the range, as it does in the straight-leg raise, the
/// knee tests and the Nordic exercise, the search refines the same step and the result is the
/// same with or without a hint (to 1e-9 deg: the relaxed foot's search starts elsewhere); only
/// the number of postures evaluated differs (docs/assessment.md).
using SearchHint = std::optional<double>;

/// Passive straight-leg raise of `side` (deg from the table, the pelvis held). Ends when the
/// passive hip extension moment reaches `hip_tolerance_nm`; that moment rises through the whole
/// range (the hamstrings turn over the ischium in deep flexion: docs/model.md, section 5), so a
/// SearchHint changes no result. `near`: a raise found before.
TestValue straight_leg_raise(const model::Model& model, const TestContext& context,
                             model::Side side, double hip_tolerance_nm, SearchHint near = {});

/// Where the relaxed knee stops extending (deg of knee flexion; at the knee stretch tolerance)
/// with the hip at the seated strength tests' angle: the knee angles those tests can be set to
/// reach down to it. The passive knee extension deficit (`passive_deficit()`, called only then)
/// when that angle is the passive test's 90 deg, else the same search with the hip at the tests'
/// angle, started near `near` (a SearchHint changes no result).
TestValue strength_test_knee_end(const model::Model& model, const TestContext& context,
                                 model::Side side, double knee_tolerance_nm,
                                 const ClinicalTestSettings& settings,
                                 const std::function<TestValue()>& passive_deficit,
                                 SearchHint near = {});

/// Passive knee extension with the hip at 90 deg: the knee flexion left at the end (deg; 0 = the
/// knee straightened fully).
TestValue passive_knee_extension_deficit(const model::Model& model, const TestContext& context,
                                         model::Side side, double knee_tolerance_nm,
                                         SearchHint near = {});

/// Active knee extension with the hip at 90 deg: the knee flexion left (deg) where the stretch
/// tolerance is reached or the muscles at full effort can lift the shank no further. `passive`,
/// when given, is passive_knee_extension_deficit's result for the same side and tolerance (its
/// stretch end is this test's too), which spares computing it again.
TestValue active_knee_extension_deficit(const model::Model& model, const TestContext& context,
                                        model::Side side, double knee_tolerance_nm,
                                        const TestValue* passive = nullptr, SearchHint near = {});

/// Modified Thomas test: where the relaxed test leg comes to rest.
struct ThomasResult {
  TestValue hip_extension_deg;  ///< thigh below the table line (deg); negative = above it
  TestValue knee_flexion_deg;   ///< (deg)
  double ankle_dorsiflexion_deg = 0.0;
};
/// `near`: a rest found before (a nearby subject's, such as last week's in a programme), where
/// the search starts instead of the thigh along the table: the leg comes to the same rest, to the
/// search's tolerance, where its energy has one minimum.
ThomasResult thomas_test(const model::Model& model, const TestContext& context, model::Side side,
                         const ThomasResult* near = nullptr);

/// Isometric knee strength of one side at the settings' angles: the largest knee flexion and
/// extension moments (N m, passive tissue included, gravity excluded as dynamometers correct it),
/// ending maximum_effort (run_clinical_tests marks them beyond_passive_range where, with the hip at
/// the passive knee extension's 90 deg, that test ended at this knee angle or a more flexed one).
struct KneeStrength {
  TestValue flexion_nm, extension_nm;
};
KneeStrength isometric_knee_strength(const model::Model& model, const TestContext& context,
                                     model::Side side, const ClinicalTestSettings& settings);

/// A hamstring:quadriceps ratio, flexion over extension (TestEnd::maximum_effort, or
/// beyond_passive_range when either is); not computed when either is not, or when the extensors
/// cannot beat the flexors' passive pull (extension not positive).
TestValue hamstring_quadriceps_ratio(const TestValue& flexion, const TestValue& extension);

/// A knee strength test's two moments over body mass (N m/kg, as reported) and their H:Q.
struct KneeStrengthPerKg {
  TestValue flexion, extension, ratio;
};
KneeStrengthPerKg knee_strength_per_kg(const TestValue& flexion_nm, const TestValue& extension_nm,
                                       double mass_kg);

/// Concentric (isokinetic) knee strength of one side, seated as the isometric test (hip at
/// `isometric_hip_flexion_deg`), the knee moving at `isokinetic_speed_deg_s` between 90 deg of
/// flexion and `extended_end_deg` (run_clinical_tests: the passive knee extension deficit, where
/// the person's knee stops extending): the peak concentric flexion and extension moments over that
/// range (N m, passive tissue included, gravity excluded) and the knee flexion where each peaks
/// (deg). The units crossing the knee carry De Groote's force-velocity factor at the speed their
/// moment arms give them (tendon taken rigid, as in the Nordic exercise). The peaks end
/// maximum_effort (run_clinical_tests marks them beyond_passive_range where the range has no
/// extent: the passive knee extension ended at its 90 deg start).
struct IsokineticStrength {
  TestValue flexion_nm, extension_nm;
  double flexion_peak_knee_deg = 0.0, extension_peak_knee_deg = 0.0;  ///< NaN if not computed
  double extended_end_deg = 0.0;  ///< the range's extended end, clamped to 0-90 deg
};
IsokineticStrength isokinetic_knee_strength(const model::Model& model, const TestContext& context,
                                            model::Side side, const ClinicalTestSettings& settings,
                                            double extended_end_deg = 0.0);
/// The concentric test's extended end for a person's passive knee extension deficit (deg): the
/// deficit, or full extension (0 deg) where that test found none.
double isokinetic_extended_end_deg(const TestValue& passive_knee_extension_deficit);

/// Nordic hamstring exercise.
struct NordicResult {
  std::array<TestValue, 2> force_n;  ///< force at each ankle strap at the break (N), [right, left]
  /// Knee flexion where the knee flexors can no longer hold the body (deg); NaN if they hold it
  /// down to the floor (0 deg).
  double break_knee_flexion_deg = 0.0;
  /// Force-velocity factor of the biceps femoris long head at the break (1 = isometric).
  double eccentric_factor = 1.0;
  std::array<double, 2> strap_distance_m{};  ///< knee joint centre to the strap (m)
};
/// `near`: a break_knee_flexion_deg found before (SearchHint).
NordicResult nordic_hamstring(const model::Model& model, const TestContext& context,
                              const ClinicalTestSettings& settings, SearchHint near = {});

/// Every test on a subject. Field names carry the unit, as in the JSON (docs/file-formats.md).
struct ClinicalTestResults {
  bool ok = false;      ///< quiet standing, the start of every test, was solved
  std::string message;  ///< why not, when !ok
  ClinicalTestSettings settings;
  double stretch_tolerance_hip_nm = 0.0, stretch_tolerance_knee_nm = 0.0;  ///< as used
  SidedValue straight_leg_raise_deg, passive_knee_extension_deficit_deg,
      active_knee_extension_deficit_deg, thomas_hip_extension_deg, thomas_knee_flexion_deg,
      knee_flexion_torque_nm_per_kg, knee_extension_torque_nm_per_kg, hq_ratio, nordic_force_n;
  /// The concentric test's peaks over body mass (N m/kg) and their ratio, flexion over extension:
  /// the conventional H:Q.
  SidedValue concentric_knee_flexion_nm_per_kg, concentric_knee_extension_nm_per_kg,
      conventional_hq_ratio;
  /// Where the knee stops extending with the hip at the strength tests' angle
  /// (strength_test_knee_end; the passive knee extension deficit at 90 deg): not in the JSON, the
  /// angle the knee strength tests are judged in reach against.
  SidedValue strength_test_knee_end_deg;
  /// Knee flexion where the concentric moments peak, and the extended end of the test's range
  /// (deg), [right, left]; NaN if not computed.
  std::array<double, 2> concentric_flexion_peak_knee_deg{}, concentric_extension_peak_knee_deg{},
      concentric_extended_end_deg{};
  TestValue trunk_extensor_endurance_s;
  TestValue standing_pelvic_tilt_deg, standing_lumbar_lordosis_deg;
  /// The Thomas test's relaxed foot (deg): not reported (not in the JSON), kept as the start of
  /// a nearby subject's test (NearbyResults).
  std::array<double, 2> thomas_ankle_dorsiflexion_deg{};
  NordicResult nordic;  ///< the Nordic exercise's details
  tasks::StandingResult standing;
};

/// Prone trunk-extensor endurance (Biering-Sorensen) from quiet standing `standing`: the time the
/// trunk is held (s, TestEnd::muscle_capacity), or the settings' limit (TestEnd::held_throughout).
TestValue trunk_extensor_endurance(const model::Model& model, const tasks::StandingResult& standing,
                                   const ClinicalTestSettings& settings = {});

/// The stretch tolerances of the subject (its `tests:` section) or the defaults above (N m).
double hip_stretch_tolerance_nm(const model::Model& model);
double knee_stretch_tolerance_nm(const model::Model& model);

/// What run_clinical_tests may start from: a nearby subject's results (last week's, in a training
/// programme). Quiet standing starts its search from that posture, the straight-leg raise, the
/// knee extension tests and the Nordic exercise from their ends (SearchHint), the Thomas test from
/// its rest; the results are the same to the searches' tolerances, with fewer postures evaluated.
struct NearbyResults {
  const ClinicalTestResults* results = nullptr;
  /// Reported instead of holding the trunk again, when set: for a caller that knows the hold's
  /// inputs (the units crossing the lumbar spine, and standing's pelvis and trunk) are as they
  /// were when this value was found.
  std::optional<TestValue> trunk_extensor_endurance_s;
};

/// Runs every test. Throws InputError if `settings` is invalid; never throws for numerical
/// trouble (a test that cannot be computed is marked TestEnd::not_computed).
ClinicalTestResults run_clinical_tests(const model::Model& model,
                                       const ClinicalTestSettings& settings = {},
                                       const NearbyResults& nearby = {});

}  // namespace pulley::assess
