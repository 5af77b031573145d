// The vasti's operating lengths (models/default/muscles.yaml; models/tools/build_muscles_yaml.py,
// TENDON_SLACK_M): the fit of their tendon slack length to Chen et al.'s (2016) in vivo resting
// sarcomere lengths, repeated here from the compiled typical subject, and the check of the
// result against a study that set nothing, Ichinose et al.'s (1997) force-length of the contracting
// vastus lateralis (docs/validation.md, "Moment arms" and "Clinical tests").
#include <gtest/gtest.h>

#include <cmath>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/subject.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/tasks/moment_arms.hpp"

namespace pulley {
namespace {

struct Vasti {
  model::Model model = model::compile_model(model::Subject{});
  int unit = -1;
  Vasti() {
    for (int i = 0; i < model.num_units(); ++i)
      if (model.units[i].name == "vasti_r") unit = i;
  }
  // Musculotendon length (m) at a knee flexion, the rest of the body at the neutral pose.
  double length_at(double knee_deg) const {
    Eigen::VectorXd q = tasks::neutral_configuration(model);
    q[model.coord.knee[0]] = deg_to_rad(knee_deg);
    model::Data data(model);
    model::calc_musculotendon_geometry(model, q, data);
    return data.l_MT[unit];
  }
  // Fibre length over optimal at an activation, fibres and tendon in equilibrium.
  static double normalised_fibre(const muscle::MusculotendonParameters& p, double activation,
                                 double l_MT) {
    return muscle::solve_static_equilibrium(p, activation, l_MT).state.l_M / p.l_M_opt;
  }
};

// Chen X, Sanchez GN, Schnitzer MJ, Delp SL (2016) J Biomech 49:2989 (abstract): the resting
// vastus lateralis's sarcomeres, six adults, over the 2.7 um optimum to which the source model's
// optimal fibre lengths are normalised.
constexpr double kKneeDeg[2] = {50.0, 110.0};
constexpr double kChenMean[2] = {2.84 / 2.7, 3.17 / 2.7}, kChenSd[2] = {0.16 / 2.7, 0.13 / 2.7};

// The spread-weighted squared misfit of the resting fibres with the tendon slack length moved.
double chen_misfit(const Vasti& v, double slack_change_m) {
  muscle::MusculotendonParameters p = v.model.units[v.unit].params;
  p.l_T_slack += slack_change_m;
  double sum = 0.0;
  for (int k = 0; k < 2; ++k)
    sum += std::pow(
        (Vasti::normalised_fibre(p, 0.0, v.length_at(kKneeDeg[k])) - kChenMean[k]) / kChenSd[k], 2);
  return sum;
}

// The fit leaves 50 deg 1.05 spreads short and 110 deg 0.85 long: the model's resting fibres
// lengthen by 0.22 of their optimum between the two angles, Chen's sarcomeres by 0.12, which no
// slack length mends (a documented miss: docs/validation.md, Moment arms).
TEST(VastiOperatingLength, RestingFibresLieNearChen2016ButChangeMoreWithTheKnee) {
  const Vasti v;
  ASSERT_GE(v.unit, 0);
  const auto& p = v.model.units[v.unit].params;
  // chosen bounds, which hold the documented fit and its miss: each angle within 1.1 spreads
  // (the fit's worst is 1.05), and the change between them over 1.5 times Chen's (it is 1.8).
  double fibre[2];
  for (int k = 0; k < 2; ++k) {
    fibre[k] = Vasti::normalised_fibre(p, 0.0, v.length_at(kKneeDeg[k]));
    EXPECT_NEAR(fibre[k], kChenMean[k], 1.1 * kChenSd[k]) << kKneeDeg[k] << " deg";
  }
  EXPECT_GT(fibre[1] - fibre[0], 1.5 * (kChenMean[1] - kChenMean[0]));
  RecordProperty("resting_fibre_50_deg", std::to_string(fibre[0]));
  RecordProperty("resting_fibre_110_deg", std::to_string(fibre[1]));
}

// The vasti's slack length at Rajagopal's size (m): the source's force-weighted lump and the one
// muscles.yaml ships (models/README.md, build_muscles_yaml.py's TENDON_SLACK_M).
constexpr double kSourceSlackM = 0.214446, kShippedSlackM = 0.195861;

// The shipped slack length is the least-squares one: half a millimetre either way fits worse.
TEST(VastiOperatingLength, TendonSlackLengthIsTheLeastSquaresFitToChen2016) {
  const Vasti v;
  const double at_shipped = chen_misfit(v, 0.0);
  EXPECT_LT(at_shipped, chen_misfit(v, -0.0005));
  EXPECT_LT(at_shipped, chen_misfit(v, 0.0005));
  // The source's slack length, scaled to this subject as compile_model scales the shipped one,
  // fits far worse (chosen bound: five times; it is about ten).
  const double scale = v.model.units[v.unit].params.l_T_slack / kShippedSlackM;
  EXPECT_GT(chen_misfit(v, (kSourceSlackM - kShippedSlackM) * scale), 5.0 * at_shipped);
}

// Ichinose Y, Kawakami Y, Ito M, Fukunaga T (1997) Acta Anat 159:78 (abstract): by ultrasound in
// maximal isometric knee extensions every 15 deg from 10 to 100 deg, the vastus lateralis's force
// was greatest at its optimal fascicle length with the knee at 70 deg, and it worked on the
// ascending limb below and the descending one above. Independent of the fit: the model's vasti at
// full activation reach their optimal length within half a sampling step of 70 deg.
TEST(VastiOperatingLength, AtFullEffortOptimalNearSeventyDegreesAsIchinose1997) {
  const Vasti v;
  const auto& p = v.model.units[v.unit].params;
  double optimal_at_deg = -1.0;
  double previous = Vasti::normalised_fibre(p, 1.0, v.length_at(10.0));
  EXPECT_LT(previous, 1.0);  // ascending limb near extension
  for (double knee = 11.0; knee <= 100.0; knee += 1.0) {
    const double fibre = Vasti::normalised_fibre(p, 1.0, v.length_at(knee));
    if (previous < 1.0 && fibre >= 1.0) optimal_at_deg = knee - (fibre - 1.0) / (fibre - previous);
    previous = fibre;
  }
  EXPECT_GT(previous, 1.0);  // descending limb at 100 deg
  EXPECT_NEAR(optimal_at_deg, 70.0, 7.5);
  RecordProperty("optimal_at_knee_deg", std::to_string(optimal_at_deg));
}

}  // namespace
}  // namespace pulley
