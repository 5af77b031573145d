#!/usr/bin/env python3
"""Builds models/default/muscles.yaml from published model data (run by developers, not the build).

Inputs (not shipped with Pulley; see models/README.md for sources, licences and citations):
  - shared/data/opensim-models/muscle_parameters_relevant.csv, path_points_relevant.csv,
    wrap_objects_relevant.csv and models/RajagopalLaiUhlrich2023.osim: Rajagopal et al. 2016 with
    Lai et al. 2017's changes for deep hip and knee flexion and Uhlrich et al. 2022's passive
    force-length curves calibrated to measured passive joint moments
  - the sagittal extraction of MyoSuite's MyoBack model (Christophy et al. 2012 lumbar muscles):
    lumbar_muscles_sagittal.csv, bodies_sagittal.csv (the directory is the second argument)

What it does (documented in models/README.md):
  - projects every path point on the sagittal plane (drops z; x anterior, y superior), with the
    wrap cylinders that have a sagittal circle (the knee's and the pelvic brim's, and one circle
    for the gluteus maximus's three; WRAPS);
  - lumps the three vasti, the two gastrocnemius heads and the three gluteus maximus parts,
    force-weighted; keeps each hamstring head separate;
  - keeps the adductor magnus's ischial and distal parts, one unit each (models/README.md);
  - adds the accessory hip flexors whose sagittal projection keeps their path length (adductor
    longus, gracilis, sartorius, tensor fasciae latae; models/README.md) and checks, for every leg
    muscle, how much of its 3-D path length the projection keeps with the hip and knee at 0;
  - re-expresses Christophy lumbar sites in each vertebra's own frame and lumps fascicles that share
    the same bodies, force-weighted; the thorax ("torso") is the head-arms-trunk body.
Usage: build_muscles_yaml.py SHARED_DATA_DIR MYOBACK_DIR > models/default/muscles.yaml
"""
import csv
import math
import sys
import xml.etree.ElementTree as ET
from collections import OrderedDict, defaultdict

from sagittal_geometry import HIP_3D, osim_path_points, wavg, wrapped_length

shared, myoback = sys.argv[1], sys.argv[2]
osm = shared + '/opensim-models'

LEG_MODEL = 'RajagopalLaiUhlrich2023'
LEG_SOURCE = ('Rajagopal et al. 2016 (doi:10.1109/TBME.2016.2586891) with Lai et al. 2017 '
              '(doi:10.1007/s10439-017-1920-7) and Uhlrich et al. 2022 (doi:10.1038/s41598-022-13386-9), '
              'RajagopalLaiUhlrich2023.osim')
params = {r['muscle']: r for r in csv.DictReader(open(osm + '/muscle_parameters_relevant.csv'))
          if r['model'] == LEG_MODEL}
root = ET.parse(osm + f'/models/{LEG_MODEL}.osim').getroot()

def osim_muscle(name):
    for m in root.iter('Millard2012EquilibriumMuscle'):
        if m.get('name') == name:
            pts = osim_path_points(m)
            fl = m.find('FiberForceLengthCurve')
            afl = m.find('ActiveForceLengthCurve')
            return dict(F=float(m.findtext('max_isometric_force')),
                        lopt=float(m.findtext('optimal_fiber_length')),
                        lts=float(m.findtext('tendon_slack_length')),
                        alpha=float(m.findtext('pennation_angle_at_optimal')), pts=pts,
                        ez=float(fl.findtext('strain_at_zero_force')),
                        e1=float(fl.findtext('strain_at_one_norm_force')),
                        active=(float(afl.findtext('min_norm_active_fiber_length')),
                                float(afl.findtext('max_norm_active_fiber_length'))))
    raise KeyError(name)

# Rajagopal frames -> Pulley body frames: the foot frame is the talus frame (origin at the ankle);
# calcn points shift by the subtalar offset (talus frame, Rajagopal2016.osim joint subtalar_r).
SUBTALAR = (-0.04877, -0.04195)
BODY = {'pelvis': 'pelvis', 'femur_r': 'femur', 'tibia_r': 'tibia', 'calcn_r': 'foot'}

def to_pulley(body, x, y):
    if body == 'calcn_r':
        return 'foot', x + SUBTALAR[0], y + SUBTALAR[1]
    return BODY[body], x, y

def to_pulley_path(pts):
    """Pulley path points (body, x, y, z): z, the 3-D mediolateral position, only on the tibia
    points of a path that crosses the knee (the knee's coupled motion moves them, body.yaml
    knee_coupling); None elsewhere."""
    crosses_knee = (any(p[0] in ('pelvis', 'femur_r') for p in pts) and
                    any(p[0] == 'tibia_r' for p in pts))
    return [to_pulley(b, x, y) + ((z if crosses_knee and b == 'tibia_r' else None),)
            for b, x, y, z in pts]

def lump(names):
    ms = [osim_muscle(n) for n in names]
    Fs = [m['F'] for m in ms]
    n = len(ms[0]['pts'])
    pts = []
    for k in range(n):
        body = ms[0]['pts'][k][0]
        assert all(m['pts'][k][0] == body for m in ms), names
        pts.append((body, wavg([m['pts'][k][1] for m in ms], Fs), wavg([m['pts'][k][2] for m in ms], Fs),
                    wavg([m['pts'][k][3] for m in ms], Fs)))
    return dict(F=sum(Fs), lopt=wavg([m['lopt'] for m in ms], Fs), lts=wavg([m['lts'] for m in ms], Fs),
                alpha=wavg([m['alpha'] for m in ms], Fs), pts=pts,
                ez=wavg([m['ez'] for m in ms], Fs), e1=wavg([m['e1'] for m in ms], Fs),
                active=same([m['active'] for m in ms], names))

def same(values, names):
    assert all(v == values[0] for v in values), names
    return values[0]

def strip_patella(m):
    m = dict(m)
    m['pts'] = [p for p in m['pts'] if p[0] != 'patella_r']
    return m

WRAPS = {  # Rajagopal wrap cylinders as sagittal circles (body, centre x, y, radius, turn)
    'KnExt_at_fem': ('femur', 0.00358828, -0.402732, 0.025, +1),
    'SM_at_condyles': ('tibia', -0.001, -0.02, 0.0345, -1),
    'ST_at_condyles': ('tibia', -0.002, -0.0205, 0.0425, -1),
    'Gastroc_at_condyles': ('femur', 0.005, -0.41, 0.025, -1),
    # The pelvic brim, over which iliacus and psoas turn onto the femur (the iliopsoas's pulley on
    # the superior pubic ramus). Rajagopal's cylinders are tilted 23 and 21 deg from mediolateral;
    # chosen: the sagittal circle of the cylinder's radius about its centre, which the muscles'
    # brim points lie level with (the exact section, an ellipse, is 7-9 % longer in one axis).
    # Rajagopal's quadrant -y (the cylinder's underside) is the clockwise side (turn +1).
    'IL_at_brim': ('pelvis', -0.071, -0.065, 0.0549, +1),
    'PS_at_brim': ('pelvis', -0.074, -0.06, 0.05, +1),
    # Behind the hip, under which the gluteus maximus turns as the hip flexes. Rajagopal wraps each
    # of its three parts over its own cylinder (Gmax1/2/3_at_pelvis, radius 40 mm, axes 6-47 deg from
    # mediolateral); the lumped sagittal path wraps one circle at their force-weighted centre,
    # counter-clockwise (posterior, turn -1). Chosen: the radius whose sagittal moment arms best
    # match the force-weighted 3-D moment arms of Rajagopal's wrapped parts over -20..120 deg of hip
    # flexion (24 mm, rms 3.9 mm; 40 mm gives rms 10.3 mm); models/tools/gluteus_maximus_wrap_circle.py.
    'Gmax_at_pelvis': ('pelvis', -0.07997, -0.08914, 0.024, -1),
    # Over the ischium, where the long hamstrings turn in deep hip flexion instead of passing
    # through the ischium and the hip (Rajagopal's straight paths reach the hip centre near 135 deg).
    # Not Rajagopal's; chosen: centred on the hip, radius 30 mm, the femoral head's radius (about
    # 25 mm) and the acetabular wall and tendon the path must clear; engages beyond about 100 deg
    # (docs/model.md, section 5). Counter-clockwise (turn -1): the path runs below and behind it.
    'Ham_at_ischium': ('pelvis', HIP_3D[0], HIP_3D[1], 0.030, -1),
}

def check_brim_wraps():
    """The brim circles are Rajagopal's cylinders (centre x, y; radius), tilted under 30 deg."""
    rows = {r['wrap_object']: r for r in csv.DictReader(open(osm + '/wrap_objects_relevant.csv'))
            if r['model'] == LEG_MODEL}
    for name in ('IL_at_brim', 'PS_at_brim'):
        r = rows[name + '_r']
        x, y, _ = map(float, r['translation_m'].split())
        a, b, _ = map(float, r['xyz_body_rotation_rad'].split())
        _, wx, wy, wr, _ = WRAPS[name]
        assert abs(x - wx) < 1e-9 and abs(y - wy) < 1e-9 and abs(float(r['radius_m']) - wr) < 1e-9, name
        assert r['quadrant'] == '-y', name
        # body-fixed x-y-z rotations: the cylinder's axis (local z) makes angle acos(cos a cos b)
        # with the mediolateral axis
        assert math.degrees(math.acos(math.cos(a) * math.cos(b))) < 30.0, name

check_brim_wraps()

def check_gluteus_maximus_wrap():
    """The gluteus maximus circle sits at the force-weighted centre of the three Gmax cylinders."""
    rows = [r for r in csv.DictReader(open(osm + '/wrap_objects_relevant.csv'))
            if r['model'] == LEG_MODEL and r['wrap_object'] in
            ('Gmax1_at_pelvis_r', 'Gmax2_at_pelvis_r', 'Gmax3_at_pelvis_r')]
    assert len(rows) == 3
    F = [float(params[r['used_by_relevant_muscles']]['max_isometric_force_N']) for r in rows]
    for axis in (0, 1):
        centre = wavg([float(r['translation_m'].split()[axis]) for r in rows], F)
        assert abs(centre - WRAPS['Gmax_at_pelvis'][1 + axis]) < 1e-5, (axis, centre)

check_gluteus_maximus_wrap()

# Tendon slack lengths set from in vivo data instead of the source model's (m, generic size).
# The vasti: Chen, Sanchez, Schnitzer & Delp (2016, J Biomech 49:2989, PMC5507365) imaged the
# resting vastus lateralis's sarcomeres in vivo, 2.84 +- 0.16 um at 50 deg and 3.17 +- 0.13 um at
# 110 deg of knee flexion (six adults), 1.05 and 1.17 of the 2.7 um optimum to which Rajagopal et
# al.'s optimal fibre lengths are normalised; the source's lengths put Pulley's resting fibres at
# 0.84 and 1.06. Fitted: the slack length whose resting fibres (Pulley's path, no activation)
# match the two means in least squares weighted by their spreads, 18.6 mm shorter than the
# source's lump (tests/unit/model/vasti_operating_length_test.cpp repeats the fit).
TENDON_SLACK_M = {'vasti': 0.195861}

LEGS = [
    # name, group, source muscles, wrap (name, segment index), a list of them in path order, or
    # None, lumping note
    ('semimembranosus', 'hamstrings', ['semimem_r'], [('Ham_at_ischium', 0), ('SM_at_condyles', 0)]),
    ('semitendinosus', 'hamstrings', ['semiten_r'], [('Ham_at_ischium', 0), ('ST_at_condyles', 0)]),
    ('biceps_femoris_long', 'hamstrings', ['bflh_r'], ('Ham_at_ischium', 0)),
    ('biceps_femoris_short', 'hamstrings', ['bfsh_r'], None),
    ('rectus_femoris', 'quadriceps', ['recfem_r'], ('KnExt_at_fem', 0)),
    ('vasti', 'quadriceps', ['vaslat_r', 'vasmed_r', 'vasint_r'], ('KnExt_at_fem', 1)),
    ('iliacus', 'hip_flexors', ['iliacus_r'], ('IL_at_brim', 1)),
    # Accessory hip flexors (models/README.md). Chosen: the group clinicians test them in; sartorius
    # and tensor fasciae latae flex the extended hip (hip_flexors), adductor longus and gracilis are
    # medial-compartment adductors (adductors). No wrap cylinder of theirs has a sagittal circle
    # except gracilis's GR_at_condyles, whose projected circle holds the gracilis's first tibial via
    # point (4 mm inside it), so every path here is a straight polyline through Rajagopal's points.
    ('sartorius', 'hip_flexors', ['sart_r'], None),
    ('tensor_fasciae_latae', 'hip_flexors', ['tfl_r'], None),
    ('gluteus_maximus', 'gluteals', ['glmax1_r', 'glmax2_r', 'glmax3_r'], ('Gmax_at_pelvis', 1)),
    # Adductor magnus, one unit per Rajagopal part kept: its wrap cylinders lie along the femoral
    # shaft (no sagittal circle), so the sagittal paths are straight. Chosen: only the parts whose
    # sagittal projection keeps their path length with the hip at 0 (ischial 0 %, distal -3.3 %);
    # the middle and proximal parts, mainly adductors, would lose 16 % and 44 % and go slack.
    ('adductor_magnus', 'adductors',
     [('adductor_magnus_ischial', 'addmagIsch_r'), ('adductor_magnus_distal', 'addmagDist_r')], None),
    # Adductor longus: its AL_at_femshaft_r cylinder lies along the femoral shaft (no sagittal
    # circle). Its projection keeps 95 % of the path length (check below). Chosen: adductor brevis
    # (addbrev_r) is left out for the reason the adductor magnus's middle and proximal parts are: its
    # projection loses 22 % and it would go slack. RajagopalLaiUhlrich2023.osim has no pectineus
    # (only the wrap cylinder PECT_at_femshaft_r is left of it), and the anterior gluteus medius
    # (glmed1_r) extends the hip in the projection up to 35 deg of flexion (-10.7 mm at 0 deg), so
    # neither is added.
    ('adductor_longus', 'adductors', ['addlong_r'], None),
    ('gracilis', 'adductors', ['grac_r'], None),
    ('gastrocnemius', 'calves', ['gasmed_r', 'gaslat_r'], ('Gastroc_at_condyles', 0)),
    ('soleus', 'calves', ['soleus_r'], None),
    ('tibialis_anterior', '', ['tibant_r'], None),
]

# Rajagopal's 3-D frames with the hip and knee at 0: the hip centre in the pelvis (HIP_3D, hip_r
# pelvis_offset) and the tibia origin in the femur (walker_knee_r: the femur-side offset less the tibia-side offset,
# which share their orientation; the knee's coupled rotations and translations vanish at 0 to 1e-6).
TIBIA_IN_FEMUR_3D = (-0.0045 + 0.00808954, -0.4096 + 0.0035348, -0.00175 + 0.00148474)

def reference_point_3d(body, x, y, z):
    if body == 'pelvis':
        return (x, y, z)
    if body == 'femur_r':
        return tuple(a + b for a, b in zip((x, y, z), HIP_3D))
    if body == 'tibia_r':
        return tuple(a + b + c for a, b, c in zip((x, y, z), TIBIA_IN_FEMUR_3D, HIP_3D))
    raise KeyError(body)

def projection_keeps(src):
    """Sagittal path length over 3-D path length (straight segments, no wrap) at the reference pose."""
    pts = [reference_point_3d(*p) for p in osim_muscle(src)['pts'] if p[0] != 'patella_r']
    l3 = sum(math.dist(pts[i], pts[i + 1]) for i in range(len(pts) - 1))
    l2 = sum(math.dist(pts[i][:2], pts[i + 1][:2]) for i in range(len(pts) - 1))
    return l2 / l3

# Chosen: an accessory hip flexor is added only if its projection keeps at least 95 % of its 3-D
# path length (adductor longus 95.2 %, sartorius 97.4 %, gracilis 99.2 %, tensor fasciae latae
# 99.7 %; adductor brevis, left out, 78.4 %); otherwise its fibres, sized for the 3-D path, would go
# slack. For comparison (straight segments, no wrap): the adductor magnus parts kept 100 / 96.7 %
# and left out 83.9 / 55.8 %; semimembranosus to biceps femoris, rectus femoris, vasti, iliacus
# and psoas 97.8-100 %; the three gluteus maximus parts, lumped since the first version, 93.2,
# 93.8 and 86.0 %.
ACCESSORY_HIP_FLEXORS = ('addlong_r', 'grac_r', 'sart_r', 'tfl_r')
for _src in ACCESSORY_HIP_FLEXORS:
    assert projection_keeps(_src) >= 0.95, (_src, projection_keeps(_src))

out = []
def emit(s=''):
    out.append(s)

def fmt(v):
    return f'{v:.6g}'

def wrap_list(wrap):
    """A LEGS entry's wraps as a list of (circle, segment): none, one tuple, or a list of them."""
    return [] if wrap is None else [wrap] if isinstance(wrap, tuple) else wrap

def emit_fascicle(name, F, lopt, lts, alpha_deg, pts, wrap=None, indent='      ', passive=None,
                  active=None):
    emit(f'{indent}- name: {name}')
    emit(f'{indent}  F_M_max_N: {fmt(F)}')
    emit(f'{indent}  l_M_opt_m: {fmt(lopt)}')
    emit(f'{indent}  l_T_slack_m: {fmt(lts)}')
    emit(f'{indent}  alpha_opt_deg: {fmt(alpha_deg)}')
    if passive is not None:
        emit(f'{indent}  passive_strain_at_zero_force: {fmt(passive[0])}')
        emit(f'{indent}  passive_strain_at_one_norm_force: {fmt(passive[1])}')
    if active is not None:
        emit(f'{indent}  active_fibre_length_range: [{fmt(active[0])}, {fmt(active[1])}]')
    emit(f'{indent}  path:')
    for i, point in enumerate(pts):
        body, x, y = point[:3]
        z = point[3] if len(point) > 3 else None
        extra = '' if z is None else f', z: {fmt(z)}'
        circles = []
        for name_, segment in wrap_list(wrap):
            if segment == i:
                wb, wx, wy, wr, wt = WRAPS[name_]
                circles.append(f'{{body: {wb}, x: {fmt(wx)}, y: {fmt(wy)}, radius: {fmt(wr)}, '
                               f'turn: {wt}}}')
        if len(circles) == 1:
            extra += f', wrap: {circles[0]}'
        elif circles:
            extra += f', wrap: [{", ".join(circles)}]'

        emit(f'{indent}    - {{body: {body}, x: {fmt(x)}, y: {fmt(y)}{extra}}}')

emit('# Muscles of Pulley\'s default model, one side (the other mirrors it in the sagittal plane).')
emit('# Generated by models/tools/build_muscles_yaml.py; do not edit by hand. Units as in the keys.')
emit('# Body frames: x anterior, y superior, origin at the joint with the parent body (see body.yaml).')
emit('# A path point may carry `wrap`: a circle (centre in its body, radius, turn +1 = clockwise),')
emit('# or a list of two in the order the path meets them, that the segment from this point to the')
emit('# next wraps around, and `z`: its 3-D mediolateral')
emit('# position (m, + lateral), given on the tibia points of paths that cross the knee, which the')
emit('# knee\'s coupled motion moves (body.yaml, knee_coupling).')
emit('muscles:')
for name, group, srcs, wrap in LEGS:
    if isinstance(srcs[0], tuple):  # one unit per source muscle, straight paths
        assert wrap is None, f'{name}: a wrap circle is not supported for one unit per source'
        emit(f'  - name: {name}')
        emit(f'    group: "{group}"')
        emit(f'    source: "{LEG_SOURCE}, {", ".join(s for _, s in srcs)} (one unit each); passive '
             f'strains at zero and unit force from Uhlrich 2022; active force-length curve ends from the '
             f'model\'s ActiveForceLengthCurve; path projected on the sagittal plane" ')
        emit('    fascicles:')
        for unit, src in srcs:
            m = osim_muscle(src)
            pts = to_pulley_path(m['pts'])
            emit_fascicle(unit, m['F'], m['lopt'], m['lts'], math.degrees(m['alpha']), pts, None,
                          passive=(m['ez'], m['e1']), active=m['active'])
        continue
    m = lump(srcs) if len(srcs) > 1 else osim_muscle(srcs[0])
    had_patella = any(p[0] == 'patella_r' for p in m['pts'])
    circles = {circle for circle, _ in wrap_list(wrap)}
    m = strip_patella(m)
    pts = to_pulley_path(m['pts'])
    emit(f'  - name: {name}')
    emit(f'    group: "{group}"')
    lumped = ' (force-weighted lump of ' + ', '.join(srcs) + ')' if len(srcs) > 1 else ''
    note = '; patella points replaced by the KnExt_at_fem wrap circle' if had_patella else ''
    if 'Ham_at_ischium' in circles:
        note = ('; turns over the ischium in deep hip flexion on the Ham_at_ischium circle (chosen, '
                'not Rajagopal\'s)')
    if 'IL_at_brim' in circles:
        note = '; turns over the pelvic brim on the IL_at_brim wrap circle'
    if 'Gmax_at_pelvis' in circles:
        note = ('; turns under the Gmax_at_pelvis wrap circle, one for the three parts\' '
                'Gmax1/2/3_at_pelvis cylinders')
    if name in TENDON_SLACK_M:
        m['lts'] = TENDON_SLACK_M[name]
        note += ('; tendon slack length from the resting fibre lengths of Chen et al. 2016 (in vivo '
                 'sarcomere lengths), not the source\'s')
    emit(f'    source: "{LEG_SOURCE}, {", ".join(srcs)}{lumped}; passive strains at zero and unit force '
         f'from Uhlrich 2022; active force-length curve ends from the model\'s ActiveForceLengthCurve; '
         f'path projected on the sagittal plane{note}" ')
    emit('    fascicles:')
    emit_fascicle(name, m['F'], m['lopt'], m['lts'], math.degrees(m['alpha']), pts, wrap,
                  passive=(m['ez'], m['e1']), active=m['active'])

# --- lumbar muscles from MyoBack (Christophy 2012) ---
bodies = {r['body']: r for r in csv.DictReader(open(myoback + '/bodies_sagittal.csv'))}
ref = csv.DictReader(open(shared + '/opensim-models/myosim-derived/myotorso_MyoBack_muscles_mujoco.csv'))
mj = {r['actuator']: r for r in ref}
rows = list(csv.DictReader(open(myoback + '/lumbar_muscles_sagittal.csv')))

def body_angle(b):
    return float(bodies[b]['angle_world_rad'])

def local(body, xw, yw):
    # site offset given in world axes at the default pose -> the body's own frame
    a = -body_angle(body)
    return math.cos(a) * xw - math.sin(a) * yw, math.sin(a) * xw + math.cos(a) * yw

def world(body, x_rel, y_rel):
    return (float(bodies[body]['x_rel_sacrum']) + x_rel, float(bodies[body]['y_rel_sacrum']) + y_rel)

RENAME = {'sacrum': 'pelvis', 'lumbar1': 'lumbar1', 'lumbar2': 'lumbar2', 'lumbar3': 'lumbar3',
          'lumbar4': 'lumbar4', 'lumbar5': 'lumbar5', 'torso': 'thorax'}
GROUP = {'psoas': ('psoas', 'hip_flexors'), 'rectus_abdominis': ('rectus_abdominis', 'abdominals'),
         'erector_spinae_iliocostalis': ('iliocostalis', 'erector_spinae'),
         'erector_spinae_longissimus_thoracis_pars_thoracis': ('longissimus', 'erector_spinae'),
         'erector_spinae_longissimus_thoracis_pars_lumborum': ('longissimus', 'erector_spinae'),
         'multifidus': ('multifidus', 'erector_spinae'),
         'external_oblique': ('external_oblique', 'abdominals'),
         'internal_oblique': ('internal_oblique', 'abdominals')}

def sites(r):
    s = []
    k = 1
    while r.get(f's{k}_body'):
        b = r[f's{k}_body']
        x, y = float(r[f's{k}_x']), float(r[f's{k}_y'])
        if b == 'Abdomen':  # massless helper body of MyoBack: re-attach to lumbar3 (chosen)
            xw, yw = world('Abdomen', x, y)
            bx, by = world('lumbar3', 0.0, 0.0)
            b, x, y = 'lumbar3', xw - bx, yw - by
        s.append((b, x, y))
        k += 1
    # keep the first and last site of each run on one body (intermediate ones add no moment)
    kept = []
    for i, site in enumerate(s):
        first = i == 0 or s[i - 1][0] != site[0]
        last = i == len(s) - 1 or s[i + 1][0] != site[0]
        if first or last:
            kept.append(site)
    return kept

groups = OrderedDict()
for r in rows:
    if r['group'] not in GROUP:
        continue  # quadratus lumborum: frontal-plane muscle, left out (models/README.md)
    muscle, ugroup = GROUP[r['group']]
    ss = sites(r)
    key = (muscle, tuple(b for b, _, _ in ss))
    groups.setdefault(key, []).append((r, ss))

psoas_pelvis_tail = None
psoas = lump(['psoas_r'])
# Rajagopal psoas femoral points (brim point replaced by Christophy's shared brim site)
psoas_femur = [to_pulley(p[0], p[1], p[2]) for p in psoas['pts'] if p[0] == 'femur_r']

by_muscle = OrderedDict()
for (muscle, seq), members in groups.items():
    by_muscle.setdefault(muscle, []).append((seq, members))

def level_name(seq):
    names = [b for b in seq if b.startswith('lumbar')]
    tag = names[0].replace('lumbar', 'l') if names else 't'
    if seq[0] == 'torso' or seq[-1] == 'torso':
        tag = 'thoracic_' + tag if names else 'thoracic'
    return tag

for muscle, entries in by_muscle.items():
    ugroup = [g for m, g in GROUP.values() if m == muscle][0]
    emit(f'  - name: {muscle}')
    emit(f'    group: "{ugroup}"')
    if muscle == 'psoas':
        emit('    source: "Christophy et al. 2012 (doi:10.1007/s10237-011-0290-6) lumbar origins and pelvic '
             'brim via MyoSuite MyoBack (Apache-2.0); femoral insertion, l_M_opt, alpha_opt and the PS_at_brim '
             'wrap circle from Rajagopal 2016 psoas_r; fascicles lumped by origin level, force-weighted"')
    else:
        emit('    source: "Christophy et al. 2012 (doi:10.1007/s10237-011-0290-6) via MyoSuite MyoBack '
             '(Apache-2.0): sites re-expressed in each body frame, fascicles with the same bodies lumped '
             'force-weighted; F_M_max = sum of MyoBack F0; '
             'fibres at optimal length in the reference pose, tendon 40 % of the path for erector spinae '
             'fascicles reaching the thorax and 10 % otherwise (chosen, see models/README.md)"')
    emit('    fascicles:')
    used = set()
    for seq, members in entries:
        F = [float(r['F0_N']) for r, _ in members]
        npts = len(seq)
        pts = []
        for k in range(npts):
            b = seq[k]
            xw = wavg([ss[k][1] for _, ss in members], F)
            yw = wavg([ss[k][2] for _, ss in members], F)
            x, y = local(b, xw, yw)
            pts.append((RENAME[b], x, y))
        # MuJoCo muscle: length scale L0 = (lr_hi - lr_lo)/(range_hi - range_lo); normalised length at
        # the default pose l0 = range_lo + (length0 - lr_lo)/L0 (MuJoCo muscle model documentation).
        L0s, l0s = [], []
        for r, _ in members:
            q = mj[r['name']]
            lo, hi = float(q['range_lo']), float(q['range_hi'])
            lrlo, lrhi = float(q['lengthrange_lo_m']), float(q['lengthrange_hi_m'])
            L0 = (lrhi - lrlo) / (hi - lo)
            L0s.append(L0)
            l0s.append(lo + (float(q['length0_m']) - lrlo) / L0)
        lopt = wavg(L0s, F)
        lnorm0 = wavg(l0s, F)
        if muscle == 'psoas':
            pts = pts + [('femur', x, y) for _, x, y in psoas_femur]
            lopt = psoas['lopt']
        tag = level_name(seq)
        base = f'{muscle}_{tag}'
        name = base
        i = 2
        while name in used:
            name = f'{base}_{i}'; i += 1
        used.add(name)
        # path length at the reference pose (all frames at their MyoBack default)
        def wpt(b, x, y):
            src = {'pelvis': 'sacrum', 'thorax': 'torso'}.get(b, b)
            if b == 'femur':
                hx, hy = -0.056276, -0.07849
                return hx + x, hy + y
            a = body_angle(src)
            return world(src, math.cos(a) * x - math.sin(a) * y, math.sin(a) * x + math.cos(a) * y)
        W = [wpt(*p) for p in pts]
        segment = [math.dist(W[i], W[i + 1]) for i in range(len(W) - 1)]
        wrap = None
        if muscle == 'psoas':
            # the segment from the brim point to the femur turns over the pelvic brim
            brim = [b for b, _, _ in pts].index('pelvis')
            wrap = ('PS_at_brim', brim)
            _, wx, wy, wr, wt = WRAPS['PS_at_brim']
            segment[brim] = wrapped_length(W[brim], W[brim + 1], (wpt('pelvis', wx, wy), wr, wt))
        L = sum(segment)
        if muscle == 'psoas':
            # chosen: psoas fibres at optimal length in the reference pose (hip 0)
            lts = max(L - lopt, 0.1 * lopt)
        else:
            # MyoBack's MuJoCo length scales are fitted operating ranges, not fibre lengths, so:
            # chosen: fibres at optimal length in the reference pose, with a tendon taking 40 % of
            # the path for erector spinae fascicles reaching the thorax (their long caudal tendons,
            # Macintosh & Bogduk 1987 Spine 12:658) and 10 % for every other trunk fascicle.
            tf = 0.4 if (muscle in ('iliocostalis', 'longissimus') and 'torso' in seq) else 0.1
            lopt, lts = (1.0 - tf) * L, tf * L
        emit(f'      # {len(members)} MyoBack fascicle(s): {" ".join(r["name"] for r, _ in members)}')
        emit_fascicle(name, sum(F), lopt, lts, 0.0 if muscle != 'psoas' else math.degrees(psoas['alpha']),
                      pts, wrap)
print('\n'.join(out))
