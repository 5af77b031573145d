#include "pulley/training/programme.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "../assess/test_mechanics.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/words.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/muscle_names.hpp"

namespace pulley::training {

using model::Side;

namespace {

// The days of a week (0-6) on which `sessions` sessions fall, spread evenly; two a day beyond 7.
std::vector<int> session_days(int sessions) {
  std::vector<int> days;
  for (int j = 0; j < sessions; ++j) days.push_back((j % 7) * 7 / std::min(sessions, 7));
  return days;
}

// The subject with the state's factors on its own.
model::Subject adapted_subject(const model::Subject& base, const AdaptationState& s) {
  using L = model::SubjectLimits;
  model::Subject out = base;
  out.muscles.clear();
  for (int m = 0; m < kNumMuscles; ++m) {
    const auto& name = model::kMuscleNames[m];
    model::MuscleAdjustment adj;
    adj.target = std::string(name.name);
    for (Side side : model::kSides) {
      const int k = model::side_index(side);
      const auto f = model::resolve_factors(base, name.name, name.group, side);
      model::MuscleFactors& out_f = side == Side::right ? adj.right : adj.left;
      out_f.strength = std::clamp(f.strength * s.strength(k, m), L::kStrengthMin, L::kStrengthMax);
      out_f.length = f.length;
      out_f.stiffness =
          std::clamp(f.stiffness * s.stiffness[k][m], L::kStiffnessMin, L::kStiffnessMax);
      out_f.capacity = std::clamp(s.capacity[k][m], L::kCapacityMin, L::kCapacityMax);
      out_f.fascicle_length = std::clamp(f.fascicle_length * s.fascicle_length[k][m],
                                         L::kFascicleLengthMin, L::kFascicleLengthMax);
    }
    out.muscles.push_back(adj);
  }
  const auto scaled = [&](std::optional<double> given, double default_nm) {
    return std::clamp(given.value_or(default_nm) * s.stretch_tolerance,
                      L::kStretchToleranceMinNm, L::kStretchToleranceMaxNm);
  };
  out.stretch_tolerance.hip_nm =
      scaled(base.stretch_tolerance.hip_nm, assess::kDefaultHipStretchToleranceNm);
  out.stretch_tolerance.knee_nm =
      scaled(base.stretch_tolerance.knee_nm, assess::kDefaultKneeStretchToleranceNm);
  return out;
}

// What the prone trunk hold (tasks::trunk_extensor_endurance_time) depends on: every unit that
// crosses the lumbar spine, and standing's pelvis and trunk, from which the hold's posture is
// turned face down. Its time is carried to a week whose inputs are these within the tolerance.
struct TrunkHoldInputs {
  std::vector<muscle::MusculotendonParameters> lumbar_units;
  std::vector<double> lumbar_capacity;
  double pelvic_tilt_deg = 0.0, lumbar_lordosis_deg = 0.0, trunk_inclination_deg = 0.0;
  assess::TestValue endurance;
};

// Standing's pelvis, lordosis and trunk may move this far and the hold's time is carried (deg).
// chosen: on the S4 subject the hold's time moves about 4 s per deg of standing pelvic tilt, so
// the time carried stays within 2 s of holding again every week (the hold's own step is 1 s;
// tests/unit/training/training_test.cpp, WeeksFromTheLastMatchWeeksFromScratch).
constexpr double kTrunkHoldShapeToleranceDeg = 0.5;

TrunkHoldInputs trunk_hold_inputs(const model::Model& model, const assess::ClinicalTestResults& t) {
  TrunkHoldInputs in;
  const std::vector<int> lumbar(model.coord.lumbar.begin(), model.coord.lumbar.end());
  for (const int i : assess::detail::units_crossing(model, lumbar)) {
    in.lumbar_units.push_back(model.units[i].params);
    in.lumbar_capacity.push_back(model.units[i].capacity);
  }
  in.pelvic_tilt_deg = t.standing.posture.pelvic_tilt_deg;
  in.lumbar_lordosis_deg = t.standing.posture.lumbar_lordosis_deg;
  in.trunk_inclination_deg = t.standing.posture.trunk_inclination_deg;
  in.endurance = t.trunk_extensor_endurance_s;
  return in;
}

bool same_trunk_hold(const TrunkHoldInputs& a, const TrunkHoldInputs& b) {
  const auto near = [](double x, double y) {
    return std::abs(x - y) <= kTrunkHoldShapeToleranceDeg;
  };
  return a.lumbar_units == b.lumbar_units && a.lumbar_capacity == b.lumbar_capacity &&
         near(a.pelvic_tilt_deg, b.pelvic_tilt_deg) &&
         near(a.lumbar_lordosis_deg, b.lumbar_lordosis_deg) &&
         near(a.trunk_inclination_deg, b.trunk_inclination_deg);
}

// The typical subject the strain index is relative to, standing; its run is the same every
// week, so its strain indices are kept once found.
struct TypicalSubject {
  model::Model model;
  tasks::StandingResult standing;
  std::vector<double> strain_index;
};

// The week's outputs on `model`, the model of w.subject. The searches start from `previous`
// (last week's results) when given; the trunk hold's time is carried from `*last_hold` when its
// inputs are unchanged, and `*last_hold` updated when the trunk is held again. `typical` is
// needed (and given) only when the settings ask for loads and strain; the bend, the run and the
// loads are simulated on `loads_model` when given (simulate_programme's loads_subject, adapted
// as w.subject), else on `model`.
void evaluate_week(WeekResult& w, const model::Model& model, TypicalSubject* typical,
                   const ProgrammeSettings& settings, const WeekResult* previous,
                   std::optional<TrunkHoldInputs>& last_hold, const model::Model* loads_model) {
  for (const auto& mu : model.muscles) {
    MuscleParameters p{mu.name, 0.0, 0.0, 1.0};
    const auto& first = model.units[mu.units.front()].params;
    for (int u : mu.units) p.max_isometric_force_n += model.units[u].params.F_M_max;
    p.optimal_fibre_length_m = first.l_M_opt;
    p.passive_stiffness_factor = first.passive_scale;
    w.muscles.push_back(std::move(p));
  }
  assess::NearbyResults nearby;
  if (previous && settings.incremental) nearby.results = &previous->tests;
  // The hold's time is carried only if standing's pelvis and trunk turn out as they were: the
  // tests run with it, and again without it when they do not.
  if (last_hold && settings.incremental)
    nearby.trunk_extensor_endurance_s = last_hold->endurance;
  // The weekly tests are those the programme reports (no concentric test: no conventional H:Q).
  assess::ClinicalTestSettings test_settings = assess::clinical_test_settings(model.subject);
  test_settings.isokinetic_test = false;
  w.tests = assess::run_clinical_tests(model, test_settings, nearby);
  if (w.tests.ok && nearby.trunk_extensor_endurance_s) {
    TrunkHoldInputs now = trunk_hold_inputs(model, w.tests);
    w.trunk_hold_carried = same_trunk_hold(now, *last_hold);
    if (!w.trunk_hold_carried) {
      w.tests.trunk_extensor_endurance_s =
          assess::trunk_extensor_endurance(model, w.tests.standing, w.tests.settings);
      now.endurance = w.tests.trunk_extensor_endurance_s;
      last_hold = std::move(now);
    }
  } else if (w.tests.ok && settings.incremental) {
    last_hold = trunk_hold_inputs(model, w.tests);
  }
  if (!settings.loads_and_strain || !w.tests.ok) return;
  // As the assessment's findings form them.
  const assess::FindingsSettings findings;
  PULLEY_DEMAND(typical, "evaluate_week: loads and strain need the typical subject");
  std::optional<tasks::StandingResult> own_standing;
  if (loads_model) own_standing.emplace(tasks::solve_standing(*loads_model));
  const model::Model& simulated = loads_model ? *loads_model : model;
  const tasks::StandingResult& standing = own_standing ? *own_standing : w.tests.standing;
  // A week whose bend cannot be simulated (its subject does not stand) has no loads or strain:
  // reported as not computed, not as zeros.
  const tasks::TaskResult bend = assess::run_bend(simulated, standing, findings);
  if (bend.frames.empty()) return;
  w.loads = assess::body_loads(simulated, standing, bend);
  w.strain = assess::hamstring_strain(simulated, standing, typical->model, typical->standing,
                                      findings, &typical->strain_index);
}

}  // namespace

double entry_minutes_per_week(const ProgrammeEntry& e) {
  return entry_minutes_in_week(e, e.from_week);
}

double entry_minutes_in_week(const ProgrammeEntry& e, int week) {
  const Exercise& x = *find_exercise(e.exercise);
  const int sides = int(e.sides[0]) + int(e.sides[1]);
  const Dose d = dose_in_week(e, x, week);
  return session_minutes(x, d, sides) * *d.sessions_per_week;
}

Dose dose_in_week(const ProgrammeEntry& entry, const Exercise& exercise, int week) {
  using L = DoseLimits;
  Dose d = with_defaults(entry.dose, exercise.dose);
  const int n = week - entry.from_week;  // weeks of progression
  const Progression& p = entry.progression;
  if (n > 0) {
    if (d.effort) d.effort = std::min(L::kMaxEffort, *d.effort + n * p.effort_per_week);
    if (d.reps) d.reps = std::min(L::kMaxReps, *d.reps + n * p.reps_per_week);
    if (d.hold_s) d.hold_s = std::min(L::kMaxHoldS, *d.hold_s + n * p.hold_s_per_week);
    if (p.load_kg_per_week > 0.0)
      d.load_kg = std::min(L::kMaxLoadKg, d.load_kg.value_or(0.0) + n * p.load_kg_per_week);
  }
  return d;
}

int last_week(const ProgrammeEntry& entry, int weeks) {
  return entry.to_week > 0 ? entry.to_week : weeks;
}

bool trains_in_week(const ProgrammeEntry& entry, const Programme& programme, int week) {
  return week >= entry.from_week && week <= last_week(entry, programme.weeks) &&
         std::find(programme.missed_weeks.begin(), programme.missed_weeks.end(), week) ==
             programme.missed_weeks.end();
}

std::string ProgrammeProblem::path() const {
  if (!entry) return key;
  return fmt::format("exercises[{}]{}{}", *entry, key.empty() ? "" : ".", key);
}

std::vector<std::string> progression_keys(const Exercise& x) {
  switch (x.kind) {
    case ExerciseKind::strength:
      if (x.task.load_at == "none") return {"effort_per_week", "reps_per_week"};
      return {"effort_per_week", "reps_per_week", "load_kg_per_week"};
    case ExerciseKind::stretch:
    case ExerciseKind::contract_relax:
    case ExerciseKind::release:
      return {"hold_s_per_week"};
    case ExerciseKind::rest:
      return {};
  }
  return {};
}

std::optional<ProgrammeProblem> progression_key_problem(std::size_t index,
                                                        const ProgrammeEntry& entry,
                                                        std::string_view key) {
  const std::vector<std::string> keys = progression_keys(*find_exercise(entry.exercise));
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return std::nullopt;
  return ProgrammeProblem{
      index, "progression." + std::string(key), fmt::format("{} takes no {}", entry.exercise, key),
      keys.empty() ? std::string("no progression") : fmt::format("{}", fmt::join(keys, ", "))};
}

std::optional<ProgrammeProblem> find_programme_problem(const Programme& p) {
  if (p.weeks < 1 || p.weeks > ProgrammeLimits::kMaxWeeks)
    return ProgrammeProblem{std::nullopt, "weeks", fmt::format("{} is out of range", p.weeks),
                            fmt::format("1 to {} (5 years)", ProgrammeLimits::kMaxWeeks)};
  if (p.entries.empty())
    return ProgrammeProblem{std::nullopt, "exercises", "the list is empty",
                            "at least one exercise"};
  const std::string groups = fmt::format("{}", fmt::join(model::kMuscleGroups, ", "));
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    const ProgrammeEntry& e = p.entries[i];
    const auto problem = [&](std::string key, std::string what, std::string allowed = {}) {
      return ProgrammeProblem{i, std::move(key), std::move(what), std::move(allowed)};
    };
    const Exercise* x = find_exercise(e.exercise);
    if (!x)
      return problem("name", fmt::format("'{}' is not an exercise of the library", e.exercise),
                     "the ids pulley exercises lists");
    const int last = last_week(e, p.weeks);
    if (e.from_week < 1 || e.from_week > p.weeks || last < e.from_week || last > p.weeks)
      // The key to change: to_week when it is given and out of place, else from_week.
      return problem(
          e.to_week > 0 && (last > p.weeks || last < e.from_week) ? "to_week" : "from_week",
          fmt::format("{} runs weeks {} to {}, which do not fit", e.exercise, e.from_week, last),
          fmt::format("1 <= from_week <= to_week <= weeks ({})", p.weeks));
    if (x->needs_target && e.target.empty())
      return problem(
          "target",
          fmt::format("missing required key: {} needs the muscle group it works on", e.exercise),
          groups);
    if (x->needs_target && !model::is_group(e.target))
      return problem("target", fmt::format("'{}' is not a muscle group", e.target), groups);
    if (!x->needs_target && !e.target.empty())
      return problem("target", fmt::format("{} takes no target", e.exercise),
                     "no target key (only foam_rolling takes one)");
    // A dose field the exercise's kind does not use would be ignored without a word; so would a
    // load on an exercise without a load point.
    const bool strength = x->kind == ExerciseKind::strength, rest = x->kind == ExerciseKind::rest;
    const bool loaded = strength && x->task.load_at != "none";  // it has a load point
    const std::string dosed_by =
        strength ? fmt::format("sets, reps and effort ({:g} to {:g}){}", DoseLimits::kMinEffort,
                               DoseLimits::kMaxEffort, loaded ? " or load_kg" : "")
        : rest   ? "sessions_per_week only"
                 : "sets and hold_s";
    for (const auto& [field, given, used] :
         {std::tuple{"load_kg", e.dose.load_kg.has_value(), loaded},
          std::tuple{"sets", e.dose.sets.has_value(), !rest},
          std::tuple{"reps", e.dose.reps.has_value(), strength},
          std::tuple{"effort", e.dose.effort.has_value(), strength},
          std::tuple{"hold_s", e.dose.hold_s.has_value(), !strength && !rest}})
      if (given && !used)
        return problem(field, fmt::format("{} takes no {}", e.exercise, field), dosed_by);
    if (e.foot != "neutral" && x->kind != ExerciseKind::contract_relax)
      return problem("foot", fmt::format("{} takes no foot position", e.exercise),
                     "no foot key (only contract_relax_hamstring_stretch takes one)");
    // A progression of a dose field the exercise does not use, likewise.
    for (const auto& [key, value] :
         {std::pair{"effort_per_week", e.progression.effort_per_week},
          std::pair{"reps_per_week", double(e.progression.reps_per_week)},
          std::pair{"hold_s_per_week", e.progression.hold_s_per_week},
          std::pair{"load_kg_per_week", e.progression.load_kg_per_week}})
      if (value != 0.0)
        if (auto unused = progression_key_problem(i, e, key)) return unused;
  }
  if (const BusiestWeek b = busiest_week(p);
      b.sessions > ProgrammeLimits::kMaxTotalSessionsPerWeek) {
    // The entry whose sessions take the busiest week past the limit, in file order.
    double total = 0.0, sessions = 0.0;
    std::size_t past = 0;
    for (std::size_t i = 0; i < p.entries.size(); ++i) {
      const ProgrammeEntry& e = p.entries[i];
      if (b.week < e.from_week || b.week > last_week(e, p.weeks)) continue;
      sessions =
          e.dose.sessions_per_week.value_or(*find_exercise(e.exercise)->dose.sessions_per_week);
      total += sessions;
      if (total > ProgrammeLimits::kMaxTotalSessionsPerWeek) {
        past = i;
        break;
      }
    }
    return ProgrammeProblem{
        past, "sessions_per_week",
        fmt::format("week {} holds {:g} sessions of all exercises together; this entry's {:g} "
                    "take it past the limit",
                    b.week, b.sessions, sessions),
        fmt::format("at most {:g} a week (four a day)", ProgrammeLimits::kMaxTotalSessionsPerWeek)};
  }
  return std::nullopt;
}

void check_programme(const Programme& p) {
  if (const auto problem = find_programme_problem(p))
    throw InputError(fmt::format("programme: key '{}': {}; allowed: {}", problem->path(),
                                 problem->what, problem->allowed));
}

BusiestWeek busiest_week(const Programme& p) {
  BusiestWeek busiest;
  for (int week = 1; week <= p.weeks; ++week) {
    double total = 0.0;
    for (const auto& e : p.entries)
      if (week >= e.from_week && week <= last_week(e, p.weeks))
        total += e.dose.sessions_per_week.value_or(*find_exercise(e.exercise)->dose.sessions_per_week);
    if (total > busiest.sessions) busiest = {week, total};
  }
  return busiest;
}

namespace {

// The first week `entry` has sessions in `programme` (trains_in_week), 0 if none.
int first_session_week(const ProgrammeEntry& entry, const Programme& programme) {
  for (int week = entry.from_week; week <= last_week(entry, programme.weeks); ++week)
    if (trains_in_week(entry, programme, week)) return week;
  return 0;
}

// simulate_programme; without `outputs` the weeks' outputs are left out (ProgrammeResult::weeks
// stays empty) and the days adapt only until the last entry's first session, which the
// entry_loads need.
ProgrammeResult run_programme(const model::Subject& subject, const Programme& programme,
                              const ProgrammeSettings& settings, bool outputs,
                              const model::Subject* loads_subject = nullptr) {
  check_programme(programme);
  if (loads_subject)
    PULLEY_DEMAND(loads_subject->sex == subject.sex &&
                      loads_subject->age_years == subject.age_years &&
                      loads_subject->height_m == subject.height_m &&
                      loads_subject->mass_kg == subject.mass_kg,
                  "simulate_programme: the loads subject is the same person as the subject");
  ProgrammeResult out;
  out.programme = programme;
  out.loads_on_own_subject = loads_subject && outputs && settings.loads_and_strain;
  out.adaptation = settings.adaptation;
  int weeks = programme.weeks;
  if (!outputs) {
    weeks = 0;
    for (const ProgrammeEntry& entry : programme.entries)
      weeks = std::max(weeks, first_session_week(entry, programme));
  }
  std::optional<TypicalSubject> typical;
  if (outputs && settings.loads_and_strain) {
    model::Model m = model::compile_model(assess::typical_subject(subject));
    tasks::StandingResult standing = tasks::solve_standing(m);
    typical.emplace(TypicalSubject{std::move(m), std::move(standing), {}});
  }
  TypicalSubject* typical_run = typical ? &*typical : nullptr;
  AdaptationState state;
  for (int m = 0; m < kNumMuscles; ++m)
    for (Side side : model::kSides)
      state.capacity[model::side_index(side)][m] =
          model::resolve_factors(subject, model::kMuscleNames[m].name,
                                 model::kMuscleNames[m].group, side)
              .capacity;
  std::vector<TrainingDay> days(static_cast<std::size_t>(programme.weeks) * 7);
  // The week's subject and model (compiled once: the week's outputs at its end, the next
  // week's stimuli).
  WeekResult w0;
  w0.subject = adapted_subject(subject, state);
  w0.state = state;
  model::Model model = model::compile_model(w0.subject);
  // The bend, the run and the loads on the loads subject, adapted as the subject is.
  std::optional<model::Model> loads_model;
  if (out.loads_on_own_subject)
    loads_model.emplace(model::compile_model(adapted_subject(*loads_subject, state)));
  const model::Model* loads_run = loads_model ? &*loads_model : nullptr;
  std::optional<TrunkHoldInputs> last_hold;
  if (outputs) {
    evaluate_week(w0, model, typical_run, settings, nullptr, last_hold, loads_run);
    out.weeks.push_back(std::move(w0));
  }
  std::vector<const TrainingDay*> recent;
  // The last straight-leg raise a stretch was held at, per side: where the next one's search
  // starts (the tolerance moves a few degrees a week).
  using RaiseHints = std::array<std::optional<double>, 2>;
  RaiseHints raise_near_deg;
  for (int week = 1; week <= weeks; ++week) {
    for (const ProgrammeEntry& entry : programme.entries) {
      if (!trains_in_week(entry, programme, week)) continue;
      const Exercise& exercise = *find_exercise(entry.exercise);
      const Dose dose = dose_in_week(entry, exercise, week);
      const SessionStimulus s =
          session_stimulus(model, exercise, dose, entry.target, entry.sides, entry.foot,
                           settings.incremental ? raise_near_deg : RaiseHints{},
                           settings.adaptation);
      for (int k = 0; k < 2; ++k)
        if (s.tolerance_raise_deg[k]) raise_near_deg[k] = s.tolerance_raise_deg[k];
      const auto index = static_cast<std::size_t>(&entry - programme.entries.data());
      if (std::none_of(out.entry_loads.begin(), out.entry_loads.end(),
                       [&](const EntryLoad& x) { return x.entry == index; }))
        out.entry_loads.push_back({index, week, s, settings.adaptation.intensity_threshold});
      const int sessions = static_cast<int>(std::lround(*dose.sessions_per_week));
      for (int day : session_days(sessions))
        days[static_cast<std::size_t>((week - 1) * 7 + day)].sessions.push_back(s);
      // An injured muscle (capacity below 0.9) loaded by a strength exercise this week.
      if (exercise.kind == ExerciseKind::strength)
        for (int k = 0; k < 2; ++k)
          for (int m = 0; m < kNumMuscles; ++m)
            if (state.capacity[k][m] < 0.9 && s.activation[k][m] > 0.3) {
              out.notes.push_back(fmt::format(
                  "week {}: the {} loads the {} {} ({:.0f} % activation) while its capacity is "
                  "{:.2f}",
                  week, exercise.name, model::side_name(model::kSides[k]),
                  muscle_words(model::kMuscleNames[m].name), 100.0 * s.activation[k][m],
                  state.capacity[k][m]));
              out.injured_loads.push_back(
                  {week, index, k, m, s.activation[k][m], state.capacity[k][m]});
            }
    }
    if (!outputs && week == weeks) break;  // every first session found
    for (int day = 0; day < 7; ++day) {
      const int today = (week - 1) * 7 + day;
      recent.clear();
      for (int d = std::max(0, today - 6); d <= today; ++d)
        recent.push_back(&days[static_cast<std::size_t>(d)]);
      advance_day(state, recent, settings.adaptation);
    }
    WeekResult w;
    w.week = week;
    w.subject = adapted_subject(subject, state);
    w.state = state;
    const auto update = [&](model::Model& m, const model::Subject& adapted) {
      if (settings.incremental) {
        // adapted_subject changes only the muscles' factors and the stretch tolerances.
        model::set_subject_factors(m, adapted);
        m.subject = adapted;
      } else {
        m = model::compile_model(adapted);
      }
    };
    update(model, w.subject);
    if (!outputs) continue;
    if (loads_model) update(*loads_model, adapted_subject(*loads_subject, state));
    evaluate_week(w, model, typical_run, settings, &out.weeks.back(), last_hold, loads_run);
    out.weeks.push_back(std::move(w));
  }
  return out;
}

}  // namespace

ProgrammeResult simulate_programme(const model::Subject& subject, const Programme& programme,
                                   const ProgrammeSettings& settings,
                                   const model::Subject* loads_subject) {
  return run_programme(subject, programme, settings, true, loads_subject);
}

std::vector<EntryLoad> first_session_loads(const model::Subject& subject,
                                           const Programme& programme,
                                           const ProgrammeSettings& settings) {
  return run_programme(subject, programme, settings, false).entry_loads;
}

namespace {
// What sets an entry apart from others of its exercise: " (foot in)", " (quadriceps)"; the target
// as the programme file gives it or in words.
std::string entry_qualifiers(const ProgrammeEntry& entry, bool target_in_words) {
  return (entry.foot != "neutral" ? " (foot " + entry.foot + ")" : "") +
         (entry.target.empty()
              ? ""
              : " (" + (target_in_words ? words(entry.target) : entry.target) + ")");
}
}  // namespace

std::string entry_label(const ProgrammeEntry& entry) {
  return entry.exercise + entry_qualifiers(entry, false);
}

std::string entry_name(const ProgrammeEntry& entry) {
  return find_exercise(entry.exercise)->name + entry_qualifiers(entry, true);
}

std::string dose_text(const ProgrammeEntry& e, int weeks) {
  const Exercise& x = *find_exercise(e.exercise);
  if (x.kind == ExerciseKind::rest) return "daily";
  const int last = std::max(e.from_week, last_week(e, weeks));
  const Dose d = dose_in_week(e, x, e.from_week), end = dose_in_week(e, x, last);
  // " (+2 reps a week)" for a field that grows from `first` by `per_week` to `at_end` in the
  // last week, with the week its limit stops it where one does.
  const auto growth = [&](double per_week, double first, double at_end, double limit,
                          const char* unit) {
    if (!(per_week > 0.0)) return std::string();
    std::string text = fmt::format(" (+{:g}{} a week", per_week, unit);
    if (at_end < first + (last - e.from_week) * per_week - 1e-9) {
      const int from = e.from_week + static_cast<int>(std::ceil((limit - first) / per_week - 1e-9));
      text += fmt::format(", at most {:g}{} from week {}", limit, unit, from);
    }
    return text + ")";
  };
  const Progression& p = e.progression;
  if (x.kind != ExerciseKind::strength)
    return fmt::format(
        "{} x {:g} s{}", *d.sets, *d.hold_s,
        growth(p.hold_s_per_week, *d.hold_s, *end.hold_s, DoseLimits::kMaxHoldS, " s"));
  std::string text = fmt::format(
      "{} x {}{}, effort {:.2g}{}", *d.sets, *d.reps,
      growth(p.reps_per_week, *d.reps, *end.reps, DoseLimits::kMaxReps, " reps"), *d.effort,
      growth(p.effort_per_week, *d.effort, *end.effort, DoseLimits::kMaxEffort, ""));
  if (d.load_kg || p.load_kg_per_week > 0.0)
    text += fmt::format(" plus {:g} kg{}", d.load_kg.value_or(0.0),
                        growth(p.load_kg_per_week, d.load_kg.value_or(0.0),
                               end.load_kg.value_or(0.0), DoseLimits::kMaxLoadKg, " kg"));
  return text;
}

std::string one_leg_text(const ProgrammeEntry& e) {
  if (e.sides[0] == e.sides[1]) return "";
  return e.sides[0] ? ", right leg" : ", left leg";
}

std::string minutes_text(const ProgrammeEntry& e, int weeks) {
  // The progressions only add, so the first week is the shortest and the last the longest.
  const std::string first = fmt::format("{:.0f}", entry_minutes_in_week(e, e.from_week));
  const std::string last =
      fmt::format("{:.0f}", entry_minutes_in_week(e, std::max(e.from_week, last_week(e, weeks))));
  return first == last ? first : first + "-" + last;
}

int described_side(const ProgrammeEntry& entry) { return entry.sides[0] ? 0 : 1; }

std::string describe_load(const EntryLoad& load, const Exercise& exercise, int k) {
  const auto name = [](const MuscleLoad& x) {
    return muscle_words(model::kMuscleNames[x.muscle].name);
  };
  const auto percent = [](double share) {
    return share > 0.0 && share < 0.01 ? std::string("<1 %")
                                       : fmt::format("{:.0f} %", 100.0 * share);
  };
  if (exercise.kind == ExerciseKind::rest) return "no load (relative rest)";
  const std::vector<MuscleLoad> loads = muscle_loads(load.stimulus, k, kListedActivation);
  if (exercise.kind == ExerciseKind::release) {
    // Rolling acts on the rolled group's stiffness, not through a stretch's tension.
    std::vector<std::string> released;
    for (const auto& x : loads)
      if (x.stiffness > 0.0) released.push_back(fmt::format("{} ({:.2f})", name(x), x.stiffness));
    return released.empty()
               ? "releases no muscle"
               : fmt::format("releases {} (stiffness stimulus)", fmt::join(released, ", "));
  }
  if (exercise.kind != ExerciseKind::strength) {
    std::vector<std::string> tensed;
    for (const auto& x : loads)
      if (x.passive_tension > 0.0)
        tensed.push_back(fmt::format("{} ({})", name(x), percent(x.passive_tension)));
    std::string text = tensed.empty() ? "tensions no muscle"
                                      : fmt::format("stretches {} (passive tension over "
                                                    "maximal force)",
                                                    fmt::join(tensed, ", "));
    if (load.stimulus.tolerance > 0.0) text += "; trains the hamstrings' stretch tolerance";
    return text;
  }
  std::vector<std::string> trained, below;
  for (const auto& x : loads)
    (x.strength > 0.0 ? trained : below)
        .push_back(fmt::format("{} ({})", name(x), percent(x.activation)));
  std::string text = trained.empty() ? "trains no muscle"
                                     : fmt::format("trains {}", fmt::join(trained, ", "));
  if (!below.empty())
    text += fmt::format("; works below the {} that trains: {}", percent(load.training_activation),
                        fmt::join(below, ", "));
  return text + " (activation at the key posture)";
}

namespace {

// A trajectory with its description and no values yet.
Trajectory trajectory(std::string id, std::string label, std::string unit, int decimals,
                      bool higher_is_better) {
  Trajectory t;
  t.id = std::move(id);
  t.label = std::move(label);
  t.unit = std::move(unit);
  t.decimals = decimals;
  t.higher_is_better = higher_is_better;
  return t;
}

}  // namespace

std::vector<Trajectory> key_trajectories(const ProgrammeResult& r) {
  using assess::test_decimals;
  using assess::test_label;
  using assess::test_unit;
  using model::MeasuredTest;
  std::vector<Trajectory> out;
  const auto test = [&](MeasuredTest t, bool higher_is_better) {
    Trajectory x = trajectory(std::string(model::to_string(t)), test_label(t), test_unit(t),
                              test_decimals(t), higher_is_better);
    for (const auto& w : r.weeks)
      for (Side side : model::kSides) {
        const assess::TestValue v = assess::test_result(w.tests, t, side);
        const bool right = side == Side::right;
        (right ? x.right : x.left).push_back(v.value);
        (right ? x.right_end : x.left_end).push_back(v.end);
      }
    out.push_back(std::move(x));
  };
  test(MeasuredTest::straight_leg_raise_deg, true);
  test(MeasuredTest::active_knee_extension_deficit_deg, false);
  test(MeasuredTest::thomas_hip_extension_deg, true);
  test(MeasuredTest::knee_flexion_torque_nm_per_kg, true);
  test(MeasuredTest::knee_extension_torque_nm_per_kg, true);
  test(MeasuredTest::hq_ratio, true);
  test(MeasuredTest::nordic_force_n, true);
  Trajectory fascicle =
      trajectory(kFascicleLengthTrajectory, "BF long head fascicle length change", "%", 1, true);
  constexpr int bflh = muscle_index("biceps_femoris_long");
  for (const auto& w : r.weeks)
    for (int k = 0; k < 2; ++k)
      (k == 0 ? fascicle.right : fascicle.left)
          .push_back(100.0 * (w.state.fascicle_length[k][bflh] /
                                  r.weeks.front().state.fascicle_length[k][bflh] -
                              1.0));
  out.push_back(std::move(fascicle));
  if (!r.weeks.front().loads) return out;
  Trajectory lumbar =
      trajectory(kBendLumbarFlexionTrajectory, "lumbar flexion at the toe-touch", "deg", 1, false);
  Trajectory pressure = trajectory("bend.peak_l4_l5_pressure_mpa",
                                   "L4-L5 disc pressure in the toe-touch", "MPa", 2, false);
  Trajectory strain = trajectory("hamstring_strain_index",
                                 "hamstring strain index, relative to typical", "", 2, false);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& w : r.weeks) {
    lumbar.right.push_back(w.loads ? w.loads->bend_peak_lumbar_flexion_deg : nan);
    pressure.right.push_back(w.loads ? w.loads->lumbar[3].bend_peak_pressure_mpa : nan);
    strain.right.push_back(w.strain.relative);
  }
  out.push_back(std::move(lumbar));
  out.push_back(std::move(pressure));
  out.push_back(std::move(strain));
  return out;
}

namespace {

// "week 1", "weeks 1-3", "weeks 1, 3 and 5" (ascending, distinct).
std::string weeks_words(const std::vector<int>& weeks) {
  if (weeks.size() == 1) return fmt::format("week {}", weeks.front());
  if (weeks.back() - weeks.front() + 1 == static_cast<int>(weeks.size()))
    return fmt::format("weeks {}-{}", weeks.front(), weeks.back());
  std::vector<std::string> each;
  for (int w : weeks) each.push_back(std::to_string(w));
  return "weeks " + and_list(each);
}

}  // namespace

std::string injured_load_caution(const ProgrammeResult& r) {
  // Per muscle and side, in the order of their first load: the capacity then, the weeks and the
  // exercises.
  struct Loaded {
    int side, muscle;
    double capacity;
    std::vector<int> weeks;
    std::vector<std::string> exercises;
  };
  std::vector<Loaded> loaded;
  for (const InjuredLoad& x : r.injured_loads) {
    auto it = std::find_if(loaded.begin(), loaded.end(), [&](const Loaded& l) {
      return l.side == x.side && l.muscle == x.muscle;
    });
    if (it == loaded.end())
      it = loaded.insert(loaded.end(), {x.side, x.muscle, x.capacity, {}, {}});
    if (std::find(it->weeks.begin(), it->weeks.end(), x.week) == it->weeks.end())
      it->weeks.push_back(x.week);
    const std::string name = "the " + find_exercise(r.programme.entries[x.entry].exercise)->name;
    if (std::find(it->exercises.begin(), it->exercises.end(), name) == it->exercises.end())
      it->exercises.push_back(name);
  }
  if (loaded.empty()) return "";
  // The most injured first.
  std::stable_sort(loaded.begin(), loaded.end(),
                   [](const Loaded& a, const Loaded& b) { return a.capacity < b.capacity; });
  // Muscles loaded in the same weeks by the same exercises share a clause.
  std::vector<std::pair<std::string, std::vector<std::string>>> clauses;  // (when and by, muscles)
  for (Loaded& l : loaded) {
    std::sort(l.weeks.begin(), l.weeks.end());
    const std::string when =
        fmt::format("in {}, by {}", weeks_words(l.weeks), and_list(l.exercises));
    const std::string muscle =
        fmt::format("the {} {} (capacity {:.2f})", model::side_name(model::kSides[l.side]),
                    muscle_words(model::kMuscleNames[l.muscle].name), l.capacity);
    auto it = std::find_if(clauses.begin(), clauses.end(),
                           [&](const auto& c) { return c.first == when; });
    if (it == clauses.end())
      clauses.push_back({when, {muscle}});
    else
      it->second.push_back(muscle);
  }
  std::vector<std::string> parts;
  for (const auto& [when, muscles] : clauses) parts.push_back(and_list(muscles) + " " + when);
  return fmt::format(
      "Caution: this programme loads injured muscles before they have recovered: {} "
      "(capacity 1 is an uninjured muscle; the notes give each load).",
      fmt::join(parts, "; "));
}

std::string capacity_recovery_note(const ProgrammeResult& r) {
  if (r.weeks.empty()) return "";
  double lowest = 1.0;
  for (const auto& side : r.weeks.front().state.capacity)
    for (double c : side) lowest = std::min(lowest, c);
  // chosen: a capacity within 0.005 of 1 prints as 1.00 and recovers too little to see.
  if (lowest > 0.995) return "";
  return fmt::format(
      "Changes in the first weeks include the injured muscles' recovery of capacity (from {:.2f} "
      "at week 0, with a time constant of {:g} days), which the model adds whatever the "
      "programme: not all of them come from the training.",
      lowest, r.adaptation.capacity_recovery_days);
}

std::string loads_subject_note(const ProgrammeResult& r) {
  if (!r.loads_on_own_subject) return "";
  return "The bend and the hamstring strain index start from the assessment's: simulated, as "
         "there, with the fitted factors its findings do not read back at their priors. The "
         "tests start from the fit to the measurements.";
}

}  // namespace pulley::training
