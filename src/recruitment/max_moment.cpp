#include "pulley/recruitment/max_moment.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

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
      params_(std::move(params)),
      weights_(std::move(effort_weights)),
      max_activation_(max_activation),
      tone_(tone) {
  PULLEY_DEMAND(rows >= 1, "at least one equation");
  PULLEY_DEMAND(max_activation_.size() == A.cols() && weights_.size() == A.cols(),
                "one ceiling and one effort weight per unit");
  PULLEY_DEMAND(((max_activation_.array() >= tone) && (max_activation_.array() <= 1.0)).all(),
                "maximum activations must lie in [tone, 1]");
  PULLEY_DEMAND((weights_.array() > 0.0).all(), "effort weights must be positive");
}

StaticOptimizer& MaxMoment::optimizer() {
  // Built on first use: the exact path of one balanced row needs none (docs in the header).
  if (!optimizer_) {
    optimizer_.emplace(params_, weights_, static_cast<int>(A.rows()), settings_with_tone(tone_));
    optimizer_->set_max_activation(max_activation_);
    if (warm_start_.size() > 0) optimizer_->set_warm_start(warm_start_);
  }
  return *optimizer_;
}

void MaxMoment::set_warm_start(const Eigen::VectorXd& force) {
  PULLEY_DEMAND(force.size() == A.cols(), "MaxMoment::set_warm_start: one force per unit");
  warm_start_ = force;
  if (optimizer_) optimizer_->set_warm_start(warm_start_);
}

const Eigen::VectorXd& MaxMoment::solved_force() const {
  static const Eigen::VectorXd kNone;
  return optimizer_ ? optimizer_->force() : kNone;
}

bool MaxMoment::reachable(double target) {
  b[0] = target;
  StaticOptimizer& o = optimizer();
  o.solve(A, b, l_MT);
  const bool ok = o.unmet().cwiseAbs().maxCoeff() <= unmet_tolerance;
  if (ok) last_force_ = o.force();
  return ok;
}

std::optional<double> MaxMoment::maximise_with_one_balance() {
  // maximise c.F subject to a.F = b, lo <= F <= hi (c = row 0, a = row 1, b = b[1]). Start with
  // every unit at the bound that raises c.F; then close the balance's gap by moving units towards
  // their other bounds, cheapest first: a unit changes a.F by a_i dF and c.F by c_i dF, so it
  // gives up |c_i / a_i| of row 0 per unit of the gap it closes (a fractional knapsack, exact for
  // one equation: Dantzig 1957, Oper Res 5:266). The last unit moved stops part way. A unit's
  // other bound is found only if it is moved (each bound is a fibre-tendon solve).
  const auto n = static_cast<Eigen::Index>(params_.size());
  Eigen::VectorXd F(n);  // last_force_ only once the balance is met
  double balance = 0.0;  // a.F at the start
  for (Eigen::Index i = 0; i < n; ++i) {
    // At full effort where it raises row 0, else at tone (a unit crossing neither joint rests,
    // as a least-effort solve has it).
    F[i] = force_at(i, A(0, i) > 0.0 ? max_activation_[i] : tone_);
    balance += A(1, i) * F[i];
  }
  double gap = b[1] - balance;
  // (row 0 given up per unit of the gap closed, unit)
  std::vector<std::pair<double, Eigen::Index>> moves;
  for (Eigen::Index i = 0; i < n; ++i) {
    // Towards its other bound (down from full effort where c > 0, up from tone otherwise) a unit
    // moves a.F by a times that: of use where this has the gap's sign.
    const double a = A(1, i), towards = A(0, i) > 0.0 ? -1.0 : 1.0;
    if (a * towards * gap > 0.0) moves.emplace_back(std::abs(A(0, i) / a), i);
  }
  std::sort(moves.begin(), moves.end());
  for (const auto& [price, i] : moves) {
    if (gap == 0.0) break;
    const double a = A(1, i);
    const double other = force_at(i, A(0, i) > 0.0 ? tone_ : max_activation_[i]);
    const double reach = std::max(a * (other - F[i]) * std::copysign(1.0, gap), 0.0);
    const double closed = std::copysign(std::min(reach, std::abs(gap)), gap);
    F[i] += closed / a;
    gap -= closed;
  }
  // Out of the muscles' reach, by more than a least-effort solve may leave unmet: no maximum.
  if (std::abs(gap) > unmet_tolerance) return std::nullopt;
  last_force_ = F;
  return A.row(0).dot(last_force_);
}

double MaxMoment::force_at(Eigen::Index i, double activation) const {
  return muscle::solve_static_equilibrium(params_[static_cast<std::size_t>(i)], activation, l_MT[i])
      .state.F_T;
}

std::optional<double> MaxMoment::maximise(double tolerance) {
  PULLEY_DEMAND(tolerance > 0.0, "MaxMoment::maximise: tolerance > 0");
  if (A.rows() == 2) return maximise_with_one_balance();
  // Row 0 with every unit at tone, and with each pulling at the bound that raises it.
  double at_tone = 0.0, most = 0.0;
  for (int i = 0; i < static_cast<int>(params_.size()); ++i) {
    const double r = A(0, i);
    if (r == 0.0) continue;
    const double f_tone = force_at(i, tone_);
    const double f_full = force_at(i, max_activation_[i]);
    at_tone += r * f_tone;
    most += std::max(r * f_tone, r * f_full);
  }
  // A reachable start: every unit at tone when that balances the other rows, else the
  // least-effort forces that balance them (row 0 left free).
  double lo = at_tone;
  if (!reachable(lo)) {
    if (A.rows() == 1) return std::nullopt;
    StaticOptimizer others(params_, weights_, static_cast<int>(A.rows()) - 1,
                           settings_with_tone(tone_));
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
