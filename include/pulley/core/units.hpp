// SI inside: metres, kilograms, seconds, newtons, radians. Degrees, percent and body-weight
// multiples exist only at the edges (files, command line, reports) and carry the unit in their name.
#pragma once

#include <numbers>

namespace pulley {

inline constexpr double kPi = std::numbers::pi;
/// Standard gravity (m/s^2), ISO 80000-3.
inline constexpr double kGravity = 9.80665;

constexpr double deg_to_rad(double deg) { return deg * kPi / 180.0; }
constexpr double rad_to_deg(double rad) { return rad * 180.0 / kPi; }

}  // namespace pulley
