"""The complaint register as the pages read and write it: each function is one transaction,
opened here in the package that owns the register, never in a view.

The pages get plain values back: ``Complaint`` rows already loaded (they stay readable after the
transaction) and the instance's notifications as ``engine.notifications`` records.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from engine.notifications import NotificationView

from . import export
from .intake import find_by_tracking_code
from .logbook import DESK_ROLES, LogFilter, find_complaints, may_see_identity
from .models import Complaint
from .public import (
    REPLY_MESSAGE,
    TERMINATED_STATUS,
    PublicView,
    ReplyRefused,
    public_view,
    record_reply,
    reply_payload,
)
from .recap import MonthlyRecap, monthly_recap

log = logging.getLogger(__name__)


@dataclass
class Tracked:
    """What the complainant's status page shows, and the problems with a reply they sent."""

    view: PublicView
    errors: dict[str, str]


def track(engine, code: str, reply: Mapping[str, Any] | None = None) -> Tracked | None:
    """The complaint with this tracking code (None if there is none); with ``reply`` (the posted
    form: ``kepuasan``, ``balasan``) the complainant's reply is taken first: kept in the register
    (committed), then sent to the waiting process as the message ``REPLY_MESSAGE``."""
    payload: dict[str, str] | None = None
    with engine.db.transaction() as session:
        complaint = find_by_tracking_code(session, code)
        if complaint is None:
            return None
        errors: dict[str, str] = {}
        if reply is not None:
            try:
                record_reply(
                    session, complaint, reply.get("kepuasan"), reply.get("balasan"), engine.clock()
                )
            except ReplyRefused as exc:
                errors = exc.errors
            else:
                payload = reply_payload(complaint)
        tracked = Tracked(public_view(complaint), errors)
        key, instance_id = complaint.nomor_register, complaint.instance_id
    if payload is not None:
        deliver_reply(engine, key, payload)
    return _with_termination(engine, tracked, instance_id)


def _with_termination(engine, tracked: Tracked, instance_id: int | None) -> Tracked:
    """The view of a complaint whose request the office terminated in the console: said so, with
    the reason given there, and no reply form (nothing waits for a reply any more)."""
    if instance_id is None or engine.instance(instance_id).status != "cancelled":
        return tracked
    ended = [e for e in engine.history(instance_id) if e.action == "cancelled"]
    reason = (ended[-1].data or {}).get("reason") if ended else None
    view = replace(
        tracked.view,
        status="dihentikan",
        status_label=TERMINATED_STATUS,
        may_reply=False,
        reply_by=None,
        ended_reason=reason or None,
    )
    return Tracked(view, tracked.errors)


def deliver_reply(engine, register_number: str, payload: dict[str, str]) -> bool:
    """Correlate the reply with the complaint's instance; False when nothing waited for it (an
    instance of an older version, already closed): the desk's notification still tells them."""
    try:
        return bool(engine.correlate_message(REPLY_MESSAGE, payload, register_number))
    except Exception:  # noqa: BLE001 - the reply is kept; the desk closes the complaint by hand
        log.exception("the reply to complaint %s did not reach its process", register_number)
        return False


@dataclass
class LogPage:
    rows: list[Complaint]
    #: complaint id -> the time limits it has passed
    late: dict[int, list[str]]
    #: complaint id -> whether the reader sees the complainant's identity
    shown: dict[int, bool]


def log_page(engine, log_filter: LogFilter, roles: Iterable[str]) -> LogPage:
    """The log book's rows for the filter, as a reader with ``roles`` sees them."""
    now, roles = engine.clock(), list(roles)
    with engine.db.transaction() as session:
        rows = find_complaints(session, log_filter, now)
        late = {row.id: row.overdue_limits(now) for row in rows}
        shown = {row.id: may_see_identity(roles, row) for row in rows}
    return LogPage(rows, late, shown)


def log_entries(
    engine, first: date, last: date, log_filter: LogFilter, show_identity: bool
) -> list[dict[str, Any]]:
    """The log book's entries for an export (``complaints.export``)."""
    with engine.db.transaction() as session:
        return export.log_entries(
            session, first, last, log_filter, engine.clock(), show_identity=show_identity
        )


def recap(engine, year: int, month: int) -> MonthlyRecap:
    with engine.db.transaction() as session:
        return monthly_recap(session, year, month, engine.clock())


@dataclass
class ComplaintPage:
    complaint: Complaint
    messages: list[NotificationView]
    show_identity: bool
    late: list[str]


def complaint_page(engine, complaint_id: int, roles: Iterable[str]) -> ComplaintPage | None:
    """One complaint for the desk and leadership, with what was sent about it; None if unknown.
    E-mails (their addresses) are the desk's to see."""
    roles, now = set(roles), engine.clock()
    with engine.db.transaction() as session:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            return None
        show_identity = may_see_identity(roles, complaint)
        late = complaint.overdue_limits(now)
    messages = engine.notifications.for_instance(complaint.instance_id)
    if not roles & DESK_ROLES:
        messages = [m for m in messages if m.recipient_email is None]
    return ComplaintPage(complaint, messages, show_identity, late)
