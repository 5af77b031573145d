// A training programme (a programme file, docs/programme-file.md) and its simulation on a
// subject over the weeks: the muscles adapt day by day (training/adaptation.hpp) and the outputs
// users care about are evaluated at the start and at the end of every week.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/model/subject.hpp"
#include "pulley/training/adaptation.hpp"
#include "pulley/training/exercise.hpp"

namespace pulley::training {

/// How an entry's dose grows from week to week (added per week after its first, capped at the
/// dose's limits).
struct Progression {
  double effort_per_week = 0.0, load_kg_per_week = 0.0, hold_s_per_week = 0.0;
  int reps_per_week = 0;
};

/// One exercise of a programme.
struct ProgrammeEntry {
  std::string exercise;  ///< an id of the library (pulley exercises)
  Dose dose;             ///< unset fields: the exercise's defaults
  int from_week = 1, to_week = 0;  ///< inclusive; 0 = to the programme's end
  std::string target;              ///< release: the group rolled
  std::string foot = "neutral";    ///< contract-relax: neutral, in or out
  std::array<bool, 2> sides = {true, true};  ///< [right, left]
  Progression progression;
};

struct Programme {
  int weeks = 0;
  std::vector<ProgrammeEntry> entries;
  std::vector<int> missed_weeks;  ///< weeks with no session at all (illness, holiday)
};

/// The last week `entry` runs in a programme of `weeks` weeks: its to_week, or the last week
/// when it has none.
int last_week(const ProgrammeEntry& entry, int weeks);

/// Whether `entry` has sessions in `week` of `programme`: a week from its from_week to its last
/// (last_week) that is not one of the missed weeks.
bool trains_in_week(const ProgrammeEntry& entry, const Programme& programme, int week);

/// The time an entry's sessions take in its first week (min): the session's time on the entry's
/// sides (training::session_minutes) times its sessions a week. A progression of reps or hold
/// time lengthens the later weeks' sessions: entry_minutes_in_week.
double entry_minutes_per_week(const ProgrammeEntry& entry);

/// The time an entry's sessions take in programme week `week` (min), at that week's dose
/// (dose_in_week).
double entry_minutes_in_week(const ProgrammeEntry& entry, int week);

/// Limits of a programme (inclusive), documented in docs/programme-file.md.
struct ProgrammeLimits {
  static constexpr int kMaxWeeks = 260;  ///< 5 years
  /// chosen: at most four sessions a day of all exercises together (one exercise: DoseLimits).
  static constexpr double kMaxTotalSessionsPerWeek = 28.0;
};

/// The week that holds the most sessions of all entries together (the first such week), and
/// how many; entries without sessions_per_week count their exercise's default. Entries must
/// name exercises of the library.
struct BusiestWeek {
  int week = 0;
  double sessions = 0.0;
};
BusiestWeek busiest_week(const Programme& programme);

/// Why a programme cannot be run, in the programme file's terms (docs/programme-file.md), so
/// that a reader of the file can name the line at fault.
struct ProgrammeProblem {
  /// Index in Programme::entries (exercises[0] is the first); none: the programme as a whole.
  std::optional<std::size_t> entry;
  /// The key at fault: within the entry ("to_week", "progression.reps_per_week"; "" for the
  /// entry as a whole), or without an entry "weeks" or "exercises".
  std::string key;
  std::string what;     ///< what is wrong, with the value: "seated_hamstring_stretch takes no reps"
  std::string allowed;  ///< what is allowed instead: "sets and hold_s"
  /// "exercises[1].to_week", "weeks": the key's path in the file.
  std::string path() const;
};

/// The first reason `programme` cannot be run, in the order of check_programme's checks: an
/// unknown exercise, an impossible schedule, a release without a target or a group it is not, a
/// dose field or progression the exercise does not use, a foot position on another exercise,
/// more sessions a week than ProgrammeLimits allows (the entry that takes the busiest week past
/// the limit).
std::optional<ProgrammeProblem> find_programme_problem(const Programme& programme);

/// The problem with progression key `key` ("reps_per_week") in entry `index`, `entry`, of a
/// programme, whatever its value: "<exercise> takes no <key>", allowed the keys its exercise uses
/// (progression_keys); none when the exercise uses it.
std::optional<ProgrammeProblem> progression_key_problem(std::size_t index,
                                                        const ProgrammeEntry& entry,
                                                        std::string_view key);

/// Throws InputError "programme: key '<path>': <what>; allowed: <allowed>" when `programme`
/// cannot be run (find_programme_problem).
void check_programme(const Programme& programme);

/// The dose of `entry` (a strength, stretch or release entry of `exercise`) in programme week
/// `week`: its own fields, the exercise's defaults for the rest, its progression applied for the
/// weeks since its first and capped at DoseLimits.
Dose dose_in_week(const ProgrammeEntry& entry, const Exercise& exercise, int week);

/// The progression keys (Progression's fields, as a programme file names them) `exercise` uses:
/// strength effort_per_week and reps_per_week, and load_kg_per_week where it has a load point;
/// stretches, the contract-relax stretch and release hold_s_per_week; rest none.
std::vector<std::string> progression_keys(const Exercise& exercise);

/// One muscle's adapted parameters in a week (model muscle, with side suffix).
struct MuscleParameters {
  std::string name;                  ///< "semimembranosus_r"
  double max_isometric_force_n = 0.0;  ///< summed over its units
  double optimal_fibre_length_m = 0.0;
  double passive_stiffness_factor = 1.0;
};

/// One week's state and outputs.
struct WeekResult {
  int week = 0;  ///< 0 = before the first session
  model::Subject subject;  ///< the subject with the week's muscle factors and tolerances
  AdaptationState state;
  std::vector<MuscleParameters> muscles;  ///< the model's muscles, in its order
  assess::ClinicalTestResults tests;
  /// The trunk hold's time in `tests` is an earlier week's, carried because the hold's inputs
  /// did not change (ProgrammeSettings::incremental; docs/training.md, Speed).
  bool trunk_hold_carried = false;
  /// Standing and the forward bend as the assessment's findings form them (assess/findings.hpp);
  /// with ProgrammeSettings::loads_and_strain only.
  std::optional<assess::BodyLoads> loads;
  /// The hamstring strain index in the findings' run against the typical subject.
  assess::StrainFindings strain;
};

struct ProgrammeSettings {
  /// Evaluate the bend and the run every week (true) or only the clinical tests and standing.
  bool loads_and_strain = true;
  /// Each week from the last (docs/training.md, Speed): the model's muscles updated in place, the
  /// tests' searches started from last week's results (assess::NearbyResults), and the trunk
  /// hold's time carried while its inputs are unchanged. false: every week compiled and tested
  /// from scratch, as pulley assess would (the reference the incremental weeks are tested against).
  bool incremental = true;
  /// The adaptation's constants (docs/training.md, "Adaptation"), for the sessions' stimuli and
  /// the days' adaptation alike. Other values serve sensitivity studies: a property's gain set to
  /// 0 shows what the others alone change.
  AdaptationModel adaptation = default_adaptation_model();
};

/// What an entry's first session asks of the muscles: its stimulus on that week's model
/// (session_stimulus), so users see which muscles an exercise trains and which it leaves below
/// the activation that trains (docs/training.md, "Stimulus").
struct EntryLoad {
  std::size_t entry = 0;  ///< index in Programme::entries
  int week = 0;           ///< the week of the session: the entry's first that runs
  SessionStimulus stimulus;
  double training_activation = 0.0;  ///< the activation above which a muscle gains (a0)
};
/// Activations below this are not listed as work (chosen: a little above the standing tone of
/// 0.02, which every muscle keeps).
inline constexpr double kListedActivation = 0.05;
/// An entry as printed: its exercise's id with what tells it from another entry of the same
/// exercise, "contract_relax_hamstring_stretch (foot in)", "foam_rolling (quadriceps)".
std::string entry_label(const ProgrammeEntry& entry);
/// An entry as people read it: its exercise's name with what tells it from another entry of the
/// same exercise, "contract-relax hamstring stretch (foot in)", "foam rolling (quadriceps)".
std::string entry_name(const ProgrammeEntry& entry);
/// An entry's dose in words, as the simulation runs it, with every progression the entry has:
/// "3 x 10 (+2 reps a week), effort 0.7 plus 5 kg (+1 kg a week)" (an added load adds to the
/// effort: docs/training.md, "Stimulus"), "1 x 20 s (+10 s a week)", "daily" (rest). A
/// progression that reaches its limit (DoseLimits) within the entry's weeks of a programme of
/// `weeks` weeks says from which week it stays there: "(+0.1 a week, at most 1 from week 5)".
/// The one wording of a dose for the reports and printouts.
std::string dose_text(const ProgrammeEntry& entry, int weeks);
/// ", right leg" or ", left leg" for an entry done on one leg only; "" for both.
std::string one_leg_text(const ProgrammeEntry& entry);
/// The minutes a week an entry takes over the weeks it runs in a programme of `weeks` weeks, in
/// words: "12", or "12-16" when its progression lengthens the sessions (entry_minutes_in_week).
std::string minutes_text(const ProgrammeEntry& entry, int weeks);
/// The side an entry's load is described on: the right unless the entry trains the left alone.
int described_side(const ProgrammeEntry& entry);
/// `load` in words on side `k`: the muscles a strength session trains and those it works below
/// the activation that trains, with their activations; the muscles a stretch tensions.
std::string describe_load(const EntryLoad& load, const Exercise& exercise, int k);

/// An injured muscle (capacity below 0.9) that a strength entry works above 30 % activation in a
/// week: each is also one of ProgrammeResult::notes.
struct InjuredLoad {
  int week = 0;
  std::size_t entry = 0;  ///< index in Programme::entries
  int side = 0;           ///< 0 right, 1 left
  int muscle = 0;         ///< index in model::kMuscleNames
  double activation = 0.0, capacity = 1.0;
};

struct ProgrammeResult {
  Programme programme;
  std::vector<WeekResult> weeks;  ///< week 0 .. programme.weeks
  std::vector<EntryLoad> entry_loads;  ///< entries that ran, in the order of their first sessions
  std::vector<std::string> notes;  ///< e.g. an injured muscle loaded before it recovered
  std::vector<InjuredLoad> injured_loads;  ///< those loads, in the order of their notes
  /// The weeks' bend, run and loads were simulated on a subject of their own (simulate_programme's
  /// `loads_subject`), adapted as the tested one.
  bool loads_on_own_subject = false;
  /// The adaptation's constants the programme ran with (ProgrammeSettings::adaptation).
  AdaptationModel adaptation = default_adaptation_model();
};

/// The caution the printouts and the report put near their top when `result` loads injured muscles
/// (ProgrammeResult::injured_loads), in one line of plain words: each muscle and side with its
/// capacity the first week it is loaded, the weeks and the exercises; "" when it loads none.
std::string injured_load_caution(const ProgrammeResult& result);

/// Where the subject starts with injured muscles (a capacity below 1 at week 0), the sentence that
/// the changes of the first weeks include their recovery of capacity, which the model adds
/// whatever the programme (docs/training.md, "Adaptation"); "" otherwise.
std::string capacity_recovery_note(const ProgrammeResult& result);

/// Where the weeks' bend, run and loads were simulated on a subject of their own
/// (ProgrammeResult::loads_on_own_subject), the sentence that says so; "" otherwise.
std::string loads_subject_note(const ProgrammeResult& result);

/// Trajectory ids (as in the JSON) that readers of the trajectories single out.
inline constexpr const char* kBendLumbarFlexionTrajectory = "bend.peak_lumbar_flexion_deg";
inline constexpr const char* kFascicleLengthTrajectory =
    "biceps_femoris_long.optimal_fibre_length_pct";

/// One output users follow over the weeks, week 0 to the end (NaN where not computed): the
/// trajectories the reports chart and the planner compares.
struct Trajectory {
  std::string id;     ///< as in the JSON: "straight_leg_raise_deg", "bend.peak_lumbar_flexion_deg"
  std::string label;  ///< "passive straight-leg raise"
  std::string unit;   ///< "deg", "" for ratios
  int decimals = 1;
  bool higher_is_better = true;  ///< for reading a change as a gain
  std::vector<double> right;     ///< per week; the whole-body outputs' values
  std::vector<double> left;      ///< per week; empty for whole-body outputs
  /// Per week, as right and left: how the test ended. Empty for outputs that are not tests.
  std::vector<assess::TestEnd> right_end, left_end;
  /// Whether the test of `side` (0 right, 1 left) in the week at `index` lies beyond the range
  /// the person tolerates passively that week (assess::TestEnd::beyond_passive_range): the value
  /// is the model's there, not a result a person's test could give.
  bool out_of_reach(int side, std::size_t index) const {
    return end(side, index) == assess::TestEnd::beyond_passive_range;
  }
  /// Whether that week's test ended at its start (assess::ended_at_start): the value is the
  /// start, a bound, not a reading.
  bool at_start(int side, std::size_t index) const {
    return assess::ended_at_start(end(side, index));
  }

 private:
  assess::TestEnd end(int side, std::size_t index) const {
    const auto& v = side == 0 ? right_end : left_end;
    return index < v.size() ? v[index] : assess::TestEnd::not_computed;
  }
};

/// The outputs of `result` users follow: the hamstring and hip tests, the H:Q ratio, the Nordic
/// force, the biceps femoris long head's fascicle length, the bend's lumbar flexion and L4-L5
/// pressure and the hamstring strain index (the last three only with loads_and_strain).
std::vector<Trajectory> key_trajectories(const ProgrammeResult& result);

/// Runs `programme` on `subject`. Throws InputError for an invalid programme or subject.
/// `loads_subject`, when given, is the subject the weeks' bend, run and loads are simulated on
/// (WeekResult::loads, strain), with the same training adaptations as `subject`, whose model
/// gives the sessions' stimuli and the tests: for a calibrated subject, the assessment's
/// assess::Findings::loads_model, the fitted subject with the factors its findings do not read
/// back at their priors, so that week 0's bend and strain index are the assessment's while its
/// tests are the measurements' fit. It is the same person: its sex, age and body as `subject`'s
/// (muscles' capacities follow `subject`'s).
ProgrammeResult simulate_programme(const model::Subject& subject, const Programme& programme,
                                   const ProgrammeSettings& settings = {},
                                   const model::Subject* loads_subject = nullptr);

/// The first sessions of `programme`'s entries on `subject` (ProgrammeResult::entry_loads), the
/// same as simulate_programme with the same settings finds them, without the weeks' outputs: the
/// days adapt only up to the last entry's first session and no week is tested, so it costs a
/// small part of a simulation (the planner checks its choices with it). Throws as
/// simulate_programme does.
std::vector<EntryLoad> first_session_loads(const model::Subject& subject,
                                           const Programme& programme,
                                           const ProgrammeSettings& settings = {});

}  // namespace pulley::training
