#include "pulley/io/subject_yaml.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/core/error.hpp"
#include "pulley/model/subject.hpp"

namespace pulley::io {
namespace {

using model::MuscleAdjustment;
using model::Sex;
using model::Side;
using model::Subject;

namespace fs = std::filesystem;

// Example files: tests/data/subjects.
fs::path data_dir() {
#ifdef PULLEY_TEST_DATA_DIR
  return fs::path(PULLEY_TEST_DATA_DIR) / "subjects";
#else
  return fs::path(__FILE__).parent_path() / "../../data/subjects";
#endif
}

// A fresh temporary directory for files written by a test.
fs::path temp_dir() {
  const fs::path dir =
      fs::temp_directory_path() / ("pulley_subject_yaml_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

fs::path write_file(const std::string& name, const std::string& text) {
  const fs::path path = temp_dir() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The message of the InputError that parsing `text` must throw ("" if none).
std::string error_for(std::string_view text, std::string_view source = "bad.yaml") {
  try {
    parse_subject_yaml(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for: " << text.substr(0, 200);
  return "";
}

// Checks an error message: one line, and every part present.
void expect_message(const std::string& message, std::initializer_list<std::string_view> parts) {
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
  EXPECT_EQ(message.find('\r'), std::string::npos) << "not one line: " << message;
  for (const auto part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "missing '" << part << "' in: " << message;
}

// Parses `text` expecting an InputError whose message holds `parts` (and the file name).
void expect_error(std::string_view text, std::initializer_list<std::string_view> parts) {
  SCOPED_TRACE(std::string(text.substr(0, 200)));
  const std::string message = error_for(text);
  expect_message(message, {"bad.yaml: "});
  expect_message(message, parts);
}

const MuscleAdjustment* find(const Subject& subject, std::string_view target) {
  for (const auto& m : subject.muscles)
    if (m.target == target) return &m;
  return nullptr;
}

// ---- Valid files -----------------------------------------------------------------------------

TEST(SubjectYaml, MinimalUsesDefaults) {
  const Subject s = parse_subject_yaml("height_m: 1.80\nmass_kg: 82.5\n", "min.yaml");
  EXPECT_DOUBLE_EQ(s.height_m, 1.80);
  EXPECT_DOUBLE_EQ(s.mass_kg, 82.5);
  EXPECT_EQ(s.name, "subject");
  EXPECT_EQ(s.sex, Sex::male);
  EXPECT_DOUBLE_EQ(s.age_years, 35.0);
  EXPECT_DOUBLE_EQ(s.pelvic_incidence_deg, 52.0);
  EXPECT_TRUE(s.muscles.empty());
}

TEST(SubjectYaml, FullFile) {
  const Subject s = parse_subject_yaml(R"(
name: Jane Doe   # a comment
sex: female
age: 61
height_m: 1.62
mass_kg: +58
pelvic_incidence_deg: 6.1e1
muscles:
  quadriceps: {strength: 0.9, length: 1.1, stiffness: 2}
)",
                                       "full.yaml");
  EXPECT_EQ(s.name, "Jane Doe");
  EXPECT_EQ(s.sex, Sex::female);
  EXPECT_DOUBLE_EQ(s.age_years, 61.0);
  EXPECT_DOUBLE_EQ(s.height_m, 1.62);
  EXPECT_DOUBLE_EQ(s.mass_kg, 58.0);
  EXPECT_DOUBLE_EQ(s.pelvic_incidence_deg, 61.0);
  ASSERT_EQ(s.muscles.size(), 1u);
  EXPECT_EQ(s.muscles[0].target, "quadriceps");
  EXPECT_TRUE(s.muscles[0].is_group);
  EXPECT_EQ(s.muscles[0].both.strength, 0.9);
  EXPECT_EQ(s.muscles[0].both.length, 1.1);
  EXPECT_EQ(s.muscles[0].both.stiffness, 2.0);
}

TEST(SubjectYaml, LimitsAreInclusive) {
  const Subject low = parse_subject_yaml(
      "height_m: 1.2\nmass_kg: 30\nage: 18\npelvic_incidence_deg: 20\n"
      "muscles: {vasti: {strength: 0.1, length: 0.8, stiffness: 0.2, capacity: 0, "
      "fascicle_length: 0.6}}\n",
      "low.yaml");
  EXPECT_DOUBLE_EQ(low.mass_kg, 30.0);
  ASSERT_EQ(low.muscles.size(), 1u);
  EXPECT_EQ(low.muscles[0].both.capacity, 0.0);
  EXPECT_EQ(low.muscles[0].both.fascicle_length, 0.6);
  const Subject high = parse_subject_yaml(
      "height_m: 2.2\nmass_kg: 200\nage: 100\npelvic_incidence_deg: 90\n"
      "muscles: {vasti: {strength: 3, length: 1.2, stiffness: 5, capacity: 1}}\n",
      "high.yaml");
  EXPECT_DOUBLE_EQ(high.height_m, 2.2);
  ASSERT_EQ(high.muscles.size(), 1u);
  EXPECT_EQ(high.muscles[0].both.capacity, 1.0);
}

TEST(SubjectYaml, GroupsMusclesAndSideOverrides) {
  const Subject s = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
muscles:
  hamstrings:
    strength: 0.8
    right:
      length: 0.9
    left:
      stiffness: 1.5
  semitendinosus:
    strength: 1.1
    left: {strength: 1.3}
)",
                                       "groups.yaml");
  ASSERT_EQ(s.muscles.size(), 2u);
  const MuscleAdjustment& group = s.muscles[0];
  EXPECT_EQ(group.target, "hamstrings");
  EXPECT_TRUE(group.is_group);
  EXPECT_EQ(group.both.strength, 0.8);
  EXPECT_FALSE(group.both.length.has_value());
  EXPECT_EQ(group.right.length, 0.9);
  EXPECT_FALSE(group.right.stiffness.has_value());
  EXPECT_EQ(group.left.stiffness, 1.5);
  const MuscleAdjustment& muscle = s.muscles[1];
  EXPECT_EQ(muscle.target, "semitendinosus");
  EXPECT_FALSE(muscle.is_group);
  EXPECT_EQ(muscle.both.strength, 1.1);
  EXPECT_EQ(muscle.left.strength, 1.3);
  EXPECT_FALSE(muscle.right.strength.has_value());

  // The parsed subject resolves with the documented precedence.
  const auto st_left = model::resolve_factors(s, "semitendinosus", "hamstrings", Side::left);
  EXPECT_DOUBLE_EQ(st_left.strength, 1.3);
  EXPECT_DOUBLE_EQ(st_left.length, 1.0);
  EXPECT_DOUBLE_EQ(st_left.stiffness, 1.5);
  const auto sm_right = model::resolve_factors(s, "semimembranosus", "hamstrings", Side::right);
  EXPECT_DOUBLE_EQ(sm_right.strength, 0.8);
  EXPECT_DOUBLE_EQ(sm_right.length, 0.9);
  EXPECT_DOUBLE_EQ(sm_right.stiffness, 1.0);
}

TEST(SubjectYaml, PerSideNamesMergeWithTheMuscle) {
  const Subject s = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
muscles:
  semimembranosus_r: {strength: 0.7}
  soleus_l: {length: 0.95, stiffness: 2}
  semimembranosus: {strength: 1.2, left: {length: 0.9}}
  semimembranosus_l: {strength: 0.6}
)",
                                       "sides.yaml");
  ASSERT_EQ(s.muscles.size(), 2u);
  const MuscleAdjustment* sm = find(s, "semimembranosus");
  ASSERT_NE(sm, nullptr);
  EXPECT_FALSE(sm->is_group);
  EXPECT_EQ(sm->right.strength, 0.7);
  EXPECT_EQ(sm->both.strength, 1.2);
  EXPECT_EQ(sm->left.length, 0.9);
  EXPECT_EQ(sm->left.strength, 0.6);
  const MuscleAdjustment* soleus = find(s, "soleus");
  ASSERT_NE(soleus, nullptr);
  EXPECT_FALSE(soleus->both.length.has_value());
  EXPECT_FALSE(soleus->right.length.has_value());
  EXPECT_EQ(soleus->left.length, 0.95);
  EXPECT_EQ(soleus->left.stiffness, 2.0);
}

TEST(SubjectYaml, CapacityAtEveryLevel) {
  const Subject s = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
muscles:
  hamstrings:
    capacity: 0.9
    left: {capacity: 0.8}
  semimembranosus:
    capacity: 0.6
  semimembranosus_r: {capacity: 0.3}
  semitendinosus:
    right: {capacity: 0.5}
  erector_spinae: {strength: 1.2}
)",
                                       "capacity.yaml");
  ASSERT_EQ(s.muscles.size(), 4u);
  const MuscleAdjustment* group = find(s, "hamstrings");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->both.capacity, 0.9);
  EXPECT_EQ(group->left.capacity, 0.8);
  EXPECT_FALSE(group->right.capacity.has_value());
  const MuscleAdjustment* sm = find(s, "semimembranosus");
  ASSERT_NE(sm, nullptr);
  EXPECT_EQ(sm->both.capacity, 0.6);
  EXPECT_EQ(sm->right.capacity, 0.3);
  EXPECT_FALSE(sm->left.capacity.has_value());
  const MuscleAdjustment* es = find(s, "erector_spinae");
  ASSERT_NE(es, nullptr);
  EXPECT_FALSE(es->both.capacity.has_value());

  // Precedence: muscle side > muscle both > group side > group both > 1.
  const auto capacity = [&](std::string_view muscle, std::string_view group, Side side) {
    return model::resolve_factors(s, muscle, group, side).capacity;
  };
  EXPECT_DOUBLE_EQ(capacity("semimembranosus", "hamstrings", Side::right), 0.3);
  EXPECT_DOUBLE_EQ(capacity("semimembranosus", "hamstrings", Side::left), 0.6);
  EXPECT_DOUBLE_EQ(capacity("semitendinosus", "hamstrings", Side::right), 0.5);
  EXPECT_DOUBLE_EQ(capacity("semitendinosus", "hamstrings", Side::left), 0.8);
  EXPECT_DOUBLE_EQ(capacity("biceps_femoris_long", "hamstrings", Side::right), 0.9);
  EXPECT_DOUBLE_EQ(capacity("longissimus", "erector_spinae", Side::right), 1.0);
  // Capacity leaves the other factors alone.
  const auto sm_right = model::resolve_factors(s, "semimembranosus", "hamstrings", Side::right);
  EXPECT_DOUBLE_EQ(sm_right.strength, 1.0);
  EXPECT_DOUBLE_EQ(sm_right.length, 1.0);
  EXPECT_DOUBLE_EQ(sm_right.stiffness, 1.0);
}

TEST(SubjectYaml, EmptyMusclesSectionAndEmptyEntry) {
  const Subject none = parse_subject_yaml("height_m: 1.7\nmass_kg: 70\nmuscles:\n", "a.yaml");
  EXPECT_TRUE(none.muscles.empty());
  const Subject empty =
      parse_subject_yaml("height_m: 1.7\nmass_kg: 70\nmuscles: {calves: {}}\n", "b.yaml");
  ASSERT_EQ(empty.muscles.size(), 1u);
  EXPECT_EQ(empty.muscles[0].target, "calves");
}

TEST(SubjectYaml, ExampleFiles) {
  const Subject minimal = load_subject_file(data_dir() / "minimal.yaml");
  EXPECT_DOUBLE_EQ(minimal.height_m, 1.75);
  EXPECT_DOUBLE_EQ(minimal.mass_kg, 75.0);
  const Subject full = load_subject_file(data_dir() / "full.yaml");
  EXPECT_EQ(full.name, "Example runner");
  EXPECT_EQ(full.sex, Sex::female);
  const auto sm_left = model::resolve_factors(full, "semimembranosus", "hamstrings", Side::left);
  EXPECT_DOUBLE_EQ(sm_left.strength, 0.8);
  EXPECT_DOUBLE_EQ(sm_left.length, 0.9);
  EXPECT_DOUBLE_EQ(sm_left.stiffness, 1.5);
  EXPECT_EQ(full.stretch_tolerance.hip_nm, 70.0);
  EXPECT_EQ(full.stretch_tolerance.knee_nm, 35.0);
}

// ---- Round trip --------------------------------------------------------------------------------

void expect_same_factors(const model::MuscleFactors& a, const model::MuscleFactors& b) {
  EXPECT_EQ(a.strength, b.strength);
  EXPECT_EQ(a.length, b.length);
  EXPECT_EQ(a.stiffness, b.stiffness);
  EXPECT_EQ(a.capacity, b.capacity);
}

void expect_same(const Subject& a, const Subject& b) {
  EXPECT_EQ(a.stretch_tolerance.hip_nm, b.stretch_tolerance.hip_nm);
  EXPECT_EQ(a.stretch_tolerance.knee_nm, b.stretch_tolerance.knee_nm);
  EXPECT_TRUE(a.protocol == b.protocol);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.sex, b.sex);
  EXPECT_EQ(a.age_years, b.age_years);  // exact: numbers are written in shortest exact form
  EXPECT_EQ(a.height_m, b.height_m);
  EXPECT_EQ(a.mass_kg, b.mass_kg);
  EXPECT_EQ(a.pelvic_incidence_deg, b.pelvic_incidence_deg);
  ASSERT_EQ(a.muscles.size(), b.muscles.size());
  for (std::size_t i = 0; i < a.muscles.size(); ++i) {
    SCOPED_TRACE(a.muscles[i].target);
    EXPECT_EQ(a.muscles[i].target, b.muscles[i].target);
    EXPECT_EQ(a.muscles[i].is_group, b.muscles[i].is_group);
    expect_same_factors(a.muscles[i].both, b.muscles[i].both);
    expect_same_factors(a.muscles[i].right, b.muscles[i].right);
    expect_same_factors(a.muscles[i].left, b.muscles[i].left);
  }
}

TEST(SubjectYaml, RoundTripOfParsedFile) {
  const Subject original = load_subject_file(data_dir() / "full.yaml");
  const std::string text = subject_to_yaml(original);
  SCOPED_TRACE(text);
  expect_same(parse_subject_yaml(text, "echo.yaml"), original);
}

TEST(SubjectYaml, RoundTripOfSubjectBuiltInCode) {
  Subject s;
  s.name = "yes";  // would be a boolean-looking plain scalar
  s.sex = Sex::female;
  s.age_years = 18.0 + 1.0 / 3.0;
  s.height_m = 0.1 + 0.2 + 1.5;  // not exactly representable in short decimal
  s.mass_kg = 199.99999999999997;
  s.pelvic_incidence_deg = 20.0;
  MuscleAdjustment a;
  a.target = "erector_spinae";
  a.is_group = true;
  a.right.stiffness = 4.999;
  a.left.capacity = 0.0;
  MuscleAdjustment b;
  b.target = "tibialis_anterior";
  b.both.length = 0.8000000000000002;
  b.both.capacity = 1.0 / 3.0;
  b.right.capacity = 1.0;
  s.muscles = {a, b};
  for (const std::string& name :
       {std::string("yes"), std::string("~"), std::string("null"), std::string("123"),
        std::string("a \"quoted\" \\ name"), std::string("Zoë #1: x"), std::string("- dash"),
        std::string(100, 'n')}) {
    s.name = name;
    const std::string text = subject_to_yaml(s);
    SCOPED_TRACE(text);
    expect_same(parse_subject_yaml(text, "code.yaml"), s);
  }
}

TEST(SubjectYaml, RoundTripOfCapacity) {
  const Subject original = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
muscles:
  hamstrings: {capacity: 0.7, left: {capacity: 0.25}}
  semimembranosus_r: {capacity: 0.3, strength: 0.9}
)",
                                              "injured.yaml");
  const std::string text = subject_to_yaml(original);
  SCOPED_TRACE(text);
  EXPECT_NE(text.find("capacity: 0.3\n"), std::string::npos);
  const Subject back = parse_subject_yaml(text, "echo.yaml");
  expect_same(back, original);
  ASSERT_NE(find(back, "semimembranosus"), nullptr);
  EXPECT_EQ(find(back, "semimembranosus")->right.capacity, 0.3);
  ASSERT_NE(find(back, "hamstrings"), nullptr);
  EXPECT_EQ(find(back, "hamstrings")->left.capacity, 0.25);
}

TEST(SubjectYaml, TestsSection) {
  const Subject s = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
tests:
  stretch_tolerance_hip_nm: 72.5
  stretch_tolerance_knee_nm: 41
)",
                                       "tests.yaml");
  EXPECT_EQ(s.stretch_tolerance.hip_nm, 72.5);
  EXPECT_EQ(s.stretch_tolerance.knee_nm, 41.0);
  // Either key alone; an empty section sets nothing.
  EXPECT_FALSE(parse_subject_yaml("height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_knee_nm: 5}\n",
                                  "t.yaml")
                   .stretch_tolerance.hip_nm.has_value());
  const Subject empty = parse_subject_yaml("height_m: 1.75\nmass_kg: 75\ntests:\n", "t.yaml");
  EXPECT_FALSE(empty.stretch_tolerance.hip_nm || empty.stretch_tolerance.knee_nm);
  const Subject none = parse_subject_yaml("height_m: 1.75\nmass_kg: 75\ntests: {}\n", "t.yaml");
  EXPECT_FALSE(none.stretch_tolerance.hip_nm || none.stretch_tolerance.knee_nm);
  // Bounds are inclusive.
  EXPECT_EQ(parse_subject_yaml("height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: 300}\n",
                               "t.yaml")
                .stretch_tolerance.hip_nm,
            300.0);
}

// The clinic's protocol, so that the simulated tests are done as the measured ones were.
TEST(SubjectYaml, TestsSectionGivesTheProtocolTheMeasuredTestsFollowed) {
  const Subject s = parse_subject_yaml(R"(height_m: 1.75
mass_kg: 75
tests:
  isometric_knee_flexion_deg: 90
  isometric_hip_flexion_deg: 85
  nordic_lowering_speed_deg_s: 20
  isokinetic_speed_deg_s: 180
  trunk_endurance_limit_s: 240
  stretch_tolerance_hip_nm: 65
measurements:
  trunk_extensor_endurance_s: 240
)",
                                       "protocol.yaml");
  EXPECT_EQ(s.protocol.isometric_knee_flexion_deg, 90.0);
  EXPECT_EQ(s.protocol.isometric_hip_flexion_deg, 85.0);
  EXPECT_EQ(s.protocol.nordic_lowering_speed_deg_s, 20.0);
  EXPECT_EQ(s.protocol.isokinetic_speed_deg_s, 180.0);
  EXPECT_EQ(s.protocol.trunk_endurance_limit_s, 240.0);
  EXPECT_EQ(s.stretch_tolerance.hip_nm, 65.0);
  ASSERT_EQ(s.measurements.size(), 1u);  // a hold measured to the limit
  // The assessment's settings follow the file, and the defaults where it is silent.
  const assess::ClinicalTestSettings used = assess::clinical_test_settings(s);
  EXPECT_EQ(used.isometric_knee_flexion_deg, 90.0);
  EXPECT_EQ(used.isometric_hip_flexion_deg, 85.0);
  EXPECT_EQ(used.nordic_lowering_speed_deg_s, 20.0);
  EXPECT_EQ(used.isokinetic_speed_deg_s, 180.0);
  EXPECT_EQ(used.trunk_endurance_limit_s, 240.0);
  const Subject speed_only = parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\ntests: {isokinetic_speed_deg_s: 300}\n", "t.yaml");
  EXPECT_FALSE(speed_only.protocol.isometric_knee_flexion_deg.has_value());
  EXPECT_FALSE(speed_only.stretch_tolerance.hip_nm.has_value());
  const assess::ClinicalTestSettings standard;
  const assess::ClinicalTestSettings speed = assess::clinical_test_settings(speed_only);
  EXPECT_EQ(speed.isokinetic_speed_deg_s, 300.0);  // bounds are inclusive
  EXPECT_EQ(speed.isometric_knee_flexion_deg, standard.isometric_knee_flexion_deg);
  EXPECT_EQ(speed.trunk_endurance_limit_s, standard.trunk_endurance_limit_s);
  EXPECT_FALSE(parse_subject_yaml("height_m: 1.75\nmass_kg: 75\n", "t.yaml").protocol.any());
}

TEST(SubjectYaml, RoundTripOfTestsSection) {
  Subject s;
  s.stretch_tolerance.hip_nm = 1.0 / 3.0 + 60.0;
  s.stretch_tolerance.knee_nm = 5.0;
  const std::string text = subject_to_yaml(s);
  SCOPED_TRACE(text);
  EXPECT_NE(text.find("tests:\n"), std::string::npos);
  expect_same(parse_subject_yaml(text, "echo.yaml"), s);
  Subject only_knee;
  only_knee.stretch_tolerance.knee_nm = 30.0;
  expect_same(parse_subject_yaml(subject_to_yaml(only_knee), "echo.yaml"), only_knee);
  Subject protocol;
  protocol.protocol.isometric_knee_flexion_deg = 1.0 / 3.0 + 60.0;
  protocol.protocol.isokinetic_speed_deg_s = 180.0;
  protocol.protocol.trunk_endurance_limit_s = 240.0;
  const std::string protocol_text = subject_to_yaml(protocol);
  EXPECT_NE(protocol_text.find("  isokinetic_speed_deg_s: 180\n"), std::string::npos)
      << protocol_text;
  expect_same(parse_subject_yaml(protocol_text, "echo.yaml"), protocol);
  // Nothing set: no section written.
  EXPECT_EQ(subject_to_yaml(Subject{}).find("tests:"), std::string::npos);
}

TEST(SubjectYaml, ToYamlMergesEntriesForTheSameTarget) {
  Subject s;
  MuscleAdjustment first;
  first.target = "psoas";
  first.both.strength = 0.5;
  first.both.length = 0.9;
  first.both.capacity = 0.4;
  MuscleAdjustment second = first;
  second.both.strength = 0.7;
  second.both.length.reset();
  second.both.capacity.reset();
  second.right.capacity = 0.2;
  s.muscles = {first, second};
  const Subject back = parse_subject_yaml(subject_to_yaml(s), "merge.yaml");
  ASSERT_EQ(back.muscles.size(), 1u);
  EXPECT_EQ(back.muscles[0].both.strength, 0.7);  // later wins, as in resolve_factors
  EXPECT_EQ(back.muscles[0].both.length, 0.9);
  EXPECT_EQ(back.muscles[0].both.capacity, 0.4);
  EXPECT_EQ(back.muscles[0].right.capacity, 0.2);
}

// ---- Bad input: one-line messages naming file, line, key, value and what is allowed --------

TEST(SubjectYamlErrors, MalformedYaml) {
  expect_error("height_m: 1.75\nmass_kg: [75\nage: 30\n", {"line 3", "malformed YAML"});
  expect_error("height_m: 1.75\nmuscles:\n\tcalves: {}\n", {"line 3", "malformed YAML"});
  expect_error("height_m: 1.75\nmass_kg: 75\n---\nage: 3\n",
               {"line 4", "more than one YAML document", "allowed: one mapping"});
}

TEST(SubjectYamlErrors, UnknownTopLevelKey) {
  expect_error("height_m: 1.75\nmass_kg: 75\nweight_kg: 80\n",
               {"line 3", "key 'weight_kg'", "unknown key",
                "allowed: name, sex, age, height_m, mass_kg, pelvic_incidence_deg, muscles, tests"});
  expect_error("heigth_m: 1.75\nmass_kg: 75\n",
               {"line 1", "key 'heigth_m'", "did you mean 'height_m'"});
}

TEST(SubjectYamlErrors, UnknownKeyInsideMuscles) {
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings:\n    strenght: 0.8\n",
      {"bad.yaml: line 5: key 'muscles.hamstrings.strenght': unknown key",
       "did you mean 'strength'", "allowed: strength, length, stiffness, capacity, fascicle_length, left, right"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstring: {strength: 0.8}\n",
               {"line 4", "key 'muscles.hamstring'", "did you mean 'hamstrings'",
                "allowed: a group (hamstrings, quadriceps"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  biceps: {strength: 0.8}\n",
               {"line 4", "key 'muscles.biceps'", "unknown key", "or a muscle with _r or _l"});
  // The groups listed are the model's, every one of them.
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  adductor: {capacity: 0.5}\n",
               {"did you mean 'adductors'",
                "a group (hamstrings, quadriceps, hip_flexors, gluteals, adductors, erector_spinae, "
                "abdominals, calves)"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings_r: {strength: 0.8}\n",
               {"line 4", "key 'muscles.hamstrings_r'", "a group takes no _r/_l suffix"});
}

TEST(SubjectYamlErrors, UnknownKeyInsideLeftRight) {
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves:\n    left:\n      strenth: 2\n",
               {"line 6", "key 'muscles.calves.left.strenth'", "unknown key",
                "allowed: strength, length, stiffness, capacity"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  soleus_r:\n    left: {strength: 2}\n",
               {"line 5", "key 'muscles.soleus_r.left'", "unknown key",
                "allowed: strength, length, stiffness, capacity"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  soleus:\n    right: {right: {}}\n",
               {"line 5", "key 'muscles.soleus.right.right'", "unknown key"});
}

TEST(SubjectYamlErrors, BadTestsSection) {
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  stretch_tolerance_hip_nm: 400\n",
               {"line 4", "key 'tests.stretch_tolerance_hip_nm'", "value 400 is out of range",
                "allowed: 5 to 300 N m"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  stretch_tolerance_knee_nm: -3\n",
               {"key 'tests.stretch_tolerance_knee_nm'", "value -3", "allowed: 5 to 300 N m"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  stretch_tolerance_hip: 60\n",
               {"line 4", "key 'tests.stretch_tolerance_hip'", "unknown key",
                "did you mean 'stretch_tolerance_hip_nm'?",
                "allowed: stretch_tolerance_hip_nm, stretch_tolerance_knee_nm"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  isokinetic_speed_deg_s: 400\n",
               {"line 4", "key 'tests.isokinetic_speed_deg_s'", "value 400 is out of range",
                "allowed: 1 to 300 deg/s"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  isometric_knee_flexion_deg: -10\n",
               {"key 'tests.isometric_knee_flexion_deg'", "value -10", "allowed: 0 to 120 deg"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  trunk_endurance_limit_s: 5\n",
               {"key 'tests.trunk_endurance_limit_s'", "value 5", "allowed: 10 to 3600 s"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests:\n  isokinetic_speed_deg: 180\n",
               {"line 4", "key 'tests.isokinetic_speed_deg'", "unknown key",
                "did you mean 'isokinetic_speed_deg_s'?", "isometric_knee_flexion_deg",
                "trunk_endurance_limit_s"});
  // A hold longer than the protocol runs it, whether the file sets the limit or not.
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  trunk_extensor_endurance_s: 300\n"
      "tests:\n  trunk_endurance_limit_s: 240\n",
      {"line 4", "key 'measurements.trunk_extensor_endurance_s'",
       "value 300 s exceeds the hold's limit (tests.trunk_endurance_limit_s, 240 s)",
       "allowed: 1 to 240 s, or a longer tests.trunk_endurance_limit_s"});
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmeasurements:\n  trunk_extensor_endurance_s: 700\n",
      {"line 4", "(the default tests.trunk_endurance_limit_s, 600 s)", "allowed: 1 to 600 s"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests: 60\n",
               {"key 'tests'", "value 60 is not a mapping",
                "allowed: a mapping with stretch_tolerance_hip_nm, stretch_tolerance_knee_nm"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: \"60\"}\n",
               {"(quoted text) is not a number", "written without quotes"});
  // A value given by an alias (*name) is pointed at where the alias is used, not at its anchor.
  expect_error("height_m: 1.75\nmuscles:\n  hamstrings: {strength: &s 0.9}\nmass_kg: *s\n",
               {"line 4", "key 'mass_kg'", "value 0.9 is out of range"});
  expect_error("height_m: 1.75\nmuscles:\n  hamstrings: &h {strength: 0.9}\nmass_kg: 75\n"
               "signs: *h\n",
               {"line 5", "key 'signs'", "a mapping is not a list"});
  // A number tagged as text, or with a tag of the file's own, is not read as a number; the
  // number tags are.
  expect_error("height_m: !!str 1.75\nmass_kg: 75\n",
               {"line 1", "key 'height_m'", "value 1.75 is tagged !!str, not a number",
                "allowed: 1.2 to 2.2 m, written without a tag"});
  expect_error("height_m: 1.75\nmass_kg: !kg 75\n", {"line 2", "is tagged !kg, not a number"});
  EXPECT_EQ(parse_subject_yaml("height_m: !!float 1.8\nmass_kg: !!int 80\n", "s.yaml").mass_kg,
            80.0);
  expect_error("height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: .nan}\n",
               {"is not a finite number"});
  expect_error("height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: [60]}\n",
               {"a list is not a number"});
  expect_error(
      "height_m: 1.75\nmass_kg: 75\ntests: {stretch_tolerance_hip_nm: 60, stretch_tolerance_hip_nm: 61}\n",
      {"duplicate key"});
}

TEST(SubjectYamlErrors, WrongTypes) {
  expect_error("height_m: 1.75\nmass_kg: heavy\n",
               {"line 2", "key 'mass_kg'", "value heavy is not a number", "allowed: 30 to 200 kg"});
  expect_error("height_m: 1.75\nmass_kg: [75]\n",
               {"line 2", "key 'mass_kg'", "a list is not a number", "30 to 200 kg"});
  expect_error("height_m: 1.75\nmass_kg:\n  value: 75\n",
               {"line 3", "key 'mass_kg'", "a mapping is not a number", "30 to 200 kg"});
  expect_error("height_m: 1.75\nmass_kg: \"75\"\n",
               {"line 2", "key 'mass_kg'", "\"75\" (quoted text)", "without quotes"});
  expect_error("height_m: 1.75\nmass_kg:\nage: 40\n",
               {"line 2", "key 'mass_kg'", "empty value", "30 to 200 kg"});
  expect_error("height_m: 0x10\nmass_kg: 75\n", {"line 1", "value 0x10 is not a number"});
  expect_error("height_m: 1.75\nmass_kg: 75\nsex: Male\n",
               {"line 3", "key 'sex'", "value Male", "allowed: male, female"});
  expect_error("height_m: 1.75\nmass_kg: 75\nname: [a, b]\n",
               {"line 3", "key 'name'", "a list is not text", "1 to 100 printable characters"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles: [calves]\n",
               {"line 3", "key 'muscles'", "a list is not a mapping"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: 0.8\n",
               {"line 4", "key 'muscles.calves'", "value 0.8 is not a mapping",
                "strength, length, stiffness, capacity, fascicle_length, left, right"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves:\n    left: 0.8\n",
               {"line 5", "key 'muscles.calves.left'", "value 0.8 is not a mapping"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: {strength: strong}\n",
               {"line 4", "key 'muscles.calves.strength'", "value strong is not a number",
                "allowed: 0.1 to 3"});
  expect_error("height_m: 1.75\nmass_kg: 75\n[a]: 1\n", {"line 3", "a list is not a valid key"});
}

TEST(SubjectYamlErrors, NotFinite) {
  expect_error("height_m: 1.75\nmass_kg: .nan\n",
               {"line 2", "key 'mass_kg'", "value .nan is not a finite number", "30 to 200 kg"});
  expect_error("height_m: .inf\nmass_kg: 75\n",
               {"line 1", "key 'height_m'", "value .inf is not a finite number", "1.2 to 2.2 m"});
  expect_error("height_m: 1.75\nmass_kg: -.Inf\n", {"value -.Inf is not a finite number"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles: {vasti: {length: .NaN}}\n",
               {"line 3", "key 'muscles.vasti.length'", "value .NaN", "0.8 to 1.2"});
  expect_error("height_m: 1.75\nmass_kg: 1e999\n", {"value 1e999 is out of range"});
}

TEST(SubjectYamlErrors, OutOfRange) {
  expect_error("height_m: 1.75\nmass_kg: 5000\n",
               {"bad.yaml: line 2: key 'mass_kg': value 5000 is out of range; "
                "allowed: 30 to 200 kg"});
  expect_error("height_m: 1.75\nmass_kg: 0\n", {"line 2", "value 0 is out of range", "30 to 200"});
  expect_error("height_m: 1.75\nmass_kg: -70\n", {"value -70 is out of range", "30 to 200 kg"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles: {hamstrings: {fascicle_length: 2}}\n",
               {"fascicle_length", "value 2 is out of range", "0.6 to 1.5"});
  expect_error("height_m: 0.3\nmass_kg: 75\n",
               {"line 1", "key 'height_m'", "value 0.3 is out of range", "1.2 to 2.2 m"});
  expect_error("height_m: 1.75\nmass_kg: 75\npelvic_incidence_deg: 150\n",
               {"line 3", "key 'pelvic_incidence_deg'", "value 150", "20 to 90 deg"});
  expect_error("height_m: 1.75\nmass_kg: 75\nage: 12\n",
               {"line 3", "key 'age'", "value 12", "18 to 100 years"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings:\n    strength: -1\n",
               {"line 5", "key 'muscles.hamstrings.strength'", "value -1 is out of range",
                "allowed: 0.1 to 3"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  psoas_l: {stiffness: 0}\n",
               {"line 4", "key 'muscles.psoas_l.stiffness'", "value 0", "0.2 to 5"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  vasti: {right: {length: 1.5}}\n",
               {"line 4", "key 'muscles.vasti.right.length'", "value 1.5", "0.8 to 1.2"});
}

TEST(SubjectYamlErrors, BadCapacity) {
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings:\n    capacity: -0.1\n",
               {"bad.yaml: line 5: key 'muscles.hamstrings.capacity': value -0.1 is out of range; "
                "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  semimembranosus_r: {capacity: 1.5}\n",
               {"line 4", "key 'muscles.semimembranosus_r.capacity'", "value 1.5 is out of range",
                "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: {left: {capacity: 1.0001}}\n",
               {"line 4", "key 'muscles.calves.left.capacity'", "value 1.0001 is out of range",
                "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  soleus: {capacity: .nan}\n",
               {"line 4", "key 'muscles.soleus.capacity'", "value .nan is not a finite number",
                "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  soleus: {right: {capacity: half}}\n",
               {"line 4", "key 'muscles.soleus.right.capacity'", "value half is not a number",
                "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  psoas_l: {capacity: \"0.5\"}\n",
               {"line 4", "key 'muscles.psoas_l.capacity'", "(quoted text) is not a number",
                "allowed: 0 to 1, written without quotes"});
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  psoas: {capacity: 50%}\n",
      {"line 4", "key 'muscles.psoas.capacity'", "value 50% is not a number", "allowed: 0 to 1"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings:\n    capacty: 0.5\n",
               {"line 5", "key 'muscles.hamstrings.capacty'", "did you mean 'capacity'"});
}

TEST(SubjectYamlErrors, BadNames) {
  expect_error("height_m: 1.75\nmass_kg: 75\nname: \"\"\n", {"line 3", "key 'name'", "empty"});
  expect_error("height_m: 1.75\nmass_kg: 75\nname: " + std::string(101, 'x') + "\n",
               {"line 3", "key 'name'", "101 characters long", "1 to 100 printable"});
  expect_error("height_m: 1.75\nmass_kg: 75\nname: \"a\\nb\\tc\"\n",
               {"line 3", "key 'name'", "a\\x0ab\\x09c", "control character"});
}

TEST(SubjectYamlErrors, MissingRequiredKeys) {
  expect_error("mass_kg: 75\n",
               {"line 1", "key 'height_m'", "missing required key", "allowed: 1.2 to 2.2 m"});
  expect_error("height_m: 1.75\nage: 40\n", {"key 'mass_kg'", "missing required key", "30 to 200"});
}

TEST(SubjectYamlErrors, DuplicateKeys) {
  expect_error("height_m: 1.75\nmass_kg: 75\nmass_kg: 80\n",
               {"line 3", "key 'mass_kg'", "duplicate key (first given at line 2)"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: {}\n  calves: {}\n",
               {"line 5", "key 'muscles.calves'", "duplicate key"});
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: {left: {strength: 1, strength: 2}}\n",
      {"line 4", "key 'muscles.calves.left.strength'", "duplicate key"});
  // The same factor for the same muscle and side, through a per-side name.
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  semimembranosus:\n    right: {strength: 2}\n"
      "  semimembranosus_r:\n    strength: 1.5\n",
      {"line 7", "key 'muscles.semimembranosus_r.strength'",
       "right-side strength of 'semimembranosus' is already set at line 5",
       "allowed: each factor once"});
  // The same for capacity, through a per-side name and through a side mapping.
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  semimembranosus:\n    capacity: 0.8\n"
      "    right: {capacity: 0.5}\n  semimembranosus_r: {capacity: 0.3}\n",
      {"line 7", "key 'muscles.semimembranosus_r.capacity'",
       "right-side capacity of 'semimembranosus' is already set at line 6",
       "allowed: each factor once per muscle or group and side"});
  expect_error(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  soleus_l:\n    capacity: 0.5\n    strength: 0.9\n"
      "  soleus:\n    left:\n      capacity: 0.4\n",
      {"line 9", "key 'muscles.soleus.left.capacity'",
       "left-side capacity of 'soleus' is already set at line 5"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles:\n  calves: {capacity: 1, capacity: 0.5}\n",
               {"line 4", "key 'muscles.calves.capacity'", "duplicate key"});
}

TEST(SubjectYamlErrors, EmptyAndNonMappingDocuments) {
  expect_error("", {"the file is empty; a subject needs at least height_m and mass_kg"});
  expect_error("# just a comment\n\n", {"the file is empty"});
  expect_error("- 1.75\n- 75\n",
               {"line 1", "the document is a list, not a mapping", "allowed: a mapping"});
  expect_error("hello\n", {"line 1", "value hello, not a mapping"});
}

TEST(SubjectYamlErrors, DeepOrHugeInput) {
  // A 1 MB file of nested lists, in flow and block style: a clean error, no crash.
  expect_error(std::string(1'000'000, '['), {"line 1", "nested too deeply"});
  std::string block;
  while (block.size() < 1'000'000) block += "- ";
  expect_error(block + "1\n", {"nested too deeply"});
  expect_error("height_m: 1.75\nmass_kg: 75\nmuscles: " + std::string(100'000, '{'),
               {"line 3", "nested too deeply"});
  // Larger than the limit: refused before parsing.
  expect_error("height_m: 1.75\nmass_kg: 75\n# " + std::string(kMaxSubjectFileBytes, 'x'),
               {"larger than 1048576 bytes", "allowed: a subject file of at most 1 MiB"});
  // A long value is cut in the message.
  const std::string message = error_for("height_m: 1.75\nmass_kg: " + std::string(5000, 'x'));
  expect_message(message, {"line 2", "key 'mass_kg'", "xxx...", "30 to 200 kg"});
  EXPECT_LT(message.size(), 200u);
}

TEST(SubjectYamlErrors, SourceNameIsKeptOnOneLine) {
  const std::string message = error_for("mass_kg: 75\n", "odd\nname.yaml");
  expect_message(message, {"odd\\x0aname.yaml: line 1"});
}

// ---- Files -----------------------------------------------------------------------------------

// Removes the files a test wrote.
class SubjectFile : public testing::Test {
 protected:
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(temp_dir(), ignored);
  }
};

std::string load_error(const fs::path& path) {
  try {
    load_subject_file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

TEST_F(SubjectFile, LoadsAFile) {
  const Subject s = load_subject_file(write_file("ok.yaml", "height_m: 1.9\nmass_kg: 90\n"));
  EXPECT_DOUBLE_EQ(s.height_m, 1.9);
  EXPECT_DOUBLE_EQ(s.mass_kg, 90.0);
}

TEST_F(SubjectFile, MissingFile) {
  EXPECT_EQ(load_error("missing.yaml"),
            "missing.yaml: cannot open file: No such file or directory");
}

TEST_F(SubjectFile, DirectoryIsNotReadable) {
  const std::string message = load_error(temp_dir());
  expect_message(message, {temp_dir().string() + ": not a regular file (a directory)"});
}

TEST_F(SubjectFile, EmptyFile) {
  const fs::path path = write_file("empty.yaml", "");
  EXPECT_EQ(load_error(path), path.string() +
                                  ": the file is empty; a subject needs at least height_m and "
                                  "mass_kg");
}

TEST_F(SubjectFile, ErrorsNameTheFile) {
  const fs::path path = write_file("heavy.yaml", "height_m: 1.75\nmass_kg: 5000\n");
  EXPECT_EQ(load_error(path), path.string() +
                                  ": line 2: key 'mass_kg': value 5000 is out of range; allowed: "
                                  "30 to 200 kg");
}

TEST_F(SubjectFile, HugeNestedFile) {
  const fs::path deep = write_file("deep.yaml", std::string(1'000'000, '['));
  expect_message(load_error(deep), {"deep.yaml: line 1", "nested too deeply"});
  const fs::path big = write_file("big.yaml", std::string(3 * kMaxSubjectFileBytes, '['));
  expect_message(load_error(big), {"big.yaml: ", "larger than"});
}

}  // namespace
}  // namespace pulley::io

namespace {

TEST(SubjectYamlMeasurements, ReadsSidedWholeBodyAndAbsoluteTorques) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 80\nmeasurements:\n"
      "  straight_leg_raise_deg: {right: 62, left: 68}\n"
      "  knee_flexion_torque_nm: 100\n"
      "  trunk_extensor_endurance_s: 120\n"
      "signs:\n  - exaggerated_lumbar_arch\n  - knee_clicking: right\n",
      "m.yaml");
  ASSERT_EQ(s.measurements.size(), 5u);
  EXPECT_EQ(s.measurements[0].test, pulley::model::MeasuredTest::straight_leg_raise_deg);
  EXPECT_EQ(s.measurements[1].value, 68.0);
  EXPECT_DOUBLE_EQ(s.measurements[2].value, 100.0 / 80.0);  // per kg of mass_kg
  EXPECT_FALSE(s.measurements[4].side.has_value());
  ASSERT_EQ(s.signs.size(), 2u);
  EXPECT_EQ(s.signs[1].kind, pulley::model::SignKind::knee_clicking);
  EXPECT_EQ(s.signs[1].side, pulley::model::Side::right);
  // Written back and read again, the same subject.
  const auto again = pulley::io::parse_subject_yaml(pulley::io::subject_to_yaml(s), "again");
  EXPECT_EQ(pulley::io::subject_to_yaml(again), pulley::io::subject_to_yaml(s));
}

TEST(SubjectYamlMeasurements, ReadsTheConcentricTorquesAndTheConventionalRatio) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 80\nmeasurements:\n"
      "  concentric_knee_flexion_nm: {right: 120}\n"
      "  concentric_knee_extension_nm_per_kg: {right: 2.6}\n"
      "  conventional_hq_ratio: 0.55\n",
      "m.yaml");
  using pulley::model::MeasuredTest;
  ASSERT_EQ(s.measurements.size(), 4u);
  EXPECT_EQ(s.measurements[0].test, MeasuredTest::concentric_knee_flexion_nm_per_kg);
  EXPECT_DOUBLE_EQ(s.measurements[0].value, 120.0 / 80.0);  // per kg of mass_kg
  EXPECT_EQ(s.measurements[1].test, MeasuredTest::concentric_knee_extension_nm_per_kg);
  EXPECT_EQ(s.measurements[3].test, MeasuredTest::conventional_hq_ratio);
  EXPECT_EQ(s.measurements[3].side, pulley::model::Side::left);  // both legs alike
  const auto again = pulley::io::parse_subject_yaml(pulley::io::subject_to_yaml(s), "again");
  EXPECT_EQ(pulley::io::subject_to_yaml(again), pulley::io::subject_to_yaml(s));
}

void expect_error(const std::string& section, const std::string& fragment) {
  try {
    pulley::io::parse_subject_yaml("height_m: 1.75\nmass_kg: 75\n" + section, "bad.yaml");
    ADD_FAILURE() << "accepted: " << section;
  } catch (const pulley::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.yaml"), std::string::npos) << e.what();
  }
}

TEST(SubjectYamlMeasurements, RejectsImpossibleUnknownAndContradictoryValues) {
  expect_error("measurements: {straight_leg_raise_deg: 200}", "straight_leg_raise_deg");
  expect_error("measurements: {knee_flexion_torque_nm_per_kg: -1}", "out of range");
  expect_error("measurements: {slr_deg: 60}", "unknown key");
  expect_error("measurements: {knee_flexion_torque_nm_per_kg: 1.2, knee_flexion_torque_nm: 90}",
               "already given");
  // The concentric (isokinetic) keys as the isometric ones.
  expect_error("measurements: {conventional_hq_ratio: 6}", "conventional_hq_ratio");
  expect_error("measurements: {concentric_knee_extension_nm: -150}", "out of range");
  expect_error(
      "measurements: {concentric_knee_flexion_nm: {right: 90}, "
      "concentric_knee_flexion_nm_per_kg: {right: 1.3}}",
      "already given");
  // A whole-body test given per side says so, with the hold's range to the protocol's limit.
  expect_error("measurements: {trunk_extensor_endurance_s: {right: 5}}",
               "whole body, not of one side; allowed: one number, 1 to 600 s");
  expect_error(
      "tests: {trunk_endurance_limit_s: 300}\nmeasurements: {trunk_extensor_endurance_s: "
      "{left: 5}}",
      "allowed: one number, 1 to 300 s");
  expect_error("measurements: {standing_pelvic_tilt_deg: {left: 10}}", "whole body");
  expect_error("measurements: {straight_leg_raise_deg: {top: 5}}", "unknown key");
  expect_error("measurements: {straight_leg_raise_deg: \"60 deg\"}", "not a number");
  expect_error("signs: [knee_clicks]", "unknown sign");
  expect_error("signs: [{knee_clicking: top}]", "not a side");
  expect_error("signs: [knee_clicking, knee_clicking]", "already given");
  expect_error("signs: knee_clicking", "not a list");
}

}  // namespace
