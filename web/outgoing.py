"""The register of outgoing letters (register surat keluar): every numbered document the office
signed, whatever process issued it, searched and filtered by month and kind, for the page, its
print view and the CSV export.

Rows come from ``BpmnEngine.documents.issued`` (signed and numbered: the letter, not the
attachments under its number). The addressee is read from the request's summary under the keys
the process names in its property ``recipient_fields`` (the first with a value), so a new SOP
fills the column by its diagram alone. Months and pages work as in the buku agenda
(``web.agenda``), whose helpers these are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine import bpmn_info
from engine.clock import OFFICE_TZ, office_date
from engine.documents import IssuedDocument
from webkit.downloads import csv_text

from .agenda import month_bounds, parse_month
from .queryargs import parse_int
from .requestinfo import DOCUMENT_KINDS, document_title

PER_PAGE = 50


@dataclass
class OutgoingFilters:
    search: str = ""
    month: tuple[int, int] | None = None
    kind: str | None = None
    page: int = 1

    def active(self) -> bool:
        return bool(self.search or self.month or self.kind)

    @property
    def month_value(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}" if self.month else ""

    def query_args(self) -> dict[str, str]:
        args = {"q": self.search, "bulan": self.month_value, "jenis": self.kind or ""}
        return {key: value for key, value in args.items() if value}


@dataclass(frozen=True)
class OutgoingRow:
    number: str
    signed_on: date
    kind: str
    title: str
    addressee: str
    subject: str
    signer: str
    instance_id: int | None
    tracking_code: str
    document_id: str


@dataclass
class OutgoingPage:
    rows: list[OutgoingRow]
    total: int
    page: int
    pages: int
    kinds: dict[str, str]  # kind -> label, of the letters in the chosen period


def outgoing_filters(args) -> OutgoingFilters:
    return OutgoingFilters(
        search=(args.get("q") or "").strip()[:100],
        month=parse_month(args.get("bulan")),
        kind=(args.get("jenis") or "").strip()[:64] or None,
        page=max(parse_int(args.get("halaman"), 1), 1),
    )


def _period(engine, filters: OutgoingFilters) -> tuple[datetime, datetime]:
    """The chosen month, or everything up to today (the office's first letter onwards)."""
    if filters.month:
        first, last = month_bounds(*filters.month)
    else:
        first, last = date(2000, 1, 1), office_date(engine.clock())
    return (
        datetime.combine(first, time.min, OFFICE_TZ),
        datetime.combine(last + timedelta(days=1), time.min, OFFICE_TZ),
    )


def _recipient_keys(engine) -> dict[str, tuple[str, ...]]:
    """Process id -> the summary keys naming the addressee (its latest version's property)."""
    latest: dict[str, int] = {}
    for definition in engine.list_definitions():
        latest[definition.process_id] = max(
            definition.version, latest.get(definition.process_id, 0)
        )
    keys = {}
    for process_id, version in latest.items():
        xml = bpmn_info.deployed_xml(engine, process_id, version)
        properties = bpmn_info.process_properties(xml, process_id)
        keys[process_id] = bpmn_info.field_list(properties.get("recipient_fields"))
    return keys


def _row(issued: IssuedDocument, recipient_keys: dict[str, tuple[str, ...]]) -> OutgoingRow:
    doc = issued.document
    keys = recipient_keys.get(issued.process_id or "", ())
    addressee = next((str(issued.summary[k]) for k in keys if issued.summary.get(k)), "")
    signed = doc.signed_at or doc.created_at
    return OutgoingRow(
        number=doc.number or "",
        signed_on=office_date(signed),
        kind=doc.kind,
        title=document_title(doc),
        addressee=addressee,
        subject=issued.instance_title,
        signer=doc.signer or "",
        instance_id=doc.instance_id,
        tracking_code=issued.business_key or "",
        document_id=doc.id,
    )


def _matches(row: OutgoingRow, search: str) -> bool:
    needle = search.casefold()
    haystack = (row.number, row.title, row.addressee, row.subject, row.tracking_code, row.signer)
    return any(needle in value.casefold() for value in haystack)


def all_rows(engine, filters: OutgoingFilters) -> tuple[list[OutgoingRow], dict[str, str]]:
    """Every matching letter, newest first, and the kinds found in the period (for the filter)."""
    since, until = _period(engine, filters)
    keys = _recipient_keys(engine)
    rows = [_row(issued, keys) for issued in engine.documents.issued(since, until)]
    kinds = {row.kind: str(DOCUMENT_KINDS.get(row.kind, row.title)) for row in rows}
    if filters.kind:
        rows = [row for row in rows if row.kind == filters.kind]
    if filters.search:
        rows = [row for row in rows if _matches(row, filters.search)]
    return rows[::-1], dict(sorted(kinds.items(), key=lambda item: item[1]))


def outgoing_page(engine, filters: OutgoingFilters) -> OutgoingPage:
    rows, kinds = all_rows(engine, filters)
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(filters.page, pages)
    chosen = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    return OutgoingPage(chosen, len(rows), page, pages, kinds)


def to_csv(rows: list[OutgoingRow], headers: list[str]) -> str:
    return csv_text(
        headers,
        (
            [
                row.number,
                row.signed_on.isoformat(),
                row.title,
                row.addressee,
                row.subject,
                row.signer,
                row.tracking_code,
            ]
            for row in rows
        ),
    )
