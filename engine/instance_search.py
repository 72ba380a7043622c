"""The managers' list of instances: filtered and paged in SQL. Read through ``BpmnEngine.search_instances``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, cast, func, or_, select

from .clock import OFFICE_TZ
from .models import ProcessInstance

PAGE_SIZE = 50
STATUSES = ("running", "completed", "cancelled", "incident")


@dataclass
class InstanceFilters:
    process: str | None = None
    status: str | None = None
    search: str = ""
    started_from: date | None = None
    started_to: date | None = None
    page: int = 1

    def active(self) -> bool:
        return any((self.process, self.status, self.search, self.started_from, self.started_to))


@dataclass
class InstancePage:
    rows: list
    total: int
    page: int
    pages: int


def _conditions(filters: InstanceFilters) -> list:
    found = []
    if filters.process:
        found.append(ProcessInstance.process_id == filters.process)
    if filters.status:
        found.append(ProcessInstance.status == filters.status)
    if filters.started_from:
        found.append(
            ProcessInstance.started_at
            >= datetime.combine(filters.started_from, time.min, OFFICE_TZ)
        )
    if filters.started_to:
        found.append(
            ProcessInstance.started_at
            < datetime.combine(filters.started_to + timedelta(days=1), time.min, OFFICE_TZ)
        )
    if filters.search:
        found.append(text_matches(filters.search))
    return found


def text_matches(text: str):
    """An instance whose title, business key (tracking code) or summary columns (nomor surat,
    instansi, perihal, nomor agenda, ...) contain ``text``, case-insensitively. ``ilike`` is
    ILIKE on PostgreSQL and ``lower() LIKE lower()`` on SQLite; the summary is matched as its JSON
    text, ``%`` and ``_`` in ``text`` are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        ProcessInstance.title.ilike(pattern, escape="\\"),
        ProcessInstance.business_key.ilike(pattern, escape="\\"),
        cast(ProcessInstance.summary, String).ilike(pattern, escape="\\"),
    )


_COLUMNS = (
    ProcessInstance.id,
    ProcessInstance.process_id,
    ProcessInstance.version,
    ProcessInstance.status,
    ProcessInstance.title,
    ProcessInstance.business_key,
    ProcessInstance.started_at,
    ProcessInstance.ended_at,
    ProcessInstance.current_tasks,
    ProcessInstance.summary,
)


def instance_page(session, filters: InstanceFilters) -> InstancePage:
    conditions = _conditions(filters)
    total = session.scalar(select(func.count(ProcessInstance.id)).where(*conditions)) or 0
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    current = min(filters.page, pages)
    rows = session.execute(
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(ProcessInstance.id.desc())
        .limit(PAGE_SIZE)
        .offset((current - 1) * PAGE_SIZE)
    ).all()
    return InstancePage(rows, total, current, pages)
