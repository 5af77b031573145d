// Gait dynamics: inverse dynamics with the recorded ground reactions, muscle recruitment and joint
// loads at every frame of a stride, and each hamstring head's mechanics (docs/gait.md).
//
// Per frame (the stride's times, from a right foot strike to the next):
//   1. q, qd, qdd from the recorded coordinates smoothed by a Gaussian kernel with the settings'
//      cut-off (numerics/gaussian_smoother.hpp): one zero-lag filter for angles and forces, as
//      Kristianslund et al. (2012, J Biomech 45:666) recommend for inverse dynamics;
//   2. each foot's ground reaction, smoothed the same way (the force and its moment about the
//      laboratory's origin, which fix the centre of pressure), scaled by this subject's mass over
//      the recorded subject's and applied at the centre of pressure carried over to this subject's
//      foot: its offset from the recorded subject's ankle, divided by the size ratio (below);
//   3. inverse dynamics on the planar tree: the joint moments the muscles must supply are
//      M qdd + c - Q_gravity - Q_ground - Q_passive on the eleven joint coordinates (both hips,
//      knees and ankles, five lumbar levels); on the pelvis's three the same sum is the residual
//      the recording leaves unbalanced, reported as OpenSim reports residuals;
//   4. static optimisation of the units (recruitment/static_optimization.hpp, isometric: f_V = 1)
//      warm-started from the previous frame (the lumbar levels settled where the muscles fall
//      short at them, if asked), and every joint load with the bodies' d'Alembert loads
//      (loads/joint_loads.hpp).
// The recorded subject's size: the ratio s of its segment lengths to this subject's is the
// least-squares fit of  pelvis_y + s h = ground_y  over the frames where a foot is loaded, h the
// height of that foot's lowest sole point below the pelvis in this subject's model at the same
// angles. Its mass: the stride's mean vertical ground reaction over g (exact for steady gait).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "pulley/model/model.hpp"
#include "pulley/tasks/gait.hpp"
#include "pulley/tasks/gait_result.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::tasks {

struct GaitSettings {
  int frames = 101;                   ///< per stride, 0 to 100 % of the cycle (>= 3)
  double smoothing_cutoff_hz = 6.0;   ///< of angles and forces (Hz, > 0)
  /// Vertical force below which a foot is off the ground (N), as for foot strikes.
  double contact_threshold_n = kFootContactThresholdN;
  /// The lumbar shape at the recording's lumbar_extension = 0 (L1_L2 ... L5_S1, rad): the
  /// subject's quiet standing (run_task passes it); each level's neutral when empty.
  std::optional<std::array<double, 5>> lumbar_base;
  /// False: every frame keeps the recorded split (RecordedMotion). True: where the muscles fall
  /// short at the lumbar levels there, the levels settle, each turning until its passive tissues
  /// carry its shortfall, their sum kept as recorded (docs/gait.md, "Lumbar levels that
  /// settle").
  bool settle_lumbar_levels = false;
  /// Co-contraction: the least activation of every hamstring and quadriceps unit, both legs,
  /// whatever the moments ask (0 to 1; at or below tone: none). The other muscles rebalance the
  /// moments the added forces make. A unit whose capacity is lower keeps its capacity.
  double cocontraction = 0.0;
};

/// The frames of one stride (time_s from the right foot strike; phase "stance" or "swing" of the
/// right foot) and what gait adds to them.
struct GaitSimulation {
  std::vector<FrameResult> frames;
  GaitDetails details;
};

/// Simulates the first right stride of `recording` on `model`. Throws InputError for a recording
/// that lacks what gait needs (columns, two right foot strikes, force on the ground); never for
/// numerical trouble, which the frames report (feasible, unmet moments).
GaitSimulation simulate_gait(const model::Model& model, const GaitRecording& recording,
                             const GaitSettings& settings = {});

// --- The same pipeline over any frames of a recording -------------------------------------------
// simulate_gait is prepare_motion at the stride's times and its history's before them, the
// recorded mass from the stride's mean force, and simulate_prepared over the stride's frames,
// the history solved first. Tasks that are not strides (sit-to-stand, squat:
// tasks/repetitions.hpp) prepare a recording at its own samples, find the recorded mass and the
// frames an unmeasured support helps carry themselves, and simulate a span of frames.

/// What the smoothing and contact steps need (the first fields of GaitSettings).
struct MotionSettings {
  double smoothing_cutoff_hz = 6.0;   ///< of angles and forces (Hz, > 0)
  double contact_threshold_n = kFootContactThresholdN;  ///< a foot below it is off the ground (N)
  std::optional<std::array<double, 5>> lumbar_base;     ///< as in GaitSettings
  bool settle_lumbar_levels = false;                    ///< as in GaitSettings
};

/// One foot's recorded ground reaction at a frame: loaded where the recorded (unsmoothed) vertical
/// force reaches the contact threshold; then the smoothed force (N, on the recorded subject) and
/// its centre of pressure (m, in the laboratory).
struct FootContact {
  bool loaded = false;
  Eigen::Vector2d force = Eigen::Vector2d::Zero(), point = Eigen::Vector2d::Zero();
};

/// One frame of a recording made ready for dynamics (steps 1 and 2 of this file's comment).
struct PreparedFrame {
  double sample_time_s = 0.0;       ///< where the recording is read (its clock)
  Eigen::VectorXd q, qd, qdd;       ///< smoothed configuration and its first two derivatives
  std::array<FootContact, 2> contacts;  ///< [right, left]
  /// The vertical force that would carry this subject's model through the frame's motion,
  /// M (g + a_cm,y) (N): the model's weight plus its vertical inertia.
  double weight_and_inertia_n = 0.0;
};

/// A recording made ready at a list of times, and the recorded subject's size fitted over them
/// (over those from prepare_motion's `fitted_from` on).
struct PreparedMotion {
  std::vector<PreparedFrame> frames;
  double size_ratio = 1.0, size_fit_rms_m = 0.0;
  double smoothing_cutoff_hz = 0.0;
  bool settle_lumbar_levels = false;  ///< as in MotionSettings
  /// Per frame: the loaded feet's smoothed vertical force summed (N, on the recorded subject).
  double vertical_force_n(int frame) const {
    double f = 0.0;
    for (const FootContact& c : frames[frame].contacts) f += c.loaded ? c.force.y() : 0.0;
    return f;
  }
};

/// Smooths `recording` at `times` (s, in the recording's clock, each within it), finds each
/// foot's contact and fits the recorded subject's size over the loaded feet of the frames from
/// `fitted_from` on (those before it, a history, are only smoothed). InputError if the recording
/// lacks a column or no foot is loaded at any of the fitted frames.
PreparedMotion prepare_motion(const model::Model& model, const GaitRecording& recording,
                              const std::vector<double>& times, const MotionSettings& settings,
                              std::size_t fitted_from = 0);

/// Inverse dynamics, recruitment, joint loads and the hamstrings' mechanics (steps 3 and 4) at
/// frames [first, last] of `prepared`, the ground reactions scaled by this subject's mass over
/// `recorded_mass_kg`. `frame_time_s` (one per prepared frame, increasing) is each frame's
/// reported time (FrameResult::time_s) and the clock of the hamstrings' negative work; the
/// details' cycle_pct runs from 0 to 100 over the span. With `periodic` (a stride) the first and
/// last frame are the same phase and the hamstrings' peaks skip the first. The details name no
/// activity or recording and leave `stride` at 0; frames' phase is left empty unless periodic
/// (then "stance" or "swing" of the right foot). `cocontraction` as in GaitSettings. The
/// recruitment prices force-velocity from frame to frame (StaticOptimizer::set_fibre_motion):
/// the `history_frames` frames before `first` are solved first, the earliest isometric, and not
/// reported, so that the span's first frame follows the motion before it; without a history
/// the span's first frame is isometric (it starts from rest).
GaitSimulation simulate_prepared(const model::Model& model, const PreparedMotion& prepared,
                                 int first, int last, const std::vector<double>& frame_time_s,
                                 double recorded_mass_kg, bool periodic, double cocontraction = 0.0,
                                 int history_frames = 0);

/// Frames of a stride of `frames` frames solved before its first, at the stride's spacing, as
/// the history that gives the first frame's fibres their motion (simulate_gait): a quarter of
/// the stride, rounded up (half of a three-frame stride) (chosen: on the typical man, reserve on,
/// every unit's force in every frame of the walk, the 5 m/s run and a 51-frame stride of it then
/// lies within 0.031 N of what a history of 80 frames gives, 40 for the 51-frame stride, the
/// largest at the first frame; with a fifth, within 0.2 N; with the two frames before the
/// stride's last that earlier builds solved instead, the walk's soleus was 175 N off;
/// docs/gait.md, step 6).
int stride_history_frames(int frames);

/// Below this time between a stride's frames (s) its answers can break down: force-velocity
/// priced from the frame before makes every change of force dearer as the step shrinks, and the
/// calves can no longer follow the stance's force (chosen: above the largest step at which a
/// shipped stride was seen to: on the typical man, reserve on, the runs fall short in their usual
/// share of frames down to 2.56 ms between frames (4 m/s, 266 frames), 2.41 ms (3 m/s, 301) and
/// 2.04 ms (5 m/s, 311), and in most frames from 2.47, 2.37 and 2.00 ms (276, 306 and 317
/// frames); the walk holds every frame down to 1.9 ms (601 frames); docs/validation.md, Known
/// gaps). `pulley simulate` warns below it.
inline constexpr double kShortestReliableFrameStepS = 3e-3;

}  // namespace pulley::tasks
