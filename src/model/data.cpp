#include "pulley/model/data.hpp"

#include <cmath>
#include <utility>

#include "pulley/core/error.hpp"

namespace pulley::model {

namespace {

std::vector<int> every_unit(const Model& model) {
  std::vector<int> units(model.units.size());
  for (int i = 0; i < model.num_units(); ++i) units[i] = i;
  return units;
}

}  // namespace

Data::Data(const Model& model) : Data(model, every_unit(model)) {}

Data::Data(const Model& model, std::vector<int> units_in) : units(std::move(units_in)) {
  for (std::size_t j = 0; j < units.size(); ++j)
    PULLEY_DEMAND(
        units[j] >= 0 && units[j] < model.num_units() && (j == 0 || units[j - 1] < units[j]),
        "Data: unit indices must be valid and ascending");
  kin.resize(model.tree.num_bodies());
  paths.resize(units.size());
  std::vector<const geometry::PathSpec*> specs;
  std::vector<const geometry::MomentArmMap*> maps;
  for (std::size_t j = 0; j < units.size(); ++j) {
    geometry::reserve_path_geometry(model.units[units[j]].path, paths[j]);
    specs.push_back(&model.units[units[j]].path);
    maps.push_back(&model.units[units[j]].moment_arm_map);
  }
  // Each leg body's mirror image is the other leg's; every other body is its own.
  std::vector<int> body_mirror(model.tree.num_bodies());
  for (int b = 0; b < model.tree.num_bodies(); ++b) body_mirror[b] = b;
  for (const auto& pair : {model.body.femur, model.body.tibia, model.body.foot}) {
    body_mirror[pair[0]] = pair[1];
    body_mirror[pair[1]] = pair[0];
  }
  path_set = geometry::make_path_set(model.tree, specs, maps, body_mirror);
  // Only the computed units' (the others keep length 0, where no fibre height is needed).
  fibre_height.assign(model.units.size(), 0.0);
  for (const int i : units) fibre_height[i] = muscle::fibre_height(model.units[i].params);
  twin.assign(model.units.size(), -1);
  for (std::size_t p = 0; p < units.size(); ++p) {
    const int m = path_set.mirror_of[p];
    if (m < 0) continue;
    const int i = units[p], j = units[static_cast<std::size_t>(m)];
    if (model.units[j].params == model.units[i].params && fibre_height[j] == fibre_height[i])
      twin[i] = j;
  }
  passive_force.setZero(model.num_units());
  l_MT.setZero(model.num_units());
  moment_arms.setZero(model.num_coordinates(), model.num_units());
  if (static_cast<int>(units.size()) != model.num_units())
    subset_moment_arms.setZero(model.num_coordinates(), static_cast<Eigen::Index>(units.size()));
  Q_passive.setZero(model.num_coordinates());
  passive_load.setZero(model.num_coordinates());
}

void calc_musculotendon_geometry(const Model& model, const Eigen::VectorXd& q, Data& data) {
  skeleton::calc_kinematics(model.tree, q, data.kin);
  // Mechanics only (nothing here draws the paths), all units in one flat loop.
  if (data.subset_moment_arms.size() == 0) {
    geometry::calc_path_set(model.tree, data.kin, data.path_set, data.paths, data.moment_arms,
                            &data.path_memo);
    for (int i = 0; i < model.num_units(); ++i) data.l_MT[i] = data.paths[i].length;
    return;
  }
  geometry::calc_path_set(model.tree, data.kin, data.path_set, data.paths, data.subset_moment_arms,
                          &data.path_memo);
  for (std::size_t j = 0; j < data.units.size(); ++j) {
    const int i = data.units[j];
    data.l_MT[i] = data.paths[j].length;
    data.moment_arms.col(i) = data.subset_moment_arms.col(static_cast<Eigen::Index>(j));
  }
}

double lumbar_passive_moment(const LumbarLevel& level, double q, double* energy) {
  const double d = q - level.neutral_rad;
  const double c = d < 0.0 ? level.c_flexion_rad : level.c_extension_rad;
  const double u = d / c;
  // E = k (d^2/2 + d^4/(4 c^2)), M = -dE/dd
  if (energy) *energy = level.k_nm_per_rad * (0.5 * d * d + 0.25 * d * d * u * u);
  return -level.k_nm_per_rad * (1.0 + u * u) * d;
}

double lumbar_passive_stiffness(const LumbarLevel& level, double q) {
  const double d = q - level.neutral_rad;
  const double u = d / (d < 0.0 ? level.c_flexion_rad : level.c_extension_rad);
  return level.k_nm_per_rad * (1.0 + 3.0 * u * u);
}

double joint_limit_moment(const JointLimit& j, double q, double* energy) {
  const double s = j.opensim_sign;
  const double qo = s * q;
  // M_os = k1 exp(k2 (q - theta2)) + k3 exp(k4 (q - theta1)); on Pulley's q: s * M_os
  const double e1 = std::exp(j.k2 * (qo - j.theta2)), e2 = std::exp(j.k4 * (qo - j.theta1));
  if (energy) {
    // E = -int_0^q M dq = -(k1/k2)(e1 - e1(0)) - (k3/k4)(e2 - e2(0))
    *energy = -(j.k1 / j.k2) * (e1 - std::exp(-j.k2 * j.theta2)) -
              (j.k3 / j.k4) * (e2 - std::exp(-j.k4 * j.theta1));
  }
  return s * (j.k1 * e1 + j.k3 * e2);
}

double joint_ligament_moment(const JointLigament& g, double q, double* energy) {
  const double x = g.engage_rad - q;  // how far past the engagement angle
  if (!(x > 0.0)) {
    if (energy) *energy = 0.0;
    return 0.0;
  }
  const double bx = g.rate_per_rad * x, e = std::exp(bx);
  // E = (k/b) (e^(bx) - 1 - bx - (bx)^2/2), M = -dE/dq = dE/dx = k (e^(bx) - 1 - bx)
  if (energy) *energy = g.stiffness_nm / g.rate_per_rad * (e - 1.0 - bx - 0.5 * bx * bx);
  return g.stiffness_nm * (e - 1.0 - bx);
}

void calc_passive_joint_forces(const Model& model, const Eigen::VectorXd& q, Data& data) {
  data.Q_passive.setZero();
  data.passive_energy = 0.0;
  double e = 0.0;
  for (const LumbarLevel& lv : model.levels) {
    data.Q_passive[lv.coordinate] += lumbar_passive_moment(lv, q[lv.coordinate], &e);
    data.passive_energy += e;
  }
  for (const JointLimit& j : model.limits) {
    data.Q_passive[j.coordinate] += joint_limit_moment(j, q[j.coordinate], &e);
    data.passive_energy += e;
  }
  for (const JointLigament& g : model.ligaments) {
    data.Q_passive[g.coordinate] += joint_ligament_moment(g, q[g.coordinate], &e);
    data.passive_energy += e;
  }
}

double rigid_tendon_passive_force(const muscle::MusculotendonParameters& params, double h,
                                  double l_MT) {
  // muscle::pennation_from_projection gives the same l_M and cos(alpha) with an arctangent this
  // per-evaluation path does not need.
  const double x = l_MT - params.l_T_slack;  // fibre's projection on the tendon line
  if (!(x > 0.0)) return 0.0;
  const double l_M = std::sqrt(x * x + h * h);
  return muscle::passive_fibre_force(params, l_M) * x / l_M;
}

void calc_passive_load(const Model& model, Data& data) {
  data.passive_load = data.Q_passive;
  for (int i = 0; i < model.num_units(); ++i) {
    const int j = data.twin[i];
    const double F =
        j >= 0 && data.l_MT[j] == data.l_MT[i]
            ? data.passive_force[j]
            : rigid_tendon_passive_force(model.units[i].params, data.fibre_height[i], data.l_MT[i]);
    data.passive_force[i] = F;
    if (F != 0.0) data.passive_load.noalias() += F * data.moment_arms.col(i);
  }
}

}  // namespace pulley::model
