#include "pulley/loads/joint_loads.hpp"

#include <Eigen/LU>

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"

namespace pulley::loads {

using model::Data;
using model::Model;
using skeleton::cross;

namespace {

bool is_leg(const Model& model, int b) {
  for (int k = 0; k < 2; ++k)
    if (b == model.body.femur[k] || b == model.body.tibia[k] || b == model.body.foot[k]) return true;
  return false;
}

// Force and moment about the world origin of everything acting on each body from outside the
// skeleton and from the units: gravity (unless carried by a support), the hand load, measured
// ground reactions, the d'Alembert loads of a moving frame, and each unit's loads. One pass over the loads serves every joint (subtree_resultant).
// chosen: the model has 13 bodies; a fixed capacity keeps each call free of allocation.
constexpr int kMaxBodies = 32;
using BodyWrenches = Eigen::Matrix<double, 3, Eigen::Dynamic, 0, 3, kMaxBodies>;  // f_x, f_y, m_O
BodyWrenches body_wrenches(const Model& model, const Data& data, const Eigen::VectorXd& force_n,
                           const ExternalLoads& external) {
  const auto& tree = model.tree;
  PULLEY_DEMAND(tree.num_bodies() <= kMaxBodies, "joint loads: too many bodies");
  BodyWrenches w = BodyWrenches::Zero(3, tree.num_bodies());
  const auto add = [&](int b, const Vec2& p, const Vec2& f) {
    w(0, b) += f.x();
    w(1, b) += f.y();
    w(2, b) += cross(p, f);
  };
  for (int b = 0; b < tree.num_bodies(); ++b) {
    if (!(external.legs_supported && is_leg(model, b)))
      add(b, data.kin.p_WBcm[b], tree.body(b).mass * external.gravity_W);
    if (b == external.hand_body) add(b, external.hand_point_W, external.hand_force_W);
    if (external.accelerations) {
      const auto& body = tree.body(b);
      add(b, data.kin.p_WBcm[b], -body.mass * external.accelerations->a_WBcm[b]);
      w(2, b) -= body.inertia_cm * external.accelerations->alpha_WB[b];
    }
  }
  if (external.ground_measured)
    for (int k = 0; k < 2; ++k)
      add(model.body.foot[k], external.ground_contacts[k].point_W,
          external.ground_contacts[k].force_W);
  for (int i = 0; i < model.num_units(); ++i)
    for (const auto& load : data.paths[i].loads) add(load.body, load.p_W, force_n[i] * load.f_W);
  return w;
}

// The resultant about point J of the wrenches on the bodies in the subtree of `root` (units wholly
// inside it cancel out): moment about J = moment about O - J x force.
struct Resultant {
  Vec2 force = Vec2::Zero();
  double moment = 0.0;
};
Resultant subtree_resultant(const Model& model, const BodyWrenches& w, int root, const Vec2& J) {
  Resultant r;
  double moment_O = 0.0;
  for (int b = 0; b < model.tree.num_bodies(); ++b) {
    if (!model.tree.is_in_support(root, b)) continue;
    r.force += Vec2(w(0, b), w(1, b));
    moment_O += w(2, b);
  }
  r.moment = moment_O - cross(J, r.force);
  return r;
}

// Ground reaction on one foot (force at the ankle centre, and a moment) from that leg's three
// joint equations: Q_total(leg coordinates) + G^T w = 0, G's columns the generalised forces of a
// unit force x, y at the ankle and of a unit moment on the foot.
Eigen::Vector3d ground_wrench(const Model& model, const Data& data, const Eigen::VectorXd& Q_total,
                              int side) {
  const auto& tree = model.tree;
  const int foot = model.body.foot[side];
  const std::array<int, 3> coords = {model.coord.hip[side], model.coord.knee[side],
                                     model.coord.ankle[side]};
  const Vec2 p = data.kin.p_WJ[foot];
  Eigen::Matrix3d G;
  Eigen::Vector3d rhs;
  for (int r = 0; r < 3; ++r) {
    const int k = coords[r];
    const Vec2 v = skeleton::point_velocity_column(tree, data.kin, foot, p, k);
    G(r, 0) = v.x();
    G(r, 1) = v.y();
    G(r, 2) = tree.body(tree.body_of_coordinate(k)).coordinate_sign;  // d(theta_foot)/dq_k
    rhs[r] = -Q_total[k];
  }
  return G.partialPivLu().solve(rhs);
}

}  // namespace

namespace {

// Fills `loads` (one per level; sized on the first call, reused after).
void fill_lumbar_loads(const Model& model, const Data& data, const BodyWrenches& wrenches,
                       std::vector<LumbarLoad>& loads) {
  loads.resize(model.levels.size());
  for (std::size_t k = 0; k < model.levels.size(); ++k) {
    const auto& lv = model.levels[k];
    const int upper = lv.upper_body;
    const Vec2 J = data.kin.p_WJ[upper];
    const Resultant r = subtree_resultant(model, wrenches, upper, J);
    // Mid-disc plane: mean of the axes of the two vertebrae (S1 endplate normal below L5).
    const double th_upper = data.kin.theta_WB[upper];
    const double th_lower = lv.lower_body == model.body.pelvis
                                ? data.kin.theta_WB[lv.lower_body] + model.s1_normal_angle
                                : data.kin.theta_WB[lv.lower_body];
    const double phi = 0.5 * (th_upper + th_lower);
    const Vec2 n(-std::sin(phi), std::cos(phi));  // cranial normal
    const Vec2 t(std::cos(phi), std::sin(phi));   // anterior
    LumbarLoad& out = loads[k];
    out.level = lv.name;
    out.compression_n = -r.force.dot(n);
    out.shear_n = r.force.dot(t);
    out.disc_moment_nm = -r.moment;  // moment disc and ligaments exert on the part above (+ resists flexion)
    // In flexion the posterior ligaments carry part of that moment in tension, which the disc
    // bears as extra compression; the disc's own moment is the rest.
    const double flexion_moment = std::max(out.disc_moment_nm, 0.0);
    out.ligament_tension_n = lv.ligament_tension_per_nm * flexion_moment;
    out.compression_n += out.ligament_tension_n;
    const double disc_own_moment = out.disc_moment_nm - lv.ligament_moment_share * flexion_moment;
    const double C = std::max(out.compression_n, 0.0);
    out.disc_pressure_mpa = lv.pressure_factor * C / lv.disc_area_m2 * 1e-6;
    // Linear stress over an elliptical section: posterior half carries
    // C/2 - M * (first moment of half area)/(second moment) = C/2 - M * 16 / (3 pi d).
    out.posterior_share =
        C > 0.0 ? std::clamp(0.5 - 16.0 * disc_own_moment / (3.0 * kPi * lv.disc_depth_m * C),
                             0.0, 1.0)
                : 0.5;
  }
}

}  // namespace

std::vector<LumbarLoad> calc_lumbar_loads(const Model& model, const Data& data,
                                          const Eigen::VectorXd& force_n,
                                          const ExternalLoads& external) {
  std::vector<LumbarLoad> loads;
  fill_lumbar_loads(model, data, body_wrenches(model, data, force_n, external), loads);
  return loads;
}

void calc_joint_loads(const Model& model, const Data& data, const Eigen::VectorXd& force_n,
                      const Eigen::VectorXd& Q_total, const ExternalLoads& external,
                      JointLoads& out) {
  const BodyWrenches wrenches = body_wrenches(model, data, force_n, external);
  fill_lumbar_loads(model, data, wrenches, out.lumbar);
  for (int k = 0; k < 2; ++k) {
    // A measured reaction is already among the foot's wrenches; a solved one is added below.
    Vec2 ground_force = Vec2::Zero();
    if (external.ground_measured) {
      const GroundContact& c = external.ground_contacts[k];
      const Vec2 ankle = data.kin.p_WJ[model.body.foot[k]];
      out.ground[k] << c.force_W.x(), c.force_W.y(), cross(c.point_W - ankle, c.force_W);
    } else {
      out.ground[k] = external.feet_on_ground ? ground_wrench(model, data, Q_total, k)
                                              : Eigen::Vector3d::Zero();
      ground_force = Vec2(out.ground[k][0], out.ground[k][1]);
    }
    const int foot = model.body.foot[k];
    // Hip: everything acting on the leg from outside it, balanced by the pelvis's contact force.
    const int femur = model.body.femur[k];
    Resultant hip = subtree_resultant(model, wrenches, femur, data.kin.p_WJ[femur]);
    hip.force += ground_force;
    out.hip_contact_n[k] = hip.force.norm();
    // Knee: the same for the shank and foot, resolved along and across the tibia.
    const int tibia = model.body.tibia[k];
    Resultant knee = subtree_resultant(model, wrenches, tibia, data.kin.p_WJ[tibia]);
    knee.force += ground_force;
    const Vec2 u = (data.kin.p_WJ[tibia] - data.kin.p_WJ[foot]).normalized();  // ankle -> knee
    const Vec2 anterior(u.y(), -u.x());
    out.knee[k].compression_n = knee.force.dot(u);
    out.knee[k].anterior_shear_n = knee.force.dot(anterior);
  }
}

}  // namespace pulley::loads
