"""Handing an open task to a named user (the head of a division or an administrator decides).

Who may: an administrator, for any task; a user holding a role that heads a bidang (roles table,
``heads_bidang``: a Kepala Bidang), for a task whose role belongs to that bidang. Roles are data,
so a new SOP's Kepala Bidang gets this by the roles table alone.

``BpmnEngine`` inherits :class:`Reassignment`. The task is offered to that user by name (its
``candidate_users``) and claimed for them, so the task rule lets them do it whatever their roles;
the audit row ``reassigned`` keeps who, from whom, to whom and why, and both people get an in-app
notification (the previous holder, or the task's role when nobody held it).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import EngineError, Forbidden
from .locks import lock_task
from .models import HumanTask, Role, User
from .notifications import add_notification
from .records import TaskView
from .runner import audit
from .steps import StepActions
from .users import find_user, require_user

#: the role that may reassign any task
ADMIN = "admin"


def may_reassign(session: Session, user: User, human: HumanTask) -> bool:
    """An administrator, or the head of the bidang the task's role belongs to."""
    held = set(user.roles or ())
    if ADMIN in held:
        return True
    headed = set(
        session.scalars(
            select(Role.bidang).where(
                Role.code.in_(held), Role.heads_bidang.is_(True), Role.active.is_(True)
            )
        )
    )
    task_roles = {human.role, *(human.candidate_roles or ())} - {None, ""}
    if not headed or not task_roles:
        return False
    task_bidang = set(session.scalars(select(Role.bidang).where(Role.code.in_(task_roles))))
    return bool(headed & task_bidang)


class Reassignment(StepActions):
    def may_reassign(self, task_id: str, user: str) -> bool:
        """Whether ``user`` may hand this open task to someone else (``may_reassign``)."""
        with self.db.Session() as session:
            human = session.get(HumanTask, task_id)
            by = session.scalars(select(User).where(User.username == user)).first()
            if human is None or by is None or not by.active:
                return False
            return may_reassign(session, by, human)

    def reassign(self, task_id: str, actor: str, to_user: str, reason: str) -> TaskView:
        """Give the open task to ``to_user``; ``actor`` must be an administrator or head the
        bidang of the task's role."""
        reason = (reason or "").strip()
        if len(reason) < 5:
            raise EngineError("alasan pengalihan wajib diisi (paling sedikit 5 karakter)")
        now = self.clock()
        with self.db.transaction() as session:
            lock_task(session, task_id)
            human = self._open_task(session, task_id)
            by = require_user(session, actor)
            if not may_reassign(session, by, human):
                raise Forbidden(
                    "hanya administrator atau kepala bidang dari peran tugas ini yang dapat "
                    "mengalihkan tugas"
                )
            target = find_user(session, (to_user or "").strip())
            if target is None:
                raise EngineError(f"pengguna tujuan '{to_user}' tidak ada")
            if not target.active:
                raise EngineError(f"pengguna tujuan '{to_user}' tidak aktif")
            previous = human.claimed_by
            if previous == target.username:
                raise EngineError(f"tugas '{human.name}' sudah dipegang {target.username}")
            human.candidate_users = [target.username]
            human.named = True
            human.claimed_by, human.claimed_at = target.username, now
            row = self._instance_row(session, human.instance_id)
            audit(
                session,
                row,
                "reassigned",
                actor=actor,
                at=now,
                element_id=human.element_id,
                name=human.name,
                task_id=human.id,
                data={"from": previous, "to": target.username, "reason": reason},
            )
            add_notification(
                session,
                subject=f"Tugas dialihkan kepada Anda: {human.name}",
                body=f"{by.full_name or actor} mengalihkan tugas ini kepada Anda. Alasan: {reason}",
                kind="reassigned",
                instance_id=human.instance_id,
                recipient_user=target.username,
                created_at=now,
                task_id=human.id,
            )
            add_notification(
                session,
                subject=f"Tugas dialihkan: {human.name}",
                body=(
                    f"{by.full_name or actor} mengalihkan tugas ini kepada "
                    f"{target.full_name or target.username}. Alasan: {reason}"
                ),
                kind="reassigned",
                instance_id=human.instance_id,
                recipient_user=previous,
                recipient_role=None if previous else (human.role or None),
                created_at=now,
            )
            session.flush()
            return self._task_view(session, human, row.definition_id)
