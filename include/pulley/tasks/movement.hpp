// Movement tasks: standing, forward bending, lifting, sitting and lying, each a documented
// sequence of quasi-static frames (quasi_static.hpp; docs/tasks.md). For every frame: the posture
// (prescribed where the task says so, least effort elsewhere), the unit forces by static
// optimisation, the net joint moments the muscles supply, and the joint loads (loads/).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/model.hpp"
#include "pulley/tasks/fatigue_result.hpp"
#include "pulley/tasks/gait_result.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {

/// One parameter of a task, as `pulley tasks` lists it.
struct TaskParameter {
  std::string name;           ///< "load_kg"
  std::string unit;           ///< "kg", or "" for words and pure numbers
  std::string description;
  std::string default_text;   ///< the default as shown to users
  double min = 0.0, max = 0.0;        ///< numbers: allowed range (inclusive)
  std::vector<std::string> choices;   ///< words: allowed values (empty for numbers)
  bool integer = false;               ///< numbers: whole numbers only
  /// Numbers whose default depends on a word parameter: that parameter's name, and the default
  /// for each of its words (default_text lists them). Empty for a single default.
  std::string default_follows{};
  std::vector<std::pair<std::string, double>> default_per_word{};
  /// Numbers allowed only at these values (e.g. the recorded speeds); empty: any in range.
  std::vector<double> only_values{};
  /// Whole numbers: odd ones only (a bend and its return share one deepest frame).
  bool odd = false;
};

struct TaskInfo {
  std::string name;     ///< "forward-bend"
  std::string summary;  ///< one line
  std::vector<TaskParameter> parameters;
};

/// Numbers as users read a list of them: "2, 3, 4 or 5".
std::string join_values(const std::vector<double>& values);

/// What a parameter allows, as users read it: "stoop, squat", or "0 to 50 kg" with ", whole
/// numbers" for whole-number parameters.
std::string allowed_values(const TaskParameter& p);

/// Every task, in the order `pulley tasks` lists them.
const std::vector<TaskInfo>& task_catalogue();
/// The task with this name, or nullptr.
const TaskInfo* find_task(std::string_view name);

/// A task and its parameter values after validation. Unset parameters take their defaults.
struct TaskOptions {
  std::string task;
  std::map<std::string, double> numbers;
  std::map<std::string, std::string> words;
  double number(const std::string& name) const { return numbers.at(name); }
  const std::string& word(const std::string& name) const { return words.at(name); }
};

/// Validates `settings` (name, value text; as from --set name=value) for `task`. Throws
/// InputError naming the task, parameter, value and what is allowed.
TaskOptions parse_task_options(std::string_view task,
                               const std::vector<std::pair<std::string, std::string>>& settings);

/// Muscle moments about the joints in one frame (N m; + = extension at the hip, flexion at the
/// knee, plantarflexion at the ankle, extension at lumbar levels), per side [right, left].
struct JointMoments {
  std::array<double, 2> hip{}, knee{}, ankle{};
  std::array<double, 5> lumbar{};  ///< L1_L2 ... L5_S1, both sides together
};
/// The joint moments of generalised forces Q (num_coordinates), e.g. the muscles' R F, signed as
/// JointMoments says.
JointMoments joint_moments(const model::Model& model, const Eigen::VectorXd& Q);

/// One frame of a task.
struct FrameResult {
  double time_s = 0.0;
  std::string phase;               ///< "bend", "return", "lift", "hold"
  bool converged = true;           ///< the posture search met its tolerances
  bool feasible = true;            ///< the muscles supplied every moment (no reserve needed)
  int evaluations = 0;             ///< objective evaluations of the posture search
  Eigen::VectorXd q;               ///< full configuration
  Posture posture;
  double thorax_rotation_deg = 0.0;  ///< thorax rotation from standing, forward > 0
  double pelvis_rotation_deg = 0.0;  ///< pelvis rotation in space from standing, forward > 0
  double lumbar_flexion_deg = 0.0;   ///< decrease of L1-S1 lordosis from standing
  double load_distance_m = 0.0;      ///< hand load ahead of the L5-S1 joint centre (m)
  Eigen::VectorXd force_n, activation;  ///< per unit
  JointMoments muscle_moments;
  /// Per posture coordinate (ankle, knee, hip, L5_S1 ... L1_L2): the moment the muscles left
  /// unmet (N m), supplied by the reserve when it is on. Zero when feasible.
  std::array<double, 8> reserve_nm{};
  loads::JointLoads loads;
  double effort = 0.0;
};

/// Muscle-by-muscle change between a task with lowered capacities and the same task without.
struct MuscleChange {
  std::string muscle;            ///< "gluteus_maximus_r"
  std::string group;
  double baseline_mean_n = 0.0, mean_n = 0.0;  ///< mean tendon force over the frames (N)
  double baseline_peak_n = 0.0, peak_n = 0.0;  ///< peak tendon force (N)
  double capacity = 1.0;                       ///< the muscle's capacity factor in this subject
};

/// One lumbar level in the same two runs of a task: where the back muscles do less, the
/// posterior ligaments may carry more.
struct LevelChange {
  std::string level;  ///< "L4_L5"
  /// Posterior ligaments' tension, mean over the frames (N), at full capacity and as given.
  double baseline_mean_ligament_tension_n = 0.0, mean_ligament_tension_n = 0.0;
  /// Disc compression, peak over the frames (N), at full capacity and as given.
  double baseline_peak_compression_n = 0.0, peak_compression_n = 0.0;
};

/// What changes when muscles lose capacity: every muscle, sorted by the rise in mean force
/// (largest first), and every lumbar level, L1_L2 ... L5_S1.
struct Compensation {
  std::vector<MuscleChange> muscles;
  std::vector<LevelChange> lumbar;
};

struct TaskResult {
  TaskOptions options;
  std::vector<FrameResult> frames;
  StandingResult standing;     ///< the subject's quiet standing (reference for rotations)
  bool reserve_on = false;
  int infeasible_frames = 0;
  int unconverged_frames = 0;
  std::string message;         ///< first infeasible frame, in words; empty when all are fine
  std::optional<GaitDetails> gait;  ///< walk, run, sprint: the stride, fit and hamstrings
  std::optional<FatigueDetails> fatigue;  ///< trunk-endurance, repeated-sprints, long-stand
  /// sit-to-stand, squat: the repetitions and their knee peaks (gait then holds the window)
  std::optional<RepetitionDetails> repetitions;
};

/// Runs a task on a model. Never throws for numerical trouble: frames say what happened.
TaskResult run_task(const model::Model& model, const TaskOptions& options);

/// What a caller may already have that run_task would otherwise compute again (an assessment has
/// both subjects' quiet standing from their tests). Each must be what run_task would compute:
/// solve_standing with its default settings on the model named; what is absent is computed.
struct TaskInputs {
  /// The task's model's quiet standing, the reference of every task.
  const StandingResult* standing = nullptr;
  /// The typical subject (the same subject file without its `muscles:` entries), compiled, and
  /// its quiet standing: the reference of the gait tasks' relative strain index.
  const model::Model* typical = nullptr;
  const StandingResult* typical_standing = nullptr;
  /// The typical subject's strain index per hamstring head in the task's stride: used when it
  /// holds one value per head, else filled. For callers that run the same stride with the same
  /// options on many subjects against one typical subject (a training programme's weeks).
  std::vector<double>* typical_strain_index = nullptr;
};

/// run_task with `inputs` in place of computing them.
TaskResult run_task(const model::Model& model, const TaskOptions& options,
                    const TaskInputs& inputs);

/// Compares `result` (a model with lowered capacities) with `baseline` (the same subject and task
/// at full capacity), frame by frame.
Compensation compare_with_full_capacity(const model::Model& model, const TaskResult& result,
                                        const TaskResult& baseline);

/// The five lumbar level names, L1_L2 ... L5_S1.
const std::array<std::string, 5>& lumbar_level_names();

/// Summary figures of a task (docs/file-formats.md lists each).
struct LevelPeaks {
  double compression_n = 0.0, shear_n = 0.0, disc_pressure_mpa = 0.0;
  int frames_over_compression_limit = 0, frames_over_shear_limit = 0;
};
struct BendRhythm {
  double peak_thorax_inclination_deg = 0.0, peak_pelvis_rotation_deg = 0.0;
  double peak_hip_flexion_deg = 0.0, peak_lumbar_flexion_deg = 0.0;
  /// lumbar:pelvis ratio in each 30 deg band of thorax rotation while bending, in order; a
  /// band the bend does not cover fully uses the part it covers.
  std::vector<std::pair<std::string, double>> lumbar_pelvis_ratio_by_band;
  /// Flexion-relaxation: the bend frames where every erector spinae unit (both sides) is within
  /// kErectorSilenceAboveTone of resting tone, the muscles' "myoelectric silence".
  struct ErectorSilence {
    double onset_thorax_rotation_deg = 0.0;  ///< at the first silent bend frame
    double onset_lumbar_flexion_deg = 0.0;
    double onset_fraction_of_peak_lumbar_flexion = 0.0;  ///< onset lumbar flexion / peak
    int silent_bend_frames = 0;
    int bend_frames = 0;
    bool silent_at_deepest_frame = false;
  };
  std::optional<ErectorSilence> erector_silence;  ///< empty: the erector spinae never fall silent
};
/// Activation above resting tone below which a muscle counts as silent. chosen: 1 % of maximum,
/// below the few per cent of maximal EMG that flexion-relaxation studies call silence.
inline constexpr double kErectorSilenceAboveTone = 0.01;
/// A posture jump: between two neighbouring frames the pelvis or the lumbar spine turns by more
/// than the thorax does plus kPostureJumpDeg, so the least-effort posture has switched from one
/// strategy to another (a hip hinge to a curled back, say) instead of moving through the frames.
/// chosen: 5 deg; in the smooth default bend neither turns more than 0.8 deg beyond the thorax.
inline constexpr double kPostureJumpDeg = 5.0;
struct PostureJump {
  int frame = 0;  ///< the later of the two frames (0-based)
  double time_s = 0.0;  ///< of that frame
  /// Each quantity in the earlier frame and in the later one.
  std::array<double, 2> thorax_rotation_deg{}, pelvis_rotation_deg{}, lumbar_flexion_deg{};
};
/// True if frames a and b (neighbours) differ by a posture jump.
bool is_posture_jump(const FrameResult& a, const FrameResult& b);

struct TaskSummary {
  std::array<LevelPeaks, 5> lumbar;  ///< L1_L2 ... L5_S1
  /// Knee, either side: the largest compression (body weights); the largest anterior tibial
  /// shear, signed (negative when the tibia is pushed back in every frame); and the largest
  /// posterior shear (N, >= 0; 0 when it is pushed forward in every frame).
  double knee_peak_compression_bw = 0.0, knee_peak_anterior_shear_n = 0.0;
  double knee_peak_posterior_shear_n = 0.0;
  double hip_peak_contact_bw = 0.0;
  /// Frames among those the peaks are taken over where the muscles fall short (not feasible).
  int infeasible_frames_in_peaks = 0;
  std::vector<PostureJump> posture_jumps;  ///< in frame order; empty when the motion is smooth
  std::optional<BendRhythm> bend;  ///< forward-bend only
};
TaskSummary summarise(const model::Model& model, const TaskResult& result);

/// A frame quantity `get(frame)` at a thorax rotation of a forward bend, interpolated linearly
/// between the bend frames (the rotation rises monotonically while bending); beyond the last bend
/// frame, that frame's value. NaN with fewer than two bend frames.
template <class Get>
double along_bend(const TaskResult& result, double thorax_rotation_deg, Get get) {
  const FrameResult* previous = nullptr;
  const FrameResult* last = nullptr;
  for (const FrameResult& f : result.frames) {
    if (f.phase != "bend") continue;
    previous = last;
    last = &f;
    if (previous && thorax_rotation_deg <= f.thorax_rotation_deg) break;
  }
  if (!previous) return std::numeric_limits<double>::quiet_NaN();
  const double span = last->thorax_rotation_deg - previous->thorax_rotation_deg;
  const double w =
      span > 0.0 ? std::clamp((thorax_rotation_deg - previous->thorax_rotation_deg) / span, 0.0, 1.0)
                 : 1.0;
  return get(*previous) + w * (get(*last) - get(*previous));
}

}  // namespace pulley::tasks
