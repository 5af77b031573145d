// Clinical-test benchmark (Release, one core): one full set of the simulated clinical tests of
// `pulley assess` on the typical subject (quiet standing, straight-leg raise, passive and active
// knee extension and the Thomas test on both sides, isometric knee flexion and extension, the
// Nordic exercise, the prone trunk-extensor hold), and each family alone. Model compilation is
// outside the timing. BM_CalibrationAndTests: `pulley assess` on a measured subject (ten
// measurements of the straight-leg raise, active knee extension, knee flexion and extension torques
// and the Nordic force): calibration (Ceres), the model of the fitted subject, and every test on
// it. BM_FullAssessment: all of `pulley assess --report` on that subject (the aim: 100 ms).
// BM_CalibrationFromConcentricPeaks: the calibration alone from a dynamometer's concentric peaks.
#include <benchmark/benchmark.h>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/report/assessment_report.hpp"
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

// From 90 deg of knee flexion to the typical man's passive knee extension limit (25 deg).
void BM_IsokineticKneeStrength(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        assess::isokinetic_knee_strength(typical(), context(), Side::right, {}, 25.0)
            .flexion_nm.value);
}
BENCHMARK(BM_IsokineticKneeStrength)->Unit(benchmark::kMillisecond);

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

// The measured subject of the calibration benchmarks: 1.78 m, 80 kg, a tight and weak right
// hamstring (the example of docs/assessment.md).
pulley::model::Subject measured_subject() {
  using pulley::model::MeasuredTest;
  pulley::model::Subject subject;
  subject.height_m = 1.78;
  subject.mass_kg = 80.0;
  const double slr[2] = {58, 70}, ake[2] = {40, 30}, flexion[2] = {1.1, 1.5}, nordic[2] = {220, 280};
  for (const Side side : pulley::model::kSides) {
    const int k = side == Side::right ? 0 : 1;
    subject.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, slr[k]});
    subject.measurements.push_back({MeasuredTest::active_knee_extension_deficit_deg, side, ake[k]});
    subject.measurements.push_back({MeasuredTest::knee_flexion_torque_nm_per_kg, side, flexion[k]});
    subject.measurements.push_back({MeasuredTest::knee_extension_torque_nm_per_kg, side, 2.9});
    subject.measurements.push_back({MeasuredTest::nordic_force_n, side, nordic[k]});
  }
  return subject;
}

void BM_CalibrationAndTests(benchmark::State& state) {
  const pulley::model::Subject subject = measured_subject();
  int iterations = 0;
  for (auto _ : state) {
    const auto calibration = assess::calibrate(subject);
    const auto model = pulley::model::compile_model(calibration.fitted_subject);
    const auto r = assess::run_clinical_tests(model);
    iterations = calibration.iterations;
    benchmark::DoNotOptimize(r.nordic_force_n[0].value);
  }
  state.counters["solver_iterations"] = iterations;
}
BENCHMARK(BM_CalibrationAndTests)->Unit(benchmark::kMillisecond)->Iterations(3)->Repetitions(3);

// The same person measured on an isokinetic dynamometer instead: the straight-leg raise and the
// passive knee extension, and the concentric peaks at 60 deg/s (each a run of the concentric test
// after the passive knee extension that sets its range; docs/assessment.md).
void BM_CalibrationFromConcentricPeaks(benchmark::State& state) {
  using pulley::model::MeasuredTest;
  pulley::model::Subject subject;
  subject.height_m = 1.78;
  subject.mass_kg = 80.0;
  const double slr[2] = {58, 70}, pke[2] = {40, 30}, flexion[2] = {1.3, 1.7};
  for (const Side side : pulley::model::kSides) {
    const int k = side == Side::right ? 0 : 1;
    subject.measurements.push_back({MeasuredTest::straight_leg_raise_deg, side, slr[k]});
    subject.measurements.push_back(
        {MeasuredTest::passive_knee_extension_deficit_deg, side, pke[k]});
    subject.measurements.push_back(
        {MeasuredTest::concentric_knee_flexion_nm_per_kg, side, flexion[k]});
    subject.measurements.push_back({MeasuredTest::concentric_knee_extension_nm_per_kg, side, 2.9});
  }
  int iterations = 0;
  for (auto _ : state) {
    const auto calibration = assess::calibrate(subject);
    iterations = calibration.iterations;
    benchmark::DoNotOptimize(calibration.final_cost);
  }
  state.counters["solver_iterations"] = iterations;
}
BENCHMARK(BM_CalibrationFromConcentricPeaks)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->Repetitions(3);

// What `pulley assess SUBJECT.yaml --report FILE` computes for the measured subject above: the
// calibration, the fitted and the typical subject's tests, the findings and the HTML report.
void BM_FullAssessment(benchmark::State& state) {
  const pulley::model::Subject subject = measured_subject();
  for (auto _ : state) {
    const auto calibration = assess::calibrate(subject);
    const auto a = assess::run_assessment(subject, calibration);
    benchmark::DoNotOptimize(pulley::report::assessment_report_html(a, &calibration).size());
  }
}
BENCHMARK(BM_FullAssessment)->Unit(benchmark::kMillisecond)->Iterations(3)->Repetitions(3);

// Findings and report on top of the clinical tests (both subjects' tests done once, outside the
// timing): the forward bend on the subject and the typical subject, the 5 m/s run with its
// typical reference, the comparisons, and the HTML report with its figures. The demo's S4 subject.
struct S4Assessment {
  pulley::model::Model model, typical;
  assess::ClinicalTestResults tests, typical_tests;
};
const S4Assessment& s4() {
  static const S4Assessment a = [] {
    pulley::model::Subject s;
    pulley::model::MuscleAdjustment ham, quad, flex;
    ham.target = "hamstrings";
    ham.is_group = true;
    ham.both.length = 0.95;
    ham.both.stiffness = 2.0;
    quad.target = "quadriceps";
    quad.is_group = true;
    quad.both.strength = 0.6;
    flex.target = "hip_flexors";
    flex.is_group = true;
    flex.both.strength = 0.6;
    s.muscles = {ham, quad, flex};
    S4Assessment out{pulley::model::compile_model(s),
                     pulley::model::compile_model(assess::typical_subject(s)),
                     {},
                     {}};
    out.tests = assess::run_clinical_tests(out.model);
    out.typical_tests = assess::run_clinical_tests(out.typical);
    return out;
  }();
  return a;
}

assess::FindingsInput s4_input() {
  assess::FindingsInput in;
  in.subject = &s4().model;
  in.typical = &s4().typical;
  in.subject_tests = &s4().tests;
  in.typical_tests = &s4().typical_tests;
  return in;
}

void BM_Findings(benchmark::State& state) {
  const auto in = s4_input();
  for (auto _ : state) benchmark::DoNotOptimize(assess::find_findings(in).ok);
}
BENCHMARK(BM_Findings)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_FindingsAndReport(benchmark::State& state) {
  const auto in = s4_input();
  for (auto _ : state) {
    const auto f = assess::find_findings(in);
    pulley::report::AssessmentReportInput r;
    r.subject = in.subject;
    r.typical = in.typical;
    r.subject_tests = in.subject_tests;
    r.typical_tests = in.typical_tests;
    r.findings = &f;
    benchmark::DoNotOptimize(pulley::report::assessment_report_html(r).size());
  }
}
BENCHMARK(BM_FindingsAndReport)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);


}  // namespace

BENCHMARK_MAIN();
