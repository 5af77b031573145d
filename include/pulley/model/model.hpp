// The compiled model: built once from a Subject and the default model data by compile_model(),
// then never modified (the Pinocchio/MuJoCo pattern). Per-thread scratch lives in model::Data.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "pulley/geometry/path.hpp"
#include "pulley/model/subject.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/skeleton/planar_tree.hpp"

namespace pulley::model {

using skeleton::Vec2;

/// One musculotendon unit (a fascicle or a lumped muscle) with its own path.
struct MusculotendonUnit {
  std::string name;                         ///< e.g. "psoas_l3_r"
  int muscle = -1;                          ///< index into Model::muscles
  Side side = Side::right;
  muscle::MusculotendonParameters params;   ///< scaled to the subject, factors applied
  /// The same at factors 1 (the subject's size, a typical muscle): `params` is
  /// apply_factors(typical_params, the muscle's factors), so calibration and training can change
  /// factors without compiling the model again (set_muscle_factors).
  muscle::MusculotendonParameters typical_params;
  geometry::PathSpec path;
  /// The path's moment-arm map on the model's tree (geometry::make_moment_arm_map, made once when
  /// the model is compiled): its `coordinates`, ascending, are the joints the unit crosses.
  geometry::MomentArmMap moment_arm_map;
  double volume_m3 = 0.0;                   ///< F_ref l_M_opt / specific tension (m^3)
  double effort_weight = 0.0;               ///< weight in the effort sum (dimensionless)
  /// Largest activation the subject can drive: the capacity factor of the subject file (1 when
  /// unimpaired) (dimensionless).
  double capacity = 1.0;

  /// Upper activation bound at resting tone `tone` (the support's: standing or lying): capacity
  /// limits voluntary drive only, so a muscle at capacity 0 keeps its tone and no more.
  double activation_ceiling(double tone) const { return std::max(capacity, tone); }
};

/// A user-facing muscle ("semimembranosus_r"): one or more units.
struct Muscle {
  std::string name;       ///< with side suffix
  std::string base_name;  ///< without suffix
  std::string group;      ///< user-facing group or ""
  Side side = Side::right;
  std::vector<int> units;
  ResolvedFactors factors;
  std::string source;     ///< provenance of its parameters
};

/// A lumbar motion segment (disc, ligaments, facets) with its passive moment-angle law.
struct LumbarLevel {
  std::string name;             ///< "L5_S1"
  int coordinate = -1;          ///< its coordinate; q = segmental lordosis (rad)
  int lower_body = -1;          ///< pelvis for L5_S1
  int upper_body = -1;
  double neutral_rad = 0.0;     ///< zero-moment lordosis (rad)
  double k_nm_per_rad = 0.0;    ///< neutral-zone stiffness, preload factor included (N m/rad)
  double c_flexion_rad = 0.0;   ///< stiffening angle in flexion (rad)
  double c_extension_rad = 0.0; ///< stiffening angle in extension (rad)
  double disc_depth_m = 0.0;    ///< antero-posterior depth (m)
  double disc_area_m2 = 0.0;    ///< (m^2)
  double pressure_factor = 1.5; ///< intradiscal pressure = factor * compression / area
  /// Passive flexion moment M > 0: the ligaments' tension is M times this (1/m) and adds to the
  /// disc's compression; the disc keeps (1 - ligament_moment_share) M. See spine.yaml.
  double ligament_tension_per_nm = 0.0;
  double ligament_moment_share = 0.0;
};

/// Exponential limit moment of a leg joint (Anderson & Pandy 1999), in OpenSim's sign convention.
struct JointLimit {
  int coordinate = -1;
  double opensim_sign = 1.0;  ///< q_opensim = opensim_sign * q
  double k1, k2, k3, k4, theta1, theta2;
};

/// Ligaments that resist a joint's motion beyond an engagement angle (the hip capsule's in
/// extension): M = stiffness (e^(rate x) - 1 - rate x) for x = engage - q > 0, else 0,
/// acting to bring q back toward `engage`; moment and stiffness are zero at `engage`.
struct JointLigament {
  int coordinate = -1;
  double engage_rad = 0.0;      ///< angle where the ligaments begin to carry load (rad)
  double stiffness_nm = 0.0;    ///< (N m)
  double rate_per_rad = 1.0;    ///< (1/rad)
};

/// Everything that makes up one subject's model.
struct Model {
  Subject subject;
  skeleton::PlanarTree tree;
  std::vector<Muscle> muscles;
  std::vector<MusculotendonUnit> units;
  std::vector<LumbarLevel> levels;  ///< ordered L1_L2 ... L5_S1
  std::vector<JointLimit> limits;
  std::vector<JointLigament> ligaments;  ///< hip ligaments in extension, both sides

  // Named indices.
  struct Bodies {
    int pelvis, thorax;
    std::array<int, 5> lumbar;  ///< lumbar1 ... lumbar5
    std::array<int, 2> femur, tibia, foot;  ///< [right, left]
  } body;
  struct Coordinates {
    std::array<int, 5> lumbar;  ///< L1_L2 ... L5_S1
    std::array<int, 2> hip, knee, ankle;
  } coord;

  Vec2 p_PS1 = Vec2::Zero();  ///< midpoint of the S1 endplate in the pelvis frame (m)
  double s1_normal_angle = 0.0;  ///< angle of the S1 endplate normal in the pelvis frame (rad)
  Vec2 p_PH = Vec2::Zero();   ///< hip joint centre in the pelvis frame (m)
  double sole_y = 0.0;        ///< sole height in the foot frame (m, negative)
  double heel_x = 0.0, toe_x = 0.0;  ///< ends of the sole in the foot frame (m)

  double tone = 0.02;                   ///< resting activation (dimensionless)
  double lying_tone = 0.004;            ///< resting activation when a bed carries the body
  double com_anterior_to_ankle = 0.05;  ///< centre of mass ahead of the ankle in standing (m)
  double passive_energy_reference = 1.0;  ///< (J) see standing.yaml
  /// Reference moment of the passive-load term (N m; 0 = no such term), see standing.yaml.
  double passive_load_reference = 0.0;

  int num_coordinates() const { return tree.num_coordinates(); }
  int num_units() const { return static_cast<int>(units.size()); }
  int find_muscle(const std::string& name) const;
};

/// A unit's parameters with a muscle's factors applied to its typical ones: F_M_max times
/// strength; l_M_opt times length and fascicle_length; l_T_slack times length, and taking up the
/// fascicle's change at optimal pennation (l_M_opt cos(alpha_opt) + l_T_slack keeps its value);
/// the passive strains over fascicle_length, so that the added sarcomeres leave the passive force
/// at a musculotendon length about as it was; passive_scale = stiffness. Capacity is not a
/// parameter of the unit (MusculotendonUnit::capacity).
muscle::MusculotendonParameters apply_factors(const muscle::MusculotendonParameters& typical,
                                              const ResolvedFactors& factors);

/// Gives muscle `muscle` (index into Model::muscles) the factors `factors`, in place, as
/// compile_model would for a subject file that set them: its units' parameters, volumes and
/// capacity. model.subject is left as it was: the caller that keeps the model's subject in step
/// (calibration writes the fitted subject at its end) records the change there.
void set_muscle_factors(Model& model, int muscle, const ResolvedFactors& factors);

/// set_muscle_factors for every muscle whose factors, as `subject` resolves them, differ from the
/// model's: the model of `subject` when it differs from the model's own only in its muscles'
/// factors (as calibration and training change them). model.subject is left as it was.
void set_subject_factors(Model& model, const Subject& subject);

/// True if the model's left side is the mirror image of its right: every muscle's factors and
/// every unit's parameters, capacity, volume, effort weight and path, the legs' bodies, and the
/// joint limits and ligaments equal their twins' on the other side (bodies and coordinates taken
/// to the other leg). A test of one leg then gives the other leg's result. compile_model builds
/// both sides from the same data, so a subject's per-side entries, or a caller changing one
/// side's units, are what set them apart.
bool sides_alike(const Model& model);

/// Builds the model of `subject` from the default model data. Throws InputError when the subject's
/// values cannot make a valid model (they are validated by the subject parser first).
Model compile_model(const Subject& subject);

/// The provenance of the default model data, for `pulley model`: one entry per data file.
std::string describe_model_sources();

}  // namespace pulley::model
