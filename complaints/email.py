"""E-mail about complaints: to the unit complained about, and to the complainant.

With ``LAKSANA_SMTP_HOST`` set, messages go out through that server (STARTTLS
when it offers it, login when ``LAKSANA_SMTP_USER`` is set) and a sent copy is
kept as a ``Notification`` row. Without it nothing leaves the office: the
message is kept as a ``Notification`` row for the complaint desk, who sees it
in the app and passes it on by hand.

Where the message leaves depends on the store. With the job engine (PostgreSQL and
procrastinate's schema, ``laksana worker``) the step only records the messages (kind
``surel_antre``) and defers the job ``complaints.email`` in its own transaction; the worker sends
them, retrying with back-off (``complaints.outbox``). In embedded mode (SQLite) they are sent
inline, as part of the step: a server that refuses raises ``ServiceError``, so the step stops at
an incident that can be retried.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from engine.config import Settings
from engine.models import Notification, User
from jobs import queue
from jobs.mail import Outgoing, build_message, send_smtp, smtp_configured

__all__ = ["Outgoing", "build_message", "send_smtp", "smtp_configured"]

#: who reads the messages that could not be e-mailed (and sees the complainant's address)
DESK_ROLE = "petugas_pengaduan"
UNIT_ROLE = "unit_layanan"
#: the job that sends recorded messages (declared by ``complaints.plugin``)
EMAIL_JOB = "complaints.email"
#: a message recorded for the worker to send; ``surel`` once sent, ``surel_gagal`` after the last try
QUEUED_KIND = "surel_antre"
FAILED_KIND = "surel_gagal"


def _record(
    session,
    instance_id: int | None,
    now: datetime,
    outgoing: Outgoing,
    *,
    sent: bool,
    role: str | None = None,
    user: str | None = None,
    kind: str = "surel",
) -> Notification:
    note = Notification(
        instance_id=instance_id,
        recipient_role=role,
        recipient_user=user,
        recipient_email=outgoing.to,
        subject=outgoing.subject[:255],
        body=outgoing.body,
        kind=kind,
        created_at=now,
        sent_at=now if sent else None,
    )
    session.add(note)
    return note


def _deliver(
    session,
    settings: Settings,
    instance_id: int | None,
    now: datetime,
    mails: list[tuple[str | None, Outgoing]],
) -> list[Notification]:
    """Send ``(user, message)`` pairs: queued in this step's transaction, or inline (embedded)."""
    if queue.available(session):
        notes = [
            _record(session, instance_id, now, mail, sent=False, user=user, kind=QUEUED_KIND)
            for user, mail in mails
        ]
        if notes:
            session.flush()
            queue.defer(session, EMAIL_JOB, {"notifications": [note.id for note in notes]})
        return notes
    send_smtp(settings, [mail for _user, mail in mails])
    return [_record(session, instance_id, now, mail, sent=True, user=user) for user, mail in mails]


def unit_addresses(session) -> list[tuple[str, str]]:
    """(username, e-mail) of the active users of the unit role who have an address."""
    rows = session.execute(
        select(User.username, User.email, User.roles).where(User.active.is_(True))
    )
    return [(name, email) for name, email, roles in rows if UNIT_ROLE in (roles or []) and email]


def notify_unit(
    session, settings: Settings, instance_id: int | None, now: datetime, subject: str, body: str
) -> list[Notification]:
    """Tell the unit: an in-app notification for the role, and e-mail to its users when SMTP is set."""
    notes = [
        Notification(
            instance_id=instance_id,
            recipient_role=UNIT_ROLE,
            subject=subject[:255],
            body=body,
            kind="pengaduan",
            created_at=now,
        )
    ]
    session.add(notes[0])
    if smtp_configured(settings):
        mails: list[tuple[str | None, Outgoing]] = [
            (user, Outgoing(address, subject, body)) for user, address in unit_addresses(session)
        ]
        notes += _deliver(session, settings, instance_id, now, mails)
    return notes


def notify_complainant(
    session,
    settings: Settings,
    instance_id: int | None,
    now: datetime,
    address: str | None,
    subject: str,
    body: str,
) -> Notification:
    """E-mail the complainant; without SMTP or an address, leave the message for the complaint desk."""
    if address and smtp_configured(settings):
        [note] = _deliver(
            session, settings, instance_id, now, [(None, Outgoing(address, subject, body))]
        )
        return note
    if address:
        return _record(
            session,
            instance_id,
            now,
            Outgoing(address, f"Belum terkirim: {subject}", body),
            sent=False,
            role=DESK_ROLE,
        )
    note = Notification(
        instance_id=instance_id,
        recipient_role=DESK_ROLE,
        subject=f"Sampaikan lewat telepon/SMS: {subject}"[:255],
        body=body,
        kind="surel",
        created_at=now,
    )
    session.add(note)
    return note
