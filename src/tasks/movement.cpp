#include "pulley/tasks/movement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/tasks/gait_dynamics.hpp"
#include "pulley/tasks/gait_library.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "task_frames.hpp"
#include "pulley/tasks/repetitions.hpp"
#include "pulley/tasks/stairs.hpp"

namespace pulley::tasks {

using model::Model;
using skeleton::Vec2;
using namespace detail;

namespace {

// Sitting (Endo K et al. 2012 J Orthop Sci 17:682-686: from standing to sitting on a chair the
// pelvis rotates back 18.3 deg and lumbar lordosis falls 16.6 deg). Upright: that pelvis with the
// thorax as in standing. Slouched: chosen: pelvis 25 deg back and thorax 15 deg forward, so the
// lumbar spine flexes 40 deg from standing, about two-thirds of its range in forward bending
// (60 deg, Tafazzol et al. 2014), as in Wilke et al.'s (1999) "sitting with maximum flexion".
constexpr double kSitPelvisBackDeg[2] = {18.3, 25.0};       // upright, slouched
constexpr double kSitThoraxForwardDeg[2] = {0.0, 15.0};

// Lifting start postures (chosen, within the ranges of floor lifts in the lifting literature,
// e.g. the review of van Dieen JH et al. 1999 Clin Biomech 14:685-696: stoop with the thorax
// 80-90 deg forward and straight knees; squat with the knees 100-130 deg flexed and the thorax
// 40-60 deg forward).
constexpr double kStoopThoraxDeg = 80.0;
constexpr double kSquatThoraxDeg = 45.0;
// The squat's knee flexion at pickup, 110 deg, is the default of pickup_knee_flexion_deg below.

const TaskParameter kReserve{
    "reserve", "", "off: a frame the muscles cannot hold is an error; on: reserve moments fill "
    "the gap and are reported per joint", "off", 0, 0, {"off", "on"}, false};
// Strides (walk, run, sprint, stairs): frames per cycle and the co-contraction floor.
const TaskParameter kStrideFrames{"frames", "", "frames per stride, 0 to 100 % of the cycle",
                                  "101", 21, 1001, {}, true};
const TaskParameter kCocontraction{
    "cocontraction", "", "least activation of the hamstrings and quadriceps (both legs), "
    "whatever the moments ask", "0", 0, 0.5, {}, false};

// Recorded motions (strides, sit-to-stand, squat): how the five lumbar levels take the recording's
// one lumbar extension (docs/gait.md, "Lumbar levels that settle").
const TaskParameter kLumbarLevels{
    "lumbar",
    "",
    "recorded: the five lumbar levels share the recorded lumbar extension by their "
    "compliance; settle: where the muscles cannot hold a level at that split, the levels turn "
    "until their passive tissues carry the shortfall, their sum kept as recorded",
    "recorded",
    0,
    0,
    {"recorded", "settle"},
    false};

// A number parameter whose default is the value given for the word chosen for `word_parameter`;
// its default text lists them, e.g. "80 (stoop), 45 (squat)".
TaskParameter word_dependent_default(TaskParameter p, std::string word_parameter,
                                     std::vector<std::pair<std::string, double>> defaults) {
  p.default_text.clear();
  for (const auto& [word, value] : defaults)
    p.default_text += fmt::format("{}{:g} ({})", p.default_text.empty() ? "" : ", ", value, word);
  p.default_follows = std::move(word_parameter);
  p.default_per_word = std::move(defaults);
  return p;
}

TaskParameter frames_parameter(const char* default_text) {
  return {"frames", "", "number of frames", default_text, 2, 2001, {}, true};
}
// The bend and its return mirror each other about one deepest frame, so their count is odd.
TaskParameter bend_frames_parameter() {
  TaskParameter p = frames_parameter("61");
  p.description = "number of frames, the middle one at the deepest point";
  p.min = 3;
  p.odd = true;
  return p;
}
TaskParameter duration_parameter(const char* default_text) {
  return {"duration_s", "s", "duration (sets the time column; frames are quasi-static)",
          default_text, 0.5, 600, {}, false};
}

std::vector<TaskInfo> make_catalogue() {
  std::vector<TaskInfo> tasks;
  tasks.push_back({"stand", "quiet standing: the least-effort posture with the centre of mass over the feet",
                   {kReserve}});
  tasks.push_back(
      {"forward-bend",
       "slow toe-touch and return: the thorax rotation is prescribed, the hip/lumbar split is the "
       "model's",
       {{"peak_thorax_inclination_deg",
         "deg",
         "thorax rotation from standing at the deepest point",
         "121",
         5,
         150,
         {},
         false},
        {"hand_load_kg", "kg", "load held in the hands (arms hanging)", "0", 0, 50, {}, false},
        bend_frames_parameter(),
        duration_parameter("6"),
        kReserve}});
  tasks.push_back(
      {"lift",
       "lifting a load from the pickup posture to upright standing, holding it at a set distance",
       {{"style", "", "stoop: straight knees, round back; squat: bent knees", "stoop", 0, 0,
         {"stoop", "squat"}, false},
        {"load_kg", "kg", "mass of the load", "10", 0, 100, {}, false},
        {"load_distance_m", "m", "horizontal distance of the load ahead of the L5-S1 joint",
         "0.4", 0, 1, {}, false},
        word_dependent_default({"pickup_thorax_inclination_deg", "deg",
                                "thorax rotation from standing at pickup", "", 0, 130, {}, false},
                               "style", {{"stoop", kStoopThoraxDeg}, {"squat", kSquatThoraxDeg}}),
        {"pickup_knee_flexion_deg", "deg", "knee flexion at pickup (squat only)", "110", 30, 140,
         {}, false},
        frames_parameter("31"), duration_parameter("3"), kReserve}});
  tasks.push_back({"sit",
                   "sitting on a seat without backrest, feet on the floor",
                   {{"style", "", "upright or slouched", "upright", 0, 0, {"upright", "slouched"}, false},
                    kReserve}});
  tasks.push_back({"lie",
                   "lying on a firm bed with straight legs",
                   {{"position", "", "supine or prone", "supine", 0, 0, {"supine", "prone"}, false},
                    kReserve}});
  for (const char* activity : {"walk", "run", "sprint"}) {
    const std::vector<double> speeds = recorded_speeds(activity);
    const GaitRecordingInfo& first = find_gait_recording(activity, speeds.front());
    TaskParameter speed{"speed_m_s", "m/s", "speed of the recorded stride",
                        fmt::format("{:g}", speeds[(speeds.size() - 1) / 2]), speeds.front(),
                        speeds.back(), {}, false};
    speed.only_values = speeds;
    tasks.push_back(
        {activity,
         fmt::format(
             "{} from a recorded stride ({}{}): inverse dynamics with the measured ground "
             "reactions, recruitment and loads through the cycle",
             first.description, first.citation,
             first.shipped ? "" : std::string("; not shipped: needs ") + kMotionDirVariable),
         {speed, kStrideFrames, kCocontraction, kLumbarLevels, kReserve}});
  }
  for (const StairDirection direction : {StairDirection::up, StairDirection::down}) {
    const bool up = direction == StairDirection::up;
    tasks.push_back(
        {up ? "stairs-up" : "stairs-down",
         fmt::format("stair {}, step over step, from published joint-angle and ground-reaction "
                     "patterns (no stair recording is available; docs/gait.md): inverse dynamics, "
                     "recruitment and loads through the cycle as for walking",
                     up ? "ascent" : "descent"),
         {{"step_height_m",
           "m",
           "riser height (the going stays 0.285 m)",
           fmt::format("{:g}", kStairStepHeightM),
           0.10,
           0.25,
           {},
           false},
          {"cycle_s",
           "s",
           "duration of one cycle (two steps)",
           fmt::format("{:g}", default_stair_cycle_s(direction)),
           0.8,
           3.0,
           {},
           false},
          kStrideFrames,
          kCocontraction,
          kLumbarLevels,
          kReserve}});
  }
  for (const char* activity : {"sit-to-stand", "squat"}) {
    const GaitRecordingInfo& r = find_recording(activity);
    tasks.push_back(
        {activity,
         fmt::format("{}, recorded ({}): inverse dynamics with the measured foot forces, "
                     "recruitment and loads at the recording's 100 Hz samples{}",
                     r.description, r.citation,
                     r.activity == "sit-to-stand" ? "; frames the unmeasured chair helps carry "
                                                    "are marked and left out of the peaks"
                                                  : ""),
         {{"rep",
           "",
           "which repetition: all, or one of them",
           "all",
           0,
           0,
           {"all", "1", "2", "3", "4", "5"},
           false},
          kLumbarLevels,
          kReserve}});
  }
  tasks.push_back(
      {"trunk-endurance",
       "prone trunk-extensor endurance test (Biering-Sorensen): the trunk held horizontal off a "
       "bench until the tiring back muscles can no longer hold it",
       {{"limit_s", "s", "longest hold simulated", "600", 10, 3600, {}, false}}});
  {
    std::vector<double> speeds;
    for (const char* activity : {"run", "sprint"})
      for (double v : recorded_speeds(activity))
        if (v >= 4.0) speeds.push_back(v);  // chosen: the fast recordings only
    TaskParameter speed{"speed_m_s", "m/s", "speed of the recorded stride each sprint repeats",
                        "5", speeds.front(), speeds.back(), {}, false};
    speed.only_values = speeds;
    // Repeated-sprint ability: sprints of 10 s or less with 60 s or less of recovery (Girard O,
    // Mendez-Villanueva A, Bishop D 2011 Sports Med 41:673-694). chosen defaults within that:
    // six 6 s sprints, 24 s apart.
    tasks.push_back(
        {"repeated-sprints",
         "repeated sprints tiring the muscles, then the next sprint's stride: each sprint repeats "
         "a recorded fast stride with the fatigue so far",
         {speed,
          {"sprints", "", "number of sprints", "6", 1, 30, {}, true},
          {"sprint_s", "s", "duration of each sprint", "6", 1, 30, {}, false},
          {"rest_s", "s", "rest between sprints", "24", 0, 600, {}, false},
          {"frames", "", "frames per stride, 0 to 100 % of the cycle", "51", 21, 1001, {}, true},
          kLumbarLevels,
          kReserve}});
  }
  tasks.push_back({"long-stand",
                   "quiet standing for a long time: the posture re-solved as the muscles tire",
                   {{"duration_min", "min", "how long to stand", "60", 5, 480, {}, false},
                    kReserve}});
  return tasks;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Smooth 0 -> 1 profile over u in [0, 1] (half cosine): starts and ends at rest.
double ease(double u) { return 0.5 * (1.0 - std::cos(kPi * std::clamp(u, 0.0, 1.0))); }

// Time of frame j of n spread evenly over a task's duration (s), first frame at 0, last at the end.
double frame_time(double duration, int j, int n) { return duration * j / (n - 1); }

// True if frame answer a beats b for the same frame: one the muscles can hold, then less effort.
bool better_frame(const FrameResult& a, const FrameResult& b) {
  if (a.feasible != b.feasible) return a.feasible;
  return a.effort < b.effort;
}

// A frame's posture search from a given start posture (frame index, start).
using FrameSearch = std::function<FrameResult(int, const PostureVector&)>;

// Frames are searched in order, each from its predecessor, so at a posture jump the search has
// left one strategy for another: the earlier strategy may have ended, or the search may only
// have found the other one late. The branch after each jump is therefore followed back through
// the earlier frames (each searched again from its successor's posture) for as long as it beats
// the answer they had. Where the later strategy exists in those frames, the jump then sits where
// the two strategies' efforts cross; where it does not, it stays where the earlier one ended.
// Every search's evaluations are counted in the frame it was made for.
void follow_branches_back(const Model& model, std::vector<FrameResult>& frames,
                          const FrameSearch& search) {
  for (std::size_t j = 1; j < frames.size(); ++j) {
    if (!is_posture_jump(frames[j - 1], frames[j])) continue;
    for (std::size_t k = j; k-- > 0;) {
      FrameResult g = search(static_cast<int>(k), posture_of(model, frames[k + 1].q));
      // Back on the frame's own strategy (or worse): the later one ends here.
      if (!is_posture_jump(g, frames[k]) || !better_frame(g, frames[k])) {
        frames[k].evaluations += g.evaluations;
        break;
      }
      g.evaluations += frames[k].evaluations;
      frames[k] = std::move(g);
    }
  }
}

void run_stand(const Model& model, const Reference& ref, const TaskOptions&, bool reserve,
               TaskResult& out) {
  FrameRunner runner(model, Support::feet, ref, reserve);
  FrameResult f = runner.recruit(FrameConditions{}, ref.p);
  f.phase = "hold";
  out.frames.push_back(std::move(f));
}

void run_forward_bend(const Model& model, const Reference& ref, const TaskOptions& o,
                      bool reserve, TaskResult& out) {
  const int n = static_cast<int>(o.number("frames"));
  const double duration = o.number("duration_s");
  const double peak = deg_to_rad(o.number("peak_thorax_inclination_deg"));
  FrameRunner runner(model, Support::feet, ref, reserve);
  FrameConditions cond;
  cond.load.mass_kg = o.number("hand_load_kg");
  cond.load.p_thorax = ref.shoulder_thorax;  // hanging arms: the load acts below the shoulders
  FrameEquations& eq = runner.solver().equations();
  eq.set_conditions(cond);
  // Thorax rotation: 0 -> peak -> 0, each half a half-cosine.
  const auto rotation = [&](int j) { return peak * ease(2.0 * j / (n - 1)); };
  const FrameSearch search = [&](int j, const PostureVector& start) {
    // The knees stay as in standing: the toe-touch is done with straight knees.
    PostureVector prescribed = all_free();
    prescribed[kKnee] = ref.p[kKnee];
    const PostureMap map = make_posture_map(eq, prescribed, ref.thorax_angle - rotation(j),
                                            bounds(false), bounds(true), true);
    FrameResult f = runner.solve(cond, map, start);
    f.time_s = frame_time(duration, j, n);
    f.phase = "bend";
    return f;
  };
  std::vector<FrameResult> bend;
  StartPredictor predictor(ref.p);
  for (int j = 0; n - 1 - j >= j; ++j) {
    bend.push_back(search(j, predictor.predict(rotation(j))));
    predictor.add(rotation(j), posture_of(model, bend.back().q));
  }
  follow_branches_back(model, bend, search);
  // The return passes through the bend's rotations at the mirrored frames: the same quasi-static
  // problem, so a return frame is its bend frame at another time (not searched again).
  for (int j = 0; j < n; ++j) {
    const int mirror = n - 1 - j;
    if (mirror >= j) {
      out.frames.push_back(bend[j]);
      continue;
    }
    FrameResult f = bend[mirror];
    f.time_s = frame_time(duration, j, n);
    f.phase = "return";
    f.evaluations = 0;
    out.frames.push_back(std::move(f));
  }
}

void run_lift(const Model& model, const Reference& ref, const TaskOptions& o, bool reserve,
              TaskResult& out) {
  const int n = static_cast<int>(o.number("frames"));
  const double duration = o.number("duration_s");
  const bool squat = o.word("style") == "squat";
  const double thorax = o.number("pickup_thorax_inclination_deg");
  const double knee = o.number("pickup_knee_flexion_deg");
  const double distance = o.number("load_distance_m");
  FrameRunner runner(model, Support::feet, ref, reserve);
  FrameConditions cond;
  cond.load.mass_kg = o.number("load_kg");
  FrameEquations& eq = runner.solver().equations();
  eq.set_conditions(cond);
  const auto progress = [&](int j) { return ease(static_cast<double>(j) / (n - 1)); };  // 0 -> 1
  const auto rotation = [&](int j) { return (1.0 - progress(j)) * deg_to_rad(thorax); };
  const FrameSearch search = [&](int j, const PostureVector& start) {
    const double s = progress(j);  // 0 at pickup, 1 upright
    PostureVector prescribed = all_free();
    // Stoop keeps the knees as in standing; squat straightens them from the pickup angle.
    prescribed[kKnee] = squat ? (1.0 - s) * deg_to_rad(knee) + s * ref.p[kKnee] : ref.p[kKnee];
    const PostureMap map = make_posture_map(eq, prescribed, ref.thorax_angle - rotation(j),
                                            bounds(false), bounds(true), true);
    FrameResult f = cond.load.mass_kg > 0.0
                        ? runner.solve_with_load_at(cond, map, start, distance)
                        : runner.solve(cond, map, start);
    f.time_s = frame_time(duration, j, n);
    f.phase = "lift";
    return f;
  };
  std::vector<FrameResult> frames;
  PostureVector warm = ref.p;
  for (int j = 0; j < n; ++j) {
    FrameResult f = search(j, warm);
    if (j == 0 || !f.feasible) {
      // The pickup is far from standing, and starting the search from standing can end in a
      // poor local minimum (the whole rotation at the hips, the lumbar spine extended). A second
      // start shares the rotation (chosen: half at the hips, half spread evenly over the lumbar
      // levels), and the better answer is kept. A later frame that the muscles cannot hold from
      // the previous frame's posture is searched again from these two starts.
      PostureVector shared = ref.p;
      shared.tail<5>().array() -= 0.5 * rotation(j) / 5.0;
      for (const PostureVector& start : {shared, ref.p}) {
        if (start == warm) continue;  // the first search started there (standing, at pickup)
        FrameResult g = search(j, start);
        const int evaluations = f.evaluations + g.evaluations;  // every start's search counts
        if (better_frame(g, f)) f = std::move(g);
        f.evaluations = evaluations;
      }
    }
    warm = posture_of(model, f.q);
    frames.push_back(std::move(f));
  }
  follow_branches_back(model, frames, search);
  for (FrameResult& f : frames) out.frames.push_back(std::move(f));
}

void run_sit(const Model& model, const Reference& ref, const TaskOptions& o, bool reserve,
             TaskResult& out) {
  const int style = o.word("style") == "slouched" ? 1 : 0;
  FrameRunner runner(model, Support::seat, ref, reserve);
  FrameConditions cond;
  cond.support = Support::seat;
  const double pelvis = ref.pelvis_angle + deg_to_rad(kSitPelvisBackDeg[style]);  // back = CCW
  cond.pelvis_pose = Eigen::Vector3d(0.0, 0.0, pelvis);
  // Thighs horizontal (femur frame y axis from knee to hip: theta_femur = 90 deg), shanks
  // vertical, feet flat.
  PostureVector prescribed = all_free();
  prescribed[kHip] = kPi / 2.0 - pelvis;
  prescribed[kKnee] = kPi / 2.0;
  prescribed[kAnkle] = 0.0;
  FrameEquations& eq = runner.solver().equations();
  eq.set_conditions(cond);
  const double thorax = ref.thorax_angle - deg_to_rad(kSitThoraxForwardDeg[style]);
  const PostureMap map =
      make_posture_map(eq, prescribed, thorax, bounds(false), bounds(true), false);
  PostureVector warm = ref.p;
  warm.head<3>() = prescribed.head<3>();
  FrameResult f = runner.solve(cond, map, warm);
  f.phase = "hold";
  out.frames.push_back(std::move(f));
}

void run_lie(const Model& model, const Reference& ref, const TaskOptions& o, bool reserve,
             TaskResult& out) {
  const bool supine = o.word("position") == "supine";
  FrameRunner runner(model, Support::bed, ref, reserve);
  FrameConditions cond;
  cond.support = Support::bed;
  // Body axis horizontal: turned a quarter turn from standing, face up (supine) or down (prone).
  cond.pelvis_pose = Eigen::Vector3d(0.0, 0.0, ref.pelvis_angle + (supine ? 1.0 : -1.0) * kPi / 2.0);
  PostureVector prescribed = all_free();
  prescribed.head<3>().setZero();  // straight legs, feet at right angles
  FrameEquations& eq = runner.solver().equations();
  eq.set_conditions(cond);
  const PostureMap map =
      make_posture_map(eq, prescribed, kNaN, bounds(false), bounds(true), false);
  PostureVector warm = ref.p;
  warm.head<3>().setZero();
  FrameResult f = runner.solve(cond, map, warm);
  f.phase = "hold";
  out.frames.push_back(std::move(f));
}

}  // namespace

const std::vector<TaskInfo>& task_catalogue() {
  static const std::vector<TaskInfo> catalogue = make_catalogue();
  return catalogue;
}

const TaskInfo* find_task(std::string_view name) {
  for (const auto& t : task_catalogue())
    if (t.name == name) return &t;
  return nullptr;
}

const std::array<std::string, 5>& lumbar_level_names() {
  static const std::array<std::string, 5> names = {"L1_L2", "L2_L3", "L3_L4", "L4_L5", "L5_S1"};
  return names;
}

std::string join_values(const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += fmt::format("{}{:g}", i == 0 ? "" : (i + 1 == values.size() ? " or " : ", "), values[i]);
  return out;
}

std::string allowed_values(const TaskParameter& p) {
  if (!p.choices.empty()) return join(p.choices);
  if (!p.only_values.empty())
    return join_values(p.only_values) + (p.unit.empty() ? "" : " " + p.unit);
  return fmt::format("{:g} to {:g}{}{}", p.min, p.max, p.unit.empty() ? "" : " " + p.unit,
                     p.odd       ? ", odd numbers"
                     : p.integer ? ", whole numbers"
                                 : "");
}

TaskOptions parse_task_options(std::string_view task,
                               const std::vector<std::pair<std::string, std::string>>& settings) {
  const TaskInfo* info = find_task(task);
  if (!info) {
    std::vector<std::string> names;
    for (const auto& t : task_catalogue()) names.push_back(t.name);
    throw InputError("unknown task '" + std::string(task) + "'; tasks: " + join(names));
  }
  TaskOptions o;
  o.task = info->name;
  for (const auto& p : info->parameters) {
    if (!p.choices.empty()) {
      o.words[p.name] = p.default_text;
    } else {
      double v = kNaN;  // a default that follows a word is resolved below, once the word is known
      if (p.default_per_word.empty())
        std::from_chars(p.default_text.data(), p.default_text.data() + p.default_text.size(), v);
      o.numbers[p.name] = v;
    }
  }
  std::set<std::string> seen;
  for (const auto& [name, text] : settings) {
    const std::string where = info->name + ": parameter '" + name + "'";
    const auto it = std::find_if(info->parameters.begin(), info->parameters.end(),
                                 [&](const TaskParameter& p) { return p.name == name; });
    if (it == info->parameters.end()) {
      std::vector<std::string> names;
      for (const auto& p : info->parameters) names.push_back(p.name);
      throw InputError("task " + info->name + " has no parameter '" + name + "'; parameters: " +
                       join(names));
    }
    if (!seen.insert(name).second) throw InputError(where + " is set twice; set it once");
    if (!it->choices.empty()) {
      if (std::find(it->choices.begin(), it->choices.end(), text) == it->choices.end())
        throw InputError(where + ": '" + text + "' is not allowed; allowed: " + allowed_values(*it));
      o.words[name] = text;
      continue;
    }
    double v = 0.0;
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, v);
    if (text.empty() || r.ptr != end || r.ec != std::errc() || !std::isfinite(v))
      throw InputError(where + ": '" + text + "' is not a number; allowed: " + allowed_values(*it));
    if (v < it->min || v > it->max)
      throw InputError(where + ": " + text + " is out of range; allowed: " + allowed_values(*it));
    if (!it->only_values.empty() &&
        std::none_of(it->only_values.begin(), it->only_values.end(),
                     [&](double allowed) { return std::abs(v - allowed) < 1e-9; }))
      throw InputError(where + ": " + text + " is not allowed; allowed: " + allowed_values(*it) +
                       (it->name == "speed_m_s" ? " (the recorded speeds; speeds between them "
                                                  "are not interpolated)"
                                                : ""));
    if (it->integer && v != std::floor(v))
      throw InputError(where + ": " + text + " is not a whole number; allowed: " +
                       allowed_values(*it));
    if (it->odd && std::fmod(v, 2.0) == 0.0)
      throw InputError(where + ": " + text + " is even; allowed: " + allowed_values(*it));
    o.numbers[name] = v;
  }
  if (o.task == "lift" && o.words["style"] == "stoop" && seen.count("pickup_knee_flexion_deg"))
    throw InputError(
        "lift: parameter 'pickup_knee_flexion_deg' applies to style=squat only (stoop keeps the "
        "knees straight)");
  // Defaults that follow a word, resolved here so the task and its reported parameters read the
  // same number.
  for (const auto& p : info->parameters) {
    if (p.default_per_word.empty() || seen.count(p.name)) continue;
    const std::string& word = o.words.at(p.default_follows);
    const auto d = std::find_if(p.default_per_word.begin(), p.default_per_word.end(),
                                [&](const auto& entry) { return entry.first == word; });
    PULLEY_DEMAND(d != p.default_per_word.end(), "a word-dependent default lacks a word");
    o.numbers[p.name] = d->second;
  }
  return o;
}

namespace detail {

// Each hamstring head's strain index over the typical subject's in the same stride: same
// stature, mass, sex, age and pelvic incidence, no muscle factors (the subject itself when it has
// none), fresh. The typical subject's lumbar shape is its own quiet standing's.
void set_relative_strain_index(const Model& model, const GaitRecording& recording,
                               GaitSettings settings, const TaskInputs& inputs, GaitDetails& d) {
  std::vector<double> typical;
  bool is_typical = model.subject.muscles.empty();
  for (const auto& u : model.units)
    is_typical = is_typical && u.capacity == 1.0 && u.params.passive_scale == 1.0;
  if (is_typical) {
    for (const auto& h : d.hamstrings) typical.push_back(h.strain_index.value);
  } else if (inputs.typical_strain_index &&
             inputs.typical_strain_index->size() == d.hamstrings.size()) {
    typical = *inputs.typical_strain_index;
  } else {
    std::optional<Model> compiled;
    if (!inputs.typical) {
      model::Subject plain = model.subject;
      plain.muscles.clear();
      compiled = model::compile_model(plain);
    }
    const Model& reference = inputs.typical ? *inputs.typical : *compiled;
    const StandingResult standing = inputs.typical && inputs.typical_standing
                                        ? *inputs.typical_standing
                                        : solve_standing(reference);
    settings.lumbar_base = lumbar_angles(reference, standing.q);
    for (const auto& h : simulate_gait(reference, recording, settings).details.hamstrings)
      typical.push_back(h.strain_index.value);
    if (inputs.typical_strain_index) *inputs.typical_strain_index = typical;
  }
  for (std::size_t h = 0; h < d.hamstrings.size(); ++h)
    if (typical[h] > 0.0) d.hamstrings[h].relative_strain_index = d.hamstrings[h].strain_index.value / typical[h];
}

// A stride of `recording` on this subject, the lumbar shape at the recording's zero extension
// being the subject's quiet standing (gait_dynamics.hpp): walk, run, sprint and the stairs.
void run_stride(const Model& model, const Reference& ref, const StandingResult& standing,
                const TaskOptions& o, const TaskInputs& inputs, const GaitRecording& recording,
                double smoothing_cutoff_hz, GaitDetails identity, TaskResult& out) {
  GaitSettings settings;
  settings.frames = static_cast<int>(o.number("frames"));
  settings.smoothing_cutoff_hz = smoothing_cutoff_hz;
  if (o.numbers.count("cocontraction")) settings.cocontraction = o.number("cocontraction");
  settings.lumbar_base = lumbar_angles(model, standing.q);
  settings.settle_lumbar_levels = settles_lumbar_levels(o);
  GaitSimulation g = simulate_gait(model, recording, settings);
  set_relative_strain_index(model, recording, settings, inputs, g.details);
  g.details.activity = o.task;
  g.details.recording = std::move(identity.recording);
  g.details.citation = std::move(identity.citation);
  g.details.speed_m_s = identity.speed_m_s;
  g.details.synthetic = identity.synthetic;
  set_rotations_from_standing(model, ref, g.frames);
  // The first frame the muscles cannot hold, with the side of the joint.
  for (std::size_t j = 0; j < g.frames.size() && out.message.empty(); ++j) {
    if (g.frames[j].feasible) continue;
    const auto& unmet = g.details.unmet_nm[j];
    const auto worst = std::max_element(unmet.begin(), unmet.end(), [](double a, double b) {
      return std::abs(a) < std::abs(b);
    });
    out.message = fmt::format("frame {} ({:.0f} % of the cycle): the muscles fall short at {} by "
                              "{:.1f} N m",
                              j, g.details.cycle_pct[j],
                              kGaitEquationNames[worst - unmet.begin()], std::abs(*worst));
  }
  out.frames = std::move(g.frames);
  out.gait = std::move(g.details);
}

// Walk, run, sprint: the recorded stride on this subject.
void run_gait(const Model& model, const Reference& ref, const StandingResult& standing,
              const TaskOptions& o, const TaskInputs& inputs, TaskResult& out) {
  const GaitRecordingInfo& info = find_gait_recording(o.task, o.number("speed_m_s"));
  GaitDetails identity;
  identity.recording = info.id();
  identity.citation = info.citation;
  identity.speed_m_s = info.speed_m_s;
  run_stride(model, ref, standing, o, inputs, load_gait_recording(info),
             info.smoothing_cutoff_hz, std::move(identity), out);
}

// Stairs up or down: a synthetic stride built for this subject from published key events
// (tasks/stairs.hpp), run as a recorded one. Smoothed at walking's 6 Hz (Winter 2009): a stair
// cycle is slower than a walking stride and has no heel impact.
void run_stairs(const Model& model, const Reference& ref, const StandingResult& standing,
                const TaskOptions& o, const TaskInputs& inputs, TaskResult& out) {
  StairSettings s;
  s.direction = o.task == "stairs-up" ? StairDirection::up : StairDirection::down;
  s.step_height_m = o.number("step_height_m");
  s.cycle_s = o.number("cycle_s");
  GaitDetails identity;
  identity.recording = fmt::format("{} (synthetic: step {:g} m high, {:g} m deep, cycle {:g} s)",
                                   o.task, s.step_height_m, s.going_m, s.cycle_s);
  identity.citation = stair_pattern_citation();
  identity.speed_m_s = 2.0 * s.going_m / s.cycle_s;  // two steps a cycle, horizontally
  identity.synthetic = true;
  constexpr double kStairCutoffHz = 6.0;
  run_stride(model, ref, standing, o, inputs, stair_recording(model, standing.q, s),
             kStairCutoffHz, std::move(identity), out);
}

}  // namespace detail

namespace {

// Sit-to-stand and squat: a recording's repetitions on this subject (tasks/repetitions.hpp), the
// lumbar shape at the recording's zero extension being the subject's quiet standing as in gait.
void run_repetitions(const Model& model, const Reference& ref, const StandingResult& standing,
                     const TaskOptions& o, TaskResult& out) {
  const GaitRecordingInfo& info = find_recording(o.task);
  RepetitionSettings settings;
  settings.motion.smoothing_cutoff_hz = info.smoothing_cutoff_hz;
  settings.motion.lumbar_base = lumbar_angles(model, standing.q);
  settings.motion.settle_lumbar_levels = settles_lumbar_levels(o);
  const std::string& rep = o.word("rep");
  settings.repetition = rep == "all" ? 0 : std::stoi(rep);
  RepetitionSimulation r = simulate_repetitions(
      model, load_gait_recording(info),
      o.task == "squat" ? RepetitionKind::squat : RepetitionKind::sit_to_stand, settings);
  GaitSimulation& g = r.simulation;
  g.details.activity = o.task;
  g.details.recording = info.id();
  g.details.citation = info.citation;
  set_rotations_from_standing(model, ref, g.frames);
  // The first frame the feet alone carry that the muscles cannot hold, with the side of the joint;
  // seated frames lack the chair's force, so their shortfalls are only counted.
  int seated_short = 0;
  for (std::size_t j = 0; j < g.frames.size(); ++j) {
    if (g.frames[j].feasible) continue;
    if (g.details.supported(j)) {
      ++seated_short;
      continue;
    }
    if (!out.message.empty()) continue;
    const auto& unmet = g.details.unmet_nm[j];
    const auto worst = std::max_element(unmet.begin(), unmet.end(), [](double a, double b) {
      return std::abs(a) < std::abs(b);
    });
    out.message = fmt::format("frame {} (t = {:.2f} s): the muscles fall short at {} by {:.1f} N m",
                              j, g.frames[j].time_s, kGaitEquationNames[worst - unmet.begin()],
                              std::abs(*worst));
  }
  if (seated_short > 0)
    out.message += fmt::format("{}{} seated frames short, where the chair's unmeasured force is "
                               "missing",
                               out.message.empty() ? "" : "; ", seated_short);
  out.frames = std::move(g.frames);
  out.gait = std::move(g.details);
  out.repetitions = std::move(r.details);
}

}  // namespace

JointMoments joint_moments(const Model& model, const Eigen::VectorXd& Q) {
  // + is extension at the hip and lumbar levels, flexion at the knee, plantarflexion at the
  // ankle; the coordinates count hip flexion, knee flexion and dorsiflexion positive.
  JointMoments m;
  for (int k = 0; k < 2; ++k) {
    m.hip[k] = -Q[model.coord.hip[k]];
    m.knee[k] = Q[model.coord.knee[k]];
    m.ankle[k] = -Q[model.coord.ankle[k]];
  }
  for (int j = 0; j < 5; ++j) m.lumbar[j] = Q[model.coord.lumbar[j]];
  return m;
}

TaskResult run_task(const Model& model, const TaskOptions& options) {
  return run_task(model, options, TaskInputs{});
}

TaskResult run_task(const Model& model, const TaskOptions& options, const TaskInputs& inputs) {
  TaskResult out;
  out.options = options;
  out.reserve_on = options.words.count("reserve") && options.word("reserve") == "on";
  out.standing = inputs.standing ? *inputs.standing : solve_standing(model);
  if (out.standing.status != SolveStatus::converged) {
    out.message = std::string("quiet standing, the reference of every task, did not solve: ") +
                  out.standing.message;
    out.infeasible_frames = 1;
    return out;
  }
  const Reference ref = make_reference(model, out.standing);
  const std::string& task = options.task;
  if (task == "stand") run_stand(model, ref, options, out.reserve_on, out);
  else if (task == "forward-bend") run_forward_bend(model, ref, options, out.reserve_on, out);
  else if (task == "lift") run_lift(model, ref, options, out.reserve_on, out);
  else if (task == "sit") run_sit(model, ref, options, out.reserve_on, out);
  else if (task == "lie") run_lie(model, ref, options, out.reserve_on, out);
  else if (task == "walk" || task == "run" || task == "sprint")
    run_gait(model, ref, out.standing, options, inputs, out);
  else if (task == "stairs-up" || task == "stairs-down")
    run_stairs(model, ref, out.standing, options, inputs, out);
  else if (task == "sit-to-stand" || task == "squat")
    run_repetitions(model, ref, out.standing, options, out);
  else if (task == "trunk-endurance") run_trunk_endurance(model, ref, out.standing, options, out);
  else if (task == "repeated-sprints") run_repeated_sprints(model, ref, out.standing, options, out);
  else if (task == "long-stand") run_long_stand(model, ref, out.standing, options, out);
  else PULLEY_DEMAND(false, "run_task: task not validated");

  for (std::size_t j = 0; j < out.frames.size(); ++j) {
    const FrameResult& f = out.frames[j];
    if (!f.converged) ++out.unconverged_frames;
    if (f.feasible) continue;
    ++out.infeasible_frames;
    if (!out.message.empty()) continue;
    out.message = fmt::format("frame {} (t = {:.2f} s): {}", j, f.time_s, shortfall_text(f));
  }
  return out;
}

std::string detail::shortfall_text(const FrameResult& f) {
  int worst = 0;
  for (int r = 1; r < kNumPosture; ++r)
    if (std::abs(f.reserve_nm[r]) > std::abs(f.reserve_nm[worst])) worst = r;
  return fmt::format("the muscles fall short at the {} by {:.1f} N m", kPostureNames[worst],
                     std::abs(f.reserve_nm[worst]));
}

Compensation compare_with_full_capacity(const Model& model, const TaskResult& result,
                                        const TaskResult& baseline) {
  PULLEY_DEMAND(result.frames.size() == baseline.frames.size(), "same task, same frames");
  Compensation out;
  const double n = static_cast<double>(result.frames.size());
  for (int m = 0; m < static_cast<int>(model.muscles.size()); ++m) {
    MuscleChange c;
    c.muscle = model.muscles[m].name;
    c.group = model.muscles[m].group;
    c.capacity = model.muscles[m].factors.capacity;
    for (std::size_t j = 0; j < result.frames.size(); ++j) {
      const double f = muscle_output(model, m, result.frames[j].force_n, result.frames[j].activation).force_n;
      const double g = muscle_output(model, m, baseline.frames[j].force_n, baseline.frames[j].activation).force_n;
      c.mean_n += f / n;
      c.baseline_mean_n += g / n;
      c.peak_n = std::max(c.peak_n, f);
      c.baseline_peak_n = std::max(c.baseline_peak_n, g);
    }
    out.muscles.push_back(c);
  }
  std::stable_sort(out.muscles.begin(), out.muscles.end(),
                   [](const MuscleChange& a, const MuscleChange& b) {
                     return a.mean_n - a.baseline_mean_n > b.mean_n - b.baseline_mean_n;
                   });
  const auto& names = lumbar_level_names();
  for (std::size_t l = 0; l < names.size(); ++l) {
    LevelChange c;
    c.level = names[l];
    for (std::size_t j = 0; j < result.frames.size(); ++j) {
      const auto& now = result.frames[j].loads.lumbar[l];
      const auto& before = baseline.frames[j].loads.lumbar[l];
      c.mean_ligament_tension_n += now.ligament_tension_n / n;
      c.baseline_mean_ligament_tension_n += before.ligament_tension_n / n;
      c.peak_compression_n = std::max(c.peak_compression_n, now.compression_n);
      c.baseline_peak_compression_n = std::max(c.baseline_peak_compression_n, before.compression_n);
    }
    out.lumbar.push_back(c);
  }
  return out;
}

bool is_posture_jump(const FrameResult& a, const FrameResult& b) {
  const double thorax = std::abs(b.thorax_rotation_deg - a.thorax_rotation_deg);
  const double turn = std::max(std::abs(b.pelvis_rotation_deg - a.pelvis_rotation_deg),
                               std::abs(b.lumbar_flexion_deg - a.lumbar_flexion_deg));
  return turn > thorax + kPostureJumpDeg;
}

TaskSummary summarise(const Model& model, const TaskResult& result) {
  TaskSummary s;
  for (std::size_t j = 1; j < result.frames.size(); ++j) {
    const FrameResult& a = result.frames[j - 1];
    const FrameResult& b = result.frames[j];
    if (!is_posture_jump(a, b)) continue;
    s.posture_jumps.push_back({static_cast<int>(j), b.time_s,
                               {a.thorax_rotation_deg, b.thorax_rotation_deg},
                               {a.pelvis_rotation_deg, b.pelvis_rotation_deg},
                               {a.lumbar_flexion_deg, b.lumbar_flexion_deg}});
  }
  const double weight = model.tree.total_mass() * kGravity;
  s.knee_peak_anterior_shear_n = -std::numeric_limits<double>::infinity();
  int counted = 0;  // frames that enter the peaks
  for (std::size_t j = 0; j < result.frames.size(); ++j) {
    // A frame an unmeasured support helps carry (sit-to-stand's chair) lacks that force in its
    // loads: it is reported, but not a peak.
    if (result.gait && result.gait->supported(j)) continue;
    ++counted;
    s.infeasible_frames_in_peaks += !result.frames[j].feasible;
    const FrameResult& f = result.frames[j];
    for (int l = 0; l < 5; ++l) {
      const auto& load = f.loads.lumbar[l];
      LevelPeaks& p = s.lumbar[l];
      p.compression_n = std::max(p.compression_n, load.compression_n);
      p.shear_n = std::max(p.shear_n, std::abs(load.shear_n));
      p.disc_pressure_mpa = std::max(p.disc_pressure_mpa, load.disc_pressure_mpa);
      if (load.compression_n > loads::LoadLimits::kCompressionN) ++p.frames_over_compression_limit;
      if (std::abs(load.shear_n) > loads::LoadLimits::kShearN) ++p.frames_over_shear_limit;
    }
    for (int k = 0; k < 2; ++k) {
      s.knee_peak_compression_bw = std::max(s.knee_peak_compression_bw, f.loads.knee[k].compression_n / weight);
      s.knee_peak_anterior_shear_n = std::max(s.knee_peak_anterior_shear_n, f.loads.knee[k].anterior_shear_n);
      s.knee_peak_posterior_shear_n =
          std::max(s.knee_peak_posterior_shear_n, -f.loads.knee[k].anterior_shear_n);
      s.hip_peak_contact_bw = std::max(s.hip_peak_contact_bw, f.loads.hip_contact_n[k] / weight);
    }
  }
  if (counted == 0) s.knee_peak_anterior_shear_n = 0.0;
  if (result.options.task != "forward-bend" || result.frames.empty()) return s;

  BendRhythm b;
  std::vector<const FrameResult*> bend;
  for (const FrameResult& f : result.frames) {
    b.peak_thorax_inclination_deg = std::max(b.peak_thorax_inclination_deg, f.thorax_rotation_deg);
    b.peak_pelvis_rotation_deg = std::max(b.peak_pelvis_rotation_deg, f.pelvis_rotation_deg);
    b.peak_hip_flexion_deg = std::max(b.peak_hip_flexion_deg, f.posture.hip_flexion_deg[0]);
    b.peak_lumbar_flexion_deg = std::max(b.peak_lumbar_flexion_deg, f.lumbar_flexion_deg);
    if (f.phase == "bend") bend.push_back(&f);
  }
  // Lumbar flexion and pelvis rotation at a thorax rotation, interpolated along the bend.
  const auto at = [&](double thorax, double& lumbar, double& pelvis) {
    lumbar = along_bend(result, thorax, [](const FrameResult& f) { return f.lumbar_flexion_deg; });
    pelvis = along_bend(result, thorax, [](const FrameResult& f) { return f.pelvis_rotation_deg; });
  };
  // chosen: a band must be covered by at least 10 deg of the bend to get a ratio.
  for (double lo = 0.0; bend.size() >= 2 && lo + 10.0 <= b.peak_thorax_inclination_deg; lo += 30.0) {
    const double hi = std::min(lo + 30.0, b.peak_thorax_inclination_deg);
    double l0 = 0, p0 = 0, l1 = 0, p1 = 0;
    at(lo, l0, p0);
    at(hi, l1, p1);
    const double dp = p1 - p0;
    const std::string name = std::to_string(static_cast<int>(lo)) + "-" + std::to_string(static_cast<int>(lo + 30.0));
    b.lumbar_pelvis_ratio_by_band.emplace_back(name, std::abs(dp) > 1e-6 ? (l1 - l0) / dp : kNaN);
  }
  // Flexion-relaxation (Kippers & Parker 1984): the first bend frame with every erector spinae
  // unit at resting tone, and how long the silence lasts.
  std::vector<int> erector_units;
  for (int i = 0; i < model.num_units(); ++i)
    if (model.muscles[model.units[i].muscle].group == "erector_spinae") erector_units.push_back(i);
  BendRhythm::ErectorSilence silence;
  silence.bend_frames = static_cast<int>(bend.size());
  for (std::size_t j = 0; j < bend.size(); ++j) {
    const FrameResult& f = *bend[j];
    bool silent = !erector_units.empty() && f.activation.size() == model.num_units();
    for (const int i : erector_units)
      silent = silent && f.activation[i] <= model.tone + kErectorSilenceAboveTone;
    if (!silent) continue;
    if (silence.silent_bend_frames == 0) {
      silence.onset_thorax_rotation_deg = f.thorax_rotation_deg;
      silence.onset_lumbar_flexion_deg = f.lumbar_flexion_deg;
      silence.onset_fraction_of_peak_lumbar_flexion =
          b.peak_lumbar_flexion_deg > 0.0 ? f.lumbar_flexion_deg / b.peak_lumbar_flexion_deg : kNaN;
    }
    ++silence.silent_bend_frames;
    if (j + 1 == bend.size()) silence.silent_at_deepest_frame = true;
  }
  if (silence.silent_bend_frames > 0) b.erector_silence = silence;
  s.bend = b;
  return s;
}

}  // namespace pulley::tasks
