"""Row locks that make concurrent actions on one task or instance take turns.

On PostgreSQL (READ COMMITTED) two actions that read the same task before either wrote would
both go ahead: two claims would both be told they hold the task, a claim could update a task row
a completion had just deleted, a timer tick could overwrite a completion. Each action therefore
locks the rows it is about to change (``SELECT ... FOR UPDATE``) before it reads them; the second
of two waits, then reads what the first committed and is refused with a clear message.

On SQLite ``Database.transaction`` begins IMMEDIATE, which already serialises writers; the
locks below are no-ops there.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .errors import Conflict
from .models import AuditEntry, HumanTask, ProcessInstance

_LOCK_TASK_AND_INSTANCE = (
    select(HumanTask.id, ProcessInstance.id)
    .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
    .where(HumanTask.id == bindparam("tid"))
    .with_for_update()
)
_LOCK_INSTANCE = (
    select(ProcessInstance.id).where(ProcessInstance.id == bindparam("iid")).with_for_update()
)

#: words in the driver's message when a write waited too long or was chosen as a deadlock victim
_CONTENTION = ("database is locked", "lock timeout", "deadlock detected", "could not serialize")


def _row_locks(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


def lock_task(session: Session, task_id: str) -> None:
    """Lock an open task's row and its instance's row until the action ends (if the task exists)."""
    if _row_locks(session):
        session.connection().execute(_LOCK_TASK_AND_INSTANCE, {"tid": str(task_id)}).all()


def lock_instance(session: Session, instance_id: int) -> None:
    """Lock an instance's row until the action ends."""
    if _row_locks(session):
        session.connection().execute(_LOCK_INSTANCE, {"iid": instance_id}).all()


def is_contention(exc: BaseException) -> bool:
    """The store refused a write because another action held the rows (not a bug in the action)."""
    return isinstance(exc, DBAPIError) and any(w in str(exc).lower() for w in _CONTENTION)


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment is not None else "?"


def claimed_message(human) -> str:
    """Who holds a claimed task, and since when."""
    return (
        f"task '{human.name}' is already claimed by {human.claimed_by} "
        f"since {_when(human.claimed_at)}"
    )


def race_conflict(session: Session, task_id: str) -> Conflict:
    """What a losing action on a task is told, read after its own transaction rolled back."""
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.task_id == str(task_id)).order_by(AuditEntry.id.desc())
    ).all()
    done = next((e for e in entries if e.action == "completed"), None)
    if done is not None:
        return Conflict(
            f"task '{done.element_name}' was already completed by {done.actor} at {_when(done.at)}"
        )
    human = session.get(HumanTask, str(task_id))
    if human is not None and human.claimed_by:
        return Conflict(claimed_message(human))
    if human is not None:
        return Conflict(
            f"task '{human.name}' was changed by another action at the same moment; "
            "reload it and try again"
        )
    name = entries[0].element_name if entries else str(task_id)
    return Conflict(f"task '{name}' is not open any more")
