#include "pulley/io/plan_results.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "pulley/core/version.hpp"
#include "pulley/core/words.hpp"
#include "pulley/io/programme_yaml.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/text_input.hpp"

namespace pulley::io {
namespace {

nlohmann::json number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); }

nlohmann::json side_json(const std::optional<model::Side>& side) {
  if (!side) return "both";
  return *side == model::Side::right ? "right" : "left";
}

nlohmann::json entries_json(const std::vector<training::PlannedEntry>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : entries) {
    const auto& e = p.entry;
    const auto& x = *training::find_exercise(e.exercise);
    const nlohmann::json dose = dose_to_json(training::with_defaults(e.dose, x.dose));
    out.push_back({{"exercise", e.exercise},
                   {"step", training::to_string(p.step)},
                   {"reason", p.reason},
                   {"from_week", e.from_week},
                   {"to_week", e.to_week > 0 ? nlohmann::json(e.to_week) : nlohmann::json()},
                   {"side", e.sides[0] == e.sides[1] ? "both" : (e.sides[0] ? "right" : "left")},
                   {"foot", e.foot},
                   {"target", e.target.empty() ? nlohmann::json() : nlohmann::json(e.target)},
                   {"dose", dose},
                   {"effort_per_week", e.progression.effort_per_week},
                   {"minutes_per_week", training::entry_minutes_per_week(e)}});
  }
  return out;
}

// Each key trajectory's start and end, for the comparison.
nlohmann::json outcomes_json(const training::ProgrammeResult& r) {
  nlohmann::json out;
  for (const auto& t : training::key_trajectories(r)) {
    const auto ends = [&](int side) {
      const std::vector<double>& v = side == 0 ? t.right : t.left;
      nlohmann::json e = {{"week_0", number(v.front())}, {"end", number(v.back())}};
      // A test's value at a posture the person does not reach is the model's, no test result;
      // one that ended at its start is the start, a bound.
      if (!(side == 0 ? t.right_end : t.left_end).empty()) {
        e["week_0_beyond_passive_range"] = t.out_of_reach(side, 0);
        e["end_beyond_passive_range"] = t.out_of_reach(side, v.size() - 1);
        e["week_0_at_start"] = t.at_start(side, 0);
        e["end_at_start"] = t.at_start(side, v.size() - 1);
      }
      return e;
    };
    if (t.left.empty())
      out[t.id] = ends(0);
    else
      out[t.id] = {{"right", ends(0)}, {"left", ends(1)}};
  }
  return out;
}

nlohmann::json option_json(const training::PlanOption& o) {
  nlohmann::json j = {{"id", o.id},
                      {"title", o.title},
                      {"description", o.description},
                      {"longest_week_minutes", o.longest_week_minutes},
                      {"entries", entries_json(o.entries)},
                      {"outcomes", outcomes_json(o.result)},
                      {"notes", o.result.notes}};
  nlohmann::json weeks = programme_result_to_json(o.result);
  j["protocol"] = std::move(weeks["protocol"]);
  j["exercise_loads"] = std::move(weeks["exercise_loads"]);
  j["loads_on_findings_factors"] = std::move(weeks["loads_on_findings_factors"]);
  j["weeks"] = std::move(weeks["weeks"]);
  return j;
}

}  // namespace

nlohmann::json retests_to_json(const std::vector<training::Retest>& retests,
                               const std::optional<std::chrono::sys_days>& start) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& x : retests)
    out.push_back({{"week", x.week},
                   {"date", start ? nlohmann::json(retest_date(*start, x.week)) : nlohmann::json()},
                   {"test", std::string(model::to_string(x.test))},
                   {"side", x.side ? side_json(x.side) : nlohmann::json()},
                   {"week_0", number(x.baseline)},
                   {"predicted", number(x.predicted)},
                   {"detectable_difference", number(x.detectable)},
                   {"week_0_at_start", x.baseline_at_start},
                   {"predicted_at_start", x.predicted_at_start},
                   {"why", x.why}});
  return out;
}

nlohmann::json training_to_json(const training::ProgrammeResult& result,
                                const std::vector<training::Retest>& retests,
                                const std::vector<std::string>& retest_notes,
                                const std::optional<std::chrono::sys_days>& start,
                                const assess::CalibrationResult* calibration) {
  nlohmann::json j = programme_result_to_json(result);
  if (calibration)
    j["calibration"] = {{"status", std::string(assess::to_string(calibration->status))},
                        {"message", calibration->message}};
  j["retests"] = retests_to_json(retests, start);
  j["retest_notes"] = retest_notes;
  return j;
}

nlohmann::json plan_to_json(const training::Plan& plan,
                            const std::optional<std::chrono::sys_days>& start) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : plan.targets)
    targets.push_back({{"group", t.group},
                       {"side", side_json(t.side)},
                       {"finding", t.finding},
                       {"evidence", t.evidence}});
  const auto& c = plan.constraints;
  nlohmann::json proposed = option_json(plan.proposed);
  proposed["retests"] = retests_to_json(plan.proposed.retests, start);
  proposed["retest_notes"] = plan.proposed.retest_notes;
  nlohmann::json alternatives = nlohmann::json::array();
  for (const auto& a : plan.alternatives) alternatives.push_back(option_json(a));
  return {{"schema_version", 1},
          {"pulley_version", std::string(version())},
          {"disclaimer", kResultDisclaimer},
          {"subject", plan.proposed.result.weeks.front().subject.name},
          {"weeks", plan.proposed.result.programme.weeks},
          {"constraints",
           {{"equipment", c.equipment ? nlohmann::json(*c.equipment) : nlohmann::json()},
            {"minutes_per_week", c.minutes_per_week ? nlohmann::json(*c.minutes_per_week)
                                                    : nlohmann::json()},
            {"injured_side", c.injured_side ? side_json(c.injured_side) : nlohmann::json()}}},
          {"equipment_available", plan.equipment},
          {"strained_side", plan.strained_side ? side_json(plan.strained_side) : nlohmann::json()},
          {"targets", targets},
          {"plan", proposed},
          {"alternatives", alternatives},
          {"notes", plan.notes}};
}

std::string plan_programme_yaml(const training::Plan& plan, const std::string& subject_name) {
  std::vector<std::string> reasons;
  for (const auto& p : plan.proposed.entries)
    reasons.push_back(words(training::to_string(p.step)) + ": " + p.reason);
  return programme_to_yaml(
      plan.proposed.result.programme,
      "The programme pulley plan proposes for " + subject_name +
          ". A simulation for education and planning, not a prescription: check it with a "
          "clinician.",
      reasons);
}

}  // namespace pulley::io
