// Clinical-test benchmark (Release, one core): one full set of the simulated clinical tests of
// `pulley assess` on the typical subject (quiet standing, straight-leg raise, passive and active
// knee extension and the Thomas test on both sides, isometric knee flexion and extension, the
// Nordic exercise, the prone trunk-extensor hold), and each family alone. Model compilation is
// outside the timing.
#include <benchmark/benchmark.h>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/fatigue.hpp"
#include "pulley/tasks/standing.hpp"

namespace {

namespace assess = pulley::assess;
using pulley::model::Side;

const pulley::model::Model& typical() {
  static const auto model = pulley::model::compile_model(pulley::model::Subject{});
  return model;
}

void BM_FullSetOfClinicalTests(benchmark::State& state) {
  for (auto _ : state) {
    const auto r = assess::run_clinical_tests(typical());
    benchmark::DoNotOptimize(r.nordic_force_n[0].value);
  }
}
BENCHMARK(BM_FullSetOfClinicalTests)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// The parts, on the right side, from quiet standing solved once.
const assess::TestContext& context() {
  static const auto standing = pulley::tasks::solve_standing(typical());
  static const auto c = assess::make_test_context(typical(), standing);
  return c;
}

void BM_StraightLegRaise(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        assess::straight_leg_raise(typical(), context(), Side::right, 60.0).value);
}
BENCHMARK(BM_StraightLegRaise)->Unit(benchmark::kMillisecond);

void BM_ActiveKneeExtension(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        assess::active_knee_extension_deficit(typical(), context(), Side::right, 30.0).value);
}
BENCHMARK(BM_ActiveKneeExtension)->Unit(benchmark::kMillisecond);

void BM_ThomasTest(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        assess::thomas_test(typical(), context(), Side::right).hip_extension_deg.value);
}
BENCHMARK(BM_ThomasTest)->Unit(benchmark::kMillisecond);

void BM_IsometricKneeStrength(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        assess::isometric_knee_strength(typical(), context(), Side::right, {}).flexion_nm.value);
}
BENCHMARK(BM_IsometricKneeStrength)->Unit(benchmark::kMillisecond);

void BM_Nordic(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(assess::nordic_hamstring(typical(), context(), {}).force_n[0].value);
}
BENCHMARK(BM_Nordic)->Unit(benchmark::kMillisecond);

void BM_TrunkEnduranceHold(benchmark::State& state) {
  static const auto standing = pulley::tasks::solve_standing(typical());
  for (auto _ : state)
    benchmark::DoNotOptimize(
        pulley::tasks::trunk_extensor_endurance_time(typical(), standing, 600.0));
}
BENCHMARK(BM_TrunkEnduranceHold)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
