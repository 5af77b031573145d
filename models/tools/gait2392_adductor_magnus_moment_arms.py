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
addmagIsch_r: to the adductor tubercle), and their F_max-weighted mean, which is what
`pulley moment-arms` reports for a muscle of several units. Hip adduction and rotation are 0.
"""
import math
import sys
import xml.etree.ElementTree as ET

PARTS = ('add_mag2_r', 'add_mag3_r')
ANGLES_DEG = (0, 30, 45, 60, 90)


def rotate_z(p, angle):
    c, s = math.cos(angle), math.sin(angle)
    return (c * p[0] - s * p[1], s * p[0] + c * p[1], p[2])


def main():
    root = ET.parse(sys.argv[1] + '/opensim-models/models/gait2392_thelen2003muscle.osim').getroot()
    hip = next(j for j in root.iter('CustomJoint') if j.get('name') == 'hip_r')
    # The first PhysicalOffsetFrame is the pelvis side (socket_parent /bodyset/pelvis); the femur
    # side has no offset. The flexion axis is the pelvis frame's z (first rotation, axis 0 0 1).
    hip_in_pelvis = [float(v) for v in hip.find('.//PhysicalOffsetFrame/translation').text.split()]
    parts = {}
    for muscle in root.iter():
        if muscle.get('name') in PARTS and muscle.findtext('max_isometric_force'):
            points = {}
            for point in muscle.iter('PathPoint'):
                body = point.findtext('socket_parent_frame').split('/')[-1]
                points[body] = [float(v) for v in point.findtext('location').split()]
            parts[muscle.get('name')] = (float(muscle.findtext('max_isometric_force')),
                                         points['pelvis'], points['femur_r'])

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
