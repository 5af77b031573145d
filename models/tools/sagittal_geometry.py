"""Sagittal geometry shared by the model-building tools (build_muscles_yaml.py,
gluteus_maximus_wrap_circle.py, rajagopal_ankle_muscles.py): Rajagopal's hip centre, an OpenSim
muscle's path points, force-weighted means and the wrap rule of Pulley's circles."""
import math

HIP_3D = (-0.056276, -0.07849, 0.07726)  # Rajagopal hip_r joint location in the pelvis (m)


def osim_path_points(muscle):
    """The PathPoints of an OpenSim muscle element, in order: (body, x, y, z), each in its body's
    frame."""
    points = []
    for p in muscle.iter('PathPoint'):
        body = p.findtext('socket_parent_frame').split('/')[-1]
        x, y, z = map(float, p.findtext('location').split())
        points.append((body, x, y, z))
    return points


def wavg(items, weights):
    w = sum(weights)
    return sum(i * wt for i, wt in zip(items, weights)) / w


def wrapped_length(A, B, circle):
    """Length from A to B (2-D points in one frame) around circle (centre, radius, turn), by the
    rule of geometry::solve_wrap (src/geometry/path.cpp): the path wraps when both ends lie
    outside the circle and the arc between the tangent points, counted the way the path turns
    (clockwise for turn +1), is under half a turn; otherwise it is straight."""
    (cx, cy), r, turn = circle
    dP, dQ = (A[0] - cx, A[1] - cy), (B[0] - cx, B[1] - cy)
    n2P, n2Q = dP[0] ** 2 + dP[1] ** 2, dQ[0] ** 2 + dQ[1] ** 2
    if n2P <= r * r or n2Q <= r * r:
        return math.dist(A, B)
    hP, hQ = math.sqrt(n2P - r * r), math.sqrt(n2Q - r * r)
    perp = lambda v: (-v[1], v[0])
    # the tangent points' directions from the centre, up to positive factors
    w1 = tuple(r * a - turn * hP * b for a, b in zip(dP, perp(dP)))
    w2 = tuple(r * a + turn * hQ * b for a, b in zip(dQ, perp(dQ)))
    sin_arc = -turn * (w1[0] * w2[1] - w1[1] * w2[0])
    if not sin_arc > 0.0:
        return math.dist(A, B)
    return hP + r * math.atan2(sin_arc, w1[0] * w2[0] + w1[1] * w2[1]) + hQ
