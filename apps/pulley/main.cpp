// pulley: the command-line program, thin over the library.
//   pulley stand SUBJECT.yaml [--json FILE]   standing posture, muscles and lumbar loads; the
//                                             posture against the typical subject's
//   pulley demo [--json-dir DIR] [--report-dir DIR]
//                                             the built-in example subjects, compared, and an
//                                             assessment report for each
//   pulley model [--data]                     muscles, parameters and their sources
//   pulley moment-arms [SUBJECT.yaml] [--joint J] [--side r|l] [--from D --to D --step D]
//                      [--json FILE]          muscle moment arms over a sweep of one joint angle
//   pulley tasks [--json]                     the movement tasks and their parameters
//   pulley simulate TASK SUBJECT.yaml [--set name=value]... [--json F] [--csv F] [--mot F]
//                                             runs a movement task frame by frame
//   pulley assess SUBJECT.yaml [--report FILE.html] [--json FILE] [--fitted-subject FILE]
//                                             calibration to measured tests, then the tests and
//                                             findings
//   pulley exercises [--json]                 the exercise library
//   pulley train SUBJECT.yaml PROGRAMME.yaml [--json F] [--report F.html] [--start DATE]
//                                             a training programme simulated week by week
//   pulley plan SUBJECT.yaml [--weeks N] [--json F] [--report F.html] [--programme F.yaml]
//               [--start DATE]                a programme proposed from the assessment

// Exit codes: 0 success, 1 failed computation, 2 bad input.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pulley/assess/calibration.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/assess/findings.hpp"
#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/core/words.hpp"
#include "pulley/io/assessment_results.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/plan_results.hpp"
#include "pulley/io/programme_yaml.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/io/task_results.hpp"
#include "pulley/io/text_input.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/model.hpp"
#include "pulley/report/assessment_report.hpp"
#include "pulley/tasks/gait.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/moment_arms.hpp"
#include "pulley/tasks/movement.hpp"
#include "pulley/tasks/repetitions.hpp"
#include "pulley/tasks/standing.hpp"
#include "pulley/training/exercise.hpp"
#include "pulley/training/planner.hpp"
#include "pulley/training/programme.hpp"

namespace {

using pulley::model::Model;
using pulley::tasks::StandingResult;

// The first line of every result printout: who was simulated.
void print_subject(const Model& model) {
  const auto& s = model.subject;
  fmt::print("Subject: {} ({}, {:.2f} m, {:.1f} kg, pelvic incidence {:.0f} deg)\n", s.name,
             s.sex == pulley::model::Sex::male ? "male" : "female", s.height_m, s.mass_kg,
             s.pelvic_incidence_deg);
}

// Fails (InputError, exit code 2) if an output file given (option name, path; empty = not asked
// for) cannot be written, or is the same file as another output or as an input the command reads
// (what, path), where writing it would overwrite that file:
// called before computing, so a bad destination costs nothing and leaves no file behind. Outputs
// written into a device or FIFO (/dev/null, /dev/stdout) do not overwrite each other and may
// share one.
void check_outputs(std::initializer_list<std::pair<const char*, const std::string*>> outputs,
                   std::initializer_list<std::pair<const char*, const std::string*>> inputs = {}) {
  namespace fs = std::filesystem;
  const auto resolve = [](const std::string& path) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(fs::path(path), ec);
    fs::path resolved = fs::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : resolved;
  };
  // Two names of one existing file (a hard link) are the same file too.
  const auto same_existing_file = [](const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
  };
  // The files read: an output must not replace one of them.
  std::vector<std::pair<std::string, fs::path>> seen;
  for (const auto& [what, path] : inputs)
    if (!path->empty()) seen.emplace_back(fmt::format("the {} read", what), resolve(*path));
  for (const auto& [option, path] : outputs) {
    if (path->empty()) continue;
    if (pulley::io::check_output_file(*path) == pulley::io::OutputKind::in_place) continue;
    const fs::path resolved = resolve(*path);
    for (const auto& [other, other_path] : seen)
      if (other_path == resolved || same_existing_file(other_path, resolved))
        throw pulley::InputError(
            fmt::format("{} {}: the same file as {}; give each output a file "
                        "of its own, apart from the files read",
                        option, *path, other));
    seen.emplace_back(option, resolved);
  }
}

// `pulley stand`'s JSON: the standing result and the comparison with the typical subject
// (docs/file-formats.md).
nlohmann::json standing_json(const Model& model, const StandingResult& r,
                             const std::vector<pulley::assess::TestComparison>& against_typical) {
  nlohmann::json j = pulley::io::standing_to_json(model, r);
  j["against_typical"] = pulley::io::standing_comparison_to_json(against_typical);
  return j;
}

// The muscles working above resting tone: the right side where the subject's sides are alike
// (the left is then the same), else both sides.
void print_standing_muscles(const Model& model, const StandingResult& r) {
  // chosen: listed when 0.5 % of activation above tone or 100 N, so that passive stretch and
  // sub-percent activity do not crowd the list.
  const auto output = [&](std::size_t k) {
    return pulley::tasks::muscle_output(model, static_cast<int>(k), r.force_n, r.activation);
  };
  const auto working = [&](const pulley::tasks::MuscleOutput& out) {
    return out.activation > model.tone + 0.005 || out.force_n > 100.0;
  };
  if (pulley::model::sides_alike(model)) {
    fmt::print("\nMuscles working above resting tone (right side; the left is the same)\n");
    for (std::size_t k = 0; k < model.muscles.size(); ++k) {
      const auto out = output(k);
      if (model.muscles[k].side == pulley::model::Side::right && working(out))
        fmt::print("  {:<24} {:7.0f} N  activation {:4.0f} %\n", model.muscles[k].name, out.force_n,
                   100.0 * out.activation);
    }
    return;
  }
  fmt::print(
      "\nMuscles working above resting tone (force and activation on each side: the "
      "subject's sides differ)\n");
  fmt::print("  {:<24} {:>16}   {:>16}\n", "", "right", "left");
  for (std::size_t k = 0; k < model.muscles.size(); ++k) {
    const auto& m = model.muscles[k];
    if (m.side != pulley::model::Side::right) continue;
    const int twin = model.find_muscle(
        m.base_name + "_" + std::string(pulley::model::side_suffix(pulley::model::Side::left)));
    PULLEY_DEMAND(twin >= 0, "every right muscle has a left twin");
    const auto right = output(k);
    const auto left = output(static_cast<std::size_t>(twin));
    if (working(right) || working(left))
      fmt::print("  {:<24} {:7.0f} N {:4.0f} %   {:7.0f} N {:4.0f} %\n", m.base_name, right.force_n,
                 100.0 * right.activation, left.force_n, 100.0 * left.activation);
  }
}

void print_standing(const Model& model, const StandingResult& r,
                    const std::vector<pulley::assess::TestComparison>& against_typical) {
  const auto& p = r.posture;
  print_subject(model);
  // In equilibrium with its least effort unconfirmed, the message says so in full.
  fmt::print("Solver: {} ({} evaluations, equilibrium residual {:.2g} N m)\n\n",
             r.least_effort_unconfirmed
                 ? r.message
                 : fmt::format("{}: {}", pulley::tasks::to_string(r.status), r.message),
             r.iterations, r.residual_nm);
  fmt::print("{}\n", r.status == pulley::tasks::SolveStatus::converged
                         ? "Posture in quiet standing"
                         : "Posture where the search ended");
  fmt::print("  pelvic tilt        {:6.1f} deg  (hip axis in front of S1; lower = pelvis tipped forward)\n",
             p.pelvic_tilt_deg);
  fmt::print("  sacral slope       {:6.1f} deg\n", p.sacral_slope_deg);
  fmt::print("  pelvic incidence   {:6.1f} deg  (= tilt + slope)\n", p.pelvic_incidence_deg);
  fmt::print("  lumbar lordosis    {:6.1f} deg  (L1-S1)\n", p.lumbar_lordosis_deg);
  fmt::print("  per level         ");
  for (size_t k = 0; k < model.levels.size(); ++k)
    fmt::print(" {} {:.1f}", model.levels[k].name, p.segmental_lordosis_deg[k]);
  fmt::print("\n  hip flexion {:.1f}, knee flexion {:.1f}, ankle dorsiflexion {:.1f} deg (both sides)\n\n",
             p.hip_flexion_deg[0], p.knee_flexion_deg[0], p.ankle_dorsiflexion_deg[0]);
  if (against_typical.empty()) {
    // No comparison to print it in (either posture search did not converge): the subject file's
    // measured standing posture, as given.
    bool printed = false;
    for (const auto& m : model.subject.measurements)
      if (m.test == pulley::model::MeasuredTest::standing_pelvic_tilt_deg ||
          m.test == pulley::model::MeasuredTest::standing_lumbar_lordosis_deg) {
        fmt::print("  measured (the subject file): {} {:.{}f} {}\n",
                   pulley::assess::test_label(m.test), m.value,
                   pulley::assess::test_decimals(m.test), pulley::assess::test_unit(m.test));
        printed = true;
      }
    if (printed) fmt::print("\n");
  } else {
    fmt::print(
        "Against the typical subject (same sex, stature, mass and pelvic incidence; every "
        "muscle typical)\n");
    for (const auto& t : against_typical) {
      const char* unit = pulley::assess::test_unit(t.test);
      const int d = pulley::assess::test_decimals(t.test);
      fmt::print(
          "  {}: {:.{}f} {}, typical {:.{}f} {}; healthy people's spread {:.{}f} to {:.{}f} "
          "{} (+-{:g} SD of {:g} {}, {})\n",
          pulley::assess::test_label(t.test), t.subject, d, unit, t.typical, d, unit,
          t.healthy_low(), d, t.healthy_high(), d, unit, pulley::assess::kHealthySpreadSds,
          t.healthy_sd, unit, t.healthy_source);
      if (t.measured) fmt::print("    measured {}\n", pulley::assess::measured_against_norm(t));
    }
    if (const std::string beyond = pulley::assess::beyond_healthy_people(against_typical);
        !beyond.empty())
      fmt::print("{}\n", beyond);
    fmt::print("\n");
  }
  if (r.status != pulley::tasks::SolveStatus::converged) {
    // The loads of a posture out of equilibrium are no estimate of anything.
    fmt::print("(the search's last posture, not an equilibrium: its disc loads and muscle forces "
               "are not shown)\n\n{}\n",
               pulley::io::kResultDisclaimer);
    return;
  }
  fmt::print("Lumbar discs      compression   shear   pressure   posterior share\n");
  for (const auto& l : r.lumbar)
    fmt::print("  {:<8} {:12.0f} N {:6.0f} N {:7.2f} MPa {:10.0f} %\n", l.level, l.compression_n,
               l.shear_n, l.disc_pressure_mpa, 100.0 * l.posterior_share);
  print_standing_muscles(model, r);
  fmt::print("\n{}\n", pulley::io::kResultDisclaimer);
}

int run_stand(const std::string& subject_path, const std::string& json_path) {
  const auto subject = pulley::io::load_subject_file(subject_path);
  check_outputs({{"--json", &json_path}}, {{"subject file", &subject_path}});
  const Model model = pulley::model::compile_model(subject);
  const StandingResult r = pulley::tasks::solve_standing(model);
  const auto against_typical = pulley::assess::compare_standing_with_typical(model, r);
  print_standing(model, r, against_typical);
  if (!json_path.empty())
    pulley::io::write_text_file_atomically(json_path,
                                           standing_json(model, r, against_typical).dump(2) + "\n");
  if (r.status == pulley::tasks::SolveStatus::converged) return 0;
  std::cerr << "pulley stand: quiet standing did not solve: " << r.message << "\n";
  return 1;
}

int run_demo_tasks(const std::string& json_dir);
int run_demo_reports(const std::string& report_dir);
int run_demo_training(const std::string& json_dir);
int run_demo_plan(const std::string& json_dir, const std::string& report_dir);

int run_demo(const std::string& json_dir, const std::string& report_dir) {
  fmt::print("Pulley demo: quiet standing and movement tasks of the built-in subjects\n\n");
  struct Row {
    std::string id;
    StandingResult r;
  };
  std::vector<Row> rows;
  int code = 0;
  // The typical subjects' standing, solved once for the demo subjects that share one (keyed by
  // the typical subject file without its name).
  std::map<std::string, StandingResult> typical_standing;
  for (const auto& d : pulley::io::demo_subjects()) {
    const auto subject = pulley::io::parse_subject_yaml(d.yaml, std::string(d.id) + ".yaml");
    const Model model = pulley::model::compile_model(subject);
    StandingResult r = pulley::tasks::solve_standing(model);
    pulley::model::Subject typical = pulley::assess::typical_subject(subject);
    typical.name.clear();
    const std::string key = pulley::io::subject_to_yaml(typical);
    if (!typical_standing.contains(key))
      typical_standing.emplace(
          key, pulley::tasks::solve_standing(pulley::model::compile_model(typical)));
    const auto against_typical =
        pulley::assess::compare_standing(model, r, typical_standing.at(key));
    fmt::print("==== {}: {} ====\nSubject file:\n{}\n", d.id, d.description, d.yaml);
    print_standing(model, r, against_typical);
    fmt::print("\n");
    if (!json_dir.empty())
      pulley::io::write_text_file_atomically(
          json_dir + "/" + std::string(d.id) + ".json",
          standing_json(model, r, against_typical).dump(2) + "\n");
    if (r.status != pulley::tasks::SolveStatus::converged) code = 1;
    rows.push_back({std::string(d.id), std::move(r)});
  }
  fmt::print("Comparison           pelvic tilt  lordosis  L4-L5 pressure  L4-L5 posterior share\n");
  for (const auto& row : rows) {
    // No loads out of equilibrium (as print_standing).
    const bool equilibrium = row.r.status == pulley::tasks::SolveStatus::converged;
    const auto& l45 = row.r.lumbar[3];
    fmt::print(
        "  {:<18} {:8.1f} deg {:6.1f} deg {} MPa {} %\n", row.id, row.r.posture.pelvic_tilt_deg,
        row.r.posture.lumbar_lordosis_deg,
        pulley::io::number_or_na(equilibrium ? l45.disc_pressure_mpa : std::nan(""), "{:.2f}", 9),
        pulley::io::number_or_na(equilibrium ? 100.0 * l45.posterior_share : std::nan(""), "{:.1f}",
                                 14));
  }
  fmt::print("(a smaller pelvic tilt means the pelvis is tipped further forward)\n");
  if (run_demo_tasks(json_dir) != 0) code = 1;
  if (run_demo_reports(report_dir) != 0) code = 1;
  if (run_demo_training(json_dir) != 0) code = 1;
  if (run_demo_plan(json_dir, report_dir) != 0) code = 1;
  fmt::print("\n{}\n", pulley::io::kResultDisclaimer);
  return code;
}

int run_model(bool raw) {
  if (raw) {
    fmt::print("{}", pulley::model::describe_model_sources());
    return 0;
  }
  const Model model = pulley::model::compile_model(pulley::model::Subject{});
  fmt::print("Default model for a 1.75 m, 75 kg man (pelvic incidence 52 deg)\n");
  fmt::print("{} bodies, {} coordinates, {} muscles in {} musculotendon units\n\n",
             model.tree.num_bodies(), model.num_coordinates(), model.muscles.size(),
             model.num_units());
  fmt::print("{:<30} {:>9} {:>9} {:>10} {:>7}\n", "unit (right side)", "F_max N", "l_opt mm",
             "l_slack mm", "alpha");
  std::string last;
  for (const auto& u : model.units) {
    if (u.side != pulley::model::Side::right) continue;
    const auto& m = model.muscles[u.muscle];
    if (m.name != last) {
      fmt::print("{} [{}]\n  source: {}\n", m.name, m.group.empty() ? "no group" : m.group,
                 m.source);
      last = m.name;
    }
    fmt::print("  {:<28} {:9.0f} {:9.1f} {:10.1f} {:6.1f}\n", u.name, u.params.F_M_max,
               1e3 * u.params.l_M_opt, 1e3 * u.params.l_T_slack, pulley::rad_to_deg(u.params.alpha_opt));
  }
  fmt::print("\nLumbar levels: neutral lordosis, disc area\n");
  for (const auto& lv : model.levels)
    fmt::print("  {:<6} {:5.1f} deg {:7.0f} mm^2\n", lv.name, pulley::rad_to_deg(lv.neutral_rad),
               lv.disc_area_m2 * 1e6);
  fmt::print("\nEvery number's source: `pulley model --data` prints the model data files.\n");
  return 0;
}


// --- pulley moment-arms -------------------------------------------------------------------

struct SweepOptions {
  std::string subject;  ///< empty: the default model
  std::string joint = "hip", side = "r", from, to, step, json;
};

// Default sweep and allowed range of each kind of joint (deg).
struct JointRange {
  double from, to, step, min, max;
  const char* positive;
  const char* negative;
};

JointRange joint_range(const std::string& joint) {
  if (joint == "hip") return {-15, 90, 15, -40, 140, "hip flexion", "hip extension"};
  if (joint == "knee") return {0, 120, 15, 0, 150, "knee flexion", "knee extension"};
  if (joint == "ankle") return {-30, 30, 10, -60, 60, "dorsiflexion", "plantarflexion"};
  return {-10, 30, 5, -30, 40, "lumbar extension (lordosis)", "lumbar flexion"};
}

// A number of degrees from option `name`; InputError naming the option, value and allowed range.
double parse_degrees(const std::string& name, const std::string& text, double min, double max) {
  double v = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v) || v < min || v > max)
    throw pulley::InputError(fmt::format("{}: '{}' is not allowed; give a number of degrees from "
                                         "{:g} to {:g}",
                                         name, text, min, max));
  return v;
}

int run_moment_arms(const SweepOptions& o) {
  using pulley::model::Side;
  bool known = false;
  std::string allowed;
  for (auto j : pulley::tasks::kSweepJoints) {
    known = known || o.joint == j;
    allowed += (allowed.empty() ? "" : ", ") + std::string(j);
  }
  if (!known)
    throw pulley::InputError(
        fmt::format("--joint: '{}' is not a joint; use one of {}", o.joint, allowed));
  Side side;
  if (o.side == "r" || o.side == "right")
    side = Side::right;
  else if (o.side == "l" || o.side == "left")
    side = Side::left;
  else
    throw pulley::InputError(fmt::format("--side: '{}' is not a side; use r or l", o.side));
  const JointRange range = joint_range(o.joint);
  const double from = o.from.empty() ? range.from
                                     : parse_degrees("--from", o.from, range.min, range.max);
  const double to = o.to.empty() ? range.to : parse_degrees("--to", o.to, range.min, range.max);
  const double step = o.step.empty() ? range.step : parse_degrees("--step", o.step, 0.01, 180);
  if (to < from)
    throw pulley::InputError(fmt::format("--to: '{:g}' is below --from {:g}; give --to >= --from",
                                         to, from));
  constexpr int kMaxAngles = 1001;
  const double count = std::floor((to - from) / step + 1e-9) + 1;
  if (count > kMaxAngles)
    throw pulley::InputError(fmt::format("--step: '{:g}' gives {:.0f} angles from {:g} to {:g}; "
                                         "at most {} are allowed",
                                         step, count, from, to, kMaxAngles));
  const auto subject = o.subject.empty() ? pulley::model::Subject{}
                                          : pulley::io::load_subject_file(o.subject);
  check_outputs({{"--json", &o.json}}, {{"subject file", &o.subject}});
  std::vector<double> angles;
  for (int i = 0; i < static_cast<int>(count); ++i)
    angles.push_back(pulley::deg_to_rad(from + i * step));

  const Model model = pulley::model::compile_model(subject);
  const int coordinate = pulley::tasks::sweep_joint_coordinate(model, o.joint, side);
  const auto sweep = pulley::tasks::sweep_moment_arms(model, coordinate, angles, side);

  if (o.subject.empty()) {
    fmt::print("Moment arms (mm) about {} of the default model (1.75 m, 75 kg man), {} side\n",
               model.tree.coordinate_name(coordinate), pulley::model::side_name(side));
  } else {
    fmt::print("Moment arms (mm) about {}, {} side\n", model.tree.coordinate_name(coordinate),
               pulley::model::side_name(side));
    print_subject(model);
  }
  fmt::print("Sign: r = -dl/dq; positive = drives {}, negative = drives {}\n", range.positive,
             range.negative);
  fmt::print("Other joints: hip, knee and ankle 0 deg; lumbar levels at neutral lordosis (");
  for (size_t k = 0; k < model.levels.size(); ++k)
    fmt::print("{}{} {:.1f}", k ? ", " : "", model.levels[k].name,
               pulley::rad_to_deg(sweep.base_q[model.levels[k].coordinate]));
  fmt::print(" deg)\nMuscle value: F_M_max-weighted mean over its units that cross the joint\n\n");
  fmt::print("{:<24} {:>5}", "muscle   (angle in deg)", "units");
  for (double a : angles) fmt::print(" {:>6.0f}", pulley::rad_to_deg(a));
  fmt::print("\n");
  for (const auto& m : sweep.muscles) {
    const auto& muscle = model.muscles[m.muscle];
    fmt::print("{:<24} {:>2}/{:<2}", muscle.name, m.crossing_units, muscle.units.size());
    for (double r : m.moment_arm_m) fmt::print(" {:6.1f}", 1e3 * r);
    fmt::print("\n");
  }
  if (sweep.muscles.empty()) fmt::print("(no muscle crosses this joint)\n");
  if (!sweep.groups.empty()) fmt::print("groups (all their units that cross the joint)\n");
  for (const auto& g : sweep.groups) {
    fmt::print("{:<24} {:>5}", g.group, g.crossing_units);
    for (double r : g.moment_arm_m) fmt::print(" {:6.1f}", 1e3 * r);
    fmt::print("\n");
  }
  if (!o.json.empty())
    pulley::io::write_text_file_atomically(
        o.json, pulley::io::moment_arms_to_json(model, sweep, o.joint, side).dump(2) + "\n");
  return 0;
}


// --- pulley tasks / pulley simulate ------------------------------------------------------------

int run_tasks(bool as_json) {
  const auto& catalogue = pulley::tasks::task_catalogue();
  if (as_json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& t : catalogue) {
      nlohmann::json params = nlohmann::json::array();
      for (const auto& p : t.parameters) {
        nlohmann::json e = {{"name", p.name}, {"unit", p.unit}, {"default", p.default_text},
                            {"description", p.description}};
        if (p.choices.empty()) {
          e["min"] = p.min;
          e["max"] = p.max;
          e["integer"] = p.integer;
          e["odd"] = p.odd;
          if (!p.only_values.empty()) e["values"] = p.only_values;
        } else {
          e["choices"] = p.choices;
        }
        params.push_back(e);
      }
      j.push_back({{"name", t.name}, {"summary", t.summary}, {"parameters", params}});
    }
    fmt::print("{}\n", j.dump(2));
    return 0;
  }
  fmt::print("Movement tasks (run one with: pulley simulate TASK SUBJECT.yaml --set name=value)\n");
  for (const auto& t : catalogue) {
    fmt::print("\n{}\n  {}\n", t.name, t.summary);
    for (const auto& p : t.parameters)
      fmt::print("  --set {}=...  {}; default {}; allowed {}\n", p.name, p.description,
                 p.default_text, pulley::tasks::allowed_values(p));
  }
  return 0;
}

struct SimulateOptions {
  std::string task, subject, json, csv, mot;
  std::vector<std::string> sets;
};

// The same subject with every muscle at full capacity (capacity unset in every entry).
pulley::model::Subject full_capacity(pulley::model::Subject s) {
  for (auto& m : s.muscles) {
    m.both.capacity.reset();
    m.right.capacity.reset();
    m.left.capacity.reset();
  }
  return s;
}

// Gait: the recording and how it was fitted, the pelvis residuals, each hamstring head's peaks.
void print_gait(const Model& model, const pulley::tasks::GaitDetails& g) {
  const auto residual = g.peak_pelvis_residual();
  const double weight = model.tree.total_mass() * pulley::kGravity;
  fmt::print("\nRecording: {} at {:.2f} m/s ({})\n", g.recording, g.speed_m_s, g.citation);
  // A synthetic pattern has no recorded subject: its forces' mean is scaled to this subject's.
  const std::string mass =
      g.synthetic ? fmt::format(
                        "the pattern's ground reactions average {:.2f} x body weight over "
                        "the stride, scaled to this subject's weight",
                        g.recorded_mass_kg / model.tree.total_mass())
                  : fmt::format("recorded subject {:.1f} kg", g.recorded_mass_kg);
  fmt::print(
      "  stride {:.3f} s from the right foot strike; {}, segment lengths x{:.3f} of this "
      "subject's (sole fit {:.1f} mm rms); smoothed at {:g} Hz\n",
      g.stride.duration(), mass, g.size_ratio, 1000.0 * g.size_fit_rms_m, g.smoothing_cutoff_hz);
  fmt::print("  pelvis residual (what the recording leaves unbalanced): up to {:.0f} N ({:.0f} % of "
             "body weight) and {:.0f} N m\n",
             residual.force_n, 100.0 * residual.force_n / weight, residual.moment_nm);
  fmt::print("Hamstrings, right leg (peak, at % of the cycle from the right foot strike)\n");
  fmt::print("  {:<22} {:>13} {:>13} {:>13} {:>15} {:>9}\n", "head", "MTU stretch", "fibre strain",
             "force", "lengthening", "neg. work");
  for (const auto& m : g.hamstrings)
    fmt::print("  {:<22} {:6.1f} % @{:3.0f} {:6.2f}   @{:3.0f} {:6.0f} N @{:3.0f} {:6.2f} m/s @{:3.0f} "
               "{:7.1f} J\n",
               m.head, m.peak_stretch_pct.value, m.peak_stretch_pct.time_pct_cycle,
               m.peak_fibre_strain.value, m.peak_fibre_strain.time_pct_cycle, m.peak_force_n.value,
               m.peak_force_n.time_pct_cycle, m.peak_lengthening_m_s.value,
               m.peak_lengthening_m_s.time_pct_cycle, m.negative_work_j);
  fmt::print("Hamstring strain index (force over available force x fibre strain beyond optimal "
             "length, while lengthening; relative to the typical subject; docs/fatigue.md)\n");
  for (const auto& m : g.hamstrings)
    fmt::print("  {:<22} {:.4f} @{:3.0f} %   relative {}\n", m.head, m.strain_index.value,
               m.strain_index.time_pct_cycle,
               m.relative_strain_index ? fmt::format("{:.2f}", *m.relative_strain_index)
                                       : "n/a (the typical subject's index is zero)");
}

// Fatiguing tasks: the protocol, when a hold failed, the most tired muscles, the sprints, and
// what the fatigue does afterwards.
void print_fatigue(const pulley::tasks::FatigueDetails& d) {
  fmt::print("\nFatigue (three-compartment model, Xia & Frey-Law 2008; docs/fatigue.md)\n");
  fmt::print("  protocol: {}\n", d.protocol);
  if (d.endurance_time_s)
    fmt::print("  endurance time: {:.0f} s (the muscles could no longer hold the posture)\n",
               *d.endurance_time_s);
  else
    fmt::print("  held for the whole protocol ({:.0f} s)\n", d.duration_s);
  std::vector<const pulley::tasks::MuscleFatigueEnd*> most;
  for (const auto& m : d.muscles) most.push_back(&m);
  std::sort(most.begin(), most.end(), [](auto a, auto b) { return a->fatigued > b->fatigued; });
  fmt::print("  most tired at the end (residual capacity; passive force factor, tone hypothesis):\n");
  for (std::size_t k = 0; k < std::min<std::size_t>(6, most.size()); ++k)
    fmt::print("    {:<26} {:.2f}  x{:.2f}  ({} rates)\n", most[k]->muscle, most[k]->capacity,
               most[k]->passive_scale, most[k]->rates);
  if (!d.sprints.empty()) {
    fmt::print("  sprint  start   BF long head capacity  peak force  strain index\n");
    for (std::size_t k = 0; k < d.sprints.size(); ++k) {
      const auto& b = d.sprints[k];
      fmt::print("  {:>6} {:5.0f} s {:22.2f} {:9.0f} N {:13.4f}\n", k + 1, b.start_s,
                 b.hamstring_capacity[2], b.hamstring_peak_force_n[2], b.hamstring_strain_index[2]);
    }
  }
  if (d.after) {
    const auto& a = *d.after;
    fmt::print("  afterwards, fresh -> fatigued:\n");
    fmt::print("    standing: pelvic tilt {:.1f} -> {:.1f} deg, lumbar lordosis {:.1f} -> {:.1f} deg\n",
               a.pelvic_tilt_deg.fresh, a.pelvic_tilt_deg.fatigued, a.lumbar_lordosis_deg.fresh,
               a.lumbar_lordosis_deg.fatigued);
    fmt::print("    forward bend: pelvis {:.1f} -> {:.1f} deg, lumbar flexion {:.1f} -> {:.1f} deg\n",
               a.bend_pelvis_rotation_deg.fresh, a.bend_pelvis_rotation_deg.fatigued,
               a.bend_lumbar_flexion_deg.fresh, a.bend_lumbar_flexion_deg.fatigued);
    fmt::print("    hamstring strain index in {}:", a.stride);
    for (std::size_t h = 0; h < a.hamstring_strain_index.size(); ++h)
      fmt::print(" {} {:.4f} -> {:.4f}{}", pulley::tasks::kHamstringHeads[h],
                 a.hamstring_strain_index[h].fresh, a.hamstring_strain_index[h].fatigued,
                 h + 1 < a.hamstring_strain_index.size() ? "," : "\n");
  }
}

// Sit-to-stand and squat: the recording, the chair, and each repetition's knee peaks beside the
// implant measurements.
void print_repetitions(const Model& model, const pulley::tasks::GaitDetails& g,
                       const pulley::tasks::RepetitionDetails& d, bool sit_to_stand) {
  using K = pulley::tasks::KutznerPeaks;
  const auto residual = g.peak_pelvis_residual();
  const double weight = model.tree.total_mass() * pulley::kGravity;
  using pulley::io::number_or_na;
  fmt::print("\nRecording: {} ({})\n", g.recording, g.citation);
  fmt::print("  {:.2f} to {:.2f} s of the recording; recorded subject {:.1f} kg (from its foot forces), "
             "segment lengths x{:.3f} of this subject's (sole fit {:.1f} mm rms); smoothed at {:g} Hz\n",
             g.stride.start_s, g.stride.end_s, g.recorded_mass_kg, g.size_ratio,
             1000.0 * g.size_fit_rms_m, g.smoothing_cutoff_hz);
  if (sit_to_stand)
    fmt::print("  chair (not measured): {} frames where the feet carry less than the body's weight "
               "and inertia by more than {:.0f} % of body weight (up to {:.0f} N) are marked "
               "\"seated\" and left out of the peaks\n",
               d.supported_frames, 100.0 * d.support_threshold_bw, d.peak_support_force_n);
  fmt::print("  pelvis residual (what the recording leaves unbalanced){}: up to {:.0f} N ({:.0f} % "
             "of body weight) and {:.0f} N m\n",
             sit_to_stand ? " in the other frames" : "", residual.force_n,
             100.0 * residual.force_n / weight, residual.moment_nm);
  const auto names = pulley::tasks::repetition_phase_names(
      sit_to_stand ? pulley::tasks::RepetitionKind::sit_to_stand : pulley::tasks::RepetitionKind::squat);
  fmt::print("Knee per repetition ({} of {}; frames the feet alone carry): peak compression along "
             "the tibia (x body weight) at its time and knee flexion, peak resultant with the shear "
             "(x body weight), peak anterior and posterior tibial shear\n",
             d.repetitions.size(), d.repetitions_in_recording);
  const auto peaks = [&](const pulley::tasks::KneePeaks& k) {
    return fmt::format("{:>6} @{:>6} s {:>4} deg   resultant {:>6}   shear {:>6} N anterior, "
                       "{:>5} N posterior",
                       number_or_na(k.compression_bw, "{:.2f}"),
                       number_or_na(k.compression_time_s, "{:.2f}"),
                       number_or_na(k.knee_flexion_deg, "{:.0f}"),
                       number_or_na(k.resultant_bw, "{:.2f}"),
                       number_or_na(k.anterior_shear_n, "{:.0f}"),
                       number_or_na(k.posterior_shear_n, "{:.0f}"));
  };
  for (const auto& rep : d.repetitions) {
    fmt::print("  rep {}", rep.number);
    if (sit_to_stand)
      fmt::print(" (seat-off {} s, seat-on {} s)", number_or_na(rep.seat_off_s, "{:.2f}"),
                 number_or_na(rep.seat_on_s, "{:.2f}"));
    else
      fmt::print(" (deepest at {:.2f} s)", rep.turn_s);
    fmt::print("\n");
    for (const auto& phase : rep.phases)
      fmt::print("    {:<8} {}\n", phase.name, peaks(phase.knee));
  }
  fmt::print("  mean     {} {:.2f} / {} {:.2f}, whole repetition {:.2f} x body weight\n", names[0],
             d.mean_phase[0].compression_bw, names[1], d.mean_phase[1].compression_bw,
             d.mean.compression_bw);
  if (sit_to_stand)
    fmt::print("  Kutzner et al. 2010 (instrumented knee implants, 5 patients, peak resultant): "
               "standing up {:.2f}, sitting down {:.2f} x body weight\n",
               K::kStandingUpBw, K::kSittingDownBw);
  else
    fmt::print("  Kutzner et al. 2010 (instrumented knee implants, 5 patients, peak resultant): knee "
               "bend {:.2f} x body weight\n",
               K::kKneeBendBw);
}

void print_task(const Model& model, const pulley::tasks::TaskResult& r,
                const pulley::tasks::TaskSummary& s,
                const pulley::tasks::Compensation* compensation) {
  using pulley::loads::LoadLimits;
  print_subject(model);
  fmt::print("Task: {}\n  parameters:", r.options.task);
  const nlohmann::json params = pulley::io::task_parameters_json(r.options);
  for (auto it = params.begin(); it != params.end(); ++it)
    fmt::print(" {}={}", it.key(),
               it.value().is_string()   ? it.value().get<std::string>()
               : it.value().is_number() ? fmt::format("{:g}", it.value().get<double>())
                                        : it.value().dump());
  fmt::print("\n  frames: {} ({} the muscles cannot hold, {} with the posture search unfinished)\n",
             r.frames.size(), r.infeasible_frames, r.unconverged_frames);
  fmt::print("  status: {}{}\n\n", pulley::io::task_status(r),
             r.message.empty() ? "" : " (" + r.message + ")");
  if (r.frames.empty()) return;
  // Frames the muscles cannot hold carry only what the muscles manage while falling short.
  const int short_in_peaks = s.infeasible_frames_in_peaks;
  if (short_in_peaks > 0)
    fmt::print(
        "The peaks below include {} frame{} of {} where the muscles cannot supply the "
        "moments the task asks: there the loads are what they carry while falling short, "
        "not those of the task as asked.\n",
        short_in_peaks, short_in_peaks == 1 ? "" : "s", r.frames.size());
  fmt::print("Peak lumbar loads (limits {:.0f} N compression, {:.0f} N shear either way)\n",
             LoadLimits::kCompressionN, LoadLimits::kShearN);
  fmt::print("  {:<8} {:>12} {:>12} {:>9}\n", "level", "compression", "shear", "pressure");
  const auto& names = pulley::tasks::lumbar_level_names();
  for (int l = 0; l < 5; ++l) {
    const auto& p = s.lumbar[l];
    std::string flags;
    if (p.frames_over_compression_limit > 0)
      flags += fmt::format("  OVER compression limit in {} frames", p.frames_over_compression_limit);
    if (p.frames_over_shear_limit > 0)
      flags += fmt::format("  OVER shear limit in {} frames", p.frames_over_shear_limit);
    fmt::print("  {:<8} {:12.0f} N {:10.0f} N {:7.2f} MPa{}\n", names[l], p.compression_n,
               p.shear_n, p.disc_pressure_mpa, flags);
  }
  // Shear either way: the tibia pushed forward (anterior, the ACL's load) and back (posterior).
  fmt::print(
      "Knee: peak compression {:.2f} x body weight; tibial shear {}\n", s.knee_peak_compression_bw,
      s.knee_peak_anterior_shear_n > 0.0
          ? fmt::format("up to {:.0f} N anterior and {:.0f} N posterior",
                        s.knee_peak_anterior_shear_n, s.knee_peak_posterior_shear_n)
          : fmt::format("posterior in every frame, up to {:.0f} N", s.knee_peak_posterior_shear_n));
  fmt::print("Hip: peak contact force {:.2f} x body weight\n", s.hip_peak_contact_bw);
  if (r.repetitions)
    print_repetitions(model, *r.gait, *r.repetitions, r.options.task == "sit-to-stand");
  else if (r.gait)
    print_gait(model, *r.gait);
  if (r.fatigue) print_fatigue(*r.fatigue);
  for (const auto& jump : s.posture_jumps)
    fmt::print("Posture jump at frame {} ({:.2f} s): pelvis {:.1f} -> {:.1f} deg, lumbar flexion "
               "{:.1f} -> {:.1f} deg while the thorax turns {:.1f} -> {:.1f} deg\n",
               jump.frame, jump.time_s, jump.pelvis_rotation_deg[0], jump.pelvis_rotation_deg[1],
               jump.lumbar_flexion_deg[0], jump.lumbar_flexion_deg[1],
               jump.thorax_rotation_deg[0], jump.thorax_rotation_deg[1]);
  if (!s.posture_jumps.empty())
    fmt::print("  (the least-effort posture switches strategy there; a person would pass through "
               "such a change gradually)\n");
  if (s.bend) {
    const auto& b = *s.bend;
    fmt::print("\nForward-bend rhythm: thorax {:.1f} deg, pelvis {:.1f} deg, hip flexion {:.1f} "
               "deg, lumbar flexion {:.1f} deg at the deepest point\n",
               b.peak_thorax_inclination_deg, b.peak_pelvis_rotation_deg, b.peak_hip_flexion_deg,
               b.peak_lumbar_flexion_deg);
    fmt::print("  lumbar:pelvis ratio by thorax band:");
    for (const auto& [band, ratio] : b.lumbar_pelvis_ratio_by_band)
      fmt::print(" {} deg {}", band, pulley::io::number_or_na(ratio, "{:.2f}"));
    fmt::print("\n");
    if (const auto& e = b.erector_silence) {
      fmt::print("  erector spinae at resting tone (flexion-relaxation) from thorax {:.1f} deg, lumbar "
                 "flexion {:.1f} deg ({:.0f} % of its peak); {} of {} bend frames{}\n",
                 e->onset_thorax_rotation_deg, e->onset_lumbar_flexion_deg,
                 100.0 * e->onset_fraction_of_peak_lumbar_flexion, e->silent_bend_frames,
                 e->bend_frames, e->silent_at_deepest_frame ? ", the deepest included" : "");
    } else {
      fmt::print("  erector spinae active in every bend frame (no flexion-relaxation)\n");
    }
  }
  if (compensation) {
    fmt::print("\nMuscles that take over from those with lowered capacity (mean force over the "
               "task, vs the same subject at full capacity)\n");
    // chosen: the eight largest rises above 1 N of the muscles at full capacity (a lowered one
    // takes over from no one: its own line follows); the JSON holds every muscle.
    int shown = 0;
    for (const auto& c : compensation->muscles) {
      const double change = c.mean_n - c.baseline_mean_n;
      if (shown == 8 || change <= 1.0) break;
      if (c.capacity < 1.0) continue;
      fmt::print("  {:<24} {:7.0f} N -> {:7.0f} N  (+{:.0f} N)\n", c.muscle, c.baseline_mean_n,
                 c.mean_n, change);
      ++shown;
    }
    if (shown == 0) fmt::print("  (no muscle's mean force rises by more than 1 N)\n");
    for (const auto& c : compensation->muscles)
      if (c.capacity < 1.0)
        fmt::print("  lowered: {:<24} capacity {:.2f}: {:7.0f} N -> {:7.0f} N\n", c.muscle,
                   c.capacity, c.baseline_mean_n, c.mean_n);
    fmt::print(
        "Lumbar levels: posterior ligaments' mean tension, peak compression (same comparison)\n");
    for (const auto& c : compensation->lumbar)
      fmt::print("  {:<6} ligaments {:6.0f} N -> {:6.0f} N   compression {:6.0f} N -> {:6.0f} N\n",
                 c.level, c.baseline_mean_ligament_tension_n, c.mean_ligament_tension_n,
                 c.baseline_peak_compression_n, c.peak_compression_n);
  }
}

// The movement tasks on the built-in subjects: each task on the typical subject, the forward bend
// of the S4 pattern beside it, and a lift with weakened hamstrings against the same lift at full
// capacity. The forward bend runs with the reserve on: the model's hamstrings stop the pelvis
// short of the published rhythm and a few frames near the deepest point need it
// (docs/validation.md).
int run_demo_tasks(const std::string& json_dir) {
  namespace tasks = pulley::tasks;
  using Settings = std::vector<std::pair<std::string, std::string>>;
  struct DemoTask {
    const char* subject;
    const char* label;
    const char* task;
    Settings settings;
  };
  const std::vector<DemoTask> runs = {
      {"typical", "typical-forward-bend", "forward-bend", {{"reserve", "on"}}},
      {"s4", "s4-forward-bend", "forward-bend", {{"reserve", "on"}}},
      {"typical", "typical-lift-stoop", "lift", {{"load_kg", "15"}}},
      {"typical", "typical-sit", "sit", {}},
      {"typical", "typical-lie", "lie", {}},
      // Gait with the reserve on: the model's hip flexors and upper lumbar extensors fall a few
      // N m short in parts of the stride (docs/validation.md).
      {"typical", "typical-walk", "walk", {{"reserve", "on"}}},
      {"typical", "typical-run-3ms", "run", {{"speed_m_s", "3"}, {"reserve", "on"}}},
      // Stairs from published patterns (no recording), with the reserve on as for gait.
      {"typical", "typical-stairs-up", "stairs-up", {{"reserve", "on"}}},
      {"typical", "typical-stairs-down", "stairs-down", {{"reserve", "on"}}},
      // The same for the recorded sit-to-stand and squat, whose seated frames also lack the
      // chair's force.
      {"typical", "typical-sit-to-stand", "sit-to-stand", {{"reserve", "on"}}},
      {"typical", "typical-squat", "squat", {{"reserve", "on"}}},
      {"typical", "typical-trunk-endurance", "trunk-endurance", {}},
      {"typical", "typical-repeated-sprints", "repeated-sprints", {{"reserve", "on"}}},
  };
  // The compensation run below compares against the typical lift, kept from the loop.
  const std::string compensation_label = "typical-lift-stoop";
  std::optional<pulley::model::Subject> lift_subject;
  std::optional<tasks::TaskResult> lift_baseline;
  fmt::print("\nPulley demo: movement tasks (pulley tasks lists them; docs/tasks.md)\n");
  int code = 0;
  for (const auto& run : runs) {
    const pulley::io::DemoSubject* demo = pulley::io::find_demo_subject(run.subject);
    PULLEY_DEMAND(demo, "the demo's task runs name demo subjects");
    const auto subject =
        pulley::io::parse_subject_yaml(demo->yaml, std::string(run.subject) + ".yaml");
    const Model model = pulley::model::compile_model(subject);
    const tasks::TaskResult r = tasks::run_task(model, tasks::parse_task_options(run.task, run.settings));
    const tasks::TaskSummary s = tasks::summarise(model, r);
    fmt::print("\n==== {} ({}) ====\n", run.label, run.subject);
    print_task(model, r, s, nullptr);
    if (r.reserve_on && r.infeasible_frames > 0)
      fmt::print("Note: {} frames needed reserve moments (a known limit of the model, docs/validation.md)\n",
                 r.infeasible_frames);
    else if (r.infeasible_frames > 0)
      code = 1;
    if (!json_dir.empty())
      pulley::io::write_text_file_atomically(
          json_dir + "/" + run.label + ".json",
          pulley::io::task_to_json(model, r, s, nullptr).dump(2) + "\n");
    if (run.label == compensation_label) {
      lift_subject = subject;
      lift_baseline = r;
    }
  }
  // Compensation (S6): hamstrings at 20 % capacity in the same lift, against the lift above.
  pulley::model::Subject weak = lift_subject.value();
  pulley::model::MuscleAdjustment hamstrings;
  hamstrings.target = "hamstrings";
  hamstrings.is_group = true;
  hamstrings.both.capacity = 0.2;
  weak.muscles.push_back(hamstrings);
  weak.name = "typical adult, hamstrings at 20 % capacity";
  const Model weak_model = pulley::model::compile_model(weak);
  const tasks::TaskResult injured = tasks::run_task(weak_model, lift_baseline->options);
  const auto compensation = tasks::compare_with_full_capacity(weak_model, injured, *lift_baseline);
  fmt::print("\n==== typical-lift-weak-hamstrings ====\n");
  print_task(weak_model, injured, tasks::summarise(weak_model, injured), &compensation);
  if (injured.infeasible_frames > 0) code = 1;
  return code;
}

int run_simulate(const SimulateOptions& o) {
  namespace tasks = pulley::tasks;
  // Bad input first (exit 2), before any computation or file.
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& s : o.sets) {
    const auto eq = s.find('=');
    PULLEY_DEMAND(eq != std::string::npos, "--set values carry '=' (the kSetting check)");
    settings.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  const tasks::TaskOptions options = tasks::parse_task_options(o.task, settings);
  const auto subject = pulley::io::load_subject_file(o.subject);
  check_outputs({{"--json", &o.json}, {"--csv", &o.csv}, {"--mot", &o.mot}},
                {{"subject file", &o.subject}});

  const Model model = pulley::model::compile_model(subject);
  const tasks::TaskResult r = tasks::run_task(model, options);
  const tasks::TaskSummary summary = tasks::summarise(model, r);
  // Lowered capacities: the same task at full capacity shows which muscles and tissues take over.
  tasks::Compensation compensation;
  bool compare = false;
  for (const auto& m : model.muscles) compare = compare || m.factors.capacity < 1.0;
  if (compare && !r.frames.empty()) {
    const Model baseline_model = pulley::model::compile_model(full_capacity(subject));
    const tasks::TaskResult baseline = tasks::run_task(baseline_model, options);
    if (baseline.frames.size() == r.frames.size())
      compensation = tasks::compare_with_full_capacity(model, r, baseline);
    else
      compare = false;
  }
  print_task(model, r, summary, compare ? &compensation : nullptr);
  fmt::print("\n{}\n", pulley::io::kResultDisclaimer);
  std::fflush(stdout);

  // A stride's frames closer than the recruitment's force-velocity can follow: said whatever
  // the outcome, before it.
  if (r.gait && !r.repetitions && r.frames.size() > 1) {
    const double step = r.gait->stride.duration() / static_cast<double>(r.frames.size() - 1);
    if (step < tasks::kShortestReliableFrameStepS)
      std::cerr << fmt::format(
          "pulley simulate: warning: {} frames put {:.2f} ms between frames, under the {:g} ms "
          "below which the muscles' answers can break down (docs/validation.md, Known gaps); "
          "fewer frames give sounder ones\n",
          r.frames.size(), 1e3 * step, 1e3 * tasks::kShortestReliableFrameStepS);
  }
  if (r.frames.empty() || (r.infeasible_frames > 0 && !r.reserve_on)) {
    // The hint only where a reserve could help: the task takes one (the trunk hold ends where
    // the muscles cannot hold) and its frames were solved (quiet standing takes none).
    const auto& parameters = tasks::find_task(o.task)->parameters;
    const bool reserve_helps =
        r.standing.status == tasks::SolveStatus::converged &&
        std::any_of(parameters.begin(), parameters.end(),
                    [](const tasks::TaskParameter& p) { return p.name == "reserve"; });
    // What else would ask less of the muscles, where the task has such a parameter.
    std::string easier;
    if (o.task == "forward-bend")
      easier =
          r.options.number("hand_load_kg") > 0.0
              ? ", or bend less deeply or hold less (peak_thorax_inclination_deg, hand_load_kg)"
              : ", or bend less deeply (peak_thorax_inclination_deg)";
    else if (o.task == "lift")
      easier = ", or lift less or closer (load_kg, load_distance_m)";
    std::cerr << "pulley simulate: " << (r.message.empty() ? "the task failed" : r.message)
              << (r.reserve_on || !reserve_helps
                      ? ""
                      : "; rerun with --set reserve=on to see the moments the muscles cannot "
                        "supply" +
                            easier)
              << "\n";
    return 1;
  }
  // Every output is formed before the first is written, so a failure leaves no partial set.
  const std::string json =
      o.json.empty() ? ""
                     : pulley::io::task_to_json(model, r, summary,
                                                compare ? &compensation : nullptr)
                               .dump(2) + "\n";
  const std::string csv = o.csv.empty() ? "" : pulley::io::task_to_csv(r);
  const std::string mot = o.mot.empty() ? "" : pulley::io::task_to_mot(model, r);
  if (!o.json.empty()) pulley::io::write_text_file_atomically(o.json, json);
  if (!o.csv.empty()) pulley::io::write_text_file_atomically(o.csv, csv);
  if (!o.mot.empty()) pulley::io::write_text_file_atomically(o.mot, mot);
  if (r.infeasible_frames > 0)
    std::cerr << fmt::format("pulley simulate: warning: {} of {} frames needed reserve moments "
                             "(the muscles alone cannot hold them); first: {}\n",
                             r.infeasible_frames, r.frames.size(), r.message);
  else if (r.unconverged_frames > 0)
    std::cerr << fmt::format("pulley simulate: warning: in {} of {} frames the posture search "
                             "stopped before meeting its tolerances\n",
                             r.unconverged_frames, r.frames.size());
  return 0;
}

// --- pulley assess -------------------------------------------------------------------------

using pulley::assess::Assessment;

struct AssessOptions {
  std::string subject, json, report, fitted_subject;
};

// Calibrates the subject to its measurements (if any), then runs the clinical tests and the
// findings on the fitted subject.
int run_assess(const AssessOptions& options) {
  const auto subject = pulley::io::load_subject_file(options.subject);
  check_outputs({{"--json", &options.json},
                 {"--report", &options.report},
                 {"--fitted-subject", &options.fitted_subject}},
                {{"subject file", &options.subject}});
  const auto calibration = pulley::assess::calibrate(subject);
  const pulley::assess::Assessment a = pulley::assess::run_assessment(subject, calibration);
  fmt::print("{}{}\n{}\n{}\n", pulley::io::assessment_to_text(a.model, a.tests, &calibration),
             pulley::io::calibration_to_text(calibration),
             pulley::io::findings_to_text(a.findings), pulley::io::kResultDisclaimer);
  if (!options.json.empty()) {
    pulley::io::write_text_file_atomically(
        options.json, pulley::io::assessment_to_json(a, &calibration).dump(2) + "\n");
  }
  // A failed assessment writes its JSON (status and message) only: no report or fitted subject
  // of a subject that could not be assessed.
  const bool failed =
      calibration.status == pulley::assess::CalibrationStatus::failed || !a.ok();
  if (!options.report.empty() && !failed) {
    pulley::io::write_text_file_atomically(
        options.report, pulley::report::assessment_report_html(a, &calibration));
    fmt::print("Report: {}\n", options.report);
  }
  if (!options.fitted_subject.empty() && !failed) {
    // The fitted factors this assessment does not read as findings (held to the norms) are
    // written as fitted, so that the file's tests match the measurements; assessed on its own,
    // the file states them as the subject's, and a comment says so.
    std::vector<std::string> held;
    for (const auto& g : a.findings.imbalance)
      for (const auto& factor : g.held_to_norms)
        held.push_back(fmt::format("{} {} {}", pulley::words(g.group),
                                   pulley::model::side_name(g.side), factor));
    const std::string note =
        held.empty() ? std::string()
                     : fmt::format(
                           "# Fitted to the measurements of {}. Its assessment reads these fitted "
                           "factors as no finding, since the measurements lie within their "
                           "published norms or do not determine them (docs/assessment.md, "
                           "\"Calibrated subjects\"): {}. Assessed on its own, this file "
                           "states them as the subject's.\n",
                           options.subject, pulley::and_list(held));
    pulley::io::write_text_file_atomically(
        options.fitted_subject, note + pulley::io::subject_to_yaml(calibration.fitted_subject));
  }
  if (calibration.status == pulley::assess::CalibrationStatus::failed) {
    std::cerr << "pulley assess: calibration failed: " << calibration.message << "\n";
    return 1;
  }
  if (calibration.status == pulley::assess::CalibrationStatus::not_converged)
    std::cerr << "pulley assess: warning: " << calibration.message << "\n";
  if (!a.ok()) {
    std::cerr << "pulley assess: " << (a.tests.ok ? a.findings.message : a.tests.message) << "\n";
    return 1;
  }
  return 0;
}

// --- pulley exercises, pulley train ---------------------------------------------------------

int run_exercises(bool as_json) {
  if (as_json) {
    fmt::print("{}\n", pulley::io::exercise_library_to_json().dump(2));
    return 0;
  }
  fmt::print("Pulley exercise library (docs/training.md; the ids name exercises in programme "
             "files)\n\n");
  for (const auto& e : pulley::training::exercise_library()) {
    std::string dose;
    const auto add = [&](const std::string& part) { dose += (dose.empty() ? "" : ", ") + part; };
    if (e.dose.sets) add(fmt::format("{} sets", *e.dose.sets));
    if (e.dose.reps) add(fmt::format("{} reps", *e.dose.reps));
    if (e.dose.hold_s) add(fmt::format("{:g} s holds", *e.dose.hold_s));
    if (e.dose.effort) add(fmt::format("effort {:g}", *e.dose.effort));
    if (e.dose.sessions_per_week) add(fmt::format("{:g} a week", *e.dose.sessions_per_week));
    fmt::print("{:<34} {:<15} {}\n{:<34} {:<15} default: {}{}\n", e.id,
               pulley::training::to_string(e.kind), e.name, "", "", dose,
               e.needs_target ? "; needs target: a muscle group" : "");
  }
  return 0;
}

struct TrainOptions {
  std::string subject, programme, json, report, start;
};

// --start YYYY-MM-DD: the programme's first day (week 1's), for re-test dates: a re-test after
// week w falls on the day after that week ends, start + 7 w days.
std::optional<std::chrono::sys_days> parse_start_date(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto date = pulley::io::parse_iso_date(text);
  if (!date)
    throw pulley::InputError(fmt::format("--start '{}': not a date; allowed: YYYY-MM-DD between "
                                         "{} and {}, e.g. 2026-12-01",
                                         pulley::io::echo_text(text), pulley::io::kMinDateYear,
                                         pulley::io::kMaxDateYear));
  return date;
}

// The tests a programme run without the planner follows, on both sides.
std::vector<std::pair<pulley::model::MeasuredTest, std::optional<pulley::model::Side>>>
programme_tests() {
  using pulley::model::MeasuredTest;
  std::vector<std::pair<MeasuredTest, std::optional<pulley::model::Side>>> tests;
  for (MeasuredTest t : {MeasuredTest::straight_leg_raise_deg,
                         MeasuredTest::active_knee_extension_deficit_deg,
                         MeasuredTest::thomas_hip_extension_deg, MeasuredTest::thomas_knee_flexion_deg,
                         MeasuredTest::knee_flexion_torque_nm_per_kg,
                         MeasuredTest::knee_extension_torque_nm_per_kg, MeasuredTest::hq_ratio,
                         MeasuredTest::nordic_force_n})
    for (auto side : pulley::model::kSides) tests.emplace_back(t, side);
  return tests;
}

// `v` with `decimals` decimals, right-aligned in `width` columns; "n/a" where a test could not
// be computed.
std::string cell(double v, int width, int decimals) {
  return pulley::io::number_or_na(v, fmt::format("{{:.{}f}}", decimals), width);
}

std::string cell(const pulley::assess::TestValue& v, int width, int decimals) {
  return cell(v.end == pulley::assess::TestEnd::not_computed ? std::nan("") : v.value, width,
              decimals);
}

// The marks of a test value that is no reading: the model's value at a test posture beyond the
// person's passive range, or the test's start where it ended there (a bound). print_mark_notes
// explains those a table used under it.
constexpr const char* kOutOfReachMark = "*";
constexpr const char* kAtStartMark = "#";
struct UsedMarks {
  bool out_of_reach = false, at_start = false;
};
const char* mark(bool out_of_reach, bool at_start, UsedMarks& used) {
  used.out_of_reach |= out_of_reach;
  used.at_start |= at_start;
  return out_of_reach ? kOutOfReachMark : at_start ? kAtStartMark : "";
}
const char* mark(pulley::assess::TestEnd end, UsedMarks& used) {
  return mark(end == pulley::assess::TestEnd::beyond_passive_range,
              pulley::assess::ended_at_start(end), used);
}
const char* mark(const pulley::training::Trajectory& x, int side, std::size_t week,
                 UsedMarks& used) {
  return mark(x.out_of_reach(side, week), x.at_start(side, week), used);
}
// Under a table, the notes of the marks it used: in full the first time in a printout (the
// marks `explained` so far), briefly after.
void print_mark_notes(const UsedMarks& used, UsedMarks& explained) {
  if (used.out_of_reach)
    fmt::print("{} not testable that week: {}\n", kOutOfReachMark,
               explained.out_of_reach
                   ? std::string("beyond the passive range (docs/assessment.md, \"Out of reach\")")
                   : std::string(pulley::assess::kBeyondPassiveRangeNote) +
                         "; the JSON keeps the model's value there");
  if (used.at_start)
    fmt::print("{} ended at its start that week: {}\n", kAtStartMark,
               explained.at_start
                   ? "a bound, not a reading (docs/assessment.md, \"Ended at the start\")"
                   : pulley::assess::kAtStartNote);
  explained.out_of_reach |= used.out_of_reach;
  explained.at_start |= used.at_start;
}

// As cell, with `mark` after the value (in the same width).
std::string cell(double v, const char* mark, int width, int decimals) {
  return *mark ? cell(v, width - 1, decimals) + mark : cell(v, width, decimals);
}
// A test's value with its mark; "-" with the mark where no person could be tested so (the
// column too narrow for "not testable", which the mark's note says; the JSON keeps the value).
std::string marked_cell(const pulley::assess::TestValue& v, int width, int decimals,
                        UsedMarks& used) {
  const char* m = mark(v.end, used);
  if (v.end == pulley::assess::TestEnd::beyond_passive_range)
    return fmt::format("{:>{}}", std::string("-") + m, width);
  return *m ? cell(v.value, m, width, decimals) : cell(v, width, decimals);
}

void print_retests(const std::vector<pulley::training::Retest>& retests,
                   const std::vector<std::string>& notes,
                   const std::optional<std::chrono::sys_days>& start, UsedMarks& explained) {
  fmt::print("Re-tests (when the predicted change first exceeds what the test can detect):\n");
  if (retests.empty()) fmt::print("  none predicted to change detectably; re-assess at the end\n");
  UsedMarks used;
  for (const auto& x : retests) {
    std::string when = fmt::format("week {:>2}", x.week);
    if (start) when += " (" + pulley::io::retest_date(*start, x.week) + ")";
    const int dec = pulley::assess::test_decimals(x.test);
    fmt::print("  {}  {:<36} {:<5} {} -> {} {} (detectable {:.{}f}){}\n", when,
               pulley::assess::test_label(x.test), x.side ? pulley::model::side_name(*x.side) : "",
               cell(x.baseline, mark(false, x.baseline_at_start, used), 7, dec),
               cell(x.predicted, mark(false, x.predicted_at_start, used), 7, dec),
               pulley::assess::test_unit(x.test), x.detectable, dec,
               x.detected()                                  ? ""
               : x.baseline_at_start || x.predicted_at_start ? "  (a change of at least this)"
                                                             : "  (below it)");
  }
  for (const auto& n : notes) fmt::print("  {}\n", n);
  print_mark_notes(used, explained);
}

// A programme's entry on one line: its weeks, its exercise as programme files name it, its dose
// (training::dose_text), sessions and minutes a week.
std::string entry_line(const pulley::training::ProgrammeEntry& e, int weeks) {
  const auto& x = *pulley::training::find_exercise(e.exercise);
  // chosen: 44 columns, the longest label ("contract_relax_hamstring_stretch (foot out)") and one.
  return fmt::format("weeks {:>2}-{:<2} {:<44} {}{}; {:g} a week, {} min/wk", e.from_week,
                     pulley::training::last_week(e, weeks), pulley::training::entry_label(e),
                     pulley::training::dose_text(e, weeks), pulley::training::one_leg_text(e),
                     *pulley::training::with_defaults(e.dose, x.dose).sessions_per_week,
                     pulley::training::minutes_text(e, weeks));
}

// The weeks of a programme's simulation as a table (right side); `standalone` (pulley train),
// after the caution of injured muscles loaded early and the programme's entries.
void print_training(const pulley::training::ProgrammeResult& r, const std::string& what,
                    UsedMarks& explained, bool standalone = false) {
  fmt::print("Pulley training simulation: {} over {} weeks ({})\n", r.weeks.front().subject.name,
             r.programme.weeks, what);
  if (const std::string caution = pulley::training::injured_load_caution(r);
      standalone && !caution.empty())
    fmt::print("{}\n", caution);
  if (standalone) {
    fmt::print("The programme:\n");
    for (const auto& e : r.programme.entries)
      fmt::print("  {}\n", entry_line(e, r.programme.weeks));
    if (!r.programme.missed_weeks.empty())
      fmt::print("  weeks without any session: {}\n", fmt::join(r.programme.missed_weeks, ", "));
  }
  fmt::print("{:>4} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7}\n", "week", "SLR",
             "AKE", "flex", "ext", "H:Q", "Nordic", "BFlh", "tilt", "strain");
  fmt::print("{:>4} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7} {:>7}\n", "", "deg", "deg",
             "Nm/kg", "Nm/kg", "", "N", "fasc.", "deg", "x typ.");
  constexpr int bflh = pulley::training::muscle_index("biceps_femoris_long");
  UsedMarks used;
  for (const auto& w : r.weeks) {
    const auto& t = w.tests;
    fmt::print("{:>4} {} {} {} {} {} {} {} {} {:>7}\n", w.week,
               marked_cell(t.straight_leg_raise_deg[0], 7, 1, used),
               marked_cell(t.active_knee_extension_deficit_deg[0], 7, 1, used),
               marked_cell(t.knee_flexion_torque_nm_per_kg[0], 6, 2, used),
               marked_cell(t.knee_extension_torque_nm_per_kg[0], 6, 2, used),
               marked_cell(t.hq_ratio[0], 6, 2, used), cell(t.nordic_force_n[0], 7, 0),
               cell(w.state.fascicle_length[0][bflh], 7, 3), cell(t.standing_pelvic_tilt_deg, 7, 1),
               std::isfinite(w.strain.relative) ? fmt::format("{:.2f}", w.strain.relative) : "-");
  }
  fmt::print("(right side; SLR straight-leg raise, AKE active knee extension deficit, BFlh fasc.: "
             "biceps femoris long head fascicle length over week 0, strain: hamstring strain index "
             "in a 5 m/s run over the typical subject's)\n");
  if (const std::string note = pulley::training::loads_subject_note(r); !note.empty())
    fmt::print("{}\n", note);
  const std::string protocol = pulley::assess::protocol_set_by_subject(
      r.weeks.front().tests.settings, r.weeks.front().subject.protocol);
  if (!protocol.empty())
    fmt::print("(tests by the subject file's protocol: {}; the defaults elsewhere)\n", protocol);
  if (const std::string recovery = pulley::training::capacity_recovery_note(r); !recovery.empty())
    fmt::print("{}\n", recovery);
  print_mark_notes(used, explained);
  if (!r.entry_loads.empty())
    fmt::print("What each exercise asks of the muscles (its first session; right side unless "
               "marked):\n");
  for (const auto& load : r.entry_loads) {
    const auto& entry = r.programme.entries[load.entry];
    const int k = pulley::training::described_side(entry);
    fmt::print("  {}, week {}{}: {}\n", pulley::training::entry_label(entry), load.week,
               k == 1 ? ", left" : "",
               pulley::training::describe_load(
                   load, *pulley::training::find_exercise(entry.exercise), k));
  }
  for (const auto& note : r.notes) fmt::print("note: {}\n", note);
}

int run_train(const TrainOptions& o) {
  const auto subject = pulley::io::load_subject_file(o.subject);
  const auto programme = pulley::io::load_programme_file(o.programme);
  const auto start = parse_start_date(o.start);
  check_outputs({{"--json", &o.json}, {"--report", &o.report}},
                {{"subject file", &o.subject}, {"programme file", &o.programme}});
  // As pulley assess and pulley plan: a subject with measurements is calibrated to them first,
  // so the programme starts from the person they describe (and a plan's --programme runs to the
  // plan's weeks).
  const auto calibration = pulley::assess::calibrate(subject);
  if (calibration.status == pulley::assess::CalibrationStatus::failed) {
    std::cerr << "pulley train: calibration failed: " << calibration.message << "\n";
    return 1;
  }
  if (calibration.fitted_factors())
    fmt::print(
        "Calibrated to the subject file's {} measurement{} first, as pulley assess does "
        "(pulley assess shows the fit): the programme starts from the fitted subject.\n",
        subject.measurements.size(), subject.measurements.size() == 1 ? "" : "s");
  if (calibration.status == pulley::assess::CalibrationStatus::not_converged)
    std::cerr << "pulley train: warning: " << calibration.message << "\n";
  // The assessment of the subject as it starts: the report's, and for a calibrated subject the
  // findings' loads model, on which the weeks' bend, run and loads are simulated as the
  // assessment simulates them (docs/training.md).
  std::optional<Assessment> a;
  if (calibration.fitted_factors() || !o.report.empty())
    a.emplace(pulley::assess::run_assessment(subject, calibration));
  const auto r = pulley::training::simulate_programme(
      calibration.fitted_subject, programme, {},
      a && a->findings.loads_model ? &a->findings.loads_model->subject : nullptr);
  // The tests of every week start from quiet standing: a subject that cannot stand at the start
  // has no programme to simulate; a week whose standing fails later is reported as such.
  if (!r.weeks.front().tests.ok) {
    std::cerr << "pulley train: week 0: " << r.weeks.front().tests.message << "\n";
    return 1;
  }
  UsedMarks explained;
  print_training(r, o.programme, explained, true);
  for (const auto& w : r.weeks)
    if (!w.tests.ok)
      std::cerr << "pulley train: warning: week " << w.week << ": " << w.tests.message
                << " (its tests are n/a)\n";
  const auto tests = programme_tests();
  const auto [retests, retest_notes] = pulley::training::plan_retests(r, tests, false);
  print_retests(retests, retest_notes, start, explained);
  fmt::print("{}\n", pulley::io::kResultDisclaimer);
  const std::string json =
      o.json.empty()
          ? ""
          : pulley::io::training_to_json(r, retests, retest_notes, start, &calibration).dump(2) +
                "\n";
  std::string html;
  if (!o.report.empty()) {
    // The assessment of the subject as it starts, with the programme's section.
    pulley::report::TrainingReport t;
    t.result = &r;
    t.title = "Training programme: " + std::filesystem::path(o.programme).filename().string();
    t.retests = retests;
    t.retest_notes = retest_notes;
    t.start = start;
    html = pulley::report::assessment_report_html(*a, &calibration, &t);
  }
  if (!o.json.empty()) pulley::io::write_text_file_atomically(o.json, json);
  if (!o.report.empty()) {
    pulley::io::write_text_file_atomically(o.report, html);
    fmt::print("Report: {}\n", o.report);
  }
  return 0;
}

// --- pulley plan ---------------------------------------------------------------------------

struct PlanOptions {
  std::string subject, json, report, programme, start;
  int weeks = pulley::training::PlanSettings{}.weeks;
};

void print_plan(const pulley::training::Plan& plan,
                const std::optional<std::chrono::sys_days>& start) {
  const auto& r = plan.proposed.result;
  fmt::print("Pulley plan: {} over {} weeks (docs/training.md, \"The planner\")\n",
             r.weeks.front().subject.name, r.programme.weeks);
  if (const std::string caution = pulley::training::injured_load_caution(r); !caution.empty())
    fmt::print("{}\n", caution);
  fmt::print("{}\n\nWhat it works on:\n", plan.proposed.description);
  if (plan.targets.empty()) fmt::print("  nothing is out of balance\n");
  for (const auto& t : plan.targets)
    fmt::print("  {} {} ({}): {}\n", pulley::words(t.group), pulley::words(t.finding),
               t.side ? pulley::model::side_name(*t.side) : "both", fmt::join(t.evidence, "; "));
  fmt::print("\nThe programme (longest week {:.0f} min):\n", plan.proposed.longest_week_minutes);
  for (const auto& p : plan.proposed.entries)
    fmt::print("  {}\n      {}: {}\n", entry_line(p.entry, r.programme.weeks),
               pulley::words(pulley::training::to_string(p.step)), p.reason);
  for (const auto& n : plan.notes) fmt::print("  note: {}\n", n);
  fmt::print("\n");
  UsedMarks explained;
  print_training(r, "the proposed plan", explained);
  print_retests(plan.proposed.retests, plan.proposed.retest_notes, start, explained);
  if (plan.alternatives.empty()) return;
  fmt::print("\nCompared at week {} (right side):\n{:<48} {:>15}", r.programme.weeks, "", "week 0");
  std::vector<const pulley::training::PlanOption*> options = {&plan.proposed};
  for (const auto& a : plan.alternatives) options.push_back(&a);
  std::vector<std::vector<pulley::training::Trajectory>> t;
  for (const auto* o : options) {
    fmt::print(" {:>15}", o->id);
    t.push_back(pulley::training::key_trajectories(o->result));
  }
  fmt::print("\n");
  UsedMarks used;
  // A week's value, "not testable" where no person could be tested so.
  const auto shown = [&](const pulley::training::Trajectory& x, std::size_t week) {
    const char* m = mark(x, 0, week, used);
    return x.out_of_reach(0, week) ? fmt::format("{:>15}", std::string("not testable") + m)
                                   : cell(x.right[week], m, 15, x.decimals);
  };
  for (std::size_t i = 0; i < t.front().size(); ++i) {
    const auto& x = t.front()[i];
    fmt::print("{:<48} {}", x.label + (x.unit.empty() ? "" : " (" + x.unit + ")"), shown(x, 0));
    for (const auto& tr : t) fmt::print(" {}", shown(tr[i], tr[i].right.size() - 1));
    fmt::print("\n");
  }
  fmt::print("{:<48} {:>15}", "longest week (min)", "");
  for (const auto* o : options) fmt::print(" {:>15.0f}", o->longest_week_minutes);
  fmt::print("\n");
  for (const auto& a : plan.alternatives) fmt::print("  {}: {}\n", a.id, a.description);
  print_mark_notes(used, explained);
}

// The assessment report with the plan's section.
std::string plan_report_html(const Assessment& a, const pulley::training::Plan& plan,
                             const pulley::assess::CalibrationResult* calibration,
                             const std::optional<std::chrono::sys_days>& start) {
  pulley::report::TrainingReport t;
  t.result = &plan.proposed.result;
  t.title = "Proposed plan";
  t.plan = &plan;
  t.retests = plan.proposed.retests;
  t.retest_notes = plan.proposed.retest_notes;
  t.start = start;
  return pulley::report::assessment_report_html(a, calibration, &t);
}

int run_plan(const PlanOptions& o) {
  const auto subject = pulley::io::load_subject_file(o.subject);
  const auto start = parse_start_date(o.start);
  pulley::training::PlanSettings settings;
  settings.weeks = o.weeks;
  if (settings.weeks < settings.kMinWeeks || settings.weeks > settings.kMaxWeeks)
    throw pulley::InputError(fmt::format("--weeks {}: out of range; allowed: {} to {}", o.weeks,
                                         settings.kMinWeeks, settings.kMaxWeeks));
  check_outputs({{"--json", &o.json}, {"--report", &o.report}, {"--programme", &o.programme}},
                {{"subject file", &o.subject}});
  // As pulley assess: calibrated to the subject's measurements, then assessed.
  const auto calibration = pulley::assess::calibrate(subject);
  if (calibration.status == pulley::assess::CalibrationStatus::failed) {
    std::cerr << "pulley plan: calibration failed: " << calibration.message << "\n";
    return 1;
  }
  if (calibration.status == pulley::assess::CalibrationStatus::not_converged)
    std::cerr << "pulley plan: warning: " << calibration.message << "\n";
  const Assessment a = pulley::assess::run_assessment(subject, calibration);
  if (!a.ok()) {
    std::cerr << "pulley plan: " << (a.tests.ok ? a.findings.message : a.tests.message) << "\n";
    return 1;
  }
  const auto plan = pulley::training::make_plan(a, settings);
  print_plan(plan, start);
  fmt::print("{}\n", pulley::io::kResultDisclaimer);
  const std::string json =
      o.json.empty() ? "" : pulley::io::plan_to_json(plan, start).dump(2) + "\n";
  const std::string html = o.report.empty() ? "" : plan_report_html(a, plan, &calibration, start);
  const std::string yaml =
      o.programme.empty() ? "" : pulley::io::plan_programme_yaml(plan, subject.name);
  if (!o.json.empty()) pulley::io::write_text_file_atomically(o.json, json);
  if (!o.programme.empty()) pulley::io::write_text_file_atomically(o.programme, yaml);
  if (!o.report.empty()) {
    pulley::io::write_text_file_atomically(o.report, html);
    fmt::print("Report: {}\n", o.report);
  }
  return 0;
}

// A built-in programme on the typical subject: Presland et al.'s (2018) six weeks of Nordic
// training and two without (docs/training.md).
int run_demo_training(const std::string& json_dir) {
  constexpr const char* kNordicProgramme =
      "weeks: 8\nexercises:\n  - {name: nordic_hamstring, sets: 3, reps: 6, sessions_per_week: 2, "
      "to_week: 6}\n";
  fmt::print("\nPulley demo: training over weeks (pulley train; docs/training.md)\n");
  const auto programme = pulley::io::parse_programme_yaml(kNordicProgramme, "nordic.yaml");
  const auto& typical = pulley::io::demo_subjects().front();
  const auto subject = pulley::io::parse_subject_yaml(typical.yaml, std::string(typical.id) + ".yaml");
  pulley::training::ProgrammeSettings settings;
  settings.loads_and_strain = false;  // chosen: the demo shows the tests; pulley train adds the rest
  const auto r = pulley::training::simulate_programme(subject, programme, settings);
  UsedMarks explained;
  print_training(r, "Nordic hamstring exercise 3 x 6 twice a week for 6 weeks, then 2 weeks off",
                 explained);
  if (!json_dir.empty())
    pulley::io::write_text_file_atomically(json_dir + "/typical-training.json",
                                           pulley::io::programme_result_to_json(r).dump(2) + "\n");
  return 0;
}

// The planner on the S4 subject (tight hamstrings, weak quadriceps and hip flexors), with its
// report beside the assessment reports.
int run_demo_plan(const std::string& json_dir, const std::string& report_dir) {
  fmt::print("\nPulley demo: a plan (pulley plan; docs/training.md, \"The planner\")\n");
  const pulley::io::DemoSubject* s4 = pulley::io::find_demo_subject("s4");
  PULLEY_DEMAND(s4, "the demo's plan runs on the S4 demo subject");
  const auto subject = pulley::io::parse_subject_yaml(s4->yaml, std::string(s4->id) + ".yaml");
  const Assessment a = pulley::assess::run_assessment(subject);
  if (!a.ok()) return 1;
  const auto plan = pulley::training::make_plan(a);
  print_plan(plan, std::nullopt);
  const std::string path = report_dir + "/" + std::string(s4->id) + "-plan.html";
  pulley::io::write_text_file_atomically(path, plan_report_html(a, plan, nullptr, std::nullopt));
  fmt::print("Plan report: {}\n", path);
  if (!json_dir.empty())
    pulley::io::write_text_file_atomically(json_dir + "/" + std::string(s4->id) + "-plan.json",
                                           pulley::io::plan_to_json(plan).dump(2) + "\n");
  return 0;
}

// The assessment report of each built-in subject, written into `report_dir`.
int run_demo_reports(const std::string& report_dir) {
  fmt::print("\nPulley demo: assessment reports (pulley assess --report; docs/assessment.md)\n");
  int code = 0;
  for (const auto& d : pulley::io::demo_subjects()) {
    const auto subject = pulley::io::parse_subject_yaml(d.yaml, std::string(d.id) + ".yaml");
    const Assessment a = pulley::assess::run_assessment(subject);
    const std::string path = report_dir + "/" + std::string(d.id) + "-assessment.html";
    pulley::io::write_text_file_atomically(path, pulley::report::assessment_report_html(a));
    fmt::print("  {:<8} {}\n", d.id, path);
    if (!a.ok()) code = 1;
  }
  return code;
}

// pulley demo's folders (option name, folder): each an existing folder, or a new one made inside
// an existing folder (its last level only, as an output file's folder must exist), checked
// writable before anything is computed. InputError naming the option otherwise, having checked
// every folder before making any, and removing those it made.
void prepare_output_folders(const std::vector<std::pair<std::string, std::string>>& folders) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::size_t, fs::path>> to_make;  // (index in folders, path)
  for (std::size_t i = 0; i < folders.size(); ++i) {
    const auto& [option, dir] = folders[i];
    fs::path path(dir);
    if (!path.has_filename()) path = path.parent_path();  // "out/" is "out"
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) continue;
    if (fs::exists(status))
      throw pulley::InputError(
          fmt::format("{} '{}': not a folder; give a folder's name", option, dir));
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
      throw pulley::InputError(fmt::format(
          "{} '{}': cannot create the folder: '{}' {}; give a folder inside an existing one",
          option, dir, parent.string(),
          fs::exists(parent, ec) ? "is not a folder" : "does not exist"));
    if (std::none_of(to_make.begin(), to_make.end(),
                     [&](const auto& m) { return m.second == path; }))
      to_make.emplace_back(i, path);
  }
  std::vector<fs::path> made;
  const auto refuse = [&made](const std::string& message) {
    std::error_code ec;
    for (auto it = made.rbegin(); it != made.rend(); ++it) fs::remove(*it, ec);
    throw pulley::InputError(message);
  };
  for (const auto& [i, path] : to_make) {
    std::error_code ec;
    if (fs::create_directory(path, ec))
      made.push_back(path);
    else if (ec)
      refuse(fmt::format("{} '{}': cannot create the folder: {}", folders[i].first,
                         folders[i].second, ec.message()));
  }
  for (const auto& [option, dir] : folders) {
    try {
      pulley::io::check_output_file((fs::path(dir) / "typical.json").string());
    } catch (const pulley::InputError& e) {
      refuse(fmt::format("{} '{}': {}", option, dir, e.what()));
    }
  }
}

// The check of every output option: a file (or folder) name, not an empty one.
const CLI::Validator kFileName(
    [](std::string& name) {
      return name.empty() ? std::string("an empty name; give a file name") : std::string();
    },
    "FILE");

// The check of a --set value: name=value.
const CLI::Validator kSetting(
    [](std::string& setting) {
      return setting.find('=') != std::string::npos
                 ? std::string()
                 : fmt::format(
                       "'{}' has no '='; write --set name=value, with a name pulley "
                       "tasks lists",
                       pulley::io::echo_text(setting));
    },
    "NAME=VALUE");

// A word of the form name=value, the name a task parameter's kind of name (letters, digits, '_'),
// that is not a subject file: an existing file, or a value ending .yaml or .yml, is the subject
// file even when its name has an '=' in it.
bool is_setting(const std::string& word) {
  const auto eq = word.find('=');
  if (eq == 0 || eq == std::string::npos) return false;
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  std::error_code ignored;
  if (word.ends_with(".yaml") || word.ends_with(".yml") || std::filesystem::exists(word, ignored))
    return false;
  return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(eq), name_char);
}

// The arguments after the program's name. In `pulley simulate`, one --set takes one name=value,
// and so does each name=value word that follows it (`--set a=1 b=2` is `--set a=1 --set b=2`);
// the first other word (the task, the subject file, an option) ends its list, wherever the --set
// stands.
std::vector<std::string> command_line(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto command = std::find_if(args.begin(), args.end(),
                                    [](const std::string& a) { return a.rfind('-', 0) != 0; });
  if (command == args.end() || *command != "simulate") return args;
  std::vector<std::string> out(args.begin(), command + 1);
  bool in_settings = false;  // after a --set's value
  for (auto it = command + 1; it != args.end(); ++it) {
    if (*it == "--") {
      out.insert(out.end(), it, args.end());
      break;
    }
    if (in_settings && is_setting(*it)) {
      out.push_back("--set");
      out.push_back(*it);
      continue;
    }
    in_settings = false;
    out.push_back(*it);
    if (*it == "--set" && (it + 1 == args.end() || (it + 1)->rfind("--", 0) == 0))
      throw pulley::InputError(
          "--set: no name=value after it; write --set name=value, with a "
          "name pulley tasks lists (see pulley --help)");
    if (*it == "--set") {
      out.push_back(*++it);  // its value, whatever it is (kSetting checks it)
      in_settings = true;
    } else if (it->rfind("--set=", 0) == 0) {
      in_settings = true;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Pulley: the muscles that hold the pelvis between the trunk and the legs.\n" +
                   std::string(pulley::io::kResultDisclaimer),
               "pulley"};
  app.set_version_flag("--version", std::string("pulley ") + std::string(pulley::version()));
  app.require_subcommand(1);

  std::string subject_path, json_path, json_dir;
  bool raw = false;
  auto* stand = app.add_subcommand("stand",
                                   "Where this person's pelvis and spine settle in quiet "
                                   "standing, which muscles work, and the lumbar disc loads; the "
                                   "posture against the typical subject's");
  stand->add_option("SUBJECT", subject_path, "subject file (YAML; see docs/subject-file.md)")
      ->required();
  stand->add_option("--json", json_path, "also write the full result as JSON to this file")
      ->check(kFileName);
  auto* demo = app.add_subcommand("demo", "Run the built-in example subjects (typical, S3, S4)");
  demo->add_option("--json-dir", json_dir,
                   "write each example's JSON result into this folder (made if missing, inside an "
                   "existing folder)")
      ->check(kFileName);
  std::string report_dir;
  demo->add_option("--report-dir", report_dir,
                   "write each example's assessment report (HTML) into this folder (made if "
                   "missing, inside an existing folder; default: the --json-dir folder, else "
                   "./pulley-demo-reports)")
      ->check(kFileName);
  auto* model = app.add_subcommand("model", "List muscles and parameters with their sources");
  model->add_flag("--data", raw, "print the model data files with every number's source");
  SweepOptions sweep;
  auto* arms = app.add_subcommand("moment-arms", "Each muscle's moment arm about one joint over a "
                                                 "sweep of its angle (mm, + = drives the joint's "
                                                 "positive direction)");
  arms->add_option("SUBJECT", sweep.subject,
                   "subject file (YAML; see docs/subject-file.md); default: the default model, "
                   "a 1.75 m, 75 kg man");
  arms->add_option("--joint", sweep.joint,
                   "hip, knee, ankle, L1_L2, L2_L3, L3_L4, L4_L5 or L5_S1 (default hip)");
  arms->add_option("--side", sweep.side, "r or l (default r)");
  arms->add_option("--from", sweep.from, "first angle (deg; default depends on the joint)");
  arms->add_option("--to", sweep.to, "last angle (deg)");
  arms->add_option("--step", sweep.step, "angle step (deg)");
  arms->add_option("--json", sweep.json, "also write the moment arms as JSON to this file")
      ->check(kFileName);
  bool tasks_json = false;
  auto* tasks = app.add_subcommand("tasks", "List the movement tasks and their parameters");
  tasks->add_flag("--json", tasks_json, "print the list as JSON");
  SimulateOptions sim;
  auto* simulate = app.add_subcommand(
      "simulate",
      "Run a task (pulley tasks lists them: stand, forward-bend, lift, sit, lie, walk, run, sprint, "
      "stairs-up, stairs-down, sit-to-stand, squat, trunk-endurance, repeated-sprints, "
      "long-stand) frame by frame: "
      "posture, muscles and joint loads");
  simulate->add_option("TASK", sim.task, "task name (see pulley tasks)")->required();
  simulate->add_option("SUBJECT", sim.subject, "subject file (YAML; see docs/subject-file.md)")
      ->required();
  simulate
      ->add_option("--set", sim.sets,
                   "a task parameter, name=value; for several, repeat --set or follow it with "
                   "more name=value words (--set a=1 b=2)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(kSetting);
  simulate->add_option("--json", sim.json, "write the full result as JSON to this file")
      ->check(kFileName);
  simulate->add_option("--csv", sim.csv, "write one row per frame as CSV to this file")
      ->check(kFileName);
  simulate->add_option("--mot", sim.mot, "write the kinematics as an OpenSim .mot file")
      ->check(kFileName);
  AssessOptions assess_options;
  auto* assess = app.add_subcommand(
      "assess", "Fit the subject to its measured clinical tests (the subject file's "
                "measurements), then simulate the tests the way they are performed (straight-leg "
                "raise, knee extension, Thomas test, knee strength and H:Q, Nordic, trunk "
                "endurance) and say what is out of balance and what it does");
  assess->add_option("SUBJECT", assess_options.subject,
                     "subject file (YAML; see docs/subject-file.md)")
      ->required();
  assess->add_option("--json", assess_options.json,
                     "also write the results and findings as JSON to this file")
      ->check(kFileName);
  assess->add_option("--report", assess_options.report,
                     "also write the assessment report, one self-contained HTML file")
      ->check(kFileName);
  assess->add_option("--fitted-subject", assess_options.fitted_subject,
                     "write the calibrated subject to this subject file (YAML)")
      ->check(kFileName);

  bool exercises_json = false;
  auto* exercises = app.add_subcommand("exercises", "List the exercise library (ids for programme files)");
  exercises->add_flag("--json", exercises_json, "print the library as JSON");
  TrainOptions train_options;
  auto* train = app.add_subcommand(
      "train", "Simulate a training programme on a subject week by week: how strength, fascicle "
               "length, stiffness and stretch tolerance change, and what that does to the clinical "
               "tests, posture, bending and hamstring strain risk");
  train->add_option("SUBJECT", train_options.subject, "subject file (YAML; see docs/subject-file.md)")
      ->required();
  train->add_option("PROGRAMME", train_options.programme,
                    "programme file (YAML; see docs/programme-file.md)")
      ->required();
  train->add_option("--json", train_options.json, "also write the weeks as JSON to this file")
      ->check(kFileName);
  train->add_option("--report", train_options.report,
                    "also write the assessment report with the programme, its predicted "
                    "trajectories and re-test dates (one self-contained HTML file)")
      ->check(kFileName);
  train->add_option("--start", train_options.start,
                    "the programme's first day (YYYY-MM-DD): re-tests are then given as dates");
  PlanOptions plan_options;
  auto* plan = app.add_subcommand(
      "plan", "Propose a programme from the subject's assessment, in the order the sources give "
              "(release and stretch what is tight, then strengthen its weak opponents; rest and a "
              "graded return after a strain), within the subject file's constraints, with its "
              "predicted effect, re-test dates and alternatives compared");
  plan->add_option("SUBJECT", plan_options.subject, "subject file (YAML; see docs/subject-file.md)")
      ->required();
  plan->add_option("--weeks", plan_options.weeks, "weeks of the programme, 2 to 52 (default 8)");
  plan->add_option("--json", plan_options.json, "also write the plan as JSON to this file")
      ->check(kFileName);
  plan->add_option("--report", plan_options.report,
                   "also write the assessment report with the plan (one self-contained HTML file)")
      ->check(kFileName);
  plan->add_option("--programme", plan_options.programme,
                   "also write the proposed programme as a programme file for pulley train")
      ->check(kFileName);
  plan->add_option("--start", plan_options.start,
                   "the programme's first day (YYYY-MM-DD): re-tests are then given as dates");

  std::vector<std::string> args;
  try {
    args = command_line(argc, argv);
  } catch (const pulley::InputError& e) {
    std::cerr << "pulley: " << e.what() << "\n";
    return 2;
  }
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // A first word that names no command says so, with the commands there are.
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const CLI::App* c : app.get_subcommands({})) names.push_back(c->get_name());
      std::cerr << fmt::format("pulley: '{}' is not a command; allowed: {} (see pulley --help)\n",
                               pulley::io::echo_text(argv[1]), fmt::join(names, ", "));
      return 2;
    }
    std::cerr << "pulley: " << e.what() << " (see pulley --help)\n";
    return 2;
  }
  try {
    if (*stand) return run_stand(subject_path, json_path);
    if (*demo) {
      // The folders are made if missing and checked before anything is computed; the reports go
      // into --json-dir's folder when no --report-dir is given.
      std::vector<std::pair<std::string, std::string>> folders;
      if (!json_dir.empty()) folders.emplace_back("--json-dir", json_dir);
      if (!report_dir.empty()) {
        folders.emplace_back("--report-dir", report_dir);
      } else if (!json_dir.empty()) {
        report_dir = json_dir;
      } else {
        report_dir = "pulley-demo-reports";
        folders.emplace_back("the default --report-dir", report_dir);
      }
      prepare_output_folders(folders);
      return run_demo(json_dir, report_dir);
    }
    if (*model) return run_model(raw);
    if (*arms) return run_moment_arms(sweep);
    if (*tasks) return run_tasks(tasks_json);
    if (*simulate) return run_simulate(sim);
    if (*assess) return run_assess(assess_options);
    if (*exercises) return run_exercises(exercises_json);
    if (*train) return run_train(train_options);
    if (*plan) return run_plan(plan_options);

  } catch (const pulley::InputError& e) {
    std::cerr << "pulley: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pulley: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
