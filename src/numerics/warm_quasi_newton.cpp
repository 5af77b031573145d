#include "pulley/numerics/warm_quasi_newton.hpp"

#include <algorithm>
#include <cmath>

namespace pulley::numerics {

WarmQuasiNewton::WarmQuasiNewton(WarmQuasiNewtonSettings settings) : settings_(settings) {}

void WarmQuasiNewton::resize(int n) {
  if (n == H_.rows()) return;
  H_.setZero(n, n);
  reduced_.setZero(n, n);
  for (Eigen::VectorXd* v : {&gradient_, &trial_, &trial_gradient_, &step_, &direction_, &rhs_,
                             &gradient_change_, &H_step_})
    v->setZero(n);
  has_curvature_ = false;
}

bool WarmQuasiNewton::start_curvature(const ObjectiveWithGradient& f, const Eigen::VectorXd& y,
                                      const Eigen::VectorXd& lower, const Eigen::VectorXd& upper) {
  const int n = static_cast<int>(y.size());
  for (int k = 0; k < n; ++k) {
    // The step goes up, or down where the upper bound is nearer than it; a coordinate whose
    // range is narrower than the step in both directions takes unit curvature (it can hardly
    // move, so its row matters little).
    const double step = settings_.curvature_step;
    const double h = y[k] + step <= upper[k] ? step : (y[k] - step >= lower[k] ? -step : 0.0);
    if (h == 0.0) {
      reduced_.col(k).setZero();
      reduced_(k, k) = 1.0;
      continue;
    }
    trial_ = y;
    trial_[k] += h;
    f(trial_, trial_gradient_);
    ++evaluations_;
    reduced_.col(k) = (trial_gradient_ - gradient_) / h;
  }
  H_ = 0.5 * (reduced_ + reduced_.transpose());
  eigen_.compute(H_, Eigen::EigenvaluesOnly);
  const double smallest = eigen_.eigenvalues()[0];
  const double largest = eigen_.eigenvalues()[n - 1];
  // No direction curves up (a flat or concave objective): no Newton step to take.
  if (!(largest > 0.0)) return false;
  const double floor = settings_.min_eigenvalue_share * largest;
  if (smallest < floor) H_.diagonal().array() += floor - smallest;
  has_curvature_ = true;
  return true;
}

void WarmQuasiNewton::bfgs_update() {
  // step_, gradient_change_ and H_step_ hold the accepted step, the change of the gradient along
  // it and the estimate's product with it.
  const double curve = step_.dot(gradient_change_);
  // chosen: a pair along which the objective barely curves up carries no usable curvature (the
  // kinks of a piecewise-smooth objective, round-off) and is skipped (Nocedal & Wright, sec. 6.1).
  if (!(curve > 1e-8 * step_.norm() * gradient_change_.norm())) return;
  const double step_H_step = step_.dot(H_step_);
  if (!(step_H_step > 0.0)) return;
  // Outer products written as vector times scaled row: no temporary matrix.
  H_.noalias() += gradient_change_ * (gradient_change_.transpose() / curve);
  H_.noalias() -= H_step_ * (H_step_.transpose() / step_H_step);
}

bool WarmQuasiNewton::minimize(const ObjectiveWithGradient& f, Eigen::VectorXd& y,
                               const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                               int budget) {
  const int n = static_cast<int>(y.size());
  resize(n);
  evaluations_ = 0;
  if (n == 0) return true;
  const auto fail = [&] {
    has_curvature_ = false;
    return false;
  };
  if (budget < 1) return fail();
  y = y.cwiseMax(lower).cwiseMin(upper);
  double value = f(y, gradient_);
  ++evaluations_;
  // The estimate may end the search through its step or its predicted decrease only while it is
  // trusted: just started by differences at the current iterate, or confirmed by the curvature
  // along the last accepted step. Carried from another problem, or built where the objective
  // curved quite differently, it may be far too stiff, and its tiny steps would look like
  // convergence; such an estimate, its step below the tolerance, is started again here.
  bool trusted = false;
  const auto restart = [&] {
    if (evaluations_ + n > budget || !start_curvature(f, y, lower, upper)) return false;
    trusted = true;
    return true;
  };
  if (!has_curvature_ && !restart()) return fail();
  while (evaluations_ < budget) {
    // The Newton step of the estimate on the coordinates not held at a bound. A coordinate
    // within the step tolerance of a bound its gradient pushes against is held there, so that a
    // step the bound cuts short is not taken for convergence.
    reduced_ = H_;
    rhs_ = -gradient_;
    for (int k = 0; k < n; ++k) {
      const bool at_lower = y[k] - lower[k] <= settings_.step_tolerance && gradient_[k] > 0.0;
      const bool at_upper = upper[k] - y[k] <= settings_.step_tolerance && gradient_[k] < 0.0;
      if (!at_lower && !at_upper) continue;
      y[k] = at_lower ? lower[k] : upper[k];
      reduced_.row(k).setZero();
      reduced_.col(k).setZero();
      reduced_(k, k) = 1.0;
      rhs_[k] = 0.0;
    }
    // No gradient left on the free coordinates (every coordinate held, or a stationary point):
    // a minimum, whatever the estimate.
    if (rhs_.lpNorm<Eigen::Infinity>() == 0.0) return true;
    ldlt_.compute(reduced_);
    if (ldlt_.info() != Eigen::Success || !ldlt_.isPositive()) return fail();
    direction_ = ldlt_.solve(rhs_);
    // The quadratic model's decrease, -g.d / 2, or its step below the tolerances: nothing left to
    // gain, if the estimate is trusted; otherwise the estimate is measured afresh.
    const double predicted = -0.5 * gradient_.dot(direction_);
    if (predicted <= settings_.value_tolerance * std::abs(value) ||
        direction_.lpNorm<Eigen::Infinity>() < settings_.step_tolerance) {
      if (trusted) return true;
      if (!restart()) return fail();
      continue;
    }
    // Halve until the projected step decreases the objective enough (a step the bounds turn
    // uphill must not raise it). A trusted step halved below the step tolerance without a
    // decrease has reached the objective's round-off: converged, as L-BFGS's step test would say.
    double t = 1.0;
    double trial_value = value;
    bool accepted = false;
    for (int halving = 0; halving <= settings_.max_halvings && evaluations_ < budget;
         ++halving, t *= 0.5) {
      if (trusted && t * direction_.lpNorm<Eigen::Infinity>() < settings_.step_tolerance)
        return true;
      // Where the bounds clip the step, a halving may leave the projected point where it was:
      // the point just rejected (still in trial_) is not evaluated again (a step far beyond the
      // bounds would otherwise spend every halving on one point).
      const auto projected = (y + t * direction_).cwiseMax(lower).cwiseMin(upper);
      if (halving > 0 && (projected.array() == trial_.array()).all()) continue;
      trial_ = projected;
      step_ = trial_ - y;
      trial_value = f(trial_, trial_gradient_);
      ++evaluations_;
      if (trial_value <= value + settings_.armijo_share * std::min(gradient_.dot(step_), 0.0)) {
        accepted = true;
        break;
      }
    }
    if (!accepted) return fail();
    gradient_change_ = trial_gradient_ - gradient_;
    // chosen: the curvature along the step within a factor of ten of the estimate's confirms the
    // estimate (a Newton step of an estimate off by less than that is still a fair step).
    H_step_.noalias() = H_ * step_;
    const double measured = step_.dot(gradient_change_), estimated = step_.dot(H_step_);
    const bool consistent = measured > 0.1 * estimated && measured < 10.0 * estimated;
    const double decrease = value - trial_value;
    y = trial_;
    gradient_ = trial_gradient_;
    value = trial_value;
    bfgs_update();
    trusted = consistent;
    if (trusted && (t * direction_.lpNorm<Eigen::Infinity>() < settings_.step_tolerance ||
                    decrease <= settings_.value_tolerance * std::abs(value)))
      return true;
  }
  return fail();
}

}  // namespace pulley::numerics
