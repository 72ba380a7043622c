"""Telling the requester that an operator terminated their request (``Operations.terminate``).

It runs in the termination's own transaction, after the instance is saved as cancelled, so a
refused termination tells nobody and a committed one has its message queued with it. Each
plug-in that keeps its own requesters (``registration.termination_notice``; the complaint
register, whose process data holds no address) is asked first; the first that says the instance
was its own has told them, and the engine sends nothing more. Otherwise the engine e-mails the
address in the field marked ``surel_pemohon`` (``engine.mail.mail_terminated``).

In embedded mode the outbox sends inside this transaction: a server that refuses must not undo
the operator's decision, so the message is dropped (a savepoint) and the administrators get an
in-app notice to tell the requester by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .config import Settings
from .instances import InstanceRecord
from .mail import mail_terminated
from .models import Notification
from .services import ServiceError, ServiceRegistry

log = logging.getLogger(__name__)

ADMIN_ROLE = "admin"
#: the kind of the administrators' notice when the message could not be sent
NOT_SENT_KIND = "surel_gagal"


@dataclass(frozen=True)
class Terminated:
    """An instance an operator has just terminated, as a plug-in's notice reads it."""

    instance_id: int
    process_id: str
    business_key: str | None
    data: dict[str, Any]
    reason: str
    now: datetime

    @classmethod
    def of(cls, row: InstanceRecord, data: dict[str, Any], reason: str, now: datetime):
        return cls(row.id, row.process_id, row.business_key, data, reason, now)


def tell_requester(
    session: Session,
    settings: Settings,
    services: ServiceRegistry,
    row: InstanceRecord,
    ended: Terminated,
) -> None:
    """Tell the requester of ``ended`` once: through the plug-in it belongs to, or by e-mail."""
    try:
        with session.begin_nested():
            for notice in services.termination_notices:
                if notice(session, settings, ended):
                    return
            mail_terminated(
                session,
                settings,
                services.outbox,
                definition_id=row.definition_id,
                instance_id=ended.instance_id,
                business_key=ended.business_key,
                data=ended.data,
                reason=ended.reason,
                now=ended.now,
            )
    except ServiceError as exc:
        log.warning("termination of instance %s not e-mailed: %s", ended.instance_id, exc)
        session.add(_not_sent_notice(ended, str(exc)))


def _not_sent_notice(ended: Terminated, error: str) -> Notification:
    return Notification(
        instance_id=ended.instance_id,
        recipient_role=ADMIN_ROLE,
        subject=f"Pemberitahuan penghentian permohonan #{ended.instance_id} belum terkirim",
        body=(
            f"Surel kepada pemohon tentang penghentian permohonan #{ended.instance_id} "
            f"({ended.business_key or '-'}) tidak terkirim: {error}\n"
            "Periksa pengaturan SMTP (LAKSANA_SMTP_*) dan sampaikan penghentian beserta "
            "alasannya kepada pemohon secara langsung."
        ),
        kind=NOT_SENT_KIND,
        created_at=ended.now,
    )
