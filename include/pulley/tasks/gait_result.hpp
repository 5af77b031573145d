// What a gait simulation reports beyond the frames every task has (tasks/movement.hpp): the
// stride, how the recording was fitted to the subject, the ground reactions and pelvis residuals,
// and each hamstring head's mechanics through the stride. Plain data; computed by
// tasks/gait_dynamics.hpp. The recorded sit-to-stand and squat report the same for their span of
// the recording, and their repetitions' knee peaks (tasks/repetitions.hpp).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <cstddef>
#include <string>
#include <vector>

namespace pulley::tasks {

/// A stride: from a right foot strike to the next (s, in the recording's clock).
struct Stride {
  double start_s = 0.0, end_s = 0.0;
  double duration() const { return end_s - start_s; }
};

/// A quantity's largest value through the stride and where it falls (% of the cycle from the
/// right foot strike).
struct GaitPeak {
  double value = 0.0;
  double time_pct_cycle = 0.0;
};

/// One hamstring head of the right leg through a stride, one entry per frame.
struct HamstringMechanics {
  std::string head;                     ///< base name, e.g. "biceps_femoris_long"
  double upright_length_m = 0.0;        ///< musculotendon length upright (m)
  std::vector<double> stretch_pct;      ///< (l_MT / upright - 1) * 100
  std::vector<double> lengthening_m_s;  ///< d l_MT / dt (m/s, + lengthening)
  std::vector<double> fibre_length_m;   ///< l_M (m)
  std::vector<double> fibre_strain;     ///< l_M / l_M_opt - 1 (dimensionless)
  std::vector<double> force_n;          ///< tendon force (N)
  /// Work the head absorbs while it lengthens: the integral of F max(d l_MT / dt, 0) over the
  /// stride (J, >= 0; "negative work" of the muscle).
  double negative_work_j = 0.0;
  GaitPeak peak_stretch_pct, peak_fibre_strain, peak_lengthening_m_s, peak_force_n;
  /// Strain demand per frame: while the head lengthens, its tendon force over the force it can
  /// still produce (F_M_max times capacity) times its fibre strain beyond optimal length; zero
  /// otherwise (dimensionless; docs/fatigue.md, "Hamstring strain index").
  std::vector<double> strain_demand;
  /// The strain index: the stride's peak strain demand, and where it falls.
  GaitPeak strain_index;
  /// strain_index over the typical subject's in the same stride (same stature, mass and sex, no
  /// muscle factors); empty when the typical subject's index is zero (its fibres never work
  /// beyond optimal length while lengthening) and a ratio would mean nothing.
  std::optional<double> relative_strain_index;
};

/// The joint equations of gait, in the order of GaitDetails::unmet_nm.
inline constexpr std::array<const char*, 11> kGaitEquationNames = {
    "hip_r", "knee_r", "ankle_r", "hip_l", "knee_l", "ankle_l",
    "L1_L2", "L2_L3", "L3_L4", "L4_L5", "L5_S1"};

struct GaitDetails {
  std::string activity;         ///< "walk", "run", "sprint"
  std::string recording;        ///< e.g. "hamner2013_running/run300"
  std::string citation;         ///< of the recording
  double speed_m_s = 0.0;       ///< of the recording
  /// The motion and forces are synthesised from published patterns (the stairs), not recorded
  /// from one person: recorded_mass_kg is then the pattern's mean vertical force over g.
  bool synthetic = false;
  Stride stride;                ///< gait: the stride; sit-to-stand, squat: the simulated span
  double smoothing_cutoff_hz = 0.0;
  /// The recorded subject's mass (kg): mean vertical ground reaction over the stride over g.
  double recorded_mass_kg = 0.0;
  /// The recorded subject's segment lengths over this subject's, fitted so that the loaded
  /// foot's sole meets the ground (dimensionless), and the fit's rms sole height error (m).
  double size_ratio = 1.0, size_fit_rms_m = 0.0;
  std::vector<double> cycle_pct;  ///< per frame, 0 to 100
  /// Per frame, walk, run and sprint: where the recording was read (its clock, s; a stride that
  /// wraps reads part of itself a period away, tasks::stride_sample_time). Empty otherwise.
  std::vector<double> sample_time_s;
  /// Per frame, walk, run, sprint and the stairs: how far forward of the pelvis's place in the
  /// recording the stride passes it (m): 0 for a frame read in place, the pelvis's advance over a
  /// period (about 0 on a treadmill) for one read a period early. task_to_mot adds it for viewing.
  std::vector<double> pelvis_offset_m;
  /// Per frame and foot [right, left]: ground reaction on this subject (N, x forward, y up).
  std::vector<std::array<Eigen::Vector2d, 2>> ground_force_n;
  /// Per frame: what the recorded ground reactions leave unbalanced at the pelvis, as in
  /// OpenSim's residuals: force x, y (N) and moment (N m) the pelvis would need.
  std::vector<Eigen::Vector3d> pelvis_residual;
  /// Per frame: the joint moments the muscles left unmet, in kGaitEquationNames order (N m).
  std::vector<std::array<double, 11>> unmet_nm;
  std::vector<HamstringMechanics> hamstrings;  ///< in kHamstringHeads order
  /// Per frame, in tasks whose recording has a support it did not measure (a chair): true where
  /// that support helps carry the body (tasks/repetitions.hpp). Those frames' pelvis residual is
  /// mostly the support's force, and their hip and knee loads lack it. Empty in gait.
  std::vector<bool> unmeasured_support;

  /// The largest pelvis residual force (N, magnitude of x and y) and moment (N m) over the frames.
  struct ResidualPeaks {
    double force_n = 0.0, moment_nm = 0.0;
  };
  /// Over the frames no unmeasured support helps carry (all frames in gait).
  ResidualPeaks peak_pelvis_residual() const {
    ResidualPeaks peaks;
    for (std::size_t j = 0; j < pelvis_residual.size(); ++j) {
      if (supported(j)) continue;
      const auto& r = pelvis_residual[j];
      peaks.force_n = std::max(peaks.force_n, r.head<2>().norm());
      peaks.moment_nm = std::max(peaks.moment_nm, std::abs(r[2]));
    }
    return peaks;
  }
  bool supported(std::size_t frame) const {
    return frame < unmeasured_support.size() && unmeasured_support[frame];
  }
};

// --- Repetitions: sit-to-stand and squat (tasks/repetitions.hpp) ---------------------------------

/// The knee's peaks over a span of frames, counting only the frames the feet alone carry. NaN
/// times and values when there is no such frame.
struct KneePeaks {
  int frames = 0;                      ///< frames counted
  double compression_bw = 0.0;         ///< largest tibiofemoral compression, either knee (x BW)
  double compression_time_s = 0.0;     ///< when (the recording's clock)
  double knee_flexion_deg = 0.0;       ///< right knee flexion then
  /// Largest resultant of compression and anterior shear, either knee (x BW): the quantity
  /// instrumented implants measure (their resultant also holds the out-of-plane components).
  double resultant_bw = 0.0;
  double anterior_shear_n = 0.0;       ///< largest (most anterior) tibial shear, either knee (N)
  double anterior_shear_time_s = 0.0;
  double posterior_shear_n = 0.0;      ///< largest posterior tibial shear, either knee (N, > 0)
};

/// One phase of a repetition: sit-to-stand "rise" and "sit", squat "descent" and "ascent".
struct RepetitionPhase {
  std::string name;
  double start_s = 0.0, end_s = 0.0;   ///< its first and last frame (the recording's clock)
  KneePeaks knee;
};

struct Repetition {
  int number = 0;                      ///< 1, 2, ... in the recording's order
  double start_s = 0.0, end_s = 0.0;   ///< its first and last frame (the recording's clock)
  /// Where the phases meet: the highest pelvis of a sit-to-stand (standing), the lowest of a squat.
  double turn_s = 0.0;
  /// Sit-to-stand: the first frame after the chair's support that the feet carry alone, and the
  /// first frame after the turn that the chair helps carry again; NaN where the repetition has
  /// none (the recording starts or ends standing) and in a squat.
  double seat_off_s = 0.0, seat_on_s = 0.0;
  std::array<RepetitionPhase, 2> phases;
  KneePeaks knee;                      ///< over the whole repetition
};

struct RepetitionDetails {
  /// Vertical force an unmeasured support must add, as a fraction of body weight, for a frame to
  /// count as supported; NaN when the task has no such support (squat).
  double support_threshold_bw = 0.0;
  int supported_frames = 0;            ///< of the simulated frames
  double peak_support_force_n = 0.0;   ///< largest vertical pelvis residual among them (N)
  int repetitions_in_recording = 0;
  std::vector<Repetition> repetitions; ///< the simulated ones
  /// Means over the simulated repetitions of each phase's peaks and the whole repetition's.
  std::array<KneePeaks, 2> mean_phase;
  KneePeaks mean;
};

}  // namespace pulley::tasks
