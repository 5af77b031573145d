// Movement tasks on the default model (compiled once, outside the timed loops).
//   BM_RecruitmentFrame: one frame at a prescribed posture, as a gait frame from data will be:
//     equations (kinematics, geometry, passive and gravity forces = static inverse dynamics),
//     static optimisation warm-started from the neighbouring frame, and every joint load.
//     Alternates between two postures 1 deg apart so that each solve starts from the other's
//     answer. The postures are set by hand: the muscles fall short of the L5-S1 and L4-L5
//     moments by about 3 N m there (priced by the unmet weight).
//   BM_RecruitmentFrameBend: the same work on two neighbouring frames of the default forward
//     bend (thorax rotation 30 and 36 deg), where the muscles meet every moment.
//   BM_ForwardBendTask: the whole default forward bend (61 frames, posture search per frame).
#include <benchmark/benchmark.h>

#include "pulley/core/units.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/quasi_static.hpp"

namespace {

using pulley::model::Model;
using pulley::tasks::PostureVector;

const Model& default_model() {
  static const Model m = pulley::model::compile_model(pulley::model::Subject{});
  return m;
}

// Recruits alternately at p[0] and p[1] (static inverse dynamics, static optimisation, loads).
void run_recruitment_frames(benchmark::State& state, const PostureVector (&p)[2]) {
  const Model& m = default_model();
  pulley::tasks::PostureSolver solver(m, pulley::tasks::Support::feet);
  auto& eq = solver.equations();
  eq.set_conditions({});
  pulley::loads::ExternalLoads external;
  external.feet_on_ground = true;
  pulley::loads::JointLoads loads;
  Eigen::VectorXd Q_total(m.num_coordinates());
  pulley::recruitment::StaticOptimizer optimizer = solver.optimizer();
  int frame = 0;
  for (auto _ : state) {
    const PostureVector& pose = p[frame++ & 1];
    eq.evaluate(pose);
    optimizer.solve(eq.A, eq.b, eq.data.l_MT);
    Q_total = eq.Q_external + eq.data.Q_passive;
    Q_total.noalias() += eq.data.moment_arms * optimizer.force();
    pulley::loads::calc_joint_loads(m, eq.data, optimizer.force(), Q_total, external, loads);
    benchmark::DoNotOptimize(loads.hip_contact_n.data());
  }
  state.counters["passes"] = optimizer.passes();
}

void BM_RecruitmentFrame(benchmark::State& state) {
  // A bending frame: hips 40 deg, lumbar spine flexed 20 deg from neutral (deg: ankle, knee, hip,
  // L5_S1 ... L1_L2).
  PostureVector p[2];
  const double deg[] = {2.0, 8.0, 40.0, 20.0, 12.0, 8.0, 4.0, 0.0};
  for (int k = 0; k < 8; ++k) p[0][k] = pulley::deg_to_rad(deg[k]);
  p[1] = p[0];
  p[1][pulley::tasks::kHip] += pulley::deg_to_rad(1.0);
  run_recruitment_frames(state, p);
}
BENCHMARK(BM_RecruitmentFrame)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_RecruitmentFrameBend(benchmark::State& state) {
  const Model& m = default_model();
  const auto bend =
      pulley::tasks::run_task(m, pulley::tasks::parse_task_options("forward-bend", {}));
  PostureVector p[2];
  for (int k = 0; k < 2; ++k) p[k] = pulley::tasks::posture_of(m, bend.frames[10 + k].q);
  run_recruitment_frames(state, p);
}
BENCHMARK(BM_RecruitmentFrameBend)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_ForwardBendTask(benchmark::State& state) {
  const Model& m = default_model();
  const auto options = pulley::tasks::parse_task_options("forward-bend", {{"reserve", "on"}});
  int frames = 0;
  for (auto _ : state) {
    const auto r = pulley::tasks::run_task(m, options);
    frames = static_cast<int>(r.frames.size());
    benchmark::DoNotOptimize(r.frames.data());
  }
  state.counters["frames"] = frames;
}
BENCHMARK(BM_ForwardBendTask)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
