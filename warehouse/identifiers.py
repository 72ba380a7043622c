"""Birth dates and the 16-digit numbers SIAK uses: NIK and family card (KK) number.

NIK = PP KK CC (kecamatan code, 6 digits) + DDMMYY (birth date, day + 40 for
women) + a 4-digit sequence. KK number = PP KK CC + DDMMYY (date the card was
issued) + a 4-digit sequence. Here NIK and KK numbers are int64 (16 digits fit).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .sampling import rank_within_groups

WOMEN_DAY_OFFSET = 40
MAX_SEQUENCE = 9999


def kecamatan_digits(code: str) -> int:
    """``33.04.06`` (or a village code under it) -> 330406."""
    return int(code[:8].replace(".", ""))


def birth_dates(rng: np.random.Generator, age: np.ndarray, cutoff: date) -> np.ndarray:
    """A birth date per person such that the completed age at ``cutoff`` is ``age``."""
    anniversary_year = (cutoff.year - age.astype(np.int64) - 1970).astype("datetime64[Y]")
    month_start = anniversary_year.astype("datetime64[M]") + (cutoff.month - 1)
    anniversary = month_start.astype("datetime64[D]") + (cutoff.day - 1)
    return anniversary - rng.integers(0, 365, len(age))


def ages_at(birth: np.ndarray, cutoff: date) -> np.ndarray:
    """Completed years at ``cutoff`` for datetime64[D] birth dates."""
    year, month, day = date_parts(birth)
    before_birthday = (month > cutoff.month) | ((month == cutoff.month) & (day > cutoff.day))
    return (cutoff.year - year - before_birthday).astype(np.int16)


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def ddmmyy(days: np.ndarray, day_offset: np.ndarray | int = 0) -> np.ndarray:
    year, month, day = date_parts(days)
    return (day + day_offset) * 10_000 + month * 100 + year % 100


def numbers_with_sequence(prefix6: np.ndarray, dates6: np.ndarray) -> np.ndarray:
    """16-digit numbers: prefix + date part + a sequence that is unique per (prefix, date)."""
    base = prefix6.astype(np.int64) * 10**10 + dates6.astype(np.int64) * 10**4
    sequence = rank_within_groups(base) + 1
    if len(sequence) and sequence.max() > MAX_SEQUENCE:
        raise ValueError("more than 9999 numbers share one region and date")
    return base + sequence


def make_niks(kecamatan6: np.ndarray, birth: np.ndarray, sex: np.ndarray) -> np.ndarray:
    return numbers_with_sequence(kecamatan6, ddmmyy(birth, np.where(sex == 2, WOMEN_DAY_OFFSET, 0)))


def make_kk_numbers(
    rng: np.random.Generator, kecamatan6: np.ndarray, cutoff: date, years_back: int
) -> np.ndarray:
    issued = np.datetime64(cutoff, "D") - rng.integers(0, years_back * 365, len(kecamatan6))
    return numbers_with_sequence(kecamatan6, ddmmyy(issued))


def nik_matches(nik: str, birth: date, sex: int) -> bool:
    """Whether the NIK's date part agrees with the birth date and sex."""
    day = int(nik[6:8]) - (WOMEN_DAY_OFFSET if sex == 2 else 0)
    return (day, int(nik[8:10]), int(nik[10:12])) == (birth.day, birth.month, birth.year % 100)
