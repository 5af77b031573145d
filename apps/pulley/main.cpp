// pulley: the command-line program, thin over the library.
//   pulley stand SUBJECT.yaml [--json FILE]   standing posture, muscles and lumbar loads
//   pulley demo [--json-dir DIR]              the built-in example subjects, compared
//   pulley model [--data]                     muscles, parameters and their sources
// Exit codes: 0 success, 1 failed computation, 2 bad input.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/io/demo_subjects.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"
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
  } catch (const pulley::InputError& e) {
    std::cerr << "pulley: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pulley: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
