"""Village of each family and the SIAK attributes of each person.

Religion is drawn per family; education conditional on age, sex and whether
the village is a kelurahan; occupation on age, sex, education and village
type (many farmers, fewer in kelurahan); the rest on age alone.
"""

from __future__ import annotations

import numpy as np

from . import profiles
from .households import Households
from .population import People
from .regions import kecamatans, villages
from .sampling import band_index, draw_by_group, draw_codes, normalised

KTP_AGE = 17


def assign_villages(rng: np.random.Generator, people: People, households: Households) -> np.ndarray:
    """Village index (into ``regions.villages()``) per family: noisy shares, kelurahan larger."""
    all_villages = villages()
    family_kecamatan = people.kecamatan[households.head]
    family_village = np.zeros(households.count, dtype=np.int16)
    for kec_index, kecamatan in enumerate(kecamatans()):
        members = np.flatnonzero(family_kecamatan == kec_index)
        own = [i for i, v in enumerate(all_villages) if v.parent == kecamatan.code]
        weights = rng.lognormal(0.0, profiles.VILLAGE_NOISE_SIGMA, len(own))
        weights *= [profiles.KELURAHAN_WEIGHT if all_villages[i].is_kelurahan else 1.0 for i in own]
        family_village[members] = rng.choice(
            np.array(own, dtype=np.int16), size=len(members), p=normalised(weights)
        )
    return family_village


def urban_flags(village: np.ndarray) -> np.ndarray:
    is_kelurahan = np.array([v.is_kelurahan for v in villages()])
    return is_kelurahan[village].astype(np.int8)


def draw_religion(rng: np.random.Generator, family_urban: np.ndarray) -> np.ndarray:
    """Religion per family (members share it)."""
    rural = dict(enumerate(profiles.RELIGION, start=1))
    urban = {
        code: share * (profiles.URBAN_MINORITY_FACTOR if code > 1 else 1.0)
        for code, share in rural.items()
    }
    return draw_by_group(rng, family_urban.astype(np.int64), {0: rural, 1: urban})


def _urban_education(weights: dict[int, float]) -> dict[int, float]:
    return {code: w * profiles.URBAN_EDUCATION_FACTOR.get(code, 1.0) for code, w in weights.items()}


def draw_education(
    rng: np.random.Generator, sex: np.ndarray, age: np.ndarray, urban: np.ndarray
) -> np.ndarray:
    child_stage = band_index(age, [start for start, _ in profiles.CHILD_EDUCATION])
    adult_stage = len(profiles.CHILD_EDUCATION) + band_index(age, profiles.ADULT_EDUCATION_AGES)
    stage = np.where(age >= profiles.ADULT_EDUCATION_AGES[0], adult_stage, child_stage)
    groups = stage.astype(np.int64) * 4 + (sex - 1) * 2 + urban
    tables: dict[int, dict[int, float]] = {}
    for stage_index, (_, shares) in enumerate(profiles.CHILD_EDUCATION):
        for sex_code in (1, 2):
            base = stage_index * 4 + (sex_code - 1) * 2
            tables[base], tables[base + 1] = shares, shares
    for band, _ in enumerate(profiles.ADULT_EDUCATION_AGES):
        for sex_code in (1, 2):
            shares = dict(enumerate(profiles.ADULT_EDUCATION[sex_code][band], start=1))
            base = (len(profiles.CHILD_EDUCATION) + band) * 4 + (sex_code - 1) * 2
            tables[base], tables[base + 1] = shares, _urban_education(shares)
    return draw_by_group(rng, groups, tables)


def _urban_work(weights: dict[int, float]) -> dict[int, float]:
    factors = {
        code: profiles.URBAN_FARM_FACTOR for code in profiles.FARM_WORK
    } | profiles.URBAN_NON_FARM
    return {code: w * factors.get(code, 1.0) for code, w in weights.items()}


def _occupation_group(sex: np.ndarray, age: np.ndarray, education: np.ndarray) -> np.ndarray:
    """Index into OCCUPATION_GROUPS for each person."""
    higher = education >= profiles.HIGHER_EDUCATION
    adult = np.where(higher, np.where(sex == 1, 4, 5), np.where(sex == 1, 2, 3))
    old = np.where(higher, 8, np.where(sex == 1, 6, 7))
    return np.select([age < 16, age < 19, age < 60], [0, 1, adult], default=old)


OCCUPATION_GROUPS = [
    "child",
    "teen",
    "adult_1",
    "adult_2",
    "higher_1",
    "higher_2",
    "old_1",
    "old_2",
    "retired",
]


def draw_occupation(
    rng, people: People, education: np.ndarray, urban: np.ndarray, religion: np.ndarray
) -> np.ndarray:
    sex, age = people.sex, people.age
    groups = _occupation_group(sex, age, education).astype(np.int64) * 2 + urban
    tables = {}
    for index, name in enumerate(OCCUPATION_GROUPS):
        tables[index * 2] = profiles.OCCUPATION[name]
        tables[index * 2 + 1] = _urban_work(profiles.OCCUPATION[name])
    occupation = draw_by_group(rng, groups, tables)
    students = (
        (age >= 19)
        & (age < 25)
        & (education >= 5)
        & (rng.random(len(age)) < profiles.STUDENT_SHARE_19_24)
    )
    occupation[students] = 3
    occupation[(sex == 2) & (age < 19) & (age >= 15) & (people.marital != 1)] = 2
    occupation[age < 5] = 1
    occupation[(religion != 1) & np.isin(occupation, profiles.MUSLIM_CLERGY)] = 89
    return occupation


def draw_disability(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    starts, rates = zip(*profiles.DISABILITY_BY_AGE, strict=True)
    has = rng.random(len(age)) < np.asarray(rates)[band_index(age, starts)]
    disability = np.zeros(len(age), dtype=np.int8)
    disability[has] = draw_codes(
        rng, dict(enumerate(profiles.DISABILITY_TYPES, start=1)), int(has.sum())
    )
    return disability


def draw_birth_certificate(
    rng: np.random.Generator, age: np.ndarray, urban: np.ndarray
) -> np.ndarray:
    starts, shares = zip(*profiles.BIRTH_CERTIFICATE_BY_AGE, strict=True)
    owns = np.asarray(shares)[band_index(age, starts)]
    owns = np.where(urban == 1, 1 - (1 - owns) * profiles.URBAN_CERTIFICATE_GAP, owns)
    return np.where(rng.random(len(age)) < owns, 1, 2).astype(np.int8)


def draw_ktp_el(rng: np.random.Generator, age: np.ndarray, marital: np.ndarray) -> np.ndarray:
    """0 not obliged; 1 not yet recorded; 2 recorded (obliged: 17+ or ever married)."""
    obliged = (age >= KTP_AGE) | (marital != 1)
    recorded_share = np.where(age <= KTP_AGE, profiles.KTP_RECORDED_AGE_17, profiles.KTP_RECORDED)
    recorded = rng.random(len(age)) < recorded_share
    return np.where(obliged, np.where(recorded, 2, 1), 0).astype(np.int8)


def draw_attributes(
    rng: np.random.Generator, people: People, households: Households, family_village: np.ndarray
) -> dict[str, np.ndarray]:
    """Every SIAK attribute per person, keyed by warehouse column name."""
    urban = urban_flags(family_village)[households.household]
    religion = draw_religion(rng, urban_flags(family_village))[households.household]
    education = draw_education(rng, people.sex, people.age, urban)
    size = len(people)
    return {
        "agama": religion.astype(np.int8),
        "pendidikan": education.astype(np.int8),
        "pekerjaan": draw_occupation(rng, people, education, urban, religion).astype(np.int8),
        "golongan_darah": draw_codes(
            rng, dict(enumerate(profiles.BLOOD_TYPE, start=1)), size
        ).astype(np.int8),
        "kewarganegaraan": np.where(rng.random(size) < profiles.FOREIGN_SHARE, 2, 1).astype(
            np.int8
        ),
        "disabilitas": draw_disability(rng, people.age),
        "akta_lahir": draw_birth_certificate(rng, people.age, urban),
        "ktp_el": draw_ktp_el(rng, people.age, people.marital),
    }
