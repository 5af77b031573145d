// 12 weeks of a programme with the outputs evaluated every week (issue aim: <= 50 ms, Release,
// one core): the clinical tests and quiet standing each week, with and without the forward bend
// and the 5 m/s run (docs/validation.md, Performance); and pulley plan's planning of the S4
// subject over 8 weeks, from its assessment, with its three alternatives.
#include <benchmark/benchmark.h>

#include "pulley/assess/findings.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/programme_yaml.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/training/planner.hpp"
#include "pulley/training/programme.hpp"

namespace {

constexpr const char* kProgramme =
    "weeks: 12\nexercises:\n"
    "  - {name: nordic_hamstring, sessions_per_week: 2}\n"
    "  - {name: seated_hamstring_stretch, sessions_per_week: 5}\n"
    "  - {name: quadriceps_strengthening, sessions_per_week: 2}\n";

void run(benchmark::State& state, bool loads) {
  const auto programme = pulley::io::parse_programme_yaml(kProgramme, "bench.yaml");
  pulley::training::ProgrammeSettings settings;
  settings.loads_and_strain = loads;
  for (auto _ : state) {
    auto r = pulley::training::simulate_programme(pulley::model::Subject{}, programme, settings);
    benchmark::DoNotOptimize(r);
  }
}

void BM_TwelveWeeksTestsOnly(benchmark::State& state) { run(state, false); }
void BM_TwelveWeeksWithBendAndRun(benchmark::State& state) { run(state, true); }
BENCHMARK(BM_TwelveWeeksTestsOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwelveWeeksWithBendAndRun)->Unit(benchmark::kMillisecond);

void BM_PlanS4EightWeeks(benchmark::State& state) {
  const pulley::io::DemoSubject* s4 = pulley::io::find_demo_subject("s4");
  if (s4 == nullptr) {
    state.SkipWithError("no S4 demo subject");
    return;
  }
  const auto a =
      pulley::assess::run_assessment(pulley::io::parse_subject_yaml(s4->yaml, "s4.yaml"));
  for (auto _ : state) {
    auto plan = pulley::training::make_plan(a);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_PlanS4EightWeeks)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
