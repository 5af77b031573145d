// Internal to the tasks module: what the quasi-static tasks share (quiet standing as every
// task's reference, a frame runner that turns a posture search into a FrameResult with its
// loads) and the gait task, so that the task families in movement.cpp and fatigue_tasks.cpp use
// one implementation. Not installed.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/model.hpp"
#include "pulley/numerics/secant_predictor.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks::detail {

using model::Model;
using skeleton::Vec2;

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A recorded-motion task's `lumbar` parameter (movement.cpp, kLumbarLevels): settle, not recorded.
inline bool settles_lumbar_levels(const TaskOptions& o) { return o.word("lumbar") == "settle"; }

// What every task needs from quiet standing.
struct Reference {
  PostureVector p = PostureVector::Zero();
  double thorax_angle = 0.0, pelvis_angle = 0.0, lordosis = 0.0;
  Vec2 shoulder_thorax = Vec2::Zero();  // shoulder in the thorax frame
};

Reference make_reference(const model::Model& model, const StandingResult& standing);

// A frame's rotations from quiet standing: of the thorax (its angle in W given) and the pelvis
// in space, forward positive, and the lumbar flexion (fall of the summed lordosis).
void set_rotations_from_standing(const model::Model& model, const Reference& ref,
                                 double thorax_angle_W, FrameResult& f);

// The same for frames whose thorax angle is read from their configuration (gait, recordings).
void set_rotations_from_standing(const model::Model& model, const Reference& ref,
                                 std::vector<FrameResult>& frames);

// The posture searches' lower or upper bounds (rad).
PostureVector bounds(bool upper);
/// Where an infeasible frame's muscles fall short most: "the muscles fall short at the hip by
/// 7.4 N m" (its largest reserve moment).
std::string shortfall_text(const FrameResult& frame);
// Every posture coordinate free (NaN), for make_posture_map.
inline PostureVector all_free() { return PostureVector::Constant(kNaN); }

// Start of a frame's posture search along a path of frames with a scalar parameter (the bend's
// rotation, a hold's time).
using StartPredictor = numerics::SecantPredictor<PostureVector>;

// Searches or recruits frames of one support and assembles them into FrameResults with their
// loads and reserve moments.
class FrameRunner {
 public:
  FrameRunner(const Model& model, Support support, const Reference& ref, bool reserve_on)
      : model_(model), solver_(model, support), ref_(ref), reserve_on_(reserve_on) {}

  PostureSolver& solver() { return solver_; }

  FrameResult solve(const FrameConditions& conditions, const PostureMap& map,
                    const PostureVector& warm) {
    const FrameSolution s = solver_.solve(conditions, map, free_from_posture(map, warm));
    return assemble(s, conditions);
  }

  // Like solve, with the hand load kept `distance` ahead of L5-S1: the load acts at a point fixed
  // in the thorax during each search, moved between searches until the distance holds (1 mm).
  FrameResult solve_with_load_at(FrameConditions conditions, const PostureMap& map,
                                 const PostureVector& warm, double distance) {
    PostureVector p = warm;
    FrameResult frame;
    int evaluations = 0;  // of every attempt, not only the last
    for (int attempt = 0; attempt < 6; ++attempt) {
      anchor_load(conditions, p, distance);
      frame = solve(conditions, map, p);
      evaluations += frame.evaluations;
      p = posture_of(model_, frame.q);
      if (std::abs(frame.load_distance_m - distance) < 1e-3) break;
    }
    frame.evaluations = evaluations;
    return frame;
  }

  FrameResult recruit(const FrameConditions& conditions, const PostureVector& p) {
    return assemble(solver_.recruit(conditions, p), conditions);
  }

 private:
  // Puts the load's point in the thorax `distance` ahead of the L5-S1 joint, at its height, in
  // posture p.
  void anchor_load(FrameConditions& conditions, const PostureVector& p, double distance) {
    FrameEquations& eq = solver_.equations();
    eq.set_conditions(conditions);
    eq.evaluate_kinematics(p);
    const auto& kin = eq.data.kin;
    const int T = model_.body.thorax;
    const Vec2 l5s1 = kin.p_WJ[model_.body.lumbar[4]];
    const Vec2 target = l5s1 + Vec2(distance, 0.0);
    const auto& R = kin.R_WB[T];
    const Vec2 d = target - kin.p_WBo[T];
    conditions.load.p_thorax = Vec2(R.c * d.x() + R.s * d.y(), -R.s * d.x() + R.c * d.y());
  }

  FrameResult assemble(const FrameSolution& s, const FrameConditions& conditions) {
    FrameEquations& eq = solver_.equations();
    const auto& data = eq.data;
    FrameResult f;
    f.converged = s.converged;
    f.evaluations = s.evaluations;
    f.q = eq.q;
    f.posture = measure_posture(model_, eq.q, data);
    set_rotations_from_standing(model_, ref_, data.kin.theta_WB[model_.body.thorax], f);
    const Vec2 load_W = eq.load_point_W();
    f.load_distance_m = conditions.load.mass_kg > 0.0
                            ? load_W.x() - data.kin.p_WJ[model_.body.lumbar[4]].x()
                            : 0.0;
    f.force_n = s.force;
    f.activation = s.activation;
    f.effort = s.effort;
    const Eigen::VectorXd Q_muscle = data.moment_arms * s.force;
    f.muscle_moments = joint_moments(model_, Q_muscle);
    double worst = 0.0;
    for (int r = 0; r < s.unmet.size(); ++r) {
      f.reserve_nm[eq.first_row() + r] = s.unmet[r];
      worst = std::max(worst, std::abs(s.unmet[r]));
    }
    f.feasible = worst <= kUnmetToleranceNm;
    // Loads.
    loads::ExternalLoads ext;
    ext.gravity_W = conditions.support == Support::bed ? Vec2::Zero() : Vec2(0.0, -kGravity);
    ext.legs_supported = conditions.support == Support::seat;
    ext.feet_on_ground = conditions.support == Support::feet;
    if (conditions.load.mass_kg > 0.0) {
      ext.hand_body = model_.body.thorax;
      ext.hand_point_W = load_W;
      ext.hand_force_W = conditions.load.mass_kg * ext.gravity_W;
    }
    Eigen::VectorXd Q_total = eq.Q_external + data.Q_passive + Q_muscle;
    // With the reserve on, its moments act on the posture coordinates like muscles.
    if (reserve_on_) Q_total += eq.J * Eigen::Map<const PostureVector>(f.reserve_nm.data());
    loads::calc_joint_loads(model_, data, s.force, Q_total, ext, f.loads);
    return f;
  }

  const Model& model_;
  PostureSolver solver_;
  const Reference& ref_;
  bool reserve_on_;
};

// Walk, run, sprint: the recorded stride on this subject (movement.cpp).
void run_gait(const model::Model& model, const Reference& ref, const StandingResult& standing,
              const TaskOptions& o, const TaskInputs& inputs, TaskResult& out);

// The tasks that tire the muscles (fatigue_tasks.cpp).
void run_trunk_endurance(const model::Model& model, const Reference& ref,
                         const StandingResult& standing, const TaskOptions& o, TaskResult& out);
void run_repeated_sprints(const model::Model& model, const Reference& ref,
                          const StandingResult& standing, const TaskOptions& o, TaskResult& out);
void run_long_stand(const model::Model& model, const Reference& ref,
                    const StandingResult& standing, const TaskOptions& o, TaskResult& out);

}  // namespace pulley::tasks::detail
