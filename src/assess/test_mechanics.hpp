// Internal to the assess module: the mechanics the clinical tests share. A test sets a full
// configuration (the legs may differ, unlike the quasi-static tasks), then asks for the moments
// passive tissue, relaxed muscles and gravity put on a joint, or for the largest moment the
// muscles can add at full effort while other joints stay in balance. Not installed.
#pragma once

#include <Eigen/Core>
#include <array>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "pulley/assess/clinical_tests.hpp"
#include "pulley/model/data.hpp"
#include "pulley/model/model.hpp"
#include "pulley/muscle/musculotendon.hpp"
#include "pulley/recruitment/max_moment.hpp"

namespace pulley::assess::detail {

using model::Model;
using model::Side;

using model::side_index;

/// A configuration and what acts on it. `q` is set by the caller (set_* helpers), then
/// evaluate() computes geometry, the lumbar segments', joint limits' and hip ligaments' moments
/// and gravity.
class PoseMechanics {
 public:
  /// Mechanics of the units that cross any of `coordinates`: only their geometry is computed (a
  /// test moves one leg; the other units' lengths and moment arms stay zero).
  PoseMechanics(const Model& model, const std::vector<int>& coordinates);

  /// Pelvis angle in W (rad) at the origin, lumbar levels as in `context`, both legs straight.
  void reset(double pelvis_angle, const TestContext& context);
  /// One leg's hip flexion, knee flexion and ankle dorsiflexion (rad).
  void set_leg(Side side, double hip, double knee, double ankle);
  void set_coordinate(int c, double value) { q_[c] = value; }
  double coordinate(int c) const { return q_[c]; }
  const Eigen::VectorXd& q() const { return q_; }

  /// Geometry, Q_passive and gravity at q.
  void evaluate();

  /// Generalised force on coordinate c (N m) of the lumbar segments, joint limits and ligaments
  /// plus every unit crossing c at activation `tone` (static fibre-tendon equilibrium), after
  /// evaluate(); c must be one of the constructor's coordinates.
  double relaxed_moment(int c, double tone);
  /// relaxed_moment(c, tone) + gravity(c) for the ankle coordinate c of leg k at the current q,
  /// computing only the units of units() that cross that ankle (the others' geometry is left as
  /// the last evaluate() put it): relax_ankle's search, which moves the ankle alone. Equal to
  /// evaluate() followed by those two calls.
  double net_relaxed_ankle_moment(int k, double tone);
  /// Generalised gravity force on coordinate c (N m; the pelvis held), after evaluate().
  double gravity(int c) const { return Q_gravity_[c]; }
  /// Unit i's tendon force at activation a and its current length (N), after evaluate().
  double unit_force(int i, double a) const;

  const model::Data& data() const { return data_; }
  /// Where relax_ankle last found leg k's foot at rest, and the net ankle moment's slope there:
  /// where the next search starts looking, and its first step.
  struct RelaxedAnkle {
    double angle = std::numeric_limits<double>::quiet_NaN();  ///< rad; NaN before the first
    double slope = std::numeric_limits<double>::quiet_NaN();  ///< N m/rad; NaN when not known
  };
  RelaxedAnkle last_relaxed_ankle(int k) const { return last_relaxed_ankle_[k]; }
  void set_last_relaxed_ankle(int k, RelaxedAnkle at) { last_relaxed_ankle_[k] = at; }
  /// The units computed (model indices, ascending): the columns of the gathered rows below.
  const std::vector<int>& units() const { return data_.units; }
  /// Row c of the moment arms over units() (m), after evaluate().
  void gather_moment_arms(int c, Eigen::Ref<Eigen::RowVectorXd, 0, Eigen::InnerStride<>> out) const;
  /// The lengths of units() (m), after evaluate().
  void gather_lengths(Eigen::Ref<Eigen::VectorXd> out) const;
  const Model& model() const { return model_; }
  /// Whether the legs are mirror images below the knee: every computed unit crossing one ankle
  /// has a twin (model::Data::twin: a mirror-image path and equal parameters) crossing the other.
  /// The feet, the ankles' joint limits and their weights are alike by construction.
  bool ankles_are_twins();

 private:
  const Model& model_;
  model::Data data_;
  Eigen::VectorXd q_, Q_gravity_;
  // Per leg, a scratch over the units of data_ crossing its ankle, made on first use.
  std::array<std::optional<model::Data>, 2> ankle_data_;
  std::array<RelaxedAnkle, 2> last_relaxed_ankle_{};
  std::optional<bool> ankles_are_twins_;  // found on first use

  // ankle_data_[k], made on first use.
  model::Data& ankle_data(int k);
};

/// The relaxed foot: the ankle dorsiflexion (rad) of `side` where passive tissue, the relaxed
/// muscles (activation `tone`) and the foot's weight balance, the rest of q as set. Leaves the
/// ankle there, evaluated. Secant steps look first within a few degrees of the pose's last
/// relaxed ankle (a test's postures change little from one to the next), starting with a Newton
/// step on the slope found there, or, before the first, from the neutral ankle over the whole
/// range; where they do not converge, regula falsi over the whole range; either way to the same
/// tolerance.
double relax_ankle(PoseMechanics& pose, Side side, double tone);

/// Both feet relaxed, as relax_ankle on each side. Where the legs are twins below the knee
/// (PoseMechanics::ankles_are_twins) and at the same hip and knee angles, the left foot comes to
/// rest where the right one does and is set there without a search of its own.
void relax_both_ankles(PoseMechanics& pose, double tone);

/// How first_crossing refines the scan step where f changes sign.
enum class Refine {
  bisection,  ///< for any f, including a sign (+1 / -1) of whether something holds
  root,       ///< for continuous f: regula falsi (Illinois), fewer evaluations
};

/// What a caller of first_crossing already knows, which spares it evaluations of f.
struct CrossingStart {
  /// f(from), when the caller has evaluated it, or, for a sign f (Refine::bisection), the sign it
  /// expects there: the scan then never evaluates f(from), and a caller that passed an expected
  /// sign must evaluate it itself where the answer lies in the first step or there is none (the
  /// only answers a different sign at `from` could change, for an f with one sign change).
  std::optional<double> f_from;
  /// Where the crossing was found before, on a nearby problem (a calibration runs each test again
  /// with its parameters changed a little): the scan starts at the step that holds it and walks
  /// from there. For an f with one sign change on the scan, the scan finds the same step and
  /// refines it the same way, so only the number of evaluations differs.
  std::optional<double> near;
};

/// The first root of f on a scan from `from` towards `to` in steps of `step` (> 0), refined to
/// `tolerance`: the first x where f changes sign from its sign at `from`. Empty when f keeps its
/// sign over the whole scan.
std::optional<double> first_crossing(const std::function<double(double)>& f, double from, double to,
                                     double step, double tolerance,
                                     Refine refine = Refine::bisection,
                                     const CrossingStart& start = {});

/// A maximal-moment problem (recruitment/max_moment.hpp) over the model's `units`, each from
/// resting activation `tone` up to its capacity, with `params` (one per unit of `units`, e.g. with
/// a force-velocity factor on F_M_max) and `rows` equations.
recruitment::MaxMoment make_max_moment(const Model& model, const std::vector<int>& units,
                                       std::vector<muscle::MusculotendonParameters> params,
                                       int rows, double tone);

/// The parameters of the model's `units`, unchanged.
std::vector<muscle::MusculotendonParameters> unit_parameters(const Model& model,
                                                             const std::vector<int>& units);

/// The units whose paths cross any of `coordinates`, ascending.
std::vector<int> units_crossing(const Model& model, const std::vector<int>& coordinates);
/// The same among `candidates` (ascending unit indices).
std::vector<int> units_crossing(const Model& model, const std::vector<int>& coordinates,
                                const std::vector<int>& candidates);

}  // namespace pulley::assess::detail
