#!/usr/bin/env python3
"""Knee moment arm of the vasti in the source model, with its moving patella, against Pulley's
projected path without one (run by developers, not the build).

Rajagopal et al. 2016 (with Lai et al. 2017's changes, RajagopalLaiUhlrich2023.osim) route each
vastus from the femur over two points on the patella to the tibial tuberosity. The patella moves
with the knee angle (the patellofemoral_r joint, tied to knee_angle_r by a coupler constraint),
and the tibia moves as the walker knee carries it (the walker_knee_r joint: it also turns and
slides the tibia out of the sagittal plane). The moment arm r = -dL/dq of that 3-D path is the
source model's own. Pulley's muscles.yaml drops the patella points and wraps the force-weighted
lumped path over the femoral circle KnExt_at_fem instead (build_muscles_yaml.py), with the tibial
point moved by the walker knee and projected on the sagittal plane (docs/model.md, section 1).
This script computes both, unscaled, so that the difference the patella makes can be read.

Method:
  - joints: OpenSim's CustomJoint, rotations body-fixed in the order given, translations along
    the parent offset frame's axes; offset frames' orientations as body-fixed x-y-z rotations;
  - the patellofemoral splines are OpenSim SimmSplines, which are the cubic splines of Forsythe,
    Malcolm & Moler (1977, Computer Methods for Mathematical Computations, "spline"): the third
    derivative at each end is that of the cubic through the four end knots;
  - a wrap cylinder wraps a segment whose straight line passes within its radius (quadrant
    "all"); the wrapped length is the geodesic, the planar tangent path unrolled with the axial
    rise, sqrt(s^2 + dz^2). For the vasti it engages only beyond about 95 deg of flexion.
  - the derivative is a central difference of 1e-5 rad.

Input (not shipped with Pulley; see models/README.md): opensim-models'
RajagopalLaiUhlrich2023.osim.
Usage: rajagopal_knee_extensor_moment_arms.py SHARED_DATA_DIR

Prints, for knee flexion 0-120 deg, the F_M_max-weighted mean moment arm of vaslat_r, vasmed_r
and vasint_r (mm; negative drives extension) with the patella, and Pulley's projected lumped path.
"""
import functools
import math
import sys
import xml.etree.ElementTree as ET

from sagittal_geometry import wavg, wrapped_length

VASTI = ('vaslat_r', 'vasmed_r', 'vasint_r')
ANGLES_DEG = range(0, 121, 15)
STEP = 1e-5  # rad

root = ET.parse(sys.argv[1] + '/opensim-models/models/RajagopalLaiUhlrich2023.osim').getroot()


def vector(text):
    return [float(v) for v in text.split()]


def matmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def apply(A, v):
    return [sum(A[i][k] * v[k] for k in range(3)) for i in range(3)]


def transpose(A):
    return [[A[j][i] for j in range(3)] for i in range(3)]


def axis_rotation(axis, angle):
    x, y, z = axis
    c, s = math.cos(angle), math.sin(angle)
    C = 1.0 - c
    return [[c + x * x * C, x * y * C - z * s, x * z * C + y * s],
            [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
            [z * x * C - y * s, z * y * C + x * s, c + z * z * C]]


def body_fixed_xyz(angles):
    R = axis_rotation((1, 0, 0), angles[0])
    R = matmul(R, axis_rotation((0, 1, 0), angles[1]))
    return matmul(R, axis_rotation((0, 0, 1), angles[2]))


def fmm_spline(xs, ys):
    """Forsythe, Malcolm & Moler's cubic spline through (xs, ys), as a function of x."""
    n = len(xs)
    h = [xs[i + 1] - xs[i] for i in range(n - 1)]
    dd = [(ys[i + 1] - ys[i]) / h[i] for i in range(n - 1)]
    # Tridiagonal system for sigma = y''/6 (FMM's b, d, c), with their end conditions.
    diag = [0.0] * n
    off = [0.0] * n
    rhs = [0.0] * n
    diag[0], off[0] = -h[0], h[0]
    diag[n - 1] = -h[n - 2]
    for i in range(1, n - 1):
        off[i] = h[i]
        diag[i] = 2.0 * (h[i - 1] + h[i])
        rhs[i] = dd[i] - dd[i - 1]
    if n > 3:
        rhs[0] = (dd[2] - dd[1]) / (xs[3] - xs[1]) - (dd[1] - dd[0]) / (xs[2] - xs[0])
        rhs[n - 1] = (dd[n - 2] - dd[n - 3]) / (xs[n - 1] - xs[n - 3]) - \
            (dd[n - 3] - dd[n - 4]) / (xs[n - 2] - xs[n - 4])
        rhs[0] = rhs[0] * h[0] * h[0] / (xs[3] - xs[0])
        rhs[n - 1] = -rhs[n - 1] * h[n - 2] * h[n - 2] / (xs[n - 1] - xs[n - 4])
    for i in range(1, n):  # forward elimination
        t = h[i - 1] / diag[i - 1]
        diag[i] -= t * off[i - 1]
        rhs[i] -= t * rhs[i - 1]
    sigma = [0.0] * n
    sigma[n - 1] = rhs[n - 1] / diag[n - 1]
    for i in range(n - 2, -1, -1):
        sigma[i] = (rhs[i] - off[i] * sigma[i + 1]) / diag[i]

    def f(x):
        i = next((k for k in range(n - 2) if x < xs[k + 1]), n - 2)
        t = x - xs[i]
        b = dd[i] - h[i] * (sigma[i + 1] + 2.0 * sigma[i])
        c = 3.0 * sigma[i]
        d = (sigma[i + 1] - sigma[i]) / h[i]
        return ys[i] + t * (b + t * (c + t * d))
    return f


def function_of(axis_element):
    for f in axis_element:
        if f.tag == 'LinearFunction':
            a, b = vector(f.findtext('coefficients'))
            return lambda q: a * q + b
        if f.tag == 'PolynomialFunction':
            c = vector(f.findtext('coefficients'))
            return lambda q: sum(ci * q ** (len(c) - 1 - k) for k, ci in enumerate(c))
        if f.tag == 'Constant':
            v = float(f.findtext('value'))
            return lambda q: v
        if f.tag == 'SimmSpline':
            return fmm_spline(vector(f.findtext('x')), vector(f.findtext('y')))
    raise ValueError(axis_element.get('name'))


def custom_joint(name):
    """The function q -> (child-body point -> parent-body point) of a one-coordinate joint."""
    joint = next(j for j in root.iter('CustomJoint') if j.get('name') == name)
    frames = {f.get('name'): (vector(f.findtext('translation')),
                              body_fixed_xyz(vector(f.findtext('orientation'))))
              for f in joint.iter('PhysicalOffsetFrame')}
    p_PO, R_PO = frames[joint.findtext('socket_parent_frame')]
    p_CO, R_CO = frames[joint.findtext('socket_child_frame')]
    axes = [(a.get('name'), vector(a.findtext('axis')), function_of(a))
            for a in joint.iter('TransformAxis')]

    def at(q):
        R = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        t = [0.0, 0.0, 0.0]
        for name_, axis, f in axes:
            if name_.startswith('rotation'):
                R = matmul(R, axis_rotation(axis, f(q)))
            else:
                t = [ti + f(q) * a for ti, a in zip(t, axis)]

        def to_parent(p):
            in_child_offset = apply(transpose(R_CO), [a - b for a, b in zip(p, p_CO)])
            moved = [a + b for a, b in zip(t, apply(R, in_child_offset))]
            return [a + b for a, b in zip(p_PO, apply(R_PO, moved))]
        return to_parent
    return at


@functools.cache
def cylinder(name):
    w = next(c for c in root.iter('WrapCylinder') if c.get('name') == name)
    return (vector(w.findtext('translation')), body_fixed_xyz(vector(w.findtext('xyz_body_rotation'))),
            float(w.findtext('radius')))


def over_cylinder(P, Q, cyl):
    """Length from P to Q (femur frame) over the cylinder, or None if the line misses it."""
    centre, R, r = cyl
    p = apply(transpose(R), [a - b for a, b in zip(P, centre)])
    q = apply(transpose(R), [a - b for a, b in zip(Q, centre)])
    dx, dy = q[0] - p[0], q[1] - p[1]
    t = min(1.0, max(0.0, -(p[0] * dx + p[1] * dy) / (dx * dx + dy * dy)))
    if math.hypot(p[0] + t * dx, p[1] + t * dy) >= r:
        return None
    planar = min(wrapped_length(p[:2], q[:2], ((0.0, 0.0), r, turn)) for turn in (1, -1))
    return math.hypot(planar, q[2] - p[2])


@functools.cache
def muscle(name):
    m = next(e for e in root.iter('Millard2012EquilibriumMuscle') if e.get('name') == name)
    points = [(p.findtext('socket_parent_frame').split('/')[-1], vector(p.findtext('location')))
              for p in m.iter('PathPoint')]
    wraps = [cylinder(w.findtext('wrap_object')) for w in m.iter('PathWrap')]
    return float(m.findtext('max_isometric_force')), points, wraps


knee, patella = custom_joint('walker_knee_r'), custom_joint('patellofemoral_r')


def source_length(name, q):
    _, points, wraps = muscle(name)
    place = {'femur_r': lambda p: p, 'patella_r': patella(q), 'tibia_r': knee(q)}
    P = [place[body](p) for body, p in points]
    length = 0.0
    for A, B in zip(P, P[1:]):
        wrapped = [w for w in (over_cylinder(A, B, c) for c in wraps) if w is not None]
        length += min(wrapped) if wrapped else math.dist(A, B)
    return length


def lumped_vasti():
    """The vasti's F_M_max-weighted path points, as build_muscles_yaml.py lumps them: the femur
    points and the tibial point."""
    data = [muscle(n) for n in VASTI]
    F = [d[0] for d in data]
    bodies = [p[0] for p in data[0][1]]
    pts = [[wavg([d[1][k][1][c] for d in data], F) for c in range(3)] for k in range(len(bodies))]
    return ([p for b, p in zip(bodies, pts) if b == 'femur_r'], pts[bodies.index('tibia_r')])


LUMPED_FEMUR, LUMPED_TIBIA = lumped_vasti()


def pulley_length(q):
    """The lumped, projected path of muscles.yaml: the femur points, the KnExt_at_fem circle (turn
    +1) and the tibial point placed by the walker knee."""
    tibia = knee(q)(LUMPED_TIBIA)
    centre, _, r = cylinder('KnExt_at_fem_r')
    length = sum(math.dist(a[:2], b[:2]) for a, b in zip(LUMPED_FEMUR, LUMPED_FEMUR[1:]))
    return length + wrapped_length(LUMPED_FEMUR[-1][:2], tibia[:2], (centre[:2], r, 1))


def arm(length_of, q):
    return -(length_of(q + STEP) - length_of(q - STEP)) / (2.0 * STEP)


forces = [muscle(n)[0] for n in VASTI]
print('knee flexion (deg) | source, with the patella (mm) | Pulley, projected (mm) | ratio')
for deg in ANGLES_DEG:
    q = math.radians(deg)
    source = wavg([arm(lambda x, n=n: source_length(n, x), q) for n in VASTI], forces) * 1000.0
    projected = arm(pulley_length, q) * 1000.0
    print(f'{deg:3d} | {source:6.1f} | {projected:6.1f} | {source / projected:5.2f}')
