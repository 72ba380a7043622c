"""Tracking codes for requesters, signed download links, and the public view of a request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import or_, select

from engine.models import AuditEntry, Document, HumanTask, ProcessInstance

#: no 0/O, 1/I/L: read aloud on the telephone without mistakes; 31^10 ≈ 8 * 10^14 codes
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
#: what a requester may download once the request is finished
PUBLIC_KINDS = ("surat_data", "lampiran_data", "lampiran_data_xlsx", "surat_penolakan", "tanda_terima")
DOWNLOAD_DAYS = 90


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="laksana-unduhan")


def download_token(code: str, document_id: str) -> str:
    return _serializer().dumps({"c": code, "d": document_id})


def read_token(token: str) -> tuple[str, str] | None:
    try:
        payload = _serializer().loads(token, max_age=DOWNLOAD_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(payload, dict):
        return None
    return payload.get("c"), payload.get("d")


@dataclass
class PublicStep:
    name: str
    at: datetime | None
    done: bool


@dataclass
class PublicStatus:
    code: str
    received: datetime
    status: str  # diproses / selesai / ditolak / dibatalkan
    steps: list[PublicStep]
    documents: list[Document]


def find_instance(session, code: str) -> ProcessInstance | None:
    if len(code) != CODE_LENGTH:
        return None
    return session.scalars(select(ProcessInstance).where(ProcessInstance.business_key == code)).first()


def _steps(session, instance_id: int) -> list[PublicStep]:
    done = session.execute(select(AuditEntry.element_name, AuditEntry.at).where(
        AuditEntry.instance_id == instance_id, AuditEntry.action == "completed").order_by(AuditEntry.at, AuditEntry.id))
    steps = [PublicStep(name or "", at, True) for name, at in done]
    waiting = session.execute(select(HumanTask.name, HumanTask.ready_at).where(HumanTask.instance_id == instance_id))
    steps += [PublicStep(name, at, False) for name, at in waiting]
    return steps


def deliverables(session, instance_id: int) -> list[Document]:
    """The final versions (not superseded drafts) of the documents a requester receives: the signed ones
    and the letters, data and receipt addressed to them."""
    documents = list(session.scalars(select(Document).where(
        Document.instance_id == instance_id, or_(Document.signed.is_(True), Document.kind.in_(PUBLIC_KINDS)))
        .order_by(Document.created_at)))
    replaced = {doc.supersedes for doc in documents if doc.supersedes}
    return [doc for doc in documents if doc.id not in replaced]


def _status(instance: ProcessInstance, refused: bool) -> str:
    if instance.status == "cancelled":
        return "dibatalkan"
    if instance.status == "completed":
        return "ditolak" if refused else "selesai"
    return "diproses"


def public_status(session, instance: ProcessInstance) -> PublicStatus:
    refused = bool(session.scalar(select(AuditEntry.id).where(
        AuditEntry.instance_id == instance.id, AuditEntry.action == "completed",
        AuditEntry.data["kadin_keputusan"].as_string() == "tolak").limit(1)))
    status = _status(instance, refused)
    documents = deliverables(session, instance.id) if status in ("selesai", "ditolak") else []
    return PublicStatus(instance.business_key or "", instance.started_at, status, _steps(session, instance.id),
                        documents)
