// Musculotendon geometry of the default model: kinematics, every path (wraps included), lengths
// and moment arms. BM_MusculotendonGeometryAllMuscles: every path, each call (the pelvis moves
// between calls); BM_MusculotendonGeometryLegsStill: the lumbar spine bends between calls and
// the legs keep their place, so their paths are kept from the last call (the prone hold's
// searches). Run pinned to one core: taskset -c 0 geometry_bench.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <vector>

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

// Alternates between q and q with coordinates `moved` turned by 0.1 deg (or shifted 0.1 mm).
void run_geometry(benchmark::State& state, const std::vector<int>& moved) {
  const Model& m = default_model();
  Eigen::VectorXd q[2] = {bench_posture(m), bench_posture(m)};
  for (const int k : moved) q[1][k] += k < 2 ? 1e-4 : pulley::deg_to_rad(0.1);
  pulley::model::Data data(m);
  pulley::model::calc_musculotendon_geometry(m, q[1], data);  // first call sizes the scratch
  int next = 0;
  for (auto _ : state) {
    pulley::model::calc_musculotendon_geometry(m, q[next], data);
    next = 1 - next;
    benchmark::DoNotOptimize(data.l_MT.data());
    benchmark::DoNotOptimize(data.moment_arms.data());
    benchmark::ClobberMemory();
  }
  state.counters["units"] = m.num_units();
  state.counters["coordinates"] = m.num_coordinates();
  state.SetItemsProcessed(state.iterations() * m.num_units());
}

void BM_MusculotendonGeometryAllMuscles(benchmark::State& state) { run_geometry(state, {0}); }
BENCHMARK(BM_MusculotendonGeometryAllMuscles)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

void BM_MusculotendonGeometryLegsStill(benchmark::State& state) {
  const Model& m = default_model();
  run_geometry(state, std::vector<int>(m.coord.lumbar.begin(), m.coord.lumbar.end()));
}
BENCHMARK(BM_MusculotendonGeometryLegsStill)
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
