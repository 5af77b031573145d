// Musculotendon geometry of the default model at one posture: kinematics, every path (wraps
// included), lengths and moment arms. Run pinned to one core: taskset -c 0 geometry_bench.
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/skeleton/planar_tree.hpp"

namespace {

using pulley::model::Model;

const Model& default_model() {
  static const Model m = pulley::model::compile_model(pulley::model::Subject{});
  return m;
}

// A standing-like posture: pelvis 0.9 m up, tilted, lordotic spine, slightly bent legs.
Eigen::VectorXd bench_posture(const Model& m) {
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  q[1] = 0.9;
  q[2] = pulley::deg_to_rad(-8.0);
  for (int i = 0; i < 5; ++i) q[m.coord.lumbar[i]] = pulley::deg_to_rad(8.0);
  for (int k = 0; k < 2; ++k) {
    q[m.coord.hip[k]] = pulley::deg_to_rad(10.0);
    q[m.coord.knee[k]] = pulley::deg_to_rad(5.0);
    q[m.coord.ankle[k]] = pulley::deg_to_rad(3.0);
  }
  return q;
}

void BM_MusculotendonGeometryAllMuscles(benchmark::State& state) {
  const Model& m = default_model();
  const Eigen::VectorXd q = bench_posture(m);
  pulley::model::Data data(m);
  pulley::model::calc_musculotendon_geometry(m, q, data);  // first call sizes the scratch
  for (auto _ : state) {
    pulley::model::calc_musculotendon_geometry(m, q, data);
    benchmark::DoNotOptimize(data.l_MT.data());
    benchmark::DoNotOptimize(data.moment_arms.data());
    benchmark::ClobberMemory();
  }
  state.counters["units"] = m.num_units();
  state.counters["coordinates"] = m.num_coordinates();
  state.SetItemsProcessed(state.iterations() * m.num_units());
}
BENCHMARK(BM_MusculotendonGeometryAllMuscles)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

void BM_Kinematics(benchmark::State& state) {
  const Model& m = default_model();
  const Eigen::VectorXd q = bench_posture(m);
  pulley::skeleton::Kinematics kin;
  kin.resize(m.tree.num_bodies());
  for (auto _ : state) {
    pulley::skeleton::calc_kinematics(m.tree, q, kin);
    benchmark::DoNotOptimize(kin.p_WBo.data());
    benchmark::ClobberMemory();
  }
  state.counters["bodies"] = m.tree.num_bodies();
}
BENCHMARK(BM_Kinematics)->Unit(benchmark::kNanosecond)->Repetitions(10)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
