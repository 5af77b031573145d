#include "pulley/assess/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/words.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::assess {

using model::MeasuredTest;
using model::Side;
using model::SignKind;

const char* to_string(Deviation deviation) {
  switch (deviation) {
    case Deviation::low: return "low";
    case Deviation::typical: return "typical";
    case Deviation::high: return "high";
    case Deviation::not_compared: return "not_compared";
  }
  return "";
}

const char* to_string(SignVerdict verdict) {
  switch (verdict) {
    case SignVerdict::supported: return "supported";
    case SignVerdict::contradicted: return "contradicted";
    case SignVerdict::mixed: return "mixed";
    case SignVerdict::not_explained: return "not_explained";
  }
  return "";
}

model::Subject typical_subject(const model::Subject& subject) {
  model::Subject typical;
  typical.name = subject.name + " (typical)";
  typical.sex = subject.sex;
  typical.age_years = subject.age_years;
  typical.height_m = subject.height_m;
  typical.mass_kg = subject.mass_kg;
  typical.pelvic_incidence_deg = subject.pelvic_incidence_deg;
  typical.protocol = subject.protocol;  // tested as the subject is
  return typical;
}

bool FindingsSettings::IsValid(std::string* error) const {
  const auto fail = [&](const std::string& text) {
    if (error) *error = text;
    return false;
  };
  if (bend_frames < 11 || bend_frames > 2001 || bend_frames % 2 == 0)
    return fail(
        fmt::format("findings setting 'bend_frames': value {} is not allowed; allowed: 11 "
                    "to 2001, odd numbers (the forward bend's deepest frame in the middle)",
                    bend_frames));
  if (run_speed_m_s != 4.0 && run_speed_m_s != 5.0)
    return fail(fmt::format("findings setting 'run_speed_m_s': value {:g} is not allowed; allowed: "
                            "4 or 5 m/s (the fast recorded strides)",
                            run_speed_m_s));
  if (run_frames < 21 || run_frames > 1001)
    return fail(fmt::format("findings setting 'run_frames': value {} is not allowed; allowed: 21 "
                            "to 1001, whole numbers",
                            run_frames));
  return true;
}

// --- The tests: labels, detectable differences and published norms ---------------------------

namespace {

constexpr double nan = kNaN;

struct Range {
  double low = nan, high = nan, reference = nan;
};

// One standard deviation of a test between healthy people (docs/assessment.md, "Beyond healthy
// people"), for men and for women (NaN where the sources read give none for a sex). The
// assessment centres it on the typical subject's simulated value, which cancels the model's own
// bias as the findings' comparisons do. Strength and endurance vary between people in proportion
// to their size, so theirs is `relative`: a coefficient of variation (the published SD over its
// mean), taken of the typical subject's value; the angles' is in degrees.
struct HealthySd {
  double male = nan, female = nan;
  bool relative = false;
  const char* source = "";
};

// Between-person SDs that set a detectable difference or a norm's range as well as healthy
// people's spread. Pelvic tilt 12 +- 4 deg and lordosis PI + 9 = 61 +- 8 deg at pelvic
// incidences of 48-57 deg (PMC4303780 table 3; docs/validation.md, standing posture): the spread
// of people who share a pelvic incidence, as the typical subject shares the subject's. Passive
// knee extension deficit 31 +- 8 deg in 30 men (Gajdosik et al. 1993).
constexpr double kPelvicTiltSdDeg = 4.0, kLordosisSdDeg = 8.0;
constexpr double kPassiveKneeExtensionMeanDeg = 31.0, kPassiveKneeExtensionSdDeg = 8.0;

// What a test's difference from the typical subject must exceed to count, its published norm and
// healthy people's spread.
struct TestSpec {
  MeasuredTest test;
  const char* label;
  const char* unit;
  int decimals;
  /// Detectable difference against the typical subject: an absolute difference (unit of the test)
  /// or, when `relative`, a fraction of the typical value.
  double detect;
  bool relative;
  Range male, female;
  const char* norm_source;
  HealthySd healthy = {};  ///< none where not given
};

// Sources of every number: docs/assessment.md, "Findings", repeats this table with them.
// clang-format off
const std::array<TestSpec, model::kNumMeasuredTests> kTestSpecs = {{
    // SDC 6-7 deg (J Sport Rehabil 2015, domain.md); tight below 70 deg (Li et al. 1996).
    {MeasuredTest::straight_leg_raise_deg, "passive straight-leg raise", "deg", 1, 7.0, false,
     {70.0, nan, nan}, {70.0, nan, nan}, "tight below 70 deg (Li et al. 1996)",
     // Healthy young adults with the lumbar spine and pelvis held, as the model holds them: 75.3
     // +- 14.4 deg (Santonja Renedo et al. 2020, Symmetry 12:927, abstract; the sexes pooled).
     {14.4, 14.4, false, "Santonja Renedo et al. 2020"}},
    // SDC 7-8 deg (J Sport Rehabil 2015). Passive 31 +- 8 deg in 30 men (Gajdosik et al. 1993):
    // mean +- 2 SD; no women's figure.
    {MeasuredTest::passive_knee_extension_deficit_deg, "passive knee extension deficit, hip 90",
     "deg", 1, 8.0, false,
     {nan, kPassiveKneeExtensionMeanDeg + 2.0 * kPassiveKneeExtensionSdDeg,
      kPassiveKneeExtensionMeanDeg}, {nan, nan, nan},
     "men 31 +- 8 deg, tight above 2 SD (Gajdosik et al. 1993)",
     {kPassiveKneeExtensionSdDeg, nan, false, "Gajdosik et al. 1993"}},
    // SDC 7-8 deg; men 17.8 +- 9.1, tight above 33; women 13.4 +- 6.0, tight above 23 (Yildirim
    // et al. 2018).
    {MeasuredTest::active_knee_extension_deficit_deg, "active knee extension deficit, hip 90",
     "deg", 1, 8.0, false, {nan, 33.0, 17.8}, {nan, 23.0, 13.4},
     "men 17.8 +- 9.1, tight above 33 deg; women 13.4 +- 6.0, tight above 23 deg (Yildirim et al. "
     "2018)",
     {9.1, 6.0, false, "Yildirim et al. 2018"}},
    // chosen: 7 deg, the order of the goniometric tests' SDC above. The thigh above the table
    // line (below 0 here) is the test's positive sign; Harvey 1998: mean 11.9 deg below it.
    {MeasuredTest::thomas_hip_extension_deg, "Thomas test, thigh below the table", "deg", 1, 7.0,
     false, {0.0, nan, 11.9}, {0.0, nan, 11.9},
     "thigh above the table line is the positive sign; mean 11.9 deg below it (Harvey 1998)"},
    // chosen: 7 deg as above; Harvey 1998: mean 52.5 deg (SD not read, so no range).
    {MeasuredTest::thomas_knee_flexion_deg, "Thomas test, knee flexion", "deg", 1, 7.0, false,
     {nan, nan, 52.5}, {nan, nan, 52.5}, "mean 52.5 deg (Harvey 1998)"},
    // chosen: 10 % of the typical value, a round figure (limb symmetry under 90 % is a usual
    // return-to-sport flag for strength tests). Men 1.15-1.62 N m/kg, pooled 95 % CI, mid-range
    // angles (Sarabon, Kozinc & Perman 2021); no women's flexion figure in the sources read.
    {MeasuredTest::knee_flexion_torque_nm_per_kg, "isometric knee flexion strength", "N m/kg", 2,
     0.10, true, {1.15, 1.62, nan}, {nan, nan, nan},
     "men 1.15-1.62 N m/kg, mid-range angles (Sarabon et al. 2021)",
     // Healthy spread: young men's largest isometric knee torques, 0.087 +- 0.015 (flexion) and
     // 0.163 +- 0.040 (extension) body weight x stature (Anderson, Madigan & Nussbaum 2007, J
     // Biomech 40:3105, table 3, read as transcribed in the RBDL project's
     // Millard2016TorqueMuscle; docs/validation.md, Clinical tests); no women's figure read.
     {0.015 / 0.087, nan, true, "Anderson et al. 2007"}},
    // Women 2.08-2.74 N m/kg, the same review's pooled 95 % CI (abstract; docs/validation.md).
    {MeasuredTest::knee_extension_torque_nm_per_kg, "isometric knee extension strength", "N m/kg",
     2, 0.10, true, {2.92, 3.45, nan}, {2.08, 2.74, nan},
     "men 2.92-3.45, women 2.08-2.74 N m/kg, mid-range angles (Sarabon et al. 2021)",
     {0.040 / 0.163, nan, true, "Anderson et al. 2007"}},
    // 0.47 flags imbalance against a norm of about 0.6 (Coombs & Garbutt 2002; Ardern 2015):
    // 0.47 / 0.6 = 0.78 of the norm, used as the relative threshold against the typical subject
    // (1 - 0.78 = 0.22) both ways (chosen: symmetric).
    // The isometric ratio at the test's angle has no published norm read: the 0.6 and 0.47 of
    // the literature are of the conventional concentric ratio (below), and the mid-range
    // isometric norms of Sarabon et al. 2021 (1.15-1.62 and 2.92-3.45 N m/kg) put people's
    // ratio near 0.44, under that flag. Compared with the typical subject only.
    {MeasuredTest::hq_ratio, "hamstring:quadriceps ratio", "", 2, 0.22, true, {nan, nan, nan},
     {nan, nan, nan}, ""},
    // The concentric peaks (60 deg/s by default): 10 % as the other strength tests; no published
    // norm per kilogram was read for this protocol, so they are compared with the typical subject
    // only.
    {MeasuredTest::concentric_knee_flexion_nm_per_kg, "concentric knee flexion strength",
     "N m/kg", 2, 0.10, true, {nan, nan, nan}, {nan, nan, nan}, ""},
    {MeasuredTest::concentric_knee_extension_nm_per_kg, "concentric knee extension strength",
     "N m/kg", 2, 0.10, true, {nan, nan, nan}, {nan, nan, nan}, ""},
    // Coombs & Garbutt 2002: about 0.6; Ardern 2015: below 0.47 flags imbalance; the isometric
    // ratio's detectable difference.
    {MeasuredTest::conventional_hq_ratio, "conventional hamstring:quadriceps ratio", "",
     2, 0.22, true, {0.47, nan, 0.6}, {0.47, nan, 0.6},
     "about 0.6, below 0.47 flags imbalance (Coombs & Garbutt 2002, Ardern 2015)"},
    // chosen: 10 % as the other strength tests; under 256 N pre-season carries 2.7 times the
    // risk of a strain (Opar et al. 2015).
    {MeasuredTest::nordic_force_n, "Nordic hamstring force", "N", 0, 0.10, true,
     {256.0, nan, nan}, {256.0, nan, nan},
     "under 256 N before the season: 2.7 times the strain risk (Opar et al. 2015)"},
    // chosen: one published between-person SD, 52 / 162 = 32 % of the men's mean; men 162 +- 52
    // s, women 194 +- 53 s (Juan-Recio et al. 2025, docs/validation.md), low below one SD.
    {MeasuredTest::trunk_extensor_endurance_s, "prone trunk-extensor endurance", "s", 0, 0.32,
     true, {110.0, nan, 162.0}, {141.0, nan, 194.0},
     "men 162 +- 52 s, women 194 +- 53 s (Juan-Recio et al. 2025)",
     // Healthy spread from the same source's unrounded figures: men 161.9 +- 52.2 s, women
     // 193.7 +- 53.2 s.
     {52.2 / 161.9, 53.2 / 193.7, true, "Juan-Recio et al. 2025"}},
    // One SD between people, 12 +- 4 deg (docs/validation.md, standing posture); healthy range
    // 0-27 deg (mean +- 2 SD, Mac-Thiong et al. 2011).
    {MeasuredTest::standing_pelvic_tilt_deg, "standing pelvic tilt", "deg", 1, kPelvicTiltSdDeg,
     false, {0.0, 27.0, 12.0}, {0.0, 27.0, 12.0},
     "healthy 0-27 deg, mean +- 2 SD (Mac-Thiong et al. 2011)",
     {kPelvicTiltSdDeg, kPelvicTiltSdDeg, false, "PMC4303780 table 3"}},
    // One SD, 61 +- 8 deg (docs/validation.md, standing posture). Norm: about PI + 9 deg
    // (PMC4303780 table 3), within 10 deg either side (chosen: the PI - LL mismatch under 10
    // deg that spinal alignment targets accept, Schwab et al. 2012); set per subject below.
    {MeasuredTest::standing_lumbar_lordosis_deg, "standing lumbar lordosis (L1-S1)", "deg", 1,
     kLordosisSdDeg, false, {nan, nan, nan}, {nan, nan, nan},
     "about pelvic incidence + 9 deg (PMC4303780), within 10 deg either side (Schwab et al. "
     "2012)",
     {kLordosisSdDeg, kLordosisSdDeg, false, "PMC4303780 table 3"}},
}};
// clang-format on

const TestSpec& spec(MeasuredTest test) { return kTestSpecs[static_cast<std::size_t>(test)]; }

// One SD of a test between healthy people for this subject, whose typical subject's value is
// `typical` (NaN where none applies; its source is the spec's). The strength tests' spread is of
// the largest torque, so it is read only where the test follows the protocol of its published norm
// (norm_applies: near the middle of the range).
double healthy_sd(MeasuredTest test, const model::Subject& subject,
                  const ClinicalTestSettings& used, double typical) {
  if (!norm_applies(test, used)) return nan;
  const HealthySd& h = spec(test).healthy;
  const double sd = subject.sex == model::Sex::male ? h.male : h.female;
  return h.relative ? sd * std::abs(typical) : sd;
}

using model::side_index;

}  // namespace

TestValue test_result(const ClinicalTestResults& r, MeasuredTest test, std::optional<Side> side) {
  if (!r.ok) return {nan, TestEnd::not_computed};
  const std::size_t k = side ? static_cast<std::size_t>(side_index(*side)) : 0;
  switch (test) {
    case MeasuredTest::straight_leg_raise_deg:
      return r.straight_leg_raise_deg[k];
    case MeasuredTest::passive_knee_extension_deficit_deg:
      return r.passive_knee_extension_deficit_deg[k];
    case MeasuredTest::active_knee_extension_deficit_deg:
      return r.active_knee_extension_deficit_deg[k];
    case MeasuredTest::thomas_hip_extension_deg:
      return r.thomas_hip_extension_deg[k];
    case MeasuredTest::thomas_knee_flexion_deg:
      return r.thomas_knee_flexion_deg[k];
    case MeasuredTest::knee_flexion_torque_nm_per_kg:
      return r.knee_flexion_torque_nm_per_kg[k];
    case MeasuredTest::knee_extension_torque_nm_per_kg:
      return r.knee_extension_torque_nm_per_kg[k];
    case MeasuredTest::hq_ratio:
      return r.hq_ratio[k];
    case MeasuredTest::concentric_knee_flexion_nm_per_kg:
      return r.concentric_knee_flexion_nm_per_kg[k];
    case MeasuredTest::concentric_knee_extension_nm_per_kg:
      return r.concentric_knee_extension_nm_per_kg[k];
    case MeasuredTest::conventional_hq_ratio:
      return r.conventional_hq_ratio[k];
    case MeasuredTest::nordic_force_n:
      return r.nordic_force_n[k];
    case MeasuredTest::trunk_extensor_endurance_s:
      return r.trunk_extensor_endurance_s;
    case MeasuredTest::standing_pelvic_tilt_deg:
      return r.standing_pelvic_tilt_deg;
    case MeasuredTest::standing_lumbar_lordosis_deg:
      return r.standing_lumbar_lordosis_deg;
  }
  return {nan, TestEnd::not_computed};
}

double test_value(const ClinicalTestResults& r, MeasuredTest test, std::optional<Side> side) {
  return test_result(r, test, side).value;
}

double detectable_difference(MeasuredTest test, double typical) {
  const TestSpec& s = spec(test);
  return s.relative ? s.detect * std::abs(typical) : s.detect;
}

namespace {

// a against b by the test's detectable difference.
Deviation against(const TestSpec& s, double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b)) return Deviation::not_compared;
  const double limit = s.relative ? s.detect * std::abs(b) : s.detect;
  if (a < b - limit) return Deviation::low;
  if (a > b + limit) return Deviation::high;
  return Deviation::typical;
}

Deviation in_range(double v, double low, double high) {
  if (!std::isfinite(v)) return Deviation::not_compared;
  if (std::isfinite(low) && v < low) return Deviation::low;
  if (std::isfinite(high) && v > high) return Deviation::high;
  return Deviation::typical;
}

std::string number(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("n/a");
}

// "35.5 deg", "0.85", "156 N".
std::string with_unit(double v, MeasuredTest test) {
  const TestSpec& s = spec(test);
  std::string text = number(v, s.decimals);
  if (*s.unit) text += std::string(" ") + s.unit;
  return text;
}

}  // namespace

const char* test_label(MeasuredTest test) { return spec(test).label; }
const char* test_unit(MeasuredTest test) { return spec(test).unit; }
int test_decimals(MeasuredTest test) { return spec(test).decimals; }

const TestComparison* Findings::find(MeasuredTest test, std::optional<Side> side) const {
  for (const auto& t : tests)
    if (t.test == test && t.side == side) return &t;
  return nullptr;
}

bool GroupProfile::is_typical() const {
  return strength_vs_norm == Deviation::typical && length_vs_norm == Deviation::typical &&
         stiffness_vs_norm == Deviation::typical && !reduced_capacity &&
         fascicle_length_vs_norm == Deviation::typical;
}

namespace {

// --- Imbalance profile --------------------------------------------------------------------------

// chosen thresholds on the subject's factors (1 = population default), docs/assessment.md:
// strength and fascicle length 10 %, as the strength tests; length 2 %, because 5 % shorter
// hamstrings lower the simulated straight-leg raise by 36 deg (docs/validation.md), so 2 % already
// exceeds the test's 6-7 deg detectable change; stiffness 20 %.
constexpr double kStrengthFactorBand = 0.10;
constexpr double kLengthFactorBand = 0.02;
constexpr double kStiffnessFactorBand = 0.20;
constexpr double kFascicleFactorBand = 0.10;

// How the findings read each factor a calibration fits (model::kFittableFactors, in its order):
// its band, which way is weaker or tighter, and where it lives in the profile.
struct GroupFactor {
  double band;
  Deviation weaker_or_tighter;
  double GroupProfile::*value;
  Deviation GroupProfile::*vs_norm;
};
constexpr GroupFactor kGroupFactors[] = {
    {kStrengthFactorBand, Deviation::low, &GroupProfile::strength, &GroupProfile::strength_vs_norm},
    {kLengthFactorBand, Deviation::low, &GroupProfile::length, &GroupProfile::length_vs_norm},
    {kStiffnessFactorBand, Deviation::high, &GroupProfile::stiffness,
     &GroupProfile::stiffness_vs_norm}};
static_assert(std::size(kGroupFactors) == std::size(model::kFittableFactors));
static_assert(model::kFittableFactors[0].name == "strength" &&
              model::kFittableFactors[1].name == "length" &&
              model::kFittableFactors[2].name == "stiffness");

// The reading of the fittable factor named `name`; nullptr for the others (the stretch
// tolerances, capacity).
const GroupFactor* group_factor(std::string_view name) {
  const model::FittableFactor* f = model::find_fittable_factor(name);
  return f ? &kGroupFactors[f - model::kFittableFactors] : nullptr;
}

Deviation factor_deviation(double f, double band) {
  if (f < 1.0 - band - 1e-12) return Deviation::low;
  if (f > 1.0 + band + 1e-12) return Deviation::high;
  return Deviation::typical;
}

std::vector<MeasuredTest> tests_showing(std::string_view group) {
  if (group == "hamstrings")
    return {MeasuredTest::straight_leg_raise_deg, MeasuredTest::passive_knee_extension_deficit_deg,
            MeasuredTest::active_knee_extension_deficit_deg,
            MeasuredTest::knee_flexion_torque_nm_per_kg, MeasuredTest::hq_ratio,
            MeasuredTest::concentric_knee_flexion_nm_per_kg, MeasuredTest::conventional_hq_ratio,
            MeasuredTest::nordic_force_n};
  if (group == "quadriceps")
    return {MeasuredTest::thomas_knee_flexion_deg, MeasuredTest::knee_extension_torque_nm_per_kg,
            MeasuredTest::hq_ratio, MeasuredTest::concentric_knee_extension_nm_per_kg,
            MeasuredTest::conventional_hq_ratio};
  if (group == "hip_flexors") return {MeasuredTest::thomas_hip_extension_deg};
  if (group == "erector_spinae")
    return {MeasuredTest::trunk_extensor_endurance_s, MeasuredTest::standing_lumbar_lordosis_deg};
  if (group == "calves") return {MeasuredTest::active_knee_extension_deficit_deg};
  return {};
}

std::string profile_summary(const GroupProfile& p) {
  std::vector<std::string> parts;
  if (p.strength_vs_norm != Deviation::typical)
    parts.push_back(fmt::format("{} (strength {:.2f})",
                                p.strength_vs_norm == Deviation::low ? "weaker" : "stronger",
                                p.strength));
  if (p.length_vs_norm != Deviation::typical)
    parts.push_back(fmt::format("{} (length {:.2f})",
                                p.length_vs_norm == Deviation::low ? "shorter" : "longer",
                                p.length));
  if (p.stiffness_vs_norm != Deviation::typical)
    parts.push_back(fmt::format("{} (stiffness {:.2f})",
                                p.stiffness_vs_norm == Deviation::high ? "stiffer" : "more compliant",
                                p.stiffness));
  if (p.reduced_capacity)
    parts.push_back(fmt::format("reduced capacity ({:.0f} % of full effort)", 100.0 * p.capacity));
  if (p.fascicle_length_vs_norm != Deviation::typical)
    parts.push_back(fmt::format("{} fascicles (fascicle length {:.2f})",
                                p.fascicle_length_vs_norm == Deviation::low ? "shorter" : "longer",
                                p.fascicle_length));
  return parts.empty() ? "typical" : and_list(parts);
}

std::vector<GroupProfile> imbalance_profile(const model::Model& model) {
  std::vector<GroupProfile> out;
  for (const std::string_view group : model::kMuscleGroups)
    for (const Side side : model::kSides) {
      GroupProfile p;
      p.group = std::string(group);
      p.side = side;
      double n = 0.0, s = 0.0, l = 0.0, k = 0.0, c = 0.0, f = 0.0;
      for (const auto& m : model.muscles) {
        if (m.group != group || m.side != side) continue;
        n += 1.0;
        s += m.factors.strength;
        l += m.factors.length;
        k += m.factors.stiffness;
        c += m.factors.capacity;
        f += m.factors.fascicle_length;
      }
      if (n > 0.0) {
        p.strength = s / n;
        p.length = l / n;
        p.stiffness = k / n;
        p.capacity = c / n;
        p.fascicle_length = f / n;
      }
      for (const GroupFactor& x : kGroupFactors) p.*x.vs_norm = factor_deviation(p.*x.value, x.band);
      p.reduced_capacity = p.capacity < 1.0 - 1e-12;
      p.fascicle_length_vs_norm = factor_deviation(p.fascicle_length, kFascicleFactorBand);
      p.shown_by = tests_showing(group);
      p.summary = profile_summary(p);
      out.push_back(std::move(p));
    }
  return out;
}

// --- Calibrated subjects -----------------------------------------------------------------------

// The tests a ratio is computed from (none for the other tests).
std::vector<MeasuredTest> ratio_parts(MeasuredTest test) {
  switch (test) {
    case MeasuredTest::hq_ratio:
      return {MeasuredTest::knee_flexion_torque_nm_per_kg,
              MeasuredTest::knee_extension_torque_nm_per_kg};
    case MeasuredTest::conventional_hq_ratio:
      return {MeasuredTest::concentric_knee_flexion_nm_per_kg,
              MeasuredTest::concentric_knee_extension_nm_per_kg};
    default:
      return {};
  }
}

// Marks the tests whose simulated values reproduce measurements (TestComparison::
// fitted_to_measurement): measured on that side, or a ratio one of whose parts was.
void mark_fitted_tests(std::vector<TestComparison>& tests,
                       const std::vector<model::Measurement>& measurements) {
  for (TestComparison& t : tests) {
    const auto measured = [&](MeasuredTest test) {
      return std::any_of(measurements.begin(), measurements.end(), [&](const auto& m) {
        return m.test == test && (!t.side || m.side == t.side);
      });
    };
    const std::vector<MeasuredTest> parts = ratio_parts(t.test);
    t.fitted_to_measurement = measured(t.test) || std::any_of(parts.begin(), parts.end(), measured);
  }
}

// The tests whose measurements show a group's factor, each with the way it moves when the group
// is weaker (strength) or tighter (length shorter, stiffness higher): the planner's rules
// (src/training/planner.cpp, kTestRules) with the concentric tests and ratios.
struct FactorTest {
  std::string_view group, factor;
  MeasuredTest test;
  Deviation weaker_or_tighter;
};
constexpr std::array<FactorTest, 20> kFactorTests = {{
    {"hamstrings", "strength", MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low},
    {"hamstrings", "strength", MeasuredTest::concentric_knee_flexion_nm_per_kg, Deviation::low},
    {"hamstrings", "strength", MeasuredTest::nordic_force_n, Deviation::low},
    {"hamstrings", "strength", MeasuredTest::hq_ratio, Deviation::low},
    {"hamstrings", "strength", MeasuredTest::conventional_hq_ratio, Deviation::low},
    {"hamstrings", "length", MeasuredTest::straight_leg_raise_deg, Deviation::low},
    {"hamstrings", "length", MeasuredTest::passive_knee_extension_deficit_deg, Deviation::high},
    {"hamstrings", "length", MeasuredTest::active_knee_extension_deficit_deg, Deviation::high},
    {"hamstrings", "stiffness", MeasuredTest::straight_leg_raise_deg, Deviation::low},
    {"hamstrings", "stiffness", MeasuredTest::passive_knee_extension_deficit_deg, Deviation::high},
    {"hamstrings", "stiffness", MeasuredTest::active_knee_extension_deficit_deg, Deviation::high},
    {"quadriceps", "strength", MeasuredTest::knee_extension_torque_nm_per_kg, Deviation::low},
    {"quadriceps", "strength", MeasuredTest::concentric_knee_extension_nm_per_kg, Deviation::low},
    {"quadriceps", "strength", MeasuredTest::hq_ratio, Deviation::high},
    {"quadriceps", "strength", MeasuredTest::conventional_hq_ratio, Deviation::high},
    {"quadriceps", "length", MeasuredTest::thomas_knee_flexion_deg, Deviation::low},
    {"quadriceps", "stiffness", MeasuredTest::thomas_knee_flexion_deg, Deviation::low},
    {"hip_flexors", "length", MeasuredTest::thomas_hip_extension_deg, Deviation::low},
    {"hip_flexors", "stiffness", MeasuredTest::thomas_hip_extension_deg, Deviation::low},
    {"erector_spinae", "strength", MeasuredTest::trunk_extensor_endurance_s, Deviation::low},
}};

Deviation opposite(Deviation d) {
  return d == Deviation::low ? Deviation::high : d == Deviation::high ? Deviation::low : d;
}

// A calibrated subject's factor deviations that the measurements, read against published norms,
// do not show (GroupProfile::held_to_norms): the fit moved a factor beyond its band from a prior
// (the subject file's value, or the norm) within it, and either the measurements did not
// determine it, or every measurement of it that a published norm can judge in that direction
// lies within the norm (or within the test's detectable difference of a published mean). Such a
// deviation is the model's own distance from the people measured (its typical man's isometric
// knee flexion is 30 % above the published range, docs/validation.md), or a value the data leave
// open, not a finding about this person. A determined factor no norm judges keeps its deviation.
void hold_fitted_deviations_to_norms(std::vector<GroupProfile>& profile,
                                     const std::vector<TestComparison>& tests,
                                     const CalibrationResult& calibration) {
  for (GroupProfile& g : profile) {
    bool changed = false;
    for (std::size_t i = 0; i < std::size(kGroupFactors); ++i) {
      const GroupFactor& x = kGroupFactors[i];
      const std::string_view name = model::kFittableFactors[i].name;
      const Deviation d = g.*x.vs_norm;
      if (d != Deviation::low && d != Deviation::high) continue;
      const auto fitted = std::find_if(
          calibration.parameters.begin(), calibration.parameters.end(), [&](const auto& p) {
            return p.group == g.group && p.factor == name && (!p.side || *p.side == g.side);
          });
      if (fitted == calibration.parameters.end()) continue;        // not fitted: the file's value
      if (factor_deviation(fitted->prior, x.band) == d) continue;  // the file's own deviation
      const bool weaker_or_tighter = d == x.weaker_or_tighter;
      bool judged = false, shown = false;
      for (const FactorTest& r : kFactorTests) {
        if (r.group != g.group || r.factor != name) continue;
        const auto t = std::find_if(tests.begin(), tests.end(), [&](const TestComparison& c) {
          return c.test == r.test && (!c.side || *c.side == g.side);
        });
        if (t == tests.end() || !t->measured) continue;
        const Deviation expected =
            weaker_or_tighter ? r.weaker_or_tighter : opposite(r.weaker_or_tighter);
        // The norm's bound on that side; else its published mean, by the test's detectable
        // difference (the trunk hold's 162 s, with a low end only).
        const double bound = expected == Deviation::low ? t->norm_low : t->norm_high;
        if (std::isfinite(bound) || std::isfinite(t->norm_reference)) {
          judged = true;
          shown |= t->measured_vs_norm == expected;
        }
      }
      // A measurement beyond its norm shows it; one the fit moved while no norm judges it stands
      // if the measurements determined it, and is no finding if they leave it open.
      if (shown || (fitted->determined && !judged)) continue;
      g.*x.vs_norm = Deviation::typical;
      g.held_to_norms.emplace_back(name);
      changed = true;
    }
    if (changed) g.summary = profile_summary(g);
  }
}

// A calibrated subject's fitted group factor that the findings do not read.
struct UnreadFit {
  std::string group, factor;
  Side side;
  double prior;
};

// The fitted group factors the findings do not read: held to the norms, or moved by the fit
// within their band by more than half of it (chosen: a move that size takes a test near its
// detectable difference: the hamstrings' length moved 0.013 lowered the raise 8 deg), from a
// prior within the band. A prior outside it is the subject file's own finding, which the fit
// moved away from: its fitted value stands.
std::vector<UnreadFit> unread_fits(const std::vector<GroupProfile>& profile,
                                   const CalibrationResult& calibration) {
  // Each fitted group factor that is no finding, with whether it moved as above.
  std::vector<std::pair<UnreadFit, bool>> candidates;
  for (const FittedParameter& p : calibration.parameters) {
    const GroupFactor* x = group_factor(p.factor);
    if (p.group.empty() || !x) continue;  // the stretch tolerances: tests only
    for (const GroupProfile& g : profile) {
      if (g.group != p.group || (p.side && *p.side != g.side)) continue;
      const double band = x->band;
      if (g.*x->vs_norm != Deviation::typical ||
          factor_deviation(p.prior, band) != Deviation::typical)
        continue;
      const bool held = std::find(g.held_to_norms.begin(), g.held_to_norms.end(), p.factor) !=
                        g.held_to_norms.end();
      candidates.push_back(
          {{g.group, p.factor, g.side, p.prior}, held || std::abs(p.value - p.prior) > 0.5 * band});
    }
  }
  // A group side with one such factor moved gives back all of them: they were fitted together
  // (a length 0.99 beside a held stiffness matched the measurements only with it).
  std::vector<UnreadFit> out;
  for (const auto& [u, moved] : candidates)
    if (std::any_of(candidates.begin(), candidates.end(), [&](const auto& c) {
          return c.second && c.first.group == u.group && c.first.side == u.side;
        }))
      out.push_back(u);
  return out;
}

// Marks the tests that show a fitted factor the findings do not read on their side (whole-body
// tests: either side): TestComparison::moved_by_unread_factor.
void mark_moved_by_unread_factors(std::vector<TestComparison>& tests,
                                  const std::vector<UnreadFit>& unread) {
  for (TestComparison& t : tests)
    for (const FactorTest& r : kFactorTests)
      for (const UnreadFit& u : unread)
        if (r.test == t.test && u.group == r.group && u.factor == r.factor &&
            (!t.side || u.side == *t.side))
          t.moved_by_unread_factor = true;
}

// The calibrated subject `s` with the fitted factors the findings do not read back at their
// priors; whether there were any. Restoring a held factor alone would leave the ones fitted with
// it (a length beside its stiffness) where they matched the measurements together, a subject
// neither fitted nor typical.
bool restore_unread_fits(model::Subject& s, const std::vector<UnreadFit>& unread) {
  for (const UnreadFit& u : unread) {
    const auto entry = std::find_if(s.muscles.begin(), s.muscles.end(), [&](const auto& m) {
      return m.is_group && m.target == u.group;
    });
    if (entry == s.muscles.end()) continue;
    model::MuscleFactors& factors = u.side == Side::right ? entry->right : entry->left;
    const model::FittableFactor* x = model::find_fittable_factor(u.factor);
    PULLEY_DEMAND(x, "an unread fit is a group factor");
    factors.*x->in_file = u.prior;
  }
  return !unread.empty();
}

// The profile of `name` on `side`; nullptr if the profile has none.
const GroupProfile* group(const std::vector<GroupProfile>& profile, std::string_view name,
                          Side side) {
  for (const auto& p : profile)
    if (p.group == name && p.side == side) return &p;
  return nullptr;
}

// Marks the strength tests that a cause other than their group's strength moves
// (TestComparison::strength_typical, with the cause): a knee strength test or the Nordic whose
// group has typical strength and capacity on that side while its length, stiffness or fascicles
// deviate; the Nordic of such a leg whose partner's hamstrings deviate (both legs lower
// together); the trunk hold whose back muscles are typical on both sides while standing differs.
// The ratios, of two groups, are not marked.
void mark_strength_typical(std::vector<TestComparison>& tests,
                           const std::vector<GroupProfile>& profile) {
  const auto strength_typical = [](const GroupProfile* g) {
    return g && g->strength_vs_norm == Deviation::typical && !g->reduced_capacity;
  };
  const auto shape_deviates = [](const GroupProfile* g) {
    return g &&
           (g->length_vs_norm != Deviation::typical || g->stiffness_vs_norm != Deviation::typical ||
            g->fascicle_length_vs_norm != Deviation::typical);
  };
  const auto posture_deviates = [&] {
    return std::any_of(tests.begin(), tests.end(), [](const TestComparison& c) {
      return (c.test == MeasuredTest::standing_pelvic_tilt_deg ||
              c.test == MeasuredTest::standing_lumbar_lordosis_deg) &&
             (c.simulated_vs_typical == Deviation::low ||
              c.simulated_vs_typical == Deviation::high);
    });
  }();
  for (TestComparison& t : tests)
    for (const FactorTest& r : kFactorTests) {
      if (r.test != t.test || r.factor != "strength" || r.test == MeasuredTest::hq_ratio ||
          r.test == MeasuredTest::conventional_hq_ratio)
        continue;
      if (!t.side) {  // the trunk hold: both sides' back muscles
        if (strength_typical(group(profile, r.group, Side::right)) &&
            strength_typical(group(profile, r.group, Side::left)) && posture_deviates)
          t.strength_typical_cause =
              "the trunk's shape in standing, which differs from "
              "typical, moves this test";
      } else {
        const GroupProfile* g = group(profile, r.group, *t.side);
        const GroupProfile* other =
            group(profile, r.group, *t.side == Side::right ? Side::left : Side::right);
        if (!strength_typical(g)) continue;
        if (shape_deviates(g))
          t.strength_typical_cause =
              "its length, stiffness or fascicles, which differ from "
              "typical, move this test";
        else if (t.test == MeasuredTest::nordic_force_n && other && (!other->is_typical()))
          t.strength_typical_cause =
              "the other leg, which lowers with it and differs from "
              "typical, moves this test";
      }
    }
}

// --- Tests ---------------------------------------------------------------------------------------

}  // namespace

bool norm_applies(MeasuredTest test, const ClinicalTestSettings& used) {
  const ClinicalTestSettings standard;
  const bool seated_hip = used.isometric_hip_flexion_deg == standard.isometric_hip_flexion_deg;
  switch (test) {
    case MeasuredTest::knee_flexion_torque_nm_per_kg:
    case MeasuredTest::knee_extension_torque_nm_per_kg:
    case MeasuredTest::hq_ratio:
      return seated_hip && used.isometric_knee_flexion_deg == standard.isometric_knee_flexion_deg;
    case MeasuredTest::concentric_knee_flexion_nm_per_kg:
    case MeasuredTest::concentric_knee_extension_nm_per_kg:
    case MeasuredTest::conventional_hq_ratio:
      return seated_hip && used.isokinetic_speed_deg_s == standard.isokinetic_speed_deg_s;
    case MeasuredTest::nordic_force_n:
      return used.nordic_lowering_speed_deg_s == standard.nordic_lowering_speed_deg_s;
    default:
      return true;
  }
}

namespace {

// The published norm of a test for this subject, tested with `used`: the sex's range where it
// applies to the protocol (norm_applies); a trunk hold stopped at its limit is read against the
// norm's low end only if it may run that long, and against its mean only if it may run beyond
// it; the lordosis's follows the pelvic incidence.
Range published_norm(const TestSpec& s, const model::Subject& subject,
                     const ClinicalTestSettings& used) {
  if (!norm_applies(s.test, used)) return {nan, nan, nan};
  Range r = subject.sex == model::Sex::male ? s.male : s.female;
  if (s.test == MeasuredTest::trunk_extensor_endurance_s) {
    const double limit = used.trunk_endurance_limit_s;
    if (!(limit >= r.low)) r.low = r.reference = nan;
    if (!(limit > r.reference)) r.reference = nan;
  }
  if (s.test == MeasuredTest::standing_lumbar_lordosis_deg) {
    r.reference = subject.pelvic_incidence_deg + 9.0;
    r.low = r.reference - 10.0;
    r.high = r.reference + 10.0;
  }
  return r;
}

// One test on one side compared: the subject's value and how it ended, the typical subject's,
// the subject file's measurement, the published norm and healthy people's spread.
TestComparison compare_test(const TestSpec& s, std::optional<Side> side, const model::Model& model,
                            const ClinicalTestSettings& used, const TestValue& on_subject,
                            double typical, const std::vector<model::Measurement>& measurements) {
  TestComparison t;
  t.test = s.test;
  t.side = side;
  t.subject = on_subject.value;
  t.subject_end = on_subject.end;
  t.typical = typical;
  for (const auto& m : measurements)
    if (m.test == s.test && (!side || m.side == side)) t.measured = m.value;
  const Range r = published_norm(s, model.subject, used);
  t.norm_low = r.low;
  t.norm_high = r.high;
  t.norm_reference = r.reference;
  const bool has_norm = std::isfinite(t.norm_low) || std::isfinite(t.norm_high);
  if (has_norm || std::isfinite(t.norm_reference)) t.norm_source = s.norm_source;
  const double sd = healthy_sd(s.test, model.subject, used, t.typical);
  if (std::isfinite(sd) && std::isfinite(t.typical)) {
    t.healthy_sd = sd;
    t.healthy_source = s.healthy.source;
  }
  t.simulated_vs_typical = against(s, t.subject, t.typical);
  // A measurement is read against what is published about people, never against the model's
  // typical subject, which misses some published norms (docs/validation.md, Clinical tests).
  if (t.measured) {
    const Deviation from_mean = against(s, *t.measured, t.norm_reference);
    t.measured_vs_norm = has_norm ? in_range(*t.measured, t.norm_low, t.norm_high) : from_mean;
    // Within a range open on one side, beyond the published mean on that side by the test's
    // detectable difference is beyond the norm too (a 300 s trunk hold against 162 +- 52 s).
    if (has_norm && t.measured_vs_norm == Deviation::typical &&
        ((from_mean == Deviation::high && !std::isfinite(t.norm_high)) ||
         (from_mean == Deviation::low && !std::isfinite(t.norm_low))))
      t.measured_vs_norm = from_mean;
  }
  return t;
}

std::vector<TestComparison> compare_tests(const model::Model& model,
                                          const ClinicalTestResults& subject,
                                          const ClinicalTestResults& typical,
                                          const std::vector<model::Measurement>& measurements) {
  std::vector<TestComparison> out;
  for (const TestSpec& s : kTestSpecs) {
    std::vector<std::optional<Side>> sides;
    if (model::is_sided(s.test))
      sides = {Side::right, Side::left};
    else
      sides = {std::nullopt};
    for (const auto side : sides)
      out.push_back(compare_test(s, side, model, subject.settings,
                                 test_result(subject, s.test, side),
                                 test_value(typical, s.test, side), measurements));
  }
  return out;
}

}  // namespace

// --- Loads ---------------------------------------------------------------------------------------

BodyLoads body_loads(const model::Model& model, const tasks::StandingResult& st,
                     const tasks::TaskResult& bend) {
  BodyLoads b;
  const double weight_n = model.subject.mass_kg * kGravity;
  b.pelvic_tilt_deg = st.posture.pelvic_tilt_deg;
  b.lumbar_lordosis_deg = st.posture.lumbar_lordosis_deg;
  b.standing_knee_compression_bw = st.loads.knee[0].compression_n / weight_n;
  b.standing_knee_anterior_shear_n = st.loads.knee[0].anterior_shear_n;
  const tasks::FrameResult* deepest = nullptr;
  for (const auto& f : bend.frames)
    if (!deepest || f.thorax_rotation_deg > deepest->thorax_rotation_deg) deepest = &f;
  for (std::size_t k = 0; k < 5; ++k) {
    LevelLoads& l = b.lumbar[k];
    l.level = tasks::lumbar_level_names()[k];
    if (k < st.lumbar.size()) {
      l.standing_compression_n = st.lumbar[k].compression_n;
      l.standing_shear_n = st.lumbar[k].shear_n;
      l.standing_pressure_mpa = st.lumbar[k].disc_pressure_mpa;
      l.standing_posterior_share = st.lumbar[k].posterior_share;
    }
    for (const auto& f : bend.frames) {
      if (k >= f.loads.lumbar.size()) continue;
      const auto& ll = f.loads.lumbar[k];
      l.bend_peak_compression_n = std::max(l.bend_peak_compression_n, ll.compression_n);
      l.bend_peak_shear_n = std::max(l.bend_peak_shear_n, std::abs(ll.shear_n));
      l.bend_peak_pressure_mpa = std::max(l.bend_peak_pressure_mpa, ll.disc_pressure_mpa);
      l.bend_peak_ligament_tension_n =
          std::max(l.bend_peak_ligament_tension_n, ll.ligament_tension_n);
    }
    if (deepest && k < deepest->loads.lumbar.size())
      l.bend_deepest_posterior_share = deepest->loads.lumbar[k].posterior_share;
  }
  for (const auto& f : bend.frames) {
    b.bend_knee_peak_compression_bw =
        std::max(b.bend_knee_peak_compression_bw, f.loads.knee[0].compression_n / weight_n);
    b.bend_knee_peak_anterior_shear_n =
        std::max(b.bend_knee_peak_anterior_shear_n, f.loads.knee[0].anterior_shear_n);
    b.bend_peak_pelvis_rotation_deg =
        std::max(b.bend_peak_pelvis_rotation_deg, f.pelvis_rotation_deg);
    b.bend_peak_lumbar_flexion_deg = std::max(b.bend_peak_lumbar_flexion_deg, f.lumbar_flexion_deg);
    b.bend_peak_hip_flexion_deg = std::max(b.bend_peak_hip_flexion_deg, f.posture.hip_flexion_deg[0]);
    if (!f.feasible) ++b.bend_reserve_frames;
  }
  b.bend_frames = static_cast<int>(bend.frames.size());
  return b;
}

tasks::TaskResult run_bend(const model::Model& model, const tasks::StandingResult& standing,
                           const FindingsSettings& settings) {
  // Reserve on: the model's hamstrings stop the pelvis short of the published rhythm and a few
  // frames near the deepest point need it (docs/validation.md); the count is reported.
  tasks::TaskInputs inputs;
  inputs.standing = &standing;
  return tasks::run_task(model,
                         tasks::parse_task_options(
                             "forward-bend", {{"frames", std::to_string(settings.bend_frames)},
                                              {"reserve", "on"}}),
                         inputs);
}

StrainFindings hamstring_strain(const model::Model& model, const tasks::StandingResult& standing,
                                const model::Model& typical,
                                const tasks::StandingResult& typical_standing,
                                const FindingsSettings& settings,
                                std::vector<double>* typical_strain_index) {
  StrainFindings s;
  s.activity = fmt::format("run at {:g} m/s", settings.run_speed_m_s);
  s.why_this_activity =
      "the fastest recorded stride Pulley ships (Hamner & Delp 2013); the sprint recording "
      "(9.5 m/s, Dorn et al. 2012) is not shipped (docs/gait.md)";
  tasks::TaskInputs inputs;
  inputs.standing = &standing;
  inputs.typical = &typical;
  inputs.typical_standing = &typical_standing;
  inputs.typical_strain_index = typical_strain_index;
  const tasks::TaskResult run = tasks::run_task(
      model,
      tasks::parse_task_options("run", {{"speed_m_s", fmt::format("{:g}", settings.run_speed_m_s)},
                                        {"frames", std::to_string(settings.run_frames)},
                                        {"reserve", "on"}}),
      inputs);
  if (!run.gait || run.frames.empty()) return s;
  s.computed = true;
  for (const auto& h : run.gait->hamstrings) {
    HeadStrain head;
    head.head = h.head;
    head.strain_index = h.strain_index.value;
    head.cycle_pct = h.strain_index.time_pct_cycle;
    head.relative = h.relative_strain_index;
    s.heads.push_back(std::move(head));
  }
  const auto most = std::max_element(s.heads.begin(), s.heads.end(), [](const auto& a, const auto& b) {
    return a.strain_index < b.strain_index;
  });
  if (most != s.heads.end() && most->relative) {
    s.head = most->head;
    s.relative = *most->relative;
  }
  return s;
}

namespace {

// --- Causal chains -------------------------------------------------------------------------------

// The evidence of a link whose test was done by a protocol its published norm was not
// (norm_applies).
constexpr const char* kTestedAlike =
    "the typical subject, tested alike: the published norms are for another protocol "
    "(docs/assessment.md, Settings)";

// chosen: differences the chains start from. 5 deg of pelvis rotation in the toe-touch: about a
// tenth of the healthy 53 deg (Tafazzol et al. 2014). 2 deg of pelvic tilt and 3 deg of lordosis
// in standing: below what a radiograph would show, so smaller differences start no chain. A 20 %
// higher strain index: a round figure well above the index's change between stride frame counts.
constexpr double kBendPelvisChainDeg = 5.0;
constexpr double kStandingTiltChainDeg = 2.0;
constexpr double kStandingLordosisChainDeg = 3.0;
// chosen: a shift of the L4-L5 disc's posterior share by 0.01 (1 % of its compression) is the
// least the standing chain names as moving forward or back; smaller ones are round-off of a
// posture near typical.
constexpr double kStandingShareChange = 0.01;
constexpr double kStrainChainRatio = 1.2;

// The group's deviations on both sides in words, "" when both are typical: "hamstrings: shorter
// (length 0.95) and stiffer (stiffness 2.00)" or per side when they differ.
using NoFactors = std::vector<std::string>;

// Which of a calibrated group's factors the measurements determined, in words: "the measurements
// determined their length and strength", or that they determined none of them.
std::string determined_words(const std::vector<std::string>& factors) {
  if (factors.empty()) return "not determined by the measurements";
  std::vector<std::string> named;
  for (const auto& f : factors) named.push_back(words(f));
  return "the measurements determined their " + and_list(named);
}

std::string group_words(const std::vector<GroupProfile>& profile, std::string_view name) {
  const GroupProfile* r = group(profile, name, Side::right);
  const GroupProfile* l = group(profile, name, Side::left);
  if (!r || !l || (r->is_typical() && l->is_typical())) return "";
  const std::string label = words(name);
  if (r->summary == l->summary) return label + ": " + r->summary;
  return fmt::format("{}: right {}, left {}", label, r->summary, l->summary);
}

// The level with the largest value of `get` (index 0-4).
template <class Get>
std::size_t worst_level(const BodyLoads& b, Get get) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < 5; ++k)
    if (get(b.lumbar[k]) > get(b.lumbar[best])) best = k;
  return best;
}

std::string level_words(const std::string& level) {
  std::string out = level;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::vector<CausalChain> causal_chains(const Findings& f) {
  std::vector<CausalChain> chains;
  const BodyLoads& s = f.loads;
  const BodyLoads& t = f.typical_loads;

  // Bending: hamstrings' passive tension -> pelvis -> lumbar flexion -> the back of the segments.
  const GroupProfile* ham_r = group(f.imbalance, "hamstrings", Side::right);
  const GroupProfile* ham_l = group(f.imbalance, "hamstrings", Side::left);
  const bool tight_hamstrings =
      (ham_r && (ham_r->length_vs_norm == Deviation::low ||
                 ham_r->stiffness_vs_norm == Deviation::high)) ||
      (ham_l && (ham_l->length_vs_norm == Deviation::low ||
                 ham_l->stiffness_vs_norm == Deviation::high));
  const TestComparison* slr = f.find(MeasuredTest::straight_leg_raise_deg, Side::right);
  const double pelvis_less = t.bend_peak_pelvis_rotation_deg - s.bend_peak_pelvis_rotation_deg;
  if (tight_hamstrings || pelvis_less > kBendPelvisChainDeg ||
      (slr && slr->deviation() == Deviation::low)) {
    CausalChain c;
    c.id = "bending";
    // Each link says which way this subject's figure goes, and the chain names the hamstrings
    // only when their profile shows them tight: a raise stopped early by other tissue behind the
    // hip (a tight adductor magnus, say) names that, and a pelvis that rotates less while the
    // raise goes as far as typical or further is not put on either.
    const bool raise_shorter = slr && slr->deviation() == Deviation::low;
    // What holds the pelvis back, as far as the profile and the raise tell (none: neither).
    const char* holder =
        tight_hamstrings ? "hamstrings" : raise_shorter ? "tissues behind the hip" : nullptr;
    c.title = pelvis_less <= 0.0 ? "the hamstrings' stiffness and the bending rhythm"
              : tight_hamstrings
                  ? "stiffer or shorter hamstrings hold the pelvis back in bending, so the lower "
                    "back bends more"
                  : fmt::format("{} in bending, so the lower back bends more; the hamstrings are "
                                "not tighter than typical",
                                holder ? "tissue behind the hip that the straight-leg raise "
                                         "stretches holds the pelvis back"
                                       : "the pelvis rotates less");
    const std::string ham = group_words(f.imbalance, "hamstrings");
    if (slr) {
      const std::string measured =
          slr->measured ? fmt::format(" (measured {:.0f} deg)", *slr->measured) : "";
      const std::string what =
          raise_shorter
              ? fmt::format("the straight-leg raise stops earlier: {} reaches the stretch "
                            "tolerance at a lower hip angle",
                            tight_hamstrings ? "the hamstrings' passive tension"
                                             : "the passive tension behind the hip (hamstrings, "
                                               "adductor magnus, gluteus maximus)")
          : slr->deviation() == Deviation::high
              ? "the straight-leg raise goes further than typical: the hamstrings' passive "
                "tension is not what holds the pelvis back"
              : "the straight-leg raise is within what the test can tell from typical";
      c.links.push_back(
          {fmt::format("{}{}{}", ham.empty() ? "" : ham + "; ", what, measured),
           "tests.straight_leg_raise_deg.right", slr->subject, slr->typical, "deg",
           "tight below 70 deg (Li et al. 1996); smallest detectable change 6-7 deg (J Sport "
           "Rehabil 2015)"});
    }
    c.links.push_back(
        {pelvis_less <= 0.0 ? "no less pelvic rotation in the toe-touch than typical"
         : holder
             ? fmt::format("less pelvic rotation in the toe-touch: the stretched {} resist the "
                           "pelvis tipping forward over the hips",
                           holder)
             : "less pelvic rotation in the toe-touch: held by something other than the "
               "hamstrings' tension (see the imbalance profile)",
         "forward_bend.peak_pelvis_rotation_deg", s.bend_peak_pelvis_rotation_deg,
         t.bend_peak_pelvis_rotation_deg, "deg",
         "model: the thorax rotation is prescribed (121 deg); the split between hips and lumbar "
         "spine is the least-effort posture with the muscles' passive forces (docs/tasks.md); "
         "healthy peak pelvis rotation 53 deg (Tafazzol et al. 2014)"});
    c.links.push_back({s.bend_peak_lumbar_flexion_deg > t.bend_peak_lumbar_flexion_deg
                           ? "more lumbar flexion to reach the same trunk inclination"
                           : "no more lumbar flexion than typical to reach the same trunk "
                             "inclination",
                       "forward_bend.peak_lumbar_flexion_deg", s.bend_peak_lumbar_flexion_deg,
                       t.bend_peak_lumbar_flexion_deg, "deg",
                       "healthy peak lumbar flexion 60 deg (Tafazzol et al. 2014); what the pelvis "
                       "does not rotate, the lumbar spine must"});
    const std::size_t k =
        worst_level(s, [](const LevelLoads& l) { return l.bend_peak_ligament_tension_n; });
    c.links.push_back(
        {fmt::format("the back of the lumbar segments stretched: posterior ligaments and annulus "
                     "in tension at {}",
                     level_words(s.lumbar[k].level)),
         fmt::format("forward_bend.lumbar.{}.peak_ligament_tension_n", s.lumbar[k].level),
         s.lumbar[k].bend_peak_ligament_tension_n, t.lumbar[k].bend_peak_ligament_tension_n, "N",
         "model: passive lumbar segments (docs/model.md, section 6); flexion stretches the "
         "posterior ligaments and annulus, whose tension adds to the disc's compression"});
    const std::size_t j =
        worst_level(s, [](const LevelLoads& l) { return l.bend_peak_compression_n; });
    c.links.push_back(
        {fmt::format("{} disc compression at {} at the bottom of the bend",
                     s.lumbar[j].bend_peak_compression_n > t.lumbar[j].bend_peak_compression_n
                         ? "more"
                         : "no more",
                     level_words(s.lumbar[j].level)),
         fmt::format("forward_bend.lumbar.{}.peak_compression_n", s.lumbar[j].level),
         s.lumbar[j].bend_peak_compression_n, t.lumbar[j].bend_peak_compression_n, "N",
         "NIOSH action limit 3400 N (Waters et al. 1993); intradiscal pressure at L4-L5 standing "
         "flexed about 1.1 MPa (Wilke et al. 1999)"});
    c.caveat =
        "A slow, quasi-static toe-touch with straight knees and the thorax rotation prescribed; "
        "people may bend their knees or stop short. The model's typical subject already rotates "
        "its pelvis less than published (docs/validation.md).";
    chains.push_back(std::move(c));
  }

  // Standing: the muscles' balance around the pelvis -> tilt -> lordosis -> disc loading.
  const double d_tilt = s.pelvic_tilt_deg - t.pelvic_tilt_deg;
  const double d_lordosis = s.lumbar_lordosis_deg - t.lumbar_lordosis_deg;
  if (std::abs(d_tilt) >= kStandingTiltChainDeg ||
      std::abs(d_lordosis) >= kStandingLordosisChainDeg) {
    CausalChain c;
    c.id = "standing";
    // Each half of the title and each link only as far as the model moves it: a change under
    // its threshold is named as near typical, not as a tilt or an arch.
    const bool tilted = std::abs(d_tilt) >= kStandingTiltChainDeg;
    const bool arched = std::abs(d_lordosis) >= kStandingLordosisChainDeg;
    const std::string lordosis_words =
        arched ? (d_lordosis < 0.0 ? "the lower back flattens" : "the lower back arches more")
               : "the lower back keeps a typical curve";
    c.title = tilted ? fmt::format("the pelvis tips {} in standing{}{}",
                                   d_tilt > 0.0 ? "back" : "forward", arched ? " and " : "; ",
                                   lordosis_words)
                     : lordosis_words + " in standing; the pelvis keeps a typical tilt";
    std::string causes;
    for (const char* g : {"hamstrings", "hip_flexors", "quadriceps", "gluteals", "abdominals",
                          "erector_spinae"}) {
      const std::string w = group_words(f.imbalance, g);
      if (!w.empty()) causes += (causes.empty() ? "" : "; ") + w;
    }
    c.links.push_back(
        {fmt::format("the muscles around the pelvis out of balance{}{}; quiet standing settles "
                     "where gravity, passive tissue and tone balance",
                     causes.empty() ? "" : ": ", causes),
         "standing_pelvic_tilt_deg", s.pelvic_tilt_deg, t.pelvic_tilt_deg, "deg",
         "pelvic tilt 12 +- 4 deg at pelvic incidence 48-57 deg (PMC4303780 table 3); a smaller "
         "tilt means the pelvis tipped forward"});
    c.links.push_back({!arched ? fmt::format("lumbar lordosis near typical (within {:g} deg)",
                                             kStandingLordosisChainDeg)
                       : d_lordosis < 0.0 ? "less lumbar lordosis (a flatter lower back)"
                                          : "more lumbar lordosis (a deeper arch)",
                       "standing_lumbar_lordosis_deg", s.lumbar_lordosis_deg, t.lumbar_lordosis_deg,
                       "deg", "lordosis about pelvic incidence + 9 deg (PMC4303780 table 3)"});
    const double d_share =
        s.lumbar[3].standing_posterior_share - t.lumbar[3].standing_posterior_share;
    c.links.push_back(
        {std::abs(d_share) < kStandingShareChange
             ? "the load on the L4-L5 disc shared between its halves as typical"
         : d_share < 0.0 ? "the load on the L4-L5 disc moves forward, onto its front half"
                         : "the load on the L4-L5 disc moves back, onto its posterior half",
         "standing.lumbar.L4_L5.posterior_share", s.lumbar[3].standing_posterior_share,
         t.lumbar[3].standing_posterior_share, "",
         "model: the segment's bending shifts compression across the disc (docs/tasks.md, loads)"});
    c.links.push_back({"intradiscal pressure at L4-L5 in standing", "standing.lumbar.L4_L5.pressure_mpa",
                       s.lumbar[3].standing_pressure_mpa, t.lumbar[3].standing_pressure_mpa, "MPa",
                       "standing 0.50 MPa (Wilke et al. 1999)"});
    // The published accounts: claims S3, S4 (domain.md).
    c.caveat =
        "Published accounts of this pattern claim larger posture changes than the model finds; "
        "the model's figures are its own, not the claim restated.";
    chains.push_back(std::move(c));
  }

  // Hamstring strain in fast running.
  if (f.strain.computed && std::isfinite(f.strain.relative) &&
      f.strain.relative >= kStrainChainRatio) {
    CausalChain c;
    c.id = "hamstring_strain";
    c.title = "the hamstrings meet more of the mechanical demand linked with strains in fast "
              "running";
    const std::string ham = group_words(f.imbalance, "hamstrings");
    const TestComparison* nordic = f.find(MeasuredTest::nordic_force_n, Side::right);
    const GroupProfile* h = group(f.imbalance, "hamstrings", Side::right);
    if (nordic && nordic->deviation() != Deviation::low && h && !h->is_typical()) {
      // The cause is the hamstrings' own make-up, not eccentric weakness.
      const bool length = h->length_vs_norm != Deviation::typical;
      const bool fascicle = h->fascicle_length_vs_norm != Deviation::typical;
      const bool strength = h->strength_vs_norm != Deviation::typical;
      const char* factor = length ? "length" : fascicle ? "fascicle_length" : strength ? "strength" : "capacity";
      const double value = length ? h->length : fascicle ? h->fascicle_length : strength ? h->strength : h->capacity;
      c.links.push_back(
          {ham + (length || fascicle ? " (right): their fibres work further along their "
                                       "force-length curve for the same joint motion"
                                     : " (right): less force for the same braking, so each unit "
                                       "works nearer its capacity"),
           fmt::format("imbalance.hamstrings.right.{}", factor), value, 1.0, "",
           f.factors_fitted ? "the calibrated subject's factors (1 = population default; "
                              "docs/assessment.md, Calibration); docs/model.md"
                            : "the subject file's factors (1 = population default); "
                              "docs/model.md"});
    } else if (nordic)
      c.links.push_back(
          {fmt::format(
               "{}eccentric strength in the Nordic exercise{}", ham.empty() ? "" : ham + "; ",
               nordic->measured ? fmt::format(" (measured {:.0f} N)", *nordic->measured) : ""),
           "tests.nordic_force_n.right", nordic->subject, nordic->typical, "N",
           nordic->norm_source.empty()
               ? std::string(kTestedAlike)
               : nordic->norm_source + "; under 337 N: 4.4 times (Timmins et al. 2016)"});
    const HeadStrain* worst = nullptr;
    for (const auto& h : f.strain.heads)
      if (h.head == f.strain.head) worst = &h;
    if (worst)
      c.links.push_back(
          {fmt::format("late in the swing the {} lengthens while braking the shank, its fibres "
                       "beyond their optimal length: strain index at {:.0f} % of the stride",
                       muscle_words(worst->head), worst->cycle_pct),
           fmt::format("strain.{}.strain_index", worst->head), worst->strain_index,
           worst->relative ? worst->strain_index / *worst->relative : kNaN, "",
           "docs/fatigue.md: force over available force times fibre strain beyond optimal "
           "length; eccentric injury depends on fibre strain (Lieber & Friden 1993)"});
    c.links.push_back({fmt::format("{:.1f} times the typical subject's strain index in the {}",
                                   f.strain.relative, f.strain.activity),
                       fmt::format("strain.{}.relative_strain_index", f.strain.head),
                       f.strain.relative, 1.0, "",
                       "a relative index of mechanical demand, not a probability of injury "
                       "(docs/fatigue.md)"});
    c.caveat = "One stride of a 5 m/s run, static optimisation frame by frame (with the fibres' "
               "force-velocity, docs/gait.md); nothing of previous injury, age or neural control, "
               "which studies link with strains.";
    chains.push_back(std::move(c));
  }

  // Knee balance: flexors against extensors.
  for (const Side side : model::kSides) {
    const TestComparison* hq = f.find(MeasuredTest::hq_ratio, side);
    const TestComparison* fl = f.find(MeasuredTest::knee_flexion_torque_nm_per_kg, side);
    const TestComparison* ex = f.find(MeasuredTest::knee_extension_torque_nm_per_kg, side);
    // A ratio out of the subject's reach is no evidence (TestComparison::evidence).
    const Deviation balance = hq ? hq->evidence() : Deviation::not_compared;
    if (!fl || !ex || balance == Deviation::typical || balance == Deviation::not_compared) continue;
    const bool low = balance == Deviation::low;
    CausalChain c;
    c.id = "knee_balance";
    c.title = fmt::format(
        "the {} knee's flexors and extensors out of balance: {}", model::side_name(side),
        low ? "hamstrings weak for the quadriceps" : "quadriceps weak for the hamstrings");
    // The extension's norm stands for the protocol the strength norms were published for (both
    // sexes have one); a woman's flexion, with no published range, still cites the review the
    // others come from.
    const bool published_protocol = !ex->norm_source.empty();
    const auto source = [&](const TestComparison* t) {
      return !published_protocol      ? std::string(kTestedAlike)
             : t->norm_source.empty() ? std::string("Sarabon et al. 2021")
                                      : t->norm_source;
    };
    c.links.push_back(
        {"knee flexion strength (hamstrings, gastrocnemius)",
         fmt::format("tests.knee_flexion_torque_nm_per_kg.{}", model::side_name(side)), fl->subject,
         fl->typical, "N m/kg", source(fl)});
    c.links.push_back(
        {"knee extension strength (quadriceps)",
         fmt::format("tests.knee_extension_torque_nm_per_kg.{}", model::side_name(side)),
         ex->subject, ex->typical, "N m/kg", source(ex)});
    c.links.push_back(
        {fmt::format("hamstring:quadriceps ratio {}{}", low ? "low" : "high",
                     hq->measured ? fmt::format(" (measured {:.2f})", *hq->measured) : ""),
         fmt::format("tests.hq_ratio.{}", model::side_name(side)), hq->subject, hq->typical, "",
         published_protocol
             ? std::string("compared with the typical subject: the isometric ratio has no "
                           "published norm read (docs/assessment.md)")
             : std::string(kTestedAlike)});
    c.caveat = "The model does not simulate the knee's ligaments in landing or cutting; the link "
               "from H:Q to knee injury is an association in studies, not a mechanism shown here.";
    chains.push_back(std::move(c));
    break;  // one knee chain; the other side's figures are in the tests
  }
  return chains;
}

// --- Signs -----------------------------------------------------------------------------------

// A check of one test for a sign: the direction that supports the sign's reading.
struct TestCheck {
  MeasuredTest test;
  Deviation supports;  ///< low or high
  const char* meaning;  ///< what that direction means: "weaker hamstrings"
};

struct SignRule {
  SignKind kind;
  const char* reading;
  std::vector<TestCheck> checks;
  std::vector<std::pair<const char*, const char*>> factor_checks;  ///< group, "weak"/"tight"
  bool strain = false;  ///< the hamstring strain index supports it when high
  const char* note;     ///< added to every conclusion; "" for none
};

// The readings are the source articles' (domain.md): bottom_sticks_out and
// exaggerated_lumbar_arch claims S3, S7; hamstring_pain_with_low_back_pain S5, S6;
// back_of_thigh_fatigue S5, S7; the knee signs S7. The reports give them without the codes.
const std::vector<SignRule>& sign_rules() {
  static const std::vector<SignRule> rules = {
      {SignKind::bottom_sticks_out,
       "weak hamstrings letting the pelvis tip forward (anterior tilt)",
       {{MeasuredTest::standing_pelvic_tilt_deg, Deviation::low, "the pelvis tipped forward"},
        {MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::nordic_force_n, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::thomas_hip_extension_deg, Deviation::low, "tighter hip flexors"}},
       {{"hamstrings", "weak"}, {"hip_flexors", "tight"}},
       false,
       ""},
      {SignKind::exaggerated_lumbar_arch,
       "hyperlordosis from weak hamstrings and tight hip flexors",
       {{MeasuredTest::standing_lumbar_lordosis_deg, Deviation::high, "a deeper lumbar arch"},
        {MeasuredTest::standing_pelvic_tilt_deg, Deviation::low, "the pelvis tipped forward"},
        {MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::thomas_hip_extension_deg, Deviation::low, "tighter hip flexors"}},
       {{"hamstrings", "weak"}, {"hip_flexors", "tight"}},
       false,
       ""},
      {SignKind::hamstring_pain_with_low_back_pain,
       "a strained hamstring, with the lower back and hip muscles doing its work",
       {{MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::nordic_force_n, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::straight_leg_raise_deg, Deviation::low, "tighter hamstrings"}},
       {{"hamstrings", "weak"}, {"hamstrings", "injured"}},
       true,
       "Pain is not something the model simulates: see a qualified clinician."},
      {SignKind::knee_clicking,
       "an imbalance between the muscles around the knee",
       {{MeasuredTest::hq_ratio, Deviation::low, "hamstrings weak for the quadriceps"},
        {MeasuredTest::hq_ratio, Deviation::high, "quadriceps weak for the hamstrings"}},
       {},
       false,
       "Clicking itself comes from the joint's surfaces and soft tissue, which the model does not "
       "contain."},
      {SignKind::difficulty_bending_knee,
       "knee involvement: tight quadriceps or weak hamstrings",
       {{MeasuredTest::thomas_knee_flexion_deg, Deviation::low, "a tighter rectus femoris"},
        {MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "weaker hamstrings"}},
       {{"quadriceps", "tight"}, {"hamstrings", "weak"}},
       false,
       ""},
      {SignKind::back_of_thigh_fatigue,
       "weak hamstrings that tire quickly",
       {{MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "weaker hamstrings"},
        {MeasuredTest::nordic_force_n, Deviation::low, "weaker hamstrings"}},
       {{"hamstrings", "weak"}, {"hamstrings", "injured"}},
       true,
       ""},
      {SignKind::instability_on_stairs,
       "knee involvement: weak quadriceps or a knee out of balance",
       {{MeasuredTest::knee_extension_torque_nm_per_kg, Deviation::low, "weaker quadriceps"},
        {MeasuredTest::hq_ratio, Deviation::high, "quadriceps weak for the hamstrings"}},
       {{"quadriceps", "weak"}},
       false,
       "Stair climbing is not yet simulated."},
      {SignKind::pain_behind_knee,
       "knee involvement: tight or strained hamstrings or calf at their knee ends",
       {{MeasuredTest::active_knee_extension_deficit_deg, Deviation::high,
         "tighter hamstrings or calf"},
        {MeasuredTest::straight_leg_raise_deg, Deviation::low, "tighter hamstrings"}},
       {{"hamstrings", "tight"}, {"calves", "tight"}},
       false,
       "Pain behind the knee has causes outside the model (the joint, a cyst, nerves, vessels): "
       "see a qualified clinician."},
  };
  return rules;
}

const char* opposite_meaning(Deviation d, MeasuredTest test) {
  // What the direction opposite to a check's means, for contradicting evidence.
  switch (test) {
    case MeasuredTest::standing_pelvic_tilt_deg:
      return d == Deviation::high ? "the pelvis tipped back" : "the pelvis tipped forward";
    case MeasuredTest::standing_lumbar_lordosis_deg:
      return d == Deviation::low ? "a flatter lower back" : "a deeper lumbar arch";
    case MeasuredTest::knee_flexion_torque_nm_per_kg:
    case MeasuredTest::concentric_knee_flexion_nm_per_kg:
    case MeasuredTest::nordic_force_n:
      return d == Deviation::high ? "stronger hamstrings than typical"
                                  : "weaker hamstrings";
    case MeasuredTest::knee_extension_torque_nm_per_kg:
    case MeasuredTest::concentric_knee_extension_nm_per_kg:
      return d == Deviation::high ? "stronger quadriceps than typical" : "weaker quadriceps";
    case MeasuredTest::thomas_hip_extension_deg:
      return d == Deviation::high ? "looser hip flexors than typical" : "tighter hip flexors";
    case MeasuredTest::thomas_knee_flexion_deg:
      return d == Deviation::high ? "a looser rectus femoris" : "a tighter rectus femoris";
    case MeasuredTest::straight_leg_raise_deg:
      return d == Deviation::high ? "more flexible hamstrings than typical" : "tighter hamstrings";
    case MeasuredTest::active_knee_extension_deficit_deg:
    case MeasuredTest::passive_knee_extension_deficit_deg:
      return d == Deviation::low ? "more flexible hamstrings than typical" : "tighter hamstrings";
    default:
      return d == Deviation::high ? "above typical" : "below typical";
  }
}

// Why a test's value says nothing of strength (TestComparison::strength_typical_cause): the
// side's group, or both sides' for a whole-body test.
std::string strength_typical_note(const TestComparison& t) {
  return fmt::format("the group's strength and capacity {} are typical: {}",
                     t.side ? "on this side" : "on both sides", t.strength_typical_cause);
}

// What a simulated test's deviation `d` says in the summary, with why its value is no reading
// where it is not one.
std::string simulated_reading(const TestComparison& t, Deviation d) {
  // (A posture out of the subject's reach is named apart, without its value: summarise.)
  if (t.strength_typical()) return strength_typical_note(t) + ", so it is no reading of strength";
  if (t.subject_end == TestEnd::muscle_capacity_at_start)
    return "the muscles at full effort could not hold the test's start; ended at its start, so "
           "the value is a bound, not a reading";
  if (t.subject_at_start())
    return fmt::format("{}; ended at its start, so the value is a bound, not a reading",
                       opposite_meaning(d, t.test));
  return opposite_meaning(d, t.test);
}

bool factor_flag(const GroupProfile& p, std::string_view what) {
  if (what == "weak") return p.strength_vs_norm == Deviation::low;
  if (what == "tight")
    return p.length_vs_norm == Deviation::low || p.stiffness_vs_norm == Deviation::high;
  if (what == "injured") return p.reduced_capacity;
  return false;
}

SignAssessment weigh_sign(const model::Sign& sign, const Findings& f) {
  SignAssessment a;
  a.sign = sign;
  const SignRule* rule = nullptr;
  for (const auto& r : sign_rules())
    if (r.kind == sign.kind) rule = &r;
  PULLEY_DEMAND(rule != nullptr, "every sign kind has a rule");
  a.reading = rule->reading;
  std::vector<std::optional<Side>> sides;
  if (sign.side)
    sides = {*sign.side};
  else
    sides = {Side::right, Side::left};

  for (const TestCheck& check : rule->checks) {
    for (const auto& side : sides) {
      const TestComparison* t =
          f.find(check.test, model::is_sided(check.test) ? side : std::nullopt);
      if (!t) continue;
      const TestSpec& s = spec(check.test);
      const std::string where =
          model::is_sided(check.test) ? fmt::format(" ({})", model::side_name(*side)) : "";
      // The measurement first: it is the person, the simulation is the model.
      if (t->measured && t->measured_vs_norm != Deviation::typical &&
          t->measured_vs_norm != Deviation::not_compared) {
        const bool supports = t->measured_vs_norm == check.supports;
        a.evidence.push_back(
            {fmt::format("measured {}{} {}, {}: {}", s.label, where,
                         with_unit(*t->measured, s.test), t->norm_source,
                         supports ? check.meaning : opposite_meaning(t->measured_vs_norm, s.test)),
             supports, true});
      } else if (t->measured && t->measured_vs_norm == Deviation::typical) {
        a.evidence.push_back(
            {fmt::format("measured {}{} {}: within the norm ({}), so no sign of {}", s.label, where,
                         with_unit(*t->measured, s.test), t->norm_source, check.meaning),
             false, true});
      }
      // A strength test moved while its group's strength is typical: no reading of strength,
      // and so a point against a reading of weakness.
      if (!t->measured && t->strength_typical() && !t->moved_by_unread_factor &&
          (t->simulated_vs_typical == Deviation::low || t->simulated_vs_typical == Deviation::high))
        a.evidence.push_back(
            {fmt::format("simulated {}{} {} against {} typical: {}; {}, so it is no sign of {}",
                         s.label, where, with_unit(t->subject, s.test),
                         with_unit(t->typical, s.test),
                         t->simulated_vs_typical == Deviation::low ? "lower" : "higher",
                         strength_typical_note(*t), check.meaning),
             false, false});
      // A simulated value out of the subject's reach is no evidence.
      const Deviation simulated = t->simulated_evidence();
      if (simulated == Deviation::low || simulated == Deviation::high) {
        const bool supports = simulated == check.supports;
        // A result in the other direction is reported once, by the check that expects it.
        if (!supports && !rule->checks.empty() &&
            std::any_of(rule->checks.begin(), rule->checks.end(), [&](const TestCheck& c) {
              return c.test == check.test && c.supports == simulated;
            }))
          continue;
        a.evidence.push_back(
            {fmt::format("simulated {}{} {} against {} typical: {}", s.label, where,
                         with_unit(t->subject, s.test), with_unit(t->typical, s.test),
                         supports ? check.meaning : opposite_meaning(simulated, s.test)),
             supports, false});
      }
      // A posture sign's own test, standing: where the model's standing does not show it, that
      // speaks against the sign (a strength test that shows nothing says nothing of posture).
      const bool posture = check.test == MeasuredTest::standing_pelvic_tilt_deg ||
                           check.test == MeasuredTest::standing_lumbar_lordosis_deg;
      if (posture && !t->measured && simulated == Deviation::typical)
        a.evidence.push_back({fmt::format("simulated {}{} {} against {} typical: no sign of {}",
                                          s.label, where, with_unit(t->subject, s.test),
                                          with_unit(t->typical, s.test), check.meaning),
                              false, false});
      if (!model::is_sided(check.test)) break;
    }
  }
  for (const auto& [name, what] : rule->factor_checks)
    for (const auto& side : sides) {
      const GroupProfile* p = group(f.imbalance, name, *side);
      if (p && factor_flag(*p, what)) {
        const std::string label = words(name);
        a.evidence.push_back({!f.factors_fitted
                                  ? fmt::format("the subject file sets the {} {} as {}",
                                                model::side_name(*side), label, p->summary)
                                  : fmt::format("the calibrated subject's {} {} are {} ({})",
                                                model::side_name(*side), label, p->summary,
                                                determined_words(p->determined_factors)),
                              true, false});
      }
    }
  // Remove exact repeats (a whole-body test, or a group's factors, checked for two reasons).
  std::vector<SignEvidence> unique;
  for (auto& e : a.evidence)
    if (std::none_of(unique.begin(), unique.end(),
                     [&](const SignEvidence& u) { return u.statement == e.statement; }))
      unique.push_back(std::move(e));
  a.evidence = std::move(unique);
  if (rule->strain && std::isfinite(f.strain.relative) &&
      f.strain.relative >= kStrainChainRatio)
    a.evidence.push_back(
        {fmt::format("hamstring strain index {:.1f} times typical in a {} ({})", f.strain.relative,
                     f.strain.activity, muscle_words(f.strain.head)),
         true, false});

  int sim_for = 0, sim_against = 0, meas_for = 0, meas_against = 0;
  for (const auto& e : a.evidence) {
    if (e.measured)
      (e.supports ? meas_for : meas_against)++;
    else
      (e.supports ? sim_for : sim_against)++;
  }
  const int support = sim_for + meas_for, contra = sim_against + meas_against;
  const std::string name(model::to_string(sign.kind));
  std::string sign_words = words(name);
  if (sign.side) sign_words += fmt::format(" ({})", model::side_name(*sign.side));
  if (support > 0 && contra == 0) {
    a.verdict = SignVerdict::supported;
    a.conclusion = fmt::format("The model's results fit the sign '{}': it is usually read as {}.",
                               sign_words, a.reading);
  } else if (contra > 0 && support == 0) {
    a.verdict = SignVerdict::contradicted;
    a.conclusion = fmt::format(
        "The sign '{}' is usually read as {}, but the {} point the other way.", sign_words,
        a.reading,
        meas_against > 0 ? (sim_against > 0 ? "measurements and the model's results"
                                            : "measurements")
                         : "model's results");
  } else if (support > 0 && contra > 0) {
    a.verdict = SignVerdict::mixed;
    if (meas_against > 0 && sim_for + meas_for > 0)
      a.conclusion = fmt::format(
          "The sign '{}' points to {}, and {} agree, but the measurements point the other way: "
          "the results disagree, so neither should be taken alone.",
          sign_words, a.reading, sim_for > 0 ? "the model's results" : "some measurements");
    else
      a.conclusion = fmt::format(
          "For the sign '{}' (usually read as {}) some results agree and some point the other way.",
          sign_words, a.reading);
  } else {
    a.verdict = SignVerdict::not_explained;
    a.conclusion = fmt::format(
        "Nothing in the model's results or the measurements explains the sign '{}' (usually read "
        "as {}): its cause may lie outside what the model contains.",
        sign_words, a.reading);
  }
  if (*rule->note) a.conclusion += std::string(" ") + rule->note;
  return a;
}

// --- Plain-language summary ---------------------------------------------------------------------

// The isometric test a concentric one repeats in the summary (none for the other tests).
std::optional<MeasuredTest> isometric_counterpart(MeasuredTest test) {
  switch (test) {
    case MeasuredTest::concentric_knee_flexion_nm_per_kg:
      return MeasuredTest::knee_flexion_torque_nm_per_kg;
    case MeasuredTest::concentric_knee_extension_nm_per_kg:
      return MeasuredTest::knee_extension_torque_nm_per_kg;
    case MeasuredTest::conventional_hq_ratio:
      return MeasuredTest::hq_ratio;
    default:
      return std::nullopt;
  }
}

std::vector<std::string> summarise(const Findings& f) {
  std::vector<std::string> out;
  std::vector<std::string> groups;
  for (const std::string_view g : model::kMuscleGroups) {
    const std::string w = group_words(f.imbalance, g);
    if (w.empty()) continue;
    if (!f.factors_fitted) {
      groups.push_back(w);
      continue;
    }
    // Which of the calibrated subject's factors the measurements determined.
    const GroupProfile* r = group(f.imbalance, g, Side::right);
    const GroupProfile* l = group(f.imbalance, g, Side::left);
    if (r && l && r->determined_factors == l->determined_factors)
      groups.push_back(w + " (" + determined_words(r->determined_factors) + ")");
    else
      groups.push_back(fmt::format("{} (right: {}; left: {})", w,
                                   determined_words(r ? r->determined_factors : NoFactors{}),
                                   determined_words(l ? l->determined_factors : NoFactors{})));
  }
  // Whose factors these are: the subject file's, or the calibration's fit to the measurements.
  const bool any_held = std::any_of(f.imbalance.begin(), f.imbalance.end(),
                                    [](const GroupProfile& g) { return !g.held_to_norms.empty(); });
  if (groups.empty())
    out.push_back(!f.factors_fitted ? "The subject file describes every muscle group as typical."
                  : any_held ? "The calibrated subject has no muscle group that the measurements "
                               "show out of its norms."
                             : "The calibrated subject has every muscle group typical.");
  else {
    std::string s = f.factors_fitted ? "The calibrated subject (fitted to the measurements; the "
                                       "calibration's table gives each factor's prior and fit): "
                                     : "The subject file describes: ";
    for (std::size_t i = 0; i < groups.size(); ++i) s += (i ? "; " : "") + groups[i];
    out.push_back(s + ".");
  }
  // The calibrated subject's deviations that the measurements' norms do not show.
  std::vector<std::string> held;
  for (const std::string_view g : model::kMuscleGroups) {
    const auto factors = [&](Side side) {
      const GroupProfile* p = group(f.imbalance, g, side);
      std::vector<std::string> parts;
      if (!p) return parts;
      for (const std::string& x : p->held_to_norms) {
        const GroupFactor* factor = group_factor(x);
        PULLEY_DEMAND(factor, "a factor held to the norms is a group factor");
        parts.push_back(fmt::format("{} {:.2f}", x, p->*factor->value));
      }
      return parts;
    };
    const std::vector<std::string> r = factors(Side::right), l = factors(Side::left);
    if (r.empty() && l.empty()) continue;
    std::string text = words(g) + ": ";
    if (r == l)
      text += and_list(r);
    else  // the sides apart: "right strength 0.84 and length 0.97, left length 0.96"
      text += r.empty()   ? fmt::format("left {}", and_list(l))
              : l.empty() ? fmt::format("right {}", and_list(r))
                          : fmt::format("right {}, left {}", and_list(r), and_list(l));
    held.push_back(text);
  }
  if (!held.empty())
    out.push_back(fmt::format(
        "Fitted, but not read as findings: {}. The fit moved these factors, but the measurements "
        "of them lie within their published norms or do not determine them; the model's typical "
        "subject lies outside some of those norms (docs/validation.md, Clinical tests), so "
        "fitting a person within them moves the factors. The bend, the run and the loads below "
        "are simulated with the fitted factors that are no finding back at their priors.",
        fmt::join(held, "; ")));
  if (const std::string beyond = beyond_healthy_people(f.tests); !beyond.empty())
    out.push_back(beyond);
  // Simulated tests out of the subject's reach: named once, without the model's values there
  // (a negative strength, say), which are no test result.
  std::vector<std::string> out_of_reach;
  for (const auto& t : f.tests) {
    if (t.measured || !t.subject_beyond_passive_range()) continue;
    const std::string label = spec(t.test).label;
    if (!out_of_reach.empty() && t.side == Side::left && out_of_reach.back() == label + " (right)")
      out_of_reach.back() = label + " (both sides)";
    else
      out_of_reach.push_back(t.side ? fmt::format("{} ({})", label, model::side_name(*t.side))
                                    : label);
  }
  for (const auto& t : f.tests) {
    if (!t.measured && t.subject_beyond_passive_range()) continue;
    if (t.side == Side::left) {
      // Report the left side only where it differs from the right.
      const TestComparison* r = f.find(t.test, Side::right);
      if (r && r->deviation() == t.deviation() &&
          std::abs(r->subject - t.subject) < 1e-6)
        continue;
    }
    const Deviation d = t.deviation();
    if (d != Deviation::low && d != Deviation::high) continue;
    // Simulated, the concentric test says what the isometric one above says: it speaks here only
    // where it was measured, or where the isometric test is out of the subject's reach and the
    // concentric range is not (the tests' list and the report keep both).
    if (const auto isometric = isometric_counterpart(t.test); isometric && !t.measured) {
      const TestComparison* i = f.find(*isometric, t.side);
      if (!(i && i->subject_beyond_passive_range() && !t.subject_beyond_passive_range())) continue;
    }
    const TestSpec& s = spec(t.test);
    std::string side = t.side ? fmt::format(" ({})", model::side_name(*t.side)) : "";
    if (t.measured)
      out.push_back(fmt::format("Measured {}{}: {}.", s.label, side, measured_against_norm(t)));
    else
      out.push_back(fmt::format("Simulated {}{}: {} against {} for the typical subject ({}).",
                                s.label, side, with_unit(t.subject, t.test),
                                with_unit(t.typical, t.test), simulated_reading(t, d)));
  }
  if (!out_of_reach.empty())
    out.push_back(
        fmt::format("Not testable on this subject: {}. For each, {}; it is not read as "
                    "a finding.",
                    and_list(out_of_reach), kBeyondPassiveRangeNote));
  for (const auto& c : f.chains) out.push_back("Chain: " + c.title + ".");
  const auto& s = f.loads;
  const auto& t = f.typical_loads;
  const std::size_t k =
      worst_level(s, [](const LevelLoads& l) { return l.bend_peak_compression_n; });
  out.push_back(fmt::format(
      "In the toe-touch the pelvis rotates {:.0f} deg (typical {:.0f}) and the lower back flexes "
      "{:.0f} deg (typical {:.0f}); the largest disc compression is {:.0f} N at {} (typical "
      "{:.0f} N; NIOSH action limit 3400 N).",
      s.bend_peak_pelvis_rotation_deg, t.bend_peak_pelvis_rotation_deg,
      s.bend_peak_lumbar_flexion_deg, t.bend_peak_lumbar_flexion_deg,
      s.lumbar[k].bend_peak_compression_n, level_words(s.lumbar[k].level),
      t.lumbar[k].bend_peak_compression_n));
  if (f.strain.computed && std::isfinite(f.strain.relative))
    // Two decimals below 1 (under 0.01 as such), so that a much smaller demand does not read as
    // 0.0; none at all is said in words (docs/fatigue.md: the index counts only fibres lengthening
    // beyond their optimal length under load).
    out.push_back(
        f.strain.relative > 0.0
            ? fmt::format("Hamstring strain index in a {}: up to {} times the typical subject's "
                          "({}).",
                          f.strain.activity,
                          f.strain.relative < 0.01  ? std::string("under 0.01")
                          : f.strain.relative < 1.0 ? fmt::format("{:.2f}", f.strain.relative)
                                                    : fmt::format("{:.1f}", f.strain.relative),
                          muscle_words(f.strain.head))
            : fmt::format("Hamstring strain index in a {}: zero, where the typical subject's is "
                          "not: no hamstring head's fibres lengthen beyond their optimal length "
                          "under load.",
                          f.strain.activity));
  for (const auto& a : f.signs) out.push_back(a.conclusion);
  return out;
}

}  // namespace

std::string measured_against_norm(const TestComparison& t) {
  PULLEY_DEMAND(t.measured, "measured_against_norm: the test was not measured");
  const Deviation d = t.measured_vs_norm;
  if (d == Deviation::not_compared)
    return fmt::format("{}, not compared: no published norm was read for this test and protocol",
                       with_unit(*t.measured, t.test));
  // Outside the norm, as many more decimals as it takes (up to two) for the value not to print
  // as the bound it lies beyond: 2.917 N m/kg, not 2.92, below 2.92-3.45.
  const double bound = d == Deviation::low ? t.norm_low : d == Deviation::high ? t.norm_high : kNaN;
  int decimals = spec(t.test).decimals;
  const auto rounded = [](double v, int n) { return std::round(v * std::pow(10.0, n)); };
  while (std::isfinite(bound) && decimals < spec(t.test).decimals + 2 &&
         rounded(*t.measured, decimals) == rounded(bound, decimals))
    ++decimals;
  const std::string unit = spec(t.test).unit;
  return fmt::format("{:.{}f}{}, {} the norm ({})", *t.measured, decimals,
                     unit.empty() ? "" : " " + unit,
                     d == Deviation::low    ? "below"
                     : d == Deviation::high ? "above"
                                            : "within",
                     t.norm_source);
}

std::string beyond_healthy_people(const std::vector<TestComparison>& tests) {
  std::vector<std::string> items;
  for (const TestSpec& s : kTestSpecs) {
    std::string values;
    const TestComparison* shown = nullptr;
    double farthest = 0.0;
    for (const auto& t : tests) {
      // A value out of the subject's reach is no test result: the summary names it as not
      // testable, without it.
      if (t.test != s.test || !t.subject_beyond_healthy_spread() ||
          t.subject_beyond_passive_range())
        continue;
      if (shown) values += " and ";
      values += with_unit(t.subject, s.test);
      if (t.side) values += fmt::format(" ({})", model::side_name(*t.side));
      farthest = std::max(farthest, t.healthy_sds_away());
      shown = &t;
    }
    if (!shown) continue;
    items.push_back(
        fmt::format("{}: {} against the typical subject's {}, {:.1f} SD away (one "
                    "SD {}, {})",
                    s.label, values, with_unit(shown->typical, s.test), farthest,
                    with_unit(shown->healthy_sd, s.test), shown->healthy_source));
  }
  if (items.empty()) return "";
  std::string out = "Beyond healthy people: ";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "; " : "") + items[i];
  return out + fmt::format(
                   ". Healthy people rarely lie more than {:g} standard deviations from the "
                   "typical, and the model was built and checked on people within that range "
                   "(docs/assessment.md, \"Beyond healthy people\"): for this subject it "
                   "extrapolates, so its figures are less certain. This is about the model's "
                   "reach, not a diagnosis.",
                   kHealthySpreadSds);
}

std::vector<TestComparison> compare_standing(const model::Model& model,
                                             const tasks::StandingResult& standing,
                                             const tasks::StandingResult& typical_standing) {
  std::vector<TestComparison> out;
  if (standing.status != tasks::SolveStatus::converged ||
      typical_standing.status != tasks::SolveStatus::converged)
    return out;
  const ClinicalTestSettings used = clinical_test_settings(model.subject);
  const auto compare = [&](MeasuredTest test, double subject, double typical) {
    out.push_back(compare_test(spec(test), std::nullopt, model, used,
                               {subject, TestEnd::gravity_balance}, typical,
                               model.subject.measurements));
  };
  compare(MeasuredTest::standing_pelvic_tilt_deg, standing.posture.pelvic_tilt_deg,
          typical_standing.posture.pelvic_tilt_deg);
  compare(MeasuredTest::standing_lumbar_lordosis_deg, standing.posture.lumbar_lordosis_deg,
          typical_standing.posture.lumbar_lordosis_deg);
  return out;
}

std::vector<TestComparison> compare_standing_with_typical(const model::Model& model,
                                                          const tasks::StandingResult& standing) {
  if (standing.status != tasks::SolveStatus::converged) return {};  // nothing to compare
  const model::Model typical = model::compile_model(typical_subject(model.subject));
  return compare_standing(model, standing, tasks::solve_standing(typical));
}

Findings find_findings(const FindingsInput& in, const FindingsSettings& settings) {
  std::string error;
  if (!settings.IsValid(&error)) throw InputError(error);
  if (!in.subject || !in.typical || !in.subject_tests || !in.typical_tests)
    throw InputError("find_findings: the subject's and the typical subject's models and test "
                     "results are all required");
  Findings f;
  f.settings = settings;
  std::vector<UnreadFit> unread;  // a calibrated subject's fitted factors the findings do not read
  f.factors_fitted = in.calibration && in.calibration->fitted_factors();
  const model::Model& subject = *in.subject;
  const model::Model& typical = *in.typical;
  f.imbalance = imbalance_profile(subject);
  if (f.factors_fitted)
    for (const auto& p : in.calibration->parameters)
      for (auto& g : f.imbalance)
        if (p.determined && p.group == g.group && (!p.side || *p.side == g.side))
          g.determined_factors.push_back(p.factor);
  f.tests = compare_tests(subject, *in.subject_tests, *in.typical_tests, in.measurements);
  if (f.factors_fitted) {
    mark_fitted_tests(f.tests, in.measurements);
    hold_fitted_deviations_to_norms(f.imbalance, f.tests, *in.calibration);
    unread = unread_fits(f.imbalance, *in.calibration);
    mark_moved_by_unread_factors(f.tests, unread);
  }
  mark_strength_typical(f.tests, f.imbalance);
  if (!in.subject_tests->ok || !in.typical_tests->ok) {
    f.message = in.subject_tests->ok ? "the typical subject's tests failed: " + in.typical_tests->message
                                     : "the subject's tests failed: " + in.subject_tests->message;
    return f;
  }
  // The bend, the run and the loads are the findings' too: on a calibrated subject they are
  // simulated with the fitted factors the findings do not read back at their priors (unread_fits),
  // so that they show what the findings show and not the model's distance from the people
  // measured.
  if (f.factors_fitted) {
    model::Subject s = subject.subject;
    if (restore_unread_fits(s, unread))
      f.loads_model = std::make_shared<const model::Model>(model::compile_model(s));
  }
  const model::Model& simulated = f.loads_model ? *f.loads_model : subject;
  // The bend keeps the standing it starts from (f.bend.standing), which the loads and the run
  // start from too.
  f.bend = run_bend(simulated,
                    f.loads_model ? tasks::solve_standing(simulated) : in.subject_tests->standing,
                    settings);
  const tasks::StandingResult& standing = f.bend.standing;
  f.typical_bend = run_bend(typical, in.typical_tests->standing, settings);
  if (f.bend.frames.empty() || f.typical_bend.frames.empty()) {
    f.message = "the forward bend could not be simulated: " +
                (f.bend.frames.empty() ? f.bend.message : f.typical_bend.message);
    return f;
  }
  f.loads = body_loads(simulated, standing, f.bend);
  f.typical_loads = body_loads(typical, in.typical_tests->standing, f.typical_bend);
  f.strain = hamstring_strain(simulated, standing, typical, in.typical_tests->standing, settings);
  f.chains = causal_chains(f);
  for (const auto& sign : in.signs) f.signs.push_back(weigh_sign(sign, f));
  f.summary = summarise(f);
  f.ok = true;
  return f;
}

namespace {

// The assessment of `assessed` (the subject file as read, or the calibrated subject), its
// findings compared with `measurements`.
Assessment assess_subject(const model::Subject& subject_file, const model::Subject& assessed,
                          const std::vector<model::Measurement>& measurements,
                          const CalibrationResult* calibration, const FindingsSettings& settings) {
  Assessment a{subject_file,
               model::compile_model(assessed),
               model::compile_model(typical_subject(assessed)),
               {},
               {},
               {}};
  const ClinicalTestSettings protocol = clinical_test_settings(assessed);
  a.tests = run_clinical_tests(a.model, protocol);
  a.typical_tests = run_clinical_tests(a.typical, protocol);
  FindingsInput in;
  in.subject = &a.model;
  in.typical = &a.typical;
  in.subject_tests = &a.tests;
  in.typical_tests = &a.typical_tests;
  in.signs = assessed.signs;
  in.measurements = measurements;
  in.calibration = calibration;
  a.findings = find_findings(in, settings);
  return a;
}

}  // namespace

Assessment run_assessment(const model::Subject& subject, const FindingsSettings& settings) {
  return assess_subject(subject, subject, subject.measurements, nullptr, settings);
}

Assessment run_assessment(const model::Subject& subject, const CalibrationResult& calibration,
                          const FindingsSettings& settings) {
  if (!calibration.fitted_factors()) return run_assessment(subject, settings);
  // The fitted subject has no measurements (they are in its factors); the findings still compare
  // the tests with what was measured.
  return assess_subject(subject, calibration.fitted_subject, subject.measurements, &calibration,
                        settings);
}

}  // namespace pulley::assess
