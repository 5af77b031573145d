#include "pulley/io/assessment_results.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "pulley/io/results_json.hpp"

namespace pulley::io {

namespace {

using nlohmann::json;

const char* side_key(int k) { return k == 0 ? "right" : "left"; }

}  // namespace

json assessment_to_json(const model::Model& model, const assess::ClinicalTestResults& r) {
  json j = result_header("assess");
  j["subject"] = subject_to_json(model);
  j["status"] = r.ok ? "ok" : "failed";
  j["message"] = r.message;
  json tests = json::object(), ends = json::object();
  const std::vector<std::pair<const char*, const assess::SidedValue*>> sided = {
      {"straight_leg_raise_deg", &r.straight_leg_raise_deg},
      {"passive_knee_extension_deficit_deg", &r.passive_knee_extension_deficit_deg},
      {"active_knee_extension_deficit_deg", &r.active_knee_extension_deficit_deg},
      {"thomas_hip_extension_deg", &r.thomas_hip_extension_deg},
      {"thomas_knee_flexion_deg", &r.thomas_knee_flexion_deg},
      {"knee_flexion_torque_nm_per_kg", &r.knee_flexion_torque_nm_per_kg},
      {"knee_extension_torque_nm_per_kg", &r.knee_extension_torque_nm_per_kg},
      {"hq_ratio", &r.hq_ratio},
      {"nordic_force_n", &r.nordic_force_n},
  };
  for (const auto& [key, value] : sided) {
    json t = json::object(), e = json::object();
    for (int k = 0; k < 2; ++k) {
      const assess::TestValue& v = (*value)[static_cast<std::size_t>(k)];
      t[side_key(k)] = r.ok ? finite_number(v.value) : json();
      e[side_key(k)] = assess::to_string(r.ok ? v.end : assess::TestEnd::not_computed);
    }
    tests[key] = t;
    ends[key] = e;
  }
  const std::vector<std::pair<const char*, const assess::TestValue*>> whole = {
      {"trunk_extensor_endurance_s", &r.trunk_extensor_endurance_s},
      {"standing_pelvic_tilt_deg", &r.standing_pelvic_tilt_deg},
      {"standing_lumbar_lordosis_deg", &r.standing_lumbar_lordosis_deg},
  };
  for (const auto& [key, value] : whole) {
    tests[key] = {{"both", r.ok ? finite_number(value->value) : json()}};
    ends[key] = {{"both", assess::to_string(r.ok ? value->end : assess::TestEnd::not_computed)}};
  }
  j["tests"] = tests;
  j["ends"] = ends;
  const auto& tolerance = model.subject.stretch_tolerance;
  j["protocol"] = {
      {"stretch_tolerance_hip_nm", r.stretch_tolerance_hip_nm},
      {"stretch_tolerance_hip_from", tolerance.hip_nm ? "subject" : "default"},
      {"stretch_tolerance_knee_nm", r.stretch_tolerance_knee_nm},
      {"stretch_tolerance_knee_from", tolerance.knee_nm ? "subject" : "default"},
      {"isometric_knee_flexion_deg", r.settings.isometric_knee_flexion_deg},
      {"isometric_hip_flexion_deg", r.settings.isometric_hip_flexion_deg},
      {"nordic_lowering_speed_deg_s", r.settings.nordic_lowering_speed_deg_s},
      {"trunk_endurance_limit_s", r.settings.trunk_endurance_limit_s},
  };
  json strap = json::object();
  for (int k = 0; k < 2; ++k)
    strap[side_key(k)] = r.ok ? finite_number(r.nordic.strap_distance_m[k]) : json();
  j["details"] = {
      {"nordic",
       {{"break_knee_flexion_deg", r.ok ? finite_number(r.nordic.break_knee_flexion_deg) : json()},
        {"eccentric_factor", r.ok ? finite_number(r.nordic.eccentric_factor) : json()},
        {"strap_distance_m", strap}}},
  };
  return j;
}

namespace {

// A value as printed: "n/a" when it could not be computed.
std::string shown(const assess::TestValue& v, const char* format) {
  return std::isfinite(v.value) ? fmt::format(fmt::runtime(format), v.value) : "n/a";
}

// What ended a test, in words.
std::string ended_by(assess::TestEnd end, const assess::ClinicalTestResults& r, bool knee) {
  switch (end) {
    case assess::TestEnd::stretch_tolerance:
      return fmt::format("stretch tolerance ({:g} N m at the {})",
                         knee ? r.stretch_tolerance_knee_nm : r.stretch_tolerance_hip_nm,
                         knee ? "knee" : "hip");
    case assess::TestEnd::range_limit:
      return "end of the search range";
    case assess::TestEnd::full_extension:
      return "knee fully straight";
    case assess::TestEnd::muscle_capacity:
      return "muscles at full effort";
    case assess::TestEnd::gravity_balance:
      return "rest under gravity";
    case assess::TestEnd::maximum_effort:
      return "maximal effort";
    case assess::TestEnd::held_throughout:
      return "held to the end";
    case assess::TestEnd::not_computed:
      return "not computed";
  }
  return "";
}

}  // namespace

std::string assessment_to_text(const model::Model& model, const assess::ClinicalTestResults& r) {
  const auto& s = model.subject;
  std::string out = fmt::format(
      "Subject: {} ({}, {:.2f} m, {:.1f} kg, pelvic incidence {:.0f} deg)\n", s.name,
      s.sex == model::Sex::male ? "male" : "female", s.height_m, s.mass_kg, s.pelvic_incidence_deg);
  if (!r.ok) return out + "The clinical tests could not be run: " + r.message + "\n";
  out += "\nClinical tests, simulated (docs/assessment.md)           right     left   ended by\n";
  struct Row {
    const char* label;
    const assess::SidedValue* value;
    const char* format;
    bool knee;
  };
  const Row rows[] = {
      {"passive straight-leg raise (deg from the table)", &r.straight_leg_raise_deg, "{:.1f}",
       false},
      {"passive knee extension, hip 90 (deficit, deg)", &r.passive_knee_extension_deficit_deg,
       "{:.1f}", true},
      {"active knee extension, hip 90 (deficit, deg)", &r.active_knee_extension_deficit_deg,
       "{:.1f}", true},
      {"Thomas test: thigh below the table (deg)", &r.thomas_hip_extension_deg, "{:.1f}", false},
      {"Thomas test: knee flexion (deg)", &r.thomas_knee_flexion_deg, "{:.1f}", false},
      {"isometric knee flexion (N m/kg)", &r.knee_flexion_torque_nm_per_kg, "{:.2f}", false},
      {"isometric knee extension (N m/kg)", &r.knee_extension_torque_nm_per_kg, "{:.2f}", false},
      {"hamstring:quadriceps ratio (isometric)", &r.hq_ratio, "{:.2f}", false},
      {"Nordic hamstring force at the ankle (N)", &r.nordic_force_n, "{:.0f}", false},
  };
  for (const Row& row : rows) {
    const auto& v = *row.value;
    out += fmt::format("  {:<52} {:>7} {:>8}   {}\n", row.label, shown(v[0], row.format),
                       shown(v[1], row.format), ended_by(v[0].end, r, row.knee));
    if (v[1].end != v[0].end)
      out += fmt::format("  {:<69}   left: {}\n", "", ended_by(v[1].end, r, row.knee));
  }
  out +=
      fmt::format("  isometric tests at hip {:g} deg, knee {:g} deg, seated; Nordic break at {}\n",
                  r.settings.isometric_hip_flexion_deg, r.settings.isometric_knee_flexion_deg,
                  std::isfinite(r.nordic.break_knee_flexion_deg)
                      ? fmt::format("{:.1f} deg of knee flexion", r.nordic.break_knee_flexion_deg)
                      : std::string("none (held to the floor)"));
  const auto& trunk = r.trunk_extensor_endurance_s;
  out +=
      fmt::format("  prone trunk-extensor endurance (s)                     {:>7}            {}\n",
                  shown(trunk, "{:.0f}"),
                  trunk.end == assess::TestEnd::muscle_capacity
                      ? std::string("the back muscles could no longer hold the trunk")
                      : ended_by(trunk.end, r, false));
  out += fmt::format("  standing pelvic tilt {} deg, lumbar lordosis {} deg\n",
                     shown(r.standing_pelvic_tilt_deg, "{:.1f}"),
                     shown(r.standing_lumbar_lordosis_deg, "{:.1f}"));
  out += fmt::format(
      "Stretch tolerance: hip {:g} N m ({}), knee {:g} N m ({})\n", r.stretch_tolerance_hip_nm,
      s.stretch_tolerance.hip_nm ? "subject file" : "default", r.stretch_tolerance_knee_nm,
      s.stretch_tolerance.knee_nm ? "subject file" : "default");
  return out;
}

namespace {

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json side_or_null(const std::optional<model::Side>& side) {
  if (!side) return nullptr;
  return *side == model::Side::right ? "right" : "left";
}

std::string side_text(const std::optional<model::Side>& side) {
  if (!side) return "";
  return *side == model::Side::right ? "right" : "left";
}

}  // namespace

json calibration_to_json(const assess::CalibrationResult& c) {
  json j = {{"status", assess::to_string(c.status)},
            {"message", c.message},
            {"iterations", c.iterations},
            {"initial_cost", number_or_null(c.initial_cost)},
            {"final_cost", number_or_null(c.final_cost)}};
  json residuals = json::array(), parameters = json::array(), outputs = json::array();
  for (const auto& r : c.residuals)
    residuals.push_back({{"test", std::string(model::to_string(r.measurement.test))},
                         {"side", side_or_null(r.measurement.side)},
                         {"measured", r.measurement.value},
                         {"simulated_before", number_or_null(r.simulated_prior)},
                         {"simulated", number_or_null(r.simulated)},
                         {"sd", number_or_null(r.sd)},
                         {"z", number_or_null(r.normalized())}});
  for (const auto& p : c.parameters)
    parameters.push_back({{"group", p.group},
                          {"factor", p.factor},
                          {"side", side_or_null(p.side)},
                          {"prior", number_or_null(p.prior)},
                          {"prior_sd", number_or_null(p.prior_sd)},
                          {"value", number_or_null(p.value)},
                          {"sd", number_or_null(p.sd)},
                          {"determined", p.determined}});
  for (const auto& o : c.outputs)
    outputs.push_back(
        {{"output", o.output}, {"value", number_or_null(o.value)}, {"sd", number_or_null(o.sd)}});
  j["residuals"] = residuals;
  j["parameters"] = parameters;
  j["outputs"] = outputs;
  j["conflicts"] = c.conflicts;
  return j;
}

std::string calibration_to_text(const assess::CalibrationResult& c) {
  std::string out = "\nCalibration (docs/assessment.md): " + std::string(assess::to_string(c.status)) +
                    "\n  " + c.message + "\n";
  if (c.residuals.empty()) return out;
  out += fmt::format("  {:<44} {:>9} {:>9} {:>9} {:>7}\n", "measurement", "measured", "before",
                     "fitted", "z");
  for (const auto& r : c.residuals) {
    std::string label(model::to_string(r.measurement.test));
    if (r.measurement.side) label += " (" + side_text(r.measurement.side) + ")";
    out += fmt::format("  {:<44} {:>9.3g} {:>9.3g} {:>9.3g} {:>+7.2f}\n", label, r.measurement.value,
                       r.simulated_prior, r.simulated, r.normalized());
  }
  out += fmt::format("  {:<44} {:>9} {:>16} {}\n", "parameter", "prior", "fitted +- sd",
                     "determined by the data?");
  for (const auto& p : c.parameters) {
    std::string label = p.group.empty() ? p.factor : p.group + " " + p.factor;
    if (p.side) label += " (" + side_text(p.side) + ")";
    out += fmt::format("  {:<44} {:>9.3g} {:>8.3g} +- {:<5.2g} {}\n", label, p.prior, p.value,
                       p.sd, p.determined ? "yes" : "no");
  }
  for (const auto& conflict : c.conflicts) out += "  note: " + conflict + "\n";
  return out;
}

}  // namespace pulley::io
