#include "pulley/tasks/standing.hpp"

#include <nlopt.hpp>

#include <Eigen/LU>

#include <algorithm>
#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/muscle/musculotendon.hpp"

namespace pulley::tasks {

using model::Data;
using model::Model;
using skeleton::cross;
using skeleton::perp;
using skeleton::rotate;
using skeleton::Vec2;

namespace {

constexpr int kNumPosture = 8;  // ankle, knee, hip, L5_S1, L4_L5, L3_L4, L2_L3, L1_L2

// Everything one evaluation of the standing problem needs, allocated once.
class StandingProblem {
 public:
  explicit StandingProblem(const Model& model)
      : model_(model),
        data_(model),
        n_units_(model.num_units()),
        q_(Eigen::VectorXd::Zero(model.num_coordinates())),
        J_(model.num_coordinates(), kNumPosture),
        Q_gravity_(model.num_coordinates()),
        Q_full_(model.num_coordinates()),
        force_(n_units_),
        dforce_da_(n_units_) {
    const double weight = model.tree.total_mass() * kGravity;
    constraint_scale_ = 1.0 / (0.01 * weight);  // 1 = a 1 % body-weight metre moment (N m)
  }

  int num_variables() const { return kNumPosture + n_units_; }
  const Model& model() const { return model_; }
  Data& data() { return data_; }
  const Eigen::VectorXd& q() const { return q_; }
  const Eigen::VectorXd& force() const { return force_; }
  const Eigen::MatrixXd& jacobian() const { return J_; }

  // Configuration, geometry, passive and gravity forces and unit forces at x = (p, a).
  void evaluate(const double* x) {
    const Eigen::Map<const Eigen::VectorXd> p(x, kNumPosture);
    standing_configuration(model_, p, q_, &J_);
    model::calc_musculotendon_geometry(model_, q_, data_);
    model::calc_passive_joint_forces(model_, q_, data_);
    skeleton::calc_gravity_forces(model_.tree, data_.kin, Vec2(0.0, -kGravity), Q_gravity_);
    for (int i = 0; i < n_units_; ++i) {
      const auto& par = model_.units[i].params;
      const auto eq = muscle::solve_static_equilibrium(par, x[kNumPosture + i], data_.l_MT[i]);
      force_[i] = eq.state.F_T;
      const auto aff = muscle::activation_for_tendon_force(par, eq.state.F_T, data_.l_MT[i]);
      dforce_da_[i] = aff.da_dF > 1e-12 ? 1.0 / aff.da_dF : 0.0;
    }
    Q_full_ = Q_gravity_ + data_.Q_passive + data_.moment_arms * force_;
  }

  // Reduced equilibrium residual J^T Q (N m), size 8.
  Eigen::VectorXd residual() const { return J_.transpose() * Q_full_; }

  double objective(const double* x, double* grad) {
    evaluate(x);
    double f = model_.passive_energy_reference > 0.0
                   ? data_.passive_energy / model_.passive_energy_reference
                   : 0.0;
    for (int i = 0; i < n_units_; ++i) {
      const double e = x[kNumPosture + i] - model_.tone;
      f += model_.units[i].effort_weight * e * e;
    }
    if (grad) {
      // dE/dp = -J^T Q_passive (passive forces derive from the energy)
      const Eigen::VectorXd dE = -(J_.transpose() * data_.Q_passive);
      for (int k = 0; k < kNumPosture; ++k) grad[k] = dE[k] / model_.passive_energy_reference;
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
    // d/da_i: J^T r_i dF_i/da_i
    for (int i = 0; i < n_units_; ++i) {
      const Eigen::VectorXd col = J_.transpose() * data_.moment_arms.col(i) * dforce_da_[i];
      for (int r = 0; r < kNumPosture; ++r)
        grad[r * n + kNumPosture + i] = col[r] * constraint_scale_;
    }
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

  double com_offset() const {
    const Vec2 com = skeleton::calc_center_of_mass(model_.tree, data_.kin);
    return com.x() - data_.kin.p_WJ[model_.body.foot[0]].x();
  }

 private:
  void fill_constraints(double* result) const {
    const Eigen::VectorXd r = residual();
    for (int k = 0; k < kNumPosture; ++k) result[k] = r[k] * constraint_scale_;
    result[kNumPosture] = (com_offset() - model_.com_anterior_to_ankle) * 100.0;  // per cm
  }

  const Model& model_;
  Data data_;
  int n_units_;
  Eigen::VectorXd q_;
  Eigen::MatrixXd J_;
  Eigen::VectorXd Q_gravity_, Q_full_, force_, dforce_da_;
  double constraint_scale_ = 1.0;
};

double nlopt_objective(unsigned, const double* x, double* grad, void* problem) {
  return static_cast<StandingProblem*>(problem)->objective(x, grad);
}

void nlopt_constraints(unsigned m, double* result, unsigned, const double* x, double* grad,
                       void* problem) {
  static_cast<StandingProblem*>(problem)->constraints(m, result, x, grad);
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

StandingResult solve_standing(const Model& model, const StandingSettings& settings) {
  StandingResult result;
  std::string error;
  if (!settings.IsValid(&error)) {
    result.status = SolveStatus::failed;
    result.message = "invalid settings: " + error;
    return result;
  }
  StandingProblem problem(model);
  const int n = problem.num_variables();
  std::vector<double> x(n), lo(n), hi(n);
  // Start: upright legs, neutral lordosis, every muscle at its tone.
  const std::array<double, 3> leg0 = {deg_to_rad(2.0), deg_to_rad(2.0), 0.0};
  for (int k = 0; k < 3; ++k) x[k] = leg0[k];
  for (int j = 0; j < 5; ++j) x[3 + j] = model.levels[4 - j].neutral_rad;
  const std::array<std::pair<double, double>, 3> leg_bounds = {
      std::pair{-30.0, 30.0}, std::pair{-15.0, 60.0}, std::pair{-30.0, 60.0}};
  for (int k = 0; k < 3; ++k) {
    lo[k] = deg_to_rad(leg_bounds[k].first);
    hi[k] = deg_to_rad(leg_bounds[k].second);
  }
  for (int j = 0; j < 5; ++j) {
    lo[3 + j] = deg_to_rad(-25.0);
    hi[3 + j] = deg_to_rad(45.0);
  }
  for (int i = 0; i < model.num_units(); ++i) {
    x[kNumPosture + i] = model.tone;
    lo[kNumPosture + i] = model.tone;
    hi[kNumPosture + i] = 1.0;
  }
  nlopt::opt opt(nlopt::LD_SLSQP, static_cast<unsigned>(n));
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(nlopt_objective, &problem);
  opt.add_equality_mconstraint(nlopt_constraints, &problem,
                               std::vector<double>(kNumPosture + 1, 1e-9));
  opt.set_ftol_rel(1e-12);
  opt.set_xtol_rel(1e-10);
  opt.set_maxeval(settings.max_iterations);
  double f = 0.0;
  nlopt::result r = nlopt::FAILURE;
  try {
    r = opt.optimize(x, f);
  } catch (const std::exception& e) {
    result.message = std::string("optimiser stopped: ") + e.what();
  }
  result.iterations = opt.get_numevals();
  problem.evaluate(x.data());
  const Eigen::VectorXd res = problem.residual();
  result.residual_nm = res.cwiseAbs().maxCoeff();
  const double com_error = std::abs(problem.com_offset() - model.com_anterior_to_ankle);
  result.effort = problem.objective(x.data(), nullptr);
  const bool ok = std::isfinite(result.residual_nm) && result.residual_nm <= settings.residual_tolerance_nm &&
                  com_error < 1e-5;
  if (ok) {
    result.status = SolveStatus::converged;
    if (result.message.empty()) result.message = "equilibrium found";
  } else if (r == nlopt::MAXEVAL_REACHED) {
    result.status = SolveStatus::max_iterations;
    result.message = "iteration limit reached before equilibrium";
  } else {
    result.status = SolveStatus::infeasible;
    if (result.message.empty())
      result.message = "no equilibrium within the muscles' capacity was found";
  }
  result.q = problem.q();
  result.activation = Eigen::Map<const Eigen::VectorXd>(x.data() + kNumPosture, model.num_units());
  result.force_n = problem.force();
  result.fibre_length_norm.resize(model.num_units());
  Data& data = problem.data();
  for (int i = 0; i < model.num_units(); ++i) {
    const auto aff = muscle::activation_for_tendon_force(model.units[i].params, result.force_n[i],
                                                         data.l_MT[i]);
    result.fibre_length_norm[i] = aff.state.l_M / model.units[i].params.l_M_opt;
  }
  result.posture = measure_posture(model, result.q, data);
  result.lumbar = calc_lumbar_loads(model, data, result.force_n);
  Eigen::VectorXd Q_gravity(model.num_coordinates());
  skeleton::calc_gravity_forces(model.tree, data.kin, Vec2(0.0, -kGravity), Q_gravity);
  const Eigen::VectorXd Q_full = Q_gravity + data.Q_passive + data.moment_arms * result.force_n;
  for (int k = 0; k < 2; ++k) result.ground_force_n[k] = foot_wrench(model, data, Q_full, k)[1];
  return result;
}

}  // namespace pulley::tasks
