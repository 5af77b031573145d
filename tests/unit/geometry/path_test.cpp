#include "pulley/geometry/path.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"

namespace pulley::geometry {
namespace {

using model::Model;
using skeleton::BodySpec;
using skeleton::JointType;
using skeleton::Kinematics;
using skeleton::PlanarTree;

const Model& default_model() {
  static const Model m = model::compile_model(model::Subject{});
  return m;
}

// The zero pose, three random ones (joint angles within +-40 degrees, pelvis pose arbitrary) and a
// deep squat with the legs apart (hips 120 / 110 deg, knees 60 / 90 deg), where the hamstrings
// wrap the circle over the ischium (the semitendinosus of the hip at 110 deg not yet).
std::vector<Eigen::VectorXd> test_postures(const Model& m) {
  const int n = m.num_coordinates();
  std::vector<Eigen::VectorXd> postures = {Eigen::VectorXd::Zero(n)};
  std::mt19937 rng(20240611);
  std::uniform_real_distribution<double> joint(-deg_to_rad(40.0), deg_to_rad(40.0));
  std::uniform_real_distribution<double> position(-1.0, 1.0), tilt(-kPi, kPi);
  for (int p = 0; p < 3; ++p) {
    Eigen::VectorXd q(n);
    q[0] = position(rng);
    q[1] = position(rng);
    q[2] = tilt(rng);
    for (int k = 3; k < n; ++k) q[k] = joint(rng);
    postures.push_back(q);
  }
  Eigen::VectorXd squat = Eigen::VectorXd::Zero(n);
  squat[m.coord.hip[0]] = deg_to_rad(120.0);
  squat[m.coord.hip[1]] = deg_to_rad(110.0);
  squat[m.coord.knee[0]] = deg_to_rad(60.0);
  squat[m.coord.knee[1]] = deg_to_rad(90.0);
  postures.push_back(squat);
  return postures;
}

TEST(PathGeometry, EveryUnitHasPositiveFiniteLength) {
  const Model& m = default_model();
  ASSERT_GT(m.num_units(), 0);
  model::Data data(m);
  for (const Eigen::VectorXd& q : test_postures(m)) {
    model::calc_musculotendon_geometry(m, q, data);
    for (int i = 0; i < m.num_units(); ++i) {
      EXPECT_TRUE(std::isfinite(data.l_MT[i])) << m.units[i].name;
      EXPECT_GT(data.l_MT[i], 0.0) << m.units[i].name;
      EXPECT_EQ(data.l_MT[i], data.paths[i].length) << m.units[i].name;
      EXPECT_TRUE(data.moment_arms.col(i).allFinite()) << m.units[i].name;
    }
  }
}

TEST(PathGeometry, MomentArmsAreMinusLengthDerivativesForEveryUnit) {
  const Model& m = default_model();
  const int n = m.num_coordinates();
  model::Data data(m), plus(m), minus(m);
  const double h = 1e-6;
  int checked = 0, skipped = 0;
  for (const Eigen::VectorXd& q : test_postures(m)) {
    model::calc_musculotendon_geometry(m, q, data);
    for (int k = 0; k < n; ++k) {
      Eigen::VectorXd qp = q, qm = q;
      qp[k] += h;
      qm[k] -= h;
      model::calc_musculotendon_geometry(m, qp, plus);
      model::calc_musculotendon_geometry(m, qm, minus);
      for (int i = 0; i < m.num_units(); ++i) {
        const int wraps = data.paths[i].active_wraps;
        if (plus.paths[i].active_wraps != wraps || minus.paths[i].active_wraps != wraps) {
          ++skipped;  // a wrap switches within +-h: the length has a kink there
          continue;
        }
        const double fd = (plus.l_MT[i] - minus.l_MT[i]) / (2.0 * h);
        EXPECT_NEAR(data.moment_arms(k, i), -fd, 1e-7)
            << m.units[i].name << " about " << m.tree.coordinate_name(k) << " at q = "
            << q.transpose();
        ++checked;
      }
    }
  }
  RecordProperty("checked", checked);
  RecordProperty("skipped", skipped);
  EXPECT_LT(skipped, checked / 100 + 1) << "too many wrap switches at the test postures";
}

TEST(PathGeometry, RootCoordinatesGetNoMomentArm) {
  const Model& m = default_model();
  model::Data data(m);
  for (const Eigen::VectorXd& q : test_postures(m)) {
    model::calc_musculotendon_geometry(m, q, data);
    for (int i = 0; i < m.num_units(); ++i)
      for (int k = 0; k < 3; ++k)
        EXPECT_NEAR(data.moment_arms(k, i), 0.0, 1e-12) << m.units[i].name << " root " << k;
  }
}

TEST(PathGeometry, SomeUnitsWrapAtTheTestPostures) {
  const Model& m = default_model();
  bool any_wrap_spec = false;
  for (const auto& u : m.units) any_wrap_spec |= !u.path.circles.empty();
  if (!any_wrap_spec) GTEST_SKIP() << "the default model has no wrap circles";
  model::Data data(m);
  int active = 0;
  for (const Eigen::VectorXd& q : test_postures(m)) {
    model::calc_musculotendon_geometry(m, q, data);
    for (const auto& p : data.paths) active += p.active_wraps;
  }
  RecordProperty("active_wraps", active);
  EXPECT_GT(active, 0) << "the moment-arm test never exercised a wrap";
}

// Hand-made wrap: P fixed at (-2, 0) in the root, a circle of radius 1 at the root origin, Q at
// distance 2 from the origin on a link hinged at the origin, so Q sits at angle sign * q. For
// turn +1 (path over the top, clockwise) the tangent points are at 120 deg and (60 deg + q): the
// wrapped arc is pi/3 - q while q < pi/3, and the line clears the circle beyond. turn -1 with
// sign -1 is the mirror image.
struct WrapCase {
  PlanarTree tree;
  PathSpec path;
};

WrapCase make_wrap_case(int turn) {
  BodySpec root;
  root.name = "root";
  root.joint = JointType::floating;
  root.mass = 1.0;
  BodySpec link;
  link.name = "link";
  link.parent = 0;
  link.joint = JointType::revolute;
  link.coordinate = "q";
  link.coordinate_sign = turn > 0 ? 1.0 : -1.0;
  link.mass = 1.0;
  PathSpec path;
  path.points = {{0, Vec2(-2.0, 0.0)}, {1, Vec2(2.0, 0.0)}};
  path.wrap = {{0, -1}};
  path.circles = {{0, Vec2::Zero(), 1.0, turn}};
  return {PlanarTree({root, link}), path};
}

// Kinematics and drawn geometry of the wrap case with the hinge at angle qk.
std::pair<Kinematics, PathGeometry> wrap_geometry(const WrapCase& wc, double qk) {
  Eigen::VectorXd q(4);
  q << 0.0, 0.0, 0.0, qk;
  Kinematics kin;
  skeleton::calc_kinematics(wc.tree, q, kin);
  PathGeometry g;
  calc_path_geometry(wc.tree, kin, wc.path, g, PathDrawing::kDraw);
  return {kin, g};
}

TEST(WrapCircle, WrappedLengthAndMomentArmMatchTangentGeometry) {
  for (int turn : {1, -1}) {
    SCOPED_TRACE(turn);
    const WrapCase wc = make_wrap_case(turn);
    for (double qk : {-0.5, 0.0, 0.4, 1.0}) {
      const auto [kin, g] = wrap_geometry(wc, qk);
      ASSERT_EQ(g.active_wraps, 1) << "q = " << qk;
      const double expected = 2.0 * std::sqrt(3.0) + (kPi / 3.0 - qk);
      EXPECT_NEAR(g.length, expected, 1e-12) << "q = " << qk;
      Eigen::VectorXd r(4);
      calc_moment_arms(wc.tree, kin, g, r);
      EXPECT_NEAR(r[3], 1.0, 1e-12) << "moment arm equals the radius while wrapped";
      EXPECT_NEAR(r[0], 0.0, 1e-12);
      EXPECT_NEAR(r[1], 0.0, 1e-12);
      EXPECT_NEAR(r[2], 0.0, 1e-12);
      // Drawn path: P, the arc (tangent points first and last), Q. Tangent points lie on the
      // circle, the straight parts are tangent to it, and the arc bulges away from the forbidden
      // side (upward for turn +1).
      ASSERT_GE(g.polyline_W.size(), 4u);
      const Vec2 P(-2.0, 0.0), Q = g.polyline_W.back();
      const Vec2 t1 = g.polyline_W[1], t2 = g.polyline_W[g.polyline_W.size() - 2];
      EXPECT_NEAR(t1.norm(), 1.0, 1e-12);
      EXPECT_NEAR(t2.norm(), 1.0, 1e-12);
      EXPECT_NEAR(t1.dot(t1 - P), 0.0, 1e-12);
      EXPECT_NEAR(t2.dot(t2 - Q), 0.0, 1e-12);
      EXPECT_NEAR(std::acos(t1.dot(t2)), kPi / 3.0 - qk, 1e-9);
      EXPECT_GT(turn * t1.y(), 0.0);
      EXPECT_GT(turn * t2.y(), 0.0);
      double polyline_length = 0.0;
      for (size_t j = 1; j < g.polyline_W.size(); ++j)
        polyline_length += (g.polyline_W[j] - g.polyline_W[j - 1]).norm();
      EXPECT_LE(polyline_length, g.length + 1e-12);  // chords of the arc
      EXPECT_GT(polyline_length, g.length - 1e-2);
    }
  }
}

TEST(WrapCircle, SwitchesOffWhenTheStraightLineClearsTheCircle) {
  for (int turn : {1, -1}) {
    SCOPED_TRACE(turn);
    const WrapCase wc = make_wrap_case(turn);
    for (double qk : {kPi / 3.0 + 1e-6, 1.2, 1.6, 2.5}) {
      const auto [kin, g] = wrap_geometry(wc, qk);
      EXPECT_EQ(g.active_wraps, 0) << "q = " << qk;
      // |PQ| for P and Q at distance 2 from the centre, pi - q apart; r = distance from the hinge
      // to the line PQ.
      EXPECT_NEAR(g.length, 4.0 * std::cos(0.5 * qk), 1e-12) << "q = " << qk;
      Eigen::VectorXd r(4);
      calc_moment_arms(wc.tree, kin, g, r);
      EXPECT_NEAR(r[3], 2.0 * std::sin(0.5 * qk), 1e-12) << "q = " << qk;
      EXPECT_EQ(g.polyline_W.size(), 2u);
    }
  }
}

TEST(WrapCircle, LengthIsContinuousWhereTheWrapSwitches) {
  const WrapCase wc = make_wrap_case(1);
  const double q_switch = kPi / 3.0;
  double lengths[2];
  int wraps[2];
  for (int s = 0; s < 2; ++s) {
    Eigen::VectorXd q(4);
    q << 0.0, 0.0, 0.0, q_switch + (s == 0 ? -1e-7 : 1e-7);
    Kinematics kin;
    skeleton::calc_kinematics(wc.tree, q, kin);
    PathGeometry g;
    calc_path_geometry(wc.tree, kin, wc.path, g);
    lengths[s] = g.length;
    wraps[s] = g.active_wraps;
  }
  EXPECT_EQ(wraps[0], 1);
  EXPECT_EQ(wraps[1], 0);
  EXPECT_NEAR(lengths[0], lengths[1], 1e-6);
  EXPECT_NEAR(lengths[0], 2.0 * std::sqrt(3.0), 1e-6);
}

TEST(WrapCircle, NoWrapWhenAnEndLiesInsideTheCircle) {
  WrapCase wc = make_wrap_case(1);
  wc.path.points[0].p_B = Vec2(-0.5, 0.0);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(4);
  Kinematics kin;
  skeleton::calc_kinematics(wc.tree, q, kin);
  PathGeometry g;
  calc_path_geometry(wc.tree, kin, wc.path, g);
  EXPECT_EQ(g.active_wraps, 0);
  EXPECT_NEAR(g.length, 2.5, 1e-12);
}

// Two circles on one segment: P at (-3, 0) in the root, circle 1 (radius 1) at (-1, 0) in the
// root, circle 2 (radius 1) at (x2, 0) on the link hinged at the origin, Q at (3.5, 0) on the
// link. At q = 0 with both circles turned +1 the path runs over their tops.
WrapCase make_double_wrap_case(int turn1, int turn2, double x2) {
  WrapCase wc = make_wrap_case(1);
  wc.path.points = {{0, Vec2(-3.0, 0.0)}, {1, Vec2(3.5, 0.0)}};
  wc.path.circles = {{0, Vec2(-1.0, 0.0), 1.0, turn1}, {1, Vec2(x2, 0.0), 1.0, turn2}};
  wc.path.wrap = {{0, 1}};
  return wc;
}

TEST(WrapCircle, TwoCirclesOnOneSegmentGiveTheTangentPathOverBoth) {
  // Over both tops: from P a tangent of sqrt(3) (P 2 from circle 1's centre) meets circle 1 at
  // 120 deg; the common tangent, of length 2 cos(q / 2), leaves it at 90 + q / 2 deg (circle 2's
  // centre is at angle q from the hinge, 1 from it); circle 2 is left at acos(0.4) + q rad,
  // towards Q at 2.5 from its centre (tangent sqrt(5.25)). Arcs pi/6 - q/2 and
  // pi/2 - acos(0.4) - q/2: l(q) = sqrt(3) + 2 pi/3 - acos(0.4) + sqrt(5.25) - q + 2 cos(q/2),
  // and r = -dl/dq = 1 + sin(q / 2), while both arcs are positive (q < 0.82).
  const WrapCase wc = make_double_wrap_case(1, 1, 1.0);
  for (double qk : {-0.5, 0.0, 0.4, 0.8}) {
    const auto [kin, g] = wrap_geometry(wc, qk);
    EXPECT_EQ(g.active_wraps, 2) << "q = " << qk;
    const double expected = std::sqrt(3.0) + 2.0 * kPi / 3.0 - std::acos(0.4) + std::sqrt(5.25) -
                            qk + 2.0 * std::cos(0.5 * qk);
    EXPECT_NEAR(g.length, expected, 1e-12) << "q = " << qk;
    Eigen::VectorXd r(4);
    calc_moment_arms(wc.tree, kin, g, r);
    EXPECT_NEAR(r[3], 1.0 + std::sin(0.5 * qk), 1e-12) << "q = " << qk;
    // The drawing runs P, circle 1's arc, circle 2's arc, Q.
    EXPECT_EQ(g.polyline_W.size(), 2u + 2u * 7u);
  }
}

TEST(WrapCircle, TwoCirclesSwitchOnAndOffContinuously) {
  // Sweeping the link through 3 rad (circle 2, 2.2 or 1 from the hinge, short of the flip where a
  // unilateral wrap's arc reaches half a turn) takes the path over both circles, over either
  // alone and straight, for the path over both tops, under circle 2 (the common tangent crossing
  // between them) and under both. Across every switch the length follows its moment arm to
  // second order (|dl + r dq| of the order of dq^2, with r the mean of the step's ends; chosen:
  // below 10 dq^2, room over the trapezoid's error on the case's unit-sized geometry, while a
  // kink or jump at a switch leaves an error of the order of dq), and between switches the
  // moment arm is -dl/dq.
  struct Case {
    int turn1, turn2;
    double x2;
  };
  std::vector<int> seen(4, 0);  // steps: straight, circle 1 alone, circle 2 alone, both
  for (const Case& c : {Case{1, 1, 2.2}, Case{1, -1, 2.2}, Case{-1, -1, 2.2}, Case{1, 1, 1.0}}) {
    SCOPED_TRACE(::testing::Message() << "turns " << c.turn1 << " " << c.turn2 << ", x2 " << c.x2);
    const WrapCase wc = make_double_wrap_case(c.turn1, c.turn2, c.x2);
    constexpr double kStep = 1e-3, kDiff = 1e-6;
    double previous_length = 0.0, previous_arm = 0.0;
    for (double qk = -1.5; qk <= 1.5; qk += kStep) {
      const auto [kin, g] = wrap_geometry(wc, qk);
      // With one circle wrapped the loads are P, the circle (circle 1 is in the root, 2 on the
      // link) and Q.
      ++seen.at(g.active_wraps == 1 ? 1 + g.loads.at(1).body : g.active_wraps == 2 ? 3 : 0);
      Eigen::VectorXd r(4);
      calc_moment_arms(wc.tree, kin, g, r);
      if (qk > -1.5) {
        EXPECT_LT(std::abs(g.length - previous_length + 0.5 * (r[3] + previous_arm) * kStep),
                  10.0 * kStep * kStep)
            << "q = " << qk;
      }
      previous_length = g.length;
      previous_arm = r[3];
      const auto [kin_plus, plus] = wrap_geometry(wc, qk + kDiff);
      const auto [kin_minus, minus] = wrap_geometry(wc, qk - kDiff);
      if (plus.active_wraps != g.active_wraps || minus.active_wraps != g.active_wraps) continue;
      EXPECT_NEAR(r[3], -(plus.length - minus.length) / (2.0 * kDiff), 1e-6) << "q = " << qk;
    }
  }
  for (int route = 0; route < 4; ++route) EXPECT_GT(seen[route], 0) << "route " << route;
}

TEST(WrapCircle, ASecondCircleWithoutAFirstIsRejected) {
  WrapCase wc = make_double_wrap_case(1, 1, 2.2);
  wc.path.wrap = {{-1, 1}};
  EXPECT_THROW(make_moment_arm_map(wc.tree, wc.path), std::invalid_argument);
  wc.path.wrap = {{0, 2}};
  EXPECT_THROW(make_moment_arm_map(wc.tree, wc.path), std::invalid_argument);
}

TEST(PathGeometry, PointsOnOneBodyContributeLengthButNoMomentArm) {
  const WrapCase wc = make_wrap_case(1);
  PathSpec path;
  path.points = {{1, Vec2(0.0, 0.0)}, {1, Vec2(0.3, 0.4)}, {0, Vec2(0.3, 0.4)}};
  Eigen::VectorXd q(4);
  q << 0.1, 0.2, 0.3, 0.5;
  Kinematics kin;
  skeleton::calc_kinematics(wc.tree, q, kin);
  PathGeometry g;
  reserve_path_geometry(path, g);
  calc_path_geometry(wc.tree, kin, path, g, PathDrawing::kDraw);
  // Link point (0.3, 0.4) at angle 0.5 relative to the root, root point (0.3, 0.4).
  const Vec2 a = skeleton::rotate(0.5, Vec2(0.3, 0.4)), b(0.3, 0.4);
  EXPECT_NEAR(g.length, 0.5 + (a - b).norm(), 1e-12);
  EXPECT_EQ(g.polyline_W.size(), 3u);
  Eigen::VectorXd r(4);
  calc_moment_arms(wc.tree, kin, g, r);
  // dl/dq = d|R(q) a0 - b|/dq.
  const double h = 1e-6;
  const double lp = (skeleton::rotate(0.5 + h, Vec2(0.3, 0.4)) - b).norm();
  const double lm = (skeleton::rotate(0.5 - h, Vec2(0.3, 0.4)) - b).norm();
  EXPECT_NEAR(r[3], -(lp - lm) / (2 * h), 1e-8);
}

// The wrap solution as first written, with angles: tangent points at phi -+ acos(R/|d|) and the
// arc wrapped to [0, 2 pi). The reference for the vector-algebra solver.
struct ReferenceWrap {
  bool active = false;
  Vec2 t1, t2;
  double length = 0.0;
};

ReferenceWrap reference_wrap(const Vec2& P, const Vec2& Q, const Vec2& C, double R, int turn) {
  ReferenceWrap s;
  const Vec2 dP = P - C, dQ = Q - C;
  const double nP = dP.norm(), nQ = dQ.norm();
  if (nP <= R * (1.0 + 1e-9) || nQ <= R * (1.0 + 1e-9)) return s;
  const double phiP = std::atan2(dP.y(), dP.x()), phiQ = std::atan2(dQ.y(), dQ.x());
  const double theta1 = phiP - turn * std::acos(R / nP);
  const double theta2 = phiQ + turn * std::acos(R / nQ);
  double arc = std::fmod(turn * (theta1 - theta2), 2.0 * kPi);
  if (arc < 0.0) arc += 2.0 * kPi;
  if (arc <= 0.0 || arc >= kPi) return s;
  s.active = true;
  s.t1 = C + R * Vec2(std::cos(theta1), std::sin(theta1));
  s.t2 = C + R * Vec2(std::cos(theta2), std::sin(theta2));
  s.length = (s.t1 - P).norm() + R * arc + (Q - s.t2).norm();
  return s;
}

TEST(WrapCircle, TangentPointsAndLengthMatchTheAngleFormulas) {
  // Random ends and circles on one body (the root at the origin, unrotated, so W = B).
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> coord(-0.3, 0.3), radius(0.005, 0.08);
  int active = 0, inactive = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const int turn = trial % 2 == 0 ? 1 : -1;
    WrapCase wc = make_wrap_case(turn);
    const Vec2 P(coord(rng), coord(rng)), Q(coord(rng), coord(rng)), C(coord(rng), coord(rng));
    const double R = radius(rng);
    wc.path.points = {{0, P}, {0, Q}};
    wc.path.circles = {{0, C, R, turn}};
    Kinematics kin;
    skeleton::calc_kinematics(wc.tree, Eigen::VectorXd::Zero(4), kin);
    PathGeometry g;
    calc_path_geometry(wc.tree, kin, wc.path, g, PathDrawing::kDraw);
    const ReferenceWrap ref = reference_wrap(P, Q, C, R, turn);
    ASSERT_EQ(g.active_wraps, ref.active ? 1 : 0) << "trial " << trial;
    if (!ref.active) {
      EXPECT_NEAR(g.length, (Q - P).norm(), 1e-15 * (Q - P).norm());
      ++inactive;
      continue;
    }
    ++active;
    // Polyline: P, the arc from T1 to T2, Q.
    const Vec2 t1 = g.polyline_W[1], t2 = g.polyline_W[g.polyline_W.size() - 2];
    EXPECT_LT((t1 - ref.t1).norm(), 1e-12 * R) << "trial " << trial;
    EXPECT_LT((t2 - ref.t2).norm(), 1e-12 * R) << "trial " << trial;
    EXPECT_NEAR(g.length, ref.length, 1e-12 * ref.length) << "trial " << trial;
    // Loads: toward T1 at P, through the centre on the circle, from T2 at Q; all unit or balanced.
    ASSERT_EQ(g.loads.size(), 3u);
    EXPECT_LT((g.loads[0].f_W - (ref.t1 - P).normalized()).norm(), 1e-12);
    EXPECT_LT((g.loads[2].f_W + (Q - ref.t2).normalized()).norm(), 1e-12);
    EXPECT_LT((g.loads[0].f_W + g.loads[1].f_W + g.loads[2].f_W).norm(), 1e-15);
  }
  EXPECT_GT(active, 100);
  EXPECT_GT(inactive, 100);
}

TEST(PathGeometry, DrawingChangesNothingButThePolyline) {
  const Model& m = default_model();
  model::Data data(m);
  for (const Eigen::VectorXd& q : test_postures(m)) {
    skeleton::calc_kinematics(m.tree, q, data.kin);
    for (int i = 0; i < m.num_units(); ++i) {
      PathGeometry drawn, skipped;
      calc_path_geometry(m.tree, data.kin, m.units[i].path, drawn, PathDrawing::kDraw);
      calc_path_geometry(m.tree, data.kin, m.units[i].path, skipped, PathDrawing::kSkip);
      EXPECT_EQ(drawn.length, skipped.length) << m.units[i].name;
      EXPECT_EQ(drawn.active_wraps, skipped.active_wraps) << m.units[i].name;
      EXPECT_GE(drawn.polyline_W.size(), m.units[i].path.points.size()) << m.units[i].name;
      EXPECT_TRUE(skipped.polyline_W.empty()) << m.units[i].name;
      ASSERT_EQ(drawn.loads.size(), skipped.loads.size()) << m.units[i].name;
      for (size_t j = 0; j < drawn.loads.size(); ++j) {
        EXPECT_EQ(drawn.loads[j].body, skipped.loads[j].body);
        EXPECT_EQ(drawn.loads[j].p_W, skipped.loads[j].p_W);
        EXPECT_EQ(drawn.loads[j].f_W, skipped.loads[j].f_W);
      }
      Eigen::VectorXd r_drawn(m.num_coordinates()), r_skipped(m.num_coordinates());
      calc_moment_arms(m.tree, data.kin, drawn, r_drawn);
      calc_moment_arms(m.tree, data.kin, skipped, r_skipped);
      EXPECT_EQ(r_drawn, r_skipped) << m.units[i].name;
    }
  }
}

TEST(MomentArmMap, GivesTheFullSumOnItsRowsAndZeroElsewhere) {
  const Model& m = default_model();
  model::Data data(m);
  const int n = m.num_coordinates();
  for (const Eigen::VectorXd& q : test_postures(m)) {
    skeleton::calc_kinematics(m.tree, q, data.kin);
    for (int i = 0; i < m.num_units(); ++i) {
      const MomentArmMap map = make_moment_arm_map(m.tree, m.units[i].path);
      PathGeometry g;
      calc_path_geometry(m.tree, data.kin, m.units[i].path, g, PathDrawing::kSkip);
      Eigen::VectorXd full(n), mapped = Eigen::VectorXd::Constant(n, 7.0);
      calc_moment_arms(m.tree, data.kin, g, full);
      calc_moment_arms(m.tree, data.kin, g, map, mapped);
      for (int k = 0; k < n; ++k) {
        const bool in_map =
            std::find(map.coordinates.begin(), map.coordinates.end(), k) != map.coordinates.end();
        if (in_map) {
          EXPECT_EQ(mapped[k], full[k]) << m.units[i].name << " " << m.tree.coordinate_name(k);
        } else {
          EXPECT_EQ(mapped[k], 0.0) << m.units[i].name << " " << m.tree.coordinate_name(k);
          EXPECT_NEAR(full[k], 0.0, 1e-14) << m.units[i].name << " " << m.tree.coordinate_name(k);
        }
      }
    }
  }
}

TEST(MomentArmMap, LeavesOutTheRootAndJointsBelowEveryBodyOfThePath) {
  // Path from the root to the link: the link's joint only. Path on the link alone: nothing.
  const WrapCase wc = make_wrap_case(1);
  const MomentArmMap spanning = make_moment_arm_map(wc.tree, wc.path);
  EXPECT_EQ(spanning.coordinates, std::vector<int>{3});
  PathSpec on_link;
  on_link.points = {{1, Vec2(0.0, 0.0)}, {1, Vec2(0.3, 0.4)}};
  EXPECT_TRUE(make_moment_arm_map(wc.tree, on_link).coordinates.empty());
}

TEST(PathSet, MatchesThePerPathFunctionsBitwise) {
  const Model& m = default_model();
  model::Data data(m);
  const int n = m.num_coordinates();
  // The test postures, and each again with the left leg at the right one's angles, where the
  // left units' geometry is copied from the right ones'.
  std::vector<Eigen::VectorXd> postures = test_postures(m);
  const int random = static_cast<int>(postures.size());
  for (int p = 0; p < random; ++p) {
    Eigen::VectorXd q = postures[p];
    for (const auto& c : {m.coord.hip, m.coord.knee, m.coord.ankle}) q[c[1]] = q[c[0]];
    postures.push_back(q);
  }
  for (const Eigen::VectorXd& q : postures) {
    model::calc_musculotendon_geometry(m, q, data);
    for (int i = 0; i < m.num_units(); ++i) {
      const MomentArmMap map = make_moment_arm_map(m.tree, m.units[i].path);
      PathGeometry g;
      calc_path_geometry(m.tree, data.kin, m.units[i].path, g, PathDrawing::kSkip);
      Eigen::VectorXd r(n);
      calc_moment_arms(m.tree, data.kin, g, map, r);
      EXPECT_EQ(data.l_MT[i], g.length) << m.units[i].name;
      EXPECT_EQ(data.paths[i].active_wraps, g.active_wraps) << m.units[i].name;
      EXPECT_TRUE(data.paths[i].polyline_W.empty()) << m.units[i].name;
      ASSERT_EQ(data.paths[i].loads.size(), g.loads.size()) << m.units[i].name;
      for (size_t j = 0; j < g.loads.size(); ++j) {
        EXPECT_EQ(data.paths[i].loads[j].body, g.loads[j].body);
        EXPECT_EQ(data.paths[i].loads[j].p_W, g.loads[j].p_W);
        EXPECT_EQ(data.paths[i].loads[j].f_W, g.loads[j].f_W);
      }
      EXPECT_EQ(Eigen::VectorXd(data.moment_arms.col(i)), r) << m.units[i].name;
    }
  }
}

// A Data keeps the paths of units whose bodies did not move since its last call (the memo of
// calc_path_set). Moving one coordinate at a time, then the pelvis, then back, a Data so reused
// (all units, and the units of one leg) holds exactly what a fresh one computes.
TEST(PathSet, KeepsOnlyPathsWhoseBodiesStayedStill) {
  const Model& m = default_model();
  const int n = m.num_coordinates();
  std::vector<int> right_leg;
  for (int i = 0; i < m.num_units(); ++i)
    if (m.units[i].side == model::Side::right) right_leg.push_back(i);
  model::Data reused(m), reused_leg(m, right_leg);
  Eigen::VectorXd q = test_postures(m)[1];
  std::vector<Eigen::VectorXd> steps = {q};
  for (int k = n - 1; k >= 0; --k) {  // lumbar levels and legs first, the pelvis last
    q[k] += 0.05;
    steps.push_back(q);
  }
  steps.push_back(steps.front());
  steps.push_back(steps.front());  // the same configuration twice: nothing to recompute
  for (std::size_t s = 0; s < steps.size(); ++s) {
    for (model::Data* data : {&reused, &reused_leg}) {
      model::Data fresh(m, data->units);
      model::calc_musculotendon_geometry(m, steps[s], *data);
      model::calc_musculotendon_geometry(m, steps[s], fresh);
      EXPECT_EQ(data->l_MT, fresh.l_MT) << "step " << s;
      EXPECT_EQ(data->moment_arms, fresh.moment_arms) << "step " << s;
      for (std::size_t j = 0; j < data->units.size(); ++j) {
        const PathGeometry& a = data->paths[j];
        const PathGeometry& b = fresh.paths[j];
        EXPECT_EQ(a.active_wraps, b.active_wraps);
        EXPECT_EQ(a.coupled_moment_arms, b.coupled_moment_arms);
        ASSERT_EQ(a.loads.size(), b.loads.size()) << m.units[data->units[j]].name;
        for (std::size_t l = 0; l < a.loads.size(); ++l) {
          EXPECT_EQ(a.loads[l].body, b.loads[l].body);
          EXPECT_EQ(a.loads[l].p_W, b.loads[l].p_W) << m.units[data->units[j]].name << " step " << s;
          EXPECT_EQ(a.loads[l].f_W, b.loads[l].f_W);
        }
      }
    }
  }
}

// Every left unit of the default model is the mirror image of its right one (left-right pairs
// are listed right first).
TEST(PathSet, PairsEveryLeftUnitWithItsRightOne) {
  const Model& m = default_model();
  const model::Data data(m);
  for (int i = 0; i < m.num_units(); ++i) {
    const int j = data.path_set.mirror_of[i];
    if (m.units[i].side == model::Side::left) {
      ASSERT_GE(j, 0) << m.units[i].name;
      EXPECT_EQ(m.units[j].side, model::Side::right) << m.units[i].name;
      EXPECT_EQ(m.units[j].name.substr(0, m.units[j].name.size() - 2),
                m.units[i].name.substr(0, m.units[i].name.size() - 2));
    } else {
      EXPECT_EQ(j, -1) << m.units[i].name;
    }
  }
}

}  // namespace
}  // namespace pulley::geometry
