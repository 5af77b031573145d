// pulley: the command-line program, thin over the library.
//   pulley stand SUBJECT.yaml [--json FILE]   standing posture, muscles and lumbar loads
//   pulley demo [--json-dir DIR]              the built-in example subjects, compared
//   pulley model [--data]                     muscles, parameters and their sources
//   pulley moment-arms [--joint J] [--side r|l] [--from D --to D --step D] [--json FILE]
//                                             muscle moment arms over a sweep of one joint angle
// Exit codes: 0 success, 1 failed computation, 2 bad input.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/moment_arms.hpp"
#include "pulley/tasks/standing.hpp"

namespace {

using pulley::model::Model;
using pulley::tasks::StandingResult;

constexpr const char* kDisclaimer =
    "Pulley is a simulation and education tool: these are model estimates, not measurements or a "
    "diagnosis. For pain, see a qualified clinician.";

void print_standing(const Model& model, const StandingResult& r) {
  const auto& p = r.posture;
  fmt::print("Subject: {} ({}, {:.2f} m, {:.1f} kg, pelvic incidence {:.0f} deg)\n",
             model.subject.name, model.subject.sex == pulley::model::Sex::male ? "male" : "female",
             model.subject.height_m, model.subject.mass_kg, model.subject.pelvic_incidence_deg);
  fmt::print("Solver: {} ({}), {} evaluations, equilibrium residual {:.2g} N m\n\n",
             pulley::tasks::to_string(r.status), r.message, r.iterations, r.residual_nm);
  fmt::print("Posture in quiet standing\n");
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
  fmt::print("Lumbar discs      compression   shear   pressure   posterior share\n");
  for (const auto& l : r.lumbar)
    fmt::print("  {:<8} {:12.0f} N {:6.0f} N {:7.2f} MPa {:10.0f} %\n", l.level, l.compression_n,
               l.shear_n, l.disc_pressure_mpa, 100.0 * l.posterior_share);
  fmt::print("\nMuscles working above resting tone (right side; left mirrors unless the subject differs)\n");
  for (size_t k = 0; k < model.muscles.size(); ++k) {
    const auto& m = model.muscles[k];
    const auto out = pulley::tasks::muscle_output(model, static_cast<int>(k), r.force_n, r.activation);
    if (m.side == pulley::model::Side::right && (out.activation > model.tone + 0.005 || out.force_n > 100.0))
      fmt::print("  {:<24} {:7.0f} N  activation {:4.0f} %\n", m.name, out.force_n, 100.0 * out.activation);
  }
  fmt::print("\n{}\n", kDisclaimer);
}

int run_stand(const std::string& subject_path, const std::string& json_path) {
  const auto subject = pulley::io::load_subject_file(subject_path);
  if (!json_path.empty()) {
    // Check the destination before computing, so bad paths fail fast with exit code 2.
    pulley::io::write_text_file_atomically(json_path + ".probe", "");
    std::remove((json_path + ".probe").c_str());
  }
  const Model model = pulley::model::compile_model(subject);
  const StandingResult r = pulley::tasks::solve_standing(model);
  print_standing(model, r);
  if (!json_path.empty())
    pulley::io::write_text_file_atomically(json_path,
                                           pulley::io::standing_to_json(model, r).dump(2) + "\n");
  return r.status == pulley::tasks::SolveStatus::converged ? 0 : 1;
}

int run_demo(const std::string& json_dir) {
  fmt::print("Pulley demo: quiet standing of the built-in subjects\n\n");
  struct Row {
    std::string id;
    StandingResult r;
  };
  std::vector<Row> rows;
  int code = 0;
  for (const auto& d : pulley::io::demo_subjects()) {
    const auto subject = pulley::io::parse_subject_yaml(d.yaml, std::string(d.id) + ".yaml");
    const Model model = pulley::model::compile_model(subject);
    StandingResult r = pulley::tasks::solve_standing(model);
    fmt::print("==== {}: {} ====\nSubject file:\n{}\n", d.id, d.description, d.yaml);
    print_standing(model, r);
    fmt::print("\n");
    if (!json_dir.empty())
      pulley::io::write_text_file_atomically(json_dir + "/" + std::string(d.id) + ".json",
                                             pulley::io::standing_to_json(model, r).dump(2) + "\n");
    if (r.status != pulley::tasks::SolveStatus::converged) code = 1;
    rows.push_back({std::string(d.id), std::move(r)});
  }
  fmt::print("Comparison           pelvic tilt  lordosis  L4-L5 pressure  L4-L5 posterior share\n");
  for (const auto& row : rows) {
    const auto& l45 = row.r.lumbar[3];
    fmt::print("  {:<18} {:8.1f} deg {:6.1f} deg {:9.2f} MPa {:14.1f} %\n", row.id,
               row.r.posture.pelvic_tilt_deg, row.r.posture.lumbar_lordosis_deg,
               l45.disc_pressure_mpa, 100.0 * l45.posterior_share);
  }
  fmt::print("(a smaller pelvic tilt means the pelvis is tipped further forward)\n");
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
  if (!o.json.empty()) {  // check the destination before computing (exit code 2 on a bad path)
    pulley::io::write_text_file_atomically(o.json + ".probe", "");
    std::remove((o.json + ".probe").c_str());
  }
  std::vector<double> angles;
  for (int i = 0; i < static_cast<int>(count); ++i)
    angles.push_back(pulley::deg_to_rad(from + i * step));

  const Model model = pulley::model::compile_model(pulley::model::Subject{});
  const int coordinate = pulley::tasks::sweep_joint_coordinate(model, o.joint, side);
  const auto sweep = pulley::tasks::sweep_moment_arms(model, coordinate, angles, side);

  fmt::print("Moment arms (mm) about {} of the default model (1.75 m, 75 kg man), {} side\n",
             model.tree.coordinate_name(coordinate), side == Side::right ? "right" : "left");
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Pulley: the muscles that hold the pelvis between the trunk and the legs.\n" +
                   std::string(kDisclaimer),
               "pulley"};
  app.set_version_flag("--version", std::string("pulley ") + std::string(pulley::version()));
  app.require_subcommand(1);

  std::string subject_path, json_path, json_dir;
  bool raw = false;
  auto* stand = app.add_subcommand("stand", "Where this person's pelvis and spine settle in quiet "
                                            "standing, which muscles work, and the lumbar disc loads");
  stand->add_option("SUBJECT", subject_path, "subject file (YAML; see docs/subject-file.md)")
      ->required();
  stand->add_option("--json", json_path, "also write the full result as JSON to this file");
  auto* demo = app.add_subcommand("demo", "Run the built-in example subjects (typical, S3, S4)");
  demo->add_option("--json-dir", json_dir, "write each example's JSON result into this folder");
  auto* model = app.add_subcommand("model", "List muscles and parameters with their sources");
  model->add_flag("--data", raw, "print the model data files with every number's source");
  SweepOptions sweep;
  auto* arms = app.add_subcommand("moment-arms", "Each muscle's moment arm about one joint over a "
                                                 "sweep of its angle (mm, + = drives the joint's "
                                                 "positive direction)");
  arms->add_option("--joint", sweep.joint,
                   "hip, knee, ankle, L1_L2, L2_L3, L3_L4, L4_L5 or L5_S1 (default hip)");
  arms->add_option("--side", sweep.side, "r or l (default r)");
  arms->add_option("--from", sweep.from, "first angle (deg; default depends on the joint)");
  arms->add_option("--to", sweep.to, "last angle (deg)");
  arms->add_option("--step", sweep.step, "angle step (deg)");
  arms->add_option("--json", sweep.json, "also write the moment arms as JSON to this file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "pulley: " << e.what() << " (see pulley --help)\n";
    return 2;
  }
  try {
    if (*stand) return run_stand(subject_path, json_path);
    if (*demo) return run_demo(json_dir);
    if (*model) return run_model(raw);
    if (*arms) return run_moment_arms(sweep);
  } catch (const pulley::InputError& e) {
    std::cerr << "pulley: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pulley: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
