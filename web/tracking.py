"""Tracking codes for requesters, signed download links, and the public view of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from engine import tracking_codes
from engine.documents import DocumentView
from engine.records import HistoryEntry, InstanceView, TaskView

#: the codes of requests registered before the office's one format (``engine.tracking_codes``):
#: ten characters without dashes; still found
OLD_CODE_LENGTH = 10
#: what a requester may download once the request is finished
PUBLIC_KINDS = (
    "surat_data",
    "lampiran_data",
    "lampiran_data_xlsx",
    "surat_penolakan",
    "tanda_terima",
)
DOWNLOAD_DAYS = 90


def new_code() -> str:
    """A request's tracking code, in the same format as a complaint's (``XXXX-XXXX-XXXX``)."""
    return tracking_codes.new_code()


def normalise(code: str | None) -> str:
    """A typed code as it is kept: ``K7QX-3MPA-9RTB`` for the current format, else its letters
    and digits in capitals (the old ten-character codes)."""
    return (
        tracking_codes.normalise(code)
        or "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]
    )


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


#: the data SOP's decisions that refuse a request (the disposition and the signing step)
REFUSING_DECISIONS = (("kadin_keputusan", "tolak"), ("ttd_keputusan", "tolak"))
#: the reason the refusal letter quotes to the requester
REFUSAL_REASON_KEY = "kadin_alasan_penolakan"


@dataclass
class PublicStep:
    name: str
    at: datetime | None
    done: bool
    refused: bool = False


@dataclass
class PublicStatus:
    code: str
    received: datetime
    status: str  # diproses / selesai / ditolak / dibatalkan
    steps: list[PublicStep]
    documents: list[DocumentView]
    #: the reason quoted in the refusal letter once refused, or the reason it was terminated
    reason: str | None = None


def find_instance(engine, code: str) -> InstanceView | None:
    if len(code) != OLD_CODE_LENGTH and tracking_codes.normalise(code) != code:
        return None
    return engine.instance_by_key(code)


def refusing(entry: HistoryEntry) -> bool:
    return entry.action == "completed" and any(
        entry.data.get(key) == value for key, value in REFUSING_DECISIONS
    )


def _steps(history: list[HistoryEntry], waiting: list[TaskView]) -> list[PublicStep]:
    steps = [
        PublicStep(entry.name or "", entry.at, True, refusing(entry))
        for entry in history
        if entry.action == "completed"
    ]
    return steps + [PublicStep(task.name, task.ready_at, False) for task in waiting]


def deliverables(engine, instance_id: int) -> list[DocumentView]:
    """The final versions (not superseded drafts) of the documents a requester receives: the signed ones
    and the letters, data and receipt addressed to them."""
    documents = [
        doc
        for doc in engine.documents.for_instance(instance_id)
        if doc.signed or doc.kind in PUBLIC_KINDS
    ]
    replaced = {doc.supersedes for doc in documents if doc.supersedes}
    return [doc for doc in documents if doc.id not in replaced]


def _status(instance: InstanceView, refused: bool) -> str:
    if instance.status == "cancelled":
        return "dibatalkan"
    if instance.status == "completed":
        return "ditolak" if refused else "selesai"
    return "diproses"


def termination_reason(history: list[HistoryEntry]) -> str | None:
    """Why the office ended the request: the reason given when terminating it in the console."""
    ended = next((entry for entry in reversed(history) if entry.action == "cancelled"), None)
    return (ended.data or {}).get("reason") if ended is not None else None


def public_status(engine, instance: InstanceView) -> PublicStatus:
    history = engine.history(instance.id)
    refusal = next((entry for entry in reversed(history) if refusing(entry)), None)
    status = _status(instance, refusal is not None)
    documents = []
    if status in ("selesai", "ditolak", "dibatalkan"):  # an ended request keeps its documents
        documents = deliverables(engine, instance.id)
    return PublicStatus(
        instance.business_key or "",
        instance.started,
        status,
        _steps(history, engine.tasks(instance_id=instance.id)),
        documents,
        termination_reason(history)
        if status == "dibatalkan"
        else refusal.data.get(REFUSAL_REASON_KEY)
        if refusal is not None and status == "ditolak"
        else None,
    )
