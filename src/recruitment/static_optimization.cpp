#include "pulley/recruitment/static_optimization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "pulley/core/error.hpp"

namespace pulley::recruitment {

namespace {

// chosen: the slope da/dF of an active fibre is at least about 1 / F_M_max (f_L <= 1 and
// cos(alpha) <= 1); a tenth of that floors slopes that vanish at the guards of the closed-form
// activation (fibre at its shortest, force clamped at 0), so no unit becomes a free actuator.
constexpr double kMinSlopeTimesMaxForce = 0.1;
// chosen: where a(F) bends the wrong way, the Newton curvature of a unit's effort is floored at a
// tenth of its Gauss-Newton value, which keeps each quadratic programme strictly convex.
constexpr double kMinCurvatureShare = 0.1;

}  // namespace

bool StaticOptimizationSettings::IsValid(std::string* error) const {
  auto fail = [&](const char* what) {
    if (error) *error = what;
    return false;
  };
  if (!(tone >= 0.0 && tone < 1.0)) return fail("tone must lie in [0, 1)");
  if (!(unmet_weight > 0.0)) return fail("unmet_weight must be positive");
  if (!(activation_tolerance > 0.0)) return fail("activation_tolerance must be positive");
  if (!(dual_tolerance > 0.0)) return fail("dual_tolerance must be positive");
  if (max_passes < 1 || max_newton_iterations < 1) return fail("iteration limits must be >= 1");
  return true;
}

const char* to_string(RecruitmentStatus status) {
  switch (status) {
    case RecruitmentStatus::converged: return "converged";
    case RecruitmentStatus::max_iterations: return "max_iterations";
  }
  return "unknown";
}

StaticOptimizer::StaticOptimizer(std::vector<muscle::MusculotendonParameters> params,
                                 Eigen::VectorXd effort_weights, int num_equations,
                                 StaticOptimizationSettings settings)
    : params_(std::move(params)),
      weights_(std::move(effort_weights)),
      settings_(settings),
      m_(num_equations) {
  std::string error;
  PULLEY_DEMAND(settings_.IsValid(&error), ("static optimisation settings: " + error).c_str());
  PULLEY_DEMAND(weights_.size() == num_units(), "one effort weight per unit");
  PULLEY_DEMAND((weights_.array() > 0.0).all(), "effort weights must be positive");
  PULLEY_DEMAND(m_ >= 1, "at least one equation");
  const int n = num_units();
  force_.setZero(n);
  activation_.setZero(n);
  slope_.setZero(n);
  stiffness_.setZero(n);
  u_.setZero(n);
  z_.setZero(n);
  weight_eff_ = weights_;
  upper_.setOnes(n);
  target_.setConstant(n, settings_.tone);
  delta_.setZero(n);
  C_scaled_.setZero(m_, n);
  C_.setZero(m_, n);
  lambda_.setZero(m_);
  unmet_.setZero(m_);
  rhs_.setZero(m_);
  gradient_.setZero(m_);
  step_.setZero(m_);
  trial_.setZero(m_);
  hessian_.setZero(m_, m_);
  ldlt_.compute(Eigen::MatrixXd::Identity(m_, m_));
  reset();
}

void StaticOptimizer::set_unmet_weight(double unmet_weight) {
  PULLEY_DEMAND(unmet_weight > 0.0, "unmet_weight must be positive");
  // The multipliers scale with W where equations go unmet; keep them as the warm start anyway.
  settings_.unmet_weight = unmet_weight;
}

void StaticOptimizer::set_max_activation(const Eigen::Ref<const Eigen::VectorXd>& max_activation) {
  PULLEY_DEMAND(max_activation.size() == num_units(), "one maximum activation per unit");
  for (int i = 0; i < num_units(); ++i) {
    PULLEY_DEMAND(max_activation[i] >= settings_.tone && max_activation[i] <= 1.0,
                  "maximum activations must lie in [tone, 1]");
    upper_[i] = max_activation[i];
  }
}

void StaticOptimizer::reset() {
  // Rough start: the active force of tone at optimal length; the first pass corrects it.
  for (int i = 0; i < num_units(); ++i) force_[i] = settings_.tone * params_[i].F_M_max;
  lambda_.setZero();
  has_linearisation_ = false;
}

double StaticOptimizer::linearise(const Eigen::Ref<const Eigen::VectorXd>& l_MT) {
  double mismatch = 0.0;
  for (int i = 0; i < num_units(); ++i) {
    const auto& p = params_[i];
    force_[i] = std::max(force_[i], 0.0);
    const muscle::ActivationForForce aff = muscle::activation_for_tendon_force(p, force_[i], l_MT[i]);
    activation_[i] = aff.activation;
    slope_[i] = std::max(aff.da_dF, kMinSlopeTimesMaxForce / p.F_M_max);
    // Quadratic model of w (a(F) - t)^2 in the linearised activation u = a + s (F - F_i):
    // curvature 2 w (1 + (a - t) a'' / s^2), i.e. w_eff = w (1 + (a - t) a'' / s^2), kept above
    // kMinCurvatureShare w; its minimiser is target = a - w (a - t) / w_eff (= t when a'' = 0).
    const double t = settings_.tone;
    const double curvature =
        1.0 + (activation_[i] - t) * aff.d2a_dF2 / (slope_[i] * slope_[i]);
    weight_eff_[i] = weights_[i] * std::max(curvature, kMinCurvatureShare);
    target_[i] = activation_[i] - weights_[i] * (activation_[i] - t) / weight_eff_[i];
    // dF/dl_MT at fixed a = -(da/dl_MT) / (da/dF)
    stiffness_[i] = -aff.da_dl_MT / slope_[i];
    mismatch = std::max(mismatch, std::abs(activation_[i] - u_[i]));
  }
  return has_linearisation_ ? mismatch : std::numeric_limits<double>::infinity();
}

double StaticOptimizer::dual_value(const Eigen::VectorXd& lambda) {
  // psi(lambda) = sum_i max_{u in [tone, u_max,i]} [z_i u - w_i (u - target_i)^2]
  //               + |lambda|^2 / (4 W) - lambda . rhs,   z = C^T lambda, w_i the effective
  //               weights; the maximiser is u_i (clamped).
  const double t = settings_.tone;
  z_.noalias() = C_.transpose() * lambda;
  double psi = 0.0;
  for (int i = 0; i < num_units(); ++i) {
    const double u = std::clamp(target_[i] + z_[i] / (2.0 * weight_eff_[i]), t, upper_[i]);
    u_[i] = u;
    psi += z_[i] * u - weight_eff_[i] * (u - target_[i]) * (u - target_[i]);
  }
  return psi + lambda.squaredNorm() / (4.0 * settings_.unmet_weight) - lambda.dot(rhs_);
}

double StaticOptimizer::dual_slope(double alpha, double* curvature) const {
  // psi'(alpha) along lambda + alpha step: sum_i delta_i u_i(alpha) + c0 + alpha c1, with
  // delta = C^T step; nondecreasing and piecewise linear in alpha. `curvature` gets the slope of
  // the piece just right of alpha: c1 + sum over free units of delta_i^2 / (2 w_i).
  const double t = settings_.tone;
  double slope = line_c0_ + alpha * line_c1_;
  double second = line_c1_;
  for (int i = 0; i < num_units(); ++i) {
    const double d = delta_[i];
    const double u_free = target_[i] + (z_[i] + alpha * d) / (2.0 * weight_eff_[i]);
    const double hi = upper_[i];
    const double u = std::clamp(u_free, t, hi);
    slope += d * u;
    // free, or on a bound it is about to leave as alpha grows
    if ((u_free > t || (u_free == t && d > 0.0)) && (u_free < hi || (u_free == hi && d < 0.0)))
      second += d * d / (2.0 * weight_eff_[i]);
  }
  *curvature = second;
  return slope;
}

double StaticOptimizer::exact_line_search() {
  // Root of the nondecreasing piecewise-linear psi'(alpha) for alpha > 0 (psi'(0) < 0 along a
  // descent step): Newton on psi', exact within one linear piece, kept inside a bracket that is
  // grown by doubling from the full step alpha = 1; bisection when Newton leaves the bracket.
  // Tolerances 1e-13 (slope) and 1e-15 (bracket) are chosen near round-off; 100 iterations is far
  // above the few pieces a step crosses.
  const double W = settings_.unmet_weight;
  delta_.noalias() = C_.transpose() * step_;
  line_c0_ = lambda_.dot(step_) / (2.0 * W) - rhs_.dot(step_);
  line_c1_ = step_.squaredNorm() / (2.0 * W);
  double d = 0.0;
  const double s0 = dual_slope(0.0, &d);
  if (!(s0 < 0.0)) return 0.0;
  const double tolerance = 1e-13 * std::abs(s0);
  double lo = 0.0, hi = std::numeric_limits<double>::infinity();
  double alpha = 1.0;
  for (int k = 0; k < 100; ++k) {
    const double s = dual_slope(alpha, &d);
    if (std::abs(s) <= tolerance) return alpha;
    if (s < 0.0) lo = alpha;
    else hi = alpha;
    double next = d > 0.0 ? alpha - s / d : std::numeric_limits<double>::infinity();
    if (!(next > lo && next < hi)) next = std::isfinite(hi) ? 0.5 * (lo + hi) : 2.0 * lo;
    if (std::isfinite(hi) && hi - lo <= 1e-15 * hi) return next;
    alpha = next;
  }
  return alpha;
}

void StaticOptimizer::solve_linearised(const Eigen::Ref<const Eigen::MatrixXd>& A,
                                       const Eigen::Ref<const Eigen::VectorXd>& b) {
  // Linearised activation u_i = a_i + s_i (F - F_i), so F = F_i + (u_i - a_i) / s_i and the
  // equations become C u + rho = rhs with C_i = A_i / s_i, rhs = b - A F + C a.
  const double t = settings_.tone;
  const double W = settings_.unmet_weight;
  C_.noalias() = A * slope_.cwiseInverse().asDiagonal();
  rhs_ = b;
  rhs_.noalias() -= A * force_;
  rhs_.noalias() += C_ * activation_;
  double psi = dual_value(lambda_);
  // Tolerance relative to the size of the equations; stop too when round-off stalls progress
  // (psi, which the exact line search lowers at every step, stops falling).
  const double tolerance = settings_.dual_tolerance * (1.0 + rhs_.lpNorm<Eigen::Infinity>());
  for (int it = 0; it < settings_.max_newton_iterations; ++it) {
    gradient_ = lambda_ / (2.0 * W) - rhs_;
    gradient_.noalias() += C_ * u_;
    const double error = gradient_.lpNorm<Eigen::Infinity>();
    if (error < tolerance) break;
    ++newton_iterations_;
    // Generalised Hessian C_F diag(1 / (2 w)) C_F^T + I / (2 W): the units strictly between
    // their bounds respond to lambda.
    for (int i = 0; i < num_units(); ++i) {
      if (u_[i] > t && u_[i] < upper_[i])
        C_scaled_.col(i) = C_.col(i) * std::sqrt(0.5 / weight_eff_[i]);
      else
        C_scaled_.col(i).setZero();
    }
    hessian_.setIdentity();
    hessian_ *= 1.0 / (2.0 * W);
    hessian_.noalias() += C_scaled_ * C_scaled_.transpose();
    ldlt_.compute(hessian_);
    step_ = ldlt_.solve(gradient_);
    step_ = -step_;
    const double alpha = exact_line_search();
    if (!(alpha > 0.0)) break;
    lambda_ += alpha * step_;
    const double previous = psi;
    psi = dual_value(lambda_);
    if (!(psi < previous - 1e-15 * std::abs(previous))) break;
  }
}

RecruitmentStatus StaticOptimizer::solve(const Eigen::Ref<const Eigen::MatrixXd>& A,
                                         const Eigen::Ref<const Eigen::VectorXd>& b,
                                         const Eigen::Ref<const Eigen::VectorXd>& l_MT) {
  PULLEY_DEMAND(A.rows() == m_ && A.cols() == num_units(), "A must be equations x units");
  PULLEY_DEMAND(b.size() == m_ && l_MT.size() == num_units(), "b and l_MT sizes");
  passes_ = 0;
  newton_iterations_ = 0;
  has_linearisation_ = false;
  RecruitmentStatus status = RecruitmentStatus::max_iterations;
  for (int pass = 0;; ++pass) {
    const double mismatch = linearise(l_MT);
    if (mismatch < settings_.activation_tolerance) {
      status = RecruitmentStatus::converged;
      break;
    }
    if (pass == settings_.max_passes) break;
    solve_linearised(A, b);
    force_ += (u_ - activation_).cwiseQuotient(slope_);
    has_linearisation_ = true;
    ++passes_;
  }
  unmet_ = b;
  unmet_.noalias() -= A * force_;
  const double t = settings_.tone;
  effort_ = settings_.unmet_weight * unmet_.squaredNorm();
  for (int i = 0; i < num_units(); ++i)
    effort_ += weights_[i] * (activation_[i] - t) * (activation_[i] - t);
  return status;
}

}  // namespace pulley::recruitment
