"""Demographic profiles for the synthetic population (rough Central Java shapes).

These are data, not code: shares by age and sex that the generator samples
from. Age pyramid after SP2020 Central Java; marriage, education and work
patterns of a rural, farming regency (Banjarnegara), with kelurahan (urban)
villages shifted towards schooling and non-farm work.
"""

from __future__ import annotations

# Share of the population per five-year age group (0-4 ... 70-74, 75+), per sex.
_PYRAMID = [7.4, 7.7, 7.9, 7.9, 7.9, 7.5, 7.2, 7.3, 7.3, 7.0, 6.5, 5.6, 4.6, 3.4, 2.2, 2.7]
_OLD_AGE_WEIGHT = {1: 0.9, 2: 1.12}  # women outlive men: more of them from 60 on
AGE_PYRAMID = {
    sex: [
        share * (_OLD_AGE_WEIGHT[sex] if band >= 12 else 1.0) for band, share in enumerate(_PYRAMID)
    ]
    for sex in (1, 2)
}
OLDEST_AGE = 100
OPEN_BAND_DECAY = 0.85  # yearly survival shape inside 75+

# Marital status [belum kawin, kawin, cerai hidup, cerai mati] per five-year band (from 15-19).
MARITAL_BY_BAND = {
    1: [
        [0.98, 0.02, 0.0, 0.0],
        [0.74, 0.25, 0.01, 0.0],
        [0.32, 0.66, 0.02, 0.0],
        [0.12, 0.85, 0.025, 0.005],
        [0.06, 0.91, 0.025, 0.005],
        [0.04, 0.93, 0.02, 0.01],
        [0.03, 0.93, 0.02, 0.02],
        [0.02, 0.93, 0.02, 0.03],
        [0.02, 0.92, 0.02, 0.04],
        [0.01, 0.90, 0.02, 0.07],
        [0.01, 0.85, 0.02, 0.12],
        [0.01, 0.78, 0.02, 0.19],
        [0.01, 0.65, 0.02, 0.32],
    ],
    2: [
        [0.88, 0.115, 0.005, 0.0],
        [0.45, 0.53, 0.02, 0.0],
        [0.14, 0.82, 0.03, 0.01],
        [0.05, 0.90, 0.035, 0.015],
        [0.03, 0.91, 0.035, 0.025],
        [0.02, 0.90, 0.035, 0.045],
        [0.02, 0.87, 0.035, 0.075],
        [0.02, 0.82, 0.035, 0.125],
        [0.01, 0.75, 0.03, 0.21],
        [0.01, 0.64, 0.03, 0.32],
        [0.01, 0.52, 0.03, 0.44],
        [0.01, 0.40, 0.02, 0.57],
        [0.01, 0.25, 0.02, 0.72],
    ],
}

# Religion of a household (SIAK codes 1..7), village and kelurahan.
RELIGION = [0.9925, 0.0035, 0.0022, 0.0002, 0.0008, 0.0001, 0.0007]
URBAN_MINORITY_FACTOR = 4.0

# Education (pendidikan dalam KK, codes 1..10) for adults, by age from the lower bound on.
ADULT_EDUCATION_AGES = [19, 25, 35, 45, 55, 65]
ADULT_EDUCATION = {
    1: [
        [0.01, 0.03, 0.22, 0.30, 0.38, 0.01, 0.02, 0.03, 0.0, 0.0],
        [0.01, 0.04, 0.33, 0.27, 0.27, 0.01, 0.02, 0.05, 0.003, 0.0],
        [0.02, 0.06, 0.42, 0.23, 0.20, 0.01, 0.02, 0.04, 0.004, 0.0003],
        [0.03, 0.10, 0.50, 0.16, 0.14, 0.01, 0.02, 0.04, 0.004, 0.0003],
        [0.06, 0.18, 0.52, 0.10, 0.09, 0.005, 0.01, 0.03, 0.003, 0.0002],
        [0.15, 0.30, 0.43, 0.05, 0.05, 0.003, 0.005, 0.012, 0.001, 0.0001],
    ],
    2: [
        [0.01, 0.03, 0.20, 0.31, 0.37, 0.01, 0.03, 0.04, 0.0, 0.0],
        [0.01, 0.04, 0.34, 0.28, 0.24, 0.01, 0.025, 0.055, 0.002, 0.0],
        [0.03, 0.08, 0.45, 0.22, 0.16, 0.01, 0.02, 0.035, 0.002, 0.0001],
        [0.06, 0.14, 0.52, 0.13, 0.10, 0.01, 0.01, 0.03, 0.002, 0.0001],
        [0.12, 0.25, 0.48, 0.07, 0.05, 0.005, 0.005, 0.015, 0.001, 0.0],
        [0.30, 0.33, 0.31, 0.03, 0.02, 0.002, 0.003, 0.006, 0.0005, 0.0],
    ],
}
# Children by age: {code: share} (7-12 at primary school, 13-15 finished SD, ...).
CHILD_EDUCATION = [
    (0, {1: 1.0}),
    (5, {1: 0.6, 2: 0.4}),
    (7, {1: 0.02, 2: 0.98}),
    (13, {2: 0.1, 3: 0.9}),
    (16, {2: 0.03, 3: 0.22, 4: 0.75}),
]
URBAN_EDUCATION_FACTOR = {1: 0.6, 2: 0.6, 5: 2.2, 6: 2.2, 7: 2.2, 8: 2.2, 9: 2.2, 10: 2.2}
HIGHER_EDUCATION = 6  # diploma and above: professional occupations become possible

# Occupation (SIAK pekerjaan codes) as {code: weight}, by group.
OCCUPATION = {
    "child": {3: 0.98, 1: 0.02},
    "teen": {3: 0.80, 1: 0.08, 9: 0.03, 19: 0.03, 15: 0.04, 88: 0.02},
    "adult_1": {
        9: 0.30,
        20: 0.08,
        19: 0.11,
        88: 0.12,
        15: 0.12,
        8: 0.04,
        84: 0.03,
        1: 0.05,
        81: 0.02,
        26: 0.02,
        27: 0.01,
        10: 0.01,
        12: 0.005,
        13: 0.005,
        14: 0.005,
        35: 0.005,
        29: 0.002,
        24: 0.001,
        25: 0.002,
        85: 0.005,
        86: 0.0005,
        45: 0.002,
        41: 0.001,
        18: 0.005,
        89: 0.01,
        11: 0.003,
        22: 0.002,
        16: 0.002,
        17: 0.001,
        36: 0.001,
        44: 0.0002,
        46: 0.001,
        2: 0.005,
        79: 0.0005,
        6: 0.002,
        7: 0.002,
        28: 0.0003,
        31: 0.0002,
        21: 0.0005,
    },
    "adult_2": {
        2: 0.36,
        9: 0.16,
        20: 0.06,
        88: 0.08,
        15: 0.09,
        84: 0.05,
        8: 0.03,
        1: 0.07,
        19: 0.04,
        30: 0.01,
        23: 0.01,
        32: 0.002,
        34: 0.001,
        33: 0.0005,
        46: 0.002,
        12: 0.005,
        18: 0.005,
        89: 0.01,
        85: 0.002,
        38: 0.0005,
        37: 0.0002,
        39: 0.0002,
    },
    "higher_1": {
        5: 0.14,
        65: 0.12,
        15: 0.20,
        88: 0.14,
        18: 0.06,
        1: 0.05,
        16: 0.03,
        17: 0.01,
        6: 0.02,
        7: 0.03,
        74: 0.02,
        72: 0.01,
        64: 0.005,
        67: 0.003,
        68: 0.002,
        69: 0.003,
        70: 0.005,
        71: 0.005,
        80: 0.002,
        75: 0.003,
        76: 0.001,
        9: 0.05,
        8: 0.03,
        85: 0.02,
        86: 0.003,
        44: 0.002,
        77: 0.0005,
        78: 0.001,
        66: 0.0003,
        82: 0.0003,
        40: 0.0005,
        63: 0.0015,
    },
    "higher_2": {
        65: 0.22,
        5: 0.12,
        73: 0.07,
        74: 0.06,
        15: 0.15,
        88: 0.07,
        2: 0.12,
        18: 0.06,
        1: 0.05,
        75: 0.01,
        72: 0.01,
        64: 0.005,
        70: 0.005,
        16: 0.01,
        17: 0.005,
        76: 0.001,
        63: 0.0005,
    },
    "old_1": {
        9: 0.42,
        1: 0.22,
        20: 0.08,
        4: 0.05,
        88: 0.07,
        84: 0.04,
        19: 0.04,
        10: 0.02,
        27: 0.01,
        26: 0.01,
        89: 0.02,
        45: 0.003,
        41: 0.003,
        37: 0.001,
        83: 0.0005,
        2: 0.01,
    },
    "old_2": {
        2: 0.30,
        1: 0.22,
        9: 0.25,
        20: 0.06,
        84: 0.06,
        4: 0.02,
        88: 0.04,
        38: 0.002,
        89: 0.02,
        30: 0.005,
    },
    "retired": {4: 0.45, 1: 0.25, 88: 0.10, 9: 0.10, 84: 0.05, 89: 0.05},
}
FARM_WORK = (9, 10, 20, 22)
URBAN_FARM_FACTOR = 0.3
URBAN_NON_FARM = {8: 1.8, 15: 1.8, 84: 1.8, 88: 1.8}
STUDENT_SHARE_19_24 = 0.3  # of those with SLTA or more
MUSLIM_CLERGY = (41, 45)  # imam masjid, ustadz: only for Muslims

# Blood type (codes 1..13): most records say TIDAK TAHU.
BLOOD_TYPE = [
    0.08,
    0.09,
    0.025,
    0.13,
    0.015,
    0.0005,
    0.02,
    0.0005,
    0.005,
    0.0002,
    0.025,
    0.0005,
    0.6,
]

# Disability prevalence by age (from the lower bound on) and the type shares (codes 1..6).
DISABILITY_BY_AGE = [(0, 0.003), (15, 0.006), (60, 0.02), (75, 0.05)]
DISABILITY_TYPES = [0.40, 0.15, 0.15, 0.15, 0.08, 0.07]

# Birth certificate ownership by age (from the lower bound on); urban gaps shrink by 40%.
BIRTH_CERTIFICATE_BY_AGE = [(0, 0.90), (1, 0.96), (18, 0.85), (30, 0.55), (45, 0.35), (60, 0.2)]
URBAN_CERTIFICATE_GAP = 0.6

KTP_RECORDED = 0.97  # of those obliged to hold a KTP-el
KTP_RECORDED_AGE_17 = 0.90
FOREIGN_SHARE = 3e-5  # WNA

# Households.
PARENT_AGE_GAP = (27.0, 5.5)  # mother's age minus child's age: mean, sd
PARENT_AGE_RANGE = (16, 48)
GRANDPARENT_AGE_GAP = (50.0, 7.0)
ELDER_MOVES_IN = 0.5  # widowed/divorced persons 65+ living in a child's family card
ELDER_AGE = 65
ELDER_CHILD_GAP = (30.0, 5.0)
ELDER_IS_PARENT = 0.55  # ORANGTUA (else MERTUA)
YOUNG_COUPLE_AGE = 30  # couples with a head under this age may live with the wife's parents
YOUNG_COUPLE_STAYS = 0.12
VILLAGE_NOISE_SIGMA = 0.35
KELURAHAN_WEIGHT = 1.8
KK_ISSUE_YEARS = 15
