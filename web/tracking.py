"""Tracking codes for requesters, signed download links, and the public view of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from engine import bpmn_info, tracking_codes
from engine.documents import DocumentView
from engine.records import HistoryEntry, InstanceView, TaskView
from webkit.current import get_registration

#: the codes of requests registered before the office's one format (``engine.tracking_codes``):
#: ten characters without dashes; still found
OLD_CODE_LENGTH = 10
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


#: an end event with the property ``hasil`` = ``ditolak`` ends a refused request
RESULT_PROPERTY, REFUSED = "hasil", "ditolak"
#: that end event's property naming the data key that holds the reason quoted to the requester
REASON_PROPERTY = "alasan_penolakan"


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
    #: the name of the end event a finished request reached ("Data terkirim kepada pemohon")
    outcome: str | None = None


def find_instance(engine, code: str) -> InstanceView | None:
    if len(code) != OLD_CODE_LENGTH and tracking_codes.normalise(code) != code:
        return None
    return engine.instance_by_key(code)


def reached_end(engine, instance: InstanceView) -> bpmn_info.ElementInfo | None:
    """The end event of the request's own path (not an escalation branch) that a finished
    instance reached; one marked ``hasil=ditolak`` first."""
    if instance.status != "completed":
        return None
    xml = engine.definition_xml(instance.process_id, instance.version)
    side = bpmn_info.side_branch(xml)
    found = bpmn_info.elements(xml)
    reached = [
        found[e]
        for e in engine.element_states(instance.id)["completed"]
        if e in found and found[e].kind == "endEvent" and e not in side
    ]
    reached.sort(key=lambda end: not refuses(end))
    return reached[0] if reached else None


def refuses(end: bpmn_info.ElementInfo) -> bool:
    return (end.prop(RESULT_PROPERTY) or "").strip() == REFUSED


def refusing_step(history: list[HistoryEntry], reason_key: str | None) -> HistoryEntry | None:
    """The step that refused: the last one that wrote the reason, else the last one done."""
    done = [entry for entry in history if entry.action == "completed"]
    if reason_key:
        wrote = [entry for entry in done if str(entry.data.get(reason_key) or "").strip()]
        if wrote:
            return wrote[-1]
    return done[-1] if done else None


def _steps(
    history: list[HistoryEntry], waiting: list[TaskView], refused_by: HistoryEntry | None
) -> list[PublicStep]:
    steps = [
        PublicStep(entry.name or "", entry.at, True, entry is refused_by)
        for entry in history
        if entry.action == "completed"
    ]
    return steps + [PublicStep(task.name, task.ready_at, False) for task in waiting]


#: a process property: the unsigned document kinds its requester receives, comma-separated
#: (a Word template's kind is its file name without ``.docx``)
REQUESTER_DOCUMENTS = "requester_documents"


def public_kinds(engine, instance_id: int) -> set[str]:
    """Unsigned document kinds the requester receives: the plug-ins' declarations
    (``Registration.public_documents``) and the process's ``requester_documents`` property."""
    instance = engine.instance(instance_id)
    xml = bpmn_info.deployed_xml(engine, instance.process_id, instance.version)
    listed = bpmn_info.process_properties(xml, instance.process_id).get(REQUESTER_DOCUMENTS, "")
    return get_registration().public_document_kinds | {
        kind.strip() for kind in listed.split(",") if kind.strip()
    }


def deliverables(engine, instance_id: int) -> list[DocumentView]:
    """The final versions (not superseded drafts) of the documents a requester receives: the signed
    ones and the unsigned kinds of :func:`public_kinds`."""
    public = public_kinds(engine, instance_id)
    documents = [
        doc
        for doc in engine.documents.for_instance(instance_id)
        if doc.signed or doc.kind in public
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
    """What the requester sees; the outcome is read from the end event the instance reached, so
    any public process shows its own (``hasil`` = ``ditolak``, ``alasan_penolakan`` = data key)."""
    history = engine.history(instance.id)
    end = reached_end(engine, instance)
    refused = end is not None and refuses(end)
    reason_key = end.prop(REASON_PROPERTY) if end is not None and refused else None
    refused_by = refusing_step(history, reason_key) if refused else None
    status = _status(instance, refused)
    documents = []
    if status in ("selesai", "ditolak", "dibatalkan"):  # an ended request keeps its documents
        documents = deliverables(engine, instance.id)
    reason = refused_by.data.get(reason_key) if refused_by is not None and reason_key else None
    return PublicStatus(
        instance.business_key or "",
        instance.started,
        status,
        _steps(history, engine.tasks(instance_id=instance.id), refused_by),
        documents,
        termination_reason(history) if status == "dibatalkan" else str(reason) if reason else None,
        end.name if end is not None and status == "selesai" and end.name != end.id else None,
    )
