"""The synthetic population of Kabupaten Banjarnegara for one DKB period.

``generate(scale, seed, period)`` returns column arrays ready for the loader:
the same seed gives the same people, families and numbers. Vectorised with
numpy; the whole regency (scale 1.0) takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import profiles
from .attributes import assign_villages, draw_attributes
from .cellkey import record_keys, synthetic_secret
from .codes import five_year_groups
from .households import build_households
from .identifiers import birth_dates, kecamatan_digits, make_kk_numbers, make_niks
from .periods import Period
from .population import draw_people
from .regions import kecamatans, villages

DEFAULT_SEED = 3304


@dataclass
class Population:
    """Column arrays for the person and family tables (NIK and KK numbers as int64)."""

    persons: dict[str, np.ndarray]
    families: dict[str, np.ndarray]
    meta: dict = field(default_factory=dict)

    @property
    def person_count(self) -> int:
        return len(self.persons["nik"])

    @property
    def family_count(self) -> int:
        return len(self.families["no_kk"])


def _region_code_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(village codes, each village's kecamatan code, each village's 6-digit kecamatan number)."""
    all_villages = villages()
    codes = np.array([v.code for v in all_villages])
    parents = np.array([v.parent for v in all_villages])
    digits = np.array([kecamatan_digits(v.code) for v in all_villages], dtype=np.int64)
    return codes, parents, digits


GENERATE_STEPS = 5


def _no_progress(_label: str) -> None:
    pass


def generate(
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    period: str = "2026-1",
    on_step: Callable[[str], None] = _no_progress,
) -> Population:
    """The population at ``scale`` (1.0 = the published 1,071,977); ``on_step`` after each of 5 steps."""
    cutoff = Period.parse(period).cutoff
    rng = np.random.default_rng(seed)
    people = draw_people(rng, scale)
    on_step("penduduk")
    households = build_households(rng, people)
    on_step("keluarga")
    family_village = assign_villages(rng, people, households)
    village = family_village[households.household]
    on_step("desa")
    attributes = draw_attributes(rng, people, households, family_village)
    on_step("atribut")
    village_codes, village_parents, village_digits = _region_code_arrays()
    birth = birth_dates(rng, people.age, cutoff)
    nik = make_niks(village_digits[village], birth, people.sex)
    kk_number = make_kk_numbers(
        rng, village_digits[family_village], cutoff, profiles.KK_ISSUE_YEARS
    )
    persons = {
        "nik": nik,
        "no_kk": kk_number[households.household],
        "kode_desa": village_codes[village],
        "kode_kecamatan": village_parents[village],
        "jenis_kelamin": people.sex,
        "tanggal_lahir": birth,
        "umur": people.age,
        "kelompok_umur": five_year_groups(people.age),
        **attributes,
        "status_perkawinan": people.marital,
        "shdk": households.relationship,
        "kunci_sel": record_keys(nik, synthetic_secret(seed)),
    }
    families = {
        "no_kk": kk_number,
        "kode_desa": village_codes[family_village],
        "kode_kecamatan": village_parents[family_village],
        "nik_kepala": nik[households.head],
        "jumlah_anggota": np.bincount(households.household, minlength=households.count).astype(
            np.int32
        ),
    }
    on_step("nomor")
    by_village_and_card = np.lexsort((households.household, village))  # SIAK order: desa, then KK
    persons = {name: values[by_village_and_card] for name, values in persons.items()}
    families = {
        name: values[np.argsort(family_village, kind="stable")] for name, values in families.items()
    }
    meta = {"scale": scale, "seed": seed, "kecamatan": len(kecamatans())}
    return Population(persons, families, meta)
