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
  held_.assign(n, 0);
  ldlt_ = Eigen::LDLT<Eigen::MatrixXd>(n);
  eigen_ = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(n);
  has_curvature_ = false;
}

void WarmQuasiNewton::start_curvature(const ObjectiveWithGradient& f, const Eigen::VectorXd& y,
                                      const Eigen::VectorXd& upper) {
  const int n = static_cast<int>(y.size());
  for (int k = 0; k < n; ++k) {
    trial_ = y;
    const double h =
        trial_[k] + settings_.curvature_step <= upper[k] ? settings_.curvature_step
                                                         : -settings_.curvature_step;
    trial_[k] += h;
    f(trial_, trial_gradient_);
    ++evaluations_;
    reduced_.col(k) = (trial_gradient_ - gradient_) / h;
  }
  H_ = 0.5 * (reduced_ + reduced_.transpose());
  eigen_.compute(H_, Eigen::EigenvaluesOnly);
  const double smallest = eigen_.eigenvalues()[0];
  const double largest = eigen_.eigenvalues()[n - 1];
  const double floor = settings_.min_eigenvalue_share * std::max(std::abs(largest), 1e-300);
  if (smallest < floor) H_.diagonal().array() += floor - smallest;
  has_curvature_ = true;
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
  H_.noalias() += (gradient_change_ * gradient_change_.transpose()) / curve;
  H_.noalias() -= (H_step_ * H_step_.transpose()) / step_H_step;
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
  y = y.cwiseMax(lower).cwiseMin(upper);
  double value = f(y, gradient_);
  ++evaluations_;
  // The estimate may end the search (its step or predicted decrease too small to go on) only once
  // it has been measured here: started by differences at this search's first iterate, or
  // confirmed by the curvature along the last step. Carried from another problem, or built where
  // the objective curved quite differently, it may be far too stiff, and its tiny steps would
  // look like convergence.
  bool trusted = false;
  if (!has_curvature_) {
    if (budget < n + 2) return fail();
    start_curvature(f, y, upper);
    trusted = true;
  }
  while (evaluations_ < budget) {
    // The Newton step of the estimate on the coordinates not held at a bound.
    int num_held = 0;
    for (int k = 0; k < n; ++k) {
      held_[k] = (y[k] <= lower[k] && gradient_[k] > 0.0) || (y[k] >= upper[k] && gradient_[k] < 0.0);
      num_held += held_[k];
    }
    // Every coordinate at a bound the gradient pushes against: a minimum, whatever the estimate.
    if (num_held == n) return true;
    reduced_ = H_;
    rhs_ = -gradient_;
    for (int k = 0; k < n; ++k) {
      if (!held_[k]) continue;
      reduced_.row(k).setZero();
      reduced_.col(k).setZero();
      reduced_(k, k) = 1.0;
      rhs_[k] = 0.0;
    }
    ldlt_.compute(reduced_);
    if (ldlt_.info() != Eigen::Success || !ldlt_.isPositive()) return fail();
    direction_ = ldlt_.solve(rhs_);
    // The quadratic model's decrease, -g.d / 2, below the value tolerance: nothing left to gain.
    const double predicted = -0.5 * gradient_.dot(direction_);
    if (trusted && predicted <= settings_.value_tolerance * std::abs(value)) return true;
    // Halve until the projected step decreases the objective enough.
    double t = 1.0;
    double trial_value = value;
    bool accepted = false;
    for (int halving = 0; halving <= settings_.max_halvings && evaluations_ < budget;
         ++halving, t *= 0.5) {
      trial_ = (y + t * direction_).cwiseMax(lower).cwiseMin(upper);
      step_ = trial_ - y;
      if (trusted && step_.lpNorm<Eigen::Infinity>() < settings_.step_tolerance) return true;
      trial_value = f(trial_, trial_gradient_);
      ++evaluations_;
      if (trial_value <= value + settings_.armijo_share * gradient_.dot(step_)) {
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
    if (trusted && (step_.lpNorm<Eigen::Infinity>() < settings_.step_tolerance ||
                    decrease <= settings_.value_tolerance * std::abs(value)))
      return true;
  }
  return fail();
}

}  // namespace pulley::numerics
