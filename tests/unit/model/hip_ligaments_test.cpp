// The hip's ligaments in extension (models/default/body.yaml, hip_extension_ligaments): their
// moment law, and the fit of its two constants to Riener & Edrich's (1999) in vivo passive hip
// moment, repeated here from the compiled typical subject.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/subject.hpp"
#include "pulley/tasks/moment_arms.hpp"

namespace pulley {
namespace {

using model::JointLigament;
using model::Model;

Model typical_model() { return model::compile_model(model::Subject{}); }

// Riener R, Edrich T (1999) J Biomech 32:539-544: passive hip flexion moment (N m) of all passive
// structures, muscles included, at hip and knee flexion in degrees. Coefficients as read in public
// implementations (secondary; see body.yaml).
double riener_edrich_hip_nm(double hip_deg, double knee_deg) {
  return std::exp(1.4655 - 0.0034 * knee_deg - 0.0750 * hip_deg) -
         std::exp(1.3403 - 0.0226 * knee_deg + 0.0305 * hip_deg) + 8.072;
}

TEST(HipLigaments, MomentIsMinusTheEnergysSlopeAndZeroUntilEngaged) {
  const JointLigament g{0, deg_to_rad(-3.0), 120.0, 2.5};
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
}

TEST(HipLigaments, BothHipsCarryThemAndTheyAddToThePassiveMoment) {
  const Model m = typical_model();
  ASSERT_EQ(m.ligaments.size(), 2u);
  EXPECT_EQ(m.ligaments[0].coordinate, m.coord.hip[0]);
  EXPECT_EQ(m.ligaments[1].coordinate, m.coord.hip[1]);
  Model bare = m;  // the same model without them
  bare.ligaments.clear();
  model::Data d(m), d_bare(bare);
  Eigen::VectorXd q = tasks::neutral_configuration(m);
  const int hip = m.coord.hip[1];
  q[hip] = deg_to_rad(-20.0);
  model::calc_passive_joint_forces(m, q, d);
  model::calc_passive_joint_forces(bare, q, d_bare);
  const double added = d.Q_passive[hip] - d_bare.Q_passive[hip];
  EXPECT_NEAR(added, model::joint_ligament_moment(m.ligaments[1], q[hip]), 1e-12);
  // chosen: several N m at 20 deg of extension, the stiffening Riener & Edrich measured (the
  // shipped fit gives 7.8 N m; a sign or unit slip in body.yaml gives none or far more).
  EXPECT_GT(added, 5.0);
  EXPECT_LT(added, 15.0);
  EXPECT_GT(d.passive_energy, d_bare.passive_energy);
}

// The fit of body.yaml, repeated: the typical subject's passive hip moment without the ligaments
// (units' passive force with rigid tendons, and the joint limit), its change from 0 deg set against
// Riener & Edrich's change from 0 deg, over 0 to 25 deg of extension at four knee angles.
TEST(HipLigaments, ShippedConstantsAreTheLeastSquaresFitToRienerEdrich) {
  const Model m = typical_model();
  model::Data d(m);
  const int hip = m.coord.hip[0], knee = m.coord.knee[0];
  const JointLigament& shipped = m.ligaments[0];
  Eigen::VectorXd q = tasks::neutral_configuration(m);
  std::vector<double> hip_rad, missing;  // the hip's angle; N m the model lacks without them
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
      hip_rad.push_back(q[hip]);
      missing.push_back(in_vivo - (without - at_zero));
      rms_without += missing.back() * missing.back();
    }
  }
  const double n = static_cast<double>(missing.size());
  rms_without = std::sqrt(rms_without / n);
  // The ligaments' law at unit stiffness, for a rate (the moment is proportional to stiffness).
  const auto shape = [&](double rate, double q_hip) {
    return model::joint_ligament_moment(JointLigament{hip, shipped.engage_rad, 1.0, rate}, q_hip);
  };
  // Sum of squares for a rate, with the stiffness at its least-squares value for that rate.
  const auto cost = [&](double rate, double stiffness) {
    double s = 0.0;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      const double r = stiffness * shape(rate, hip_rad[i]) - missing[i];
      s += r * r;
    }
    return s;
  };
  const auto best_stiffness = [&](double rate) {
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < missing.size(); ++i) {
      const double f = shape(rate, hip_rad[i]);
      num += f * missing[i];
      den += f * f;
    }
    return num / den;
  };
  double best = std::numeric_limits<double>::infinity(), best_rate = 0.0;
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
  // chosen: the law fits Riener & Edrich's stiffening to within 2 N m rms (1.8 now, and on the
  // model before the pelvic brim), and explains most of what the model lacks without them (6.0 N
  // m rms): a law of the wrong shape does neither.
  EXPECT_LT(std::sqrt(shipped_cost / n), 2.0);
  EXPECT_GT(rms_without, 3.0 * std::sqrt(shipped_cost / n));
}

}  // namespace
}  // namespace pulley
