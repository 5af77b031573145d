#include "pulley/tasks/standing.hpp"

#include <fmt/format.h>
#include <nlopt.hpp>

#include <Eigen/LU>

#include <algorithm>
#include <array>
#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/recruitment/static_optimization.hpp"
#include "pulley/tasks/quasi_static.hpp"

namespace pulley::tasks {

using model::Data;
using model::Model;
using skeleton::cross;
using skeleton::perp;
using skeleton::rotate;
using skeleton::Vec2;

namespace {

// The balance constraint is scaled per centimetre so that it weighs like the moments.
constexpr double kPerCentimetre = 100.0;

// Full-space method (the reference the reduced one is tested against): unknowns p and every
// unit's activation, solved by NLopt's SLSQP with the 8 equilibrium equations and the balance as
// equality constraints; unit forces by fibre-tendon equilibrium, posture derivatives of the
// constraints by central differences. Slow (a dense 120-variable QP per iteration) but simple.
class FullSpaceStandingProblem {
 public:
  explicit FullSpaceStandingProblem(const Model& model)
      : model_(model),
        terms_(model),
        scratch_(model),
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
    terms_.evaluate(Eigen::Map<const PostureVector>(x));
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
    double f = passive_effort(model_, terms_.data);
    for (int i = 0; i < n_units_; ++i) {
      const double e = x[kNumPosture + i] - model_.tone;
      f += model_.units[i].effort_weight * e * e;
    }
    if (grad) {
      PostureVector::Map(grad) = passive_effort_gradient(model_, terms_, scratch_);
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
        (terms_.com_offset(nullptr) - model_.com_anterior_to_ankle) * kPerCentimetre;
  }

  const Model& model_;
  FrameEquations terms_;
  PassiveEffortScratch scratch_;
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
  if (!start.empty() && (start.size() != kNumPosture ||
                         !std::all_of(start.begin(), start.end(),
                                      [](double x) { return std::isfinite(x); }))) {
    if (error) *error = fmt::format("start must be empty or hold {} finite angles", kNumPosture);
    return false;
  }
  return true;
}

void standing_configuration(const Model& model, const Eigen::Ref<const Eigen::VectorXd>& p,
                            Eigen::VectorXd& q,
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

std::array<double, 5> lumbar_angles(const Model& model, const Eigen::VectorXd& q) {
  std::array<double, 5> angles{};
  for (int l = 0; l < 5; ++l) angles[l] = q[model.coord.lumbar[l]];
  return angles;
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

RawSolution solve_reduced(const Model& model, const StandingSettings& settings) {
  const PostureBounds bounds = standing_bounds(model);
  PostureSearchSettings search;
  search.max_evaluations = settings.max_iterations;
  // A given start is a nearby subject's posture (last week's, in a programme): a few Newton
  // steps from there take about a third of the evaluations L-BFGS needs to learn the curvature
  // (docs/training.md, Speed).
  search.quasi_newton_first = !settings.start.empty();
  PostureSolver solver(model, Support::feet, search);
  // Every coordinate free; the ankle follows from the balance.
  PostureMap map;
  map.B = Eigen::MatrixXd::Identity(kNumPosture, kNumPosture);
  map.lower = Eigen::Map<const PostureVector>(bounds.lower.data());
  map.upper = Eigen::Map<const PostureVector>(bounds.upper.data());
  map.balance = true;
  PostureVector start = Eigen::Map<const PostureVector>(bounds.start.data());
  if (!settings.start.empty())
    start = Eigen::Map<const PostureVector>(settings.start.data())
                .cwiseMax(map.lower)
                .cwiseMin(map.upper);
  const FrameSolution f = solver.solve(FrameConditions{}, map, start);
  RawSolution s;
  s.p.assign(f.p.data(), f.p.data() + kNumPosture);
  s.force = f.force;
  s.activation = f.activation;
  s.iterations = f.evaluations;
  s.message = f.message;
  s.outcome = f.converged ? nlopt::SUCCESS : nlopt::MAXEVAL_REACHED;
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
    hi[kNumPosture + i] = model.units[i].activation_ceiling(model.tone);
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
  result.iterations = s.iterations;

  // Everything below is recomputed from the posture and the unit forces, whichever method.
  FrameEquations terms(model);
  terms.evaluate(Eigen::Map<const PostureVector>(s.p.data()));
  Data& data = terms.data;
  result.residual_nm = (terms.A * s.force - terms.b).cwiseAbs().maxCoeff();
  const double com_error =
      std::abs(terms.com_offset(nullptr) - model.com_anterior_to_ankle);
  result.effort = passive_effort(model, data);
  for (int i = 0; i < model.num_units(); ++i)
    result.effort += model.units[i].effort_weight * std::pow(s.activation[i] - model.tone, 2);
  const bool ok = std::isfinite(result.residual_nm) &&
                  result.residual_nm <= settings.residual_tolerance_nm && com_error < 1e-5 &&
                  s.force.allFinite() && s.activation.allFinite();
  // The status is the equilibrium's; the message adds how the least-effort search behind it
  // ended where that was not on its tolerances.
  if (ok) {
    result.status = SolveStatus::converged;
    result.least_effort_unconfirmed = s.outcome == nlopt::MAXEVAL_REACHED;
    if (result.least_effort_unconfirmed)
      result.message =
          "equilibrium found, least effort not confirmed: the search stopped at its evaluation "
          "limit before meeting its tolerances";
    else
      result.message = "equilibrium found" + (s.message.empty() ? "" : "; " + s.message);
  } else if (s.outcome == nlopt::MAXEVAL_REACHED) {
    result.status = SolveStatus::max_iterations;
    result.message = "iteration limit reached before equilibrium";
  } else {
    result.status = SolveStatus::infeasible;
    result.message = "no equilibrium within the muscles' capacity was found" +
                     (s.message.empty() ? "" : " (" + s.message + ")");
  }
  result.q = terms.q;
  result.p = s.p;
  result.activation = s.activation;
  result.force_n = s.force;
  result.fibre_length_norm.resize(model.num_units());
  for (int i = 0; i < model.num_units(); ++i) {
    const auto aff = muscle::activation_for_tendon_force(model.units[i].params, result.force_n[i],
                                                         data.l_MT[i]);
    result.fibre_length_norm[i] = aff.state.l_M / model.units[i].params.l_M_opt;
  }
  result.posture = measure_posture(model, result.q, data);
  const Eigen::VectorXd Q_total =
      terms.Q_external + data.Q_passive + data.moment_arms * result.force_n;
  loads::ExternalLoads external;
  external.feet_on_ground = true;
  loads::calc_joint_loads(model, data, result.force_n, Q_total, external, result.loads);
  result.lumbar = result.loads.lumbar;
  for (int k = 0; k < 2; ++k) result.ground_force_n[k] = result.loads.ground[k][1];
  return result;
}

}  // namespace pulley::tasks
