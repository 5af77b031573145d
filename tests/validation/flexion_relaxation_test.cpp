// Flexion-relaxation in the default forward bend against Kippers & Parker 1984 (results tabulated
// in docs/validation.md). The model's parameters were not fitted to these values.
//
// Kippers V, Parker AW (1984) Posture related to myoelectric silence of erectores spinae during
// trunk flexion. Spine 9:740-745: the erector spinae fall silent at 89 % of maximum vertebral
// (lumbar) flexion, 48 +- 6 deg (SD), and at two-thirds of maximum trunk flexion, 80 +- 13 deg.
#include <gtest/gtest.h>

#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"

namespace pulley::tasks {
namespace {

constexpr double kLumbarAtSilenceDeg = 48.0, kLumbarAtSilenceSdDeg = 6.0;
constexpr double kLumbarFractionAtSilence = 0.89;
constexpr double kTrunkAtSilenceDeg = 80.0, kTrunkAtSilenceSdDeg = 13.0;

TEST(FlexionRelaxation, ErectorSpinaeFallSilentNearFullLumbarFlexion) {
  const model::Model m = model::compile_model(model::Subject{});
  const TaskResult r = run_task(m, parse_task_options("forward-bend", {}));
  const TaskSummary s = summarise(m, r);
  ASSERT_TRUE(s.bend.has_value());
  ASSERT_TRUE(s.bend->erector_silence.has_value()) << "no flexion-relaxation at all";
  const auto& e = *s.bend->erector_silence;
  EXPECT_TRUE(e.silent_at_deepest_frame);

  // Within one SD of the published lumbar flexion at silence, as a fraction of maximum flexion:
  // (48 - 6) / (48 / 0.89) = 0.78 up to 1.
  const double max_lumbar = kLumbarAtSilenceDeg / kLumbarFractionAtSilence;
  EXPECT_GE(e.onset_fraction_of_peak_lumbar_flexion,
            (kLumbarAtSilenceDeg - kLumbarAtSilenceSdDeg) / max_lumbar);
  EXPECT_LE(e.onset_fraction_of_peak_lumbar_flexion, 1.0);

  // Documented miss (docs/validation.md): the model falls silent later in the bend, at 118 deg
  // of thorax rotation against 80 +- 13 deg. This must still miss until the docs are updated.
  EXPECT_GT(e.onset_thorax_rotation_deg, kTrunkAtSilenceDeg + kTrunkAtSilenceSdDeg);
}

}  // namespace
}  // namespace pulley::tasks
