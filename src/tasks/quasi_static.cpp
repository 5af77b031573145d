#include "pulley/tasks/quasi_static.hpp"

#include <nlopt.hpp>

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/numerics/warm_quasi_newton.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {

using model::Model;
using skeleton::perp;
using skeleton::Vec2;

namespace {

// Step of the forward difference that gives the Hessian-vector product of the equilibrium
// residual (rad; chosen: its error, ~1e-6 of the term, is far below what moves a posture by the
// search tolerances, and round-off ~1e-16 / h stays at 1e-10).
constexpr double kHessianStep = 1e-6;

// chosen: 1e-7 rad (6e-6 deg) is far below any reported angle; the relative tolerance on the
// objective stops a search once the effort stalls at round-off of the recruitment.
constexpr double kSearchStepTolerance = 1e-7;
constexpr double kSearchValueTolerance = 1e-10;
// The recruitment's activation tolerance inside a posture search, whose objective is its effort.
// chosen: at the recruitment's default (1e-9) units whose last step lies within the tolerance
// keep their forces, and the moments they leave unmet, priced at W, put the effort up to about
// 1e-6 of its value above the least (a bent-forward frame: 7.9e-7 above a solve at 1e-13; a
// standing one 7e-10 to 1e-8, and 7.8e-7 before the vasti's tendon slack length followed Chen et
// al. 2016), four decades above the search's value tolerance;
// at 1e-11 it is within 4e-12 in as many passes, and the searches take about a tenth fewer
// evaluations (docs/validation.md, Performance; tests/unit/recruitment/
// static_optimization_test.cpp).
constexpr double kSearchRecruitmentTolerance = 1e-11;
// chosen: the quasi-Newton search may use a quarter of a frame's evaluations before the frame
// is handed to L-BFGS; on the default forward bend it converges in 5-29.
constexpr int kQuasiNewtonBudgetShare = 4;

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

// The joint coordinates whose passive load the criterion counts: the lumbar levels and both legs'
// hip, knee and ankle (every coordinate but the pelvis's placement).
template <class Visit>
void for_each_joint_coordinate(const Model& model, Visit visit) {
  for (int c : model.coord.lumbar) visit(c);
  for (int k = 0; k < 2; ++k) {
    visit(model.coord.hip[k]);
    visit(model.coord.knee[k]);
    visit(model.coord.ankle[k]);
  }
}

// Each joint coordinate's passive load weighs like one muscle (standing.yaml).
double passive_load_weight(const Model& model) {
  return 1.0 / static_cast<double>(model.muscles.size());
}

}  // namespace

double passive_effort(const Model& model, model::Data& data) {
  double effort = model.passive_energy_reference > 0.0
                      ? data.passive_energy / model.passive_energy_reference
                      : 0.0;
  if (model.passive_load_reference > 0.0) {
    model::calc_passive_load(model, data);
    const double w = passive_load_weight(model);
    for_each_joint_coordinate(model, [&](int c) {
      const double share = data.passive_load[c] / model.passive_load_reference;
      effort += w * share * share;
    });
  }
  return effort;
}

PassiveEffortScratch::PassiveEffortScratch(const Model& model)
    : data(model),
      q(Eigen::VectorXd::Zero(model.num_coordinates())),
      direction(Eigen::VectorXd::Zero(model.num_coordinates())) {}

PostureVector passive_effort_gradient(const Model& model, const FrameEquations& equations,
                                      PassiveEffortScratch& scratch) {
  PostureVector gradient = PostureVector::Zero();
  if (model.passive_energy_reference > 0.0)
    gradient.noalias() -=
        equations.J.transpose() * equations.data.Q_passive / model.passive_energy_reference;
  if (!(model.passive_load_reference > 0.0)) return gradient;
  // The passive loads derive from one strain energy E(q) (segments, joint limits, hip ligaments,
  // fibres with rigid tendons), M = -dE/dq, so K = dM/dq is symmetric and the gradient of
  // sum_c w (M_c / M_ref)^2 over the joint coordinates c is (2 w / M_ref^2) K d with d = M on
  // those coordinates, 0 on the root's: one directional difference of M along d.
  const Eigen::VectorXd& M = equations.data.passive_load;
  Eigen::VectorXd& d = scratch.direction;
  d.setZero();
  for_each_joint_coordinate(model, [&](int c) { d[c] = M[c]; });
  const double norm = d.norm();
  if (!(norm > 0.0)) return gradient;
  // The step of the Hessian-vector product below (kHessianStep) suits M too: the passive moments
  // are smooth on that scale.
  scratch.q = equations.q + (kHessianStep / norm) * d;
  model::calc_musculotendon_geometry(model, scratch.q, scratch.data);
  model::calc_passive_joint_forces(model, scratch.q, scratch.data);
  model::calc_passive_load(model, scratch.data);
  Eigen::VectorXd& K_d = scratch.data.passive_load;  // becomes (M(q + h d / |d|) - M) |d| / h
  K_d -= M;
  const double M_ref = model.passive_load_reference;
  const double scale = 2.0 * passive_load_weight(model) * norm / (kHessianStep * M_ref * M_ref);
  gradient.noalias() += scale * (equations.J.transpose() * K_d);
  return gradient;
}

const char* to_string(Support support) {
  switch (support) {
    case Support::feet: return "feet";
    case Support::seat: return "seat";
    case Support::bed: return "bed";
  }
  return "unknown";
}

void placed_pelvis_configuration(const Model& model, const Eigen::Vector3d& pelvis_pose,
                                 const PostureVector& p, Eigen::VectorXd& q,
                                 Eigen::MatrixXd* dq_dp) {
  const int nq = model.num_coordinates();
  if (q.size() != nq) q.setZero(nq);
  q.head<3>() = pelvis_pose;
  for (int k = 0; k < 2; ++k) {
    q[model.coord.ankle[k]] = p[kAnkle];
    q[model.coord.knee[k]] = p[kKnee];
    q[model.coord.hip[k]] = p[kHip];
  }
  for (int j = 0; j < 5; ++j) q[model.coord.lumbar[4 - j]] = p[kL5S1 + j];
  if (dq_dp) {
    Eigen::MatrixXd& J = *dq_dp;
    J.setZero(nq, kNumPosture);
    for (int k = 0; k < 2; ++k) {
      J(model.coord.ankle[k], kAnkle) = 1.0;
      J(model.coord.knee[k], kKnee) = 1.0;
      J(model.coord.hip[k], kHip) = 1.0;
    }
    for (int j = 0; j < 5; ++j) J(model.coord.lumbar[4 - j], kL5S1 + j) = 1.0;
  }
}

// --- FrameEquations ------------------------------------------------------------------------------

FrameEquations::FrameEquations(const Model& model)
    : data(model),
      q(Eigen::VectorXd::Zero(model.num_coordinates())),
      J(model.num_coordinates(), kNumPosture),
      Q_external(model.num_coordinates()),
      A(kNumPosture, model.num_units()),
      b(kNumPosture),
      model_(model),
      Q_scratch_(model.num_coordinates()) {
  for (const geometry::MomentArmMap::Term& t : data.path_set.terms)
    moved_rows_.push_back(t.coordinate);
  std::sort(moved_rows_.begin(), moved_rows_.end());
  moved_rows_.erase(std::unique(moved_rows_.begin(), moved_rows_.end()), moved_rows_.end());
}

int FrameEquations::first_row() const { return first_row(conditions_.support); }
int FrameEquations::num_rows() const { return num_rows(conditions_.support); }

void FrameEquations::configure(const PostureVector& p) {
  if (conditions_.support == Support::feet)
    standing_configuration(model_, p, q, &J);
  else
    placed_pelvis_configuration(model_, conditions_.pelvis_pose, p, q, &J);
}

void FrameEquations::evaluate_kinematics(const PostureVector& p) {
  configure(p);
  skeleton::calc_kinematics(model_.tree, q, data.kin);
}

void FrameEquations::evaluate(const PostureVector& p) {
  configure(p);
  model::calc_musculotendon_geometry(model_, q, data);
  model::calc_passive_joint_forces(model_, q, data);
  // On a bed every body's weight is carried where it lies: no gravity reaches the joints.
  const Vec2 g = conditions_.support == Support::bed ? Vec2::Zero() : Vec2(0.0, -kGravity);
  skeleton::calc_gravity_forces(model_.tree, data.kin, g, Q_external);
  if (conditions_.load.mass_kg > 0.0)
    skeleton::add_point_force(model_.tree, data.kin, model_.body.thorax, load_point_W(),
                              conditions_.load.mass_kg * g, Q_external);
  // A = J^T R. J is sparse (each joint coordinate follows one or two posture coordinates; only
  // the pelvis's rows are dense): sum the rows of R that J picks. R's rows of the pelvis's own
  // coordinates are exactly zero (geometry::MomentArmMap leaves out the root): only the rows a
  // unit can move are summed, which adds the same terms but zeros.
  A.setZero();
  for (int k = 0; k < kNumPosture; ++k)
    for (const int c : moved_rows_)
      if (J(c, k) != 0.0) A.row(k) += J(c, k) * data.moment_arms.row(c);
  Q_scratch_ = Q_external + data.Q_passive;
  b.noalias() = -J.transpose() * Q_scratch_;
}

Vec2 FrameEquations::load_point_W() const {
  const int T = model_.body.thorax;
  return data.kin.p_WBo[T] + data.kin.R_WB[T] * conditions_.load.p_thorax;
}

double FrameEquations::com_offset(double* grad) {
  // x_com = (sum_b m_b x_b + m_L x_L) / (M + m_L); d(x)/dq of the masses is the generalised force
  // of a unit horizontal field on them.
  const double M = model_.tree.total_mass();
  const double mL = conditions_.load.mass_kg;
  const Vec2 body_com = skeleton::calc_center_of_mass(model_.tree, data.kin);
  const Vec2 load_W = load_point_W();
  const double x = (M * body_com.x() + mL * load_W.x()) / (M + mL);
  if (grad) {
    skeleton::calc_gravity_forces(model_.tree, data.kin, Vec2(1.0, 0.0), Q_scratch_);
    if (mL > 0.0)
      skeleton::add_point_force(model_.tree, data.kin, model_.body.thorax, load_W, Vec2(mL, 0.0),
                                Q_scratch_);
    for (int k = 0; k < kNumPosture; ++k) grad[k] = J.col(k).dot(Q_scratch_) / (M + mL);
  }
  return x - data.kin.p_WJ[model_.body.foot[0]].x();
}

PostureVector FrameEquations::thorax_angle_slope() const {
  // theta_pelvis = -ankle + knee - hip with the feet on the ground (standing_configuration), fixed
  // otherwise; each lordosis angle turns the thorax by itself.
  PostureVector slope = PostureVector::Zero();
  if (conditions_.support == Support::feet) slope.head<3>() << -1.0, 1.0, -1.0;
  slope.tail<5>().setOnes();
  return slope;
}

// --- Posture maps --------------------------------------------------------------------------------

PostureMap make_posture_map(FrameEquations& equations, const PostureVector& prescribed,
                            double thorax_angle, const PostureVector& lower,
                            const PostureVector& upper, bool balance) {
  PostureMap map;
  std::array<int, kNumPosture> column{};
  int eliminated = -1;
  const PostureVector slope = equations.thorax_angle_slope();
  if (std::isfinite(thorax_angle)) {
    for (const int k : {static_cast<int>(kHip), static_cast<int>(kL1L2)})
      if (!std::isfinite(prescribed[k]) && slope[k] != 0.0) {
        eliminated = k;
        break;
      }
    PULLEY_DEMAND(eliminated >= 0, "a prescribed thorax angle needs the hip or L1_L2 free");
  }
  int free = 0;
  for (int k = 0; k < kNumPosture; ++k)
    column[k] = (!std::isfinite(prescribed[k]) && k != eliminated) ? free++ : -1;
  map.B.setZero(kNumPosture, free);
  map.lower.resize(free);
  map.upper.resize(free);
  for (int k = 0; k < kNumPosture; ++k) {
    if (column[k] >= 0) {
      map.B(k, column[k]) = 1.0;
      map.lower[column[k]] = lower[k];
      map.upper[column[k]] = upper[k];
    } else if (k != eliminated) {
      map.p0[k] = prescribed[k];
    }
  }
  if (eliminated >= 0) {
    // theta(p) = theta(0) + slope . p = thorax_angle, solved for p[eliminated].
    equations.evaluate_kinematics(PostureVector::Zero());
    const double theta0 = equations.data.kin.theta_WB[equations.model().body.thorax];
    const double s = slope[eliminated];
    double rest = thorax_angle - theta0;
    for (int k = 0; k < kNumPosture; ++k)
      if (column[k] < 0 && k != eliminated) rest -= slope[k] * map.p0[k];
    map.p0[eliminated] = rest / s;
    for (int k = 0; k < kNumPosture; ++k)
      if (column[k] >= 0) map.B(eliminated, column[k]) = -slope[k] / s;
  }
  PULLEY_DEMAND(!balance || (free > 0 && column[kAnkle] == 0),
                "balance needs the ankle free as the first coordinate");
  map.balance = balance;
  return map;
}

PostureVector posture_of(const Model& model, const Eigen::VectorXd& q) {
  PostureVector p;
  p << q[model.coord.ankle[0]], q[model.coord.knee[0]], q[model.coord.hip[0]],
      q[model.coord.lumbar[4]], q[model.coord.lumbar[3]], q[model.coord.lumbar[2]],
      q[model.coord.lumbar[1]], q[model.coord.lumbar[0]];
  return p;
}

Eigen::VectorXd free_from_posture(const PostureMap& map, const PostureVector& p) {
  if (map.num_free() == 0) return Eigen::VectorXd();
  const Eigen::VectorXd r = p - map.p0;
  Eigen::VectorXd z = map.B.colPivHouseholderQr().solve(r);
  return z.cwiseMax(map.lower).cwiseMin(map.upper);
}

// --- PostureSolver -------------------------------------------------------------------------------

// Objective over the free coordinates (the reduced method of standing.hpp, generalised):
//   V(p) = min_a [effort(a) + W |unmet|^2] + E_passive(p) / E_ref,   p = p0 + B z,
// with gradient from the envelope theorem,
//   dV/dp = A_full diag(k) A_eq^T lambda - (dg_full/dp |_F) lambda_full + dE/dp / E_ref,
// k_i = dF_i/dl_i at fixed activation, lambda_full = lambda on the imposed rows and 0 elsewhere.
// g_full = -d/dp [potential + passive energy + sum_i F_i l_i] at fixed F, so dg_full/dp is
// symmetric and its product with lambda_full is the directional derivative of g_full along
// lambda_full, taken by a forward difference (one geometry pass). dV/dz = B^T dV/dp.
// With balance, z[0] is solved by Newton for each z[1..] (centre of mass offset c(p) = 0), and
// dV/dz[1..] = g_z[1..] - g_z[0] dc/dz[1..] / dc/dz[0].
struct PostureSolver::Impl {
  Impl(const Model& m, Support support, PostureSearchSettings s)
      : model(m),
        settings(s),
        terms(m),
        shifted(m),
        passive_scratch(m),
        optimizer(unit_parameters(m), unit_effort_weights(m), FrameEquations::num_rows(support),
                  optimizer_settings(m, support)),
        support(support),
        rows(FrameEquations::num_rows(support)),
        first(FrameEquations::first_row(support)),
        activation_load(m.num_units()),
        lambda_full(kNumPosture),
        residual(kNumPosture) {
    const double tone = optimizer.settings().tone;  // the support's
    Eigen::VectorXd ceiling(m.num_units());
    for (int i = 0; i < m.num_units(); ++i) ceiling[i] = m.units[i].activation_ceiling(tone);
    optimizer.set_max_activation(ceiling);
  }

  static recruitment::StaticOptimizationSettings optimizer_settings(const Model& m,
                                                                    Support support) {
    recruitment::StaticOptimizationSettings s;
    s.activation_tolerance = kSearchRecruitmentTolerance;
    // Relaxed on a bed the muscles keep less tone than in upright postures (standing.yaml).
    s.tone = support == Support::bed ? m.lying_tone : m.tone;
    return s;
  }

  // V and dV/dp at posture p.
  double objective_p(const PostureVector& p, PostureVector* grad) {
    if (!(has_terms && p == terms_p)) {
      terms.evaluate(p);
      terms_p = p;
      has_terms = true;
      has_solution = false;
    }
    if (!has_solution) {
      optimizer.solve(terms.A.middleRows(first, rows), terms.b.segment(first, rows),
                      terms.data.l_MT);
      has_solution = true;
    }
    const double value = optimizer.effort() + passive_effort(model, terms.data);
    if (grad) {
      lambda_full.setZero();
      lambda_full.segment(first, rows) = optimizer.multipliers();
      activation_load.noalias() = terms.A.middleRows(first, rows).transpose() * optimizer.multipliers();
      activation_load.array() *= optimizer.stiffness().array();
      PostureVector g = terms.A * activation_load;
      const double norm = lambda_full.norm();
      if (norm > 0.0) {
        // (g(p + h l / |l|) - g(p)) |l| / h at fixed F: the residual A F - b at both postures.
        shifted.evaluate(p + (kHessianStep / norm) * lambda_full);
        residual.noalias() = shifted.A * optimizer.force();
        residual -= shifted.b;
        residual.noalias() -= terms.A * optimizer.force();
        residual += terms.b;
        g -= (norm / kHessianStep) * residual;
      }
      g += passive_effort_gradient(model, terms, passive_scratch);
      *grad = g;
    }
    return value;
  }

  // V at free coordinates y (z without z[0] when balancing, else z), and its gradient.
  double objective_free(const double* y, double* grad_y) {
    const int nz = map->num_free();
    const int offset = map->balance ? 1 : 0;
    for (int c = offset; c < nz; ++c) z[c] = y[c - offset];
    PostureVector dc_dp = PostureVector::Zero();
    if (map->balance) {
      // chosen: Newton converges in 2-3 steps; 1e-13 m is round-off for a 1 m lever. Within the
      // ankle's range: where no ankle angle in it brings the centre of mass over the feet (a
      // heavy load held far out), the ankle stays at the end of its range and the moment the
      // balance lacks is left to the ankle's muscles, which then fall short.
      for (int it = 0; it < 30; ++it) {
        shifted.evaluate_kinematics(posture_from(*map, z));
        const double c = shifted.com_offset(dc_dp.data()) - model.com_anterior_to_ankle;
        const double dc0 = map->B.col(0).dot(dc_dp);
        if (std::abs(c) < 1e-13 || !(std::abs(dc0) > 0.0)) break;
        const double next = std::clamp(z[0] - c / dc0, map->lower[0], map->upper[0]);
        if (next == z[0]) break;  // at the end of the range, and the step points beyond it
        z[0] = next;
      }
    }
    PostureVector grad_p;
    const double value = objective_p(posture_from(*map, z), grad_y ? &grad_p : nullptr);
    ++evaluations;
    if (grad_y) {
      // At most eight free coordinates: fixed-capacity vectors, no allocation per evaluation.
      using FreeVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kNumPosture, 1>;
      const FreeVector gz = map->B.transpose() * grad_p;
      if (map->balance) {
        const FreeVector dz = map->B.transpose() * dc_dp;
        for (int c = 1; c < nz; ++c) grad_y[c - 1] = gz[c] - gz[0] * dz[c] / dz[0];
      } else {
        for (int c = 0; c < nz; ++c) grad_y[c] = gz[c];
      }
    }
    return value;
  }

  static double nlopt_objective(unsigned, const double* y, double* grad, void* self) {
    return static_cast<Impl*>(self)->objective_free(y, grad);
  }

  void set_weight(double w) {
    optimizer.set_unmet_weight(w);
    has_solution = false;
  }

  FrameSolution finish(const PostureVector& p) {
    set_weight(settings.final_unmet_weight);
    FrameSolution s;
    s.effort = objective_p(p, nullptr);
    s.p = p;
    s.force = optimizer.force();
    s.activation = optimizer.activation();
    s.unmet = optimizer.unmet();
    return s;
  }

  const Model& model;
  PostureSearchSettings settings;
  FrameEquations terms, shifted;
  PassiveEffortScratch passive_scratch;
  recruitment::StaticOptimizer optimizer;
  Support support;
  int rows, first;
  const PostureMap* map = nullptr;
  Eigen::VectorXd z;
  Eigen::VectorXd activation_load, lambda_full, residual;
  PostureVector terms_p = PostureVector::Zero();  // where terms were last evaluated
  bool has_terms = false, has_solution = false;  // terms at terms_p; optimizer solved there
  int evaluations = 0;
  numerics::WarmQuasiNewton quasi_newton{quasi_newton_settings()};
  int searches = 0;  // posture searches made by this solver
  Eigen::VectorXd search_y, search_lower, search_upper;
  std::vector<double> lbfgs_y;  // L-BFGS's iterate (NLopt's interface)

  static numerics::WarmQuasiNewtonSettings quasi_newton_settings() {
    numerics::WarmQuasiNewtonSettings s;
    s.step_tolerance = kSearchStepTolerance;
    s.value_tolerance = kSearchValueTolerance;
    return s;
  }
};

PostureSolver::PostureSolver(const Model& model, Support support, PostureSearchSettings settings)
    : impl_(std::make_unique<Impl>(model, support, settings)) {}

PostureSolver::~PostureSolver() = default;

const FrameEquations& PostureSolver::equations() const { return impl_->terms; }
FrameEquations& PostureSolver::equations() { return impl_->terms; }
const recruitment::StaticOptimizer& PostureSolver::optimizer() const { return impl_->optimizer; }

void PostureSolver::set_max_activation(const Eigen::VectorXd& max_activation) {
  impl_->optimizer.set_max_activation(max_activation);
  impl_->has_solution = false;
}

FrameSolution PostureSolver::recruit(const FrameConditions& conditions, const PostureVector& p) {
  Impl& s = *impl_;
  PULLEY_DEMAND(conditions.support == s.support, "frame support differs from the solver's");
  s.terms.set_conditions(conditions);
  s.shifted.set_conditions(conditions);
  s.has_terms = false;  // the conditions, or callers of equations(), may have changed them
  FrameSolution out = s.finish(p);
  out.converged = true;
  out.evaluations = 1;
  return out;
}

FrameSolution PostureSolver::solve(const FrameConditions& conditions, const PostureMap& map,
                                   const Eigen::VectorXd& z_start) {
  Impl& s = *impl_;
  PULLEY_DEMAND(conditions.support == s.support, "frame support differs from the solver's");
  PULLEY_DEMAND(z_start.size() == map.num_free(), "one start value per free coordinate");
  s.terms.set_conditions(conditions);
  s.shifted.set_conditions(conditions);
  s.has_terms = false;  // the conditions, or callers of equations(), may have changed them
  s.map = &map;
  s.z = z_start;
  s.evaluations = 0;
  s.set_weight(s.settings.search_unmet_weight);
  const int offset = map.balance ? 1 : 0;
  const int n = map.num_free() - offset;
  FrameSolution out;
  bool converged = true;
  std::string message;
  if (n > 0) {
    // The searched coordinates: z, less z[0] when balancing. After a solver's first search (a
    // cold start, such as a standing posture, which L-BFGS crosses in fewer evaluations), first
    // the quasi-Newton search that keeps its curvature from frame to frame; if it fails, L-BFGS
    // from where it stopped. A first search started near its answer (quasi_newton_first) is a
    // quasi-Newton one too, its curvature measured at the start.
    s.search_lower = map.lower.tail(n);
    s.search_upper = map.upper.tail(n);
    s.search_y = z_start.tail(n).cwiseMax(s.search_lower).cwiseMin(s.search_upper);
    const numerics::ObjectiveWithGradient objective = [&s](const Eigen::VectorXd& y,
                                                           Eigen::VectorXd& gradient) {
      return s.objective_free(y.data(), gradient.data());
    };
    const bool cold_start = s.searches++ == 0 && !s.settings.quasi_newton_first;
    const bool quick =
        !cold_start &&
        s.quasi_newton.minimize(objective, s.search_y, s.search_lower, s.search_upper,
                                s.settings.max_evaluations / kQuasiNewtonBudgetShare);
    // The equations and recruitment at the answer (the search's last evaluation may have been
    // elsewhere), for the check below and for finish().
    if (quick) s.objective_free(s.search_y.data(), nullptr);
    // Where the muscles cannot meet the moments, saturated units make the objective kinked and
    // the quasi-Newton model unreliable: L-BFGS goes on from its answer.
    const bool unmet = quick && s.optimizer.unmet().lpNorm<Eigen::Infinity>() > kUnmetToleranceNm;
    if (!quick || unmet) {
      std::vector<double>& y = s.lbfgs_y;
      y.assign(s.search_y.data(), s.search_y.data() + n);
      nlopt::opt opt(nlopt::LD_LBFGS, static_cast<unsigned>(n));
      opt.set_lower_bounds(std::vector<double>(s.search_lower.data(), s.search_lower.data() + n));
      opt.set_upper_bounds(std::vector<double>(s.search_upper.data(), s.search_upper.data() + n));
      opt.set_min_objective(Impl::nlopt_objective, &s);
      opt.set_ftol_rel(kSearchValueTolerance);
      opt.set_xtol_abs(kSearchStepTolerance);
      opt.set_maxeval(std::max(1, s.settings.max_evaluations - s.evaluations));
      double f = 0.0;
      try {
        const nlopt::result r = opt.optimize(y, f);
        converged = r != nlopt::MAXEVAL_REACHED;
        if (!converged)
          message =
              "the least-effort search stopped at its evaluation limit before meeting its "
              "tolerances";
      } catch (const std::exception& e) {
        // L-BFGS reports a line search that cannot improve as a failure (NLopt's generic
        // "nlopt failure", or "nlopt roundoff-limited"): the search has ended where it can go no
        // lower, and the last point is kept. Any other error is named.
        message = "the least-effort search ended where its line search found no lower effort";
        const std::string what = e.what();
        if (what != "nlopt failure" && what != "nlopt roundoff-limited")
          message += " (NLopt: " + what + ")";
      }
      s.objective_free(y.data(), nullptr);  // sets z (and balances) at the returned point
    }
  } else {
    std::vector<double> none;
    s.objective_free(none.data(), nullptr);
  }
  out = s.finish(posture_from(map, s.z));
  out.z = s.z;
  out.converged = converged;
  out.evaluations = s.evaluations;
  out.message = message;
  return out;
}

}  // namespace pulley::tasks
