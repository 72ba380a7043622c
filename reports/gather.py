"""Reading what the documents need from the engine store (users, audit rows, definitions).

The PDF modules never touch the database; the handlers in ``reports.topics``
and the CLI collect their inputs here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar import OFFICE_TZ
from engine.delegations import KINDS
from engine.models import AuditEntry, Document, ProcessDefinition, ProcessInstance, User

from .bpmn_sop import boundary_branch_elements, parse_sop
from .formatting import as_wib, tanggal
from .layout import Official

HEAD_ROLE = "kepala_dinas"
CASCADE_ELEMENTS = ("disposisi_kadin", "disposisi_kabid", "beri_akses")


def user_names(session: Session) -> dict[str, str]:
    return {u.username: u.full_name or u.username for u in session.scalars(select(User))}


def official_for(user: User | None, position: str | None = None) -> Official:
    if user is None:
        return Official(position=position) if position else Official()
    rank = getattr(user, "rank", "") or ""
    kwargs = {"position": position} if position else {}
    return Official(name=user.full_name or user.username, nip=user.nip or "", rank=rank, **kwargs)


def find_user(session: Session, username: str | None) -> User | None:
    if not username:
        return None
    return session.scalars(select(User).where(User.username == username)).first()


def completions(
    session: Session, instance_id: int, element_ids: tuple[str, ...]
) -> dict[str, AuditEntry]:
    """The last ``completed`` audit row of each element."""
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.instance_id == instance_id,
            AuditEntry.action == "completed",
            AuditEntry.element_id.in_(element_ids),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return {row.element_id: row for row in rows}


def cascade_actors(session: Session, instance_id: int) -> dict[str, tuple[str, datetime | None]]:
    names = user_names(session)
    return {
        element: (names.get(row.actor or "", row.actor or ""), row.at)
        for element, row in completions(session, instance_id, CASCADE_ELEMENTS).items()
    }


def acting_label(session: Session, row: AuditEntry) -> str:
    """ "Plh. Kepala Dinas" for a step an acting official did (the delegator's position), else ""."""
    if not row.on_behalf_of:
        return ""
    official = find_user(session, row.on_behalf_of)
    position = (official.position or official.full_name) if official else row.on_behalf_of
    return f"{KINDS.get(row.acting_kind or '', row.acting_kind or '')} {position}".strip()


def head_of_office(session: Session, instance_id: int | None) -> Official:
    """The Kepala Dinas who dispositioned this letter, else the first active user with the role.

    When an acting official (Plh/Plt) did that step, they sign: their name under "Plh. KEPALA
    DINAS ..." (the audit row's ``on_behalf_of`` and kind)."""
    user = None
    if instance_id is not None:
        done = completions(session, instance_id, ("tanda_tangan_kadin", "disposisi_kadin"))
        row = done.get("tanda_tangan_kadin") or done.get("disposisi_kadin")
        user = find_user(session, row.actor if row else None)
        if user is not None and row is not None and row.on_behalf_of:
            prefix = KINDS.get(row.acting_kind or "", row.acting_kind or "")
            return official_for(user, f"{prefix} {Official().position}")
    if user is None:
        heads = [
            u
            for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
            if u.has_role(HEAD_ROLE)
        ]
        user = heads[0] if heads else None
    return official_for(user)


def audit_events(session: Session, instance_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.instance_id == instance_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {
            "action": r.action,
            "element_id": r.element_id,
            "element_name": r.element_name,
            "actor": r.actor,
            "at": r.at,
            "data": dict(r.data or {}),
            "task_id": r.task_id,
            "acting": acting_label(session, r),
        }
        for r in rows
    ]


def standards_for(
    definition: ProcessDefinition | None,
) -> tuple[dict[str, tuple[float, str]], set[str]]:
    """Standard minutes and SOP step numbers per element, and the escalation-branch elements."""
    if definition is None or not definition.bpmn_xml:
        return {}, set()
    model = parse_sop(definition.bpmn_xml)
    standards = {s.element_id: (s.minutes, str(s.number)) for s in model.steps}
    return standards, boundary_branch_elements(definition.bpmn_xml)


def definition_of(session: Session, instance: ProcessInstance) -> ProcessDefinition | None:
    return session.get(ProcessDefinition, instance.definition_id)


def instance_summary(session: Session, instance: ProcessInstance) -> dict[str, Any]:
    definition = definition_of(session, instance)
    return {
        "id": instance.id,
        "title": instance.title,
        "process_name": definition.name if definition else instance.process_id,
        "business_key": instance.business_key,
        "status": instance.status,
        "started_at": instance.started_at,
        "ended_at": instance.ended_at,
        "started_by": instance.started_by,
    }


def documents_of(session: Session, instance_id: int) -> list[Document]:
    return list(
        session.scalars(
            select(Document)
            .where(Document.instance_id == instance_id)
            .order_by(Document.created_at, Document.id)
        )
    )


def day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """UTC moments of the start of ``date_from`` and the end of ``date_to`` (days in WIB)."""
    start = datetime.combine(date_from, time.min, tzinfo=OFFICE_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=OFFICE_TZ)
    return as_wib(start), as_wib(end)


def agenda_entries(session: Session, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Incoming letters registered in the range (``registrasi_surat`` completions), with their fate."""
    start, end = day_bounds(date_from, date_to)
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.action == "completed",
            AuditEntry.element_id == "registrasi_surat",
            AuditEntry.at >= start,
            AuditEntry.at < end,
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    entries = []
    for row in rows:
        entry = dict(row.data or {})
        entry.setdefault("tanggal_diterima", as_wib(row.at).date().isoformat())
        decision = completions(session, row.instance_id, ("disposisi_kadin",)).get(
            "disposisi_kadin"
        )
        choice = (decision.data or {}).get("kadin_keputusan") if decision else None
        entry["diteruskan_kepada"] = {
            "teruskan": "Kabid PIAK",
            "tolak": "Ditolak (surat penolakan)",
        }.get(choice or "", "Kepala Dinas")
        instance = session.get(ProcessInstance, row.instance_id) if row.instance_id else None
        entry["tindak_lanjut"] = _fate(instance)
        entries.append(entry)
    return entries


def _fate(instance: ProcessInstance | None) -> str:
    if instance is None:
        return "-"
    statuses = {
        "running": "Dalam proses",
        "completed": "Selesai",
        "ended": "Selesai",
        "cancelled": "Dibatalkan",
    }
    text = statuses.get(instance.status, instance.status)
    if instance.ended_at:
        text += f", {tanggal(instance.ended_at)}"
    return text
