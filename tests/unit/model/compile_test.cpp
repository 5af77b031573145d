#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/muscle_names.hpp"
#include "pulley/skeleton/planar_tree.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::model {
namespace {

const Model& default_model() {
  static const Model m = compile_model(Subject{});
  return m;
}

double body_mass_sum(const Model& m) {
  double sum = 0.0;
  for (int b = 0; b < m.tree.num_bodies(); ++b) sum += m.tree.body(b).mass;
  return sum;
}

int find_unit(const Model& m, const std::string& name) {
  for (int i = 0; i < m.num_units(); ++i)
    if (m.units[i].name == name) return i;
  return -1;
}

void expect_same_parameters(const muscle::MusculotendonParameters& a,
                            const muscle::MusculotendonParameters& b, const std::string& what) {
  EXPECT_EQ(a.F_M_max, b.F_M_max) << what;
  EXPECT_EQ(a.F_ref, b.F_ref) << what;
  EXPECT_EQ(a.l_M_opt, b.l_M_opt) << what;
  EXPECT_EQ(a.l_T_slack, b.l_T_slack) << what;
  EXPECT_EQ(a.alpha_opt, b.alpha_opt) << what;
  EXPECT_EQ(a.v_M_max, b.v_M_max) << what;
  EXPECT_EQ(a.passive_scale, b.passive_scale) << what;
}

TEST(CompileModel, BodyMassesSumToSubjectMass) {
  for (Sex sex : {Sex::male, Sex::female}) {
    for (double mass : {50.0, 75.0, 120.0}) {
      Subject s;
      s.sex = sex;
      s.mass_kg = mass;
      const Model m = compile_model(s);
      SCOPED_TRACE(sex == Sex::male ? "male" : "female");
      EXPECT_NEAR(body_mass_sum(m), mass, 1e-9 * mass);
      EXPECT_NEAR(m.tree.total_mass(), mass, 1e-9 * mass);
      for (int b = 0; b < m.tree.num_bodies(); ++b)
        EXPECT_GT(m.tree.body(b).mass, 0.0) << m.tree.body(b).name;
    }
  }
}

TEST(CompileModel, NamedIndicesPointAtTheNamedBodiesAndCoordinates) {
  const Model& m = default_model();
  EXPECT_EQ(m.tree.body(m.body.pelvis).name, "pelvis");
  EXPECT_EQ(m.tree.body(m.body.thorax).name, "thorax");
  EXPECT_EQ(m.tree.body(m.body.femur[0]).name, "femur_r");
  EXPECT_EQ(m.tree.body(m.body.foot[1]).name, "foot_l");
  EXPECT_EQ(m.tree.coordinate_name(m.coord.knee[0]), "knee_angle_r");
  EXPECT_EQ(m.tree.coordinate_name(m.coord.hip[1]), "hip_flexion_l");
  ASSERT_EQ(m.levels.size(), 5u);
  EXPECT_EQ(m.levels.front().name, "L1_L2");
  EXPECT_EQ(m.levels.back().name, "L5_S1");
  EXPECT_EQ(m.levels.back().lower_body, m.body.pelvis);
}

TEST(CompileModel, EveryListedMuscleExistsOnBothSides) {
  const Model& m = default_model();
  for (const MuscleName& mn : kMuscleNames) {
    for (Side side : kSides) {
      const std::string name = std::string(mn.name) + "_" + std::string(side_suffix(side));
      const int i = m.find_muscle(name);
      ASSERT_GE(i, 0) << name;
      const Muscle& mus = m.muscles[i];
      EXPECT_EQ(mus.base_name, mn.name);
      EXPECT_EQ(mus.group, mn.group) << name;
      EXPECT_EQ(mus.side, side) << name;
      EXPECT_FALSE(mus.units.empty()) << name;
      for (int u : mus.units) {
        EXPECT_EQ(m.units[u].muscle, i) << name;
        EXPECT_EQ(m.units[u].side, side) << name;
        EXPECT_TRUE(muscle::parameters_valid(m.units[u].params)) << m.units[u].name;
      }
    }
  }
  EXPECT_EQ(m.muscles.size(), 2 * kMuscleNames.size());
  EXPECT_EQ(m.find_muscle("semimembranosus"), -1);
  // Every muscle weighs 1 / (number of muscles), whatever its number of units, times the
  // anatomical muscles it lumps (standing.yaml: the three vasti and gastrocnemius's two heads).
  const auto lumped = [](const std::string& base) {
    return base == "vasti" ? 3.0 : base == "gastrocnemius" ? 2.0 : 1.0;
  };
  double weights = 0.0, counted = 0.0;
  for (const auto& u : m.units) weights += u.effort_weight;
  for (const auto& mus : m.muscles) {
    counted += lumped(mus.base_name);
    double muscle_weight = 0.0;
    for (int u : mus.units) muscle_weight += m.units[u].effort_weight;
    EXPECT_NEAR(muscle_weight, lumped(mus.base_name) / static_cast<double>(m.muscles.size()),
                1e-15)
        << mus.name;
  }
  EXPECT_NEAR(weights, counted / static_cast<double>(m.muscles.size()), 1e-12);
}

TEST(CompileModel, LeftAndRightMusclesMirror) {
  const Model& m = default_model();
  // A symmetric pose: both legs alike, arbitrary pelvis and lumbar angles.
  Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
  q[0] = 0.1;
  q[1] = 0.9;
  q[2] = -0.15;
  for (int i = 0; i < 5; ++i) q[m.coord.lumbar[i]] = 0.04 * (i + 1);
  for (int k = 0; k < 2; ++k) {
    q[m.coord.hip[k]] = 0.3;
    q[m.coord.knee[k]] = 0.5;
    q[m.coord.ankle[k]] = -0.1;
  }
  Data data(m);
  calc_musculotendon_geometry(m, q, data);
  // Map of right-side coordinates to left-side ones; others map to themselves.
  std::vector<int> mirror(m.num_coordinates());
  for (int k = 0; k < m.num_coordinates(); ++k) mirror[k] = k;
  for (const auto* c : {&m.coord.hip, &m.coord.knee, &m.coord.ankle}) {
    mirror[(*c)[0]] = (*c)[1];
    mirror[(*c)[1]] = (*c)[0];
  }
  for (const Muscle& right : m.muscles) {
    if (right.side != Side::right) continue;
    const int li = m.find_muscle(right.base_name + "_l");
    ASSERT_GE(li, 0) << right.name;
    const Muscle& left = m.muscles[li];
    ASSERT_EQ(right.units.size(), left.units.size()) << right.name;
    for (size_t j = 0; j < right.units.size(); ++j) {
      const MusculotendonUnit& ur = m.units[right.units[j]];
      const MusculotendonUnit& ul = m.units[left.units[j]];
      const std::string base = ur.name.substr(0, ur.name.size() - 2);
      EXPECT_EQ(ur.name, base + "_r");
      EXPECT_EQ(ul.name, base + "_l");
      expect_same_parameters(ur.params, ul.params, ur.name);
      EXPECT_EQ(ur.volume_m3, ul.volume_m3) << ur.name;
      EXPECT_EQ(ur.path.points.size(), ul.path.points.size()) << ur.name;
      EXPECT_NEAR(data.l_MT[right.units[j]], data.l_MT[left.units[j]], 1e-12) << ur.name;
      for (int k = 0; k < m.num_coordinates(); ++k)
        EXPECT_NEAR(data.moment_arms(k, right.units[j]), data.moment_arms(mirror[k], left.units[j]),
                    1e-12)
            << ur.name << " about " << m.tree.coordinate_name(k);
    }
  }
}

TEST(CompileModel, SubjectFactorsChangeExactlyTheNamedUnits) {
  const Model& ref = default_model();
  Subject s;
  MuscleAdjustment hamstrings;
  hamstrings.target = "hamstrings";
  hamstrings.is_group = true;
  hamstrings.both.strength = 0.5;
  MuscleAdjustment semimem;
  semimem.target = "semimembranosus";
  semimem.right.length = 0.9;
  s.muscles = {hamstrings, semimem};
  const Model m = compile_model(s);
  ASSERT_EQ(m.num_units(), ref.num_units());
  int changed_strength = 0, changed_length = 0;
  for (int i = 0; i < m.num_units(); ++i) {
    const MusculotendonUnit& u = m.units[i];
    const MusculotendonUnit& r = ref.units[i];
    ASSERT_EQ(u.name, r.name);
    const Muscle& mus = m.muscles[u.muscle];
    const bool weak = mus.group == "hamstrings";
    const bool shorter = mus.name == "semimembranosus_r";
    SCOPED_TRACE(u.name);
    EXPECT_EQ(u.params.F_ref, r.params.F_ref);
    if (weak) {
      EXPECT_NEAR(u.params.F_M_max, 0.5 * r.params.F_M_max, 1e-12 * r.params.F_M_max);
      ++changed_strength;
    } else {
      EXPECT_EQ(u.params.F_M_max, r.params.F_M_max);
    }
    if (shorter) {
      EXPECT_NEAR(u.params.l_M_opt, 0.9 * r.params.l_M_opt, 1e-15);
      EXPECT_NEAR(u.params.l_T_slack, 0.9 * r.params.l_T_slack, 1e-15);
      ++changed_length;
    } else {
      EXPECT_EQ(u.params.l_M_opt, r.params.l_M_opt);
      EXPECT_EQ(u.params.l_T_slack, r.params.l_T_slack);
    }
    EXPECT_EQ(u.params.alpha_opt, r.params.alpha_opt);
    EXPECT_EQ(u.params.passive_scale, r.params.passive_scale);
    EXPECT_EQ(u.params.passive_strain_at_zero_force, r.params.passive_strain_at_zero_force);
    EXPECT_EQ(u.params.passive_strain_at_one_norm_force, r.params.passive_strain_at_one_norm_force);
    EXPECT_EQ(u.params.v_M_max, r.params.v_M_max);
  }
  EXPECT_GE(changed_strength, 8);  // four hamstrings, both sides
  EXPECT_GE(changed_length, 1);
  const Muscle& sm = m.muscles[m.find_muscle("semimembranosus_r")];
  EXPECT_EQ(sm.factors.strength, 0.5);
  EXPECT_EQ(sm.factors.length, 0.9);
  const Muscle& sm_l = m.muscles[m.find_muscle("semimembranosus_l")];
  EXPECT_EQ(sm_l.factors.strength, 0.5);
  EXPECT_EQ(sm_l.factors.length, 1.0);
}

// Leg units take their passive strains from muscles.yaml (Uhlrich 2022's calibration); trunk
// units, which have none there, keep De Groote's curve (0 and 0.6).
TEST(CompileModel, LegUnitsCarryTheirOwnPassiveStrains) {
  const Model& m = default_model();
  const auto& semimem = m.units[m.muscles[m.find_muscle("semimembranosus_r")].units[0]].params;
  EXPECT_NEAR(semimem.passive_strain_at_zero_force, 0.153735, 1e-6);
  EXPECT_NEAR(semimem.passive_strain_at_one_norm_force, 0.704474, 1e-6);
  for (int u : m.muscles[m.find_muscle("longissimus_r")].units) {
    EXPECT_EQ(m.units[u].params.passive_strain_at_zero_force, 0.0);
    EXPECT_EQ(m.units[u].params.passive_strain_at_one_norm_force, 0.6);
  }
}

// Leg units' active curves end where Rajagopal's do (0.25 and 1.9 optimal lengths); trunk units,
// MyoBack's, keep De Groote's own ends.
TEST(CompileModel, LegUnitsCarryRajagopalsActiveCurveEnds) {
  const Model& m = default_model();
  for (const char* name : {"semimembranosus_r", "vasti_l", "soleus_r", "gluteus_maximus_l"}) {
    for (int u : m.muscles[m.find_muscle(name)].units) {
      EXPECT_EQ(m.units[u].params.active_length_min, 0.25) << name;
      EXPECT_EQ(m.units[u].params.active_length_max, 1.9) << name;
    }
  }
  for (const char* name : {"longissimus_r", "psoas_l", "multifidus_r"}) {
    for (int u : m.muscles[m.find_muscle(name)].units) {
      EXPECT_EQ(m.units[u].params.active_length_min, muscle::curve_constants::kActiveLengthMin);
      EXPECT_EQ(m.units[u].params.active_length_max, muscle::curve_constants::kActiveLengthMax);
    }
  }
}

TEST(CompileModel, StiffnessFactorScalesPassiveForceOnly) {
  Subject s;
  MuscleAdjustment psoas;
  psoas.target = "psoas";
  psoas.left.stiffness = 2.0;
  s.muscles = {psoas};
  const Model m = compile_model(s);
  const Model& ref = default_model();
  for (int i = 0; i < m.num_units(); ++i) {
    const bool target = m.muscles[m.units[i].muscle].name == "psoas_l";
    EXPECT_EQ(m.units[i].params.passive_scale, target ? 2.0 : ref.units[i].params.passive_scale)
        << m.units[i].name;
    EXPECT_EQ(m.units[i].params.F_M_max, ref.units[i].params.F_M_max) << m.units[i].name;
  }
}

TEST(CompileModel, FascicleLengthShortensFibresAndKeepsTheSlackLength) {
  Subject s;
  MuscleAdjustment bflh;
  bflh.target = "biceps_femoris_long";
  bflh.right.fascicle_length = 0.8;
  s.muscles = {bflh};
  const Model m = compile_model(s);
  const Model& ref = default_model();
  int changed = 0;
  for (int i = 0; i < m.num_units(); ++i) {
    const auto& p = m.units[i].params;
    const auto& r = ref.units[i].params;
    if (m.muscles[m.units[i].muscle].name != "biceps_femoris_long_r") {
      expect_same_parameters(p, r, m.units[i].name);
      continue;
    }
    ++changed;
    EXPECT_NEAR(p.l_M_opt, 0.8 * r.l_M_opt, 1e-12);
    EXPECT_GT(p.l_T_slack, r.l_T_slack);
    EXPECT_NEAR(p.l_M_opt * std::cos(p.alpha_opt) + p.l_T_slack,
                r.l_M_opt * std::cos(r.alpha_opt) + r.l_T_slack, 1e-12);
    EXPECT_EQ(p.F_M_max, r.F_M_max);
    // The passive curve starts where it did on the musculotendon's length (rigid tendon).
    EXPECT_NEAR(p.passive_strain_at_zero_force, r.passive_strain_at_zero_force / 0.8, 1e-12);
    EXPECT_NEAR(p.passive_strain_at_one_norm_force, r.passive_strain_at_one_norm_force / 0.8,
                1e-12);
  }
  EXPECT_EQ(changed, 1);
}

TEST(CompileModel, CapacityBoundsActivationOnly) {
  const Model& ref = default_model();
  ASSERT_GT(ref.tone, 0.0);
  Subject s;
  MuscleAdjustment semimem;
  semimem.target = "semimembranosus";
  semimem.right.capacity = 0.5;
  MuscleAdjustment soleus;
  soleus.target = "soleus";
  soleus.left.capacity = 0.0;
  s.muscles = {semimem, soleus};
  const Model m = compile_model(s);
  ASSERT_EQ(m.num_units(), ref.num_units());
  int halved = 0, at_tone = 0;
  for (int i = 0; i < m.num_units(); ++i) {
    const MusculotendonUnit& u = m.units[i];
    const std::string& muscle = m.muscles[u.muscle].name;
    SCOPED_TRACE(u.name);
    if (muscle == "semimembranosus_r") {
      EXPECT_EQ(u.capacity, 0.5);
      ++halved;
    } else if (muscle == "soleus_l") {
      EXPECT_EQ(u.capacity, 0.0);
      // The solvers keep the support's resting tone, and no more.
      EXPECT_EQ(u.activation_ceiling(m.tone), m.tone);
      EXPECT_EQ(u.activation_ceiling(m.lying_tone), m.lying_tone);
      ++at_tone;
    } else {
      EXPECT_EQ(u.capacity, 1.0);
    }
    EXPECT_EQ(ref.units[i].capacity, 1.0);
    // Force, passive force and lengths are the strength, stiffness and length factors' business.
    expect_same_parameters(u.params, ref.units[i].params, u.name);
  }
  EXPECT_GE(halved, 1);
  EXPECT_GE(at_tone, 1);
  EXPECT_EQ(m.muscles[m.find_muscle("semimembranosus_r")].factors.capacity, 0.5);
  EXPECT_EQ(m.muscles[m.find_muscle("semimembranosus_l")].factors.capacity, 1.0);
  EXPECT_EQ(m.muscles[m.find_muscle("soleus_l")].factors.capacity, 0.0);
}

TEST(CompileModel, DoublingMassDoublesBodyMassesAndStrengthensMuscles) {
  const Model& ref = default_model();
  Subject s;
  s.mass_kg = 2.0 * Subject{}.mass_kg;
  const Model m = compile_model(s);
  ASSERT_EQ(m.tree.num_bodies(), ref.tree.num_bodies());
  for (int b = 0; b < m.tree.num_bodies(); ++b) {
    EXPECT_NEAR(m.tree.body(b).mass, 2.0 * ref.tree.body(b).mass, 1e-12 * m.tree.body(b).mass)
        << m.tree.body(b).name;
    EXPECT_NEAR(m.tree.body(b).inertia_cm, 2.0 * ref.tree.body(b).inertia_cm,
                1e-12 * m.tree.body(b).inertia_cm + 1e-15)
        << m.tree.body(b).name;
    // Geometry depends on stature only.
    EXPECT_EQ(m.tree.body(b).p_Bcm, ref.tree.body(b).p_Bcm) << m.tree.body(b).name;
  }
  for (int i = 0; i < m.num_units(); ++i) {
    EXPECT_GT(m.units[i].params.F_M_max, ref.units[i].params.F_M_max) << m.units[i].name;
    EXPECT_LE(m.units[i].params.F_M_max, 2.0 * ref.units[i].params.F_M_max) << m.units[i].name;
    EXPECT_EQ(m.units[i].params.l_M_opt, ref.units[i].params.l_M_opt) << m.units[i].name;
  }
}

TEST(CompileModel, TallerSubjectHasLongerSegmentsAndMuscles) {
  const Model& ref = default_model();
  Subject s;
  s.height_m = 1.90;
  const Model m = compile_model(s);
  EXPECT_GT(m.p_PH.norm(), ref.p_PH.norm());
  EXPECT_LT(m.sole_y, ref.sole_y);
  for (int i = 0; i < m.num_units(); ++i)
    EXPECT_GT(m.units[i].params.l_M_opt, ref.units[i].params.l_M_opt) << m.units[i].name;
}

// The lumbar vertebrae and thorax scale with de Leva's trunk (suprasternale to the hip centres,
// 531.9 mm of 1.741 m in men, 529.3 mm of 1.735 m in women), the pelvis and thigh with the thigh
// (422.2 and 368.5 mm): a woman and a man of one stature differ by the trunk's proportion in the
// spine and by the thigh's in the pelvis.
TEST(CompileModel, TrunkScalesWithDeLevasTrunkAndPelvisWithTheThigh) {
  Subject man, woman;
  man.height_m = woman.height_m = 1.70;
  woman.sex = Sex::female;
  const Model m = compile_model(man), w = compile_model(woman);
  // L5-S1 to the thorax's joint on L1, all lordosis at 0 (q = 0).
  const auto spine_length = [](const Model& model) {
    skeleton::Kinematics kin;
    kin.resize(model.tree.num_bodies());
    skeleton::calc_kinematics(model.tree, Eigen::VectorXd::Zero(model.num_coordinates()), kin);
    return (kin.p_WJ[model.body.thorax] - kin.p_WJ[model.body.lumbar[4]]).norm();
  };
  const double trunk_ratio = (529.3 / 1.735) / (531.9 / 1.741);
  const double thigh_ratio = (368.5 / 1.735) / (422.2 / 1.741);
  EXPECT_NEAR(spine_length(w) / spine_length(m), trunk_ratio, 1e-12);
  EXPECT_NEAR(w.p_PH.norm() / m.p_PH.norm(), thigh_ratio, 1e-12);
  EXPECT_NEAR(w.levels[4].disc_depth_m / m.levels[4].disc_depth_m, trunk_ratio, 1e-12);
}

// Musculotendon lengths follow each subject's paths: in the reference pose every unit has the
// same fibre-tendon state (l_MT relative to l_M_opt and l_T_slack) whatever the sex and stature.
TEST(CompileModel, UnitsStartFromTheSameStateWhateverTheProportions) {
  auto state = [](const Model& m) {
    Eigen::VectorXd q = Eigen::VectorXd::Zero(m.num_coordinates());
    for (const auto& lv : m.levels) q[lv.coordinate] = lv.neutral_rad;
    Data d(m);
    calc_musculotendon_geometry(m, q, d);
    Eigen::VectorXd r(m.num_units());
    for (int i = 0; i < m.num_units(); ++i) {
      const auto& p = m.units[i].params;
      r[i] = d.l_MT[i] / (p.l_M_opt * std::cos(p.alpha_opt) + p.l_T_slack);
    }
    return r;
  };
  Subject female;
  female.sex = Sex::female;
  female.height_m = 1.58;
  female.mass_kg = 55.0;
  Subject tall;
  tall.height_m = 1.98;
  tall.mass_kg = 100.0;
  const Eigen::VectorXd typical = state(default_model());
  for (const Subject& s : {female, tall}) {
    const Eigen::VectorXd other = state(compile_model(s));
    for (int i = 0; i < typical.size(); ++i)
      EXPECT_NEAR(other[i], typical[i], 1e-9) << default_model().units[i].name;
  }
}

TEST(CompileModel, MeasuredPelvicIncidenceIsTheSubjects) {
  std::mt19937 rng(52);
  std::uniform_real_distribution<double> u(-0.4, 0.4);
  for (double pi_deg : {35.0, 52.0, 70.0}) {
    for (Sex sex : {Sex::male, Sex::female}) {
      Subject s;
      s.sex = sex;
      s.pelvic_incidence_deg = pi_deg;
      const Model m = compile_model(s);
      Data data(m);
      for (int trial = 0; trial < 3; ++trial) {
        Eigen::VectorXd q(m.num_coordinates());
        for (int k = 0; k < q.size(); ++k) q[k] = trial == 0 ? 0.0 : u(rng);
        calc_musculotendon_geometry(m, q, data);
        const tasks::Posture p = tasks::measure_posture(m, q, data);
        SCOPED_TRACE(pi_deg);
        EXPECT_NEAR(p.pelvic_incidence_deg, pi_deg, 1e-6);
        EXPECT_NEAR(p.pelvic_tilt_deg + p.sacral_slope_deg, pi_deg, 1e-6);
      }
    }
  }
}

TEST(CompileModel, RejectsNonPositiveHeightOrMass) {
  Subject s;
  s.mass_kg = 0.0;
  EXPECT_ANY_THROW(compile_model(s));
  s = Subject{};
  s.height_m = -1.0;
  EXPECT_ANY_THROW(compile_model(s));
}

}  // namespace
}  // namespace pulley::model

// Each lumbar level's tangent stiffness is the slope of its passive moment, on both sides of
// neutral (a central difference; chosen: 1e-6 rad, where the difference's error is below 1e-6
// relative), and positive.
TEST(LumbarPassiveLaw, StiffnessIsTheMomentsSlope) {
  const pulley::model::Model m = pulley::model::compile_model(pulley::model::Subject{});
  const double h = 1e-6;
  for (const auto& level : m.levels)
    for (const double deg : {-12.0, -4.0, -0.5, 0.5, 3.0, 8.0}) {
      const double q = level.neutral_rad + pulley::deg_to_rad(deg);
      const double slope = -(pulley::model::lumbar_passive_moment(level, q + h) -
                             pulley::model::lumbar_passive_moment(level, q - h)) /
                           (2.0 * h);
      const double k = pulley::model::lumbar_passive_stiffness(level, q);
      EXPECT_GT(k, 0.0);
      EXPECT_NEAR(k, slope, 1e-6 * k) << level.name << " " << deg;
    }
}
