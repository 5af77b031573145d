#include "pulley/recruitment/static_optimization.hpp"

#include <gtest/gtest.h>
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::recruitment {
namespace {

// A frame of the default model: moment arms and lengths at a standing-like posture, and the
// generalised forces gravity and passive tissue ask of the muscles there.
struct Frame {
  std::vector<muscle::MusculotendonParameters> params;
  Eigen::VectorXd weights;
  Eigen::MatrixXd A;
  Eigen::VectorXd b, l_MT;
  double tone = 0.0;
};

Frame standing_frame(const Eigen::VectorXd& p) {
  static const model::Model m = model::compile_model(model::Subject{});
  Frame f;
  Eigen::VectorXd q;
  Eigen::MatrixXd J;
  tasks::standing_configuration(m, p, q, &J);
  model::Data d(m);
  model::calc_musculotendon_geometry(m, q, d);
  model::calc_passive_joint_forces(m, q, d);
  Eigen::VectorXd Qg;
  skeleton::calc_gravity_forces(m.tree, d.kin, skeleton::Vec2(0.0, -kGravity), Qg);
  f.A = J.transpose() * d.moment_arms;
  f.b = -J.transpose() * (Qg + d.Q_passive);
  f.l_MT = d.l_MT;
  for (const auto& u : m.units) f.params.push_back(u.params);
  f.weights.resize(m.num_units());
  for (int i = 0; i < m.num_units(); ++i) f.weights[i] = m.units[i].effort_weight;
  f.tone = m.tone;
  return f;
}

// The default subject's standing posture, near enough (degrees: ankle, knee, hip, L5_S1..L1_L2).
Eigen::VectorXd near_standing() {
  Eigen::VectorXd p(8);
  const double deg[] = {7.5, 6.1, 7.9, 23.6, 16.3, 11.9, 8.9, 2.8};
  for (int k = 0; k < 8; ++k) p[k] = deg_to_rad(deg[k]);
  return p;
}

Eigen::VectorXd posture_deg(std::initializer_list<double> deg) {
  Eigen::VectorXd p(8);
  int k = 0;
  for (const double d : deg) p[k++] = deg_to_rad(d);
  return p;
}

StaticOptimizer make_optimizer(const Frame& f, double unmet_weight = 1e6) {
  StaticOptimizationSettings s;
  s.tone = f.tone;
  s.unmet_weight = unmet_weight;
  return StaticOptimizer(f.params, f.weights, static_cast<int>(f.A.rows()), s);
}

TEST(StaticOptimizer, SuppliesTheMomentsWithinBounds) {
  const Frame f = standing_frame(near_standing());
  StaticOptimizer opt = make_optimizer(f);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_LT((f.A * opt.force() - f.b).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_TRUE(opt.unmet().isApprox(f.b - f.A * opt.force()));
  for (int i = 0; i < opt.num_units(); ++i) {
    EXPECT_GE(opt.activation()[i], f.tone - 1e-9) << "unit " << i;
    EXPECT_LE(opt.activation()[i], 1.0 + 1e-9) << "unit " << i;
    // The reported activation produces the reported force at this length. At the ceiling it may
    // exceed 1 by round-off (allowed above), which the equilibrium solver's domain excludes.
    const double a = std::min(opt.activation()[i], 1.0);
    const auto eq = muscle::solve_static_equilibrium(f.params[i], a, f.l_MT[i]);
    EXPECT_NEAR(eq.state.F_T, opt.force()[i], 1e-6 * f.params[i].F_M_max) << "unit " << i;
  }
}

// Independent check: NLopt's SLSQP on the same problem written in activations, with unit forces
// from the fibre-tendon equilibrium solver and the equations as equality constraints.
struct ReferenceProblem {
  const Frame* f;
  Eigen::VectorXd force, dforce_da;
  void evaluate(const double* a) {
    const int n = static_cast<int>(f->params.size());
    force.resize(n);
    dforce_da.resize(n);
    for (int i = 0; i < n; ++i) {
      const auto eq = muscle::solve_static_equilibrium(f->params[i], a[i], f->l_MT[i]);
      force[i] = eq.state.F_T;
      const auto aff = muscle::activation_for_tendon_force(f->params[i], force[i], f->l_MT[i]);
      dforce_da[i] = 1.0 / aff.da_dF;
    }
  }
};

// Solves the frame with NLopt's SLSQP (activations within [lower, upper], lower = tone unless
// given); returns the effort and writes the activations.
double solve_reference(const Frame& f, const Eigen::VectorXd& upper, std::vector<double>& a,
                       const Eigen::VectorXd* lower = nullptr) {
  const int n = static_cast<int>(f.params.size());
  const int m = static_cast<int>(f.A.rows());
  ReferenceProblem ref{&f, {}, {}};
  nlopt::opt slsqp(nlopt::LD_SLSQP, n);
  if (lower)
    slsqp.set_lower_bounds(std::vector<double>(lower->data(), lower->data() + n));
  else
    slsqp.set_lower_bounds(f.tone);
  slsqp.set_upper_bounds(std::vector<double>(upper.data(), upper.data() + n));
  slsqp.set_min_objective(
      [](unsigned, const double* a, double* grad, void* data) {
        const Frame& fr = *static_cast<ReferenceProblem*>(data)->f;
        double e = 0.0;
        for (int i = 0; i < fr.weights.size(); ++i) {
          e += fr.weights[i] * (a[i] - fr.tone) * (a[i] - fr.tone);
          if (grad) grad[i] = 2.0 * fr.weights[i] * (a[i] - fr.tone);
        }
        return e;
      },
      &ref);
  slsqp.add_equality_mconstraint(
      [](unsigned rows, double* result, unsigned cols, const double* a, double* grad, void* data) {
        auto* r = static_cast<ReferenceProblem*>(data);
        r->evaluate(a);
        const Eigen::VectorXd g = r->f->A * r->force - r->f->b;
        for (unsigned k = 0; k < rows; ++k) {
          result[k] = g[k];
          if (grad)
            for (unsigned i = 0; i < cols; ++i) grad[k * cols + i] = r->f->A(k, i) * r->dforce_da[i];
        }
      },
      &ref, std::vector<double>(m, 1e-8));
  slsqp.set_xtol_rel(1e-12);
  slsqp.set_maxeval(4000);
  a.assign(n, f.tone);
  if (lower) a.assign(lower->data(), lower->data() + n);
  double effort_ref = 0.0;
  slsqp.optimize(a, effort_ref);
  return effort_ref;
}

TEST(StaticOptimizer, MatchesAnIndependentSolver) {
  const Frame f = standing_frame(near_standing());
  const int n = static_cast<int>(f.params.size());
  std::vector<double> a;
  const double effort_ref = solve_reference(f, Eigen::VectorXd::Ones(n), a);
  StaticOptimizer opt = make_optimizer(f);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_NEAR(opt.effort(), effort_ref, 1e-6 * effort_ref);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(opt.activation()[i], a[i], 1e-4) << "unit " << i;
}

// How far above the least effort the activation tolerance leaves a solve: the default, 1e-9,
// about 1e-6 of the effort on a bent-forward frame (units whose step lies within the tolerance
// keep their forces, and the moments they leave unmet are priced at W = 1e6); 1e-11, as the
// posture search recruits, far below that search's value tolerance of 1e-10 (tasks/
// quasi_static.cpp). How much the default leaves depends on the frame: near standing, 7e-10 (8e-7
// before the vasti's tendon slack length followed Chen et al. 2016, docs/validation.md).
TEST(StaticOptimizer, EffortAboveTheLeastShrinksWithTheActivationTolerance) {
  const Frame f = standing_frame(posture_deg({5, 5, 50, 10, 5, 2, 0, -2}));  // bent forward
  const auto effort_at = [&](double tolerance) {
    StaticOptimizationSettings s;
    s.tone = f.tone;
    s.activation_tolerance = tolerance;
    StaticOptimizer opt(f.params, f.weights, static_cast<int>(f.A.rows()), s);
    EXPECT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
    return opt.effort();
  };
  const double least = effort_at(1e-13);
  const double above_default = effort_at(1e-9) / least - 1.0;
  EXPECT_GT(above_default, 1e-7);
  EXPECT_LT(above_default, 1e-5);
  EXPECT_LT(std::abs(effort_at(1e-11) / least - 1.0), 1e-10);
}

// A bent-forward frame (hips 50 deg, lumbar spine flexed) where the hip and back extensors work,
// with the hamstrings limited to 85 % of their free activation (as a subject-file capacity does;
// lower limits leave this frame infeasible): the bounds hold, other units take over, and the
// answer matches the independent solver with the same bounds.
TEST(StaticOptimizer, RespectsLoweredActivationLimits) {
  static const model::Model m = model::compile_model(model::Subject{});
  Eigen::VectorXd p(8);
  const double deg[] = {5.0, 5.0, 50.0, 10.0, 5.0, 2.0, 0.0, -2.0};
  for (int k = 0; k < 8; ++k) p[k] = deg_to_rad(deg[k]);
  const Frame f = standing_frame(p);
  const int n = static_cast<int>(f.params.size());
  StaticOptimizer free_opt = make_optimizer(f);
  ASSERT_EQ(free_opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  Eigen::VectorXd upper = Eigen::VectorXd::Ones(n);
  int limited = 0;
  for (int i = 0; i < n; ++i)
    if (m.muscles[m.units[i].muscle].group == "hamstrings" && free_opt.activation()[i] > 0.05) {
      upper[i] = 0.85 * free_opt.activation()[i];
      ++limited;
    }
  ASSERT_GT(limited, 0);
  StaticOptimizer opt = make_optimizer(f);
  opt.set_max_activation(upper);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_LT((f.A * opt.force() - f.b).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_GT(opt.effort(), free_opt.effort());
  for (int i = 0; i < n; ++i) EXPECT_LE(opt.activation()[i], upper[i] + 1e-9) << "unit " << i;
  std::vector<double> a;
  const double effort_ref = solve_reference(f, upper, a);
  EXPECT_NEAR(opt.effort(), effort_ref, 1e-5 * effort_ref);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(opt.activation()[i], a[i], 1e-3) << "unit " << i;
}

// Co-contraction: hamstrings and quadriceps held at 15 % whatever the moments ask. The floors
// hold, the other units rebalance the moments, the effort rises, and the answer matches the
// independent solver with the same bounds.
TEST(StaticOptimizer, RespectsRaisedActivationFloors) {
  static const model::Model m = model::compile_model(model::Subject{});
  const Frame f = standing_frame(near_standing());
  const int n = static_cast<int>(f.params.size());
  StaticOptimizer free_opt = make_optimizer(f);
  ASSERT_EQ(free_opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  Eigen::VectorXd lower = Eigen::VectorXd::Constant(n, f.tone);
  for (int i = 0; i < n; ++i) {
    const std::string& group = m.muscles[m.units[i].muscle].group;
    if (group == "hamstrings" || group == "quadriceps") lower[i] = 0.15;
  }
  StaticOptimizer opt = make_optimizer(f);
  opt.set_min_activation(lower);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_LT((f.A * opt.force() - f.b).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_GT(opt.effort(), free_opt.effort());
  for (int i = 0; i < n; ++i) EXPECT_GE(opt.activation()[i], lower[i] - 1e-9) << "unit " << i;
  std::vector<double> a;
  const double effort_ref = solve_reference(f, Eigen::VectorXd::Ones(n), a, &lower);
  EXPECT_NEAR(opt.effort(), effort_ref, 1e-5 * effort_ref);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(opt.activation()[i], a[i], 1e-3) << "unit " << i;
}

TEST(StaticOptimizer, WarmStartGivesTheSameAnswerFaster) {
  const Frame f = standing_frame(near_standing());
  StaticOptimizer cold = make_optimizer(f);
  cold.solve(f.A, f.b, f.l_MT);
  const int cold_passes = cold.passes();
  // Warm: solve a neighbouring frame first, then this one.
  Eigen::VectorXd p = near_standing();
  p[2] += deg_to_rad(1.0);
  const Frame g = standing_frame(p);
  StaticOptimizer warm = make_optimizer(f);
  warm.solve(g.A, g.b, g.l_MT);
  warm.solve(f.A, f.b, f.l_MT);
  // The warm start knows the active set and the multipliers: fewer dual Newton iterations, and
  // no more linearisation passes.
  EXPECT_LE(warm.passes(), cold_passes);
  EXPECT_LT(warm.newton_iterations(), cold.newton_iterations());
  // Both end their passes when every activation matches its linearisation to the activation
  // tolerance (1e-9), so their answers agree to about that in activation (a force difference of
  // tolerance / (da/dF), up to about 1e-5 N for the vasti's 9.6 kN; measured: 9.3e-10 and
  // 3.9e-6 N); chosen: ten times the tolerance.
  EXPECT_LT((warm.activation() - cold.activation()).cwiseAbs().maxCoeff(),
            10.0 * StaticOptimizationSettings{}.activation_tolerance);
}

// A warm start set from outside (as the recorded tasks extrapolate the frames before): the same
// answer to the tolerance from a good estimate or a poor one, in no more passes from the good
// one than from the frame before's answer.
TEST(StaticOptimizer, SetWarmStartReachesTheSameAnswer) {
  Eigen::VectorXd p = near_standing();
  const Frame f = standing_frame(p);
  p[2] += deg_to_rad(1.0);
  const Frame g = standing_frame(p);
  StaticOptimizer reference = make_optimizer(f);
  reference.solve(f.A, f.b, f.l_MT);
  StaticOptimizer from_neighbour = make_optimizer(f);
  from_neighbour.solve(g.A, g.b, g.l_MT);
  StaticOptimizer from_answer = from_neighbour, from_poor = from_neighbour;
  from_neighbour.solve(f.A, f.b, f.l_MT);
  from_answer.set_warm_start(reference.force());
  from_answer.solve(f.A, f.b, f.l_MT);
  // Every force doubled, some made negative (started at zero).
  Eigen::VectorXd poor = 2.0 * reference.force();
  poor.head(5).setConstant(-100.0);
  from_poor.set_warm_start(poor);
  EXPECT_EQ(from_poor.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_LE(from_answer.passes(), from_neighbour.passes());
  // The same bound as WarmStartGivesTheSameAnswerFaster, for the same reason.
  const double bound = 10.0 * StaticOptimizationSettings{}.activation_tolerance;
  for (const StaticOptimizer* o : {&from_neighbour, &from_answer, &from_poor}) {
    EXPECT_LT((o->activation() - reference.activation()).cwiseAbs().maxCoeff(), bound);
    EXPECT_LT(o->unmet().cwiseAbs().maxCoeff(), 1e-6);
  }
}

TEST(StaticOptimizer, ReportedActivationsAreThoseOfTheForces) {
  // Between passes, units that have settled or whose step is exact to second order keep their
  // linearisation; every reported activation must still be a(F, l_MT) of the reported force.
  Eigen::VectorXd p = near_standing();
  const Frame f = standing_frame(p);
  StaticOptimizer optimizer = make_optimizer(f);
  for (int frame = 0; frame < 6; ++frame) {
    p[2] += deg_to_rad(5.0);  // hip flexion: a bend in 5-deg steps
    p[7] -= deg_to_rad(1.0);  // and some lumbar flexion
    const Frame g = standing_frame(p);
    ASSERT_EQ(optimizer.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
    for (int i = 0; i < optimizer.num_units(); ++i) {
      const double a =
          muscle::activation_for_tendon_force(g.params[i], optimizer.force()[i], g.l_MT[i])
              .activation;
      EXPECT_NEAR(optimizer.activation()[i], a, 1e-8) << "frame " << frame << ", unit " << i;
    }
  }
}

// The same frame with every unit made unique: each effort weight raised by a relative 1e-15, a
// change far below the tolerances that stops units from being twins.
Frame without_twins(Frame f) {
  for (int i = 0; i < f.weights.size(); ++i) f.weights[i] *= 1.0 + 1e-15 * (i + 1);
  return f;
}

// Units whose column of A is zero (idle: solved apart, at their floor). In the default model
// one pair is idle in every frame: longissimus_thoracic_l1 runs from L1 to the thorax, which
// share no coordinate.
int idle_units(const Eigen::MatrixXd& A) {
  int idle = 0;
  for (Eigen::Index i = 0; i < A.cols(); ++i) idle += A.col(i).isZero(0.0) ? 1 : 0;
  return idle;
}

// Where two solves of the same frame must agree: forces within 2e-3 N (the activation
// tolerance 1e-9 leaves about 2e-4 N, and up to 1.3e-3 N on a unit of 124 N in the extended
// posture below, where other units could share its work at nearly the same effort), effort and multipliers within 1e-6, and stiffness within
// 1e-3 of the largest (it is taken where each unit was last linearised, which a last small step,
// exact to the tolerance in force, may leave behind: about 1e-4 seen).
void expect_same_answer(const StaticOptimizer& a, const StaticOptimizer& b, const char* what) {
  EXPECT_LT((a.force() - b.force()).cwiseAbs().maxCoeff(), 2e-3) << what;
  EXPECT_NEAR(a.effort(), b.effort(), 1e-6 * b.effort()) << what;
  EXPECT_LT((a.multipliers() - b.multipliers()).cwiseAbs().maxCoeff(),
            1e-6 * b.multipliers().cwiseAbs().maxCoeff())
      << what;
  EXPECT_LT((a.stiffness() - b.stiffness()).cwiseAbs().maxCoeff(),
            1e-3 * b.stiffness().cwiseAbs().maxCoeff())
      << what;
}

// A symmetric posture makes each left unit the twin of its right one: solved once, with the
// answer of every unit solved apart, both within the tolerance of a far tighter solve.
TEST(StaticOptimizer, SolvesTwinsOnceWithTheAnswerOfEveryUnitSolvedApart) {
  for (const Eigen::VectorXd& p :
       {near_standing(), posture_deg({2, 8, 40, 20, 12, 8, 4, 0}),
        posture_deg({5, 5, 50, 10, 5, 2, 0, -2}), posture_deg({-5, 0, -10, 30, 20, 15, 10, 5})}) {
    const Frame f = standing_frame(p);
    const int n = static_cast<int>(f.params.size()) - idle_units(f.A);
    EXPECT_EQ(idle_units(f.A), 2);
    StaticOptimizer twins = make_optimizer(f);
    ASSERT_EQ(twins.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
    EXPECT_EQ(twins.num_solved_units(), n / 2);
    const Frame g = without_twins(f);
    StaticOptimizer apart = make_optimizer(g);
    ASSERT_EQ(apart.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
    EXPECT_EQ(apart.num_solved_units(), n);
    StaticOptimizationSettings tight_settings = apart.settings();
    tight_settings.activation_tolerance = 1e-13;
    StaticOptimizer tight(g.params, g.weights, static_cast<int>(g.A.rows()), tight_settings);
    ASSERT_EQ(tight.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
    expect_same_answer(twins, tight, "twins");
    expect_same_answer(apart, tight, "apart");
  }
}

// Twins part where their ceilings (a one-sided injury) or their columns and lengths (a posture
// whose sides differ) stop being equal, and join again where they agree; each solve, warm-started
// from the last whatever its twins, gives the answer of a cold solve with every unit apart.
TEST(StaticOptimizer, TwinsPartAndJoinAsCeilingsOrPosturesChange) {
  static const model::Model m = model::compile_model(model::Subject{});
  const Frame f = standing_frame(posture_deg({5, 5, 50, 10, 5, 2, 0, -2}));  // bent forward
  const int n = static_cast<int>(f.params.size());
  const int pairs = (n - idle_units(f.A)) / 2;  // the units solved in the symmetric posture
  StaticOptimizer probe = make_optimizer(f);
  ASSERT_EQ(probe.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  // The right hamstrings held to 90 % of the activation they take when free.
  const Eigen::VectorXd free = Eigen::VectorXd::Ones(n);
  Eigen::VectorXd one_sided = free;
  int limited = 0;
  for (int i = 0; i < n; ++i)
    if (m.muscles[m.units[i].muscle].group == "hamstrings" &&
        m.units[i].side == model::Side::right && probe.activation()[i] > 0.05) {
      one_sided[i] = 0.9 * probe.activation()[i];
      ++limited;
    }
  ASSERT_GT(limited, 0);
  // Two different sets of four left units given other columns and lengths, as if the left leg
  // had moved: as many units solved either way, but not the same ones.
  std::vector<int> left;
  for (int i = 0; i < n; ++i)
    if (m.units[i].side == model::Side::left) left.push_back(i);
  ASSERT_GE(left.size(), 8u);
  const auto moved = [&](int first) {
    Frame g = f;
    for (int k = first; k < first + 4; ++k) {
      g.A.col(left[k]) *= 1.01;
      g.l_MT[left[k]] += 1e-3;
    }
    return g;
  };
  struct Step {
    Frame frame;
    Eigen::VectorXd upper;
    int solved;
  };
  const Step steps[] = {{f, free, pairs},          {f, one_sided, pairs + limited},
                        {f, free, pairs},          {moved(0), free, pairs + 4},
                        {moved(4), free, pairs + 4}, {f, free, pairs}};
  StaticOptimizer warm = make_optimizer(f);
  for (const Step& step : steps) {
    warm.set_max_activation(step.upper);
    ASSERT_EQ(warm.solve(step.frame.A, step.frame.b, step.frame.l_MT),
              RecruitmentStatus::converged);
    EXPECT_EQ(warm.num_solved_units(), step.solved);
    const Frame g = without_twins(step.frame);
    StaticOptimizer cold = make_optimizer(g);
    cold.set_max_activation(step.upper);
    ASSERT_EQ(cold.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
    expect_same_answer(warm, cold, "warm twins against cold apart");
    for (int i = 0; i < n; ++i) EXPECT_LE(warm.activation()[i], step.upper[i] + 1e-9) << i;
  }
}

// A unit that crosses none of the balanced joints (its column zeroed: a strapped leg's, say)
// rests at its floor, with the force of the fibre-tendon equilibrium at that activation, and
// leaves the others' answer as it was. It keeps that answer while its length and floor stay, and
// takes a new one when it rejoins the equations and leaves them again.
TEST(StaticOptimizer, RestsIdleUnitsAtTheirFloor) {
  static const model::Model m = model::compile_model(model::Subject{});
  const Frame f = standing_frame(posture_deg({5, 5, 50, 10, 5, 2, 0, -2}));
  const int n = static_cast<int>(f.params.size());
  std::vector<int> vasti;
  for (int i = 0; i < n; ++i)
    if (m.units[i].name.rfind("vasti", 0) == 0) vasti.push_back(i);
  ASSERT_EQ(vasti.size(), 2u);
  StaticOptimizer full = make_optimizer(f);
  ASSERT_EQ(full.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  // The vasti idle, the knees' moment supplied by the other units instead.
  Frame g = f;
  Eigen::VectorXd floor = Eigen::VectorXd::Constant(n, f.tone);
  for (const int i : vasti) {
    g.b -= f.A.col(i) * full.force()[i];
    g.A.col(i).setZero();
    floor[i] = 0.1;
  }
  StaticOptimizer idle = make_optimizer(g);
  idle.set_min_activation(floor);
  ASSERT_EQ(idle.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
  for (const int i : vasti) {
    EXPECT_NEAR(idle.activation()[i], 0.1, 1e-9) << i;
    const auto eq = muscle::solve_static_equilibrium(f.params[i], 0.1, f.l_MT[i]);
    EXPECT_NEAR(idle.force()[i], eq.state.F_T, 1e-6 * eq.state.F_T) << i;
    // Taken where the unit was last linearised, as for the solved units (expect_same_answer).
    EXPECT_NEAR(idle.stiffness()[i], eq.state.stiffness, 1e-4 * eq.state.stiffness) << i;
  }
  EXPECT_LT(idle.unmet().cwiseAbs().maxCoeff(), 1e-6);
  for (int i = 0; i < n; ++i)
    if (std::find(vasti.begin(), vasti.end(), i) == vasti.end())
      EXPECT_NEAR(idle.force()[i], full.force()[i], 1e-3) << i;
  // Again at the same length and floor; then back in the equations; then idle at a new floor.
  const Eigen::VectorXd rested = idle.force();
  ASSERT_EQ(idle.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
  EXPECT_EQ(idle.force(), rested);
  idle.set_min_activation(Eigen::VectorXd::Constant(n, f.tone));
  ASSERT_EQ(idle.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  expect_same_answer(idle, full, "back in the equations");
  floor.setConstant(f.tone);
  for (const int i : vasti) floor[i] = 0.2;
  idle.set_min_activation(floor);
  ASSERT_EQ(idle.solve(g.A, g.b, g.l_MT), RecruitmentStatus::converged);
  for (const int i : vasti) EXPECT_NEAR(idle.activation()[i], 0.2, 1e-9) << i;
}

// Force-velocity: a bend at 100 deg/s (the hips 5 deg and the lumbar spine 1 deg per 50 ms),
// each frame solved with the fibres' lengths of the previous frame's answer. Every reported
// activation is a(F) at the velocity its force implies, the answer is stationary (each unit
// between its bounds has 2 w (a - t) da/dF = A_i . lambda), the equations hold, and the
// back's lengthening extensors need less activation than the isometric solve gives them.
TEST(StaticOptimizer, PricesTheFibreVelocityTheForcesImply) {
  const double dt = 0.05;
  Eigen::VectorXd p = near_standing();
  Frame f = standing_frame(p);
  StaticOptimizer moving = make_optimizer(f);
  StaticOptimizer still = make_optimizer(f);
  ASSERT_EQ(moving.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  Eigen::VectorXd l_M_previous;
  int lengthening_back_units = 0;
  for (int frame = 0; frame < 2; ++frame) {  // later frames of this unbalanced bend fall short
    moving.fibre_lengths(l_M_previous);
    p[2] += deg_to_rad(5.0);
    p[7] -= deg_to_rad(1.0);
    f = standing_frame(p);
    moving.set_fibre_motion(l_M_previous, dt);
    ASSERT_EQ(moving.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
    ASSERT_EQ(still.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
    EXPECT_LT((f.A * moving.force() - f.b).cwiseAbs().maxCoeff(), 1e-6);
    Eigen::VectorXd l_M;
    moving.fibre_lengths(l_M);
    for (int i = 0; i < moving.num_units(); ++i) {
      SCOPED_TRACE(testing::Message() << "frame " << frame << ", unit " << i);
      const muscle::FibreMotion motion{l_M_previous[i],
                                       muscle::fibre_inverse_length_rate(f.params[i], dt)};
      const auto aff =
          muscle::activation_for_tendon_force(f.params[i], moving.force()[i], f.l_MT[i], motion);
      EXPECT_NEAR(moving.activation()[i], aff.activation, 1e-8);
      EXPECT_EQ(l_M[i], aff.state.l_M);
      const double a = moving.activation()[i];
      if (a > f.tone + 1e-6 && a < 1.0 - 1e-6 && !f.A.col(i).isZero(0.0)) {
        const double lhs = 2.0 * f.weights[i] * (a - f.tone) * aff.da_dF;
        EXPECT_NEAR(lhs, f.A.col(i).dot(moving.multipliers()), 1e-5 * std::abs(lhs) + 1e-12);
      }
      // The erector spinae (activation well above tone in this frame) lengthen as the spine
      // flexes: f_V > 1 lowers the activation their force needs.
      const bool lengthening = l_M[i] - l_M_previous[i] > 1e-4;
      if (lengthening && still.activation()[i] > 0.1 && still.activation()[i] < 0.99 &&
          std::abs(moving.force()[i] - still.force()[i]) < 0.05 * still.force()[i]) {
        EXPECT_LT(a, still.activation()[i]);
        ++lengthening_back_units;
      }
    }
  }
  EXPECT_GT(lengthening_back_units, 0);
  // Isometric again: each activation is that of its force with f_V = 1.
  moving.clear_fibre_motion();
  ASSERT_EQ(moving.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  for (int i = 0; i < moving.num_units(); ++i)
    EXPECT_NEAR(
        moving.activation()[i],
        muscle::activation_for_tendon_force(f.params[i], moving.force()[i], f.l_MT[i]).activation,
        1e-8)
        << "unit " << i;
}

// Left and right units stay twins only while their previous fibre lengths agree too.
TEST(StaticOptimizer, TwinsPartWhereTheirFibresMovedDifferently) {
  const Frame f = standing_frame(near_standing());
  StaticOptimizer opt = make_optimizer(f);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  const int paired = opt.num_solved_units();
  Eigen::VectorXd l_M;
  opt.fibre_lengths(l_M);
  opt.set_fibre_motion(l_M, 0.01);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_EQ(opt.num_solved_units(), paired);
  int unit = 0;  // the first unit that has a twin: its previous length differs now
  while (opt.activation()[unit] < 0.05) ++unit;
  l_M[unit] *= 1.001;
  opt.set_fibre_motion(l_M, 0.01);
  ASSERT_EQ(opt.solve(f.A, f.b, f.l_MT), RecruitmentStatus::converged);
  EXPECT_EQ(opt.num_solved_units(), paired + 1);
  EXPECT_LT((f.A * opt.force() - f.b).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(StaticOptimizer, WithoutUnitsLeavesEverythingUnmet) {
  StaticOptimizer none({}, Eigen::VectorXd(), 2);
  const Eigen::Vector2d b(3.0, -4.0);
  none.solve(Eigen::MatrixXd(2, 0), b, Eigen::VectorXd());
  EXPECT_EQ(none.num_solved_units(), 0);
  EXPECT_TRUE(none.unmet().isApprox(b));
}

TEST(StaticOptimizer, ReportsWhatTheMusclesCannotSupply) {
  const Frame f = standing_frame(near_standing());
  // Ask the ankle equation for far more than the muscles can give.
  Eigen::VectorXd b = f.b;
  b[0] += 5000.0;  // ankle (N m)
  StaticOptimizer opt = make_optimizer(f, 1e2);
  opt.solve(f.A, b, f.l_MT);
  EXPECT_GT(opt.unmet()[0], 100.0);
  EXPECT_TRUE(opt.unmet().isApprox(b - f.A * opt.force()));
  EXPECT_TRUE(opt.force().allFinite());
  EXPECT_LE(opt.activation().maxCoeff(), 1.0 + 1e-9);
  // Every unit that helps the ankle is fully active.
  for (int i = 0; i < opt.num_units(); ++i)
    if (f.A(0, i) > 1e-3) EXPECT_NEAR(opt.activation()[i], 1.0, 1e-6) << "unit " << i;
}

// The kink-walking root of the dual's piecewise-linear slope agrees with bisection on the slope
// evaluated term by term, including terms that start on a bound, never move or never clamp.
TEST(ClampedSlopeRoot, AgreesWithBisection) {
  std::srand(7);
  const auto uniform = [](double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(std::rand()) / RAND_MAX;
  };
  std::vector<std::pair<double, double>> kinks;
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + trial % 40;
    Eigen::VectorXd u(n), g(n), d(n), lo(n), hi(n);
    for (int i = 0; i < n; ++i) {
      lo[i] = i % 3 == 0 ? 0.02 : uniform(0.02, 0.4);  // tone, or a co-contraction floor
      hi[i] = uniform(0.5, 1.0);
      d[i] = i % 7 == 3 ? 0.0 : uniform(-2.0, 2.0);
      g[i] = d[i] * uniform(0.1, 3.0);
      u[i] = i % 5 == 1 ? lo[i] : i % 5 == 2 ? hi[i] : uniform(-0.5, 1.5);
    }
    const double c1 = uniform(1e-6, 1e-2);
    const double c0 = -uniform(0.0, 3.0) - (d.cwiseAbs().sum() * 0.5) * (trial % 2);
    const auto slope = [&](double alpha) {
      double s = c0 + c1 * alpha;
      for (int i = 0; i < n; ++i) s += d[i] * std::clamp(u[i] + alpha * g[i], lo[i], hi[i]);
      return s;
    };
    const double alpha = clamped_slope_root(c0, c1, u, g, d, lo, hi, kinks);
    if (!(slope(0.0) < 0.0)) {
      EXPECT_EQ(alpha, 0.0);
      continue;
    }
    double a = 0.0, b = 1.0;
    while (slope(b) < 0.0) b *= 2.0;
    for (int k = 0; k < 200 && b - a > 1e-15 * b; ++k) (slope(0.5 * (a + b)) < 0.0 ? a : b) = 0.5 * (a + b);
    EXPECT_NEAR(alpha, 0.5 * (a + b), 1e-9 * b) << "trial " << trial;
  }
}

TEST(StaticOptimizationSettings, RejectsNonsense) {
  StaticOptimizationSettings s;
  std::string error;
  EXPECT_TRUE(s.IsValid(&error));
  s.tone = 1.5;
  EXPECT_FALSE(s.IsValid(&error));
  EXPECT_NE(error.find("tone"), std::string::npos);
  s = {};
  s.unmet_weight = 0.0;
  EXPECT_FALSE(s.IsValid(&error));
}

}  // namespace
}  // namespace pulley::recruitment
