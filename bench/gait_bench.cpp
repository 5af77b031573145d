// Gait benchmarks (Release, one core): one full stride of 101 frames with smoothing, inverse
// dynamics, recruitment, loads and the hamstrings' mechanics, for a walk and a run (the recording
// is read once, outside the timing; the subject's standing shape, which run_task solves once per
// task, too).
#include <benchmark/benchmark.h>

#include "pulley/model/model.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/standing.hpp"

namespace {

using pulley::model::Model;
namespace tasks = pulley::tasks;

const Model& model() {
  static const Model m = pulley::model::compile_model(pulley::model::Subject{});
  return m;
}

void run_stride(benchmark::State& state, const char* activity, double speed) {
  const auto& info = tasks::find_gait_recording(activity, speed);
  const tasks::GaitRecording recording = tasks::load_gait_recording(info);
  tasks::GaitSettings settings;
  settings.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  const auto standing = tasks::solve_standing(model());
  std::array<double, 5> lumbar{};
  for (int l = 0; l < 5; ++l) lumbar[l] = standing.q[model().coord.lumbar[l]];
  settings.lumbar_base = lumbar;
  for (auto _ : state) {
    auto g = tasks::simulate_gait(model(), recording, settings);
    benchmark::DoNotOptimize(g);
  }
  state.counters["frames"] = settings.frames;
}

void BM_GaitStrideWalk(benchmark::State& state) { run_stride(state, "walk", 1.25); }
BENCHMARK(BM_GaitStrideWalk)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_GaitStrideRun(benchmark::State& state) { run_stride(state, "run", 4.0); }
BENCHMARK(BM_GaitStrideRun)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
