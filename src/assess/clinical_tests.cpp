// The clinical tests (assess/clinical_tests.hpp; protocols in docs/assessment.md).
#include "pulley/assess/clinical_tests.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/muscle/curves.hpp"
#include "pulley/tasks/fatigue.hpp"
#include "test_mechanics.hpp"

namespace pulley::assess {

using detail::first_crossing;
using detail::PoseMechanics;
using detail::relax_ankle;
using detail::side_index;
using model::Model;
using model::Side;
using skeleton::Vec2;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Supine on the table: the pelvis frame turned a quarter turn back from upright, so that a leg at
// hip flexion 0 lies along the table (the thigh horizontal). Angles of the leg from the table are
// then its hip flexion. Rajagopal's pelvis frame at 0 tilt is the anatomical position
// (docs/model.md).
constexpr double kSupinePelvisAngle = kPi / 2.0;
// Seated upright: the pelvis frame at its anatomical orientation; hip flexion 90 deg puts the thigh
// horizontal.
constexpr double kSeatedPelvisAngle = 0.0;

// Scan steps and tolerances of the tests' searches (rad). chosen: a 5 deg scan finds the first
// crossing of the monotonic moment-angle curves here, and 0.01 deg is far below the 6-8 deg
// smallest detectable change of the clinical tests (J Sport Rehabil 2015, domain.md).
constexpr double kScanStepRad = 5.0 * kPi / 180.0;
constexpr double kAngleToleranceRad = 0.01 * kPi / 180.0;
// The hip flexion of the passive and active knee extension tests (deg).
constexpr double kPassiveKneeExtensionHipDeg = 90.0;
// Bisection tolerance of the isometric maxima (N m). chosen: far below the 0.01 N m/kg (about
// 0.75 N m) the results are printed to.
constexpr double kMomentToleranceNm = 0.01;
// End of the straight-leg raise's search (rad). chosen: beyond any published straight-leg raise;
// the hip's joint limit alone resists with about 46 N m at 137 deg (docs/model.md, section 6).
constexpr double kSlrMaxHipRad = 150.0 * kPi / 180.0;
// The knee tests start from 90 deg (the shank horizontal, the thigh vertical) and extend.
constexpr double kKneeStartRad = kPi / 2.0;
// Modified Thomas test: the other leg held with the knee to the chest. chosen: hip 110 deg, knee
// 120 deg; no muscle of one leg crosses the other, so these angles do not change the test leg.
constexpr double kThomasOtherHipRad = 110.0 * kPi / 180.0,
                 kThomasOtherKneeRad = 120.0 * kPi / 180.0;
// Its Newton search on the hanging leg (hip, knee, ankle). chosen: a 1e-6 rad difference step,
// steps of at most 0.2 rad, 60 iterations, converged below 1e-6 N m.
constexpr double kThomasDifferenceRad = 1e-6, kThomasMaxStepRad = 0.2;
constexpr int kThomasMaxIterations = 60;
constexpr double kThomasResidualNm = 1e-6;
// Nordic: the shins lie on the pad (tibia frame's axis horizontal, the knee in front).
constexpr double kNordicTibiaAngle = -kPi / 2.0;
// Nordic break angle refined to 0.1 deg (rad). chosen: far below the exercise's reported angles.
constexpr double kNordicAngleToleranceRad = 0.1 * kPi / 180.0;
// The concentric test's most flexed knee (deg; chosen: the usual isokinetic range of the
// conventional H:Q tests runs from 90 deg of flexion to full extension), the step at which the
// range is looked at, and how closely each peak's angle is found (chosen: the peak moment changes
// by under 0.1 % within it).
constexpr double kIsokineticRangeDeg = 90.0, kIsokineticGridStepDeg = 10.0;
constexpr double kIsokineticPeakToleranceDeg = 0.5;

// The relaxed muscles' resting activation: on a table, lying (docs/model.md, section 7).
double lying_tone(const Model& model) { return model.lying_tone; }

double knee_flexion_row_sign(bool flexion) { return flexion ? 1.0 : -1.0; }

// A search hint in the searched coordinate (rad). The raise's and the knee tests' results are
// the searched angles themselves (hip flexion, knee flexion).
std::optional<double> radians(SearchHint near_deg) {
  if (!near_deg) return std::nullopt;
  return deg_to_rad(*near_deg);
}

// Gravity's moment about point P (N m, counter-clockwise) of every body for which `include` holds.
template <class Include>
double gravity_moment_about(const Model& model, const skeleton::Kinematics& kin, const Vec2& P,
                            Include include) {
  double tau = 0.0;
  for (int b = 0; b < model.tree.num_bodies(); ++b) {
    if (!include(b)) continue;
    const Vec2 w(0.0, -kGravity * model.tree.body(b).mass);
    tau += skeleton::cross(kin.p_WBcm[b] - P, w);
  }
  return tau;
}

// The coordinates the knee tests move or balance: the test leg's knee and ankle.
std::vector<int> knee_and_ankle(const Model& model, Side side) {
  const int k = side_index(side);
  return {model.coord.knee[k], model.coord.ankle[k]};
}

bool is_leg_below_knee(const Model& model, int b) {
  for (int k = 0; k < 2; ++k)
    if (b == model.body.tibia[k] || b == model.body.foot[k]) return true;
  return false;
}

bool is_leg(const Model& model, int b) {
  return is_leg_below_knee(model, b) || b == model.body.femur[0] || b == model.body.femur[1];
}

// The supine knee tests' posture: both legs along the table, the test hip at `hip_deg` (90 deg
// in the knee extension tests), the test knee at `knee`, its foot relaxed. Evaluated.
void supine_knee_pose(PoseMechanics& pose, const TestContext& context, Side side, double knee,
                      double hip_deg = kPassiveKneeExtensionHipDeg) {
  pose.reset(kSupinePelvisAngle, context);
  pose.set_leg(side, deg_to_rad(hip_deg), knee, 0.0);
  relax_ankle(pose, side, lying_tone(pose.model()));
}

// The passive knee extension's end: the knee flexion (rad) at which the passive knee flexion
// moment reaches the tolerance, extending from 90 deg with the hip at `hip_deg`.
TestValue knee_extension_tolerance_end(PoseMechanics& pose, const TestContext& context, Side side,
                                       double tolerance_nm, SearchHint near,
                                       double hip_deg = kPassiveKneeExtensionHipDeg) {
  const Model& model = pose.model();
  const int knee = model.coord.knee[side_index(side)];
  const auto excess = [&](double theta) {
    supine_knee_pose(pose, context, side, theta, hip_deg);
    return pose.relaxed_moment(knee, lying_tone(model)) - tolerance_nm;
  };
  const double at_start = excess(kKneeStartRad);
  if (at_start >= 0.0) return {90.0, TestEnd::stretch_tolerance_at_start};
  const auto end = first_crossing(excess, kKneeStartRad, 0.0, kScanStepRad, kAngleToleranceRad,
                                  detail::Refine::root, {at_start, radians(near)});
  if (!end) return {0.0, TestEnd::full_extension};
  return {rad_to_deg(*end), TestEnd::stretch_tolerance};
}

}  // namespace

const char* to_string(TestEnd end) {
  switch (end) {
    case TestEnd::stretch_tolerance:
      return "stretch_tolerance";
    case TestEnd::range_limit:
      return "range_limit";
    case TestEnd::full_extension:
      return "full_extension";
    case TestEnd::muscle_capacity:
      return "muscle_capacity";
    case TestEnd::gravity_balance:
      return "gravity_balance";
    case TestEnd::maximum_effort:
      return "maximum_effort";
    case TestEnd::held_throughout:
      return "held_throughout";
    case TestEnd::beyond_passive_range:
      return "beyond_passive_range";
    case TestEnd::stretch_tolerance_at_start:
      return "stretch_tolerance_at_start";
    case TestEnd::muscle_capacity_at_start:
      return "muscle_capacity_at_start";
    case TestEnd::not_computed:
      return "not_computed";
  }
  return "not_computed";
}

bool ended_at_start(TestEnd end) {
  return end == TestEnd::stretch_tolerance_at_start || end == TestEnd::muscle_capacity_at_start;
}

namespace {

// The setting each key of model::kTestProtocolKeys sets, in the same order.
constexpr std::array<double ClinicalTestSettings::*, model::kTestProtocolKeys.size()>
    kProtocolSettings = {
        &ClinicalTestSettings::isometric_knee_flexion_deg,
        &ClinicalTestSettings::isometric_hip_flexion_deg,
        &ClinicalTestSettings::nordic_lowering_speed_deg_s,
        &ClinicalTestSettings::isokinetic_speed_deg_s,
        &ClinicalTestSettings::trunk_endurance_limit_s,
};

}  // namespace

bool ClinicalTestSettings::IsValid(std::string* error) const {
  for (std::size_t i = 0; i < kProtocolSettings.size(); ++i) {
    const model::TestProtocolKey& key = model::kTestProtocolKeys[i];
    const double value = this->*kProtocolSettings[i];
    if (std::isfinite(value) && value >= key.min && value <= key.max) continue;
    if (error)
      *error = fmt::format(
          "clinical test setting '{}': value {} is not allowed; allowed: {:g} to {:g} {}", key.key,
          value, key.min, key.max, key.unit);
    return false;
  }
  return true;
}

ClinicalTestSettings clinical_test_settings(const model::Subject& subject) {
  ClinicalTestSettings s;
  for (std::size_t i = 0; i < kProtocolSettings.size(); ++i)
    if (const auto& v = subject.protocol.*(model::kTestProtocolKeys[i].field))
      s.*kProtocolSettings[i] = *v;
  return s;
}

std::array<double, model::kTestProtocolKeys.size()> protocol_values(
    const ClinicalTestSettings& settings) {
  std::array<double, model::kTestProtocolKeys.size()> out;
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = settings.*kProtocolSettings[i];
  return out;
}

std::string protocol_set_by_subject(const ClinicalTestSettings& used,
                                    const model::TestProtocol& given) {
  std::string out;
  const auto values = protocol_values(used);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const model::TestProtocolKey& k = model::kTestProtocolKeys[i];
    if (!(given.*k.field)) continue;
    std::string name(k.stem);
    std::replace(name.begin(), name.end(), '_', ' ');
    out += fmt::format("{}{} {:g} {}", out.empty() ? "" : ", ", name, values[i], k.unit);
  }
  return out;
}

TestContext make_test_context(const Model& model, const tasks::StandingResult& standing) {
  TestContext c;
  PULLEY_DEMAND(standing.q.size() == model.num_coordinates(),
                "make_test_context: standing has no configuration");
  for (int l = 0; l < 5; ++l) c.lumbar_rad[l] = standing.q[model.coord.lumbar[l]];
  return c;
}

TestContext neutral_test_context(const Model& model) {
  TestContext c;
  for (int l = 0; l < 5; ++l) c.lumbar_rad[l] = model.levels[l].neutral_rad;
  return c;
}

double hip_stretch_tolerance_nm(const Model& model) {
  return model.subject.stretch_tolerance.hip_nm.value_or(kDefaultHipStretchToleranceNm);
}

double knee_stretch_tolerance_nm(const Model& model) {
  return model.subject.stretch_tolerance.knee_nm.value_or(kDefaultKneeStretchToleranceNm);
}

TestValue straight_leg_raise(const Model& model, const TestContext& context, Side side,
                             double hip_tolerance_nm, SearchHint near) {
  // Supine, both legs along the table, the pelvis held; the test knee held straight, the foot at
  // right angles (no muscle crossing the hip crosses the ankle, so its angle does not matter).
  const int hip = model.coord.hip[side_index(side)];
  PoseMechanics pose(model, {hip});
  const auto excess = [&](double theta) {
    pose.reset(kSupinePelvisAngle, context);
    pose.set_leg(side, theta, 0.0, 0.0);
    pose.evaluate();
    // The passive moment resisting the raise: hip extension is a negative generalised force.
    return -pose.relaxed_moment(hip, lying_tone(model)) - hip_tolerance_nm;
  };
  const double at_start = excess(0.0);
  if (at_start >= 0.0) return {0.0, TestEnd::stretch_tolerance_at_start};
  const auto end = first_crossing(excess, 0.0, kSlrMaxHipRad, kScanStepRad, kAngleToleranceRad,
                                  detail::Refine::root, {at_start, radians(near)});
  if (!end) return {rad_to_deg(kSlrMaxHipRad), TestEnd::range_limit};
  return {rad_to_deg(*end), TestEnd::stretch_tolerance};
}

TestValue passive_knee_extension_deficit(const Model& model, const TestContext& context, Side side,
                                         double knee_tolerance_nm, SearchHint near) {
  PoseMechanics pose(model, knee_and_ankle(model, side));
  return knee_extension_tolerance_end(pose, context, side, knee_tolerance_nm, near);
}

TestValue strength_test_knee_end(const Model& model, const TestContext& context, Side side,
                                 double knee_tolerance_nm, const ClinicalTestSettings& settings,
                                 const std::function<TestValue()>& passive_deficit,
                                 SearchHint near) {
  if (settings.isometric_hip_flexion_deg == kPassiveKneeExtensionHipDeg) return passive_deficit();
  PoseMechanics pose(model, knee_and_ankle(model, side));
  return knee_extension_tolerance_end(pose, context, side, knee_tolerance_nm, near,
                                      settings.isometric_hip_flexion_deg);
}

TestValue active_knee_extension_deficit(const Model& model, const TestContext& context, Side side,
                                        double knee_tolerance_nm, const TestValue* passive,
                                        SearchHint near) {
  // The stretch ends it as in the passive test, unless the muscles cannot lift the shank that far.
  PoseMechanics pose(model, knee_and_ankle(model, side));
  const TestValue tolerance_end =
      passive ? *passive
              : knee_extension_tolerance_end(pose, context, side, knee_tolerance_nm, near);
  // A stretch already at its tolerance at the start ends the test there, whatever the muscles.
  if (tolerance_end.end == TestEnd::stretch_tolerance_at_start) return tolerance_end;
  const int k = side_index(side);
  const int knee = model.coord.knee[k], ankle = model.coord.ankle[k];
  // Can the muscles, up to full effort, hold the knee at `theta` against passive tissue and the
  // shank's weight, with the relaxed foot's ankle in balance?
  auto problem = detail::make_max_moment(model, pose.units(),
                                         detail::unit_parameters(model, pose.units()), 2,
                                         lying_tone(model));
  const auto holds = [&](double theta) {
    supine_knee_pose(pose, context, side, theta);
    const auto& d = pose.data();
    pose.gather_moment_arms(knee, problem.A.row(0));
    problem.A.row(0) *= -1.0;  // the muscles' knee extension moment
    pose.gather_moment_arms(ankle, problem.A.row(1));
    pose.gather_lengths(problem.l_MT);
    problem.b[1] = -(d.Q_passive[ankle] + pose.gravity(ankle));
    return problem.reachable(d.Q_passive[knee] + pose.gravity(knee)) ? 1.0 : -1.0;
  };
  const double tolerance_rad = deg_to_rad(tolerance_end.value);
  if (holds(tolerance_rad) > 0.0) return tolerance_end;
  const double at_start = holds(kKneeStartRad);
  if (at_start < 0.0) return {90.0, TestEnd::muscle_capacity_at_start};
  // The most extended knee angle the muscles hold, between the stretch's end and 90 deg.
  const auto end = first_crossing(holds, kKneeStartRad, tolerance_rad, kScanStepRad,
                                  kAngleToleranceRad, detail::Refine::bisection,
                                  {at_start, radians(near)});
  return {rad_to_deg(end.value_or(tolerance_rad)), TestEnd::muscle_capacity};
}

ThomasResult thomas_test(const Model& model, const TestContext& context, Side side,
                         const ThomasResult* near) {
  // Supine at the end of the table, the pelvis at its anatomical orientation (the iliac crest and
  // the greater trochanter in line with the table, Harvey 1998), the other knee held to the chest;
  // the test leg hangs relaxed: its hip, knee and ankle come to rest where passive tissue and the
  // relaxed muscles balance the leg's weight.
  const int k = side_index(side);
  const Side other = side == Side::right ? Side::left : Side::right;
  const std::array<int, 3> coords = {model.coord.hip[k], model.coord.knee[k], model.coord.ankle[k]};
  PoseMechanics pose(model, {coords.begin(), coords.end()});
  const Eigen::Vector3d lower(deg_to_rad(-60.0), deg_to_rad(-20.0), deg_to_rad(-60.0));
  // chosen: room for the leg of a very tight hip flexor to rise above the table to its rest: the
  // hip flexed up to 100 deg (short of the other thigh, held at 110 deg), the knee up to 170 deg
  // (past its limit moment, which rises from about 138 deg: docs/model.md, section 6).
  const Eigen::Vector3d upper(deg_to_rad(100.0), deg_to_rad(170.0), deg_to_rad(45.0));
  // (the knee may hyperextend a little: a very tight rectus femoris pulls the shank up to the
  // knee's extension stop, docs/model.md section 6)
  const auto residual = [&](const Eigen::Vector3d& x) {
    pose.reset(kSupinePelvisAngle, context);
    pose.set_leg(other, kThomasOtherHipRad, kThomasOtherKneeRad, 0.0);
    pose.set_leg(side, x[0], x[1], x[2]);
    pose.evaluate();
    Eigen::Vector3d r;
    for (int j = 0; j < 3; ++j)
      r[j] = pose.relaxed_moment(coords[j], lying_tone(model)) + pose.gravity(coords[j]);
    return r;
  };
  // The leg is lowered from the table line and comes to rest at a minimum of its potential energy
  // (gravity, passive tissue and the relaxed muscles are all conservative here), where r, the net
  // generalised force, is zero. Newton's method on r with the stiffness H = -dr/dx made positive
  // definite, so that every step goes downhill in energy; a step is kept when the forces do
  // positive work along it (the trapezoidal estimate 0.5 (r0 + r1) . dx > 0), which lowers the
  // energy without computing it. Starts with the thigh along the table, the shank hanging, the
  // foot relaxed, or at the rest `near` found.
  Eigen::Vector3d x(0.0, deg_to_rad(90.0), deg_to_rad(-20.0));
  if (near && std::isfinite(near->hip_extension_deg.value) &&
      std::isfinite(near->knee_flexion_deg.value) && std::isfinite(near->ankle_dorsiflexion_deg))
    x = Eigen::Vector3d(-deg_to_rad(near->hip_extension_deg.value),
                        deg_to_rad(near->knee_flexion_deg.value),
                        deg_to_rad(near->ankle_dorsiflexion_deg))
            .cwiseMax(lower)
            .cwiseMin(upper);
  Eigen::Vector3d r = residual(x);
  bool converged = r.cwiseAbs().maxCoeff() < kThomasResidualNm;
  for (int it = 0; it < kThomasMaxIterations && !converged; ++it) {
    Eigen::Matrix3d J;
    for (int j = 0; j < 3; ++j) {
      Eigen::Vector3d xj = x;
      xj[j] += kThomasDifferenceRad;
      J.col(j) = (residual(xj) - r) / kThomasDifferenceRad;
    }
    const Eigen::Matrix3d H = -0.5 * (J + J.transpose());
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(H);
    if (eig.info() != Eigen::Success) break;
    // chosen: curvatures floored at 1e-3 of the largest (and at 1e-3 N m/rad), so that a
    // direction where the energy is flat or curves down takes a gradient-like step.
    const double floor = std::max(1e-3 * eig.eigenvalues().cwiseAbs().maxCoeff(), 1e-3);
    const Eigen::Vector3d curvature = eig.eigenvalues().cwiseAbs().cwiseMax(floor);
    Eigen::Vector3d step =
        eig.eigenvectors() * (eig.eigenvectors().transpose() * r).cwiseQuotient(curvature);
    const double longest = step.cwiseAbs().maxCoeff();
    if (!(longest > 0.0) || !std::isfinite(longest)) break;
    if (longest > kThomasMaxStepRad) step *= kThomasMaxStepRad / longest;
    bool moved = false;
    double t = 1.0;
    for (int back = 0; back < 30 && !moved; ++back, t *= 0.5) {
      const Eigen::Vector3d trial = (x + t * step).cwiseMax(lower).cwiseMin(upper);
      const Eigen::Vector3d r_trial = residual(trial);
      const Eigen::Vector3d dx = trial - x;
      if (dx.cwiseAbs().maxCoeff() == 0.0) break;
      if (0.5 * (r + r_trial).dot(dx) > 0.0 || r_trial.cwiseAbs().maxCoeff() < kThomasResidualNm) {
        x = trial;
        r = r_trial;
        moved = true;
      }
    }
    if (!moved) break;
    converged = r.cwiseAbs().maxCoeff() < kThomasResidualNm;
  }
  ThomasResult out;
  if (!converged) {
    out.hip_extension_deg = {kNaN, TestEnd::not_computed};
    out.knee_flexion_deg = {kNaN, TestEnd::not_computed};
    out.ankle_dorsiflexion_deg = kNaN;
    return out;
  }
  out.hip_extension_deg = {-rad_to_deg(x[0]), TestEnd::gravity_balance};
  out.knee_flexion_deg = {rad_to_deg(x[1]), TestEnd::gravity_balance};
  out.ankle_dorsiflexion_deg = rad_to_deg(x[2]);
  return out;
}

namespace {

// De Groote's force-velocity factor, relative to isometric, of a unit whose musculotendon
// lengthens at `lengthening` (m/s; < 0 shortening) with its tendon taken rigid: its fibre moves at
// that times cos(alpha), clamped to the curve's range of +-v_max.
double rigid_tendon_velocity_factor(const muscle::MusculotendonParameters& p, double lengthening) {
  const double v = lengthening * std::cos(p.alpha_opt) / (p.v_M_max * p.l_M_opt);
  return muscle::force_velocity(std::clamp(v, -1.0, 1.0)).f / muscle::force_velocity(0.0).f;
}

// The largest knee flexion (or extension) moment the units of `pose` can make at its posture with
// the ankle in balance: the dynamometer's moment, the muscles' plus the knee's own passive
// structures (N m); empty when the ankle cannot be balanced. With omega (rad/s) > 0 the knee moves
// that way at omega, and each unit crossing it carries De Groote's force-velocity factor at the
// speed its moment arm gives its fibre (tendon taken rigid, as in the Nordic exercise).
std::optional<double> max_knee_moment(const Model& model, const PoseMechanics& pose, int knee,
                                      int ankle, bool flexion, double omega) {
  std::vector<muscle::MusculotendonParameters> params =
      detail::unit_parameters(model, pose.units());
  if (omega > 0.0) {
    for (std::size_t j = 0; j < params.size(); ++j) {
      const double r = pose.data().moment_arms(knee, pose.units()[j]);
      // Flexing, a unit lengthens at -r omega; extending, at r omega.
      if (r != 0.0)
        params[j].F_M_max *= rigid_tendon_velocity_factor(params[j], (flexion ? -r : r) * omega);
    }
  }
  auto problem = detail::make_max_moment(model, pose.units(), std::move(params), 2, model.tone);
  const double sign = knee_flexion_row_sign(flexion);
  pose.gather_moment_arms(knee, problem.A.row(0));
  problem.A.row(0) *= sign;
  pose.gather_moment_arms(ankle, problem.A.row(1));
  pose.gather_lengths(problem.l_MT);
  const auto& d = pose.data();
  problem.b[1] = -(d.Q_passive[ankle] + pose.gravity(ankle));
  const auto most = problem.maximise(kMomentToleranceNm);
  if (!most) return std::nullopt;
  return *most + sign * d.Q_passive[knee];
}

}  // namespace

KneeStrength isometric_knee_strength(const Model& model, const TestContext& context, Side side,
                                     const ClinicalTestSettings& settings) {
  // Seated upright, the thighs strapped to the seat, the hip and knee at the settings' angles, the
  // foot hanging relaxed; the dynamometer's pad at the shank. Only the knee is measured: the seat
  // holds hips and trunk, the ankle must stay in balance.
  PoseMechanics pose(model, knee_and_ankle(model, side));
  const int k = side_index(side);
  const int knee = model.coord.knee[k], ankle = model.coord.ankle[k];
  const double hip_angle = deg_to_rad(settings.isometric_hip_flexion_deg);
  const double knee_angle = deg_to_rad(settings.isometric_knee_flexion_deg);
  pose.reset(kSeatedPelvisAngle, context);
  for (Side s : model::kSides) pose.set_leg(s, hip_angle, knee_angle, 0.0);
  relax_ankle(pose, side, model.tone);
  KneeStrength out;
  for (const bool flexion : {true, false}) {
    const auto most = max_knee_moment(model, pose, knee, ankle, flexion, 0.0);
    (flexion ? out.flexion_nm : out.extension_nm) =
        most ? TestValue{*most, TestEnd::maximum_effort} : TestValue{kNaN, TestEnd::not_computed};
  }
  return out;
}

double isokinetic_extended_end_deg(const TestValue& passive_knee_extension_deficit) {
  const double deficit = passive_knee_extension_deficit.value;
  return std::isfinite(deficit) ? deficit : 0.0;
}

IsokineticStrength isokinetic_knee_strength(const Model& model, const TestContext& context,
                                            Side side, const ClinicalTestSettings& settings,
                                            double extended_end_deg) {
  // Seated as the isometric test; the dynamometer moves the knee from 90 deg of flexion to the
  // extended end of its range and back at the test's speed, and records each direction's peak.
  // Each direction's moment is looked at every 10 deg (and at the range's ends), then its peak
  // refined by golden section within 10 deg either side of the largest (the moment-angle curve
  // has one peak there).
  PoseMechanics pose(model, knee_and_ankle(model, side));
  const int k = side_index(side);
  const int knee = model.coord.knee[k], ankle = model.coord.ankle[k];
  const double hip_angle = deg_to_rad(settings.isometric_hip_flexion_deg);
  const double omega = deg_to_rad(settings.isokinetic_speed_deg_s);
  double posed_deg = kNaN;
  const auto moment_at = [&](double knee_deg, bool flexion) {
    if (!(knee_deg == posed_deg)) {  // both directions share a posture and its relaxed foot
      pose.reset(kSeatedPelvisAngle, context);
      for (Side s : model::kSides) pose.set_leg(s, hip_angle, deg_to_rad(knee_deg), 0.0);
      relax_ankle(pose, side, model.tone);
      posed_deg = knee_deg;
    }
    const auto most = max_knee_moment(model, pose, knee, ankle, flexion, omega);
    return most ? *most : -std::numeric_limits<double>::infinity();
  };
  const double lo = std::clamp(extended_end_deg, 0.0, kIsokineticRangeDeg);
  std::vector<double> at;  // lo, lo + 10, ..., and 90 deg
  for (double deg = lo; deg < kIsokineticRangeDeg; deg += kIsokineticGridStepDeg) at.push_back(deg);
  at.push_back(kIsokineticRangeDeg);
  std::array<std::vector<double>, 2> grid;
  for (const double deg : at)
    for (const bool flexion : {true, false})
      grid[flexion ? 0 : 1].push_back(moment_at(deg, flexion));
  IsokineticStrength out;
  out.extended_end_deg = lo;
  for (const bool flexion : {true, false}) {
    const auto& values = grid[flexion ? 0 : 1];
    const auto top =
        static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
    double best_deg = at[top], best = values[top];
    if (std::isfinite(best)) {
      const auto f = [&](double deg) {
        const double m = moment_at(deg, flexion);
        if (m > best) best = m, best_deg = deg;
        return m;
      };
      // Golden section for the largest moment on [a, b].
      const double inverse_phi = (std::sqrt(5.0) - 1.0) / 2.0;
      double a = std::max(best_deg - kIsokineticGridStepDeg, lo);
      double b = std::min(best_deg + kIsokineticGridStepDeg, kIsokineticRangeDeg);
      double c = b - inverse_phi * (b - a), e = a + inverse_phi * (b - a);
      double fc = f(c), fe = f(e);
      while (b - a > kIsokineticPeakToleranceDeg) {
        if (fc >= fe) {
          b = e, e = c, fe = fc;
          c = b - inverse_phi * (b - a), fc = f(c);
        } else {
          a = c, c = e, fc = fe;
          e = a + inverse_phi * (b - a), fe = f(e);
        }
      }
    }
    const bool computed = std::isfinite(best);
    (flexion ? out.flexion_nm : out.extension_nm) = computed
                                                        ? TestValue{best, TestEnd::maximum_effort}
                                                        : TestValue{kNaN, TestEnd::not_computed};
    (flexion ? out.flexion_peak_knee_deg : out.extension_peak_knee_deg) =
        computed ? best_deg : kNaN;
  }
  return out;
}

NordicResult nordic_hamstring(const Model& model, const TestContext& context,
                              const ClinicalTestSettings& settings, SearchHint near) {
  // Kneeling on a pad, both ankles strapped, the trunk in its standing shape and the body straight
  // from the knees to the shoulders (the hips flexed just so far that the thorax's axis lines up
  // with the thighs), arms across the chest (part of the trunk body). The body leans forward as the
  // knees extend; at each knee angle the muscles must hold the body above the knees about the knee
  // axis, the trunk about the hips, and the hanging feet at the ankles. The trunk is taken as rigid
  // in its standing shape: the lumbar levels are not balanced here (with the lumbar angles held,
  // the few units that span only the upper levels cannot always match their moments, which would
  // end the test for a reason that is not the hamstrings').
  // The knee-crossing units lengthen or shorten at the lowering speed: their F_M_max carries De
  // Groote's force-velocity factor (muscle/curves.hpp) at that speed, the tendon taken rigid.
  const Model& m = model;
  PoseMechanics pose(m, {m.coord.hip[0], m.coord.hip[1], m.coord.knee[0], m.coord.knee[1],
                         m.coord.ankle[0], m.coord.ankle[1]});
  const std::vector<int>& units = pose.units();
  Eigen::RowVectorXd row(static_cast<Eigen::Index>(units.size()));
  const double omega = deg_to_rad(settings.nordic_lowering_speed_deg_s);
  const int bflh = [&] {
    const int mu = m.find_muscle("biceps_femoris_long_r");
    return mu >= 0 ? m.muscles[mu].units.front() : -1;
  }();
  enum Row { kKneeRow = 0, kHipRow, kAnkleRowR, kAnkleRowL, kRows };
  NordicResult out;
  // The last posture the muscles held: its knee angle (rad), knee moments per side (N m) and the
  // biceps femoris long head's force-velocity factor.
  struct Held {
    double theta = kNaN;
    std::array<double, 2> moment{};
    double factor = 1.0;
  };
  Held last_held;
  // The last posture's least-effort forces: the next posture's solve starts from them (the
  // search's postures lie close together; the verdict does not depend on the start).
  Eigen::VectorXd nearby_forces;
  // The hip flexion that lines the thorax up with the thighs: the thorax's angle to the pelvis.
  pose.reset(0.0, context);
  pose.evaluate();
  const double hip =
      pose.data().kin.theta_WB[m.body.thorax] - pose.data().kin.theta_WB[m.body.pelvis];
  // Sets the posture at knee flexion theta and asks whether the muscles hold it; fills last_held
  // from the solve when they do.
  const auto holds = [&](double theta, bool maximise) {
    double factor = 1.0;
    pose.reset(kNordicTibiaAngle + theta - hip, context);  // the shins fixed, the thighs at theta
    for (Side s : model::kSides) pose.set_leg(s, hip, theta, 0.0);
    detail::relax_both_ankles(pose, m.tone);
    const auto& d = pose.data();
    const auto& kin = d.kin;
    std::vector<muscle::MusculotendonParameters> params = detail::unit_parameters(m, units);
    for (std::size_t j = 0; j < units.size(); ++j) {
      const int i = units[j];
      const int side = side_index(m.units[i].side);
      const double r = d.moment_arms(m.coord.knee[side], i);
      if (r == 0.0) continue;
      auto& p = params[j];
      // The knee extends at omega: a unit lengthens at r omega.
      const double f = rigid_tendon_velocity_factor(p, r * omega);
      p.F_M_max *= f;
      if (i == bflh) factor = f;
    }
    auto problem = detail::make_max_moment(m, units, std::move(params), kRows, m.tone);
    if (nearby_forces.size() > 0) problem.set_warm_start(nearby_forces);
    pose.gather_lengths(problem.l_MT);
    const Vec2 p_knee = kin.p_WJ[m.body.tibia[0]];
    const Vec2 p_hip = kin.p_WJ[m.body.femur[0]];
    const double tau_knee =
        gravity_moment_about(m, kin, p_knee, [&](int b) { return !is_leg_below_knee(m, b); });
    const double tau_hip =
        gravity_moment_about(m, kin, p_hip, [&](int b) { return !is_leg(m, b); });
    double passive_knee = 0.0, passive_hip = 0.0;
    for (int s = 0; s < 2; ++s) {
      pose.gather_moment_arms(m.coord.knee[s], row);
      problem.A.row(kKneeRow) += row;
      pose.gather_moment_arms(m.coord.hip[s], row);
      problem.A.row(kHipRow) += row;
      passive_knee += d.Q_passive[m.coord.knee[s]];
      passive_hip += d.Q_passive[m.coord.hip[s]];
      const int ankle = m.coord.ankle[s];
      pose.gather_moment_arms(ankle, problem.A.row(kAnkleRowR + s));
      problem.b[kAnkleRowR + s] = -(d.Q_passive[ankle] + pose.gravity(ankle));
    }
    // With the shins fixed, knee flexion turns everything above the knees forward-positive
    // (counter-clockwise) and hip flexion turns the trunk back: equilibrium of each virtual motion.
    problem.b[kHipRow] = tau_hip - passive_hip;
    const double demand = -(passive_knee + tau_knee);
    const bool ok =
        maximise ? problem.maximise(kMomentToleranceNm).has_value() : problem.reachable(demand);
    nearby_forces = problem.solved_force();
    if (ok) {
      last_held.theta = theta;
      last_held.factor = factor;
      for (int s = 0; s < 2; ++s) {
        pose.gather_moment_arms(m.coord.knee[s], row);
        last_held.moment[s] = row.dot(problem.force()) + d.Q_passive[m.coord.knee[s]];
      }
    }
    for (int s = 0; s < 2; ++s)
      out.strap_distance_m[s] = (kin.p_WJ[m.body.foot[s]] - kin.p_WJ[m.body.tibia[s]]).norm();
    return ok;
  };
  const auto sign = [&](double theta) { return holds(theta, false) ? 1.0 : -1.0; };
  TestEnd end = TestEnd::muscle_capacity;
  // With a hint (a search that broke near `near`, on a nearby problem) upright kneeling is taken to
  // hold until the search says otherwise: it is looked at only when the break comes within the
  // first scan step, or never comes, the only cases where it could fail (holding gets easier as
  // the knees bend), so the answer is the one a search that looked first would give.
  const bool hinted = near && std::isfinite(*near);
  // The search's last held posture is the one reported: the last angle held above the break (or
  // the knees straight when the body is held throughout).
  std::optional<double> crossing;
  double at_start = hinted ? 1.0 : sign(kKneeStartRad);
  if (at_start > 0.0)
    crossing = first_crossing(sign, kKneeStartRad, 0.0, kScanStepRad, kNordicAngleToleranceRad,
                              detail::Refine::bisection,
                              {at_start, hinted ? radians(near) : std::nullopt});
  Held reported = last_held;
  if (hinted && (!crossing || *crossing > kKneeStartRad - kScanStepRad)) {
    at_start = sign(kKneeStartRad);
    if (!std::isfinite(reported.theta)) reported = last_held;  // upright kneeling, looked at last
  }
  if (at_start < 0.0) {
    // Too weak to hold even upright kneeling: the most the knee flexors give there.
    out.break_knee_flexion_deg = 90.0;
    if (!holds(kKneeStartRad, true)) {
      for (auto& f : out.force_n) f = {kNaN, TestEnd::not_computed};
      out.break_knee_flexion_deg = kNaN;
      return out;
    }
    reported = last_held;
  } else if (crossing) {
    out.break_knee_flexion_deg = rad_to_deg(*crossing);
  } else {
    end = TestEnd::held_throughout;
    out.break_knee_flexion_deg = kNaN;
  }
  out.eccentric_factor = reported.factor;
  // The strap is a strap: it is pulled (a knee flexion moment) or slack.
  for (int s = 0; s < 2; ++s)
    out.force_n[s] = {std::max(0.0, reported.moment[s]) / out.strap_distance_m[s], end};
  return out;
}

TestValue trunk_extensor_endurance(const Model& model, const tasks::StandingResult& standing,
                                   const ClinicalTestSettings& settings) {
  const auto endurance =
      tasks::trunk_extensor_endurance_time(model, standing, settings.trunk_endurance_limit_s);
  return endurance ? TestValue{*endurance, TestEnd::muscle_capacity}
                   : TestValue{settings.trunk_endurance_limit_s, TestEnd::held_throughout};
}

TestValue hamstring_quadriceps_ratio(const TestValue& flexion, const TestValue& extension) {
  const bool both = flexion.end != TestEnd::not_computed &&
                    extension.end != TestEnd::not_computed && extension.value > 0.0;
  const bool beyond = flexion.end == TestEnd::beyond_passive_range ||
                      extension.end == TestEnd::beyond_passive_range;
  return both ? TestValue{flexion.value / extension.value,
                          beyond ? TestEnd::beyond_passive_range : TestEnd::maximum_effort}
              : TestValue{kNaN, TestEnd::not_computed};
}

KneeStrengthPerKg knee_strength_per_kg(const TestValue& flexion_nm, const TestValue& extension_nm,
                                       double mass_kg) {
  return {{flexion_nm.value / mass_kg, flexion_nm.end},
          {extension_nm.value / mass_kg, extension_nm.end},
          hamstring_quadriceps_ratio(flexion_nm, extension_nm)};
}

namespace {

// A knee strength test's maxima at `knee_deg` of knee flexion are out of the person's reach
// (beyond_passive_range) where the relaxed knee, extended with the hip at the tests' angle
// (strength_test_knee_end), stopped at its tolerance at this angle or a more flexed one: the
// examiner cannot set the knee there.
void mark_reach(TestValue& flexion_nm, TestValue& extension_nm, double knee_deg,
                const TestValue& knee_end) {
  const bool beyond = (knee_end.end == TestEnd::stretch_tolerance ||
                       knee_end.end == TestEnd::stretch_tolerance_at_start) &&
                      knee_deg <= knee_end.value;
  if (!beyond) return;
  for (TestValue* v : {&flexion_nm, &extension_nm})
    if (v->end == TestEnd::maximum_effort) v->end = TestEnd::beyond_passive_range;
}

// The right side's one-sided results given to the left side as well.
void copy_right_to_left(ClinicalTestResults& r) {
  for (SidedValue* v :
       {&r.straight_leg_raise_deg, &r.passive_knee_extension_deficit_deg,
        &r.active_knee_extension_deficit_deg, &r.thomas_hip_extension_deg,
        &r.thomas_knee_flexion_deg, &r.knee_flexion_torque_nm_per_kg,
        &r.knee_extension_torque_nm_per_kg, &r.hq_ratio, &r.concentric_knee_flexion_nm_per_kg,
        &r.concentric_knee_extension_nm_per_kg, &r.conventional_hq_ratio,
        &r.strength_test_knee_end_deg})
    (*v)[1] = (*v)[0];
  for (std::array<double, 2>* a :
       {&r.thomas_ankle_dorsiflexion_deg, &r.concentric_flexion_peak_knee_deg,
        &r.concentric_extension_peak_knee_deg, &r.concentric_extended_end_deg})
    (*a)[1] = (*a)[0];
}

}  // namespace

ClinicalTestResults run_clinical_tests(const Model& model, const ClinicalTestSettings& settings,
                                       const NearbyResults& nearby) {
  std::string error;
  if (!settings.IsValid(&error)) throw InputError(error);
  ClinicalTestResults r;
  r.settings = settings;
  r.stretch_tolerance_hip_nm = hip_stretch_tolerance_nm(model);
  r.stretch_tolerance_knee_nm = knee_stretch_tolerance_nm(model);
  const ClinicalTestResults* near = nearby.results && nearby.results->ok ? nearby.results : nullptr;
  // A hint from a test that ended where its search could end.
  const auto hint = [](const TestValue& v) -> SearchHint {
    if (v.end == TestEnd::not_computed || !std::isfinite(v.value)) return std::nullopt;
    return v.value;
  };
  tasks::StandingSettings standing_settings;
  if (near) standing_settings.start = near->standing.p;
  r.standing = tasks::solve_standing(model, standing_settings);
  if (r.standing.status != tasks::SolveStatus::converged) {
    r.message = "quiet standing, the start of every test, did not solve: " + r.standing.message;
    return r;
  }
  r.ok = true;
  r.standing_pelvic_tilt_deg = {r.standing.posture.pelvic_tilt_deg, TestEnd::gravity_balance};
  r.standing_lumbar_lordosis_deg = {r.standing.posture.lumbar_lordosis_deg,
                                    TestEnd::gravity_balance};
  const TestContext context = make_test_context(model, r.standing);
  const double mass = model.subject.mass_kg;
  // A model whose sides are alike (model::sides_alike) tests its right leg only: the left leg,
  // its mirror image, gives the same results (copied after the loop).
  const bool mirrored = model::sides_alike(model);
  for (Side side : model::kSides) {
    if (mirrored && side == Side::left) break;
    const int k = side_index(side);
    r.straight_leg_raise_deg[k] =
        straight_leg_raise(model, context, side, r.stretch_tolerance_hip_nm,
                           near ? hint(near->straight_leg_raise_deg[k]) : std::nullopt);
    r.passive_knee_extension_deficit_deg[k] = passive_knee_extension_deficit(
        model, context, side, r.stretch_tolerance_knee_nm,
        near ? hint(near->passive_knee_extension_deficit_deg[k]) : std::nullopt);
    r.active_knee_extension_deficit_deg[k] = active_knee_extension_deficit(
        model, context, side, r.stretch_tolerance_knee_nm, &r.passive_knee_extension_deficit_deg[k],
        near ? hint(near->active_knee_extension_deficit_deg[k]) : std::nullopt);
    std::optional<ThomasResult> thomas_near;
    if (near)
      thomas_near = ThomasResult{near->thomas_hip_extension_deg[k],
                                 near->thomas_knee_flexion_deg[k],
                                 near->thomas_ankle_dorsiflexion_deg[k]};
    const ThomasResult thomas =
        thomas_test(model, context, side, thomas_near ? &*thomas_near : nullptr);
    r.thomas_hip_extension_deg[k] = thomas.hip_extension_deg;
    r.thomas_knee_flexion_deg[k] = thomas.knee_flexion_deg;
    r.thomas_ankle_dorsiflexion_deg[k] = thomas.ankle_dorsiflexion_deg;
    // Where the knee stops extending with the hip as the strength tests set it.
    const TestValue& knee_end = r.strength_test_knee_end_deg[k] = strength_test_knee_end(
        model, context, side, r.stretch_tolerance_knee_nm, settings,
        [&] { return r.passive_knee_extension_deficit_deg[k]; },
        near ? hint(near->strength_test_knee_end_deg[k]) : std::nullopt);
    KneeStrength strength = isometric_knee_strength(model, context, side, settings);
    mark_reach(strength.flexion_nm, strength.extension_nm, settings.isometric_knee_flexion_deg,
               knee_end);
    const KneeStrengthPerKg isometric =
        knee_strength_per_kg(strength.flexion_nm, strength.extension_nm, mass);
    r.knee_flexion_torque_nm_per_kg[k] = isometric.flexion;
    r.knee_extension_torque_nm_per_kg[k] = isometric.extension;
    r.hq_ratio[k] = isometric.ratio;
    r.concentric_flexion_peak_knee_deg[k] = r.concentric_extension_peak_knee_deg[k] =
        r.concentric_extended_end_deg[k] = kNaN;
    r.concentric_knee_flexion_nm_per_kg[k] = r.concentric_knee_extension_nm_per_kg[k] =
        r.conventional_hq_ratio[k] = TestValue{kNaN, TestEnd::not_computed};
    if (settings.isokinetic_test) {
      // The range starts where the person's knee stops extending passively with the hip as
      // seated: the examiner sets the dynamometer's range to what the person tolerates.
      IsokineticStrength concentric = isokinetic_knee_strength(
          model, context, side, settings, isokinetic_extended_end_deg(knee_end));
      // Out of reach where even the range's flexed end is (a range without extent).
      mark_reach(concentric.flexion_nm, concentric.extension_nm, kIsokineticRangeDeg, knee_end);
      const KneeStrengthPerKg peaks =
          knee_strength_per_kg(concentric.flexion_nm, concentric.extension_nm, mass);
      r.concentric_knee_flexion_nm_per_kg[k] = peaks.flexion;
      r.concentric_knee_extension_nm_per_kg[k] = peaks.extension;
      r.conventional_hq_ratio[k] = peaks.ratio;
      r.concentric_flexion_peak_knee_deg[k] = concentric.flexion_peak_knee_deg;
      r.concentric_extension_peak_knee_deg[k] = concentric.extension_peak_knee_deg;
      r.concentric_extended_end_deg[k] = concentric.extended_end_deg;
    }
  }
  if (mirrored) copy_right_to_left(r);
  r.nordic = nordic_hamstring(model, context, settings,
                              near ? SearchHint(near->nordic.break_knee_flexion_deg) : std::nullopt);
  r.nordic_force_n = r.nordic.force_n;
  if (nearby.trunk_extensor_endurance_s) {
    r.trunk_extensor_endurance_s = *nearby.trunk_extensor_endurance_s;
    return r;
  }
  r.trunk_extensor_endurance_s = trunk_extensor_endurance(model, r.standing, settings);
  return r;
}

}  // namespace pulley::assess
