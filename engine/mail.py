"""E-mail the engine decides on, recorded in the step's transaction and sent by the outbox.

A step records each message as a ``Notification`` row with the address (kind ``surel_antre``,
``sent_at`` empty) and hands the ids to the outbox a plug-in registered
(``Registration.outbox``; the ``jobs`` plug-in: a job deferred in the same transaction on
PostgreSQL, sent inline in embedded mode). Without an outbox the rows stay queued.

Who gets e-mail (rules, not per-process code):

- escalations (``notify.send`` with ``kind=escalation``, and the engine's own notice when a
  non-interrupting timer fires on a user task): the people it is addressed to (a user, or the
  active holders of a role) who have an address, only when ``LAKSANA_SMTP_HOST`` is set (staff
  read the same notice in the app);
- ``notify.send`` with ``recipient_email_field``: the address in that data key;
- the requester, when a request ends: see :func:`mail_result`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .bpmn_info import process_properties
from .config import Settings
from .models import Notification, ProcessDefinition, User
from .notifications import first_in_transaction
from .placeholders import render_text
from .services import Outbox
from .starting import start_fields

QUEUED = "surel_antre"
#: a start-form field carrying this ``camunda:property`` (any value but "tidak"/"false") holds the
#: requester's e-mail address: the result is mailed there when the request ends
REQUESTER_EMAIL_PROPERTY = "surel_pemohon"
#: process ``camunda:properties`` for the result e-mail (``{key}`` placeholders from the data,
#: ``{tautan_pelacakan}`` the tracking page, ``{layanan}`` the process's name)
RESULT_SUBJECT = "result_subject"
RESULT_MESSAGE = "result_message"
DEFAULT_SUBJECT = "Permohonan {kode_pelacakan} telah selesai"
DEFAULT_MESSAGE = (
    "Permohonan Anda untuk layanan {layanan} telah selesai diproses.\n"
    "Status dan hasilnya dapat dilihat di {tautan_pelacakan}"
)


def people_addresses(
    session: Session, users: Iterable[str] = (), roles: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(username, address) of the named active users and the active holders of ``roles``."""
    names, wanted = set(users), set(roles)
    rows = session.execute(
        select(User.username, User.email, User.roles).where(User.active.is_(True), User.email != "")
    )
    return [
        (name, email) for name, email, held in rows if name in names or wanted & set(held or [])
    ]


def queue_mail(
    session: Session,
    settings: Settings,
    outbox: Outbox | None,
    recipients: list[tuple[str | None, str]],
    subject: str,
    body: str,
    *,
    instance_id: int | None,
    now: datetime,
) -> list[int]:
    """Record one message per (username or None, address) and hand them to the outbox."""
    rows = [
        Notification(
            instance_id=instance_id,
            recipient_user=user,
            recipient_email=address,
            subject=subject[:255],
            body=body,
            kind=QUEUED,
            created_at=now,
        )
        for user, address in dict.fromkeys(recipients)
        if first_in_transaction(session, (instance_id, address, subject))
    ]
    if not rows:
        return []
    session.add_all(rows)
    session.flush()
    ids = [row.id for row in rows]
    if outbox is not None:
        outbox(session, settings, ids)
    return ids


def mail_staff(
    session: Session,
    settings: Settings,
    outbox: Outbox | None,
    *,
    users: Iterable[str] = (),
    roles: Iterable[str] = (),
    subject: str,
    body: str,
    instance_id: int | None,
    now: datetime,
) -> list[int]:
    """E-mail people of the office (escalations): only when an SMTP server is configured."""
    if not settings.smtp_host:
        return []
    recipients: list[tuple[str | None, str]] = list(people_addresses(session, users, roles))
    return queue_mail(
        session, settings, outbox, recipients, subject, body, instance_id=instance_id, now=now
    )


def requester_address(xml: str, process_id: str, data: dict[str, Any]) -> str | None:
    """The address in the start form's field marked ``surel_pemohon``, if any."""
    for field in start_fields(xml, process_id):
        mark = field.properties.get(REQUESTER_EMAIL_PROPERTY)
        if mark is None or mark.strip().lower() in ("tidak", "false", "no"):
            continue
        value = data.get(field.id)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return None


def mail_result(
    session: Session,
    settings: Settings,
    outbox: Outbox | None,
    *,
    definition_id: int,
    instance_id: int,
    business_key: str | None,
    data: dict[str, Any],
    now: datetime,
) -> list[int]:
    """A request ended: e-mail the requester (start-form field ``surel_pemohon``) the result
    with the tracking link; subject and text from the process's properties or the defaults."""
    definition = session.get(ProcessDefinition, definition_id)
    if definition is None:
        return []
    xml, process_id = definition.bpmn_xml, definition.process_id
    address = requester_address(xml, process_id, data)
    if address is None:
        return []
    properties = process_properties(xml, process_id)
    code = business_key or str(data.get("kode_pelacakan") or "")
    values = {
        **data,
        "kode_pelacakan": code,
        "layanan": definition.name or process_id,
        "tautan_pelacakan": f"{settings.base_url.rstrip('/')}/lacak/{code}",
    }
    subject = render_text(properties.get(RESULT_SUBJECT) or DEFAULT_SUBJECT, values)
    body = render_text(properties.get(RESULT_MESSAGE) or DEFAULT_MESSAGE, values)
    return queue_mail(
        session,
        settings,
        outbox,
        [(None, address)],
        subject,
        body,
        instance_id=instance_id,
        now=now,
    )
