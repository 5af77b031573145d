// compile_model: subject + default model data (models/default/*.yaml, embedded) -> Model.
#include <yaml-cpp/yaml.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/embedded_model.hpp"
#include "pulley/model/model.hpp"
#include "pulley/model/muscle_names.hpp"

namespace pulley::model {

using skeleton::BodySpec;
using skeleton::JointType;
using skeleton::rotate;

namespace {

// --- reading the embedded data (its errors are bugs in models/, not user errors) --------------

const YAML::Node& data_file(const std::string& name) {
  static const std::map<std::string, YAML::Node> files = [] {
    std::map<std::string, YAML::Node> m;
    for (const EmbeddedFile& f : embedded_model_files())
      m.emplace(std::string(f.name), YAML::Load(std::string(f.content)));
    return m;
  }();
  auto it = files.find(name);
  PULLEY_DEMAND(it != files.end(), "missing embedded model file");
  return it->second;
}

double num(const YAML::Node& n, const char* what) {
  if (!n || !n.IsScalar())
    throw std::logic_error(std::string("model data: missing number '") + what + "'");
  return n.as<double>();
}

Vec2 vec(const YAML::Node& n, const char* what) {
  if (!n || !n.IsSequence() || n.size() != 2)
    throw std::logic_error(std::string("model data: missing point '") + what + "'");
  return {n[0].as<double>(), n[1].as<double>()};
}

BodySpec make_body(std::string name, int parent, JointType joint) {
  BodySpec b;
  b.name = std::move(name);
  b.parent = parent;
  b.joint = joint;
  return b;
}

const char* sex_key(Sex s) { return s == Sex::male ? "male" : "female"; }

// muscles.yaml, read once into plain values: every compile_model() builds both sides of every
// muscle from it twice (the subject and the generic geometry), and reading the YAML nodes again
// each time cost most of a compilation (docs/validation.md, Performance).
struct WrapSource {
  std::string body;
  Vec2 centre;
  double radius;
  int turn;
};
struct PathPointSource {
  std::string body;
  Vec2 p;
  std::vector<WrapSource> wrap;  // the circles the path wraps over after this point, in order
  std::optional<double> z;         // 3-D mediolateral position: the knee's coupled motion moves it
};
struct FascicleSource {
  std::string name;
  std::vector<PathPointSource> path;
  // Generic values: F_ref = F_M_max_N of the generic model, lengths of the generic geometry.
  muscle::MusculotendonParameters params;
};
struct MuscleSource {
  std::string name, group, source;
  std::vector<FascicleSource> fascicles;
};

FascicleSource read_fascicle(const YAML::Node& fn) {
  FascicleSource f;
  f.name = fn["name"].as<std::string>();
  for (const YAML::Node& pn : fn["path"]) {
    PathPointSource pt{pn["body"].as<std::string>(),
                       Vec2(pn["x"].as<double>(), pn["y"].as<double>()), {}, std::nullopt};
    if (const YAML::Node zn = pn["z"]) pt.z = zn.as<double>();
    // `wrap`: one circle, or a list of up to two in the order the path meets them.
    const auto read_wrap = [&](const YAML::Node& wn) {
      pt.wrap.push_back({wn["body"].as<std::string>(),
                         Vec2(wn["x"].as<double>(), wn["y"].as<double>()),
                         wn["radius"].as<double>(), wn["turn"].as<int>()});
    };
    if (const YAML::Node wn = pn["wrap"]) {
      if (wn.IsSequence()) {
        for (const YAML::Node& w : wn) read_wrap(w);
      } else {
        read_wrap(wn);
      }
    }
    PULLEY_DEMAND(pt.wrap.size() <= std::tuple_size_v<geometry::SegmentWraps>,
                  "muscles.yaml: a path segment wraps at most two circles");
    f.path.push_back(std::move(pt));
  }
  muscle::MusculotendonParameters& par = f.params;
  par.F_ref = fn["F_M_max_N"].as<double>();  // F_M_max is set from it for the subject
  par.alpha_opt = deg_to_rad(fn["alpha_opt_deg"].as<double>());
  par.l_M_opt = fn["l_M_opt_m"].as<double>();
  par.l_T_slack = fn["l_T_slack_m"].as<double>();
  par.v_M_max = 10.0;  // optimal fibre lengths per second (OpenSim default; Rajagopal 2016)
  par.passive_scale = 1.0;
  // Optional per-fascicle passive curve (muscles.yaml says where the values come from).
  if (fn["passive_strain_at_zero_force"])
    par.passive_strain_at_zero_force = fn["passive_strain_at_zero_force"].as<double>();
  if (fn["passive_strain_at_one_norm_force"])
    par.passive_strain_at_one_norm_force = fn["passive_strain_at_one_norm_force"].as<double>();
  // Optional per-fascicle ends of the active force-length curve (l_M / l_M_opt).
  if (const YAML::Node range = fn["active_fibre_length_range"]) {
    par.active_length_min = range[0].as<double>();
    par.active_length_max = range[1].as<double>();
  }
  return f;
}

const std::vector<MuscleSource>& muscle_sources() {
  static const std::vector<MuscleSource> sources = [] {
    std::vector<MuscleSource> out;
    for (const YAML::Node& mn : data_file("muscles.yaml")["muscles"]) {
      MuscleSource m{mn["name"].as<std::string>(), mn["group"].as<std::string>(),
                     mn["source"].as<std::string>(), {}};
      for (const YAML::Node& fn : mn["fascicles"]) m.fascicles.push_back(read_fascicle(fn));
      out.push_back(std::move(m));
    }
    return out;
  }();
  return sources;
}

// --- the model --------------------------------------------------------------------------------

struct Scales {
  double pelvis, thigh, shank, foot, trunk;  // trunk: the lumbar vertebrae and the thorax
};

// Lumbar vertebrae, bottom up, and the level names of the joint below each.
constexpr std::array<const char*, 5> kLumbarBodies = {"lumbar5", "lumbar4", "lumbar3", "lumbar2",
                                                       "lumbar1"};
constexpr std::array<const char*, 5> kLevelBelow = {"L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2"};

}  // namespace

muscle::MusculotendonParameters apply_factors(const muscle::MusculotendonParameters& typical,
                                              const ResolvedFactors& factors) {
  muscle::MusculotendonParameters par = typical;
  par.F_M_max = typical.F_M_max * factors.strength;
  par.l_M_opt = typical.l_M_opt * factors.length * factors.fascicle_length;
  par.l_T_slack = (typical.l_T_slack + typical.l_M_opt * std::cos(typical.alpha_opt) *
                                           (1.0 - factors.fascicle_length)) *
                  factors.length;
  par.passive_scale = typical.passive_scale * factors.stiffness;
  // Sarcomeres added in series leave the passive tension at a musculotendon length as it was:
  // with the strains over l_M_opt divided by fascicle_length, the passive curve starts, and
  // reaches F_ref, at the musculotendon lengths where it did (exact for a rigid tendon at zero
  // pennation). Source: 8 weeks of eccentric training lengthened the fascicles 34 % and the
  // passive knee extension's range only 5 % (Potier, Alexander & Seynnes 2009, Eur J Appl Physiol
  // 105:939, abstract); Ribeiro-Alvares et al. 2018, read alongside, is the validation's check
  // and not independent of this choice (docs/validation.md, "Training over weeks").
  par.passive_strain_at_zero_force = typical.passive_strain_at_zero_force / factors.fascicle_length;
  par.passive_strain_at_one_norm_force =
      typical.passive_strain_at_one_norm_force / factors.fascicle_length;
  return par;
}

void set_muscle_factors(Model& model, int muscle, const ResolvedFactors& factors) {
  constexpr double kSpecificTension = 60.0e4;  // N/m^2 (60 N/cm^2, Rajagopal et al. 2016)
  Muscle& mus = model.muscles.at(static_cast<std::size_t>(muscle));
  mus.factors = factors;
  for (const int i : mus.units) {
    MusculotendonUnit& u = model.units[static_cast<std::size_t>(i)];
    u.params = apply_factors(u.typical_params, factors);
    // F_ref l_M_opt / sigma at the muscle's fascicle length; `length` scales fibre and tendon
    // alike and leaves the volume (the fibres' cross-section times length) as it was.
    u.volume_m3 = u.typical_params.F_ref * u.typical_params.l_M_opt * factors.fascicle_length /
                  kSpecificTension;
    u.capacity = factors.capacity;  // the solvers' bound: activation_ceiling(tone)
  }
}

void set_subject_factors(Model& model, const Subject& subject) {
  for (int m = 0; m < static_cast<int>(model.muscles.size()); ++m) {
    const Muscle& mus = model.muscles[static_cast<std::size_t>(m)];
    const ResolvedFactors factors = resolve_factors(subject, mus.base_name, mus.group, mus.side);
    if (!(factors == mus.factors)) set_muscle_factors(model, m, factors);
  }
}

int Model::find_muscle(const std::string& name) const {
  for (size_t i = 0; i < muscles.size(); ++i)
    if (muscles[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

// Builds the model; with `forced_scales`, the bodies take those scales instead of the subject's
// (Scales{1, 1, 1, 1, 1} gives the generic geometry of the source models).
Model build_model(const Subject& subject, const Scales* forced_scales) {
  const YAML::Node& body = data_file("body.yaml");
  const YAML::Node& spine = data_file("spine.yaml");
  const YAML::Node& standing = data_file("standing.yaml");
  const char* sx = sex_key(subject.sex);
  const double H = subject.height_m, M = subject.mass_kg;
  if (!(H > 0.0) || !(M > 0.0)) throw InputError("subject: height and mass must be positive");

  // Segment lengths (m) from de Leva, scaled by stature.
  const YAML::Node seg = body["anthropometry"]["segments"];
  const double stature_ref = num(body["anthropometry"]["reference_stature_m"][sx], "stature");
  auto seg_length = [&](const char* s) {
    return num(seg[s]["length_mm"][sx], s) * 1e-3 * H / stature_ref;
  };
  auto seg_mass = [&](const char* s) { return num(seg[s]["mass_pct"][sx], s) * 0.01 * M; };
  const double L_thigh = seg_length("thigh"), L_shank = seg_length("shank"),
               L_foot = seg_length("foot");
  // The trunk's length over the thigh's, for the subject's sex over men's (body.yaml, scaling).
  auto trunk_to_thigh = [&](const char* sex) {
    return num(seg["trunk"]["length_mm"][sex], "trunk") /
           num(seg["thigh"]["length_mm"][sex], "thigh");
  };
  const double trunk_proportion = trunk_to_thigh(sx) / trunk_to_thigh(sex_key(Sex::male));

  const YAML::Node geo = body["geometry"];
  const YAML::Node sc = body["scaling"];
  Scales s;
  s.thigh = L_thigh / num(sc["rajagopal_thigh_length_m"], "thigh");
  s.shank = L_shank / num(sc["rajagopal_shank_length_m"], "shank");
  s.pelvis = s.thigh;
  s.trunk = s.thigh * trunk_proportion;  // exactly s.thigh for men
  s.foot = L_foot / num(geo["foot"]["length_m"], "foot length");
  if (forced_scales) s = *forced_scales;

  // Masses (kg).
  const YAML::Node slices = body["lumbar_slices"]["mass_pct"];
  std::array<double, 5> m_lumbar{};  // lumbar5 ... lumbar1
  for (int i = 0; i < 5; ++i) m_lumbar[i] = num(slices[kLumbarBodies[i]], "slice") * 0.01 * M;
  const double m_pelvis = seg_mass("lower_trunk") - m_lumbar[0] - m_lumbar[1];
  const double m_arms = 2.0 * (seg_mass("upper_arm") + seg_mass("forearm") + seg_mass("hand"));
  const double m_thorax = seg_mass("head_neck") + m_arms + seg_mass("upper_trunk") +
                          seg_mass("middle_trunk") - m_lumbar[2] - m_lumbar[3] - m_lumbar[4];

  Model model{subject, skeleton::PlanarTree({make_body("pelvis", -1, JointType::floating)}), {},
              {}, {}, {}, {}, {}, {}};
  std::vector<BodySpec> bodies;

  // Pelvis (root). The S1 endplate normal makes the angle PI with the line from the endplate
  // midpoint to the hip axis (pelvic incidence; Legaye et al. 1998).
  const Vec2 p_PH = s.pelvis * vec(geo["pelvis"]["hip_m"], "hip");
  const Vec2 p_PL5S1 = s.pelvis * vec(geo["pelvis"]["l5_s1_disc_m"], "l5s1");
  const double half_disc = s.pelvis * num(geo["pelvis"]["s1_endplate_below_disc_m"], "disc");
  const double PI = deg_to_rad(subject.pelvic_incidence_deg);
  // Solve for the endplate midpoint S = J - half_disc * n, n = R(-PI) unit(S - H): two fixed-point
  // passes are exact to well below a micrometre for a 6 mm offset.
  Vec2 S = p_PL5S1;
  Vec2 n = Vec2::UnitY();
  for (int it = 0; it < 20; ++it) {
    n = rotate(-PI, (S - p_PH).normalized());
    S = p_PL5S1 - half_disc * n;
  }
  model.p_PH = p_PH;
  model.p_PS1 = S;
  model.s1_normal_angle = std::atan2(-n.x(), n.y());  // angle of n from the pelvis y axis (CCW)

  {
    BodySpec pelvis = make_body("pelvis", -1, JointType::floating);
    pelvis.mass = m_pelvis;
    pelvis.p_Bcm = s.pelvis * vec(geo["pelvis"]["com_m"], "pelvis com");
    const double r = 0.551 * 0.1457 * H / stature_ref;  // de Leva lower trunk r_trans 55.1 % (male)
    pelvis.inertia_cm = m_pelvis * r * r;
    bodies.push_back(pelvis);
  }
  // Lumbar vertebrae, bottom up. Frame of each: origin at the disc centre below, y along the
  // vertebral axis; its reference-pose angle (in the pelvis frame) comes from MyoBack.
  const YAML::Node lum = geo["lumbar"];
  double theta_ref_parent = 0.0;  // reference angle of the parent frame
  Vec2 p_parent_joint = p_PL5S1;  // joint location in the parent frame
  for (int i = 0; i < 5; ++i) {
    const YAML::Node v = lum[kLumbarBodies[i]];
    const double theta_ref = deg_to_rad(num(v["reference_angle_deg"], "angle"));
    BodySpec b = make_body(kLumbarBodies[i], i == 0 ? 0 : static_cast<int>(bodies.size()) - 1,
               JointType::revolute);
    b.coordinate = std::string("lumbar_") + kLevelBelow[i];
    b.coordinate_sign = 1.0;
    // q = segmental lordosis: the L5 axis is measured from the S1 endplate normal; the others
    // from the vertebra below.
    b.angle_offset = i == 0 ? model.s1_normal_angle : 0.0;
    b.p_PJ = p_parent_joint;
    b.p_BJ = Vec2::Zero();
    b.mass = m_lumbar[i];
    b.p_Bcm = s.trunk * vec(v["com_m"], "lumbar com");
    b.inertia_cm = b.mass * std::pow(0.05 * s.trunk, 2);  // chosen: slice radius of gyration 5 cm
    bodies.push_back(b);
    // next joint: given in world axes at the reference pose -> this body's frame
    p_parent_joint = s.trunk * rotate(-theta_ref, vec(v["next_disc_m"], "next disc"));
    theta_ref_parent = theta_ref;
  }
  {
    // Thorax (head-arms-trunk), welded to L1 as in MyoBack.
    const YAML::Node t = geo["thorax"];
    BodySpec b = make_body("thorax", static_cast<int>(bodies.size()) - 1, JointType::weld);
    b.angle_offset = deg_to_rad(num(t["angle_in_l1_deg"], "thorax angle"));
    b.p_PJ = s.trunk * rotate(-theta_ref_parent, vec(t["origin_in_l1_m"], "thorax origin"));
    b.mass = m_thorax;
    b.p_Bcm = s.trunk * vec(t["com_m"], "thorax com");
    const double r = 0.347 * 0.5319 * H / stature_ref;  // de Leva trunk r_trans 34.7 % (male)
    b.inertia_cm = m_thorax * r * r;
    bodies.push_back(b);
  }
  // Legs: femur (hip), tibia (knee; flexion positive = clockwise), foot (ankle).
  // The knee's coupled out-of-plane motion (body.yaml geometry.knee_coupling); the coordinate is
  // set per side below.
  geometry::CoupledMotion knee_coupling;
  {
    const YAML::Node kc = geo["knee_coupling"];
    auto vec3 = [&](const char* key) {
      const YAML::Node n = kc[key];
      PULLEY_DEMAND(n && n.IsSequence() && n.size() == 3, "body.yaml: knee_coupling needs 3 values");
      return Eigen::Vector3d(n[0].as<double>(), n[1].as<double>(), n[2].as<double>());
    };
    auto poly = [&](const char* key) { return kc[key].as<std::vector<double>>(); };
    const Eigen::Vector3d o = vec3("offset_orientation_rad");
    knee_coupling.R_PO = (Eigen::AngleAxisd(o.x(), Eigen::Vector3d::UnitX()) *
                          Eigen::AngleAxisd(o.y(), Eigen::Vector3d::UnitY()) *
                          Eigen::AngleAxisd(o.z(), Eigen::Vector3d::UnitZ()))
                             .toRotationMatrix();
    knee_coupling.p_PO = vec3("femur_offset_m");
    knee_coupling.p_CO = vec3("tibia_offset_m");
    knee_coupling.rot_z = poly("rotation_z_rad");
    knee_coupling.rot_y = poly("rotation_y_rad");
    knee_coupling.trans_x = poly("translation_x_m");
    knee_coupling.trans_y = poly("translation_y_m");
    knee_coupling.trans_z = poly("translation_z_m");
    knee_coupling.length_scale = s.shank;  // the tibia's scale (chosen)
  }
  const Vec2 femur_knee = s.thigh * vec(geo["femur"]["knee_m"], "femur knee");
  const Vec2 tibia_knee = s.shank * vec(geo["tibia"]["knee_m"], "tibia knee");
  const Vec2 tibia_ankle = s.shank * vec(geo["tibia"]["ankle_m"], "tibia ankle");
  auto gyr = [&](const char* sname, double L) { return num(seg[sname]["gyration_pct"][sx], sname) * 0.01 * L; };
  auto com_frac = [&](const char* sname) { return num(seg[sname]["com_pct"][sx], sname) * 0.01; };
  model.sole_y = -num(geo["foot"]["ankle_height_fraction_of_stature"], "ankle height") * H;
  model.heel_x = s.foot * num(geo["foot"]["heel_x_m"], "heel");
  model.toe_x = model.heel_x + L_foot;
  for (Side side : kSides) {
    const std::string sfx = std::string("_") + std::string(side_suffix(side));
    BodySpec femur = make_body("femur" + sfx, 0, JointType::revolute);
    femur.coordinate = "hip_flexion" + sfx;
    femur.p_PJ = p_PH;
    femur.mass = seg_mass("thigh");
    femur.p_Bcm = com_frac("thigh") * femur_knee;  // along hip -> knee
    femur.inertia_cm = femur.mass * std::pow(gyr("thigh", L_thigh), 2);
    bodies.push_back(femur);
    BodySpec tibia = make_body("tibia" + sfx, static_cast<int>(bodies.size()) - 1, JointType::revolute);
    tibia.coordinate = "knee_angle" + sfx;
    tibia.coordinate_sign = -1.0;
    tibia.p_PJ = femur_knee;
    tibia.p_BJ = tibia_knee;
    tibia.mass = seg_mass("shank");
    tibia.p_Bcm = tibia_knee + com_frac("shank") * (tibia_ankle - tibia_knee);
    tibia.inertia_cm = tibia.mass * std::pow(gyr("shank", L_shank), 2);
    bodies.push_back(tibia);
    BodySpec foot = make_body("foot" + sfx, static_cast<int>(bodies.size()) - 1, JointType::revolute);
    foot.coordinate = "ankle_angle" + sfx;
    foot.p_PJ = tibia_ankle;
    foot.mass = seg_mass("foot");
    // along the sole from the heel (de Leva heel -> toe tip), at half the ankle height
    foot.p_Bcm = Vec2(model.heel_x + com_frac("foot") * L_foot, 0.5 * model.sole_y);
    foot.inertia_cm = foot.mass * std::pow(gyr("foot", L_foot), 2);
    bodies.push_back(foot);
  }
  // de Leva's female percentages add up to 99.99 %: rescale so the bodies weigh the subject.
  double total = 0.0;
  for (const BodySpec& b : bodies) total += b.mass;
  for (BodySpec& b : bodies) {
    b.mass *= M / total;
    b.inertia_cm *= M / total;
  }
  model.tree = skeleton::PlanarTree(bodies);
  const auto& tree = model.tree;
  model.body.pelvis = tree.find_body("pelvis");
  model.body.thorax = tree.find_body("thorax");
  for (int i = 0; i < 5; ++i) {
    model.body.lumbar[4 - i] = tree.find_body(kLumbarBodies[i]);  // lumbar[0] = lumbar1
    model.coord.lumbar[4 - i] = tree.find_coordinate(std::string("lumbar_") + kLevelBelow[i]);
  }
  for (int k = 0; k < 2; ++k) {
    const std::string sfx = k == 0 ? "_r" : "_l";
    model.body.femur[k] = tree.find_body("femur" + sfx);
    model.body.tibia[k] = tree.find_body("tibia" + sfx);
    model.body.foot[k] = tree.find_body("foot" + sfx);
    model.coord.hip[k] = tree.find_coordinate("hip_flexion" + sfx);
    model.coord.knee[k] = tree.find_coordinate("knee_angle" + sfx);
    model.coord.ankle[k] = tree.find_coordinate("ankle_angle" + sfx);
  }

  // Lumbar levels (L1_L2 ... L5_S1).
  {
    const YAML::Node st = spine["stiffness"];
    const double preload = num(st["in_vivo_preload_factor"], "preload");
    const double k = num(st["k_nm_per_deg"], "k") * 180.0 / kPi * preload;
    const double cf = deg_to_rad(num(st["c_flexion_deg"], "cf"));
    const double ce = deg_to_rad(num(st["c_extension_deg"], "ce"));
    const YAML::Node discs = spine["discs"];
    const double ratio = num(discs["width_over_depth"], "ratio");
    const double pf = num(discs["pressure_factor"], "pressure factor");
    const std::array<const char*, 6> vert = {"L1", "L2", "L3", "L4", "L5", "S1"};
    // Ligaments in flexion: tension = sum_j share_j M / r_j (spine.yaml).
    double ligament_share = 0.0, ligament_tension_per_nm = 0.0;
    for (const auto& entry : spine["ligaments"]["flexion_share"]) {
      const std::string name = entry.first.as<std::string>();
      const double share = num(entry.second, "ligament share");
      const double arm = 1e-3 * num(spine["ligaments"]["lever_arm_mm"][name], "ligament lever arm") *
                         s.trunk;
      ligament_share += share;
      ligament_tension_per_nm += share / arm;
    }
    for (int i = 0; i < 5; ++i) {  // i = 0 -> L1_L2
      LumbarLevel lv;
      lv.name = std::string(vert[i]) + "_" + vert[i + 1];
      lv.coordinate = model.coord.lumbar[i];
      lv.upper_body = model.body.lumbar[i];
      lv.lower_body = i == 4 ? model.body.pelvis : model.body.lumbar[i + 1];
      lv.neutral_rad = deg_to_rad(num(spine["neutral_lordosis"]["deg"][lv.name], "neutral"));
      lv.k_nm_per_rad = k;
      lv.c_flexion_rad = cf;
      lv.c_extension_rad = ce;
      const double depth = 0.5e-3 *
                           (num(discs["endplate_depth_mm"][vert[i]], "depth") +
                            num(discs["endplate_depth_mm"][vert[i + 1]], "depth")) *
                           s.trunk;  // the vertebrae's scale
      lv.disc_depth_m = depth;
      lv.disc_area_m2 = kPi / 4.0 * depth * ratio * depth;  // ellipse, axes depth x width
      lv.pressure_factor = pf;
      lv.ligament_tension_per_nm = ligament_tension_per_nm;
      lv.ligament_moment_share = ligament_share;
      model.levels.push_back(lv);
    }
  }
  // Joint limits of hip, knee, ankle (both sides).
  {
    const YAML::Node jl = body["joint_limits"];
    auto add = [&](const char* key, int coord, double sign) {
      const YAML::Node j = jl[key];
      model.limits.push_back(JointLimit{coord, sign, num(j["k1"], key), num(j["k2"], key),
                                        num(j["k3"], key), num(j["k4"], key),
                                        num(j["theta1_rad"], key), num(j["theta2_rad"], key)});
    };
    for (int k = 0; k < 2; ++k) {
      add("hip_flexion", model.coord.hip[k], 1.0);
      add("knee_angle", model.coord.knee[k], -1.0);
      add("ankle_angle", model.coord.ankle[k], 1.0);
    }
  }
  // Hip ligaments in extension (both sides): models/default/body.yaml, hip_extension_ligaments.
  {
    const YAML::Node hl = body["hip_extension_ligaments"];
    const double engage = deg_to_rad(num(hl["engage_deg"], "hip_extension_ligaments.engage_deg"));
    const double stiffness = num(hl["stiffness_nm"], "hip_extension_ligaments.stiffness_nm");
    const double rate = num(hl["rate_per_rad"], "hip_extension_ligaments.rate_per_rad");
    if (!(stiffness >= 0.0 && rate > 0.0))
      throw std::logic_error(fmt::format(
          "model data: body.yaml hip_extension_ligaments needs stiffness_nm >= 0 and "
          "rate_per_rad > 0, not {:g} and {:g}",
          stiffness, rate));
    for (int k = 0; k < 2; ++k)
      model.ligaments.push_back(JointLigament{model.coord.hip[k], engage, stiffness, rate});
  }
  model.tone = num(standing["tone"]["activation"], "tone");
  model.lying_tone = num(standing["tone"]["lying_activation"], "lying tone");
  PULLEY_DEMAND(model.lying_tone >= 0.0 && model.lying_tone <= model.tone,
                "standing.yaml: tone.lying_activation must lie in [0, tone.activation]");
  model.com_anterior_to_ankle = num(standing["balance"]["com_anterior_to_ankle_m"], "com");
  model.passive_energy_reference = num(standing["effort"]["passive_energy_reference_j"], "eref");
  model.passive_load_reference = num(standing["effort"]["passive_load_reference_nm"], "mref");

  // Muscles. Geometry scales with the body it is attached to; F_M_max with muscle volume / l_M_opt.
  const double volume_scale =
      (num(sc["volume_per_height_mass_cm3"], "v") * H * M + num(sc["volume_offset_cm3"], "v0")) /
      (num(sc["volume_per_height_mass_cm3"], "v") * num(sc["generic_height_m"], "h") *
           num(sc["generic_mass_kg"], "m") +
       num(sc["volume_offset_cm3"], "v0"));
  auto body_scale = [&](const std::string& b) {
    if (b == "femur") return s.thigh;
    if (b == "tibia") return s.shank;
    if (b == "foot") return s.foot;
    if (b == "pelvis") return s.pelvis;
    return s.trunk;  // lumbar vertebrae and thorax
  };
  for (Side side : kSides) {
    const std::string sfx = std::string("_") + std::string(side_suffix(side));
    auto body_index = [&](const std::string& b) {
      const bool leg = b == "femur" || b == "tibia" || b == "foot";
      const int idx = tree.find_body(leg ? b + sfx : b);
      PULLEY_DEMAND(idx >= 0, "muscle attached to an unknown body");
      return idx;
    };
    for (const MuscleSource& ms : muscle_sources()) {
      Muscle mus;
      mus.base_name = ms.name;
      mus.name = mus.base_name + sfx;
      mus.group = ms.group;
      mus.side = side;
      mus.source = ms.source;
      mus.factors = resolve_factors(subject, mus.base_name, mus.group, side);
      const int muscle_index = static_cast<int>(model.muscles.size());
      for (const FascicleSource& fs : ms.fascicles) {
        MusculotendonUnit u;
        u.name = fs.name + sfx;
        u.muscle = muscle_index;
        u.side = side;
        geometry::PathSpec scaled;
        // Tibia points with a 3-D depth move with the knee's coupled motion (motion 0), and so
        // does a circle on the tibia, at the depth of the tibia point it wraps to (chosen: the
        // Rajagopal cylinders' axes are near mediolateral, and the path meets them there).
        auto coupled = [&](const std::string& body, const std::optional<double>& z) {
          if (!z) return std::pair<int, double>{-1, 0.0};
          PULLEY_DEMAND(body == "tibia", "muscles.yaml: z is given for tibia points only");
          if (scaled.motions.empty()) {
            // CoupledMotion turns the tibia's planar frame by -q from the femur's, as the knee
            // joint above does (coordinate_sign -1, no angle offset).
            const skeleton::BodySpec& tibia = tree.body(body_index("tibia"));
            PULLEY_DEMAND(tibia.coordinate_sign == -1.0 && tibia.angle_offset == 0.0,
                          "knee coupling: the knee hinge must turn the tibia by -q");
            scaled.motions.push_back(knee_coupling);
            scaled.motions.back().coordinate = model.coord.knee[static_cast<int>(side)];
          }
          return std::pair<int, double>{0, s.shank * *z};
        };
        for (size_t j = 0; j < fs.path.size(); ++j) {
          const PathPointSource& pt = fs.path[j];
          const auto [motion, z_B] = coupled(pt.body, pt.z);
          scaled.points.push_back({body_index(pt.body), body_scale(pt.body) * pt.p, motion, z_B});
          geometry::SegmentWraps w = geometry::kNoWraps;
          for (size_t i = 0; i < pt.wrap.size(); ++i) {
            const WrapSource& wr = pt.wrap[i];
            w[i] = static_cast<int>(scaled.circles.size());
            const PathPointSource& next = fs.path.at(j + 1);
            const auto [c_motion, c_z] =
                wr.body == "tibia" ? coupled(wr.body, next.z) : std::pair<int, double>{-1, 0.0};
            scaled.circles.push_back({body_index(wr.body), body_scale(wr.body) * wr.centre,
                                      body_scale(wr.body) * wr.radius, wr.turn, c_motion, c_z});
          }
          scaled.wrap.push_back(w);
        }
        scaled.wrap.pop_back();
        // Generic lengths here; compile_model() rescales them to the subject's path lengths.
        muscle::MusculotendonParameters par = fs.params;
        par.F_ref *= volume_scale;
        par.F_M_max = par.F_ref;
        u.typical_params = par;
        u.path = std::move(scaled);
        u.moment_arm_map = geometry::make_moment_arm_map(tree, u.path);
        mus.units.push_back(static_cast<int>(model.units.size()));
        model.units.push_back(std::move(u));
      }
      model.muscles.push_back(std::move(mus));
      set_muscle_factors(model, muscle_index, model.muscles.back().factors);
    }
  }
  // Every muscle counts alike, however many units it is split into (the sum of squared
  // activations is over muscles, Crowninshield & Brand 1981): a unit of a muscle with k units
  // weighs c / (k * number of muscles), so a muscle whose units share activation a adds c a^2 / M,
  // where c is the number of anatomical muscles (or heads) the model muscle lumps (standing.yaml,
  // effort.muscle_counts; 1 unless listed). Volume weighting drove the small lumbar fascicles to
  // full activation in quiet standing.
  std::vector<double> count(model.muscles.size(), 1.0);
  if (const YAML::Node counts = standing["effort"]["muscle_counts"]) {
    if (!counts.IsMap())
      throw std::logic_error("model data: standing.yaml effort.muscle_counts must be a map");
    for (const auto& entry : counts) {
      const std::string name = entry.first.as<std::string>();
      const double c = num(entry.second, "effort.muscle_counts");
      bool found = true;
      for (Side side : kSides) {
        const int i = model.find_muscle(name + "_" + std::string(side_suffix(side)));
        if (i >= 0) count[static_cast<std::size_t>(i)] = c;
        found = found && i >= 0;
      }
      if (!found || !(c >= 1.0) || c != std::floor(c))
        throw std::logic_error(fmt::format(
            "model data: standing.yaml effort.muscle_counts.{} = {:g}: needs a muscle of "
            "muscles.yaml and a whole number of at least 1",
            name, c));
    }
  }
  const double num_muscles = static_cast<double>(model.muscles.size());
  for (MusculotendonUnit& u : model.units)
    u.effort_weight = count[u.muscle] /
                      (static_cast<double>(model.muscles[u.muscle].units.size()) * num_muscles);
  return model;
}

// Musculotendon lengths in the reference pose: pelvis level, legs straight (hip, knee and ankle
// at 0), every lumbar level at its neutral lordosis.
Eigen::VectorXd reference_pose_lengths(const Model& model) {
  Eigen::VectorXd q = Eigen::VectorXd::Zero(model.num_coordinates());
  for (const LumbarLevel& lv : model.levels) q[lv.coordinate] = lv.neutral_rad;
  Data data(model);
  calc_musculotendon_geometry(model, q, data);
  return data.l_MT;
}

}  // namespace

Model compile_model(const Subject& subject) {
  // Musculotendon lengths follow the subject's path lengths, as OpenSim's scale tool does: a
  // unit whose path in the reference pose is r times the generic one gets r times the generic
  // optimal fibre and tendon slack lengths (and, at constant volume, F_ref / r), so every unit
  // starts from the generic fibre-tendon state whatever the subject's proportions (de Leva's
  // female thigh is 12 % shorter relative to stature than the male one, for example).
  Model model = build_model(subject, nullptr);
  const Scales generic_scales{1.0, 1.0, 1.0, 1.0, 1.0};
  const Model generic = build_model(subject, &generic_scales);
  const Eigen::VectorXd l_subject = reference_pose_lengths(model);
  const Eigen::VectorXd l_generic = reference_pose_lengths(generic);
  for (int i = 0; i < model.num_units(); ++i) {
    // build_model gives every unit its generic lengths, whatever the scales.
    const double r = l_subject[i] / l_generic[i];
    auto& par = model.units[i].typical_params;
    par.l_M_opt *= r;
    par.l_T_slack *= r;
    par.F_ref /= r;
    par.F_M_max /= r;  // the volume F_ref l_M_opt / sigma is unchanged
  }
  for (int m = 0; m < static_cast<int>(model.muscles.size()); ++m)
    set_muscle_factors(model, m, model.muscles[m].factors);
  return model;
}

std::string describe_model_sources() {
  std::string out;
  for (const EmbeddedFile& f : embedded_model_files()) {
    out += "=== models/default/" + std::string(f.name) + " ===\n";
    out += std::string(f.content);
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  return out;
}

}  // namespace pulley::model
