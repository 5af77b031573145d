#include "pulley/training/adaptation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "../assess/test_mechanics.hpp"
#include "pulley/assess/clinical_tests.hpp"
#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/muscle/musculotendon.hpp"

namespace pulley::training {

using model::Model;
using model::Side;

namespace {

AdaptationModel make_default_model() {
  AdaptationModel m;
  // Strength: neural drive and muscle volume (F_max follows N V / L, AdaptationState::strength).
  // Neural drive. G: calibrated on the model (tests/unit/training/training_test.cpp,
  // NeuralGainAgainstItsSourceStudiesOnTheModel) against two studies of maximal quadriceps
  // training with an isometric test: +38.9 % after 35 days, three sessions a week (Seynnes, de
  // Boer & Narici 2007, J Appl Physiol 102:368: 4 x 7 on a flywheel) and +20.8 % after 60 days,
  // four a week (Narici MV, Roi GS, Landoni L, Minetti AE, Cerretelli P 1989, Eur J Appl Physiol
  // 59:310: 6 x 10 isokinetic). The two disagree by more than the model can span, so G is their
  // least-squares fit: 0.32 gives +26.1 and +32.0 % (d/dG about 95 and 102 % per unit). tau_rise:
  // Seynnes et al. found EMG +34.8 % by day 35 with the cross-section +7 %: the neural gain taken
  // as 0.9725 of its plateau by then, 35 / ln(1 / 0.0275) = 9.7 days (chosen: the endpoint alone
  // is read; 0.9725 is the ratio 0.389 / 0.40 of the single strength factor this replaced).
  // tau_decay: chosen: strength is kept for up to 4 weeks without training (Mujika & Padilla
  // 2000, Sports Med 30:79) and 5 weeks off cost trained kayakers 8-9 % of their 1RM; with a
  // trained excess of 25 % that is 35 / ln(0.25 / 0.144) = 63 days. n_full: chosen: two sessions
  // a week, as the Nordic programmes of Timmins et al. 2016 and Bourne et al. 2017.
  m.neural = {0.32, 2.0, 9.7, 63.0};
  // Muscle volume (hypertrophy), quadriceps under maximal training on alternate days: +6.5 / +7.4
  // % cross-section (central / distal, mean 6.95 %) after 35 days (Seynnes et al. 2007, above)
  // and +18.8 % after 6 months (182 days; Narici MV, Hoppeler H, Kayser B, Landoni L, Claassen H,
  // Gavardi C, Conti M, Cerretelli P 1996, Acta Physiol Scand 157:175, abstract). A first-order
  // rise through both: tau = 90.8 days (solving (1 - e^(-35/tau)) / (1 - e^(-182/tau)) = 6.95 /
  // 18.8), G = 0.188 / (1 - e^(-182/90.8)) = 0.217; it gives +4.3 % by day 20, where Seynnes et
  // al. measured +3.5 / +5.2 %. tau_decay: Narici et al. 1989 (above): "changes during
  // detraining had a similar time course to those of training". n_full: as the neural drive's.
  m.hypertrophy = {0.217, 2.0, 90.8, 90.8};
  // Fascicle length. tau_decay: Pollard, Opar, Williams, Bourne & Timmins 2019 (Scand J Med Sci
  // Sports 29:706, abstract): after 6 weeks of weighted Nordic training the biceps femoris long
  // head's fascicles, +1.57 cm, lost 0.96 cm in the first week without: 7 / ln(1.57 / 0.61) =
  // 7.4 days (the earliest loss measured, in the group that lost most; the abstract gives no
  // other group's loss; docs/validation.md, "Training over weeks", compares the others). G: 9
  // weeks of Nordic training (Andrews MH, Pai S A, Gurchiek RD, Pincheira PA, Chaudhari AS,
  // Hodges PW, Lichtwark GA, Delp SL 2025, J Sport Health Sci 14:100996, PMID 39461588,
  // abstract): +19 % / +33 % (central / distal), mean +26 %, G = 0.26 / (1 - exp(-63 / 7.4)) =
  // 0.26. tau_rise: chosen equal to tau_decay (one first-order process of adding and removing
  // sarcomeres in series). n_full: as the neural drive's.
  m.fascicle_length = {0.26, 2.0, 7.4, 7.4};
  // Passive stiffness under stretching. Longo et al. 2021: muscle stiffness -16 % after 12 weeks
  // of static stretching; with tau chosen at 6 weeks (Freitas et al. 2018, Scand J Med Sci
  // Sports 28:794: trivial change in 3-8 weeks), G = 0.16 / (1 - exp(-84 / 42)) = 0.185.
  // n_full: chosen: five days a week, the frequency of the stretching trials (Bandy & Irion 1994).
  m.stiffness = {-0.185, 5.0, 42.0, 42.0};
  // Stretch tolerance (the person's: Weppler & Magnusson 2010, Phys Ther 90:438; the range gained
  // in 3-8 weeks is tolerance). G: calibrated so that the typical man's straight-leg raise gains
  // the +12.0 deg pooled by Medeiros et al. 2016 (static stretching against no stretching): his
  // hip tolerance 60 -> 87 N m, +45 % (docs/training.md). tau: calibrated on the model so that
  // Willy et al. 2001's protocol (J Orthop Sports Phys Ther 31:138: 2 x 30 s a day, 5 days a
  // week for 6 weeks, then 4 weeks without) keeps 2 of the 9 deg of active knee extension gained
  // (22 %; tests/unit/training/training_test.cpp). 28 / ln(9 / 2) = 18.6 days, read off the
  // study alone, kept 32 % on the model: the last week's sessions hold the target for a few days
  // after the last one. tau_rise chosen equal. n_full: Reid & Kim 2014: 3 days a week kept the
  // gain, 1 day lost it.
  m.stretch_tolerance = {0.45, 3.0, 13.1, 13.1};
  // a0, chosen: below about 30 % of the maximum, loads build little strength in untrained adults
  // (the usual 60-70 % of 1RM prescribed for novices lies well above it).
  m.intensity_threshold = 0.3;
  // n_v, chosen: one set of six repetitions gives most of a session's stimulus (Nordic
  // programmes of very different volumes give similar gains: docs/training.md).
  m.volume_reps = 6.0;
  // t_h, chosen: most of the stress relaxation of a held static stretch happens in its first
  // 20-30 s (recalled, Magnusson et al. 1996), so a session's exposure saturates with its time in
  // the stretch at t_h = 10 s.
  m.hold_exposure_s = 10.0;
  // Maniar et al. 2016 (meta-analysis): after a hamstring strain the isometric strength deficit is
  // large in the first 7 days and gone after; 95 % back in 7 days is tau = 7 / 3 = 2.3 days.
  m.capacity_recovery_days = 2.3;
  return m;
}

// The shoulder's height above the hip centre over stature: shoulder 0.818, greater trochanter
// 0.530 of stature (Winter 2009, Biomechanics and Motor Control of Human Movement, fig. 4.1).
constexpr double kShoulderAboveHipOverStature = 0.818 - 0.530;

// The model muscle index of muscle m (kMuscleNames order) on `side`, or -1.
int model_muscle(const Model& model, int m, Side side) {
  return model.find_muscle(std::string(model::kMuscleNames[m].name) + "_" +
                           std::string(model::side_suffix(side)));
}

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

double eccentric_share(Contraction mode) {
  switch (mode) {
    case Contraction::eccentric: return 1.0;
    case Contraction::concentric_eccentric: return 0.5;
    case Contraction::isometric:
    case Contraction::concentric: return 0.0;
  }
  return 0.0;
}

// Strength session on one side: recruit `effort` of the largest moment at the key posture.
void strength_stimulus(const Model& model, const Exercise& e, const Dose& dose, Side side,
                       const AdaptationModel& am, SessionStimulus& out) {
  const ExerciseTask& t = e.task;
  const int k = model::side_index(side);
  const int hip = model.coord.hip[k], knee = model.coord.knee[k], ankle = model.coord.ankle[k];
  assess::detail::PoseMechanics pose(model, {hip, knee, ankle});
  pose.reset(0.0, assess::neutral_test_context(model));
  pose.set_leg(side, t.hip_flexion_rad, t.knee_flexion_rad, 0.0);
  pose.evaluate();
  const std::vector<int>& units = pose.units();
  auto problem = assess::detail::make_max_moment(
      model, units, assess::detail::unit_parameters(model, units), 1, model.tone);
  const int c = t.joint == "hip" ? hip : knee;
  // Hip flexion and knee flexion are the coordinates' positive directions.
  const double sign = t.moment == "flexion" ? 1.0 : -1.0;
  pose.gather_moment_arms(c, problem.A.row(0));
  problem.A.row(0) *= sign;
  pose.gather_lengths(problem.l_MT);
  const auto most = problem.maximise(0.5);  // chosen: 0.5 N m of a moment of tens of N m
  if (!most || !(*most > 0.0)) return;
  double effort = *dose.effort;
  if (dose.load_kg && *dose.load_kg > 0.0) {
    // The load's largest moment over the repetition: its weight at its point's distance from the
    // joint (the lever horizontal). Ankle: the joint to the ankle; hands: hanging below the
    // shoulders, whose distance from the hip is the trunk's length.
    const auto& kin = pose.data().kin;
    const skeleton::Vec2 p_joint = kin.p_WJ[t.joint == "hip" ? model.body.femur[k] : model.body.tibia[k]];
    double lever = 0.0;
    if (t.load_at == "ankle") {
      lever = (kin.p_WJ[model.body.foot[k]] - p_joint).norm();
    } else {
      PULLEY_DEMAND(t.load_at == "hands", "load points are ankle or hands");
      // Both hands' load shared by two hips; a one-leg exercise puts it on one.
      const double share = t.one_leg ? 1.0 : 0.5;
      lever = share * kShoulderAboveHipOverStature * model.subject.height_m *
              std::sin(t.hip_flexion_rad);
    }
    effort += *dose.load_kg * kGravity * lever / *most;
  }
  effort = std::min(effort, 1.0);
  out.effort = effort;
  if (!problem.reachable(effort * *most)) return;
  const Eigen::VectorXd& F = problem.force();
  const double volume = 1.0 - std::exp(-double(*dose.sets * *dose.reps) / am.volume_reps);
  for (int m = 0; m < kNumMuscles; ++m) {
    const int mu = model_muscle(model, m, side);
    if (mu < 0) continue;
    double force = 0.0, capacity = 0.0;
    for (std::size_t j = 0; j < units.size(); ++j) {
      const auto& u = model.units[units[j]];
      if (u.muscle != mu) continue;
      const auto act = muscle::activation_for_tendon_force(u.params, F[j], problem.l_MT[j]);
      force += u.params.F_M_max * std::max(act.activation, 0.0);
      capacity += u.params.F_M_max;
    }
    if (!(capacity > 0.0)) continue;
    const double a = force / capacity;  // F_M_max-weighted activation
    out.activation[k][m] = a;
    const double i = clamp01((a - am.intensity_threshold) / (1.0 - am.intensity_threshold));
    out.strength[k][m] = i * volume;
    out.fascicle[k][m] = i * volume * eccentric_share(t.mode);
  }
}

// The change of a hamstring's musculotendon length (m) when the foot is turned `foot` ("in" or
// "out") in a straight-knee stretch (claim S9). The planar model has no tibial rotation, so this
// is a hypothesis added on top of it (docs/training.md, "Foot position"): turning the foot out
// rotates the tibia externally, which lengthens the medial hamstrings (semimembranosus,
// semitendinosus: internal rotators) and shortens the lateral ones (biceps femoris: an external
// rotator); turning it in does the opposite. Length change = moment arm x rotation.
double foot_length_change_m(std::string_view muscle, std::string_view foot) {
  // chosen: a 1 cm moment arm about the tibia's long axis, the order of the hamstrings' rotation
  // moment arms near full extension (they grow with knee flexion); and 10 deg of tibial rotation
  // from the turned foot, since the straight knee's screw-home locking leaves it little axial
  // rotation (most of the foot's turn happens at the hip). Both are untested guesses.
  constexpr double kRotationMomentArmM = 0.01, kTibialRotationRad = 10.0 * kPi / 180.0;
  if (foot != "in" && foot != "out") return 0.0;
  const bool medial = muscle == "semimembranosus" || muscle == "semitendinosus";
  const bool lateral = muscle == "biceps_femoris_long" || muscle == "biceps_femoris_short";
  if (!medial && !lateral) return 0.0;
  const double lengthens = (foot == "out") == medial ? 1.0 : -1.0;
  return lengthens * kRotationMomentArmM * kTibialRotationRad;
}

// Stretch (or contract-relax, or release of the hamstrings) on one side: the passive tension of
// each muscle at the stretch posture, with the foot turned `foot` (contract-relax only).
void stretch_stimulus(const Model& model, const ExerciseTask& t, const std::string& group,
                      double exposure, std::string_view foot, Side side,
                      std::optional<double> raise_near_deg, SessionStimulus& out) {
  const int k = model::side_index(side);
  const auto context = assess::neutral_test_context(model);
  double hip_angle = t.hip_flexion_rad, knee_angle = t.knee_flexion_rad;
  if (t.hip_to_tolerance) {
    const auto slr = assess::straight_leg_raise(
        model, context, side, assess::hip_stretch_tolerance_nm(model), raise_near_deg);
    if (std::isfinite(slr.value)) {
      hip_angle = deg_to_rad(slr.value);
      out.tolerance_raise_deg[k] = slr.value;
    }
    knee_angle = 0.0;
  }
  assess::detail::PoseMechanics pose(
      model, {model.coord.hip[k], model.coord.knee[k], model.coord.ankle[k]});
  pose.reset(0.0, context);
  pose.set_leg(side, hip_angle, knee_angle, 0.0);
  pose.evaluate();
  const std::vector<int>& units = pose.units();
  Eigen::VectorXd l_MT(static_cast<Eigen::Index>(units.size()));
  pose.gather_lengths(l_MT);
  std::array<double, kNumMuscles> tension{};
  double largest = 0.0;
  for (int m = 0; m < kNumMuscles; ++m) {
    if (model::kMuscleNames[m].group != group) continue;
    const int mu = model_muscle(model, m, side);
    const double dl = foot_length_change_m(model::kMuscleNames[m].name, foot);
    double force = 0.0, capacity = 0.0;
    for (std::size_t j = 0; j < units.size(); ++j) {
      const auto& u = model.units[units[j]];
      if (u.muscle != mu) continue;
      force += dl == 0.0 ? pose.unit_force(units[j], model.lying_tone)
                         : muscle::solve_static_equilibrium(
                               u.params, model.lying_tone,
                               l_MT[static_cast<Eigen::Index>(j)] + dl)
                               .state.F_T;
      capacity += u.params.F_M_max;
    }
    if (!(capacity > 0.0)) continue;
    tension[m] = force / capacity;
    largest = std::max(largest, tension[m]);
  }
  for (int m = 0; m < kNumMuscles; ++m) {
    out.passive_tension[k][m] = tension[m];
    if (largest > 0.0) out.stiffness[k][m] = exposure * tension[m] / largest;
  }
}

void copy_right_to_left(SessionStimulus& s) {
  for (auto* per_side : {&s.strength, &s.fascicle, &s.stiffness, &s.activation,
                         &s.passive_tension})
    (*per_side)[1] = (*per_side)[0];
  s.tolerance_raise_deg[1] = s.tolerance_raise_deg[0];
}

}  // namespace

const AdaptationModel& default_adaptation_model() {
  static const AdaptationModel m = make_default_model();
  return m;
}

AdaptationState::AdaptationState() {
  for (auto* a : {&neural, &volume, &fascicle_length, &stiffness, &capacity})
    for (auto& side : *a) side.fill(1.0);
}

std::vector<MuscleLoad> muscle_loads(const SessionStimulus& s, int k, double min_activation) {
  std::vector<MuscleLoad> out;
  for (int m = 0; m < kNumMuscles; ++m) {
    const MuscleLoad load{m,           s.activation[k][m], s.passive_tension[k][m],
                          s.strength[k][m], s.fascicle[k][m], s.stiffness[k][m]};
    if (load.activation >= min_activation || load.passive_tension > 0.0 || load.strength > 0.0 ||
        load.stiffness > 0.0)
      out.push_back(load);
  }
  // A session is a strength or a stretch session: one of the two measures is zero throughout.
  const auto size = [](const MuscleLoad& x) { return std::max(x.activation, x.passive_tension); };
  std::stable_sort(out.begin(), out.end(),
                   [&](const MuscleLoad& a, const MuscleLoad& b) { return size(a) > size(b); });
  return out;
}

SessionStimulus session_stimulus(const Model& model, const Exercise& exercise, const Dose& given,
                                 const std::string& target, std::array<bool, 2> sides,
                                 std::string_view foot,
                                 std::array<std::optional<double>, 2> raise_near_deg,
                                 const AdaptationModel& am) {
  const Dose dose = with_defaults(given, exercise.dose);
  // Both legs of a model whose sides are alike (model::sides_alike): the right leg is simulated
  // and the left gets its stimulus (copy_right_to_left).
  const bool mirrored = sides[0] && sides[1] && model::sides_alike(model);
  const std::array<bool, 2> simulated = {sides[0], sides[1] && !mirrored};
  SessionStimulus out;
  const ExerciseTask& t = exercise.task;
  switch (exercise.kind) {
    case ExerciseKind::strength:
      if (dose.load_kg && t.load_at == "none")
        throw InputError(fmt::format("exercise '{}' takes no load (load_kg): it is dosed by "
                                     "effort, 0.05 to 1",
                                     exercise.id));
      for (Side side : model::kSides)
        if (simulated[model::side_index(side)])
          strength_stimulus(model, exercise, dose, side, am, out);
      break;
    case ExerciseKind::stretch:
    case ExerciseKind::contract_relax:
    case ExerciseKind::release: {
      // A session's exposure saturates with its time in the stretch, its sets' holds together
      // (Johnson et al. 2014, Phys Ther Sport 15:101: 3 x 30 s and 9 x 10 s a day gained alike;
      // Bandy et al. 1997: one or three 30 s stretches a day alike); contract-relax counts its
      // whole cycle (contraction and hold) as time in the stretch.
      double hold = *dose.hold_s;
      if (exercise.kind == ExerciseKind::contract_relax) hold += t.contraction_s;
      const double exposure = 1.0 - std::exp(-*dose.sets * hold / am.hold_exposure_s);
      const std::string group = exercise.kind == ExerciseKind::release ? target : t.stretched;
      ExerciseTask posture = t;
      if (exercise.kind == ExerciseKind::release) {
        // The target group at its stretch test's posture (chosen): hamstrings as the straight-leg
        // raise ends, others at rest (their tension then comes only from their length there).
        posture.hip_to_tolerance = group == "hamstrings";
      }
      for (Side side : model::kSides)
        if (simulated[model::side_index(side)])
          stretch_stimulus(model, posture, group, exposure,
                           exercise.kind == ExerciseKind::contract_relax ? foot : "neutral", side,
                           raise_near_deg[model::side_index(side)], out);
      if (group == "hamstrings") out.tolerance = exposure;
      break;
    }
    case ExerciseKind::rest:
      break;
  }
  if (mirrored) copy_right_to_left(out);
  return out;
}

void advance_day(AdaptationState& state, const std::vector<const TrainingDay*>& recent,
                 const AdaptationModel& am) {
  // The last seven days' sessions: days with a session and the mean stimulus of those days.
  const auto target = [&](const AdaptationConstants& c, auto stimulus_of) {
    int days = 0;
    double sum = 0.0;
    for (const TrainingDay* day : recent) {
      double best = 0.0;
      bool any = false;
      for (const auto& s : day->sessions) {
        const double x = stimulus_of(s);
        if (x > 0.0) any = true;
        best = std::max(best, x);  // two sessions in a day count once (Bandy et al. 1997)
      }
      if (any) ++days, sum += best;
    }
    if (days == 0) return 1.0;
    return 1.0 + c.gain * (sum / days) * std::min(1.0, days / c.sessions_full);
  };
  // tau_rise towards a larger change from the start (up for strength, down for stiffness).
  const auto step = [](double& x, double x_star, const AdaptationConstants& c) {
    const double tau =
        std::abs(x_star - 1.0) > std::abs(x - 1.0) ? c.tau_rise_days : c.tau_decay_days;
    x = x_star + (x - x_star) * std::exp(-1.0 / tau);
  };
  for (int k = 0; k < 2; ++k) {
    for (int m = 0; m < kNumMuscles; ++m) {
      const auto strength_stimulus = [&](const SessionStimulus& s) { return s.strength[k][m]; };
      step(state.neural[k][m], target(am.neural, strength_stimulus), am.neural);
      step(state.volume[k][m], target(am.hypertrophy, strength_stimulus), am.hypertrophy);
      step(state.fascicle_length[k][m],
           target(am.fascicle_length, [&](const SessionStimulus& s) { return s.fascicle[k][m]; }),
           am.fascicle_length);
      step(state.stiffness[k][m],
           target(am.stiffness, [&](const SessionStimulus& s) { return s.stiffness[k][m]; }),
           am.stiffness);
      double& cap = state.capacity[k][m];
      cap = 1.0 + (cap - 1.0) * std::exp(-1.0 / am.capacity_recovery_days);
    }
  }
  step(state.stretch_tolerance,
       target(am.stretch_tolerance, [](const SessionStimulus& s) { return s.tolerance; }),
       am.stretch_tolerance);
}

}  // namespace pulley::training
