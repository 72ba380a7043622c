"""The monthly recap of complaints received: counts, weights, and how many were handled in time.

"In time" follows the SP4N-LAPOR! limits: verified and forwarded (or answered,
when incomplete or not the office's authority) within 3 working days of
receipt; first follow-up within 5 working days of forwarding; a response
within 60 days of receipt. A limit counts only for complaints that reached
that step; those still waiting are reported separately as open and late.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from .catalog import CATEGORIES, CHANNELS, MONTHS, N_, SATISFACTION, STATUSES, UNITS, WEIGHTS
from .logbook import LogFilter, find_complaints
from .models import Complaint


@dataclass
class Share:
    """Of ``counted`` complaints that reached a step, ``in_time`` did so within its limit."""

    counted: int = 0
    in_time: int = 0

    def add(self, on_time: bool) -> None:
        self.counted += 1
        self.in_time += int(on_time)

    @property
    def percent(self) -> float | None:
        return round(100 * self.in_time / self.counted, 1) if self.counted else None


@dataclass
class Tally:
    code: str
    label: str
    count: int


@dataclass
class MonthlyRecap:
    year: int
    month: int
    total: int = 0
    by_channel: list[Tally] = field(default_factory=list)
    by_category: list[Tally] = field(default_factory=list)
    by_unit: list[Tally] = field(default_factory=list)
    by_weight: list[Tally] = field(default_factory=list)
    by_status: list[Tally] = field(default_factory=list)
    by_satisfaction: list[Tally] = field(default_factory=list)
    verified_in_time: Share = field(default_factory=Share)
    followed_up_in_time: Share = field(default_factory=Share)
    resolved_in_time: Share = field(default_factory=Share)
    open_count: int = 0
    late_now: int = 0

    @property
    def title(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def _tallies(counts: Counter, table: dict[str, str], unset_label: str | None = None) -> list[Tally]:
    rows = [Tally(code, label, counts[code]) for code, label in table.items() if counts[code]]
    if unset_label and counts[None]:
        rows.append(Tally("", unset_label, counts[None]))
    return rows


def _first_step_done(complaint: Complaint) -> datetime | None:
    """Forwarded to the unit, or answered without follow-up."""
    return complaint.pemberitahuan_unit or (complaint.ditanggapi_pada if complaint.closed else None)


def _count_limits(recap: MonthlyRecap, complaint: Complaint) -> None:
    first = _first_step_done(complaint)
    if first is not None:
        recap.verified_in_time.add(first <= complaint.batas_verifikasi)
    if complaint.tindak_lanjut_pertama is not None and complaint.batas_tindak_lanjut is not None:
        recap.followed_up_in_time.add(
            complaint.tindak_lanjut_pertama <= complaint.batas_tindak_lanjut
        )
    if complaint.ditanggapi_pada is not None:
        limit = (
            complaint.batas_verifikasi
            if complaint.pemberitahuan_unit is None
            else complaint.batas_penyelesaian
        )
        recap.resolved_in_time.add(complaint.ditanggapi_pada <= limit)


def monthly_recap(session, year: int, month: int, now: datetime) -> MonthlyRecap:
    first, last = month_bounds(year, month)
    complaints = find_complaints(session, LogFilter(date_from=first, date_to=last), now)
    recap = MonthlyRecap(year, month, total=len(complaints))
    recap.by_channel = _tallies(Counter(c.saluran for c in complaints), CHANNELS)
    recap.by_category = _tallies(
        Counter(c.kategori for c in complaints), CATEGORIES, N_("Belum dikategorikan")
    )
    recap.by_unit = _tallies(
        Counter(c.unit_diadukan for c in complaints), UNITS, N_("Belum ditentukan")
    )
    recap.by_weight = _tallies(
        Counter(c.bobot for c in complaints), WEIGHTS, N_("Belum ditetapkan")
    )
    recap.by_status = _tallies(Counter(c.status for c in complaints), STATUSES)
    recap.by_satisfaction = _tallies(
        Counter(c.kepuasan for c in complaints if c.status == "selesai"),
        SATISFACTION,
        N_("Tidak menjawab"),
    )
    for complaint in complaints:
        _count_limits(recap, complaint)
    recap.open_count = sum(1 for c in complaints if not c.closed)
    recap.late_now = sum(1 for c in complaints if c.overdue_limits(now))
    return recap
