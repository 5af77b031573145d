#include "pulley/training/exercise.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "../io/yaml_fields.hpp"
#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/training/embedded_exercises.hpp"

namespace pulley::training {

const char* to_string(ExerciseKind kind) {
  switch (kind) {
    case ExerciseKind::strength: return "strength";
    case ExerciseKind::stretch: return "stretch";
    case ExerciseKind::contract_relax: return "contract_relax";
    case ExerciseKind::release: return "release";
    case ExerciseKind::rest: return "rest";
  }
  return "unknown";
}

const char* to_string(Contraction mode) {
  switch (mode) {
    case Contraction::concentric_eccentric: return "concentric_eccentric";
    case Contraction::eccentric: return "eccentric";
    case Contraction::concentric: return "concentric";
    case Contraction::isometric: return "isometric";
  }
  return "unknown";
}

Dose with_defaults(const Dose& given, const Dose& defaults) {
  Dose d = defaults;
  if (given.sets) d.sets = given.sets;
  if (given.reps) d.reps = given.reps;
  if (given.hold_s) d.hold_s = given.hold_s;
  if (given.effort) d.effort = given.effort;
  if (given.load_kg) d.load_kg = given.load_kg;
  if (given.sessions_per_week) d.sessions_per_week = given.sessions_per_week;
  return d;
}

bool available_with(const Exercise& exercise, const std::vector<std::string>& equipment) {
  return std::all_of(exercise.needs.begin(), exercise.needs.end(), [&](const auto& need) {
    return std::any_of(need.begin(), need.end(), [&](const std::string& item) {
      return std::find(equipment.begin(), equipment.end(), item) != equipment.end();
    });
  });
}

double session_minutes(const Exercise& exercise, const Dose& given, int sides) {
  // chosen: 90 s between sets, the middle of the 1-2 min the ACSM position stand on resistance
  // training advises for novices (ACSM 2009, Med Sci Sports Exerc 41:687); 10 s to change from
  // one hold or side to the next; a minute to set up each exercise.
  constexpr double kRestBetweenSetsS = 90.0, kChangeS = 10.0, kSetUpS = 60.0;
  const Dose d = with_defaults(given, exercise.dose);
  const int legs = exercise.each_side ? std::clamp(sides, 1, 2) : 1;
  const ExerciseTask& t = exercise.task;
  double seconds = 0.0;
  switch (exercise.kind) {
    case ExerciseKind::strength:
      seconds = legs * *d.sets * *d.reps * t.seconds_per_rep + (*d.sets - 1) * kRestBetweenSetsS;
      break;
    case ExerciseKind::contract_relax:
      seconds = legs * *d.sets * (t.contraction_s + *d.hold_s + kChangeS);
      break;
    case ExerciseKind::stretch:
    case ExerciseKind::release:
      seconds = legs * *d.sets * (*d.hold_s + kChangeS);
      break;
    case ExerciseKind::rest:
      return 0.0;  // rest and ice take no training time
  }
  return (seconds + kSetUpS) / 60.0;
}

namespace {

using io::detail::Entry;
using io::detail::Range;
using io::detail::YamlFields;

constexpr std::string_view kFile = "exercises.yaml";

// The library is Pulley's own data: a fault in it is a build's fault, reported as InputError
// naming the file, line and key so that the library's test finds it.
class LibraryParser : public YamlFields {
 public:
  LibraryParser() : YamlFields(kFile) {}

  std::vector<Exercise> parse(std::string_view text) {
    const YAML::Node root = load_one_document(text, 1024 * 1024, "an exercise library",
                                              "docs/training.md");
    if (!root.IsMap() || !root["exercises"] || !root["exercises"].IsSequence())
      fail(root.Mark(), "exercises", "missing or not a list", "a list of exercises");
    std::vector<Exercise> out;
    std::set<std::string> ids;
    for (const YAML::Node& node : root["exercises"]) {
      Exercise e = parse_exercise(node);
      if (!ids.insert(e.id).second) fail(node.Mark(), "id", "duplicate id " + e.id);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::string text_of(const Entry& entry) const {
    if (!entry.value.IsScalar()) fail(value_mark(entry), entry.path, "not text");
    return entry.value.Scalar();
  }

  // chosen: joint angles from 60 deg of extension to 150 deg of flexion, wider than any joint's
  // range, to catch a wrong sign or unit in the library.
  double angle(const Entry& entry) const {
    return deg_to_rad(parse_number(entry, Range{-60.0, 150.0, "deg"}));
  }

  Exercise parse_exercise(const YAML::Node& node) {
    if (!node.IsMap()) fail(node.Mark(), "exercises", "an entry is not a mapping");
    Exercise e;
    bool has_task = false;
    constexpr std::string_view kKeys =
        "id, name, description, equipment, needs, each_side, kind, dose, task";
    for (const Entry& entry : entries(node, "", kKeys)) {
      if (entry.key == "id") {
        e.id = text_of(entry);
        const bool snake = !e.id.empty() && std::all_of(e.id.begin(), e.id.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
        if (!snake) fail(value_mark(entry), entry.path, "not snake_case: " + e.id);
      } else if (entry.key == "name") {
        e.name = text_of(entry);
      } else if (entry.key == "description") {
        e.description = text_of(entry);
      } else if (entry.key == "equipment") {
        if (!entry.value.IsSequence()) fail(value_mark(entry), entry.path, "not a list");
        for (const auto& item : entry.value) e.equipment.push_back(item.Scalar());
      } else if (entry.key == "needs") {
        e.needs = parse_needs(entry);
      } else if (entry.key == "each_side") {
        e.each_side = one_of(entry, {"true", "false"}) == "true";
      } else if (entry.key == "kind") {
        const std::string kind = text_of(entry);
        bool known = false;
        for (ExerciseKind k : {ExerciseKind::strength, ExerciseKind::stretch,
                               ExerciseKind::contract_relax, ExerciseKind::release,
                               ExerciseKind::rest})
          if (kind == to_string(k)) e.kind = k, known = true;
        if (!known) fail(value_mark(entry), entry.path, "unknown kind " + kind);
      } else if (entry.key == "dose") {
        parse_dose(entry, e.dose);
      } else if (entry.key == "task") {
        parse_task(entry, e);
        has_task = true;
      } else {
        unknown_key(entry, {}, "", kKeys);
      }
    }
    if (e.id.empty() || e.name.empty() || e.description.empty() || !has_task)
      fail(node.Mark(), e.id, "an exercise needs id, name, description and task");
    check_complete(node, e);
    return e;
  }

  // `needs: [[barbell, dumbbells], [bench]]`: each inner list one need, met by any of its items.
  std::vector<std::vector<std::string>> parse_needs(const Entry& entry) const {
    std::string known;
    for (auto id : kEquipment) known += (known.empty() ? "" : ", ") + std::string(id);
    std::vector<std::vector<std::string>> needs;
    if (!entry.value.IsSequence()) fail(value_mark(entry), entry.path, "not a list of lists");
    for (const YAML::Node& need : entry.value) {
      if (!need.IsSequence() || need.size() == 0)
        fail(need.Mark(), entry.path, "a need is a non-empty list of alternatives", known);
      std::vector<std::string> any_of;
      for (const YAML::Node& item : need) {
        const std::string id = item.IsScalar() ? item.Scalar() : "";
        if (std::find(kEquipment.begin(), kEquipment.end(), id) == kEquipment.end())
          fail(item.Mark(), entry.path, "unknown equipment " + id, known);
        any_of.push_back(id);
      }
      needs.push_back(std::move(any_of));
    }
    return needs;
  }

  void parse_dose(const Entry& section, Dose& dose) const {
    if (!section.value.IsMap()) fail(value_mark(section), section.path, "not a mapping");
    for (const Entry& entry : entries(section.value, section.path,
                                      "sets, reps, hold_s, effort, sessions_per_week")) {
      using L = DoseLimits;
      if (entry.key == "sets")
        dose.sets = static_cast<int>(parse_number(entry, Range{1, L::kMaxSets, ""}));
      else if (entry.key == "reps")
        dose.reps = static_cast<int>(parse_number(entry, Range{1, L::kMaxReps, ""}));
      else if (entry.key == "hold_s")
        dose.hold_s = parse_number(entry, Range{L::kMinHoldS, L::kMaxHoldS, "s"});
      else if (entry.key == "effort")
        dose.effort = parse_number(entry, Range{L::kMinEffort, L::kMaxEffort, ""});
      else if (entry.key == "sessions_per_week")
        dose.sessions_per_week = parse_number(entry, Range{1, L::kMaxSessionsPerWeek, ""});
      else
        unknown_key(entry, {}, "", "sets, reps, hold_s, effort, sessions_per_week");
    }
  }

  void parse_task(const Entry& section, Exercise& e) const {
    if (section.value.IsNull()) return;
    if (!section.value.IsMap()) fail(value_mark(section), section.path, "not a mapping");
    constexpr std::string_view kKeys =
        "hip_flexion_deg, knee_flexion_deg, joint, moment, mode, seconds_per_rep, load_at, "
        "one_leg, stretched, contraction_effort, contraction_s, target";
    ExerciseTask& t = e.task;
    for (const Entry& entry : entries(section.value, section.path, kKeys)) {
      const std::string& k = entry.key;
      if (k == "hip_flexion_deg") {
        if (entry.value.IsScalar() && entry.value.Scalar() == "to_tolerance")
          t.hip_to_tolerance = true;
        else
          t.hip_flexion_rad = angle(entry);
      } else if (k == "knee_flexion_deg") {
        t.knee_flexion_rad = angle(entry);
      } else if (k == "joint") {
        t.joint = one_of(entry, {"hip", "knee"});
      } else if (k == "moment") {
        t.moment = one_of(entry, {"flexion", "extension"});
      } else if (k == "mode") {
        const std::string mode = one_of(
            entry, {"concentric_eccentric", "eccentric", "concentric", "isometric"});
        for (Contraction c : {Contraction::concentric_eccentric, Contraction::eccentric,
                              Contraction::concentric, Contraction::isometric})
          if (mode == to_string(c)) t.mode = c;
      } else if (k == "seconds_per_rep") {
        t.seconds_per_rep = parse_number(entry, Range{0.5, 30, "s"});
      } else if (k == "load_at") {
        t.load_at = one_of(entry, {"ankle", "hands", "none"});
      } else if (k == "one_leg") {
        t.one_leg = one_of(entry, {"true", "false"}) == "true";
      } else if (k == "stretched") {
        t.stretched = one_of(entry, {"hamstrings", "quadriceps", "hip_flexors"});
      } else if (k == "contraction_effort") {
        t.contraction_effort = parse_number(entry, Range{0.05, 1, ""});
      } else if (k == "contraction_s") {
        t.contraction_s = parse_number(entry, Range{1, 60, "s"});
      } else if (k == "target") {
        one_of(entry, {"from_programme"});
        e.needs_target = true;
      } else {
        unknown_key(entry, {}, "", kKeys);
      }
    }
  }

  std::string one_of(const Entry& entry, std::initializer_list<std::string_view> allowed) const {
    const std::string value = text_of(entry);
    std::string list;
    for (auto a : allowed) {
      if (value == a) return value;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    fail(value_mark(entry), entry.path, "unknown value " + value, list);
  }

  // Every field the exercise's kind uses is set.
  void check_complete(const YAML::Node& node, const Exercise& e) const {
    const Dose& d = e.dose;
    const ExerciseTask& t = e.task;
    bool ok = d.sessions_per_week.has_value();
    switch (e.kind) {
      case ExerciseKind::strength:
        ok = ok && d.sets && d.reps && d.effort && !t.joint.empty() && !t.moment.empty() &&
             t.seconds_per_rep > 0.0;
        break;
      case ExerciseKind::contract_relax:
        ok = ok && t.contraction_effort > 0.0 && t.contraction_s > 0.0;
        [[fallthrough]];
      case ExerciseKind::stretch:
        ok = ok && d.sets && d.hold_s && !t.stretched.empty();
        break;
      case ExerciseKind::release:
        ok = ok && d.sets && d.hold_s && e.needs_target;
        break;
      case ExerciseKind::rest:
        break;
    }
    if (!ok) fail(node.Mark(), e.id, "the dose or task lacks a field its kind needs");
  }
};

struct Library {
  std::string text;
  std::vector<Exercise> exercises;
};

const Library& library() {
  static const Library lib = [] {
    Library l;
    for (const auto& f : embedded_exercise_files())
      if (f.name == kFile) l.text = std::string(f.content);
    PULLEY_DEMAND(!l.text.empty(), "the exercise library is compiled in");
    l.exercises = LibraryParser().parse(l.text);
    return l;
  }();
  return lib;
}

}  // namespace

const std::vector<Exercise>& exercise_library() { return library().exercises; }

const Exercise* find_exercise(const std::string& id) {
  for (const auto& e : exercise_library())
    if (e.id == id) return &e;
  return nullptr;
}

const std::string& exercise_library_text() { return library().text; }

}  // namespace pulley::training
