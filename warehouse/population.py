"""Who lives in each kecamatan: sex, age and marital status, calibrated to the totals.

At scale 1.0 the kecamatan x sex counts equal ``kecamatan_population.csv``
exactly; at other scales they are the scaled figures rounded by largest
remainder so that the regency total is the scaled total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import profiles
from .regions import kecamatan_population
from .sampling import band_index, normalised

MARRIAGE_AGE = 15


@dataclass
class People:
    """Core person attributes, one array element per person (kecamatan is an index)."""

    kecamatan: np.ndarray  # int16 index into regions.kecamatans()
    sex: np.ndarray  # int8: 1 male, 2 female
    age: np.ndarray  # int16: completed years at the period's cut-off
    marital: np.ndarray  # int8: 1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati

    def __len__(self) -> int:
        return len(self.sex)


def scaled_counts(scale: float) -> np.ndarray:
    """Persons per (kecamatan, sex) at ``scale``: shape (kecamatan, 2), sums to the scaled total."""
    published = np.array([[k.male, k.female] for k in kecamatan_population()], dtype=np.int64)
    target = published * scale
    counts = np.floor(target).astype(np.int64)
    missing = int(round(published.sum() * scale)) - int(counts.sum())
    if missing > 0:
        remainders = (target - counts).ravel()
        largest = np.argsort(-remainders, kind="stable")[:missing]
        counts.ravel()[largest] += 1
    return counts


def single_year_shares(sex: int) -> np.ndarray:
    """Probability of each age 0..OLDEST_AGE for one sex, from the five-year pyramid."""
    shares = np.zeros(profiles.OLDEST_AGE + 1)
    pyramid = profiles.AGE_PYRAMID[sex]
    for band, share in enumerate(pyramid[:-1]):
        shares[band * 5 : band * 5 + 5] = share / 5
    open_start = 5 * (len(pyramid) - 1)
    decay = profiles.OPEN_BAND_DECAY ** np.arange(profiles.OLDEST_AGE + 1 - open_start)
    shares[open_start:] = pyramid[-1] * decay / decay.sum()
    return normalised(shares)


def draw_people(rng: np.random.Generator, scale: float) -> People:
    counts = scaled_counts(scale)
    kecamatan_parts, sex_parts, age_parts = [], [], []
    for kec_index, row in enumerate(counts):
        for sex, count in zip((1, 2), row, strict=True):
            kecamatan_parts.append(np.full(count, kec_index, dtype=np.int16))
            sex_parts.append(np.full(count, sex, dtype=np.int8))
            age_parts.append(
                rng.choice(profiles.OLDEST_AGE + 1, size=count, p=single_year_shares(sex))
            )
    sex = np.concatenate(sex_parts)
    age = np.concatenate(age_parts).astype(np.int16)
    return People(np.concatenate(kecamatan_parts), sex, age, draw_marital(rng, sex, age))


def draw_marital(rng: np.random.Generator, sex: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Marital status conditional on sex and five-year age band (all single below 15)."""
    marital = np.ones(len(sex), dtype=np.int8)
    bands = np.minimum(band_index(age, range(MARRIAGE_AGE, 80, 5)), 12)
    draws = rng.random(len(sex))
    for sex_code, table in profiles.MARITAL_BY_BAND.items():
        cumulative = np.cumsum(np.asarray(table), axis=1)
        cumulative /= cumulative[:, -1:]
        adults = np.flatnonzero((sex == sex_code) & (age >= MARRIAGE_AGE))
        thresholds = cumulative[bands[adults]]
        marital[adults] = 1 + (draws[adults, None] > thresholds[:, :-1]).sum(axis=1)
    return marital
