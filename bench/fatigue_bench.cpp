// Fatigue benchmark (Release, one core): every muscle of the model (both sides) through a
// 10-minute protocol at 100 Hz, 60 000 steps, each muscle's target changing every step as in a
// stride repeated (a periodic pattern of 100 samples per muscle, computed outside the timing).
#include <benchmark/benchmark.h>

#include <cmath>

#include "pulley/model/model.hpp"
#include "pulley/tasks/fatigue.hpp"

namespace {

namespace tasks = pulley::tasks;
namespace muscle = pulley::muscle;

void BM_FatigueTenMinutesAt100Hz(benchmark::State& state) {
  const auto model = pulley::model::compile_model(pulley::model::Subject{});
  const int muscles = static_cast<int>(model.muscles.size());
  constexpr int kPattern = 100, kSteps = 60000;
  constexpr double kStep = 0.01;
  Eigen::MatrixXd pattern(muscles, kPattern);  // targets, 0 to 0.6, out of phase by muscle
  for (int m = 0; m < muscles; ++m)
    for (int j = 0; j < kPattern; ++j)
      pattern(m, j) = 0.3 * (1.0 + std::sin(2.0 * 3.141592653589793 * j / kPattern + m));
  for (auto _ : state) {
    tasks::ModelFatigue fatigue(model);
    for (int s = 0; s < kSteps; ++s) {
      const auto target = pattern.col(s % kPattern);
      for (int m = 0; m < muscles; ++m)
        muscle::fatigue_step(fatigue.parameters[m], target[m], kStep, fatigue.state[m]);
    }
    benchmark::DoNotOptimize(fatigue.state.data());
  }
  state.counters["muscles"] = muscles;
  state.counters["steps"] = kSteps;
}
BENCHMARK(BM_FatigueTenMinutesAt100Hz)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
