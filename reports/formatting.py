"""Indonesian formatting of dates, times and numbers for the office's papers.

Pure helpers, no ReportLab: ``tanggal("2026-03-12")`` gives ``"12 Maret 2026"``,
``angka(1071977)`` gives ``"1.071.977"``, ``terbilang(1)`` gives ``"satu"``.
Times are shown in Western Indonesian Time (WIB, UTC+7, no daylight saving).
"""

from __future__ import annotations

from datetime import date, datetime

from engine.clock import office_time

PLACE = "Banjarnegara"
DASH = "-"

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_UNITS = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def as_date(value: date | datetime | str | None) -> date | None:
    """A date from a date, a datetime (shown in WIB) or ISO text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return as_wib(value).date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) > 10:
        return as_wib(datetime.fromisoformat(text.replace("Z", "+00:00"))).date()
    return date.fromisoformat(text)


def as_wib(value: datetime | str) -> datetime:
    """A moment in WIB; naive datetimes are taken as UTC (the store keeps UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return office_time(value)


def tanggal(value: date | datetime | str | None) -> str:
    """``12 Maret 2026``; ``-`` when there is no date."""
    day = as_date(value)
    if day is None:
        return DASH
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def tempat_tanggal(value: date | datetime | str | None, place: str = PLACE) -> str:
    """``Banjarnegara, 12 Maret 2026``."""
    return f"{place}, {tanggal(value)}"


def hari(value: date | datetime | str | None) -> str:
    day = as_date(value)
    return WEEKDAYS[day.weekday()] if day else DASH


def jam(value: datetime | str | None) -> str:
    """``09.15`` (WIB), the Indonesian way of writing a clock time."""
    if value in (None, ""):
        return DASH
    return as_wib(value).strftime("%H.%M")


def tanggal_jam(value: datetime | str | None) -> str:
    """``12 Maret 2026 pukul 09.15 WIB``."""
    if value in (None, ""):
        return DASH
    moment = as_wib(value)
    return f"{tanggal(moment)} pukul {jam(moment)} WIB"


def tanggal_jam_singkat(value: datetime | str | None) -> str:
    """``12/03/2026 09.15`` for dense tables."""
    if value in (None, ""):
        return DASH
    moment = as_wib(value)
    return moment.strftime("%d/%m/%Y ") + jam(moment)


def angka(value: int | float | None, decimals: int = 0) -> str:
    """``1.071.977``; ``12,5`` with decimals; empty text for None."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def terbilang(number: int) -> str:
    """The number in Indonesian words (``125`` -> ``seratus dua puluh lima``)."""
    if number < 0:
        return "minus " + terbilang(-number)
    if number < 12:
        return _UNITS[number] if number else "nol"
    if number < 20:
        return f"{_UNITS[number - 10]} belas"
    if number < 100:
        return _join(f"{_UNITS[number // 10]} puluh", number % 10)
    if number < 200:
        return _join("seratus", number - 100)
    if number < 1000:
        return _join(f"{_UNITS[number // 100]} ratus", number % 100)
    if number < 2000:
        return _join("seribu", number - 1000)
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if number >= size:
            return _join(f"{terbilang(number // size)} {word}", number % size)
    raise AssertionError("unreachable")


def _join(head: str, rest: int) -> str:
    return f"{head} {terbilang(rest)}" if rest else head


def jumlah_terbilang(number: int, unit: str) -> str:
    """``1 (satu) berkas``: the way letters state a count."""
    return f"{number} ({terbilang(number)}) {unit}"


def menit(value: float | int | None) -> str:
    if value is None:
        return DASH
    return f"{angka(value, 0 if float(value).is_integer() else 1)} menit"


def label(value: str | None) -> str:
    """``sangat_segera`` -> ``Sangat Segera`` (enum codes in task data)."""
    if not value:
        return DASH
    return " ".join(part.capitalize() for part in str(value).replace("_", " ").split())
