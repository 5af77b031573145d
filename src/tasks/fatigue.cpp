#include "pulley/tasks/fatigue.hpp"

#include <algorithm>

#include "pulley/core/error.hpp"

namespace pulley::tasks {

using muscle::FatigueJoint;

FatigueJoint fatigue_joint(std::string_view group, std::string_view base_name) {
  if (group == "hamstrings" || group == "quadriceps") return FatigueJoint::knee;
  if (group == "calves" || base_name == "tibialis_anterior") return FatigueJoint::ankle;
  if (group == "erector_spinae" || group == "abdominals") return FatigueJoint::trunk;
  return FatigueJoint::general;
}

ModelFatigue::ModelFatigue(const model::Model& model) {
  for (const model::Muscle& m : model.muscles)
    parameters.push_back(muscle::fatigue_parameters(fatigue_joint(m.group, m.base_name)));
  state.assign(model.muscles.size(), muscle::FatigueState{});
}

void ModelFatigue::advance(const Eigen::VectorXd& targets, double duration_s) {
  PULLEY_DEMAND(targets.size() == num_muscles(), "ModelFatigue::advance: one target per muscle");
  for (int m = 0; m < num_muscles(); ++m)
    muscle::advance_fatigue(parameters[m], targets[m], duration_s, state[m]);
}

Eigen::VectorXd ModelFatigue::capacities() const {
  Eigen::VectorXd c(num_muscles());
  for (int m = 0; m < num_muscles(); ++m) c[m] = state[m].capacity();
  return c;
}

void muscle_target_loads(const model::Model& model, const Eigen::VectorXd& activation,
                         double tone, Eigen::VectorXd& targets) {
  PULLEY_DEMAND(activation.size() == model.num_units(), "muscle_target_loads: one activation per unit");
  targets.resize(static_cast<Eigen::Index>(model.muscles.size()));
  for (std::size_t m = 0; m < model.muscles.size(); ++m) {
    double asked = 0.0, maximum = 0.0;
    for (const int i : model.muscles[m].units) {
      const double f_max = model.units[i].params.F_M_max;
      asked += f_max * std::max(activation[i] - tone, 0.0);
      maximum += f_max;
    }
    targets[static_cast<Eigen::Index>(m)] = maximum > 0.0 ? std::min(asked / maximum, 1.0) : 0.0;
  }
}

double fatigued_capacity(const model::MusculotendonUnit& unit, const ModelFatigue& fatigue) {
  return std::min(unit.capacity, fatigue.state[unit.muscle].capacity());
}

model::Model fatigued_model(const model::Model& model, const ModelFatigue& fatigue) {
  PULLEY_DEMAND(fatigue.num_muscles() == static_cast<int>(model.muscles.size()),
                "fatigued_model: the fatigue belongs to another model");
  model::Model tired = model;
  for (model::MusculotendonUnit& u : tired.units) {
    u.capacity = fatigued_capacity(u, fatigue);
    u.params.passive_scale *= fatigue_tone_factor(fatigue.state[u.muscle]);
  }
  return tired;
}

}  // namespace pulley::tasks
