// Movement tasks on the default model (compiled once, outside the timed loops).
//   BM_RecruitmentFrame: one frame at a prescribed posture, as a gait frame from data will be:
//     equations (kinematics, geometry, passive and gravity forces = static inverse dynamics),
//     static optimisation warm-started from the neighbouring frame, and every joint load.
//     Alternates between two postures 1 deg apart so that each solve starts from the other's
//     answer. The postures are set by hand: the muscles fall short of the L5-S1 and L4-L5
//     moments by about 3 N m there (priced by the unmet weight).
//   BM_RecruitmentFrameBend: the same work on two neighbouring frames of the default forward
//     bend (thorax rotation 30 and 36 deg), where the muscles meet every moment.
//     In these symmetric postures each left unit is the right one's twin and the optimiser
//     solves the pair once ("solved" counts the units it solved).
//   BM_RecruitmentFrameAsymmetric: the same work where the legs differ (left hip 20 deg less
//     flexed, left knee 30 deg more, as in a stride), so no leg unit has a twin (the trunk's,
//     which cross no leg joint, still do): one equation per joint coordinate (five lumbar
//     levels, both hips, knees and ankles), the muscles balancing gravity and passive tissue
//     with the pelvis held (no ground reaction).
//   BM_ForwardBendTask: the whole default forward bend (61 frames, posture search per frame;
//     "evaluations" counts the posture objective's evaluations over the searched frames, quiet
//     standing's excluded).
#include <benchmark/benchmark.h>

#include "pulley/core/units.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "pulley/tasks/standing.hpp"

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
  state.counters["solved"] = optimizer.num_solved_units();
}

// A bending frame: hips 40 deg, lumbar spine flexed 20 deg from neutral.
PostureVector hand_set_bending_posture() {
  const double deg[] = {2.0, 8.0, 40.0, 20.0, 12.0, 8.0, 4.0, 0.0};  // ankle, knee, hip, L5_S1..
  PostureVector p;
  for (int k = 0; k < 8; ++k) p[k] = pulley::deg_to_rad(deg[k]);
  return p;
}

void BM_RecruitmentFrame(benchmark::State& state) {
  PostureVector p[2];
  p[0] = hand_set_bending_posture();
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

void BM_RecruitmentFrameAsymmetric(benchmark::State& state) {
  const Model& m = default_model();
  // The joint coordinates, in the order of their equations.
  std::vector<int> rows(m.coord.lumbar.begin(), m.coord.lumbar.end());
  for (int k = 0; k < 2; ++k)
    for (int c : {m.coord.hip[k], m.coord.knee[k], m.coord.ankle[k]}) rows.push_back(c);
  const int n_rows = static_cast<int>(rows.size());
  Eigen::VectorXd q[2];
  const PostureVector p = hand_set_bending_posture();
  for (int f = 0; f < 2; ++f) {
    pulley::tasks::standing_configuration(m, p, q[f]);
    q[f][m.coord.hip[1]] -= pulley::deg_to_rad(20.0);
    q[f][m.coord.knee[1]] += pulley::deg_to_rad(30.0);
    q[f][m.coord.hip[0]] += pulley::deg_to_rad(f);  // the two frames 1 deg apart
  }
  pulley::model::Data data(m);
  Eigen::VectorXd Q_external(m.num_coordinates()), Q_total(m.num_coordinates());
  Eigen::MatrixXd A(n_rows, m.num_units());
  Eigen::VectorXd b(n_rows);
  std::vector<pulley::muscle::MusculotendonParameters> params;
  Eigen::VectorXd weights(m.num_units());
  for (int i = 0; i < m.num_units(); ++i) {
    params.push_back(m.units[i].params);
    weights[i] = m.units[i].effort_weight;
  }
  pulley::recruitment::StaticOptimizationSettings settings;
  settings.tone = m.tone;
  pulley::recruitment::StaticOptimizer optimizer(params, weights, n_rows, settings);
  pulley::loads::ExternalLoads external;
  pulley::loads::JointLoads loads;
  int frame = 0;
  for (auto _ : state) {
    const Eigen::VectorXd& pose = q[frame++ & 1];
    pulley::model::calc_musculotendon_geometry(m, pose, data);
    pulley::model::calc_passive_joint_forces(m, pose, data);
    pulley::skeleton::calc_gravity_forces(m.tree, data.kin, external.gravity_W, Q_external);
    for (int r = 0; r < n_rows; ++r) {
      A.row(r) = data.moment_arms.row(rows[r]);
      b[r] = -(Q_external[rows[r]] + data.Q_passive[rows[r]]);
    }
    optimizer.solve(A, b, data.l_MT);
    Q_total = Q_external + data.Q_passive;
    Q_total.noalias() += data.moment_arms * optimizer.force();
    pulley::loads::calc_joint_loads(m, data, optimizer.force(), Q_total, external, loads);
    benchmark::DoNotOptimize(loads.hip_contact_n.data());
  }
  state.counters["passes"] = optimizer.passes();
  state.counters["solved"] = optimizer.num_solved_units();
}
BENCHMARK(BM_RecruitmentFrameAsymmetric)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_ForwardBendTask(benchmark::State& state) {
  const Model& m = default_model();
  const auto options = pulley::tasks::parse_task_options("forward-bend", {{"reserve", "on"}});
  int frames = 0, evaluations = 0;
  for (auto _ : state) {
    const auto r = pulley::tasks::run_task(m, options);
    frames = static_cast<int>(r.frames.size());
    evaluations = 0;
    for (const auto& f : r.frames) evaluations += f.evaluations;
    benchmark::DoNotOptimize(r.frames.data());
  }
  state.counters["frames"] = frames;
  state.counters["evaluations"] = evaluations;
}
BENCHMARK(BM_ForwardBendTask)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
