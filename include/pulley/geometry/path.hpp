// Musculotendon paths in the sagittal plane: a polyline through points fixed in bodies, with
// optional frictionless wrapping around circles (the 2-D image of OpenSim's wrap cylinders whose
// axes are mediolateral). Length, moment arms and the forces a unit tension applies to the bodies.
//
// Moment arm convention: r_k = -dl_MT/dq_k, so a tension F produces the generalized force F r_k
// (positive r_k: the muscle drives q_k in its positive, anatomical direction).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "pulley/skeleton/planar_tree.hpp"

namespace pulley::geometry {

using skeleton::Vec2;

struct PathPoint {
  int body = 0;                ///< body the point is fixed in
  Vec2 p_B = Vec2::Zero();     ///< position in that body's frame (m)
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
};

/// A path: points[0] is the origin, points.back() the insertion; wrap[i] (index into circles, or
/// -1) applies between points[i] and points[i + 1].
struct PathSpec {
  std::vector<PathPoint> points;
  std::vector<int> wrap;
  std::vector<WrapCircle> circles;
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
  std::vector<Vec2> polyline_W;      ///< the path as drawn, tangent points included (m)
  std::vector<PathLoad> loads;       ///< forces per unit tension (dimensionless directions)
  int active_wraps = 0;              ///< number of circles currently wrapped
};

/// Reserves space so that calc_path_geometry does not allocate for this path.
void reserve_path_geometry(const PathSpec& path, PathGeometry& geometry);

/// Computes length, drawn polyline and unit-tension loads of `path` at kinematics `kin`.
void calc_path_geometry(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                        const PathSpec& path, PathGeometry& geometry);

/// Moment arms r = J^T (sum of unit-tension loads): r_k = -dl_MT/dq_k for every coordinate k
/// (size num_coordinates). Root coordinates get zero for a path whose loads cancel, as they must.
void calc_moment_arms(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                      const PathGeometry& geometry, Eigen::Ref<Eigen::VectorXd> moment_arms);

}  // namespace pulley::geometry
