"""The complaint as the task and instance pages show it, above the step's form: what was sent,
by whom (to those who may know), through which channel, when (WIB), and its attachments.

Registered as an instance panel (``engine.plugins.InstancePanel``): the generic task page knows
nothing of complaints. The pages name the instance from the diagram's ``instance_noun``
("Pengaduan") and its business key, the register number. The full text goes to the complaint desk and leadership (the log book's
readers); the unit complained about works from the identity-free summary and gets no panel.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.plugins import InstancePanel

from .catalog import (
    CATEGORIES,
    CHANNELS,
    HANDLING,
    SATISFACTION,
    STATUSES,
    UNITS,
    VERIFICATION_RESULTS,
    WEIGHTS,
    label,
)
from .logbook import DESK_ROLES, LOG_READERS, may_see_identity
from .models import Complaint

TEMPLATE = "complaints/_panel.html"
#: the document kind of a complainant's attachment (``pengaduan…``: identity, desk only)
ATTACHMENT_KIND = "pengaduan_lampiran"
#: the process data's codes and their words (the diagram's enums name most; the channel and
#: the status are set by the register, not by a form)
DATA_LABELS = {
    "kanal": CHANNELS,
    "status_pengaduan": STATUSES,
    "kategori": CATEGORIES,
    "unit_terlapor": UNITS,
    "unit_penanganan": UNITS,
    "saran_unit": UNITS,
    "klasifikasi": WEIGHTS,
    "saran_klasifikasi": WEIGHTS,
    "hasil_verifikasi": VERIFICATION_RESULTS,
    "cara_penanganan": HANDLING,
    "kepuasan": SATISFACTION,
}


def _complainant(complaint: Complaint) -> dict[str, Any]:
    return {
        "name": complaint.pelapor_nama,
        "contact": complaint.pelapor_kontak,
        "nik": complaint.pelapor_nik,
        "confidential": complaint.rahasia,
    }


def _context(complaint: Complaint, roles: set[str]) -> dict[str, Any]:
    """Plain values for the template (labels in Bahasa Indonesia; the template translates them)."""
    return {
        "id": complaint.id,
        "register_number": complaint.nomor_register,
        "tracking_code": complaint.kode_pelacakan if roles & DESK_ROLES else None,
        "received": complaint.waktu,
        "channel": label(CHANNELS, complaint.saluran),
        "lapor_number": complaint.nomor_lapor,
        "subject": complaint.judul,
        "text": complaint.isi,
        "category": label(CATEGORIES, complaint.kategori) if complaint.kategori else None,
        "unit": label(UNITS, complaint.unit_diadukan) if complaint.unit_diadukan else None,
        "complainant": _complainant(complaint) if may_see_identity(roles, complaint) else None,
    }


def complaint_panel(engine, instance, reader) -> InstancePanel | None:
    """The complaint behind ``instance`` for the desk and leadership; words for its codes for all."""
    roles = set(getattr(reader, "roles", ()) or ())
    with engine.db.transaction() as session:
        complaint = session.scalars(
            select(Complaint).where(Complaint.instance_id == instance.id)
        ).first()
        if complaint is None:
            return None
        context = _context(complaint, roles) if roles & LOG_READERS else {}
    if context:
        context["attachments"] = [
            doc for doc in engine.documents.for_instance(instance.id) if doc.kind == ATTACHMENT_KIND
        ]
    return InstancePanel(
        template=TEMPLATE if context else "",
        context=context,
        labels=DATA_LABELS,
    )
