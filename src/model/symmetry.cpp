// sides_alike: whether a model's left side is the mirror image of its right, so that a one-sided
// test of the left leg gives the right leg's result (assess::run_clinical_tests, the training
// stimuli). compile_model builds both sides from the same data, right first: a subject's per-side
// entries, or a caller changing one side's units, are what set them apart.
#include <algorithm>
#include <array>

#include "pulley/model/model.hpp"

namespace pulley::model {

namespace {

// The mirror image of a leg's body or coordinate; the pelvis, lumbar spine and thorax are their
// own.
int mirror(const std::array<std::array<int, 2>, 3>& pairs, int index) {
  for (const auto& pair : pairs) {
    if (index == pair[0]) return pair[1];
    if (index == pair[1]) return pair[0];
  }
  return index;
}

struct Mirror {
  std::array<std::array<int, 2>, 3> bodies, coordinates;

  explicit Mirror(const Model& m)
      : bodies{m.body.femur, m.body.tibia, m.body.foot},
        coordinates{m.coord.hip, m.coord.knee, m.coord.ankle} {}

  int body(int b) const { return mirror(bodies, b); }
  int coordinate(int c) const { return mirror(coordinates, c); }

  bool paths(const geometry::PathSpec& a, const geometry::PathSpec& b) const {
    if (a.points.size() != b.points.size() || a.circles.size() != b.circles.size() ||
        a.motions.size() != b.motions.size() || a.wrap != b.wrap)
      return false;
    for (std::size_t i = 0; i < a.points.size(); ++i) {
      const geometry::PathPoint &p = a.points[i], &q = b.points[i];
      if (body(p.body) != q.body || p.p_B != q.p_B || p.motion != q.motion || p.z_B != q.z_B)
        return false;
    }
    for (std::size_t i = 0; i < a.circles.size(); ++i) {
      const geometry::WrapCircle &p = a.circles[i], &q = b.circles[i];
      if (body(p.body) != q.body || p.center_B != q.center_B || p.radius != q.radius ||
          p.turn != q.turn || p.motion != q.motion || p.z_B != q.z_B)
        return false;
    }
    for (std::size_t i = 0; i < a.motions.size(); ++i) {
      geometry::CoupledMotion mirrored = a.motions[i];
      mirrored.coordinate = coordinate(mirrored.coordinate);
      if (!(mirrored == b.motions[i])) return false;
    }
    return true;
  }

  bool units(const MusculotendonUnit& a, const MusculotendonUnit& b) const {
    return a.params == b.params && a.typical_params == b.typical_params &&
           a.capacity == b.capacity && a.volume_m3 == b.volume_m3 &&
           a.effort_weight == b.effort_weight && paths(a.path, b.path);
  }

  bool leg_bodies(const skeleton::PlanarTree& tree) const {
    for (const auto& pair : bodies) {
      const skeleton::BodySpec &a = tree.body(pair[0]), &b = tree.body(pair[1]);
      if (body(a.parent) != b.parent || a.joint != b.joint ||
          a.coordinate_sign != b.coordinate_sign || a.angle_offset != b.angle_offset ||
          a.p_PJ != b.p_PJ || a.p_BJ != b.p_BJ || a.mass != b.mass || a.p_Bcm != b.p_Bcm ||
          a.inertia_cm != b.inertia_cm)
        return false;
    }
    return true;
  }
};

// Each entry's mirror image is in the list: the same law at the other side's coordinate.
template <class Entry, class Same>
bool mirrored_list(const std::vector<Entry>& list, const Mirror& mirror, Same same) {
  return std::all_of(list.begin(), list.end(), [&](const Entry& e) {
    return std::any_of(list.begin(), list.end(), [&](const Entry& f) {
      return f.coordinate == mirror.coordinate(e.coordinate) && same(e, f);
    });
  });
}

}  // namespace

bool sides_alike(const Model& model) {
  const std::size_t M = model.muscles.size();
  if (M % 2 != 0) return false;
  const Mirror mirror(model);
  for (std::size_t m = 0; m < M / 2; ++m) {
    const Muscle &r = model.muscles[m], &l = model.muscles[m + M / 2];
    if (r.side != Side::right || l.side != Side::left || r.base_name != l.base_name ||
        !(r.factors == l.factors) || r.units.size() != l.units.size())
      return false;
    for (std::size_t j = 0; j < r.units.size(); ++j)
      if (!mirror.units(model.units[static_cast<std::size_t>(r.units[j])],
                        model.units[static_cast<std::size_t>(l.units[j])]))
        return false;
  }
  const auto same_limit = [](const JointLimit& a, const JointLimit& b) {
    return a.opensim_sign == b.opensim_sign && a.k1 == b.k1 && a.k2 == b.k2 && a.k3 == b.k3 &&
           a.k4 == b.k4 && a.theta1 == b.theta1 && a.theta2 == b.theta2;
  };
  const auto same_ligament = [](const JointLigament& a, const JointLigament& b) {
    return a.engage_rad == b.engage_rad && a.stiffness_nm == b.stiffness_nm &&
           a.rate_per_rad == b.rate_per_rad;
  };
  return mirror.leg_bodies(model.tree) && mirrored_list(model.limits, mirror, same_limit) &&
         mirrored_list(model.ligaments, mirror, same_ligament);
}

}  // namespace pulley::model
