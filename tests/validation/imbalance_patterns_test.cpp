// Quiet standing of the imbalance patterns against the seeds' claims (docs/domain.md, S3 and S4;
// figures in docs/validation.md, "Imbalance patterns"). S3: weak hamstrings with tight
// quadriceps and hip flexors tip the pelvis forward, arch the lower back and load the back of the
// discs. S4, the mirror case: the pelvis tips back, the lordosis flattens, the front of the discs
// is loaded. Nothing in the model was fitted to these directions.
#include <gtest/gtest.h>

#include <string>

#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {
namespace {

constexpr int kL4L5 = 3;

model::Subject demo(std::string_view id) {
  const io::DemoSubject* d = io::find_demo_subject(id);
  if (!d) ADD_FAILURE() << "no demo subject " << id;
  return d ? io::parse_subject_yaml(d->yaml, std::string(id) + ".yaml") : model::Subject{};
}

StandingResult stand(const model::Subject& subject) {
  StandingResult r = solve_standing(model::compile_model(subject));
  EXPECT_EQ(r.status, SolveStatus::converged) << r.message;
  return r;
}

// The typical subject's quiet standing, which every pattern is compared with (solved once).
const StandingResult& typical_standing() {
  static const StandingResult r = stand(demo("typical"));
  return r;
}

// The demo's S3 with its hip flexors' length factor (0.95) replaced by `length`.
model::Subject s3_with_hip_flexor_length(double length) {
  model::Subject s3 = demo("s3");
  int changed = 0;
  for (auto& m : s3.muscles)
    if (m.is_group && m.target == "hip_flexors") {
      m.both.length = length;
      ++changed;
    }
  EXPECT_EQ(changed, 1) << "the demo's S3 sets its hip flexors' length once";
  return s3;
}

TEST(ImbalancePatterns, S4TipsThePelvisBackAndFlattensTheLordosis) {
  const StandingResult& typical = typical_standing();
  const StandingResult s4 = stand(demo("s4"));
  EXPECT_GT(s4.posture.pelvic_tilt_deg, typical.posture.pelvic_tilt_deg);
  EXPECT_LT(s4.posture.lumbar_lordosis_deg, typical.posture.lumbar_lordosis_deg);
  EXPECT_LT(s4.lumbar[kL4L5].posterior_share, typical.lumbar[kL4L5].posterior_share);
}

TEST(ImbalancePatterns, ShorterHipFlexorsGiveS3ItsForwardTilt) {
  const StandingResult& typical = typical_standing();
  // The demo's S3 (hip flexors at 0.95 of their length) arches the back and loads the back of the
  // disc, but its pelvis sits further back than the typical subject's: the documented miss. Its
  // weak hamstrings alone tip the pelvis back (the least-effort posture leans on gravity rather
  // than on the weakened hip extensors), and at 0.95 the hip flexors' pull is too weak to turn it.
  const StandingResult s3 = stand(demo("s3"));
  EXPECT_GT(s3.posture.pelvic_tilt_deg, typical.posture.pelvic_tilt_deg);
  EXPECT_GT(s3.posture.lumbar_lordosis_deg, typical.posture.lumbar_lordosis_deg);
  EXPECT_GT(s3.lumbar[kL4L5].posterior_share, typical.lumbar[kL4L5].posterior_share);
  // Shorter hip flexors tip the pelvis forward step by step, with every S3 claim holding from a
  // length factor of 0.93 on (docs/validation.md: 12.9, 10.1 and 0.6 deg at 0.95, 0.93, 0.90
  // against the typical subject's 11.7).
  double last_tilt = s3.posture.pelvic_tilt_deg;
  for (const double length : {0.93, 0.90}) {
    SCOPED_TRACE("hip flexors' length factor " + std::to_string(length));
    const StandingResult r = stand(s3_with_hip_flexor_length(length));
    EXPECT_LT(r.posture.pelvic_tilt_deg, last_tilt);
    EXPECT_LT(r.posture.pelvic_tilt_deg, typical.posture.pelvic_tilt_deg);
    EXPECT_GT(r.posture.lumbar_lordosis_deg, s3.posture.lumbar_lordosis_deg);
    EXPECT_GT(r.lumbar[kL4L5].posterior_share, s3.lumbar[kL4L5].posterior_share);
    last_tilt = r.posture.pelvic_tilt_deg;
  }
  // chosen: 5 deg, half the forward tilt the model gives at 0.90 (11.1 deg) and beyond the
  // 4 deg spread of the published tilt at this pelvic incidence (Standing posture).
  EXPECT_LT(last_tilt, typical.posture.pelvic_tilt_deg - 5.0);
}

}  // namespace
}  // namespace pulley::tasks
