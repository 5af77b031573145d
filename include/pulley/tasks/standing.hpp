// Quiet standing: the posture where gravity, passive tissue and muscle tone balance, chosen by
// minimum effort with the whole-body centre of mass over the feet (domain.md section 3).
//
// Problem. Feet flat and side by side on level ground, so in the sagittal plane both legs have the
// same hip, knee and ankle angles (loads may still differ between sides). Free posture
// coordinates p = (ankle, knee, hip, lordosis L5_S1, L4_L5, L3_L4, L2_L3, L1_L2); the pelvis pose
// follows from the feet. Unknowns: p and every unit's activation a.
//   minimise   sum_i w_i (a_i - a_tone)^2 + E_passive(p) / E_ref
//   subject to J(p)^T [Q_gravity + Q_passive + sum_i r_i F_i(a_i, l_MT,i)] = 0   (8 equations)
//              x_com(p) - x_ankle = d_com                                          (balance)
//              a_tone <= a_i <= 1
// w_i = 1 / (units of its muscle * number of muscles) (chosen, see standing.yaml), F_i = static fibre-tendon equilibrium force, r_i = moment arms.
#pragma once

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"

namespace pulley::tasks {

enum class SolveStatus { converged, max_iterations, infeasible, failed };
const char* to_string(SolveStatus status);

/// How the standing problem is solved. Both find the same optimum; `reduced` is the fast default,
/// `full_space` the simple reference it is tested against.
enum class StandingMethod {
  reduced,     ///< posture outer loop (L-BFGS over 7 angles, or Newton steps from a given
               ///< start; balance fixes the ankle) around static optimisation of the units
  full_space,  ///< one SLSQP over posture and every activation (slow)
};
const char* to_string(StandingMethod method);

struct StandingSettings {
  StandingMethod method = StandingMethod::reduced;
  double residual_tolerance_nm = 1e-4;  ///< largest allowed equilibrium residual (N m)
  int max_iterations = 400;             ///< optimiser evaluations
  /// Where the reduced search starts, as StandingResult::p; empty: upright legs, neutral lordosis.
  /// A nearby subject's answer (last week's, in a training programme) saves evaluations: from a
  /// given start the search takes quasi-Newton steps of a curvature measured there, not L-BFGS
  /// (PostureSearchSettings::quasi_newton_first), and assumes the start is near the answer.
  std::vector<double> start;
  bool IsValid(std::string* error) const;
};

using loads::LumbarLoad;

/// Sagittal posture, in degrees at this edge of the library (names carry the unit).
struct Posture {
  double pelvic_tilt_deg = 0.0;       ///< PT: hip axis anterior to the S1 endplate midpoint > 0
  double sacral_slope_deg = 0.0;      ///< SS: S1 endplate to the horizontal
  double pelvic_incidence_deg = 0.0;  ///< PI measured on the model (= PT + SS)
  double lumbar_lordosis_deg = 0.0;   ///< L1-S1, positive = lordotic
  std::vector<double> segmental_lordosis_deg;  ///< L1_L2 ... L5_S1
  double hip_flexion_deg[2] = {0, 0};  ///< [right, left]
  double knee_flexion_deg[2] = {0, 0};
  double ankle_dorsiflexion_deg[2] = {0, 0};
  double trunk_inclination_deg = 0.0;  ///< thorax axis from vertical, forward > 0
  double com_anterior_to_ankle_m = 0.0;
};

struct StandingResult {
  /// converged: in equilibrium (the residual within its tolerance, the centre of mass over the
  /// feet); the other values say why not.
  SolveStatus status = SolveStatus::failed;
  std::string message;
  /// In equilibrium (converged), but the least-effort search stopped at its evaluation limit
  /// before meeting its tolerances: the posture may not be the one of least effort.
  bool least_effort_unconfirmed = false;
  int iterations = 0;          ///< optimiser evaluations of the objective
  double residual_nm = 0.0;   ///< largest equilibrium residual (N m)
  double effort = 0.0;        ///< the objective at the solution
  Eigen::VectorXd q;          ///< full configuration
  std::vector<double> p;      ///< the free coordinates (see the file comment), rad
  Eigen::VectorXd activation; ///< per unit
  Eigen::VectorXd force_n;    ///< tendon force per unit (N)
  Eigen::VectorXd fibre_length_norm;  ///< l_M / l_M_opt per unit
  Posture posture;
  std::vector<LumbarLoad> lumbar;  ///< L1_L2 ... L5_S1
  double ground_force_n[2] = {0, 0};  ///< vertical ground reaction per foot [right, left] (N)
  loads::JointLoads loads;  ///< every joint load (lumbar repeats `lumbar`)
};

/// A muscle's total tendon force (N) and its activation: the mean of its units' activations
/// weighted by their F_M_max.
struct MuscleOutput {
  double force_n = 0.0;
  double activation = 0.0;
};
MuscleOutput muscle_output(const model::Model& model, int muscle, const Eigen::VectorXd& force_n,
                           const Eigen::VectorXd& activation);

/// Solves the standing posture. Never throws for numerical trouble: the status says what happened.
StandingResult solve_standing(const model::Model& model, const StandingSettings& settings = {});

/// Full configuration from the standing coordinates p (size 8, see the file comment), and the
/// Jacobian dq/dp (num_coordinates x 8).
void standing_configuration(const model::Model& model, const Eigen::Ref<const Eigen::VectorXd>& p,
                            Eigen::VectorXd& q, Eigen::MatrixXd* dq_dp = nullptr);

/// The lumbar levels' angles of configuration q, L1_L2 ... L5_S1 (rad): e.g. quiet standing's
/// lumbar shape, the base gait adds the recorded lumbar extension to.
std::array<double, 5> lumbar_angles(const model::Model& model, const Eigen::VectorXd& q);

/// Posture measures at configuration q (kinematics in data must be current).
Posture measure_posture(const model::Model& model, const Eigen::VectorXd& q,
                        const model::Data& data);

using loads::calc_lumbar_loads;

}  // namespace pulley::tasks
