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
// chosen: a force step is taken without a new linearisation when its second-order term is below a
// tenth of the activation tolerance and the activation moves by less than 1e-4, where third-order
// terms of the smooth curves are far smaller still.
constexpr double kExpansionShare = 0.1;
constexpr double kMaxUnlinearisedStep = 1e-4;

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
    : settings_(settings),
      m_(num_equations),
      params_(std::move(params)),
      weights_(std::move(effort_weights)) {
  std::string error;
  PULLEY_DEMAND(settings_.IsValid(&error), ("static optimisation settings: " + error).c_str());
  PULLEY_DEMAND(weights_.size() == num_units(), "one effort weight per unit");
  PULLEY_DEMAND((weights_.array() > 0.0).all(), "effort weights must be positive");
  PULLEY_DEMAND(m_ >= 1, "at least one equation");
  const int n = num_units();
  constants_.reserve(n);
  for (const auto& p : params_) constants_.push_back(muscle::activation_constants(p));
  motion_.assign(n, muscle::FibreMotion{});
  last_l_MT_.setConstant(n, std::numeric_limits<double>::quiet_NaN());
  force_.setZero(n);
  activation_.setZero(n);
  stiffness_.setZero(n);
  upper_.setOnes(n);
  lower_.setConstant(n, settings_.tone);
  first_twin_.assign(n, -1);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j)
      if (params_[j] == params_[i] && weights_[j] == weights_[i]) {
        first_twin_[i] = j;
        break;
      }
  solved_as_.assign(n, -2);  // matches no solved unit and no idle one: the first solve sets up
  idle_l_MT_.setZero(n);
  idle_bound_.setZero(n);
  A_.setZero(m_, 0);  // no unit solved yet (and none ever for a model without units)
  C_.setZero(m_, 0);
  free_scaled_.setZero(0, m_);
  kinks_.reserve(2 * n);
  lambda_.setZero(m_);
  unmet_.setZero(m_);
  rhs_.setZero(m_);
  gradient_.setZero(m_);
  step_.setZero(m_);
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

void StaticOptimizer::set_min_activation(const Eigen::Ref<const Eigen::VectorXd>& min_activation) {
  PULLEY_DEMAND(min_activation.size() == num_units(), "one minimum activation per unit");
  for (int i = 0; i < num_units(); ++i) {
    PULLEY_DEMAND(min_activation[i] >= settings_.tone && min_activation[i] <= 1.0,
                  "minimum activations must lie in [tone, 1]");
    lower_[i] = min_activation[i];
  }
}

void StaticOptimizer::set_fibre_motion(
    const Eigen::Ref<const Eigen::VectorXd>& previous_fibre_length, double dt) {
  PULLEY_DEMAND(previous_fibre_length.size() == num_units(), "one previous fibre length per unit");
  PULLEY_DEMAND(dt > 0.0 && std::isfinite(dt), "the fibres' time step must be positive");
  for (int i = 0; i < num_units(); ++i) {
    PULLEY_DEMAND(previous_fibre_length[i] > 0.0 && std::isfinite(previous_fibre_length[i]),
                  "previous fibre lengths must be positive");
    motion_[i] = {previous_fibre_length[i], muscle::fibre_inverse_length_rate(params_[i], dt)};
  }
  forget_rested_idle_units();  // idle units' a(F) changed
}

void StaticOptimizer::clear_fibre_motion() {
  motion_.assign(num_units(), muscle::FibreMotion{});
  forget_rested_idle_units();
}

void StaticOptimizer::fibre_lengths(Eigen::VectorXd& out) const {
  PULLEY_DEMAND(num_units() == 0 || std::isfinite(last_l_MT_[0]), "fibre lengths before a solve");
  out.resize(num_units());
  for (int i = 0; i < num_units(); ++i)
    out[i] = muscle::fibre_length_for_tendon_force(constants_[i], force_[i], last_l_MT_[i]);
}

void StaticOptimizer::forget_rested_idle_units() {
  idle_l_MT_.setConstant(std::numeric_limits<double>::quiet_NaN());
}

void StaticOptimizer::reset() {
  // Rough start: the active force of tone at optimal length; the first pass corrects it.
  for (int i = 0; i < num_units(); ++i) force_[i] = settings_.tone * params_[i].F_M_max;
  forget_rested_idle_units();
  lambda_.setZero();
  has_linearisation_ = false;
}

void StaticOptimizer::set_warm_start(const Eigen::Ref<const Eigen::VectorXd>& force) {
  PULLEY_DEMAND(force.size() == num_units(), "one warm-start force per unit");
  for (int i = 0; i < num_units(); ++i) {
    PULLEY_DEMAND(std::isfinite(force[i]), "warm-start forces must be finite");
    force_[i] = std::max(force[i], 0.0);
  }
  forget_rested_idle_units();  // idle units moved too
}

void StaticOptimizer::group_twins(const Eigen::Ref<const Eigen::MatrixXd>& A,
                                  const Eigen::Ref<const Eigen::VectorXd>& l_MT) {
  // A unit joins the first unit with its parameters where their columns, lengths and ceilings
  // are equal (exactly: a symmetric posture computes both sides alike); otherwise it is solved
  // alone. (Compared with the first only: enough for left-right pairs.)
  // An idle unit (a zero column) joins none.
  bool changed = false;
  int solved = 0;
  for (int i = 0; i < num_units(); ++i) {
    const int j = first_twin_[i];
    bool idle = true;
    for (Eigen::Index k = 0; k < A.rows() && idle; ++k) idle = A(k, i) == 0.0;
    const bool twin = !idle && j >= 0 && A.col(i) == A.col(j) && l_MT[i] == l_MT[j] &&
                      upper_[i] == upper_[j] && lower_[i] == lower_[j] &&
                      motion_[i].l_M_previous == motion_[j].l_M_previous &&
                      motion_[i].inverse_length_rate == motion_[j].inverse_length_rate;
    const int joined = idle ? -1 : twin ? solved_as_[j] : solved++;
    changed |= joined != solved_as_[i];
    solved_as_[i] = joined;
  }
  if (changed) {
    // Sized here only: when the sets of twins change.
    leader_.assign(solved, -1);
    for (Eigen::VectorXd* v :
         {&count_, &solved_l_MT_, &solved_weight_, &solved_upper_, &solved_lower_, &solved_force_,
          &solved_activation_, &slope_, &solved_stiffness_, &u_, &z_, &delta_, &u_free_, &u_rate_,
          &curvature_, &weight_eff_, &target_, &half_inverse_weight_})
      v->setZero(solved);
    stale_.resize(solved);  // every entry set by solve()
    A_.setZero(m_, solved);
    C_.setZero(m_, solved);
    free_scaled_.setZero(solved, m_);
    for (int i = 0; i < num_units(); ++i) {
      const int r = solved_as_[i];
      if (r < 0) continue;
      if (leader_[r] < 0) leader_[r] = i;
      count_[r] += 1.0;
    }
    for (int r = 0; r < solved; ++r) solved_weight_[r] = count_[r] * weights_[leader_[r]];
  }
  for (int r = 0; r < solved; ++r) {
    const int i = leader_[r];
    A_.col(r) = count_[r] * A.col(i);
    solved_l_MT_[r] = l_MT[i];
    // A unit whose floor lies above its ceiling (capacity below a co-contraction floor) keeps
    // the ceiling: voluntary drive cannot exceed it.
    solved_upper_[r] = upper_[i];
    solved_lower_[r] = std::min(lower_[i], upper_[i]);
    solved_force_[r] = force_[i];
  }
}

bool StaticOptimizer::rest_idle_units(const Eigen::Ref<const Eigen::VectorXd>& l_MT) {
  bool converged = true;
  for (int i = 0; i < num_units(); ++i) {
    if (solved_as_[i] >= 0) continue;
    // The bound the solved units get too: a floor above the ceiling gives way to the ceiling.
    const double bound = std::min(lower_[i], upper_[i]);
    if (l_MT[i] == idle_l_MT_[i] && bound == idle_bound_[i]) continue;  // as last rested
    const muscle::ActivationConstants& unit = constants_[i];
    const double min_slope = kMinSlopeTimesMaxForce / unit.F_M_max;  // as linearise() floors it
    double F = std::max(force_[i], 0.0);
    muscle::ActivationDerivatives aff =
        muscle::activation_derivatives(unit, F, l_MT[i], motion_[i]);
    const auto slope = [&] { return std::max(aff.da_dF, min_slope); };
    for (int it = 0; it < settings_.max_passes &&
                     std::abs(aff.activation - bound) >= settings_.activation_tolerance;
         ++it) {
      const double change = bound - aff.activation;
      const double dF = change / slope();
      F = std::max(F + dF, 0.0);
      // A step small enough for the expansion to be exact to the tolerance lands on the bound
      // (as update_forces takes it).
      if (!aff.degenerate && aff.da_dF >= min_slope && F > 0.0 &&
          std::abs(change) < kMaxUnlinearisedStep &&
          0.5 * std::abs(aff.d2a_dF2) * dF * dF < kExpansionShare * settings_.activation_tolerance) {
        aff.activation = bound;
        break;
      }
      aff = muscle::activation_derivatives(unit, F, l_MT[i], motion_[i]);
    }
    force_[i] = F;
    activation_[i] = aff.activation;
    stiffness_[i] = -aff.da_dl_MT / slope();
    // Kept for the next solves only where it reached the bound (a guard can hold it off).
    const bool rested = std::abs(aff.activation - bound) < settings_.activation_tolerance;
    converged &= rested;
    idle_l_MT_[i] = rested ? l_MT[i] : std::numeric_limits<double>::quiet_NaN();
    idle_bound_[i] = bound;
  }
  return converged;
}

double StaticOptimizer::linearise() {
  double mismatch = 0.0;
  for (int i = 0; i < num_solved_units(); ++i) {
    if (!stale_[i]) continue;
    stale_[i] = 0;
    const muscle::ActivationConstants& unit = constants_[leader_[i]];
    solved_force_[i] = std::max(solved_force_[i], 0.0);
    const muscle::ActivationDerivatives aff = muscle::activation_derivatives(
        unit, solved_force_[i], solved_l_MT_[i], motion_[leader_[i]]);
    solved_activation_[i] = aff.activation;
    slope_[i] = std::max(aff.da_dF, kMinSlopeTimesMaxForce / unit.F_M_max);
    // a'' where the linear model is a Taylor expansion of a(F); none where a guard or the slope
    // floor acts (update_forces then always linearises again).
    curvature_[i] = !aff.degenerate && slope_[i] == aff.da_dF
                        ? aff.d2a_dF2
                        : std::numeric_limits<double>::infinity();
    // Quadratic model of w (a(F) - t)^2 in the linearised activation u = a + s (F - F_i):
    // curvature 2 w (1 + (a - t) a'' / s^2), i.e. w_eff = w (1 + (a - t) a'' / s^2), kept above
    // kMinCurvatureShare w; its minimiser is target = a - w (a - t) / w_eff (= t when a'' = 0).
    const double t = settings_.tone;
    const double a = solved_activation_[i];
    const double effort_curvature = 1.0 + (a - t) * aff.d2a_dF2 / (slope_[i] * slope_[i]);
    weight_eff_[i] = solved_weight_[i] * std::max(effort_curvature, kMinCurvatureShare);
    half_inverse_weight_[i] = 0.5 / weight_eff_[i];
    target_[i] = a - solved_weight_[i] * (a - t) / weight_eff_[i];
    // dF/dl_MT at fixed a = -(da/dl_MT) / (da/dF)
    solved_stiffness_[i] = -aff.da_dl_MT / slope_[i];
    mismatch = std::max(mismatch, std::abs(a - u_[i]));
  }
  return has_linearisation_ ? mismatch : std::numeric_limits<double>::infinity();
}

double StaticOptimizer::update_forces() {
  // A unit whose linearised activation u already matches its activation a to the tolerance is
  // converged by the solve's own test: moving its force would change it by less than
  // tolerance / slope, and keeping it spares the unit's next linearisation (most units rest at
  // tone and settle after one or two passes). A unit whose step is small enough for its
  // expansion to be exact to the tolerance moves without a new linearisation.
  double mismatch = 0.0;
  for (int i = 0; i < num_solved_units(); ++i) {
    const double change = u_[i] - solved_activation_[i];
    if (std::abs(change) < settings_.activation_tolerance) {
      mismatch = std::max(mismatch, std::abs(change));
      continue;
    }
    const double dF = change / slope_[i];
    solved_force_[i] += dF;
    // A small step whose second-order term 0.5 a'' dF^2 lies well inside the tolerance lands
    // where the linear model says: a = u, with the slope kept (it changes by a'' dF, which only
    // slows the next pass's convergence, not where it converges).
    if (std::abs(change) < kMaxUnlinearisedStep && solved_force_[i] > 0.0 &&
        0.5 * std::abs(curvature_[i]) * dF * dF < kExpansionShare * settings_.activation_tolerance) {
      solved_activation_[i] = u_[i];
      continue;
    }
    stale_[i] = 1;
  }
  return mismatch;
}

double StaticOptimizer::dual_value(const Eigen::VectorXd& lambda) {
  z_.noalias() = C_.transpose() * lambda;
  return dual_value_at_z(lambda);
}

double StaticOptimizer::dual_value_at_z(const Eigen::VectorXd& lambda) {
  // psi(lambda) = sum_i max_{u in [u_min,i, u_max,i]} [z_i u - w_i (u - target_i)^2]
  //               + |lambda|^2 / (4 W) - lambda . rhs,   z = C^T lambda, w_i the effective
  //               weights; the maximiser is u_i (clamped).
  double psi = 0.0;
  for (int i = 0; i < num_solved_units(); ++i) {
    const double u = std::clamp(target_[i] + z_[i] * half_inverse_weight_[i], solved_lower_[i],
                                solved_upper_[i]);
    u_[i] = u;
    psi += z_[i] * u - weight_eff_[i] * (u - target_[i]) * (u - target_[i]);
  }
  return psi + lambda.squaredNorm() / (4.0 * settings_.unmet_weight) - lambda.dot(rhs_);
}

double clamped_slope_root(double c0, double c1, const Eigen::Ref<const Eigen::VectorXd>& u,
                          const Eigen::Ref<const Eigen::VectorXd>& g,
                          const Eigen::Ref<const Eigen::VectorXd>& d,
                          const Eigen::Ref<const Eigen::VectorXd>& lo,
                          const Eigen::Ref<const Eigen::VectorXd>& hi,
                          std::vector<std::pair<double, double>>& kinks) {
  // s(0), the rate of s just right of 0 (c1 + d_i g_i of the free terms), and the kinks ahead
  // with the change of rate at each: +d_i g_i where a term leaves a bound, -d_i g_i where it
  // reaches one. A term exactly on a bound that it is about to leave counts as free.
  kinks.clear();
  double s = c0, rate = c1;
  for (Eigen::Index i = 0; i < u.size(); ++i) {
    s += d[i] * std::clamp(u[i], lo[i], hi[i]);
    // Terms that stay or move beyond a bound (most units resting at tone) have no kink ahead.
    if (g[i] > 0.0 ? u[i] >= hi[i] : g[i] < 0.0 ? u[i] <= lo[i] : true) continue;
    const double r = d[i] * g[i];
    const double inverse = 1.0 / g[i];
    const double enter = ((g[i] > 0.0 ? lo[i] : hi[i]) - u[i]) * inverse;
    const double leave = ((g[i] > 0.0 ? hi[i] : lo[i]) - u[i]) * inverse;
    if (enter <= 0.0) rate += r;
    else kinks.emplace_back(enter, r);
    kinks.emplace_back(leave, -r);
  }
  if (!(s < 0.0)) return 0.0;
  // Kinks in increasing order (a min-heap: the root usually lies within the first few).
  const auto later = [](const std::pair<double, double>& a, const std::pair<double, double>& b) {
    return a.first > b.first;
  };
  std::make_heap(kinks.begin(), kinks.end(), later);
  double alpha = 0.0;
  for (auto end = kinks.end(); end != kinks.begin(); --end) {
    const double next = kinks.front().first;
    const double s_next = s + rate * (next - alpha);
    if (s_next >= 0.0) break;  // the root lies in this piece
    s = s_next;
    alpha = next;
    std::pop_heap(kinks.begin(), end, later);
    rate += (end - 1)->second;
  }
  // rate >= c1 > 0 in exact arithmetic; the floor guards against round-off in the sums.
  return alpha - s / std::max(rate, c1);
}

double StaticOptimizer::exact_line_search() {
  // psi'(alpha) along lambda + alpha step = sum_i delta_i u_i(alpha) + c0 + alpha c1 with
  // delta = C^T step and u_i(alpha) the clamp of target_i + (z_i + alpha delta_i) / (2 w_i);
  // nondecreasing and piecewise linear: its root is found exactly (clamped_slope_root).
  const double W = settings_.unmet_weight;
  delta_.noalias() = C_.transpose() * step_;
  u_free_ = target_ + z_.cwiseProduct(half_inverse_weight_);
  u_rate_ = delta_.cwiseProduct(half_inverse_weight_);
  const double c0 = lambda_.dot(step_) / (2.0 * W) - rhs_.dot(step_);
  const double c1 = step_.squaredNorm() / (2.0 * W);
  return clamped_slope_root(c0, c1, u_free_, u_rate_, delta_, solved_lower_, solved_upper_,
                            kinks_);
}

void StaticOptimizer::solve_linearised(const Eigen::Ref<const Eigen::VectorXd>& b) {
  // Linearised activation u_i = a_i + s_i (F - F_i), so F = F_i + (u_i - a_i) / s_i and the
  // equations become C u + rho = rhs with C_i = A_i / s_i, rhs = b - A F + C a.
  const double W = settings_.unmet_weight;
  C_.noalias() = A_ * slope_.cwiseInverse().asDiagonal();
  rhs_ = b;
  rhs_.noalias() -= A_ * solved_force_;
  rhs_.noalias() += C_ * solved_activation_;
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
    // Free units packed as the rows of free_scaled_ (solved units x m), the Hessian summed from
    // its columns' dot products (m <= 11 here: direct sums beat a blocked product).
    int free = 0;
    for (int i = 0; i < num_solved_units(); ++i)
      if (u_[i] > solved_lower_[i] && u_[i] < solved_upper_[i])
        free_scaled_.row(free++) = C_.col(i).transpose() * std::sqrt(half_inverse_weight_[i]);
    for (int r = 0; r < m_; ++r) {
      for (int c = 0; c <= r; ++c) {
        const double h = free_scaled_.col(r).head(free).dot(free_scaled_.col(c).head(free));
        hessian_(r, c) = hessian_(c, r) = h;
      }
      hessian_(r, r) += 1.0 / (2.0 * W);
    }
    ldlt_.compute(hessian_);
    step_ = ldlt_.solve(gradient_);
    step_ = -step_;
    const double alpha = exact_line_search();
    if (!(alpha > 0.0)) break;
    lambda_ += alpha * step_;
    z_ += alpha * delta_;  // C^T lambda_, updated along the step (delta_ = C^T step_)
    const double previous = psi;
    psi = dual_value_at_z(lambda_);
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
  last_l_MT_ = l_MT;
  group_twins(A, l_MT);
  const bool idle_converged = rest_idle_units(l_MT);
  std::fill(stale_.begin(), stale_.end(), 1);  // l_MT is new
  RecruitmentStatus status = RecruitmentStatus::max_iterations;
  double kept_mismatch = 0.0;
  for (int pass = 0;; ++pass) {
    const double mismatch = std::max(linearise(), kept_mismatch);
    if (mismatch < settings_.activation_tolerance) {
      if (idle_converged) status = RecruitmentStatus::converged;
      break;
    }
    if (pass == settings_.max_passes) break;
    solve_linearised(b);
    kept_mismatch = update_forces();
    has_linearisation_ = true;
    ++passes_;
  }
  for (int i = 0; i < num_units(); ++i) {
    const int r = solved_as_[i];
    if (r < 0) continue;  // idle: rested above
    idle_l_MT_[i] = std::numeric_limits<double>::quiet_NaN();  // its force is the solve's now
    force_[i] = solved_force_[r];
    activation_[i] = solved_activation_[r];
    stiffness_[i] = solved_stiffness_[r];
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
