"""The inbox: a user's open tasks, filtered, paged and counted in SQL.

The rule is the same as ``BpmnEngine.tasks(user=...)``: a task is mine when one
of its candidate roles is mine (or my name is on it) and nobody else has claimed it; an acting
official (Plh/Plt) also has the roles and the name of the official they act for. Tasks with one
candidate role are matched on the indexed ``role`` column; the rare tasks with
several (``shared``) are checked in Python first. ``tests/web`` checks that both
give the same tasks. Read through ``BpmnEngine.inbox``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select

from .clock import OFFICE_TZ
from .instance_search import text_matches
from .models import HumanTask, ProcessInstance

PAGE_SIZE = 50
_T = HumanTask.__table__.c
_I = ProcessInstance.__table__.c


@dataclass
class InboxFilters:
    process: str | None = None
    step: str | None = None
    role: str | None = None
    overdue: bool = False
    ready_from: date | None = None
    ready_to: date | None = None
    search: str = ""
    page: int = 1

    def active(self) -> bool:
        return any(
            (
                self.process,
                self.step,
                self.role,
                self.overdue,
                self.ready_from,
                self.ready_to,
                self.search,
            )
        )


@dataclass
class StepCount:
    process_id: str
    element_id: str
    name: str
    role: str
    total: int
    overdue: int


@dataclass
class InboxRow:
    id: str
    instance_id: int
    process_id: str
    element_id: str
    name: str
    role: str
    ready_at: datetime
    due_at: datetime | None
    claimed_by: str | None
    title: str
    business_key: str | None
    summary: dict[str, Any]
    overdue: bool


@dataclass
class InboxPage:
    rows: list[InboxRow]
    total: int
    steps: list[StepCount]
    page: int
    pages: int
    by_role: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.steps)

    @property
    def open(self) -> int:
        return sum(s.total for s in self.steps)


def _mine(session, names: set[str], roles: tuple[str, ...]):
    """The WHERE clause of 'my tasks' (one candidate role of mine or my name on it, not claimed by
    another); ``names`` are mine and those of the officials I act for today (Plh/Plt)."""
    shared_ids = [
        row.id
        for row in session.execute(
            select(_T.id, _T.candidate_roles, _T.candidate_users).where(
                or_(_T.shared.is_(True), _T.named.is_(True))
            )
        )
        if set(row.candidate_roles or ()) & set(roles) or set(row.candidate_users or ()) & names
    ]
    by_role = _T.role.in_(roles) if roles else false()
    by_shared = _T.id.in_(shared_ids) if shared_ids else false()
    not_taken = or_(_T.claimed_by.is_(None), _T.claimed_by.in_(names))
    return and_(or_(by_role, by_shared), not_taken)


def _filtered(clause, filters: InboxFilters, now: datetime):
    conditions = [clause]
    if filters.process:
        conditions.append(_T.process_id == filters.process)
    if filters.step:
        conditions.append(_T.element_id == filters.step)
    if filters.role:
        conditions.append(_T.role == filters.role)
    if filters.overdue:
        conditions.append(_T.due_at < now)
    if filters.ready_from:
        conditions.append(_T.ready_at >= datetime.combine(filters.ready_from, time.min, OFFICE_TZ))
    if filters.ready_to:
        conditions.append(
            _T.ready_at
            < datetime.combine(filters.ready_to + timedelta(days=1), time.min, OFFICE_TZ)
        )
    if filters.search:
        conditions.append(_T.instance_id.in_(select(_I.id).where(text_matches(filters.search))))
    return and_(*conditions)


def _step_counts(session, clause, now: datetime) -> list[StepCount]:
    late = func.sum(case((_T.due_at < now, 1), else_=0))
    query = (
        select(_T.process_id, _T.element_id, _T.name, _T.role, func.count(), late)
        .where(clause)
        .group_by(_T.process_id, _T.element_id, _T.name, _T.role)
        .order_by(_T.process_id, _T.name)
    )
    return [
        StepCount(
            process_id=row[0],
            element_id=row[1],
            name=row[2],
            role=row[3],
            total=int(row[4]),
            overdue=int(row[5] or 0),
        )
        for row in session.execute(query)
    ]


def _total(session, steps: list[StepCount], filters: InboxFilters, chosen) -> int:
    """How many tasks the filters leave: from the step counts, unless dates or a text search need a
    query of their own."""
    if filters.ready_from or filters.ready_to or filters.search:
        return (
            session.scalar(select(func.count()).select_from(HumanTask.__table__).where(chosen)) or 0
        )
    matching = [
        s
        for s in steps
        if filters.process in (None, s.process_id)
        and filters.step in (None, s.element_id)
        and filters.role in (None, s.role)
    ]
    return sum(s.overdue if filters.overdue else s.total for s in matching)


_PAGE_COLUMNS = (
    _T.id,
    _T.instance_id,
    _T.process_id,
    _T.element_id,
    _T.name,
    _T.role,
    _T.ready_at,
    _T.due_at,
    _T.claimed_by,
    _I.title,
    _I.business_key,
    _I.summary,
)


def inbox_page(
    session, names: str | set[str], roles: tuple[str, ...], filters: InboxFilters, now: datetime
) -> InboxPage:
    mine = _mine(session, {names} if isinstance(names, str) else set(names), roles)
    steps = _step_counts(session, mine, now)
    chosen = _filtered(mine, filters, now)
    total = _total(session, steps, filters, chosen)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(filters.page, pages)
    query = (
        select(*_PAGE_COLUMNS)
        .join(ProcessInstance.__table__, _I.id == _T.instance_id)
        .where(chosen)
        .order_by(_T.due_at.is_(None), _T.due_at, _T.ready_at, _T.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        InboxRow(**row._mapping, overdue=row.due_at is not None and row.due_at < now)
        for row in session.execute(query)
    ]
    by_role: dict[str, tuple[int, int]] = {}
    for step in steps:
        total_role, late_role = by_role.get(step.role, (0, 0))
        by_role[step.role] = (total_role + step.total, late_role + step.overdue)
    return InboxPage(rows, total, steps, page, pages, by_role)
