// The largest generalised force the muscles can produce at a fixed posture: maximal voluntary
// isometric moments, as a dynamometer measures them.
//
// Problem, for m equations and n units at fixed musculotendon lengths l_MT:
//   maximise   t = A_0 F                                  (row 0: the moment measured)
//   subject to A_k F = b_k,  k = 1 .. m-1                 (the other joints in balance)
//              a_tone <= a_i(F_i, l_MT,i) <= a_max,i       (resting tone up to full effort)
// a_i(F, l_MT) is the closed-form isometric activation of musculotendon.hpp, increasing in F, so
// each bound is a bound on F_i and the problem is a linear programme in the forces.
//
// Method, one row in balance (m = 2): the linear programme's exact optimum, every unit at the bound
// that raises row 0 and the balance then closed by the units that give up least of row 0 per unit
// of it (a fractional knapsack). More rows: bisection on t. A target is reachable when the
// least-effort recruitment of static_optimization.hpp (warm-started from the last target, the
// first from a nearby problem's forces when set_warm_start gives them) leaves at most
// `unmet_tolerance` on every equation; the reachable targets form an interval (the set of
// reachable moment vectors is convex), so the bisection converges to its upper end. The bracket's
// lower end is row 0 with every unit at tone, or, when that leaves the other rows unbalanced, with
// the least-effort forces that balance them; its upper end has each unit pulling at its bound in
// the direction that raises row 0.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <vector>

#include "pulley/muscle/musculotendon.hpp"
#include "pulley/recruitment/static_optimization.hpp"

namespace pulley::recruitment {

class MaxMoment {
 public:
  /// `params`, `effort_weights` (> 0) and `max_activation` (in [tone, 1]) per unit; `rows` = m.
  MaxMoment(std::vector<muscle::MusculotendonParameters> params, Eigen::VectorXd effort_weights,
            const Eigen::VectorXd& max_activation, int rows, double tone);

  /// Equations A (m x n), right-hand sides b (m; b[0] is set by the solves) and lengths l_MT (m).
  Eigen::MatrixXd A;
  Eigen::VectorXd b, l_MT;
  /// Largest unmet generalised force on any row for a target to count as reachable (N m; chosen
  /// as tasks::kUnmetToleranceNm).
  double unmet_tolerance = 1e-2;

  /// True if the muscles can supply A F = b with b[0] = target.
  bool reachable(double target);
  /// The largest reachable target to within `tolerance` (> 0), or empty when the muscles cannot
  /// balance rows 1 .. m-1 at all. force() then holds the forces at that target. With one row
  /// in balance (m = 2) the linear programme is solved exactly instead (`tolerance` unused), its
  /// balance met to round-off where it lies within the muscles' reach, or within
  /// `unmet_tolerance` of it (then met as nearly as they can).
  std::optional<double> maximise(double tolerance);
  /// The unit forces of the last reachable solve (N).
  const Eigen::VectorXd& force() const { return last_force_; }
  /// Forces (N, one per unit) to start the least-effort solves from instead of tone, such as a
  /// nearby posture's (solved_force()): fewer linearisation passes, the same verdicts to the
  /// solves' tolerances.
  void set_warm_start(const Eigen::VectorXd& force);
  /// The unit forces of the last least-effort solve, reachable or not (N; empty before one).
  const Eigen::VectorXd& solved_force() const;

 private:
  std::optional<double> maximise_with_one_balance();
  StaticOptimizer& optimizer();
  // Unit i's tendon force at `activation` and its length l_MT[i] (a fibre-tendon solve).
  double force_at(Eigen::Index i, double activation) const;

  std::vector<muscle::MusculotendonParameters> params_;
  Eigen::VectorXd weights_, max_activation_;
  std::optional<StaticOptimizer> optimizer_;  // built by optimizer() when first needed
  Eigen::VectorXd warm_start_;                // given to the optimizer when it is built
  double tone_;
  Eigen::VectorXd last_force_;
};

}  // namespace pulley::recruitment
