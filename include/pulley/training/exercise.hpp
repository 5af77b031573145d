// The exercise library (models/exercises/exercises.yaml, compiled into the program): what each
// exercise is, its default dose and the simulated task Pulley derives each muscle's training
// stimulus from (training/stimulus.hpp). docs/training.md describes the library; `pulley
// exercises` lists it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulley::training {

enum class ExerciseKind {
  strength,        ///< the muscles work against a load: stimulus from their activation
  stretch,         ///< a held stretch: stimulus from the muscles' passive tension and hold time
  contract_relax,  ///< a stretch with isometric contractions of the stretched muscles (claim S9)
  release,         ///< foam rolling and other self-release of a target group
  rest,            ///< relative rest and ice after a strain (claim S8): no stimulus
};
const char* to_string(ExerciseKind kind);

enum class Contraction { concentric_eccentric, eccentric, concentric, isometric };
const char* to_string(Contraction mode);

/// A dose: how much of an exercise a session holds. Unset fields take the exercise's default.
struct Dose {
  std::optional<int> sets, reps;
  std::optional<double> hold_s;           ///< each hold or contraction (s)
  std::optional<double> effort;           ///< fraction of the maximal moment at the key posture
  std::optional<double> load_kg;          ///< added load (strength exercises with a load point)
  std::optional<double> sessions_per_week;
};

/// `given` with its unset fields taken from `defaults` (an exercise's default dose).
Dose with_defaults(const Dose& given, const Dose& defaults);

/// Limits of a dose (inclusive), for the library's defaults and programme files alike
/// (docs/programme-file.md). chosen: beyond any published training or stretching protocol, and
/// short of what no session could hold.
struct DoseLimits {
  static constexpr int kMaxSets = 20, kMaxReps = 100;
  static constexpr double kMinHoldS = 1.0, kMaxHoldS = 600.0;
  static constexpr double kMinEffort = 0.05, kMaxEffort = 1.0;
  static constexpr double kMaxLoadKg = 300.0;
  /// At most two sessions of one exercise a day.
  static constexpr int kMaxSessionsPerWeek = 14;
};

/// The simulated task of an exercise (models/exercises/exercises.yaml, `task:`).
struct ExerciseTask {
  /// Key posture (rad): where the exercise loads (strength) or stretches its muscles most.
  double hip_flexion_rad = 0.0, knee_flexion_rad = 0.0;
  /// Stretches: the hip is taken to where the passive hip moment reaches the person's stretch
  /// tolerance (the straight-leg raise's end) instead of hip_flexion_rad.
  bool hip_to_tolerance = false;
  /// Strength: the joint ("hip" or "knee") and the moment the muscles make ("flexion" or
  /// "extension"), the contraction, the seconds a repetition keeps them under tension and where
  /// an added load hangs ("ankle", "hands" or "none").
  std::string joint, moment;
  Contraction mode = Contraction::concentric_eccentric;
  double seconds_per_rep = 0.0;
  std::string load_at = "none";
  /// Strength: one leg carries the exercise (a load in the hands then rests on one hip).
  bool one_leg = false;
  /// Stretches: the group stretched ("hamstrings", "quadriceps", "hip_flexors").
  std::string stretched;
  /// Contract-relax: the contractions' effort (fraction of full) and duration (s).
  double contraction_effort = 0.0, contraction_s = 0.0;
};

/// The equipment the planner knows: the library's `needs:` and the subject file's
/// `constraints.equipment` name these (docs/training.md, "Equipment").
inline constexpr std::array<std::string_view, 13> kEquipment = {
    "ankle_weight", "resistance_band", "dumbbells",    "barbell",     "leg_curl_machine",
    "leg_extension_machine", "bench", "foam_roller",   "mat",         "partner",
    "ankle_strap",  "chair",           "towel"};
/// What every home is taken to have when a plan is made. chosen: a chair (or table or ledge) and
/// a towel, which the contract-relax and band stretches can use.
inline constexpr std::array<std::string_view, 2> kHouseholdEquipment = {"chair", "towel"};

struct Exercise {
  std::string id;  ///< stable snake_case name used in programme files
  std::string name, description;
  std::vector<std::string> equipment;  ///< in words, for people
  /// What the exercise cannot be done without: each inner list is one need, met by any of its
  /// kEquipment ids. Empty: body weight only.
  std::vector<std::vector<std::string>> needs;
  /// A session works each leg in turn (its time counts twice).
  bool each_side = false;
  ExerciseKind kind = ExerciseKind::strength;
  Dose dose;  ///< the default dose (every field the exercise uses is set)
  ExerciseTask task;
  /// Release: the programme entry names the target group (`target:`).
  bool needs_target = false;
};

/// True if `equipment` (kEquipment ids) meets every need of `exercise`.
bool available_with(const Exercise& exercise, const std::vector<std::string>& equipment);

/// How long one session of `exercise` at `dose` (unset fields: the exercise's defaults) takes, in
/// minutes, on `sides` legs (1 or 2; an exercise that is not done each side in turn ignores it).
/// docs/training.md, "Session time", gives the rests and set-up times it counts.
double session_minutes(const Exercise& exercise, const Dose& dose, int sides = 2);

/// Every exercise of the library, in file order.
const std::vector<Exercise>& exercise_library();
/// The exercise with `id`, or nullptr.
const Exercise* find_exercise(const std::string& id);
/// The library file's text (models/exercises/exercises.yaml), with every source note.
const std::string& exercise_library_text();

}  // namespace pulley::training
