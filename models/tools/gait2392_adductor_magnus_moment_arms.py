#!/usr/bin/env python3
"""Hip-flexion moment arms of the adductor magnus in the gait2392 model (Delp et al. 1990).

The reference values for Pulley's adductor magnus in tests/data/validation/moment_arms_published.yaml
(run by developers, not the build). gait2392 draws its geometry from Delp et al. 1990 (IEEE Trans
Biomed Eng 37:757, cadaver data), independent of the Rajagopal 2016 geometry Pulley's adductor
magnus comes from; its adductor magnus parts are straight lines from the pelvis to the femur with
no wrap object, so the moment arm follows exactly from the path points and the hip centre.

Input (not shipped with Pulley; see models/README.md): opensim-models'
gait2392_thelen2003muscle.osim (CC BY 3.0 per its <credits>).
Usage: gait2392_adductor_magnus_moment_arms.py SHARED_DATA_DIR

Prints, for each hip flexion angle, the moment arm r = -dL/dq (mm; negative drives extension) of
add_mag2_r (middle part, the counterpart of Rajagopal's addmagDist_r: both run from the ischial
ramus to the middle of the linea aspera) and add_mag3_r (ischiocondylar part, the counterpart of
addmagIsch_r: to the adductor tubercle), and their mean weighted by gait2392's own maximal forces
(343 and 488 N), the muscle-level value compared with `pulley moment-arms`'s F_max-weighted mean
of Pulley's two units. Hip adduction and rotation are 0.
"""
import math
import sys
import xml.etree.ElementTree as ET

PARTS = ('add_mag2_r', 'add_mag3_r')
ANGLES_DEG = (0, 30, 45, 60, 90)


def rotate_z(p, angle):
    c, s = math.cos(angle), math.sin(angle)
    return (c * p[0] - s * p[1], s * p[0] + c * p[1], p[2])


def vector(text):
    return [float(v) for v in text.split()]


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: gait2392_adductor_magnus_moment_arms.py SHARED_DATA_DIR')
    root = ET.parse(sys.argv[1] + '/opensim-models/models/gait2392_thelen2003muscle.osim').getroot()
    hip = next(j for j in root.iter('CustomJoint') if j.get('name') == 'hip_r')
    # The hip centre in the pelvis frame is the translation of the joint's pelvis-side frame; the
    # femur-side frame sits at the femur origin. Flexion is the first rotation, about z.
    offsets = {f.findtext('socket_parent'): f for f in hip.iter('PhysicalOffsetFrame')}
    hip_in_pelvis = vector(offsets['/bodyset/pelvis'].findtext('translation'))
    assert vector(offsets['/bodyset/femur_r'].findtext('translation')) == [0.0, 0.0, 0.0]
    assert vector(offsets['/bodyset/femur_r'].findtext('orientation')) == [0.0, 0.0, 0.0]
    assert vector(offsets['/bodyset/pelvis'].findtext('orientation')) == [0.0, 0.0, 0.0]
    parts = {}
    for muscle in root.iter():
        if muscle.get('name') in PARTS and muscle.findtext('max_isometric_force'):
            assert not list(muscle.iter('PathWrap')), f'{muscle.get("name")} wraps'
            points = [(p.findtext('socket_parent_frame').split('/')[-1], vector(p.findtext('location')))
                      for p in muscle.iter('PathPoint')]
            assert [body for body, _ in points] == ['pelvis', 'femur_r'], muscle.get('name')
            parts[muscle.get('name')] = (float(muscle.findtext('max_isometric_force')),
                                         points[0][1], points[1][1])
    assert sorted(parts) == sorted(PARTS)

    def length(name, angle):
        _, origin, insertion = parts[name]
        femur_point = rotate_z(insertion, angle)
        in_pelvis = [femur_point[k] + hip_in_pelvis[k] for k in range(3)]
        return math.dist(origin, in_pelvis)

    step = 1e-6  # rad, central difference
    print('hip_flexion_deg ' + ' '.join(PARTS) + ' weighted_mean  (mm; - = extension)')
    for deg in ANGLES_DEG:
        q = math.radians(deg)
        arms = {n: -(length(n, q + step) - length(n, q - step)) / (2 * step) * 1e3 for n in PARTS}
        total = sum(parts[n][0] for n in PARTS)
        mean = sum(parts[n][0] * arms[n] for n in PARTS) / total
        print(f'{deg:15d} ' + ' '.join(f'{arms[n]:10.1f}' for n in PARTS) + f' {mean:13.1f}')


if __name__ == '__main__':
    main()
