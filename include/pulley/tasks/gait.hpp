// Gait from recorded motion: walking, running and sprinting driven by published joint-angle
// trajectories (OpenSim motion tables, io/motion_table.hpp) and their ground reaction forces.
//
// This part puts a recording on the subject's model and follows the hamstrings through a stride:
//   - the recording's sagittal coordinates become Pulley's configuration (RecordedMotion):
//     pelvis_tx, pelvis_ty, pelvis_tilt; hip_flexion, knee_angle, ankle_angle per side; the
//     recording's single lumbar_extension spread over the five lumbar levels in proportion to
//     each level's neutral-zone compliance (chosen: the split a chain of the passive segments
//     alone would take under one moment; docs/gait.md);
//   - a stride runs from one right foot strike to the next, found from the right foot's vertical
//     ground reaction force (foot_strikes); the cycle origin is that right foot strike;
//   - each hamstring head's musculotendon length through the stride, relative to its length in
//     the upright posture (hips, knees and ankles at zero, the lumbar levels at neutral), as
//     Thelen et al. (2005, MSSE 37:108) report it, and its lengthening velocity.
// Inverse dynamics with the ground reaction forces, recruitment and loads per frame follow in
// docs/gait.md's plan.
#pragma once

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "pulley/io/motion_table.hpp"
#include "pulley/tasks/gait_result.hpp"
#include "pulley/model/model.hpp"
#include "pulley/numerics/gaussian_smoother.hpp"

namespace pulley::tasks {

/// How a recording's model signs knee flexion (motion/README.md of the shared data): Rajagopal
/// 2016 and its descendants count flexion positive, gait2392 and Hamner 2010 negative.
enum class KneeFlexionSign { positive, negative };

/// A recorded motion and the conventions needed to read it.
struct GaitRecording {
  io::MotionTable coordinates;  ///< needs the columns named in this file's comment
  io::MotionTable forces;       ///< ground reaction forces (may be empty: no foot strikes)
  KneeFlexionSign knee_flexion = KneeFlexionSign::positive;
  /// Column of each foot's vertical ground reaction force in `forces`, [right, left].
  std::array<std::string, 2> vertical_force_label = {"ground_force_r_vy", "ground_force_l_vy"};
};

/// A recording's coordinates resolved once for a model: its columns found and checked, the angle
/// unit, knee sign and lumbar shares fixed, so that each configuration is interpolation only.
/// Keeps references to `model` and `recording`, which must outlive it.
class RecordedMotion {
 public:
  /// InputError, naming the file, if the coordinates lack a column this file's comment names or
  /// the header's inDegrees line. `lumbar_base` (L1_L2 ... L5_S1, rad) is the lumbar shape that
  /// lumbar_extension = 0 maps to: each level's neutral when empty, or e.g. the subject's quiet
  /// standing, a shape its muscles hold (the recordings' zero is their model's upright posture).
  RecordedMotion(const model::Model& model, const GaitRecording& recording,
                 const std::array<double, 5>* lumbar_base = nullptr);
  /// Pulley's configuration q (num_coordinates) at time t (s), interpolated linearly between
  /// samples (t is clamped to the recording).
  void configuration(double t, Eigen::VectorXd& q) const;
  /// The configuration and its first and second time derivatives, smoothed: `smoother` runs over
  /// the coordinates' sample times and has been placed at the time wanted (GaussianSmoother::at).
  void smoothed_configuration(const numerics::GaussianSmoother& smoother, Eigen::VectorXd& q,
                              Eigen::VectorXd& qd, Eigen::VectorXd& qdd) const;
  const io::MotionTable& table() const { return table_; }

 private:
  const model::Model& model_;
  const io::MotionTable& table_;
  // A recorded column read straight into one coordinate: q[coordinate] = scale * value.
  struct Direct {
    int column = -1, coordinate = -1;
    double scale = 1.0;
  };
  std::array<Direct, 9> direct_;  // pelvis x, y, tilt; hip, knee, ankle of each side
  int lumbar_column_ = -1;
  double angle_unit_ = 1.0;          // rad per recorded angle unit
  std::array<double, 5> lumbar_share_{};  // L1_L2 ... L5_S1
  std::array<double, 5> lumbar_base_{};   // L1_L2 ... L5_S1 at lumbar_extension = 0 (rad)
};

/// Times (s) at which the vertical force in column `label` of `forces` rises through
/// `threshold_n` (N), interpolated between samples: the foot strikes.
std::vector<double> foot_strikes(const io::MotionTable& forces, const std::string& label,
                                 double threshold_n);

/// Vertical ground reaction at which a foot counts as on the ground: foot strikes, stance and the
/// ground reactions applied in gait dynamics (N). chosen: 20 N, about 3 % of body weight: above
/// the force plates' noise in the shared data (zero between contacts) and reached within a few
/// milliseconds of contact.
inline constexpr double kFootContactThresholdN = 20.0;

/// The first right stride (consecutive right foot strikes, kFootContactThresholdN) that the coordinates cover,
/// wholly or, read as periodic, by at least one full period: InputError, naming the file and
/// the strikes found, if there is none.
Stride first_right_stride(const GaitRecording& recording);

/// The motion's time at `fraction` of the stride (0 to 1; below 0, the motion before the strike,
/// as the stride's history reads it: simulate_gait). Steady gait is read as periodic: a
/// stride time outside the motion is moved by one period into it (the shared walking recording
/// starts 0.18 s after its first right strike), then clamped to the motion's ends. A time within
/// `edge_margin_s` of an end is also moved by a period where that takes it further inside, so a
/// smoothing window centred on it is not cut short.
double stride_sample_time(const Stride& stride, const io::MotionTable& coordinates,
                          double fraction, double edge_margin_s = 0.0);

/// The hamstring heads followed through a stride, per side.
inline constexpr std::array<const char*, 4> kHamstringHeads = {
    "semimembranosus", "semitendinosus", "biceps_femoris_long", "biceps_femoris_short"};

/// A right hamstring head's unit and its musculotendon length upright: hips, knees and ankles at
/// zero, the lumbar levels at neutral (Thelen et al. 2005's reference).
struct HamstringHead {
  int unit = -1;
  double upright_length_m = 0.0;
};
/// The right leg's heads, in kHamstringHeads order.
std::array<HamstringHead, kHamstringHeads.size()> right_hamstring_heads(const model::Model& model);

/// The largest of `values` (one per frame of a stride) over frames 1 .. N-1, and its place in
/// `cycle_pct`: the first and last frames are the same phase, so a peak at the strike reads as
/// the end of the stride.
GaitPeak cycle_peak(const std::vector<double>& values, const std::vector<double>& cycle_pct);

/// One hamstring head (right side) through a stride.
struct HamstringTrace {
  std::string head;                        ///< base name, e.g. "biceps_femoris_long"
  double upright_length_m = 0.0;           ///< musculotendon length upright (m)
  std::vector<double> stretch_pct;         ///< per frame: (l_MT / upright - 1) * 100
  std::vector<double> lengthening_m_s;     ///< per frame: d l_MT / dt (m/s, + lengthening)
  double peak_stretch_pct = 0.0;
  double peak_time_pct_cycle = 0.0;        ///< where the peak falls, % of the stride
};

/// The hamstrings (right side) through one stride sampled at `frames` evenly spaced times, the
/// first at the stride's start and the last at its end (frames >= 3).
struct HamstringKinematics {
  Stride stride;
  std::vector<double> cycle_pct;           ///< per frame, 0 to 100
  std::vector<HamstringTrace> heads;       ///< in kHamstringHeads order
};
HamstringKinematics hamstring_kinematics(const model::Model& model,
                                         const GaitRecording& recording, const Stride& stride,
                                         int frames);

}  // namespace pulley::tasks
