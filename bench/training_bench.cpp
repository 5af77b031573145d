// 12 weeks of a programme with the outputs evaluated every week (issue aim: <= 50 ms, Release,
// one core): the clinical tests and quiet standing each week, with and without the forward bend
// and the 5 m/s run (docs/validation.md, Performance).
#include <benchmark/benchmark.h>

#include "pulley/io/programme_yaml.hpp"
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

}  // namespace

BENCHMARK_MAIN();
