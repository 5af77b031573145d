#!/usr/bin/env python3
"""The gluteus maximus's wrap circle in Pulley's sagittal model, checked against Rajagopal's 3-D paths.

Rajagopal et al. 2016 (RajagopalLaiUhlrich2023.osim) wrap each of the three gluteus maximus parts
over its own cylinder behind the hip (Gmax1/2/3_at_pelvis_r, radius 40 mm, axes tilted 6-47 deg
from mediolateral). Pulley lumps the three parts into one sagittal path (build_muscles_yaml.py);
this script chooses the one circle that path wraps around (run by developers, not the build):

1. The 3-D reference: each part's moment arm r = -dL/dq over hip flexion q (adduction and rotation
   0), its length with the wrap taken as the geodesic over the cylinder (the wrapped route unrolls
   into a straight line, so L = hypot(length in the cross-section, axial rise)). Which segment
   wraps, and whether, follows OpenSim's documented rules (WrapCylinder, GeometryPath): an
   unconstrained cylinder wraps a segment that passes within its radius of the axis between its
   ends, the shorter way round; a quadrant-constrained one ("-x") also when the ends lie on both
   sides of its axis plane and the segment passes on the forbidden side, and always when both
   ends lie on the forbidden side, the route going round the allowed side; no wrap when both
   tangent points lie beyond the cylinder's length; one segment
   per cylinder (the first that crosses it, else the wrap that lengthens the path least).
   Then the parts' mean weighted by their maximal forces, the muscle-level value Pulley's lump is
   compared with.
2. The sagittal lump: the force-weighted path points (as build_muscles_yaml.py's lump) and a
   circle at the force-weighted centre of the three cylinders, wrapping the pelvis-to-femur
   segment counter-clockwise (posterior, under the ischium) by the rule of geometry::solve_wrap.
   Its radius is the one whose moment arms come closest (rms over -20..120 deg in 5 deg steps)
   to the 3-D reference; the cylinders' own 40 mm overstates the projected wrap (the parts' paths
   cross tilted cylinders obliquely).

Input (not shipped with Pulley; see models/README.md): the opensim-models CSVs.
Usage: gluteus_maximus_wrap_circle.py SHARED_DATA_DIR
"""
import csv
import math
import sys

from sagittal_geometry import HIP_3D, wavg, wrapped_length

MODEL = 'RajagopalLaiUhlrich2023'
PARTS = ('glmax1_r', 'glmax2_r', 'glmax3_r')
ANGLES_DEG = range(-20, 121, 5)
RADII_M = [0.020 + 0.001 * k for k in range(21)]  # candidates 20-40 mm
NO_WRAP, WRAPPED, CROSSES = 0, 1, 2


def rot_x(a):
    c, s = math.cos(a), math.sin(a)
    return ((1, 0, 0), (0, c, -s), (0, s, c))


def rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return ((c, 0, s), (0, 1, 0), (-s, 0, c))


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return ((c, -s, 0), (s, c, 0), (0, 0, 1))


def matmul(a, b):
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))


def apply(m, v):
    return tuple(sum(m[i][k] * v[k] for k in range(3)) for i in range(3))


def apply_transposed(m, v):
    return tuple(sum(m[k][i] * v[k] for k in range(3)) for i in range(3))


def read(shared):
    osm = shared + '/opensim-models'
    points, cylinders, force = {}, {}, {}
    for r in csv.DictReader(open(osm + '/path_points_relevant.csv')):
        if r['model'] == MODEL and r['muscle'] in PARTS:
            points.setdefault(r['muscle'], []).append(
                (r['frame'], float(r['x_m']), float(r['y_m']), float(r['z_m'])))
    for r in csv.DictReader(open(osm + '/wrap_objects_relevant.csv')):
        if r['model'] == MODEL and r['used_by_relevant_muscles'] in PARTS:
            a, b, c = map(float, r['xyz_body_rotation_rad'].split())
            cylinders[r['used_by_relevant_muscles']] = dict(
                name=r['wrap_object'], centre=tuple(map(float, r['translation_m'].split())),
                rotation=matmul(matmul(rot_x(a), rot_y(b)), rot_z(c)),
                radius=float(r['radius_m']), length=float(r['length_m']), quadrant=r['quadrant'])
    for r in csv.DictReader(open(osm + '/muscle_parameters_relevant.csv')):
        if r['model'] == MODEL and r['muscle'] in PARTS:
            force[r['muscle']] = float(r['max_isometric_force_N'])
    assert set(points) == set(cylinders) == set(force) == set(PARTS)
    return points, cylinders, force


def in_pelvis(point, flexion):
    body, *p = point
    if body == 'pelvis':
        return tuple(p)
    assert body == 'femur_r', body
    return tuple(h + q for h, q in zip(HIP_3D, apply(rot_z(flexion), p)))


def routes(p, s, radius):
    """Both ways round a circle at the origin from p to s (2-D): (length, turn, first tangent
    angle, arc, first tangent's length), turn +1 counter-clockwise here (Pulley's `turn` counts
    clockwise as +1); None when an end lies inside."""
    n_p, n_s = math.hypot(p[0], p[1]), math.hypot(s[0], s[1])
    if n_p <= radius or n_s <= radius:
        return None
    h_p, h_s = math.sqrt(n_p ** 2 - radius ** 2), math.sqrt(n_s ** 2 - radius ** 2)
    out = []
    for turn in (1, -1):
        t_p = math.atan2(p[1], p[0]) + turn * math.acos(radius / n_p)
        t_s = math.atan2(s[1], s[0]) - turn * math.acos(radius / n_s)
        arc = (turn * (t_s - t_p)) % (2 * math.pi)
        out.append((h_p + radius * arc + h_s, turn, t_p, arc, h_p))
    return out


def closest_to_origin(p, s):
    d = (s[0] - p[0], s[1] - p[1])
    u = -(p[0] * d[0] + p[1] * d[1]) / (d[0] ** 2 + d[1] ** 2)
    return u, (p[0] + u * d[0], p[1] + u * d[1])


def wrap_segment(a, b, cyl):
    """(kind, length) of segment a-b (pelvis frame) over a cylinder, by the rules above."""
    p = apply_transposed(cyl['rotation'], tuple(x - c for x, c in zip(a, cyl['centre'])))
    s = apply_transposed(cyl['rotation'], tuple(x - c for x, c in zip(b, cyl['centre'])))
    r = cyl['radius']
    both = routes(p, s, r)
    if both is None:
        return NO_WRAP, None
    u, near = closest_to_origin(p, s)
    crosses = 0.0 < u < 1.0 and math.hypot(*near) < r
    if cyl['quadrant'] == 'all':
        if not crosses:
            return NO_WRAP, None
        route = min(both)
    else:
        sign = -1 if cyl['quadrant'][0] == '-' else 1
        axis = 'xy'.index(cyl['quadrant'][-1])
        side = lambda v: 1 if v >= 0 else -1
        if (side(p[axis]) == sign or side(s[axis]) == sign) and not crosses and not (
                side(p[axis]) != side(s[axis]) and side(near[axis]) != sign):
            return NO_WRAP, None

        def allowed(route):  # the arc's midpoint on the constrained side
            mid = route[2] + route[1] * route[3] / 2
            return sign * (math.cos(mid), math.sin(mid))[axis]
        route = max(both, key=allowed)
    in_plane, _, _, arc, h_p = route
    rise = s[2] - p[2]
    z1, z2 = (p[2] + rise * (h_p + k * r * arc) / in_plane for k in (0, 1))
    if min(abs(z1), abs(z2)) > cyl['length'] / 2:
        return NO_WRAP, None
    return (CROSSES if crosses else WRAPPED), math.hypot(in_plane, rise)


def length_3d(points, cyl, flexion):
    """Path length in 3-D; straight segments only when cyl is None."""
    q = [in_pelvis(p, flexion) for p in points]
    segments = [math.dist(q[i], q[i + 1]) for i in range(len(q) - 1)]
    best = None
    for i in range(len(segments) if cyl is not None else 0):
        kind, wrapped = wrap_segment(q[i], q[i + 1], cyl)
        if kind == CROSSES:
            best = (i, wrapped)
            break
        if kind == WRAPPED and (best is None or wrapped - segments[i] < best[1] - segments[best[0]]):
            best = (i, wrapped)
    if best is not None:
        segments[best[0]] = best[1]
    return sum(segments)


def length_2d(points, circle, flexion):
    q = [in_pelvis(p, flexion)[:2] for p in points]
    circle = (circle[0], circle[1], -1) if circle else None  # counter-clockwise: Pulley's turn -1
    total = 0.0
    for i in range(len(q) - 1):
        crosses_hip = points[i][0] != points[i + 1][0]
        total += wrapped_length(q[i], q[i + 1], circle) if circle and crosses_hip else math.dist(q[i], q[i + 1])
    return total


def moment_arm_mm(length, step=1e-6):
    return lambda deg: -1000 * (length(math.radians(deg) + step) - length(math.radians(deg) - step)) / (2 * step)


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: gluteus_maximus_wrap_circle.py SHARED_DATA_DIR')
    points, cylinders, force = read(sys.argv[1])
    weigh = lambda values: wavg([values[m] for m in PARTS], [force[m] for m in PARTS])
    parts_3d = {m: moment_arm_mm(lambda q, m=m: length_3d(points[m], cylinders[m], q)) for m in PARTS}
    straight_3d = {m: moment_arm_mm(lambda q, m=m: length_3d(points[m], None, q))
                   for m in PARTS}
    reference = {d: weigh({m: parts_3d[m](d) for m in PARTS}) for d in ANGLES_DEG}
    lump = [(points[PARTS[0]][k][0],) + tuple(weigh({m: points[m][k][i] for m in PARTS}) for i in (1, 2, 3))
            for k in range(len(points[PARTS[0]]))]
    centre = tuple(weigh({m: cylinders[m]['centre'][i] for m in PARTS}) for i in (0, 1))

    def rms(radius):
        arm = moment_arm_mm(lambda q: length_2d(lump, (centre, radius), q))
        return math.sqrt(sum((arm(d) - reference[d]) ** 2 for d in ANGLES_DEG) / len(ANGLES_DEG))
    fits = [(rms(r), r) for r in RADII_M]
    best_rms, best = min(fits)
    print(f'force-weighted cylinder centre (pelvis frame): x {centre[0]:.5f} y {centre[1]:.5f} m')
    print('radius (mm) and rms against the 3-D reference (mm): ' +
          ', '.join(f'{1000 * r:.0f}: {e:.3f}' for e, r in fits))
    print(f'chosen radius {1000 * best:.0f} mm (rms {best_rms:.2f} mm)')
    lump_wrapped = moment_arm_mm(lambda q: length_2d(lump, (centre, best), q))
    lump_straight = moment_arm_mm(lambda q: length_2d(lump, None, q))
    print('hip flexion (deg) | 3-D parts wrapped (straight), mm | 3-D weighted | sagittal lump: wrapped, straight')
    for d in range(-20, 121, 10):
        parts = '  '.join(f'{parts_3d[m](d):6.1f} ({straight_3d[m](d):6.1f})' for m in PARTS)
        print(f'{d:4d} | {parts} | {reference[d]:6.1f} | {lump_wrapped(d):6.1f} {lump_straight(d):6.1f}')


if __name__ == '__main__':
    main()
