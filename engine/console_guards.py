"""What every operations-console action checks first: who asks, their reason, the instance's state.

Shared by the console's mixins (``engine.incident_actions``, ``engine.operations``); migrating
instances (``engine.migration``) checks the user with ``_console_user`` too. The console is for
administrators and analysts; moving an instance and editing its data are for administrators.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Database
from .definitions import DefinitionRepository
from .errors import Conflict, EngineError, Forbidden
from .instances import FINISHED, SUSPENDED, InstanceRecord, InstanceStore
from .locks import lock_instance
from .models import Incident
from .services import ServiceRegistry
from .steps import StepActions
from .users import require_user

#: roles that may use the console; ``ADMIN`` alone may move an instance or edit its data
CONSOLE_ROLES = ("admin", "analis")
ADMIN = "admin"
#: the shortest reason an operator must give
MIN_REASON = 5


def checked_reason(reason: str | None) -> str:
    """The operator's reason, trimmed; refused when shorter than ``MIN_REASON``."""
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        raise EngineError(f"alasan wajib diisi (paling sedikit {MIN_REASON} huruf)")
    return text


class ConsoleGuards(StepActions):
    """Mixed into BpmnEngine, which sets these attributes in its constructor."""

    db: Database
    definitions: DefinitionRepository
    instances: InstanceStore
    services: ServiceRegistry
    settings: Any

    clock: Callable[[], datetime]

    def _console_user(self, session: Session, username: str, only: str | None = None):
        user = require_user(session, username)
        allowed = (only,) if only else CONSOLE_ROLES
        if not any(user.has_role(role) for role in allowed):
            who = "administrator" if only == ADMIN else "administrator atau analis"
            raise Forbidden(f"hanya {who} yang boleh melakukan tindakan ini")
        return user

    def _running_row(self, session: Session, instance_id: int) -> InstanceRecord:
        lock_instance(session, instance_id)
        row = self._instance_row(session, instance_id)
        if row.status in FINISHED:
            word = "selesai" if row.status == "completed" else "dihentikan"
            raise Conflict(f"permohonan #{instance_id} sudah {word}")
        return row

    def _active_row(self, session: Session, instance_id: int) -> InstanceRecord:
        row = self._running_row(session, instance_id)
        if row.status == SUSPENDED:
            raise Conflict(f"permohonan #{instance_id} sedang ditangguhkan; lanjutkan dahulu")
        return row

    @staticmethod
    def _open_incidents(session: Session, instance_id: int) -> list[Incident]:
        return list(
            session.scalars(
                select(Incident).where(
                    Incident.instance_id == instance_id, Incident.resolved_at.is_(None)
                )
            )
        )
