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
- the requester, when a request ends: see :func:`mail_result`;
- the requester, when an operator terminates the request: see :func:`mail_terminated`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from .bpmn_info import BPMN, CAMUNDA, process_properties
from .config import Settings
from .models import Notification, ProcessDefinition, User
from .notifications import first_in_transaction
from .parser import safe_xml_parser
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
#: process ``camunda:properties`` for the e-mail when an operator terminates the request (the
#: result's placeholders plus ``{alasan_penghentian}``, the reason given in the console)
TERMINATED_SUBJECT = "terminated_subject"
TERMINATED_MESSAGE = "terminated_message"
DEFAULT_TERMINATED_SUBJECT = "Permohonan {kode_pelacakan} dihentikan"
DEFAULT_TERMINATED_MESSAGE = (
    "Permohonan Anda untuk layanan {layanan} dengan kode pelacakan {kode_pelacakan} "
    "dihentikan oleh Dinas.\n"
    "Alasan: {alasan_penghentian}\n"
    "Dokumen yang sudah diterbitkan untuk permohonan ini tetap berlaku dan dapat diunduh di "
    "{tautan_pelacakan}"
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


def marked_address(xml: str, process_id: str, data: dict[str, Any]) -> str | None:
    """The requester's address from any form of the process: the start form's field marked
    ``surel_pemohon`` first, then a task form's (the data SOP asks for it at registration)."""
    found = requester_address(xml, process_id, data)
    if found is not None:
        return found
    for field_id in _marked_task_fields(xml, process_id):
        value = data.get(field_id)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return None


@lru_cache(maxsize=32)
def _marked_task_fields(xml: str, process_id: str) -> tuple[str, ...]:
    root = etree.fromstring(xml.encode("utf-8"), parser=safe_xml_parser())
    marked = []
    for process in root.iter(f"{BPMN}process"):
        if process.get("id") != process_id:
            continue
        for field in process.iter(f"{CAMUNDA}formField"):
            marks = [
                prop.get("value") or ""
                for prop in field.iter(f"{CAMUNDA}property")
                if prop.get("id") == REQUESTER_EMAIL_PROPERTY
            ]
            if marks and marks[0].strip().lower() not in ("tidak", "false", "no"):
                marked.append(field.get("id") or "")
    return tuple(marked)


def _requester_values(
    settings: Settings, definition: ProcessDefinition, business_key: str | None, data: dict
) -> dict[str, Any]:
    """The data plus what every requester's e-mail may name: code, service, tracking link."""
    code = business_key or str(data.get("kode_pelacakan") or "")
    return {
        **data,
        "kode_pelacakan": code,
        "layanan": definition.name or definition.process_id,
        "tautan_pelacakan": f"{settings.base_url.rstrip('/')}/lacak/{code}",
    }


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
    values = _requester_values(settings, definition, business_key, data)
    texts = (RESULT_SUBJECT, DEFAULT_SUBJECT, RESULT_MESSAGE, DEFAULT_MESSAGE)
    return _queue_to_requester(
        session, settings, outbox, definition, address, values, texts, (instance_id, now)
    )


def mail_terminated(
    session: Session,
    settings: Settings,
    outbox: Outbox | None,
    *,
    definition_id: int,
    instance_id: int,
    business_key: str | None,
    data: dict[str, Any],
    reason: str,
    now: datetime,
) -> list[int]:
    """An operator terminated a request: e-mail the requester (a field marked ``surel_pemohon``
    in any of the process's forms) the reason, the tracking link and that the documents already
    issued stay valid; subject and text from the process's properties or the defaults."""
    definition = session.get(ProcessDefinition, definition_id)
    if definition is None:
        return []
    xml, process_id = definition.bpmn_xml, definition.process_id
    address = marked_address(xml, process_id, data)
    if address is None:
        return []
    values = {
        **_requester_values(settings, definition, business_key, data),
        "alasan_penghentian": reason,
    }
    texts = (
        TERMINATED_SUBJECT,
        DEFAULT_TERMINATED_SUBJECT,
        TERMINATED_MESSAGE,
        DEFAULT_TERMINATED_MESSAGE,
    )
    return _queue_to_requester(
        session, settings, outbox, definition, address, values, texts, (instance_id, now)
    )


def _queue_to_requester(
    session: Session,
    settings: Settings,
    outbox: Outbox | None,
    definition: ProcessDefinition,
    address: str,
    values: dict[str, Any],
    texts: tuple[str, str, str, str],
    when: tuple[int, datetime],
) -> list[int]:
    """Queue one mail to the requester of instance ``when[0]`` at ``when[1]``; ``texts`` =
    (subject property, its default, message property, its default): the process's properties
    win over the defaults."""
    subject_key, default_subject, message_key, default_message = texts
    instance_id, now = when
    properties = process_properties(definition.bpmn_xml, definition.process_id)
    subject = render_text(properties.get(subject_key) or default_subject, values)
    body = render_text(properties.get(message_key) or default_message, values)
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
