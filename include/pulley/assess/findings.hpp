// Findings of an assessment (docs/assessment.md, "Findings"): what the clinical tests, quiet
// standing, the forward bend and a fast run say about a subject, set against the typical subject
// (the same stature, mass, sex, age and pelvic incidence with every muscle factor 1) and against
// published norms; the causal chains that connect them; and the subject's signs weighed against
// both. Every number here is a model estimate or a value the subject file gives; each carries its
// source, and every threshold its source or the reason it was chosen.
//
//   imbalance    per muscle group and side: strength, length, stiffness, capacity and fascicle
//                length (the subject's factors, 1 = population default) and the tests that show them
//   tests        each clinical test and side: subject, typical, measured (when the subject file has
//                it), the published norm, and how each compares
//   loads        quiet standing and the forward bend (toe-touch): posture, lumbar rhythm, L1-S1 disc
//                compression, shear, pressure and ligament tension, knee compression and shear
//   strain       hamstring strain index in a 5 m/s run, relative to the typical subject
//   chains       cause -> effect links, each with the model output behind it and its evidence
//   signs        each sign the subject file notes: which results support or contradict it
#pragma once

#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::assess {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The typical counterpart of `subject`: the same name (with " (typical)"), sex, age, stature, mass
/// and pelvic incidence; no muscle factors, default stretch tolerances, no measurements or signs.
model::Subject typical_subject(const model::Subject& subject);

/// How a value compares with a reference: below it, within it, above it; or not compared (no
/// value or no reference).
enum class Deviation { low, typical, high, not_compared };
const char* to_string(Deviation deviation);

/// How many between-person standard deviations either side of the typical subject's value count
/// as healthy people's spread. chosen: 3, which holds 99.7 % of a normally distributed
/// population, so a value beyond it is one that few of the people the model was built and checked
/// on show.
inline constexpr double kHealthySpreadSds = 3.0;

/// How a test result compares (docs/assessment.md, "Findings" gives every threshold's source).
struct TestComparison {
  model::MeasuredTest test = model::MeasuredTest::straight_leg_raise_deg;
  std::optional<model::Side> side;  ///< none for the whole-body tests
  double subject = kNaN;            ///< simulated on the subject (unit of the test)
  /// How the subject's test ended (the marks below are read from it).
  TestEnd subject_end = TestEnd::not_computed;
  /// The subject's test posture lies beyond the range they tolerate passively
  /// (TestEnd::beyond_passive_range): `subject` is the model's value there, not a test result.
  bool subject_beyond_passive_range() const { return subject_end == TestEnd::beyond_passive_range; }
  /// The test ended at its start (ended_at_start): `subject` is the start, a bound. At the stretch
  /// tolerance it still stands as evidence (the stretch was at its limit before the test moved:
  /// the direction holds, only the size is not read); at the muscles' capacity it does not (weak
  /// quadriceps and pulling hamstrings both end it so).
  bool subject_at_start() const { return ended_at_start(subject_end); }
  double typical = kNaN;            ///< simulated on the typical subject
  std::optional<double> measured;   ///< the subject file's measurement
  /// Published reference: the range of normal values (either end NaN when the source gives
  /// none) and a typical value (NaN when none), for this subject's sex.
  double norm_low = kNaN, norm_high = kNaN, norm_reference = kNaN;
  std::string norm_source;  ///< empty when there is no published norm
  /// The typical subject's simulated value lies outside the published range (norm_low,
  /// norm_high): the model's own typical subject misses this norm (docs/validation.md, Clinical
  /// tests), so a simulated value is read against the typical subject; a measured one still
  /// against the norm.
  bool typical_outside_norm() const {
    return std::isfinite(typical) && ((std::isfinite(norm_low) && typical < norm_low) ||
                                      (std::isfinite(norm_high) && typical > norm_high));
  }
  /// Healthy people's spread (docs/assessment.md, "Beyond healthy people"): one published
  /// between-person standard deviation for this subject's sex (for strength and endurance a
  /// published fraction of the typical value; NaN where no spread was found), and its source.
  double healthy_sd = kNaN;
  std::string healthy_source;  ///< empty when there is no published spread
  /// How many of those standard deviations the subject's simulated value lies from the
  /// typical subject's (NaN where either is unknown).
  double healthy_sds_away() const { return std::abs(subject - typical) / healthy_sd; }
  /// The ends of the spread: the typical subject's value -+ kHealthySpreadSds of them.
  double healthy_low() const { return typical - kHealthySpreadSds * healthy_sd; }
  double healthy_high() const { return typical + kHealthySpreadSds * healthy_sd; }
  /// The simulated value lies outside healthy people's spread: the model, built and checked on
  /// people within it, extrapolates here.
  bool subject_beyond_healthy_spread() const { return healthy_sds_away() > kHealthySpreadSds; }
  /// Simulated subject against simulated typical, by the test's detectable difference.
  Deviation simulated_vs_typical = Deviation::not_compared;
  /// The measurement against the published norm: its range, and beyond a published mean by the
  /// test's detectable difference on a side the range leaves open (the trunk hold's 162 s above
  /// its low end of 110 s), or the mean alone where no range is published; not_compared when
  /// nothing was measured or
  /// nothing is published (the model's typical subject is no norm: docs/validation.md lists the
  /// tests where it lies outside the published ones).
  Deviation measured_vs_norm = Deviation::not_compared;
  /// The subject was calibrated and this test, or a test it is computed from (a ratio's flexion
  /// or extension), was measured on this side: the simulated value reproduces the
  /// measurements, so against the typical subject it shows the model's own distance from the
  /// people measured, not this person's (docs/assessment.md, "Calibrated subjects").
  bool fitted_to_measurement = false;
  /// A strength test of one muscle group (knee flexion or extension, isometric or concentric, the
  /// Nordic force, the trunk hold) moved by something other than its group's strength, which is
  /// typical with full capacity (on both sides for the trunk hold): the group's length, stiffness
  /// or fascicles deviating; in the Nordic, the other leg deviating, which lowers with it; in the
  /// trunk hold, the trunk's shape in standing. A simulated difference from the typical subject is
  /// then no reading of strength; `strength_typical_cause` says what moves it ("" otherwise).
  std::string strength_typical_cause;
  bool strength_typical() const { return !strength_typical_cause.empty(); }
  /// On a calibrated subject, the test shows a fitted group factor the findings do not read on
  /// this side: held to the norms (GroupProfile::held_to_norms), or moved by the fit within its
  /// band by more than half of it. Its simulated value carries that factor, so it is no evidence.
  bool moved_by_unread_factor = false;
  /// The deviation the findings use: the measured one when there is a measurement, else the
  /// simulated one (not_compared for a value fitted to measurements or moved by a held factor).
  Deviation deviation() const {
    if (measured) return measured_vs_norm;
    return fitted_to_measurement || moved_by_unread_factor ? Deviation::not_compared
                                                           : simulated_vs_typical;
  }
  /// simulated_vs_typical where it may stand as evidence (the chains, the signs, the planner):
  /// not_compared for a value out of the subject's reach, which no person's test could give, for
  /// a value fitted to measurements and for a strength test whose group's strength is typical
  /// (above).
  Deviation simulated_evidence() const {
    return subject_beyond_passive_range() || subject_end == TestEnd::muscle_capacity_at_start ||
                   fitted_to_measurement || moved_by_unread_factor || strength_typical()
               ? Deviation::not_compared
               : simulated_vs_typical;
  }
  /// deviation() where it may stand as evidence: the measured one, else simulated_evidence().
  Deviation evidence() const { return measured ? measured_vs_norm : simulated_evidence(); }
};

/// The factors of one muscle group on one side: the mean over the group's muscles of the
/// subject's resolved factors (1 = population default).
struct GroupProfile {
  std::string group;  ///< "hamstrings", ...
  model::Side side = model::Side::right;
  double strength = 1.0, length = 1.0, stiffness = 1.0, capacity = 1.0, fascicle_length = 1.0;
  Deviation strength_vs_norm = Deviation::typical;   ///< low = weaker
  Deviation length_vs_norm = Deviation::typical;     ///< low = shorter (tighter)
  Deviation stiffness_vs_norm = Deviation::typical;  ///< high = stiffer
  bool reduced_capacity = false;                      ///< capacity below 1 (injured, inhibited)
  /// With a calibration: this group's factors on this side that the measurements determined
  /// ("length", ...; CalibrationResult::parameters[].determined), in the calibration's order. The
  /// others are near their priors (the subject file's values or the norms) or not fitted at all
  /// (capacity, fascicle length).
  std::vector<std::string> determined_factors;
  /// With a calibration: this group's factors on this side ("strength", "length", "stiffness")
  /// that the fit moved beyond their bands while every measurement of them that a published
  /// norm can judge lies within it (docs/assessment.md, "Calibrated subjects"). Their values
  /// above are the fitted ones; their deviations are read as typical.
  std::vector<std::string> held_to_norms;
  Deviation fascicle_length_vs_norm = Deviation::typical;
  /// The tests that show this group's strength or length, with the sides they were done on.
  std::vector<model::MeasuredTest> shown_by;
  /// In words: "weaker (strength 0.60); typical length and stiffness".
  std::string summary;
  bool is_typical() const;
};

/// One lumbar level's loads in quiet standing and their peaks over the forward bend.
struct LevelLoads {
  std::string level;  ///< "L4_L5"
  double standing_compression_n = 0.0, standing_shear_n = 0.0, standing_pressure_mpa = 0.0;
  double standing_posterior_share = 0.5;  ///< share of compression on the disc's posterior half
  double bend_peak_compression_n = 0.0, bend_peak_shear_n = 0.0, bend_peak_pressure_mpa = 0.0;
  /// Posterior ligaments' largest tension in the bend (N): the back of the segment stretched.
  double bend_peak_ligament_tension_n = 0.0;
  /// Posterior share of compression at the deepest bend frame.
  double bend_deepest_posterior_share = 0.5;
};

/// One subject's posture and joint loads in quiet standing and the forward bend.
struct BodyLoads {
  double pelvic_tilt_deg = 0.0, lumbar_lordosis_deg = 0.0;  ///< quiet standing
  std::array<LevelLoads, 5> lumbar;                         ///< L1_L2 ... L5_S1
  /// Tibiofemoral compression (x body weight) and anterior tibial shear (N), right knee.
  double standing_knee_compression_bw = 0.0, standing_knee_anterior_shear_n = 0.0;
  double bend_knee_peak_compression_bw = 0.0, bend_knee_peak_anterior_shear_n = 0.0;
  /// The deepest point of the forward bend (deg from standing).
  double bend_peak_pelvis_rotation_deg = 0.0, bend_peak_lumbar_flexion_deg = 0.0,
         bend_peak_hip_flexion_deg = 0.0;
  int bend_frames = 0;
  int bend_reserve_frames = 0;  ///< frames where the muscles fell short (reserve moments)
};

/// One hamstring head's strain index in the run (docs/fatigue.md, "Hamstring strain index").
struct HeadStrain {
  std::string head;  ///< "biceps_femoris_long"
  double strain_index = 0.0;
  double cycle_pct = 0.0;                ///< where in the stride it peaks
  std::optional<double> relative;        ///< over the typical subject's
};

struct StrainFindings {
  bool computed = false;
  std::string activity;  ///< "run at 5 m/s"
  std::string why_this_activity;
  std::vector<HeadStrain> heads;  ///< right leg
  /// The head with the largest strain index (the one under the greatest demand) and its index
  /// relative to the typical subject's; NaN / empty when none could be formed. (A head whose
  /// typical index is near zero can show a large ratio on a small demand, so the ratio of the
  /// most loaded head is the one reported.)
  std::string head;
  double relative = kNaN;
};

/// One link of a causal chain: a statement, the model output behind it, and its evidence.
struct ChainLink {
  std::string statement;  ///< "less pelvic rotation in the toe-touch"
  std::string quantity;   ///< the output, as in the JSON: "forward_bend.peak_pelvis_rotation_deg"
  double value = kNaN;    ///< on the subject
  double typical = kNaN;  ///< on the typical subject
  std::string unit;       ///< "deg", "N", "MPa", "" for ratios
  std::string evidence;   ///< where the link comes from: a published source or the model's physics
};

struct CausalChain {
  std::string id;     ///< "bending", "standing", "hamstring_strain", "knee_balance"
  std::string title;  ///< plain words: "short hamstrings load the lower back in bending"
  std::vector<ChainLink> links;
  std::string caveat;  ///< what the chain does not show
};

enum class SignVerdict { supported, contradicted, mixed, not_explained };
const char* to_string(SignVerdict verdict);

/// One result weighed for or against a sign.
struct SignEvidence {
  std::string statement;  ///< "simulated knee flexion strength 1.46 N m/kg, typical 2.43"
  bool supports = true;   ///< false: it contradicts the sign's reading
  bool measured = false;  ///< from the subject file's measurements, not the simulation
};

struct SignAssessment {
  model::Sign sign;
  /// What the sign is usually read as (domain.md S7), in plain words.
  std::string reading;
  std::vector<SignEvidence> evidence;
  SignVerdict verdict = SignVerdict::not_explained;
  std::string conclusion;  ///< one or two plain sentences, saying so when sign and measurement disagree
};

/// The settings of the tasks the findings run. Defaults in docs/assessment.md.
struct FindingsSettings {
  /// Frames of the forward bend. chosen: 31 (the task's default is 61): the peak loads and the
  /// rhythm change by under 2 % (docs/assessment.md) at half the time.
  int bend_frames = 31;
  /// Speed of the run for the hamstring strain index (m/s). chosen: 5, the fastest stride Pulley
  /// ships; the sprint recording (9.5 m/s) is not shipped (docs/gait.md).
  double run_speed_m_s = 5.0;
  /// Frames per stride of the run. chosen: 51, as the repeated-sprints task's strides.
  int run_frames = 51;
  /// True if every value is allowed (bend 11-2001 frames, run 4 or 5 m/s, 21-1001 frames).
  bool IsValid(std::string* error) const;
};

struct Findings {
  bool ok = false;
  std::string message;  ///< why not, when !ok
  std::vector<GroupProfile> imbalance;    ///< kMuscleGroups order, right then left
  std::vector<TestComparison> tests;      ///< MeasuredTest order, sided tests right then left
  BodyLoads loads, typical_loads;
  StrainFindings strain;
  std::vector<CausalChain> chains;
  std::vector<SignAssessment> signs;      ///< in the subject file's order
  /// The subject's muscle factors are the calibrated subject's, not the subject file's: the
  /// summary and the signs' evidence say so, and which groups the measurements determined
  /// (GroupProfile::determined_factors).
  bool factors_fitted = false;
  /// The findings in plain words, most important first.
  std::vector<std::string> summary;
  /// The tasks behind the loads, for the report's figures; bend.standing is the quiet standing
  /// the loads start from.
  tasks::TaskResult bend, typical_bend;
  /// The model the bend, the run and the loads ran on where it is not the subject's: the
  /// calibrated subject with the factors held to the norms (GroupProfile::held_to_norms) back at
  /// their priors, so that those tasks show what the findings read. Null otherwise.
  std::shared_ptr<const model::Model> loads_model;
  FindingsSettings settings;

  const TestComparison* find(model::MeasuredTest test, std::optional<model::Side> side) const;
};

/// What the findings are formed from.
struct FindingsInput {
  const model::Model* subject = nullptr;  ///< the subject's model (the calibrated one, when fitted)
  const model::Model* typical = nullptr;  ///< compile_model(typical_subject(subject))
  const ClinicalTestResults* subject_tests = nullptr;
  const ClinicalTestResults* typical_tests = nullptr;
  /// The signs to weigh (usually subject->subject.signs) and the measurements to compare
  /// (usually subject->subject.measurements).
  std::vector<model::Sign> signs;
  std::vector<model::Measurement> measurements;
  /// The calibration the subject's factors were fitted by (status fitted or not_converged), or
  /// nullptr: they are the subject file's (Findings::factors_fitted).
  const CalibrationResult* calibration = nullptr;
};

/// One subject's standing and forward-bend loads from its quiet standing (solve_standing, as the
/// tests found it) and `bend` (run_bend's).
BodyLoads body_loads(const model::Model& model, const tasks::StandingResult& standing,
                     const tasks::TaskResult& bend);

/// The findings' forward bend (settings.bend_frames, reserve moments reported) from the quiet
/// standing the tests found (`standing`, solve_standing(model)).
tasks::TaskResult run_bend(const model::Model& model, const tasks::StandingResult& standing,
                           const FindingsSettings& settings);

/// The hamstring strain index in the findings' run (settings.run_speed_m_s) on `model` against
/// the typical subject's; both quiet standings as the tests found them. `typical_strain_index`:
/// the typical subject's indices in that run, kept between calls (tasks::TaskInputs).
StrainFindings hamstring_strain(const model::Model& model, const tasks::StandingResult& standing,
                                const model::Model& typical,
                                const tasks::StandingResult& typical_standing,
                                const FindingsSettings& settings,
                                std::vector<double>* typical_strain_index = nullptr);

/// Quiet standing's pelvic tilt and lumbar lordosis compared as the assessment compares its
/// standing tests (what `pulley stand` shows): `standing` on `model` against the typical
/// subject's (`typical_standing`, on compile_model(typical_subject(model.subject))), the
/// published norms and healthy people's spread; empty where either posture search did not
/// converge (no equilibrium to compare).
std::vector<TestComparison> compare_standing(const model::Model& model,
                                             const tasks::StandingResult& standing,
                                             const tasks::StandingResult& typical_standing);
/// The same against the typical subject's quiet standing, solved here (what `pulley stand`
/// shows); empty where either posture search did not converge (no equilibrium to compare).
std::vector<TestComparison> compare_standing_with_typical(const model::Model& model,
                                                          const tasks::StandingResult& standing);

/// A measured test against its published norm, as the findings word it: "55.0 deg, below the
/// norm (tight below 70 deg (Li et al. 1996))"; the typical subject's simulated value stands for
/// the norm where there is none. `t.measured` must be set.
std::string measured_against_norm(const TestComparison& t);

/// The tests of `tests` beyond healthy people's spread in one sentence, "Beyond healthy people:
/// ..." (docs/assessment.md): each value, how many of healthy people's standard deviations it
/// lies from the typical subject's and the spread's source; "" where none is.
std::string beyond_healthy_people(const std::vector<TestComparison>& tests);

/// Forms the findings: runs the forward bend on both subjects and the run on the subject, and
/// compares. Throws InputError if `settings` is invalid or an input is missing; never throws for
/// numerical trouble (ok = false and message say what failed).
Findings find_findings(const FindingsInput& input, const FindingsSettings& settings = {});

/// A whole assessment of one subject: the clinical tests on it and on its typical counterpart,
/// and the findings that compare them (what `pulley assess` runs).
struct Assessment {
  /// The subject file as read: model.subject without a calibration; with one, model.subject is
  /// calibration.fitted_subject, which has no measurements (the findings compare this file's).
  model::Subject subject_file;
  model::Model model;    ///< the subject's
  model::Model typical;  ///< compile_model(typical_subject(model.subject))
  ClinicalTestResults tests, typical_tests;
  Findings findings;
  bool ok() const { return tests.ok && findings.ok; }
};

/// Runs the assessment of `subject` (its signs and measurements included). Throws InputError for
/// an invalid subject or settings; never for numerical trouble (see ok()).
Assessment run_assessment(const model::Subject& subject, const FindingsSettings& settings = {});

/// The assessment of `subject` calibrated to its measurements (what `pulley assess` and `pulley
/// plan` run): the tests on `calibration.fitted_subject`, and findings that compare them with
/// `subject`'s measurements and name the fitted factors as fitted. Where the calibration fitted
/// nothing (no measurements, or failed) it is run_assessment(subject).
Assessment run_assessment(const model::Subject& subject, const CalibrationResult& calibration,
                          const FindingsSettings& settings = {});

/// The simulated result of `test` in `results` (on `side` for the sided tests), with what ended
/// it; NaN and not_computed when the tests did not run.
TestValue test_result(const ClinicalTestResults& results, model::MeasuredTest test,
                      std::optional<model::Side> side);
/// Its value alone.
double test_value(const ClinicalTestResults& results, model::MeasuredTest test,
                  std::optional<model::Side> side);
/// The smallest difference of `test` that counts (docs/assessment.md, "Findings"), in the test's
/// unit, for a reference value `typical` (used by the tests judged in relative terms).
double detectable_difference(model::MeasuredTest test, double typical);

/// Whether a test's published norm (docs/assessment.md, "Findings") applies to tests done with
/// `used`: the strength norms were published for the protocol the defaults follow (the isometric
/// tests' hip and knee angles, the concentric tests' 60 deg/s and hip angle, the Nordic's
/// lowering speed); a test done otherwise is compared with the typical subject, tested alike,
/// only. The trunk hold's norm depends on its limit instead: the findings keep as much of it as
/// the limit lets a hold reach.
bool norm_applies(model::MeasuredTest test, const ClinicalTestSettings& used);

/// The label of a test as people read it: "passive straight-leg raise".
const char* test_label(model::MeasuredTest test);
/// Its unit as printed: "deg", "N m/kg", "N", "s", "" (ratio).
const char* test_unit(model::MeasuredTest test);
/// Decimals it is printed with.
int test_decimals(model::MeasuredTest test);

}  // namespace pulley::assess
