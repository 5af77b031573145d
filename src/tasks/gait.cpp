#include "pulley/tasks/gait.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"

namespace pulley::tasks {

using model::Model;

RecordedMotion::RecordedMotion(const Model& model, const GaitRecording& recording,
                               const std::array<double, 5>* lumbar_base)
    : model_(model), table_(recording.coordinates) {
  if (!table_.in_degrees)
    throw InputError(table_.source + ": no 'inDegrees=yes|no' line in the header; the angles' "
                                     "unit must be stated");
  angle_unit_ = *table_.in_degrees ? kPi / 180.0 : 1.0;
  // Pulley's pelvis frame and root coordinates are Rajagopal's (docs/notation.md); translations
  // are in metres whatever the header says.
  direct_[0] = {table_.require("pelvis_tx"), 0, 1.0};
  direct_[1] = {table_.require("pelvis_ty"), 1, 1.0};
  direct_[2] = {table_.require("pelvis_tilt"), 2, angle_unit_};
  const double knee_sign = recording.knee_flexion == KneeFlexionSign::positive ? 1.0 : -1.0;
  const std::array<const char*, 2> side = {"_r", "_l"};
  for (int k = 0; k < 2; ++k) {
    const std::string s = side[k];
    direct_[3 + 3 * k] = {table_.require("hip_flexion" + s), model.coord.hip[k], angle_unit_};
    direct_[4 + 3 * k] = {table_.require("knee_angle" + s), model.coord.knee[k],
                          knee_sign * angle_unit_};
    direct_[5 + 3 * k] = {table_.require("ankle_angle" + s), model.coord.ankle[k], angle_unit_};
  }
  lumbar_column_ = table_.require("lumbar_extension");
  // Every joint angle within a turn either way: a table whose inDegrees line does not match its
  // numbers (degrees read as radians) is refused rather than turned into postures and loads.
  std::vector<int> angle_columns = {lumbar_column_};
  for (std::size_t i = 2; i < direct_.size(); ++i)  // direct_[0], [1]: the pelvis's translations
    angle_columns.push_back(direct_[i].column);
  for (const int column : angle_columns)
    for (Eigen::Index r = 0; r < table_.values.rows(); ++r) {
      const double v = table_.values(r, column);
      if (std::abs(angle_unit_ * v) > 2.0 * kPi)
        throw InputError(fmt::format(
            "{}: column '{}' at time {:g} s: {:g} {} is more than a full turn; check the header's "
            "inDegrees line ({})",
            table_.source, table_.labels[static_cast<std::size_t>(column)],
            table_.time[static_cast<std::size_t>(r)], v, *table_.in_degrees ? "deg" : "rad",
            *table_.in_degrees ? "yes: degrees" : "no: radians"));
    }
  // Each level's share: its neutral-zone compliance over the sum (see the header).
  double sum = 0.0;
  for (int l = 0; l < 5; ++l) sum += lumbar_share_[l] = 1.0 / model.levels[l].k_nm_per_rad;
  for (double& share : lumbar_share_) share /= sum;
  for (int l = 0; l < 5; ++l)
    lumbar_base_[l] = lumbar_base ? (*lumbar_base)[l] : model.levels[l].neutral_rad;
}

void RecordedMotion::configuration(double t, Eigen::VectorXd& q) const {
  const io::MotionTable::Location at = table_.locate(t);
  q.setZero(model_.num_coordinates());
  for (const Direct& d : direct_) q[d.coordinate] = d.scale * table_.value(d.column, at);
  // lumbar_extension: the torso's rotation on the pelvis from the recording model's upright
  // posture, read as a change from lumbar_base_, extension positive (with lumbar_base_ the
  // subject's quiet standing, the inverse of io/task_results.cpp's --mot writer).
  const double extension = angle_unit_ * table_.value(lumbar_column_, at);
  for (int l = 0; l < 5; ++l)
    q[model_.coord.lumbar[l]] = lumbar_base_[l] + lumbar_share_[l] * extension;
}

void RecordedMotion::smoothed_configuration(const numerics::GaussianSmoother& smoother,
                                            Eigen::VectorXd& q, Eigen::VectorXd& qd,
                                            Eigen::VectorXd& qdd) const {
  const int n = model_.num_coordinates();
  q.setZero(n);
  qd.setZero(n);
  qdd.setZero(n);
  for (const Direct& d : direct_) {
    const numerics::SmoothedValue s = smoother.apply(table_.values.col(d.column));
    q[d.coordinate] = d.scale * s.value;
    qd[d.coordinate] = d.scale * s.rate;
    qdd[d.coordinate] = d.scale * s.acceleration;
  }
  const numerics::SmoothedValue e = smoother.apply(table_.values.col(lumbar_column_));
  for (int l = 0; l < 5; ++l) {
    const int c = model_.coord.lumbar[l];
    const double share = angle_unit_ * lumbar_share_[l];
    q[c] = lumbar_base_[l] + share * e.value;
    qd[c] = share * e.rate;
    qdd[c] = share * e.acceleration;
  }
}

std::vector<double> foot_strikes(const io::MotionTable& forces, const std::string& label,
                                 double threshold_n) {
  const int column = forces.require(label);
  std::vector<double> strikes;
  for (int i = 1; i < forces.num_samples(); ++i) {
    const double f0 = forces.values(i - 1, column), f1 = forces.values(i, column);
    if (f0 < threshold_n && f1 >= threshold_n) {
      const double u = (threshold_n - f0) / (f1 - f0);
      strikes.push_back(forces.time[i - 1] + u * (forces.time[i] - forces.time[i - 1]));
    }
  }
  return strikes;
}

Stride first_right_stride(const GaitRecording& recording) {
  const io::MotionTable& c = recording.coordinates;
  std::vector<double> strikes;
  if (recording.forces.num_samples() > 0)
    strikes = foot_strikes(recording.forces, recording.vertical_force_label[0], kFootContactThresholdN);
  // chosen: a stride may reach two of the motion's samples beyond it (recordings are often cut
  // at the strike itself: Dorn's sprint ends 1 ms before its second right strike).
  const double slack = 2.0 * (c.time[1] - c.time[0]);
  const double span = c.time.back() - c.time.front();
  for (std::size_t k = 0; k + 1 < strikes.size(); ++k) {
    const Stride stride{strikes[k], strikes[k + 1]};
    // The first stride the motion covers, wholly or, read as periodic, by a full period.
    const bool overlaps = stride.end_s > c.time.front() && stride.start_s < c.time.back();
    if (overlaps && span >= stride.duration() - slack) return stride;
  }
  throw InputError(fmt::format(
      "{}: no right stride (two right foot strikes, {:g} N) that the motion's {:g} to {:g} s "
      "covers; {} right strikes found",
      recording.forces.source.empty() ? c.source : recording.forces.source, kFootContactThresholdN,
      c.time.front(), c.time.back(), strikes.size()));
}

double stride_sample_time(const Stride& stride, const io::MotionTable& coordinates,
                          double fraction, double edge_margin_s) {
  const double period = stride.duration();
  double t = stride.start_s + fraction * period;
  // Steady gait repeats each stride: a time outside the motion reads the same phase a period
  // away, inside it; within a period's slack of the ends, the end itself.
  const double first = coordinates.time.front(), last = coordinates.time.back();
  if (t < first && t + period <= last) t += period;
  if (t > last && t - period >= first) t -= period;
  const auto inside = [&](double u) { return std::min(u - first, last - u); };
  if (inside(t) < edge_margin_s) {
    if (inside(t + period) > inside(t)) t += period;
    else if (inside(t - period) > inside(t)) t -= period;
  }
  return std::clamp(t, first, last);
}

std::array<HamstringHead, kHamstringHeads.size()> right_hamstring_heads(const Model& model) {
  model::Data data(model);
  Eigen::VectorXd q = Eigen::VectorXd::Zero(model.num_coordinates());
  for (int l = 0; l < 5; ++l) q[model.coord.lumbar[l]] = model.levels[l].neutral_rad;
  model::calc_musculotendon_geometry(model, q, data);
  std::array<HamstringHead, kHamstringHeads.size()> heads{};
  for (std::size_t h = 0; h < heads.size(); ++h) {
    const int m = model.find_muscle(std::string(kHamstringHeads[h]) + "_r");
    PULLEY_DEMAND(m >= 0 && model.muscles[m].units.size() == 1, "one unit per hamstring head");
    heads[h].unit = model.muscles[m].units.front();
    heads[h].upright_length_m = data.l_MT[heads[h].unit];
  }
  return heads;
}

GaitPeak cycle_peak(const std::vector<double>& values, const std::vector<double>& cycle_pct) {
  PULLEY_DEMAND(values.size() >= 2 && values.size() == cycle_pct.size(), "a value per frame");
  const auto it = std::max_element(values.begin() + 1, values.end());
  return {*it, cycle_pct[it - values.begin()]};
}

HamstringKinematics hamstring_kinematics(const Model& model, const GaitRecording& recording,
                                         const Stride& stride, int frames) {
  PULLEY_DEMAND(frames >= 3, "at least three frames");
  PULLEY_DEMAND(stride.duration() > 0.0, "a stride lasts");
  const RecordedMotion motion(model, recording);
  HamstringKinematics out;
  out.stride = stride;
  model::Data data(model);
  const auto heads = right_hamstring_heads(model);
  for (std::size_t h = 0; h < heads.size(); ++h) {
    HamstringTrace trace;
    trace.head = kHamstringHeads[h];
    trace.upright_length_m = heads[h].upright_length_m;
    out.heads.push_back(std::move(trace));
  }
  std::vector<std::vector<double>> length(heads.size(), std::vector<double>(frames));
  out.cycle_pct.resize(frames);
  Eigen::VectorXd q;
  const double dt = stride.duration() / (frames - 1);
  for (int j = 0; j < frames; ++j) {
    const double fraction = static_cast<double>(j) / (frames - 1);
    out.cycle_pct[j] = 100.0 * fraction;
    motion.configuration(stride_sample_time(stride, recording.coordinates, fraction), q);
    model::calc_musculotendon_geometry(model, q, data);
    for (std::size_t h = 0; h < heads.size(); ++h) length[h][j] = data.l_MT[heads[h].unit];
  }
  for (std::size_t h = 0; h < heads.size(); ++h) {
    HamstringTrace& trace = out.heads[h];
    trace.stretch_pct.resize(frames);
    trace.lengthening_m_s.resize(frames);
    for (int j = 0; j < frames; ++j) {
      trace.stretch_pct[j] = 100.0 * (length[h][j] / trace.upright_length_m - 1.0);
      // Central differences inside, one-sided at the ends.
      const int a = std::max(j - 1, 0), b = std::min(j + 1, frames - 1);
      trace.lengthening_m_s[j] = (length[h][b] - length[h][a]) / ((b - a) * dt);
    }
    const GaitPeak peak = cycle_peak(trace.stretch_pct, out.cycle_pct);
    trace.peak_stretch_pct = peak.value;
    trace.peak_time_pct_cycle = peak.time_pct_cycle;
  }
  return out;
}

}  // namespace pulley::tasks
