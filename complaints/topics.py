"""The ``complaints.log`` topic: the process writes its steps into the complaint log book.

Each service task of ``pengaduan_layanan`` with this topic names a ``stage``
(``camunda:properties``); the handler finds the register row by the task data's
``nomor_register``, records what the step decided, appends an action with its
date, and returns ``status_pengaduan`` (and, for some stages, the moment the
next time limit counts from). ``email=unit`` tells the unit complained about
(without the complainant's identity); ``email=pengadu`` sends the response to
the complainant (``complaints.email``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine import calendar
from engine.clock import office_date
from engine.models import User
from engine.services import ServiceCall, ServiceError
from reports.formatting import tanggal, tanggal_jam

from . import email
from .catalog import (
    AUTO_CLOSE_WORKING_DAYS,
    CATEGORIES,
    CHANNELS,
    FIRST_FOLLOW_UP_WORKING_DAYS,
    HANDLING,
    SATISFACTION,
    UNITS,
    VERIFICATION_RESULTS,
    WEIGHTS,
    auto_close_day,
    label,
)
from .models import Complaint

TOPIC = "complaints.log"
STATUS_PAGE_PATH = "/pengaduan/status"


def office_day(moment: datetime) -> str:
    return office_date(moment).isoformat()


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value not in (None, "") else ""


def _officer_name(session, username: str | None) -> str | None:
    if not username:
        return None
    name = session.scalar(select(User.full_name).where(User.username == username))
    return name or username


# ---------------------------------------------------------------- stages
def _verified(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    data = call.data
    complaint.hasil_verifikasi = _text(data, "hasil_verifikasi") or None
    complaint.ringkasan = _text(data, "ringkasan")[:500]
    complaint.kategori = _text(data, "kategori") or complaint.kategori
    complaint.unit_diadukan = _text(data, "unit_terlapor") or complaint.unit_diadukan
    complaint.diverifikasi_pada = call.now
    complaint.petugas = _officer_name(call.session, call.actor)
    note = _text(data, "catatan_verifikasi")
    result = label(VERIFICATION_RESULTS, complaint.hasil_verifikasi)
    complaint.add_action(
        office_day(call.now), f"Diverifikasi: {result}" + (f" ({note})" if note else "")
    )
    return {}


def _forwarded(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    complaint.pemberitahuan_unit = call.now
    complaint.batas_tindak_lanjut = calendar.add_working_days(
        call.now, FIRST_FOLLOW_UP_WORKING_DAYS
    )
    complaint.status = "diteruskan"
    complaint.add_action(
        office_day(call.now), f"Diteruskan kepada {label(UNITS, complaint.unit_diadukan)}"
    )
    return {"diteruskan_pada": call.now.isoformat()}


def _classified(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    """The officer's weight and handling unit, beside the decision table's suggestion."""
    data = call.data
    complaint.bobot = _text(data, "klasifikasi") or None
    complaint.alasan_bobot = _text(data, "alasan_klasifikasi") or None
    weight, unit = complaint.bobot, _text(data, "unit_penanganan") or None
    suggested_weight, suggested_unit = _text(data, "saran_klasifikasi"), _text(data, "saran_unit")
    text = f"Ditetapkan sebagai pengaduan {label(WEIGHTS, weight).lower()}"
    if suggested_weight and suggested_weight != weight:
        text += f" (saran: {label(WEIGHTS, suggested_weight).lower()})"
    if unit:
        text += f", ditangani {label(UNITS, unit)}"
        if suggested_unit and suggested_unit != unit:
            text += f" (saran: {label(UNITS, suggested_unit)})"
    followed = (not suggested_weight or suggested_weight == weight) and (
        not suggested_unit or not unit or suggested_unit == unit
    )
    if followed and suggested_weight:
        text += " sesuai saran tabel keputusan"
    if complaint.alasan_bobot:
        text += f": {complaint.alasan_bobot}"
    complaint.add_action(office_day(call.now), text)
    return {}


def _first_follow_up(call: ServiceCall, complaint: Complaint) -> None:
    if complaint.tindak_lanjut_pertama is None:
        complaint.tindak_lanjut_pertama = call.now
    complaint.status = "ditangani"


def _handling_chosen(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    _first_follow_up(call, complaint)
    guidance = _text(call.data, "arahan_pimpinan")
    chosen = label(HANDLING, _text(call.data, "cara_penanganan"))
    complaint.add_action(
        office_day(call.now),
        f"Pimpinan menetapkan penanganan: {chosen}" + (f" ({guidance})" if guidance else ""),
    )
    return {}


def _decided(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    data, today = call.data, office_day(call.now)
    if _text(data, "cara_penanganan") == "rapat":
        complaint.add_action(
            _text(data, "tanggal_rapat") or today,
            f"Rapat pembahasan ({_text(data, 'peserta_rapat')}): {_text(data, 'kesimpulan_rapat')}",
        )
    else:
        complaint.add_action(
            today,
            f"Investigasi dan analisis: {_text(data, 'temuan_investigasi')}; "
            f"analisis: {_text(data, 'hasil_analisis')}",
        )
    complaint.add_action(today, f"Keputusan pimpinan: {_text(data, 'keputusan_penyelesaian')}")
    return {}


def _followed_up(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    _first_follow_up(call, complaint)
    day = _text(call.data, "tanggal_tindakan") or office_day(call.now)
    complaint.add_action(day, f"Tindakan unit: {_text(call.data, 'uraian_tindakan')}")
    return {}


def _responded(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    complaint.tanggapan = _text(call.data, "tanggapan")
    complaint.ditanggapi_pada = call.now
    complaint.status = "ditanggapi"
    complaint.add_action(office_day(call.now), "Tanggapan disampaikan kepada pengadu")
    return {"ditanggapi_pada": call.now.isoformat()}


def _answered_without_follow_up(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    """Incomplete, or not the office's authority: the answer closes the complaint."""
    complaint.tanggapan = _text(call.data, "tanggapan")
    complaint.ditanggapi_pada = complaint.tanggal_selesai = call.now
    complaint.status = complaint.hasil_verifikasi or "tidak_lengkap"
    complaint.add_action(
        office_day(call.now), "Jawaban disampaikan kepada pengadu; pengaduan ditutup"
    )
    return {}


def _closed(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    complaint.kepuasan = _text(call.data, "kepuasan") or complaint.kepuasan
    complaint.balasan_pengadu = _text(call.data, "balasan_pengadu") or complaint.balasan_pengadu
    complaint.tanggal_selesai = call.now
    complaint.status = "selesai"
    complaint.add_action(
        office_day(call.now),
        f"Pengaduan ditutup (kepuasan: {label(SATISFACTION, complaint.kepuasan)})",
    )
    return {}


def _closed_automatically(call: ServiceCall, complaint: Complaint) -> dict[str, Any]:
    complaint.tanggal_selesai = call.now
    complaint.status = "selesai"
    complaint.ditutup_otomatis = True
    reason = (
        f"tidak ada balasan dalam {AUTO_CLOSE_WORKING_DAYS} hari kerja setelah tanggapan"
        if complaint.dibalas_pada is None
        else "balasan daring pengadu belum ditindaklanjuti petugas"
    )
    complaint.add_action(office_day(call.now), f"Ditutup otomatis: {reason}")
    return {}


STAGES: dict[str, Callable[[ServiceCall, Complaint], dict[str, Any]]] = {
    "verifikasi": _verified,
    "diteruskan": _forwarded,
    "klasifikasi": _classified,
    "penanganan": _handling_chosen,
    "keputusan": _decided,
    "tindak_lanjut": _followed_up,
    "tanggapan": _responded,
    "jawaban": _answered_without_follow_up,
    "selesai": _closed,
    "ditutup_otomatis": _closed_automatically,
}


# ---------------------------------------------------------------- messages
def unit_message(complaint: Complaint) -> tuple[str, str]:
    """Subject and body for the unit: the complaint without who made it."""
    subject = f"Pengaduan {complaint.nomor_register} diteruskan kepada {label(UNITS, complaint.unit_diadukan)}"
    body = "\n".join(
        [
            f"Pengaduan nomor {complaint.nomor_register} diterima {tanggal_jam(complaint.waktu)} "
            f"melalui {label(CHANNELS, complaint.saluran)}.",
            f"Unit yang diadukan: {label(UNITS, complaint.unit_diadukan)}",
            f"Kategori: {label(CATEGORIES, complaint.kategori)}",
            f"Ringkasan: {complaint.ringkasan or '-'}",
            f"Tindak lanjut pertama paling lambat {tanggal_jam(complaint.batas_tindak_lanjut)}.",
            "Identitas pengadu dirahasiakan sesuai ketentuan pengelolaan pengaduan.",
        ]
    )
    return subject, body


def complainant_message(complaint: Complaint, base_url: str, final: bool) -> tuple[str, str]:
    greeting = (
        f"Yth. {complaint.pelapor_nama}," if complaint.pelapor_nama else "Yth. Bapak/Ibu pengadu,"
    )
    status_url = f"{base_url.rstrip('/')}{STATUS_PAGE_PATH}?kode={complaint.kode_pelacakan}"
    closing = (
        "Pengaduan ini kami tutup."
        if final
        else f"Silakan sampaikan balasan dan tingkat kepuasan Anda melalui {status_url} paling lambat "
        f"{tanggal(auto_close_day(complaint.ditanggapi_pada))}. Bila tidak ada balasan, pengaduan ditutup otomatis."
    )
    body = "\n\n".join(
        [
            greeting,
            f"Terima kasih atas pengaduan Anda nomor {complaint.nomor_register} tanggal "
            f'{tanggal(complaint.waktu)} tentang "{complaint.judul}".',
            f"Tanggapan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara:\n{complaint.tanggapan or '-'}",
            closing,
            f"Kode pelacakan: {complaint.kode_pelacakan}",
        ]
    )
    return f"Tanggapan atas pengaduan {complaint.nomor_register}", body


def _send(call: ServiceCall, complaint: Complaint, recipient: str | None, stage: str) -> None:
    if recipient == "unit":
        subject, body = unit_message(complaint)
        email.notify_unit(call.session, call.settings, call.instance_id, call.now, subject, body)
    elif recipient == "pengadu":
        subject, body = complainant_message(
            complaint, call.settings.base_url, final=stage == "jawaban"
        )
        email.notify_complainant(
            call.session,
            call.settings,
            call.instance_id,
            call.now,
            complaint.pelapor_email,
            subject,
            body,
        )
    elif recipient:
        raise ServiceError(
            f"{call.element_id}: email must be 'unit' or 'pengadu', not '{recipient}'"
        )


# ---------------------------------------------------------------- the handler
def complaint_of(call: ServiceCall) -> Complaint:
    number = call.data.get("nomor_register")
    complaint = call.session.scalars(
        select(Complaint).where(Complaint.nomor_register == number)
    ).first()
    if complaint is None:
        raise ServiceError(
            f"pengaduan {number or '(tanpa nomor register)'} tidak ada di buku log pengaduan"
        )
    if complaint.instance_id is None:
        complaint.instance_id = call.instance_id
    return complaint


def log_step(call: ServiceCall) -> dict[str, Any]:
    """Handler of ``complaints.log``: record the stage named in the element's properties."""
    stage = call.properties.get("stage", "")
    record = STAGES.get(stage)
    if record is None:
        raise ServiceError(
            f"{call.element_id}: unknown complaint log stage '{stage}' (known: {', '.join(STAGES)})"
        )
    complaint = complaint_of(call)
    extra = record(call, complaint)
    call.session.flush()
    _send(call, complaint, call.properties.get("email"), stage)
    return {"status_pengaduan": complaint.status, **extra}
