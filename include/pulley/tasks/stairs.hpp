// Stair ascent and descent, step over step, from published joint-angle patterns: no stair
// recording with ground reactions is available to Pulley (the shared motion data's README lists
// none), so this file builds one, for a given subject's model, from published key points of the
// stair cycle, and gait's pipeline (tasks/gait_dynamics.hpp: smoothing, inverse dynamics with
// the ground reactions, recruitment, loads, hamstring mechanics) runs it like a recorded stride.
// docs/gait.md ("Stairs") gives every key point with its source.
//
// The synthetic recording, for one subject:
//   - hip, knee and ankle angles of the right leg over the cycle (from the right foot's contact
//     with a step to its next contact two steps further) are shape-preserving periodic cubic
//     curves (Fritsch-Carlson slopes, no overshoot: each curve's extremes are its key points)
//     through published key events, added to the subject's quiet standing angles (a gait
//     laboratory zeroes its angles on a standing trial); the left leg repeats them half a cycle
//     later (a symmetric pattern, chosen);
//   - each foot's vertical ground reaction through its stance is a curve of the same kind through
//     the published double-peaked pattern (body weights); the pipeline scales it, as it does any
//     recording, so that its mean over the stride is this subject's weight;
//   - the pelvis moves forward at the stairs' mean speed (two treads a cycle; chosen: no
//     published horizontal pattern is used) and sits at the height where the loaded feet put it:
//     each foot on the ground puts its lowest sole point on its step's surface; with both feet on
//     the ground the two heights are blended by the feet's published force shares, and the result
//     is smoothed to the climb plus the first three harmonics of the step (the published angles
//     do not put both feet exactly on their steps, so the raw blend jumps where the support
//     passes from foot to foot; the pipeline's sole fit reports what is left);
//   - each foot's horizontal reaction points from its centre of pressure to the body's centre of
//     mass (chosen: the inverted-pendulum approximation), and the centre of pressure moves along
//     the sole (chosen, forefoot contact; stairs.cpp).
// The reactions are not made to balance the synthetic motion: what they leave unbalanced is the
// pelvis residual, reported as for a recording (docs/gait.md gives its size).
// The trunk keeps the quiet standing lordosis (lumbar_extension = 0); in ascent the pelvis leans
// forward by a constant few degrees (docs/gait.md).
#pragma once

#include <Eigen/Core>

#include "pulley/model/model.hpp"
#include "pulley/tasks/gait.hpp"

namespace pulley::tasks {

enum class StairDirection { up, down };

/// Riser height and tread depth of the laboratory staircase of Protopapadaki A, Drechsler WI,
/// Cramp MC, Coutts FJ, Scott OM (2007, Clin Biomech 22:203-210): 18 cm rise, 28.5 cm tread.
inline constexpr double kStairStepHeightM = 0.18;
inline constexpr double kStairGoingM = 0.285;

struct StairSettings {
  StairDirection direction = StairDirection::up;
  double step_height_m = kStairStepHeightM;  ///< riser height (m, > 0)
  double going_m = kStairGoingM;             ///< tread depth: forward travel per step (m, > 0)
  double cycle_s = 0.0;                      ///< one cycle, two steps (s); 0: the default below
  double sample_rate_hz = 200.0;  ///< of the synthetic tables (Hz); chosen: walking's is 100-1000
};

/// Default cycle time (s) of each direction (the source is in stairs.cpp).
double default_stair_cycle_s(StairDirection direction);

/// The share of the cycle the right foot is on its step (the source is in stairs.cpp).
double stair_stance_fraction(StairDirection direction);

/// Citation of the key points, for reports.
const char* stair_pattern_citation();

/// A synthetic recording of 3 stair cycles on `model`, whose quiet standing configuration is
/// `standing_q` (num_coordinates): coordinates (radians) and ground reactions, with the right
/// foot striking its step at t = 0, T and 2 T (T the cycle) and the tables spanning -T/2 to
/// 2.5 T, so that the stride [0, T] and its smoothing windows lie inside. Knee flexion positive.
/// PULLEY_DEMAND on settings outside their ranges (the task's parameters are validated first).
GaitRecording stair_recording(const model::Model& model, const Eigen::VectorXd& standing_q,
                              const StairSettings& settings);

}  // namespace pulley::tasks
