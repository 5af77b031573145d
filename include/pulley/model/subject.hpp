// The subject: who is being simulated. Built from a subject file (io/subject_yaml.hpp) or in code,
// then turned into model parameters by model/compile.hpp. Values here are in the units the subject
// file uses (named in each field); the model converts them to SI.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulley::model {

enum class Sex { male, female };
enum class Side { right, left };

inline constexpr std::array<Side, 2> kSides = {Side::right, Side::left};

/// "r" or "l", the suffix of per-side muscle names ("semimembranosus_r").
constexpr std::string_view side_suffix(Side side) { return side == Side::right ? "r" : "l"; }
/// "right" or "left", as files and reports name the side.
constexpr std::string_view side_name(Side side) { return side == Side::right ? "right" : "left"; }
/// 0 or 1, the side's index in per-side arrays ([right, left], the order of kSides).
constexpr int side_index(Side side) { return side == Side::right ? 0 : 1; }

/// Factors of the population default for one muscle (1.0 = typical). Unset fields inherit.
struct MuscleFactors {
  std::optional<double> strength;   ///< scales maximum isometric force F_M_max (dimensionless)
  std::optional<double> length;     ///< scales optimal fibre length and tendon slack length;
                                    ///< below 1 = shorter, tighter (dimensionless)
  std::optional<double> stiffness;  ///< scales passive fibre force; above 1 = stiffer (dimensionless)
  std::optional<double> capacity;   ///< fraction of maximum voluntary activation available, 0 to 1;
                                    ///< below 1 = injured or inhibited (dimensionless)
  /// scales optimal fibre (fascicle) length alone, the tendon taking up the difference so the
  /// musculotendon's slack length is unchanged: architecture (fewer or more sarcomeres in
  /// series), as eccentric training changes it; below 1 = shorter fascicles (dimensionless)
  std::optional<double> fascicle_length;
};

/// One entry of the subject file's `muscles:` section: a group ("hamstrings") or a muscle
/// ("semimembranosus"), for both sides, with optional per-side overrides. A per-side muscle name
/// ("semimembranosus_r") is stored as the muscle with only that side's factors set.
struct MuscleAdjustment {
  std::string target;  ///< group or muscle name, without side suffix
  bool is_group = false;
  MuscleFactors both;  ///< applies to both sides
  MuscleFactors right;  ///< overrides `both` on the right side
  MuscleFactors left;   ///< overrides `both` on the left side
};

/// What ends the clinical tests that stop where the person being examined stops them
/// (docs/assessment.md): the passive joint moment at which the stretch becomes intolerable.
/// Unset fields take the defaults of assess/clinical_tests.hpp. Subject-file section `tests:`.
struct StretchTolerance {
  /// Passive hip extension moment that ends a passive straight-leg raise (N m).
  std::optional<double> hip_nm;
  /// Passive knee flexion moment that ends a knee extension with the hip at 90 deg (N m).
  std::optional<double> knee_nm;
};

/// How the clinical tests are done (docs/assessment.md, "Settings"): the protocol of the clinic
/// whose measurements the subject file gives, so that the simulated tests match them. Unset fields
/// take the defaults of assess::ClinicalTestSettings. Subject-file section `tests:`.
struct TestProtocol {
  std::optional<double> isometric_knee_flexion_deg;   ///< knee angle of the isometric tests (deg)
  std::optional<double> isometric_hip_flexion_deg;    ///< hip angle of the seated tests (deg)
  std::optional<double> nordic_lowering_speed_deg_s;  ///< the Nordic's lowering speed (deg/s)
  std::optional<double> isokinetic_speed_deg_s;       ///< the concentric test's speed (deg/s)
  std::optional<double> trunk_endurance_limit_s;      ///< where the trunk hold is stopped (s)
  bool operator==(const TestProtocol&) const = default;
  /// Whether any field is set (every field's default is unset).
  bool any() const { return *this != TestProtocol{}; }
};

/// A clinical test whose result a subject file may give (section `measurements:`), for the
/// calibration (assess/calibration.hpp). Names and units are those of the assessment's JSON keys
/// (docs/subject-file.md, docs/assessment.md).
enum class MeasuredTest {
  straight_leg_raise_deg,
  passive_knee_extension_deficit_deg,
  active_knee_extension_deficit_deg,
  thomas_hip_extension_deg,
  thomas_knee_flexion_deg,
  knee_flexion_torque_nm_per_kg,
  knee_extension_torque_nm_per_kg,
  hq_ratio,
  concentric_knee_flexion_nm_per_kg,    ///< isokinetic peak (assess::isokinetic_knee_strength)
  concentric_knee_extension_nm_per_kg,  ///< isokinetic peak
  conventional_hq_ratio,                ///< concentric flexion peak over extension peak
  nordic_force_n,
  trunk_extensor_endurance_s,    ///< whole body
  standing_pelvic_tilt_deg,      ///< whole body
  standing_lumbar_lordosis_deg,  ///< whole body
};
inline constexpr int kNumMeasuredTests = 15;
/// The key of `test` in the subject file and the JSON ("straight_leg_raise_deg").
std::string_view to_string(MeasuredTest test);
/// The test whose key is `key` (to_string's inverse); none for any other key.
std::optional<MeasuredTest> measured_test_from(std::string_view key);
/// True for tests done on each leg; false for the whole-body ones.
bool is_sided(MeasuredTest test);

/// One measured value. Sided tests have a side; whole-body tests have none.
struct Measurement {
  MeasuredTest test = MeasuredTest::straight_leg_raise_deg;
  std::optional<Side> side;
  double value = 0.0;  ///< in the unit the test's name gives
};

/// A sign the clinician or the person notes (claim S7, docs/assessment.md). Subject-file section
/// `signs:`.
enum class SignKind {
  bottom_sticks_out,
  exaggerated_lumbar_arch,
  hamstring_pain_with_low_back_pain,
  knee_clicking,
  difficulty_bending_knee,
  back_of_thigh_fatigue,
  instability_on_stairs,
  pain_behind_knee,
};
inline constexpr int kNumSignKinds = 8;
std::string_view to_string(SignKind sign);

/// A sign, on one side or (no side) not tied to one.
struct Sign {
  SignKind kind = SignKind::bottom_sticks_out;
  std::optional<Side> side;
};

/// What a training plan must respect (subject-file section `constraints:`,
/// docs/subject-file.md; `pulley plan`, docs/training.md).
struct TrainingConstraints {
  /// The equipment the person has (ids of training::kEquipment); unset: none beyond the
  /// household items every plan may use.
  std::optional<std::vector<std::string>> equipment;
  /// The training time the person can give a week (min); unset: no limit.
  std::optional<double> minutes_per_week;
  /// The side of a recent hamstring strain: the plan starts with rest and ice and a graded return.
  std::optional<Side> injured_side;
};

/// Bounds of the subject-file values (inclusive). Documented in docs/file-formats.md.
struct SubjectLimits {
  static constexpr double kHeightMinM = 1.20, kHeightMaxM = 2.20;
  static constexpr double kMassMinKg = 30.0, kMassMaxKg = 200.0;
  static constexpr double kAgeMinYears = 18.0, kAgeMaxYears = 100.0;
  static constexpr double kPelvicIncidenceMinDeg = 20.0, kPelvicIncidenceMaxDeg = 90.0;
  static constexpr double kStrengthMin = 0.1, kStrengthMax = 3.0;
  static constexpr double kLengthMin = 0.8, kLengthMax = 1.2;
  static constexpr double kStiffnessMin = 0.2, kStiffnessMax = 5.0;
  static constexpr double kCapacityMin = 0.0, kCapacityMax = 1.0;
  /// chosen: the biceps femoris long head's fascicles range from about 7 to 14 cm between
  /// people (Timmins et al. 2016 Br J Sports Med 50:1524, around a mean of 10-11 cm), about 0.6
  /// to 1.4 of the typical; training changes them by a quarter at most (Presland 2018).
  static constexpr double kFascicleLengthMin = 0.6, kFascicleLengthMax = 1.5;
  /// chosen: from a twelfth to five times the defaults (60 and 30 N m, assess/clinical_tests.hpp),
  /// wider than the spread of end-of-range passive moments between people.
  static constexpr double kStretchToleranceMinNm = 5.0, kStretchToleranceMaxNm = 300.0;
  /// The trunk hold's limit where a subject file sets none (s): ClinicalTestSettings' default and
  /// the `trunk-endurance` task's. chosen: 600 s, over seven published spreads beyond the longest
  /// mean hold (women 194 +- 53 s, Juan-Recio et al. 2025), so that a typical person's hold ends
  /// at failure, not at the limit; Biering-Sorensen (1984) stopped it at 240 s.
  static constexpr double kTrunkHoldLimitDefaultS = 600.0;
  /// chosen: from 10 min a week, less than one short session of any exercise with its set-up,
  /// to 20 hours, beyond what anyone trains for the pelvis' muscles.
  static constexpr double kMinutesPerWeekMin = 10.0, kMinutesPerWeekMax = 1200.0;
};

/// A person, in subject-file units.
struct Subject {
  std::string name = "subject";
  Sex sex = Sex::male;
  double age_years = 35.0;             ///< chosen default: a mid-adult age (documented)
  double height_m = 1.75;              ///< stature (m)
  double mass_kg = 75.0;               ///< body mass (kg)
  double pelvic_incidence_deg = 52.0;  ///< Legaye et al. 1998 mean of normal adults (deg)
  std::vector<MuscleAdjustment> muscles;
  StretchTolerance stretch_tolerance;  ///< subject-file section `tests:`
  TestProtocol protocol;               ///< the same section
  std::vector<Measurement> measurements;  ///< section `measurements:`, at most one per test and side
  std::vector<Sign> signs;                ///< section `signs:`, at most one per kind and side
  TrainingConstraints constraints;        ///< section `constraints:`
};

/// A key of the test protocol in the subject file's `tests:` section: the field it sets, its
/// allowed range (inclusive), its unit, and its stem (the key less its unit), which names the
/// outputs that say where a setting came from (`isokinetic_speed_from`). chosen ranges: the knee
/// from straight to 120 deg and the hip from lying flat to 120 deg (the joints' ranges in a seated
/// or lying test); an isokinetic dynamometer's usual speeds, 1-300 deg/s; a Nordic lowered over 90
/// deg in half a second to 90 s; a trunk hold stopped from 10 s to an hour (Biering-Sorensen 1984
/// stopped it at 240 s).
struct TestProtocolKey {
  std::string_view key;
  std::optional<double> TestProtocol::*field;
  double min, max;
  std::string_view unit;
  std::string_view stem;
};
inline constexpr std::array<TestProtocolKey, 5> kTestProtocolKeys = {{
    {"isometric_knee_flexion_deg", &TestProtocol::isometric_knee_flexion_deg, 0.0, 120.0, "deg",
     "isometric_knee_flexion"},
    {"isometric_hip_flexion_deg", &TestProtocol::isometric_hip_flexion_deg, 0.0, 120.0, "deg",
     "isometric_hip_flexion"},
    {"nordic_lowering_speed_deg_s", &TestProtocol::nordic_lowering_speed_deg_s, 1.0, 180.0, "deg/s",
     "nordic_lowering_speed"},
    {"isokinetic_speed_deg_s", &TestProtocol::isokinetic_speed_deg_s, 1.0, 300.0, "deg/s",
     "isokinetic_speed"},
    {"trunk_endurance_limit_s", &TestProtocol::trunk_endurance_limit_s, 10.0, 3600.0, "s",
     "trunk_endurance_limit"},
}};
static_assert(
    [] {
      for (const TestProtocolKey& k : kTestProtocolKeys)
        if (!k.key.starts_with(k.stem) || k.key.size() <= k.stem.size() ||
            k.key[k.stem.size()] != '_')
          return false;
      return true;
    }(),
    "every test protocol key is its stem and its unit");

/// Resolved factors for one muscle on one side, after applying group, muscle and side entries
/// (precedence: muscle side > muscle both > group side > group both > 1.0).
struct ResolvedFactors {
  double strength = 1.0;
  double length = 1.0;
  double stiffness = 1.0;
  double capacity = 1.0;
  double fascicle_length = 1.0;
  bool operator==(const ResolvedFactors&) const = default;
};

ResolvedFactors resolve_factors(const Subject& subject, std::string_view muscle,
                                std::string_view group, Side side);

/// A muscle group's factor that a calibration fits to measurements (docs/assessment.md): its
/// name, where it lives in a subject file's factors and in resolved ones, and the subject file's
/// limits on it.
struct FittableFactor {
  std::string_view name;  ///< "strength", "length", "stiffness"
  std::optional<double> MuscleFactors::*in_file;
  double ResolvedFactors::*resolved;
  double min, max;
};
inline constexpr FittableFactor kFittableFactors[] = {
    {"strength", &MuscleFactors::strength, &ResolvedFactors::strength, SubjectLimits::kStrengthMin,
     SubjectLimits::kStrengthMax},
    {"length", &MuscleFactors::length, &ResolvedFactors::length, SubjectLimits::kLengthMin,
     SubjectLimits::kLengthMax},
    {"stiffness", &MuscleFactors::stiffness, &ResolvedFactors::stiffness,
     SubjectLimits::kStiffnessMin, SubjectLimits::kStiffnessMax}};
/// The fittable factor named `name`; nullptr for any other name (a stretch tolerance, capacity).
inline const FittableFactor* find_fittable_factor(std::string_view name) {
  for (const FittableFactor& x : kFittableFactors)
    if (x.name == name) return &x;
  return nullptr;
}

}  // namespace pulley::model
