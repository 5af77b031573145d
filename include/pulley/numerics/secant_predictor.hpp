// The next point of a smooth path of vectors along a scalar parameter (a bend's rotation, a
// hold's time, a recording's time): the last vector moved along the secant through the last two,
// in proportion to the parameter's step; the last vector itself until two are known.
#pragma once

namespace pulley::numerics {

template <class Vector>
class SecantPredictor {
 public:
  explicit SecantPredictor(const Vector& start) : last_(start), previous_(start) {}

  /// True once two vectors at different parameters are known (predict then extrapolates).
  bool extrapolates() const { return count_ >= 2 && last_parameter_ != previous_parameter_; }

  Vector predict(double parameter) const {
    Vector out = last_;
    predict(parameter, out);
    return out;
  }
  /// The same into `out` (no allocation where `out` already has the size).
  void predict(double parameter, Vector& out) const {
    if (!extrapolates()) {
      out = last_;
      return;
    }
    const double ratio = (parameter - last_parameter_) / (last_parameter_ - previous_parameter_);
    out = last_ + ratio * (last_ - previous_);
  }

  void add(double parameter, const Vector& v) {
    previous_ = last_;
    previous_parameter_ = last_parameter_;
    last_ = v;
    last_parameter_ = parameter;
    ++count_;
  }

 private:
  Vector last_, previous_;
  double last_parameter_ = 0.0, previous_parameter_ = 0.0;
  int count_ = 0;
};

}  // namespace pulley::numerics
