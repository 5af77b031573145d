#include "pulley/training/planner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "pulley/core/error.hpp"
#include "pulley/core/words.hpp"
#include "pulley/model/muscle_names.hpp"

namespace pulley::training {

using assess::Deviation;
using model::MeasuredTest;
using model::Side;

const char* to_string(PlanStep step) {
  switch (step) {
    case PlanStep::rest: return "rest";
    case PlanStep::release_and_stretch: return "release_and_stretch";
    case PlanStep::strengthen: return "strengthen";
    case PlanStep::prevention: return "prevention";
  }
  return "unknown";
}

double longest_week_minutes(const std::vector<PlannedEntry>& entries, int weeks) {
  double most = 0.0;
  for (int week = 1; week <= weeks; ++week) {
    double total = 0.0;
    for (const auto& p : entries)
      if (week >= p.entry.from_week && week <= last_week(p.entry, weeks))
        total += entry_minutes_in_week(p.entry, week);
    most = std::max(most, total);
  }
  return most;
}

namespace {

// chosen, docs/training.md ("The planner"): the weeks of release and stretching before the
// strengthening starts when something is tight (S8: "release ... first, then strengthen"); the
// first week after a strain spent on rest and ice (Maniar et al. 2016: the strength deficit is
// gone in about 7 days); the week the Nordic exercise, eccentric at full effort, joins a graded
// return (two weeks after the lighter loading starts).
constexpr int kStretchWeeksFirst = 2;
constexpr int kRestWeeks = 1;
constexpr int kEccentricDelayWeeks = 2;
// chosen: a graded return starts 0.3 below the exercise's usual effort and adds 0.1 a week for
// three weeks before the usual dose.
constexpr double kGradedEffortBelow = 0.3, kGradedEffortPerWeek = 0.1;
constexpr int kGradedWeeks = 3;
// The fewest sessions that keep most of each adaptation (adaptation.cpp, n_full): stretch
// tolerance 3 a week (Reid & Kim 2014), strength and fascicles 2 a week.
constexpr double kFewestStretchSessions = 3.0, kFewestStrengthSessions = 2.0;
// chosen: a hamstring below 0.9 of full capacity is taken as strained (as the programme's note on
// loading an injured muscle, programme.cpp).
constexpr double kStrainedCapacity = 0.9;
// Which entries a week short of time keeps first (PlannedEntry::priority, lower first). chosen:
// the order the sources give (claim S8, docs/claims.md): rest after a strain, stretching what is
// tight, then strengthening its weak opponents and any other weak group, rolling before a
// stretch, a second hamstring exercise, the contract-relax stretch's foot positions, and last
// the preventive strengthening and stretch.
constexpr int kRestPriority = 0, kStretchPriority = 10, kOpponentsPriority = 20,
              kStrengthPriority = 30, kReleasePriority = 35, kSecondHamstringPriority = 40,
              kFootPositionsPriority = 45, kPreventionStrengthPriority = 50,
              kPreventionStretchPriority = 55;

// The programme of `weeks` weeks that the planned entries make.
Programme programme_of(const std::vector<PlannedEntry>& entries, int weeks) {
  Programme programme;
  programme.weeks = weeks;
  for (const auto& p : entries) programme.entries.push_back(p.entry);
  return programme;
}

// Whether the entries train anything (more than rest).
bool trains(const std::vector<PlannedEntry>& entries) {
  return std::any_of(entries.begin(), entries.end(),
                     [](const auto& p) { return p.priority > kRestPriority; });
}

std::string side_words(std::optional<Side> side) {
  return side ? (*side == Side::right ? "right" : "left") : "both sides";
}

// The exercises the planner picks from, in order of preference, per group and step.
const std::vector<std::string>& stretch_choices(const std::string& group) {
  static const std::map<std::string, std::vector<std::string>> m = {
      // The seeds' contract-relax stretch first (S9), then the three stretches of S10.
      {"hamstrings",
       {"contract_relax_hamstring_stretch", "seated_hamstring_stretch",
        "lying_band_hamstring_stretch", "standing_forward_bend_stretch"}},
      {"quadriceps", {"quadriceps_stretch"}},
      {"hip_flexors", {"hip_flexor_stretch"}}};
  static const std::vector<std::string> none;
  const auto it = m.find(group);
  return it == m.end() ? none : it->second;
}

const std::vector<std::string>& strength_choices(const std::string& group) {
  static const std::map<std::string, std::vector<std::string>> m = {
      // The Nordic exercise first: it lengthens the fascicles as well (docs/training.md).
      {"hamstrings",
       {"nordic_hamstring", "romanian_deadlift", "hamstring_curl", "single_leg_deadlift",
        "stiff_leg_deadlift", "bridge"}},
      {"quadriceps", {"quadriceps_strengthening"}},
      {"hip_flexors", {"hip_flexor_strengthening"}},
      {"gluteals", {"bridge", "single_leg_deadlift", "romanian_deadlift"}}};
  static const std::vector<std::string> none;
  const auto it = m.find(group);
  return it == m.end() ? none : it->second;
}

// A group as the word before "exercise": "hamstring exercise", "hip flexor exercise".
std::string exercise_word(const std::string& group) {
  if (group == "hamstrings" || group == "hip_flexors" || group == "gluteals")
    return words(group.substr(0, group.size() - 1));
  return words(group);
}

// The muscles that oppose a group's pull on the pelvis and knee (S8's "weak opponents").
std::vector<std::string> opponents(const std::string& group) {
  if (group == "hamstrings") return {"quadriceps", "hip_flexors"};
  if (group == "hip_flexors") return {"gluteals", "hamstrings"};
  if (group == "quadriceps") return {"hamstrings"};
  return {};
}

// Which test, deviating which way (as the findings read it: the measurement when there is one),
// shows which finding of which group. The planner finds its targets by these and re-tests each
// target by the same tests.
struct TestRule {
  MeasuredTest test;
  Deviation when;
  const char* group;
  const char* finding;
};
constexpr std::array<TestRule, 11> kTestRules = {{
    {MeasuredTest::straight_leg_raise_deg, Deviation::low, "hamstrings", "tight"},
    {MeasuredTest::passive_knee_extension_deficit_deg, Deviation::high, "hamstrings", "tight"},
    {MeasuredTest::active_knee_extension_deficit_deg, Deviation::high, "hamstrings", "tight"},
    {MeasuredTest::thomas_hip_extension_deg, Deviation::low, "hip_flexors", "tight"},
    {MeasuredTest::thomas_knee_flexion_deg, Deviation::low, "quadriceps", "tight"},
    {MeasuredTest::knee_flexion_torque_nm_per_kg, Deviation::low, "hamstrings", "weak"},
    {MeasuredTest::nordic_force_n, Deviation::low, "hamstrings", "weak"},
    {MeasuredTest::hq_ratio, Deviation::low, "hamstrings", "weak"},
    {MeasuredTest::hq_ratio, Deviation::high, "quadriceps", "weak"},
    {MeasuredTest::knee_extension_torque_nm_per_kg, Deviation::low, "quadriceps", "weak"},
    {MeasuredTest::trunk_extensor_endurance_s, Deviation::low, "erector_spinae", "weak"},
}};

// The tests that show a finding of a group, for re-tests: a strained muscle by its strength tests.
std::vector<MeasuredTest> retest_tests(const std::string& group, const std::string& finding) {
  const std::string shown_as = finding == "strained" ? "weak" : finding;
  std::vector<MeasuredTest> out;
  for (const auto& r : kTestRules)
    if (r.group == group && r.finding == shown_as) out.push_back(r.test);
  return out;
}

// Adds `piece` to `evidence` unless it is already there.
void add_evidence(std::vector<std::string>& evidence, const std::string& piece) {
  if (std::find(evidence.begin(), evidence.end(), piece) == evidence.end())
    evidence.push_back(piece);
}

class Planner {
 public:
  Planner(const assess::Assessment& a, const PlanSettings& s) : a_(a), settings_(s) {
    const auto& c = a.model.subject.constraints;
    plan_.constraints = c;
    if (c.equipment) plan_.equipment = *c.equipment;
    for (auto id : kHouseholdEquipment)
      if (std::find(plan_.equipment.begin(), plan_.equipment.end(), id) == plan_.equipment.end())
        plan_.equipment.emplace_back(id);
  }

  Plan run() {
    find_targets();
    // A strength exercise whose first sessions would not train its group is passed over and the
    // plan proposed again without it, until every one does: each round passes over at least one
    // more of a finite library. The first sessions cost a small part of a simulation
    // (first_session_loads).
    std::vector<PlannedEntry> entries;
    for (;;) {
      plan_.notes.clear();
      entries = propose();
      fit_to_limits(entries, &plan_.notes);
      const std::vector<Miss> missed = misses(
          entries, first_session_loads(a_.model.subject, programme_of(entries, settings_.weeks),
                                       settings_.simulation));
      if (missed.empty()) break;
      for (const Miss& x : missed) {
        const std::vector<std::string> before = passed_over(x.group);
        PULLEY_DEMAND(std::find(before.begin(), before.end(), x.exercise) == before.end(),
                      "an exercise passed over for a group is not chosen for it again");
      }
      passed_over_.insert(passed_over_.end(), missed.begin(), missed.end());
    }
    plan_.proposed = simulate("plan", "The proposed plan", describe_plan(entries), entries);
    PULLEY_DEMAND(misses(entries, plan_.proposed.result.entry_loads).empty(),
                  "the simulation's first sessions are those the plan's choice read");
    const auto tests = targeted_tests();
    RetestPlan retests = plan_retests(plan_.proposed.result, tests, true);
    plan_.proposed.retests = std::move(retests.retests);
    plan_.proposed.retest_notes = std::move(retests.notes);
    if (settings_.alternatives) add_alternatives(entries);
    return std::move(plan_);
  }

 private:
  // --- What is out of balance -------------------------------------------------------------------

  void add_target(const std::string& group, Side side, const std::string& finding,
                  const std::string& evidence) {
    for (auto& t : targets_by_side_)
      if (t.group == group && t.finding == finding && t.side == side)
        return add_evidence(t.evidence, evidence);
    targets_by_side_.push_back({group, side, finding, {evidence}});
  }

  void find_targets() {
    const assess::Findings& f = a_.findings;
    for (const auto& g : f.imbalance) {
      if (g.length_vs_norm == Deviation::low || g.stiffness_vs_norm == Deviation::high)
        add_target(g.group, g.side, "tight", words(g.group) + ": " + g.summary);
      if (g.strength_vs_norm == Deviation::low || g.fascicle_length_vs_norm == Deviation::low)
        add_target(g.group, g.side, "weak", words(g.group) + ": " + g.summary);
    }
    // A simulated value out of the subject's reach (an isometric knee test at an angle this knee
    // does not reach) is no evidence (TestComparison::evidence). The concentric tests are not
    // read (docs/training.md, "The planner").
    for (const auto& t : f.tests)
      for (const auto& r : kTestRules)
        if (t.test == r.test && t.evidence() == r.when)
          for (Side side : model::kSides)
            if (!t.side || *t.side == side) add_target(r.group, side, r.finding, evidence(t));
    // A recent strain: the subject file's injured side, or a hamstring with reduced capacity.
    const std::optional<Side> strained = strained_side(a_.model.subject);
    // A strain risk in fast running, as the assessment's hamstring_strain chain reads it (the
    // run is simulated on the right leg; the finding is taken for both).
    for (const auto& c : f.chains)
      if (c.id == "hamstring_strain")
        add_target("hamstrings", Side::right, "strain_risk",
                   fmt::format("hamstring strain index in the {} ({}) {:.1f} times the typical "
                               "subject's",
                               f.strain.activity, muscle_words(f.strain.head), f.strain.relative));
    if (strained) {
      plan_.strained_side = strained;
      add_target("hamstrings", *strained, "strained",
                 a_.model.subject.constraints.injured_side
                     ? "the injured side the subject file gives"
                     : "hamstring capacity below " + fmt::format("{:g}", kStrainedCapacity));
    }
    // One target per group and finding; both sides when both show it.
    for (const auto& t : targets_by_side_) {
      const auto other = std::find_if(targets_by_side_.begin(), targets_by_side_.end(),
                                       [&](const PlanTarget& o) {
                                         return o.group == t.group && o.finding == t.finding &&
                                                o.side != t.side;
                                       });
      const bool both = other != targets_by_side_.end();
      const auto seen = std::find_if(plan_.targets.begin(), plan_.targets.end(),
                                     [&](const PlanTarget& o) {
                                       return o.group == t.group && o.finding == t.finding;
                                     });
      if (seen != plan_.targets.end()) continue;
      PlanTarget merged = t;
      if (both || t.finding == "strain_risk") {
        merged.side.reset();
        if (both)
          for (const auto& piece : other->evidence) add_evidence(merged.evidence, piece);
      }
      plan_.targets.push_back(std::move(merged));
    }
  }

  std::string evidence(const assess::TestComparison& t) const {
    const int d = assess::test_decimals(t.test);
    const std::string unit = *assess::test_unit(t.test) ? std::string(" ") + assess::test_unit(t.test) : "";
    std::string text = assess::test_label(t.test);
    if (t.side) text += fmt::format(" ({})", side_words(t.side));
    // A measurement against its published norm, as the findings read it; a simulated value
    // against the typical subject.
    if (t.measured) return text + " measured " + assess::measured_against_norm(t);
    text += fmt::format(" simulated {:.{}f}{}{}", t.subject, d, unit,
                        t.subject_at_start() ? " (ended at its start: a bound)" : "");
    return text + fmt::format(", typical {:.{}f}{}", t.typical, d, unit);
  }

  const PlanTarget* target(const std::string& group, const std::string& finding) const {
    for (const auto& t : plan_.targets)
      if (t.group == group && t.finding == finding) return &t;
    return nullptr;
  }

  // --- The programme ----------------------------------------------------------------------------

  const Exercise* first_available(const std::vector<std::string>& ids,
                                  const std::vector<std::string>& skip = {}) const {
    for (const auto& id : ids) {
      const Exercise* e = find_exercise(id);
      if (e && available_with(*e, plan_.equipment) &&
          std::find(skip.begin(), skip.end(), id) == skip.end())
        return e;
    }
    return nullptr;
  }

  PlannedEntry make_entry(const Exercise& e, PlanStep step, int from_week, std::optional<Side> side,
                          const std::string& reason, int priority) const {
    PlannedEntry p;
    p.entry.exercise = e.id;
    p.entry.from_week = from_week;
    p.entry.dose.sessions_per_week = *e.dose.sessions_per_week;
    if (side && e.each_side) p.entry.sides = {side == Side::right, side == Side::left};
    p.step = step;
    p.reason = reason;
    p.priority = priority;
    return p;
  }

  // A strength exercise after a strain: a graded entry of kGradedWeeks, then the usual dose.
  void add_graded(std::vector<PlannedEntry>& out, PlannedEntry p) {
    const Exercise& e = *find_exercise(p.entry.exercise);
    const int weeks = settings_.weeks;
    if (e.task.mode == Contraction::eccentric) {
      p.entry.from_week += kEccentricDelayWeeks;
      if (p.entry.from_week > weeks) {
        plan_.notes.push_back(
            fmt::format("{} left out: after the strain it joins in week {}, "
                        "beyond the plan's {} weeks",
                        e.name, p.entry.from_week, weeks));
        return;
      }
      p.reason += fmt::format("; eccentric at full effort, so it joins the return in week {}",
                              p.entry.from_week);
      out.push_back(std::move(p));
      return;
    }
    const double usual = *e.dose.effort;
    const int graded_end = std::min(weeks, p.entry.from_week + kGradedWeeks - 1);
    PlannedEntry graded = p;
    graded.entry.to_week = graded_end;
    // Rounded to hundredths, as a programme file would give it.
    graded.entry.dose.effort =
        std::max(DoseLimits::kMinEffort, std::round(100.0 * (usual - kGradedEffortBelow)) / 100.0);
    graded.entry.progression.effort_per_week = kGradedEffortPerWeek;
    graded.reason += fmt::format("; graded return: effort {:.1f} rising {:.1f} a week",
                                 *graded.entry.dose.effort, kGradedEffortPerWeek);
    out.push_back(std::move(graded));
    if (graded_end < weeks) {
      p.entry.from_week = graded_end + 1;
      out.push_back(std::move(p));
    }
  }

  std::vector<PlannedEntry> propose() {
    prevention_instead_ = false;
    found_untrained_ = false;
    prevention_strength_ = nullptr;
    untrained_.clear();
    std::vector<PlannedEntry> out;
    const int weeks = settings_.weeks;
    const bool strained = plan_.strained_side.has_value();
    const int first = strained ? 1 + kRestWeeks : 1;  // the first week of training
    if (strained) {
      PlannedEntry rest = make_entry(
          *find_exercise("rest_and_ice"), PlanStep::rest, 1, plan_.strained_side,
          "a recent hamstring strain, " + side_words(plan_.strained_side), kRestPriority);
      rest.entry.to_week = kRestWeeks;
      out.push_back(rest);
    }
    // Release and stretch what is tight.
    bool any_tight = false;
    for (const auto& t : plan_.targets) {
      if (t.finding != "tight") continue;
      any_tight = true;
      const std::string why = words(t.group) + " tight, " + side_words(t.side);
      if (const Exercise* e = first_available(stretch_choices(t.group))) {
        out.push_back(
            make_entry(*e, PlanStep::release_and_stretch, first, t.side, why, kStretchPriority));
        if (e->kind == ExerciseKind::contract_relax)  // S9: then with the foot turned in and out
          for (const char* foot : {"in", "out"}) {
            PlannedEntry p =
                make_entry(*e, PlanStep::release_and_stretch, first, t.side,
                           std::string("the foot turned ") + foot + " to reach the " +
                               (std::string(foot) == "in" ? "outer" : "inner") + " hamstrings",
                           kFootPositionsPriority);
            p.entry.foot = foot;
            out.push_back(std::move(p));
          }
      } else {
        plan_.notes.push_back("no stretch in the library for the " + words(t.group) +
                              (stretch_choices(t.group).empty() ? " (the library has none)"
                                                                : " with the equipment given"));
      }
      if (const Exercise* roll = first_available({"foam_rolling"})) {
        PlannedEntry p =
            make_entry(*roll, PlanStep::release_and_stretch, first, t.side,
                       "release before stretching the " + words(t.group), kReleasePriority);
        p.entry.target = t.group;
        out.push_back(std::move(p));
      }
    }
    // Then strengthen: the weak opponents of a tight group first, then any other weak group, the
    // strained hamstrings (S8: the same programme prevents re-injury).
    const int strength_start =
        strained ? first : std::min(weeks, any_tight ? 1 + kStretchWeeksFirst : 1);
    std::vector<std::pair<std::string, std::string>> to_strengthen;  // group, why
    std::set<std::string> added;
    for (const auto& t : plan_.targets)
      if (t.finding == "tight")
        for (const auto& o : opponents(t.group))
          if (const PlanTarget* w = target(o, "weak"); w && added.insert(o).second)
            to_strengthen.emplace_back(o, words(o) + " weak, " + side_words(w->side) +
                                              ", opposing the tight " + words(t.group));
    const std::size_t opponents_end = to_strengthen.size();
    for (const auto& t : plan_.targets)
      if ((t.finding == "weak" || t.finding == "strained") && added.insert(t.group).second)
        to_strengthen.emplace_back(
            t.group, words(t.group) + " " + words(t.finding) + ", " + side_words(t.side));
    // A strain risk with hamstrings neither weak nor strained: the eccentric exercise alone, for
    // the fascicles it lengthens (S5; docs/training.md, "The planner").
    const bool strain_risk_only =
        target("hamstrings", "strain_risk") && !added.contains("hamstrings");
    if (strain_risk_only) {
      added.insert("hamstrings");
      to_strengthen.emplace_back("hamstrings", "hamstring strain risk in fast running");
    }
    for (std::size_t i = 0; i < to_strengthen.size(); ++i) {
      const auto& [group, why] = to_strengthen[i];
      // The finding's side: weak, else strained (a one-sided strain trains that leg).
      const PlanTarget* w = target(group, "weak");
      if (!w) w = target(group, "strained");
      std::optional<Side> side;
      if (w) side = w->side;
      const int priority = i < opponents_end ? kOpponentsPriority : kStrengthPriority;
      const bool for_strain_risk = strain_risk_only && group == "hamstrings";
      const std::vector<std::string> passed = passed_over(group);
      const Exercise* e = first_available(strength_choices(group), passed);
      // An eccentric exercise the equipment allows but the model passed over has its own note.
      if (e && for_strain_risk && e->task.mode != Contraction::eccentric)
        for (const auto& id : strength_choices(group))
          if (const Exercise* x = find_exercise(id);
              x && x->task.mode == Contraction::eccentric && !available_with(*x, plan_.equipment)) {
            std::vector<std::string> needs;
            for (const auto& any_of : x->needs) {
              std::vector<std::string> items;
              for (const auto& item : any_of) items.push_back(words(item));
              needs.push_back(fmt::format("{}", fmt::join(items, " or ")));
            }
            plan_.notes.push_back(fmt::format(
                "{} for the strain risk: the {}, eccentric, lengthens the fascicles more but "
                "needs {}, not in the equipment given",
                e->name, x->name, fmt::join(needs, " and ")));
            break;
          }
      if (!e && !passed.empty()) {
        note_untrained(group, "so the plan leaves out their strengthening: " + why);
        continue;
      }
      if (!e) {
        plan_.notes.push_back("no " + words(group) +
                              " exercise in the library for the equipment given" +
                              (strength_choices(group).empty() ? " (the library has none)" : ""));
        continue;
      }
      std::vector<PlannedEntry> chosen = {
          make_entry(*e, PlanStep::strengthen, strength_start, side, why, priority)};
      // Weak or strained hamstrings get a second, hip-dominant exercise (S10 lists several),
      // kept last.
      if (group == "hamstrings" && !for_strain_risk) {
        std::vector<std::string> skip = passed;
        skip.push_back(e->id);
        if (const Exercise* e2 = first_available(strength_choices(group), skip))
          chosen.push_back(make_entry(*e2, PlanStep::strengthen, strength_start, side,
                                      "a second hamstring exercise", kSecondHamstringPriority));
      }
      note_passed_over(group);
      for (auto& p : chosen) {
        p.group = group;
        p.side = side;
        if (strained)
          add_graded(out, std::move(p));
        else
          out.push_back(std::move(p));
      }
    }
    // Nothing out of balance, or nothing the library holds for what is: prevention.
    if (!trains(out)) {
      prevention_instead_ = !plan_.targets.empty();
      // What was found has exercises in the library that the model says do not train it.
      found_untrained_ = !untrained_.empty();
      const std::string why = !prevention_instead_ ? "nothing out of balance"
                              : !found_untrained_
                                  ? "nothing in the library for what was found"
                                  : "no exercise the equipment allows trains what was found";
      const std::vector<std::string> passed = passed_over("hamstrings");
      prevention_strength_ = first_available(strength_choices("hamstrings"), passed);
      if (prevention_strength_) {
        out.push_back(make_entry(*prevention_strength_, PlanStep::prevention, first, std::nullopt,
                                 why + ": hamstring strengthening to prevent strains",
                                 kPreventionStrengthPriority));
        out.back().group = "hamstrings";
        note_passed_over("hamstrings");
      } else if (!passed.empty()) {
        note_untrained("hamstrings", "so the preventive programme only stretches them");
      }
      if (const Exercise* e = first_available(stretch_choices("hamstrings"))) {
        PlannedEntry p =
            make_entry(*e, PlanStep::prevention, first, std::nullopt,
                       why + ": keep the hamstrings' length", kPreventionStretchPriority);
        p.entry.dose.sessions_per_week = kFewestStretchSessions;
        out.push_back(std::move(p));
      }
      // Household equipment is always there, and the library's seated hamstring stretch needs
      // nothing more.
      PULLEY_DEMAND(trains(out), "the library holds a hamstring stretch that needs no equipment");
    }
    for (const auto& t : plan_.targets)
      if (t.group != "hamstrings" && t.group != "quadriceps" && t.group != "hip_flexors" &&
          t.group != "gluteals")
        plan_.notes.push_back(
            fmt::format("{} {} ({}): the exercise library has nothing for "
                        "this group yet",
                        words(t.group), words(t.finding), fmt::join(t.evidence, "; ")));
    return out;
  }

  // Fits the entries into the programme's limit of sessions a week (ProgrammeLimits: a plan
  // that targets several groups can exceed it at the exercises' usual doses) and into
  // constraints.minutes_per_week: fewer sessions first, then the least important entries
  // dropped. Notes what was changed in `notes`.
  void fit_to_limits(std::vector<PlannedEntry>& entries, std::vector<std::string>* notes) const {
    const auto& limit = plan_.constraints.minutes_per_week;
    const int weeks = settings_.weeks;
    constexpr double kMostSessions = ProgrammeLimits::kMaxTotalSessionsPerWeek;
    const auto too_long = [&] { return limit && longest_week_minutes(entries, weeks) > *limit; };
    const auto too_many = [&] {
      return busiest_week(programme_of(entries, weeks)).sessions > kMostSessions;
    };
    if (!too_long() && !too_many()) return;
    // What the thinning is for, as the entries stand before it.
    const std::string what_to_fit =
        too_long() && too_many()
            ? fmt::format("to fit {:g} min and {:g} sessions a week", *limit, kMostSessions)
        : too_long() ? fmt::format("to fit {:g} min a week", *limit)
                     : fmt::format("to keep within {:g} sessions a week (four a day)",
                                   kMostSessions);
    for (auto& p : entries) {
      const Exercise& e = *find_exercise(p.entry.exercise);
      const double fewest =
          e.kind == ExerciseKind::strength ? kFewestStrengthSessions : kFewestStretchSessions;
      if (e.kind != ExerciseKind::rest && *p.entry.dose.sessions_per_week > fewest) {
        p.entry.dose.sessions_per_week = fewest;
      }
    }
    if (notes)
      notes->push_back(fmt::format("sessions thinned to the fewest that keep most of the gain "
                                   "(stretches 3, strength 2 a week) {}",
                                   what_to_fit));
    while (too_long() || too_many()) {
      auto drop = std::max_element(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.priority < b.priority;
      });
      if (drop == entries.end() || drop->priority == kRestPriority) break;
      const int trainable =
          static_cast<int>(std::count_if(entries.begin(), entries.end(),
                                         [](const auto& p) { return p.priority > kRestPriority; }));
      if (trainable <= 1) break;  // keep the most important exercise
      if (notes && too_long())
        notes->push_back(fmt::format("dropped for time: {} ({:.0f} min a week; {})",
                                     entry_name(drop->entry), entry_minutes_per_week(drop->entry),
                                     drop->reason));
      else if (notes)
        notes->push_back(
            fmt::format("dropped for the sessions a week (at most {:g}): {} ({:g} "
                        "sessions a week; {})",
                        kMostSessions, entry_name(drop->entry), *drop->entry.dose.sessions_per_week,
                        drop->reason));
      entries.erase(drop);
    }
    if (too_long() && notes)
      notes->push_back(fmt::format("the longest week still takes {:.0f} min, over the {:g} min "
                                   "the subject file allows: the most important exercise alone "
                                   "does not fit",
                                   longest_week_minutes(entries, weeks), *limit));
  }

  std::string describe_plan(const std::vector<PlannedEntry>& entries) const {
    // Without a hamstring exercise that trains them on this model, the stretch alone.
    const std::string prevention =
        prevention_strength_ ? "a preventive programme of hamstring strengthening and stretching"
                             : "a preventive programme of hamstring stretching";
    const std::string untrained =
        prevention_strength_
            ? ""
            : "; no hamstring exercise with the equipment given trains them on this model";
    if (plan_.targets.empty())
      return "Nothing is out of balance: " + prevention + untrained +
             (prevention_strength_ ? "." : " (see the notes).");
    if (prevention_instead_)
      return (!found_untrained_ ? "The exercise library has nothing for what was found"
                                : "No exercise the equipment allows trains what was found on "
                                  "this model") +
             std::string(" (see the notes): ") + prevention + " instead" + untrained + ".";
    std::string text;
    if (plan_.strained_side)
      text += fmt::format("Rest and ice in week 1 after the strain ({}), then a graded return. ",
                          side_words(plan_.strained_side));
    const auto any = [&](const char* finding) {
      return std::any_of(plan_.targets.begin(), plan_.targets.end(),
                         [&](const PlanTarget& t) { return t.finding == finding; });
    };
    // The weak opponents of a tight group are strengthened at kOpponentsPriority (propose); a
    // strength entry for the strain risk alone strengthens no group found weak.
    const bool strengthens_opponents =
        std::any_of(entries.begin(), entries.end(), [](const auto& p) {
          return p.step == PlanStep::strengthen && p.priority == kOpponentsPriority;
        });
    const bool strengthens = std::any_of(entries.begin(), entries.end(), [&](const auto& p) {
      return p.step == PlanStep::strengthen &&
             (target(p.group, "weak") || target(p.group, "strained"));
    });
    if (any("tight"))
      text += strengthens_opponents ? "Release and stretch what is tight, then strengthen its "
                                      "weak opponents."
              : strengthens         ? "Release and stretch what is tight, then strengthen what "
                                      "is weak."
                                    : "Release and stretch what is tight.";
    else if (any("weak") || any("strained"))
      text += "Nothing is tight: strengthen what is weak.";
    else
      text += "Nothing is tight or weak.";
    if (any("strain_risk") && !untrained_.contains("hamstrings"))
      text += " Strengthen the hamstrings against their strain risk in fast running.";
    if (!untrained_.empty()) {
      std::vector<std::string> groups;
      for (const auto& g : untrained_) groups.push_back(words(g));
      text += fmt::format(
          " No exercise with the equipment given trains the {} on this model "
          "(see the notes).",
          and_list(groups));
    }
    return text;
  }

  PlanOption simulate(const std::string& id, const std::string& title, const std::string& text,
                      const std::vector<PlannedEntry>& entries) const {
    PlanOption o;
    o.id = id;
    o.title = title;
    o.description = text;
    o.entries = entries;
    o.longest_week_minutes = longest_week_minutes(entries, settings_.weeks);
    // The bend, the run and the loads as the assessment's findings simulate them.
    o.result = simulate_programme(
        a_.model.subject, programme_of(entries, settings_.weeks), settings_.simulation,
        a_.findings.loads_model ? &a_.findings.loads_model->subject : nullptr);
    return o;
  }

  // An exercise chosen for a group whose first sessions do not train it, with what they do:
  // "the single-leg deadlift works them at most 4 % (semimembranosus, week 3)".
  struct Miss {
    std::string group, exercise, load;
  };

  // The exercises of `entries` chosen to strengthen a group whose first sessions (`loads`, each
  // entry's in the week it starts at its planned dose, on that week's model: first_session_loads)
  // do not train the group on a side it is chosen for (PlannedEntry::side; none: both, since
  // an exercise that trains one leg leaves the other leg's finding as it is). Read per
  // exercise: a graded return splits one into two entries, and the exercise trains a side when
  // either does. chosen: a side is trained when at least one of the group's muscles there works
  // above the activation that trains (a0; its strength stimulus is positive), not when the
  // group's F_M_max-weighted mean does: each muscle adapts to its own stimulus, so one muscle
  // above a0 gains and with it the group's tests, as the plan's prediction shows, and the
  // exercise's load line names it as trained (docs/training.md, "The planner").
  std::vector<Miss> misses(const std::vector<PlannedEntry>& entries,
                           const std::vector<EntryLoad>& loads) const {
    struct Reading {
      std::string group, exercise;
      std::array<bool, 2> checked{}, trained{};
      std::array<bool, 2> works{};   // any muscle active on each side (none: no stimulus at all)
      std::array<double, 2> most{};  // the group's highest activation on each side
      std::array<int, 2> muscle = {-1, -1}, week{};
    };
    std::vector<Reading> readings;
    for (const EntryLoad& load : loads) {
      const PlannedEntry& p = entries[load.entry];
      if (p.group.empty()) continue;
      auto r = std::find_if(readings.begin(), readings.end(), [&](const Reading& x) {
        return x.group == p.group && x.exercise == p.entry.exercise;
      });
      if (r == readings.end()) {
        r = readings.insert(readings.end(), Reading{});
        r->group = p.group;
        r->exercise = p.entry.exercise;
      }
      for (Side side : model::kSides) {
        if (p.side && *p.side != side) continue;
        const auto k = static_cast<std::size_t>(model::side_index(side));
        r->checked[k] = true;
        for (int m = 0; m < kNumMuscles; ++m) {
          r->works[k] |= load.stimulus.activation[k][m] > 0.0;
          if (model::kMuscleNames[m].group != p.group) continue;
          r->trained[k] |= load.stimulus.strength[k][m] > 0.0;
          const double a = load.stimulus.activation[k][m];
          if (r->muscle[k] < 0 || a > r->most[k]) {
            r->most[k] = a;
            r->muscle[k] = m;
            r->week[k] = load.week;
          }
        }
      }
    }
    std::vector<Miss> out;
    for (const Reading& r : readings) {
      std::vector<std::size_t> missed;
      for (std::size_t k = 0; k < 2; ++k)
        if (r.checked[k] && !r.trained[k]) missed.push_back(k);
      if (missed.empty()) continue;
      // The most the exercise asks of the group on a side it misses; the side named when the
      // other is trained.
      std::size_t k = missed.front();
      if (missed.size() == 2 && r.most[1] > r.most[0]) k = 1;
      const std::string side =
          missed.size() == 1 && r.checked[0] && r.checked[1]
              ? fmt::format(", {} side", model::side_name(k == 0 ? Side::right : Side::left))
              : "";
      // No muscle at all: the exercise's effort cannot be made at its key posture
      // (session_stimulus: the largest moment there is not positive, or the effort not
      // reachable), as for hamstrings too short for a deadlift's flexed hip.
      out.push_back(
          {r.group, r.exercise,
           !r.works[k]
               ? fmt::format("the {} works none of them (week {}{}: its key posture cannot be "
                             "held at the planned effort)",
                             find_exercise(r.exercise)->name, r.week[k], side)
               : fmt::format("the {} works them at most {} ({}{}, week {})",
                             find_exercise(r.exercise)->name, activation_percent(r.most[k]),
                             muscle_words(model::kMuscleNames[r.muscle[k]].name), side,
                             r.week[k])});
    }
    return out;
  }

  // An activation as a percentage of the maximum, with a decimal where whole percentages would
  // show it at the activation that trains.
  std::string activation_percent(double a) const {
    const double a0 = settings_.simulation.adaptation.intensity_threshold;
    const bool close = std::round(100.0 * a) == std::round(100.0 * a0);
    return fmt::format("{:.{}f} %", 100.0 * a, close ? 1 : 0);
  }

  // The exercises passed over for `group` (misses of earlier rounds), in the order found.
  std::vector<std::string> passed_over(const std::string& group) const {
    std::vector<std::string> ids;
    for (const Miss& x : passed_over_)
      if (x.group == group) ids.push_back(x.exercise);
    return ids;
  }

  // What the exercises passed over for `group` do, "a, b and c".
  std::string passed_over_loads(const std::string& group) const {
    std::vector<std::string> loads;
    for (const Miss& x : passed_over_)
      if (x.group == group) loads.push_back(x.load);
    return and_list(loads);
  }

  // The note that the exercises chosen for `group` are not the first of its choices the
  // equipment allows: those before train it too little on this model.
  void note_passed_over(const std::string& group) {
    const std::vector<std::string> passed = passed_over(group);
    if (passed.empty()) return;
    std::vector<std::string> names;
    for (const std::string& id : passed) names.push_back("the " + find_exercise(id)->name);
    plan_.notes.push_back(fmt::format(
        "{} not chosen for the {}: on this model {}, below the {:.0f} % that trains (in the first "
        "session, at the planned dose)",
        and_list(names), words(group), passed_over_loads(group),
        100.0 * settings_.simulation.adaptation.intensity_threshold));
  }

  // The note that no exercise the equipment allows for `group` trains it on this model, and what
  // becomes of it (`so`); once per group.
  void note_untrained(const std::string& group, const std::string& so) {
    if (!untrained_.insert(group).second) return;
    plan_.notes.push_back(fmt::format(
        "no {} exercise with the equipment given loads the {} enough to train them on this "
        "model: {}, below the {:.0f} % that trains (in the first session, at the planned dose); "
        "{}",
        exercise_word(group), words(group), passed_over_loads(group),
        100.0 * settings_.simulation.adaptation.intensity_threshold, so));
  }

  // The targets' tests, each with its side (none for the whole-body tests).
  std::vector<std::pair<MeasuredTest, std::optional<Side>>> targeted_tests() const {
    std::vector<std::pair<MeasuredTest, std::optional<Side>>> tests;
    for (const auto& t : plan_.targets)
      for (MeasuredTest test : retest_tests(t.group, t.finding))
        for (Side side : model::kSides)
          if (!t.side || *t.side == side)
            tests.emplace_back(test, model::is_sided(test) ? std::optional(side) : std::nullopt);
    return tests;
  }

  static bool same_entries(const std::vector<PlannedEntry>& a, const std::vector<PlannedEntry>& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
             return x.entry.exercise == y.entry.exercise && x.entry.from_week == y.entry.from_week &&
                    x.entry.foot == y.entry.foot && x.entry.target == y.entry.target;
           });
  }

  // The alternatives, each fitted to the same time: only the strengthening, only the release and
  // stretching, and everything from the first week (the seeds' order dropped: S8).
  void add_alternatives(const std::vector<PlannedEntry>& plan) {
    const int first = plan_.strained_side ? 1 + kRestWeeks : 1;
    const auto is_strength = [](const PlannedEntry& p) {
      return find_exercise(p.entry.exercise)->kind == ExerciseKind::strength;
    };
    // Without a graded return to keep, strengthening need not wait for the stretching.
    const auto start_now = [&](std::vector<PlannedEntry> entries) {
      if (!plan_.strained_side)
        for (auto& p : entries)
          if (is_strength(p)) p.entry.from_week = first;
      return entries;
    };
    std::vector<PlannedEntry> strengthen, stretch;
    for (const auto& p : plan) {
      if (p.step == PlanStep::rest || is_strength(p)) strengthen.push_back(p);
      if (!is_strength(p)) stretch.push_back(p);
    }
    const std::vector<std::tuple<std::string, std::string, std::string, std::vector<PlannedEntry>>>
        options = {
            {"strengthen_only", "Only strengthening",
             "The plan's strengthening alone, from the first week of training, without releasing "
             "or stretching.",
             start_now(strengthen)},
            {"stretch_only", "Only release and stretching",
             "The plan's release and stretching alone, without strengthening.", stretch},
            {"all_from_week_1", "Everything from the first week",
             "The same exercises without the order the sources advise: the strengthening does "
             "not wait for two weeks of release and stretching.",
             start_now(plan)},
        };
    plan_.alternatives.reserve(options.size());  // `seen` points into it
    std::vector<const std::vector<PlannedEntry>*> seen = {&plan};
    for (const auto& [id, title, text, entries] : options) {
      std::vector<PlannedEntry> fitted = entries;
      fit_to_limits(fitted, nullptr);
      if (!trains(fitted) || std::any_of(seen.begin(), seen.end(), [&](const auto* other) {
            return same_entries(*other, fitted);
          }))
        continue;
      plan_.alternatives.push_back(simulate(id, title, text, fitted));
      seen.push_back(&plan_.alternatives.back().entries);
    }
  }

  const assess::Assessment& a_;
  PlanSettings settings_;
  Plan plan_;
  std::vector<PlanTarget> targets_by_side_;
  bool prevention_instead_ = false;  // targets found, but none the library can train
  bool found_untrained_ = false;     // ... because the model says the exercises do not train them
  const Exercise* prevention_strength_ = nullptr;  // the preventive strength exercise, if any
  std::vector<Miss> passed_over_;    // exercises whose first sessions missed their group
  std::set<std::string> untrained_;  // groups noted as left untrained (note_untrained)
};

// Whether `test` on `side` is out of the person's reach in week `w`
// (TestEnd::beyond_passive_range).
bool out_of_reach(const WeekResult& w, MeasuredTest test, std::optional<Side> side) {
  return assess::test_result(w.tests, test, side).end == assess::TestEnd::beyond_passive_range;
}

// Whether `test` on `side` ended at its start in week `w` (assess::ended_at_start): its value is
// the start, a bound.
bool at_start(const WeekResult& w, MeasuredTest test, std::optional<Side> side) {
  return assess::ended_at_start(assess::test_result(w.tests, test, side).end);
}

// The first week from `from_week` (at least 1) whose value of `test` on `side` differs from
// `baseline` by at least `detectable`, a week out of reach not counted; r.weeks.end() if none. A
// value at the test's start is a bound beyond which the reading lies, so a change to or from one
// is the least the test would see, and counts.
std::vector<WeekResult>::const_iterator first_detectable_week(const ProgrammeResult& r,
                                                              MeasuredTest test,
                                                              std::optional<Side> side,
                                                              double baseline, double detectable,
                                                              int from_week = 1) {
  const auto from = r.weeks.begin() + std::clamp(from_week, 1, r.programme.weeks + 1);
  return std::find_if(from, r.weeks.end(), [&](const WeekResult& w) {
    const double v = assess::test_value(w.tests, test, side);
    return std::isfinite(v) && !out_of_reach(w, test, side) && std::abs(v - baseline) >= detectable;
  });
}

// What becomes of a targeted test on one side in the re-tests: a re-test, or why it has none
// (a note's reason, after "not re-tested: "). Neither for a test without a detectable change when
// such tests are not kept (keep_unchanged). `held`: the re-test was held back to `from_week`
// from an earlier week with a detectable change.
struct RetestCase {
  std::optional<Retest> retest;
  std::string reason;
  bool held = false;
};

// `from_week`: the first week the test may be re-tested (plan_retests: after a strain).
RetestCase retest_case(const ProgrammeResult& r, MeasuredTest test, std::optional<Side> side,
                       bool keep_unchanged, int from_week) {
  const WeekResult& w0 = r.weeks.front();
  const WeekResult& last = r.weeks.back();
  RetestCase c;
  // A test no person could do at the start has no baseline a person's test could give.
  if (out_of_reach(w0, test, side)) {
    const auto& settings = w0.tests.settings;
    const auto reached = std::find_if(r.weeks.begin() + 1, r.weeks.end(), [&](const WeekResult& w) {
      return w.tests.ok && !out_of_reach(w, test, side);
    });
    c.reason = fmt::format(
        "at week 0 the knee stops extending at {:.1f} deg with the hip at {:g} deg, short of the "
        "isometric tests' {:g} deg, so no person could be placed there (docs/assessment.md, "
        "\"Out of reach\"); ",
        w0.tests
            .strength_test_knee_end_deg[static_cast<std::size_t>(
                model::side_index(side.value_or(Side::right)))]
            .value,
        settings.isometric_hip_flexion_deg, settings.isometric_knee_flexion_deg);
    c.reason += reached != r.weeks.end()
                    ? fmt::format(
                          "the programme is predicted to let the knee reach {:g} deg from "
                          "week {}",
                          settings.isometric_knee_flexion_deg, reached->week)
                    : fmt::format(
                          "the programme is not predicted to let the knee reach {:g} deg "
                          "by week {}",
                          settings.isometric_knee_flexion_deg, r.programme.weeks);
    return c;
  }
  // The model gave no value (not computed: docs/assessment.md) at week 0, or at the end below.
  const auto no_value = [&](int week) {
    return fmt::format(
        "the simulated test gave no value at week {} (not computed; `pulley "
        "assess` on the subject says why), so there is nothing to compare",
        week);
  };
  Retest x;
  x.test = test;
  x.side = side;
  x.baseline = assess::test_value(w0.tests, test, side);
  if (!std::isfinite(x.baseline)) {
    c.reason = no_value(0);
    return c;
  }
  x.detectable = assess::detectable_difference(test, x.baseline);
  x.baseline_at_start = at_start(w0, test, side);
  const auto earliest = first_detectable_week(r, test, side, x.baseline, x.detectable);
  // From week 1 the search is the one above.
  const auto first =
      from_week <= 1 ? earliest
                     : first_detectable_week(r, test, side, x.baseline, x.detectable, from_week);
  c.held = earliest != first;
  if (first != r.weeks.end()) {
    x.week = first->week;
    x.predicted = assess::test_value(first->tests, test, side);
    x.predicted_at_start = at_start(*first, test, side);
    x.why = "the predicted change first exceeds what the test can detect";
    if (c.held) {
      x.why += fmt::format(
          " in week {}, but after the strain the test waits for week {}, the "
          "first the programme loads the strained hamstrings at full effort",
          earliest->week, from_week);
      if (x.week != from_week)
        x.why +=
            fmt::format("; week {} is the first from then on with a detectable change", x.week);
    }
    c.retest = x;
    return c;
  }
  // No detectable change (held back: none from `from_week` on).
  const std::string from = c.held ? fmt::format("from week {} on", from_week) : "";
  x.predicted_at_start = at_start(last, test, side);
  if (x.baseline_at_start && x.predicted_at_start) {
    c.reason = fmt::format(
        "the test ends at its start at week 0 and, as predicted, at week {} too, with no change "
        "the test could detect {} (docs/assessment.md, \"Ended at the start\"): each value "
        "is the start, a bound, not a reading, so there is nothing to compare",
        r.programme.weeks, c.held ? from : "between");
    return c;
  }
  if (!keep_unchanged) return c;
  if (out_of_reach(last, test, side)) {
    c.reason = fmt::format(
        "{}no change the test could detect is predicted, and at week {} the knee is predicted to "
        "stop extending short of the isometric tests' {:g} deg (docs/assessment.md, \"Out of "
        "reach\"), so there is no value at the end to re-test",
        c.held ? from + ", " : "", r.programme.weeks,
        last.tests.settings.isometric_knee_flexion_deg);
    return c;
  }
  x.week = r.programme.weeks;
  x.predicted = assess::test_value(last.tests, test, side);
  if (!std::isfinite(x.predicted)) {
    c.reason = no_value(r.programme.weeks);
    return c;
  }
  x.why = x.baseline_at_start || x.predicted_at_start
              ? "at the end: the predicted change, from or to the test's start (a bound), is at "
                "least this, which may or may not be more than the test can detect"
              : "at the end: the predicted change stays within what the test can detect";
  c.retest = x;
  return c;
}

// Whether the hamstrings on `side` have a capacity, the mean of their muscles', below
// kStrainedCapacity.
bool hamstrings_below_capacity(const model::Subject& subject, Side side) {
  double capacity = 0.0;
  int n = 0;
  for (const auto& m : model::kMuscleNames)
    if (m.group == "hamstrings") {
      capacity += model::resolve_factors(subject, m.name, m.group, side).capacity;
      ++n;
    }
  return n > 0 && capacity / n < kStrainedCapacity;
}

}  // namespace

std::vector<Side> strained_sides(const model::Subject& subject) {
  std::vector<Side> sides;
  for (Side side : model::kSides)
    if (subject.constraints.injured_side == side || hamstrings_below_capacity(subject, side))
      sides.push_back(side);
  return sides;
}

std::optional<Side> strained_side(const model::Subject& subject) {
  if (subject.constraints.injured_side) return subject.constraints.injured_side;
  const std::vector<Side> sides = strained_sides(subject);
  return sides.empty() ? std::nullopt : std::optional<Side>(sides.front());
}

std::vector<StrainReturn> strain_returns(const ProgrammeResult& r) {
  const Programme& p = r.programme;
  std::vector<StrainReturn> out;
  for (Side side : strained_sides(r.weeks.front().subject)) {
    StrainReturn& s = out.emplace_back();
    s.side = side;
    for (int week = 1; week <= p.weeks && s.full_effort_week == 0; ++week)
      for (const ProgrammeEntry& e : p.entries) {
        const Exercise& x = *find_exercise(e.exercise);
        const bool works_hamstrings = x.kind == ExerciseKind::strength &&
                                      ((x.task.joint == "knee" && x.task.moment == "flexion") ||
                                       (x.task.joint == "hip" && x.task.moment == "extension"));
        if (!works_hamstrings || !trains_in_week(e, p, week) ||
            !e.sides[static_cast<std::size_t>(model::side_index(side))])
          continue;
        // chosen: 1e-9 below, so that a progression's rounding (0.7 and 3 x 0.1) still counts.
        if (dose_in_week(e, x, week).effort.value_or(0.0) >= DoseLimits::kMaxEffort - 1e-9) {
          s.full_effort_week = week;
          s.entry = static_cast<std::size_t>(&e - p.entries.data());
          break;
        }
      }
  }
  return out;
}

bool loads_strained_hamstrings(MeasuredTest test, std::optional<Side> side, Side strained) {
  switch (test) {
    case MeasuredTest::nordic_force_n:
      return true;  // both legs lower together
    case MeasuredTest::knee_flexion_torque_nm_per_kg:
    case MeasuredTest::concentric_knee_flexion_nm_per_kg:
    case MeasuredTest::hq_ratio:
    case MeasuredTest::conventional_hq_ratio:
      return side == strained;
    default:
      return false;
  }
}

RetestPlan plan_retests(const ProgrammeResult& r,
                        const std::vector<std::pair<MeasuredTest, std::optional<Side>>>& tests,
                        bool keep_unchanged) {
  // Each note's text after the tests' names ("not re-tested: <why>", "re-tested from week <n>,
  // not before: <why>") with the tests it holds for, in order, each test named once with its
  // sides.
  struct Note {
    std::string why;
    std::vector<std::pair<MeasuredTest, std::vector<std::optional<Side>>>> tests;
  };
  std::vector<Note> notes;
  const auto add_note = [&](std::string why, MeasuredTest test, std::optional<Side> side) {
    auto note =
        std::find_if(notes.begin(), notes.end(), [&](const Note& n) { return n.why == why; });
    if (note == notes.end()) note = notes.insert(notes.end(), Note{std::move(why), {}});
    auto named = std::find_if(note->tests.begin(), note->tests.end(),
                              [&](const auto& t) { return t.first == test; });
    if (named == note->tests.end()) named = note->tests.insert(note->tests.end(), {test, {}});
    named->second.push_back(side);
  };
  // After a strain, a maximal test of strained hamstrings waits for the programme to load them
  // at full effort (docs/training.md, "The planner"): the week a test may be re-tested from (the
  // later side's when it loads both; 0: not within the programme) and the entry that first loads
  // them so.
  struct StrainWait {
    int week = 1;
    std::size_t entry = 0;  // in r.programme.entries
  };
  const std::vector<StrainReturn> strains = strain_returns(r);
  const std::string strain_words =
      strains.size() == 1
          ? fmt::format(
                "after the {0} hamstring strain a test that loads the {0} hamstrings at "
                "full effort waits for the first week the programme does so",
                model::side_name(strains.front().side))
          : "after the right and left hamstring strains a test that loads strained hamstrings at "
            "full effort waits for the first week the programme does so";
  const auto strain_wait = [&](MeasuredTest test,
                               std::optional<Side> side) -> std::optional<StrainWait> {
    std::optional<StrainWait> wait;
    for (const StrainReturn& s : strains) {
      if (!loads_strained_hamstrings(test, side, s.side)) continue;
      if (!wait) wait.emplace();
      if (wait->week == 0 || s.full_effort_week == 0) {
        wait->week = 0;
      } else if (s.full_effort_week >= wait->week) {
        wait->week = s.full_effort_week;
        wait->entry = *s.entry;
      }
    }
    return wait;
  };
  RetestPlan plan;
  std::vector<std::pair<MeasuredTest, std::optional<Side>>> seen;
  for (const auto& [test, side] : tests) {
    if (std::find(seen.begin(), seen.end(), std::pair{test, side}) != seen.end()) continue;
    seen.emplace_back(test, side);
    // The ordinary decision first: a strain holds back only a test that would have a re-test.
    RetestCase c = retest_case(r, test, side, keep_unchanged, 1);
    const std::optional<StrainWait> wait = c.retest ? strain_wait(test, side) : std::nullopt;
    if (wait && wait->week == 0) {
      add_note(fmt::format("not re-tested: {}, which it does not within its {} weeks "
                           "(docs/training.md, \"The planner\")",
                           strain_words, r.programme.weeks),
               test, side);
      continue;
    }
    if (wait && wait->week > 1) c = retest_case(r, test, side, keep_unchanged, wait->week);
    if (c.held) {
      const std::string entry = entry_name(r.programme.entries[wait->entry]);
      const std::string held_by =
          fmt::format("{} (the {} at full effort from week {}; docs/training.md, \"The planner\")",
                      strain_words, entry, wait->week);
      add_note(c.retest ? fmt::format("re-tested from week {}, not before: {}, though the "
                                      "predicted change is detectable earlier",
                                      wait->week, held_by)
                        : fmt::format("not re-tested: {}, and from then on no change the test "
                                      "could detect is predicted",
                                      held_by),
               test, side);
    }
    if (c.retest) plan.retests.push_back(std::move(*c.retest));
    if (!c.reason.empty()) add_note("not re-tested: " + std::move(c.reason), test, side);
  }
  std::stable_sort(plan.retests.begin(), plan.retests.end(),
                   [](const Retest& a, const Retest& b) { return a.week < b.week; });
  for (const Note& n : notes) {
    std::vector<std::string> names;
    for (const auto& [test, sides] : n.tests)
      names.push_back(sides.size() == 2 ? fmt::format("{} (both sides)", assess::test_label(test))
                      : sides.front()   ? fmt::format("{} ({})", assess::test_label(test),
                                                      model::side_name(*sides.front()))
                                        : std::string(assess::test_label(test)));
    plan.notes.push_back(fmt::format("{} {}", fmt::join(names, ", "), n.why));
  }
  return plan;
}

Plan make_plan(const assess::Assessment& assessment, const PlanSettings& settings) {
  if (settings.weeks < PlanSettings::kMinWeeks || settings.weeks > PlanSettings::kMaxWeeks)
    throw InputError(fmt::format("plan: weeks {} is out of range; allowed: {} to {}",
                                 settings.weeks, PlanSettings::kMinWeeks, PlanSettings::kMaxWeeks));
  if (!assessment.ok())
    throw InputError("plan: the assessment could not be completed: " +
                     (assessment.tests.ok ? assessment.findings.message : assessment.tests.message));
  return Planner(assessment, settings).run();
}

}  // namespace pulley::training
