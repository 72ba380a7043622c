"""The buku agenda surat masuk on screen: the registered letters of the data SOP, searched and
filtered by month and status, as rows for the page and the CSV export.

The rows come from ``BpmnEngine.search_instances`` over ``permohonan_data_agregat``; the
letter's columns are the instance's summary (``summary_fields`` of the diagram). Instances
started before the dates and the sifat were summary columns read their data once instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from engine.instance_search import STATUSES, InstanceFilters
from webkit.downloads import csv_text

from .letter_intake import PROCESS
from .queryargs import parse_int

LETTER_KEYS = (
    "nomor_agenda",
    "tanggal_diterima",
    "nomor_surat",
    "tanggal_surat",
    "instansi_pengirim",
    "perihal",
    "sifat",
)
CSV_LIMIT_PAGES = 200  # 10,000 letters: far beyond a year of the office's register


@dataclass
class AgendaFilters:
    search: str = ""
    month: tuple[int, int] | None = None
    status: str | None = None
    page: int = 1

    def active(self) -> bool:
        return bool(self.search or self.month or self.status)

    @property
    def month_value(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}" if self.month else ""

    def query_args(self) -> dict[str, str]:
        args = {"q": self.search, "bulan": self.month_value, "status": self.status or ""}
        return {key: value for key, value in args.items() if value}


@dataclass
class AgendaRow:
    instance_id: int
    status: str
    tracking_code: str
    letter: dict[str, Any]


@dataclass
class AgendaPage:
    rows: list[AgendaRow]
    total: int
    page: int
    pages: int


def parse_month(text: str | None) -> tuple[int, int] | None:
    try:
        chosen = datetime.strptime((text or "").strip(), "%Y-%m")
    except ValueError:
        return None
    return (chosen.year, chosen.month) if 2000 <= chosen.year <= 2100 else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def agenda_filters(args) -> AgendaFilters:
    status = args.get("status")
    return AgendaFilters(
        search=(args.get("q") or "").strip()[:100],
        month=parse_month(args.get("bulan")),
        status=status if status in STATUSES else None,
        page=max(parse_int(args.get("halaman"), 1), 1),
    )


def _instance_filters(filters: AgendaFilters) -> InstanceFilters:
    bounds = month_bounds(*filters.month) if filters.month else (None, None)
    return InstanceFilters(
        process=PROCESS,
        status=filters.status,
        search=filters.search,
        started_from=bounds[0],
        started_to=bounds[1],
        page=filters.page,
    )


def _row(engine, found) -> AgendaRow:
    summary = dict(found.summary or {})
    if any(key not in summary for key in LETTER_KEYS):
        data = engine.instance_data(found.id)
        summary.update({key: data.get(key) for key in LETTER_KEYS if key not in summary})
    return AgendaRow(
        instance_id=found.id,
        status=found.status,
        tracking_code=found.business_key or summary.get("kode_pelacakan") or "",
        letter=summary,
    )


def agenda_page(engine, filters: AgendaFilters) -> AgendaPage:
    """One page of the register, newest letter first."""
    found = engine.search_instances(_instance_filters(filters))
    return AgendaPage(
        [_row(engine, row) for row in found.rows], found.total, found.page, found.pages
    )


def all_rows(engine, filters: AgendaFilters) -> list[AgendaRow]:
    rows: list[AgendaRow] = []
    for number in range(1, CSV_LIMIT_PAGES + 1):
        page = agenda_page(engine, replace(filters, page=number))
        rows.extend(page.rows)
        if page.page >= page.pages:
            break
    return rows


def to_csv(rows: list[AgendaRow], headers: list[str], status_label, sifat_label) -> str:
    """The rows as CSV with a header line (``webkit.downloads.csv_text``: BOM, no formulas)."""
    return csv_text(
        headers,
        (
            [
                row.letter.get("nomor_agenda") or "",
                row.letter.get("tanggal_diterima") or "",
                row.letter.get("nomor_surat") or "",
                row.letter.get("tanggal_surat") or "",
                row.letter.get("instansi_pengirim") or "",
                row.letter.get("perihal") or "",
                sifat_label(row.letter.get("sifat")) if row.letter.get("sifat") else "",
                row.tracking_code,
                status_label(row.status),
            ]
            for row in rows
        ),
    )
