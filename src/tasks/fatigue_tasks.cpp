// Tasks that tire the muscles (docs/fatigue.md): the prone trunk-extensor endurance test
// (Biering-Sorensen 1984), a repeated-sprint protocol, and long standing. Each runs the
// three-compartment fatigue of every muscle (tasks/fatigue.hpp) alongside the frames that load
// it, feeds the lowered capacity (and the tone hypothesis) back into the model as it goes, and
// ends by showing what the fatigue does to standing, bending and a fast stride.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"
#include "pulley/tasks/fatigue.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "task_frames.hpp"

namespace pulley::tasks::detail {

namespace {

// The trunk-endurance hold is re-solved every second (chosen: the fatigue's fastest time
// constant in a hold, 1 / (F TL), is over a minute, so capacities change by < 2 % a second).
constexpr double kHoldStepS = 1.0;
// Long standing is re-solved every five minutes (chosen: its time constant, 1 / R, is over
// 15 minutes).
constexpr double kStandStepS = 300.0;

// Every unit's activation ceiling with the fatigue so far, never below resting tone, as
// fatigued_model() sets it, without copying the model every second of a hold.
Eigen::VectorXd activation_ceilings(const Model& model, const ModelFatigue& fatigue, double tone) {
  Eigen::VectorXd ceiling(model.num_units());
  for (int i = 0; i < model.num_units(); ++i)
    ceiling[i] = std::max(fatigued_capacity(model.units[i], fatigue), tone);
  return ceiling;
}

void sample(const ModelFatigue& fatigue, double time_s, FatigueDetails& d) {
  d.sample_time_s.push_back(time_s);
  const Eigen::VectorXd c = fatigue.capacities();
  d.capacity.emplace_back(c.data(), c.data() + c.size());
}

void record_end(const Model& model, const ModelFatigue& fatigue, FatigueDetails& d) {
  for (int m = 0; m < fatigue.num_muscles(); ++m) {
    const auto& mus = model.muscles[m];
    MuscleFatigueEnd e;
    e.muscle = mus.name;
    e.rates = std::string(muscle::to_string(fatigue_joint(mus.group, mus.base_name)));
    e.fatigued = fatigue.state[m].fatigued;
    e.capacity = fatigue.state[m].capacity();
    e.passive_scale = fatigue_tone_factor(fatigue.state[m]);
    d.muscles.push_back(e);
  }
}

// The recorded stride of a repeated-sprint protocol's speed: the sprint recording at 9.5 m/s,
// the running ones below.
const GaitRecordingInfo& fast_stride_recording(double speed_m_s) {
  const std::vector<double> sprint = recorded_speeds("sprint");
  const bool is_sprint = std::any_of(sprint.begin(), sprint.end(),
                                     [&](double v) { return std::abs(v - speed_m_s) < 1e-9; });
  return find_gait_recording(is_sprint ? "sprint" : "run", speed_m_s);
}

GaitSettings stride_settings(const Model& model, const StandingResult& standing,
                             const GaitRecordingInfo& info, int frames) {
  GaitSettings s;
  s.frames = frames;
  s.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  s.lumbar_base = lumbar_angles(model, standing.q);
  return s;
}

std::vector<double> strain_indices(const GaitDetails& d) {
  std::vector<double> out;
  for (const auto& h : d.hamstrings) out.push_back(h.strain_index.value);
  return out;
}

// The bend's peaks with the forward-bend task's defaults.
BendRhythm bend_peaks(const Model& model) {
  const TaskResult bend = run_task(model, parse_task_options("forward-bend", {}));
  const TaskSummary s = summarise(model, bend);
  return s.bend ? *s.bend : BendRhythm{};
}

// Standing and bending fresh and fatigued; the hamstrings' strain index in the stride given
// fresh and fatigued (filled by the caller, who has run the strides).
FatigueAfterEffects standing_and_bending_after(const Model& fresh, const Model& tired,
                                               const StandingResult& fresh_standing) {
  FatigueAfterEffects a;
  const StandingResult tired_standing = solve_standing(tired);
  a.pelvic_tilt_deg = {fresh_standing.posture.pelvic_tilt_deg,
                       tired_standing.posture.pelvic_tilt_deg};
  a.lumbar_lordosis_deg = {fresh_standing.posture.lumbar_lordosis_deg,
                           tired_standing.posture.lumbar_lordosis_deg};
  const BendRhythm b0 = bend_peaks(fresh), b1 = bend_peaks(tired);
  a.bend_pelvis_rotation_deg = {b0.peak_pelvis_rotation_deg, b1.peak_pelvis_rotation_deg};
  a.bend_lumbar_flexion_deg = {b0.peak_lumbar_flexion_deg, b1.peak_lumbar_flexion_deg};
  return a;
}

void set_stride_after(const std::vector<double>& fresh, const std::vector<double>& tired,
                      const GaitRecordingInfo& info, FatigueAfterEffects& a) {
  a.stride = info.id();
  for (std::size_t h = 0; h < fresh.size(); ++h) a.hamstring_strain_index.push_back({fresh[h], tired[h]});
}

// The fastest shipped running stride, fresh and tired, for the tasks that are not sprints.
void fast_stride_after(const Model& fresh, const Model& tired, const StandingResult& standing,
                       FatigueAfterEffects& a) {
  const std::vector<double> speeds = recorded_speeds("run");
  const GaitRecordingInfo& info = find_gait_recording("run", speeds.back());
  const GaitRecording recording = load_gait_recording(info);
  const GaitSettings settings = stride_settings(fresh, standing, info, 101);
  const auto before = strain_indices(simulate_gait(fresh, recording, settings).details);
  const auto after = strain_indices(simulate_gait(tired, recording, settings).details);
  set_stride_after(before, after, info, a);
}

// The end of a hold or of long standing: every muscle's state, and the same subject standing,
// bending and running the fastest shipped stride fresh and with the fatigue left.
void finish_protocol(const Model& model, const ModelFatigue& fatigue,
                     const StandingResult& standing, FatigueDetails d, TaskResult& out) {
  record_end(model, fatigue, d);
  const Model tired = fatigued_model(model, fatigue);
  FatigueAfterEffects a = standing_and_bending_after(model, tired, standing);
  fast_stride_after(model, tired, standing, a);
  d.after = std::move(a);
  out.fatigue = std::move(d);
}

// The prone hold of the trunk-endurance test: every second the back muscles are recruited with
// their current capacities and their fatigue advances at the targets found, until they can no
// longer hold the trunk or `limit` is reached. Returns the endurance time, or empty if held to the
// limit. Samples go to `d`, the seconds held to `frames` and where the muscles fell short in
// the second they could not hold to `shortfall`, when they are given.
std::optional<double> hold_trunk(const Model& model, const Reference& ref, double limit,
                                 ModelFatigue& fatigue, FatigueDetails* d,
                                 std::vector<FrameResult>* frames,
                                 std::string* shortfall = nullptr) {
  FrameRunner runner(model, Support::seat, ref, false);
  FrameConditions cond;
  cond.support = Support::seat;  // the bench holds pelvis and legs; muscles hold the trunk
  // Face down: quiet standing turned a quarter turn forward, so the trunk keeps its standing shape.
  cond.pelvis_pose = Eigen::Vector3d(0.0, 0.0, ref.pelvis_angle - kPi / 2.0);
  // The legs as in standing; the lumbar levels free (least effort) under a horizontal thorax.
  PostureVector prescribed = all_free();
  prescribed.head<3>() = ref.p.head<3>();
  FrameEquations& eq = runner.solver().equations();
  eq.set_conditions(cond);
  const PostureMap map = make_posture_map(eq, prescribed, ref.thorax_angle - kPi / 2.0,
                                          bounds(false), bounds(true), false);
  // Each second's search starts from the secant through the last two answers: the posture drifts
  // smoothly as the muscles tire (a third fewer evaluations than from the last answer, most of
  // them in the last seconds, where the muscles near their limits; docs/validation.md,
  // Performance).
  StartPredictor predictor(ref.p);
  Eigen::VectorXd targets;
  for (double t = 0.0; t <= limit + 1e-9; t += kHoldStepS) {
    runner.solver().set_max_activation(activation_ceilings(model, fatigue, model.tone));
    FrameResult f = runner.solve(cond, map, predictor.predict(t));
    predictor.add(t, posture_of(model, f.q));
    if (d) sample(fatigue, t, *d);
    if (!f.feasible) {  // the end of the test: the trunk sinks
      if (shortfall) *shortfall = shortfall_text(f);
      return t;
    }
    f.time_s = t;
    f.phase = "hold";
    muscle_target_loads(model, f.activation, model.tone, targets);
    if (frames) frames->push_back(std::move(f));
    if (t + kHoldStepS <= limit + 1e-9) fatigue.advance(targets, kHoldStepS);
  }
  return std::nullopt;
}

}  // namespace

void run_trunk_endurance(const Model& model, const Reference& ref, const StandingResult& standing,
                         const TaskOptions& o, TaskResult& out) {
  const double limit = o.number("limit_s");
  FatigueDetails d;
  d.protocol = "prone trunk-extensor endurance (Biering-Sorensen): pelvis and legs strapped to a "
               "bench, trunk held horizontal and unsupported, arms across the chest, until the "
               "muscles can no longer hold it";
  ModelFatigue fatigue(model);
  std::string shortfall;
  d.endurance_time_s = hold_trunk(model, ref, limit, fatigue, &d, &out.frames, &shortfall);
  d.duration_s = d.endurance_time_s.value_or(limit);
  // Held for no second at all: the test cannot start, and the task says why.
  if (out.frames.empty())
    out.message = "the fresh muscles cannot hold the trunk horizontal (endurance 0 s): " +
                  shortfall;
  finish_protocol(model, fatigue, standing, std::move(d), out);
}

void run_long_stand(const Model& model, const Reference& ref, const StandingResult& standing,
                    const TaskOptions& o, TaskResult& out) {
  const double duration = 60.0 * o.number("duration_min");
  FatigueDetails d;
  d.protocol = fmt::format("quiet standing for {:g} min, the posture re-solved every {:g} min "
                           "with the muscles' capacity and tone as fatigue leaves them",
                           duration / 60.0, kStandStepS / 60.0);
  ModelFatigue fatigue(model);
  Eigen::VectorXd targets;
  for (double t = 0.0; t <= duration + 1e-9; t += kStandStepS) {
    const Model tired = fatigued_model(model, fatigue);
    const StandingResult now = t == 0.0 ? standing : solve_standing(tired);
    const Reference here = t == 0.0 ? ref : make_reference(tired, now);
    FrameRunner runner(tired, Support::feet, here, out.reserve_on);
    FrameResult f = runner.recruit(FrameConditions{}, here.p);
    // Rotations from the fresh standing posture, so that the drift shows.
    skeleton::Kinematics kin;
    kin.resize(tired.tree.num_bodies());
    skeleton::calc_kinematics(tired.tree, f.q, kin);
    set_rotations_from_standing(model, ref, kin.theta_WB[model.body.thorax], f);
    f.time_s = t;
    f.phase = "hold";
    sample(fatigue, t, d);
    muscle_target_loads(tired, f.activation, tired.tone, targets);
    out.frames.push_back(std::move(f));
    if (t + kStandStepS <= duration + 1e-9) fatigue.advance(targets, kStandStepS);
  }
  d.duration_s = duration;
  finish_protocol(model, fatigue, standing, std::move(d), out);
}

void run_repeated_sprints(const Model& model, const Reference& ref, const StandingResult& standing,
                          const TaskOptions& o, TaskResult& out) {
  const int sprints = static_cast<int>(o.number("sprints"));
  const double sprint_s = o.number("sprint_s"), rest_s = o.number("rest_s");
  const GaitRecordingInfo& info = fast_stride_recording(o.number("speed_m_s"));
  const GaitRecording recording = load_gait_recording(info);
  GaitSettings settings =
      stride_settings(model, standing, info, static_cast<int>(o.number("frames")));
  settings.settle_lumbar_levels = settles_lumbar_levels(o);
  FatigueDetails d;
  d.protocol = fmt::format("{} sprints of {:g} s with {:g} s of rest between, each run as the "
                           "{} stride ({:g} m/s) repeated",
                           sprints, sprint_s, rest_s, info.id(), info.speed_m_s);
  ModelFatigue fatigue(model);
  const auto heads = right_hamstring_heads(model);
  double clock = 0.0;
  std::vector<Eigen::VectorXd> targets;
  for (int k = 0; k < sprints; ++k) {
    const Model tired = fatigued_model(model, fatigue);
    const GaitSimulation g = simulate_gait(tired, recording, settings);
    SprintBout bout;
    bout.start_s = clock;
    for (std::size_t h = 0; h < heads.size(); ++h) {
      bout.hamstring_capacity.push_back(fatigue.state[tired.units[heads[h].unit].muscle].capacity());
      bout.hamstring_peak_force_n.push_back(g.details.hamstrings[h].peak_force_n.value);
      bout.hamstring_strain_index.push_back(g.details.hamstrings[h].strain_index.value);
    }
    d.sprints.push_back(std::move(bout));
    sample(fatigue, clock, d);
    // The stride's frames repeat through the sprint: each fatigue step takes the target of the
    // frame nearest its time in the cycle.
    targets.resize(g.frames.size());
    for (std::size_t j = 0; j < g.frames.size(); ++j)
      muscle_target_loads(tired, g.frames[j].activation, tired.tone, targets[j]);
    const double period = g.details.stride.duration();
    const int steps = static_cast<int>(std::ceil(sprint_s / muscle::kFatigueMaxStepS));
    const double h = sprint_s / steps;
    const int last = static_cast<int>(g.frames.size()) - 1;
    for (int s = 0; s < steps; ++s) {
      const double phase = std::fmod((s + 0.5) * h, period) / period;
      const Eigen::VectorXd& target = targets[static_cast<std::size_t>(std::lround(phase * last))];
      for (int m = 0; m < fatigue.num_muscles(); ++m)
        muscle::fatigue_step(fatigue.parameters[m], target[m], h, fatigue.state[m]);
    }
    clock += sprint_s;
    sample(fatigue, clock, d);
    if (k + 1 < sprints) {
      fatigue.advance(Eigen::VectorXd::Zero(fatigue.num_muscles()), rest_s);
      clock += rest_s;
    }
  }
  d.duration_s = clock;
  record_end(model, fatigue, d);
  // The next sprint, straight after the last: the task's frames.
  const Model tired = fatigued_model(model, fatigue);
  TaskOptions stride = o;
  stride.task = info.activity;
  run_gait(tired, ref, standing, stride, TaskInputs{}, out);
  FatigueAfterEffects a = standing_and_bending_after(model, tired, standing);
  set_stride_after(d.sprints.front().hamstring_strain_index, strain_indices(*out.gait), info, a);
  d.after = std::move(a);
  out.fatigue = std::move(d);
}

}  // namespace pulley::tasks::detail

namespace pulley::tasks {

std::optional<double> trunk_extensor_endurance_time(const model::Model& model,
                                                    const StandingResult& standing,
                                                    double limit_s) {
  PULLEY_DEMAND(limit_s >= 0.0 && std::isfinite(limit_s),
                "trunk_extensor_endurance_time: limit_s must be finite and >= 0");
  const detail::Reference ref = detail::make_reference(model, standing);
  ModelFatigue fatigue(model);
  return detail::hold_trunk(model, ref, limit_s, fatigue, nullptr, nullptr);
}

}  // namespace pulley::tasks
