#include "training_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/core/words.hpp"
#include "pulley/io/text_input.hpp"
#include "svg.hpp"

namespace pulley::report {
namespace {

using model::Side;

std::string esc(std::string_view s) { return escape_html(s); }

std::string side_text(const std::optional<Side>& side) {
  return side ? (*side == Side::right ? "right" : "left") : "both";
}

// The dose (training::dose_text) with what the entry adds: "3 x 45 s, hamstrings", ", foot
// turned in", ", right leg".
std::string dose_cell(const training::ProgrammeEntry& e, int weeks) {
  std::string text = training::dose_text(e, weeks);
  if (!e.target.empty()) text += ", " + words(e.target);
  if (e.foot != "neutral") text += ", foot turned " + e.foot;
  return text + training::one_leg_text(e);
}

std::string weeks_text(const training::ProgrammeEntry& e, int weeks) {
  const int last = training::last_week(e, weeks);
  return last == e.from_week ? fmt::format("{}", last) : fmt::format("{}-{}", e.from_week, last);
}

std::string programme_table(const TrainingReport& t) {
  const auto& p = t.result->programme;
  std::string h = "<table><tr><th>Exercise</th><th>Weeks</th><th>Dose</th><th>Sessions a week</th>"
                  "<th>Minutes a week</th><th>Why</th></tr>";
  for (std::size_t i = 0; i < p.entries.size(); ++i) {
    const auto& e = p.entries[i];
    const training::Exercise& x = *training::find_exercise(e.exercise);
    const training::Dose d = training::with_defaults(e.dose, x.dose);
    std::string why = "&ndash;";
    if (t.plan && i < t.plan->proposed.entries.size())
      why = esc(words(training::to_string(t.plan->proposed.entries[i].step)) + ": " +
                t.plan->proposed.entries[i].reason);
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:g}</td><td>{}</td>"
        "<td class=\"evidence\">{}</td></tr>",
        esc(x.name), weeks_text(e, p.weeks), esc(dose_cell(e, p.weeks)), *d.sessions_per_week,
        training::minutes_text(e, p.weeks), why);
  }
  h += "</table>";
  if (!p.missed_weeks.empty())
    h += fmt::format("<p>Weeks without any session: {}.</p>", fmt::join(p.missed_weeks, ", "));
  return h;
}

// What each entry's first session asks of the muscles, in words (training::describe_load).
std::string loads_table(const TrainingReport& t) {
  const auto& r = *t.result;
  std::string h = "<table><tr><th>Exercise</th><th>Week</th><th>What it asks of the muscles "
                  "(right side unless marked)</th></tr>";
  for (const auto& load : r.entry_loads) {
    const auto& entry = r.programme.entries[load.entry];
    const training::Exercise& x = *training::find_exercise(entry.exercise);
    const int k = training::described_side(entry);
    std::string name = x.name;
    if (entry.foot != "neutral") name += ", foot turned " + entry.foot;
    if (!entry.target.empty()) name += ", " + words(entry.target);
    h += fmt::format("<tr><td>{}{}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
                     esc(name), k == 1 ? " (left)" : "", load.week,
                     esc(training::describe_load(load, x, k)));
  }
  return h + "</table>";
}

// The explanations of kBeyondRangeMark and kAtStartMark under a table or the charts.
std::string out_of_reach_note() {
  return esc(fmt::format("Not testable that week: {}.", assess::kBeyondPassiveRangeNote));
}
std::string at_start_note() {
  return esc(fmt::format("Ended at its start that week: {}.", assess::kAtStartNote));
}

// The re-tests' notes: the tests left out because no person could do them, or because they end
// at their start throughout.
std::string retest_notes(const TrainingReport& t) {
  if (t.retest_notes.empty()) return "";
  std::string h = "<ul class=\"evidence\">";
  for (const auto& n : t.retest_notes) h += "<li>" + esc(n) + "</li>";
  return h + "</ul>";
}

std::string retest_table(const TrainingReport& t) {
  if (t.retests.empty())
    return "<p>No test is predicted to change by more than it can detect; re-assess at the end of "
           "the programme.</p>" +
           retest_notes(t);
  std::string h = "<table><tr><th>Week</th>";
  if (t.start) h += "<th>Date</th>";
  h += "<th>Test</th><th>Side</th><th>Week 0</th><th>Predicted</th><th>Detectable change</th>"
       "<th>Why then</th></tr>";
  bool marked = false;
  for (const auto& r : t.retests) {
    const int d = assess::test_decimals(r.test);
    h += fmt::format("<tr><td>{}</td>", r.week);
    if (t.start) h += "<td>" + io::retest_date(*t.start, r.week) + "</td>";
    h += fmt::format(
        "<td>{}</td><td>{}</td><td>{}{}</td><td>{}{}</td><td>{} {}</td><td>{}</td></tr>",
        esc(assess::test_label(r.test)), side_text(r.side), format_number(r.baseline, d),
        test_value_mark(false, r.baseline_at_start), format_number(r.predicted, d),
        test_value_mark(false, r.predicted_at_start), format_number(r.detectable, d),
        esc(assess::test_unit(r.test)), esc(r.why));
    marked |= r.baseline_at_start || r.predicted_at_start;
  }
  h += "</table>";
  if (marked)
    h += "<p class=\"evidence\">" + std::string(kAtStartSign) + " " + at_start_note() + "</p>";
  return h + retest_notes(t);
}

// chosen: the report's blues for the programme shown, distinct hues for the alternatives.
constexpr const char* kRightColour = "#2b6cb0";
constexpr const char* kLeftColour = "#90cdf4";
constexpr std::array<const char*, 4> kAlternativeColours = {"#dd6b20", "#38a169", "#805ad5",
                                                            "#718096"};

bool differs(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i]) &&
        std::abs(a[i] - b[i]) > 1e-3 * std::max(1.0, std::abs(a[i])))
      return true;
  return false;
}

// The values of side `k` (0 right, 1 left) of `x` as charted: none (NaN, a gap) in the weeks the
// test is out of the person's reach, whose values no person's test could give.
std::vector<double> charted(const training::Trajectory& x, int k) {
  std::vector<double> v = k == 0 ? x.right : x.left;
  for (std::size_t w = 0; w < v.size(); ++w)
    if (x.out_of_reach(k, w)) v[w] = std::numeric_limits<double>::quiet_NaN();
  return v;
}

std::string charts(const TrainingReport& t) {
  const auto shown = training::key_trajectories(*t.result);
  std::vector<std::vector<training::Trajectory>> others;
  if (t.plan)
    for (const auto& a : t.plan->alternatives) others.push_back(training::key_trajectories(a.result));
  const auto any_finite = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  std::string h = "<div class=\"figrow\">";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& x = shown[i];
    const std::vector<double> right = charted(x, 0), left = charted(x, 1);
    if (!any_finite(right) && !any_finite(left)) continue;
    LineChart c;
    c.title = x.label;
    c.unit = x.unit;
    c.decimals = x.decimals;
    const std::string name = t.plan ? "plan" : "programme";
    const bool two_sides = !x.left.empty() && differs(x.right, x.left);
    c.series.push_back({name + (two_sides ? ", right" : ""), kRightColour, false, right});
    if (two_sides) c.series.push_back({name + ", left", kLeftColour, false, left});
    for (std::size_t a = 0; a < others.size(); ++a)
      c.series.push_back({t.plan->alternatives[a].title + (two_sides ? ", right" : ""),
                          kAlternativeColours[a % kAlternativeColours.size()], true,
                          charted(others[a][i], 0)});
    for (const auto& r : t.retests)
      if (std::string(model::to_string(r.test)) == x.id) c.marks.push_back(r.week);
    h += line_chart_svg(c);
  }
  h += "</div>";
  // Which charted tests run through weeks no person could test, or weeks where they end at their
  // start, on the programme shown.
  const auto weeks_where = [&](const auto& holds) {
    std::vector<std::string> out;
    for (const auto& x : shown)
      for (int k = 0; k < 2; ++k) {
        std::vector<int> weeks;
        for (std::size_t w = 0; w < t.result->weeks.size(); ++w)
          if (holds(x, k, w)) weeks.push_back(t.result->weeks[w].week);
        if (weeks.empty()) continue;
        const bool run = weeks.back() - weeks.front() + 1 == static_cast<int>(weeks.size());
        const std::string when = weeks.size() == 1 ? fmt::format("week {}", weeks.front())
                                 : run ? fmt::format("weeks {}-{}", weeks.front(), weeks.back())
                                       : fmt::format("weeks {}", fmt::join(weeks, ", "));
        out.push_back(
            fmt::format("{} ({}, {})", x.label, model::side_name(model::kSides[k]), when));
      }
    return out;
  };
  const auto note = [](const std::vector<std::string>& which, const std::string& why) {
    return which.empty() ? std::string()
                         : "<p class=\"evidence\">" +
                               esc(fmt::format("{}", fmt::join(which, "; "))) + ": " + why + "</p>";
  };
  h += note(weeks_where([](const training::Trajectory& x, int k, std::size_t w) {
              return x.out_of_reach(k, w);
            }),
            std::string(others.empty() ? "not drawn in those weeks. "
                                       : "not drawn in those weeks (an alternative's line "
                                         "neither, in its own weeks out of reach). ") +
                out_of_reach_note());
  h += note(weeks_where([](const training::Trajectory& x, int k, std::size_t w) {
              return x.at_start(k, w);
            }),
            at_start_note());
  return h;
}

// The smallest difference at the end between two options' values of `x` (right side) that the
// comparison calls one: a test's detectable difference (assess::detectable_difference, as the
// re-tests use; relative ones of `reference`); for the other outputs, chosen: 7 deg of lumbar
// flexion (the order of the goniometric tests' detectable change), 5 points of the fascicles'
// change (within the spread of the gains Presland et al. 2018 measured, +23 +- 7 % and +24 +-
// 4 %), 10 % of `reference` for the disc pressure and the strain index (the strength tests'
// fraction). docs/training.md, "The planner".
double meaningful_difference(const training::Trajectory& x, double reference) {
  if (const auto test = model::measured_test_from(x.id))
    return assess::detectable_difference(*test, reference);
  if (x.id == training::kBendLumbarFlexionTrajectory) return 7.0;
  if (x.id == training::kFascicleLengthTrajectory) return 5.0;
  return 0.1 * std::abs(reference);
}

// Which option's value at the end (`row`: one trajectory per option, right side) is better than
// every other's by at least meaningful_difference, and different in its shown digits; none where
// no option is, or where fewer than two are readings (a value out of reach or at the test's start
// is none). The reference of a relative difference: week 0's value where it is a reading, else
// the best.
std::optional<std::size_t> best_option(const std::vector<training::Trajectory>& row) {
  const auto reading = [](const training::Trajectory& t, std::size_t w) {
    return w < t.right.size() && std::isfinite(t.right[w]) && !t.out_of_reach(0, w) &&
           !t.at_start(0, w);
  };
  const auto last = [](const training::Trajectory& t) { return t.right.size() - 1; };
  const auto better = [&](double a, double b) {
    return row.front().higher_is_better ? a > b : a < b;
  };
  std::optional<std::size_t> best;
  int readings = 0;
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (row[k].right.empty() || !reading(row[k], last(row[k]))) continue;
    ++readings;
    if (!best || better(row[k].right.back(), row[*best].right.back())) best = k;
  }
  if (!best || readings < 2) return std::nullopt;
  const auto& x = row.front();
  const double v = row[*best].right.back();
  const double reference = reading(x, 0) ? x.right.front() : v;
  const double needed = meaningful_difference(x, reference);
  if (!std::isfinite(needed)) return std::nullopt;
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (k == *best || row[k].right.empty() || !reading(row[k], last(row[k]))) continue;
    const double u = row[k].right.back();
    if (std::abs(v - u) < needed || format_number(v, x.decimals) == format_number(u, x.decimals))
      return std::nullopt;
  }
  return best;
}

std::string comparison_table(const training::Plan& plan) {
  std::vector<const training::PlanOption*> options = {&plan.proposed};
  for (const auto& a : plan.alternatives) options.push_back(&a);
  std::vector<std::vector<training::Trajectory>> trajectories;
  for (const auto* o : options) trajectories.push_back(training::key_trajectories(o->result));
  bool marked = false, marked_at_start = false;
  // A value's mark, if it is no reading (the model's value out of reach, or the test's start).
  const auto mark = [&](const training::Trajectory& x, std::size_t week) {
    marked |= x.out_of_reach(0, week);
    marked_at_start |= x.at_start(0, week);
    return test_value_mark(x.out_of_reach(0, week), x.at_start(0, week));
  };
  std::string h = "<table><tr><th>At the end (right side)</th><th>Week 0</th>";
  for (const auto* o : options) h += "<th>" + esc(o->title) + "</th>";
  h += "</tr>";
  // A value as the table shows it: "not testable" where no person's test could give it.
  const auto shown = [&](const training::Trajectory& x, std::size_t week) {
    return (x.out_of_reach(0, week) ? std::string("not testable")
                                    : format_number(x.right[week], x.decimals)) +
           mark(x, week);
  };
  for (std::size_t i = 0; i < trajectories.front().size(); ++i) {
    const auto& x = trajectories.front()[i];
    h += fmt::format("<tr><td>{}{}</td><td>{}</td>", esc(x.label),
                     x.unit.empty() ? "" : " (" + esc(x.unit) + ")", shown(x, 0));
    std::vector<training::Trajectory> row;
    for (const auto& tr : trajectories) row.push_back(tr[i]);
    const std::optional<std::size_t> best = best_option(row);
    for (std::size_t k = 0; k < row.size(); ++k)
      h += fmt::format("<td{}>{}</td>", best == k ? " class=\"best\"" : "",
                       shown(row[k], row[k].right.size() - 1));
    h += "</tr>";
  }
  h += "<tr><td>Longest week (minutes)</td><td></td>";
  for (const auto* o : options) h += fmt::format("<td>{:.0f}</td>", o->longest_week_minutes);
  h += "</tr></table><ul class=\"evidence\">";
  if (marked) h += std::string("<li>") + kBeyondRangeSign + " " + out_of_reach_note() + "</li>";
  if (marked_at_start) h += std::string("<li>") + kAtStartSign + " " + at_start_note() + "</li>";
  for (const auto& a : plan.alternatives)
    h += "<li><b>" + esc(a.title) + "</b>: " + esc(a.description) + "</li>";
  return h + "</ul>";
}

}  // namespace

std::string training_section_html(const TrainingReport& t) {
  if (!t.result || t.result->weeks.empty())
    throw InputError("assessment report: the training section needs a simulated programme");
  std::string h = "<h2 id=\"training\">" + esc(t.title) + "</h2>";
  h += "<p class=\"disclaimer\">What this programme is expected to change, simulated on the model "
       "of this person: a planning and education aid, not a prescription or a promise. Only a "
       "re-test shows what actually changed; stop and see a clinician if an exercise hurts.</p>";
  if (const std::string caution = training::injured_load_caution(*t.result); !caution.empty())
    h += "<p class=\"caution\">" + esc(caution) + "</p>";
  // Before the re-tests and charts it explains.
  if (const std::string recovery = training::capacity_recovery_note(*t.result); !recovery.empty())
    h += "<p>" + esc(recovery) + "</p>";
  if (t.plan) {
    h += "<p>" + esc(t.plan->proposed.description) + "</p><h3>What the plan works on</h3><ul>";
    if (t.plan->targets.empty()) h += "<li>Nothing is out of balance.</li>";
    for (const auto& x : t.plan->targets)
      h += fmt::format("<li><b>{} {}</b> ({}): <span class=\"evidence\">{}</span></li>",
                       esc(words(x.group)), esc(words(x.finding)), side_text(x.side),
                       esc(fmt::format("{}", fmt::join(x.evidence, "; "))));
    h += "</ul>";
    const auto& c = t.plan->constraints;
    std::vector<std::string> equipment;
    if (c.equipment)
      for (const auto& item : *c.equipment) equipment.push_back(words(item));
    h += fmt::format(
        "<p>Constraints from the subject file: equipment {}; {}; {}.</p>",
        c.equipment
            ? (equipment.empty() ? "none" : esc(fmt::format("{}", fmt::join(equipment, ", "))))
            : "not given (household items only)",
        c.minutes_per_week ? fmt::format("at most {:g} minutes a week", *c.minutes_per_week)
                           : "no time limit given",
        c.injured_side ? "injured side " + side_text(c.injured_side) : "no injured side given");
  }
  h += "<h3>The programme</h3>" + programme_table(t);
  if (t.plan && !t.plan->notes.empty()) {
    h += "<ul class=\"evidence\">";
    for (const auto& n : t.plan->notes) h += "<li>" + esc(n) + "</li>";
    h += "</ul>";
  }
  if (!t.result->entry_loads.empty())
    h += "<h3>What each exercise asks of the muscles</h3><p>Its first session, simulated on the "
         "model of that week. A strength exercise strengthens only the muscles it works above "
         "the activation named in its row (docs/training.md, \"Stimulus\").</p>" +
         loads_table(t);
  h += "<h3>Re-test dates</h3>" + retest_table(t);
  h += "<h3>Predicted over the weeks</h3><p>Right side unless marked; red dashed lines mark the "
       "re-tests." +
       std::string(t.plan && !t.plan->alternatives.empty() ? " Dashed: the alternatives." : "") +
       "</p>";
  if (const std::string note = training::loads_subject_note(*t.result); !note.empty())
    h += "<p>" + esc(note) + "</p>";
  h += charts(t);
  if (t.plan && !t.plan->alternatives.empty())
    h += "<h3>Compared with the alternatives</h3>" + comparison_table(*t.plan);
  if (!t.result->notes.empty()) {
    h += "<ul class=\"evidence\">";
    for (const auto& n : t.result->notes) h += "<li>" + esc(n) + "</li>";
    h += "</ul>";
  }
  h += "<p class=\"evidence\">The adaptation model, its constants and sources: docs/training.md; "
       "how it compares with published training studies: docs/validation.md.</p>";
  return h;
}

}  // namespace pulley::report
