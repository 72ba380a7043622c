"""SIAK code lists and the breakdown dimensions built on them.

Labels come from ``data/siak_code_lists.json`` (the SIAK reference lists); the
few lists SIAK aggregate tables use but the file does not carry (birth
certificate, KTP-el status, wajib KTP, "no disability") are defined here.
A :class:`Dimension` says how a breakdown is named in a spec, which person
column it reads and which categories (code, label) it has, in table order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Lower bounds of the standard five-year age groups (the last one is open: 75+).
DEFAULT_AGE_BANDS: tuple[int, ...] = tuple(range(0, 80, 5))
MAX_AGE = 120

BIRTH_CERTIFICATE = {1: "MEMILIKI AKTA", 2: "BELUM MEMILIKI AKTA"}
KTP_EL = {0: "TIDAK WAJIB KTP", 1: "BELUM REKAM", 2: "SUDAH REKAM"}
WAJIB_KTP = {1: "WAJIB KTP", 2: "BELUM WAJIB KTP"}
NO_DISABILITY = {0: "TIDAK ADA"}


@lru_cache(maxsize=1)
def siak_lists() -> dict[str, dict[int, str]]:
    """Every SIAK code list as {code: label}, keyed by the file's list name."""
    raw = json.loads((DATA_DIR / "siak_code_lists.json").read_text(encoding="utf-8"))
    return {
        name: {int(code): label for code, label in values.items()}
        for name, values in raw.items()
        if isinstance(values, dict)
    }


@dataclass(frozen=True)
class Dimension:
    name: str  # the key used in specs, e.g. "religion"
    title: str  # Indonesian name for titles and headers, e.g. "Agama"
    column: str  # the person column it reads (derived dimensions read this one too)
    codes: dict[int, str]  # code -> label, in table order
    derived: bool = False  # computed from other columns (age group, wajib KTP)

    def categories(self) -> list[tuple[int, str]]:
        return list(self.codes.items())


def _coded(name: str, title: str, column: str, list_name: str) -> Dimension:
    return Dimension(name, title, column, siak_lists()[list_name])


@lru_cache(maxsize=1)
def dimensions() -> dict[str, Dimension]:
    """All breakdown dimensions by spec name, in the order they are offered."""
    dims = [
        _coded("sex", "Jenis Kelamin", "jenis_kelamin", "jenis_kelamin"),
        Dimension("age_group", "Kelompok Umur", "umur", age_band_codes(DEFAULT_AGE_BANDS), True),
        _coded("religion", "Agama", "agama", "agama"),
        _coded("education", "Pendidikan", "pendidikan", "pendidikan_dalam_kk"),
        _coded("occupation", "Pekerjaan", "pekerjaan", "pekerjaan"),
        _coded("marital_status", "Status Perkawinan", "status_perkawinan", "status_perkawinan"),
        _coded("blood_type", "Golongan Darah", "golongan_darah", "golongan_darah"),
        _coded("relationship", "Hubungan dalam Keluarga", "shdk", "shdk"),
        Dimension("wajib_ktp", "Wajib KTP", "umur", WAJIB_KTP, True),
        Dimension("birth_certificate", "Akta Kelahiran", "akta_lahir", BIRTH_CERTIFICATE),
        _coded("citizenship", "Kewarganegaraan", "kewarganegaraan", "kewarganegaraan"),
        Dimension(
            "disability",
            "Penyandang Disabilitas",
            "disabilitas",
            {**NO_DISABILITY, **siak_lists()["penyandang_disabilitas"]},
        ),
        Dimension("ktp_el", "Status KTP-el", "ktp_el", KTP_EL),
    ]
    return {dim.name: dim for dim in dims}


def dimension(name: str) -> Dimension:
    return dimensions()[name]


def five_year_groups(ages: np.ndarray) -> np.ndarray:
    """Index of the standard five-year group (0 = 0-4 ... 15 = 75+) for each age."""
    return np.minimum(ages // 5, len(DEFAULT_AGE_BANDS) - 1).astype(np.int8)


def age_band_label(lower: int, upper: int | None) -> str:
    return f"{lower}+" if upper is None else f"{lower}-{upper - 1}"


def age_band_codes(bands: tuple[int, ...] | list[int]) -> dict[int, str]:
    """Band index -> label for ascending lower bounds; the last band is open-ended."""
    uppers: list[int | None] = [*bands[1:], None]
    return {
        index: age_band_label(lower, upper)
        for index, (lower, upper) in enumerate(zip(bands, uppers, strict=True))
    }


def age_dimension(bands: tuple[int, ...] | list[int]) -> Dimension:
    """The age-group dimension for custom bands (lower bounds, the first one 0)."""
    return Dimension("age_group", "Kelompok Umur", "umur", age_band_codes(bands), True)
