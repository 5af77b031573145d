// Musculotendon paths in the sagittal plane: a polyline through points fixed in bodies, with
// optional frictionless wrapping around circles (the 2-D image of OpenSim's wrap cylinders whose
// axes are mediolateral). Length, moment arms and the forces a unit tension applies to the bodies.
//
// Moment arm convention: r_k = -dl_MT/dq_k, so a tension F produces the generalized force F r_k
// (positive r_k: the muscle drives q_k in its positive, anatomical direction).
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "pulley/skeleton/planar_tree.hpp"

namespace pulley::geometry {

using skeleton::Vec2;

/// The motion a planar hinge leaves out: as coordinate q turns the joint, a 3-D joint also
/// rotates and slides its child body out of the sagittal plane (the knee's tibia turns about its
/// long axis as the knee flexes). A point of the child body at 3-D position (x, y, z) in it (z
/// mediolateral) then projects on the plane at p_B + A(q) (x, y, z) + b(q) in the child's planar
/// frame. The joint is an OpenSim CustomJoint of one coordinate (Rajagopal et al. 2016's walker
/// knee): parent and child offset frames of the same orientation R_PO in their bodies (origins
/// p_PO, p_CO), rotations q about the offset frame's x axis, then rot_z(q) about z and rot_y(q)
/// about y (body-fixed), and translations (trans_x, trans_y, trans_z)(q) along the offset frame's
/// axes; polynomials highest power first, as in the .osim file. A and b take out the plain hinge
/// about the parent's z axis through p_PO, so both are zero at q = 0.
struct CoupledMotion {
  int coordinate = -1;        ///< q: the hinge's coordinate (positive as the joint function's)
  Eigen::Matrix3d R_PO = Eigen::Matrix3d::Identity();
  Eigen::Vector3d p_PO = Eigen::Vector3d::Zero();  ///< (m, unscaled)
  Eigen::Vector3d p_CO = Eigen::Vector3d::Zero();  ///< (m, unscaled)
  std::vector<double> rot_z, rot_y, trans_x, trans_y, trans_z;  ///< rad or m (unscaled) of q
  double length_scale = 1.0;  ///< the child body's scale: b(q) is scaled by it, A(q) is not
  bool operator==(const CoupledMotion&) const = default;
};

/// A(q), b(q) of a CoupledMotion and their derivatives with respect to q.
struct CoupledMotionState {
  Eigen::Matrix<double, 2, 3> A = Eigen::Matrix<double, 2, 3>::Zero();
  Eigen::Matrix<double, 2, 3> dA = Eigen::Matrix<double, 2, 3>::Zero();
  Vec2 b = Vec2::Zero(), db = Vec2::Zero();
};

/// The child's offset frame in the parent's body at q = 0 (R_PC, p_PC: p_P = p_PC + R_PC p_C),
/// the rest every evaluation measures the motion from; it depends on the joint data only, so a
/// PathSet computes it once per motion (coupled_motion_rest).
struct CoupledMotionRest {
  Eigen::Matrix3d R_PC = Eigen::Matrix3d::Identity();
  Eigen::Vector3d p_PC = Eigen::Vector3d::Zero();
};

CoupledMotionRest coupled_motion_rest(const CoupledMotion& motion);

/// Evaluates `motion` at q from its rest (coupled_motion_rest(motion)), with the derivatives in
/// closed form.
CoupledMotionState evaluate_coupled_motion(const CoupledMotion& motion,
                                           const CoupledMotionRest& rest, double q);

struct PathPoint {
  int body = 0;                ///< body the point is fixed in
  Vec2 p_B = Vec2::Zero();     ///< position in that body's frame (m)
  /// Index into PathSpec::motions of the coupled motion that moves the point within its body
  /// (p_B is then its place at q = 0), or -1 for a point fixed in it.
  int motion = -1;
  double z_B = 0.0;            ///< mediolateral position (m), used only with a motion
};

/// A circle that the segment between two consecutive points wraps around when the straight line
/// would pass on the forbidden side (unilateral, like OpenSim's quadrant setting).
struct WrapCircle {
  int body = 0;                ///< body the circle is fixed in
  Vec2 center_B = Vec2::Zero(); ///< centre in that body's frame (m)
  double radius = 0.0;         ///< (m)
  /// +1: travelling from the earlier to the later point, the path keeps the circle on its right
  /// (turns clockwise around it); -1: on its left (counter-clockwise).
  int turn = 1;
  int motion = -1;             ///< as PathPoint::motion, for the centre
  double z_B = 0.0;            ///< as PathPoint::z_B, for the centre
};

/// The circles one segment of a path wraps, in the order the path meets them going from its
/// earlier point to its later one: indices into PathSpec::circles, -1 for none (a second circle
/// only after a first). Two: the hamstrings turn over the ischium at the hip and over the
/// condyles at the knee between the same two points.
using SegmentWraps = std::array<int, 2>;
inline constexpr SegmentWraps kNoWraps{-1, -1};

/// A path: points[0] is the origin, points.back() the insertion; wrap[i] applies between
/// points[i] and points[i + 1] (empty: no wraps).
struct PathSpec {
  std::vector<PathPoint> points;
  std::vector<SegmentWraps> wrap;
  std::vector<WrapCircle> circles;
  std::vector<CoupledMotion> motions;  ///< what PathPoint::motion and WrapCircle::motion index
};

/// Where unit tension acts on the skeleton: force f_W at point p_W fixed in body `body`.
struct PathLoad {
  int body;
  Vec2 p_W;
  Vec2 f_W;
};

/// Geometry of one path at one configuration.
struct PathGeometry {
  double length = 0.0;               ///< l_MT (m)
  /// The path as drawn, tangent points included (m); filled only on request (PathDrawing::kDraw).
  std::vector<Vec2> polyline_W;
  std::vector<PathLoad> loads;       ///< forces per unit tension (dimensionless directions)
  int active_wraps = 0;              ///< number of circles currently wrapped
  /// What moving points add to the moment arms beyond the loads' J^T f: (coordinate, f . dp/dq)
  /// for each load on a point or circle that a coupled motion moves.
  std::vector<std::pair<int, double>> coupled_moment_arms;
};

/// Whether calc_path_geometry also fills PathGeometry::polyline_W, which only drawing needs.
enum class PathDrawing {
  kSkip,  ///< leave polyline_W empty (mechanics only: length, loads, active wraps)
  kDraw,  ///< also fill polyline_W, with a few points along each wrapped arc
};

/// Reserves space so that calc_path_geometry does not allocate for this path.
void reserve_path_geometry(const PathSpec& path, PathGeometry& geometry);

/// Computes length, unit-tension loads and (with kDraw) the drawn polyline of `path` at
/// kinematics `kin`. Length and loads do not depend on `drawing`.
void calc_path_geometry(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                        const PathSpec& path, PathGeometry& geometry,
                        PathDrawing drawing = PathDrawing::kDraw);

/// Moment arms r = J^T (sum of unit-tension loads) + the coupled motions' terms: r_k = -dl_MT/dq_k
/// for every coordinate k (size num_coordinates). Root coordinates get zero for a path whose loads
/// cancel, as they must.
void calc_moment_arms(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                      const PathGeometry& geometry, Eigen::Ref<Eigen::VectorXd> moment_arms);

/// The coordinates whose moment arms a path can make nonzero, and through which joints, found once
/// per path and tree by make_moment_arm_map. Unit tension loads the bodies with a balanced force
/// system (each straight part pulls its two ends equally and oppositely along one line; a wrapped
/// part's three forces have zero net force and moment), so a joint that supports every body the
/// path touches, and the root, get an exactly zero moment arm and are left out.
struct MomentArmMap {
  struct Term {
    int coordinate;  ///< k
    int joint_body;  ///< the body whose joint owns coordinate k
    double sign;     ///< that joint's coordinate_sign
  };
  std::vector<int> coordinates;  ///< the coordinates the path can move, ascending
  /// The terms of a load on body b are terms[first_term[b]] ... terms[first_term[b + 1] - 1]: the
  /// coordinates in `coordinates` whose joint supports b, root side first (as in tree.support(b)).
  std::vector<Term> terms;
  std::vector<int> first_term;  ///< (num_bodies + 1)
};

/// Builds the map of `path` on `tree` (bodies of its points and circles).
MomentArmMap make_moment_arm_map(const skeleton::PlanarTree& tree, const PathSpec& path);

/// The moment arms of calc_moment_arms above, computed only for map.coordinates; every other entry
/// is set to exactly zero. The rows in map.coordinates are summed in the same order as above, so
/// they are bitwise equal to its results; the others differ from them by rounding only.
void calc_moment_arms(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                      const PathGeometry& geometry, const MomentArmMap& map,
                      Eigen::Ref<Eigen::VectorXd> moment_arms);

/// Many paths (a model's musculotendon units) compiled into flat arrays by make_path_set, for
/// calc_path_set. Path i's points come in order, paths follow one another, and each point and
/// circle carries the moment-arm terms of the loads it can receive (its body's terms in the path's
/// MomentArmMap), so that the per-frame loop reads contiguous memory and makes no calls per path.
struct PathSet {
  struct Point {
    int body;
    SegmentWraps wrap;  ///< circles wrapped by the segment from this point to the next (indices
                        ///< into circles, in path order), or -1
    int first_term;  ///< moment-arm terms of a load at this point: [first_term, end_term)
    int end_term;
    Vec2 p_B;
    int motion = -1;  ///< index into motions, or -1
    double z_B = 0.0;
  };
  struct Circle {
    WrapCircle circle;  ///< circle.motion indexes motions
    int first_term;  ///< moment-arm terms of the load on the circle: [first_term, end_term)
    int end_term;
  };
  /// The paths' coupled motions, one per coordinate (at most kMaxMotions; chosen: the default
  /// model has two, the knees, and the evaluated states live on the stack, without allocation).
  static constexpr int kMaxMotions = 8;
  std::vector<CoupledMotion> motions;
  std::vector<CoupledMotionRest> motion_rest;  ///< coupled_motion_rest of each motion
  /// For each motion, an earlier one with the same joint data but the coordinate, or -1: where
  /// their coordinates have one value, calc_path_set evaluates the joint once.
  std::vector<int> motion_twin;
  std::vector<Point> points;
  std::vector<int> first_point;  ///< path i has points [first_point[i], first_point[i + 1])
  std::vector<Circle> circles;
  std::vector<MomentArmMap::Term> terms;
  /// Mirror images (a left unit and its right one): path i is path mirror_of[i] (< i, or -1 for
  /// none) with every body b of its points, circles and moment-arm terms replaced by
  /// body_mirror[b] and every coordinate k by coordinate_mirror[k]. Where each such body b moves
  /// exactly as body_mirror[b] (bit b of mirror_bodies[i] marks those with body_mirror[b] != b),
  /// path i's geometry is path mirror_of[i]'s with bodies and coordinates mirrored: its
  /// moment-arm rows mirror_rows[first_mirror_row[i] ...] (pairs: row of path i, row of its image).
  std::vector<int> mirror_of;
  std::vector<int> body_mirror, coordinate_mirror;
  std::vector<std::uint64_t> mirror_bodies;
  std::vector<std::pair<int, int>> mirror_rows;
  std::vector<int> first_mirror_row;
  /// Per path, bit b set for each body whose placement its numbers depend on: the bodies of its
  /// points, circles, moment-arm terms and coupled motions (all bits where the tree has more
  /// than 64 bodies).
  std::vector<std::uint64_t> depends_on;
  int num_paths() const { return static_cast<int>(first_point.size()) - 1; }
};

/// What calc_path_set last computed into one set of geometries and moment arms: the kinematics
/// it saw. A later call into the same storage leaves alone every path none of whose bodies has
/// moved since (bitwise: a body held still, as the strapped legs of a prone hold, or a posture
/// evaluated again); what that path would compute is exactly what it holds.
struct PathSetMemo {
  skeleton::Kinematics kin;
  bool valid = false;  ///< kin belongs to the storage's current contents
};

/// Compiles `paths` on `tree` into a PathSet; `maps` holds each path's make_moment_arm_map, in the
/// same order (a model makes them once: model::MusculotendonUnit::moment_arm_map). `body_mirror`
/// (one entry per body, a body's mirror image or itself; empty: none) pairs each path with an
/// earlier one that is its mirror image.
PathSet make_path_set(const skeleton::PlanarTree& tree, const std::vector<const PathSpec*>& paths,
                      const std::vector<const MomentArmMap*>& maps,
                      const std::vector<int>& body_mirror = {});

/// For every path i of `set`: geometries[i] as calc_path_geometry with PathDrawing::kSkip, and
/// column i of moment_arms (num_coordinates x num_paths) as calc_moment_arms with the path's
/// MomentArmMap. The results are bitwise equal to those calls'. A mirror image whose mirrored
/// bodies move exactly as their images (both legs at the same angles) is copied from its pair,
/// which computes the same numbers. `geometries` must hold num_paths entries;
/// reserve_path_geometry makes the call free of allocation. With a `memo` that has only ever been
/// used with this set, `geometries` and `moment_arms`, paths whose bodies have not moved since
/// the last call are skipped (their results are already there) and the memo is brought up to date.
void calc_path_set(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                   const PathSet& set, std::vector<PathGeometry>& geometries,
                   Eigen::Ref<Eigen::MatrixXd> moment_arms, PathSetMemo* memo = nullptr);

}  // namespace pulley::geometry
