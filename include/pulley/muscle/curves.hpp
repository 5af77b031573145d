// Dimensionless Hill-model curves of De Groote et al. (2016).
//
// De Groote F, Kinney AL, Rao AV, Fregly BJ (2016) Evaluation of direct collocation optimal
// control problem formulations for solving the muscle redundancy problem. Ann Biomed Eng
// 44:2922-2936, doi:10.1007/s10439-016-1591-9 (Supplementary Material, "muscle model").
//
// Every curve returns its value and its first and second derivative with respect to its
// argument. All functions are finite for every finite argument: exponent arguments are clamped
// (beyond the clamp the curve is constant and its derivatives are zero) and no division by a
// quantity that can vanish is performed.

#ifndef PULLEY_MUSCLE_CURVES_HPP_
#define PULLEY_MUSCLE_CURVES_HPP_

namespace pulley::muscle {

// Value and derivatives of a scalar curve f(x).
struct CurvePoint {
  double f;    // curve value (dimensionless)
  double df;   // df/dx (per unit of the argument)
  double ddf;  // d^2f/dx^2 (per unit of the argument squared)
};

// Published constants (De Groote 2016, Supplementary Material). The active force-length and
// force-velocity constants were checked against opensim-core
// OpenSim/Actuators/DeGrooteFregly2016Muscle.h (commit 07984b6f), whose b-values agree with
// these to the three published decimals (OpenSim re-fits b11, d1 and d4 and changes c2, c3 so
// that the curves pass exactly through (1, 1), (0, 1), (-1, 0) and (1, 0); we keep the
// published values, see the key-point tests for the resulting offsets).
namespace curve_constants {

// Active force-length: three Gaussian-like terms (b1i, b2i, b3i, b4i).
inline constexpr double kB[3][4] = {
    {0.815, 1.055, 0.162, 0.063},
    {0.433, 0.717, -0.030, 0.200},
    {0.100, 1.000, 0.35355339059327373, 0.000},  // b33 = 0.5 * sqrt(0.5)
};
// Steepest (most negative) slope of the active force-length curve, a safe lower bound of
// min df_L/dl over all l (the curve's minimum slope is -2.180 at l = 1.274).
inline constexpr double kActiveForceLengthMinSlope = -2.2;
// Where the active curve ends, in l_M_norm: OpenSim's default ActiveForceLengthCurve
// (Millard et al. 2013, J Biomech Eng 135:021005; opensim-core ActiveForceLengthCurve.cpp,
// min_norm_active_fiber_length 0.47 - 0.0259 and max_norm_active_fiber_length 1.8123, after
// Gollapudi & Lin 2009). De Groote's curve falls to 3.4 % and 2.8 % of its peak there, so these
// are its own ends; a unit whose curve ends elsewhere stretches it (active_length_min/max in
// MusculotendonParameters).
inline constexpr double kActiveLengthMin = 0.4441;
inline constexpr double kActiveLengthMax = 1.8123;
// Width (in l_M_norm, centred on 1) over which the stretch of the ascending limb blends into that
// of the descending limb, so that a stretched curve stays C2. chosen: narrow beside the limbs
// (0.56 and 0.81 wide) and wide enough that the blend adds at most 5 % to the map's slope.
inline constexpr double kActiveStretchBlendWidth = 0.1;

// Passive force-length.
inline constexpr double kPE = 4.0;  // exponential shape factor
inline constexpr double kE0 = 0.6;  // passive fibre strain at unit normalised force
// Width of the C2 blend that takes the passive curve to zero at and below l_M_norm = 1.
inline constexpr double kPassiveBlendWidth = 0.1;

// Tendon force-length.
inline constexpr double kC1 = 0.200;
inline constexpr double kC2 = 0.995;
inline constexpr double kC3 = 0.250;
inline constexpr double kT = 35.0;

// Force-velocity.
inline constexpr double kD1 = -0.318;
inline constexpr double kD2 = -8.149;
inline constexpr double kD3 = -0.374;
inline constexpr double kD4 = 0.886;

// Largest argument passed to exp(); exp(200) ~ 7e86 keeps products of forces finite.
inline constexpr double kMaxExpArgument = 200.0;
// |v_M_norm| is clamped to this before evaluating the force-velocity curve.
inline constexpr double kMaxAbsVelocityNorm = 1.0e6;

}  // namespace curve_constants

// Active force-length multiplier f_L(l_M_norm), l_M_norm = l_M / l_M_opt:
//   f_L = sum_i b1i * exp(-0.5 * (l - b2i)^2 / (b3i + b4i * l)^2).
// Positive for every finite argument; peaks at f_L(1.0136) = 1.0005, f_L(1) = 0.99933.
CurvePoint active_force_length(double l_M_norm);

// How far De Groote's active curve is stretched, per limb, for a unit whose curve ends at
// `length_min` < 1 < `length_max` (normalised fibre lengths) instead of kActiveLengthMin and
// kActiveLengthMax: the curve is read at x = 1 + (l - 1) s, s = (1 - kActiveLengthMin) /
// (1 - length_min) on the ascending limb and (kActiveLengthMax - 1) / (length_max - 1) on the
// descending one. Both are 1 for the default ends, below 1 for a wider curve.
struct ActiveCurveStretch {
  double ascending, descending;
};
ActiveCurveStretch active_curve_stretch(double length_min, double length_max);

// De Groote's active curve stretched per limb (active_curve_stretch), the two factors blended C2
// over kActiveStretchBlendWidth about l = 1. With both factors 1 it is active_force_length
// exactly. Requires both factors <= 1 (a wider curve, never a narrower one, so
// kActiveForceLengthMinSlope still bounds its slope).
CurvePoint stretched_active_force_length(double l_M_norm, ActiveCurveStretch stretch);

// Passive fibre force-length multiplier f_PE(l_M_norm). Published form
//   g(l) = (exp(kPE * (l - 1) / e0) - 1) / (exp(kPE) - 1),
// which is negative below l = 1. We use f_PE = g(l) * s(t), t = (l - 1) / w, w = 0.1, with the
// quintic smoothstep s(t) = 6t^5 - 15t^4 + 10t^3 clamped to [0, 1]: f_PE is exactly 0 for
// l <= 1, exactly g(l) for l >= 1.1, twice continuously differentiable, monotone and >= 0. Inside
// the blend it is below g by at most g(1.1) = 0.018.
CurvePoint passive_force_length(double l_M_norm);

// Tendon force-length multiplier f_T(l_T_norm), l_T_norm = l_T / l_T_slack:
//   f_T = c1 * exp(kT * (l - c2)) - c3.
// Published constants: f_T(1) = -0.0117, f_T = 0 at l = 1.00138, f_T = 1 at l = 1.04736.
CurvePoint tendon_force_length(double l_T_norm);

// Exact inverse of tendon_force_length for f_T_norm >= 0 (negative input is treated as 0):
//   l_T_norm = c2 + ln((f + c3) / c1) / kT.
double tendon_length_norm_for_force(double f_T_norm);

// Force-velocity multiplier f_V(v_M_norm), v_M_norm = v_M / (v_M_max * l_M_opt) in [-1, 1],
// positive = lengthening:
//   f_V = d1 * ln(d2 * v + d3 + sqrt((d2 * v + d3)^2 + 1)) + d4 = d1 * asinh(d2 * v + d3) + d4.
// Published constants: f_V(0) = 1.0023, f_V(-1) = 0.0121, f_V(1) = 1.7889.
CurvePoint force_velocity(double v_M_norm);

// Inverse of force_velocity: v_M_norm = (sinh((f_V - d4) / d1) - d3) / d2. (The supplement
// omits the "- d3"; see the OpenSim header cited above.) The sinh argument is clamped to
// [-700, 700] so the result stays finite.
double velocity_norm_for_force_velocity(double f_V);

}  // namespace pulley::muscle

#endif  // PULLEY_MUSCLE_CURVES_HPP_
