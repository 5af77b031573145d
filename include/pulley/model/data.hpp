// Per-thread scratch for a Model, sized once and laid out by pipeline stage (the MuJoCo mjData
// pattern). Each stage's fields name the function that computes them.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "pulley/geometry/path.hpp"
#include "pulley/model/model.hpp"
#include "pulley/skeleton/planar_tree.hpp"

namespace pulley::model {

struct Data {
  explicit Data(const Model& model);
  /// Scratch whose calc_musculotendon_geometry computes only `units` (model unit indices,
  /// ascending, no repeats): the other units' lengths and moment arms stay zero. For analyses that
  /// need only the units crossing some joints (the clinical tests move one leg at a time).
  Data(const Model& model, std::vector<int> units);

  // --- built once from the model by the constructor ---
  /// The units calc_musculotendon_geometry computes, ascending: every unit unless the Data was
  /// made for some. Path j of path_set and paths[j] belong to unit units[j].
  std::vector<int> units;
  geometry::PathSet path_set;  ///< those units' paths in flat arrays, with the joints each spans
  std::vector<double> fibre_height;  ///< per unit, l_M_opt sin(alpha_opt) (m), for calc_passive_load
  /// Per unit, an earlier unit with the same parameters whose path is its mirror image (its left
  /// or right twin), or -1: at equal lengths both have the same passive force.
  std::vector<int> twin;

  // --- computed by calc_musculotendon_geometry ---
  skeleton::Kinematics kin;
  std::vector<geometry::PathGeometry> paths;  ///< (units.size()); polyline_W is left empty
  Eigen::VectorXd l_MT;                       ///< musculotendon lengths (m), (num_units)
  Eigen::MatrixXd moment_arms;                ///< r_k = -dl_MT/dq_k (m), (num_coordinates x num_units)
  /// The moment arms in path order when the Data is for some units only (scattered into
  /// moment_arms' columns); empty otherwise.
  Eigen::MatrixXd subset_moment_arms;
  /// The kinematics of the last call: a unit whose bodies have not moved since keeps its path
  /// (geometry::calc_path_set), as the strapped legs of the prone hold do in every posture the
  /// search tries.
  geometry::PathSetMemo path_memo;

  // --- computed by calc_passive_joint_forces ---
  Eigen::VectorXd Q_passive;   ///< generalized forces of lumbar segments, joint limits and ligaments
  double passive_energy = 0.0; ///< their strain energy relative to the reference pose (J)

  // --- computed by calc_passive_load ---
  /// The passive moment each coordinate carries: Q_passive plus every unit's passive fibre force
  /// (tendon taken rigid) times its moment arm (N m), (num_coordinates). Zero on the root's.
  Eigen::VectorXd passive_load;
  Eigen::VectorXd passive_force;  ///< each unit's rigid_tendon_passive_force (N), (num_units)
};

/// Kinematics, path geometry, lengths and moment arms of every unit at configuration q (of
/// data.units only, for a Data made for some units). No allocation after the first call.
void calc_musculotendon_geometry(const Model& model, const Eigen::VectorXd& q, Data& data);

/// Passive moment of one lumbar level at lordosis q (rad): M = -k (1 + (d/c)^2) d, d = q - q0,
/// c = c_flexion or c_extension by the sign of d (N m); and its strain energy (J).
double lumbar_passive_moment(const LumbarLevel& level, double q, double* energy = nullptr);

/// The same level's tangent stiffness at q, -dM/dq = k (1 + 3 (d/c)^2) (N m/rad).
double lumbar_passive_stiffness(const LumbarLevel& level, double q);

/// Anderson & Pandy limit moment of a leg joint at Pulley coordinate value q (N m, acting on q);
/// and its energy relative to q = 0 (J).
double joint_limit_moment(const JointLimit& limit, double q, double* energy = nullptr);

/// Moment of a joint's ligaments at Pulley coordinate value q (N m, acting on q); and their
/// strain energy (J, zero at the engagement angle and wherever they are slack).
double joint_ligament_moment(const JointLigament& ligament, double q, double* energy = nullptr);

/// Lumbar segments, joint limits and joint ligaments: data.Q_passive and data.passive_energy.
void calc_passive_joint_forces(const Model& model, const Eigen::VectorXd& q, Data& data);

/// Passive fibre force of a unit along its tendon with the tendon taken rigid (N): the fibre spans
/// x = l_MT - l_T_slack along the tendon at height h = muscle::fibre_height(params), so
/// F = F_P(l_M) cos(alpha) with l_M = sqrt(x^2 + h^2), cos(alpha) = x / l_M. It derives from the
/// fibre's strain energy as a function of l_MT, so the passive loads below derive from one energy.
double rigid_tendon_passive_force(const muscle::MusculotendonParameters& params, double h,
                                  double l_MT);

/// data.passive_load (geometry and passive joint forces must be current).
void calc_passive_load(const Model& model, Data& data);

}  // namespace pulley::model
