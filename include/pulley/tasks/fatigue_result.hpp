// What a fatiguing task reports beyond the frames every task has (tasks/movement.hpp): how each
// muscle's fatigue evolved, when a hold failed, the sprints of a repeated-sprint protocol, and
// what the fatigue does afterwards to standing, bending and the hamstrings. Plain data; computed
// by the tasks in src/tasks/fatigue_tasks.cpp (docs/fatigue.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pulley::tasks {

/// One muscle at the end of the protocol.
struct MuscleFatigueEnd {
  std::string muscle;         ///< "biceps_femoris_long_r"
  std::string rates;          ///< the joint whose published rates it takes: "knee", "trunk", ...
  double fatigued = 0.0;      ///< fatigued share of its motor units M_F (0 to 1)
  double capacity = 1.0;      ///< residual capacity 1 - M_F (fraction of fresh maximum force)
  double passive_scale = 1.0; ///< factor on its passive force from the tone hypothesis
};

/// One sprint of a repeated-sprint protocol: the stride run at the start of the sprint with the
/// fatigue accumulated so far.
struct SprintBout {
  double start_s = 0.0;  ///< from the protocol's start
  /// Per hamstring head (kHamstringHeads order, right leg): residual capacity at the sprint's
  /// start, the stride's peak tendon force (N) and its strain index (gait_result.hpp).
  std::vector<double> hamstring_capacity, hamstring_peak_force_n, hamstring_strain_index;
};

/// A quantity fresh (before the protocol) and fatigued (after it).
struct FreshAndFatigued {
  double fresh = 0.0, fatigued = 0.0;
};

/// What the fatigue left at the end of the protocol does to the same subject.
struct FatigueAfterEffects {
  /// Quiet standing.
  FreshAndFatigued pelvic_tilt_deg, lumbar_lordosis_deg;
  /// A forward bend (the forward-bend task's defaults): its peaks.
  FreshAndFatigued bend_pelvis_rotation_deg, bend_lumbar_flexion_deg;
  /// A fast stride (the repeated-sprint protocol's own; the fastest shipped run for the others):
  /// each hamstring head's strain index, kHamstringHeads order.
  std::vector<FreshAndFatigued> hamstring_strain_index;
  std::string stride;  ///< which recording the stride is
};

struct FatigueDetails {
  std::string protocol;          ///< what was done, in words
  double duration_s = 0.0;       ///< how long the protocol ran (s)
  /// Holds: when the muscles could no longer hold the posture (s); empty if they held it to the
  /// protocol's limit.
  std::optional<double> endurance_time_s;
  /// Sampled through the protocol: the times (s) and every muscle's residual capacity then
  /// (Model::muscles order).
  std::vector<double> sample_time_s;
  std::vector<std::vector<double>> capacity;
  std::vector<MuscleFatigueEnd> muscles;   ///< at the end, Model::muscles order
  std::vector<SprintBout> sprints;         ///< repeated-sprints only
  std::optional<FatigueAfterEffects> after;
};

}  // namespace pulley::tasks
