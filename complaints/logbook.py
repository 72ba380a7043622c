"""Reading the complaint log book: filters, who may read it, and who may see the complainant.

The complaint desk always sees the complainant's identity (it must answer
them). Leadership (Kabid, Kepala Dinas, Sekretaris Dinas) sees it unless the
complainant asked for confidentiality; printed and exported log books follow
the same flag. The unit complained about never reads the log book.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from engine.calendar import OFFICE_TZ

from .catalog import CATEGORIES, CHANNELS, STATUSES, UNITS, WEIGHTS
from .models import Complaint

DESK_ROLES = frozenset({"petugas_pengaduan"})
LEADERSHIP_ROLES = frozenset({"kabid_piak", "kepala_dinas", "manajer"})
#: who reads the log book, the recap and the exports
LOG_READERS = DESK_ROLES | LEADERSHIP_ROLES
HIDDEN = "Dirahasiakan"
MAX_RANGE_DAYS = 3 * 366


def may_see_identity(roles: Iterable[str], complaint: Complaint) -> bool:
    held = set(roles)
    if held & DESK_ROLES:
        return True
    return bool(held & LEADERSHIP_ROLES) and not complaint.rahasia


@dataclass
class LogFilter:
    date_from: date | None = None
    date_to: date | None = None
    saluran: str | None = None
    kategori: str | None = None
    bobot: str | None = None
    status: str | None = None
    unit: str | None = None
    overdue: bool = False

    def query_args(self) -> dict[str, str]:
        """The filter as URL query arguments (for export links)."""
        args = {k: getattr(self, k) for k in ("saluran", "kategori", "bobot", "status", "unit")}
        args.update(
            dari=self.date_from.isoformat() if self.date_from else None,
            sampai=self.date_to.isoformat() if self.date_to else None,
            terlambat="1" if self.overdue else None,
        )
        return {k: v for k, v in args.items() if v}


_CHOICES = {
    "saluran": CHANNELS,
    "kategori": CATEGORIES,
    "bobot": WEIGHTS,
    "status": STATUSES,
    "unit": UNITS,
}
_CHOICE_LABELS = {
    "saluran": "saluran",
    "kategori": "kategori",
    "bobot": "bobot",
    "status": "status",
    "unit": "unit",
}


def _parse_day(raw: Any, label: str, errors: dict[str, str], key: str) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = f"Tanggal {label} tidak sah: gunakan TTTT-BB-HH, misalnya 2026-03-01."
        return None


def parse_filter(args: Mapping[str, Any]) -> tuple[LogFilter, dict[str, str]]:
    """The filter from query arguments; unknown values are dropped with a message, never an error page."""
    errors: dict[str, str] = {}
    found = LogFilter(
        date_from=_parse_day(args.get("dari"), "awal", errors, "dari"),
        date_to=_parse_day(args.get("sampai"), "akhir", errors, "sampai"),
        overdue=str(args.get("terlambat") or "") in ("1", "on", "true", "ya"),
    )
    for key, table in _CHOICES.items():
        value = str(args.get(key) or "").strip()
        if value and value not in table:
            errors[key] = f"Pilihan {_CHOICE_LABELS[key]} tidak dikenal."
        elif value:
            setattr(found, key, value)
    if found.date_from and found.date_to and found.date_from > found.date_to:
        errors["sampai"] = "Tanggal akhir sebelum tanggal awal."
        found.date_to = None
    elif (
        found.date_from
        and found.date_to
        and (found.date_to - found.date_from).days > MAX_RANGE_DAYS
    ):
        errors["sampai"] = "Rentang paling lama tiga tahun."
        found.date_to = found.date_from + timedelta(days=MAX_RANGE_DAYS)
    return found, errors


def day_start(day: date) -> datetime:
    """Midnight at the office (WIB) of ``day``."""
    return datetime.combine(day, time(0), OFFICE_TZ)


def find_complaints(session, log_filter: LogFilter, now: datetime) -> list[Complaint]:
    """The complaints received in the filter's period matching its choices, oldest first."""
    query = select(Complaint).order_by(Complaint.waktu, Complaint.id)
    if log_filter.date_from:
        query = query.where(Complaint.waktu >= day_start(log_filter.date_from))
    if log_filter.date_to:
        query = query.where(Complaint.waktu < day_start(log_filter.date_to + timedelta(days=1)))
    columns = {
        "saluran": Complaint.saluran,
        "kategori": Complaint.kategori,
        "bobot": Complaint.bobot,
        "status": Complaint.status,
        "unit": Complaint.unit_diadukan,
    }
    for key, column in columns.items():
        value = getattr(log_filter, key)
        if value:
            query = query.where(column == value)
    rows = list(session.scalars(query))
    if log_filter.overdue:
        rows = [row for row in rows if row.overdue_limits(now)]
    return rows
