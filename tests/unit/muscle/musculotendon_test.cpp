// Tests of the musculotendon unit: pennation, static equilibrium, closed-form activation.

#include "pulley/muscle/musculotendon.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <vector>

#include "pulley/muscle/curves.hpp"

namespace pulley::muscle {
namespace {

// Hamstring-like (moderate tendon) and soleus-like (long compliant tendon) muscles.
constexpr MusculotendonParameters kHamstring{1300.0, 1300.0, 0.0976, 0.325, 0.176, 10.0, 1.0};
constexpr MusculotendonParameters kSoleus{3549.0, 3549.0, 0.044, 0.248, 0.4, 10.0, 1.0};
// Stress case: strength-trained (F_M_max = 3 F_ref) soleus fibres on a 2 m tendon. The fibre's
// negative stiffness on the descending limb exceeds the tendon's, and R(x) has three roots for
// l_MT - l_T_slack in about [0.164, 0.188] m at full activation.
constexpr MusculotendonParameters kCompliant{3 * 3549.0, 3549.0, 0.044, 2.0, 0.4, 10.0, 1.0};

constexpr double kActivations[] = {0.0, 0.01, 0.3, 1.0};

// Musculotendon lengths from short to long: l_T_slack (1 + e) + k l_M_opt cos(alpha_opt) for
// tendon strains e = 0 and 0.05 and k = 0.5 ... 1.8.
std::vector<double> lengths(const MusculotendonParameters& p) {
  std::vector<double> out;
  for (double e : {0.0, 0.05}) {
    for (int i = 0; i <= 13; ++i) {
      out.push_back(p.l_T_slack * (1.0 + e) + (0.5 + 0.1 * i) * p.l_M_opt * std::cos(p.alpha_opt));
    }
  }
  return out;
}

double tolerance(const MusculotendonParameters& p) { return 1e-9 * p.F_ref; }

// Equilibrium residual R(x) = F_T(l_MT - x) - (F_A + F_P) cos(alpha), computed from the public
// curve functions independently of the solver.
double residual_at(const MusculotendonParameters& p, double a, double l_MT, double x) {
  const PennationGeometry g = pennation_from_projection(p, x);
  const double F_A = p.F_M_max * a * active_force_length(g.l_M / p.l_M_opt).f;
  return tendon_force(p, l_MT - g.x) - (F_A + passive_fibre_force(p, g.l_M)) * g.cos_alpha;
}

bool state_finite(const FibreTendonState& s) {
  for (double v :
       {s.l_MT, s.l_M, s.l_T, s.alpha, s.activation, s.F_T, s.F_active, s.F_passive, s.stiffness}) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

// ---- Parameters and geometry ---------------------------------------------------------------

// A unit's own passive strains move the curve: zero force up to the strain at zero force, F_ref
// at the strain at unit force; the defaults give De Groote's curve unchanged.
TEST(Musculotendon, PassiveCurveFollowsTheUnitsStrains) {
  MusculotendonParameters p = kHamstring;
  for (double l : {0.9, 1.2, 1.5, 1.8})
    EXPECT_DOUBLE_EQ(passive_fibre_curve(p, l).f, passive_force_length(l).f) << l;
  p.passive_strain_at_zero_force = 0.15;
  p.passive_strain_at_one_norm_force = 0.70;
  EXPECT_TRUE(parameters_valid(p));
  EXPECT_EQ(passive_fibre_curve(p, 1.15).f, 0.0);
  EXPECT_NEAR(passive_fibre_curve(p, 1.70).f, 1.0, 1e-12);
  EXPECT_NEAR(passive_fibre_force(p, 1.70 * p.l_M_opt), p.F_ref, 1e-9 * p.F_ref);
  const double h = 1e-6;
  for (double l : {1.2, 1.4, 1.9}) {
    const CurvePoint c = passive_fibre_curve(p, l);
    EXPECT_NEAR(c.df, (passive_fibre_curve(p, l + h).f - passive_fibre_curve(p, l - h).f) / (2 * h),
                1e-6 * (1.0 + std::abs(c.df)));
    EXPECT_NEAR(c.ddf, (passive_fibre_curve(p, l + h).df - passive_fibre_curve(p, l - h).df) / (2 * h),
                1e-5 * (1.0 + std::abs(c.ddf)));
  }
  p.passive_strain_at_one_norm_force = 0.1;  // below the strain at zero force
  EXPECT_FALSE(parameters_valid(p));
}


TEST(Musculotendon, ParametersValid) {
  EXPECT_TRUE(parameters_valid(kHamstring));
  EXPECT_TRUE(parameters_valid(kSoleus));
  MusculotendonParameters bad = kHamstring;
  bad.l_M_opt = 0.0;
  EXPECT_FALSE(parameters_valid(bad));
  bad = kHamstring;
  bad.alpha_opt = 2.0;
  EXPECT_FALSE(parameters_valid(bad));
  bad = kHamstring;
  bad.F_ref = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(parameters_valid(bad));
}

TEST(Musculotendon, ConstantThicknessPennation) {
  const MusculotendonParameters& p = kSoleus;
  const double h = p.l_M_opt * std::sin(p.alpha_opt);
  // At optimal fibre length the pennation is alpha_opt.
  const PennationGeometry opt = pennation_from_projection(p, p.l_M_opt * std::cos(p.alpha_opt));
  EXPECT_NEAR(opt.l_M, p.l_M_opt, 1e-15);
  EXPECT_NEAR(opt.alpha, p.alpha_opt, 1e-14);
  EXPECT_FALSE(opt.clamped);
  for (double x = 0.01; x < 0.1; x += 0.01) {
    const PennationGeometry g = pennation_from_projection(p, x);
    EXPECT_NEAR(g.l_M * std::sin(g.alpha), h, 1e-15);
    EXPECT_NEAR(g.l_M * std::cos(g.alpha), x, 1e-15);
    EXPECT_NEAR(g.cos_alpha, std::cos(g.alpha), 1e-15);
  }
  const PennationGeometry clamped = pennation_from_projection(p, -1.0);
  EXPECT_TRUE(clamped.clamped);
  EXPECT_EQ(clamped.x, minimum_fibre_projection(p));
}

// ---- Static equilibrium --------------------------------------------------------------------

TEST(StaticEquilibrium, ResidualBelowToleranceOnGrid) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double a : kActivations) {
      for (double l_MT : lengths(p)) {
        const EquilibriumResult r = solve_static_equilibrium(p, a, l_MT);
        const FibreTendonState& s = r.state;
        SCOPED_TRACE(testing::Message()
                     << "F_M_max " << p.F_M_max << " a " << a << " l_MT " << l_MT);
        ASSERT_EQ(r.status, EquilibriumStatus::converged) << to_string(r.status);
        EXPECT_LE(r.iterations, 50);
        EXPECT_TRUE(state_finite(s));
        EXPECT_LE(std::abs(r.residual_N), tolerance(p));
        // Independent check of the state.
        const double h = p.l_M_opt * std::sin(p.alpha_opt);
        EXPECT_NEAR(s.l_M * std::sin(s.alpha), h, 1e-14);
        EXPECT_NEAR(s.l_M * std::cos(s.alpha) + s.l_T, l_MT, 1e-14);
        EXPECT_NEAR(s.F_T, tendon_force(p, s.l_T), 1e-9);
        EXPECT_NEAR(s.F_active, p.F_M_max * a * active_force_length(s.l_M / p.l_M_opt).f, 1e-9);
        EXPECT_NEAR(s.F_passive, passive_fibre_force(p, s.l_M), 1e-9);
        EXPECT_LE(std::abs(s.F_T - (s.F_active + s.F_passive) * std::cos(s.alpha)), tolerance(p));
        EXPECT_GE(s.F_T, -tolerance(p));
        EXPECT_EQ(s.activation, a);
        EXPECT_EQ(s.l_MT, l_MT);
      }
    }
  }
}

TEST(StaticEquilibrium, ChoosesShortestFibreRoot) {
  // No sign change of the residual between x_min and the returned fibre projection.
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double a : kActivations) {
      for (double l_MT : lengths(p)) {
        const EquilibriumResult r = solve_static_equilibrium(p, a, l_MT);
        const double x_star = r.state.l_M * std::cos(r.state.alpha);
        const double x_min = minimum_fibre_projection(p);
        for (int i = 0; i < 2000; ++i) {
          const double x = x_min + (x_star - x_min) * i / 2000.0;
          ASSERT_GT(residual_at(p, a, l_MT, x), -tolerance(p))
              << "a " << a << " l_MT " << l_MT << " x " << x << " x* " << x_star;
        }
      }
    }
  }
}

TEST(StaticEquilibrium, CompliantMuscleHasSeveralRootsAndShortestIsChosen) {
  // Find a case with more than one root and check the solver's choice.
  const MusculotendonParameters& p = kCompliant;
  int multi_root_cases = 0;
  for (double l_MT = p.l_T_slack + 0.15; l_MT < p.l_T_slack + 0.2; l_MT += 0.002) {
    const double x_min = minimum_fibre_projection(p);
    const double x_max = l_MT - p.l_T_slack * tendon_length_norm_for_force(0.0);
    std::vector<double> roots;
    double prev = residual_at(p, 1.0, l_MT, x_min);
    for (int i = 1; i <= 20000; ++i) {
      const double x = x_min + (x_max - x_min) * i / 20000.0;
      const double r = residual_at(p, 1.0, l_MT, x);
      if ((prev > 0.0) != (r > 0.0)) roots.push_back(x);
      prev = r;
    }
    if (roots.size() < 3) continue;
    ++multi_root_cases;
    const EquilibriumResult r = solve_static_equilibrium(p, 1.0, l_MT);
    EXPECT_EQ(r.status, EquilibriumStatus::converged);
    EXPECT_NEAR(r.state.l_M * std::cos(r.state.alpha), roots.front(), 1e-5) << l_MT;
  }
  EXPECT_GT(multi_root_cases, 0);
}

TEST(StaticEquilibrium, ForceIncreasesWithActivation) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double l_MT : lengths(p)) {
      double previous = -1.0;
      for (double a : {0.0, 0.01, 0.1, 0.3, 0.6, 1.0}) {
        const double F = solve_static_equilibrium(p, a, l_MT).state.F_T;
        EXPECT_GT(F, previous) << "a " << a << " l_MT " << l_MT;
        previous = F;
      }
    }
  }
}

TEST(StaticEquilibrium, ZeroActivationGivesPassiveForce) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus}) {
    bool saw_stretched = false;
    for (double l_MT : lengths(p)) {
      const FibreTendonState s = solve_static_equilibrium(p, 0.0, l_MT).state;
      EXPECT_EQ(s.F_active, 0.0);
      EXPECT_NEAR(s.F_T, passive_fibre_force(p, s.l_M) * std::cos(s.alpha), tolerance(p));
      if (s.l_M > 1.2 * p.l_M_opt) {
        saw_stretched = true;
        EXPECT_GT(s.F_T, 0.01 * p.F_ref);
      }
      if (s.l_M < p.l_M_opt) {
        EXPECT_NEAR(s.F_T, 0.0, tolerance(p));
      }
    }
    EXPECT_TRUE(saw_stretched);
  }
}

TEST(StaticEquilibrium, StiffnessMatchesFiniteDifferences) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    const double tol = 1e-12 * p.F_ref;
    for (double a : kActivations) {
      for (double l_MT : lengths(p)) {
        const double dl = 1e-6;
        const EquilibriumResult r = solve_static_equilibrium(p, a, l_MT, tol);
        const EquilibriumResult rp = solve_static_equilibrium(p, a, l_MT + dl, tol);
        const EquilibriumResult rm = solve_static_equilibrium(p, a, l_MT - dl, tol);
        ASSERT_EQ(rp.status, EquilibriumStatus::converged);
        ASSERT_EQ(rm.status, EquilibriumStatus::converged);
        const double fd = (rp.state.F_T - rm.state.F_T) / (2.0 * dl);
        EXPECT_NEAR(r.state.stiffness, fd, 1e-5 * std::abs(fd) + 1e-2)
            << "a " << a << " l_MT " << l_MT;
      }
    }
  }
}

// ---- Closed-form activation for a tendon force --------------------------------------------

TEST(ActivationForTendonForce, RoundTripWithEquilibrium) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double a : kActivations) {
      for (double l_MT : lengths(p)) {
        const FibreTendonState s = solve_static_equilibrium(p, a, l_MT).state;
        const ActivationForForce q = activation_for_tendon_force(p, s.F_T, l_MT);
        SCOPED_TRACE(testing::Message() << "a " << a << " l_MT " << l_MT);
        EXPECT_NEAR(q.activation, a, 1e-8);
        EXPECT_NEAR(q.state.l_M, s.l_M, 1e-12);
        EXPECT_NEAR(q.state.l_T, s.l_T, 1e-12);
        EXPECT_NEAR(q.state.alpha, s.alpha, 1e-10);
        EXPECT_NEAR(q.state.F_passive, s.F_passive, 1e-6);
        EXPECT_NEAR(q.state.stiffness, s.stiffness, 1e-6 * std::abs(s.stiffness) + 1e-3);
        EXPECT_EQ(q.state.activation, q.activation);
        if (s.F_T > 0.0) {
          EXPECT_FALSE(q.degenerate);
        }
      }
    }
  }
}

TEST(ActivationForTendonForce, DerivativesMatchFiniteDifferences) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double a : {0.05, 0.3, 1.0}) {
      for (double l_MT : lengths(p)) {
        const double F = solve_static_equilibrium(p, a, l_MT).state.F_T;
        const ActivationForForce q = activation_for_tendon_force(p, F, l_MT);
        ASSERT_FALSE(q.degenerate);
        SCOPED_TRACE(testing::Message() << "a " << a << " l_MT " << l_MT << " F " << F);
        const double dF = 1e-6 * p.F_ref;
        const ActivationForForce qp = activation_for_tendon_force(p, F + dF, l_MT);
        const ActivationForForce qm = activation_for_tendon_force(p, F - dF, l_MT);
        const double da_dF = (qp.activation - qm.activation) / (2.0 * dF);
        const double d2a_dF2 = (qp.da_dF - qm.da_dF) / (2.0 * dF);
        const double dF2 = 1e-4 * p.F_ref;  // larger step for the second difference of a
        const double d2a_dF2_b =
            (activation_for_tendon_force(p, F + dF2, l_MT).activation - 2.0 * q.activation +
             activation_for_tendon_force(p, F - dF2, l_MT).activation) /
            (dF2 * dF2);
        EXPECT_NEAR(q.da_dF, da_dF, 1e-6 * std::abs(da_dF));
        EXPECT_NEAR(q.d2a_dF2, d2a_dF2, 1e-5 * std::abs(d2a_dF2) + 1e-15);
        EXPECT_NEAR(q.d2a_dF2, d2a_dF2_b, 1e-3 * std::abs(d2a_dF2) + 1e-12);
        const double dl = 1e-7;
        const double da_dl = (activation_for_tendon_force(p, F, l_MT + dl).activation -
                              activation_for_tendon_force(p, F, l_MT - dl).activation) /
                             (2.0 * dl);
        EXPECT_NEAR(q.da_dl_MT, da_dl, 1e-6 * std::abs(da_dl) + 1e-6);
        // Stiffness at fixed activation: dF/dl_MT = -(da/dl_MT) / (da/dF).
        EXPECT_NEAR(q.state.stiffness, -q.da_dl_MT / q.da_dF, 1e-8 * std::abs(q.state.stiffness));
      }
    }
  }
}

// The optimiser's lean path: the same activation and derivatives from the per-unit constants,
// over the plain range, the guards (negative and huge forces, fibres below x_min) and a unit with
// its own passive strains; and the same activation as fibre-tendon equilibrium.
TEST(ActivationForTendonForce, LeanPathAgreesWithFullFunction) {
  MusculotendonParameters shifted = kHamstring;
  shifted.passive_strain_at_zero_force = -0.1;
  shifted.passive_strain_at_one_norm_force = 0.4;
  shifted.passive_scale = 1.7;
  const auto near = [](double lean, double full) {
    return std::abs(lean - full) <= 1e-12 * std::abs(full) + 1e-300;
  };
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant, shifted}) {
    const ActivationConstants c = activation_constants(p);
    std::vector<double> l_MTs = lengths(p);
    l_MTs.push_back(0.5 * p.l_T_slack);
    for (double l_MT : l_MTs) {
      for (double F : {-10.0, 0.0, 1.0, 0.1 * p.F_ref, p.F_ref, 3.0 * p.F_ref, 1e12}) {
        const ActivationForForce full = activation_for_tendon_force(p, F, l_MT);
        const ActivationDerivatives lean = activation_derivatives(c, F, l_MT);
        SCOPED_TRACE(testing::Message() << "F " << F << " l_MT " << l_MT);
        EXPECT_PRED2(near, lean.activation, full.activation);
        EXPECT_PRED2(near, lean.da_dF, full.da_dF);
        EXPECT_PRED2(near, lean.d2a_dF2, full.d2a_dF2);
        EXPECT_PRED2(near, lean.da_dl_MT, full.da_dl_MT);
      }
      for (double a : kActivations) {
        const FibreTendonState s = solve_static_equilibrium(p, a, l_MT).state;
        if (s.F_T > 0.0) EXPECT_NEAR(activation_derivatives(c, s.F_T, l_MT).activation, a, 1e-8);
      }
    }
  }
}

// ---- A fibre in motion (force-velocity) -------------------------------------------------------

// Previous fibre lengths around the one the force implies: shortening and lengthening at up to
// about half the maximum velocity over a 10 ms step.
std::vector<double> previous_lengths(const MusculotendonParameters& p, double l_M, double dt) {
  std::vector<double> out;
  for (double v : {-0.4, -0.1, 0.0, 0.1, 0.5}) out.push_back(l_M - v * dt * p.v_M_max * p.l_M_opt);
  return out;
}

// The activation a moving fibre needs is the one whose active force, with f_V at the velocity
// the force implies, closes the fibre-tendon equilibrium; shortening needs more than isometric,
// lengthening less; with inverse_length_rate 0 the unit is isometric.
TEST(FibreMotion, ActivationClosesTheEquilibriumAtTheImpliedVelocity) {
  const double dt = 0.01;
  for (const MusculotendonParameters& p : {kHamstring, kSoleus}) {
    const double k = fibre_inverse_length_rate(p, dt);
    EXPECT_DOUBLE_EQ(k, 1.0 / (dt * p.v_M_max * p.l_M_opt));
    for (double l_MT : lengths(p)) {
      const double F = solve_static_equilibrium(p, 0.3, l_MT).state.F_T;
      if (!(F > 0.01 * p.F_ref)) continue;
      const ActivationForForce still = activation_for_tendon_force(p, F, l_MT);
      EXPECT_EQ(activation_for_tendon_force(p, F, l_MT, FibreMotion{0.5 * still.state.l_M, 0.0})
                    .activation,
                still.activation);
      for (double l_prev : previous_lengths(p, still.state.l_M, dt)) {
        const ActivationForForce q =
            activation_for_tendon_force(p, F, l_MT, FibreMotion{l_prev, k});
        SCOPED_TRACE(testing::Message() << "l_MT " << l_MT << " l_prev " << l_prev);
        ASSERT_FALSE(q.degenerate);
        // The tendon sets the fibre's length whatever its velocity.
        EXPECT_NEAR(q.state.l_M, still.state.l_M, 1e-15);
        const double v = (q.state.l_M - l_prev) / (dt * p.v_M_max * p.l_M_opt);
        const double F_A = active_fibre_force(p, q.activation, q.state.l_M, v);
        EXPECT_NEAR((F_A + q.state.F_passive) * std::cos(q.state.alpha), F, 1e-9 * p.F_ref);
        EXPECT_NEAR(q.state.F_active, F_A, 1e-9 * p.F_ref);
        if (v < -1e-12) EXPECT_GT(q.activation, still.activation);
        if (v > 1e-12) EXPECT_LT(q.activation, still.activation);
      }
    }
  }
}

// The derivatives in F include f_V's dependence on the force (through the tendon's stretch), and
// the lean path agrees with the full function.
TEST(FibreMotion, DerivativesMatchFiniteDifferences) {
  const double dt = 0.01;
  for (const MusculotendonParameters& p : {kHamstring, kSoleus}) {
    const double k = fibre_inverse_length_rate(p, dt);
    const ActivationConstants c = activation_constants(p);
    for (double l_MT : lengths(p)) {
      const double F = solve_static_equilibrium(p, 0.3, l_MT).state.F_T;
      if (!(F > 0.01 * p.F_ref)) continue;
      const double l_M = activation_for_tendon_force(p, F, l_MT).state.l_M;
      for (double l_prev : previous_lengths(p, l_M, dt)) {
        const FibreMotion m{l_prev, k};
        const ActivationForForce q = activation_for_tendon_force(p, F, l_MT, m);
        SCOPED_TRACE(testing::Message() << "l_MT " << l_MT << " l_prev " << l_prev);
        const auto a_at = [&](double force, double length) {
          return activation_for_tendon_force(p, force, length, m).activation;
        };
        const double dF = 1e-6 * p.F_ref;
        const double da_dF = (a_at(F + dF, l_MT) - a_at(F - dF, l_MT)) / (2.0 * dF);
        const double d2a_dF2 = (activation_for_tendon_force(p, F + dF, l_MT, m).da_dF -
                                activation_for_tendon_force(p, F - dF, l_MT, m).da_dF) /
                               (2.0 * dF);
        EXPECT_NEAR(q.da_dF, da_dF, 1e-6 * std::abs(da_dF));
        EXPECT_NEAR(q.d2a_dF2, d2a_dF2, 1e-5 * std::abs(d2a_dF2) + 1e-15);
        const double dl = 1e-7;
        const double da_dl = (a_at(F, l_MT + dl) - a_at(F, l_MT - dl)) / (2.0 * dl);
        EXPECT_NEAR(q.da_dl_MT, da_dl, 1e-6 * std::abs(da_dl) + 1e-6);
        const ActivationDerivatives lean = activation_derivatives(c, F, l_MT, m);
        EXPECT_NEAR(lean.activation, q.activation, 1e-12 * std::abs(q.activation));
        EXPECT_NEAR(lean.da_dF, q.da_dF, 1e-12 * std::abs(q.da_dF));
        EXPECT_NEAR(lean.d2a_dF2, q.d2a_dF2, 1e-12 * std::abs(q.d2a_dF2));
        EXPECT_NEAR(fibre_length_for_tendon_force(c, F, l_MT), q.state.l_M, 1e-15);
      }
    }
  }
}

// Shortening faster than the maximum velocity (f_V < 0) leaves no active capacity: the floor holds
// the activation finite and flags it.
TEST(FibreMotion, ShorteningFasterThanTheMaximumIsFlaggedNotInfinite) {
  const MusculotendonParameters& p = kHamstring;
  const double dt = 0.01, l_MT = lengths(p)[5];
  const double F = solve_static_equilibrium(p, 0.3, l_MT).state.F_T;
  const double l_M = activation_for_tendon_force(p, F, l_MT).state.l_M;
  for (double v : {-1.2, -3.0, -1e9}) {
    const FibreMotion m{l_M - v * dt * p.v_M_max * p.l_M_opt, fibre_inverse_length_rate(p, dt)};
    const ActivationForForce q = activation_for_tendon_force(p, F, l_MT, m);
    EXPECT_TRUE(q.degenerate) << v;
    EXPECT_TRUE(std::isfinite(q.activation) && std::isfinite(q.da_dF) && std::isfinite(q.d2a_dF2))
        << v;
  }
}

// ---- Robustness ----------------------------------------------------------------------------

TEST(Robustness, AbsurdLengthsAndActivations) {
  for (const MusculotendonParameters& p : {kHamstring, kSoleus, kCompliant}) {
    for (double a : {0.0, 1e-12, 0.5, 1.0}) {
      for (double l_MT : {-1.0, 0.0, 1e-6, 0.1, 0.5 * p.l_T_slack, p.l_T_slack,
                          p.l_T_slack + 0.005 * p.l_M_opt, 2.0, 10.0, 1e3, 1e6, 1e300}) {
        const EquilibriumResult r = solve_static_equilibrium(p, a, l_MT);
        SCOPED_TRACE(testing::Message() << "a " << a << " l_MT " << l_MT);
        EXPECT_TRUE(state_finite(r.state));
        EXPECT_TRUE(std::isfinite(r.residual_N));
        // (At l_MT = 1e300 the tendon length l_MT - x has no significant digits left: the
        // result is finite but not converged.)
        if (r.status != EquilibriumStatus::max_iterations) {
          EXPECT_GE(r.state.F_T, -tolerance(p));
        }
        if (l_MT < p.l_T_slack) {
          EXPECT_EQ(r.status, EquilibriumStatus::degenerate_geometry);
          EXPECT_EQ(r.state.F_T, 0.0);
        }
        if (r.status == EquilibriumStatus::converged) {
          EXPECT_LE(std::abs(r.residual_N), tolerance(p));
        }
      }
    }
  }
}

TEST(Robustness, AbsurdForces) {
  const double big = 1e300;
  for (const MusculotendonParameters& p : {kHamstring, kSoleus}) {
    for (double F : {-big, -1.0, 0.0, 1e-300, 1.0, 1e6, 1e12, big}) {
      for (double l_MT : {-1.0, 0.0, p.l_T_slack, p.l_T_slack + p.l_M_opt, 10.0, 1e6}) {
        const ActivationForForce q = activation_for_tendon_force(p, F, l_MT);
        SCOPED_TRACE(testing::Message() << "F " << F << " l_MT " << l_MT);
        EXPECT_TRUE(std::isfinite(q.activation));
        EXPECT_TRUE(std::isfinite(q.da_dF));
        EXPECT_TRUE(std::isfinite(q.d2a_dF2));
        EXPECT_TRUE(std::isfinite(q.da_dl_MT));
        EXPECT_TRUE(state_finite(q.state));
        if (F < 0.0 || l_MT <= p.l_T_slack || F >= 1e12) {
          EXPECT_TRUE(q.degenerate);
        }
      }
    }
  }
  // F_T = 0 at a length with a slack fibre needs zero activation.
  const ActivationForForce q0 = activation_for_tendon_force(kHamstring, 0.0, 0.4);
  EXPECT_NEAR(q0.activation, 0.0, 1e-15);
  EXPECT_FALSE(q0.degenerate);
}

}  // namespace
}  // namespace pulley::muscle
