#include "pulley/geometry/path.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace pulley::geometry {

using skeleton::cross;
using skeleton::perp;
using skeleton::rotate;

namespace {

// A polynomial (highest power first) and its derivative at q, by Horner's rule.
std::pair<double, double> polynomial(const std::vector<double>& c, double q) {
  double v = 0.0, dv = 0.0;
  for (double a : c) {
    dv = dv * q + v;
    v = v * q + a;
  }
  return {v, dv};
}

// The rotation by `angle` about coordinate axis `axis` (0 x, 1 y, 2 z).
Eigen::Matrix3d rotation(int axis, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  const int i = (axis + 1) % 3, j = (axis + 2) % 3;
  Eigen::Matrix3d R = Eigen::Matrix3d::Zero();
  R(axis, axis) = 1.0;
  R(i, i) = c;
  R(j, j) = c;
  R(j, i) = s;
  R(i, j) = -s;
  return R;
}

// d/dtheta of rotation(axis, theta) is rotation(axis, theta) * K(axis), K the cross-product matrix.
Eigen::Matrix3d cross_matrix(int axis) {
  Eigen::Matrix3d K = Eigen::Matrix3d::Zero();
  const int i = (axis + 1) % 3, j = (axis + 2) % 3;
  K(j, i) = 1.0;
  K(i, j) = -1.0;
  return K;
}

// The child's offset frame in the parent's body at x: p_P = p_PC + R_PC p_C (child body points),
// and the derivatives of R_PC and p_PC with respect to x.
struct ChildPlacement {
  Eigen::Matrix3d R_PC, dR_PC;
  Eigen::Vector3d p_PC, dp_PC;
};

ChildPlacement place_child(const CoupledMotion& m, double x) {
  const auto [a, da] = polynomial(m.rot_z, x);
  const auto [c, dc] = polynomial(m.rot_y, x);
  const Eigen::Matrix3d Rx = rotation(0, x), Rz = rotation(2, a), Ry = rotation(1, c);
  const Eigen::Matrix3d R = Rx * Rz * Ry;
  const Eigen::Matrix3d dR = Rx * cross_matrix(0) * Rz * Ry + da * (Rx * Rz * cross_matrix(2) * Ry) +
                             dc * (R * cross_matrix(1));
  const auto [tx, dtx] = polynomial(m.trans_x, x);
  const auto [ty, dty] = polynomial(m.trans_y, x);
  const auto [tz, dtz] = polynomial(m.trans_z, x);
  const Eigen::Vector3d p_CO_in_O = m.R_PO.transpose() * m.p_CO;
  ChildPlacement out;
  out.R_PC = m.R_PO * R * m.R_PO.transpose();
  out.dR_PC = m.R_PO * dR * m.R_PO.transpose();
  out.p_PC = m.p_PO + m.R_PO * (Eigen::Vector3d(tx, ty, tz) - R * p_CO_in_O);
  out.dp_PC = m.R_PO * (Eigen::Vector3d(dtx, dty, dtz) - dR * p_CO_in_O);
  return out;
}

Vec2 to_world(const skeleton::Kinematics& kin, int body, const Vec2& p_B) {
  return kin.p_WBo[body] + kin.R_WB[body] * p_B;
}

// The value of revolute coordinate k, from the body angles (theta_B = theta_P + offset + sign q).
double coordinate_value(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin, int k) {
  const int b = tree.body_of_coordinate(k);
  const skeleton::BodySpec& spec = tree.body(b);
  return (kin.theta_WB[b] - kin.theta_WB[spec.parent] - spec.angle_offset) * spec.coordinate_sign;
}

// The coupled motions of a path or path set, evaluated at one configuration.
struct MotionStates {
  const std::vector<CoupledMotion>& motions;
  std::array<CoupledMotionState, PathSet::kMaxMotions> state;

  // `rests` (PathSet::motion_rest) and `twins` (PathSet::motion_twin): each motion's rest, and a
  // motion whose twin's coordinate has the same value (both knees at one angle) takes the twin's
  // state instead of evaluating the joint again. Without them (a single path, drawn or checked),
  // the rests are computed here and every motion is evaluated.
  MotionStates(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
               const std::vector<CoupledMotion>& coupled,
               const std::vector<CoupledMotionRest>* rests = nullptr,
               const std::vector<int>* twins = nullptr)
      : motions(coupled) {
    if (motions.size() > state.size())
      throw std::invalid_argument("path geometry: more coupled motions than PathSet::kMaxMotions");
    std::array<double, PathSet::kMaxMotions> q{};
    for (size_t m = 0; m < motions.size(); ++m) {
      q[m] = coordinate_value(tree, kin, motions[m].coordinate);
      const int twin = twins ? (*twins)[m] : -1;
      if (twin >= 0 && q[twin] == q[m]) {
        state[m] = state[twin];
        continue;
      }
      state[m] = evaluate_coupled_motion(
          motions[m], rests ? (*rests)[m] : coupled_motion_rest(motions[m]), q[m]);
    }
  }
  int coordinate(int motion) const { return motions[motion].coordinate; }
  // Where a point at planar p_B (its place at q = 0) and depth z_B is, and how fast it moves.
  Vec2 place(int motion, const Vec2& p_B, double z_B) const {
    if (motion < 0) return p_B;
    const CoupledMotionState& s = state[motion];
    return p_B + s.A * Eigen::Vector3d(p_B.x(), p_B.y(), z_B) + s.b;
  }
  Vec2 rate(int motion, const Vec2& p_B, double z_B) const {
    const CoupledMotionState& s = state[motion];
    return s.dA * Eigen::Vector3d(p_B.x(), p_B.y(), z_B) + s.db;
  }
};

struct WrapSolution {
  bool active = false;
  Vec2 t1, t2;                // tangent points (W)
  Vec2 u1, u2;                // unit directions from P to T1 and from T2 to Q
  double arc = 0.0;           // wrapped angle (rad)
  double h1 = 0.0, h2 = 0.0;  // tangent lengths |P T1| and |T2 Q| (m)
};

// Whether a point at squared distance n2 from a circle's centre lies outside the circle of radius
// R, so that a tangent from it exists (chosen: within a billionth of the radius counts as inside,
// where the tangent's length h -> 0 and its direction is lost to round-off).
bool outside_circle(double n2, double R) { return n2 > R * R * (1.0 + 2e-9); }

// The tangent from a point outside the circle (C, R), at d = point - C, n2 = |d|^2, onto the
// side that a path turning sgn (+1 clockwise) meets first: the tangent point minus C up to the
// positive factor R / n2 (w), the straight part's length h and its unit direction u from the
// point (solve_wrap, below, gives the formulas). A path leaves the circle towards a point by the
// tangent from that point with sgn reversed, run backwards (u reversed).
struct Tangent {
  Vec2 w, u;
  double h;
};
Tangent tangent_from(const Vec2& d, double n2, double R, double sgn) {
  const double h = std::sqrt(n2 - R * R);
  return {R * d - (sgn * h) * perp(d), -(h * d + (sgn * R) * perp(d)) / n2, h};
}

// Tangent path from P around circle (C, R) to Q, turning `turn` (+1 clockwise, -1 counter-
// clockwise), by vector algebra (no trigonometry but one atan2). With d = P - C, n = |d| and
// h = sqrt(n^2 - R^2) (the tangent length), the tangent point seen from P is d turned by
// -turn * beta, cos(beta) = R/n, sin(beta) = h/n, and scaled to length R:
//   T1 = C + (R/n^2) (R d - turn h perp(d)),
// and seen from Q it is dQ turned by +turn * betaQ. The wrap is active when the arc from T1 to T2
// in the turning direction is shorter than half a turn, i.e. when the straight line would cross
// the circle or pass on the forbidden side; that arc is atan2 of the cross and dot products of
// T1 - C and T2 - C, with the sign set by the turning direction. The straight parts' directions
// follow from d alone, without the cancellation in T1 - P:
//   (T1 - P)/h = -(h d + turn R perp(d))/n^2,  (Q - T2)/hQ = (hQ dQ - turn R perp(dQ))/nQ^2.
WrapSolution solve_wrap(const Vec2& P, const Vec2& Q, const Vec2& C, double R, int turn) {
  WrapSolution s;
  const Vec2 dP = P - C, dQ = Q - C;
  const double n2P = dP.squaredNorm(), n2Q = dQ.squaredNorm();
  if (!outside_circle(n2P, R) || !outside_circle(n2Q, R)) return s;  // end inside: no wrap
  const double sgn = static_cast<double>(turn);
  // T1 - C and T2 - C up to positive factors R/n^2, which change neither the sign of their
  // cross product nor the angle between them.
  const Tangent in = tangent_from(dP, n2P, R, sgn), out = tangent_from(dQ, n2Q, R, -sgn);
  // Sine of the angle from T1 to T2 counted in the turning direction (clockwise for turn +1).
  const double sin_arc = -sgn * cross(in.w, out.w);
  if (!(sin_arc > 0.0)) return s;  // arc 0 or at least half a turn: the line clears the circle
  s.active = true;
  s.arc = std::atan2(sin_arc, in.w.dot(out.w));
  s.t1 = C + (R / n2P) * in.w;
  s.t2 = C + (R / n2Q) * out.w;
  s.u1 = in.u;
  s.u2 = -out.u;
  s.h1 = in.h;
  s.h2 = out.h;
  return s;
}

// Tangent path from P over circle 1 (C1, R1, turn s1) and then circle 2 (C2, R2, turn s2) to Q,
// both wrapped. The straight part between the circles runs along their common tangent with unit
// direction u: a circle turned by s has the path's tangent point at C + s R perp(u), so
// D = C2 - C1 = L u - k perp(u) with k = s2 R2 - s1 R1, L = sqrt(|D|^2 - k^2) the part's
// length, and u = (L D + k perp(D)) / |D|^2. P's tangent onto circle 1 and circle 2's onto Q are
// solve_wrap's. The route holds when both arcs, from the tangent point met first to the one
// left from, are shorter than half a turn in their turning directions (else a circle is not
// wrapped: solve_segment picks the route that is).
struct DoubleWrapSolution {
  bool active = false;
  Vec2 t1, t2, t3, t4;             // tangent points in path order (W): circle 1 in, out; 2 in, out
  Vec2 u1, u, u2;                  // unit directions P -> t1, t2 -> t3, t4 -> Q
  double arc1 = 0.0, arc2 = 0.0;   // wrapped angles (rad)
  double h1 = 0.0, L = 0.0, h2 = 0.0;  // straight lengths |P t1|, |t2 t3|, |t4 Q| (m)
};

DoubleWrapSolution solve_double_wrap(const Vec2& P, const Vec2& Q, const Vec2& C1, double R1,
                                     int turn1, const Vec2& C2, double R2, int turn2) {
  DoubleWrapSolution s;
  const Vec2 dP = P - C1, dQ = Q - C2, D = C2 - C1;
  const double n2P = dP.squaredNorm(), n2Q = dQ.squaredNorm(), n2D = D.squaredNorm();
  const double s1 = static_cast<double>(turn1), s2 = static_cast<double>(turn2);
  const double k = s2 * R2 - s1 * R1;
  if (!outside_circle(n2P, R1) || !outside_circle(n2Q, R2) || n2D <= k * k) return s;
  const double L = std::sqrt(n2D - k * k);
  const Vec2 u = (L * D + k * perp(D)) / n2D;
  const Vec2 r2 = (s1 * R1) * perp(u), r3 = (s2 * R2) * perp(u);  // t2 - C1, t3 - C2
  // t1 - C1 and t4 - C2 up to positive factors, as in solve_wrap.
  const Tangent in = tangent_from(dP, n2P, R1, s1), out = tangent_from(dQ, n2Q, R2, -s2);
  const double sin1 = -s1 * cross(in.w, r2), sin2 = -s2 * cross(r3, out.w);
  if (!(sin1 > 0.0) || !(sin2 > 0.0)) return s;
  s.active = true;
  s.arc1 = std::atan2(sin1, in.w.dot(r2));
  s.arc2 = std::atan2(sin2, r3.dot(out.w));
  s.t1 = C1 + (R1 / n2P) * in.w;
  s.t2 = C1 + r2;
  s.t3 = C2 + r3;
  s.t4 = C2 + (R2 / n2Q) * out.w;
  s.u1 = in.u;
  s.u = u;
  s.u2 = -out.u;
  s.h1 = in.h;
  s.L = L;
  s.h2 = out.h;
  return s;
}

// How one segment goes from P to Q over its circles (0, 1 or 2, in path order): the circles it
// wraps and the straight parts between, as walk_path needs them.
struct SegmentRoute {
  int wraps = 0;               // circles wrapped
  std::array<int, 2> slot{};   // which of the segment's circles each wrapped one is (0 or 1)
  std::array<Vec2, 3> u{Vec2::Zero(), Vec2::Zero(), Vec2::Zero()};  // unit directions of the
                                                                    // straight parts, from P's
  std::array<Vec2, 2> t_in{Vec2::Zero(), Vec2::Zero()};  // where each wrapped arc starts (W)
  std::array<double, 2> arc{};  // wrapped angles (rad)
  double length = 0.0;         // the segment's length (m)
};

// The route of a single wrap on the circle in `slot`, of radius R.
void add_single_wrap(const WrapSolution& w, int slot, double R, SegmentRoute& route) {
  route.wraps = 1;
  route.slot[0] = slot;
  route.u[0] = w.u1;
  route.u[1] = w.u2;
  route.t_in[0] = w.t1;
  route.arc[0] = w.arc;
  route.length = w.h1 + R * w.arc + w.h2;
}

// The route over a segment's circles, centres c[0], c[1] (W; circle[1] null for one circle). One
// circle: wrapped where solve_wrap finds a wrap, else straight. Two: a route holds when each
// circle it wraps is wrapped (an arc shorter than half a turn, as solve_wrap) and the circle it
// leaves out finds no wrap on the straight part that passes it (solve_wrap: the part after the
// first circle for the second, the part before the second for the first; P to Q for both). Of
// the routes that hold (straight, the first circle only, the second only, both) the shortest is
// taken; if none holds (circles too close for any, an end inside one), the shortest of those
// that wrap what they claim. Where an arc shrinks to zero one route turns into the next, so
// length and moment arms are continuous for circles apart.
SegmentRoute solve_segment(const Vec2& P, const Vec2& Q, const WrapCircle* const circle[2],
                           const Vec2 c[2]) {
  const auto wraps = [&](const Vec2& a, const Vec2& b, int i) {
    return solve_wrap(a, b, c[i], circle[i]->radius, circle[i]->turn);
  };
  SegmentRoute best;  // straight (walk_path draws and loads it)
  if (!circle[1]) {
    const WrapSolution w = wraps(P, Q, 0);
    if (w.active) add_single_wrap(w, 0, circle[0]->radius, best);
    return best;
  }
  const WrapSolution single[2] = {wraps(P, Q, 0), wraps(P, Q, 1)};
  // Where neither circle touches the straight line, it holds and is shorter than any route.
  if (!single[0].active && !single[1].active) return best;
  // The straight line does not hold: longer than any route.
  best.length = std::numeric_limits<double>::infinity();
  bool best_holds = false;
  const auto consider = [&](const SegmentRoute& route, bool holds) {
    if ((holds && !best_holds) || (holds == best_holds && route.length < best.length)) {
      best = route;
      best_holds = holds;
    }
  };
  for (int i = 0; i < 2; ++i) {
    const WrapSolution& w = single[i];
    if (!w.active) continue;
    SegmentRoute route;
    add_single_wrap(w, i, circle[i]->radius, route);
    // The first circle's route must clear the second after it, the second's the first before.
    consider(route, i == 0 ? !wraps(w.t2, Q, 1).active : !wraps(P, w.t1, 0).active);
  }
  const DoubleWrapSolution both = solve_double_wrap(P, Q, c[0], circle[0]->radius, circle[0]->turn,
                                                    c[1], circle[1]->radius, circle[1]->turn);
  if (both.active) {
    SegmentRoute route;
    route.wraps = 2;
    route.slot = {0, 1};
    route.u = {both.u1, both.u, both.u2};
    route.t_in = {both.t1, both.t3};
    route.arc = {both.arc1, both.arc2};
    route.length = both.h1 + circle[0]->radius * both.arc1 + both.L +
                   circle[1]->radius * both.arc2 + both.h2;
    consider(route, true);
  }
  return best;
}

struct PathTotals {
  double length = 0.0;
  int active_wraps = 0;
};

// Walks the segments of one path: world points, wraps, length, and the unit-tension loads, which
// go to sink.point_load(j, body, p_W, f_W) for point j and sink.circle_load(j, slot, circle, c_W,
// f_W) for a circle wrapped by segment j. `path` gives the points: size(), body(j), p_B(j), and
// circle(j, slot), segment j's first (slot 0) or second circle or nullptr. The drawn polyline
// goes to `polyline` if not null. One template for the single-path functions and the flat
// PathSet loop.
template <class Path, class Sink>
inline PathTotals walk_path(const skeleton::Kinematics& kin, const Path& path, Sink& sink,
                            std::vector<Vec2>* polyline) {
  PathTotals totals;  // sums in locals, off the memory critical path
  const int n = path.size();
  // A load f on a point that a coupled motion moves adds f . dp_W/dq to the moment arm of q.
  const auto coupled = [&](int body, int motion, const Vec2& p_B, double z_B, const Vec2& f) {
    if (motion >= 0)
      sink.coupled_load(path.motions->coordinate(motion),
                        f.dot(kin.R_WB[body] * path.motions->rate(motion, p_B, z_B)));
  };
  const auto point_load = [&](int j, int body, const Vec2& p, const Vec2& f) {
    sink.point_load(j, body, p, f);
    coupled(body, path.motion(j), path.fixed_p_B(j), path.z_B(j), f);
  };
  int body_a = path.body(0);
  Vec2 pa = to_world(kin, body_a, path.p_B(0));
  if (polyline) polyline->push_back(pa);
  for (int j = 0; j + 1 < n; ++j) {
    const int body_b = path.body(j + 1);
    const Vec2 pb = to_world(kin, body_b, path.p_B(j + 1));
    const WrapCircle* circle[2] = {path.circle(j, 0), path.circle(j, 1)};
    bool wrapped = false;
    if (circle[0]) {
      Vec2 c[2];
      for (int i = 0; i < (circle[1] ? 2 : 1); ++i) {
        const WrapCircle& ci = *circle[i];
        c[i] = to_world(kin, ci.body, path.motions->place(ci.motion, ci.center_B, ci.z_B));
      }
      const SegmentRoute route = solve_segment(pa, pb, circle, c);
      if (route.wraps > 0) {
        // l = the straight parts + R * arc of each wrapped circle; unit tension pulls P and Q
        // along the parts they end, and presses each circle with the difference of the parts
        // leaving and reaching it, through its centre (frictionless).
        totals.length += route.length;
        point_load(j, body_a, pa, route.u[0]);
        for (int w = 0; w < route.wraps; ++w) {
          const int slot = route.slot[w];
          const WrapCircle& wc = *circle[slot];
          ++totals.active_wraps;
          const Vec2 f = route.u[w + 1] - route.u[w];
          sink.circle_load(j, slot, wc, c[slot], f);
          coupled(wc.body, wc.motion, wc.center_B, wc.z_B, f);
          if (polyline) {
            // Drawn arc: a few points along the circle.
            const Vec2 r1 = route.t_in[w] - c[slot];
            constexpr int kArcPoints = 6;
            for (int i = 0; i <= kArcPoints; ++i)
              polyline->push_back(c[slot] + rotate(-wc.turn * route.arc[w] * i / kArcPoints, r1));
          }
        }
        point_load(j + 1, body_b, pb, -route.u[route.wraps]);
        wrapped = true;
      }
    }
    if (!wrapped) {
      const Vec2 d = pb - pa;
      const double len = d.norm();
      totals.length += len;
      if (body_a != body_b && len > 0.0) {
        const Vec2 u = d / len;
        point_load(j, body_a, pa, u);
        point_load(j + 1, body_b, pb, -u);
      } else if (len > 0.0) {
        // Both ends in one body: their pulls cancel, but ends that a coupled motion moves change
        // the projected length with q.
        const Vec2 u = d / len;
        coupled(body_a, path.motion(j), path.fixed_p_B(j), path.z_B(j), u);
        coupled(body_b, path.motion(j + 1), path.fixed_p_B(j + 1), path.z_B(j + 1), -u);
      }
    }
    if (polyline) polyline->push_back(pb);
    body_a = body_b;
    pa = pb;
  }
  return totals;
}

// A PathSpec as walk_path reads it.
struct SpecView {
  const PathSpec& spec;
  const MotionStates* motions;
  int size() const { return static_cast<int>(spec.points.size()); }
  int body(int j) const { return spec.points[j].body; }
  const Vec2& fixed_p_B(int j) const { return spec.points[j].p_B; }
  int motion(int j) const { return spec.points[j].motion; }
  double z_B(int j) const { return spec.points[j].z_B; }
  Vec2 p_B(int j) const { return motions->place(motion(j), fixed_p_B(j), z_B(j)); }
  const WrapCircle* circle(int j, int slot) const {
    const int w = spec.wrap.empty() ? -1 : spec.wrap[j][slot];
    return w >= 0 ? &spec.circles[w] : nullptr;
  }
};

// Path i of a PathSet as walk_path reads it.
struct SetView {
  const PathSet::Point* points;  // the path's first point
  const PathSet::Circle* circles;
  int n;
  const MotionStates* motions;
  int size() const { return n; }
  int body(int j) const { return points[j].body; }
  const Vec2& fixed_p_B(int j) const { return points[j].p_B; }
  int motion(int j) const { return points[j].motion; }
  double z_B(int j) const { return points[j].z_B; }
  Vec2 p_B(int j) const { return motions->place(motion(j), fixed_p_B(j), z_B(j)); }
  const WrapCircle* circle(int j, int slot) const {
    const int w = points[j].wrap[slot];
    return w >= 0 ? &circles[w].circle : nullptr;
  }
};

// Collects the loads only.
struct LoadSink {
  std::vector<PathLoad>& loads;
  std::vector<std::pair<int, double>>& coupled;
  void point_load(int, int body, const Vec2& p, const Vec2& f) { loads.push_back({body, p, f}); }
  void circle_load(int, int, const WrapCircle& c, const Vec2& p, const Vec2& f) {
    loads.push_back({c.body, p, f});
  }
  void coupled_load(int k, double r) { coupled.emplace_back(k, r); }
};

// r_k += sign_k (p - p_WJ_k) x f for the terms [first, end): the J^T f of calc_moment_arms on the
// joints of a MomentArmMap.
inline void add_terms(const MomentArmMap::Term* first, const MomentArmMap::Term* end,
                      const Vec2* p_WJ, const Vec2& p, const Vec2& f, double* r) {
  for (const MomentArmMap::Term* t = first; t != end; ++t)
    r[t->coordinate] += t->sign * cross(p - p_WJ[t->joint_body], f);
}

// Collects the loads and adds their moment arms at once (path i of a PathSet).
struct SetSink {
  std::vector<PathLoad>& loads;
  const PathSet::Point* points;  // the path's first point
  const PathSet::Circle* circles;
  const MomentArmMap::Term* terms;
  const Vec2* p_WJ;
  double* r;  // the path's moment-arm column, zeroed
  void point_load(int j, int body, const Vec2& p, const Vec2& f) {
    loads.push_back({body, p, f});
    add_terms(terms + points[j].first_term, terms + points[j].end_term, p_WJ, p, f, r);
  }
  void circle_load(int j, int slot, const WrapCircle& c, const Vec2& p, const Vec2& f) {
    loads.push_back({c.body, p, f});
    const PathSet::Circle& circle = circles[points[j].wrap[slot]];
    add_terms(terms + circle.first_term, terms + circle.end_term, p_WJ, p, f, r);
  }
  std::vector<std::pair<int, double>>& coupled;
  void coupled_load(int k, double r_k) {
    r[k] += r_k;
    coupled.emplace_back(k, r_k);
  }
};

// True if terms [a, a_end) are terms [b, b_end) with bodies and coordinates mirrored.
bool mirrored_terms(const PathSet& set, int a, int a_end, int b, int b_end) {
  if (a_end - a != b_end - b) return false;
  for (; a < a_end; ++a, ++b) {
    const MomentArmMap::Term &s = set.terms[a], &t = set.terms[b];
    if (s.coordinate != set.coordinate_mirror[t.coordinate] ||
        s.joint_body != set.body_mirror[t.joint_body] || s.sign != t.sign)
      return false;
  }
  return true;
}

// True if coupled motion a (at depth z_a) moves a point as motion b (at z_b) moves its mirror
// image: the same data but for the coordinate, which is b's mirror (both legs' planar motions are
// the same; the left leg's 3-D depths are the right's negated, which the data does not repeat).
bool mirrored_motions(const PathSet& set, int a, double z_a, int b, double z_b) {
  if ((a < 0) != (b < 0)) return false;
  if (a < 0) return true;
  CoupledMotion image = set.motions[b];
  image.coordinate = set.coordinate_mirror[image.coordinate];
  return z_a == z_b && set.motions[a] == image;
}

// True if path i of `set` is path j with bodies and coordinates mirrored.
bool is_mirror_image(const PathSet& set, int i, int j) {
  const int n = set.first_point[i + 1] - set.first_point[i];
  if (n != set.first_point[j + 1] - set.first_point[j]) return false;
  for (int k = 0; k < n; ++k) {
    const PathSet::Point &p = set.points[set.first_point[i] + k],
                         &r = set.points[set.first_point[j] + k];
    if (p.body != set.body_mirror[r.body] || p.p_B != r.p_B ||
        !mirrored_motions(set, p.motion, p.z_B, r.motion, r.z_B) ||
        !mirrored_terms(set, p.first_term, p.end_term, r.first_term, r.end_term))
      return false;
    for (int slot = 0; slot < 2; ++slot) {
      if ((p.wrap[slot] < 0) != (r.wrap[slot] < 0)) return false;
      if (p.wrap[slot] < 0) continue;
      const PathSet::Circle &c = set.circles[p.wrap[slot]], &d = set.circles[r.wrap[slot]];
      if (c.circle.body != set.body_mirror[d.circle.body] ||
          c.circle.center_B != d.circle.center_B || c.circle.radius != d.circle.radius ||
          c.circle.turn != d.circle.turn ||
          !mirrored_motions(set, c.circle.motion, c.circle.z_B, d.circle.motion, d.circle.z_B) ||
          !mirrored_terms(set, c.first_term, c.end_term, d.first_term, d.end_term))
        return false;
    }
  }
  return true;
}

// Calls visit(body, motion, first_term, end_term) for each point of path i of `set` and each
// circle it wraps: where the path is fixed, what moves it within its body, and the moment-arm
// terms of a load there.
template <class Visit>
void for_each_placement(const PathSet& set, int i, Visit&& visit) {
  for (int k = set.first_point[i]; k < set.first_point[i + 1]; ++k) {
    const PathSet::Point& p = set.points[k];
    visit(p.body, p.motion, p.first_term, p.end_term);
    for (int w : p.wrap) {
      if (w < 0) continue;
      const PathSet::Circle& c = set.circles[w];
      visit(c.circle.body, c.circle.motion, c.first_term, c.end_term);
    }
  }
}

// Fills the mirror tables of `set` (PathSet::mirror_of and what it needs). Mirrors need at most
// 64 bodies (one bit each).
void find_mirror_images(const skeleton::PlanarTree& tree, const std::vector<int>& body_mirror,
                        PathSet& set) {
  const int np = set.num_paths();
  set.mirror_of.assign(np, -1);
  set.mirror_bodies.assign(np, 0);
  set.first_mirror_row.assign(np + 1, 0);
  if (body_mirror.empty() || tree.num_bodies() > 64) return;
  set.body_mirror = body_mirror;
  set.coordinate_mirror.resize(tree.num_coordinates());
  for (int k = 0; k < tree.num_coordinates(); ++k) set.coordinate_mirror[k] = k;
  for (int b = 0; b < tree.num_bodies(); ++b)
    if (tree.coordinate_of(b) >= 0)
      set.coordinate_mirror[tree.coordinate_of(b)] = tree.coordinate_of(body_mirror[b]);
  std::vector<int> rows;
  for (int i = 0; i < np; ++i) {
    for (int j = 0; j < i && set.mirror_of[i] < 0; ++j)
      if (set.mirror_of[j] < 0 && is_mirror_image(set, i, j)) set.mirror_of[i] = j;
    // The bodies whose motion the copy assumes mirrored (of the points, circles and terms), and
    // the rows it fills (the terms' coordinates).
    std::uint64_t bodies = 0;
    rows.clear();
    for_each_placement(set, i, [&](int body, int, int first_term, int end_term) {
      if (body_mirror[body] != body) bodies |= std::uint64_t{1} << body;
      for (int t = first_term; t < end_term; ++t) {
        const int b = set.terms[t].joint_body;
        if (body_mirror[b] != b) bodies |= std::uint64_t{1} << b;
        rows.push_back(set.terms[t].coordinate);
      }
    });
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    set.mirror_bodies[i] = bodies;
    if (set.mirror_of[i] >= 0)
      for (int r : rows) set.mirror_rows.emplace_back(r, set.coordinate_mirror[r]);
    set.first_mirror_row[i + 1] = static_cast<int>(set.mirror_rows.size());
  }
}

// Fills PathSet::depends_on: the bodies of each path's points and circles, of the joints its
// moment arms are taken about and of its coupled motions. (A body moves whenever one of its
// ancestors does, so the bodies between them need no bit.)
void find_dependencies(const skeleton::PlanarTree& tree, PathSet& set) {
  const int np = set.num_paths();
  set.depends_on.assign(np, ~std::uint64_t{0});
  if (tree.num_bodies() > 64) return;
  const auto bit = [](int body) { return std::uint64_t{1} << body; };
  for (int i = 0; i < np; ++i) {
    std::uint64_t bodies = 0;
    for_each_placement(set, i, [&](int body, int motion, int first_term, int end_term) {
      bodies |= bit(body);
      for (int t = first_term; t < end_term; ++t) bodies |= bit(set.terms[t].joint_body);
      if (motion >= 0) bodies |= bit(tree.body_of_coordinate(set.motions[motion].coordinate));
    });
    set.depends_on[i] = bodies;
  }
}

// Bit b set where body b's placement in `now` differs (bitwise) from the memo's, which is then
// brought up to date; every bit on a first call (or with more than 64 bodies).
std::uint64_t bodies_moved(const skeleton::Kinematics& now, PathSetMemo& memo) {
  const std::size_t n = now.theta_WB.size();
  skeleton::Kinematics& last = memo.kin;
  std::uint64_t moved = 0;
  if (!memo.valid || last.theta_WB.size() != n || n > 64) {
    moved = ~std::uint64_t{0};
    last.theta_WB.resize(n);
    last.p_WBo.resize(n);
    last.R_WB.resize(n);
    last.p_WJ.resize(n);
  }
  for (std::size_t b = 0; b < n; ++b) {
    if (now.theta_WB[b] == last.theta_WB[b] && now.p_WBo[b] == last.p_WBo[b] &&
        now.R_WB[b].c == last.R_WB[b].c && now.R_WB[b].s == last.R_WB[b].s &&
        now.p_WJ[b] == last.p_WJ[b])
      continue;
    if (b < 64) moved |= std::uint64_t{1} << b;
    last.theta_WB[b] = now.theta_WB[b];
    last.p_WBo[b] = now.p_WBo[b];
    last.R_WB[b] = now.R_WB[b];
    last.p_WJ[b] = now.p_WJ[b];
  }
  return moved;
}

// Bit b set where body b does not move exactly (bitwise) as its mirror image: every computation
// on one gives the other's numbers only where the bit is clear.
std::uint64_t bodies_apart_from_mirror(const skeleton::Kinematics& kin,
                                       const std::vector<int>& body_mirror) {
  std::uint64_t apart = 0;
  for (int b = 0; b < static_cast<int>(body_mirror.size()); ++b) {
    const int m = body_mirror[b];
    if (m != b && !(kin.p_WBo[b] == kin.p_WBo[m] && kin.R_WB[b].c == kin.R_WB[m].c &&
                    kin.R_WB[b].s == kin.R_WB[m].s && kin.p_WJ[b] == kin.p_WJ[m]))
      apart |= std::uint64_t{1} << b;
  }
  return apart;
}

// Throws unless every segment's wraps name circles of the path, a second only after a first.
void check_wraps(const PathSpec& path) {
  if (!path.wrap.empty() && path.wrap.size() + 1 != path.points.size())
    throw std::invalid_argument("path: one wrap entry per segment");
  const int n = static_cast<int>(path.circles.size());
  for (const SegmentWraps& w : path.wrap) {
    if (w[0] < -1 || w[0] >= n || w[1] < -1 || w[1] >= n || (w[0] < 0 && w[1] >= 0))
      throw std::invalid_argument(
          "path: a segment's wraps must be circles of the path, a second only after a first");
  }
}

}  // namespace

CoupledMotionRest coupled_motion_rest(const CoupledMotion& motion) {
  const ChildPlacement at_0 = place_child(motion, 0.0);
  return {at_0.R_PC, at_0.p_PC};
}

CoupledMotionState evaluate_coupled_motion(const CoupledMotion& motion,
                                           const CoupledMotionRest& rest, double q) {
  const ChildPlacement at_q = place_child(motion, q);
  // Less the plain hinge: the q = 0 position turned by H = R_z(-q) about the parent's z through
  // p_PO, so A3 p + b3 is the 3-D displacement beyond the hinge's.
  const Eigen::Matrix3d H = rotation(2, -q), dH = -H * cross_matrix(2);
  const Eigen::Vector3d from_axis_0 = rest.p_PC - motion.p_PO;
  const Eigen::Matrix3d A3 = at_q.R_PC - H * rest.R_PC, dA3 = at_q.dR_PC - dH * rest.R_PC;
  const Eigen::Vector3d b3 = at_q.p_PC - motion.p_PO - H * from_axis_0,
                        db3 = at_q.dp_PC - dH * from_axis_0;
  // Into the child's planar frame, which is the parent's turned by -q: rows x, y turned by +q.
  const Eigen::Matrix3d T = rotation(2, q), dT = T * cross_matrix(2);
  const Eigen::Matrix2d back = T.topLeftCorner<2, 2>(), d_back = dT.topLeftCorner<2, 2>();
  CoupledMotionState s;
  s.A = back * A3.topRows<2>();
  s.dA = d_back * A3.topRows<2>() + back * dA3.topRows<2>();
  s.b = motion.length_scale * (back * b3.head<2>());
  s.db = motion.length_scale * (d_back * b3.head<2>() + back * db3.head<2>());
  return s;
}

void reserve_path_geometry(const PathSpec& path, PathGeometry& geometry) {
  const size_t n = path.points.size();
  geometry.polyline_W.reserve(3 * n);
  geometry.loads.reserve(4 * n);
  geometry.coupled_moment_arms.reserve(4 * n);
}

void calc_path_geometry(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                        const PathSpec& path, PathGeometry& geometry, PathDrawing drawing) {
  geometry.polyline_W.clear();
  geometry.loads.clear();
  geometry.coupled_moment_arms.clear();
  const MotionStates motions(tree, kin, path.motions);
  LoadSink sink{geometry.loads, geometry.coupled_moment_arms};
  const PathTotals totals =
      walk_path(kin, SpecView{path, &motions}, sink,
                drawing == PathDrawing::kDraw ? &geometry.polyline_W : nullptr);
  geometry.length = totals.length;
  geometry.active_wraps = totals.active_wraps;
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
  for (const auto& [k, r] : geometry.coupled_moment_arms) moment_arms[k] += r;
}

MomentArmMap make_moment_arm_map(const skeleton::PlanarTree& tree, const PathSpec& path) {
  check_wraps(path);
  const int nb = tree.num_bodies();
  // Bodies the path touches: every load acts on one of them.
  std::vector<int> touched;
  for (const PathPoint& p : path.points) touched.push_back(p.body);
  for (const WrapCircle& c : path.circles) touched.push_back(c.body);
  // A non-root joint can carry a moment arm only if it supports some but not all touched bodies.
  auto movable = [&](int a) {
    if (a == 0 || tree.coordinate_of(a) < 0) return false;
    int supported = 0;
    for (int b : touched) supported += tree.is_in_support(a, b) ? 1 : 0;
    return supported > 0 && supported < static_cast<int>(touched.size());
  };
  MomentArmMap map;
  for (int a = 1; a < nb; ++a)
    if (movable(a)) map.coordinates.push_back(tree.coordinate_of(a));
  std::sort(map.coordinates.begin(), map.coordinates.end());
  map.first_term.assign(nb + 1, 0);
  for (int b = 0; b < nb; ++b) {
    map.first_term[b] = static_cast<int>(map.terms.size());
    if (std::find(touched.begin(), touched.end(), b) == touched.end()) continue;
    for (int a : tree.support(b))
      if (movable(a)) map.terms.push_back({tree.coordinate_of(a), a, tree.body(a).coordinate_sign});
  }
  map.first_term[nb] = static_cast<int>(map.terms.size());
  return map;
}

void calc_moment_arms(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                      const PathGeometry& geometry, const MomentArmMap& map,
                      Eigen::Ref<Eigen::VectorXd> moment_arms) {
  (void)tree;
  moment_arms.setZero();
  double* r = moment_arms.data();  // Ref<VectorXd> has unit inner stride
  const MomentArmMap::Term* terms = map.terms.data();
  for (const PathLoad& load : geometry.loads)
    add_terms(terms + map.first_term[load.body], terms + map.first_term[load.body + 1],
              kin.p_WJ.data(), load.p_W, load.f_W, r);
  for (const auto& [k, r_k] : geometry.coupled_moment_arms) r[k] += r_k;
}

PathSet make_path_set(const skeleton::PlanarTree& tree, const std::vector<const PathSpec*>& paths,
                      const std::vector<const MomentArmMap*>& maps,
                      const std::vector<int>& body_mirror) {
  if (maps.size() != paths.size())
    throw std::invalid_argument("make_path_set: one moment-arm map per path");
  PathSet set;
  set.first_point.push_back(0);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const PathSpec* path = paths[i];
    check_wraps(*path);
    const MomentArmMap& map = *maps[i];
    const int term_base = static_cast<int>(set.terms.size());
    const int circle_base = static_cast<int>(set.circles.size());
    // The set keeps one copy of each coupled motion (the same for every path of a coordinate).
    std::vector<int> motion_index;
    for (const CoupledMotion& m : path->motions) {
      const auto same = std::find(set.motions.begin(), set.motions.end(), m);
      motion_index.push_back(static_cast<int>(same - set.motions.begin()));
      if (same == set.motions.end()) set.motions.push_back(m);
    }
    if (set.motions.size() > static_cast<size_t>(PathSet::kMaxMotions))
      throw std::invalid_argument("make_path_set: more coupled motions than kMaxMotions");
    const auto set_motion = [&](int m) { return m >= 0 ? motion_index.at(m) : -1; };
    set.terms.insert(set.terms.end(), map.terms.begin(), map.terms.end());
    for (WrapCircle c : path->circles) {
      c.motion = set_motion(c.motion);
      set.circles.push_back(
          {c, term_base + map.first_term[c.body], term_base + map.first_term[c.body + 1]});
    }
    for (size_t j = 0; j < path->points.size(); ++j) {
      const PathPoint& p = path->points[j];
      SegmentWraps w =
          path->wrap.empty() || j + 1 == path->points.size() ? kNoWraps : path->wrap[j];
      for (int& c : w)
        if (c >= 0) c += circle_base;
      set.points.push_back({p.body, w,
                            term_base + map.first_term[p.body],
                            term_base + map.first_term[p.body + 1], p.p_B, set_motion(p.motion),
                            p.z_B});
    }
    set.first_point.push_back(static_cast<int>(set.points.size()));
  }
  for (const CoupledMotion& m : set.motions) set.motion_rest.push_back(coupled_motion_rest(m));
  // Motions with the same joint data but the coordinate (the two knees).
  set.motion_twin.assign(set.motions.size(), -1);
  for (size_t m = 0; m < set.motions.size(); ++m)
    for (size_t k = 0; k < m && set.motion_twin[m] < 0; ++k) {
      CoupledMotion other = set.motions[k];
      other.coordinate = set.motions[m].coordinate;
      if (other == set.motions[m]) set.motion_twin[m] = static_cast<int>(k);
    }
  find_mirror_images(tree, body_mirror, set);
  find_dependencies(tree, set);
  return set;
}

void calc_path_set(const skeleton::PlanarTree& tree, const skeleton::Kinematics& kin,
                   const PathSet& set, std::vector<PathGeometry>& geometries,
                   Eigen::Ref<Eigen::MatrixXd> moment_arms, PathSetMemo* memo) {
  std::uint64_t moved = ~std::uint64_t{0};
  if (memo) {
    moved = bodies_moved(kin, *memo);
    memo->valid = false;  // until every path below is current
  }
  // One fill when every path is recomputed (each path adds only to its joints' rows); else
  // each recomputed path's column.
  bool every_path = true;
  for (int i = 0; i < set.num_paths() && every_path; ++i)
    every_path = (set.depends_on[i] & moved) != 0;
  if (every_path) moment_arms.setZero();
  const std::uint64_t apart =
      set.body_mirror.empty() ? 0 : bodies_apart_from_mirror(kin, set.body_mirror);
  const MotionStates motions(tree, kin, set.motions, &set.motion_rest, &set.motion_twin);
  for (int i = 0; i < set.num_paths(); ++i) {
    if ((set.depends_on[i] & moved) == 0) continue;  // still as the memo's call left it
    PathGeometry& geometry = geometries[i];
    if (!every_path) moment_arms.col(i).setZero();
    geometry.polyline_W.clear();
    geometry.loads.clear();
    geometry.coupled_moment_arms.clear();
    const int m = set.mirror_of[i];
    if (m >= 0 && (set.mirror_bodies[i] & apart) == 0) {
      // The numbers the walk below would compute, in the mirrored bodies and rows (the other
      // rows stay zero, as in path m's column).
      const PathGeometry& image = geometries[m];
      geometry.length = image.length;
      geometry.active_wraps = image.active_wraps;
      for (const PathLoad& load : image.loads)
        geometry.loads.push_back({set.body_mirror[load.body], load.p_W, load.f_W});
      for (const auto& [k, r] : image.coupled_moment_arms)
        geometry.coupled_moment_arms.emplace_back(set.coordinate_mirror[k], r);
      for (int k = set.first_mirror_row[i]; k < set.first_mirror_row[i + 1]; ++k)
        moment_arms(set.mirror_rows[k].first, i) = moment_arms(set.mirror_rows[k].second, m);
      continue;
    }
    const PathSet::Point* points = set.points.data() + set.first_point[i];
    SetSink sink{geometry.loads,   points,          set.circles.data(),
                 set.terms.data(), kin.p_WJ.data(), moment_arms.col(i).data(),
                 geometry.coupled_moment_arms};
    const PathTotals totals = walk_path(
        kin,
        SetView{points, set.circles.data(), set.first_point[i + 1] - set.first_point[i], &motions},
        sink, nullptr);
    geometry.length = totals.length;
    geometry.active_wraps = totals.active_wraps;
  }
  if (memo) memo->valid = true;
}

}  // namespace pulley::geometry
