#include "pulley/io/demo_subjects.hpp"

namespace pulley::io {

const std::vector<DemoSubject>& demo_subjects() {
  // The factor values are illustrative choices, not measurements of anyone: a clear but not
  // extreme imbalance in each direction (domain.md S3 and S4). The S4 subject's constraints (a
  // band, a foam roller, two hours a week) give pulley demo's plan something to respect.
  static const std::vector<DemoSubject> subjects = {
      {"typical", "typical adult man: population-default muscles",
       R"(name: "typical adult"
sex: male
age: 35
height_m: 1.75
mass_kg: 75
pelvic_incidence_deg: 52
)"},
      {"s3", "S3 pattern: weak hamstrings, tight quadriceps and hip flexors",
       R"(name: "S3 pattern: weak hamstrings, tight quadriceps and hip flexors"
sex: male
age: 35
height_m: 1.75
mass_kg: 75
pelvic_incidence_deg: 52
muscles:
  hamstrings: {strength: 0.6}
  quadriceps: {length: 0.95, stiffness: 2.0}
  hip_flexors: {length: 0.95, stiffness: 2.0}
)"},
      {"s4", "S4 pattern: tight hamstrings, weak quadriceps and hip flexors",
       R"(name: "S4 pattern: tight hamstrings, weak quadriceps and hip flexors"
sex: male
age: 35
height_m: 1.75
mass_kg: 75
pelvic_incidence_deg: 52
muscles:
  hamstrings: {length: 0.95, stiffness: 2.0}
  quadriceps: {strength: 0.6}
  hip_flexors: {strength: 0.6}
constraints:
  equipment: [resistance_band, foam_roller]
  minutes_per_week: 120
)"},
  };
  return subjects;
}

const DemoSubject* find_demo_subject(std::string_view id) {
  for (const auto& d : demo_subjects())
    if (d.id == id) return &d;
  return nullptr;
}

}  // namespace pulley::io
