// Gait benchmarks (Release, one core): one full stride of 101 frames with smoothing, inverse
// dynamics, recruitment, loads and the hamstrings' mechanics (and the 25 frames before the strike
// that give the first frame its fibres' history, docs/gait.md step 6), for a walk and a run, and
// the whole sit-to-stand and squat recordings (the recording is read once, outside the timing;
// the subject's standing shape, which run_task solves once per task, too).
#include <benchmark/benchmark.h>

#include "pulley/model/model.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/repetitions.hpp"
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
  const std::array<double, 5> lumbar = tasks::lumbar_angles(model(), standing.q);
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

// Sit-to-stand and squat: a whole recording (1399 and 1346 frames at 100 Hz, five repetitions)
// with its preparation, the recorded mass and chair, and the repetitions' peaks.
void run_repetitions(benchmark::State& state, const char* task, tasks::RepetitionKind kind) {
  const tasks::GaitRecording recording = tasks::load_gait_recording(tasks::find_recording(task));
  tasks::RepetitionSettings settings;
  settings.motion.smoothing_cutoff_hz = tasks::find_recording(task).smoothing_cutoff_hz;
  const auto standing = tasks::solve_standing(model());
  const std::array<double, 5> lumbar = tasks::lumbar_angles(model(), standing.q);
  settings.motion.lumbar_base = lumbar;
  std::size_t frames = 0;
  for (auto _ : state) {
    auto r = tasks::simulate_repetitions(model(), recording, kind, settings);
    frames = r.simulation.frames.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["frames"] = static_cast<double>(frames);
}

void BM_SitToStandRecording(benchmark::State& state) {
  run_repetitions(state, "sit-to-stand", tasks::RepetitionKind::sit_to_stand);
}
BENCHMARK(BM_SitToStandRecording)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_SquatRecording(benchmark::State& state) {
  run_repetitions(state, "squat", tasks::RepetitionKind::squat);
}
BENCHMARK(BM_SquatRecording)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
