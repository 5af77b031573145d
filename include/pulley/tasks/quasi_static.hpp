// Quasi-static frames: a posture held still, or passed through slowly enough that inertia can be
// neglected (docs/tasks.md gives the bound). Every task but gait is a sequence of such frames.
//
// Posture coordinates. Both legs take the same angles (the tasks here are symmetric in the
// sagittal plane; loads may still differ between sides), so a posture is
//   p = (ankle, knee, hip, L5_S1, L4_L5, L3_L4, L2_L3, L1_L2)  (rad),
// and the full configuration q(p) follows from the support: the feet flat on the ground
// (standing_configuration) or the pelvis placed on a seat or a bed.
//
// Equations. With unit forces F, the generalised forces in p must balance:
//   g(p, F) = J^T (Q_gravity + Q_load + Q_passive + R F) = A F - b,   J = dq/dp,
// on the rows the support leaves to the muscles: all eight with the feet on the ground, the five
// lumbar rows on a seat or a bed (which hold the legs). b is the net joint moment the muscles
// must supply: minus the static inverse dynamics (gravity, the hand load, passive tissue).
//
// A frame prescribes some coordinates (p = p0 + B z, z free) and may require balance (the centre
// of mass of body and load a set distance ahead of the ankles). The free posture is the one of
// least effort: static optimisation of the units (recruitment/static_optimization.hpp) plus the
// passive tissues' strain energy, as in quiet standing (standing.hpp).
#pragma once

#include <Eigen/Core>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/recruitment/static_optimization.hpp"

namespace pulley::tasks {

inline constexpr int kNumPosture = 8;
using PostureVector = Eigen::Matrix<double, kNumPosture, 1>;
/// Index of each posture coordinate in p.
enum PostureIndex { kAnkle = 0, kKnee = 1, kHip = 2, kL5S1 = 3, kL1L2 = 7 };
/// Names of the posture coordinates in PostureVector order (also the reserve moments' names).
inline constexpr std::array<const char*, kNumPosture> kPostureNames = {
    "ankle", "knee", "hip", "L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2"};

/// What carries the body.
enum class Support {
  feet,  ///< both feet flat on level ground; muscles balance every joint
  seat,  ///< pelvis and thighs on a seat, feet on the floor: muscles balance the trunk on the pelvis
  bed,   ///< lying: the bed carries every body's weight; muscles balance passive tissue only
};
const char* to_string(Support support);

/// A load held in both hands: its weight acts at a point fixed in the thorax (the arms are part
/// of the head-arms-trunk body and are not modelled apart).
struct HandLoad {
  double mass_kg = 0.0;
  skeleton::Vec2 p_thorax = skeleton::Vec2::Zero();  ///< point of application, thorax frame (m)
};

/// The conditions of one frame besides its posture.
struct FrameConditions {
  Support support = Support::feet;
  Eigen::Vector3d pelvis_pose = Eigen::Vector3d::Zero();  ///< seat, bed: x, y (m), angle (rad)
  HandLoad load;
};

/// Which posture coordinates a frame leaves free: p = p0 + B z, lower <= z <= upper. With
/// `balance`, z[0] is not searched but solved for so that the centre of mass of body and load
/// lies Model::com_anterior_to_ankle ahead of the ankles (feet support only).
struct PostureMap {
  PostureVector p0 = PostureVector::Zero();
  Eigen::MatrixXd B;  ///< (8 x free)
  Eigen::VectorXd lower, upper;
  bool balance = false;
  int num_free() const { return static_cast<int>(B.cols()); }
};

/// The equations of a frame at posture p, and the quantities they are built from. Reuses its
/// storage: no allocation after construction.
class FrameEquations {
 public:
  explicit FrameEquations(const model::Model& model);

  void set_conditions(const FrameConditions& conditions) { conditions_ = conditions; }
  const FrameConditions& conditions() const { return conditions_; }

  /// Configuration, geometry, passive and gravity forces, A and b on all eight rows.
  void evaluate(const PostureVector& p);
  /// Configuration, its Jacobian and body kinematics only.
  void evaluate_kinematics(const PostureVector& p);

  /// First equation row the muscles must satisfy, and how many (contiguous).
  int first_row() const;
  int num_rows() const;
  static int first_row(Support support) { return support == Support::feet ? 0 : kL5S1; }
  static int num_rows(Support support) { return kNumPosture - first_row(support); }

  /// Centre of mass of body and load ahead of the ankles (m), and its gradient in p if asked
  /// (kinematics must be current).
  double com_offset(double* grad);
  /// Thorax angle in W (rad) as an affine function of p: theta(p) = theta(0) + slope . p.
  PostureVector thorax_angle_slope() const;
  /// Point in W of the hand load (kinematics must be current).
  skeleton::Vec2 load_point_W() const;

  const model::Model& model() const { return model_; }
  model::Data data;
  Eigen::VectorXd q;
  Eigen::MatrixXd J;            ///< dq/dp (num_coordinates x 8)
  Eigen::VectorXd Q_external;   ///< gravity and hand load, generalised (num_coordinates)
  Eigen::MatrixXd A;            ///< (8 x units): J^T R
  Eigen::VectorXd b;            ///< (8): -J^T (Q_external + Q_passive)

 private:
  void configure(const PostureVector& p);
  const model::Model& model_;
  FrameConditions conditions_;
  Eigen::VectorXd Q_scratch_;
  std::vector<int> moved_rows_;  // coordinates some unit has a moment arm about, ascending
};

/// The passive-tissue terms of the effort criterion (standing.yaml, `effort`): the strain energy
/// of the lumbar segments and joint limits (data.passive_energy) over
/// Model::passive_energy_reference, plus the passive load of each joint coordinate (lumbar levels,
/// hips, knees, ankles) counted like one muscle's activation, (M_c / passive_load_reference)^2
/// over the number of muscles. Computes data.passive_load on the way (geometry and passive joint
/// forces must be current: FrameEquations::evaluate), which the search needs nowhere else.
double passive_effort(const model::Model& model, model::Data& data);
/// Work space of passive_effort_gradient, sized once for a model.
struct PassiveEffortScratch {
  explicit PassiveEffortScratch(const model::Model& model);
  model::Data data;             ///< geometry and passive loads at the shifted configuration
  Eigen::VectorXd q, direction;  ///< (num_coordinates)
};
/// d/dp of passive_effort at the posture `equations` last evaluated, after passive_effort there
/// (it reads equations.data.passive_load): the energy's is -J^T Q_passive; the passive load's
/// takes one geometry pass at a nearby configuration, done in `scratch` (no allocation).
PostureVector passive_effort_gradient(const model::Model& model, const FrameEquations& equations,
                                      PassiveEffortScratch& scratch);

/// Full configuration of posture p with the pelvis at `pelvis_pose` (x, y, angle), and dq/dp.
void placed_pelvis_configuration(const model::Model& model, const Eigen::Vector3d& pelvis_pose,
                                 const PostureVector& p, Eigen::VectorXd& q,
                                 Eigen::MatrixXd* dq_dp = nullptr);

/// A frame is feasible when the muscles leave less than this unmet on every equation (N m;
/// chosen: a thousandth of the smallest joint moments that matter here, ~10 N m, and far above
/// the ~1e-6 N m the final recruitment leaves when the muscles can supply the moments).
inline constexpr double kUnmetToleranceNm = 1e-2;

/// Settings of the posture search. Defaults are chosen (see the .cpp for why).
struct PostureSearchSettings {
  int max_evaluations = 400;           ///< objective evaluations per frame
  double search_unmet_weight = 1e2;    ///< W while the posture is searched
  double final_unmet_weight = 1e6;     ///< W of the final recruitment
  /// The solver's first search, too, by the quasi-Newton method of the later ones (its curvature
  /// from differences at the start) rather than L-BFGS: for a start already near the answer.
  bool quasi_newton_first = false;
};

/// The result of one frame.
struct FrameSolution {
  bool converged = false;       ///< the posture search stopped on its tolerances
  int evaluations = 0;
  std::string message;
  PostureVector p = PostureVector::Zero();
  Eigen::VectorXd z;            ///< free coordinates at the solution
  Eigen::VectorXd force, activation;  ///< per unit
  Eigen::VectorXd unmet;        ///< per imposed equation row: what the muscles left unmet
  double effort = 0.0;          ///< effort sum + passive energy term at the solution
};

/// Finds the least-effort posture of a frame and its unit forces; warm-started from the previous
/// frame's recruitment and, after its first search (L-BFGS, unless
/// PostureSearchSettings::quasi_newton_first), from the curvature the previous searches measured
/// (numerics/warm_quasi_newton.hpp; L-BFGS goes on where that search fails).
/// One solver per support (the number of equations differs).
class PostureSolver {
 public:
  PostureSolver(const model::Model& model, Support support, PostureSearchSettings settings = {});
  ~PostureSolver();
  PostureSolver(const PostureSolver&) = delete;
  PostureSolver& operator=(const PostureSolver&) = delete;

  /// Searches z from z_start within map's bounds. conditions.support must be this solver's.
  FrameSolution solve(const FrameConditions& conditions, const PostureMap& map,
                      const Eigen::VectorXd& z_start);
  /// Recruitment only, at a given posture (final unmet weight).
  FrameSolution recruit(const FrameConditions& conditions, const PostureVector& p);
  /// Per-unit activation ceilings (see StaticOptimizer::set_max_activation).
  void set_max_activation(const Eigen::VectorXd& max_activation);
  /// Equations at the last solution (for loads and outputs).
  const FrameEquations& equations() const;
  FrameEquations& equations();
  const recruitment::StaticOptimizer& optimizer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A map for a frame where the coordinates given in `prescribed` (NaN = free) are fixed, and,
/// if `thorax_angle` is finite, the thorax angle in W (rad) is too, by eliminating the hip (or, if
/// the hip is prescribed, L1_L2). Bounds per coordinate from `lower` / `upper` (rad).
PostureMap make_posture_map(FrameEquations& equations, const PostureVector& prescribed,
                            double thorax_angle, const PostureVector& lower,
                            const PostureVector& upper, bool balance);

/// p from a map and its free coordinates (balance not applied).
inline PostureVector posture_from(const PostureMap& map, const Eigen::VectorXd& z) {
  return map.p0 + map.B * z;
}

/// Posture coordinates (ankle, knee, hip, L5_S1 ... L1_L2; the right leg's) of configuration q.
PostureVector posture_of(const model::Model& model, const Eigen::VectorXd& q);

/// Free coordinates of a map nearest (least squares) to posture p: a warm start.
Eigen::VectorXd free_from_posture(const PostureMap& map, const PostureVector& p);

}  // namespace pulley::tasks
