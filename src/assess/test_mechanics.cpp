#include "test_mechanics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/tasks/quasi_static.hpp"

namespace pulley::assess::detail {

namespace {

// Moment arms below this do not cross the coordinate (m); as tasks/moment_arms.hpp counts them.
constexpr double kCrossingMomentArmM = 1e-9;
// Search range and tolerance of the relaxed ankle (rad). chosen: -60 to 45 deg spans the ankle's
// range; 1e-5 rad (6e-4 deg) is far below any reported angle.
constexpr double kAnkleLowRad = -60.0 * kPi / 180.0, kAnkleHighRad = 45.0 * kPi / 180.0;
constexpr double kAngleToleranceRad = 1e-5;
// Half-width of the first look around the last relaxed ankle (rad). chosen: 3 deg holds the change
// of the relaxed ankle between a test's neighbouring postures (a 5 deg scan step of the knee).
constexpr double kAnkleNearRad = 3.0 * kPi / 180.0;
// The first secant step's probe beside the search's start (rad), where no slope is known yet, and
// the most secant steps before the search falls back to regula falsi over the whole range. chosen:
// 0.1 deg, a step the moment-angle curve resolves to many digits; 8 steps, where a calibration's
// searches take 4.7 moment evaluations on average with the start (a fifth of them end on the
// first, Newton step; 7 % fall back).
constexpr double kAnkleProbeRad = 0.1 * kPi / 180.0;
constexpr int kMaxAnkleSecantSteps = 8;

// Bisection of f on [a, b] where f(a) and f(b) differ in sign (fa = f(a)), to `tolerance`; returns
// the middle of the last bracket.
double bisect(const std::function<double(double)>& f, double a, double b, double fa,
              double tolerance) {
  const bool a_negative = fa < 0.0;
  while (std::abs(b - a) > tolerance) {
    const double mid = 0.5 * (a + b);
    const double fm = f(mid);
    if ((fm < 0.0) == a_negative)
      a = mid;
    else
      b = mid;
  }
  return 0.5 * (a + b);
}

// The root of a continuous f on [a, b] where f(a) = fa and f(b) = fb differ in sign, to
// `tolerance` in x: regula falsi with the Illinois modification (the value kept at an end that
// stays is halved), which converges superlinearly on the smooth moment-angle curves here.
double illinois(const std::function<double(double)>& f, double a, double b, double fa, double fb,
                double tolerance) {
  int side = 0;
  for (int it = 0; it < 100; ++it) {
    const double x = (a * fb - b * fa) / (fb - fa);
    const double fx = f(x);
    if (fx == 0.0) return x;
    if ((fx < 0.0) == (fb < 0.0)) {
      b = x;
      fb = fx;
      if (side == -1) fa *= 0.5;
      side = -1;
    } else {
      a = x;
      fa = fx;
      if (side == 1) fb *= 0.5;
      side = 1;
    }
    if (std::abs(b - a) <= tolerance) break;
    // The step that barely moves: finish with the midpoint when the bracket stalls.
    if (it > 0 && std::abs(b - a) <= 2.0 * tolerance) return 0.5 * (a + b);
  }
  return std::abs(fa) < std::abs(fb) ? a : b;
}

// A root of a continuous f by secant steps from x0 and x1 (f0 = f(x0), f1 = f(x1)), kept within
// [lo, hi]: a step that would leave it stops at its edge, and once two points straddle the root,
// a step that would leave them bisects them. Ends on a step below `tolerance`, whose end it returns
// without evaluating f there (the secant converges superlinearly on a smooth f, so that point lies
// well within the tolerance of the root); empty when the root lies beyond [lo, hi] or `max_steps`
// steps do not reach it. `slope`, when given, receives the slope of the last secant whose end was
// evaluated (f's derivative near the root); it is left as it was when the first step ends the
// search.
// (A template: the per-search std::function of a lambda holding three references would allocate.)
template <class F>
std::optional<double> safeguarded_secant(const F& f, double x0, double f0, double x1, double f1,
                                         double lo, double hi, double tolerance, int max_steps,
                                         double* slope = nullptr) {
  // The straddling pair, once found: f changes sign between lo_x and hi_x.
  bool bracketed = false;
  double lo_x = 0.0, f_lo = 0.0, hi_x = 0.0;
  const auto note_bracket = [&](double x_a, double f_a, double x_b, double f_b) {
    if ((f_a < 0.0) == (f_b < 0.0)) return;
    bracketed = true;
    lo_x = std::min(x_a, x_b);
    hi_x = std::max(x_a, x_b);
    f_lo = lo_x == x_a ? f_a : f_b;
  };
  note_bracket(x0, f0, x1, f1);
  for (int step = 0; step < max_steps && f1 != 0.0; ++step) {
    double x2 = f1 != f0 ? x1 - f1 * (x1 - x0) / (f1 - f0)
                         : std::numeric_limits<double>::quiet_NaN();
    if (bracketed) {
      if (!(x2 > lo_x && x2 < hi_x)) x2 = 0.5 * (lo_x + hi_x);
    } else if (!(x2 >= lo && x2 <= hi)) {
      if (std::isnan(x2)) return std::nullopt;
      x2 = std::clamp(x2, lo, hi);
      if (x2 == x1) return std::nullopt;  // the root lies beyond [lo, hi]
    }
    if (std::abs(x2 - x1) <= tolerance) return x2;  // f(x2) would not change the answer
    const double f2 = f(x2);
    if (!bracketed) {
      note_bracket(x1, f1, x2, f2);
    } else if ((f2 < 0.0) == (f_lo < 0.0)) {
      lo_x = x2;
      f_lo = f2;
    } else {
      hi_x = x2;
    }
    x0 = x1;
    f0 = f1;
    x1 = x2;
    f1 = f2;
    if (slope && x1 != x0) *slope = (f1 - f0) / (x1 - x0);
  }
  if (f1 == 0.0) return x1;
  return std::nullopt;
}

}  // namespace

std::vector<muscle::MusculotendonParameters> unit_parameters(const Model& model,
                                                             const std::vector<int>& units) {
  std::vector<muscle::MusculotendonParameters> params;
  params.reserve(units.size());
  for (const int i : units) params.push_back(model.units[i].params);
  return params;
}

std::vector<int> units_crossing(const Model& model, const std::vector<int>& coordinates) {
  std::vector<int> all(static_cast<std::size_t>(model.num_units()));
  std::iota(all.begin(), all.end(), 0);
  return units_crossing(model, coordinates, all);
}

std::vector<int> units_crossing(const Model& model, const std::vector<int>& coordinates,
                                const std::vector<int>& candidates) {
  std::vector<int> units;
  for (const int i : candidates) {
    const std::vector<int>& crossed = model.units[i].moment_arm_map.coordinates;
    const bool crosses = std::any_of(coordinates.begin(), coordinates.end(), [&](int c) {
      return std::binary_search(crossed.begin(), crossed.end(), c);
    });
    if (crosses) units.push_back(i);
  }
  return units;
}

PoseMechanics::PoseMechanics(const Model& model, const std::vector<int>& coordinates)
    : model_(model),
      data_(model, units_crossing(model, coordinates)),
      q_(Eigen::VectorXd::Zero(model.num_coordinates())),
      Q_gravity_(Eigen::VectorXd::Zero(model.num_coordinates())) {}

void PoseMechanics::reset(double pelvis_angle, const TestContext& context) {
  q_.setZero();
  q_[2] = pelvis_angle;
  for (int l = 0; l < 5; ++l) q_[model_.coord.lumbar[l]] = context.lumbar_rad[l];
}

void PoseMechanics::set_leg(Side side, double hip, double knee, double ankle) {
  const int k = side_index(side);
  q_[model_.coord.hip[k]] = hip;
  q_[model_.coord.knee[k]] = knee;
  q_[model_.coord.ankle[k]] = ankle;
}

void PoseMechanics::evaluate() {
  model::calc_musculotendon_geometry(model_, q_, data_);
  model::calc_passive_joint_forces(model_, q_, data_);
  Q_gravity_.setZero();
  skeleton::calc_gravity_forces(model_.tree, data_.kin, skeleton::Vec2(0.0, -kGravity), Q_gravity_);
}

namespace {

// Unit i's tendon force at activation a and its length in `data` (N).
double unit_force_of(const Model& model, const model::Data& data, int i, double a) {
  return muscle::solve_static_equilibrium(model.units[i].params, a, data.l_MT[i]).state.F_T;
}

// Passive structures and every unit of `data` crossing coordinate c at activation `tone`.
double relaxed_moment_of(const Model& model, const model::Data& data, int c, double tone) {
  double Q = data.Q_passive[c];
  for (const int i : data.units) {
    const double r = data.moment_arms(c, i);
    if (std::abs(r) > kCrossingMomentArmM) Q += r * unit_force_of(model, data, i, tone);
  }
  return Q;
}

}  // namespace

model::Data& PoseMechanics::ankle_data(int k) {
  if (!ankle_data_[k])
    ankle_data_[k].emplace(model_, units_crossing(model_, {model_.coord.ankle[k]}, data_.units));
  return *ankle_data_[k];
}

double PoseMechanics::net_relaxed_ankle_moment(int k, double tone) {
  const int c = model_.coord.ankle[k];
  model::Data& d = ankle_data(k);
  model::calc_musculotendon_geometry(model_, q_, d);
  model::calc_passive_joint_forces(model_, q_, d);
  Q_gravity_.setZero();
  skeleton::calc_gravity_forces(model_.tree, d.kin, skeleton::Vec2(0.0, -kGravity), Q_gravity_);
  return relaxed_moment_of(model_, d, c, tone) + Q_gravity_[c];
}

double PoseMechanics::unit_force(int i, double a) const {
  return unit_force_of(model_, data_, i, a);
}

void PoseMechanics::gather_moment_arms(
    int c, Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> out) const {
  for (std::size_t j = 0; j < data_.units.size(); ++j)
    out[static_cast<Eigen::Index>(j)] = data_.moment_arms(c, data_.units[j]);
}

void PoseMechanics::gather_lengths(Eigen::Ref<Eigen::VectorXd> out) const {
  for (std::size_t j = 0; j < data_.units.size(); ++j)
    out[static_cast<Eigen::Index>(j)] = data_.l_MT[data_.units[j]];
}

double PoseMechanics::relaxed_moment(int c, double tone) {
  return relaxed_moment_of(model_, data_, c, tone);
}

namespace {

// relax_ankle's search: sets the ankle where the foot balances and records it as the last relaxed
// ankle, but leaves the pose's geometry as it was (the caller evaluates).
double find_relaxed_ankle(PoseMechanics& pose, Side side, double tone) {
  const int c = pose.model().coord.ankle[side_index(side)];
  const int k = side_index(side);
  const auto net = [&](double a) {
    pose.set_coordinate(c, a);
    return pose.net_relaxed_ankle_moment(k, tone);
  };
  // Secant steps from the last relaxed ankle, kept within kAnkleNearRad of it; before the first,
  // from the neutral ankle over the whole range. The first step is Newton's with the slope the last
  // search ended on, where there is one (the postures of a test change little from one to the next,
  // nor does the slope), else a secant through a probe beside the start. Where they do not
  // converge, regula falsi over the whole range.
  const PoseMechanics::RelaxedAnkle last = pose.last_relaxed_ankle(k);
  const bool has_last = std::isfinite(last.angle);
  const double start = has_last ? last.angle : 0.0;
  const double lo = has_last ? std::max(kAnkleLowRad, start - kAnkleNearRad) : kAnkleLowRad;
  const double hi = has_last ? std::min(kAnkleHighRad, start + kAnkleNearRad) : kAnkleHighRad;
  const double f_start = net(start);
  double slope = last.slope;
  std::optional<double> root;
  if (std::isfinite(slope) && slope != 0.0) {
    const double newton = std::clamp(start - f_start / slope, lo, hi);
    if (std::abs(newton - start) <= kAngleToleranceRad) {
      root = newton;  // a first step within the tolerance: the start is the balance already
    } else {
      root = safeguarded_secant(net, start, f_start, newton, net(newton), lo, hi,
                                kAngleToleranceRad, kMaxAnkleSecantSteps, &slope);
    }
  } else {
    const double probe =
        start + kAnkleProbeRad <= hi ? start + kAnkleProbeRad : start - kAnkleProbeRad;
    slope = std::numeric_limits<double>::quiet_NaN();
    root = safeguarded_secant(net, start, f_start, probe, net(probe), lo, hi, kAngleToleranceRad,
                              kMaxAnkleSecantSteps, &slope);
  }
  double a = 0.0;
  if (root) {
    a = *root;
  } else {
    slope = std::numeric_limits<double>::quiet_NaN();
    const double low = net(kAnkleLowRad), high = net(kAnkleHighRad);
    if ((low < 0.0) != (high < 0.0))
      a = illinois(net, kAnkleLowRad, kAnkleHighRad, low, high, kAngleToleranceRad);
    else  // no balance in range: the end where the net moment is smaller (not met in practice)
      a = std::abs(low) < std::abs(high) ? kAnkleLowRad : kAnkleHighRad;
  }
  pose.set_coordinate(c, a);
  pose.set_last_relaxed_ankle(k, {a, slope});
  return a;
}

}  // namespace

double relax_ankle(PoseMechanics& pose, Side side, double tone) {
  const double a = find_relaxed_ankle(pose, side, tone);
  pose.evaluate();
  return a;
}

bool PoseMechanics::ankles_are_twins() {
  if (!ankles_are_twins_) {
    const std::vector<int>& right = ankle_data(side_index(Side::right)).units;
    const std::vector<int>& left = ankle_data(side_index(Side::left)).units;
    ankles_are_twins_ =
        left.size() == right.size() && std::all_of(left.begin(), left.end(), [&](int i) {
          const int j = data_.twin[static_cast<std::size_t>(i)];
          return j >= 0 && std::binary_search(right.begin(), right.end(), j);
        });
  }
  return *ankles_are_twins_;
}

void relax_both_ankles(PoseMechanics& pose, double tone) {
  const Model& model = pose.model();
  const int r = side_index(Side::right), l = side_index(Side::left);
  const double right_ankle = find_relaxed_ankle(pose, Side::right, tone);
  const bool same_legs =
      pose.coordinate(model.coord.hip[r]) == pose.coordinate(model.coord.hip[l]) &&
      pose.coordinate(model.coord.knee[r]) == pose.coordinate(model.coord.knee[l]);
  if (same_legs && pose.ankles_are_twins()) {
    pose.set_coordinate(model.coord.ankle[l], right_ankle);
    pose.set_last_relaxed_ankle(l, pose.last_relaxed_ankle(r));
  } else {
    find_relaxed_ankle(pose, Side::left, tone);  // its search computes only the left ankle's units
  }
  pose.evaluate();  // the whole pose once, at both feet's angles
}

std::optional<double> first_crossing(const std::function<double(double)>& f, double from, double to,
                                     double step, double tolerance, Refine refine,
                                     const CrossingStart& start) {
  PULLEY_DEMAND(step > 0.0 && tolerance > 0.0, "first_crossing: step and tolerance > 0");
  const double direction = to >= from ? 1.0 : -1.0;
  const double f0 = start.f_from ? *start.f_from : f(from);
  const bool negative0 = f0 < 0.0;
  // The scan's points x_0 = from, x_1, ..., the last one `to`, each made as the plain scan makes
  // it (one step added at a time), so that a hinted search refines exactly the same step.
  std::vector<double> grid{from};
  while (direction * (to - grid.back()) > 0.0) {
    const double x = grid.back();
    grid.push_back(direction > 0.0 ? std::min(x + step, to) : std::max(x - step, to));
  }
  const std::size_t last = grid.size() - 1;
  std::vector<std::optional<double>> values(grid.size());
  values[0] = f0;
  const auto value = [&](std::size_t k) {
    if (!values[k]) values[k] = f(grid[k]);
    return *values[k];
  };
  const auto refined = [&](std::size_t k) {  // the change lies between x_k and x_{k+1}
    return refine == Refine::root
               ? illinois(f, grid[k], grid[k + 1], value(k), value(k + 1), tolerance)
               : bisect(f, grid[k], grid[k + 1], f0, tolerance);
  };
  const auto changed = [&](std::size_t k) { return (value(k) < 0.0) != negative0; };
  if (last == 0) return std::nullopt;
  // The step to look at first: the one that holds `near`, else the first.
  std::size_t k = 0;
  if (start.near && std::isfinite(*start.near)) {
    while (k + 1 < last && direction * (*start.near - grid[k + 1]) >= 0.0) ++k;
  }
  // Walk back while x_k has already changed sign (the change lies before it) ...
  while (k > 0 && changed(k)) --k;
  // ... then forward to the first step whose end has changed sign.
  for (; k < last; ++k)
    if (changed(k + 1)) return refined(k);
  return std::nullopt;
}

recruitment::MaxMoment make_max_moment(const Model& model, const std::vector<int>& units,
                                       std::vector<muscle::MusculotendonParameters> params,
                                       int rows, double tone) {
  PULLEY_DEMAND(params.size() == units.size(), "make_max_moment: one parameter set per unit");
  const auto n = static_cast<Eigen::Index>(units.size());
  Eigen::VectorXd weights(n), ceiling(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const auto& unit = model.units[units[static_cast<std::size_t>(j)]];
    weights[j] = unit.effort_weight;
    ceiling[j] = unit.activation_ceiling(tone);
  }
  recruitment::MaxMoment problem(std::move(params), std::move(weights), ceiling, rows, tone);
  problem.unmet_tolerance = tasks::kUnmetToleranceNm;
  return problem;
}

}  // namespace pulley::assess::detail
