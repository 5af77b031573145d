// Calibration round trip: measurements simulated from known subjects spread across the normal
// range are fitted back (assess/calibration.hpp). The subjects differ in the parameters the
// standard tests are meant to see (hamstring and quadriceps strength and length, hip-flexor
// length, each side on its own); their passive stiffness and stretch tolerances stay typical and
// are fitted too, from their priors. Recovery errors are printed for docs/validation.md.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/model/model.hpp"

namespace {

using pulley::model::MeasuredTest;
using pulley::model::Side;

// The known subject: group factors per side.
struct Truth {
  double ham_strength[2], ham_length[2], quad_strength[2], quad_length[2], flexor_length[2];
};

pulley::model::Subject make_subject(const Truth& t) {
  pulley::model::Subject s;
  const auto group = [&](const char* name, const double* strength, const double* length) {
    pulley::model::MuscleAdjustment a;
    a.target = name;
    a.is_group = true;
    if (strength) a.right.strength = strength[0], a.left.strength = strength[1];
    a.right.length = length[0];
    a.left.length = length[1];
    s.muscles.push_back(a);
  };
  group("hamstrings", t.ham_strength, t.ham_length);
  group("quadriceps", t.quad_strength, t.quad_length);
  group("hip_flexors", nullptr, t.flexor_length);
  return s;
}

// Which knee strength the clinic measures: isometric torques (hip 90, knee 60 deg) or a
// dynamometer's concentric peaks at 60 deg/s.
enum class KneeStrengthTest { isometric, concentric };

// The measurements a clinic would take, simulated on the known subject.
std::vector<pulley::model::Measurement> simulate_measurements(const pulley::model::Subject& s,
                                                              KneeStrengthTest knee) {
  const auto model = pulley::model::compile_model(s);
  const auto r = pulley::assess::run_clinical_tests(model);
  EXPECT_TRUE(r.ok);
  std::vector<pulley::model::Measurement> out;
  for (const Side side : pulley::model::kSides) {
    const int k = side == Side::right ? 0 : 1;
    out.push_back({MeasuredTest::straight_leg_raise_deg, side, r.straight_leg_raise_deg[k].value});
    out.push_back({MeasuredTest::active_knee_extension_deficit_deg, side,
                   r.active_knee_extension_deficit_deg[k].value});
    out.push_back({MeasuredTest::thomas_hip_extension_deg, side, r.thomas_hip_extension_deg[k].value});
    out.push_back({MeasuredTest::thomas_knee_flexion_deg, side, r.thomas_knee_flexion_deg[k].value});
    if (knee == KneeStrengthTest::isometric) {
      out.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side,
                     r.knee_flexion_torque_nm_per_kg[k].value});
      out.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, side,
                     r.knee_extension_torque_nm_per_kg[k].value});
    } else {
      out.push_back({MeasuredTest::concentric_knee_flexion_nm_per_kg, side,
                     r.concentric_knee_flexion_nm_per_kg[k].value});
      out.push_back({MeasuredTest::concentric_knee_extension_nm_per_kg, side,
                     r.concentric_knee_extension_nm_per_kg[k].value});
    }
    out.push_back({MeasuredTest::nordic_force_n, side, r.nordic_force_n[k].value});
  }
  return out;
}

double fitted(const pulley::assess::CalibrationResult& c, const std::string& group,
              const std::string& factor, Side side) {
  for (const auto& p : c.parameters)
    if (p.group == group && p.factor == factor && p.side == side) return p.value;
  ADD_FAILURE() << group << " " << factor;
  return NAN;
}

// Twenty subjects (the same draw for either knee test), their measurements simulated and fitted
// back; the bounds below hold for both.
void round_trip(KneeStrengthTest knee) {
  // Strength 0.7-1.3 (about +-1.2 prior spreads), lengths 0.95-1.05 (+-1.25 spreads).
  std::mt19937 rng(20261122);
  std::uniform_real_distribution<double> strength(0.7, 1.3), length(0.95, 1.05);
  double worst_ham_strength = 0, worst_ham_length = 0, worst_quad_strength = 0,
         worst_z = 0, sum_ham_strength = 0, sum_ham_length = 0, sum_quad_strength = 0;
  // The hamstring length over the legs up to length 1.02 and, apart, the long legs, whose raise
  // jumped past 140 deg before the hamstrings' circle over the ischium (docs/validation.md).
  double worst_ham_length_others = 0;
  int determined_ham = 0, count = 0, legs_length_beyond = 0, long_legs = 0, parameters = 0,
      within_1sd = 0, within_2sd = 0;
  double worst_parameter_z = 0.0, worst_quadriceps_z = 0.0, worst_stiffness_z = 0.0;
  for (int i = 0; i < 20; ++i) {
    Truth t{};
    for (int k = 0; k < 2; ++k) {
      t.ham_strength[k] = strength(rng);
      t.ham_length[k] = length(rng);
      t.quad_strength[k] = strength(rng);
      t.quad_length[k] = length(rng);
      t.flexor_length[k] = length(rng);
    }
    pulley::model::Subject measured;
    measured.measurements = simulate_measurements(make_subject(t), knee);
    const auto c = pulley::assess::calibrate(measured);
    ASSERT_TRUE(c.status == pulley::assess::CalibrationStatus::fitted ||
                c.status == pulley::assess::CalibrationStatus::not_converged)
        << c.message;
    for (const auto& r : c.residuals) worst_z = std::max(worst_z, std::abs(r.normalized()));
    for (const Side side : pulley::model::kSides) {
      const int k = side == Side::right ? 0 : 1;
      const double e_hs = fitted(c, "hamstrings", "strength", side) - t.ham_strength[k];
      const double e_hl = fitted(c, "hamstrings", "length", side) - t.ham_length[k];
      const double e_qs = fitted(c, "quadriceps", "strength", side) - t.quad_strength[k];
      worst_ham_strength = std::max(worst_ham_strength, std::abs(e_hs));
      worst_ham_length = std::max(worst_ham_length, std::abs(e_hl));
      // chosen: the raise is 87 deg at hamstring length 1.02 (100 at 1.03; 141 before the circle).
      const bool long_leg = t.ham_length[k] > 1.02;
      long_legs += long_leg ? 1 : 0;
      if (!long_leg)
        worst_ham_length_others = std::max(worst_ham_length_others, std::abs(e_hl));
      if (std::abs(e_hl) > 0.01) {
        ++legs_length_beyond;
        std::printf("  hamstring length beyond 0.01: subject %d (%s) truth %.4f fitted %+.4f off\n",
                    i, k == 0 ? "right" : "left", t.ham_length[k], e_hl);
      }
      worst_quad_strength = std::max(worst_quad_strength, std::abs(e_qs));
      sum_ham_strength += e_hs * e_hs;
      sum_ham_length += e_hl * e_hl;
      sum_quad_strength += e_qs * e_qs;
      ++count;
      for (const auto& p : c.parameters)
        if (p.group == "hamstrings" && p.side == side && p.factor != "stiffness")
          determined_ham += p.determined ? 1 : 0;
    }
    // Every fitted parameter against the truth, in its own posterior spreads.
    for (const auto& p : c.parameters) {
      double truth = !p.group.empty() ? 1.0
                     : p.factor == "stretch_tolerance_hip_nm"
                         ? pulley::assess::kDefaultHipStretchToleranceNm
                         : pulley::assess::kDefaultKneeStretchToleranceNm;
      const int k = p.side == Side::left ? 1 : 0;
      if (p.group == "hamstrings" && p.factor == "strength") truth = t.ham_strength[k];
      if (p.group == "hamstrings" && p.factor == "length") truth = t.ham_length[k];
      if (p.group == "quadriceps" && p.factor == "strength") truth = t.quad_strength[k];
      if (p.group == "quadriceps" && p.factor == "length") truth = t.quad_length[k];
      if (p.group == "hip_flexors" && p.factor == "length") truth = t.flexor_length[k];
      if (p.group == "erector_spinae") continue;  // not measured: stays at its prior
      const double z = std::abs(p.value - truth) / p.sd;
      if (z > 2.0)
        std::printf("  beyond 2 sd: %s %s (%s) truth %.3f fitted %.3f sd %.3f\n", p.group.c_str(),
                    p.factor.c_str(), k == 0 ? "right" : "left", truth, p.value, p.sd);
      // The quadriceps and the hamstrings' stiffness (a miss before the active curves' ends,
      // docs/validation.md) are counted apart so that the printout shows them.
      if (p.group == "quadriceps")
        worst_quadriceps_z = std::max(worst_quadriceps_z, z);
      else if (p.factor == "stiffness")
        worst_stiffness_z = std::max(worst_stiffness_z, z);
      else
        worst_parameter_z = std::max(worst_parameter_z, z);
      within_1sd += z <= 1.0 ? 1 : 0;
      within_2sd += z <= 2.0 ? 1 : 0;
      ++parameters;
    }
  }
  std::printf(
      "recovery over %d legs: hamstring strength rms %.3f worst %.3f; hamstring length rms "
      "%.4f worst %.4f; quadriceps strength rms %.3f worst %.3f; largest |z| %.2f; hamstring "
      "strength and length determined on %d of %d\n",
      count, std::sqrt(sum_ham_strength / count), worst_ham_strength,
      std::sqrt(sum_ham_length / count), worst_ham_length, std::sqrt(sum_quad_strength / count),
      worst_quad_strength, worst_z, determined_ham, 2 * count);
  std::printf(
      "hamstring length beyond 0.01 on %d legs (%d legs longer than 1.02); worst of the others "
      "%.4f\n",
      legs_length_beyond, long_legs, worst_ham_length_others);
  std::printf(
      "parameters within 1 sd of the truth: %d of %d, within 2 sd: %d; largest %.2f sd "
      "(quadriceps: %.2f sd; hamstring stiffness: %.2f sd)\n",
      within_1sd, parameters, within_2sd, worst_parameter_z, worst_quadriceps_z,
      worst_stiffness_z);
  // Bounds fixed before the first run. The hamstrings, which the tests are built to see:
  // strength within 0.1 (0.4 prior spreads), length within 0.01 (a quarter of a spread), both
  // reported as determined on every leg; every parameter within 3 of its reported posterior
  // spreads of the truth; every measurement reproduced within 2 measurement errors. Every bound
  // holds (docs/validation.md gives the numbers). Before the knee's coupled motion the hamstrings
  // were reported as determined on 78 of 80 legs, a miss asserted here; before the leg muscles'
  // active force-length curves took Rajagopal's ends two more missed: long hamstrings (length
  // above 1.02, where the straight-leg raise reaches the model's jump) fitted up to 0.0125 off,
  // and the hamstrings' stiffness up to 4.1 of its spreads off.
  EXPECT_LT(worst_ham_strength, 0.1);
  EXPECT_LT(worst_parameter_z, 3.0);
  EXPECT_LT(worst_quadriceps_z, 3.0);
  EXPECT_LT(worst_stiffness_z, 3.0);
  EXPECT_LT(worst_z, 2.0);
  EXPECT_LT(worst_ham_length, 0.01);
  EXPECT_EQ(legs_length_beyond, 0);
  EXPECT_EQ(determined_ham, 2 * count);
}

TEST(CalibrationRoundTrip, TwentySubjectsAcrossTheNormalRange) {
  round_trip(KneeStrengthTest::isometric);
}

// The same subjects measured on an isokinetic dynamometer: the concentric peaks at 60 deg/s
// (docs/assessment.md) in place of the isometric torques; the same bounds, fixed before the run.
TEST(CalibrationRoundTrip, TwentySubjectsWithConcentricPeaks) {
  round_trip(KneeStrengthTest::concentric);
}

}  // namespace
