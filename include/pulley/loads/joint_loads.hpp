// Joint loads at static equilibrium: what each lumbar disc, hip and knee carries once the muscle
// forces are known. Each joint is cut and the forces on the part beyond the cut are summed
// (gravity, hand load, ground reaction, muscle loads on that part); the joint carries the rest.
// The net moment at a lumbar level is carried by disc and ligaments; at the hip and knee the
// muscles balance the moments and only the contact force is reported.
//
// Sign conventions (docs/notation.md): compression positive; lumbar shear positive when the
// upper vertebra is pushed forward; anterior tibial shear positive when the tibia is pushed
// forward relative to the femur (the load the anterior cruciate ligament resists).
#pragma once

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"

namespace pulley::loads {

using skeleton::Vec2;

/// Loads carried by one lumbar motion segment.
struct LumbarLoad {
  std::string level;              ///< "L4_L5"
  double compression_n = 0.0;     ///< along the disc normal (N)
  double shear_n = 0.0;           ///< in the disc plane, positive = upper vertebra pushed forward (N)
  double disc_moment_nm = 0.0;    ///< moment carried by disc and ligaments (N m, + = resists flexion)
  double ligament_tension_n = 0.0; ///< posterior ligaments' tension in flexion, included in compression (N)
  double disc_pressure_mpa = 0.0; ///< estimated intradiscal pressure (MPa)
  double posterior_share = 0.5;   ///< share of disc compression on the posterior half (0..1)
};

/// The tibiofemoral joint of one leg, in the tibia's frame (long axis knee to ankle).
struct KneeLoad {
  double compression_n = 0.0;     ///< along the tibial long axis (N)
  double anterior_shear_n = 0.0;  ///< perpendicular to it, + = tibia pushed forward (N)
};

/// A measured ground reaction on one foot: the force (N) and the point it acts at, the centre of
/// pressure (m), in W.
struct GroundContact {
  Vec2 force_W = Vec2::Zero();
  Vec2 point_W = Vec2::Zero();
};

/// Forces from outside the skeleton and how the support carries the body.
struct ExternalLoads {
  Vec2 gravity_W = Vec2(0.0, -9.80665);  ///< (m/s^2); zero when a bed carries every body
  bool legs_supported = false;  ///< a seat and the floor carry the thighs', shanks' and feet's weight
  int hand_body = -1;           ///< body the hand load acts on (-1: none)
  Vec2 hand_point_W = Vec2::Zero();  ///< (m)
  Vec2 hand_force_W = Vec2::Zero();  ///< (N)
  bool feet_on_ground = false;  ///< ground reactions act on the feet (computed by calc_joint_loads)
  /// Ground reactions as measured (gait), per foot [right, left], instead of feet_on_ground's.
  bool ground_measured = false;
  std::array<GroundContact, 2> ground_contacts{};
  /// The bodies' accelerations in a moving frame (inverse dynamics); nullptr for a static one.
  /// Each body then also carries its d'Alembert load: -m a_cm at its centre of mass, -I alpha.
  const skeleton::BodyAccelerations* accelerations = nullptr;
};

/// All joint loads of one frame. Per-side arrays are [right, left].
struct JointLoads {
  std::vector<LumbarLoad> lumbar;      ///< L1_L2 ... L5_S1
  std::array<double, 2> hip_contact_n{};  ///< resultant hip joint contact force (N)
  std::array<KneeLoad, 2> knee{};
  /// Ground reaction per foot at the ankle centre: force x, y (N) and moment (N m); zero off the feet.
  std::array<Eigen::Vector3d, 2> ground{Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()};
};

/// Published limits the lumbar loads are flagged against.
struct LoadLimits {
  /// NIOSH action limit for L5-S1 compression (Waters TR et al. 1993 Ergonomics 36:749-776).
  static constexpr double kCompressionN = 3400.0;
  /// Shear limit for occasional loading (Gallagher S, Marras WS 2012 Clin Biomech 27:973-978).
  static constexpr double kShearN = 1000.0;
};

/// Lumbar loads with unit forces `force_n` (geometry, passive forces and kinematics in data must
/// be current).
std::vector<LumbarLoad> calc_lumbar_loads(const model::Model& model, const model::Data& data,
                                          const Eigen::VectorXd& force_n,
                                          const ExternalLoads& external = {});

/// Every joint load, written into `out` (no allocation once out.lumbar has its five levels).
/// `Q_total` = generalised forces of gravity, hand load, passive tissue and
/// muscles (its leg rows give the ground reactions when the feet are on the ground and they are
/// not measured; it is not read otherwise).
void calc_joint_loads(const model::Model& model, const model::Data& data,
                      const Eigen::VectorXd& force_n, const Eigen::VectorXd& Q_total,
                      const ExternalLoads& external, JointLoads& out);

}  // namespace pulley::loads
