// Hill-type musculotendon unit: static fibre-tendon equilibrium and the closed-form activation
// for a given tendon force. Curves and model: De Groote F, Kinney AL, Rao AV, Fregly BJ (2016),
// Ann Biomed Eng 44:2922-2936, doi:10.1007/s10439-016-1591-9. See musculotendon.hpp.

#include "pulley/muscle/musculotendon.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include "pulley/muscle/curves.hpp"

namespace pulley::muscle {

namespace {

namespace cc = curve_constants;

constexpr double kDefaultRelativeTolerance = 1e-9;  // times F_ref
constexpr double kMinActiveForceLength = 1e-3;      // floor of f_L in activation_for_tendon_force
constexpr int kScanIntervals = 32;                  // grid for the shortest-fibre root
constexpr double kMaxStiffness = 1e300;             // N/m, keeps reported stiffness finite
constexpr double kMaxTendonForceNorm = 1e6;         // clamp of F_T / F_ref for the inverse

// Series stiffness of tendon k_T and fibre along the axis k_x: 1/K = 1/k_T + 1/k_x, i.e.
// K = k_T k_x / (k_T + k_x), evaluated as k_s / (1 + k_s / k_l) (k_l the larger magnitude) to
// avoid overflow. Near a fold of the equilibrium curve (k_T + k_x -> 0) the denominator is kept
// away from 0 and the result is clamped, so K stays finite.
double series_stiffness(double k_T, double k_x) {
  const bool tendon_larger = std::abs(k_T) >= std::abs(k_x);
  const double k_l = tendon_larger ? k_T : k_x;
  const double k_s = tendon_larger ? k_x : k_T;
  if (!(std::abs(k_l) > 0.0)) return 0.0;
  double den = 1.0 + k_s / k_l;  // in [0, 2]
  if (std::abs(den) < 1e-12) den = std::copysign(1e-12, den);
  return std::clamp(k_s / den, -kMaxStiffness, kMaxStiffness);
}

// Isometric fibre/tendon quantities at fibre projection x (m) for length l_MT.
struct Evaluation {
  PennationGeometry g;
  double l_T;    // tendon length l_MT - x (m)
  double F_T;    // tendon force (N)
  double k_T;    // tendon stiffness dF_T/dl_T (N/m)
  double F_A;    // active fibre force along the fibre (N)
  double F_P;    // passive fibre force along the fibre (N)
  double k_x;    // fibre stiffness along the axis dG/dx, G = (F_A + F_P) cos(alpha) (N/m)
  double R;      // residual F_T - G (N)
  double dR_dx;  // -k_T - k_x (N/m)
};

// The unit's constant geometry, computed once per solve: fibre height and shortest projection.
struct FibreConstants {
  double h, x_min;
};

FibreConstants fibre_constants(const MusculotendonParameters& p) {
  return {fibre_height(p), minimum_fibre_projection(p)};
}

// pennation_from_projection with the constants given and the pennation angle left out (NaN): the
// solver's iterations need only its cosine; make_state adds the angle to the state it returns.
PennationGeometry projection_geometry(const FibreConstants& c, double x) {
  const bool clamped = !(x >= c.x_min);
  const double xc = clamped ? c.x_min : x;
  const double l_M = std::hypot(xc, c.h);  // l_M = sqrt(x^2 + h^2)
  return {xc, l_M, std::numeric_limits<double>::quiet_NaN(), xc / l_M, clamped};
}

Evaluation evaluate(const MusculotendonParameters& p, const FibreConstants& c, double a,
                    double l_MT, double x) {
  Evaluation e;
  e.g = projection_geometry(c, x);
  const double l_M_norm = e.g.l_M / p.l_M_opt;
  const CurvePoint fl = active_fibre_curve(p, l_M_norm);
  const CurvePoint fpe = passive_fibre_curve(p, l_M_norm);
  e.F_A = p.F_M_max * a * fl.f;               // F_A = F_M_max a f_L
  e.F_P = p.F_ref * p.passive_scale * fpe.f;  // F_P = F_ref s_P f_PE
  const double F_M = e.F_A + e.F_P;
  const double dF_M_dl_M = (p.F_M_max * a * fl.df + p.F_ref * p.passive_scale * fpe.df) / p.l_M_opt;
  const double cos_a = e.g.cos_alpha;
  const double sin_a = c.h / e.g.l_M;
  // dl_M/dx = cos(alpha), dcos(alpha)/dx = sin^2(alpha) / l_M:
  // k_x = dF_M/dl_M cos^2(alpha) + F_M sin^2(alpha) / l_M.
  e.k_x = dF_M_dl_M * cos_a * cos_a + F_M * sin_a * sin_a / e.g.l_M;
  e.l_T = l_MT - e.g.x;
  const CurvePoint ft = tendon_force_length(e.l_T / p.l_T_slack);
  e.F_T = p.F_ref * ft.f;                 // F_T = F_ref f_T
  e.k_T = p.F_ref * ft.df / p.l_T_slack;  // k_T = F_ref f_T' / l_T_slack
  e.R = e.F_T - F_M * cos_a;              // R = F_T - (F_A + F_P) cos(alpha)
  e.dR_dx = -e.k_T - e.k_x;
  return e;
}

FibreTendonState make_state(const FibreConstants& c, const Evaluation& e, double a, double l_MT,
                            double F_T) {
  const double alpha = std::atan2(c.h, e.g.x);  // as pennation_from_projection gives it
  return {l_MT, e.g.l_M, e.l_T, alpha, a, F_T, e.F_A, e.F_P, series_stiffness(e.k_T, e.k_x)};
}

}  // namespace

bool parameters_valid(const MusculotendonParameters& p) {
  const double v[] = {p.F_M_max,   p.F_ref,   p.l_M_opt,       p.l_T_slack,
                      p.alpha_opt, p.v_M_max, p.passive_scale, p.passive_strain_at_zero_force,
                      p.passive_strain_at_one_norm_force, p.active_length_min,
                      p.active_length_max};
  for (double d : v) {
    if (!std::isfinite(d)) return false;
  }
  // chosen: the passive curve may start before the optimal fibre length (e_z < 0), but not
  // below half of it, a fibre shorter than any the model's units reach (their fitted e_z lie
  // between -0.16 and +0.20, models/default/muscles.yaml; a subject's fascicle_length of 0.6-1.5
  // divides them, model/compile.cpp: -0.27 to +0.33).
  return p.F_M_max > 0.0 && p.F_ref > 0.0 && p.l_M_opt > 0.0 && p.l_T_slack > 0.0 &&
         p.alpha_opt >= 0.0 && p.alpha_opt < 0.5 * std::numbers::pi && p.v_M_max > 0.0 &&
         p.passive_scale >= 0.0 && p.passive_strain_at_zero_force > -0.5 &&
         p.passive_strain_at_one_norm_force > p.passive_strain_at_zero_force &&
         // chosen: a curve no narrower than De Groote's (its slope bound holds), and no wider
         // than from 0.1 to 3 optimal lengths (Rajagopal 2016's, the widest used, is 0.25-1.9).
         p.active_length_min >= 0.1 && p.active_length_min <= cc::kActiveLengthMin &&
         p.active_length_max >= cc::kActiveLengthMax && p.active_length_max <= 3.0;
}

double fibre_height(const MusculotendonParameters& p) {
  return p.l_M_opt * std::sin(p.alpha_opt);  // h = l_M_opt sin(alpha_opt)
}

double minimum_fibre_projection(const MusculotendonParameters& p) {
  return 0.01 * p.l_M_opt * std::cos(p.alpha_opt);  // x_min = 0.01 l_M_opt cos(alpha_opt)
}

PennationGeometry pennation_from_projection(const MusculotendonParameters& p, double x) {
  const FibreConstants c = fibre_constants(p);
  PennationGeometry g = projection_geometry(c, x);
  g.alpha = std::atan2(c.h, g.x);
  return g;
}

double active_fibre_force(const MusculotendonParameters& p, double activation, double l_M,
                          double v_M_norm) {
  return p.F_M_max * activation * active_fibre_curve(p, l_M / p.l_M_opt).f *
         force_velocity(v_M_norm).f;
}

double passive_fibre_force(const MusculotendonParameters& p, double l_M) {
  return p.F_ref * p.passive_scale * passive_fibre_curve(p, l_M / p.l_M_opt).f;
}

namespace {

// s = e0 / (e_1 - e_z): how much De Groote's curve is stretched for a unit's passive strains.
double passive_stretch(const MusculotendonParameters& p) {
  return cc::kE0 / (p.passive_strain_at_one_norm_force - p.passive_strain_at_zero_force);
}

// x = 1 + (l - 1 - e_z) s;  f(l) = f_PE(x), f' = s f_PE', f'' = s^2 f_PE''.
CurvePoint stretched_passive_curve(double l_M_norm, double strain_at_zero_force, double stretch) {
  const CurvePoint c = passive_force_length(1.0 + (l_M_norm - 1.0 - strain_at_zero_force) * stretch);
  return {c.f, c.df * stretch, c.ddf * stretch * stretch};
}

}  // namespace

CurvePoint passive_fibre_curve(const MusculotendonParameters& p, double l_M_norm) {
  return stretched_passive_curve(l_M_norm, p.passive_strain_at_zero_force, passive_stretch(p));
}

CurvePoint active_fibre_curve(const MusculotendonParameters& p, double l_M_norm) {
  return stretched_active_force_length(
      l_M_norm, active_curve_stretch(p.active_length_min, p.active_length_max));
}

double tendon_force(const MusculotendonParameters& p, double l_T) {
  return p.F_ref * tendon_force_length(l_T / p.l_T_slack).f;
}

const char* to_string(EquilibriumStatus status) {
  switch (status) {
    case EquilibriumStatus::converged:
      return "converged";
    case EquilibriumStatus::max_iterations:
      return "max_iterations";
    case EquilibriumStatus::degenerate_geometry:
      return "degenerate_geometry";
  }
  return "unknown";
}

EquilibriumResult solve_static_equilibrium(const MusculotendonParameters& p, double activation,
                                           double l_MT) {
  return solve_static_equilibrium(p, activation, l_MT, kDefaultRelativeTolerance * p.F_ref);
}

EquilibriumResult solve_static_equilibrium(const MusculotendonParameters& p, double activation,
                                           double l_MT, double tolerance_N, int max_iterations) {
  assert(parameters_valid(p));
  assert(std::isfinite(l_MT));
  assert(activation >= 0.0 && activation <= 1.0);
  assert(tolerance_N > 0.0 && max_iterations >= 1);
  const double a = std::clamp(activation, 0.0, 1.0);
  const double tol = tolerance_N;

  const FibreConstants c = fibre_constants(p);
  auto result = [&](const Evaluation& e, EquilibriumStatus status, int iterations) {
    return EquilibriumResult{make_state(c, e, a, l_MT, e.F_T), status, iterations, e.R};
  };

  // Bracket [x_min, x_max]: any equilibrium has F_T = G >= 0, i.e. l_T >= l_T0, so R(x_max) =
  // -G(x_max) <= 0; R(x_min) > 0 unless the unit is too short for any equilibrium.
  const double x_min = c.x_min;
  const double l_T0 = p.l_T_slack * tendon_length_norm_for_force(0.0);
  const double x_max = l_MT - l_T0;
  // R' = -(k_T + k_x) < 0 everywhere (one root at most) if the most negative fibre stiffness,
  // a F_M_max min(f_L') / l_M_opt, is smaller in magnitude than the smallest tendon stiffness,
  // k_T(l_T0) = F_ref kT c3 / l_T_slack (since f_T' = kT (f_T + c3)).
  const double k_fibre_min = a * p.F_M_max * cc::kActiveForceLengthMinSlope / p.l_M_opt;
  const double k_T0 = p.F_ref * cc::kT * cc::kC3 / p.l_T_slack;
  const bool monotone = k_T0 + k_fibre_min > 0.0;

  // Too short for any equilibrium: even the shortest admissible fibre pulls harder than the
  // tendon. The clamped state is reported; a slack tendon carries no force.
  const auto too_short = [&](Evaluation e) {
    const double F_T = std::max(e.F_T, 0.0);
    e.R = F_T - (e.F_A + e.F_P) * e.g.cos_alpha;
    return EquilibriumResult{make_state(c, e, a, l_MT, F_T),
                             EquilibriumStatus::degenerate_geometry, 0, e.R};
  };

  double lo = x_min, hi = x_max;
  double x;
  std::optional<Evaluation> best;
  // Whether R(lo) > 0 is known: evaluated at x_min, or lo an iterate with R > 0.
  bool lo_checked = false;
  if (monotone && x_max > x_min) {
    // One root at most: Newton from the tendon stretched by the fibre force at the rigid-tendon
    // fibre length, the bracket's ends evaluated only where an iterate needs them (below).
    const Evaluation rigid = evaluate(p, c, a, l_MT, l_MT - p.l_T_slack);
    const double G = (rigid.F_A + rigid.F_P) * rigid.g.cos_alpha;
    x = l_MT - p.l_T_slack * tendon_length_norm_for_force(G / p.F_ref);
  } else {
    const Evaluation e_min = evaluate(p, c, a, l_MT, x_min);
    if (std::abs(e_min.R) <= tol) return result(e_min, EquilibriumStatus::converged, 0);
    if (e_min.R < 0.0 || !(x_max > x_min)) return too_short(e_min);
    const Evaluation e_max = evaluate(p, c, a, l_MT, x_max);
    if (std::abs(e_max.R) <= tol) return result(e_max, EquilibriumStatus::converged, 0);
    best = e_min.R < -e_max.R ? e_min : e_max;
    lo_checked = true;
    // Shortest-fibre root: first sign change of R on a uniform grid from x_min.
    double x_prev = lo;
    for (int i = 1; i <= kScanIntervals; ++i) {
      const double xi = i == kScanIntervals ? x_max : x_min + (x_max - x_min) * i / kScanIntervals;
      const Evaluation ei = (i == kScanIntervals) ? e_max : evaluate(p, c, a, l_MT, xi);
      if (std::abs(ei.R) <= tol) return result(ei, EquilibriumStatus::converged, 0);
      if (ei.R < 0.0) {
        lo = x_prev;
        hi = xi;
        break;
      }
      x_prev = xi;
    }
    x = 0.5 * (lo + hi);
  }
  if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);

  // Safeguarded Newton: keep R(lo) > 0 > R(hi); take the Newton step if it stays inside the
  // bracket and at least halves the step before last, otherwise bisect.
  double step_old = hi - lo;
  double step = step_old;
  for (int it = 1; it <= max_iterations; ++it) {
    const Evaluation e = evaluate(p, c, a, l_MT, x);
    if (!best || std::abs(e.R) < std::abs(best->R)) best = e;
    if (std::abs(e.R) <= tol) return result(e, EquilibriumStatus::converged, it);
    if (e.R > 0.0) {
      lo = x;
      lo_checked = true;
    } else {
      hi = x;
      if (!lo_checked) {
        // The root lies below x if anywhere: R(x_min) is needed now, and says whether it is.
        const Evaluation e_min = evaluate(p, c, a, l_MT, x_min);
        if (std::abs(e_min.R) <= tol) return result(e_min, EquilibriumStatus::converged, it);
        if (e_min.R < 0.0) return too_short(e_min);
        if (e_min.R < std::abs(best->R)) best = e_min;
        lo_checked = true;
      }
    }
    const double x_newton = x - e.R / e.dR_dx;  // Newton: x+ = x - R / R'
    const bool newton_ok = e.dR_dx < 0.0 && x_newton > lo && x_newton < hi &&
                           std::abs(x_newton - x) < 0.5 * std::abs(step_old);
    step_old = step;
    if (newton_ok) {
      step = x_newton - x;
      x = x_newton;
    } else {
      step = 0.5 * (hi - lo);
      x = lo + step;
    }
    const double resolution = 4.0 * std::numeric_limits<double>::epsilon() * std::abs(hi);
    if (hi - lo <= resolution) return result(*best, EquilibriumStatus::max_iterations, it);
  }
  return result(*best, EquilibriumStatus::max_iterations, max_iterations);
}

ActivationConstants activation_constants(const MusculotendonParameters& p) {
  assert(parameters_valid(p));
  ActivationConstants c;
  c.F_M_max = p.F_M_max;
  c.inv_F_ref = 1.0 / p.F_ref;
  c.F_max = kMaxTendonForceNorm * p.F_ref;
  c.l_T_slack = p.l_T_slack;
  c.x_min = minimum_fibre_projection(p);
  c.h = fibre_height(p);
  c.inv_l_M_opt = 1.0 / p.l_M_opt;
  c.passive_force = p.F_ref * p.passive_scale;
  c.passive_strain_at_zero_force = p.passive_strain_at_zero_force;
  c.passive_stretch = passive_stretch(p);
  c.active_stretch = active_curve_stretch(p.active_length_min, p.active_length_max);
  return c;
}

namespace {

// activation_for_tendon_force with the intermediate quantities that its fibre-tendon state needs;
// the optimiser's lean path (activation_derivatives) leaves them unused.
struct ActivationCore {
  ActivationDerivatives d;
  double F, f, x, l_M, l_T, cos_a, a_x, D, P;  // F: F_T after its clamp
};

inline ActivationCore activation_core(const ActivationConstants& c, double F_T, double l_MT,
                                      const FibreMotion& motion) {
  assert(std::isfinite(F_T) && std::isfinite(l_MT));
  ActivationCore out;
  // F_T is clamped to [0, 1e6 F_ref] so every intermediate stays finite.
  const bool force_clamped = !(F_T >= 0.0 && F_T <= c.F_max);
  const double F = std::clamp(F_T, 0.0, c.F_max);
  out.F = F;
  out.d.degenerate = force_clamped;

  // Tendon: l_T = l_T_slack n(f), f = F / F_ref, n = c2 + ln((f + c3) / c1) / kT;
  // n' = 1 / (kT (f + c3)), n'' = -1 / (kT (f + c3)^2).
  const double f = F * c.inv_F_ref;
  out.f = f;
  const double l_T = c.l_T_slack * tendon_length_norm_for_force(f);
  out.l_T = l_T;
  const double dn_df = 1.0 / (cc::kT * (f + cc::kC3));
  const double d2n_df2 = -dn_df / (f + cc::kC3);
  const double dlT_dF = c.l_T_slack * dn_df * c.inv_F_ref;
  const double d2lT_dF2 = c.l_T_slack * d2n_df2 * c.inv_F_ref * c.inv_F_ref;

  // Fibre projection x = l_MT - l_T, clamped at x_min.
  const bool x_clamped = !(l_MT - l_T >= c.x_min);
  const double x = x_clamped ? c.x_min : l_MT - l_T;
  out.x = x;
  out.d.degenerate |= x_clamped;

  // Geometry: l_M = sqrt(x^2 + h^2), l_M' = x / l_M = cos(alpha), l_M'' = h^2 / l_M^3;
  // s = 1 / cos(alpha) = l_M / x, s' = -h^2 / (l_M x^2), s'' = h^2 (1 / (l_M^3 x) + 2 / (l_M x^3)).
  // x >= x_min > 0 and h < l_M_opt: x^2 + h^2 neither overflows nor underflows.
  const double h2 = c.h * c.h;
  const double l_M = std::sqrt(x * x + h2);
  out.l_M = l_M;
  const double inv_l_M = 1.0 / l_M;
  const double inv_x = 1.0 / x;
  const double cos_a = x * inv_l_M;
  out.cos_a = cos_a;
  const double lM_x = cos_a;
  const double lM_xx = h2 * inv_l_M * inv_l_M * inv_l_M;
  const double s = l_M * inv_x;
  const double s_x = -h2 * inv_l_M * inv_x * inv_x;
  const double s_xx = h2 * inv_l_M * inv_x * (inv_l_M * inv_l_M + 2.0 * inv_x * inv_x);

  // Passive force P(x) = F_ref s_P f_PE(l_M / l_M_opt) and its x-derivatives (the unit's curve,
  // passive_fibre_curve).
  const double inv_opt = c.inv_l_M_opt;
  const double l_M_norm = l_M * inv_opt;
  const CurvePoint fpe =
      stretched_passive_curve(l_M_norm, c.passive_strain_at_zero_force, c.passive_stretch);
  const double kP = c.passive_force;
  const double P = kP * fpe.f;
  out.P = P;
  const double P_x = kP * fpe.df * inv_opt * lM_x;
  const double P_xx = kP * (fpe.ddf * inv_opt * inv_opt * lM_x * lM_x + fpe.df * inv_opt * lM_xx);

  // Active capacity D(x) = F_M_max f_L(l_M / l_M_opt) g(l_M), floored at F_M_max * 1e-3, with
  // g = f_V(k (l_M - l_M_previous)), k = motion.inverse_length_rate, for a fibre in motion and
  // g = 1 otherwise: L = f_L g, L_x = f_L' l_M' g + f_L g', L_xx = f_L'' g + 2 f_L' g' + f_L g''
  // (each f_L term in x through l_M(x)).
  const CurvePoint fl = stretched_active_force_length(l_M_norm, c.active_stretch);
  const double fl_x = fl.df * inv_opt * lM_x;
  const double fl_xx = fl.ddf * inv_opt * inv_opt * lM_x * lM_x + fl.df * inv_opt * lM_xx;
  double L = fl.f, L_x = fl_x, L_xx = fl_xx;
  const double k = motion.inverse_length_rate;
  if (k > 0.0) {
    const CurvePoint fv = force_velocity(k * (l_M - motion.l_M_previous));
    const double g_x = fv.df * k * lM_x;
    const double g_xx = fv.ddf * k * k * lM_x * lM_x + fv.df * k * lM_xx;
    L = fl.f * fv.f;
    L_x = fl_x * fv.f + fl.f * g_x;
    L_xx = fl_xx * fv.f + 2.0 * fl_x * g_x + fl.f * g_xx;
  }
  double D, D_x, D_xx;
  if (!(L >= kMinActiveForceLength)) {
    D = c.F_M_max * kMinActiveForceLength;
    D_x = D_xx = 0.0;
    out.d.degenerate = true;
  } else {
    D = c.F_M_max * L;
    D_x = c.F_M_max * L_x;
    D_xx = c.F_M_max * L_xx;
  }
  out.D = D;

  // a(F, x) = N / D with N = F s - P.
  const double inv_D = 1.0 / D;
  const double N = F * s - P;
  const double N_x = F * s_x - P_x;
  const double N_xx = F * s_xx - P_xx;
  const double a = N * inv_D;
  const double a_F = s * inv_D;                                     // da/dF at fixed x
  const double a_x = (N_x - a * D_x) * inv_D;                       // from (a D)' = N'
  const double a_Fx = (s_x - a_F * D_x) * inv_D;                    // d/dx (s / D)
  const double a_xx = (N_xx - 2.0 * a_x * D_x - a * D_xx) * inv_D;  // from (a D)'' = N''
  out.a_x = a_x;

  out.d.activation = a;
  if (x_clamped) {  // x fixed at x_min: only the direct dependence on F remains
    out.d.da_dF = force_clamped ? 0.0 : a_F;
    out.d.d2a_dF2 = 0.0;
    out.d.da_dl_MT = 0.0;
  } else {
    // Chain rule through x(F, l_MT) with x_F = -l_T', x_FF = -l_T'', x_l = 1:
    // a_F,tot = a_F + a_x x_F;  a_FF,tot = 2 a_Fx x_F + a_xx x_F^2 + a_x x_FF (a_FF = 0: N is
    // linear in F).
    const double x_F = -dlT_dF, x_FF = -d2lT_dF2;
    out.d.da_dF = force_clamped ? 0.0 : a_F + a_x * x_F;
    out.d.d2a_dF2 = force_clamped ? 0.0 : 2.0 * a_Fx * x_F + a_xx * x_F * x_F + a_x * x_FF;
    out.d.da_dl_MT = a_x;
  }
  return out;
}

}  // namespace

ActivationDerivatives activation_derivatives(const ActivationConstants& c, double F_T, double l_MT,
                                             const FibreMotion& motion) {
  return activation_core(c, F_T, l_MT, motion).d;
}

double fibre_length_for_tendon_force(const ActivationConstants& c, double F_T, double l_MT) {
  const double F = std::clamp(F_T, 0.0, c.F_max);  // as activation_core
  const double l_T = c.l_T_slack * tendon_length_norm_for_force(F * c.inv_F_ref);
  const double x = std::max(l_MT - l_T, c.x_min);
  return std::sqrt(x * x + c.h * c.h);
}

double fibre_inverse_length_rate(const MusculotendonParameters& p, double dt) {
  assert(dt > 0.0);
  return 1.0 / (dt * p.v_M_max * p.l_M_opt);
}

ActivationForForce activation_for_tendon_force(const MusculotendonParameters& p, double F_T,
                                               double l_MT) {
  return activation_for_tendon_force(p, F_T, l_MT, FibreMotion{});
}

ActivationForForce activation_for_tendon_force(const MusculotendonParameters& p, double F_T,
                                               double l_MT, const FibreMotion& motion) {
  const ActivationConstants c = activation_constants(p);
  const ActivationCore core = activation_core(c, F_T, l_MT, motion);
  ActivationForForce out;
  out.activation = core.d.activation;
  out.da_dF = core.d.da_dF;
  out.d2a_dF2 = core.d.d2a_dF2;
  out.da_dl_MT = core.d.da_dl_MT;
  // Fibre stiffness along the axis at fixed a: k_x = dG/dx = -a_x D cos(alpha) (from
  // F = (a D + P) cos(alpha)); tendon stiffness k_T = 1 / l_T'(F).
  const double k_x = -core.a_x * core.D * core.cos_a;
  const double k_T = std::min(p.F_ref * cc::kT * (core.f + cc::kC3) / p.l_T_slack, kMaxStiffness);
  const double a = core.d.activation;
  out.state = {l_MT, core.l_M, core.l_T, std::atan2(c.h, core.x), a, core.F, a * core.D, core.P,
               series_stiffness(k_T, k_x)};
  out.degenerate = core.d.degenerate;
  return out;
}

}  // namespace pulley::muscle
