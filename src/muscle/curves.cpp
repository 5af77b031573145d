// Hill-model curves of De Groote et al. (2016), Ann Biomed Eng 44:2922-2936,
// doi:10.1007/s10439-016-1591-9, Supplementary Material. See curves.hpp.

#include "pulley/muscle/curves.hpp"

#include <algorithm>
#include <cmath>

namespace pulley::muscle {

namespace {

namespace cc = curve_constants;

// exp(min(z, kMaxExpArgument)) and its derivative factor (1 if not clamped, 0 if clamped).
struct ClampedExp {
  double value;
  double slope;  // d(value)/dz divided by value: 1, or 0 beyond the clamp
};

ClampedExp clamped_exp(double z) {
  if (z > cc::kMaxExpArgument) return {std::exp(cc::kMaxExpArgument), 0.0};
  return {std::exp(z), 1.0};
}

// One Gaussian-like term T = b1 * exp(-u^2 / 2), u = (l - b2) / d, d = b3 + b4 * l.
//   du/dl = c / d^2 with c = b3 + b4 * b2;  d2u/dl2 = -2 * c * b4 / d^3
//   dT/dl = -T * u * u';  d2T/dl2 = T * ((u^2 - 1) * u'^2 - u * u'').
// Terms with u^2 / 2 > 600 underflow to 0 and are skipped; this also covers d = 0. Otherwise
// |d| >= |c| / (1 + |b4 u|) stays away from 0, so the divisions are safe.
void add_gaussian_term(const double* b, double l, CurvePoint& out) {
  const double d = b[2] + b[3] * l;
  const double u = (l - b[1]) / d;
  const double half_u2 = 0.5 * u * u;
  if (!(half_u2 <= 600.0)) return;  // also rejects u = +-inf from d = 0
  const double t = b[0] * std::exp(-half_u2);
  const double c = b[2] + b[3] * b[1];
  const double du = c / (d * d);
  const double ddu = -2.0 * c * b[3] / (d * d * d);
  out.f += t;
  out.df += -t * u * du;
  out.ddf += t * ((u * u - 1.0) * du * du - u * ddu);
}

}  // namespace

CurvePoint active_force_length(double l_M_norm) {
  CurvePoint out{0.0, 0.0, 0.0};
  for (const auto& b : cc::kB) add_gaussian_term(b, l_M_norm, out);  // f_L = sum_i T_i
  return out;
}

ActiveCurveStretch active_curve_stretch(double length_min, double length_max) {
  return {(1.0 - cc::kActiveLengthMin) / (1.0 - length_min),
          (cc::kActiveLengthMax - 1.0) / (length_max - 1.0)};
}

CurvePoint stretched_active_force_length(double l_M_norm, ActiveCurveStretch stretch) {
  const double s_short = stretch.ascending, s_long = stretch.descending;
  if (s_short == 1.0 && s_long == 1.0) return active_force_length(l_M_norm);
  // s(l) = s_short + (s_long - s_short) S(t), t = (l - 1) / w + 1/2 clamped to [0, 1], S the
  // quintic smoothstep; x = 1 + (l - 1) s, x' = s + (l - 1) s', x'' = 2 s' + (l - 1) s''.
  const double w = cc::kActiveStretchBlendWidth;
  const double d = l_M_norm - 1.0;
  const double t = std::clamp(d / w + 0.5, 0.0, 1.0);
  const bool blending = t > 0.0 && t < 1.0;
  const double S = t * t * t * (10.0 + t * (-15.0 + 6.0 * t));
  const double dS = blending ? 30.0 * t * t * (1.0 - t) * (1.0 - t) / w : 0.0;
  const double ddS = blending ? 60.0 * t * (1.0 - t) * (1.0 - 2.0 * t) / (w * w) : 0.0;
  const double ds = s_long - s_short;
  const double s = s_short + ds * S;
  const double x = 1.0 + d * s;
  const double x1 = s + d * ds * dS;
  const double x2 = 2.0 * ds * dS + d * ds * ddS;
  const CurvePoint c = active_force_length(x);
  // f = f_L(x);  f' = f_L' x';  f'' = f_L'' x'^2 + f_L' x''.
  return {c.f, c.df * x1, c.ddf * x1 * x1 + c.df * x2};
}

CurvePoint passive_force_length(double l_M_norm) {
  if (!(l_M_norm > 1.0)) return {0.0, 0.0, 0.0};  // slack fibre (and blend start)
  // Published curve g = (exp(k (l - 1)) - 1) / (exp(kPE) - 1), k = kPE / e0.
  const double k = cc::kPE / cc::kE0;
  const double den = std::expm1(cc::kPE);
  const ClampedExp e = clamped_exp(k * (l_M_norm - 1.0));
  const double g = (e.value - 1.0) / den;
  const double dg = e.slope * k * e.value / den;
  const double ddg = e.slope * k * k * e.value / den;
  const double w = cc::kPassiveBlendWidth;
  if (l_M_norm >= 1.0 + w) return {g, dg, ddg};
  // Quintic smoothstep s(t) = 6t^5 - 15t^4 + 10t^3, s' = 30 t^2 (1-t)^2, s'' = 60 t (1-t)(1-2t).
  const double t = (l_M_norm - 1.0) / w;
  const double s = t * t * t * (10.0 + t * (-15.0 + 6.0 * t));
  const double ds = 30.0 * t * t * (1.0 - t) * (1.0 - t) / w;
  const double dds = 60.0 * t * (1.0 - t) * (1.0 - 2.0 * t) / (w * w);
  // f = g s;  f' = g' s + g s';  f'' = g'' s + 2 g' s' + g s''.
  return {g * s, dg * s + g * ds, ddg * s + 2.0 * dg * ds + g * dds};
}

CurvePoint tendon_force_length(double l_T_norm) {
  // f_T = c1 exp(kT (l - c2)) - c3;  f_T' = kT c1 exp(.);  f_T'' = kT^2 c1 exp(.).
  const ClampedExp e = clamped_exp(cc::kT * (l_T_norm - cc::kC2));
  const double ce = cc::kC1 * e.value;
  return {ce - cc::kC3, e.slope * cc::kT * ce, e.slope * cc::kT * cc::kT * ce};
}

double tendon_length_norm_for_force(double f_T_norm) {
  const double f = std::max(f_T_norm, 0.0);
  // l = c2 + ln((f + c3) / c1) / kT, written as a difference of logs to avoid overflow.
  return cc::kC2 + (std::log(f + cc::kC3) - std::log(cc::kC1)) / cc::kT;
}

CurvePoint force_velocity(double v_M_norm) {
  const double v = std::clamp(v_M_norm, -cc::kMaxAbsVelocityNorm, cc::kMaxAbsVelocityNorm);
  const double z = cc::kD2 * v + cc::kD3;
  const double r = std::hypot(z, 1.0);  // sqrt(z^2 + 1) without overflow
  // f = d1 asinh(z) + d4;  f' = d1 d2 / r;  f'' = -d1 d2^2 z / r^3.
  return {cc::kD1 * std::asinh(z) + cc::kD4, cc::kD1 * cc::kD2 / r,
          -cc::kD1 * cc::kD2 * cc::kD2 * (z / r) / (r * r)};
}

double velocity_norm_for_force_velocity(double f_V) {
  const double arg = std::clamp((f_V - cc::kD4) / cc::kD1, -700.0, 700.0);
  return (std::sinh(arg) - cc::kD3) / cc::kD2;  // v = (sinh((f - d4) / d1) - d3) / d2
}

}  // namespace pulley::muscle
