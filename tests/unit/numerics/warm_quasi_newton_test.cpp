#include "pulley/numerics/warm_quasi_newton.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace pulley::numerics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// f = 0.5 (y - y*)^T H (y - y*), H with eigenvalues 1 and 100 in a rotated frame.
struct Quadratic {
  Eigen::Matrix2d H;
  Eigen::Vector2d minimum;
  double scale = 1.0;
  Quadratic(double scale, Eigen::Vector2d minimum) : minimum(minimum), scale(scale) {
    const double c = std::cos(0.4), s = std::sin(0.4);
    Eigen::Matrix2d R;
    R << c, -s, s, c;
    H = scale * R * Eigen::Vector2d(1.0, 100.0).asDiagonal() * R.transpose();
  }
  ObjectiveWithGradient objective(int* count = nullptr) const {
    return [this, count](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
      if (count) ++*count;
      const Eigen::Vector2d d = y - minimum;
      g = H * d;
      return 1.0 + 0.5 * d.dot(H * d);
    };
  }
};

Eigen::VectorXd vec(double a, double b) { return Eigen::Vector2d(a, b); }

TEST(WarmQuasiNewton, ColdStartFindsTheMinimumOfAQuadraticWithOneNewtonStep) {
  const Quadratic q(1.0, Eigen::Vector2d(0.3, -0.2));
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(1.0, 1.0);
  int count = 0;
  ASSERT_TRUE(search.minimize(q.objective(&count), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  EXPECT_NEAR(y[0], 0.3, 1e-6);
  EXPECT_NEAR(y[1], -0.2, 1e-6);
  // Start, two differences for the curvature, the Newton step, at most a check step.
  EXPECT_LE(search.evaluations(), 5);
  EXPECT_EQ(search.evaluations(), count);
  EXPECT_TRUE(search.has_curvature());
}

TEST(WarmQuasiNewton, KeptCurvatureSolvesTheNextProblemInAFewEvaluations) {
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(1.0, 1.0);
  const Quadratic first(1.0, Eigen::Vector2d(0.3, -0.2));
  ASSERT_TRUE(search.minimize(first.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  const Quadratic next(1.0, Eigen::Vector2d(0.35, -0.15));
  ASSERT_TRUE(search.minimize(next.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  EXPECT_NEAR(y[0], 0.35, 1e-6);
  EXPECT_NEAR(y[1], -0.15, 1e-6);
  EXPECT_LE(search.evaluations(), 3);  // no differences: start, step, check
}

TEST(WarmQuasiNewton, HoldsACoordinateAtTheBoundTheGradientPushesAgainst) {
  const Quadratic q(1.0, Eigen::Vector2d(0.3, -0.2));
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(0.0, 0.0);
  const double upper0 = 0.1;
  ASSERT_TRUE(search.minimize(q.objective(), y, vec(-1.0, -1.0), vec(upper0, 1.0), 100));
  // With y0 held at its bound, y1 minimises the quadratic along the other coordinate.
  const double y1 = q.minimum[1] - q.H(1, 0) / q.H(1, 1) * (upper0 - q.minimum[0]);
  EXPECT_DOUBLE_EQ(y[0], upper0);
  EXPECT_NEAR(y[1], y1, 1e-6);
}

// The failure a carried estimate invites: curvature from a far stiffer problem (here 1e9 times,
// as where a posture search crossed moments the muscles could not meet, priced steeply) makes the
// Newton steps shorter than the step tolerance, which must not pass for convergence.
TEST(WarmQuasiNewton, CurvatureFromAStifferProblemDoesNotEndTheSearchEarly) {
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(1.0, 1.0);
  const Quadratic stiff(1e9, Eigen::Vector2d(1.0, 1.0));
  ASSERT_TRUE(search.minimize(stiff.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  ASSERT_TRUE(search.has_curvature());
  const Quadratic soft(1.0, Eigen::Vector2d(0.99, 1.01));
  ASSERT_TRUE(search.minimize(soft.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 100));
  EXPECT_NEAR(y[0], 0.99, 1e-6);
  EXPECT_NEAR(y[1], 1.01, 1e-6);
}

TEST(WarmQuasiNewton, AWarmStartAtTheMinimumEndsAtOnceAndKeepsItsCurvature) {
  const Quadratic q(1.0, Eigen::Vector2d(0.3, -0.2));
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(1.0, 1.0);
  ASSERT_TRUE(search.minimize(q.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  y = q.minimum;
  ASSERT_TRUE(search.minimize(q.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  EXPECT_EQ(search.evaluations(), 1);
  EXPECT_TRUE(search.has_curvature());
}

// A start just inside a bound the minimum lies beyond: the Newton step is cut to almost nothing
// by the bound, which must not pass for convergence.
TEST(WarmQuasiNewton, AStepCutShortByABoundIsNotTakenForConvergence) {
  const ObjectiveWithGradient f = [](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    const Eigen::Vector2d d = y - Eigen::Vector2d(10.0, 0.0);
    Eigen::Matrix2d H;
    H << 1.0, 0.5, 0.5, 1.0;
    g = H * d;
    return 0.5 * d.dot(H * d);
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(-5e-8, 0.0);
  ASSERT_TRUE(search.minimize(f, y, vec(-kInf, -kInf), vec(0.0, kInf), 50));
  EXPECT_DOUBLE_EQ(y[0], 0.0);
  EXPECT_NEAR(y[1], 5.0, 1e-6);  // minimum along y1 with y0 held at 0
}

// Curvature carried from a far softer problem makes the next problem's Newton step run far past
// the bounds, which clip every halving of it to the same corner: that corner, once rejected, is
// not evaluated again (it was seven times, once per trial), and the search fails at once,
// leaving its caller to go on from the start; a fresh estimate then reaches the minimum.
TEST(WarmQuasiNewton, AClippedStepIsNotEvaluatedTwiceAtTheSamePoint) {
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(0.2, 0.1);
  const Quadratic soft(1e-6, Eigen::Vector2d(0.2, 0.1));
  ASSERT_TRUE(search.minimize(soft.objective(), y, vec(-1.0, -1.0), vec(1.0, 1.0), 50));
  const Quadratic stiff(1e3, Eigen::Vector2d(0.25, 0.05));
  std::vector<Eigen::VectorXd> points;
  const ObjectiveWithGradient f = [&](const Eigen::VectorXd& p, Eigen::VectorXd& g) {
    points.push_back(p);
    return stiff.objective()(p, g);
  };
  EXPECT_FALSE(search.minimize(f, y, vec(-1.0, -1.0), vec(1.0, 1.0), 100));
  ASSERT_EQ(points.size(), 2u);  // the start and the corner
  EXPECT_EQ(points[0], vec(0.2, 0.1));
  EXPECT_EQ(points[1], vec(1.0, -1.0));
  EXPECT_EQ(search.evaluations(), 2);
  EXPECT_FALSE(search.has_curvature());
  EXPECT_EQ(y, vec(0.2, 0.1));  // the best point found
  ASSERT_TRUE(search.minimize(stiff.objective(), y, vec(-1.0, -1.0), vec(1.0, 1.0), 100));
  EXPECT_NEAR(y[0], 0.25, 1e-6);
  EXPECT_NEAR(y[1], 0.05, 1e-6);
}

// A step clipped to the bound by its first three trials (t = 1, 1/2, 1/4) is evaluated there once;
// the fourth trial, t = 1/8, leaves the bound and is accepted.
TEST(WarmQuasiNewton, AClippedStepIsAcceptedOnceAHalvingLeavesTheBound) {
  WarmQuasiNewton search;
  Eigen::VectorXd y = Eigen::VectorXd::Constant(1, 0.0);
  // The first problem leaves a curvature of 1, kept.
  const auto soft = [](const Eigen::VectorXd& p, Eigen::VectorXd& g) {
    g.resize(1);
    g[0] = p[0];
    return 0.5 * p[0] * p[0];
  };
  ASSERT_TRUE(search.minimize(soft, y, Eigen::VectorXd::Constant(1, -1.0),
                              Eigen::VectorXd::Constant(1, 1.0), 50));
  ASSERT_TRUE(search.has_curvature());
  // The next problem pulls with a gradient of -5 at y = 0: the kept curvature's Newton step is 5.
  // Its minimum is at 0.4 with curvature 12.5, so the clipped point y = 1 is worse than the start
  // (f(1) = 1.25 > f(0) = 0) and 0.625 better (-0.68).
  std::vector<double> points;
  const ObjectiveWithGradient next = [&](const Eigen::VectorXd& p, Eigen::VectorXd& g) {
    points.push_back(p[0]);
    const double k = 12.5;
    g.resize(1);
    g[0] = k * (p[0] - 0.4);
    return 0.5 * k * ((p[0] - 0.4) * (p[0] - 0.4) - 0.16);
  };
  EXPECT_TRUE(search.minimize(next, y, Eigen::VectorXd::Constant(1, -1.0),
                              Eigen::VectorXd::Constant(1, 1.0), 50));
  ASSERT_GE(points.size(), 3u);
  EXPECT_EQ(points[0], 0.0);
  EXPECT_EQ(points[1], 1.0);    // t = 1, clipped; t = 1/2 and 1/4 clip there too, not evaluated
  EXPECT_EQ(points[2], 0.625);  // t = 1/8
  EXPECT_NEAR(y[0], 0.4, 1e-6);
}

TEST(WarmQuasiNewton, StaysWithinBoundsOfZeroWidth) {
  const Quadratic q(1.0, Eigen::Vector2d(0.3, -0.2));
  bool outside = false;
  const ObjectiveWithGradient f = [&](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    outside = outside || y[0] != 0.5;
    return q.objective()(y, g);
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(0.5, 1.0);
  ASSERT_TRUE(search.minimize(f, y, vec(0.5, -kInf), vec(0.5, kInf), 50));
  EXPECT_FALSE(outside);
  EXPECT_NEAR(y[1], q.minimum[1] - q.H(1, 0) / q.H(1, 1) * (0.5 - q.minimum[0]), 1e-6);
}

TEST(WarmQuasiNewton, EmptyProblemsAndEmptyBudgets) {
  const Quadratic q(1.0, Eigen::Vector2d(0.3, -0.2));
  WarmQuasiNewton search;
  Eigen::VectorXd none;
  EXPECT_TRUE(search.minimize(q.objective(), none, none, none, 10));
  EXPECT_EQ(search.evaluations(), 0);
  Eigen::VectorXd y = vec(1.0, 1.0);
  EXPECT_FALSE(search.minimize(q.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 0));
  EXPECT_EQ(search.evaluations(), 0);
}

TEST(WarmQuasiNewton, AnObjectiveWithNoCurvatureIsReportedAsAFailureWithinTheBounds) {
  const ObjectiveWithGradient linear = [](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Ones(y.size());
    return y.sum();
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(0.5, 0.5);
  EXPECT_FALSE(search.minimize(linear, y, vec(-1.0, -1.0), vec(1.0, 1.0), 50));
  EXPECT_FALSE(search.has_curvature());
  EXPECT_TRUE((y.array() >= -1.0).all() && (y.array() <= 1.0).all());
}

TEST(WarmQuasiNewton, EndsAtACornerTheGradientPushesAgainstEvenWithAnUntestedEstimate) {
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(1.0, 1.0);
  const Quadratic stiff(1e9, Eigen::Vector2d(1.0, 1.0));
  ASSERT_TRUE(search.minimize(stiff.objective(), y, vec(-kInf, -kInf), vec(kInf, kInf), 50));
  // The gradient at the corner (0.5, 0.5) is -(1, 1): both upper bounds hold, the corner is the
  // answer.
  const Eigen::Vector2d corner(0.5, 0.5);
  const Eigen::Matrix2d H = Quadratic(1.0, corner).H;
  const Quadratic beyond(1.0, corner + H.inverse() * Eigen::Vector2d(1.0, 1.0));
  y = corner;
  ASSERT_TRUE(search.minimize(beyond.objective(), y, vec(0.0, 0.0), vec(0.5, 0.5), 100));
  EXPECT_DOUBLE_EQ(y[0], 0.5);
  EXPECT_DOUBLE_EQ(y[1], 0.5);
  EXPECT_EQ(search.evaluations(), 1);
}

TEST(WarmQuasiNewton, StartsFromNegativeCurvatureAndReachesTheMinimum) {
  // f = x^4 - 2 x^2 + 3 y^2: a local maximum in x at 0, minima at x = +-1.
  const ObjectiveWithGradient f = [](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    g.resize(2);
    g << 4.0 * std::pow(y[0], 3) - 4.0 * y[0], 6.0 * y[1];
    return std::pow(y[0], 4) - 2.0 * y[0] * y[0] + 3.0 * y[1] * y[1];
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(0.1, 0.5);
  ASSERT_TRUE(search.minimize(f, y, vec(-3.0, -3.0), vec(3.0, 3.0), 200));
  EXPECT_NEAR(y[0], 1.0, 1e-5);
  EXPECT_NEAR(y[1], 0.0, 1e-5);
}

TEST(WarmQuasiNewton, ReachesTheMinimumOfRosenbrocksValley) {
  const ObjectiveWithGradient f = [](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    const double a = 1.0 - y[0], b = y[1] - y[0] * y[0];
    g.resize(2);
    g << -2.0 * a - 400.0 * y[0] * b, 200.0 * b;
    return a * a + 100.0 * b * b;
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(-1.2, 1.0);
  ASSERT_TRUE(search.minimize(f, y, vec(-5.0, -5.0), vec(5.0, 5.0), 400));
  EXPECT_NEAR(y[0], 1.0, 1e-4);
  EXPECT_NEAR(y[1], 1.0, 1e-4);
}

TEST(WarmQuasiNewton, ReportsFailureWhenTheBudgetRunsOutAndKeepsItsBestPoint) {
  // Rosenbrock's valley needs far more than 8 evaluations from (-1.2, 1).
  int count = 0;
  const ObjectiveWithGradient f = [&count](const Eigen::VectorXd& y, Eigen::VectorXd& g) {
    ++count;
    const double a = 1.0 - y[0], b = y[1] - y[0] * y[0];
    g.resize(2);
    g << -2.0 * a - 400.0 * y[0] * b, 200.0 * b;
    return a * a + 100.0 * b * b;
  };
  WarmQuasiNewton search;
  Eigen::VectorXd y = vec(-1.2, 1.0), g(2);
  const double start = f(y, g);
  count = 0;
  EXPECT_FALSE(search.minimize(f, y, vec(-5.0, -5.0), vec(5.0, 5.0), 8));
  EXPECT_LE(search.evaluations(), 8);
  EXPECT_EQ(search.evaluations(), count);
  EXPECT_FALSE(search.has_curvature());
  EXPECT_LT(f(y, g), start);  // left at its last accepted iterate, below the start
}

}  // namespace
}  // namespace pulley::numerics
