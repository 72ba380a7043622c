"""Sending e-mail: SMTP through the configured server, and the outbox of the engine's e-mail.

The engine records the e-mails a step decides on (``engine.mail``) as ``Notification`` rows of
kind ``surel_antre`` in the step's transaction and hands their ids to :func:`outbox` (declared
with ``registration.outbox``). With the job engine (PostgreSQL and procrastinate's schema) it
defers the job ``laksana.email`` in that same transaction: the worker sends them outside any
transaction, retried with back-off, then marks them sent (kind ``surel``); after the last failing
try they become ``surel_gagal`` and the administrators get an in-app notice. In embedded mode
(SQLite) they are sent inside the step when ``LAKSANA_SMTP_HOST`` is set (a refusing server stops
the step at an incident that can be retried), and stay queued otherwise.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.models import Notification
from engine.services import ServiceError

from . import queue
from .call import JobCall

EMAIL_JOB = "laksana.email"
SMTP_TIMEOUT_SECONDS = 20
SENT_KIND = "surel"
FAILED_KIND = "surel_gagal"
ADMIN_ROLE = "admin"


@dataclass
class Outgoing:
    to: str
    subject: str
    body: str


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def build_message(settings: Settings, outgoing: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = outgoing.to
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.smtp_sender.rpartition("@")[2] or None)
    message.set_content(outgoing.body)
    return message


def send_smtp(settings: Settings, messages: list[Outgoing]) -> None:
    """Send through the configured server in one connection; ServiceError when it fails."""
    try:
        with smtplib.SMTP(
            settings.smtp_host or "", settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
        ) as server:
            server.ehlo()
            if server.has_extn("starttls"):
                server.starttls()
                server.ehlo()
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            for outgoing in messages:
                server.send_message(build_message(settings, outgoing))
    except (OSError, smtplib.SMTPException) as exc:
        raise ServiceError(
            f"surel tidak terkirim lewat {settings.smtp_host}:{settings.smtp_port}: {exc}"
        ) from exc


def _outgoing(notes: list[Notification]) -> list[Outgoing]:
    return [Outgoing(note.recipient_email or "", note.subject, note.body) for note in notes]


def outbox(session: Session, settings: Settings, notification_ids: list[int]) -> None:
    """The engine's outbox: defer the sending in the step's transaction, or send inline."""
    if not notification_ids:
        return
    if queue.available(session):
        queue.defer(session, EMAIL_JOB, {"notifications": notification_ids})
        return
    if not smtp_configured(settings):
        return  # embedded without a server: the messages stay queued in the store
    notes = list(session.scalars(select(Notification).where(Notification.id.in_(notification_ids))))
    send_smtp(settings, _outgoing(notes))
    for note in notes:
        note.kind, note.sent_at = SENT_KIND, note.created_at


def send_queued(call: JobCall, notifications: list[int]) -> None:
    """The job ``laksana.email``: send what is still unsent among ``notifications``."""
    send_pending(call, notifications, _record_failure)


def send_pending(
    call: JobCall,
    notifications: list[int],
    on_last_failure: Callable[[JobCall, list[Notification], str], None],
) -> None:
    """Send the unsent ones among ``notifications`` and mark them sent; a failure raises (the job
    engine retries with back-off) after ``on_last_failure`` on the last try."""
    with call.database.transaction() as session:
        notes = list(
            session.scalars(
                select(Notification)
                .where(Notification.id.in_(notifications), Notification.sent_at.is_(None))
                .order_by(Notification.id)
            )
        )
    notes = [note for note in notes if note.recipient_email]
    if not notes:
        return
    try:
        if not smtp_configured(call.settings):
            raise ServiceError("LAKSANA_SMTP_HOST belum diatur")
        send_smtp(call.settings, _outgoing(notes))
    except ServiceError as exc:
        if call.last_attempt:
            on_last_failure(call, notes, str(exc))
        raise
    with call.database.transaction() as session:
        for note in notes:
            row = session.get(Notification, note.id)
            if row is not None and row.sent_at is None:
                row.sent_at, row.kind = call.now, SENT_KIND


def _record_failure(call: JobCall, notes: list[Notification], error: str) -> None:
    """After the last try: mark the messages failed and tell the administrators (no addresses)."""
    with call.database.transaction() as session:
        for note in notes:
            row = session.get(Notification, note.id)
            if row is not None and row.sent_at is None:
                row.kind = FAILED_KIND
        session.add(
            Notification(
                instance_id=notes[0].instance_id,
                recipient_role=ADMIN_ROLE,
                subject=f"Surel gagal terkirim setelah {call.attempt + 1} percobaan"[:255],
                body=(
                    f"{len(notes)} surel (pemberitahuan nomor {', '.join(str(n.id) for n in notes)}, "
                    f"pekerjaan latar {call.job_id}) tidak terkirim: {error}\n"
                    "Periksa pengaturan SMTP (LAKSANA_SMTP_*)."
                ),
                kind=FAILED_KIND,
                created_at=call.now,
            )
        )
