#!/usr/bin/env python3
"""Hip-flexion moment arms of the accessory hip flexors in the gait2392 model (Delp et al. 1990).

The reference values for Pulley's adductor longus, gracilis, sartorius and tensor fasciae latae in
tests/data/validation/moment_arms_published.yaml (run by developers, not the build), computed as
models/tools/gait2392_adductor_magnus_moment_arms.py computes the adductor magnus's. gait2392
draws its geometry from Delp et al. 1990 (IEEE Trans Biomed Eng 37:757, cadaver data). It is not
wholly independent of the Rajagopal 2016 geometry of Pulley's muscles: some via points are the
same numbers in both models (sartorius's and tensor fasciae latae's femoral points), while the
pelvic origins and the gracilis's and adductor longus's points differ.

None of these four muscles has a wrap object in gait2392, so the hip moment arm follows exactly
from the path points and the hip centre: only the segment from the last pelvis point to the next
point moves with the hip. The gracilis's next point is on the tibia (a conditional point, in the
path from -25 to 10 deg of gait2392's knee angle, so at the knee angle 0 used here); the tibia's
origin in the femur at knee angle 0 is read from the knee's translation splines by linear
interpolation between the knots around 0 (the splines' curvature there moves it by well under
0.1 mm).

Input (not shipped with Pulley; see models/README.md): opensim-models'
gait2392_thelen2003muscle.osim (CC BY 3.0 per its <credits>).
Usage: gait2392_accessory_flexor_moment_arms.py SHARED_DATA_DIR

Prints, for each hip flexion angle, the moment arm r = -dL/dq (mm; positive drives flexion) of
add_long_r, grac_r, sar_r and tfl_r. Hip adduction and rotation and the knee angle are 0.
"""
import math
import sys
import xml.etree.ElementTree as ET

MUSCLES = ('add_long_r', 'grac_r', 'sar_r', 'tfl_r')
ANGLES_DEG = (-20, -10, 0, 30, 45, 60, 90)


def rotate_z(p, angle):
    c, s = math.cos(angle), math.sin(angle)
    return (c * p[0] - s * p[1], s * p[0] + c * p[1], p[2])


def vector(text):
    return [float(v) for v in text.split()]


def spline_at_zero(axis):
    """Value at 0 of a SimmSpline, interpolated linearly between the knots around 0."""
    fn = axis.find('SimmSpline')
    xs, ys = vector(fn.findtext('x')), vector(fn.findtext('y'))
    for k in range(len(xs) - 1):
        if xs[k] <= 0.0 <= xs[k + 1]:
            w = (0.0 - xs[k]) / (xs[k + 1] - xs[k])
            return ys[k] + w * (ys[k + 1] - ys[k])
    raise ValueError('0 outside the spline')


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: gait2392_accessory_flexor_moment_arms.py SHARED_DATA_DIR')
    root = ET.parse(sys.argv[1] + '/opensim-models/models/gait2392_thelen2003muscle.osim').getroot()
    joints = {j.get('name'): j for j in root.iter('CustomJoint')}
    hip, knee = joints['hip_r'], joints['knee_r']
    offsets = {f.findtext('socket_parent'): f for f in hip.iter('PhysicalOffsetFrame')}
    hip_in_pelvis = vector(offsets['/bodyset/pelvis'].findtext('translation'))
    for f in list(hip.iter('PhysicalOffsetFrame')) + list(knee.iter('PhysicalOffsetFrame')):
        assert vector(f.findtext('orientation')) == [0.0, 0.0, 0.0]
    for f in knee.iter('PhysicalOffsetFrame'):
        assert vector(f.findtext('translation')) == [0.0, 0.0, 0.0]
    axes = {a.get('name'): a for a in knee.iter('TransformAxis')}
    assert axes['translation1'].findtext('axis').split() == ['1', '0', '0']
    assert axes['translation2'].findtext('axis').split() == ['0', '1', '0']
    tibia_in_femur = (spline_at_zero(axes['translation1']), spline_at_zero(axes['translation2']), 0.0)

    paths = {}
    for muscle in root.iter():
        name = muscle.get('name')
        if name in MUSCLES and muscle.findtext('max_isometric_force'):
            assert not list(muscle.iter('PathWrap')), f'{name} wraps'
            points = []
            for p in muscle.find('GeometryPath').find('PathPointSet').find('objects'):
                assert p.tag in ('PathPoint', 'ConditionalPathPoint'), (name, p.tag)
                if p.tag == 'ConditionalPathPoint':  # in the path at knee angle 0?
                    lo, hi = vector(p.findtext('range'))
                    assert p.findtext('socket_coordinate').endswith('knee_angle_r') and lo <= 0.0 <= hi
                points.append((p.findtext('socket_parent_frame').split('/')[-1],
                               vector(p.findtext('location'))))
            paths[name] = points
    assert sorted(paths) == sorted(MUSCLES)

    def in_pelvis(body, p, angle):
        if body == 'pelvis':
            return p
        if body == 'femur_r':
            q = p
        elif body == 'tibia_r':
            q = [p[k] + tibia_in_femur[k] for k in range(3)]
        else:
            raise KeyError(body)
        q = rotate_z(q, angle)
        return [q[k] + hip_in_pelvis[k] for k in range(3)]

    def length(name, angle):
        pts = [in_pelvis(b, p, angle) for b, p in paths[name]]
        return sum(math.dist(pts[k], pts[k + 1]) for k in range(len(pts) - 1))

    step = 1e-6  # rad, central difference
    print('hip_flexion_deg ' + ' '.join(f'{n:>10}' for n in MUSCLES) + '  (mm; + = flexion)')
    for deg in ANGLES_DEG:
        q = math.radians(deg)
        arms = [-(length(n, q + step) - length(n, q - step)) / (2 * step) * 1e3 for n in MUSCLES]
        print(f'{deg:15d} ' + ' '.join(f'{a:10.1f}' for a in arms))


if __name__ == '__main__':
    main()
