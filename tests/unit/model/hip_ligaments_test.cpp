// The hip's ligaments in extension (models/default/body.yaml, hip_extension_ligaments): their
// moment law, and the fit of its two constants to Riener & Edrich's (1999) in vivo passive hip
// moment, repeated here from the compiled typical subject.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"

namespace pulley {
namespace {

using model::JointLigament;
using model::Model;

Model typical_model() {
  return model::compile_model(io::parse_subject_yaml("height_m: 1.75\nmass_kg: 75\n", "t.yaml"));
}

// Riener R, Edrich T (1999) J Biomech 32:539-544: passive hip flexion moment (N m) of all passive
// structures, muscles included, at hip and knee flexion in degrees. Coefficients as read in public
// implementations (secondary; see body.yaml).
double riener_edrich_hip_nm(double hip_deg, double knee_deg) {
  return std::exp(1.4655 - 0.0034 * knee_deg - 0.0750 * hip_deg) -
         std::exp(1.3403 - 0.0226 * knee_deg + 0.0305 * hip_deg) + 8.072;
}

double ligament_shape(double rate, double x) { return std::exp(rate * x) - 1.0 - rate * x; }

TEST(HipLigaments, MomentIsMinusTheEnergysSlopeAndZeroUntilEngaged) {
  const JointLigament g{0, 1.0, deg_to_rad(-3.0), 120.0, 2.5};
  double e = -1.0;
  EXPECT_EQ(model::joint_ligament_moment(g, deg_to_rad(10.0), &e), 0.0);
  EXPECT_EQ(e, 0.0);
  EXPECT_EQ(model::joint_ligament_moment(g, g.engage_rad, &e), 0.0);
  EXPECT_EQ(e, 0.0);
  // Just past the engagement angle the moment grows from zero with zero slope.
  EXPECT_LT(model::joint_ligament_moment(g, g.engage_rad - 1e-4), 1e-5);
  for (double q_deg : {-5.0, -15.0, -30.0}) {
    const double q = deg_to_rad(q_deg), h = 1e-6;
    double e_plus = 0.0, e_minus = 0.0;
    const double M = model::joint_ligament_moment(g, q);
    model::joint_ligament_moment(g, q + h, &e_plus);
    model::joint_ligament_moment(g, q - h, &e_minus);
    EXPECT_GT(M, 0.0) << "an extended hip is pushed back into flexion";
    EXPECT_NEAR(M, -(e_plus - e_minus) / (2.0 * h), 1e-6 * std::max(1.0, M)) << q_deg;
  }
  // The mirror law (sign -1) resists motion above the engagement angle.
  const JointLigament mirror{0, -1.0, 0.0, 120.0, 2.5};
  EXPECT_LT(model::joint_ligament_moment(mirror, 0.3), 0.0);
  EXPECT_EQ(model::joint_ligament_moment(mirror, -0.3), 0.0);
}

TEST(HipLigaments, BothHipsCarryThemAndTheyAddToThePassiveMoment) {
  const Model m = typical_model();
  ASSERT_EQ(m.ligaments.size(), 2u);
  EXPECT_EQ(m.ligaments[0].coordinate, m.coord.hip[0]);
  EXPECT_EQ(m.ligaments[1].coordinate, m.coord.hip[1]);
  model::Data d(m);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  for (const auto& lv : m.levels) q[lv.coordinate] = lv.neutral_rad;
  q[m.coord.hip[1]] = deg_to_rad(-20.0);
  model::calc_passive_joint_forces(m, q, d);
  const double limit = model::joint_limit_moment(m.limits[3], q[m.coord.hip[1]]);
  ASSERT_EQ(m.limits[3].coordinate, m.coord.hip[1]);
  EXPECT_NEAR(d.Q_passive[m.coord.hip[1]] - limit,
              model::joint_ligament_moment(m.ligaments[1], q[m.coord.hip[1]]), 1e-12);
  EXPECT_GT(d.Q_passive[m.coord.hip[1]] - limit, 5.0);
}

// The fit of body.yaml, repeated: the typical subject's passive hip moment without the ligaments
// (units' passive force with rigid tendons, and the joint limit), its change from 0 deg set against
// Riener & Edrich's change from 0 deg, over 0 to 25 deg of extension at four knee angles.
TEST(HipLigaments, ShippedConstantsAreTheLeastSquaresFitToRienerEdrich) {
  const Model m = typical_model();
  model::Data d(m);
  const int hip = m.coord.hip[0], knee = m.coord.knee[0];
  const JointLigament& shipped = m.ligaments[0];
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  for (const auto& lv : m.levels) q[lv.coordinate] = lv.neutral_rad;
  std::vector<double> extension, missing;  // rad; N m the model lacks without the ligaments
  double rms_without = 0.0;
  for (double knee_deg : {0.0, 30.0, 60.0, 90.0}) {
    double at_zero = 0.0;
    for (int hip_deg = 0; hip_deg >= -25; --hip_deg) {
      q[hip] = deg_to_rad(hip_deg);
      q[knee] = deg_to_rad(knee_deg);
      model::calc_musculotendon_geometry(m, q, d);
      model::calc_passive_joint_forces(m, q, d);
      model::calc_passive_load(m, d);
      const double without = d.passive_load[hip] - model::joint_ligament_moment(shipped, q[hip]);
      if (hip_deg == 0) at_zero = without;
      const double in_vivo =
          riener_edrich_hip_nm(hip_deg, knee_deg) - riener_edrich_hip_nm(0, knee_deg);
      extension.push_back(-q[hip]);
      missing.push_back(in_vivo - (without - at_zero));
      rms_without += missing.back() * missing.back();
    }
  }
  const double n = static_cast<double>(missing.size());
  rms_without = std::sqrt(rms_without / n);
  // Sum of squares for a rate, with the stiffness at its least-squares value for that rate.
  const auto cost = [&](double rate, double stiffness) {
    double s = 0.0;
    for (size_t i = 0; i < missing.size(); ++i) {
      const double r = stiffness * ligament_shape(rate, extension[i]) - missing[i];
      s += r * r;
    }
    return s;
  };
  const auto best_stiffness = [&](double rate) {
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < missing.size(); ++i) {
      const double f = ligament_shape(rate, extension[i]);
      num += f * missing[i];
      den += f * f;
    }
    return num / den;
  };
  double best = INFINITY, best_rate = 0.0;
  for (double rate = 0.05; rate < 20.0; rate += 0.005) {
    const double c = cost(rate, best_stiffness(rate));
    if (c < best) {
      best = c;
      best_rate = rate;
    }
  }
  const double shipped_cost = cost(shipped.rate_per_rad, shipped.stiffness_nm);
  EXPECT_LT(shipped_cost, 1.001 * best)
      << "refit: rate_per_rad " << best_rate << ", stiffness_nm " << best_stiffness(best_rate)
      << ", rms " << std::sqrt(best / n) << " N m";
  EXPECT_LT(std::sqrt(shipped_cost / n), 2.0);
  // Without them the model misses the in vivo stiffening by far more.
  EXPECT_GT(rms_without, 3.0 * std::sqrt(shipped_cost / n));
}

}  // namespace
}  // namespace pulley
