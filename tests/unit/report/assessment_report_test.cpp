// The assessment report (report/assessment_report.hpp): self-contained HTML with the disclaimer,
// escaped user text, and the findings' figures and tables.
#include "pulley/report/assessment_report.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "pulley/assess/findings.hpp"
#include "pulley/io/programme_yaml.hpp"
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

// Whether `text` cites the source articles' claims by their codes: "(S8)", "claims S3, S7", a
// reason "...: S9: ...", "the seeds' order".
bool has_claim_code(const std::string& text) {
  return std::regex_search(text, std::regex("\\(S[0-9]+\\)|\\bclaims? S[0-9]|: S[0-9]+: |seeds"));
}

// The report up to the echo of the subject file (which gives its keys as written).
std::string before_the_echo(const std::string& html) {
  return html.substr(0, html.find("Subject file, as read"));
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

// A value simulated out of the subject's reach is no test result: the tests' table and the bars
// say "not testable" with its mark instead of the value, compare it with nothing and draw no bar
// for that side, and the note under each says the JSON keeps the value.
TEST(AssessmentReport, ShowsValuesOutOfReachAsNotTestableWithoutABar) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.95, stiffness: 2}\n",
      "s.yaml");
  const auto a = assess::run_assessment(s);
  const std::string html = pulley::report::assessment_report_html(a);
  using pulley::model::MeasuredTest;
  using pulley::model::Side;
  const auto* right = a.findings.find(MeasuredTest::knee_extension_torque_nm_per_kg, Side::right);
  const auto* left = a.findings.find(MeasuredTest::knee_extension_torque_nm_per_kg, Side::left);
  ASSERT_TRUE(right && left);
  ASSERT_TRUE(right->subject_beyond_passive_range() && left->subject_beyond_passive_range());
  const std::string value = fmt::format("{:.2f}", right->subject);
  // The table: label, side, this subject, typical, against typical, ...
  const auto row = row_cells(html, "<tr><td>isometric knee extension strength</td><td>right</td>");
  ASSERT_GE(row.size(), 5u) << html;
  EXPECT_EQ(row[2], "<td class=\"num\">not testable&nbsp;&dagger;");
  EXPECT_EQ(row[4], "<td>");
  // The bars: both sides named not testable, no bar drawn, the typical subject's line kept.
  const auto label = html.find("<b>isometric knee extension strength</b>");
  ASSERT_NE(label, std::string::npos);
  const auto end = html.find("</svg>", label);
  const std::string bars = html.substr(label, end - label);
  EXPECT_TRUE(contains(bars, "right: not testable&nbsp;&dagger;; left: not testable&nbsp;&dagger;"))
      << bars;
  EXPECT_FALSE(contains(bars, value)) << bars;
  EXPECT_FALSE(contains(bars, "class=\"bar-a\"")) << bars;
  EXPECT_FALSE(contains(bars, "class=\"bar-b\"")) << bars;
  EXPECT_TRUE(contains(bars, "class=\"typical\"")) << bars;
  // A test within reach keeps its bars.
  const auto nordic = html.find("<b>Nordic hamstring force</b>");
  ASSERT_NE(nordic, std::string::npos);
  EXPECT_TRUE(
      contains(html.substr(nordic, html.find("</svg>", nordic) - nordic), "class=\"bar-a\""));
  // Explained under the bars and under the table.
  std::size_t notes = 0;
  for (auto at = html.find("&dagger; Not testable: "); at != std::string::npos;
       at = html.find("&dagger; Not testable: ", at + 1))
    ++notes;
  EXPECT_EQ(notes, 2u);
  EXPECT_TRUE(contains(html, "The JSON keeps the model's value there."));
}

// Beside a norm the model's typical subject misses, the tests' section says so, once per test;
// beside one it meets, nothing. The typical man of 1.75 m misses the isometric knee flexion's
// 1.15-1.62 N m/kg, not the pelvic tilt's 0-27 deg.
TEST(AssessmentReport, SaysWhereTheTypicalSubjectMissesANorm) {
  const auto& a = hostile();
  const std::string html = pulley::report::assessment_report_html(a);
  const auto* flexion = a.findings.find(pulley::model::MeasuredTest::knee_flexion_torque_nm_per_kg,
                                        pulley::model::Side::right);
  ASSERT_TRUE(flexion && flexion->typical_outside_norm());
  const auto block = [&](const std::string& label) {
    const auto at = html.find("<b>" + label + "</b>");
    return at == std::string::npos ? std::string() : html.substr(at, html.find("<svg", at) - at);
  };
  const std::string note =
      "the model&#39;s typical subject lies outside this norm: read the "
      "simulated value against the typical subject (docs/validation.md, "
      "Clinical tests)";
  EXPECT_TRUE(contains(block("isometric knee flexion strength"), "norm 1.15-1.62: " + note))
      << block("isometric knee flexion strength");
  EXPECT_FALSE(contains(block("standing pelvic tilt"), "lies outside"))
      << block("standing pelvic tilt");
  const auto row = row_cells(html, "<tr><td>isometric knee flexion strength</td><td>right</td>");
  ASSERT_EQ(row.size(), 8u);
  EXPECT_TRUE(contains(row[7], "the model&#39;s typical subject lies outside it")) << row[7];
  const auto tilt = row_cells(html, "<tr><td>standing pelvic tilt</td>");
  ASSERT_EQ(tilt.size(), 8u);
  EXPECT_FALSE(contains(tilt[7], "outside")) << tilt[7];
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

// The report of `subject` with `programme` simulated on it (tests only, no bend or run).
std::string report_with_programme(const pulley::model::Subject& subject,
                                  const pulley::training::Programme& programme) {
  pulley::training::ProgrammeSettings settings;
  settings.loads_and_strain = false;
  const auto r = pulley::training::simulate_programme(subject, programme, settings);
  pulley::report::TrainingReport t;
  t.result = &r;
  t.title = "Training programme: p.yaml";
  return pulley::report::assessment_report_html(assess::run_assessment(subject), nullptr, &t);
}

// A programme's table gives every progression of every dose field and the minutes a week from
// its first week to its last, and no alternatives' legend without a plan.
TEST(AssessmentReport, AProgrammesTableGivesEveryProgressionAndTheMinutesOverItsWeeks) {
  const auto s = pulley::io::parse_subject_yaml("height_m: 1.75\nmass_kg: 75\n", "s.yaml");
  const pulley::training::Programme programme = pulley::io::parse_programme_yaml(
      "weeks: 3\nexercises:\n"
      "  - name: hamstring_curl\n    load_kg: 5\n"
      "    progression: {load_kg_per_week: 1, reps_per_week: 2}\n"
      "  - name: seated_hamstring_stretch\n    hold_s: 20\n    sessions_per_week: 5\n"
      "    progression: {hold_s_per_week: 10}\n",
      "p.yaml");
  const std::string html = report_with_programme(s, programme);
  const auto curl = row_cells(html, "<tr><td>hamstring curl</td>");
  ASSERT_EQ(curl.size(), 6u) << html;
  EXPECT_EQ(curl[2], "<td>3 x 10 (+2 reps a week), effort 0.7 plus 5 kg (+1 kg a week)");
  const auto stretch = row_cells(html, "<tr><td>seated hamstring stretch</td>");
  ASSERT_EQ(stretch.size(), 6u) << html;
  EXPECT_EQ(stretch[2], "<td>1 x 20 s (+10 s a week)");
  // The minutes of week 1 to week 3, the sessions lengthening: both legs' holds of 20 s, then
  // 40 s, each with 10 s to change, and a minute to set up, five times a week (2 and 2.7 min).
  EXPECT_EQ(stretch[4], "<td>10-13");
  EXPECT_FALSE(contains(html, "Dashed: the alternatives"));
}

// A programme that works strained muscles in its first week opens its section with a caution in
// one line, before the programme's table, and says that the first weeks' changes include the
// muscles' recovery; the notes keep each load. A typical man's programme has neither.
TEST(AssessmentReport, CautionsNearTheTopAboutInjuredMusclesLoadedEarly) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.82\nmass_kg: 78\nmuscles:\n  biceps_femoris_long_r: {capacity: 0.5}\n",
      "s.yaml");
  const pulley::training::Programme programme = pulley::io::parse_programme_yaml(
      "weeks: 2\nexercises:\n  - {name: nordic_hamstring, sets: 3, reps: 6, sessions_per_week: "
      "2}\n",
      "p.yaml");
  const auto section = [&](const pulley::model::Subject& subject) {
    const std::string html = report_with_programme(subject, programme);
    const auto at = html.find("<h2 id=\"training\">");
    return at == std::string::npos ? std::string() : html.substr(at);
  };
  const std::string strained = section(s);
  const auto caution = strained.find(
      "<p class=\"caution\">Caution: this programme loads injured muscles before they have "
      "recovered: the right biceps femoris long head (capacity 0.50) in week 1, by the Nordic "
      "hamstring exercise");
  ASSERT_NE(caution, std::string::npos) << strained;
  EXPECT_LT(caution, strained.find("<h3>The programme</h3>"));
  const auto recovery = strained.find("include the injured muscles&#39; recovery of capacity");
  ASSERT_NE(recovery, std::string::npos);
  EXPECT_LT(recovery, strained.find("<h3>Re-test dates</h3>"));
  EXPECT_TRUE(std::regex_search(strained, std::regex("<li>week 1: the Nordic hamstring exercise "
                                                     "loads the right biceps femoris long head "
                                                     "\\([0-9]+ % activation\\) while its "
                                                     "capacity is 0.50</li>")));
  const std::string healthy =
      section(pulley::io::parse_subject_yaml("height_m: 1.82\nmass_kg: 78\n", "s.yaml"));
  ASSERT_FALSE(healthy.empty());
  EXPECT_FALSE(contains(healthy, "class=\"caution\""));
  EXPECT_FALSE(contains(healthy, "recovery of capacity"));
}

// A plan's section names its steps and targets in words and without claim codes, and its charts'
// legend mentions alternatives only when the plan has some.
// (An ankle weight gives the plan a strength exercise that trains on the model, and so
// alternatives to compare.)
TEST(AssessmentReport, APlansSectionIsInWordsAndMentionsOnlyAlternativesItHas) {
  const PlannedAssessment tight = plan_for(
      "muscles:\n  hamstrings: {length: 0.95}\n  hip_flexors: {strength: 0.6}\n"
      "constraints: {equipment: [foam_roller, ankle_weight]}\n",
      4);
  ASSERT_FALSE(tight.plan.alternatives.empty());
  const std::string section = plan_section(tight, tight.plan.proposed.retest_notes);
  ASSERT_FALSE(section.empty());
  const std::string training = section.substr(0, section.find("<h2>Signs weighed"));
  EXPECT_TRUE(contains(training, "release and stretch: hamstrings tight")) << training;
  EXPECT_TRUE(contains(training, "<b>hip flexors weak</b>")) << training;
  EXPECT_TRUE(contains(training, "equipment foam roller"));
  for (const char* id : {"release_and_stretch", "hip_flexors", "foam_roller", "strain_risk"})
    EXPECT_FALSE(contains(training, id)) << id;
  EXPECT_FALSE(has_claim_code(training));
  EXPECT_TRUE(contains(training, "Dashed: the alternatives."));

  // After a strain the plan's strengthening has no alternative that differs from it.
  const PlannedAssessment strained =
      plan_for("constraints: {injured_side: right, equipment: [partner, dumbbells]}\n", 6);
  ASSERT_TRUE(strained.plan.alternatives.empty());
  const std::string alone = plan_section(strained, strained.plan.proposed.retest_notes);
  ASSERT_FALSE(alone.empty());
  EXPECT_FALSE(contains(alone, "Dashed: the alternatives"));
  EXPECT_FALSE(contains(alone, "Compared with the alternatives"));
  EXPECT_FALSE(has_claim_code(alone.substr(0, alone.find("<h2>Signs weighed"))));
}

// The comparison highlights an option's value only where it is better than every other option's
// by at least the test's detectable difference (the re-tests'), never values that tie or lie
// closer, nor the one reading of a row whose other values are out of reach. The plan's and its
// alternatives' Nordic forces at the end are set to each case.
TEST(AssessmentReport, HighlightsABestOnlyByTheTestsDetectableDifference) {
  PlannedAssessment p = plan_for(
      "muscles:\n  hamstrings: {length: 0.95}\n  hip_flexors: {strength: 0.6}\n"
      "constraints: {equipment: [foam_roller, ankle_weight]}\n",
      4);
  ASSERT_FALSE(p.plan.alternatives.empty());
  using pulley::model::MeasuredTest;
  const double week0 = p.plan.proposed.result.weeks.front().tests.nordic_force_n[0].value;
  const double d = assess::detectable_difference(MeasuredTest::nordic_force_n, week0);
  ASSERT_GT(d, 10.0);
  const auto set = [&](double plan, double others,
                       pulley::assess::TestEnd end = pulley::assess::TestEnd::muscle_capacity) {
    p.plan.proposed.result.weeks.back().tests.nordic_force_n[0] = {
        plan, pulley::assess::TestEnd::muscle_capacity};
    for (auto& a : p.plan.alternatives)
      a.result.weeks.back().tests.nordic_force_n[0] = {others, end};
    const std::string section = plan_section(p, {});
    return row_cells(section, "<tr><td>Nordic hamstring force (N)</td>");
  };
  const auto best = [](const std::vector<std::string>& cells) {
    return static_cast<int>(std::count_if(cells.begin(), cells.end(), [](const std::string& c) {
      return contains(c, "class=\"best\"");
    }));
  };
  // Better than the others by more than the detectable difference: highlighted.
  auto cells = set(week0 + 2.0 * d, week0 + 0.5 * d);
  ASSERT_EQ(cells.size(), p.plan.alternatives.size() + 3) << cells.size();
  EXPECT_EQ(best(cells), 1);
  EXPECT_TRUE(contains(cells[2], "class=\"best\"")) << cells[2];
  // Better by less than it: not.
  cells = set(week0 + 2.0 * d, week0 + 1.2 * d);
  EXPECT_EQ(best(cells), 0) << cells[2];
  // Equal: not.
  cells = set(week0 + d, week0 + d);
  EXPECT_EQ(best(cells), 0) << cells[2];
  // The others out of reach: the one reading is compared with nothing.
  cells = set(week0 + 2.0 * d, week0 - d, pulley::assess::TestEnd::beyond_passive_range);
  EXPECT_TRUE(contains(cells[3], "not testable")) << cells[3];
  EXPECT_EQ(best(cells), 0) << cells[2];
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
  // The model's value out of reach is no reading: the comparison gives "not testable" in its
  // place and never calls it the best. In the knee flexion row an option's value out of reach is
  // the largest of the model's values, yet neither shown nor called best.
  const auto flexion = row_cells(training, "<tr><td>isometric knee flexion strength (N m/kg)</td>");
  ASSERT_GE(flexion.size(), 3u) << training;
  std::vector<const pulley::training::PlanOption*> options = {&p.plan.proposed};
  for (const auto& a : p.plan.alternatives) options.push_back(&a);
  ASSERT_EQ(flexion.size(), options.size() + 2);
  std::vector<pulley::training::Trajectory> row;
  for (const auto* o : options)
    for (const auto& x : pulley::training::key_trajectories(o->result))
      if (x.id == "knee_flexion_torque_nm_per_kg") row.push_back(x);
  ASSERT_EQ(row.size(), options.size());
  std::size_t largest = 0;
  for (std::size_t k = 0; k < row.size(); ++k)
    if (row[k].right.back() > row[largest].right.back()) largest = k;
  ASSERT_TRUE(row[largest].out_of_reach(0, row[largest].right.size() - 1));
  const std::string& cell_largest = flexion[largest + 2];
  EXPECT_TRUE(contains(cell_largest, ">not testable&nbsp;&dagger;")) << cell_largest;
  EXPECT_FALSE(contains(cell_largest, fmt::format("{:.2f}", row[largest].right.back())))
      << cell_largest;
  EXPECT_FALSE(contains(cell_largest, "best")) << cell_largest;
  EXPECT_TRUE(contains(cell[1], ">not testable&nbsp;&dagger;")) << cell[1];
  for (const auto& rows : {cell, flexion})
    for (std::size_t k = 1; k < rows.size(); ++k)
      if (contains(rows[k], "&dagger;")) {
        EXPECT_FALSE(contains(rows[k], "best")) << rows[k];
        EXPECT_TRUE(contains(rows[k], "not testable")) << rows[k];
      }
  // The charts leave the weeks out of reach out: week 0 (x = 46) of the knee extension chart has
  // no point on any line, where the straight-leg raise's has.
  const auto chart = [&](const std::string& title) {
    const auto at = training.find("aria-label=\"" + title + "\"");
    return at == std::string::npos ? std::string()
                                   : training.substr(at, training.find("</svg>", at) - at);
  };
  const std::string extension = chart("isometric knee extension strength");
  ASSERT_FALSE(extension.empty());
  EXPECT_TRUE(contains(extension, "<path d=\"M")) << extension;
  EXPECT_FALSE(contains(extension, "d=\"M46.0,")) << extension;
  EXPECT_TRUE(contains(chart("passive straight-leg raise"), "d=\"M46.0,"));
  EXPECT_TRUE(contains(training, "not drawn in those weeks"));
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

// The report speaks to its reader: no source-article claim codes ("(S8)", "claims S3, S7"), no
// plan step or group ids ("release_and_stretch", "hip_flexors"), a biceps femoris head named as
// one, and each link of a chain named by its test and side or its place, not by its JSON key.
TEST(AssessmentReport, UsesNoClaimCodesOrIdentifiersInItsProse) {
  const auto s = pulley::io::parse_subject_yaml(
      "height_m: 1.75\nmass_kg: 75\nmuscles:\n  hamstrings: {length: 0.95, stiffness: 2}\n"
      "signs: [knee_clicking, bottom_sticks_out, exaggerated_lumbar_arch]\n",
      "s.yaml");
  const assess::Assessment a = assess::run_assessment(s);
  ASSERT_FALSE(a.findings.chains.empty());
  const std::string html = before_the_echo(pulley::report::assessment_report_html(a));
  EXPECT_FALSE(has_claim_code(html));
  EXPECT_TRUE(contains(html, "<td>biceps femoris long head</td>"));  // the strain table
  EXPECT_FALSE(contains(html, "biceps_femoris_long<"));
  // The chains' links: "passive straight-leg raise, right", "toe-touch: peak pelvis rotation".
  EXPECT_TRUE(contains(html, "passive straight-leg raise, right &middot; evidence:")) << html;
  EXPECT_TRUE(contains(html, "toe-touch: peak pelvis rotation &middot; evidence:"));
  // A group's factor: "hamstrings, right: length", not "imbalance: length at hamstrings at right".
  EXPECT_TRUE(contains(html, "hamstrings, right: length &middot; evidence:")) << html;
  for (const char* key : {"tests.", "forward_bend.", "imbalance.", "imbalance:", " at right",
                          "straight_leg_raise_deg", "_deg."})
    EXPECT_FALSE(contains(html, key)) << key;
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

// A subject without measurements: the calibration section says that nothing was measured, so
// nothing was fitted, without a fit's iterations and cost; measurements are named by their test.
TEST(AssessmentReport, SaysPlainlyThatNothingMeasuredWasFitted) {
  pulley::model::Subject s;
  s.name = "unmeasured";
  const auto calibration = assess::calibrate(s);
  ASSERT_EQ(calibration.status, assess::CalibrationStatus::no_measurements);
  const std::string html =
      pulley::report::assessment_report_html(assess::run_assessment(s, calibration), &calibration);
  EXPECT_TRUE(contains(html, "No measurements were given, so nothing was fitted"));
  EXPECT_FALSE(contains(html, "iterations")) << html.substr(html.find("Measurements and"), 400);
  EXPECT_FALSE(contains(html, "&rarr; 0"));
  // A measured subject's measurements table names the test, not its key.
  const std::string measured = pulley::report::assessment_report_html(hostile());
  EXPECT_TRUE(contains(measured,
                       "<tr><td>passive straight-leg raise</td><td>right</td><td "
                       "class=\"num\">64.0</td></tr>"));
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
