#include "pulley/io/subject_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/io/text_input.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/training/exercise.hpp"
#include "yaml_fields.hpp"

namespace pulley::io {
namespace {

using namespace detail;

using model::MuscleAdjustment;
using model::MuscleFactors;
using model::Side;
using model::Subject;

constexpr std::size_t kMaxNameChars = 100;  // code points

using L = model::SubjectLimits;
constexpr Range kHeightRange{L::kHeightMinM, L::kHeightMaxM, "m"};
constexpr Range kMassRange{L::kMassMinKg, L::kMassMaxKg, "kg"};
constexpr Range kAgeRange{L::kAgeMinYears, L::kAgeMaxYears, "years"};
constexpr Range kPelvicIncidenceRange{L::kPelvicIncidenceMinDeg, L::kPelvicIncidenceMaxDeg, "deg"};
constexpr Range kStrengthRange{L::kStrengthMin, L::kStrengthMax, ""};
constexpr Range kLengthRange{L::kLengthMin, L::kLengthMax, ""};
constexpr Range kStiffnessRange{L::kStiffnessMin, L::kStiffnessMax, ""};
constexpr Range kCapacityRange{L::kCapacityMin, L::kCapacityMax, ""};
constexpr Range kFascicleLengthRange{L::kFascicleLengthMin, L::kFascicleLengthMax, ""};
constexpr Range kStretchToleranceRange{L::kStretchToleranceMinNm, L::kStretchToleranceMaxNm,
                                       "N m"};

constexpr std::string_view kTopKeys =
    "name, sex, age, height_m, mass_kg, pelvic_incidence_deg, muscles, tests, measurements, "
    "signs, constraints";
constexpr std::string_view kConstraintKeys = "equipment, minutes_per_week, injured_side";
constexpr Range kMinutesPerWeekRange{L::kMinutesPerWeekMin, L::kMinutesPerWeekMax, "min"};
constexpr std::string_view kFactorKeys =
    "strength, length, stiffness, capacity, fascicle_length";
constexpr std::string_view kEntryKeys =
    "strength, length, stiffness, capacity, fascicle_length, left, right";

// The keys of `measurements:`: each test's plausible range (a value outside is a typing or unit
// error, not a person), and the N m variants of the knee torques.
struct MeasurementSpec {
  std::string_view key;
  model::MeasuredTest test;
  double min, max;
  std::string_view unit;
  bool per_body_mass = false;  // the key is in N m; stored per kg of mass_kg
};
using model::MeasuredTest;
// chosen: bounds wide enough for any person, narrow enough to catch a wrong unit: joint angles
// within the joints' anatomical range (a straight-leg raise of 150 deg or more is not a hip), torques
// from a tenth of the weakest to twice the strongest published means (Sarabon 2021 gives 1.15-1.6
// and 2.9-3.5 N m/kg), a Nordic force up to 1000 N (elite players reach about 400-500 N per leg,
// Opar 2015), a trunk hold up to an hour (the hold's limit of 3600 s).
constexpr std::array<MeasurementSpec, 19> kMeasurementSpecs = {{
    {"straight_leg_raise_deg", MeasuredTest::straight_leg_raise_deg, 0.0, 140.0, "deg"},
    {"passive_knee_extension_deficit_deg", MeasuredTest::passive_knee_extension_deficit_deg, 0.0,
     120.0, "deg"},
    {"active_knee_extension_deficit_deg", MeasuredTest::active_knee_extension_deficit_deg, 0.0,
     120.0, "deg"},
    {"thomas_hip_extension_deg", MeasuredTest::thomas_hip_extension_deg, -60.0, 45.0, "deg"},
    {"thomas_knee_flexion_deg", MeasuredTest::thomas_knee_flexion_deg, 0.0, 150.0, "deg"},
    {"knee_flexion_torque_nm_per_kg", MeasuredTest::knee_flexion_torque_nm_per_kg, 0.1, 4.0,
     "N m/kg"},
    {"knee_extension_torque_nm_per_kg", MeasuredTest::knee_extension_torque_nm_per_kg, 0.2, 7.0,
     "N m/kg"},
    {"knee_flexion_torque_nm", MeasuredTest::knee_flexion_torque_nm_per_kg, 5.0, 600.0, "N m",
     true},
    {"knee_extension_torque_nm", MeasuredTest::knee_extension_torque_nm_per_kg, 10.0, 1000.0,
     "N m", true},
    {"hq_ratio", MeasuredTest::hq_ratio, 0.1, 2.0, ""},
    {"concentric_knee_flexion_nm_per_kg", MeasuredTest::concentric_knee_flexion_nm_per_kg, 0.1,
     4.0, "N m/kg"},
    {"concentric_knee_extension_nm_per_kg", MeasuredTest::concentric_knee_extension_nm_per_kg,
     0.2, 7.0, "N m/kg"},
    {"concentric_knee_flexion_nm", MeasuredTest::concentric_knee_flexion_nm_per_kg, 5.0, 600.0,
     "N m", true},
    {"concentric_knee_extension_nm", MeasuredTest::concentric_knee_extension_nm_per_kg, 10.0,
     1000.0, "N m", true},
    {"conventional_hq_ratio", MeasuredTest::conventional_hq_ratio, 0.1, 2.0, ""},
    {"nordic_force_n", MeasuredTest::nordic_force_n, 10.0, 1000.0, "N"},
    {"trunk_extensor_endurance_s", MeasuredTest::trunk_extensor_endurance_s, 1.0, 3600.0, "s"},
    {"standing_pelvic_tilt_deg", MeasuredTest::standing_pelvic_tilt_deg, -30.0, 60.0, "deg"},
    {"standing_lumbar_lordosis_deg", MeasuredTest::standing_lumbar_lordosis_deg, -30.0, 100.0,
     "deg"},
}};

// Parses one document into a Subject, throwing InputError with the source name.
class SubjectParser : public detail::YamlFields {
 public:
  using YamlFields::YamlFields;

  Subject parse_document(const YAML::Node& root) {
    if (root.IsNull())
      fail(YAML::Mark::null_mark(), "",
           "the file is empty; a subject needs at least height_m "
           "and mass_kg");
    if (!root.IsMap())
      fail(root.Mark(), "", "the document is " + describe(root) + ", not a mapping",
           "a mapping of keys such as 'height_m: 1.75' and 'mass_kg: 75'");

    Subject subject;
    bool has_height = false, has_mass = false;
    std::optional<Entry> measurements_entry;
    for (const auto& entry : entries(root, "", kTopKeys)) {
      const std::string& key = entry.key;
      if (key == "name") {
        subject.name = parse_name(entry);
      } else if (key == "sex") {
        subject.sex = parse_sex(entry);
      } else if (key == "age") {
        subject.age_years = parse_number(entry, kAgeRange);
      } else if (key == "height_m") {
        subject.height_m = parse_number(entry, kHeightRange);
        has_height = true;
      } else if (key == "mass_kg") {
        subject.mass_kg = parse_number(entry, kMassRange);
        has_mass = true;
      } else if (key == "pelvic_incidence_deg") {
        subject.pelvic_incidence_deg = parse_number(entry, kPelvicIncidenceRange);
      } else if (key == "muscles") {
        parse_muscles(entry, subject);
      } else if (key == "tests") {
        parse_tests(entry, subject.stretch_tolerance, subject.protocol);
      } else if (key == "measurements") {
        measurements_entry = entry;
      } else if (key == "signs") {
        subject.signs = parse_signs(entry);
      } else if (key == "constraints") {
        subject.constraints = parse_constraints(entry);
      } else {
        unknown_key(entry,
                    {"name", "sex", "age", "height_m", "mass_kg", "pelvic_incidence_deg",
                     "muscles", "tests", "measurements", "signs", "constraints"},
                    "", kTopKeys);
      }
    }
    // After the loop: absolute torques are read per kilogram of the file's body mass.
    if (measurements_entry) subject.measurements = parse_measurements(*measurements_entry, subject);
    if (!has_height)
      fail(root.Mark(), "height_m", "missing required key",
           kHeightRange.allowed() + ", e.g. 'height_m: 1.75'");
    if (!has_mass)
      fail(root.Mark(), "mass_kg", "missing required key",
           kMassRange.allowed() + ", e.g. 'mass_kg: 75'");
    return subject;
  }

 private:
  std::string parse_name(const Entry& entry) const {
    constexpr std::string_view kAllowed = "text of 1 to 100 printable characters";
    const YAML::Node& value = entry.value;
    if (!value.IsScalar())
      fail(value_mark(entry), entry.path, describe(value) + " is not text", kAllowed);
    const std::string& name = value.Scalar();
    if (has_control_character(name))
      fail(value_mark(entry), entry.path, describe(value) + " contains a control character",
           kAllowed);
    std::size_t chars = 0;
    for (const char c : name)
      if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++chars;  // UTF-8 code points
    if (chars == 0) fail(value_mark(entry), entry.path, "the name is empty", kAllowed);
    if (chars > kMaxNameChars)
      fail(value_mark(entry), entry.path,
           describe(value) + " is " + std::to_string(chars) + " characters long", kAllowed);
    return name;
  }

  model::Sex parse_sex(const Entry& entry) const {
    const YAML::Node& value = entry.value;
    if (value.IsScalar()) {
      if (value.Scalar() == "male") return model::Sex::male;
      if (value.Scalar() == "female") return model::Sex::female;
    }
    fail(value_mark(entry), entry.path, describe(value) + " is not a sex", "male, female");
  }

  // Which kind of name a key of `muscles:` is.
  struct Target {
    std::string name;  // group or muscle, without side suffix
    bool is_group = false;
    std::optional<Side> side;  // set for per-side muscle names ("semimembranosus_r")
  };

  static std::optional<Target> classify(std::string_view key) {
    if (model::is_group(key)) return Target{std::string(key), true, std::nullopt};
    if (model::group_of(key)) return Target{std::string(key), false, std::nullopt};
    for (const Side side : model::kSides) {
      const std::string suffix = "_" + std::string(model::side_suffix(side));
      if (key.size() > suffix.size() && key.ends_with(suffix)) {
        const std::string_view base = key.substr(0, key.size() - suffix.size());
        if (model::group_of(base)) return Target{std::string(base), false, side};
      }
    }
    return std::nullopt;
  }

  // A muscle entry being built, with the line where each factor was set (for merge conflicts).
  struct Building {
    std::size_t index;                             // position in Subject::muscles
    // [both, right, left][strength, length, stiffness, capacity, fascicle_length]
    std::array<std::array<int, 5>, 3> set_line{};
  };

  void parse_muscles(const Entry& section, Subject& subject) {
    std::string groups;
    for (const auto group : model::kMuscleGroups)
      groups += (groups.empty() ? "" : ", ") + std::string(group);
    const std::string allowed = "a group (" + groups +
                                "), a muscle such as semimembranosus, or a muscle with _r or _l "
                                "(see docs/subject-file.md)";
    if (section.value.IsNull()) return;  // "muscles:" with every entry commented out
    if (!section.value.IsMap())
      fail(value_mark(section), section.path, describe(section.value) + " is not a mapping",
           "a mapping of group or muscle names to factors");

    std::vector<std::string> candidates(model::kMuscleGroups.begin(), model::kMuscleGroups.end());
    for (const auto& muscle : model::kMuscleNames) {
      candidates.emplace_back(muscle.name);
      for (const Side side : model::kSides)
        candidates.push_back(std::string(muscle.name) + "_" + std::string(side_suffix(side)));
    }

    std::map<std::pair<std::string, bool>, Building> building;
    for (const auto& entry : entries(section.value, section.path, allowed)) {
      const std::optional<Target> target = classify(entry.key);
      if (!target) {
        std::string hint;
        for (const Side side : model::kSides) {
          const std::string suffix = "_" + std::string(model::side_suffix(side));
          if (entry.key.ends_with(suffix) &&
              model::is_group(std::string_view(entry.key).substr(0, entry.key.size() - 2)))
            hint = "a group takes no _r/_l suffix; give it a 'right:' or 'left:' mapping";
        }
        unknown_key(entry, candidates, hint, allowed);
      }
      auto [it, inserted] =
          building.try_emplace({target->name, target->is_group}, Building{subject.muscles.size()});
      if (inserted) {
        MuscleAdjustment adjustment;
        adjustment.target = target->name;
        adjustment.is_group = target->is_group;
        subject.muscles.push_back(adjustment);
      }
      Building& state = it->second;
      MuscleAdjustment& adjustment = subject.muscles[state.index];

      if (target->side) {
        // Per-side muscle name: only the factors.
        const Side side = *target->side;
        parse_factors(entry, side == Side::right ? adjustment.right : adjustment.left,
                      state.set_line[side == Side::right ? 1 : 2], target->name,
                      std::string(model::side_name(side)) + "-side ");
        continue;
      }
      if (!entry.value.IsMap())
        fail(value_mark(entry), entry.path, describe(entry.value) + " is not a mapping",
             "a mapping with " + std::string(kEntryKeys));
      for (const auto& field : entries(entry.value, entry.path, kEntryKeys)) {
        if (field.key == "right" || field.key == "left") {
          const bool right = field.key == "right";
          parse_factors(field, right ? adjustment.right : adjustment.left,
                        state.set_line[right ? 1 : 2], target->name, field.key + "-side ");
        } else if (!set_factor(field, adjustment.both, state.set_line[0], target->name, "")) {
          unknown_key(field, {"strength", "length", "stiffness", "capacity", "fascicle_length", "left", "right"}, "",
                      kEntryKeys);
        }
      }
    }
  }

  // The `tests:` section: what ends the clinical tests that stop at the person's limit, and the
  // protocol they were done by.
  void parse_tests(const Entry& section, model::StretchTolerance& tolerance,
                   model::TestProtocol& protocol) const {
    if (section.value.IsNull()) return;  // "tests:" with every entry commented out
    // The keys: the stretch tolerances, then the protocol's (model::kTestProtocolKeys).
    std::vector<std::string> candidates = {"stretch_tolerance_hip_nm", "stretch_tolerance_knee_nm"};
    for (const auto& k : model::kTestProtocolKeys) candidates.emplace_back(k.key);
    std::string keys;
    for (const auto& k : candidates) keys += (keys.empty() ? "" : ", ") + k;
    if (!section.value.IsMap())
      fail(value_mark(section), section.path, describe(section.value) + " is not a mapping",
           "a mapping with " + keys);
    for (const auto& field : entries(section.value, section.path, keys)) {
      const auto protocol_key =
          std::find_if(model::kTestProtocolKeys.begin(), model::kTestProtocolKeys.end(),
                       [&](const model::TestProtocolKey& k) { return k.key == field.key; });
      if (field.key == "stretch_tolerance_hip_nm") {
        tolerance.hip_nm = parse_number(field, kStretchToleranceRange);
      } else if (field.key == "stretch_tolerance_knee_nm") {
        tolerance.knee_nm = parse_number(field, kStretchToleranceRange);
      } else if (protocol_key != model::kTestProtocolKeys.end()) {
        protocol.*(protocol_key->field) =
            parse_number(field, Range{protocol_key->min, protocol_key->max, protocol_key->unit});
      } else {
        unknown_key(field, candidates, "", keys);
      }
    }
  }

  // The `measurements:` section: measured clinical tests for the calibration. Sided tests take
  // a number (both legs) or a mapping with right: and/or left:; whole-body tests a number.
  // Knee torques may be given per kilogram or, with the keys ending _nm, in N m (divided by
  // the file's mass_kg); giving both for one side is a contradiction.
  std::vector<model::Measurement> parse_measurements(const Entry& section,
                                                     const Subject& subject) const {
    std::vector<model::Measurement> out;
    if (section.value.IsNull()) return out;
    std::string keys;
    std::vector<std::string> candidates;
    for (const auto& spec : kMeasurementSpecs) {
      keys += (keys.empty() ? "" : ", ") + std::string(spec.key);
      candidates.emplace_back(spec.key);
    }
    if (!section.value.IsMap())
      fail(value_mark(section), section.path, describe(section.value) + " is not a mapping",
           "a mapping of " + keys);
    // Which key set each (test, side), for contradictions between units.
    std::map<std::pair<model::MeasuredTest, int>, std::string> given_by;
    for (const auto& entry : entries(section.value, section.path, keys)) {
      const auto spec = std::find_if(kMeasurementSpecs.begin(), kMeasurementSpecs.end(),
                                     [&](const auto& s) { return s.key == entry.key; });
      if (spec == kMeasurementSpecs.end()) unknown_key(entry, candidates, "", keys);
      // A hold is stopped at the protocol's limit: a longer one cannot have been measured.
      const double limit =
          subject.protocol.trunk_endurance_limit_s.value_or(L::kTrunkHoldLimitDefaultS);
      const bool hold = spec->test == MeasuredTest::trunk_extensor_endurance_s;
      const Range range{spec->min, hold ? std::min(spec->max, limit) : spec->max, spec->unit};
      const double scale = spec->per_body_mass ? 1.0 / subject.mass_kg : 1.0;
      const auto add = [&](const Entry& field, std::optional<Side> side) {
        const double value = parse_number(field, Range{spec->min, spec->max, spec->unit}) * scale;
        if (hold && value > limit)
          fail(value_mark(field), field.path,
               "value " + format_number(value) + " s exceeds the hold's limit (" +
                   (subject.protocol.trunk_endurance_limit_s ? "" : "the default ") +
                   "tests.trunk_endurance_limit_s, " + format_number(limit) + " s)",
               format_number(spec->min) + " to " + format_number(limit) +
                   " s, or a longer tests.trunk_endurance_limit_s");
        const int side_index = side ? static_cast<int>(*side) : -1;
        const auto [it, inserted] = given_by.emplace(std::pair{spec->test, side_index}, field.path);
        if (!inserted)
          fail(field.key_node.Mark(), field.path,
               "the " + std::string(side ? (*side == Side::right ? "right " : "left ") : "") +
                   std::string(model::to_string(spec->test)) + " is already given by '" +
                   it->second + "'",
               "one value per test and side, in one unit");
        out.push_back({spec->test, side, value});
      };
      if (!model::is_sided(spec->test)) {
        if (entry.value.IsMap())
          fail(value_mark(entry), entry.path,
               "a mapping is not a number: this test is of the whole body, not of one side",
               "one number, " + range.allowed());
        add(entry, std::nullopt);
        continue;
      }
      if (!entry.value.IsMap()) {
        for (const Side side : model::kSides) add(entry, side);
        continue;
      }
      for (const auto& field : entries(entry.value, entry.path, "right, left")) {
        if (field.key == "right")
          add(field, Side::right);
        else if (field.key == "left")
          add(field, Side::left);
        else
          unknown_key(field, {"right", "left"}, "", "right, left");
      }
    }
    return out;
  }

  // The `constraints:` section: what a training plan must respect.
  model::TrainingConstraints parse_constraints(const Entry& section) const {
    model::TrainingConstraints out;
    if (section.value.IsNull()) return out;
    if (!section.value.IsMap())
      fail(value_mark(section), section.path, describe(section.value) + " is not a mapping",
           "a mapping with " + std::string(kConstraintKeys));
    for (const auto& field : entries(section.value, section.path, kConstraintKeys)) {
      if (field.key == "equipment") {
        out.equipment = parse_equipment(field);
      } else if (field.key == "minutes_per_week") {
        out.minutes_per_week = parse_number(field, kMinutesPerWeekRange);
      } else if (field.key == "injured_side") {
        const YAML::Node& v = field.value;
        if (!v.IsScalar() || (v.Scalar() != "right" && v.Scalar() != "left"))
          fail(value_mark(field), field.path, describe(v) + " is not a side", "right, left");
        out.injured_side = v.Scalar() == "right" ? Side::right : Side::left;
      } else {
        unknown_key(field, {"equipment", "minutes_per_week", "injured_side"}, "", kConstraintKeys);
      }
    }
    return out;
  }

  // `equipment: [dumbbells, foam_roller]`: ids of training::kEquipment, each once.
  std::vector<std::string> parse_equipment(const Entry& field) const {
    std::string names;
    std::vector<std::string> candidates;
    for (auto id : training::kEquipment) {
      names += (names.empty() ? "" : ", ") + std::string(id);
      candidates.emplace_back(id);
    }
    std::vector<std::string> out;
    if (field.value.IsNull()) return out;  // "equipment: []" or empty: body weight only
    if (!field.value.IsSequence())
      fail(value_mark(field), field.path, describe(field.value) + " is not a list",
           "a list of " + names);
    for (std::size_t i = 0; i < field.value.size(); ++i) {
      const YAML::Node item = field.value[i];
      const std::string path = field.path + "[" + std::to_string(i) + "]";
      if (!item.IsScalar()) fail(item.Mark(), path, describe(item) + " is not a name", names);
      const std::string& id = item.Scalar();
      if (std::find(candidates.begin(), candidates.end(), id) == candidates.end()) {
        const std::string suggestion = closest(id, candidates);
        fail(item.Mark(), path,
             "unknown equipment '" + echo_text(id) + "'" +
                 (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"),
             names);
      }
      if (std::find(out.begin(), out.end(), id) != out.end())
        fail(item.Mark(), path, "'" + id + "' is listed twice", "each item once");
      out.push_back(id);
    }
    return out;
  }

  // The `signs:` section: a list of sign names, each alone or as 'name: right|left'.
  std::vector<model::Sign> parse_signs(const Entry& section) const {
    std::vector<model::Sign> out;
    if (section.value.IsNull()) return out;
    std::string names;
    std::vector<std::string> candidates;
    for (int k = 0; k < model::kNumSignKinds; ++k) {
      const auto name = model::to_string(static_cast<model::SignKind>(k));
      names += (names.empty() ? "" : ", ") + std::string(name);
      candidates.emplace_back(name);
    }
    if (!section.value.IsSequence())
      fail(value_mark(section), section.path, describe(section.value) + " is not a list",
           "a list of " + names + ", each alone or as 'name: right' or 'name: left'");
    std::map<std::pair<int, int>, int> first_line;
    for (std::size_t i = 0; i < section.value.size(); ++i) {
      const YAML::Node item = section.value[i];
      const std::string path = section.path + "[" + std::to_string(i) + "]";
      Entry sign{"", path, item, item};
      std::optional<Side> side;
      if (item.IsMap()) {
        const auto fields = entries(item, path, names);
        if (fields.size() != 1)
          fail(item.Mark(), path, "a sign with a side is one 'name: side' pair",
               "e.g. 'knee_clicking: right'");
        sign = fields.front();
        const YAML::Node& where = sign.value;
        if (!where.IsScalar() || (where.Scalar() != "right" && where.Scalar() != "left"))
          fail(value_mark(sign), sign.path, describe(where) + " is not a side", "right, left");
        side = where.Scalar() == "right" ? Side::right : Side::left;
      } else if (item.IsScalar()) {
        sign.key = item.Scalar();
      } else {
        fail(item.Mark(), path, describe(item) + " is not a sign", names);
      }
      int kind = 0;
      while (kind < model::kNumSignKinds &&
             model::to_string(static_cast<model::SignKind>(kind)) != sign.key)
        ++kind;
      if (kind == model::kNumSignKinds) {
        const std::string suggestion = closest(sign.key, candidates);
        fail(sign.key_node.Mark(), path,
             "unknown sign '" + echo_text(sign.key) + "'" +
                 (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"),
             names);
      }
      const int line = sign.key_node.Mark().line + 1;
      const auto [it, inserted] =
          first_line.emplace(std::pair{kind, side ? static_cast<int>(*side) : -1}, line);
      if (!inserted)
        fail(sign.key_node.Mark(), path,
             "the sign '" + sign.key + "' is already given at line " + std::to_string(it->second),
             "each sign once per side");
      out.push_back({static_cast<model::SignKind>(kind), side});
    }
    return out;
  }

  // A mapping of factors (the value of left:, right: or a per-side name).
  void parse_factors(const Entry& entry, MuscleFactors& factors, std::array<int, 5>& set_line,
                     const std::string& target, const std::string& side_label) {
    if (!entry.value.IsMap())
      fail(value_mark(entry), entry.path, describe(entry.value) + " is not a mapping",
           "a mapping with " + std::string(kFactorKeys));
    for (const auto& field : entries(entry.value, entry.path, kFactorKeys)) {
      if (!set_factor(field, factors, set_line, target, side_label)) {
        const bool is_side = field.key == "left" || field.key == "right";
        unknown_key(field, {"strength", "length", "stiffness", "capacity", "fascicle_length"},
                    is_side ? "left/right cannot be nested here" : "", kFactorKeys);
      }
    }
  }

  // Sets one factor if `field` names one; false for any other key.
  bool set_factor(const Entry& field, MuscleFactors& factors, std::array<int, 5>& set_line,
                  const std::string& target, const std::string& side_label) {
    std::optional<double>* slot = nullptr;
    const Range* range = nullptr;
    int index = 0;
    if (field.key == "strength") {
      slot = &factors.strength, range = &kStrengthRange, index = 0;
    } else if (field.key == "length") {
      slot = &factors.length, range = &kLengthRange, index = 1;
    } else if (field.key == "stiffness") {
      slot = &factors.stiffness, range = &kStiffnessRange, index = 2;
    } else if (field.key == "capacity") {
      slot = &factors.capacity, range = &kCapacityRange, index = 3;
    } else if (field.key == "fascicle_length") {
      slot = &factors.fascicle_length, range = &kFascicleLengthRange, index = 4;
    } else {
      return false;
    }
    const double value = parse_number(field, *range);
    if (slot->has_value())
      fail(field.key_node.Mark(), field.path,
           "the " + side_label + field.key + " of '" + target + "' is already set at line " +
               std::to_string(set_line[index]),
           "each factor once per muscle or group and side");
    *slot = value;
    set_line[index] = field.key_node.Mark().line + 1;
    return true;
  }
};

// "name" is always quoted so that names like "yes", "~" or "123" stay text.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (const auto byte = static_cast<unsigned char>(c); byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);  // YAML's escape of U+0000-U+001F and U+007F
    } else {
      out += c;  // UTF-8 text as it is (a name holds no C1 control: the parser refuses them)
    }
  }
  return out + "\"";
}

void write_factors(const MuscleFactors& factors, const std::string& indent, std::string& out) {
  const auto write = [&](std::string_view key, const std::optional<double>& value) {
    if (value) out += indent + std::string(key) + ": " + format_number(*value) + "\n";
  };
  write("strength", factors.strength);
  write("length", factors.length);
  write("stiffness", factors.stiffness);
  write("capacity", factors.capacity);
  write("fascicle_length", factors.fascicle_length);
}

bool any_set(const MuscleFactors& factors) {
  return factors.strength || factors.length || factors.stiffness || factors.capacity ||
         factors.fascicle_length;
}

void merge_into(const MuscleFactors& from, MuscleFactors& into) {
  if (from.strength) into.strength = from.strength;
  if (from.length) into.length = from.length;
  if (from.stiffness) into.stiffness = from.stiffness;
  if (from.capacity) into.capacity = from.capacity;
  if (from.fascicle_length) into.fascicle_length = from.fascicle_length;
}

// The `measurements:` (per kilogram for torques) and `signs:` sections, in file order.
void write_measurements_and_signs(const model::Subject& subject, std::string& out) {
  if (!subject.measurements.empty()) out += "measurements:\n";
  std::vector<MeasuredTest> written;
  for (const auto& first : subject.measurements) {
    if (std::find(written.begin(), written.end(), first.test) != written.end()) continue;
    written.push_back(first.test);
    out += "  " + std::string(model::to_string(first.test)) + ":";
    if (!first.side) {
      out += " " + format_number(first.value) + "\n";
      continue;
    }
    std::string sides;
    for (const auto& m : subject.measurements)
      if (m.test == first.test && m.side)
        sides += std::string(sides.empty() ? "" : ", ") +
                 (*m.side == Side::right ? "right: " : "left: ") + format_number(m.value);
    out += " {" + sides + "}\n";
  }
  if (!subject.signs.empty()) out += "signs:\n";
  for (const auto& sign : subject.signs) {
    out += "  - " + std::string(model::to_string(sign.kind));
    if (sign.side) out += *sign.side == Side::right ? ": right" : ": left";
    out += "\n";
  }
}

// The `constraints:` section, when any is set.
void write_constraints(const model::TrainingConstraints& c, std::string& out) {
  if (!c.equipment && !c.minutes_per_week && !c.injured_side) return;
  out += "constraints:\n";
  if (c.equipment) {
    std::string items;
    for (const auto& id : *c.equipment) items += (items.empty() ? "" : ", ") + id;
    out += "  equipment: [" + items + "]\n";
  }
  if (c.minutes_per_week) out += "  minutes_per_week: " + format_number(*c.minutes_per_week) + "\n";
  if (c.injured_side)
    out += std::string("  injured_side: ") + (*c.injured_side == Side::right ? "right" : "left") +
           "\n";
}

}  // namespace

model::Subject load_subject_file(const std::filesystem::path& path) {
  const std::string source = echo_text(path.string(), 0);
  return parse_subject_yaml(read_text_file(path, source, kMaxSubjectFileBytes), source);
}

model::Subject parse_subject_yaml(std::string_view text, std::string_view source_name) {
  SubjectParser parser(source_name);
  return parser.parse_one_document(
      text, kMaxSubjectFileBytes, "a subject file", "docs/subject-file.md",
      [&](const YAML::Node& document) { return parser.parse_document(document); });
}

std::string subject_to_yaml(const model::Subject& subject) {
  std::string out = "# Pulley subject file (see docs/subject-file.md)\n";
  out += "name: " + quote(subject.name) + "\n";
  out += std::string("sex: ") + (subject.sex == model::Sex::male ? "male" : "female") + "\n";
  out += "age: " + format_number(subject.age_years) + "\n";
  out += "height_m: " + format_number(subject.height_m) + "\n";
  out += "mass_kg: " + format_number(subject.mass_kg) + "\n";
  out += "pelvic_incidence_deg: " + format_number(subject.pelvic_incidence_deg) + "\n";

  // Merge entries naming the same target, keeping first-appearance order.
  std::vector<MuscleAdjustment> merged;
  for (const auto& entry : subject.muscles) {
    const auto same = std::find_if(merged.begin(), merged.end(), [&](const auto& m) {
      return m.target == entry.target && m.is_group == entry.is_group;
    });
    if (same == merged.end()) {
      merged.push_back(entry);
    } else {
      merge_into(entry.both, same->both);
      merge_into(entry.right, same->right);
      merge_into(entry.left, same->left);
    }
  }
  const auto& tolerance = subject.stretch_tolerance;
  if (tolerance.hip_nm || tolerance.knee_nm || subject.protocol.any()) {
    out += "tests:\n";
    if (tolerance.hip_nm)
      out += "  stretch_tolerance_hip_nm: " + format_number(*tolerance.hip_nm) + "\n";
    if (tolerance.knee_nm)
      out += "  stretch_tolerance_knee_nm: " + format_number(*tolerance.knee_nm) + "\n";
    for (const auto& k : model::kTestProtocolKeys)
      if (const auto& v = subject.protocol.*(k.field))
        out += "  " + std::string(k.key) + ": " + format_number(*v) + "\n";
  }
  write_measurements_and_signs(subject, out);
  write_constraints(subject.constraints, out);
  if (merged.empty()) return out;
  out += "muscles:\n";
  for (const auto& entry : merged) {
    const bool empty = !any_set(entry.both) && !any_set(entry.right) && !any_set(entry.left);
    out += "  " + entry.target + ":" + (empty ? " {}" : "") + "\n";
    write_factors(entry.both, "    ", out);
    if (any_set(entry.right)) {
      out += "    right:\n";
      write_factors(entry.right, "      ", out);
    }
    if (any_set(entry.left)) {
      out += "    left:\n";
      write_factors(entry.left, "      ", out);
    }
  }
  return out;
}

}  // namespace pulley::io
