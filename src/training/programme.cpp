#include "pulley/training/programme.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pulley/assess/findings.hpp"
#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::training {

using model::Side;

namespace {

// The dose of `entry` in programme week `week` (its progression applied), capped at the limits
// the programme file allows.
Dose dose_in_week(const ProgrammeEntry& entry, const Exercise& exercise, int week) {
  Dose d = exercise.dose;
  const Dose& g = entry.dose;
  if (g.sets) d.sets = g.sets;
  if (g.reps) d.reps = g.reps;
  if (g.hold_s) d.hold_s = g.hold_s;
  if (g.effort) d.effort = g.effort;
  if (g.load_kg) d.load_kg = g.load_kg;
  if (g.sessions_per_week) d.sessions_per_week = g.sessions_per_week;
  const int n = week - entry.from_week;  // weeks of progression
  const Progression& p = entry.progression;
  if (n > 0) {
    if (d.effort) d.effort = std::min(1.0, *d.effort + n * p.effort_per_week);
    if (d.reps) d.reps = std::min(100, *d.reps + n * p.reps_per_week);
    if (d.hold_s) d.hold_s = std::min(600.0, *d.hold_s + n * p.hold_s_per_week);
    if (p.load_kg_per_week > 0.0) d.load_kg = std::min(300.0, d.load_kg.value_or(0.0) + n * p.load_kg_per_week);
  }
  return d;
}

int last_week(const ProgrammeEntry& e, const Programme& p) {
  return e.to_week > 0 ? e.to_week : p.weeks;
}

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
      out_f.strength = std::clamp(f.strength * s.strength[k][m], L::kStrengthMin, L::kStrengthMax);
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

// The week's outputs on the adapted subject.
void evaluate_week(WeekResult& w, const model::Model& typical,
                   const tasks::StandingResult& typical_standing,
                   const ProgrammeSettings& settings) {
  const model::Model model = model::compile_model(w.subject);
  w.tests = assess::run_clinical_tests(model);
  if (!settings.loads_and_strain || !w.tests.ok) return;
  tasks::TaskInputs inputs;
  inputs.standing = &w.tests.standing;
  // As the assessment's findings (assess/findings.hpp): a 31-frame bend with reserve moments
  // reported, and the 5 m/s run against the typical subject.
  const tasks::TaskResult bend = tasks::run_task(
      model, tasks::parse_task_options("forward-bend", {{"frames", "31"}, {"reserve", "on"}}),
      inputs);
  for (const auto& f : bend.frames) {
    if (f.pelvis_rotation_deg + f.lumbar_flexion_deg >
        w.bend_pelvis_rotation_deg + w.bend_lumbar_flexion_deg) {
      w.bend_pelvis_rotation_deg = f.pelvis_rotation_deg;
      w.bend_lumbar_flexion_deg = f.lumbar_flexion_deg;
    }
    for (const auto& level : f.loads.lumbar) {
      if (level.level == "L4_L5")
        w.bend_peak_l4_l5_pressure_mpa =
            std::max(w.bend_peak_l4_l5_pressure_mpa, level.disc_pressure_mpa);
      if (level.level == "L5_S1")
        w.bend_peak_l5_s1_compression_n =
            std::max(w.bend_peak_l5_s1_compression_n, level.compression_n);
    }
  }
  inputs.typical = &typical;
  inputs.typical_standing = &typical_standing;
  const tasks::TaskResult run = tasks::run_task(
      model,
      tasks::parse_task_options("run", {{"speed_m_s", "5"}, {"frames", "51"}, {"reserve", "on"}}),
      inputs);
  if (!run.gait) return;
  double largest = -1.0;
  for (const auto& h : run.gait->hamstrings) {
    if (h.strain_index.value > largest && h.relative_strain_index) {
      largest = h.strain_index.value;
      w.hamstring_strain_index = *h.relative_strain_index;
      w.hamstring_strain_head = h.head;
    }
  }
}

}  // namespace

void check_programme(const Programme& p) {
  if (p.weeks < 1 || p.weeks > ProgrammeLimits::kMaxWeeks)
    throw InputError(fmt::format("programme: weeks {} is out of range; allowed: 1 to {} (5 years)",
                                 p.weeks, ProgrammeLimits::kMaxWeeks));
  if (p.entries.empty())
    throw InputError("programme: exercises: the list is empty; allowed: at least one exercise");
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    const ProgrammeEntry& e = p.entries[i];
    const std::string where = fmt::format("programme: exercises[{}] ({})", i + 1, e.exercise);
    const Exercise* x = find_exercise(e.exercise);
    if (!x) throw InputError(where + ": unknown exercise; allowed: the ids pulley exercises lists");
    if (e.from_week < 1 || e.from_week > p.weeks || last_week(e, p) < e.from_week ||
        last_week(e, p) > p.weeks)
      throw InputError(fmt::format("{}: weeks {} to {} do not fit; allowed: 1 <= from_week <= "
                                   "to_week <= weeks ({})",
                                   where, e.from_week, last_week(e, p), p.weeks));
    if (x->needs_target && !model::is_group(e.target))
      throw InputError(where + ": target '" + e.target +
                       "' is not a muscle group; allowed: hamstrings, quadriceps, hip_flexors, "
                       "gluteals, adductors, erector_spinae, abdominals, calves");
    if (!x->needs_target && !e.target.empty())
      throw InputError(where + ": takes no target (only foam_rolling does)");
    if (e.dose.load_kg && (x->kind != ExerciseKind::strength || x->task.load_at == "none"))
      throw InputError(where + ": takes no load_kg; it is dosed by " +
                       (x->kind == ExerciseKind::strength ? "effort, 0.05 to 1" : "hold_s"));
    if (e.foot != "neutral" && x->kind != ExerciseKind::contract_relax)
      throw InputError(where + ": takes no foot position (only contract_relax_hamstring_stretch)");
  }
  for (int week = 1; week <= p.weeks; ++week) {
    double total = 0.0;
    for (const auto& e : p.entries)
      if (week >= e.from_week && week <= last_week(e, p))
        total += e.dose.sessions_per_week.value_or(*find_exercise(e.exercise)->dose.sessions_per_week);
    if (total > ProgrammeLimits::kMaxTotalSessionsPerWeek)
      throw InputError(fmt::format(
          "programme: week {} holds {:g} sessions; allowed: at most {:g} a week (four a day)", week,
          total, ProgrammeLimits::kMaxTotalSessionsPerWeek));
  }
}

ProgrammeResult simulate_programme(const model::Subject& subject, const Programme& programme,
                                   const ProgrammeSettings& settings) {
  check_programme(programme);
  ProgrammeResult out;
  out.programme = programme;
  const model::Model typical = model::compile_model(assess::typical_subject(subject));
  const tasks::StandingResult typical_standing = tasks::solve_standing(typical);
  AdaptationState state;
  for (int m = 0; m < kNumMuscles; ++m)
    for (Side side : model::kSides)
      state.capacity[model::side_index(side)][m] =
          model::resolve_factors(subject, model::kMuscleNames[m].name,
                                 model::kMuscleNames[m].group, side)
              .capacity;
  std::vector<TrainingDay> days(static_cast<std::size_t>(programme.weeks) * 7);
  WeekResult w0;
  w0.subject = adapted_subject(subject, state);
  w0.state = state;
  evaluate_week(w0, typical, typical_standing, settings);
  out.weeks.push_back(std::move(w0));
  for (int week = 1; week <= programme.weeks; ++week) {
    const model::Model model = model::compile_model(out.weeks.back().subject);
    const bool missed = std::find(programme.missed_weeks.begin(), programme.missed_weeks.end(),
                                  week) != programme.missed_weeks.end();
    for (const ProgrammeEntry& entry : programme.entries) {
      if (missed || week < entry.from_week || week > last_week(entry, programme)) continue;
      const Exercise& exercise = *find_exercise(entry.exercise);
      const Dose dose = dose_in_week(entry, exercise, week);
      const SessionStimulus s = session_stimulus(model, exercise, dose, entry.target, entry.sides);
      const int sessions = static_cast<int>(std::lround(*dose.sessions_per_week));
      for (int day : session_days(sessions))
        days[static_cast<std::size_t>((week - 1) * 7 + day)].sessions.push_back(s);
      // An injured muscle (capacity below 0.9) loaded by a strength exercise this week.
      if (exercise.kind == ExerciseKind::strength)
        for (int k = 0; k < 2; ++k)
          for (int m = 0; m < kNumMuscles; ++m)
            if (state.capacity[k][m] < 0.9 && s.activation[k][m] > 0.3)
              out.notes.push_back(fmt::format(
                  "week {}: {} loads {}_{} ({:.0f} % activation) while its capacity is {:.2f}",
                  week, exercise.id, model::kMuscleNames[m].name, k == 0 ? "r" : "l",
                  100.0 * s.activation[k][m], state.capacity[k][m]));
    }
    for (int day = 0; day < 7; ++day) {
      const int today = (week - 1) * 7 + day;
      std::vector<const TrainingDay*> recent;
      for (int d = std::max(0, today - 6); d <= today; ++d)
        recent.push_back(&days[static_cast<std::size_t>(d)]);
      advance_day(state, recent);
    }
    WeekResult w;
    w.week = week;
    w.subject = adapted_subject(subject, state);
    w.state = state;
    evaluate_week(w, typical, typical_standing, settings);
    out.weeks.push_back(std::move(w));
  }
  return out;
}

}  // namespace pulley::training
