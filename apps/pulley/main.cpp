#include <cstdio>
#include "pulley/io/subject_yaml.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/standing.hpp"
int main(int argc, char** argv) {
  pulley::model::Subject s;
  if (argc > 1) s = pulley::io::load_subject_file(argv[1]);
  auto m = pulley::model::compile_model(s);
  auto r = pulley::tasks::solve_standing(m);
  std::printf("%s %s it=%d res=%g eff=%g\n", to_string(r.status), r.message.c_str(), r.iterations, r.residual_nm, r.effort);
  auto& p = r.posture;
  std::printf("PT %.2f SS %.2f PI %.2f LL %.2f seg", p.pelvic_tilt_deg, p.sacral_slope_deg, p.pelvic_incidence_deg, p.lumbar_lordosis_deg);
  for (double d : p.segmental_lordosis_deg) std::printf(" %.2f", d);
  std::printf("\nhip %.2f knee %.2f ankle %.2f trunk %.2f com %.3f\n", p.hip_flexion_deg[0], p.knee_flexion_deg[0], p.ankle_dorsiflexion_deg[0], p.trunk_inclination_deg, p.com_anterior_to_ankle_m);
  for (auto& l : r.lumbar) std::printf("%s C %.0f S %.0f M %.2f IDP %.3f post %.3f\n", l.level.c_str(), l.compression_n, l.shear_n, l.disc_moment_nm, l.disc_pressure_mpa, l.posterior_share);
  for (int i = 0; i < m.num_units(); ++i) if (r.activation[i] > m.tone + 1e-3 || i < 60) std::printf("%s a=%.3f F=%.1f lM=%.2f\n", m.units[i].name.c_str(), r.activation[i], r.force_n[i], r.fibre_length_norm[i]);
  std::printf("GRF %.1f %.1f\n", r.ground_force_n[0], r.ground_force_n[1]);
}
