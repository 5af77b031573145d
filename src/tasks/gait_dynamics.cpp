#include "pulley/tasks/gait_dynamics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/loads/joint_loads.hpp"
#include "pulley/model/data.hpp"
#include "pulley/numerics/gaussian_smoother.hpp"
#include "pulley/numerics/secant_predictor.hpp"
#include "pulley/recruitment/static_optimization.hpp"
#include "pulley/tasks/quasi_static.hpp"
#include "pulley/tasks/standing.hpp"

namespace pulley::tasks {

using model::Model;
using skeleton::Vec2;

namespace {

// Passes of settle_lumbar_levels per frame (chosen: in the runs the levels' largest shortfall
// falls by one to two orders of magnitude a pass, below tolerance within four).
constexpr int kLumbarSettlePasses = 6;

// Turns the lumbar levels of `q` so that their passive moments take up the moments the muscles
// left unmet (`unmet`, the recruitment's lumbar rows, L1_L2 ... L5_S1 as model.levels), the
// levels' sum, and so the thorax's rotation, unchanged: level l turns by -(unmet_l - mu) / k_l
// with k_l its tangent stiffness (model::lumbar_passive_stiffness: the passive moment falls by
// k_l per radian), and mu the compliance-weighted mean shortfall, which no redistribution can
// take up and which stays unmet. Returns false where nothing is left to settle.
bool settle_lumbar_levels(const Model& model, const Eigen::Ref<const Eigen::VectorXd>& unmet,
                          Eigen::VectorXd& q) {
  std::array<double, 5> compliance{};
  double sum_compliance = 0.0, weighted_unmet = 0.0;
  for (int l = 0; l < 5; ++l) {
    const model::LumbarLevel& level = model.levels[l];
    compliance[l] = 1.0 / model::lumbar_passive_stiffness(level, q[level.coordinate]);
    sum_compliance += compliance[l];
    weighted_unmet += compliance[l] * unmet[l];
  }
  const double mu = weighted_unmet / sum_compliance;
  double largest = 0.0;
  for (int l = 0; l < 5; ++l) largest = std::max(largest, std::abs(unmet[l] - mu));
  if (!(largest > kUnmetToleranceNm)) return false;
  for (int l = 0; l < 5; ++l) q[model.levels[l].coordinate] -= (unmet[l] - mu) * compliance[l];
  return true;
}

// One foot's recorded ground reaction as the smoother needs it: per force sample, the force and
// two products that fix the centre of pressure p once smoothed: the force's moment about the
// origin, m = p_x F_y - p_y F_x, and p_y F_y (so p_y = (p_y F_y) / F_y, p_x = (m + p_y F_x) / F_y).
struct FootForces {
  int vertical_column = -1;
  Eigen::VectorXd fx, fy, moment, py_fy;
};

FootForces foot_forces(const io::MotionTable& forces, const std::string& vertical_label) {
  PULLEY_DEMAND(vertical_label.size() > 2, "a vertical force label ends in vy");
  const std::string prefix = vertical_label.substr(0, vertical_label.size() - 2);
  const int vx = forces.require(prefix + "vx"), vy = forces.require(vertical_label);
  const int px = forces.require(prefix + "px"), py = forces.require(prefix + "py");
  FootForces f;
  f.vertical_column = vy;
  f.fx = forces.values.col(vx);
  f.fy = forces.values.col(vy);
  f.moment = forces.values.col(px).cwiseProduct(f.fy) - forces.values.col(py).cwiseProduct(f.fx);
  f.py_fy = forces.values.col(py).cwiseProduct(f.fy);
  return f;
}

// The reaction on one foot at the smoother's time: force (N) and centre of pressure (m), in the
// recording's laboratory. The foot is loaded where the recorded vertical force (interpolated, not
// smoothed, so that smoothing does not lengthen a contact) reaches the threshold; the force is
// then the smoothed one.
FootContact smoothed_contact(const numerics::GaussianSmoother& smoother, const FootForces& f,
                             double recorded_vertical_n, double threshold_n) {
  FootContact c;
  const double fy = smoother.value(f.fy);
  // chosen: 1 N, a floor that keeps the centre of pressure's division well defined.
  if (!(recorded_vertical_n >= threshold_n) || !(fy >= 1.0)) return c;
  c.loaded = true;
  c.force = Vec2(smoother.value(f.fx), fy);
  const double py = smoother.value(f.py_fy) / fy;
  c.point = Vec2((smoother.value(f.moment) + py * c.force.x()) / fy, py);
  return c;
}

// Mean of column `column` of `table` over [t0, t1] (s), integrating its linear interpolation.
double mean_over(const io::MotionTable& table, int column, double t0, double t1) {
  double integral = 0.0, t_prev = t0, v_prev = table.interpolate(column, t0);
  const auto first = std::upper_bound(table.time.begin(), table.time.end(), t0);
  for (auto it = first; it != table.time.end() && *it < t1; ++it) {
    const double v = table.values(it - table.time.begin(), column);
    integral += 0.5 * (v + v_prev) * (*it - t_prev);
    t_prev = *it;
    v_prev = v;
  }
  integral += 0.5 * (v_prev + table.interpolate(column, t1)) * (t1 - t_prev);
  return integral / (t1 - t0);
}

// Height below the pelvis origin of the lowest point of the foot's sole (m, negative), at the
// configuration `data` holds.
double lowest_sole_below_pelvis(const Model& model, const model::Data& data, int side) {
  const int foot = model.body.foot[side];
  const auto& kin = data.kin;
  const double heel = (kin.p_WBo[foot] + kin.R_WB[foot] * Vec2(model.heel_x, model.sole_y)).y();
  const double toe = (kin.p_WBo[foot] + kin.R_WB[foot] * Vec2(model.toe_x, model.sole_y)).y();
  return std::min(heel, toe) - kin.p_WBo[model.body.pelvis].y();
}

}  // namespace

int stride_history_frames(int frames) {
  PULLEY_DEMAND(frames >= 3, "a stride needs at least three frames");
  return (frames - 1 + 3) / 4;  // a quarter of the stride's intervals, rounded up
}

PreparedMotion prepare_motion(const Model& model, const GaitRecording& recording,
                              const std::vector<double>& times, const MotionSettings& settings,
                              std::size_t fitted_from) {
  PULLEY_DEMAND(fitted_from == 0 || fitted_from < times.size(),
                "a frame to fit the recorded subject's size over");
  PULLEY_DEMAND(settings.smoothing_cutoff_hz > 0.0, "a positive smoothing cut-off");
  const RecordedMotion motion(model, recording,
                              settings.lumbar_base ? &*settings.lumbar_base : nullptr);
  const io::MotionTable& coords = recording.coordinates;
  const io::MotionTable& forces = recording.forces;
  if (forces.num_samples() < 2)
    throw InputError(fmt::format("{}: no ground reaction forces; the task needs them",
                                 coords.source));
  const std::array<FootForces, 2> feet = {foot_forces(forces, recording.vertical_force_label[0]),
                                          foot_forces(forces, recording.vertical_force_label[1])};
  const double sigma = numerics::sigma_for_cutoff(settings.smoothing_cutoff_hz);
  numerics::GaussianSmoother at_coordinates(coords.time, sigma);
  // The reactions' rates are not used: their smoother gives values alone.
  numerics::GaussianSmoother at_forces(forces.time, sigma, numerics::SmoothedOutput::values_only);
  const Vec2 gravity(0.0, -kGravity);

  PreparedMotion out;
  out.smoothing_cutoff_hz = settings.smoothing_cutoff_hz;
  out.settle_lumbar_levels = settings.settle_lumbar_levels;
  out.frames.resize(times.size());
  model::Data data(model);
  Eigen::VectorXd tau(model.num_coordinates());
  std::vector<std::pair<double, double>> fit_rows;  // (ground_y - pelvis_y, h) per loaded foot
  for (std::size_t j = 0; j < times.size(); ++j) {
    PreparedFrame& f = out.frames[j];
    f.sample_time_s = times[j];
    at_coordinates.at(times[j]);
    motion.smoothed_configuration(at_coordinates, f.q, f.qd, f.qdd);
    // The force table keeps the coordinates' clock, so the same time reads the same phase.
    at_forces.at(times[j]);
    skeleton::calc_kinematics(model.tree, f.q, data.kin);
    // The pelvis's vertical coordinate moves every body alike: its generalised force is the
    // whole model's weight plus its vertical inertia.
    skeleton::calc_inverse_dynamics(model.tree, data.kin, f.qd, f.qdd, gravity, tau);
    f.weight_and_inertia_n = tau[1];
    for (int k = 0; k < 2; ++k) {
      f.contacts[k] =
          smoothed_contact(at_forces, feet[k], forces.interpolate(feet[k].vertical_column, times[j]),
                           settings.contact_threshold_n);
      if (!f.contacts[k].loaded || j < fitted_from) continue;
      fit_rows.emplace_back(f.contacts[k].point.y() - f.q[1],
                            lowest_sole_below_pelvis(model, data, k));
    }
  }
  if (fit_rows.empty()) {
    // The fitted frames' span in the recording's clock (a stride read as periodic may wrap).
    const auto fitted = std::minmax_element(times.begin() + fitted_from, times.end());
    throw InputError(
        fmt::format("{}: no foot carries {:g} N or more at any of the {} frames "
                    "from {:g} to {:g} s; the task needs the ground reactions",
                    forces.source, settings.contact_threshold_n, times.size() - fitted_from,
                    times.empty() ? 0.0 : *fitted.first, times.empty() ? 0.0 : *fitted.second));
  }
  double fit_num = 0.0, fit_den = 0.0;
  for (const auto& [target, h] : fit_rows) {
    fit_num += target * h;
    fit_den += h * h;
  }
  out.size_ratio = fit_num / fit_den;
  double squares = 0.0;
  for (const auto& [target, h] : fit_rows) squares += std::pow(target - out.size_ratio * h, 2);
  out.size_fit_rms_m = std::sqrt(squares / static_cast<double>(fit_rows.size()));
  return out;
}

GaitSimulation simulate_prepared(const Model& model, const PreparedMotion& prepared, int first,
                                 int last, const std::vector<double>& frame_time_s,
                                 double recorded_mass_kg, bool periodic, double cocontraction,
                                 int history_frames) {
  PULLEY_DEMAND(0 <= first && first + 2 <= last &&
                    last < static_cast<int>(prepared.frames.size()),
                "at least three frames within the prepared motion");
  PULLEY_DEMAND(0 <= history_frames && history_frames <= first,
                "the history's frames lie before the span's first");
  PULLEY_DEMAND(frame_time_s.size() == prepared.frames.size(), "a reported time per frame");
  PULLEY_DEMAND(recorded_mass_kg > 0.0, "a recorded mass");
  const int N = last - first + 1, nq = model.num_coordinates(), nu = model.num_units();
  const double force_scale = model.tree.total_mass() / recorded_mass_kg;
  const double span = frame_time_s[last] - frame_time_s[first];

  GaitSimulation out;
  GaitDetails& d = out.details;
  d.smoothing_cutoff_hz = prepared.smoothing_cutoff_hz;
  d.recorded_mass_kg = recorded_mass_kg;
  d.size_ratio = prepared.size_ratio;
  d.size_fit_rms_m = prepared.size_fit_rms_m;
  d.cycle_pct.resize(N);
  for (int j = 0; j < N; ++j)
    d.cycle_pct[j] = span > 0.0 ? 100.0 * (frame_time_s[first + j] - frame_time_s[first]) / span
                                : 0.0;

  model::Data data(model);
  std::vector<muscle::MusculotendonParameters> params;
  Eigen::VectorXd weights(nu), ceiling(nu), floor(nu);
  for (int i = 0; i < nu; ++i) {
    params.push_back(model.units[i].params);
    weights[i] = model.units[i].effort_weight;
    ceiling[i] = model.units[i].activation_ceiling(model.tone);
    const std::string& group = model.muscles[model.units[i].muscle].group;
    const bool co_contracts = group == "hamstrings" || group == "quadriceps";
    floor[i] = co_contracts ? std::max(model.tone, cocontraction) : model.tone;
  }
  recruitment::StaticOptimizationSettings so_settings;
  so_settings.tone = model.tone;
  recruitment::StaticOptimizer optimizer(std::move(params), weights,
                                         static_cast<int>(kGaitEquationNames.size()), so_settings);
  optimizer.set_max_activation(ceiling);
  optimizer.set_min_activation(floor);
  std::array<int, 11> rows{};
  for (int k = 0; k < 2; ++k) {
    rows[3 * k] = model.coord.hip[k];
    rows[3 * k + 1] = model.coord.knee[k];
    rows[3 * k + 2] = model.coord.ankle[k];
  }
  for (int l = 0; l < 5; ++l) {
    rows[6 + l] = model.coord.lumbar[l];
    PULLEY_DEMAND(model.levels[l].coordinate == rows[6 + l], "lumbar levels in coordinate order");
  }
  Eigen::MatrixXd A(rows.size(), nu);
  Eigen::VectorXd b(rows.size()), tau(nq), Q_ground(nq), Q_muscle(nq);
  skeleton::BodyAccelerations accelerations;
  accelerations.resize(model.tree.num_bodies());
  const auto heads = right_hamstring_heads(model);
  for (std::size_t h = 0; h < heads.size(); ++h) {
    HamstringMechanics m;
    m.head = kHamstringHeads[h];
    m.upright_length_m = heads[h].upright_length_m;
    for (auto* trace : {&m.stretch_pct, &m.lengthening_m_s, &m.fibre_length_m, &m.fibre_strain,
                        &m.force_n})
      trace->reserve(N);
    d.hamstrings.push_back(std::move(m));
  }
  const Vec2 gravity(0.0, -kGravity);
  out.frames.resize(N);
  d.ground_force_n.resize(N);
  d.pelvis_residual.resize(N);
  d.unmet_nm.resize(N);
  // The equations of prepared frame `index`: geometry, passive loads, inverse dynamics and the
  // ground reactions (into `external`, `ground` and `pelvis_residual`), then A and b.
  std::array<Vec2, 2> ground;
  Eigen::Vector3d pelvis_residual;
  // The frame's configuration: the prepared one, its lumbar levels settled where the muscles
  // fall short (settle_lumbar_levels).
  Eigen::VectorXd q(nq);
  const auto set_up_frame = [&](int index, loads::ExternalLoads& external) {
    const PreparedFrame& in = prepared.frames[index];
    model::calc_musculotendon_geometry(model, q, data);
    model::calc_passive_joint_forces(model, q, data);
    skeleton::calc_inverse_dynamics(model.tree, data.kin, in.qd, in.qdd, gravity, tau,
                                    &accelerations);
    external.ground_measured = true;
    external.accelerations = &accelerations;
    Q_ground.setZero();
    for (int k = 0; k < 2; ++k) {
      const FootContact& c = in.contacts[k];
      loads::GroundContact& g = external.ground_contacts[k];
      if (c.loaded) {
        // The centre of pressure's offset from the recorded subject's ankle, scaled to this one.
        const int foot = model.body.foot[k];
        const Vec2 pelvis = data.kin.p_WBo[model.body.pelvis];
        const Vec2 ankle = data.kin.p_WJ[foot];
        const Vec2 recorded_ankle = pelvis + d.size_ratio * (ankle - pelvis);
        g.force_W = force_scale * c.force;
        g.point_W = ankle + (c.point - recorded_ankle) / d.size_ratio;
        skeleton::add_point_force(model.tree, data.kin, foot, g.point_W, g.force_W, Q_ground);
      }
      ground[k] = g.force_W;
    }
    // What the muscles must supply, and on the pelvis what nothing supplies.
    tau -= Q_ground + data.Q_passive;
    pelvis_residual = tau.head<3>();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      A.row(r) = data.moment_arms.row(rows[r]);
      b[r] = tau[rows[r]];
    }
  };
  // Force-velocity (docs/gait.md, step 6): each frame is solved with the fibre lengths of the
  // frame before, dt earlier. The history's frames, before the span, are solved first, the
  // earliest isometric (from rest), so that the span's first frame follows a fibre history the
  // motion gave it; without a history the span's first frame is solved isometric (the span starts
  // from rest).
  // A frame that follows two solved frames starts its recruitment from their forces extrapolated
  // along a straight line in time (chosen: the forces change smoothly from frame to frame), which
  // saves passes. Where the muscles meet the moments the answer is the same to the recruitment's
  // tolerance; where they fall far short (the sprint) a frame can have several answers and the
  // start picks one (docs/gait.md, step 6).
  Eigen::VectorXd fibre_length(nu), force_estimate(nu);
  numerics::SecantPredictor<Eigen::VectorXd> forces(optimizer.force());
  double span_time = 0.0;  // time along the frames solved, from the first (isometric) one
  const auto solve_frame = [&](int index, bool follows_a_frame, loads::ExternalLoads& external) {
    if (follows_a_frame) {
      const double step = frame_time_s[index] - frame_time_s[index - 1];
      span_time += step;
      optimizer.set_fibre_motion(fibre_length, step);
      if (forces.extrapolates()) {
        forces.predict(span_time, force_estimate);
        optimizer.set_warm_start(force_estimate);
      }
    }
    q = prepared.frames[index].q;
    set_up_frame(index, external);
    optimizer.solve(A, b, data.l_MT);
    // The recording gives the lumbar spine's whole extension, not how its five levels share it
    // (RecordedMotion: in proportion to their compliance). If asked, where the muscles cannot
    // supply the levels' moments at that split, the levels settle: each turns until its passive
    // tissues carry its shortfall, the total (and so the thorax) kept as recorded (docs/gait.md,
    // "Lumbar levels that settle").
    for (int pass = 0; prepared.settle_lumbar_levels && pass < kLumbarSettlePasses; ++pass) {
      if (!settle_lumbar_levels(model, optimizer.unmet().tail<5>(), q)) break;
      set_up_frame(index, external);
      optimizer.solve(A, b, data.l_MT);
    }
    forces.add(span_time, optimizer.force());
    optimizer.fibre_lengths(fibre_length);
  };
  const int earliest = first - history_frames;
  for (int index = earliest; index < first; ++index) {
    loads::ExternalLoads external;
    solve_frame(index, index > earliest, external);
  }
  for (int j = 0; j < N; ++j) {
    const PreparedFrame& in = prepared.frames[first + j];
    FrameResult& f = out.frames[j];
    loads::ExternalLoads external;
    solve_frame(first + j, j > 0 || history_frames > 0, external);
    d.ground_force_n[j] = ground;
    d.pelvis_residual[j] = pelvis_residual;
    f.time_s = frame_time_s[first + j];
    if (periodic) f.phase = in.contacts[0].loaded ? "stance" : "swing";
    f.q = q;
    f.posture = measure_posture(model, q, data);
    f.force_n = optimizer.force();
    f.activation = optimizer.activation();
    f.effort = optimizer.effort();
    Q_muscle.noalias() = data.moment_arms * f.force_n;
    f.muscle_moments = joint_moments(model, Q_muscle);
    double worst = 0.0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      d.unmet_nm[j][r] = optimizer.unmet()[r];
      worst = std::max(worst, std::abs(d.unmet_nm[j][r]));
    }
    f.feasible = worst <= kUnmetToleranceNm;
    // reserve_nm is per posture coordinate (ankle, knee, hip, L5_S1 ... L1_L2): each leg joint's
    // larger shortfall of the two sides, so the frame's worst joint reads as in other tasks.
    for (int k = 0; k < 2; ++k)
      for (int r = 0; r < 3; ++r) {
        double& slot = f.reserve_nm[2 - r];
        if (std::abs(d.unmet_nm[j][3 * k + r]) > std::abs(slot)) slot = d.unmet_nm[j][3 * k + r];
      }
    for (int l = 0; l < 5; ++l) f.reserve_nm[kL1L2 - l] = d.unmet_nm[j][6 + l];
    loads::calc_joint_loads(model, data, f.force_n, Eigen::VectorXd(), external, f.loads);
    // Hamstrings: length, rate (exact: d l_MT / dt = -r . qd), fibre state, force.
    for (std::size_t h = 0; h < heads.size(); ++h) {
      const int u = heads[h].unit;
      HamstringMechanics& m = d.hamstrings[h];
      const auto& p = model.units[u].params;
      const double force = f.force_n[u];
      const auto state = muscle::activation_for_tendon_force(p, force, data.l_MT[u]).state;
      m.stretch_pct.push_back(100.0 * (data.l_MT[u] / m.upright_length_m - 1.0));
      m.lengthening_m_s.push_back(-data.moment_arms.col(u).dot(in.qd));
      m.fibre_length_m.push_back(state.l_M);
      m.fibre_strain.push_back(state.l_M / p.l_M_opt - 1.0);
      m.force_n.push_back(force);
      // Strain demand (docs/fatigue.md): the head's force over the force it can still produce
      // (maximum isometric force times capacity), times its fibre strain beyond optimal length,
      // while it lengthens.
      const double available = p.F_M_max * model.units[u].activation_ceiling(model.tone);
      m.strain_demand.push_back(m.lengthening_m_s.back() > 0.0
                                    ? force / available * std::max(m.fibre_strain.back(), 0.0)
                                    : 0.0);
    }
  }
  // A peak over every frame, or, in a stride, over all but the first (the same phase as the last).
  const auto peak = [&](const std::vector<double>& values) {
    if (periodic) return cycle_peak(values, d.cycle_pct);
    const auto it = std::max_element(values.begin(), values.end());
    return GaitPeak{*it, d.cycle_pct[it - values.begin()]};
  };
  for (HamstringMechanics& m : d.hamstrings) {
    for (int j = 0; j + 1 < N; ++j) {  // trapezoids
      const double dt = frame_time_s[first + j + 1] - frame_time_s[first + j];
      m.negative_work_j += 0.5 * dt *
                           (m.force_n[j] * std::max(m.lengthening_m_s[j], 0.0) +
                            m.force_n[j + 1] * std::max(m.lengthening_m_s[j + 1], 0.0));
    }
    m.peak_stretch_pct = peak(m.stretch_pct);
    m.peak_fibre_strain = peak(m.fibre_strain);
    m.peak_lengthening_m_s = peak(m.lengthening_m_s);
    m.peak_force_n = peak(m.force_n);
    m.strain_index = peak(m.strain_demand);
  }
  return out;
}

GaitSimulation simulate_gait(const Model& model, const GaitRecording& recording,
                             const GaitSettings& settings) {
  PULLEY_DEMAND(settings.frames >= 3, "a stride needs at least three frames");
  const io::MotionTable& coords = recording.coordinates;
  const io::MotionTable& forces = recording.forces;
  const Stride stride = first_right_stride(recording);
  const int N = settings.frames;
  const double sigma = numerics::sigma_for_cutoff(settings.smoothing_cutoff_hz);
  const double margin = numerics::kKernelHalfWidthSigmas * sigma;
  // The stride's frames and, before them, the history that gives the first frame's fibres their
  // motion (stride_history_frames): their times in the recording (a stride read as periodic may
  // wrap by a period, and so may the history) and from the strike.
  const int H = stride_history_frames(N);
  std::vector<double> times(H + N), from_strike(H + N);
  for (int j = -H; j < N; ++j) {
    const double fraction = static_cast<double>(j) / (N - 1);
    times[H + j] = stride_sample_time(stride, coords, fraction, margin);
    from_strike[H + j] = fraction * stride.duration();
  }
  MotionSettings motion_settings;
  motion_settings.smoothing_cutoff_hz = settings.smoothing_cutoff_hz;
  motion_settings.contact_threshold_n = settings.contact_threshold_n;
  motion_settings.lumbar_base = settings.lumbar_base;
  motion_settings.settle_lumbar_levels = settings.settle_lumbar_levels;
  // The recorded subject's size is fitted over the stride's frames alone.
  const PreparedMotion prepared =
      prepare_motion(model, recording, times, motion_settings, static_cast<std::size_t>(H));
  // The recorded mass from the stride's own force samples (the frames may read part of the
  // stride a period away, where the ground reactions need not repeat exactly): exact for steady
  // gait, whose body ends the stride moving as it began it.
  double vertical_sum = 0.0;
  for (const std::string& label : recording.vertical_force_label)
    vertical_sum += mean_over(forces, forces.require(label), stride.start_s, stride.end_s);
  if (!(vertical_sum > 0.0))
    throw InputError(fmt::format("{}: no foot carries {:g} N or more during the stride at {:g} to "
                                 "{:g} s; gait needs the ground reactions",
                                 forces.source, settings.contact_threshold_n, stride.start_s,
                                 stride.end_s));
  GaitSimulation out = simulate_prepared(model, prepared, H, H + N - 1, from_strike,
                                         vertical_sum / kGravity, true, settings.cocontraction, H);
  out.details.stride = stride;
  out.details.sample_time_s.assign(times.begin() + H, times.end());
  // A frame read a period away (stride_sample_time, only where the recording holds a period) is
  // placed by the recorded pelvis's advance over its first period: steady gait advances alike in
  // every period. pelvis_tx is in metres and read straight into q (RecordedMotion).
  out.details.pelvis_offset_m.assign(static_cast<std::size_t>(N), 0.0);
  const double first = coords.time.front(), period = stride.duration();
  if (first + period <= coords.time.back()) {
    const int x = coords.require("pelvis_tx");
    const double advance = coords.interpolate(x, first + period) - coords.interpolate(x, first);
    for (int j = 0; j < N; ++j)
      out.details.pelvis_offset_m[static_cast<std::size_t>(j)] =
          std::round((stride.start_s + from_strike[H + j] - times[H + j]) / period) * advance;
  }
  return out;
}

}  // namespace pulley::tasks
