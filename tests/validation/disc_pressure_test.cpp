// L4-L5 intradiscal pressure of the default forward bend against Wilke et al. 1999 (results
// tabulated in docs/validation.md). The model's parameters were not fitted to these values.
//
// Wilke HJ, Neef P, Caimi M, Hoogland T, Claes LE (1999) New in vivo measurements of pressures in
// the intervertebral disc in daily life. Spine 24:755-762: relaxed standing 0.50 MPa, standing
// flexed forward 1.10 MPa, a ratio of 2.2 (accepted 1.7-2.8). The paper gives no angle for the
// flexed posture; the companion data set (Wilke et al. 2001, Clin Biomech 16 S1:S111, read in a
// secondary summary) gives 1.08 MPa at 36 deg of flexion, and AnyBody's reconstruction of the
// posture for its own validation flexes the thorax 30 deg on the pelvis (AMMR,
// Application/Validation/WilkeSpinalDiscPressure/SpinePressureStandingFlexed). Both ends of that
// range are checked here.
#include <gtest/gtest.h>

#include <algorithm>

#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::tasks {
namespace {

constexpr double kFlexedOverStandingLow = 1.7, kFlexedOverStandingHigh = 2.8;
constexpr double kFlexedPostureLowDeg = 30.0, kFlexedPostureHighDeg = 36.0;
constexpr int kL4L5 = 3;

// L4-L5 pressure over quiet standing at a thorax rotation of the bend.
double pressure_ratio_at(const TaskResult& r, double thorax_rotation_deg) {
  return along_bend(r, thorax_rotation_deg,
                    [](const FrameResult& f) { return f.loads.lumbar[kL4L5].disc_pressure_mpa; }) /
         r.standing.lumbar[kL4L5].disc_pressure_mpa;
}

TEST(DiscPressure, StandingFlexedForwardAsWilke) {
  const model::Model m = model::compile_model(model::Subject{});
  const TaskResult r = run_task(m, parse_task_options("forward-bend", {}));
  ASSERT_EQ(r.infeasible_frames, 0);
  ASSERT_GT(summarise(m, r).bend->peak_thorax_inclination_deg, kFlexedPostureHighDeg);
  for (const double angle : {kFlexedPostureLowDeg, kFlexedPostureHighDeg}) {
    const double ratio = pressure_ratio_at(r, angle);
    EXPECT_GE(ratio, kFlexedOverStandingLow) << "at " << angle << " deg";
    EXPECT_LE(ratio, kFlexedOverStandingHigh) << "at " << angle << " deg";
  }

  // Documented miss (docs/validation.md): at the deepest frame of the toe-touch, a posture no
  // pressure measurement we found covers, the rigid thorax makes the abdominals pull the trunk
  // down and the ratio exceeds Wilke's upper bound. This must still hold until the docs change.
  const auto deepest = std::max_element(
      r.frames.begin(), r.frames.end(),
      [](const FrameResult& a, const FrameResult& b) {
        return a.thorax_rotation_deg < b.thorax_rotation_deg;
      });
  EXPECT_GT(deepest->loads.lumbar[kL4L5].disc_pressure_mpa /
                r.standing.lumbar[kL4L5].disc_pressure_mpa,
            kFlexedOverStandingHigh);
}

}  // namespace
}  // namespace pulley::tasks
