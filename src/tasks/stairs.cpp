#include "pulley/tasks/stairs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "pulley/core/error.hpp"
#include "pulley/core/units.hpp"
#include "pulley/model/data.hpp"

namespace pulley::tasks {

using model::Model;
using skeleton::Vec2;

namespace {

// A periodic curve over the cycle (fraction 0 to 1) through key points, shape-preserving cubic
// Hermite (Fritsch and Carlson 1980, SIAM J Numer Anal 17:238; the weighted harmonic-mean slopes
// of Fritsch and Butland 1984): no overshoot, so each stretch between two key points stays
// between their values and a flat stretch (a foot off the ground) stays flat.
class PeriodicCurve {
 public:
  // Key points (% of the cycle, value), the first at 0 %, increasing, below 100 %.
  PeriodicCurve(std::initializer_list<std::pair<double, double>> points) {
    for (const auto& [pct, value] : points) {
      x_.push_back(pct / 100.0);
      y_.push_back(value);
    }
    const int n = static_cast<int>(x_.size());
    PULLEY_DEMAND(n >= 2 && x_.front() == 0.0 && x_.back() < 1.0, "key points over one cycle");
    m_.assign(n, 0.0);
    for (int i = 0; i < n; ++i) {
      const int a = (i + n - 1) % n, b = (i + 1) % n;
      const double h0 = x_[i] - x_[a] + (a >= i ? 1.0 : 0.0);
      const double h1 = x_[b] - x_[i] + (b <= i ? 1.0 : 0.0);
      const double d0 = (y_[i] - y_[a]) / h0, d1 = (y_[b] - y_[i]) / h1;
      if (d0 * d1 <= 0.0) continue;  // an extreme or a flat stretch: zero slope
      const double w0 = 2.0 * h1 + h0, w1 = h1 + 2.0 * h0;
      m_[i] = (w0 + w1) / (w0 / d0 + w1 / d1);
    }
  }
  double operator()(double fraction) const {
    const double u = fraction - std::floor(fraction);
    const int n = static_cast<int>(x_.size());
    int i = n - 1;
    while (i > 0 && x_[i] > u) --i;
    const int j = (i + 1) % n;
    const double h = (j == 0 ? 1.0 : x_[j]) - x_[i];
    const double s = (u - x_[i]) / h, s2 = s * s, s3 = s2 * s;
    return (2 * s3 - 3 * s2 + 1) * y_[i] + (s3 - 2 * s2 + s) * h * m_[i] +
           (-2 * s3 + 3 * s2) * y_[j] + (s3 - s2) * h * m_[j];
  }

 private:
  std::vector<double> x_, y_, m_;
};

// The stair cycle of the right leg, from its foot's contact with a step (0 %) to its next
// contact two steps further (100 %). Angles in degrees from quiet standing (hip and knee flexion,
// ankle dorsiflexion positive); vertical ground reaction in body weights.
//
// Sources of the key points. Verified in the published abstracts (Protopapadaki et al. 2007,
// Clin Biomech 22:203, 33 young adults on an 18 cm by 28.5 cm staircase): peak hip flexion is
// 28.1 deg larger in ascent than in descent, peak knee flexion 3.4 deg larger; descent reaches
// 9.9 deg more dorsiflexion and 8.8 deg more plantarflexion than ascent. Beaulieu, Pelland and
// Robertson (2008, Gait Posture 27:564): stance takes 65 to 70 % of the forward stair-descent
// cycle. Recalled, unverified (the ensemble curves of Riener, Rabuffetti and Frigo 2002, Gait
// Posture 15:32, at 30 deg inclination; McFadyen and Winter 1988, J Biomech 21:733;
// Protopapadaki 2007): the timing and values of the other key events, each listed with its
// curve below; the vertical force's double peak (ascent about 1.1-1.2 body weights at both
// peaks, descent about 1.4-1.5 at weight acceptance and about 1.0-1.1 at push-off; Stacoff et al.
// 2005, Gait Posture 21:24, verified in the abstract: up to 1.6 body weights on a steep stair).
// Contact is with the forefoot in both directions (Riener 2002's abstract, verified).
struct StairPattern {
  double stance_fraction;  // right foot on its step, fraction of the cycle
  double cycle_s;          // default cycle time (s)
  double pelvis_forward_lean_deg;  // anterior pelvic tilt from standing, whole cycle
  PeriodicCurve hip, knee, ankle, vertical_force_bw;
  // Centre of pressure along the sole, heel (0) to toe (1), by fraction of stance (linear
  // between the points; chosen: forefoot contact, Riener 2002).
  std::vector<std::pair<double, double>> cop;
};

const StairPattern& pattern(StairDirection d) {
  // Ascent. Stance 66 % of the cycle (recalled, unverified; the usual 62-66 %). Cycle 1.35 s
  // (recalled, unverified: 85-95 steps a minute at a comfortable pace).
  // hip: 60 deg at contact, extending through pull-up to 8 deg before toe-off, 66 deg at its
  //      swing peak (so that ascent's peak exceeds descent's 38 by 28 deg, Protopapadaki 2007);
  // knee: 62 deg at contact, 8 deg at the end of pull-up, 95 deg at its swing peak (3 deg above
  //      descent's 92, Protopapadaki 2007);
  // ankle: 8 deg dorsiflexion at contact, 15 deg at most in weight acceptance, 15 deg
  //      plantarflexion after toe-off, 12 deg dorsiflexion in swing for clearance;
  // vertical force: 1.15 body weights at both peaks (end of double support, 18 %; contralateral
  //      contact, 50 %), 0.85 in between.
  static const StairPattern up{
      0.66, 1.35, 5.0,
      PeriodicCurve{{0, 60}, {20, 48}, {45, 15}, {62, 8}, {75, 40}, {88, 66}},
      PeriodicCurve{{0, 62}, {12, 60}, {35, 25}, {55, 8}, {66, 35}, {78, 95}, {92, 75}},
      PeriodicCurve{{0, 8}, {15, 15}, {45, 8}, {60, -10}, {68, -15}, {80, 10}, {92, 12}},
      PeriodicCurve{{0, 0}, {8, 0.6}, {18, 1.15}, {33, 0.85}, {50, 1.15}, {58, 0.6}, {66, 0},
                    {83, 0}},
      {{0.0, 0.5}, {1.0, 0.9}}};
  // Descent. Stance 67.5 % (the middle of Beaulieu 2008's 65-70 %). Cycle 1.2 s (recalled,
  // unverified: descent a little quicker than ascent).
  // hip: 18 deg at contact, 8 deg in mid-stance, 38 deg at its swing peak;
  // knee: 8 deg at the forefoot contact, 85 deg at the end of controlled lowering, 92 deg at its
  //      swing peak;
  // ankle: 22 deg plantarflexion at contact, 25 deg dorsiflexion at the end of stance (10 deg
  //      beyond ascent's 15, Protopapadaki 2007: 9.9), 24 deg plantarflexion before contact
  //      (9 deg beyond ascent's 15; 8.8);
  // vertical force: 1.45 body weights at weight acceptance (12 %), 0.8 in mid-stance, 1.05 at
  //      push-off (52 %).
  static const StairPattern down{
      0.675, 1.2, 0.0,
      PeriodicCurve{{0, 18}, {15, 12}, {40, 8}, {62, 22}, {80, 38}, {92, 25}},
      PeriodicCurve{{0, 8}, {10, 22}, {35, 45}, {62, 85}, {74, 92}, {90, 35}},
      PeriodicCurve{{0, -22}, {10, 0}, {40, 15}, {62, 25}, {72, 5}, {88, -24}},
      PeriodicCurve{{0, 0}, {5, 0.9}, {12, 1.45}, {33, 0.8}, {52, 1.05}, {60, 0.45}, {67.5, 0},
                    {84, 0}},
      {{0.0, 0.85}, {0.3, 0.45}, {1.0, 0.85}}};
  return d == StairDirection::up ? up : down;
}

double piecewise_linear(const std::vector<std::pair<double, double>>& points, double x) {
  if (x <= points.front().first) return points.front().second;
  for (std::size_t i = 1; i < points.size(); ++i)
    if (x <= points[i].first) {
      const auto& [x0, y0] = points[i - 1];
      const auto& [x1, y1] = points[i];
      return y0 + (x - x0) / (x1 - x0) * (y1 - y0);
    }
  return points.back().second;
}

// Heel and toe of a foot's sole in W at the configuration `kin` holds.
std::pair<Vec2, Vec2> sole_ends(const Model& model, const skeleton::Kinematics& kin, int side) {
  const int foot = model.body.foot[side];
  return {kin.p_WBo[foot] + kin.R_WB[foot] * Vec2(model.heel_x, model.sole_y),
          kin.p_WBo[foot] + kin.R_WB[foot] * Vec2(model.toe_x, model.sole_y)};
}

}  // namespace

double default_stair_cycle_s(StairDirection direction) { return pattern(direction).cycle_s; }

double stair_stance_fraction(StairDirection direction) {
  return pattern(direction).stance_fraction;
}

const char* stair_pattern_citation() {
  return "synthetic, from published key events: Riener R, Rabuffetti M, Frigo C (2002) Gait "
         "Posture 15:32; Protopapadaki A et al. (2007) Clin Biomech 22:203; McFadyen BJ, Winter "
         "DA (1988) J Biomech 21:733 (docs/gait.md)";
}

GaitRecording stair_recording(const Model& model, const Eigen::VectorXd& standing_q,
                              const StairSettings& settings) {
  const StairPattern& p = pattern(settings.direction);
  const double T = settings.cycle_s > 0.0 ? settings.cycle_s : p.cycle_s;
  PULLEY_DEMAND(settings.step_height_m > 0.0 && settings.going_m > 0.0 && T > 0.0 &&
                    settings.sample_rate_hz > 0.0,
                "stair settings in range");
  PULLEY_DEMAND(standing_q.size() == model.num_coordinates(), "a standing configuration");
  const double rise = settings.direction == StairDirection::up ? settings.step_height_m
                                                               : -settings.step_height_m;
  const double t0 = -0.5 * T, t1 = 2.5 * T;
  const int n = static_cast<int>(std::floor((t1 - t0) * settings.sample_rate_hz + 1e-9)) + 1;

  GaitRecording r;
  r.knee_flexion = KneeFlexionSign::positive;
  r.vertical_force_label = {"ground_force_r_vy", "ground_force_l_vy"};
  io::MotionTable& c = r.coordinates;
  c.source = settings.direction == StairDirection::up ? "stairs-up (synthetic)"
                                                      : "stairs-down (synthetic)";
  c.in_degrees = false;
  c.labels = {"pelvis_tx",     "pelvis_ty",     "pelvis_tilt",   "hip_flexion_r",
              "knee_angle_r",  "ankle_angle_r", "hip_flexion_l", "knee_angle_l",
              "ankle_angle_l", "lumbar_extension"};
  c.values.setZero(n, static_cast<Eigen::Index>(c.labels.size()));
  io::MotionTable& f = r.forces;
  f.source = c.source + " ground reactions";
  f.labels = {"ground_force_r_vx", "ground_force_r_vy", "ground_force_r_px", "ground_force_r_py",
              "ground_force_l_vx", "ground_force_l_vy", "ground_force_l_px", "ground_force_l_py"};
  f.values.setZero(n, static_cast<Eigen::Index>(f.labels.size()));

  // Pass 1, the motion: angles from quiet standing plus the pattern (the left leg half a cycle
  // later), the pelvis moving forward at the stairs' mean speed and set at the height where the
  // feet on the ground put it, blended by the published forces' shares.
  const double speed = 2.0 * settings.going_m / T;
  std::vector<Eigen::VectorXd> qs(n);
  std::vector<std::array<double, 2>> share(n), phase(n), vertical_bw(n);
  std::vector<std::array<int, 2>> step(n);
  std::vector<Vec2> com(n);
  skeleton::Kinematics kin;
  kin.resize(model.tree.num_bodies());
  for (int i = 0; i < n; ++i) {
    const double t = t0 + i / settings.sample_rate_hz;
    c.time.push_back(t);
    f.time.push_back(t);
    Eigen::VectorXd& q = qs[i];
    q = standing_q;
    q[2] = standing_q[2] - deg_to_rad(p.pelvis_forward_lean_deg);  // forward lean: anterior tilt
    std::array<double, 2> published{};
    for (int k = 0; k < 2; ++k) {
      const double cycles = t / T - 0.5 * k;  // cycles since this foot's first contact at 0
      phase[i][k] = cycles - std::floor(cycles);
      step[i][k] = 2 * static_cast<int>(std::floor(cycles)) + k;  // the step it last landed on
      q[model.coord.hip[k]] += deg_to_rad(p.hip(phase[i][k]));
      q[model.coord.knee[k]] += deg_to_rad(p.knee(phase[i][k]));
      q[model.coord.ankle[k]] += deg_to_rad(p.ankle(phase[i][k]));
      published[k] = std::max(0.0, p.vertical_force_bw(phase[i][k]));
    }
    PULLEY_DEMAND(published[0] + published[1] > 0.0, "a foot on the stairs at every instant");
    for (int k = 0; k < 2; ++k) share[i][k] = published[k] / (published[0] + published[1]);
    vertical_bw[i] = published;
    q[0] = q[1] = 0.0;
    skeleton::calc_kinematics(model.tree, q, kin);
    double height = 0.0;
    for (int k = 0; k < 2; ++k) {
      const auto [heel, toe] = sole_ends(model, kin, k);
      height += share[i][k] * (step[i][k] * rise - std::min(heel.y(), toe.y()));
    }
    q[0] = speed * t;
    q[1] = height;
    skeleton::calc_kinematics(model.tree, q, kin);
    com[i] = skeleton::calc_center_of_mass(model.tree, kin);
  }
  // The pelvis height smoothed to the step's rhythm: the climb (two risers a cycle) plus the
  // mean and the first three harmonics of the step (the cycle's 2nd, 4th and 6th) of what the
  // feet set, fitted over the cycle [0, T). chosen: the placements jump where the support passes
  // from one foot to the other (the published angles do not put both feet exactly on their
  // steps), and their second derivative would be the body's vertical acceleration; the step's
  // first harmonics keep its double-peaked rhythm, the sole fit reports what they leave.
  {
    std::vector<double> detrended(n);
    for (int i = 0; i < n; ++i) detrended[i] = qs[i][1] - 2.0 * rise * c.time[i] / T;
    std::array<double, 4> cos_k{}, sin_k{};
    int count = 0;
    for (int i = 0; i < n; ++i) {
      if (c.time[i] < 0.0 || c.time[i] >= T) continue;
      ++count;
      const double w = 2.0 * kPi * c.time[i] / T;
      cos_k[0] += detrended[i];
      for (int h = 1; h <= 3; ++h) {
        cos_k[h] += detrended[i] * std::cos(2 * h * w);
        sin_k[h] += detrended[i] * std::sin(2 * h * w);
      }
    }
    for (int i = 0; i < n; ++i) {
      const double w = 2.0 * kPi * c.time[i] / T;
      double y = 2.0 * rise * c.time[i] / T + cos_k[0] / count;
      for (int h = 1; h <= 3; ++h)
        y += 2.0 / count * (cos_k[h] * std::cos(2 * h * w) + sin_k[h] * std::sin(2 * h * w));
      com[i].y() += y - qs[i][1];
      qs[i][1] = y;
    }
  }
  // Pass 2, the ground reactions: each foot's vertical force the published pattern times the
  // body's weight, pointing from its centre of pressure on its step to the body's centre of mass.
  const double weight = model.tree.total_mass() * kGravity;
  for (int i = 0; i < n; ++i) {
    skeleton::calc_kinematics(model.tree, qs[i], kin);
    for (int k = 0; k < 2; ++k) {
      if (share[i][k] <= 0.0) continue;
      const Eigen::Index col = 4 * k;
      const auto [heel, toe] = sole_ends(model, kin, k);
      const double along = piecewise_linear(p.cop, phase[i][k] / p.stance_fraction);
      const Vec2 cop(heel.x() + along * (toe.x() - heel.x()), step[i][k] * rise);
      const double vertical = weight * vertical_bw[i][k];
      f.values(i, col) = vertical * (com[i].x() - cop.x()) / (com[i].y() - cop.y());
      f.values(i, col + 1) = vertical;
      f.values(i, col + 2) = cop.x();
      f.values(i, col + 3) = cop.y();
    }
    const Eigen::VectorXd& q = qs[i];
    c.values(i, 0) = q[0];
    c.values(i, 1) = q[1];
    c.values(i, 2) = q[2];
    for (int k = 0; k < 2; ++k) {
      c.values(i, 3 + 3 * k) = q[model.coord.hip[k]];
      c.values(i, 4 + 3 * k) = q[model.coord.knee[k]];
      c.values(i, 5 + 3 * k) = q[model.coord.ankle[k]];
    }
    c.values(i, 9) = 0.0;  // the quiet standing lordosis (the task passes it as the lumbar base)
  }
  return r;
}

}  // namespace pulley::tasks
