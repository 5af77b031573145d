// The planner (claim S8; docs/training.md, "The planner"): from an assessment, a programme in
// the seeds' order of steps.
//
//   1. After a recent hamstring strain (constraints.injured_side, or a hamstring whose capacity is
//      below 0.9): rest and ice in week 1, then a graded return (low effort rising week by week,
//      the Nordic exercise last).
//   2. Release and stretch what is tight: every group the findings show short or stiff.
//   3. Then strengthen their weak opponents (from week 3 when something was tight): the weak
//      groups that oppose a tight one first, then any other weak group; the hamstrings kept in
//      balance with the quadriceps (the H:Q ratio). Each group gets the first of its exercises
//      whose first session, on the model of the week it starts and at its planned dose, works
//      one of the group's muscles above the activation that trains on each side it is chosen
//      for; a group none trains is left out, with a note.
//   4. When nothing is out of balance: a preventive programme (the Nordic exercise and a
//      hamstring stretch).
//
// The subject file's constraints are respected: only exercises its equipment allows, the
// sessions thinned and then the least important entries dropped until the longest week fits
// minutes_per_week, and the injured side kept from loading until its graded return. The plan is
// simulated (training/programme.hpp) for its predicted effect; re-test dates fall where a
// targeted test's predicted change first exceeds its detectable difference (after a strain, a
// test that loads the strained hamstrings at full effort not before the plan does);
// alternatives (only strengthening, only stretching, everything from week 1) are simulated under
// the same constraints for comparison. A simulation for education and planning, not a
// prescription.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pulley/assess/findings.hpp"
#include "pulley/training/programme.hpp"

namespace pulley::training {

/// Which step of the seeds' order an entry serves.
enum class PlanStep { rest, release_and_stretch, strengthen, prevention };
const char* to_string(PlanStep step);

/// A group the plan works on and why.
struct PlanTarget {
  std::string group;                ///< "hamstrings"
  std::optional<model::Side> side;  ///< none: both sides
  std::string finding;              ///< "tight", "weak", "strained" or "strain_risk"
  std::vector<std::string> evidence;  ///< the results behind it, in words with numbers
};

/// One entry of a proposed programme.
struct PlannedEntry {
  ProgrammeEntry entry;
  PlanStep step = PlanStep::strengthen;
  std::string reason;
  std::string group;              ///< the group a strength entry is chosen to strengthen
  std::optional<model::Side> side;  ///< the side of `group` it strengthens (none: both)
  int priority = 0;               ///< lower is kept first when time is short
};

/// A re-test: when a targeted test is expected to have changed by more than it can detect.
struct Retest {
  int week = 0;  ///< at the end of this programme week
  model::MeasuredTest test = model::MeasuredTest::straight_leg_raise_deg;
  std::optional<model::Side> side;
  double baseline = 0.0, predicted = 0.0, detectable = 0.0;  ///< unit of the test
  /// The baseline or the prediction ended at the test's start (assess::ended_at_start): that
  /// value is a bound, so the change it shows is the least the test would see.
  bool baseline_at_start = false, predicted_at_start = false;
  std::string why;
  /// The predicted change reaches the detectable difference by `week`; false for a test
  /// re-tested at the end without it (plan_retests' keep_unchanged).
  bool detected() const { return std::abs(predicted - baseline) >= detectable; }
};

/// A programme the planner proposes or compares, with its simulation.
struct PlanOption {
  std::string id;  ///< "plan", "strengthen_only", "stretch_only", "all_from_week_1"
  std::string title, description;
  std::vector<PlannedEntry> entries;
  ProgrammeResult result;  ///< its programme is result.programme
  double longest_week_minutes = 0.0;
  std::vector<Retest> retests;  ///< the proposed plan's only
  /// The targeted tests left out of the re-tests, each with why (plan_retests); the proposed
  /// plan's only.
  std::vector<std::string> retest_notes;
};

struct PlanSettings {
  /// Weeks of the programme. chosen: 8, longer than the 6-week trials the adaptation model is
  /// judged on (docs/validation.md) and short enough to re-assess within a clinical episode.
  int weeks = 8;
  /// Simulate the alternatives too (the comparison).
  bool alternatives = true;
  ProgrammeSettings simulation;
  static constexpr int kMinWeeks = 2, kMaxWeeks = 52;  ///< chosen: a plan of up to a year
};

struct Plan {
  std::vector<PlanTarget> targets;
  std::optional<model::Side> strained_side;
  model::TrainingConstraints constraints;
  std::vector<std::string> equipment;  ///< what the plan could use (the household items added)
  PlanOption proposed;
  std::vector<PlanOption> alternatives;
  /// What the plan could not do: groups without an exercise for the equipment, entries dropped
  /// for time, the time limit still exceeded.
  std::vector<std::string> notes;
};

/// The plan for the assessed subject (assessment.model.subject's constraints). Throws InputError
/// for settings out of range.
Plan make_plan(const assess::Assessment& assessment, const PlanSettings& settings = {});

/// The side of a recent hamstring strain, as make_plan reads it: the subject file's
/// constraints.injured_side, else the first side (right, then left) whose hamstrings' capacity,
/// the mean of their muscles', is below 0.9.
std::optional<model::Side> strained_side(const model::Subject& subject);

/// Every side with a recent hamstring strain, right first: the subject file's
/// constraints.injured_side and each side whose hamstrings' capacity, as strained_side reads it,
/// is below 0.9.
std::vector<model::Side> strained_sides(const model::Subject& subject);

/// After a recent hamstring strain, when a programme first loads the strained hamstrings at full
/// effort: from then on a maximal test of them is safe (docs/training.md, "The planner").
struct StrainReturn {
  model::Side side = model::Side::right;  ///< the strained side
  int full_effort_week = 0;               ///< 0: not within the programme
  /// The entry that first does: its index in the programme's entries (none when no entry does).
  std::optional<std::size_t> entry;
};

/// The strain returns of `result`'s programme on its subject, one for each of week 0's
/// strained_sides (none without a strain): the first week the entry has sessions
/// (trains_in_week) in which a strength entry on that side that works the hamstrings (the knee's
/// flexion or the hip's extension) runs at full effort, its dose's effort with its progression
/// reaching DoseLimits::kMaxEffort (an added load is not counted: its share of the effort depends
/// on the week's muscles).
std::vector<StrainReturn> strain_returns(const ProgrammeResult& result);

/// Whether `test` on `side` (none: a whole-body test) loads the hamstrings strained on `strained`
/// at full effort: the isometric and concentric knee flexion tests and the H:Q ratios (whose
/// flexion is maximal) on that side, and the Nordic on either side (both legs lower together).
/// Not the stretch tests, the knee extension tests, nor the trunk hold (the pelvis strapped to
/// the bench, the back muscles hold the trunk).
bool loads_strained_hamstrings(model::MeasuredTest test, std::optional<model::Side> side,
                               model::Side strained);

/// The re-tests of a programme and the targeted tests left out of them, with why.
struct RetestPlan {
  std::vector<Retest> retests;     ///< in week order
  /// "<tests> not re-tested: <why>", or "<tests> re-tested from week <n>, not before: <why>", in
  /// the order of `tests`.
  std::vector<std::string> notes;
};

/// The re-tests of `tests` (each with its side, none for the whole-body tests) in the weeks of
/// `result`: the first week the predicted change exceeds the test's detectable difference
/// (assess::detectable_difference); tests that never change that much are re-tested at the end
/// when `keep_unchanged`, else left out. A value at the test's start (assess::ended_at_start) is
/// a bound and is marked (Retest::baseline_at_start, predicted_at_start).
/// The notes say why a test has no re-test, where it has a reason: the test's posture lies beyond
/// the person's passive range at week 0 (assess::TestEnd::beyond_passive_range, such as an
/// isometric knee test at an angle this knee does not reach: the model's value is no test
/// result), with the week, if any, the programme is predicted to bring it within reach; the test
/// ends at its start at week 0 and at the end with no detectable change between (no reading to
/// compare); the model gave it no value at week 0, or at the end without a detectable change
/// before; or, with `keep_unchanged`, it changes undetectably and is out of reach at the end.
/// After a recent hamstring strain (strain_returns of `result`), a test that would have a
/// re-test and loads strained hamstrings at full effort (loads_strained_hamstrings; the Nordic
/// after strains on both sides loads both) is not re-tested before the week the programme first
/// loads them so (the later side's for both): its re-test falls on the first week from then on
/// whose change is detectable (or at the end, as above), and a note says so; when the programme
/// never loads them so, it is not re-tested, and a note says so.
/// Tests (and sides) with the same reason share one note.
RetestPlan plan_retests(
    const ProgrammeResult& result,
    const std::vector<std::pair<model::MeasuredTest, std::optional<model::Side>>>& tests,
    bool keep_unchanged);

/// The time the busiest of a programme's `weeks` weeks takes with `entries` (min).
double longest_week_minutes(const std::vector<PlannedEntry>& entries, int weeks);

}  // namespace pulley::training
