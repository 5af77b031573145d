#include "pulley/tasks/repetitions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"

namespace pulley::tasks {

using model::Model;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The knee peaks over frames [a, b] of a simulation (indices into its frames)
// that no unmeasured support helps carry.
KneePeaks knee_peaks(const Model& model, const GaitSimulation& g, int a, int b) {
  const double weight = model.tree.total_mass() * kGravity;
  KneePeaks p;
  p.compression_bw = p.resultant_bw = p.anterior_shear_n = p.posterior_shear_n =
      -std::numeric_limits<double>::infinity();
  for (int j = a; j <= b; ++j) {
    if (g.details.supported(j)) continue;
    const FrameResult& f = g.frames[j];
    ++p.frames;
    for (int k = 0; k < 2; ++k) {
      const auto& knee = f.loads.knee[k];
      if (knee.compression_n / weight > p.compression_bw) {
        p.compression_bw = knee.compression_n / weight;
        p.compression_time_s = f.time_s;
        p.knee_flexion_deg = f.posture.knee_flexion_deg[0];
      }
      p.resultant_bw = std::max(p.resultant_bw, std::hypot(knee.compression_n, knee.anterior_shear_n) / weight);
      p.posterior_shear_n = std::max(p.posterior_shear_n, -knee.anterior_shear_n);
      if (knee.anterior_shear_n > p.anterior_shear_n) {
        p.anterior_shear_n = knee.anterior_shear_n;
        p.anterior_shear_time_s = f.time_s;
      }
    }
  }
  if (p.frames == 0) {
    p.compression_bw = p.resultant_bw = p.anterior_shear_n = p.posterior_shear_n = kNaN;
    p.compression_time_s = p.knee_flexion_deg = p.anterior_shear_time_s = kNaN;
  }
  return p;
}

// Mean of the peaks' values (times are not averaged: NaN).
KneePeaks mean_peaks(const std::vector<const KneePeaks*>& peaks) {
  KneePeaks m;
  m.compression_time_s = m.anterior_shear_time_s = kNaN;
  const double n = static_cast<double>(peaks.size());
  for (const KneePeaks* p : peaks) {
    m.frames += p->frames;
    m.compression_bw += p->compression_bw / n;
    m.knee_flexion_deg += p->knee_flexion_deg / n;
    m.resultant_bw += p->resultant_bw / n;
    m.anterior_shear_n += p->anterior_shear_n / n;
    m.posterior_shear_n += p->posterior_shear_n / n;
  }
  return m;
}

}  // namespace

std::array<const char*, 2> repetition_phase_names(RepetitionKind kind) {
  if (kind == RepetitionKind::sit_to_stand) return {"rise", "sit"};
  return {"descent", "ascent"};
}

SupportFit fit_mass_and_support(const Model& model, const PreparedMotion& prepared,
                                bool detect_support, double threshold_bw) {
  const int n = static_cast<int>(prepared.frames.size());
  const double M = model.tree.total_mass();
  SupportFit fit;
  fit.supported.assign(n, false);
  // A chair stands under the pelvis: it can carry only while the pelvis is in the lower half of
  // its travel.
  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  for (const PreparedFrame& f : prepared.frames) {
    lowest = std::min(lowest, f.q[1]);
    highest = std::max(highest, f.q[1]);
  }
  const double middle = 0.5 * (lowest + highest);
  // chosen: 50 rounds; the shipped sit-to-stand settles in a few (the set of supported frames only
  // changes at the edges of the seated stretches).
  for (fit.iterations = 1; fit.iterations <= 50; ++fit.iterations) {
    double force = 0.0, weight_and_inertia = 0.0;
    for (int j = 0; j < n; ++j) {
      if (fit.supported[j]) continue;
      force += prepared.vertical_force_n(j);
      weight_and_inertia += prepared.frames[j].weight_and_inertia_n;
    }
    if (!(force > 0.0) || !(weight_and_inertia > 0.0))
      throw InputError("the feet carry no vertical force over the frames they alone could carry; "
                       "the task needs the ground reactions");
    fit.recorded_mass_kg = M * force / weight_and_inertia;
    if (!detect_support) break;
    // A frame is supported where the pelvis's vertical residual on this subject, the model's
    // weight and inertia less the scaled feet's force, exceeds the threshold.
    const double scale = M / fit.recorded_mass_kg;
    bool changed = false;
    for (int j = 0; j < n; ++j) {
      const double residual =
          prepared.frames[j].weight_and_inertia_n - scale * prepared.vertical_force_n(j);
      const bool s = residual > threshold_bw * M * kGravity && prepared.frames[j].q[1] < middle;
      changed = changed || s != fit.supported[j];
      fit.supported[j] = s;
    }
    if (!changed) break;
  }
  return fit;
}

std::vector<RepetitionSpan> find_repetitions(const PreparedMotion& prepared, RepetitionKind kind,
                                             const std::string& source) {
  const int n = static_cast<int>(prepared.frames.size());
  PULLEY_DEMAND(n >= 3, "a prepared motion of three frames or more");
  std::vector<double> height(n);
  for (int j = 0; j < n; ++j) height[j] = prepared.frames[j].q[1];
  const auto [lo, hi] = std::minmax_element(height.begin(), height.end());
  if (*hi - *lo < kMinPelvisTravelM)
    throw InputError(fmt::format("{}: the pelvis rises and falls by {:.3f} m, less than the {:g} m "
                                 "a repetition needs",
                                 source, *hi - *lo, kMinPelvisTravelM));
  const double middle = 0.5 * (*lo + *hi);
  // Sit-to-stand: a repetition is a stretch standing (above the middle); squat: squatting.
  const bool up = kind == RepetitionKind::sit_to_stand;
  const auto beyond = [&](int j) { return up ? height[j] > middle : height[j] < middle; };
  const auto further = [&](int a, int b) { return up ? height[a] > height[b] : height[a] < height[b]; };
  std::vector<std::pair<int, int>> stretches;  // [first, last] beyond the middle
  for (int j = 0; j < n;) {
    if (!beyond(j)) {
      ++j;
      continue;
    }
    int k = j;
    while (k + 1 < n && beyond(k + 1)) ++k;
    const double duration = prepared.frames[k].sample_time_s - prepared.frames[j].sample_time_s;
    if (duration >= kMinExcursionS) stretches.emplace_back(j, k);
    j = k + 1;
  }
  if (stretches.empty())
    throw InputError(fmt::format("{}: no repetition: the pelvis never stays {} the middle of its "
                                 "range for {:g} s",
                                 source, up ? "above" : "below", kMinExcursionS));
  std::vector<RepetitionSpan> spans;
  for (std::size_t r = 0; r < stretches.size(); ++r) {
    RepetitionSpan s;
    s.turn = stretches[r].first;
    for (int j = stretches[r].first; j <= stretches[r].second; ++j)
      if (further(j, s.turn)) s.turn = j;
    // The boundaries: the opposite extreme between this stretch and its neighbours.
    const auto opposite = [&](int a, int b) {
      int best = a;
      for (int j = a; j <= b; ++j)
        if (further(best, j)) best = j;
      return best;
    };
    s.first = r == 0 ? 0 : spans.back().last;
    s.last = r + 1 == stretches.size() ? n - 1
                                       : opposite(stretches[r].second, stretches[r + 1].first);
    spans.push_back(s);
  }
  return spans;
}

RepetitionSimulation simulate_repetitions(const Model& model, const GaitRecording& recording,
                                          RepetitionKind kind, const RepetitionSettings& settings) {
  const io::MotionTable& coords = recording.coordinates;
  // Every sample of the recording, for the mass, the support and the repetitions.
  const PreparedMotion prepared = prepare_motion(model, recording, coords.time, settings.motion);
  const bool detect = kind == RepetitionKind::sit_to_stand;
  const SupportFit fit =
      fit_mass_and_support(model, prepared, detect, settings.support_threshold_bw);
  const std::vector<RepetitionSpan> spans = find_repetitions(prepared, kind, coords.source);
  const int count = static_cast<int>(spans.size());
  if (settings.repetition < 0 || settings.repetition > count)
    throw InputError(fmt::format("{}: repetition {} does not exist; the recording holds {} "
                                 "(1 to {}, or all)",
                                 coords.source, settings.repetition, count, count));
  const int r0 = settings.repetition == 0 ? 0 : settings.repetition - 1;
  const int r1 = settings.repetition == 0 ? count - 1 : settings.repetition - 1;
  const int first = settings.repetition == 0 ? 0 : spans[r0].first;
  const int last =
      settings.repetition == 0 ? static_cast<int>(prepared.frames.size()) - 1 : spans[r1].last;

  RepetitionSimulation out;
  out.simulation = simulate_prepared(model, prepared, first, last, coords.time,
                                     fit.recorded_mass_kg, false);
  GaitSimulation& g = out.simulation;
  g.details.stride = {coords.time[first], coords.time[last]};
  if (detect)
    g.details.unmeasured_support.assign(fit.supported.begin() + first,
                                        fit.supported.begin() + last + 1);
  const auto names = repetition_phase_names(kind);
  RepetitionDetails& d = out.details;
  d.support_threshold_bw = detect ? settings.support_threshold_bw : kNaN;
  d.repetitions_in_recording = count;
  for (int j = first; j <= last; ++j) {
    if (!fit.supported[j]) continue;
    ++d.supported_frames;
    d.peak_support_force_n = std::max(d.peak_support_force_n, g.details.pelvis_residual[j - first].y());
  }
  // Phases of the frames: before or after their repetition's turn, or seated.
  for (int r = 0; r < count; ++r)
    for (int j = std::max(spans[r].first, first); j <= std::min(spans[r].last, last); ++j)
      g.frames[j - first].phase = fit.supported[j] ? "seated" : names[j <= spans[r].turn ? 0 : 1];
  for (int r = r0; r <= r1; ++r) {
    const RepetitionSpan& s = spans[r];
    Repetition rep;
    rep.number = r + 1;
    rep.start_s = coords.time[s.first];
    rep.end_s = coords.time[s.last];
    rep.turn_s = coords.time[s.turn];
    rep.seat_off_s = rep.seat_on_s = kNaN;
    if (detect) {
      // The feet carry alone from seat-off to the turn and on to seat-on.
      int off = s.turn;
      while (off > s.first && !fit.supported[off - 1]) --off;
      if (off > s.first) rep.seat_off_s = coords.time[off];
      int on = s.turn;
      while (on <= s.last && !fit.supported[on]) ++on;
      if (on <= s.last) rep.seat_on_s = coords.time[on];
    }
    rep.phases[0] = {names[0], rep.start_s, rep.turn_s,
                     knee_peaks(model, g, s.first - first, s.turn - first)};
    rep.phases[1] = {names[1], coords.time[std::min(s.turn + 1, s.last)], rep.end_s,
                     knee_peaks(model, g, std::min(s.turn + 1, s.last) - first, s.last - first)};
    rep.knee = knee_peaks(model, g, s.first - first, s.last - first);
    d.repetitions.push_back(std::move(rep));
  }
  for (int p = 0; p < 2; ++p) {
    std::vector<const KneePeaks*> peaks;
    for (const Repetition& rep : d.repetitions) peaks.push_back(&rep.phases[p].knee);
    d.mean_phase[p] = mean_peaks(peaks);
  }
  std::vector<const KneePeaks*> peaks;
  for (const Repetition& rep : d.repetitions) peaks.push_back(&rep.knee);
  d.mean = mean_peaks(peaks);
  return out;
}

}  // namespace pulley::tasks
