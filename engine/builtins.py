"""The topics the engine itself serves: ``notify.send`` and ``archive.store``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .archive import sha256_hex
from .mail import mail_staff, queue_mail
from .models import Document, Notification
from .notifications import remember_notice, written_notice
from .placeholders import render_text
from .services import ServiceCall, ServiceError, ServiceRegistry

__all__ = ["archive_store", "notify_send", "register", "register_builtins", "render_text"]


def notify_send(call: ServiceCall) -> dict[str, Any]:
    """In-app notifications for a role and/or a user, and an e-mail to an address in the data.

    Properties: ``recipient_role``, ``recipient_user`` or ``recipient_user_field``,
    ``recipient_email_field`` (a data key holding an address), ``subject`` and ``message``
    (``{key}`` placeholders from the data), ``kind`` (``escalation`` also e-mails the role's
    holders and the user when SMTP is configured)."""
    props = call.properties
    subject = render_text(props.get("subject", "Pemberitahuan"), call.data)
    body = render_text(props.get("message", ""), call.data)
    kind = props.get("kind", "info")
    role = props.get("recipient_role") or None
    user = props.get("recipient_user") or call.data.get(props.get("recipient_user_field", ""), None)
    email = call.data.get(props.get("recipient_email_field", ""), None)
    if not (role or user or email):
        raise ServiceError(
            f"{call.element_id}: notify.send needs recipient_role, recipient_user(_field) "
            "or recipient_email_field"
        )
    for to_role, to_user in ((role, None), (None, str(user) if user else None)):
        if to_role or to_user:
            _notice(call, to_role, to_user, subject, body, kind)
    if email:
        queue_mail(
            call.session,
            call.settings,
            call.outbox,
            [(None, str(email))],
            subject,
            body,
            instance_id=call.instance_id,
            now=call.now,
        )
    if kind == "escalation":
        mail_staff(
            call.session,
            call.settings,
            call.outbox,
            users=[str(user)] if user else [],
            roles=[role] if role else [],
            subject=subject,
            body=body,
            instance_id=call.instance_id,
            now=call.now,
        )
        if call.audit is not None:
            call.audit("escalated", {"to": [r for r in (role, user) if r], "subject": subject})
    return {}


def _notice(
    call: ServiceCall, role: str | None, user: str | None, subject: str, body: str, kind: str
) -> None:
    """One in-app notice; when the engine already wrote the same one in this step (its own
    escalation notice to the same role), the diagram's kind and words replace it."""
    key = (call.instance_id, role, user, subject)
    existing = written_notice(call.session, key)
    if existing is not None:
        existing.kind, existing.body = kind, body
        return
    row = Notification(
        instance_id=call.instance_id,
        recipient_role=role,
        recipient_user=user,
        subject=subject[:255],
        body=body,
        kind=kind,
        created_at=call.now,
    )
    call.session.add(row)
    remember_notice(call.session, key, row)


def archive_store(call: ServiceCall) -> dict[str, Any]:
    """Mark the instance's documents (named by data keys) archived, checking each SHA-256."""
    keys = [k.strip() for k in call.properties.get("documents", "").split(",") if k.strip()]
    ids = [call.data[k] for k in keys if call.data.get(k)]
    if keys and not ids:
        raise ServiceError(f"none of the documents to archive exist yet ({', '.join(keys)})")
    for document in call.session.scalars(select(Document).where(Document.id.in_(ids))):
        if sha256_hex(document.content) != document.sha256:
            raise ServiceError(f"document {document.id} does not match its recorded SHA-256")
        document.archived = True
    missing = set(ids) - set(call.session.scalars(select(Document.id).where(Document.id.in_(ids))))
    if missing:
        raise ServiceError(f"documents not found in the archive: {', '.join(sorted(missing))}")
    return {"diarsipkan_pada": call.now.isoformat(), "dokumen_diarsipkan": ids}


def register_builtins(registry: ServiceRegistry) -> ServiceRegistry:
    registry.register("notify.send", notify_send)
    registry.register("archive.store", archive_store)
    return registry


def register(registration) -> None:
    """The engine's own topics, declared like a plug-in's (``engine.plugins.Registration``)."""
    registration.topic("notify.send", notify_send)
    registration.topic("archive.store", archive_store)
