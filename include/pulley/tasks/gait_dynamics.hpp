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
//      warm-started from the previous frame, and every joint load with the bodies' d'Alembert
//      loads (loads/joint_loads.hpp).
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

}  // namespace pulley::tasks
