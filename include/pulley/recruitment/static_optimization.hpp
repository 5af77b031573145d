// Muscle recruitment by static optimisation: the unit forces that supply a set of generalised
// forces with the least effort, respecting each unit's force-length, passive force and tendon
// elasticity; isometric (f_V = 1) unless the fibres' motion is set (set_fibre_motion).
//
// Problem, for m equations and n units at fixed musculotendon lengths l_MT:
//   minimise   sum_i w_i (a_i - a_tone)^2 + W |rho|^2
//   subject to sum_i A_i F_i + rho = b                (A: m x n, generalised force per newton)
//              a_min,i <= a_i(F_i, l_MT,i) <= a_max,i  (a_min,i = a_tone, a_max,i = 1 unless set)
// a_i(F, l_MT) is the closed-form activation that produces tendon force F (musculotendon.hpp).
// With the fibres' motion set, a_i also prices f_V at the fibre velocity that F implies over the
// step from the previous fibre length (backward Euler, muscle::FibreMotion): the tendon's stretch
// follows F, so the fibre's length and velocity do too, and a_i stays a function of F alone.
// rho is the part of b that the muscles leave unmet, priced by W so that the problem is always
// solvable: with W large it stays near zero whenever the muscles can supply b, and when they
// cannot it says by how much each equation falls short.
//
// Method: sequential quadratic programming in the forces. Each pass linearises a_i(F_i) and takes
// the second-order model of each unit's effort (Newton curvature, floored so that it stays
// convex); it solves the box-constrained quadratic programme in the linearised activations u_i by
// Newton's method on its m-dimensional dual (the dual is a concave piecewise quadratic, so a
// semismooth Newton step with an exact line search terminates in few iterations), then moves F_i to the
// new u_i. Passes stop when the true activations a_i(F_i) agree with the linearised ones.
// Warm-started from the previous call.
//
// Twins: units with the same parameters and effort weight whose columns of A, lengths and
// activation ceilings are equal in a solve (the left and right fascicles of a symmetric
// posture). The problem is unchanged when twins swap, so from equal forces every pass above
// keeps them equal, and their answer is the full problem's (its only one wherever each unit's
// effort is convex in its force). Each set of twins is therefore solved as one unit with k times
// the column and the weight, and its answer is given to every twin. No allocation after the
// first solve unless the sets of twins change (a posture turning asymmetric, say).
//
// Idle units: a unit whose column of A is zero (it crosses none of the joints the equations
// balance, such as a strapped leg's muscles when a seat or a bed carries the legs) has no part in
// the equations, so its effort alone decides it: it rests at its lower bound. It is solved apart,
// by Newton's method on a_i(F_i) = lower bound to the activation tolerance, and not again while
// its length and bound stay as they were.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <utility>
#include <vector>

#include "pulley/muscle/musculotendon.hpp"

namespace pulley::recruitment {

// Defaults are chosen, not published: the equation tolerance near double-precision round-off for
// moments of 1e1-1e2 N m; the activation tolerance 1e-9, which leaves forces within about 2e-4 N
// (5e-7 F_max) of a solve at 1e-13 (1.3e-3 N seen where other units could share a unit's work at
// nearly the same effort), far below the 0.1 N results are reported to (a pass more, where 1e-11
// takes one, costs a fifth of a solve); but the units whose last step lies within it keep their
// forces, and the moments they leave unmet (about 1e-7 N m), priced at W, put the effort about
// 1e-6 of its value above the least, so a caller that minimises the effort over something else,
// as the posture search does, sets it tighter (tasks/quasi_static.cpp: 1e-11); iteration limits
// an order of magnitude above the passes (2-10) and Newton iterations (1-20 per pass) seen on the
// standing problems.
struct StaticOptimizationSettings {
  double tone = 0.02;               ///< lower activation bound (dimensionless)
  double unmet_weight = 1e6;     ///< W, effort per (generalised force unit)^2 left unmet;
                                 ///< leaves about |lambda| / (2 W) < 1e-6 N m unmet when feasible
  double activation_tolerance = 1e-9;  ///< |a_i(F_i) - u_i| that ends the passes
  double dual_tolerance = 1e-12;    ///< equation residual of each quadratic programme, relative
  int max_passes = 40;              ///< linearisation passes per solve
  int max_newton_iterations = 60;   ///< dual Newton iterations per pass
  bool IsValid(std::string* error) const;
};

enum class RecruitmentStatus { converged, max_iterations };

/// Where the nondecreasing piecewise-linear function
///   s(alpha) = c0 + c1 alpha + sum_i d_i clamp(u_i + alpha g_i, lo_i, hi_i),   d_i g_i >= 0, c1 > 0,
/// first reaches 0 for alpha >= 0 (0 if s(0) >= 0): the exact line search of the dual Newton
/// method, where s is the slope of the dual along the step. Walks the kinks (where a term reaches a
/// bound) in increasing order and solves within the piece that holds the root: one visit of each
/// term and a heap of the kinks, O(n log n) at worst. `kinks` is scratch space (no allocation once
/// it has grown to 2 n).
double clamped_slope_root(double c0, double c1, const Eigen::Ref<const Eigen::VectorXd>& u,
                          const Eigen::Ref<const Eigen::VectorXd>& g,
                          const Eigen::Ref<const Eigen::VectorXd>& d,
                          const Eigen::Ref<const Eigen::VectorXd>& lo,
                          const Eigen::Ref<const Eigen::VectorXd>& hi,
                          std::vector<std::pair<double, double>>& kinks);
const char* to_string(RecruitmentStatus status);

class StaticOptimizer {
 public:
  /// `params` and `effort_weights` per unit (weights > 0); `num_equations` = m.
  StaticOptimizer(std::vector<muscle::MusculotendonParameters> params,
                  Eigen::VectorXd effort_weights, int num_equations,
                  StaticOptimizationSettings settings = {});

  /// Solves the problem above for A (m x n), b (m) and l_MT (n), starting from the previous
  /// solution (or from tone after reset()).
  RecruitmentStatus solve(const Eigen::Ref<const Eigen::MatrixXd>& A,
                          const Eigen::Ref<const Eigen::VectorXd>& b,
                          const Eigen::Ref<const Eigen::VectorXd>& l_MT);

  /// Upper activation bounds per unit, each in [tone, 1] (default 1): a muscle whose voluntary
  /// drive is limited, e.g. by injury.
  void set_max_activation(const Eigen::Ref<const Eigen::VectorXd>& max_activation);
  const Eigen::VectorXd& max_activation() const { return upper_; }
  /// Lower activation bounds per unit, each in [tone, 1] (default tone): a muscle held active
  /// whatever the moments ask, e.g. co-contraction to stiffen a joint. Effort still counts
  /// activation above tone. Where a floor exceeds the unit's ceiling the ceiling wins.
  void set_min_activation(const Eigen::Ref<const Eigen::VectorXd>& min_activation);
  const Eigen::VectorXd& min_activation() const { return lower_; }

  /// Force-velocity for the next solves: each unit's fibre was previous_fibre_length[i] long dt
  /// (> 0) seconds before the instant solved (see the header's note). Typically the fibre
  /// lengths of the previous frame's answer (fibre_lengths()).
  void set_fibre_motion(const Eigen::Ref<const Eigen::VectorXd>& previous_fibre_length, double dt);
  /// Back to isometric solves (f_V = 1).
  void clear_fibre_motion();
  /// Fibre length of each unit at the last solve's answer (m), into `out` (resized).
  void fibre_lengths(Eigen::VectorXd& out) const;

  /// Changes W (> 0) for the next solves, keeping the warm start.
  void set_unmet_weight(double unmet_weight);

  /// Forgets the warm start: the next solve starts with every unit at tone force estimates.
  void reset();
  /// Replaces the warm start's forces (one per unit, finite; negative ones start at 0), e.g. the
  /// forces of the frames before extrapolated to the next; the multipliers are kept. Where the
  /// estimate is close the solve takes fewer passes. The answer is the same to the tolerance
  /// wherever the problem has one (see the header's note on twins); where a unit's effort is not
  /// convex in its force (a fibre motion set) the start can decide between several.
  void set_warm_start(const Eigen::Ref<const Eigen::VectorXd>& force);

  int num_units() const { return static_cast<int>(params_.size()); }
  /// Units the last solve worked with: one per set of twins (see above), idle units left out; 0
  /// before the first.
  int num_solved_units() const { return static_cast<int>(leader_.size()); }
  const Eigen::VectorXd& force() const { return force_; }            ///< F_i (N)
  const Eigen::VectorXd& activation() const { return activation_; }  ///< a_i(F_i, l_MT,i)
  /// dF_i/dl_MT,i at fixed activation (N/m): how the unit's force changes when it is stretched
  /// (with a fibre motion set, at the fixed previous fibre length, so f_V's change counts too).
  const Eigen::VectorXd& stiffness() const { return stiffness_; }
  /// Lagrange multipliers of the equations: d(effort)/d(b) (effort per generalised force unit).
  const Eigen::VectorXd& multipliers() const { return lambda_; }
  /// rho = b - A F: the generalised forces the muscles did not supply.
  const Eigen::VectorXd& unmet() const { return unmet_; }
  /// sum_i w_i (a_i - a_tone)^2 + W |rho|^2 at the solution.
  double effort() const { return effort_; }
  int passes() const { return passes_; }
  int newton_iterations() const { return newton_iterations_; }
  const StaticOptimizationSettings& settings() const { return settings_; }

 private:
  // Sets up the problem the passes solve: one unit per set of twins (leader_, count_), its
  // columns A_ scaled by the count, and its warm start from the units' forces.
  void group_twins(const Eigen::Ref<const Eigen::MatrixXd>& A,
                   const Eigen::Ref<const Eigen::VectorXd>& l_MT);
  // Rests each idle unit (solved_as_ -1) at its lower bound: force_, activation_, stiffness_;
  // false if one could not reach it to the tolerance.
  bool rest_idle_units(const Eigen::Ref<const Eigen::VectorXd>& l_MT);
  // Makes the next solve rest every idle unit again (its a(F) or its start changed).
  void forget_rested_idle_units();
  // Linearises the solved units marked stale at solved_force_ (solved_activation_, slope_ = da/dF,
  // the quadratic model of their effort) and returns max |a - u| over those units (infinity on a
  // first pass); update_forces returns the same for the units it kept.
  double linearise();
  // Moves each unit's force to the linearised solution u_; a unit already within the activation
  // tolerance keeps its force and linearisation. Returns max |a - u| over the units kept.
  double update_forces();
  // Solves the linearised quadratic programme for lambda_ and u_ (dual Newton).
  void solve_linearised(const Eigen::Ref<const Eigen::VectorXd>& b);
  // Dual function psi(lambda) (to be minimised) and the primal u it implies.
  double dual_value(const Eigen::VectorXd& lambda);
  // The same with z_ = C^T lambda already current.
  double dual_value_at_z(const Eigen::VectorXd& lambda);
  // Exact minimisation of psi along step_ from lambda_ (uses z_ at lambda_); returns the step.
  double exact_line_search();

  StaticOptimizationSettings settings_;
  int m_;
  // Per unit of the model.
  std::vector<muscle::MusculotendonParameters> params_;
  std::vector<muscle::ActivationConstants> constants_;  // for the lean activation path
  std::vector<muscle::FibreMotion> motion_;  // isometric (inverse_length_rate 0) unless set
  Eigen::VectorXd last_l_MT_;                // l_MT of the last solve
  Eigen::VectorXd weights_;
  Eigen::VectorXd force_, activation_, stiffness_;
  Eigen::VectorXd upper_;  // activation upper bounds
  Eigen::VectorXd lower_;  // activation lower bounds
  std::vector<int> first_twin_;  // the first unit with the same parameters and weight, or -1
  std::vector<int> solved_as_;   // the solved unit that stands for it in the last solve, or -1
                                 // for an idle unit
  // Per idle unit, the length and bound it was last rested at (NaN: not rested since reset()).
  Eigen::VectorXd idle_l_MT_, idle_bound_;
  // Per solved unit (one per set of twins; sized when the sets change).
  std::vector<int> leader_;  // the first of its twins
  Eigen::VectorXd count_;    // how many twins it stands for
  Eigen::MatrixXd A_;        // m x solved: the leader's column times the count
  Eigen::VectorXd solved_l_MT_, solved_weight_, solved_upper_, solved_lower_;
  Eigen::VectorXd solved_force_, solved_activation_, slope_, solved_stiffness_, u_, z_, delta_;
  Eigen::VectorXd u_free_, u_rate_;  // line search: unclamped u at lambda_ and its rate along the step
  std::vector<std::pair<double, double>> kinks_;  // line search scratch
  std::vector<char> stale_;    // force moved (or l_MT changed) since the unit was linearised
  Eigen::VectorXd curvature_;  // a'' at each unit's linearisation (infinite: not an expansion)
  Eigen::VectorXd weight_eff_, target_;  // quadratic model of each unit's effort in u
  Eigen::VectorXd half_inverse_weight_;  // 1 / (2 weight_eff_)
  Eigen::MatrixXd C_;  // m x solved: A_i / slope_i, generalised force per unit of activation
  Eigen::MatrixXd free_scaled_;  // solved x m: first rows the free units' C_i^T sqrt(1 / (2 w_i))
  // Per equation.
  Eigen::VectorXd lambda_, unmet_, rhs_, gradient_, step_;
  Eigen::MatrixXd hessian_;
  Eigen::LDLT<Eigen::MatrixXd> ldlt_;
  double effort_ = 0.0;
  bool has_linearisation_ = false;
  int passes_ = 0;
  int newton_iterations_ = 0;
};

}  // namespace pulley::recruitment
