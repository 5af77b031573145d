#!/usr/bin/env python3
"""The source model's muscles that cross the ankle and are not in Pulley's, measured by the rule
the accessory hip flexors were added by (run by developers, not the build).

RajagopalLaiUhlrich2023.osim moves the ankle with soleus, the two gastrocnemius heads and
tibialis anterior, which muscles.yaml keeps, and with seven more: tibialis posterior, flexor
hallucis longus, flexor digitorum longus, peroneus longus and brevis, extensor digitorum longus
and extensor hallucis longus. build_muscles_yaml.py adds an accessory hip flexor only where its
sagittal projection keeps at least 95 % of its 3-D path length with the joints at 0
(models/README.md). This script applies that rule to the ankle's muscles and gives each one's sagittal moment arm
at the neutral ankle and its F_M_max times that arm (docs/validation.md, Known gaps).

Method:
  - joints at 0: each child body's origin is its parent's shifted by the joint's offset (the
    parent and child offset frames of ankle_r, subtalar_r and mtp_r share their orientation, so
    at 0 they coincide); the toes stay at their rest place on the foot, as Pulley has no toes;
  - paths: straight segments through the muscles' PathPoints (none of these has a sagittal wrap
    circle); the projection drops z;
  - moment arm: -dL/dtheta of the projected length, the talus, calcaneus and toes turned about
    the ankle centre in the plane (central difference of 1e-5 rad); positive dorsiflexes, as
    Pulley's ankle_dorsiflexion.

Input (not shipped with Pulley; see models/README.md): opensim-models'
RajagopalLaiUhlrich2023.osim.
Usage: rajagopal_ankle_muscles.py SHARED_DATA_DIR
"""
import math
import sys
import xml.etree.ElementTree as ET

from sagittal_geometry import osim_path_points

KEPT = ('soleus_r', 'tibant_r')
ADDED = ('tibpost_r', 'fhl_r', 'fdl_r', 'perlong_r', 'perbrev_r', 'edl_r', 'ehl_r')
STEP = 1e-5  # rad
RULE = 0.95  # share of the 3-D path length the projection keeps (build_muscles_yaml.py)

if len(sys.argv) != 2:
    sys.exit('usage: rajagopal_ankle_muscles.py SHARED_DATA_DIR')
root = ET.parse(sys.argv[1] + '/opensim-models/models/RajagopalLaiUhlrich2023.osim').getroot()


def joint_offset(name):
    """The translation of joint `name`'s parent offset frame (its child offset frame's is zero)."""
    for joint in root.iter():
        if joint.get('name') == name and joint.tag.endswith('Joint'):
            frames = {f.get('name'): f for f in joint.iter('PhysicalOffsetFrame')}

            def translation(socket):
                frame = frames[joint.findtext(socket).split('/')[-1]]
                return [float(v) for v in frame.findtext('translation').split()]

            assert translation('socket_child_frame') == [0.0, 0.0, 0.0], name
            return translation('socket_parent_frame')
    raise KeyError(name)


def shifted(origin, offset):
    return [a + b for a, b in zip(origin, offset)]


ORIGIN = {'tibia_r': [0.0, 0.0, 0.0]}
ORIGIN['talus_r'] = shifted(ORIGIN['tibia_r'], joint_offset('ankle_r'))
ORIGIN['calcn_r'] = shifted(ORIGIN['talus_r'], joint_offset('subtalar_r'))
ORIGIN['toes_r'] = shifted(ORIGIN['calcn_r'], joint_offset('mtp_r'))
ANKLE = ORIGIN['talus_r']
FOOT = ('talus_r', 'calcn_r', 'toes_r')


def muscle(name):
    for m in root.iter('Millard2012EquilibriumMuscle'):
        if m.get('name') == name:
            points = [(body, shifted(ORIGIN[body], local))
                      for body, *local in osim_path_points(m)]
            return float(m.findtext('max_isometric_force')), points
    raise KeyError(name)


def length(points, dims=3, turn=0.0):
    """Path length in `dims` dimensions, the foot's points turned by `turn` about the ankle."""
    c, s = math.cos(turn), math.sin(turn)
    placed = []
    for body, p in points:
        if body in FOOT:
            x, y = p[0] - ANKLE[0], p[1] - ANKLE[1]
            p = [ANKLE[0] + c * x - s * y, ANKLE[1] + s * x + c * y, p[2]]
        placed.append(p[:dims])
    return sum(math.dist(a, b) for a, b in zip(placed, placed[1:]))


print('muscle     in Pulley  F_M_max (N)  projection keeps  moment arm (mm)  F_M_max x arm (N m)')
for name in KEPT + ADDED:
    force, points = muscle(name)
    kept = length(points, 2) / length(points, 3)
    arm = -(length(points, 2, STEP) - length(points, 2, -STEP)) / (2.0 * STEP)
    print(f'{name:<10} {"yes" if name in KEPT else "no":<10} {force:11.0f}  {100 * kept:15.2f} %'
          f'  {1000 * arm:+15.1f}  {force * arm:+19.1f}'
          + ('' if name in KEPT or kept >= RULE else '  (below the rule)'))
