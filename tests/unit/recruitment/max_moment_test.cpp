// The maximal-moment problem against two oracles: the closed form when row 0 is the only
// equation (every unit at the bound that raises it), and the exact optimum of the linear
// programme in the unit forces, from its dual, when another joint must stay in balance.
#include "pulley/recruitment/max_moment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/moment_arms.hpp"

namespace pulley::recruitment {
namespace {

struct KneePose {
  model::Model m = model::compile_model(model::Subject{});
  Eigen::VectorXd q, weights, ceiling;
  std::vector<muscle::MusculotendonParameters> params;
  model::Data d{m};
  double tone = 0.02;
  explicit KneePose(double knee_deg, double capacity = 1.0) {
    q = tasks::neutral_configuration(m);
    q[m.coord.hip[0]] = deg_to_rad(90.0);
    q[m.coord.knee[0]] = deg_to_rad(knee_deg);
    model::calc_musculotendon_geometry(m, q, d);
    weights.resize(m.num_units());
    ceiling.resize(m.num_units());
    for (int i = 0; i < m.num_units(); ++i) {
      params.push_back(m.units[i].params);
      weights[i] = m.units[i].effort_weight;
      ceiling[i] = std::max(capacity, tone);
    }
  }
  double force(int i, double a) const {
    return muscle::solve_static_equilibrium(params[i], a, d.l_MT[i]).state.F_T;
  }
};

TEST(MaxMoment, OneRowIsEveryUnitAtTheBoundThatRaisesIt) {
  for (const double capacity : {1.0, 0.4}) {
    KneePose s(60.0, capacity);
    MaxMoment p(s.params, s.weights, s.ceiling, 1, s.tone);
    p.A.row(0) = s.d.moment_arms.row(s.m.coord.knee[0]);
    p.l_MT = s.d.l_MT;
    double expected = 0.0;
    for (int i = 0; i < s.m.num_units(); ++i) {
      const double r = p.A(0, i);
      expected += std::max(r * s.force(i, s.tone), r * s.force(i, s.ceiling[i]));
    }
    const auto most = p.maximise(1e-3);
    ASSERT_TRUE(most.has_value());
    EXPECT_NEAR(*most, expected, 1e-6 * std::abs(expected));
    EXPECT_NEAR(p.A.row(0).dot(p.force()), *most, 1e-2);
  }
}

// Maximise c.F subject to a.F = b, lo <= F <= hi, exactly, by linear-programming duality: the
// optimum equals the least value of the dual
//   g(lambda) = lambda b + sum_i max((c_i - lambda a_i) lo_i, (c_i - lambda a_i) hi_i),
// a convex piecewise-linear function of one variable whose least value lies at one of its kinks
// lambda = c_i / a_i.
double dual_oracle(const Eigen::VectorXd& c, const Eigen::VectorXd& a, double b,
                   const Eigen::VectorXd& lo, const Eigen::VectorXd& hi) {
  const auto g = [&](double lambda) {
    double v = lambda * b;
    for (int i = 0; i < c.size(); ++i) {
      const double w = c[i] - lambda * a[i];
      v += std::max(w * lo[i], w * hi[i]);
    }
    return v;
  };
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < c.size(); ++i)
    if (a[i] != 0.0) best = std::min(best, g(c[i] / a[i]));
  return best;
}

TEST(MaxMoment, MatchesALinearProgrammeWithTheAnkleInBalance) {
  for (const double knee : {30.0, 60.0, 90.0}) {
    for (const double sign : {1.0, -1.0}) {
      for (const double balance : {0.0, -20.0}) {
        SCOPED_TRACE(testing::Message()
                     << "knee " << knee << " sign " << sign << " ankle " << balance);
        KneePose s(knee);
        MaxMoment p(s.params, s.weights, s.ceiling, 2, s.tone);
        p.A.row(0) = sign * s.d.moment_arms.row(s.m.coord.knee[0]);
        p.A.row(1) = s.d.moment_arms.row(s.m.coord.ankle[0]);
        p.l_MT = s.d.l_MT;
        Eigen::VectorXd lo(s.m.num_units()), hi(s.m.num_units());
        for (int i = 0; i < s.m.num_units(); ++i) {
          lo[i] = s.force(i, s.tone);
          hi[i] = s.force(i, s.ceiling[i]);
        }
        // The ankle's balance as every unit at tone leaves it (a reachable start), and one the
        // plantarflexors must work for.
        p.b[1] = p.A.row(1).dot(lo) + balance;
        const auto most = p.maximise(1e-3);
        ASSERT_TRUE(most.has_value());
        const double oracle =
            dual_oracle(p.A.row(0).transpose(), p.A.row(1).transpose(), p.b[1], lo, hi);
        // Solved exactly (the fractional knapsack), so to round-off.
        EXPECT_NEAR(*most, oracle, 1e-9 * std::abs(oracle));
        // The forces found hold the ankle, lie within their bounds and reach the maximum.
        EXPECT_NEAR(p.A.row(1).dot(p.force()), p.b[1], 1e-9 * p.A.row(1).cwiseAbs().dot(hi));
        EXPECT_NEAR(p.A.row(0).dot(p.force()), *most, 1e-9 * std::abs(oracle));
        for (int i = 0; i < s.m.num_units(); ++i) {
          EXPECT_GE(p.force()[i], lo[i] - 1e-9 * hi[i]);
          EXPECT_LE(p.force()[i], hi[i] + 1e-9 * hi[i]);
        }
      }
    }
  }
}

TEST(MaxMoment, UnreachableBalanceGivesNothing) {
  KneePose s(60.0);
  MaxMoment p(s.params, s.weights, s.ceiling, 2, s.tone);
  p.A.row(0) = s.d.moment_arms.row(s.m.coord.knee[0]);
  p.A.row(1) = s.d.moment_arms.row(s.m.coord.ankle[0]);
  p.l_MT = s.d.l_MT;
  p.b[1] = 1e5;  // an ankle moment no muscle can make
  EXPECT_FALSE(p.maximise(1e-2).has_value());
  EXPECT_FALSE(p.reachable(0.0));
}

// A solve started from a nearby posture's forces (as the Nordic's search does from posture to
// posture) gives the verdict and the forces of a solve started from tone, at reachable and
// unreachable targets alike.
TEST(MaxMoment, WarmStartKeepsVerdictAndForces) {
  KneePose nearby(60.0), s(64.0);
  const auto knee_and_hip = [](const KneePose& pose, MaxMoment& p) {
    p.A.row(0) = pose.d.moment_arms.row(pose.m.coord.knee[0]);
    p.A.row(1) = pose.d.moment_arms.row(pose.m.coord.hip[0]);
    p.l_MT = pose.d.l_MT;
    p.b[1] = 20.0;  // the hip held against 20 N m
  };
  MaxMoment first(nearby.params, nearby.weights, nearby.ceiling, 2, nearby.tone);
  knee_and_hip(nearby, first);
  ASSERT_TRUE(first.reachable(-40.0));
  const Eigen::VectorXd start = first.solved_force();
  ASSERT_EQ(start.size(), nearby.m.num_units());
  const auto most = first.maximise(1e-3);
  ASSERT_TRUE(most.has_value());
  // Targets on both sides of the largest moment (the two postures' largest moments lie within a
  // few N m of each other: 64 deg is asked for 40 N m below and above 60 deg's).
  int reached_count = 0;
  for (const double target : {-40.0, *most - 40.0, *most + 40.0}) {
    SCOPED_TRACE(target);
    MaxMoment cold(s.params, s.weights, s.ceiling, 2, s.tone);
    MaxMoment warm(s.params, s.weights, s.ceiling, 2, s.tone);
    knee_and_hip(s, cold);
    knee_and_hip(s, warm);
    warm.set_warm_start(start);
    const bool reached = cold.reachable(target);
    reached_count += reached ? 1 : 0;
    EXPECT_EQ(warm.reachable(target), reached);
    // Within the solves' tolerance (forces within about 2e-4 N of the least-effort answer, and
    // 1.3e-3 N seen where units could share a unit's work at nearly the same effort,
    // static_optimization.hpp; chosen: 2e-3 N for the two solves apart), well below the 0.1 N
    // results are given to.
    EXPECT_LT((warm.solved_force() - cold.solved_force()).lpNorm<Eigen::Infinity>(), 2e-3);
  }
  EXPECT_EQ(reached_count, 2);  // the first two targets within reach, the last beyond it
}

}  // namespace
}  // namespace pulley::recruitment
