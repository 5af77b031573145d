// Quiet-standing solve of the default model from a cold start: every iteration is a fresh
// tasks::solve_standing call (the model is compiled once, outside the timed loop).
#include <benchmark/benchmark.h>

#include "pulley/model/model.hpp"
#include "pulley/tasks/standing.hpp"

namespace {

using pulley::model::Model;

void BM_StandingSolveColdStart(benchmark::State& state) {
  static const Model m = pulley::model::compile_model(pulley::model::Subject{});
  int iterations = 0;
  bool converged = true;
  for (auto _ : state) {
    const pulley::tasks::StandingResult r = pulley::tasks::solve_standing(m);
    benchmark::DoNotOptimize(r.q.data());
    iterations = r.iterations;
    converged = converged && r.status == pulley::tasks::SolveStatus::converged;
  }
  if (!converged) state.SkipWithError("solve_standing did not converge");
  state.counters["optimizer_iterations"] = iterations;
}
// Each solve takes milliseconds: a fixed count keeps the run short.
BENCHMARK(BM_StandingSolveColdStart)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
