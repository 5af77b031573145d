#include "pulley/recruitment/max_moment.hpp"

#include <algorithm>
#include <utility>

#include "pulley/core/error.hpp"

namespace pulley::recruitment {

namespace {

StaticOptimizationSettings settings_with_tone(double tone) {
  StaticOptimizationSettings s;
  s.tone = tone;
  return s;
}

}  // namespace

MaxMoment::MaxMoment(std::vector<muscle::MusculotendonParameters> params,
                     Eigen::VectorXd effort_weights, const Eigen::VectorXd& max_activation,
                     int rows, double tone)
    : A(Eigen::MatrixXd::Zero(rows, static_cast<Eigen::Index>(params.size()))),
      b(Eigen::VectorXd::Zero(rows)),
      l_MT(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(params.size()))),
      params_(params),
      weights_(effort_weights),
      max_activation_(max_activation),
      optimizer_(std::move(params), std::move(effort_weights), rows, settings_with_tone(tone)),
      tone_(tone) {
  PULLEY_DEMAND(max_activation_.size() == optimizer_.num_units(), "one ceiling per unit");
  optimizer_.set_max_activation(max_activation_);
}

bool MaxMoment::reachable(double target) {
  b[0] = target;
  optimizer_.solve(A, b, l_MT);
  const bool ok = optimizer_.unmet().cwiseAbs().maxCoeff() <= unmet_tolerance;
  if (ok) last_force_ = optimizer_.force();
  return ok;
}

std::optional<double> MaxMoment::maximise(double tolerance) {
  PULLEY_DEMAND(tolerance > 0.0, "MaxMoment::maximise: tolerance > 0");
  // Row 0 with every unit at tone, and with each pulling at the bound that raises it.
  double at_tone = 0.0, most = 0.0;
  for (int i = 0; i < static_cast<int>(params_.size()); ++i) {
    const double r = A(0, i);
    if (r == 0.0) continue;
    const double f_tone = muscle::solve_static_equilibrium(params_[i], tone_, l_MT[i]).state.F_T;
    const double f_full =
        muscle::solve_static_equilibrium(params_[i], max_activation_[i], l_MT[i]).state.F_T;
    at_tone += r * f_tone;
    most += std::max(r * f_tone, r * f_full);
  }
  // A reachable start: every unit at tone when that balances the other rows, else the
  // least-effort forces that balance them (row 0 left free).
  double lo = at_tone;
  if (!reachable(lo)) {
    if (A.rows() == 1) return std::nullopt;
    StaticOptimizer others(params_, weights_, static_cast<int>(A.rows()) - 1,
                           optimizer_.settings());
    others.set_max_activation(max_activation_);
    others.solve(A.bottomRows(A.rows() - 1), b.tail(b.size() - 1), l_MT);
    if (others.unmet().cwiseAbs().maxCoeff() > unmet_tolerance) return std::nullopt;
    lo = A.row(0).dot(others.force());
    if (!reachable(lo)) return std::nullopt;
  }
  double hi = std::max(most, lo);
  if (reachable(hi)) return hi;
  while (hi - lo > tolerance) {
    const double mid = 0.5 * (lo + hi);
    if (reachable(mid))
      lo = mid;
    else
      hi = mid;
  }
  if (!reachable(lo)) return std::nullopt;  // leaves force() at lo
  return lo;
}

}  // namespace pulley::recruitment
