"""What the complainant sees with the tracking code, and their reply to the response.

The status page shows the complainant's own subject, the milestones with
their dates, and the response; never the unit's internal notes, the
investigation, or the officers' names. A reply (satisfaction and a message)
is accepted once, while the response awaits it; it is kept in the register and
sent to the process as the message ``balasan_pengadu_diterima`` (``REPLY_MESSAGE``, correlated
by the register number, the instance's business key), which moves the complaint from waiting
to the desk's step ``konfirmasi_pengadu``, pre-filled with what the complainant sent; the desk
is told and closes the complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.notifications import add_notification
from reports.formatting import tanggal

from .catalog import CHANNELS, SATISFACTION, auto_close_day, label
from .email import DESK_ROLE
from .intake import clean_text
from .models import Complaint

MAX_REPLY = 2000
#: the message the process waits for after the response (``processes/pengaduan_layanan.bpmn``)
REPLY_MESSAGE = "balasan_pengadu_diterima"
#: the public status once the complainant has replied and the desk has yet to close it
REPLIED_STATUS = "Balasan Anda sudah diterima, pengaduan segera ditutup petugas"
PUBLIC_STATUS = {
    "diterima": "Diterima, sedang diverifikasi",
    "tidak_lengkap": "Dijawab: pengaduan belum lengkap",
    "bukan_kewenangan": "Dijawab: bukan kewenangan Dinas",
    "diteruskan": "Diteruskan kepada unit terkait",
    "ditangani": "Sedang ditindaklanjuti",
    "ditanggapi": "Sudah ditanggapi, menunggu balasan Anda",
    "selesai": "Selesai",
}

#: the status shown once the office terminated the complaint's request in the console
TERMINATED_STATUS = "Dihentikan oleh Dinas"


@dataclass
class Milestone:
    name: str
    at: datetime | None


@dataclass
class PublicView:
    code: str
    register_number: str
    received: datetime
    channel: str
    subject: str
    status: str
    status_label: str
    milestones: list[Milestone]
    response: str | None
    may_reply: bool
    reply: str | None
    satisfaction: str | None
    reply_by: date | None = None
    #: why the office ended the complaint's request in the operations console, once it has
    ended_reason: str | None = None


def public_view(complaint: Complaint) -> PublicView:
    steps = [
        ("Pengaduan diterima", complaint.waktu),
        ("Diverifikasi", complaint.diverifikasi_pada),
        ("Diteruskan kepada unit terkait", complaint.pemberitahuan_unit),
        ("Mulai ditindaklanjuti", complaint.tindak_lanjut_pertama),
        ("Ditanggapi", complaint.ditanggapi_pada),
        ("Selesai", complaint.tanggal_selesai),
    ]
    return PublicView(
        code=complaint.kode_pelacakan,
        register_number=complaint.nomor_register,
        received=complaint.waktu,
        channel=label(CHANNELS, complaint.saluran),
        subject=complaint.judul,
        status=complaint.status,
        status_label=(
            REPLIED_STATUS
            if complaint.status == "ditanggapi" and complaint.dibalas_pada is not None
            else PUBLIC_STATUS.get(complaint.status, complaint.status)
        ),
        milestones=[Milestone(name, at) for name, at in steps if at is not None],
        response=complaint.tanggapan if complaint.ditanggapi_pada else None,
        may_reply=complaint.status == "ditanggapi" and complaint.dibalas_pada is None,
        reply=complaint.balasan_pengadu,
        satisfaction=label(SATISFACTION, complaint.kepuasan) if complaint.kepuasan else None,
        reply_by=_reply_by(complaint),
    )


def _reply_by(complaint: Complaint) -> date | None:
    """The last day to reply before the complaint closes itself."""
    if complaint.status != "ditanggapi" or complaint.ditanggapi_pada is None:
        return None
    return auto_close_day(complaint.ditanggapi_pada)


class ReplyRefused(Exception):
    """The reply cannot be taken; ``errors`` maps fields to messages for people."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def reply_payload(complaint: Complaint) -> dict[str, str]:
    """What the reply message carries into the process (the desk's form fields)."""
    return {
        "kepuasan": complaint.kepuasan or "",
        "balasan_pengadu": complaint.balasan_pengadu or "",
        "dibalas_pada": complaint.dibalas_pada.isoformat() if complaint.dibalas_pada else "",
    }


def record_reply(
    session, complaint: Complaint, satisfaction: str | None, message: str | None, now: datetime
) -> None:
    """Keep the complainant's reply and tell the complaint desk (the caller sends the message)."""
    errors: dict[str, str] = {}
    text = clean_text(message, multiline=True)
    if complaint.dibalas_pada is not None:
        errors["kepuasan"] = (
            f"Balasan Anda sudah kami terima pada {tanggal(complaint.dibalas_pada)}."
        )
    elif complaint.status != "ditanggapi":
        errors["kepuasan"] = "Pengaduan ini tidak sedang menunggu balasan."
    if satisfaction not in SATISFACTION:
        errors["kepuasan"] = errors.get("kepuasan") or "Pilih tingkat kepuasan Anda."
    if len(text) > MAX_REPLY:
        errors["balasan"] = f"Balasan terlalu panjang (paling banyak {MAX_REPLY} karakter)."
    if errors:
        raise ReplyRefused(errors)
    complaint.kepuasan, complaint.balasan_pengadu, complaint.dibalas_pada = (
        satisfaction,
        text or None,
        now,
    )
    add_notification(
        session,
        instance_id=complaint.instance_id,
        recipient_role=DESK_ROLE,
        kind="pengaduan",
        subject=f"Pengadu membalas tanggapan pengaduan {complaint.nomor_register}",
        body=f"Kepuasan: {SATISFACTION[satisfaction]}.\n{text or '(tanpa pesan)'}\n"
        f'Periksa balasan ini dan tutup pengaduan pada langkah "Memeriksa balasan pengadu dan '
        f'menutup pengaduan" (dibalas {tanggal(now)}).',
        created_at=now,
    )
