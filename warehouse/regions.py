"""The regency's regions (``data/wilayah_banjarnegara.csv``) and population totals.

Codes follow Kepmendagri: ``33.04`` (kabupaten), ``33.04.KK`` (kecamatan),
``33.04.KK.VDDD`` (desa when V is 2, kelurahan when V is 1).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .codes import DATA_DIR

KABUPATEN_CODE = "33.04"


@dataclass(frozen=True)
class Region:
    code: str
    level: str  # "kabupaten" | "kecamatan" | "desa"
    name: str
    parent: str | None  # the kecamatan of a desa, the kabupaten of a kecamatan
    kind: str = ""  # "desa" | "kelurahan" for villages

    @property
    def display_name(self) -> str:
        if self.level == "kecamatan":
            return f"Kecamatan {self.name}"
        if self.level == "desa":
            return f"{'Kelurahan' if self.kind == 'kelurahan' else 'Desa'} {self.name}"
        return self.name

    @property
    def is_kelurahan(self) -> bool:
        return self.kind == "kelurahan"


@dataclass(frozen=True)
class KecamatanPopulation:
    code: str
    name: str
    male: int
    female: int

    @property
    def total(self) -> int:
        return self.male + self.female


def _level(raw: str) -> str:
    return "desa" if raw == "desa_kelurahan" else raw


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Every region by code, in file order (kabupaten, then kecamatan with their villages)."""
    with open(DATA_DIR / "wilayah_banjarnegara.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    result: dict[str, Region] = {}
    for row in rows:
        level = _level(row["tingkat"])
        parent = row["kode_kecamatan"] or (KABUPATEN_CODE if level == "kecamatan" else None)
        result[row["kode"]] = Region(row["kode"], level, row["nama"], parent, row["jenis"])
    return result


def region(code: str) -> Region | None:
    return regions().get(code)


def kecamatans() -> list[Region]:
    return sorted((r for r in regions().values() if r.level == "kecamatan"), key=lambda r: r.code)


def villages(kecamatan_code: str | None = None) -> list[Region]:
    """Desa and kelurahan, sorted by code; only those of one kecamatan when given."""
    found = (
        r
        for r in regions().values()
        if r.level == "desa" and (kecamatan_code is None or r.parent == kecamatan_code)
    )
    return sorted(found, key=lambda r: r.code)


def regions_at(level: str, scope_code: str) -> list[Region]:
    """The regions of ``level`` (kecamatan or desa) inside the scope region, by code."""
    scope = regions()[scope_code]
    if level == "kecamatan":
        if scope.level == "kabupaten":
            return kecamatans()
        return [scope] if scope.level == "kecamatan" else []
    if scope.level == "kabupaten":
        return villages()
    if scope.level == "kecamatan":
        return villages(scope.code)
    return [scope]


@lru_cache(maxsize=1)
def kecamatan_population() -> list[KecamatanPopulation]:
    """Published population by kecamatan and sex (sums to the kabupaten total)."""
    with open(DATA_DIR / "kecamatan_population.csv", encoding="utf-8", newline="") as handle:
        return [
            KecamatanPopulation(row["kode"], row["kecamatan"], int(row["male"]), int(row["female"]))
            for row in csv.DictReader(handle)
        ]
