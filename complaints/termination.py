"""Telling a complainant that an operator terminated their complaint's process in the console.

The complaint's process data holds nothing that identifies the complainant, so the engine's own
termination e-mail (``engine.mail.mail_terminated``) finds no address: the register tells them,
once, the way it sends its other messages (``email.notify_complainant``: e-mail in the
termination's transaction, or a note for the complaint desk without SMTP or an address).
Declared with ``registration.termination_notice``.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.config import Settings
from engine.termination import Terminated
from reports.formatting import tanggal

from . import email
from .intake import PROCESS_ID
from .models import Complaint
from .topics import STATUS_PAGE_PATH


def tell_complainant(session: Session, settings: Settings, ended: Terminated) -> bool:
    """True when ``ended`` is a complaint's process (its complainant is told here)."""
    complaint = _complaint_of(session, ended)
    if complaint is None:
        return False
    subject, body = terminated_message(complaint, settings.base_url, ended.reason)
    email.notify_complainant(
        session, settings, ended.instance_id, ended.now, complaint.pelapor_email, subject, body
    )
    return True


def _complaint_of(session: Session, ended: Terminated) -> Complaint | None:
    linked = Complaint.instance_id == ended.instance_id
    if ended.process_id == PROCESS_ID and ended.business_key:
        linked = or_(linked, Complaint.nomor_register == ended.business_key)
    return session.scalars(select(Complaint).where(linked)).first()


def terminated_message(complaint: Complaint, base_url: str, reason: str) -> tuple[str, str]:
    greeting = (
        f"Yth. {complaint.pelapor_nama}," if complaint.pelapor_nama else "Yth. Bapak/Ibu pengadu,"
    )
    status_url = f"{base_url.rstrip('/')}{STATUS_PAGE_PATH}?kode={complaint.kode_pelacakan}"
    body = "\n\n".join(
        [
            greeting,
            f"Penanganan pengaduan Anda nomor {complaint.nomor_register} tanggal "
            f'{tanggal(complaint.waktu)} tentang "{complaint.judul}" (layanan Pengaduan '
            "Layanan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara) "
            "dihentikan oleh Dinas.",
            f"Alasan: {reason}",
            "Tanggapan dan dokumen yang sudah Anda terima untuk pengaduan ini tetap berlaku.",
            f"Status pengaduan dapat dilihat di {status_url}",
            f"Kode pelacakan: {complaint.kode_pelacakan}",
        ]
    )
    return f"Pengaduan {complaint.nomor_register} dihentikan", body
