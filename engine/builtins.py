"""The topics the engine itself serves: ``notify.send`` and ``archive.store``."""

from __future__ import annotations

import string
from typing import Any

from sqlalchemy import select

from .archive import sha256_hex
from .models import Document, Notification
from .services import ServiceCall, ServiceError, ServiceRegistry


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "-"


def render_text(template: str, data: dict[str, Any]) -> str:
    """``{key}`` placeholders from the task data; unknown keys show as '-'; no attribute access."""
    fields = _Blank(
        {k: ("-" if v is None else v) for k, v in data.items() if isinstance(v, (str, int, float))}
    )
    safe = "".join(
        literal + ("{" + name + "}" if name and name.isidentifier() else "")
        for literal, name, _spec, _conv in string.Formatter().parse(
            template.replace("{{", "\0").replace("}}", "\1")
        )
    )
    return safe.format_map(fields).replace("\0", "{").replace("\1", "}")


def notify_send(call: ServiceCall) -> dict[str, Any]:
    """Store an in-app notification for a role and/or a user, and an e-mail for an address."""
    props = call.properties
    subject = render_text(props.get("subject", "Pemberitahuan"), call.data)
    body = render_text(props.get("message", ""), call.data)
    kind = props.get("kind", "info")
    recipients: list[dict[str, str | None]] = []
    if props.get("recipient_role"):
        recipients.append({"role": props["recipient_role"]})
    user = props.get("recipient_user") or call.data.get(props.get("recipient_user_field", ""), None)
    if user:
        recipients.append({"user": str(user)})
    email = call.data.get(props.get("recipient_email_field", ""), None)
    if email:
        recipients.append({"email": str(email)})
    if not recipients:
        raise ServiceError(
            f"{call.element_id}: notify.send needs recipient_role, recipient_user(_field) "
            "or recipient_email_field"
        )
    for r in recipients:
        call.session.add(
            Notification(
                instance_id=call.instance_id,
                recipient_role=r.get("role"),
                recipient_user=r.get("user"),
                recipient_email=r.get("email"),
                subject=subject[:255],
                body=body,
                kind=kind,
                created_at=call.now,
            )
        )
    if kind == "escalation" and call.audit is not None:
        call.audit(
            "escalated",
            {"to": [r.get("role") or r.get("user") for r in recipients], "subject": subject},
        )
    return {}


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
