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

StandingResult stand(const std::string& yaml) {
  const model::Model m = model::compile_model(io::parse_subject_yaml(yaml, "subject.yaml"));
  StandingResult r = solve_standing(m);
  EXPECT_EQ(r.status, SolveStatus::converged) << r.message;
  return r;
}

std::string demo_yaml(std::string_view id) {
  for (const auto& d : io::demo_subjects())
    if (d.id == id) return std::string(d.yaml);
  ADD_FAILURE() << "no demo subject " << id;
  return {};
}

// The demo's S3 factors with the hip flexors' length factor `length`.
std::string s3_with_hip_flexor_length(double length) {
  return "sex: male\nage: 35\nheight_m: 1.75\nmass_kg: 75\npelvic_incidence_deg: 52\nmuscles:\n"
         "  hamstrings: {strength: 0.6}\n"
         "  quadriceps: {length: 0.95, stiffness: 2.0}\n"
         "  hip_flexors: {length: " +
         std::to_string(length) + ", stiffness: 2.0}\n";
}

TEST(ImbalancePatterns, S4TipsThePelvisBackAndFlattensTheLordosis) {
  const StandingResult typical = stand(demo_yaml("typical"));
  const StandingResult s4 = stand(demo_yaml("s4"));
  EXPECT_GT(s4.posture.pelvic_tilt_deg, typical.posture.pelvic_tilt_deg);
  EXPECT_LT(s4.posture.lumbar_lordosis_deg, typical.posture.lumbar_lordosis_deg);
  EXPECT_LT(s4.lumbar[kL4L5].posterior_share, typical.lumbar[kL4L5].posterior_share);
}

TEST(ImbalancePatterns, ShorterHipFlexorsGiveS3ItsForwardTilt) {
  const StandingResult typical = stand(demo_yaml("typical"));
  // The demo's S3 (hip flexors at 0.95 of their length) arches the back and loads the back of the
  // disc, but its pelvis sits further back than the typical subject's: the documented miss. Its
  // weak hamstrings alone tip the pelvis back (the least-effort posture leans on gravity rather
  // than on the weakened hip extensors), and at 0.95 the hip flexors' pull is too weak to turn it.
  const StandingResult s3 = stand(demo_yaml("s3"));
  // The factors below are the demo's: at 0.95 they stand as S3 does.
  EXPECT_NEAR(stand(s3_with_hip_flexor_length(0.95)).posture.pelvic_tilt_deg,
              s3.posture.pelvic_tilt_deg, 1e-9);
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
