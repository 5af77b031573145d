#include "pulley/skeleton/planar_tree.hpp"

#include <stdexcept>

namespace pulley::skeleton {

PlanarTree::PlanarTree(std::vector<BodySpec> bodies) : bodies_(std::move(bodies)) {
  const int n = num_bodies();
  if (n == 0 || bodies_[0].parent != -1 || bodies_[0].joint != JointType::floating)
    throw std::invalid_argument("PlanarTree: body 0 must be the floating root");
  coordinate_of_body_.assign(n, -1);
  body_of_coordinate_ = {0, 0, 0};
  coordinate_names_ = {bodies_[0].name + "_tx", bodies_[0].name + "_ty", bodies_[0].name + "_tilt"};
  coordinate_of_body_[0] = 0;
  support_.resize(n);
  support_[0] = {0};
  for (int b = 1; b < n; ++b) {
    const BodySpec& body = bodies_[b];
    if (body.parent < 0 || body.parent >= b)
      throw std::invalid_argument("PlanarTree: body '" + body.name + "' must follow its parent");
    if (body.joint == JointType::floating)
      throw std::invalid_argument("PlanarTree: only the root may float ('" + body.name + "')");
    if (body.joint == JointType::revolute) {
      if (body.coordinate_sign != 1.0 && body.coordinate_sign != -1.0)
        throw std::invalid_argument("PlanarTree: coordinate_sign must be +1 or -1");
      coordinate_of_body_[b] = num_coordinates_++;
      body_of_coordinate_.push_back(b);
      coordinate_names_.push_back(body.coordinate.empty() ? body.name : body.coordinate);
    }
    support_[b] = support_[body.parent];
    support_[b].push_back(b);
  }
  in_support_.assign(static_cast<size_t>(n) * n, 0);
  for (int b = 0; b < n; ++b)
    for (int a : support_[b]) in_support_[a * n + b] = 1;
  for (const BodySpec& body : bodies_) {
    if (!(body.mass >= 0.0) || !(body.inertia_cm >= 0.0))
      throw std::invalid_argument("PlanarTree: negative mass or inertia in '" + body.name + "'");
    total_mass_ += body.mass;
  }
}

int PlanarTree::find_body(const std::string& name) const {
  for (int b = 0; b < num_bodies(); ++b)
    if (bodies_[b].name == name) return b;
  return -1;
}

int PlanarTree::find_coordinate(const std::string& name) const {
  for (int k = 0; k < num_coordinates_; ++k)
    if (coordinate_names_[k] == name) return k;
  return -1;
}

void Kinematics::resize(int num_bodies) {
  theta_WB.resize(num_bodies);
  R_WB.resize(num_bodies);
  p_WBo.resize(num_bodies);
  p_WJ.resize(num_bodies);
  p_WBcm.resize(num_bodies);
}

void calc_kinematics(const PlanarTree& tree, const Eigen::VectorXd& q, Kinematics& kin) {
  const int n = tree.num_bodies();
  if (static_cast<int>(kin.theta_WB.size()) != n) kin.resize(n);
  kin.p_WBo[0] = Vec2(q[0], q[1]);
  kin.theta_WB[0] = q[2];
  kin.R_WB[0] = Rotation2::from_angle(q[2]);
  kin.p_WJ[0] = kin.p_WBo[0];
  kin.p_WBcm[0] = kin.p_WBo[0] + kin.R_WB[0] * tree.body(0).p_Bcm;
  for (int b = 1; b < n; ++b) {
    const BodySpec& body = tree.body(b);
    const int k = tree.coordinate_of(b);
    const double qk = k >= 0 ? q[k] : 0.0;
    // theta_WB = theta_WP + offset + sign q
    kin.theta_WB[b] = kin.theta_WB[body.parent] + body.angle_offset + body.coordinate_sign * qk;
    // One cos/sin per body; the parent's was computed before (parents come first).
    kin.R_WB[b] = Rotation2::from_angle(kin.theta_WB[b]);
    // p_WJ = p_WPo + R_WP p_PJ;  p_WBo = p_WJ - R_WB p_BJ
    kin.p_WJ[b] = kin.p_WBo[body.parent] + kin.R_WB[body.parent] * body.p_PJ;
    kin.p_WBo[b] = kin.p_WJ[b] - kin.R_WB[b] * body.p_BJ;
    kin.p_WBcm[b] = kin.p_WBo[b] + kin.R_WB[b] * body.p_Bcm;
  }
}

Vec2 point_velocity_column(const PlanarTree& tree, const Kinematics& kin, int b, const Vec2& p_W,
                           int k) {
  if (k == 0) return {1.0, 0.0};
  if (k == 1) return {0.0, 1.0};
  if (k == 2) return perp(p_W - kin.p_WBo[0]);
  const int a = tree.body_of_coordinate(k);
  if (!tree.is_in_support(a, b)) return Vec2::Zero();
  // dp/dq_k = sign_k * perp(p - p_WJ_k)
  return tree.body(a).coordinate_sign * perp(p_W - kin.p_WJ[a]);
}

void add_point_force(const PlanarTree& tree, const Kinematics& kin, int b, const Vec2& p_W,
                     const Vec2& f_W, Eigen::VectorXd& Q) {
  Q[0] += f_W.x();
  Q[1] += f_W.y();
  Q[2] += cross(p_W - kin.p_WBo[0], f_W);
  for (int a : tree.support(b)) {
    const int k = tree.coordinate_of(a);
    if (a == 0 || k < 0) continue;
    // Q_k += f . (sign_k perp(p - p_J)) = sign_k (p - p_J) x f
    Q[k] += tree.body(a).coordinate_sign * cross(p_W - kin.p_WJ[a], f_W);
  }
}

void add_body_moment(const PlanarTree& tree, int b, double tau, Eigen::VectorXd& Q) {
  Q[2] += tau;
  for (int a : tree.support(b)) {
    const int k = tree.coordinate_of(a);
    if (a == 0 || k < 0) continue;
    Q[k] += tree.body(a).coordinate_sign * tau;
  }
}

void calc_gravity_forces(const PlanarTree& tree, const Kinematics& kin, const Vec2& g_W,
                         Eigen::VectorXd& Q) {
  Q.setZero(tree.num_coordinates());
  for (int b = 0; b < tree.num_bodies(); ++b)
    add_point_force(tree, kin, b, kin.p_WBcm[b], tree.body(b).mass * g_W, Q);
}

Vec2 calc_center_of_mass(const PlanarTree& tree, const Kinematics& kin) {
  // p_Wcm = sum_b m_b p_WBcm / sum_b m_b
  Vec2 sum = Vec2::Zero();
  for (int b = 0; b < tree.num_bodies(); ++b) sum += tree.body(b).mass * kin.p_WBcm[b];
  return sum / tree.total_mass();
}

void BodyAccelerations::resize(int num_bodies) {
  a_WBcm.assign(num_bodies, Vec2::Zero());
  alpha_WB.assign(num_bodies, 0.0);
}

void calc_inverse_dynamics(const PlanarTree& tree, const Kinematics& kin, const Eigen::VectorXd& qd,
                           const Eigen::VectorXd& qdd, const Vec2& g_W, Eigen::VectorXd& tau,
                           BodyAccelerations* accelerations) {
  const int n = tree.num_bodies();
  tau.setZero(tree.num_coordinates());
  // Forward pass (per body, no allocation): angular velocity w, angular acceleration alpha,
  // origin velocity v and acceleration a; then each body's inertial-minus-gravity wrench is mapped
  // to the coordinates through its Jacobian (add_point_force / add_body_moment), which is the
  // backward pass of the recursive Newton-Euler algorithm written as J^T f.
  // Store per-body kinematic rates on the stack: the tree is small (tens of bodies).
  constexpr int kMaxBodies = 64;
  if (n > kMaxBodies) throw std::invalid_argument("calc_inverse_dynamics: too many bodies");
  double w[kMaxBodies], alpha[kMaxBodies];
  Vec2 v[kMaxBodies], a[kMaxBodies];
  w[0] = qd[2];
  alpha[0] = qdd[2];
  v[0] = Vec2(qd[0], qd[1]);
  a[0] = Vec2(qdd[0], qdd[1]);
  for (int b = 1; b < n; ++b) {
    const BodySpec& body = tree.body(b);
    const int p = body.parent;
    const int k = tree.coordinate_of(b);
    const double dq = k >= 0 ? qd[k] : 0.0, ddq = k >= 0 ? qdd[k] : 0.0;
    w[b] = w[p] + body.coordinate_sign * dq;
    alpha[b] = alpha[p] + body.coordinate_sign * ddq;
    // Joint centre J moves with the parent: v_J = v_P + w_P perp(r), a_J = a_P + alpha_P perp(r) - w_P^2 r
    const Vec2 r_PJ = kin.p_WJ[b] - kin.p_WBo[p];
    const Vec2 v_J = v[p] + w[p] * perp(r_PJ);
    const Vec2 a_J = a[p] + alpha[p] * perp(r_PJ) - w[p] * w[p] * r_PJ;
    const Vec2 r_JB = kin.p_WBo[b] - kin.p_WJ[b];
    v[b] = v_J + w[b] * perp(r_JB);
    a[b] = a_J + alpha[b] * perp(r_JB) - w[b] * w[b] * r_JB;
  }
  for (int b = 0; b < n; ++b) {
    const BodySpec& body = tree.body(b);
    const Vec2 r_Bcm = kin.p_WBcm[b] - kin.p_WBo[b];
    const Vec2 a_cm = a[b] + alpha[b] * perp(r_Bcm) - w[b] * w[b] * r_Bcm;
    if (accelerations) {
      if (static_cast<int>(accelerations->a_WBcm.size()) != n) accelerations->resize(n);
      accelerations->a_WBcm[b] = a_cm;
      accelerations->alpha_WB[b] = alpha[b];
    }
    // Newton: f = m (a_cm - g); Euler (planar): tau = I alpha
    add_point_force(tree, kin, b, kin.p_WBcm[b], body.mass * (a_cm - g_W), tau);
    add_body_moment(tree, b, body.inertia_cm * alpha[b], tau);
  }
}

}  // namespace pulley::skeleton
