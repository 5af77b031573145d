#include "pulley/skeleton/planar_tree.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/model.hpp"

namespace pulley::skeleton {
namespace {

const Vec2 kGravityW(0.0, -kGravity);

// A small branching tree: floating root, a revolute "thigh" (sign +1), a revolute "shank" below it
// with sign -1, and a "tool" welded to the thigh. Coordinates: 0..2 root, 3 thigh, 4 shank.
std::vector<BodySpec> small_tree_specs() {
  BodySpec root;
  root.name = "root";
  root.parent = -1;
  root.joint = JointType::floating;
  root.mass = 3.0;
  root.p_Bcm = Vec2(0.05, 0.10);
  root.inertia_cm = 0.04;

  BodySpec thigh;
  thigh.name = "thigh";
  thigh.parent = 0;
  thigh.joint = JointType::revolute;
  thigh.coordinate = "hip";
  thigh.coordinate_sign = 1.0;
  thigh.angle_offset = -0.3;
  thigh.p_PJ = Vec2(0.10, -0.20);
  thigh.p_BJ = Vec2(0.01, 0.02);
  thigh.mass = 2.0;
  thigh.p_Bcm = Vec2(0.02, -0.18);
  thigh.inertia_cm = 0.03;

  BodySpec shank;
  shank.name = "shank";
  shank.parent = 1;
  shank.joint = JointType::revolute;
  shank.coordinate = "knee";
  shank.coordinate_sign = -1.0;
  shank.angle_offset = 0.2;
  shank.p_PJ = Vec2(0.0, -0.40);
  shank.p_BJ = Vec2(-0.01, 0.03);
  shank.mass = 1.5;
  shank.p_Bcm = Vec2(-0.01, -0.17);
  shank.inertia_cm = 0.02;

  BodySpec tool;
  tool.name = "tool";
  tool.parent = 1;
  tool.joint = JointType::weld;
  tool.angle_offset = 0.7;
  tool.p_PJ = Vec2(0.05, -0.10);
  tool.p_BJ = Vec2(0.02, 0.0);
  tool.mass = 0.5;
  tool.p_Bcm = Vec2(0.06, 0.01);
  tool.inertia_cm = 0.005;
  return {root, thigh, shank, tool};
}

struct NamedTree {
  std::string name;
  PlanarTree tree;
};

const std::vector<NamedTree>& trees() {
  static const std::vector<NamedTree> t = {
      {"small", PlanarTree(small_tree_specs())},
      {"default_model", model::compile_model(model::Subject{}).tree},
  };
  return t;
}

Eigen::VectorXd random_vector(int n, std::mt19937& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v[i] = u(rng);
  return v;
}

// Calls check(tree, q, rng) on `trials` random configurations q in [-range, range] of every test
// tree, drawing from one generator seeded with `seed` (check may draw more from rng).
template <class Check>
void for_random_poses(unsigned seed, int trials, double range, Check&& check) {
  std::mt19937 rng(seed);
  for (const NamedTree& t : trees()) {
    SCOPED_TRACE(t.name);
    for (int trial = 0; trial < trials; ++trial) {
      SCOPED_TRACE("trial " + std::to_string(trial));
      const Eigen::VectorXd q = random_vector(t.tree.num_coordinates(), rng, -range, range);
      check(t.tree, q, rng);
    }
  }
}

Kinematics kinematics(const PlanarTree& tree, const Eigen::VectorXd& q) {
  Kinematics kin;
  calc_kinematics(tree, q, kin);
  return kin;
}

Vec2 world_point(const Kinematics& kin, int b, const Vec2& p_B) {
  return kin.p_WBo[b] + rotate(kin.theta_WB[b], p_B);
}

// d(world position of p_B fixed in b)/dq_k by central differences.
Vec2 fd_point_column(const PlanarTree& tree, const Eigen::VectorXd& q, int b, const Vec2& p_B,
                     int k, double h = 1e-6) {
  Eigen::VectorXd qp = q, qm = q;
  qp[k] += h;
  qm[k] -= h;
  return (world_point(kinematics(tree, qp), b, p_B) - world_point(kinematics(tree, qm), b, p_B)) /
         (2.0 * h);
}

double fd_angle_column(const PlanarTree& tree, const Eigen::VectorXd& q, int b, int k,
                       double h = 1e-6) {
  Eigen::VectorXd qp = q, qm = q;
  qp[k] += h;
  qm[k] -= h;
  return (kinematics(tree, qp).theta_WB[b] - kinematics(tree, qm).theta_WB[b]) / (2.0 * h);
}

double potential_energy(const PlanarTree& tree, const Eigen::VectorXd& q) {
  const Kinematics kin = kinematics(tree, q);
  double v = 0.0;
  for (int b = 0; b < tree.num_bodies(); ++b) v += tree.body(b).mass * kGravity * kin.p_WBcm[b].y();
  return v;
}

// Kinetic energy 0.5 sum (m v_cm^2 + I w^2), velocities from fourth-order central differences of
// positions along q + s qd.
double kinetic_energy(const PlanarTree& tree, const Eigen::VectorXd& q, const Eigen::VectorXd& qd) {
  const double h = 1e-4;
  const Kinematics k2m = kinematics(tree, q - 2 * h * qd), k1m = kinematics(tree, q - h * qd);
  const Kinematics k1p = kinematics(tree, q + h * qd), k2p = kinematics(tree, q + 2 * h * qd);
  double t = 0.0;
  for (int b = 0; b < tree.num_bodies(); ++b) {
    const Vec2 v =
        (k2m.p_WBcm[b] - 8.0 * k1m.p_WBcm[b] + 8.0 * k1p.p_WBcm[b] - k2p.p_WBcm[b]) / (12.0 * h);
    const double w =
        (k2m.theta_WB[b] - 8.0 * k1m.theta_WB[b] + 8.0 * k1p.theta_WB[b] - k2p.theta_WB[b]) /
        (12.0 * h);
    t += 0.5 * tree.body(b).mass * v.squaredNorm() + 0.5 * tree.body(b).inertia_cm * w * w;
  }
  return t;
}

Eigen::MatrixXd mass_matrix_from_inverse_dynamics(const PlanarTree& tree,
                                                  const Eigen::VectorXd& q) {
  const int n = tree.num_coordinates();
  const Kinematics kin = kinematics(tree, q);
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(n);
  Eigen::MatrixXd M(n, n);
  Eigen::VectorXd tau;
  for (int k = 0; k < n; ++k) {
    calc_inverse_dynamics(tree, kin, zero, Eigen::VectorXd::Unit(n, k), Vec2::Zero(), tau);
    M.col(k) = tau;
  }
  return M;
}

TEST(PlanarTree, CompilesCoordinatesInBodyOrder) {
  const PlanarTree tree(small_tree_specs());
  EXPECT_EQ(tree.num_bodies(), 4);
  EXPECT_EQ(tree.num_coordinates(), 5);
  EXPECT_EQ(tree.coordinate_of(1), 3);
  EXPECT_EQ(tree.coordinate_of(2), 4);
  EXPECT_EQ(tree.coordinate_of(3), -1);
  EXPECT_EQ(tree.body_of_coordinate(4), 2);
  EXPECT_EQ(tree.find_coordinate("knee"), 4);
  EXPECT_EQ(tree.find_body("tool"), 3);
  EXPECT_EQ(tree.find_body("nope"), -1);
  EXPECT_DOUBLE_EQ(tree.total_mass(), 7.0);
  EXPECT_TRUE(tree.is_in_support(1, 3));
  EXPECT_FALSE(tree.is_in_support(2, 3));
  EXPECT_EQ(tree.support(2), (std::vector<int>{0, 1, 2}));
}

TEST(PlanarTree, WeldedBodyKeepsItsOffsetAndJointCoincides) {
  const PlanarTree tree(small_tree_specs());
  std::mt19937 rng(11);
  const Eigen::VectorXd q = random_vector(tree.num_coordinates(), rng, -1.0, 1.0);
  const Kinematics kin = kinematics(tree, q);
  EXPECT_NEAR(kin.theta_WB[3], kin.theta_WB[1] + 0.7, 1e-14);
  EXPECT_NEAR(kin.theta_WB[2], kin.theta_WB[1] + 0.2 - q[4], 1e-14);  // sign -1
  for (int b = 1; b < tree.num_bodies(); ++b) {
    const Vec2 from_parent = world_point(kin, tree.body(b).parent, tree.body(b).p_PJ);
    const Vec2 from_child = world_point(kin, b, tree.body(b).p_BJ);
    EXPECT_LT((from_parent - from_child).norm(), 1e-14) << b;
    EXPECT_LT((kin.p_WJ[b] - from_child).norm(), 1e-14) << b;
  }
}

TEST(PlanarTree, BodyRotationsAreTheCosineAndSineOfTheBodyAngles) {
  const PlanarTree tree(small_tree_specs());
  std::mt19937 rng(3);
  const Kinematics kin = kinematics(tree, random_vector(5, rng, -2.0, 2.0));
  for (int b = 0; b < tree.num_bodies(); ++b) {
    EXPECT_EQ(kin.R_WB[b].c, std::cos(kin.theta_WB[b])) << b;
    EXPECT_EQ(kin.R_WB[b].s, std::sin(kin.theta_WB[b])) << b;
    const Vec2 v(0.3, -0.7);
    EXPECT_EQ(kin.R_WB[b] * v, rotate(kin.theta_WB[b], v)) << b;
  }
}

TEST(PlanarTree, PointVelocityColumnAndPointForceMatchFiniteDifferences) {
  for_random_poses(
      1, 3, 0.7, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937& rng) {
        const int n = tree.num_coordinates();
        const Kinematics kin = kinematics(tree, q);
        for (int b = 0; b < tree.num_bodies(); ++b) {
          for (const Vec2& p_B : {Vec2(0.0, 0.0), Vec2(0.13, -0.07), Vec2(-0.2, 0.31)}) {
            const Vec2 p_W = world_point(kin, b, p_B);
            const Vec2 f_W = random_vector(2, rng, -50.0, 50.0);
            Eigen::VectorXd Q = Eigen::VectorXd::Constant(n, 1.5);  // add_ must accumulate
            add_point_force(tree, kin, b, p_W, f_W, Q);
            for (int k = 0; k < n; ++k) {
              const Vec2 fd = fd_point_column(tree, q, b, p_B, k);
              const Vec2 col = point_velocity_column(tree, kin, b, p_W, k);
              EXPECT_LT((col - fd).norm(), 1e-8) << "body " << b << " coordinate " << k;
              EXPECT_NEAR(Q[k] - 1.5, fd.dot(f_W), 1e-6) << "body " << b << " coordinate " << k;
            }
          }
        }
      });
}

TEST(PlanarTree, BodyMomentMatchesAngleDerivatives) {
  std::mt19937 rng(2);
  for (const NamedTree& t : trees()) {
    SCOPED_TRACE(t.name);
    const PlanarTree& tree = t.tree;
    const int n = tree.num_coordinates();
    const Eigen::VectorXd q = random_vector(n, rng, -0.7, 0.7);
    for (int b = 0; b < tree.num_bodies(); ++b) {
      Eigen::VectorXd Q = Eigen::VectorXd::Zero(n);
      add_body_moment(tree, b, 2.5, Q);
      for (int k = 0; k < n; ++k)
        EXPECT_NEAR(Q[k], 2.5 * fd_angle_column(tree, q, b, k), 1e-8) << b << " " << k;
    }
  }
}

TEST(PlanarTree, GravityForcesAreMinusPotentialGradient) {
  for_random_poses(3, 3, 0.8, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937&) {
    const int n = tree.num_coordinates();
    Eigen::VectorXd Q;
    calc_gravity_forces(tree, kinematics(tree, q), kGravityW, Q);
    ASSERT_EQ(Q.size(), n);
    const double h = 1e-6;
    for (int k = 0; k < n; ++k) {
      Eigen::VectorXd qp = q, qm = q;
      qp[k] += h;
      qm[k] -= h;
      const double dV = (potential_energy(tree, qp) - potential_energy(tree, qm)) / (2 * h);
      EXPECT_NEAR(Q[k], -dV, 1e-6 * (1.0 + std::abs(dV))) << "coordinate " << k;
    }
    // Root translation carries the whole weight.
    EXPECT_NEAR(Q[0], 0.0, 1e-12);
    EXPECT_NEAR(Q[1], -tree.total_mass() * kGravity, 1e-9);
  });
}

TEST(PlanarTree, CenterOfMassIsMassWeightedMean) {
  const PlanarTree tree(small_tree_specs());
  std::mt19937 rng(4);
  const Kinematics kin = kinematics(tree, random_vector(5, rng, -1.0, 1.0));
  Vec2 sum = Vec2::Zero();
  for (int b = 0; b < 4; ++b) sum += tree.body(b).mass * kin.p_WBcm[b];
  EXPECT_LT((calc_center_of_mass(tree, kin) - sum / 7.0).norm(), 1e-15);
}

TEST(PlanarTree, InverseDynamicsAtRestIsMinusGravity) {
  for_random_poses(5, 3, 0.8, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937&) {
    const Eigen::VectorXd zero = Eigen::VectorXd::Zero(tree.num_coordinates());
    const Kinematics kin = kinematics(tree, q);
    Eigen::VectorXd Qg, tau;
    calc_gravity_forces(tree, kin, kGravityW, Qg);
    calc_inverse_dynamics(tree, kin, zero, zero, kGravityW, tau);
    EXPECT_LT((tau + Qg).cwiseAbs().maxCoeff(), 1e-10);
  });
}

TEST(PlanarTree, MassMatrixIsSymmetricPositiveDefiniteAndMatchesJacobians) {
  for_random_poses(6, 3, 0.8, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937&) {
    const int n = tree.num_coordinates();
    const Eigen::MatrixXd M = mass_matrix_from_inverse_dynamics(tree, q);
    const double scale = M.cwiseAbs().maxCoeff();
    EXPECT_LT((M - M.transpose()).cwiseAbs().maxCoeff(), 1e-12 * scale);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(0.5 * (M + M.transpose()));
    EXPECT_GT(eig.eigenvalues().minCoeff(), 0.0);
    // Independent assembly: M = sum_b m_b Jcm^T Jcm + I_b Jw^T Jw from finite differences.
    Eigen::MatrixXd M_ref = Eigen::MatrixXd::Zero(n, n);
    for (int b = 0; b < tree.num_bodies(); ++b) {
      Eigen::MatrixXd Jv(2, n);
      Eigen::RowVectorXd Jw(n);
      for (int k = 0; k < n; ++k) {
        Jv.col(k) = fd_point_column(tree, q, b, tree.body(b).p_Bcm, k);
        Jw[k] = fd_angle_column(tree, q, b, k);
      }
      M_ref +=
          tree.body(b).mass * Jv.transpose() * Jv + tree.body(b).inertia_cm * Jw.transpose() * Jw;
    }
    EXPECT_LT((M - M_ref).cwiseAbs().maxCoeff(), 1e-7 * scale);
  });
}

// Without gravity, power balance: d/dt (kinetic energy) = qd . tau along q(t) = q + qd t +
// qdd t^2 / 2. Checks the velocity-product (Coriolis and centripetal) terms too.
TEST(PlanarTree, InverseDynamicsPowerEqualsRateOfKineticEnergy) {
  for_random_poses(
      7, 4, 0.8, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937& rng) {
        const int n = tree.num_coordinates();
        const Eigen::VectorXd qd = random_vector(n, rng, -2.0, 2.0);
        const Eigen::VectorXd qdd = random_vector(n, rng, -3.0, 3.0);
        Eigen::VectorXd tau;
        calc_inverse_dynamics(tree, kinematics(tree, q), qd, qdd, Vec2::Zero(), tau);
        const double power = qd.dot(tau);
        const double dt = 1e-4;
        auto energy_at = [&](double s) {
          return kinetic_energy(tree, q + s * qd + 0.5 * s * s * qdd, qd + s * qdd);
        };
        const double dTdt =
            (energy_at(-2 * dt) - 8 * energy_at(-dt) + 8 * energy_at(dt) - energy_at(2 * dt)) /
            (12 * dt);
        EXPECT_NEAR(power, dTdt, 1e-5 * (1.0 + std::abs(power)));
      });
}

// A closed form: the root held still, one link (thigh, with the shank and tool of the small tree
// removed) swinging about its joint at angular speed w and acceleration alpha, under gravity.
// The bodies' accelerations that inverse dynamics reports are the second time derivatives of
// their centres of mass and angles along q(t) = q + qd t + qdd t^2 / 2, and the root's
// translation rows of tau are the whole body's sum of m (a - g).
TEST(PlanarTree, InverseDynamicsReportsTheBodiesAccelerations) {
  for_random_poses(
      11, 4, 0.8, [](const PlanarTree& tree, const Eigen::VectorXd& q, std::mt19937& rng) {
        const int n = tree.num_coordinates();
        const Eigen::VectorXd qd = random_vector(n, rng, -2.0, 2.0);
        const Eigen::VectorXd qdd = random_vector(n, rng, -3.0, 3.0);
        Eigen::VectorXd tau;
        BodyAccelerations acc;
        calc_inverse_dynamics(tree, kinematics(tree, q), qd, qdd, kGravityW, tau, &acc);
        const double dt = 1e-4;
        const auto at = [&](double s) { return kinematics(tree, q + s * qd + 0.5 * s * s * qdd); };
        const Kinematics before = at(-dt), now = at(0.0), after = at(dt);
        Vec2 total = Vec2::Zero();
        for (int b = 0; b < tree.num_bodies(); ++b) {
          const Vec2 a_fd =
              (after.p_WBcm[b] - 2.0 * now.p_WBcm[b] + before.p_WBcm[b]) / (dt * dt);
          const double alpha_fd =
              (after.theta_WB[b] - 2.0 * now.theta_WB[b] + before.theta_WB[b]) / (dt * dt);
          EXPECT_LT((acc.a_WBcm[b] - a_fd).norm(), 1e-4 * (1.0 + a_fd.norm())) << b;
          EXPECT_NEAR(acc.alpha_WB[b], alpha_fd, 1e-4 * (1.0 + std::abs(alpha_fd))) << b;
          total += tree.body(b).mass * (acc.a_WBcm[b] - kGravityW);
        }
        EXPECT_NEAR(tau[0], total.x(), 1e-9 * (1.0 + total.norm()));
        EXPECT_NEAR(tau[1], total.y(), 1e-9 * (1.0 + total.norm()));
      });
}

TEST(PlanarTree, PendulumMatchesHandDerivedDynamics) {
  std::vector<BodySpec> specs = small_tree_specs();
  specs.resize(2);
  for (double sign : {1.0, -1.0}) {
    specs[1].coordinate_sign = sign;
    const PlanarTree tree(specs);
    const BodySpec& link = tree.body(1);
    Eigen::VectorXd q(4), qd = Eigen::VectorXd::Zero(4), qdd = Eigen::VectorXd::Zero(4);
    q << 0.3, -0.2, 0.4, 0.9;
    qd[3] = 1.7;
    qdd[3] = -2.3;
    const Kinematics kin = kinematics(tree, q);
    Eigen::VectorXd tau;
    calc_inverse_dynamics(tree, kin, qd, qdd, kGravityW, tau);

    const double w = sign * qd[3], alpha = sign * qdd[3];  // world angular rates of the link
    const Vec2 r = kin.p_WBcm[1] - kin.p_WJ[1];            // joint -> link CoM
    const double m = link.mass, I = link.inertia_cm;
    // CCW torque about the joint: (I + m |r|^2) alpha + m g_perp lever; gravity moment r x (m g).
    const double joint_torque = (I + m * r.squaredNorm()) * alpha - cross(r, m * kGravityW);
    EXPECT_NEAR(tau[3], sign * joint_torque, 1e-10);
    // The root must supply the link's CoM acceleration (tangential + centripetal) and hold the
    // weight of both bodies: F = m a_cm - (m_root + m) g.
    const Vec2 a_cm = alpha * perp(r) - w * w * r;
    const Vec2 F = m * a_cm - (tree.body(0).mass + m) * kGravityW;
    EXPECT_NEAR(tau[0], F.x(), 1e-10);
    EXPECT_NEAR(tau[1], F.y(), 1e-10);
    // Moment about the root origin O: link: r_O x (m (a_cm - g)) + I alpha; root: r x (-m_root g).
    const Vec2 O = kin.p_WBo[0];
    const double M_O = cross(kin.p_WBcm[1] - O, m * (a_cm - kGravityW)) + I * alpha +
                       cross(kin.p_WBcm[0] - O, -tree.body(0).mass * kGravityW);
    EXPECT_NEAR(tau[2], M_O, 1e-10);
  }
}

TEST(PlanarTree, RejectsMalformedTrees) {
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[1].parent = 2;  // parent listed after its child
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[2].parent = 2;  // its own parent
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[2].joint = JointType::floating;  // two floating bodies
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[0].joint = JointType::revolute;  // root does not float
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[0].parent = 0;  // root with a parent
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[2].mass = -1.0;
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[3].inertia_cm = -0.1;
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[1].mass = std::nan("");
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  {
    std::vector<BodySpec> s = small_tree_specs();
    s[2].coordinate_sign = 0.5;
    EXPECT_THROW(PlanarTree{s}, std::invalid_argument);
  }
  EXPECT_THROW(PlanarTree{std::vector<BodySpec>{}}, std::invalid_argument);
}

}  // namespace
}  // namespace pulley::skeleton
