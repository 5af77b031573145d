// Muscle moment arms over a sweep of one joint angle, the other joints held at a neutral,
// standing-like configuration (for `pulley moment-arms` and the validation in docs/validation.md).
//
// Convention (docs/notation.md): r = -dl_MT/dq, so a positive moment arm drives the joint in its
// positive anatomical direction: hip flexion, knee flexion, ankle dorsiflexion, segmental lordosis
// (lumbar extension). A muscle's moment arm is the mean of its units' moment arms weighted by their
// F_M_max, over the units that cross the joint (a fascicle that does not span a lumbar level does
// not dilute the others').
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"

namespace pulley::tasks {

/// Joints a sweep can run over, as named on the command line.
inline constexpr std::string_view kSweepJoints[] = {"hip",   "knee",  "ankle", "L1_L2",
                                                    "L2_L3", "L3_L4", "L4_L5", "L5_S1"};

/// The coordinate of `joint` ("hip", "knee", "ankle" or a lumbar level such as "L4_L5") on
/// `side` (lumbar levels have one coordinate for both sides); -1 if the name is not a joint.
int sweep_joint_coordinate(const model::Model& model, std::string_view joint, model::Side side);

/// Base configuration of a sweep: pelvis at the origin with zero tilt, hips, knees and ankles at
/// 0 (anatomical neutral: hip straight, knee fully extended, foot at right angles to the shank),
/// each lumbar level at its neutral (zero-moment) lordosis, which is close to standing.
Eigen::VectorXd neutral_configuration(const model::Model& model);

/// Moment arm (m) of muscle `muscle` about `coordinate` from current geometry in `data`, and the
/// number of its units that cross the joint (|r| > 1e-9 m). 0 when none crosses.
double muscle_moment_arm(const model::Model& model, const model::Data& data, int muscle,
                         int coordinate, int* crossing_units = nullptr);

/// One muscle's moment arms over a sweep.
struct MuscleMomentArms {
  int muscle = -1;                   ///< index into Model::muscles
  int crossing_units = 0;            ///< its units that cross the joint somewhere in the sweep
  std::vector<double> moment_arm_m;  ///< per angle (m)
};

/// A muscle group's moment arms over a sweep: the F_M_max-weighted mean over the crossing units of
/// all its muscles on one side (e.g. "hip_flexors" = iliacus and psoas).
struct GroupMomentArms {
  std::string group;
  int crossing_units = 0;
  std::vector<double> moment_arm_m;  ///< per angle (m)
};

struct MomentArmSweep {
  int coordinate = -1;
  Eigen::VectorXd base_q;                 ///< configuration of every other coordinate
  std::vector<double> angle_rad;          ///< values of the swept coordinate
  std::vector<MuscleMomentArms> muscles;  ///< the muscles that cross the joint, in model order
  std::vector<GroupMomentArms> groups;    ///< groups with a crossing muscle (side `side` only)
};

/// Sweeps `coordinate` over `angle_rad` from `base` (neutral_configuration if empty) and returns
/// every muscle of `side` that crosses it. Muscles of both sides are included when `both_sides`.
MomentArmSweep sweep_moment_arms(const model::Model& model, int coordinate,
                                 const std::vector<double>& angle_rad, model::Side side,
                                 const Eigen::VectorXd& base = Eigen::VectorXd(),
                                 bool both_sides = false);

}  // namespace pulley::tasks
