// Repeated movements from recorded motion: rising from a chair and sitting down again
// (sit-to-stand), and bodyweight squats. The recording is run through gait's pipeline
// (tasks/gait_dynamics.hpp: smoothing, the recorded subject's size, ground reactions carried to
// this subject's feet, inverse dynamics, recruitment and loads) at its own samples, over the whole
// recording or one repetition; docs/tasks.md and docs/gait.md describe it.
//
// What differs from a stride:
//   - The recorded mass. No stride to average over: the feet's vertical force, summed over the
//     frames they alone carry, equals the body's weight plus its vertical inertia summed over the
//     same frames, M_r sum (g + a_cm,y), with a_cm the centre of mass's acceleration of this
//     subject's model moved through the recorded angles (PreparedFrame::weight_and_inertia_n).
//     Over a recording that starts and ends at rest this is its mean force over g.
//   - An unmeasured support. The chair of a sit-to-stand stands beside the force plates, so while
//     seated the feet's force falls short of the body's weight and inertia. A frame counts as
//     supported where the shortfall (the pelvis's vertical residual, on this subject) exceeds
//     kSupportThresholdBw of body weight while the pelvis is in the lower half of its travel
//     (a chair is under the pelvis; higher up, the shortfall is the model's and the recording's
//     error, which reaches 16 % of body weight at the end of a rise). The mass and the supported frames depend on each other:
//     starting from every frame, the mass is found from the frames not supported and the
//     supported ones from the mass until neither changes. Supported frames stay in the results,
//     marked (GaitDetails::unmeasured_support, phase "seated"): their hip and knee loads lack the
//     chair's force on the thighs and pelvis, so the summary's peaks and the repetitions' peaks
//     leave them out, and their pelvis residual is mostly the chair's force.
//   - Repetitions. The pelvis's height (smoothed pelvis_ty) swings between its lowest and
//     highest; each stretch above the middle (sit-to-stand: standing) or below it (squat:
//     squatting) lasting kMinExcursionS or more is one repetition, which runs from the extreme on
//     the other side before it (the lowest pelvis between two stands, the highest between two
//     squats; the recording's ends for the first and last) to the one after it. Its phases meet
//     at the pelvis's highest (sit-to-stand: "rise", then "sit") or lowest point (squat:
//     "descent", then "ascent").
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "pulley/model/model.hpp"
#include "pulley/tasks/gait.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_result.hpp"

namespace pulley::tasks {

enum class RepetitionKind { sit_to_stand, squat };

/// Knee contact forces measured with instrumented knee implants: the average peak resultant
/// tibiofemoral force over five patients, in body weights (Kutzner I, Heinlein B, Graichen F,
/// Bender A, Rohlmann A, Halder A, Beier A, Bergmann G 2010, J Biomech 43:2164-2173): standing up
/// 246 %, sitting down 225 %, knee bend 253 %.
struct KutznerPeaks {
  static constexpr double kStandingUpBw = 2.46;
  static constexpr double kSittingDownBw = 2.25;
  static constexpr double kKneeBendBw = 2.53;
};

/// The phases' names, in order: {"rise", "sit"} or {"descent", "ascent"}.
std::array<const char*, 2> repetition_phase_names(RepetitionKind kind);

/// The vertical force an unmeasured support must add for a frame to count as supported, as a
/// fraction of body weight. chosen: 0.15, twice the largest vertical pelvis residual of the
/// shipped squat recording (7 % of body weight; same subject, laboratory and processing, no
/// chair), so that the model's and the recording's own errors do not mark a frame; a chair
/// carrying less than that is missed (docs/tasks.md).
inline constexpr double kSupportThresholdBw = 0.15;

/// Shortest stretch of the pelvis beyond the middle of its range that counts as a repetition (s).
/// chosen: 0.2 s, a fifth of the shortest such stretch in the shipped recordings (0.95 s: standing
/// between a rise and sitting down 0.96-1.16 s, squatting 0.95-1.14 s), long enough that noise
/// about the middle does not split one.
inline constexpr double kMinExcursionS = 0.2;

/// The pelvis must rise and fall by at least this much for a recording to hold repetitions (m).
/// chosen: 0.1 m, under a third of the shallowest shipped repetition's 0.35 m (the fourth squat).
inline constexpr double kMinPelvisTravelM = 0.1;

/// The recorded subject's mass and which frames an unmeasured support helps carry (this file's
/// comment). Without `detect_support`, no frame is supported and the mass comes from all.
struct SupportFit {
  double recorded_mass_kg = 0.0;
  std::vector<bool> supported;   ///< per prepared frame
  int iterations = 0;
};
/// InputError if the feet carry no force over the frames counted.
SupportFit fit_mass_and_support(const model::Model& model, const PreparedMotion& prepared,
                                bool detect_support,
                                double threshold_bw = kSupportThresholdBw);

/// A repetition's frames in a prepared motion (indices, inclusive).
struct RepetitionSpan {
  int first = 0, turn = 0, last = 0;
};
/// The repetitions of a prepared motion (this file's comment), in order. InputError naming the
/// recording if the pelvis travels less than kMinPelvisTravelM or no repetition is found.
std::vector<RepetitionSpan> find_repetitions(const PreparedMotion& prepared, RepetitionKind kind,
                                             const std::string& source);

struct RepetitionSettings {
  MotionSettings motion;
  int repetition = 0;  ///< 0: the whole recording; k >= 1: the k-th repetition only
  double support_threshold_bw = kSupportThresholdBw;  ///< sit-to-stand's chair (fraction of BW)
};

struct RepetitionSimulation {
  GaitSimulation simulation;   ///< frames at the recording's samples, time_s in its clock
  RepetitionDetails details;
};

/// Runs `recording` (sit-to-stand or squat) on `model`. Throws InputError for a recording that
/// lacks what the task needs (columns, ground reactions, repetitions) or a repetition it does not
/// have; never for numerical trouble, which the frames report.
RepetitionSimulation simulate_repetitions(const model::Model& model,
                                          const GaitRecording& recording, RepetitionKind kind,
                                          const RepetitionSettings& settings);

}  // namespace pulley::tasks
