// Bound-constrained quasi-Newton minimisation that keeps its curvature from one problem to the
// next: for a sequence of slowly changing problems, such as the frames of a task, where each
// problem's Hessian is close to the last one's.
//
// Method (Nocedal & Wright 2006, Numerical Optimization, 2nd ed., ch. 3 and 6): at each iterate,
// the coordinates at (within the step tolerance of) a bound that the gradient pushes outward are
// held there; the others take the Newton step of the curvature estimate H, projected onto the
// bounds and halved until the objective falls enough (Armijo); H then takes the BFGS update of
// the step (skipped where the objective does not curve up along it). A halving that the bounds
// leave at the point just rejected is not evaluated again. The first problem, or the first after
// a failure, starts H from forward differences of the gradient, symmetrised and shifted to be
// positive definite.
//
// Convergence (a step, or a decrease achieved or foretold by H, below the tolerances) counts only
// while H is trusted: just started by differences at the current iterate, or confirmed by the
// curvature measured along the last step (within a factor of ten of H's). An estimate carried
// from another problem may be far too stiff, and its tiny steps would otherwise pass for
// convergence; where such an estimate's step falls below the tolerance, it is started again.
//
// Why not a library: the optimisers in Debian (NLopt, dlib, Ceres, GSL) restart their curvature at
// every call, and a multiple of the identity is a poor start where a frame's coordinates differ in
// stiffness a hundredfold; carried over, the estimate lets a frame converge in a few evaluations.
// A search that fails here (line search exhausted, non-positive curvature, budget spent) says so,
// and the caller goes on with a general-purpose method from the best point found.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <functional>

namespace pulley::numerics {

/// The objective: returns its value at y and writes its gradient to `gradient` (sized as y).
using ObjectiveWithGradient =
    std::function<double(const Eigen::VectorXd& y, Eigen::VectorXd& gradient)>;

struct WarmQuasiNewtonSettings {
  /// A step smaller than this in every coordinate ends the search (converged, H trusted).
  /// chosen: NLopt's xtol_abs as the posture search sets it (tasks/quasi_static.cpp).
  double step_tolerance = 1e-7;
  /// A decrease, achieved or predicted by the quadratic model, below this share of |value| ends
  /// the search (converged, H trusted). chosen: the posture search's ftol_rel.
  double value_tolerance = 1e-10;
  /// Forward-difference step of the starting curvature. chosen: 1e-5 (rad in the posture
  /// search), the step at which docs/validation.md measured the posture objective's Hessians:
  /// below the 0.01 deg (1.7e-4 rad) angles are reported to, ten times the 1e-6 difference step
  /// inside the gradient itself.
  double curvature_step = 1e-5;
  /// chosen: the sufficient-decrease share of the Armijo test (Nocedal & Wright, sec. 3.1, 1e-4)
  /// and six halvings (a step shortened 64-fold is not the model's step any more).
  double armijo_share = 1e-4;
  int max_halvings = 6;
  /// chosen: the starting curvature's eigenvalues are raised to at least this share of the
  /// largest, so that each step is a descent step of bounded length.
  double min_eigenvalue_share = 1e-3;
};

class WarmQuasiNewton {
 public:
  explicit WarmQuasiNewton(WarmQuasiNewtonSettings settings = {});

  /// Minimises f from y (replaced by the last accepted iterate) within lower <= y <= upper, using
  /// at most `budget` evaluations. True if a convergence test ended the search; false if it
  /// failed, which also discards the curvature estimate.
  bool minimize(const ObjectiveWithGradient& f, Eigen::VectorXd& y, const Eigen::VectorXd& lower,
                const Eigen::VectorXd& upper, int budget);

  /// Evaluations of f made by the last minimize().
  int evaluations() const { return evaluations_; }
  /// Whether the next minimize() starts from a kept estimate.
  bool has_curvature() const { return has_curvature_; }

 private:
  void resize(int n);
  // False if no direction curves up (nothing to take a Newton step with).
  bool start_curvature(const ObjectiveWithGradient& f, const Eigen::VectorXd& y,
                       const Eigen::VectorXd& lower, const Eigen::VectorXd& upper);
  void bfgs_update();

  WarmQuasiNewtonSettings settings_;
  Eigen::MatrixXd H_, reduced_;
  bool has_curvature_ = false;
  int evaluations_ = 0;
  // Scratch (sized once per number of coordinates).
  Eigen::VectorXd gradient_, trial_, trial_gradient_, step_, direction_, rhs_, gradient_change_,
      H_step_;
  // Sized by their first compute() (the sized constructors leave the status unset, which a copy
  // then reads).
  Eigen::LDLT<Eigen::MatrixXd> ldlt_;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen_;
};

}  // namespace pulley::numerics
