#include "pulley/tasks/standing.hpp"

#include <nlopt.hpp>

#include <Eigen/LU>

#include <algorithm>
#include <array>
#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/recruitment/static_optimization.hpp"

namespace pulley::tasks {

using model::Data;
using model::Model;
using skeleton::cross;
using skeleton::perp;
using skeleton::rotate;
using skeleton::Vec2;

namespace {

constexpr int kNumPosture = 8;  // ankle, knee, hip, L5_S1, L4_L5, L3_L4, L2_L3, L1_L2
// Step of the central difference that gives the Hessian-vector product of the equilibrium
// residual (rad; chosen: the error h^2 ~ 1e-12 balances round-off ~ 1e-16 / h).
constexpr double kHessianStep = 1e-6;
// The balance constraint is scaled per centimetre so that it weighs like the moments.
constexpr double kPerCentimetre = 100.0;

// The skeleton side of the standing problem at posture p: configuration, its Jacobian, path
// geometry, passive and gravity forces, and the equilibrium written in p:
//   g(p, F) = J^T (Q_gravity + Q_passive + R F) = A F - b,  A = J^T R,  b = -J^T (Q_g + Q_p).
// g = -d/dp [potential energy + passive energy + sum_i F_i l_i] at fixed F, so dg/dp is
// symmetric (a Hessian).
struct PostureTerms {
  explicit PostureTerms(const Model& model)
      : data(model),
        q(Eigen::VectorXd::Zero(model.num_coordinates())),
        J(model.num_coordinates(), kNumPosture),
        Q_gravity(model.num_coordinates()),
        A(kNumPosture, model.num_units()),
        b(kNumPosture) {}

  void evaluate(const Model& model, const double* p_raw) {
    const Eigen::Map<const Eigen::VectorXd> p(p_raw, kNumPosture);
    standing_configuration(model, p, q, &J);
    model::calc_musculotendon_geometry(model, q, data);
    model::calc_passive_joint_forces(model, q, data);
    skeleton::calc_gravity_forces(model.tree, data.kin, Vec2(0.0, -kGravity), Q_gravity);
    A.noalias() = J.transpose() * data.moment_arms;
    Q_gravity += data.Q_passive;  // reused as the sum; restored below
    b.noalias() = -J.transpose() * Q_gravity;
    Q_gravity -= data.Q_passive;
  }

  // Configuration, Jacobian and body kinematics only (enough for the centre of mass).
  void evaluate_kinematics(const Model& model, const double* p_raw) {
    const Eigen::Map<const Eigen::VectorXd> p(p_raw, kNumPosture);
    standing_configuration(model, p, q, &J);
    skeleton::calc_kinematics(model.tree, q, data.kin);
  }

  // Horizontal distance of the whole-body centre of mass ahead of the ankles (m) and, if asked,
  // its gradient in p: d(x_com)/dq = sum_b m_b dx_b/dq / M, the generalised force of a unit
  // horizontal field on every mass, divided by M.
  double com_offset(const Model& model, double* grad) {
    const Vec2 com = skeleton::calc_center_of_mass(model.tree, data.kin);
    if (grad) {
      skeleton::calc_gravity_forces(model.tree, data.kin, Vec2(1.0, 0.0), Q_horizontal);
      for (int k = 0; k < kNumPosture; ++k)
        grad[k] = J.col(k).dot(Q_horizontal) / model.tree.total_mass();
    }
    return com.x() - data.kin.p_WJ[model.body.foot[0]].x();
  }

  Data data;
  Eigen::VectorXd q;
  Eigen::MatrixXd J;  // dq/dp
  Eigen::VectorXd Q_gravity, Q_horizontal;
  Eigen::MatrixXd A;
  Eigen::VectorXd b;
};

double passive_term(const Model& model, const Data& data) {
  return model.passive_energy_reference > 0.0 ? data.passive_energy / model.passive_energy_reference
                                              : 0.0;
}

// d/dp of passive_term: the passive forces derive from the energy, dE/dp = -J^T Q_passive.
void add_passive_gradient(const Model& model, const PostureTerms& terms, double* grad) {
  if (!(model.passive_energy_reference > 0.0)) return;
  for (int k = 0; k < kNumPosture; ++k)
    grad[k] -= terms.J.col(k).dot(terms.data.Q_passive) / model.passive_energy_reference;
}

std::vector<muscle::MusculotendonParameters> unit_parameters(const Model& model) {
  std::vector<muscle::MusculotendonParameters> params;
  for (const auto& u : model.units) params.push_back(u.params);
  return params;
}

Eigen::VectorXd unit_effort_weights(const Model& model) {
  Eigen::VectorXd w(model.num_units());
  for (int i = 0; i < model.num_units(); ++i) w[i] = model.units[i].effort_weight;
  return w;
}

// Reduced method: the posture p is the only outer unknown. For each p, static optimisation
// shares the equilibrium moments among the units (recruitment/static_optimization.hpp), giving
//   V(p) = min_a [effort(a) + W |unmet|^2] + E_passive(p) / E_ref,
// minimised over p with the balance constraint (eliminated through the ankle angle, below) by
// NLopt's L-BFGS within bounds. Its gradient follows from the envelope theorem:
//   dV/dp = -lambda^T dg/dp |_a + dE/dp / E_ref,
//   dg/dp |_a = dg/dp |_F + A diag(k) dl/dp = dg/dp |_F - A diag(k) A^T,
// with k_i = dF_i/dl_i at fixed activation. dg/dp |_F is symmetric, so lambda^T dg/dp |_F is the
// directional derivative of g along lambda, taken by central differences (two geometry passes).
class ReducedStandingProblem {
 public:
  explicit ReducedStandingProblem(const Model& model)
      : model_(model),
        terms_(model),
        shifted_(model),
        optimizer_(unit_parameters(model), unit_effort_weights(model), kNumPosture,
                   recruitment_settings(model)),
        activation_load_(model.num_units()),
        gradient_(kNumPosture),
        shifted_p_(kNumPosture),
        residual_(kNumPosture) {}

  double objective(const double* p, double* grad) {
    // SLSQP often asks for the gradient at the point its line search just evaluated: reuse it.
    if (!(has_solution_ && std::equal(p, p + kNumPosture, solved_p_.begin()))) {
      terms_.evaluate(model_, p);
      optimizer_.solve(terms_.A, terms_.b, terms_.data.l_MT);
      std::copy(p, p + kNumPosture, solved_p_.begin());
      has_solution_ = true;
    }
    const double value = optimizer_.effort() + passive_term(model_, terms_.data);
    if (grad) {
      const Eigen::VectorXd& lambda = optimizer_.multipliers();
      // + A diag(k) A^T lambda
      activation_load_.noalias() = terms_.A.transpose() * lambda;
      activation_load_.array() *= optimizer_.stiffness().array();
      gradient_.noalias() = terms_.A * activation_load_;
      // - (dg/dp|_F) lambda by central differences along lambda / |lambda|
      const double norm = lambda.norm();
      if (norm > 0.0) {
        const Eigen::Map<const Eigen::VectorXd> p0(p, kNumPosture);
        const double scale = norm / (2.0 * kHessianStep);
        for (const double sign : {1.0, -1.0}) {
          shifted_p_ = p0 + (sign * kHessianStep / norm) * lambda;
          shifted_.evaluate(model_, shifted_p_.data());
          residual_.noalias() = shifted_.A * optimizer_.force();
          residual_ -= shifted_.b;
          gradient_ -= (sign * scale) * residual_;
        }
      }
      for (int k = 0; k < kNumPosture; ++k) grad[k] = gradient_[k];
      add_passive_gradient(model_, terms_, grad);
    }
    return value;
  }

  // The balance constraint is eliminated: for the other seven coordinates y = p[1..7], the ankle
  // angle p[0] is the one that puts the centre of mass its set distance ahead of the ankles
  // (Newton from the previous angle; the offset changes steadily as the body turns about the
  // ankles). The objective over y then has gradient dV/dy = dV/dp[1..] + dV/dp[0] dp[0]/dy.
  double objective_balanced(const double* y, double* grad_y) {
    std::copy(y, y + kNumPosture - 1, balanced_p_.begin() + 1);
    std::array<double, kNumPosture> dc{};
    // chosen: Newton converges in 2-3 steps here; 1e-13 m is round-off for a 1 m lever.
    for (int it = 0; it < 30; ++it) {
      shifted_.evaluate_kinematics(model_, balanced_p_.data());
      const double c = shifted_.com_offset(model_, dc.data()) - model_.com_anterior_to_ankle;
      if (std::abs(c) < 1e-13 || !(std::abs(dc[0]) > 0.0)) break;
      balanced_p_[0] -= c / dc[0];
    }
    std::array<double, kNumPosture> grad_p{};
    const double value = objective(balanced_p_.data(), grad_y ? grad_p.data() : nullptr);
    if (grad_y)
      for (int k = 1; k < kNumPosture; ++k) grad_y[k - 1] = grad_p[k] - grad_p[0] * dc[k] / dc[0];
    return value;
  }

  // Sets the ankle angle the balance search starts from; the full posture of the last call.
  void set_ankle(double ankle) { balanced_p_[0] = ankle; }
  const std::array<double, kNumPosture>& balanced_posture() const { return balanced_p_; }

  void set_unmet_weight(double w) {
    optimizer_.set_unmet_weight(w);
    has_solution_ = false;
  }
  const recruitment::StaticOptimizer& optimizer() const { return optimizer_; }

 private:
  static recruitment::StaticOptimizationSettings recruitment_settings(const Model& model) {
    recruitment::StaticOptimizationSettings s;
    s.tone = model.tone;
    return s;
  }

  const Model& model_;
  PostureTerms terms_, shifted_;
  recruitment::StaticOptimizer optimizer_;
  Eigen::VectorXd activation_load_, gradient_, shifted_p_, residual_;  // gradient scratch
  std::array<double, kNumPosture> solved_p_{}, balanced_p_{};
  bool has_solution_ = false;  // optimizer_ holds the solution at solved_p_
};

double reduced_objective(unsigned, const double* y, double* grad, void* problem) {
  return static_cast<ReducedStandingProblem*>(problem)->objective_balanced(y, grad);
}



// Full-space method (the reference the reduced one is tested against): unknowns p and every
// unit's activation, solved by NLopt's SLSQP with the 8 equilibrium equations and the balance as
// equality constraints; unit forces by fibre-tendon equilibrium, posture derivatives of the
// constraints by central differences. Slow (a dense 120-variable QP per iteration) but simple.
class FullSpaceStandingProblem {
 public:
  explicit FullSpaceStandingProblem(const Model& model)
      : model_(model),
        terms_(model),
        n_units_(model.num_units()),
        force_(n_units_),
        dforce_da_(n_units_) {
    const double weight = model.tree.total_mass() * kGravity;
    constraint_scale_ = 1.0 / (0.01 * weight);  // 1 = a 1 % body-weight metre moment (N m)
  }

  int num_variables() const { return kNumPosture + n_units_; }
  const Eigen::VectorXd& force() const { return force_; }

  // Geometry and unit forces at x = (p, a).
  void evaluate(const double* x) {
    terms_.evaluate(model_, x);
    for (int i = 0; i < n_units_; ++i) {
      const auto& par = model_.units[i].params;
      const auto eq = muscle::solve_static_equilibrium(par, x[kNumPosture + i], terms_.data.l_MT[i]);
      force_[i] = eq.state.F_T;
      const auto aff = muscle::activation_for_tendon_force(par, eq.state.F_T, terms_.data.l_MT[i]);
      dforce_da_[i] = aff.da_dF > 1e-12 ? 1.0 / aff.da_dF : 0.0;
    }
  }

  double objective(const double* x, double* grad) {
    evaluate(x);
    double f = passive_term(model_, terms_.data);
    for (int i = 0; i < n_units_; ++i) {
      const double e = x[kNumPosture + i] - model_.tone;
      f += model_.units[i].effort_weight * e * e;
    }
    if (grad) {
      std::fill(grad, grad + kNumPosture, 0.0);
      add_passive_gradient(model_, terms_, grad);
      for (int i = 0; i < n_units_; ++i)
        grad[kNumPosture + i] =
            2.0 * model_.units[i].effort_weight * (x[kNumPosture + i] - model_.tone);
    }
    return f;
  }

  // Equality constraints: 8 scaled equilibrium residuals and the balance condition.
  void constraints(unsigned m, double* result, const double* x, double* grad) {
    const int n = num_variables();
    evaluate(x);
    fill_constraints(result);
    if (!grad) return;
    std::fill(grad, grad + m * n, 0.0);
    // d/da_i: A_i dF_i/da_i
    for (int i = 0; i < n_units_; ++i)
      for (int r = 0; r < kNumPosture; ++r)
        grad[r * n + kNumPosture + i] = terms_.A(r, i) * dforce_da_[i] * constraint_scale_;
    // d/dp: central differences (posture only; activations fixed)
    std::vector<double> xp(x, x + n), cp(m), cm(m);
    const double h = 1e-6;
    for (int k = 0; k < kNumPosture; ++k) {
      xp[k] = x[k] + h;
      evaluate(xp.data());
      fill_constraints(cp.data());
      xp[k] = x[k] - h;
      evaluate(xp.data());
      fill_constraints(cm.data());
      xp[k] = x[k];
      for (unsigned r = 0; r < m; ++r) grad[r * n + k] = (cp[r] - cm[r]) / (2.0 * h);
    }
    evaluate(x);
  }

 private:
  void fill_constraints(double* result) {
    const Eigen::VectorXd r = terms_.A * force_ - terms_.b;
    for (int k = 0; k < kNumPosture; ++k) result[k] = r[k] * constraint_scale_;
    result[kNumPosture] =
        (terms_.com_offset(model_, nullptr) - model_.com_anterior_to_ankle) * kPerCentimetre;
  }

  const Model& model_;
  PostureTerms terms_;
  int n_units_;
  Eigen::VectorXd force_, dforce_da_;
  double constraint_scale_ = 1.0;
};

double full_space_objective(unsigned, const double* x, double* grad, void* problem) {
  return static_cast<FullSpaceStandingProblem*>(problem)->objective(x, grad);
}

void full_space_constraints(unsigned m, double* result, unsigned, const double* x, double* grad,
                            void* problem) {
  static_cast<FullSpaceStandingProblem*>(problem)->constraints(m, result, x, grad);
}

// Ground reaction on one foot (force at the ankle centre and a moment), from that leg's three
// joint equations: Q_full(leg coordinates) + G^T w = 0.
Eigen::Vector3d foot_wrench(const Model& model, const Data& data, const Eigen::VectorXd& Q_full,
                            int side) {
  const int foot = model.body.foot[side];
  const std::array<int, 3> coords = {model.coord.hip[side], model.coord.knee[side],
                                     model.coord.ankle[side]};
  Eigen::Matrix3d G;
  const Vec2 p = data.kin.p_WJ[foot];
  for (int c = 0; c < 3; ++c) {
    Eigen::VectorXd Q = Eigen::VectorXd::Zero(model.num_coordinates());
    if (c < 2)
      skeleton::add_point_force(model.tree, data.kin, foot, p, c == 0 ? Vec2(1, 0) : Vec2(0, 1), Q);
    else
      skeleton::add_body_moment(model.tree, foot, 1.0, Q);
    for (int r = 0; r < 3; ++r) G(r, c) = Q[coords[r]];
  }
  Eigen::Vector3d rhs;
  for (int r = 0; r < 3; ++r) rhs[r] = -Q_full[coords[r]];
  return G.fullPivLu().solve(rhs);
}

}  // namespace

const char* to_string(SolveStatus status) {
  switch (status) {
    case SolveStatus::converged: return "converged";
    case SolveStatus::max_iterations: return "max_iterations";
    case SolveStatus::infeasible: return "infeasible";
    case SolveStatus::failed: return "failed";
  }
  return "unknown";
}

MuscleOutput muscle_output(const Model& model, int muscle, const Eigen::VectorXd& force_n,
                           const Eigen::VectorXd& activation) {
  MuscleOutput out;
  double capacity = 0.0, weighted = 0.0;
  for (int i : model.muscles[muscle].units) {
    out.force_n += force_n[i];
    capacity += model.units[i].params.F_M_max;
    weighted += activation[i] * model.units[i].params.F_M_max;
  }
  out.activation = capacity > 0.0 ? weighted / capacity : 0.0;
  return out;
}

bool StandingSettings::IsValid(std::string* error) const {
  if (!(residual_tolerance_nm > 0.0)) {
    if (error) *error = "residual_tolerance_nm must be positive";
    return false;
  }
  if (max_iterations < 1) {
    if (error) *error = "max_iterations must be at least 1";
    return false;
  }
  return true;
}

void standing_configuration(const Model& model, const Eigen::VectorXd& p, Eigen::VectorXd& q,
                            Eigen::MatrixXd* dq_dp) {
  const auto& tree = model.tree;
  const int nq = model.num_coordinates();
  if (q.size() != nq) q.setZero(nq);
  const double ankle = p[0], knee = p[1], hip = p[2];
  const auto& foot = tree.body(model.body.foot[0]);
  const auto& tibia = tree.body(model.body.tibia[0]);
  const auto& femur = tree.body(model.body.femur[0]);
  // Walk up from the foot, flat on the ground with the ankle above the origin.
  const Vec2 ankle_J(0.0, -model.sole_y);
  const double th_tibia = -ankle;  // foot: theta_foot = theta_tibia + ankle, theta_foot = 0
  const Vec2 tibia_o = ankle_J - rotate(th_tibia, foot.p_PJ);
  const Vec2 knee_J = tibia_o + rotate(th_tibia, tibia.p_BJ);
  const double th_femur = th_tibia + knee;  // tibia: theta_tibia = theta_femur - knee
  const Vec2 hip_J = knee_J - rotate(th_femur, tibia.p_PJ);
  const double th_pelvis = th_femur - hip;  // femur: theta_femur = theta_pelvis + hip
  const Vec2 pelvis_o = hip_J - rotate(th_pelvis, femur.p_PJ);
  q[0] = pelvis_o.x();
  q[1] = pelvis_o.y();
  q[2] = th_pelvis;
  for (int k = 0; k < 2; ++k) {
    q[model.coord.ankle[k]] = ankle;
    q[model.coord.knee[k]] = knee;
    q[model.coord.hip[k]] = hip;
  }
  // p[3..7] = L5_S1 ... L1_L2; coord.lumbar[0] = L1_L2
  for (int j = 0; j < 5; ++j) q[model.coord.lumbar[4 - j]] = p[3 + j];
  if (dq_dp) {
    Eigen::MatrixXd& J = *dq_dp;
    J.setZero(nq, kNumPosture);
    // Raising a joint angle turns everything above that joint about its centre.
    const std::array<std::pair<Vec2, double>, 3> turns = {
        std::pair{ankle_J, -1.0}, std::pair{knee_J, 1.0}, std::pair{hip_J, -1.0}};
    for (int c = 0; c < 3; ++c) {
      const Vec2 d = turns[c].second * perp(pelvis_o - turns[c].first);
      J(0, c) = d.x();
      J(1, c) = d.y();
      J(2, c) = turns[c].second;
    }
    for (int k = 0; k < 2; ++k) {
      J(model.coord.ankle[k], 0) = 1.0;
      J(model.coord.knee[k], 1) = 1.0;
      J(model.coord.hip[k], 2) = 1.0;
    }
    for (int j = 0; j < 5; ++j) J(model.coord.lumbar[4 - j], 3 + j) = 1.0;
  }
}

Posture measure_posture(const Model& model, const Eigen::VectorXd& q, const Data& data) {
  Posture post;
  const int P = model.body.pelvis;
  const double th_P = data.kin.theta_WB[P];
  const Vec2 S = data.kin.p_WBo[P] + rotate(th_P, model.p_PS1);
  const Vec2 H = data.kin.p_WBo[P] + rotate(th_P, model.p_PH);
  // PT: angle of the line from the hip axis to the S1 midpoint from the vertical; positive when
  // the hip axis lies anterior to S1 (Legaye et al. 1998).
  const double pt = std::atan2(H.x() - S.x(), S.y() - H.y());
  // SS: the endplate normal tilts anteriorly by SS.
  const double ss = -(th_P + model.s1_normal_angle);
  // PI measured directly: angle between the endplate normal (caudal) and the line S -> H.
  const Vec2 n = rotate(th_P + model.s1_normal_angle, Vec2::UnitY());
  const Vec2 sh = (H - S).normalized();
  const double pi = std::acos(std::clamp((-n).dot(sh), -1.0, 1.0));
  post.pelvic_tilt_deg = rad_to_deg(pt);
  post.sacral_slope_deg = rad_to_deg(ss);
  post.pelvic_incidence_deg = rad_to_deg(pi);
  post.segmental_lordosis_deg.clear();
  double ll = 0.0;
  for (const auto& lv : model.levels) {
    post.segmental_lordosis_deg.push_back(rad_to_deg(q[lv.coordinate]));
    ll += q[lv.coordinate];
  }
  post.lumbar_lordosis_deg = rad_to_deg(ll);
  for (int k = 0; k < 2; ++k) {
    post.hip_flexion_deg[k] = rad_to_deg(q[model.coord.hip[k]]);
    post.knee_flexion_deg[k] = rad_to_deg(q[model.coord.knee[k]]);
    post.ankle_dorsiflexion_deg[k] = rad_to_deg(q[model.coord.ankle[k]]);
  }
  post.trunk_inclination_deg = rad_to_deg(-data.kin.theta_WB[model.body.thorax]);
  const Vec2 com = skeleton::calc_center_of_mass(model.tree, data.kin);
  post.com_anterior_to_ankle_m = com.x() - data.kin.p_WJ[model.body.foot[0]].x();
  return post;
}

std::vector<LumbarLoad> calc_lumbar_loads(const Model& model, const Data& data,
                                          const Eigen::VectorXd& force_n) {
  std::vector<LumbarLoad> loads;
  const auto& tree = model.tree;
  const Vec2 g(0.0, -kGravity);
  for (const auto& lv : model.levels) {
    const int upper = lv.upper_body;
    const Vec2 J = data.kin.p_WJ[upper];
    // External forces on the part above the cut: gravity and every unit load on its bodies (units
    // wholly above the cut cancel out).
    Vec2 F = Vec2::Zero();
    double M = 0.0;
    for (int b = 0; b < tree.num_bodies(); ++b) {
      if (!tree.is_in_support(upper, b)) continue;
      const Vec2 f = tree.body(b).mass * g;
      F += f;
      M += cross(data.kin.p_WBcm[b] - J, f);
    }
    for (int i = 0; i < model.num_units(); ++i) {
      for (const auto& load : data.paths[i].loads) {
        if (!tree.is_in_support(upper, load.body)) continue;
        const Vec2 f = force_n[i] * load.f_W;
        F += f;
        M += cross(load.p_W - J, f);
      }
    }
    // Mid-disc plane: mean of the axes of the two vertebrae (S1 endplate normal below L5).
    const double th_upper = data.kin.theta_WB[upper];
    const double th_lower = lv.lower_body == model.body.pelvis
                                ? data.kin.theta_WB[lv.lower_body] + model.s1_normal_angle
                                : data.kin.theta_WB[lv.lower_body];
    const double phi = 0.5 * (th_upper + th_lower);
    const Vec2 n(-std::sin(phi), std::cos(phi));  // cranial normal
    const Vec2 t(std::cos(phi), std::sin(phi));   // anterior
    LumbarLoad out;
    out.level = lv.name;
    out.compression_n = -F.dot(n);
    out.shear_n = F.dot(t);
    out.disc_moment_nm = -M;  // moment the disc exerts on the part above (+ resists flexion)
    const double C = std::max(out.compression_n, 0.0);
    out.disc_pressure_mpa = lv.pressure_factor * C / lv.disc_area_m2 * 1e-6;
    // Linear stress over an elliptical section: posterior half carries
    // C/2 - M * (first moment of half area)/(second moment) = C/2 - M * 16 / (3 pi d).
    out.posterior_share =
        C > 0.0 ? std::clamp(0.5 - 16.0 * out.disc_moment_nm / (3.0 * kPi * lv.disc_depth_m * C), 0.0, 1.0)
                : 0.5;
    loads.push_back(out);
  }
  return loads;
}

namespace {

struct PostureBounds {
  std::array<double, kNumPosture> start, lower, upper;
};

// Start: upright legs, neutral lordosis. Bounds keep the search among standing postures (chosen:
// well outside any quiet-standing angle, inside the joints' ranges).
PostureBounds standing_bounds(const Model& model) {
  PostureBounds b;
  const std::array<double, 3> leg_start = {2.0, 2.0, 0.0};
  const std::array<std::pair<double, double>, 3> leg_range = {
      std::pair{-30.0, 30.0}, std::pair{-15.0, 60.0}, std::pair{-30.0, 60.0}};
  for (int k = 0; k < 3; ++k) {
    b.start[k] = deg_to_rad(leg_start[k]);
    b.lower[k] = deg_to_rad(leg_range[k].first);
    b.upper[k] = deg_to_rad(leg_range[k].second);
  }
  for (int j = 0; j < 5; ++j) {
    b.start[3 + j] = model.levels[4 - j].neutral_rad;
    b.lower[3 + j] = deg_to_rad(-25.0);
    b.upper[3 + j] = deg_to_rad(45.0);
  }
  return b;
}

struct RawSolution {
  std::vector<double> p;
  Eigen::VectorXd force, activation;
  int iterations = 0;
  nlopt::result outcome = nlopt::FAILURE;
  std::string message;
};

// Runs a configured optimiser from x (updated in place) with the common stopping rules, and
// records its outcome, message and evaluation count in s. NLopt reports some failures by throwing.
void run_optimizer(nlopt::opt& opt, const StandingSettings& settings, std::vector<double>& x,
                   RawSolution& s) {
  opt.set_ftol_rel(1e-12);
  opt.set_xtol_rel(1e-10);
  opt.set_maxeval(settings.max_iterations);
  double f = 0.0;
  try {
    s.outcome = opt.optimize(x, f);
  } catch (const std::exception& e) {
    s.message = std::string("optimiser stopped: ") + e.what();
  }
  s.iterations = opt.get_numevals();
}

// Unmet-moment prices of the reduced method (effort per (N m)^2). The posture search uses a low
// price so that it can start from postures the muscles cannot hold (the neutral start often is
// one) without the penalty swamping the effort; the final recruitment at the optimum uses a high
// one, leaving |lambda| / (2 W) < 1e-6 N m unmet. The posture found with the low price differs from
// the high-price optimum by about (unmet moment) / (joint stiffness) ~ 1e-4 N m / 100 N m/rad
// = 1e-6 rad. chosen: from the residuals seen on the demo subjects.
constexpr double kSearchUnmetWeight = 1e2;
constexpr double kFinalUnmetWeight = 1e6;

RawSolution solve_reduced(const Model& model, const StandingSettings& settings) {
  const PostureBounds bounds = standing_bounds(model);
  RawSolution s;
  ReducedStandingProblem problem(model);
  problem.set_unmet_weight(kSearchUnmetWeight);
  problem.set_ankle(bounds.start[0]);
  // Unknowns: p[1..7] (the ankle follows from the balance).
  std::vector<double> y(bounds.start.begin() + 1, bounds.start.end());
  nlopt::opt opt(nlopt::LD_LBFGS, kNumPosture - 1);
  opt.set_lower_bounds(std::vector<double>(bounds.lower.begin() + 1, bounds.lower.end()));
  opt.set_upper_bounds(std::vector<double>(bounds.upper.begin() + 1, bounds.upper.end()));
  opt.set_min_objective(reduced_objective, &problem);
  run_optimizer(opt, settings, y, s);
  problem.set_unmet_weight(kFinalUnmetWeight);
  problem.objective_balanced(y.data(), nullptr);  // final recruitment at the returned posture
  s.p.assign(problem.balanced_posture().begin(), problem.balanced_posture().end());
  s.force = problem.optimizer().force();
  s.activation = problem.optimizer().activation();
  return s;
}

RawSolution solve_full_space(const Model& model, const StandingSettings& settings) {
  const PostureBounds bounds = standing_bounds(model);
  FullSpaceStandingProblem problem(model);
  const int n = problem.num_variables();
  std::vector<double> x(n), lo(n), hi(n);
  for (int k = 0; k < kNumPosture; ++k) {
    x[k] = bounds.start[k];
    lo[k] = bounds.lower[k];
    hi[k] = bounds.upper[k];
  }
  for (int i = 0; i < model.num_units(); ++i) {
    x[kNumPosture + i] = model.tone;
    lo[kNumPosture + i] = model.tone;
    hi[kNumPosture + i] = 1.0;
  }
  nlopt::opt opt(nlopt::LD_SLSQP, static_cast<unsigned>(n));
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(full_space_objective, &problem);
  opt.add_equality_mconstraint(full_space_constraints, &problem,
                               std::vector<double>(kNumPosture + 1, 1e-9));
  RawSolution s;
  run_optimizer(opt, settings, x, s);
  problem.evaluate(x.data());
  s.p.assign(x.begin(), x.begin() + kNumPosture);
  s.force = problem.force();
  s.activation = Eigen::Map<const Eigen::VectorXd>(x.data() + kNumPosture, model.num_units());
  return s;
}

}  // namespace

const char* to_string(StandingMethod method) {
  switch (method) {
    case StandingMethod::reduced: return "reduced";
    case StandingMethod::full_space: return "full_space";
  }
  return "unknown";
}

StandingResult solve_standing(const Model& model, const StandingSettings& settings) {
  StandingResult result;
  std::string error;
  if (!settings.IsValid(&error)) {
    result.status = SolveStatus::failed;
    result.message = "invalid settings: " + error;
    return result;
  }
  const RawSolution s = settings.method == StandingMethod::reduced
                            ? solve_reduced(model, settings)
                            : solve_full_space(model, settings);
  result.message = s.message;
  result.iterations = s.iterations;

  // Everything below is recomputed from the posture and the unit forces, whichever method.
  PostureTerms terms(model);
  terms.evaluate(model, s.p.data());
  Data& data = terms.data;
  result.residual_nm = (terms.A * s.force - terms.b).cwiseAbs().maxCoeff();
  const double com_error =
      std::abs(terms.com_offset(model, nullptr) - model.com_anterior_to_ankle);
  result.effort = passive_term(model, data);
  for (int i = 0; i < model.num_units(); ++i)
    result.effort += model.units[i].effort_weight * std::pow(s.activation[i] - model.tone, 2);
  const bool ok = std::isfinite(result.residual_nm) &&
                  result.residual_nm <= settings.residual_tolerance_nm && com_error < 1e-5 &&
                  s.force.allFinite() && s.activation.allFinite();
  if (ok) {
    result.status = SolveStatus::converged;
    if (result.message.empty()) result.message = "equilibrium found";
  } else if (s.outcome == nlopt::MAXEVAL_REACHED) {
    result.status = SolveStatus::max_iterations;
    result.message = "iteration limit reached before equilibrium";
  } else {
    result.status = SolveStatus::infeasible;
    if (result.message.empty())
      result.message = "no equilibrium within the muscles' capacity was found";
  }
  result.q = terms.q;
  result.activation = s.activation;
  result.force_n = s.force;
  result.fibre_length_norm.resize(model.num_units());
  for (int i = 0; i < model.num_units(); ++i) {
    const auto aff = muscle::activation_for_tendon_force(model.units[i].params, result.force_n[i],
                                                         data.l_MT[i]);
    result.fibre_length_norm[i] = aff.state.l_M / model.units[i].params.l_M_opt;
  }
  result.posture = measure_posture(model, result.q, data);
  result.lumbar = calc_lumbar_loads(model, data, result.force_n);
  const Eigen::VectorXd Q_full =
      terms.Q_gravity + data.Q_passive + data.moment_arms * result.force_n;
  for (int k = 0; k < 2; ++k) result.ground_force_n[k] = foot_wrench(model, data, Q_full, k)[1];
  return result;
}

}  // namespace pulley::tasks
