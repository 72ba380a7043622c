"""Notices the engine writes from its own events, so that a new SOP needs no Python for them.

- A user task becomes ready: a *new task* notice (kind ``tugas``) to the person it is assigned
  or offered to by name (``camunda:assignee`` / ``candidateUsers``), else one notice per
  candidate role (not one per member: every holder sees the role's notice, and it closes for
  all of them once somebody claims, completes or is given the task: ``engine.notifications``
  reads that from ``human_tasks`` when counting; a big role's members so see as new only the
  tasks still waiting for one of them).
- A user task becomes ready again after it was completed in this request (work sent back by a
  later step, a loop in the diagram): a *rework* notice (``dikembalikan``) to the person who
  completed it last time, when the task is not assigned to somebody else.
- A non-interrupting timer on a user task fires (the step passed its standard time): an
  *escalation* notice (``eskalasi``) to the person holding the task, else to its roles. The
  superior's notice is the diagram's own ``notify.send`` with ``kind=escalation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from .config import Settings
from .mail import mail_staff
from .models import AuditEntry, HumanTask, Notification
from .notifications import add_notification
from .services import Outbox

_NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]
NEW_TASK = "tugas"
REWORK = "dikembalikan"
ESCALATION = "eskalasi"


def _last_actors(session: Session, instance_id: int, element_ids: Iterable[str]) -> dict[str, str]:
    """element id -> who completed it last in this request (only elements completed before)."""
    rows = session.connection().execute(
        select(AuditEntry.element_id, AuditEntry.actor)
        .where(
            AuditEntry.instance_id == instance_id,
            AuditEntry.action == "completed",
            AuditEntry.element_id.in_(list(element_ids)),
        )
        .order_by(AuditEntry.id)
    )
    return {element: actor for element, actor in rows if element and actor}


def _recipients(task: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(user, role) pairs a task is announced to."""
    if task.get("claimed_by"):
        return [(task["claimed_by"], None)]
    if task.get("candidate_users"):
        return [(user, None) for user in task["candidate_users"]]
    return [(None, role) for role in task.get("candidate_roles") or [] if role]


def request_label(title: str, business_key: str | None) -> str:
    """The request as a notice names it: its title, and its tracking code when it has one."""
    return f"{title} ({business_key})" if business_key else title


def announce_tasks(
    session: Session,
    instance_id: int,
    title: str,
    new_tasks: list[dict[str, Any]],
    now: datetime,
    *,
    redone: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Notices for the human tasks that just became ready (rows as written to ``human_tasks``);
    ``redone``: their element ids that were completed before in this request (sent back)."""
    if not new_tasks:
        return
    earlier = _last_actors(session, instance_id, redone) if redone else {}
    rows = []
    for task in new_tasks:
        previous = earlier.get(task["element_id"])
        if previous and not task.get("claimed_by"):
            recipients: list[tuple[str | None, str | None]] = [(previous, None)]
        else:
            recipients = _recipients(task)
        kind = REWORK if previous else NEW_TASK
        subject = (
            f"Dikembalikan untuk diperbaiki: {task['name']}"
            if previous
            else f"Tugas baru: {task['name']}"
        )
        rows += [
            dict(
                instance_id=instance_id,
                recipient_user=user,
                recipient_role=role,
                recipient_email=None,
                subject=subject[:255],
                body=title,
                kind=kind,
                created_at=now,
                sent_at=None,
                read_at=None,
                task_id=task["id"],
            )
            for user, role in recipients
        ]
    if rows:  # one INSERT on the step's connection (a hot path: every action that opens tasks)
        session.connection().execute(insert(_NOTIFICATIONS), rows)


def escalate_if_late(
    session: Session,
    timer_task,
    row: Any,
    now: datetime,
    settings: Settings,
    outbox: Outbox | None,
) -> None:
    """A non-interrupting boundary timer fired on a user task of the instance ``row``: tell
    whoever must do it, in the app and (SMTP configured) by e-mail."""
    spec = timer_task.task_spec
    if not isinstance(spec, BoundaryEvent) or spec.cancel_activity or timer_task.parent is None:
        return
    for sibling in timer_task.parent.children:
        if isinstance(sibling.task_spec, BoundaryEvent) or not sibling.task_spec.manual:
            continue
        human = session.get(HumanTask, str(sibling.id))
        if human is None:
            continue
        recipients = _recipients(
            {
                "claimed_by": human.claimed_by,
                "candidate_users": human.candidate_users,
                "candidate_roles": human.candidate_roles,
            }
        )
        subject = f"Terlambat: {human.name}"
        body = f"{request_label(row.title, row.business_key)}\nLangkah ini melewati waktu bakunya."
        for user, role in recipients:
            add_notification(
                session,
                subject=subject,
                body=body,
                kind=ESCALATION,
                instance_id=row.id,
                recipient_user=user,
                recipient_role=role,
                created_at=now,
                task_id=human.id,
            )
        mail_staff(
            session,
            settings,
            outbox,
            users=[user for user, _role in recipients if user],
            roles=[role for _user, role in recipients if role],
            subject=subject,
            body=body,
            instance_id=row.id,
            now=now,
        )
