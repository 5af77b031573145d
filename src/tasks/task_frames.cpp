#include "task_frames.hpp"

#include <cmath>

#include "pulley/core/units.hpp"

namespace pulley::tasks::detail {

namespace {

// Posture bounds of the searches (deg; chosen: well outside the angles the tasks reach, inside
// the joints' ranges).
constexpr double kAnkleRangeDeg[2] = {-30.0, 40.0};
constexpr double kKneeRangeDeg[2] = {-25.0, 140.0};
constexpr double kHipRangeDeg[2] = {-30.0, 140.0};
constexpr double kLumbarRangeDeg[2] = {-30.0, 45.0};

// Shoulder height as a fraction of stature (Winter DA 2009, Biomechanics and motor control of
// human movement, 4th ed., fig. 4.1): where the hands' load enters the trunk when the arms hang.
constexpr double kShoulderHeightOverStature = 0.818;

}  // namespace

Reference make_reference(const model::Model& model, const StandingResult& standing) {
  Reference ref;
  ref.p = posture_of(model, standing.q);
  FrameEquations eq(model);
  eq.evaluate_kinematics(ref.p);
  const int T = model.body.thorax;
  ref.thorax_angle = eq.data.kin.theta_WB[T];
  ref.pelvis_angle = eq.q[2];
  ref.lordosis = ref.p.tail<5>().sum();
  // The floor is at y = 0 (standing_configuration): the shoulder is the point of the thorax axis
  // at shoulder height in standing.
  const auto& R = eq.data.kin.R_WB[T];
  const double height = kShoulderHeightOverStature * model.subject.height_m;
  ref.shoulder_thorax = Vec2(0.0, (height - eq.data.kin.p_WBo[T].y()) / R.c);
  return ref;
}

void set_rotations_from_standing(const model::Model& model, const Reference& ref,
                                 double thorax_angle_W, FrameResult& f) {
  f.thorax_rotation_deg = rad_to_deg(ref.thorax_angle - thorax_angle_W);
  f.pelvis_rotation_deg = rad_to_deg(ref.pelvis_angle - f.q[2]);
  double lordosis = 0.0;
  for (int c : model.coord.lumbar) lordosis += f.q[c];
  f.lumbar_flexion_deg = rad_to_deg(ref.lordosis - lordosis);
}

void set_rotations_from_standing(const model::Model& model, const Reference& ref,
                                 std::vector<FrameResult>& frames) {
  skeleton::Kinematics kin;
  kin.resize(model.tree.num_bodies());
  for (FrameResult& f : frames) {
    skeleton::calc_kinematics(model.tree, f.q, kin);
    set_rotations_from_standing(model, ref, kin.theta_WB[model.body.thorax], f);
  }
}

PostureVector bounds(bool upper) {
  PostureVector b;
  const int i = upper ? 1 : 0;
  b << kAnkleRangeDeg[i], kKneeRangeDeg[i], kHipRangeDeg[i], kLumbarRangeDeg[i],
      kLumbarRangeDeg[i], kLumbarRangeDeg[i], kLumbarRangeDeg[i], kLumbarRangeDeg[i];
  return b * (kPi / 180.0);
}

}  // namespace pulley::tasks::detail
