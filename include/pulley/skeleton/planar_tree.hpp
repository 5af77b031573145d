// A planar (sagittal) kinematic tree of rigid bodies: a floating root (the pelvis) with three
// coordinates (x, y, angle) and revolute or welded joints below it.
//
// Frames and notation (docs/notation.md): world W has x anterior and y superior; angles are
// counter-clockwise about the out-of-plane z axis, which points to the subject's right (OpenSim's
// convention). theta_WB is the angle of body B in W; p_WBo the position of B's origin in W; p_BJ a
// point J fixed in B, expressed in B. Units: metres, radians, kilograms.
//
// A revolute joint's coordinate q is anatomical: theta_WB = theta_WP + angle_offset + sign * q, so
// `sign` = -1 makes, e.g., knee flexion positive although the shank turns clockwise.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

namespace pulley::skeleton {

using Vec2 = Eigen::Vector2d;

/// The vector v turned a quarter turn counter-clockwise: d/dtheta of (R(theta) v) = perp(R v).
inline Vec2 perp(const Vec2& v) { return {-v.y(), v.x()}; }
/// Planar cross product a x b (the z component).
inline double cross(const Vec2& a, const Vec2& b) { return a.x() * b.y() - a.y() * b.x(); }
/// A planar rotation R(theta) kept as cos(theta) and sin(theta), so that it turns vectors without
/// trigonometry. R * v gives exactly the same result as rotate(theta, v).
struct Rotation2 {
  double c = 1.0;  ///< cos(theta)
  double s = 0.0;  ///< sin(theta)
  static Rotation2 from_angle(double theta) { return {std::cos(theta), std::sin(theta)}; }
  Vec2 operator*(const Vec2& v) const { return {c * v.x() - s * v.y(), s * v.x() + c * v.y()}; }
};
/// R(theta) v.
inline Vec2 rotate(double theta, const Vec2& v) { return Rotation2::from_angle(theta) * v; }

enum class JointType { floating, revolute, weld };

/// One rigid body and the joint that connects it to its parent.
struct BodySpec {
  std::string name;
  int parent = -1;                        ///< index of the parent body; -1 for the root only
  JointType joint = JointType::revolute;  ///< floating for the root
  std::string coordinate;                 ///< revolute: the coordinate's name, e.g. "knee_r"
  double coordinate_sign = 1.0;           ///< +1 or -1, see the file comment
  double angle_offset = 0.0;              ///< angle of B in its parent when q = 0 (rad)
  Vec2 p_PJ = Vec2::Zero();               ///< joint centre in the parent frame (m)
  Vec2 p_BJ = Vec2::Zero();               ///< joint centre in this body's frame (m)
  double mass = 0.0;                      ///< (kg)
  Vec2 p_Bcm = Vec2::Zero();              ///< centre of mass in this body's frame (m)
  double inertia_cm = 0.0;                ///< moment of inertia about the CoM, out of plane (kg m^2)
};

/// The compiled tree. Bodies are stored parents first. Coordinates: 0, 1, 2 are the root's x, y
/// and angle; then one per revolute joint, in body order.
class PlanarTree {
 public:
  /// Validates and compiles; throws std::invalid_argument on a malformed tree (a bug in model data).
  explicit PlanarTree(std::vector<BodySpec> bodies);

  int num_bodies() const { return static_cast<int>(bodies_.size()); }
  int num_coordinates() const { return num_coordinates_; }
  const BodySpec& body(int b) const { return bodies_[b]; }
  /// Index of the coordinate of body b's joint, or -1 for a weld (the root has 0, 1, 2).
  int coordinate_of(int b) const { return coordinate_of_body_[b]; }
  /// The body whose joint owns coordinate k (k >= 3), or 0 for the root's coordinates.
  int body_of_coordinate(int k) const { return body_of_coordinate_[k]; }
  const std::string& coordinate_name(int k) const { return coordinate_names_[k]; }
  /// Bodies from the root to b, root first, b last.
  const std::vector<int>& support(int b) const { return support_[b]; }
  /// Index of the body or coordinate with this name; -1 if none.
  int find_body(const std::string& name) const;
  int find_coordinate(const std::string& name) const;
  double total_mass() const { return total_mass_; }
  /// True if body a is b or one of b's ancestors.
  bool is_in_support(int a, int b) const { return in_support_[a * num_bodies() + b] != 0; }

 private:
  std::vector<BodySpec> bodies_;
  int num_coordinates_ = 3;
  std::vector<int> coordinate_of_body_;
  std::vector<int> body_of_coordinate_;
  std::vector<std::string> coordinate_names_;
  std::vector<std::vector<int>> support_;
  std::vector<char> in_support_;
  double total_mass_ = 0.0;
};

/// Positions and orientations for one configuration (computed by calc_kinematics).
struct Kinematics {
  std::vector<double> theta_WB;  ///< body angles (rad)
  std::vector<Rotation2> R_WB;   ///< body orientations R(theta_WB): p_W = p_WBo + R_WB * p_B
  std::vector<Vec2> p_WBo;       ///< body origins (m)
  std::vector<Vec2> p_WJ;        ///< joint centres in W (the root's is its origin) (m)
  std::vector<Vec2> p_WBcm;      ///< centres of mass (m)
  void resize(int num_bodies);
};

/// Forward kinematics: fills kin from q (size num_coordinates). No allocation once kin is sized.
void calc_kinematics(const PlanarTree& tree, const Eigen::VectorXd& q, Kinematics& kin);

/// A point fixed in body b, given in W, and the derivative of its position with respect to
/// coordinate k (zero when k does not move b).
Vec2 point_velocity_column(const PlanarTree& tree, const Kinematics& kin, int b, const Vec2& p_W,
                           int k);

/// Q += J(p)^T f: the generalized forces of a force f_W (N) applied at point p_W fixed in body b.
void add_point_force(const PlanarTree& tree, const Kinematics& kin, int b, const Vec2& p_W,
                     const Vec2& f_W, Eigen::VectorXd& Q);

/// Q += the generalized forces of a pure moment tau (N m, counter-clockwise) applied to body b.
void add_body_moment(const PlanarTree& tree, int b, double tau, Eigen::VectorXd& Q);

/// Generalized gravity forces for gravity vector g_W (m/s^2), e.g. (0, -9.80665).
void calc_gravity_forces(const PlanarTree& tree, const Kinematics& kin, const Vec2& g_W,
                         Eigen::VectorXd& Q);

/// Whole-body centre of mass (m).
Vec2 calc_center_of_mass(const PlanarTree& tree, const Kinematics& kin);

/// Accelerations of every body in W: of its centre of mass (m/s^2) and its angular acceleration
/// (rad/s^2), as inverse dynamics finds them (the d'Alembert loads of joint-load analysis).
struct BodyAccelerations {
  std::vector<Vec2> a_WBcm;
  std::vector<double> alpha_WB;
  void resize(int num_bodies);
};

/// Inverse dynamics: tau = M(q) qdd + c(q, qd) - Q_gravity, the generalized forces that produce
/// accelerations qdd at velocities qd (recursive Newton-Euler in the plane). At rest, tau equals
/// minus the gravity forces. `kin` must hold calc_kinematics(q). The bodies' accelerations are
/// written into `accelerations` when it is given (no allocation once it is sized).
void calc_inverse_dynamics(const PlanarTree& tree, const Kinematics& kin, const Eigen::VectorXd& qd,
                           const Eigen::VectorXd& qdd, const Vec2& g_W, Eigen::VectorXd& tau,
                           BodyAccelerations* accelerations = nullptr);

}  // namespace pulley::skeleton
