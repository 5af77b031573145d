// Hill-type musculotendon unit with a compliant tendon and constant-thickness pennation, using
// the curves of De Groote F, Kinney AL, Rao AV, Fregly BJ (2016), Ann Biomed Eng 44:2922-2936,
// doi:10.1007/s10439-016-1591-9.
//
// Geometry (constant thickness): l_M sin(alpha) = h = l_M_opt sin(alpha_opt); the fibre's
// projection on the musculotendon axis is x = l_M cos(alpha) = l_MT - l_T, so
// l_M = sqrt(x^2 + h^2) and cos(alpha) = x / l_M.
// Forces: F_A = F_M_max a f_L(l_M / l_M_opt) f_V(v_M_norm); F_P = F_ref passive_scale
// f_PE(l_M / l_M_opt); F_T = F_ref f_T(l_T / l_T_slack); equilibrium F_T = (F_A + F_P) cos(alpha).
//
// The static (isometric) functions below use f_V = 1 by definition of F_M_max; note that the
// published force-velocity fit gives force_velocity(0) = 1.0023.
//
// None of these functions allocates. Invalid parameters are programmer errors (assert);
// numerical trouble is reported through a status or flag and never produces NaN.

#ifndef PULLEY_MUSCLE_MUSCULOTENDON_HPP_
#define PULLEY_MUSCLE_MUSCULOTENDON_HPP_

#include "pulley/muscle/curves.hpp"

namespace pulley::muscle {

struct MusculotendonParameters {
  double F_M_max;        // maximum isometric active fibre force (N)
  double F_ref;          // force that normalises passive fibre and tendon forces (N);
                         // population-typical F_M_max, unchanged by strength training
  double l_M_opt;        // optimal fibre length (m)
  double l_T_slack;      // tendon slack length (m)
  double alpha_opt;      // pennation angle at optimal fibre length (rad)
  double v_M_max;        // maximum shortening velocity (optimal fibre lengths per second)
  double passive_scale;  // multiplier on the passive fibre force (dimensionless; 1 = typical)
  // Fibre strains (l_M / l_M_opt - 1) where the passive force starts and where it reaches F_ref;
  // the defaults are De Groote et al. 2016's curve. The curve keeps its shape and is stretched
  // between the two (see passive_fibre_curve).
  double passive_strain_at_zero_force = 0.0;
  double passive_strain_at_one_norm_force = 0.6;
  // Normalised fibre lengths where the active force-length curve ends; the defaults are De
  // Groote's curve's own (curve_constants::kActiveLengthMin/Max). A unit with a wider curve
  // stretches it to these ends (see active_fibre_curve).
  double active_length_min = curve_constants::kActiveLengthMin;
  double active_length_max = curve_constants::kActiveLengthMax;

  bool operator==(const MusculotendonParameters&) const = default;
};

// True if all parameters are finite, forces and lengths > 0, 0 <= alpha_opt < pi/2,
// v_M_max > 0, passive_scale >= 0, -0.5 < passive_strain_at_zero_force <
// passive_strain_at_one_norm_force and 0.1 <= active_length_min <= kActiveLengthMin,
// kActiveLengthMax <= active_length_max <= 3.
bool parameters_valid(const MusculotendonParameters& p);

// Constant fibre "height" h = l_M_opt sin(alpha_opt) (m).
double fibre_height(const MusculotendonParameters& p);

// Smallest admissible fibre projection x_min = 0.01 l_M_opt cos(alpha_opt) (m).
double minimum_fibre_projection(const MusculotendonParameters& p);

struct PennationGeometry {
  double x;          // fibre length projected on the musculotendon axis, after clamping (m)
  double l_M;        // fibre length (m)
  double alpha;      // pennation angle (rad)
  double cos_alpha;  // cos(alpha) (dimensionless)
  bool clamped;      // true if x was raised to minimum_fibre_projection(p)
};

// Fibre length and pennation from the projected fibre length x (m); x below x_min is clamped.
PennationGeometry pennation_from_projection(const MusculotendonParameters& p, double x);

// Active fibre force along the fibre (N): F_M_max a f_L(l_M / l_M_opt) f_V(v_M_norm).
double active_fibre_force(const MusculotendonParameters& p, double activation, double l_M,
                          double v_M_norm);
// Passive fibre force along the fibre (N): F_ref passive_scale f_PE(l_M / l_M_opt).
double passive_fibre_force(const MusculotendonParameters& p, double l_M);

// The unit's passive force-length multiplier f_PE at l_M_norm = l_M / l_M_opt, with derivatives
// in l_M_norm: De Groote's curve (curves.hpp) at 1 + (l_M_norm - 1 - e_z) e0 / (e_1 - e_z), where
// e_z and e_1 are the unit's strains at zero and at unit force and e0 = 0.6 is the curve's own.
CurvePoint passive_fibre_curve(const MusculotendonParameters& p, double l_M_norm);
// The unit's active force-length multiplier f_L at l_M_norm, with derivatives in l_M_norm: De
// Groote's curve stretched to the unit's ends (stretched_active_force_length in curves.hpp).
CurvePoint active_fibre_curve(const MusculotendonParameters& p, double l_M_norm);
// Tendon force (N): F_ref f_T(l_T / l_T_slack). Slightly negative below l_T = 1.00138 l_T_slack.
double tendon_force(const MusculotendonParameters& p, double l_T);

struct FibreTendonState {
  double l_MT;        // musculotendon length (m)
  double l_M;         // fibre length (m)
  double l_T;         // tendon length (m)
  double alpha;       // pennation angle (rad)
  double activation;  // activation (dimensionless, 0..1 for solve_static_equilibrium)
  double F_T;         // tendon (= musculotendon) force (N)
  double F_active;    // active fibre force along the fibre (N)
  double F_passive;   // passive fibre force along the fibre (N)
  double stiffness;   // dF_T/dl_MT at fixed activation (N/m): series combination of tendon
                      // stiffness and fibre stiffness projected through pennation
};

enum class EquilibriumStatus { converged, max_iterations, degenerate_geometry };

const char* to_string(EquilibriumStatus status);

struct EquilibriumResult {
  FibreTendonState state;    // best state found (always finite)
  EquilibriumStatus status;  // outcome of the solve
  int iterations;            // residual evaluations in the Newton/bisection phase
  double residual_N;         // F_T - (F_active + F_passive) cos(alpha) (N)
};

// Static (v_M = 0, f_V = 1) fibre-tendon equilibrium at activation a and length l_MT.
// Unknown: the fibre projection x in [x_min, l_MT - l_T0], where l_T0 is the tendon length at
// zero force (any equilibrium has F_T >= 0). Residual R(x) = F_T(l_MT - x) - (F_A + F_P) cos(alpha)
// is solved with a safeguarded Newton method (Newton inside a sign-changing bracket, bisection
// when the step leaves it or converges slowly). Where R is strictly decreasing, Newton starts at
// the rigid-tendon guess and the bracket's ends are evaluated only when an iterate needs them
// (R(x_max) <= 0 holds by construction; R(x_min) is evaluated once an iterate has R < 0).
// Root choice: R is strictly decreasing, hence the root unique, unless the fibre's negative
// stiffness on the descending limb can exceed the tendon stiffness (checked with a global bound).
// In that case the root with the SHORTEST fibre is chosen: the first sign change of R on a
// 32-interval grid from x_min, which is the branch continuous from the short-fibre side.
// Degenerate geometry (l_MT so short that even at x_min the fibre force exceeds the tendon force)
// returns the state at x_min with status degenerate_geometry.
// activation is asserted to lie in [0, 1] (and clamped for release builds).
EquilibriumResult solve_static_equilibrium(const MusculotendonParameters& p, double activation,
                                           double l_MT, double tolerance_N,
                                           int max_iterations = 50);
// Same with the default tolerance 1e-9 F_ref (N).
EquilibriumResult solve_static_equilibrium(const MusculotendonParameters& p, double activation,
                                           double l_MT);

// A fibre in motion, for the force-velocity relation over a step of time dt (backward Euler):
// the fibre was l_M_previous long dt ago, so a force that implies fibre length l_M now implies
// the normalised velocity v_M_norm = (l_M - l_M_previous) / (dt v_M_max l_M_opt) and an active
// capacity F_M_max f_L f_V(v_M_norm) (lengthening positive). Because the tendon's stretch, and
// so l_M, follows the force, f_V is a function of the force too, and the activation's
// derivatives in F include it. `inverse_length_rate` = 1 / (dt v_M_max l_M_opt) (1/m); 0 leaves
// the unit isometric (f_V = 1, as without a motion).
struct FibreMotion {
  double l_M_previous = 0.0;         // fibre length dt ago (m)
  double inverse_length_rate = 0.0;  // 1 / (dt v_M_max l_M_opt) (1/m)
};
// 1 / (dt v_M_max l_M_opt) for a step dt > 0 (s).
double fibre_inverse_length_rate(const MusculotendonParameters& p, double dt);

struct ActivationForForce {
  double activation;       // activation needed for tendon force F_T at length l_MT (may be < 0
                           // or > 1: caller decides)
  double da_dF;            // d(activation)/dF_T at fixed l_MT (1/N)
  double d2a_dF2;          // second derivative (1/N^2)
  double da_dl_MT;         // d(activation)/dl_MT at fixed F_T (1/m)
  FibreTendonState state;  // the fibre/tendon state implied (activation field = the value above)
  bool degenerate;         // a guard was hit (F_T clamped, x < x_min or f_L < 1e-3)
};

// Closed-form (isometric) activation that produces tendon force F_T at length l_MT:
//   l_T = l_T_slack f_T^-1(F_T / F_ref); x = l_MT - l_T; l_M = sqrt(x^2 + h^2);
//   cos(alpha) = x / l_M; a = (F_T / cos(alpha) - F_P(l_M)) / (F_M_max f_L(l_M / l_M_opt)).
// Guards (flagged in `degenerate`): F_T is clamped to [0, 1e6 F_ref]; x < x_min is clamped
// (derivatives through x are then 0); f_L is floored at 1e-3 (its derivatives are then 0). In the
// guarded regions the derivatives are those of the guarded function.
ActivationForForce activation_for_tendon_force(const MusculotendonParameters& p, double F_T,
                                               double l_MT);
// With `motion`, the activation at the fibre velocity the force implies (FibreMotion, above);
// `state.F_active` then includes f_V, and the floor below applies to f_L f_V.
ActivationForForce activation_for_tendon_force(const MusculotendonParameters& p, double F_T,
                                               double l_MT, const FibreMotion& motion);

// The optimiser's lean path of activation_for_tendon_force: the per-unit constants computed once
// (no trigonometry per call) and only the activation and its derivatives, without the fibre-tendon
// state. Agrees with activation_for_tendon_force to round-off.
struct ActivationConstants {
  double F_M_max, inv_F_ref, F_max;         // F_max: clamp of F_T (N)
  double l_T_slack, x_min, h, inv_l_M_opt;  // h = fibre_height, x_min = minimum_fibre_projection
  double passive_force;                     // F_ref passive_scale (N)
  double passive_strain_at_zero_force, passive_stretch;  // passive_fibre_curve's e_z and s
  ActiveCurveStretch active_stretch;                     // active_fibre_curve's stretch
};
ActivationConstants activation_constants(const MusculotendonParameters& p);

struct ActivationDerivatives {
  double activation, da_dF, d2a_dF2, da_dl_MT;  // as in ActivationForForce
  bool degenerate = false;                      // a guard was hit (as in ActivationForForce)
};

ActivationDerivatives activation_derivatives(const ActivationConstants& c, double F_T, double l_MT,
                                             const FibreMotion& motion = {});
// The fibre length tendon force F_T implies at length l_MT (m), with activation_derivatives'
// guards (F_T clamped to [0, F_max], x to x_min): its l_M without the activation.
double fibre_length_for_tendon_force(const ActivationConstants& c, double F_T, double l_MT);

}  // namespace pulley::muscle

#endif  // PULLEY_MUSCLE_MUSCULOTENDON_HPP_
