#include "pulley/tasks/moment_arms.hpp"

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"

namespace pulley::tasks {

namespace {

// A unit crosses a joint when its moment arm is above round-off (m).
constexpr double kCrossingThreshold = 1e-9;

}  // namespace

int sweep_joint_coordinate(const model::Model& model, std::string_view joint, model::Side side) {
  const int s = model::side_index(side);
  if (joint == "hip") return model.coord.hip[s];
  if (joint == "knee") return model.coord.knee[s];
  if (joint == "ankle") return model.coord.ankle[s];
  for (const model::LumbarLevel& level : model.levels)
    if (joint == level.name) return level.coordinate;
  return -1;
}

Eigen::VectorXd neutral_configuration(const model::Model& model) {
  Eigen::VectorXd q = Eigen::VectorXd::Zero(model.num_coordinates());
  for (const model::LumbarLevel& level : model.levels) q[level.coordinate] = level.neutral_rad;
  return q;
}

double muscle_moment_arm(const model::Model& model, const model::Data& data, int muscle,
                         int coordinate, int* crossing_units) {
  double weight = 0.0, weighted = 0.0;
  int crossing = 0;
  for (int i : model.muscles[muscle].units) {
    const double r = data.moment_arms(coordinate, i);
    if (std::abs(r) <= kCrossingThreshold) continue;
    const double w = model.units[i].params.F_M_max;
    weight += w;
    weighted += w * r;
    ++crossing;
  }
  if (crossing_units) *crossing_units = crossing;
  return weight > 0.0 ? weighted / weight : 0.0;
}

MomentArmSweep sweep_moment_arms(const model::Model& model, int coordinate,
                                 const std::vector<double>& angle_rad, model::Side side,
                                 const Eigen::VectorXd& base, bool both_sides) {
  PULLEY_DEMAND(coordinate >= 3 && coordinate < model.num_coordinates(),
                "sweep_moment_arms needs a joint coordinate");
  const Eigen::VectorXd base_q =
      base.size() == model.num_coordinates() ? base : neutral_configuration(model);
  Eigen::VectorXd q = base_q;
  const int num_muscles = static_cast<int>(model.muscles.size());
  std::vector<MuscleMomentArms> all(num_muscles);
  for (int m = 0; m < num_muscles; ++m) {
    all[m].muscle = m;
    all[m].moment_arm_m.reserve(angle_rad.size());
  }
  // Groups of this side, in order of first appearance.
  std::vector<GroupMomentArms> groups;
  std::vector<int> group_of(num_muscles, -1);
  for (int m = 0; m < num_muscles; ++m) {
    const auto& muscle = model.muscles[m];
    if (muscle.group.empty() || muscle.side != side) continue;
    int g = 0;
    while (g < static_cast<int>(groups.size()) && groups[g].group != muscle.group) ++g;
    if (g == static_cast<int>(groups.size())) groups.push_back({muscle.group, 0, {}});
    group_of[m] = g;
  }
  model::Data data(model);
  std::vector<double> group_weight(groups.size()), group_sum(groups.size());
  std::vector<int> group_crossing(groups.size());
  for (double angle : angle_rad) {
    q[coordinate] = angle;
    model::calc_musculotendon_geometry(model, q, data);
    std::fill(group_weight.begin(), group_weight.end(), 0.0);
    std::fill(group_sum.begin(), group_sum.end(), 0.0);
    std::fill(group_crossing.begin(), group_crossing.end(), 0);
    for (int m = 0; m < num_muscles; ++m) {
      int crossing = 0;
      all[m].moment_arm_m.push_back(muscle_moment_arm(model, data, m, coordinate, &crossing));
      all[m].crossing_units = std::max(all[m].crossing_units, crossing);
      if (group_of[m] < 0) continue;
      for (int i : model.muscles[m].units) {
        const double r = data.moment_arms(coordinate, i);
        if (std::abs(r) <= kCrossingThreshold) continue;
        group_weight[group_of[m]] += model.units[i].params.F_M_max;
        group_sum[group_of[m]] += model.units[i].params.F_M_max * r;
        ++group_crossing[group_of[m]];
      }
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      groups[g].moment_arm_m.push_back(group_weight[g] > 0.0 ? group_sum[g] / group_weight[g]
                                                             : 0.0);
      groups[g].crossing_units = std::max(groups[g].crossing_units, group_crossing[g]);
    }
  }
  MomentArmSweep sweep;
  sweep.coordinate = coordinate;
  sweep.base_q = base_q;
  sweep.angle_rad = angle_rad;
  for (auto& m : all)
    if (m.crossing_units > 0 && (both_sides || model.muscles[m.muscle].side == side))
      sweep.muscles.push_back(std::move(m));
  for (auto& g : groups)
    if (g.crossing_units > 0) sweep.groups.push_back(std::move(g));
  return sweep;
}

}  // namespace pulley::tasks
