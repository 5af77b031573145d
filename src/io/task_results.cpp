#include "pulley/io/task_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "pulley/core/units.hpp"
#include "pulley/core/version.hpp"
#include "pulley/io/results_json.hpp"
#include "pulley/io/subject_yaml.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/tasks/gait.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "pulley/tasks/repetitions.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::io {

namespace {

using nlohmann::json;
using tasks::FrameResult;
using tasks::TaskResult;

// JSON has no NaN or infinity: a non-finite number is written as null (explicitly, rather than
// relying on nlohmann's dump, so the JSON value itself never holds one).
json number(double v) { return finite_number(v); }

// Change from `baseline` to `now` in percent of the baseline; null when the baseline is not
// positive.
json change_pct(double baseline, double now) {
  return number(baseline > 0.0 ? 100.0 * (now - baseline) / baseline : std::nan(""));
}

constexpr std::array<const char*, 2> kSides = {"right", "left"};

// One array per quantity: the value of `get` in every frame.
template <class Get>
json column(const TaskResult& r, Get get) {
  json a = json::array();
  for (const FrameResult& f : r.frames) {
    if constexpr (std::is_same_v<decltype(get(f)), bool>)
      a.push_back(get(f));
    else if constexpr (std::is_convertible_v<decltype(get(f)), std::string>)
      a.push_back(std::string(get(f)));
    else
      a.push_back(number(static_cast<double>(get(f))));
  }
  return a;
}

bool over_compression(const FrameResult& f) {
  return std::any_of(f.loads.lumbar.begin(), f.loads.lumbar.end(), [](const auto& l) {
    return l.compression_n > loads::LoadLimits::kCompressionN;
  });
}
bool over_shear(const FrameResult& f) {
  return std::any_of(f.loads.lumbar.begin(), f.loads.lumbar.end(), [](const auto& l) {
    return std::abs(l.shear_n) > loads::LoadLimits::kShearN;
  });
}

std::string status_message(const TaskResult& r) {
  if (!r.message.empty()) return r.message;
  if (r.unconverged_frames > 0)
    return fmt::format("{} of {} frames: the posture search stopped before meeting its "
                       "tolerances",
                       r.unconverged_frames, r.frames.size());
  return "";
}

// Fixed-precision CSV/mot number; empty for a non-finite value.
std::string fixed(double v, int digits) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -digits)) v = 0.0;  // no "-0.000"
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string();
}

json numbers(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(number(x));
  return a;
}

// summary.hamstrings.<head> (the gait issue's keys and a few more) for the right leg.
json hamstring_summary(const tasks::GaitDetails& g) {
  json out = json::object();
  for (const auto& m : g.hamstrings)
    out[m.head] = {{"peak_mtu_stretch_pct", number(m.peak_stretch_pct.value)},
                   {"peak_time_pct_cycle", number(m.peak_stretch_pct.time_pct_cycle)},
                   {"peak_fibre_strain", number(m.peak_fibre_strain.value)},
                   {"peak_fibre_strain_time_pct_cycle", number(m.peak_fibre_strain.time_pct_cycle)},
                   {"peak_force_n", number(m.peak_force_n.value)},
                   {"peak_force_time_pct_cycle", number(m.peak_force_n.time_pct_cycle)},
                   {"peak_lengthening_m_s", number(m.peak_lengthening_m_s.value)},
                   {"peak_lengthening_time_pct_cycle", number(m.peak_lengthening_m_s.time_pct_cycle)},
                   {"negative_work_j", number(m.negative_work_j)},
                   {"strain_index", number(m.strain_index.value)},
                   {"strain_index_time_pct_cycle", number(m.strain_index.time_pct_cycle)},
                   {"relative_strain_index",
                    m.relative_strain_index ? number(*m.relative_strain_index) : json(nullptr)}};
  return out;
}

json fresh_and_fatigued(const tasks::FreshAndFatigued& v) {
  return {{"fresh", number(v.fresh)}, {"fatigued", number(v.fatigued)}};
}

// summary.fatigue and the top-level "fatigue" object of a fatiguing task.
json fatigue_summary(const tasks::FatigueDetails& d) {
  json s;
  s["protocol"] = d.protocol;
  s["duration_s"] = number(d.duration_s);
  s["endurance_time_s"] = d.endurance_time_s ? number(*d.endurance_time_s) : json(nullptr);
  json muscles = json::object();
  for (const auto& m : d.muscles)
    muscles[m.muscle] = {{"rates", m.rates},
                         {"fatigued_fraction", number(m.fatigued)},
                         {"capacity", number(m.capacity)},
                         {"passive_scale", number(m.passive_scale)}};
  s["muscles"] = muscles;
  if (d.after) {
    const auto& a = *d.after;
    json after;
    after["standing"] = {{"pelvic_tilt_deg", fresh_and_fatigued(a.pelvic_tilt_deg)},
                         {"lumbar_lordosis_deg", fresh_and_fatigued(a.lumbar_lordosis_deg)}};
    after["forward_bend"] = {
        {"peak_pelvis_rotation_deg", fresh_and_fatigued(a.bend_pelvis_rotation_deg)},
        {"peak_lumbar_flexion_deg", fresh_and_fatigued(a.bend_lumbar_flexion_deg)}};
    json heads = json::object();
    for (std::size_t h = 0; h < a.hamstring_strain_index.size(); ++h)
      heads[tasks::kHamstringHeads[h]] = fresh_and_fatigued(a.hamstring_strain_index[h]);
    after["stride"] = {{"recording", a.stride}, {"hamstring_strain_index", heads}};
    s["after"] = after;
  }
  return s;
}

json fatigue_json(const tasks::FatigueDetails& d, const model::Model& model) {
  json j;
  j["time_s"] = numbers(d.sample_time_s);
  json capacity = json::object();
  for (std::size_t m = 0; m < model.muscles.size(); ++m) {
    json a = json::array();
    for (const auto& c : d.capacity) a.push_back(number(c[m]));
    capacity[model.muscles[m].name] = a;
  }
  j["capacity"] = capacity;
  json sprints = json::array();
  for (const auto& b : d.sprints) {
    json heads = json::object();
    for (std::size_t h = 0; h < b.hamstring_capacity.size(); ++h)
      heads[tasks::kHamstringHeads[h]] = {{"capacity", number(b.hamstring_capacity[h])},
                                          {"peak_force_n", number(b.hamstring_peak_force_n[h])},
                                          {"strain_index", number(b.hamstring_strain_index[h])}};
    sprints.push_back({{"start_s", number(b.start_s)}, {"hamstrings", heads}});
  }
  j["sprints"] = sprints;
  return j;
}

// The top-level "gait" object (walk, run, sprint) or "recorded_motion" (sit-to-stand, squat): the
// recording, how it was fitted, and per-frame traces.
json gait_json(const tasks::GaitDetails& g, bool stride) {
  json j;
  j["activity"] = g.activity;
  j["recording"] = g.recording;
  j["citation"] = g.citation;
  if (stride) {
    j["speed_m_s"] = number(g.speed_m_s);
    j["cycle_origin"] = fmt::format(
        "right foot strike (vertical ground reaction rising through {:g} N)",
        tasks::kFootContactThresholdN);
    j["stride"] = {{"start_s", number(g.stride.start_s)},
                   {"end_s", number(g.stride.end_s)},
                   {"duration_s", number(g.stride.duration())}};
  } else {
    j["window"] = {{"start_s", number(g.stride.start_s)},
                   {"end_s", number(g.stride.end_s)},
                   {"duration_s", number(g.stride.duration())}};
  }
  j["smoothing_cutoff_hz"] = number(g.smoothing_cutoff_hz);
  j["recorded_mass_kg"] = number(g.recorded_mass_kg);
  j["synthetic"] = g.synthetic;
  j["size_ratio"] = number(g.size_ratio);
  j["size_fit_rms_m"] = number(g.size_fit_rms_m);
  json fr;
  if (stride) fr["cycle_pct"] = numbers(g.cycle_pct);
  else {
    json a = json::array();
    for (std::size_t f = 0; f < g.pelvis_residual.size(); ++f) a.push_back(g.supported(f));
    fr["unmeasured_support"] = a;
  }
  for (int k = 0; k < 2; ++k)
    for (int c = 0; c < 2; ++c) {
      json a = json::array();
      for (const auto& f : g.ground_force_n) a.push_back(number(f[k][c]));
      fr["ground_force_n"][kSides[k]][c == 0 ? "x" : "y"] = a;
    }
  const std::array<const char*, 3> residual = {"force_x_n", "force_y_n", "moment_nm"};
  for (int c = 0; c < 3; ++c) {
    json a = json::array();
    for (const auto& r : g.pelvis_residual) a.push_back(number(r[c]));
    fr["pelvis_residual"][residual[c]] = a;
  }
  for (std::size_t e = 0; e < tasks::kGaitEquationNames.size(); ++e) {
    json a = json::array();
    for (const auto& u : g.unmet_nm) a.push_back(number(u[e]));
    fr["unmet_nm"][tasks::kGaitEquationNames[e]] = a;
  }
  for (const auto& m : g.hamstrings) {
    json& h = fr["hamstrings"][m.head];
    h["mtu_stretch_pct"] = numbers(m.stretch_pct);
    h["lengthening_m_s"] = numbers(m.lengthening_m_s);
    h["fibre_length_m"] = numbers(m.fibre_length_m);
    h["fibre_strain"] = numbers(m.fibre_strain);
    h["force_n"] = numbers(m.force_n);
    h["strain_demand"] = numbers(m.strain_demand);
  }
  j["frames"] = fr;
  return j;
}

json knee_peaks_json(const tasks::KneePeaks& p) {
  return {{"frames", p.frames},
          {"peak_compression_bw", number(p.compression_bw)},
          {"peak_compression_time_s", number(p.compression_time_s)},
          {"knee_flexion_at_peak_deg", number(p.knee_flexion_deg)},
          {"peak_resultant_bw", number(p.resultant_bw)},
          {"peak_anterior_shear_n", number(p.anterior_shear_n)},
          {"peak_anterior_shear_time_s", number(p.anterior_shear_time_s)},
          {"peak_posterior_shear_n", number(p.posterior_shear_n)}};
}

// summary.repetitions: the support, each repetition's events and knee peaks, and their means.
json repetitions_json(const tasks::RepetitionDetails& d, const std::string& task) {
  using K = tasks::KutznerPeaks;
  json j;
  // The published values the knee's peaks compare with (docs/validation.md).
  j["published_peak_resultant_bw"] =
      task == "squat" ? json{{"source", "Kutzner et al. 2010, J Biomech 43:2164, knee bend"},
                             {"repetition", K::kKneeBendBw}}
                      : json{{"source", "Kutzner et al. 2010, J Biomech 43:2164, standing up and "
                                        "sitting down"},
                             {"rise", K::kStandingUpBw},
                             {"sit", K::kSittingDownBw}};
  j["support_threshold_bw"] = number(d.support_threshold_bw);
  j["supported_frames"] = d.supported_frames;
  j["peak_support_force_n"] = number(d.peak_support_force_n);
  j["repetitions_in_recording"] = d.repetitions_in_recording;
  json list = json::array();
  for (const auto& rep : d.repetitions) {
    json e = {{"number", rep.number},
              {"start_s", number(rep.start_s)},
              {"end_s", number(rep.end_s)},
              {"turn_s", number(rep.turn_s)},
              {"seat_off_s", number(rep.seat_off_s)},
              {"seat_on_s", number(rep.seat_on_s)},
              {"knee", knee_peaks_json(rep.knee)}};
    for (const auto& phase : rep.phases) {
      json p = knee_peaks_json(phase.knee);
      p["start_s"] = number(phase.start_s);
      p["end_s"] = number(phase.end_s);
      e["phases"][phase.name] = p;
    }
    list.push_back(e);
  }
  j["list"] = list;
  json mean = {{"knee", knee_peaks_json(d.mean)}};
  for (int p = 0; p < 2 && !d.repetitions.empty(); ++p)
    mean["phases"][d.repetitions.front().phases[p].name] = knee_peaks_json(d.mean_phase[p]);
  j["mean"] = mean;
  return j;
}

}  // namespace

json task_parameters_json(const tasks::TaskOptions& o) {
  json j = json::object();
  const tasks::TaskInfo* info = tasks::find_task(o.task);
  if (!info) return j;
  for (const auto& p : info->parameters) {
    if (!p.choices.empty()) {
      j[p.name] = o.words.count(p.name) ? json(o.word(p.name)) : json();
      continue;
    }
    const double v = o.numbers.count(p.name) ? o.number(p.name) : std::nan("");
    j[p.name] = p.integer && std::isfinite(v) ? json(static_cast<long long>(v)) : number(v);
  }
  return j;
}

std::string task_status(const TaskResult& r) {
  if (r.infeasible_frames > 0 || r.frames.empty()) return "infeasible";
  if (r.unconverged_frames > 0) return "not_converged";
  return "ok";
}

nlohmann::json task_to_json(const model::Model& model, const TaskResult& r,
                            const tasks::TaskSummary& s,
                            const tasks::Compensation* compensation) {
  const auto& levels = tasks::lumbar_level_names();
  json j = result_header(r.options.task);
  j["parameters"] = task_parameters_json(r.options);
  j["subject"] = subject_to_json(model);
  j["status"] = task_status(r);
  j["message"] = status_message(r);
  j["reserve"] = r.reserve_on ? "on" : "off";
  j["units"] =
      "Units are in the key names: _n newtons, _nm newton metres, _mpa megapascals, _deg "
      "degrees, _s seconds, _m metres, _bw multiples of body weight; activation and "
      "posterior_share are fractions 0-1. Per-frame values are arrays with one entry per frame.";

  // --- frames: one array per quantity ---
  json fr;
  fr["time_s"] = column(r, [](const FrameResult& f) { return f.time_s; });
  fr["phase"] = column(r, [](const FrameResult& f) { return f.phase; });
  fr["feasible"] = column(r, [](const FrameResult& f) { return f.feasible; });
  fr["converged"] = column(r, [](const FrameResult& f) { return f.converged; });
  json& post = fr["posture"];
  post["pelvic_tilt_deg"] = column(r, [](const FrameResult& f) { return f.posture.pelvic_tilt_deg; });
  post["lumbar_lordosis_deg"] =
      column(r, [](const FrameResult& f) { return f.posture.lumbar_lordosis_deg; });
  // Both legs move together in every task: the right side's angles.
  post["hip_flexion_deg"] = column(r, [](const FrameResult& f) { return f.posture.hip_flexion_deg[0]; });
  post["knee_flexion_deg"] =
      column(r, [](const FrameResult& f) { return f.posture.knee_flexion_deg[0]; });
  post["ankle_dorsiflexion_deg"] =
      column(r, [](const FrameResult& f) { return f.posture.ankle_dorsiflexion_deg[0]; });
  post["trunk_inclination_deg"] =
      column(r, [](const FrameResult& f) { return f.posture.trunk_inclination_deg; });
  for (std::size_t l = 0; l < levels.size(); ++l)
    post["segmental_lordosis_deg"][levels[l]] = column(r, [&](const FrameResult& f) {
      return l < f.posture.segmental_lordosis_deg.size() ? f.posture.segmental_lordosis_deg[l]
                                                         : std::nan("");
    });
  fr["thorax_rotation_deg"] = column(r, [](const FrameResult& f) { return f.thorax_rotation_deg; });
  fr["pelvis_rotation_deg"] = column(r, [](const FrameResult& f) { return f.pelvis_rotation_deg; });
  fr["lumbar_flexion_deg"] = column(r, [](const FrameResult& f) { return f.lumbar_flexion_deg; });
  for (std::size_t l = 0; l < levels.size(); ++l) {
    json& lv = fr["lumbar"][levels[l]];
    lv["compression_n"] = column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].compression_n; });
    lv["shear_n"] = column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].shear_n; });
    lv["disc_pressure_mpa"] =
        column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].disc_pressure_mpa; });
    lv["posterior_share"] =
        column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].posterior_share; });
    lv["disc_moment_nm"] =
        column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].disc_moment_nm; });
    lv["ligament_tension_n"] =
        column(r, [&](const FrameResult& f) { return f.loads.lumbar[l].ligament_tension_n; });
  }
  for (int k = 0; k < 2; ++k) {
    fr["hip"][kSides[k]]["contact_force_n"] =
        column(r, [&](const FrameResult& f) { return f.loads.hip_contact_n[k]; });
    fr["knee"][kSides[k]]["compression_n"] =
        column(r, [&](const FrameResult& f) { return f.loads.knee[k].compression_n; });
    fr["knee"][kSides[k]]["anterior_shear_n"] =
        column(r, [&](const FrameResult& f) { return f.loads.knee[k].anterior_shear_n; });
    json& jm = fr["joint_moments_nm"];
    jm["hip_extension"][kSides[k]] =
        column(r, [&](const FrameResult& f) { return f.muscle_moments.hip[k]; });
    jm["knee_flexion"][kSides[k]] =
        column(r, [&](const FrameResult& f) { return f.muscle_moments.knee[k]; });
    jm["ankle_plantarflexion"][kSides[k]] =
        column(r, [&](const FrameResult& f) { return f.muscle_moments.ankle[k]; });
  }
  for (std::size_t l = 0; l < levels.size(); ++l)
    fr["joint_moments_nm"]["lumbar_extension"][levels[l]] =
        column(r, [&](const FrameResult& f) { return f.muscle_moments.lumbar[l]; });
  for (std::size_t k = 0; k < tasks::kPostureNames.size(); ++k)
    fr["reserve_nm"][tasks::kPostureNames[k]] =
        column(r, [&](const FrameResult& f) { return f.reserve_nm[k]; });
  json muscles = json::object();
  for (std::size_t m = 0; m < model.muscles.size(); ++m) {
    json force = json::array(), activation = json::array();
    for (const FrameResult& f : r.frames) {
      const auto out = tasks::muscle_output(model, static_cast<int>(m), f.force_n, f.activation);
      force.push_back(number(out.force_n));
      activation.push_back(number(out.activation));
    }
    muscles[model.muscles[m].name] = {{"force_n", force}, {"activation", activation}};
  }
  fr["muscles"] = muscles;
  fr["load_distance_m"] = column(r, [](const FrameResult& f) { return f.load_distance_m; });
  // Key names state the limits (docs/file-formats.md documents them as compression_over_3400_n and
  // shear_over_1000_n).
  fr["flags"][fmt::format("compression_over_{:.0f}_n", loads::LoadLimits::kCompressionN)] =
      column(r, over_compression);
  fr["flags"][fmt::format("shear_over_{:.0f}_n", loads::LoadLimits::kShearN)] = column(r, over_shear);
  j["frames"] = fr;

  // --- summary ---
  json sum;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const auto& p = s.lumbar[l];
    sum["lumbar"][levels[l]] = {{"peak_compression_n", number(p.compression_n)},
                                {"peak_shear_n", number(p.shear_n)},
                                {"peak_disc_pressure_mpa", number(p.disc_pressure_mpa)},
                                {"frames_over_compression_limit", p.frames_over_compression_limit},
                                {"frames_over_shear_limit", p.frames_over_shear_limit}};
  }
  sum["limits"] = {{"compression_n", loads::LoadLimits::kCompressionN},
                   {"shear_n", loads::LoadLimits::kShearN}};
  sum["knee"] = {{"peak_compression_bw", number(s.knee_peak_compression_bw)},
                 {"peak_anterior_shear_n", number(s.knee_peak_anterior_shear_n)},
                 {"peak_posterior_shear_n", number(s.knee_peak_posterior_shear_n)}};
  sum["hip"] = {{"peak_contact_bw", number(s.hip_peak_contact_bw)}};
  json jumps = json::array();
  for (const auto& jump : s.posture_jumps) {
    const auto pair = [](const std::array<double, 2>& v) { return json{number(v[0]), number(v[1])}; };
    jumps.push_back({{"frame", jump.frame},
                     {"time_s", number(jump.time_s)},
                     {"thorax_rotation_deg", pair(jump.thorax_rotation_deg)},
                     {"pelvis_rotation_deg", pair(jump.pelvis_rotation_deg)},
                     {"lumbar_flexion_deg", pair(jump.lumbar_flexion_deg)}});
  }
  sum["posture_jumps"] = jumps;
  if (r.gait) {
    if (!r.repetitions) sum["hamstrings"] = hamstring_summary(*r.gait);
    const auto residual = r.gait->peak_pelvis_residual();
    sum["pelvis_residual"] = {{"peak_force_n", number(residual.force_n)},
                              {"peak_moment_nm", number(residual.moment_nm)}};
    j[r.repetitions ? "recorded_motion" : "gait"] = gait_json(*r.gait, !r.repetitions);
  }
  if (r.fatigue) {
    sum["fatigue"] = fatigue_summary(*r.fatigue);
    j["fatigue"] = fatigue_json(*r.fatigue, model);
  }
  if (r.repetitions) sum["repetitions"] = repetitions_json(*r.repetitions, r.options.task);
  if (s.bend) {
    const auto& b = *s.bend;
    sum["peak_thorax_inclination_deg"] = number(b.peak_thorax_inclination_deg);
    sum["peak_pelvis_rotation_deg"] = number(b.peak_pelvis_rotation_deg);
    sum["peak_hip_flexion_deg"] = number(b.peak_hip_flexion_deg);
    sum["peak_lumbar_flexion_deg"] = number(b.peak_lumbar_flexion_deg);
    json bands = json::array();
    for (const auto& [band, ratio] : b.lumbar_pelvis_ratio_by_band)
      bands.push_back({{"band_deg", band}, {"ratio", number(ratio)}});
    sum["lumbar_pelvis_ratio_by_band"] = bands;
    if (b.erector_silence) {
      const auto& e = *b.erector_silence;
      sum["erector_silence"] = {
          {"onset_thorax_rotation_deg", number(e.onset_thorax_rotation_deg)},
          {"onset_lumbar_flexion_deg", number(e.onset_lumbar_flexion_deg)},
          {"onset_fraction_of_peak_lumbar_flexion", number(e.onset_fraction_of_peak_lumbar_flexion)},
          {"silent_bend_frames", e.silent_bend_frames},
          {"bend_frames", e.bend_frames},
          {"silent_at_deepest_frame", e.silent_at_deepest_frame}};
    } else {
      sum["erector_silence"] = nullptr;
    }
  }
  j["summary"] = sum;

  // --- compensation: how muscles and tissues take over from muscles with lowered capacity ---
  if (compensation) {
    json list = json::array();
    struct GroupSum {
      double baseline = 0.0, now = 0.0;
    };
    std::map<std::string, GroupSum> groups;
    for (const auto& c : compensation->muscles) {
      const double change = c.mean_n - c.baseline_mean_n;
      list.push_back({{"muscle", c.muscle},
                      {"group", c.group},
                      {"capacity", number(c.capacity)},
                      {"baseline_mean_force_n", number(c.baseline_mean_n)},
                      {"mean_force_n", number(c.mean_n)},
                      {"change_n", number(change)},
                      {"change_pct", change_pct(c.baseline_mean_n, c.mean_n)},
                      {"baseline_peak_force_n", number(c.baseline_peak_n)},
                      {"peak_force_n", number(c.peak_n)}});
      if (c.group.empty()) continue;
      groups[c.group].baseline += c.baseline_mean_n;
      groups[c.group].now += c.mean_n;
    }
    json g = json::object();
    for (const auto& [name, v] : groups)
      g[name] = {{"baseline_mean_force_n", number(v.baseline)},
                 {"mean_force_n", number(v.now)},
                 {"change_pct", change_pct(v.baseline, v.now)}};
    json lumbar = json::object();
    for (const auto& c : compensation->lumbar)
      lumbar[c.level] = {
          {"baseline_mean_ligament_tension_n", number(c.baseline_mean_ligament_tension_n)},
          {"mean_ligament_tension_n", number(c.mean_ligament_tension_n)},
          {"ligament_tension_change_pct",
           change_pct(c.baseline_mean_ligament_tension_n, c.mean_ligament_tension_n)},
          {"baseline_peak_compression_n", number(c.baseline_peak_compression_n)},
          {"peak_compression_n", number(c.peak_compression_n)}};
    j["compensation"] = {{"muscles", list}, {"groups", g}, {"lumbar", lumbar}};
  }
  return j;
}

std::string task_to_csv(const TaskResult& r) {
  const auto& levels = tasks::lumbar_level_names();
  std::string out =
      "time_s,phase,thorax_rotation_deg,pelvis_rotation_deg,lumbar_flexion_deg,"
      "hip_flexion_deg,knee_flexion_deg,ankle_dorsiflexion_deg";
  for (const auto& l : levels)
    out += fmt::format(
        ",{0}_compression_n,{0}_shear_n,{0}_disc_pressure_mpa,{0}_ligament_tension_n", l);
  out += ",hip_contact_r_n,hip_contact_l_n,knee_compression_r_n,knee_compression_l_n,"
         "knee_anterior_shear_r_n,knee_anterior_shear_l_n";
  for (const char* name : tasks::kPostureNames) out += fmt::format(",reserve_{}_nm", name);
  out += ",feasible\n";
  // Appends ",value" (GCC 12 warns falsely on `"," + std::string`, so no temporaries).
  const auto add = [&out](double v, int digits) {
    out += ',';
    out += fixed(v, digits);
  };
  for (const FrameResult& f : r.frames) {
    out += fixed(f.time_s, 4);
    out += ',';
    out += f.phase;
    for (double v : {f.thorax_rotation_deg, f.pelvis_rotation_deg, f.lumbar_flexion_deg,
                     f.posture.hip_flexion_deg[0], f.posture.knee_flexion_deg[0],
                     f.posture.ankle_dorsiflexion_deg[0]})
      add(v, 3);
    for (const auto& l : f.loads.lumbar) {
      add(l.compression_n, 1);
      add(l.shear_n, 1);
      add(l.disc_pressure_mpa, 4);
      add(l.ligament_tension_n, 1);
    }
    for (double v : {f.loads.hip_contact_n[0], f.loads.hip_contact_n[1],
                     f.loads.knee[0].compression_n, f.loads.knee[1].compression_n,
                     f.loads.knee[0].anterior_shear_n, f.loads.knee[1].anterior_shear_n})
      add(v, 1);
    for (double v : f.reserve_nm) add(v, 3);
    out += f.feasible ? ",1\n" : ",0\n";
  }
  return out;
}

// Coordinate names and signs from Rajagopal et al. 2016 (Rajagopal2016.osim in
// github.com/opensim-org/opensim-models, commit 20a888b; its ground_pelvis, hip, walker_knee,
// ankle and back joints):
//   pelvis_tilt: rotation of the pelvis about the ground z axis (z to the right), positive =
//     counter-clockwise seen from the right = posterior rotation; 0 = the pelvis frame level.
//     Pulley's pelvis frame is Rajagopal's (docs/notation.md), so pelvis_tilt = q[2].
//   pelvis_tx, pelvis_ty: pelvis origin, anterior and up (m); Pulley's floor is y = 0. A
//     stride's frame read a period away in its recording (GaitDetails::sample_time_s) is placed
//     back by the stride's advance, so that the pelvis moves on without a jump.
//   hip_flexion_*: + flexion. knee_angle_*: range 0 to 2.0944 rad in Rajagopal's walker knee,
//     so + flexion (gait2392's knee_angle is negative in flexion; Rajagopal's is not).
//   ankle_angle_*: + dorsiflexion.
//   lumbar_extension: Rajagopal's back joint (pelvis to torso), + extension. Pulley has five
//     lumbar joints instead; here it is their summed lordosis minus the sum in the subject's
//     quiet standing, i.e. the thorax's rotation relative to the pelvis from standing, extension
//     positive: the inverse of how the gait tasks read a recording's lumbar_extension, whose
//     zero is its model's upright posture (tasks::RecordedMotion's lumbar_base).
std::string task_to_mot(const model::Model& model, const TaskResult& r) {
  const auto& levels = tasks::lumbar_level_names();
  std::vector<std::string> names = {"time",          "pelvis_tilt",  "pelvis_tx",
                                    "pelvis_ty",     "hip_flexion_r", "knee_angle_r",
                                    "ankle_angle_r", "hip_flexion_l", "knee_angle_l",
                                    "ankle_angle_l", "lumbar_extension"};
  // Pulley extras (not OpenSim coordinates): segmental lordosis, L5_S1 first (caudal to cranial).
  for (int l = 4; l >= 0; --l) names.push_back(levels[l] + "_lordosis");
  double upright = 0.0;  // the summed lordosis of quiet standing (each level's neutral without it)
  if (r.standing.q.size() == model.num_coordinates())
    for (const double angle : tasks::lumbar_angles(model, r.standing.q)) upright += angle;
  else
    for (const model::LumbarLevel& level : model.levels) upright += level.neutral_rad;
  std::string out = fmt::format(
      "pulley_{}\nversion=1\nnRows={}\nnColumns={}\ninDegrees=yes\n\n"
      "Pulley {} task '{}': sagittal-plane coordinates named as in Rajagopal et al. 2016.\n"
      "Columns after lumbar_extension are Pulley's segmental lordosis angles, not OpenSim "
      "coordinates.\nUnits are S.I. units (second, meters, Newtons, ...)\nAngles are in "
      "degrees.\n\nendheader\n",
      r.options.task, r.frames.size(), names.size(), version(), r.options.task);
  for (std::size_t k = 0; k < names.size(); ++k) out += (k ? "\t" : "") + names[k];
  out += "\n";
  for (std::size_t j = 0; j < r.frames.size(); ++j) {
    const FrameResult& f = r.frames[j];
    const Eigen::VectorXd& q = f.q;
    double lordosis = 0.0;
    for (int l = 0; l < 5; ++l) lordosis += q[model.coord.lumbar[l]];
    const double offset =
        r.gait && j < r.gait->pelvis_offset_m.size() ? r.gait->pelvis_offset_m[j] : 0.0;
    std::vector<double> row = {f.time_s, rad_to_deg(q[2]), q[0] + offset, q[1]};
    for (int k = 0; k < 2; ++k) {
      row.push_back(rad_to_deg(q[model.coord.hip[k]]));
      row.push_back(rad_to_deg(q[model.coord.knee[k]]));
      row.push_back(rad_to_deg(q[model.coord.ankle[k]]));
    }
    row.push_back(rad_to_deg(lordosis - upright));
    for (int l = 4; l >= 0; --l) row.push_back(rad_to_deg(q[model.coord.lumbar[l]]));
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::string v = fixed(row[k], 8);
      out += (k ? "\t" : "") + (v.empty() ? std::string("NaN") : v);
    }
    out += "\n";
  }
  return out;
}

}  // namespace pulley::io
