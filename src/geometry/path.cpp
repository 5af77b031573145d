#include "pulley/geometry/path.hpp"

#include <algorithm>
#include <cmath>

#include "pulley/core/units.hpp"

namespace pulley::geometry {

using skeleton::cross;
using skeleton::perp;
using skeleton::rotate;

namespace {

Vec2 to_world(const skeleton::Kinematics& kin, int body, const Vec2& p_B) {
  return kin.p_WBo[body] + rotate(kin.theta_WB[body], p_B);
}

double wrap_to_two_pi(double angle) {
  angle = std::fmod(angle, 2.0 * kPi);
  return angle < 0.0 ? angle + 2.0 * kPi : angle;
}

struct WrapSolution {
  bool active = false;
  Vec2 t1, t2;      // tangent points (W)
  double arc = 0.0;  // wrapped angle (rad)
};

// Tangent path from P around circle (C, R) to Q, turning `turn` (+1 clockwise, -1 counter-
// clockwise). The tangent point seen from P sits at phi_P -+ acos(R/|P-C|); the wrap is active when
// the arc from T1 to T2 in the turning direction is shorter than half a turn, i.e. when the
// straight line would cross the circle or pass on the forbidden side.
WrapSolution solve_wrap(const Vec2& P, const Vec2& Q, const Vec2& C, double R, int turn) {
  WrapSolution s;
  const Vec2 dP = P - C, dQ = Q - C;
  const double nP = dP.norm(), nQ = dQ.norm();
  if (nP <= R * (1.0 + 1e-9) || nQ <= R * (1.0 + 1e-9)) return s;  // end inside: no wrap
  const double phiP = std::atan2(dP.y(), dP.x()), phiQ = std::atan2(dQ.y(), dQ.x());
  const double betaP = std::acos(R / nP), betaQ = std::acos(R / nQ);
  const double sgn = static_cast<double>(turn);
  const double theta1 = phiP - sgn * betaP;  // clockwise: phi_P - beta_P
  const double theta2 = phiQ + sgn * betaQ;
  const double arc = wrap_to_two_pi(sgn * (theta1 - theta2));
  if (arc <= 0.0 || arc >= kPi) return s;
  s.active = true;
  s.arc = arc;
  s.t1 = C + R * Vec2(std::cos(theta1), std::sin(theta1));
  s.t2 = C + R * Vec2(std::cos(theta2), std::sin(theta2));
  return s;
}

}  // namespace

void reserve_path_geometry(const PathSpec& path, PathGeometry& geometry) {
  const size_t n = path.points.size();
  geometry.polyline_W.reserve(3 * n);
  geometry.loads.reserve(4 * n);
}

void calc_path_geometry(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                        const PathSpec& path, PathGeometry& geometry) {
  (void)tree;
  geometry.polyline_W.clear();
  geometry.loads.clear();
  geometry.length = 0.0;
  geometry.active_wraps = 0;
  const size_t n = path.points.size();
  Vec2 prev = to_world(kin, path.points[0].body, path.points[0].p_B);
  geometry.polyline_W.push_back(prev);
  for (size_t i = 0; i + 1 < n; ++i) {
    const PathPoint& a = path.points[i];
    const PathPoint& b = path.points[i + 1];
    const Vec2 pa = prev;
    const Vec2 pb = to_world(kin, b.body, b.p_B);
    prev = pb;
    const int w = path.wrap.empty() ? -1 : path.wrap[i];
    if (w >= 0) {
      const WrapCircle& circle = path.circles[w];
      const Vec2 c = to_world(kin, circle.body, circle.center_B);
      const WrapSolution s = solve_wrap(pa, pb, c, circle.radius, circle.turn);
      if (s.active) {
        // l = |P T1| + R * arc + |T2 Q|; unit tension pulls P toward T1 and Q toward T2, and
        // presses the circle with (u2 - u1) through its centre (frictionless).
        const Vec2 u1 = (s.t1 - pa).normalized();
        const Vec2 u2 = (pb - s.t2).normalized();
        geometry.length += (s.t1 - pa).norm() + circle.radius * s.arc + (pb - s.t2).norm();
        geometry.loads.push_back({a.body, pa, u1});
        geometry.loads.push_back({circle.body, c, u2 - u1});
        geometry.loads.push_back({b.body, pb, -u2});
        // Drawn arc: a few points along the circle.
        const Vec2 r1 = s.t1 - c;
        constexpr int kArcPoints = 6;
        for (int j = 0; j <= kArcPoints; ++j)
          geometry.polyline_W.push_back(
              c + rotate(-circle.turn * s.arc * j / kArcPoints, r1));
        geometry.polyline_W.push_back(pb);
        ++geometry.active_wraps;
        continue;
      }
    }
    const Vec2 d = pb - pa;
    const double len = d.norm();
    geometry.length += len;
    if (a.body != b.body && len > 0.0) {
      const Vec2 u = d / len;
      geometry.loads.push_back({a.body, pa, u});
      geometry.loads.push_back({b.body, pb, -u});
    }
    geometry.polyline_W.push_back(pb);
  }
}

void calc_moment_arms(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                      const PathGeometry& geometry, Eigen::Ref<Eigen::VectorXd> moment_arms) {
  moment_arms.setZero();
  // r = sum over loads of J(p)^T f (virtual work: -dl = sum f . dp for unit tension)
  for (const PathLoad& load : geometry.loads) {
    moment_arms[0] += load.f_W.x();
    moment_arms[1] += load.f_W.y();
    moment_arms[2] += cross(load.p_W - kin.p_WBo[0], load.f_W);
    for (int a : tree.support(load.body)) {
      const int k = tree.coordinate_of(a);
      if (a == 0 || k < 0) continue;
      moment_arms[k] += tree.body(a).coordinate_sign * cross(load.p_W - kin.p_WJ[a], load.f_W);
    }
  }
}

}  // namespace pulley::geometry
