#include "pulley/io/programme_yaml.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/io/assessment_results.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/training/exercise.hpp"
#include "yaml_fields.hpp"

namespace pulley::io {
namespace {

using namespace detail;
using training::Programme;
using training::ProgrammeEntry;
using training::ProgrammeLimits;

constexpr std::string_view kTopKeys = "weeks, exercises, missed_weeks";
constexpr std::string_view kEntryKeys =
    "name, sets, reps, hold_s, load_kg, effort, sessions_per_week, from_week, to_week, target, "
    "foot, side, progression";
constexpr std::string_view kProgressionKeys =
    "effort_per_week, load_kg_per_week, hold_s_per_week, reps_per_week";

class ProgrammeParser : public YamlFields {
 public:
  using YamlFields::YamlFields;

  Programme parse_document(const YAML::Node& root) {
    if (root.IsNull())
      fail(YAML::Mark::null_mark(), "", "the file is empty",
           "a mapping with 'weeks:' and 'exercises:'");
    if (!root.IsMap())
      fail(root.Mark(), "", "the document is " + describe(root) + ", not a mapping",
           "a mapping with 'weeks:' and 'exercises:'");
    Programme p;
    bool has_weeks = false, has_exercises = false;
    std::map<std::string, YAML::Mark> top_marks;  // by key
    std::vector<YAML::Mark> missed_marks;         // per missed week
    for (const Entry& entry : entries(root, "", kTopKeys)) {
      top_marks[entry.key] = entry.key_node.Mark();
      if (entry.key == "weeks") {
        p.weeks = whole(entry, Range{1, ProgrammeLimits::kMaxWeeks, "weeks (5 years)"});
        has_weeks = true;
      } else if (entry.key == "exercises") {
        has_exercises = true;
        if (!entry.value.IsSequence())
          fail(value_mark(entry), entry.path, describe(entry.value) + " is not a list",
               "a list of exercises, each '- name: ...'");
        // Counted from 0, as the subject file's signs.
        for (const YAML::Node& item : entry.value)
          p.entries.push_back(parse_entry(item, fmt::format("exercises[{}]", p.entries.size())));
      } else if (entry.key == "missed_weeks") {
        if (!entry.value.IsSequence())
          fail(value_mark(entry), entry.path, describe(entry.value) + " is not a list",
               "a list of week numbers, e.g. [3, 4]");
        for (const YAML::Node& item : entry.value) {
          const Entry week{"", entry.path, entry.key_node, item};
          const int missed = whole(week, Range{1, ProgrammeLimits::kMaxWeeks, ""});
          if (std::find(p.missed_weeks.begin(), p.missed_weeks.end(), missed) !=
              p.missed_weeks.end())
            fail(item.Mark(), entry.path, fmt::format("week {} is listed twice", missed),
                 "each missed week once");
          p.missed_weeks.push_back(missed);
          missed_marks.push_back(item.Mark());
        }
      } else {
        unknown_key(entry, {"weeks", "exercises", "missed_weeks"}, "", kTopKeys);
      }
    }
    if (!has_weeks) fail(root.Mark(), "weeks", "missing required key", "1 to 260, e.g. 'weeks: 6'");
    if (!has_exercises)
      fail(root.Mark(), "exercises", "missing required key", "a list of exercises");
    for (std::size_t i = 0; i < p.missed_weeks.size(); ++i)
      if (p.missed_weeks[i] > p.weeks)
        fail(missed_marks[i], "missed_weeks",
             fmt::format("week {} is after the last week", p.missed_weeks[i]),
             fmt::format("1 to {}", p.weeks));
    // What can only be checked with the whole programme read (training::check_programme's
    // checks), at the line of the key at fault, or of its entry when the key is not given.
    if (const auto problem = training::find_programme_problem(p)) {
      YAML::Mark mark = root.Mark();
      if (problem->entry) {
        const EntryMarks& m = entry_marks_[*problem->entry];
        const auto key = m.keys.find(problem->key);
        mark = key != m.keys.end() ? key->second : m.entry;
      } else if (const auto key = top_marks.find(problem->key); key != top_marks.end()) {
        mark = key->second;
      }
      fail(mark, problem->path(), problem->what, problem->allowed);
    }
    return p;
  }

 private:
  // Where each entry and each of its keys ("sets", "progression.reps_per_week") is in the file.
  struct EntryMarks {
    YAML::Mark entry;
    std::map<std::string, YAML::Mark> keys;
  };
  std::vector<EntryMarks> entry_marks_;  // per entry, in file order

  int whole(const Entry& entry, const Range& range) const {
    const double x = parse_number(entry, range);
    if (x != std::floor(x))
      fail(value_mark(entry), entry.path, describe(entry.value) + " is not a whole number",
           range.allowed());
    return static_cast<int>(x);
  }

  std::string word(const Entry& entry, const std::vector<std::string>& allowed) const {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    if (!entry.value.IsScalar()) fail(value_mark(entry), entry.path, describe(entry.value), list);
    for (const auto& a : allowed)
      if (entry.value.Scalar() == a) return a;
    std::string what = describe(entry.value) + " is not allowed";
    const std::string suggestion = closest(entry.value.Scalar(), allowed);
    if (!suggestion.empty()) what += " (did you mean '" + suggestion + "'?)";
    fail(value_mark(entry), entry.path, what, list);
  }

  ProgrammeEntry parse_entry(const YAML::Node& node, const std::string& path) {
    using L = training::DoseLimits;
    if (!node.IsMap())
      fail(node.Mark(), path, describe(node) + " is not a mapping", "name: and a dose");
    ProgrammeEntry e;
    EntryMarks& marks = entry_marks_.emplace_back();
    marks.entry = node.Mark();
    std::vector<std::string> ids;
    for (const auto& x : training::exercise_library()) ids.push_back(x.id);
    bool has_name = false;
    for (const Entry& entry : entries(node, path, kEntryKeys)) {
      const std::string& k = entry.key;
      marks.keys[k] = entry.key_node.Mark();
      if (k == "name") {
        e.exercise = word(entry, ids);
        has_name = true;
      } else if (k == "sets") {
        e.dose.sets = whole(entry, Range{1, L::kMaxSets, ""});
      } else if (k == "reps") {
        e.dose.reps = whole(entry, Range{1, L::kMaxReps, ""});
      } else if (k == "hold_s") {
        e.dose.hold_s = parse_number(entry, Range{L::kMinHoldS, L::kMaxHoldS, "s"});
      } else if (k == "load_kg") {
        e.dose.load_kg = parse_number(entry, Range{0, L::kMaxLoadKg, "kg"});
      } else if (k == "effort") {
        e.dose.effort = parse_number(entry, Range{L::kMinEffort, L::kMaxEffort, "of full effort"});
      } else if (k == "sessions_per_week") {
        e.dose.sessions_per_week = whole(
            entry, Range{1, L::kMaxSessionsPerWeek, "(at most two a day)"});
      } else if (k == "from_week") {
        e.from_week = whole(entry, Range{1, ProgrammeLimits::kMaxWeeks, ""});
      } else if (k == "to_week") {
        e.to_week = whole(entry, Range{1, ProgrammeLimits::kMaxWeeks, ""});
      } else if (k == "target") {
        std::vector<std::string> groups(model::kMuscleGroups.begin(), model::kMuscleGroups.end());
        e.target = word(entry, groups);
      } else if (k == "foot") {
        e.foot = word(entry, {"neutral", "in", "out"});
      } else if (k == "side") {
        const std::string side = word(entry, {"both", "right", "left"});
        e.sides = {side != "left", side != "right"};
      } else if (k == "progression") {
        parse_progression(entry, e.progression, marks);
      } else {
        unknown_key(entry, {}, "", kEntryKeys);
      }
    }
    if (!has_name) fail(node.Mark(), path + ".name", "missing required key", "an exercise id");
    if (e.dose.effort && e.dose.load_kg)
      fail(node.Mark(), path, "both effort and load_kg are given", "one of them");
    // A progression key the exercise does not use is refused even at 0 (check_programme sees
    // only the values); the first in the file is named.
    constexpr std::string_view kPrefix = "progression.";
    std::optional<training::ProgrammeProblem> unused;
    YAML::Mark unused_mark;
    for (const auto& [key, mark] : marks.keys) {
      if (!key.starts_with(kPrefix) || (unused && mark.pos > unused_mark.pos)) continue;
      if (auto problem = training::progression_key_problem(entry_marks_.size() - 1, e,
                                                           key.substr(kPrefix.size()))) {
        unused = std::move(problem);
        unused_mark = mark;
      }
    }
    if (unused) fail(unused_mark, unused->path(), unused->what, unused->allowed);
    return e;
  }

  void parse_progression(const Entry& section, training::Progression& p, EntryMarks& marks) const {
    if (!section.value.IsMap())
      fail(value_mark(section), section.path, describe(section.value) + " is not a mapping",
           kProgressionKeys);
    for (const Entry& entry : entries(section.value, section.path, kProgressionKeys)) {
      marks.keys["progression." + entry.key] = entry.key_node.Mark();
      if (entry.key == "effort_per_week")
        p.effort_per_week = parse_number(entry, Range{0, 0.5, ""});
      else if (entry.key == "load_kg_per_week")
        p.load_kg_per_week = parse_number(entry, Range{0, 20, "kg"});
      else if (entry.key == "hold_s_per_week")
        p.hold_s_per_week = parse_number(entry, Range{0, 60, "s"});
      else if (entry.key == "reps_per_week")
        p.reps_per_week = whole(entry, Range{0, 10, ""});
      else
        unknown_key(entry, {}, "", kProgressionKeys);
    }
  }
};

}  // namespace

training::Programme load_programme_file(const std::filesystem::path& path) {
  const std::string source = echo_text(path.string(), 0);
  return parse_programme_yaml(read_text_file(path, source, kMaxProgrammeFileBytes), source);
}

training::Programme parse_programme_yaml(std::string_view text, std::string_view source_name) {
  ProgrammeParser parser(source_name);
  return parser.parse_one_document(
      text, kMaxProgrammeFileBytes, "a programme file", "docs/programme-file.md",
      [&](const YAML::Node& document) { return parser.parse_document(document); });
}

std::string programme_to_yaml(const training::Programme& p, std::string_view header,
                              const std::vector<std::string>& comments) {
  std::string out;
  std::string_view rest = header;
  while (!rest.empty()) {  // each header line as a comment
    const std::size_t end = rest.find('\n');
    out += "# " + std::string(rest.substr(0, end)) + "\n";
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  out += "# Pulley programme file (docs/programme-file.md)\n";
  out += fmt::format("weeks: {}\n", p.weeks);
  if (!p.missed_weeks.empty()) out += fmt::format("missed_weeks: [{}]\n", fmt::join(p.missed_weeks, ", "));
  out += "exercises:\n";
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    const ProgrammeEntry& e = p.entries[i];
    if (i < comments.size() && !comments[i].empty())
      out += "  # " + echo_text(comments[i], 0) + "\n";
    out += "  - name: " + e.exercise + "\n";
    const auto field = [&](std::string_view key, const auto& value) {
      if (value) out += fmt::format("    {}: {}\n", key, detail::format_number(double(*value)));
    };
    field("sets", e.dose.sets);
    field("reps", e.dose.reps);
    field("hold_s", e.dose.hold_s);
    field("effort", e.dose.effort);
    field("load_kg", e.dose.load_kg);
    field("sessions_per_week", e.dose.sessions_per_week);
    out += fmt::format("    from_week: {}\n", e.from_week);
    if (e.to_week > 0) out += fmt::format("    to_week: {}\n", e.to_week);
    if (!e.target.empty()) out += "    target: " + e.target + "\n";
    if (e.foot != "neutral") out += "    foot: " + e.foot + "\n";
    if (e.sides[0] != e.sides[1]) out += std::string("    side: ") + (e.sides[0] ? "right" : "left") + "\n";
    const training::Progression& g = e.progression;
    if (g.effort_per_week > 0 || g.load_kg_per_week > 0 || g.hold_s_per_week > 0 ||
        g.reps_per_week > 0) {
      out += "    progression:\n";
      if (g.effort_per_week > 0)
        out += "      effort_per_week: " + detail::format_number(g.effort_per_week) + "\n";
      if (g.load_kg_per_week > 0)
        out += "      load_kg_per_week: " + detail::format_number(g.load_kg_per_week) + "\n";
      if (g.hold_s_per_week > 0)
        out += "      hold_s_per_week: " + detail::format_number(g.hold_s_per_week) + "\n";
      if (g.reps_per_week > 0) out += fmt::format("      reps_per_week: {}\n", g.reps_per_week);
    }
  }
  return out;
}

nlohmann::json dose_to_json(const training::Dose& d) {
  nlohmann::json dose = nlohmann::json::object();
  if (d.sets) dose["sets"] = *d.sets;
  if (d.reps) dose["reps"] = *d.reps;
  if (d.hold_s) dose["hold_s"] = *d.hold_s;
  if (d.effort) dose["effort"] = *d.effort;
  if (d.load_kg) dose["load_kg"] = *d.load_kg;
  if (d.sessions_per_week) dose["sessions_per_week"] = *d.sessions_per_week;
  return dose;
}

nlohmann::json exercise_library_to_json() {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : training::exercise_library()) {
    const nlohmann::json dose = dose_to_json(e.dose);
    nlohmann::json task;
    const auto& t = e.task;
    if (e.kind == training::ExerciseKind::strength) {
      task = {{"hip_flexion_deg", rad_to_deg(t.hip_flexion_rad)},
              {"knee_flexion_deg", rad_to_deg(t.knee_flexion_rad)},
              {"joint", t.joint}, {"moment", t.moment}, {"mode", to_string(t.mode)},
              {"seconds_per_rep", t.seconds_per_rep}, {"load_at", t.load_at}};
    } else if (!t.stretched.empty()) {
      task = {{"stretched", t.stretched}, {"knee_flexion_deg", rad_to_deg(t.knee_flexion_rad)}};
      if (t.hip_to_tolerance) task["hip_flexion_deg"] = "to_tolerance";
      else task["hip_flexion_deg"] = rad_to_deg(t.hip_flexion_rad);
      if (t.contraction_s > 0.0) {
        task["contraction_effort"] = t.contraction_effort;
        task["contraction_s"] = t.contraction_s;
      }
    }
    list.push_back({{"id", e.id}, {"name", e.name}, {"description", e.description},
                    {"equipment", e.equipment}, {"needs", e.needs}, {"each_side", e.each_side},
                    {"session_minutes", training::session_minutes(e, {})},
                    {"kind", to_string(e.kind)},
                    {"dose", dose}, {"task", task}, {"needs_target", e.needs_target}});
  }
  return {{"schema_version", 1}, {"exercises", list}};
}

nlohmann::json programme_result_to_json(const training::ProgrammeResult& r) {
  const auto number = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); };
  nlohmann::json weeks = nlohmann::json::array();
  for (const auto& w : r.weeks) {
    const auto& t = w.tests;
    nlohmann::json tests, ends;
    // What ended each test, keyed and shaped as `tests`, with the assessment's values
    // (beyond_passive_range: the model's value at a posture the person does not reach).
    const auto end = [&](const assess::TestValue& v) {
      return assess::to_string(t.ok ? v.end : assess::TestEnd::not_computed);
    };
    const auto sided = [&](const char* key, const assess::SidedValue& v) {
      tests[key] = {{"right", number(v[0].value)}, {"left", number(v[1].value)}};
      ends[key] = {{"right", end(v[0])}, {"left", end(v[1])}};
    };
    sided("straight_leg_raise_deg", t.straight_leg_raise_deg);
    sided("passive_knee_extension_deficit_deg", t.passive_knee_extension_deficit_deg);
    sided("active_knee_extension_deficit_deg", t.active_knee_extension_deficit_deg);
    sided("thomas_hip_extension_deg", t.thomas_hip_extension_deg);
    sided("thomas_knee_flexion_deg", t.thomas_knee_flexion_deg);
    sided("knee_flexion_torque_nm_per_kg", t.knee_flexion_torque_nm_per_kg);
    sided("knee_extension_torque_nm_per_kg", t.knee_extension_torque_nm_per_kg);
    sided("hq_ratio", t.hq_ratio);
    sided("nordic_force_n", t.nordic_force_n);
    tests["trunk_extensor_endurance_s"] = number(t.trunk_extensor_endurance_s.value);
    ends["trunk_extensor_endurance_s"] = end(t.trunk_extensor_endurance_s);
    nlohmann::json muscles;
    for (const auto& mu : w.muscles) {
      // The stretch that ends a test at the person's tolerance stretches the long hamstrings.
      const bool hamstring = mu.name.starts_with("semimembranosus") ||
                             mu.name.starts_with("semitendinosus") ||
                             mu.name.starts_with("biceps_femoris_long");
      muscles[mu.name] = {
          {"max_isometric_force_n", mu.max_isometric_force_n},
          {"optimal_fibre_length_m", mu.optimal_fibre_length_m},
          {"passive_stiffness_factor", mu.passive_stiffness_factor},
          {"stretch_tolerance_nm", hamstring ? nlohmann::json(*w.subject.stretch_tolerance.hip_nm)
                                             : nlohmann::json()}};
    }
    nlohmann::json bend;  // null without loads_and_strain
    if (w.loads) {
      bend = {{"peak_pelvis_rotation_deg", w.loads->bend_peak_pelvis_rotation_deg},
              {"peak_lumbar_flexion_deg", w.loads->bend_peak_lumbar_flexion_deg},
              {"peak_l4_l5_pressure_mpa", w.loads->lumbar[3].bend_peak_pressure_mpa},
              {"peak_l5_s1_compression_n", w.loads->lumbar[4].bend_peak_compression_n}};
    }
    nlohmann::json week = {
        {"week", w.week},
        {"tests", tests},
        {"ends", ends},
        {"posture",
         {{"pelvic_tilt_deg", number(t.standing_pelvic_tilt_deg.value)},
          {"lumbar_lordosis_deg", number(t.standing_lumbar_lordosis_deg.value)}}},
        {"bend", bend},
        {"muscles", muscles},
        {"stretch_tolerance_hip_nm", *w.subject.stretch_tolerance.hip_nm},
        {"stretch_tolerance_knee_nm", *w.subject.stretch_tolerance.knee_nm},
        {"hamstring_strain_index", number(w.strain.relative)},
        {"hamstring_strain_head", w.strain.head}};
    weeks.push_back(week);
  }
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : r.programme.entries) entries.push_back(e.exercise);
  nlohmann::json loads = nlohmann::json::array();
  for (const auto& load : r.entry_loads) {
    const auto& entry = r.programme.entries[load.entry];
    const training::Exercise& exercise = *training::find_exercise(entry.exercise);
    const bool strength = exercise.kind == training::ExerciseKind::strength;
    nlohmann::json muscles = nlohmann::json::object();
    for (int k = 0; k < 2; ++k)
      for (const auto& x : training::muscle_loads(load.stimulus, k, training::kListedActivation)) {
        const std::string name =
            std::string(model::kMuscleNames[x.muscle].name) + "_" +
            std::string(model::side_suffix(k == 0 ? model::Side::right : model::Side::left));
        muscles[name] = strength ? nlohmann::json{{"activation", x.activation},
                                                  {"strength_stimulus", x.strength},
                                                  {"fascicle_stimulus", x.fascicle}}
                                 : nlohmann::json{{"passive_tension", x.passive_tension},
                                                  {"stiffness_stimulus", x.stiffness}};
      }
    loads.push_back({{"exercise", entry.exercise},
                     {"entry", load.entry},
                     {"week", load.week},
                     {"effort", strength ? nlohmann::json(load.stimulus.effort) : nlohmann::json()},
                     {"training_activation", load.training_activation},
                     {"stretch_tolerance_stimulus", load.stimulus.tolerance},
                     {"muscles", muscles}});
  }
  // The weekly tests' protocol: the subject file's `tests:` section, the defaults elsewhere.
  const nlohmann::json protocol =
      protocol_settings_to_json(r.weeks.front().tests.settings, r.weeks.front().subject.protocol);
  return {{"schema_version", 1},
          {"pulley_version", std::string(version())},
          {"disclaimer", kResultDisclaimer},
          {"subject", r.weeks.front().subject.name},
          {"programme",
           {{"weeks", r.programme.weeks},
            {"exercises", entries},
            {"missed_weeks", r.programme.missed_weeks}}},
          {"notes", r.notes},
          {"protocol", protocol},
          {"loads_on_findings_factors", r.loads_on_own_subject},
          {"exercise_loads", loads},
          {"weeks", weeks}};
}

}  // namespace pulley::io
