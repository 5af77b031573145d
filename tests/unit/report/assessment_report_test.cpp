// The assessment report (report/assessment_report.hpp): self-contained HTML with the disclaimer,
// escaped user text, and the findings' figures and tables.
#include "pulley/report/assessment_report.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pulley/assess/findings.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/training/planner.hpp"

namespace {

namespace assess = pulley::assess;

const assess::Assessment& hostile() {
  static const assess::Assessment a = [] {
    pulley::model::Subject s;
    s.name = "<script>alert('x')</script> & \"friends\"";
    s.signs.push_back({pulley::model::SignKind::knee_clicking, std::nullopt});
    s.measurements.push_back(
        {pulley::model::MeasuredTest::straight_leg_raise_deg, pulley::model::Side::right, 64.0});
    return assess::run_assessment(s);
  }();
  return a;
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(AssessmentReport, CarriesTheDisclaimerAndEscapesTheName) {
  const std::string html = pulley::report::assessment_report_html(hostile());
  EXPECT_TRUE(contains(html, "Pulley is a simulation and education tool"));
  EXPECT_TRUE(contains(html, "qualified clinician"));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;"));
}

TEST(AssessmentReport, IsSelfContained) {
  const std::string html = pulley::report::assessment_report_html(hostile());
  for (const char* external : {"http:", "https:", "src=", "href=", "<link", "@import", "url("})
    EXPECT_FALSE(contains(html, external)) << external;
  EXPECT_TRUE(contains(html, "<svg"));
  EXPECT_TRUE(contains(html, "</html>"));
}

TEST(AssessmentReport, ShowsMeasurementsSignsAndFigures) {
  const std::string html = pulley::report::assessment_report_html(hostile());
  EXPECT_TRUE(contains(html, "Quiet standing"));
  EXPECT_TRUE(contains(html, "Toe-touch"));
  EXPECT_TRUE(contains(html, "Lumbar disc compression by level"));
  EXPECT_TRUE(contains(html, "hamstring strain index"));
  EXPECT_TRUE(contains(html, "knee clicking"));
  EXPECT_TRUE(contains(html, "Measurements were given but not fitted"));
  EXPECT_TRUE(contains(html, "class=\"measured\""));  // the measured diamond on its bar
}

// The concentric test's values sit in the tests' table, once per side; under it, its protocol:
// the range and the angles of the peaks, as the assessment found them.
TEST(AssessmentReport, GivesTheConcentricTestsValuesOnceAndItsPeaksAngles) {
  const auto& a = hostile();
  const std::string html = pulley::report::assessment_report_html(a);
  const auto table = html.find("<h3>Clinical tests</h3>");
  ASSERT_NE(table, std::string::npos);
  const std::string figures = html.substr(table, html.find("<h3>Posture", table) - table);
  std::size_t rows = 0;
  for (auto at = figures.find("<td>conventional hamstring:quadriceps ratio");
       at != std::string::npos;
       at = figures.find("<td>conventional hamstring:quadriceps ratio", at + 1))
    ++rows;
  EXPECT_EQ(rows, 2u);  // right and left
  const auto& t = a.tests;
  EXPECT_TRUE(contains(figures, fmt::format("flexion peaked at {:.0f} / {:.0f} deg",
                                            t.concentric_flexion_peak_knee_deg[0],
                                            t.concentric_flexion_peak_knee_deg[1])))
      << figures;
}

// The note that the model's flexors peak with the knee well bent follows the typical subject's
// peak: given where the model puts it (about 80 deg), and left out for a peak within two spreads
// of young men's 29.9 +- 18.2 deg (Anderson et al. 2007).
TEST(AssessmentReport, SaysTheFlexorsPeakLateOnlyWhereTheTypicalSubjectsDo) {
  const std::string note = "the model's flexors peak with the knee well bent";
  assess::Assessment a = hostile();
  const double peak = a.typical_tests.concentric_flexion_peak_knee_deg[0];
  ASSERT_GT(peak, 29.9 + 2.0 * 18.2);
  EXPECT_TRUE(contains(pulley::report::assessment_report_html(a),
                       fmt::format("{} ({:.0f} deg in the typical subject)", note, peak)));
  a.typical_tests.concentric_flexion_peak_knee_deg[0] = 40.0;
  EXPECT_FALSE(contains(pulley::report::assessment_report_html(a), note));
}

// A test the model could not compute (the Nordic, whose kneeling start very short hip flexors
// cannot hold) reads "not computed" on its gauge, not a number or "n/a" with a unit.
TEST(AssessmentReport, AGaugeOfATestNotComputedSaysSo) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hip_flexors: {length: 0.8}\n", "s.yaml");
  const std::string html = pulley::report::assessment_report_html(assess::run_assessment(s));
  const auto gauge = html.find("aria-label=\"Nordic force, right leg\"");
  ASSERT_NE(gauge, std::string::npos);
  const std::string svg = html.substr(gauge, html.find("</svg>", gauge) - gauge);
  EXPECT_TRUE(contains(svg, ">not computed</text>")) << svg;
  EXPECT_FALSE(contains(svg, "n/a N")) << svg;
}

// The report of a subject given by its muscles section (a 1.75 m, 75 kg man), and the right
// side's row of `test` in its tests' table ("" if none).
struct MarkedReport {
  std::string html, row;
};
MarkedReport report_and_row(const std::string& muscles, const std::string& test) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n" + muscles + "\n", "s.yaml");
  MarkedReport r{pulley::report::assessment_report_html(assess::run_assessment(s)), ""};
  const auto row = r.html.find("<tr><td>" + test + "</td><td>right</td>");
  if (row != std::string::npos) r.row = r.html.substr(row, r.html.find("</tr>", row) - row);
  return r;
}

// A value simulated at a knee posture the subject does not tolerate is marked in the tests' table
// and explained under it; a subject whose tests are all within reach gets neither.
TEST(AssessmentReport, MarksValuesBeyondThePassiveRange) {
  const std::string note = "lies beyond the range this subject tolerates passively";
  EXPECT_FALSE(contains(pulley::report::assessment_report_html(hostile()), note));
  const MarkedReport r = report_and_row("  hamstrings: {length: 0.95, stiffness: 2}",
                                        "isometric knee extension strength");
  EXPECT_TRUE(contains(r.html, note));
  EXPECT_TRUE(contains(r.row, "&dagger;")) << r.row;
}

// A value at the test's start (a raise that cannot leave the table) is a bound: marked in the
// tests' table and explained under it; a subject whose tests end on their way gets neither.
TEST(AssessmentReport, MarksValuesThatEndedAtTheStart) {
  const std::string note = "Ended at the start: the test ended where it starts";
  EXPECT_FALSE(contains(pulley::report::assessment_report_html(hostile()), note));
  const MarkedReport r =
      report_and_row("  hamstrings: {length: 0.85, stiffness: 1.5}", "passive straight-leg raise");
  EXPECT_TRUE(contains(r.html, note));
  EXPECT_TRUE(contains(r.row, "&Dagger;")) << r.row;
}

// A simulated value beyond healthy people's spread is marked in the tests' table, explained
// under it and named under "In plain words"; a typical man (with one measurement) gets neither.
TEST(AssessmentReport, MarksValuesBeyondHealthyPeople) {
  const std::string note = "Beyond healthy people: more than 3 standard deviations of healthy";
  const std::string html = pulley::report::assessment_report_html(hostile());
  EXPECT_FALSE(contains(html, note));
  EXPECT_FALSE(contains(html, "&sect;"));
  const MarkedReport r = report_and_row("  hamstrings: {length: 0.95, stiffness: 2}",
                                        "passive knee extension deficit, hip 90");
  EXPECT_TRUE(contains(r.html, note));
  EXPECT_TRUE(contains(r.row, "&sect;")) << r.row;
  EXPECT_TRUE(contains(r.html, "<li>Beyond healthy people: passive knee extension deficit"));
}

// A plan for a 1.75 m, 75 kg man with `extra` in his subject file (clinical tests only).
struct PlannedAssessment {
  assess::Assessment assessment;
  pulley::training::Plan plan;
};
PlannedAssessment plan_for(const std::string& extra, int weeks) {
  const auto s = pulley::io::parse_subject_yaml("height_m: 1.75\nmass_kg: 75\n" + extra, "s.yaml");
  PlannedAssessment p{assess::run_assessment(s), {}};
  pulley::training::PlanSettings settings;
  settings.weeks = weeks;
  settings.simulation.loads_and_strain = false;
  p.plan = pulley::training::make_plan(p.assessment, settings);
  return p;
}

// The training section of the report of `p`'s assessment with its plan, the re-tests given
// `notes` ("" if the report has no such section).
std::string plan_section(const PlannedAssessment& p, const std::vector<std::string>& notes) {
  pulley::report::TrainingReport t;
  t.result = &p.plan.proposed.result;
  t.title = "Proposed plan";
  t.plan = &p.plan;
  t.retests = p.plan.proposed.retests;
  t.retest_notes = notes;
  const std::string html = pulley::report::assessment_report_html(p.assessment, nullptr, &t);
  const auto section = html.find("<h2 id=\"training\">");
  return section == std::string::npos ? "" : html.substr(section);
}

// The cells of the first row of `html` from `start` on, each from its "<td" to its "</td>".
std::vector<std::string> row_cells(const std::string& html, const std::string& start) {
  std::vector<std::string> cell;
  const auto row = html.find(start);
  if (row == std::string::npos) return cell;
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  for (auto at = cells.find("<td"); at != std::string::npos; at = cells.find("<td", at + 1))
    cell.push_back(cells.substr(at, cells.find("</td>", at) - at));
  return cell;
}

// A plan's section marks the weeks a knee strength test is out of the person's reach, in its
// table and under its charts, and says which tests are not re-tested and why. (An ankle weight
// gives the plan the curl for the strain risk, and so alternatives to compare: on the model the
// household exercises train these hamstrings too little to be prescribed.)
TEST(AssessmentReport, MarksAPlansWeeksOutOfReach) {
  const PlannedAssessment p = plan_for(
      "muscles:\n  hamstrings: {length: 0.97, stiffness: 2}\n"
      "constraints: {equipment: [foam_roller, ankle_weight]}\n",
      6);
  // The plan targets the tight hamstrings and re-tests their stretches; the knee strength tests,
  // as pulley train follows them, are not re-tested.
  using pulley::model::MeasuredTest;
  using pulley::model::Side;
  const auto notes =
      pulley::training::plan_retests(p.plan.proposed.result,
                                     {{MeasuredTest::knee_extension_torque_nm_per_kg, Side::right},
                                      {MeasuredTest::knee_extension_torque_nm_per_kg, Side::left}},
                                     true)
          .notes;
  ASSERT_EQ(notes.size(), 1u);
  const std::string training = plan_section(p, notes);
  ASSERT_FALSE(training.empty());
  EXPECT_TRUE(contains(training,
                       "isometric knee extension strength (both sides) not re-tested: "
                       "at week 0 the knee stops extending"));
  EXPECT_TRUE(contains(training, "isometric knee extension strength (right, week 0)"));
  EXPECT_TRUE(contains(training, "Not testable that week"));
  // The comparison's row: week 0 out of reach; the plan's last week not (the knee reaches 60 deg
  // within it). Cells: label, week 0, the plan, the alternatives.
  const auto cell = row_cells(training, "<tr><td>isometric knee extension strength (N m/kg)</td>");
  ASSERT_GE(cell.size(), 3u) << training;
  EXPECT_TRUE(contains(cell[1], "&dagger;")) << cell[1];
  EXPECT_FALSE(contains(cell[2], "&dagger;")) << cell[2];
  // The model's value out of reach is no reading to call the best of the options: in the knee
  // flexion row an option's value out of reach is the largest, yet not called best.
  const auto flexion = row_cells(training, "<tr><td>isometric knee flexion strength (N m/kg)</td>");
  ASSERT_GE(flexion.size(), 3u) << training;
  const auto value = [](const std::string& c) {
    const auto open = c.find('>');
    return std::stod(c.substr(open + 1));
  };
  std::size_t largest = 2;
  for (std::size_t k = 2; k < flexion.size(); ++k)
    if (value(flexion[k]) > value(flexion[largest])) largest = k;
  ASSERT_TRUE(contains(flexion[largest], "&dagger;")) << flexion[largest];
  EXPECT_FALSE(contains(flexion[largest], "best")) << flexion[largest];
  for (const auto& rows : {cell, flexion})
    for (std::size_t k = 2; k < rows.size(); ++k)
      if (contains(rows[k], "&dagger;")) EXPECT_FALSE(contains(rows[k], "best")) << rows[k];
}

// A plan's section marks the weeks a test ends at its start (a bound) in its comparison, under
// its charts and in its re-tests, and notes a test that stays at its start throughout. (The
// ankle weight, as above, for alternatives to compare.)
TEST(AssessmentReport, MarksAPlansWeeksThatEndedAtTheStart) {
  const PlannedAssessment p = plan_for(
      "muscles:\n  hamstrings: {length: 0.9, stiffness: 1.5, right: {length: 0.85}}\n"
      "tests: {stretch_tolerance_hip_nm: 70, stretch_tolerance_knee_nm: 35}\n"
      "constraints: {equipment: [ankle_weight]}\n",
      8);
  const std::string training = plan_section(p, p.plan.proposed.retest_notes);
  ASSERT_FALSE(training.empty());
  // Under the charts: the right knee's deficit at its start in every week.
  EXPECT_TRUE(contains(training, "active knee extension deficit, hip 90 (right, weeks 0-8)"));
  EXPECT_TRUE(contains(training, "Ended at its start that week: the test ended where it starts"));
  // The comparison: the deficit at its start at week 0 and at the plan's end.
  const auto deficit =
      row_cells(training, "<tr><td>active knee extension deficit, hip 90 (deg)</td>");
  ASSERT_GE(deficit.size(), 3u) << training;
  EXPECT_TRUE(contains(deficit[1], "&Dagger;")) << deficit[1];
  EXPECT_TRUE(contains(deficit[2], "&Dagger;")) << deficit[2];
  // A bound is no reading to call the best of the options.
  for (std::size_t k = 2; k < deficit.size(); ++k)
    if (contains(deficit[k], "&Dagger;")) EXPECT_FALSE(contains(deficit[k], "best")) << deficit[k];
  // The re-tests: the right raise leaves the table, from a bound; both deficits stay at 90 deg.
  const auto raise = row_cells(training, "<td>passive straight-leg raise</td><td>right</td>");
  ASSERT_GE(raise.size(), 3u) << training;
  EXPECT_TRUE(contains(raise[2], "&Dagger;")) << raise[2];  // test, side, week 0
  EXPECT_TRUE(contains(training,
                       "active knee extension deficit, hip 90 (both sides) not "
                       "re-tested: the test ends at its start at week 0"));
}

TEST(AssessmentReport, RendersACalibrationWhenGiven) {
  assess::CalibrationResult c;
  c.status = assess::CalibrationStatus::fitted;
  c.message = "fitted <well>";
  assess::MeasurementResidual r;
  r.measurement = {pulley::model::MeasuredTest::straight_leg_raise_deg, pulley::model::Side::right,
                   64.0};
  r.simulated_prior = 71.3;
  r.simulated = 65.0;
  r.sd = 3.5;
  c.residuals.push_back(r);
  c.parameters.push_back({"hamstrings", "length", pulley::model::Side::right, 1.0, 0.03, 0.99,
                          0.01, true});
  c.conflicts.push_back("SLR and AKE disagree");
  const std::string html = pulley::report::assessment_report_html(hostile(), &c);
  EXPECT_TRUE(contains(html, "fitted to the measurements"));
  EXPECT_TRUE(contains(html, "fitted &lt;well&gt;"));
  EXPECT_TRUE(contains(html, "SLR and AKE disagree"));
  EXPECT_TRUE(contains(html, "0.99 &plusmn; 0.01"));
}

// A calibrated assessment: the subject data echo the file as read (its measurements, no fitted
// factors), not the fitted subject the tests ran on.
TEST(AssessmentReport, EchoesTheSubjectFileAsReadNotTheFittedSubject) {
  pulley::model::Subject s;
  s.name = "measured";
  s.measurements.push_back(
      {pulley::model::MeasuredTest::straight_leg_raise_deg, pulley::model::Side::right, 55.0});
  const auto calibration = assess::calibrate(s);
  ASSERT_EQ(calibration.status, assess::CalibrationStatus::fitted) << calibration.message;
  const auto a = assess::run_assessment(s, calibration);
  const std::string html = pulley::report::assessment_report_html(a, &calibration);
  const auto from = html.find("Subject file, as read");
  ASSERT_NE(from, std::string::npos);
  const auto to = html.find("</pre>", from);
  ASSERT_NE(to, std::string::npos);
  const std::string echo = html.substr(from, to - from);
  EXPECT_TRUE(contains(echo, "measurements:"));
  EXPECT_FALSE(contains(echo, "hamstrings")) << echo.substr(0, 2000);  // no fitted factors
  EXPECT_TRUE(contains(html, "<h3>Measurements</h3>"));
  EXPECT_TRUE(contains(html, "The calibrated subject (fitted to the measurements"));
}

}  // namespace
