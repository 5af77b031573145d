// Calibration: from a subject's measured clinical tests (the subject file's `measurements:`
// section, any subset), the muscle-group parameters of that person, found by regularised
// nonlinear least squares (Ceres):
//
//   minimise  sum_i ((y_i(theta) - m_i) / s_i)^2  +  sum_j ((theta_j - mu_j) / sigma_j)^2
//
// y_i is test i simulated on the subject with parameters theta (assess/clinical_tests.hpp), m_i
// its measured value and s_i the test's measurement error (its standard deviation between
// sessions and examiners); mu_j and sigma_j are the population norm of parameter j and its spread
// between people (the prior). With few measurements the prior keeps the parameters the data cannot
// see at their norms. The uncertainty of every parameter is the square root of the diagonal of
// the inverse of the Gauss-Newton Hessian J^T J at the answer (a Laplace approximation of the
// posterior); a parameter counts as determined by the data when its posterior spread is at most
// kDeterminedSdRatio of its prior spread. Key outputs' uncertainties follow by propagating that
// covariance through each output's parameter derivatives. docs/assessment.md gives the
// parameters, the priors and the measurement errors with their sources.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pulley/model/subject.hpp"

namespace pulley::assess {

/// A parameter counts as determined by the measurements when its posterior standard deviation is
/// at most this fraction of its prior's. chosen: 0.5, the data at least halve the uncertainty
/// the population norm alone leaves (a quarter of its variance).
inline constexpr double kDeterminedSdRatio = 0.5;

enum class CalibrationStatus {
  no_measurements,  ///< the subject file has none: the subject is used as given
  fitted,           ///< the solver converged
  not_converged,    ///< it stopped at its iteration limit; the best point found is reported
  failed,           ///< a simulation failed at every point tried; the subject is used as given
};
const char* to_string(CalibrationStatus status);

/// A calibrated factor (CalibratedParameter::factor) in words: "length", "hip stretch
/// tolerance" for "stretch_tolerance_hip_nm".
std::string factor_words(std::string_view factor);

/// One measurement against the fitted subject's simulation.
struct MeasurementResidual {
  model::Measurement measurement;
  double simulated_prior = 0.0;  ///< the test on the subject before fitting
  double simulated = 0.0;        ///< the test on the fitted subject
  double sd = 0.0;               ///< measurement error used to weigh it (unit of the test)
  /// (simulated - measured) / sd; |z| > 2 flags a measurement the model cannot reconcile with the
  /// others and the priors.
  double normalized() const { return (simulated - measurement.value) / sd; }
};

/// One fitted parameter: a factor of a muscle group on one side (`side` set), or a whole-body
/// parameter (stretch tolerances: `group` empty, no side).
struct FittedParameter {
  std::string group;   ///< "hamstrings", ...; empty for a whole-body parameter
  std::string factor;  ///< "strength", "length", "stiffness", "stretch_tolerance_hip_nm", ...
  std::optional<model::Side> side;
  double prior = 0.0;     ///< population norm (or the subject file's own value)
  double prior_sd = 0.0;  ///< its spread between people
  double value = 0.0;     ///< fitted
  double sd = 0.0;        ///< posterior standard deviation
  bool determined = false;  ///< sd <= kDeterminedSdRatio * prior_sd
};

/// A key output of the fitted subject with its uncertainty (one standard deviation).
struct OutputUncertainty {
  std::string output;  ///< a test name as in the assessment's JSON, with side: "hq_ratio.right"
  double value = 0.0;
  double sd = 0.0;
};

struct CalibrationSettings {
  int max_iterations = 25;  ///< chosen: Levenberg-Marquardt rarely needs more on these few terms
  /// True if max_iterations is in 1-1000; otherwise `error` says what is allowed.
  bool IsValid(std::string* error) const;
};

struct CalibrationResult {
  CalibrationStatus status = CalibrationStatus::no_measurements;
  /// The fit moved the subject's factors: status fitted or not_converged (the best point is
  /// used). Otherwise fitted_subject is the input.
  bool fitted_factors() const {
    return status == CalibrationStatus::fitted || status == CalibrationStatus::not_converged;
  }
  std::string message;  ///< a plain sentence on the outcome and what stays uncertain
  int iterations = 0;
  double initial_cost = 0.0, final_cost = 0.0;  ///< 0.5 x the sum of squares above
  std::vector<MeasurementResidual> residuals;
  std::vector<FittedParameter> parameters;
  std::vector<OutputUncertainty> outputs;
  /// Measurements that pull against each other or against the norms (|z| > 2), in words.
  std::vector<std::string> conflicts;
  /// The input subject with the fitted factors written into its `muscles:` (group entries per
  /// side) and `tests:` sections, its signs kept and its measurements dropped (they are in the
  /// parameters now; fitting the fitted subject to them again would count them twice). Equal to
  /// the input unless status is fitted or not_converged.
  model::Subject fitted_subject;
};

/// Fits `subject` to its measurements. Never throws for numerical trouble (see status); throws
/// InputError if `settings` is invalid.
CalibrationResult calibrate(const model::Subject& subject, const CalibrationSettings& settings = {});

}  // namespace pulley::assess
