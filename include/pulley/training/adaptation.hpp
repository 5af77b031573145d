// How the muscles adapt to training over days and weeks (docs/training.md gives the equations,
// the sources of every constant and where the evidence is thin).
//
// Stimulus. Each exercise's session gives each muscle (per side) a stimulus derived from the
// exercise's simulated task on the subject's own model (session_stimulus below):
//   strength     the muscle's activation a when the muscles make `effort` of the largest moment
//                they can at the exercise's key posture (least-effort recruitment of
//                recruitment/max_moment.hpp), as an intensity i = clamp((a - a0) / (1 - a0)),
//                times a volume factor v = 1 - exp(-sets reps / n_v);
//   fascicle     i v times the share of the repetition that lengthens the muscle (eccentric 1,
//                concentric and eccentric 0.5, isometric and concentric 0);
//   stiffness    for stretches and release: the hold's exposure 1 - exp(-hold / t_h) times the
//                muscle's passive tension at the stretch posture over the largest in the group;
//   tolerance    for hamstring stretches and release: the same exposure (the person's).
// Adaptation. For each property x (a factor of its value at the start), the target of the last
// seven days' sessions is x* = 1 + G q min(1, n / n_full), where n is the number of days with a
// session, q the mean of their stimuli and G the property's largest published change; x moves
// towards x* with a first-order lag, time constant tau_rise when x* lies further from 1 than x
// (a larger change from the start) and tau_decay otherwise.
// Strength. The strength stimulus drives two properties: the neural drive N (fast) and the
// muscle's volume V (hypertrophy, slow). F_max is the physiological cross-section times a
// specific tension, and the cross-section is volume over fibre length, so F_max follows
// N V / L with L the fascicle length factor: sarcomeres added in series lengthen the fibres and
// add no force (AdaptationState::strength).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/model/model.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/training/exercise.hpp"

namespace pulley::training {

inline constexpr int kNumMuscles = static_cast<int>(model::kMuscleNames.size());

/// The index of a muscle (no side suffix) in model::kMuscleNames, the order of the per-muscle
/// arrays below, or -1.
constexpr int muscle_index(std::string_view name) {
  for (int m = 0; m < kNumMuscles; ++m)
    if (model::kMuscleNames[m].name == name) return m;
  return -1;
}

/// One adaptable property's constants (docs/training.md cites each).
struct AdaptationConstants {
  double gain = 0.0;             ///< G: the change at a full stimulus held (fraction; < 0 lowers)
  double sessions_full = 2.0;    ///< n_full: session days a week for the full change
  double tau_rise_days = 1.0;    ///< towards a larger change
  double tau_decay_days = 1.0;   ///< back towards the start
};

/// The model's constants. Sources in adaptation.cpp and docs/training.md.
struct AdaptationModel {
  AdaptationConstants neural;       ///< the neural drive's share of F_max (strength stimulus)
  AdaptationConstants hypertrophy;  ///< muscle volume (strength stimulus)
  AdaptationConstants fascicle_length, stiffness, stretch_tolerance;
  double intensity_threshold = 0.3;   ///< a0
  double volume_reps = 6.0;           ///< n_v (repetitions)
  double hold_exposure_s = 10.0;      ///< t_h (s): a session's time in the stretch saturates
  double capacity_recovery_days = 2.3;  ///< an injured muscle's capacity back towards full
};
const AdaptationModel& default_adaptation_model();

/// One session's stimulus, per side [right, left] and muscle (model::kMuscleNames order).
struct SessionStimulus {
  std::array<std::array<double, kNumMuscles>, 2> strength{}, fascicle{}, stiffness{};
  double tolerance = 0.0;  ///< hamstring stretch exposure (the person's, both sides)
  /// What the simulated task found, per side and muscle, for reports: activation at the key
  /// posture (strength) or passive tension over F_M_max (stretches).
  std::array<std::array<double, kNumMuscles>, 2> activation{}, passive_tension{};
  double effort = 0.0;  ///< the effort used (strength), after any load
  /// Where the stretch held the hip at the person's tolerance: the straight-leg raise it held,
  /// per side (deg; empty elsewhere). A search hint for the next session's (session_stimulus).
  std::array<std::optional<double>, 2> tolerance_raise_deg;
};

/// One muscle's part in a session (SessionStimulus) on one side, for reports.
struct MuscleLoad {
  int muscle = 0;                ///< index in model::kMuscleNames
  double activation = 0.0;       ///< strength: F_M_max-weighted activation at the key posture
  double passive_tension = 0.0;  ///< stretches: passive tension over F_M_max
  double strength = 0.0, fascicle = 0.0, stiffness = 0.0;  ///< the session's stimuli
};
/// The muscles session `s` works on side `k` (0 right, 1 left), the most loaded first: those
/// with an activation of at least `min_activation`, a passive tension or a stimulus.
std::vector<MuscleLoad> muscle_loads(const SessionStimulus& s, int k, double min_activation);

/// The stimulus of one session of `exercise` at `dose` (unset fields: the exercise's defaults)
/// on `model` (the subject's at the session's week), on `sides` ([right, left]). `target` is the
/// group a release works on; `foot` ("neutral", "in" or "out") the foot position of a
/// contract-relax stretch (claim S9; docs/training.md, "Foot position"). Throws InputError for a
/// dose the exercise cannot take (a load on an exercise without a load point). `raise_near_deg`:
/// per side, a straight-leg raise held before (tolerance_raise_deg), where the search for the
/// hip's tolerance starts; it changes no result (assess::SearchHint). `constants`: the intensity
/// threshold, volume and hold exposure constants the stimulus uses.
SessionStimulus session_stimulus(const model::Model& model, const Exercise& exercise,
                                 const Dose& dose, const std::string& target,
                                 std::array<bool, 2> sides = {true, true},
                                 std::string_view foot = "neutral",
                                 std::array<std::optional<double>, 2> raise_near_deg = {},
                                 const AdaptationModel& constants = default_adaptation_model());

/// The adaptable state, as factors of the subject's values at the start (1 = unchanged).
struct AdaptationState {
  std::array<std::array<double, kNumMuscles>, 2> neural, volume, fascicle_length, stiffness;
  std::array<std::array<double, kNumMuscles>, 2> capacity;  ///< absolute, 0..1
  double stretch_tolerance = 1.0;
  AdaptationState();
  /// The F_max factor of muscle m on side k (0 right, 1 left): neural drive times the
  /// physiological cross-section, volume over fascicle length.
  double strength(int k, int m) const {
    return neural[k][m] * volume[k][m] / fascicle_length[k][m];
  }
};

/// One day's sessions (possibly none).
struct TrainingDay {
  std::vector<SessionStimulus> sessions;
};

/// Advances `state` by one day given the last seven days (`recent`, oldest first, today last).
void advance_day(AdaptationState& state, const std::vector<const TrainingDay*>& recent,
                 const AdaptationModel& constants = default_adaptation_model());

}  // namespace pulley::training
