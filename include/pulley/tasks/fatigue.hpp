// Fatigue of a model's muscles (muscle/fatigue.hpp, one three-compartment state per muscle and
// side) and what it does to the model: lower capacity and, as a hypothesis, raised passive tone
// (docs/fatigue.md).
//
// Target load. A muscle's target is the force its units are asked for above resting tone, as a
// fraction of the muscle's maximum: TL = sum_i F_M_max,i max(a_i - tone, 0) / sum_i F_M_max,i.
// chosen: tone itself is not counted, or a muscle would tire lying in bed; resting tone is held
// by few, fatigue-resistant units (docs/fatigue.md).
//
// Effects, per muscle with residual capacity RC = 1 - M_F:
//   capacity  = min(capacity from the subject file, RC): voluntary drive cannot reach the
//               fatigued units (an inhibited muscle at capacity 0.5 that has lost 30 % of its
//               units still reaches 0.5);
//   stiffness = passive force scaled by 1 + kFatigueToneGain M_F: tired muscles tighten (claim S5).
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string_view>
#include <vector>

#include "pulley/model/model.hpp"
#include "pulley/muscle/fatigue.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {

/// Rise of passive fibre force per unit of fatigued fraction M_F (dimensionless). HYPOTHESIS
/// (claim S5, "tired muscles tighten"); chosen: a muscle that has lost a third of its units
/// resists stretch a third more. No measurement fixes its size; docs/fatigue.md gives the
/// evidence that muscles stiffen after fatiguing or eccentric work.
inline constexpr double kFatigueToneGain = 1.0;

/// The joint whose published rates a muscle takes: knee for the hamstrings and quadriceps, ankle
/// for the calves and tibialis anterior, trunk for the back and abdominal muscles, general for
/// the hip's own muscles (no hip rates are published).
muscle::FatigueJoint fatigue_joint(std::string_view group, std::string_view base_name);

/// The fatigue of every muscle of a model, in Model::muscles order.
struct ModelFatigue {
  std::vector<muscle::FatigueParameters> parameters;
  std::vector<muscle::FatigueState> state;

  /// Fresh muscles with the rates of their joints.
  explicit ModelFatigue(const model::Model& model);

  int num_muscles() const { return static_cast<int>(state.size()); }
  /// Advances every muscle by `duration_s` at constant targets (one per muscle).
  void advance(const Eigen::VectorXd& targets, double duration_s);
  /// The residual capacity of each muscle (1 - M_F).
  Eigen::VectorXd capacities() const;
};

/// Each muscle's target load (see above) from the units' activations at resting tone `tone`.
void muscle_target_loads(const model::Model& model, const Eigen::VectorXd& activation,
                         double tone, Eigen::VectorXd& targets);

/// The factor fatigue puts on a muscle's passive force: 1 + kFatigueToneGain M_F.
inline double fatigue_tone_factor(const muscle::FatigueState& state) {
  return 1.0 + kFatigueToneGain * state.fatigued;
}

/// The activation a unit of `model` can reach with its muscle's fatigue (see above: the lower of
/// its capacity and its muscle's residual capacity); the solvers then keep resting tone.
double fatigued_capacity(const model::MusculotendonUnit& unit, const ModelFatigue& fatigue);

/// `model` with fatigue's effects applied to every unit (see above).
model::Model fatigued_model(const model::Model& model, const ModelFatigue& fatigue);

/// The hold of the `trunk-endurance` task (the prone trunk-extensor endurance test,
/// docs/fatigue.md) without the task's after-effects: the time (s) at which the back muscles, tiring second by
/// second, can no longer hold the trunk horizontal; empty when they hold it for `limit_s` (s,
/// finite, >= 0; the task's default is 600). `standing` is the subject's quiet standing, whose
/// posture the body keeps on the bench. The clinical tests (assess/clinical_tests.hpp) use it.
std::optional<double> trunk_extensor_endurance_time(const model::Model& model,
                                                    const StandingResult& standing,
                                                    double limit_s);

}  // namespace pulley::tasks
