#include "pulley/io/assessment_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pulley/core/words.hpp"
#include "pulley/io/results_json.hpp"

namespace pulley::io {

namespace {

using nlohmann::json;

std::string side_key(int k) { return std::string(model::side_name(model::kSides[k])); }

// The whole-body parameter `factor` (a stretch tolerance) as `calibration` fitted it, or null
// when there was no fit or the fit left it at its prior (no measurement sees it).
const assess::FittedParameter* fitted_whole_body(const assess::CalibrationResult* calibration,
                                                 std::string_view factor) {
  if (!calibration || !calibration->fitted_factors()) return nullptr;
  for (const auto& p : calibration->parameters)
    if (p.group.empty() && p.factor == factor && p.value != p.prior) return &p;
  return nullptr;
}

}  // namespace

namespace {

// The assessment's JSON with `shown` as its subject: the subject file as read, which differs from
// model.subject when the model is the calibrated subject.
json assessment_json(const model::Subject& shown, const model::Model& model,
                     const assess::ClinicalTestResults& r, const assess::Findings* findings,
                     const assess::CalibrationResult* calibration) {
  json j = result_header("assess");
  j["subject"] = subject_to_json(shown);
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
      {"concentric_knee_flexion_nm_per_kg", &r.concentric_knee_flexion_nm_per_kg},
      {"concentric_knee_extension_nm_per_kg", &r.concentric_knee_extension_nm_per_kg},
      {"conventional_hq_ratio", &r.conventional_hq_ratio},
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
  const auto from = [&](const std::optional<double>& in_file, std::string_view factor) {
    if (fitted_whole_body(calibration, factor)) return "calibration";
    return in_file ? "subject" : "default";
  };
  j["protocol"] = {
      {"stretch_tolerance_hip_nm", r.stretch_tolerance_hip_nm},
      {"stretch_tolerance_hip_from", from(tolerance.hip_nm, "stretch_tolerance_hip_nm")},
      {"stretch_tolerance_knee_nm", r.stretch_tolerance_knee_nm},
      {"stretch_tolerance_knee_from", from(tolerance.knee_nm, "stretch_tolerance_knee_nm")},
  };
  j["protocol"].update(protocol_settings_to_json(r.settings, model.subject.protocol));
  const auto per_side = [&](const std::array<double, 2>& v) {
    json out = json::object();
    for (int k = 0; k < 2; ++k) out[side_key(k)] = r.ok ? finite_number(v[k]) : json();
    return out;
  };
  j["details"] = {
      {"nordic",
       {{"break_knee_flexion_deg", r.ok ? finite_number(r.nordic.break_knee_flexion_deg) : json()},
        {"eccentric_factor", r.ok ? finite_number(r.nordic.eccentric_factor) : json()},
        {"strap_distance_m", per_side(r.nordic.strap_distance_m)}}},
      {"concentric",
       {{"range_extended_end_knee_flexion_deg", per_side(r.concentric_extended_end_deg)},
        {"flexion_peak_knee_flexion_deg", per_side(r.concentric_flexion_peak_knee_deg)},
        {"extension_peak_knee_flexion_deg", per_side(r.concentric_extension_peak_knee_deg)}}},
  };
  if (findings) j["findings"] = findings_to_json(*findings);
  return j;
}

}  // namespace

json assessment_to_json(const model::Model& model, const assess::ClinicalTestResults& r,
                        const assess::Findings* findings,
                        const assess::CalibrationResult* calibration) {
  return assessment_json(model.subject, model, r, findings, calibration);
}

json assessment_to_json(const assess::Assessment& a, const assess::CalibrationResult* calibration) {
  json j = assessment_json(a.subject_file, a.model, a.tests, &a.findings, calibration);
  if (calibration) j["calibration"] = calibration_to_json(*calibration);
  return j;
}

namespace {

json optional_side(const std::optional<model::Side>& side) {
  return side ? json(model::side_name(*side)) : json(nullptr);
}

json level_loads_json(const assess::LevelLoads& l) {
  return {{"standing_compression_n", finite_number(l.standing_compression_n)},
          {"standing_shear_n", finite_number(l.standing_shear_n)},
          {"standing_pressure_mpa", finite_number(l.standing_pressure_mpa)},
          {"standing_posterior_share", finite_number(l.standing_posterior_share)},
          {"bend_peak_compression_n", finite_number(l.bend_peak_compression_n)},
          {"bend_peak_shear_n", finite_number(l.bend_peak_shear_n)},
          {"bend_peak_pressure_mpa", finite_number(l.bend_peak_pressure_mpa)},
          {"bend_peak_ligament_tension_n", finite_number(l.bend_peak_ligament_tension_n)},
          {"bend_deepest_posterior_share", finite_number(l.bend_deepest_posterior_share)}};
}

json body_loads_json(const assess::BodyLoads& b) {
  json lumbar = json::object();
  for (const auto& l : b.lumbar) lumbar[l.level] = level_loads_json(l);
  return {{"standing_pelvic_tilt_deg", finite_number(b.pelvic_tilt_deg)},
          {"standing_lumbar_lordosis_deg", finite_number(b.lumbar_lordosis_deg)},
          {"lumbar", lumbar},
          {"standing_knee_compression_bw", finite_number(b.standing_knee_compression_bw)},
          {"standing_knee_anterior_shear_n", finite_number(b.standing_knee_anterior_shear_n)},
          {"bend_knee_peak_compression_bw", finite_number(b.bend_knee_peak_compression_bw)},
          {"bend_knee_peak_anterior_shear_n", finite_number(b.bend_knee_peak_anterior_shear_n)},
          {"bend_peak_pelvis_rotation_deg", finite_number(b.bend_peak_pelvis_rotation_deg)},
          {"bend_peak_lumbar_flexion_deg", finite_number(b.bend_peak_lumbar_flexion_deg)},
          {"bend_peak_hip_flexion_deg", finite_number(b.bend_peak_hip_flexion_deg)},
          {"bend_frames", b.bend_frames},
          {"bend_reserve_frames", b.bend_reserve_frames}};
}

}  // namespace

json protocol_settings_to_json(const assess::ClinicalTestSettings& used,
                               const model::TestProtocol& given) {
  json out = json::object();
  const auto values = assess::protocol_values(used);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const model::TestProtocolKey& k = model::kTestProtocolKeys[i];
    out[std::string(k.key)] = values[i];
    out[std::string(k.stem) + "_from"] = (given.*k.field).has_value() ? "subject" : "default";
  }
  return out;
}

json test_comparison_to_json(const assess::TestComparison& t) {
  return {{"test", model::to_string(t.test)},
          {"side", optional_side(t.side)},
          {"subject", finite_number(t.subject)},
          {"subject_beyond_passive_range", t.subject_beyond_passive_range()},
          {"subject_at_start", t.subject_at_start()},
          {"typical", finite_number(t.typical)},
          {"measured", t.measured ? finite_number(*t.measured) : json(nullptr)},
          {"norm_low", finite_number(t.norm_low)},
          {"norm_high", finite_number(t.norm_high)},
          {"norm_reference", finite_number(t.norm_reference)},
          {"norm_source", t.norm_source},
          {"healthy_sd", finite_number(t.healthy_sd)},
          {"healthy_low", finite_number(t.healthy_low())},
          {"healthy_high", finite_number(t.healthy_high())},
          {"healthy_source", t.healthy_source},
          {"subject_beyond_healthy_spread", t.subject_beyond_healthy_spread()},
          {"simulated_vs_typical", assess::to_string(t.simulated_vs_typical)},
          {"measured_vs_norm", assess::to_string(t.measured_vs_norm)},
          {"fitted_to_measurement", t.fitted_to_measurement},
          {"strength_typical", t.strength_typical()},
          {"strength_typical_cause", t.strength_typical_cause},
          {"moved_by_unread_factor", t.moved_by_unread_factor}};
}

json standing_comparison_to_json(const std::vector<assess::TestComparison>& comparisons) {
  if (comparisons.empty()) return nullptr;
  json tests = json::array();
  for (const auto& t : comparisons) tests.push_back(test_comparison_to_json(t));
  return {{"tests", tests}, {"beyond_healthy_people", assess::beyond_healthy_people(comparisons)}};
}

json findings_to_json(const assess::Findings& f) {
  json j;
  j["status"] = f.ok ? "ok" : "failed";
  j["message"] = f.message;
  j["summary"] = f.summary;
  j["factors_fitted"] = f.factors_fitted;
  json imbalance = json::array();
  for (const auto& p : f.imbalance)
    imbalance.push_back({{"group", p.group},
                         {"side", optional_side(p.side)},
                         {"strength", p.strength},
                         {"length", p.length},
                         {"stiffness", p.stiffness},
                         {"capacity", p.capacity},
                         {"determined_factors", p.determined_factors},
                         {"held_to_norms", p.held_to_norms},
                         {"fascicle_length", p.fascicle_length},
                         {"strength_vs_norm", assess::to_string(p.strength_vs_norm)},
                         {"length_vs_norm", assess::to_string(p.length_vs_norm)},
                         {"stiffness_vs_norm", assess::to_string(p.stiffness_vs_norm)},
                         {"reduced_capacity", p.reduced_capacity},
                         {"fascicle_length_vs_norm", assess::to_string(p.fascicle_length_vs_norm)},
                         {"summary", p.summary}});
  j["imbalance"] = imbalance;
  json tests = json::array();
  for (const auto& t : f.tests) tests.push_back(test_comparison_to_json(t));
  j["tests"] = tests;
  j["loads"] = {{"subject", body_loads_json(f.loads)}, {"typical", body_loads_json(f.typical_loads)}};
  json heads = json::object();
  for (const auto& h : f.strain.heads)
    heads[h.head] = {{"strain_index", finite_number(h.strain_index)},
                     {"time_pct_cycle", finite_number(h.cycle_pct)},
                     {"relative_strain_index", h.relative ? finite_number(*h.relative) : json(nullptr)}};
  j["strain"] = {{"computed", f.strain.computed},
                 {"activity", f.strain.activity},
                 {"why_this_activity", f.strain.why_this_activity},
                 {"relative_strain_index", finite_number(f.strain.relative)},
                 {"head", f.strain.head},
                 {"heads", heads}};
  json chains = json::array();
  for (const auto& c : f.chains) {
    json links = json::array();
    for (const auto& l : c.links)
      links.push_back({{"statement", l.statement},
                       {"quantity", l.quantity},
                       {"value", finite_number(l.value)},
                       {"typical", finite_number(l.typical)},
                       {"unit", l.unit},
                       {"evidence", l.evidence}});
    chains.push_back({{"id", c.id}, {"title", c.title}, {"links", links}, {"caveat", c.caveat}});
  }
  j["chains"] = chains;
  json signs = json::array();
  for (const auto& a : f.signs) {
    json evidence = json::array();
    for (const auto& e : a.evidence)
      evidence.push_back(
          {{"statement", e.statement}, {"supports", e.supports}, {"measured", e.measured}});
    signs.push_back({{"sign", model::to_string(a.sign.kind)},
                     {"side", optional_side(a.sign.side)},
                     {"reading", a.reading},
                     {"verdict", assess::to_string(a.verdict)},
                     {"conclusion", a.conclusion},
                     {"evidence", evidence}});
  }
  j["signs"] = signs;
  j["settings"] = {{"bend_frames", f.settings.bend_frames},
                   {"run_speed_m_s", f.settings.run_speed_m_s},
                   {"run_frames", f.settings.run_frames}};
  return j;
}

namespace {

// The published norms the model's own typical subject misses
// (TestComparison::typical_outside_norm), each test once, in one line; "" where it misses none.
std::string norms_the_typical_subject_misses(const assess::Findings& f) {
  std::vector<std::string> items;
  for (const auto& t : f.tests) {
    if (!t.typical_outside_norm()) continue;
    const std::string label = assess::test_label(t.test);
    if (std::any_of(items.begin(), items.end(),
                    [&](const std::string& x) { return x.starts_with(label + " ("); }))
      continue;
    const int d = assess::test_decimals(t.test);
    const std::string unit =
        *assess::test_unit(t.test) ? std::string(" ") + assess::test_unit(t.test) : std::string();
    const std::string norm = std::isfinite(t.norm_low) && std::isfinite(t.norm_high)
                                 ? fmt::format("{:.{}f}-{:.{}f}", t.norm_low, d, t.norm_high, d)
                             : std::isfinite(t.norm_low)
                                 ? fmt::format("at least {:.{}f}", t.norm_low, d)
                                 : fmt::format("at most {:.{}f}", t.norm_high, d);
    items.push_back(
        fmt::format("{} ({:.{}f}{}; norm {}{})", label, t.typical, d, unit, norm, unit));
  }
  if (items.empty()) return "";
  const std::string list = and_list(items);
  return fmt::format(
      "The model's typical subject itself lies outside the published norms of the {}: read a "
      "simulated value against the typical subject, a measured one against the norm "
      "(docs/validation.md, Clinical tests).",
      list);
}

}  // namespace

std::string findings_to_text(const assess::Findings& f) {
  if (!f.ok) return "Findings could not be formed: " + f.message + "\n";
  std::string out = "Findings (against the typical subject: same size and sex, typical muscles; "
                    "docs/assessment.md)\n";
  for (const auto& line : f.summary) out += "  - " + line + "\n";
  if (const std::string misses = norms_the_typical_subject_misses(f); !misses.empty())
    out += "  - " + misses + "\n";
  for (const auto& c : f.chains) {
    out += fmt::format("\nChain: {}\n", c.title);
    for (const auto& l : c.links)
      out += fmt::format("  -> {}: {} {} (typical {})\n", l.statement, readable_number(l.value), l.unit,
                         readable_number(l.typical));
  }
  for (const auto& a : f.signs) {
    out += fmt::format("\nSign {}{}: {}\n", words(model::to_string(a.sign.kind)),
                       a.sign.side ? fmt::format(" ({})", model::side_name(*a.sign.side)) : "",
                       words(assess::to_string(a.verdict)));
    for (const auto& e : a.evidence)
      out += fmt::format("  {} {}{}\n", e.supports ? "+" : "-", e.statement,
                         e.measured ? " (measured)" : "");
  }
  return out;
}

namespace {

// A value as printed: "n/a" when it could not be computed, "-" where no person could be tested
// so (its "ended by" says "not testable"; the JSON keeps the model's value).
std::string shown(const assess::TestValue& v, const char* format) {
  if (v.end == assess::TestEnd::beyond_passive_range) return "-";
  return number_or_na(v.value, format);
}

// What ended a test, in words.
std::string ended_by(assess::TestEnd end, const assess::ClinicalTestResults& r, bool knee) {
  const std::string tolerance = fmt::format(
      "{:.3g} N m at the {}", knee ? r.stretch_tolerance_knee_nm : r.stretch_tolerance_hip_nm,
      knee ? "knee" : "hip");
  switch (end) {
    case assess::TestEnd::stretch_tolerance:
      return fmt::format("stretch tolerance ({})", tolerance);
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
    case assess::TestEnd::beyond_passive_range:
      return "not testable (see below)";
    case assess::TestEnd::stretch_tolerance_at_start:
      return fmt::format("stretch tolerance already at the start ({}; see below)", tolerance);
    case assess::TestEnd::muscle_capacity_at_start:
      return "muscles at full effort could not hold the start (see below)";
    case assess::TestEnd::not_computed:
      return "not computed";
  }
  return "";
}

}  // namespace

std::string assessment_to_text(const model::Model& model, const assess::ClinicalTestResults& r,
                               const assess::CalibrationResult* calibration) {
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
      {"concentric knee flexion, peak (N m/kg)", &r.concentric_knee_flexion_nm_per_kg, "{:.2f}",
       false},
      {"concentric knee extension, peak (N m/kg)", &r.concentric_knee_extension_nm_per_kg, "{:.2f}",
       false},
      {"conventional hamstring:quadriceps ratio", &r.conventional_hq_ratio, "{:.2f}", false},
  };
  for (const Row& row : rows) {
    const auto& v = *row.value;
    out += fmt::format("  {:<52} {:>7} {:>8}   {}\n", row.label, shown(v[0], row.format),
                       shown(v[1], row.format), ended_by(v[0].end, r, row.knee));
    if (v[1].end != v[0].end)
      out += fmt::format("  {:<69}   left: {}\n", "", ended_by(v[1].end, r, row.knee));
  }
  bool beyond = false, at_start = false;
  for (const Row& row : rows)
    for (const auto& v : *row.value) {
      beyond |= v.end == assess::TestEnd::beyond_passive_range;
      at_start |= assess::ended_at_start(v.end);
    }
  if (at_start) out += fmt::format("  ended at the start: {}\n", assess::kAtStartNote);
  if (beyond)
    out += fmt::format(
        "  not testable: {} (the relaxed knee's pull there reaches the {:g} N m "
        "knee stretch tolerance); the JSON keeps the model's value there\n",
        assess::kBeyondPassiveRangeNote, r.stretch_tolerance_knee_nm);
  // The Nordic is not computed only where the muscles cannot hold its kneeling start at all.
  const bool nordic_held = r.nordic_force_n[0].end != assess::TestEnd::not_computed;
  const std::string lowered =
      fmt::format(", lowered at {:g} deg/s", r.settings.nordic_lowering_speed_deg_s);
  out += fmt::format(
      "  isometric tests trunk upright, hip at {:g} deg, knee at {:g} deg; Nordic {}\n",
      r.settings.isometric_hip_flexion_deg, r.settings.isometric_knee_flexion_deg,
      !nordic_held ? std::string("not computed: the muscles cannot hold its upright kneeling start")
      : std::isfinite(r.nordic.break_knee_flexion_deg)
          ? fmt::format("break at {:.1f} deg of knee flexion{}", r.nordic.break_knee_flexion_deg,
                        lowered)
          : "break at none (held to the floor)" + lowered);
  if (r.settings.isokinetic_test) {
    const auto peak = [](double deg) {
      return std::isfinite(deg) ? fmt::format("{:.0f}", deg) : std::string("-");
    };
    out += fmt::format(
        "  concentric tests at {:g} deg/s, hip as the isometric tests, knee from 90 to {} deg of "
        "flexion (its passive limit); peaks at {} deg (flexion), {} deg (extension)\n",
        r.settings.isokinetic_speed_deg_s, peak(r.concentric_extended_end_deg[0]),
        peak(r.concentric_flexion_peak_knee_deg[0]), peak(r.concentric_extension_peak_knee_deg[0]));
  }
  const auto& trunk = r.trunk_extensor_endurance_s;
  out += fmt::format(
      "  prone trunk-extensor endurance (s)                     {:>7}            {}\n",
      shown(trunk, "{:.0f}"),
      trunk.end == assess::TestEnd::muscle_capacity
          ? std::string("the back muscles could no longer hold the trunk")
      : trunk.end == assess::TestEnd::held_throughout
          ? fmt::format("held to the test's limit, {:g} s", r.settings.trunk_endurance_limit_s)
          : ended_by(trunk.end, r, false));
  out += fmt::format("  standing pelvic tilt {} deg, lumbar lordosis {} deg\n",
                     shown(r.standing_pelvic_tilt_deg, "{:.1f}"),
                     shown(r.standing_lumbar_lordosis_deg, "{:.1f}"));
  // Where a tolerance comes from: a fit says so (its value is then also the fitted subject
  // file's).
  const auto origin = [&](const std::optional<double>& in_file, std::string_view factor) {
    if (const auto* p = fitted_whole_body(calibration, factor))
      return std::string(p->determined ? "fitted to the measurements"
                                       : "fitted, not determined by the measurements");
    return std::string(in_file ? "subject file" : "default");
  };
  out += fmt::format(
      "Stretch tolerance: hip {:.3g} N m ({}), knee {:.3g} N m ({})\n", r.stretch_tolerance_hip_nm,
      origin(s.stretch_tolerance.hip_nm, "stretch_tolerance_hip_nm"), r.stretch_tolerance_knee_nm,
      origin(s.stretch_tolerance.knee_nm, "stretch_tolerance_knee_nm"));
  return out;
}

namespace {

std::string side_text(const std::optional<model::Side>& side) {
  return side ? std::string(model::side_name(*side)) : "";
}

}  // namespace

json calibration_to_json(const assess::CalibrationResult& c) {
  json j = {{"status", assess::to_string(c.status)},
            {"message", c.message},
            {"iterations", c.iterations},
            {"initial_cost", finite_number(c.initial_cost)},
            {"final_cost", finite_number(c.final_cost)}};
  json residuals = json::array(), parameters = json::array(), outputs = json::array();
  for (const auto& r : c.residuals)
    residuals.push_back({{"test", std::string(model::to_string(r.measurement.test))},
                         {"side", optional_side(r.measurement.side)},
                         {"measured", r.measurement.value},
                         {"simulated_before", finite_number(r.simulated_prior)},
                         {"simulated", finite_number(r.simulated)},
                         {"sd", finite_number(r.sd)},
                         {"z", finite_number(r.normalized())}});
  for (const auto& p : c.parameters)
    parameters.push_back({{"group", p.group},
                          {"factor", p.factor},
                          {"side", optional_side(p.side)},
                          {"prior", finite_number(p.prior)},
                          {"prior_sd", finite_number(p.prior_sd)},
                          {"value", finite_number(p.value)},
                          {"sd", finite_number(p.sd)},
                          {"determined", p.determined}});
  for (const auto& o : c.outputs)
    outputs.push_back(
        {{"output", o.output}, {"value", finite_number(o.value)}, {"sd", finite_number(o.sd)}});
  j["residuals"] = residuals;
  j["parameters"] = parameters;
  j["outputs"] = outputs;
  j["conflicts"] = c.conflicts;
  return j;
}

std::string calibration_to_text(const assess::CalibrationResult& c) {
  std::string out = "\nCalibration (docs/assessment.md): " + words(assess::to_string(c.status)) +
                    "\n  " + c.message + "\n";
  if (c.residuals.empty()) return out;
  out += fmt::format("  {:<46} {:>9} {:>9} {:>9} {:>7}\n", "measurement", "measured", "before",
                     "fitted", "z");
  // A value the fit could not simulate prints as n/a.
  const auto g = [](double v, int width) { return number_or_na(v, "{:.3g}", width); };
  for (const auto& r : c.residuals) {
    std::string label = assess::test_label(r.measurement.test);
    if (r.measurement.side) label += " (" + side_text(r.measurement.side) + ")";
    out += fmt::format("  {:<46} {} {} {} {}\n", label, g(r.measurement.value, 9),
                       g(r.simulated_prior, 9), g(r.simulated, 9),
                       number_or_na(r.normalized(), "{:+.2f}", 7));
  }
  out += fmt::format("  {:<46} {:>9} {:>16} {}\n", "parameter", "prior", "fitted +- sd",
                     "determined by the data?");
  for (const auto& p : c.parameters) {
    std::string label = p.group.empty() ? assess::factor_words(p.factor)
                                        : words(p.group) + " " + assess::factor_words(p.factor);
    if (p.side) label += " (" + side_text(p.side) + ")";
    out += fmt::format("  {:<46} {} {} +- {:<5} {}\n", label, g(p.prior, 9), g(p.value, 8),
                       number_or_na(p.sd, "{:.2g}"), p.determined ? "yes" : "no");
  }
  for (const auto& conflict : c.conflicts) out += "  note: " + conflict + "\n";
  return out;
}

}  // namespace pulley::io
