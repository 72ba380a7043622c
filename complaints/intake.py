"""Receiving a complaint: checking what was sent, numbering it, and starting the process.

A complaint comes from the public form (channel ``web``, no account) or from a
complaint officer who took it by telephone, SMS, e-mail, LAPOR! or in person.
The register row (with the identity) is written first; the process starts with
identity-free data only: register number, channel, LAPOR! id, time received,
and the unit and category when the complainant named them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from engine import calendar, tracking_codes
from engine.archive import next_number
from engine.calendar import OFFICE_TZ

from .attachment import Attachment, AttachmentRefused, read_attachment
from .catalog import (
    CATEGORIES,
    CHANNELS,
    RESOLUTION_DAYS,
    STAFF_CHANNELS,
    UNITS,
    VERIFY_WORKING_DAYS,
)
from .models import Complaint

PROCESS_ID = "pengaduan_layanan"
COUNTER = "pengaduan"
#: a receipt time a staff member may enter lies at most this far back
MAX_BACKDATE = timedelta(days=30)

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ().-]{8,20}$")
_NIK = re.compile(r"^[0-9]{16}$")
_LAPOR_ID = re.compile(r"^[A-Za-z0-9#/-]{3,64}$")
TEXT_LIMITS = {"judul": (5, 200), "isi": (20, 5000), "pelapor_nama": (0, 200)}


class IntakeInvalid(Exception):
    """What was sent cannot be registered; ``errors`` maps each field to a message for people."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class ComplaintIntake:
    saluran: str
    judul: str
    isi: str
    waktu: datetime
    nomor_lapor: str | None = None
    pelapor_nama: str | None = None
    pelapor_telepon: str | None = None
    pelapor_email: str | None = None
    pelapor_nik: str | None = None
    rahasia: bool = False
    unit_diadukan: str | None = None
    kategori: str | None = None
    #: the complainant's photo or scan (public form), kept as the complaint's document
    lampiran: Attachment | None = None


def clean_text(value: Any, multiline: bool = False) -> str:
    """Text as typed, without control characters (newlines kept where they belong), trimmed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    allowed = "\n\t" if multiline else ""
    text = "".join(ch for ch in text if ch in allowed or unicodedata.category(ch)[0] != "C")
    return text.replace("\r", "").strip()


def _optional(value: Any) -> str | None:
    return clean_text(value) or None


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "on", "ya", "yes")


def _check_length(errors: dict[str, str], name: str, text: str, label: str) -> None:
    low, high = TEXT_LIMITS[name]
    if low and not text:
        errors[name] = f"{label} wajib diisi."
    elif low and len(text) < low:
        errors[name] = f"{label} terlalu pendek (paling sedikit {low} karakter)."
    elif len(text) > high:
        errors[name] = f"{label} terlalu panjang (paling banyak {high} karakter)."


def _check_contact(
    errors: dict[str, str], phone: str | None, email: str | None, nik: str | None
) -> None:
    if phone and not _PHONE.match(phone):
        errors["pelapor_telepon"] = (
            "Nomor telepon tidak sah: gunakan angka, misalnya 0812 3456 7890."
        )
    if email and not _EMAIL.match(email):
        errors["pelapor_email"] = "Alamat surel tidak sah, misalnya nama@contoh.id."
    if nik and not _NIK.match(nik):
        errors["pelapor_nik"] = "NIK terdiri atas 16 angka."


def _check_choice(
    errors: dict[str, str], name: str, value: str | None, table: dict[str, str], label: str
) -> None:
    if value and value not in table:
        errors[name] = f"Pilihan {label} tidak dikenal."


def _received_at(raw: Any, now: datetime, errors: dict[str, str]) -> datetime:
    """A staff member's "received at" (local time, ``YYYY-MM-DDTHH:MM``), or now when blank."""
    text = clean_text(raw)
    if not text:
        return now
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        errors["waktu"] = (
            "Waktu diterima tidak sah: gunakan tanggal dan jam, misalnya 2026-03-12 09:30."
        )
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OFFICE_TZ)
    if moment > now + timedelta(minutes=5):
        errors["waktu"] = "Waktu diterima tidak boleh di masa depan."
    elif moment < now - MAX_BACKDATE:
        errors["waktu"] = "Waktu diterima paling lama 30 hari yang lalu."
    return moment.astimezone(timezone.utc)


def _attachment(upload: Any, errors: dict[str, str]) -> Attachment | None:
    try:
        return read_attachment(upload)
    except AttachmentRefused as exc:
        errors["lampiran"] = str(exc)
        return None


def parse_intake(
    form: Mapping[str, Any], now: datetime, staff: bool, upload: Any = None
) -> ComplaintIntake:
    """A checked complaint from a submitted form (``upload``: its optional attachment), or
    IntakeInvalid listing every problem."""
    errors: dict[str, str] = {}
    channel = clean_text(form.get("saluran")) if staff else "web"
    if channel not in (STAFF_CHANNELS if staff else CHANNELS):
        errors["saluran"] = "Pilih saluran pengaduan."
    texts = {name: clean_text(form.get(name), multiline=name == "isi") for name in TEXT_LIMITS}
    labels = {"judul": "Pokok pengaduan", "isi": "Uraian pengaduan", "pelapor_nama": "Nama"}
    for name, text in texts.items():
        _check_length(errors, name, text, labels[name])
    phone, email = _optional(form.get("pelapor_telepon")), _optional(form.get("pelapor_email"))
    nik = _optional(form.get("pelapor_nik"))
    _check_contact(errors, phone, email, nik)
    lapor_id = _optional(form.get("nomor_lapor")) if channel == "lapor" else None
    if channel == "lapor" and not (lapor_id and _LAPOR_ID.match(lapor_id)):
        errors["nomor_lapor"] = (
            "Isi nomor pelacakan LAPOR! (huruf, angka, tanda hubung; 3–64 karakter)."
        )
    unit, category = _optional(form.get("unit_diadukan")), _optional(form.get("kategori"))
    _check_choice(errors, "unit_diadukan", unit, UNITS, "unit")
    _check_choice(errors, "kategori", category, CATEGORIES, "kategori")
    received = _received_at(form.get("waktu"), now, errors) if staff else now
    if not staff and clean_text(
        form.get("situs_web")
    ):  # a field people cannot see: only robots fill it
        errors["isi"] = "Pengaduan tidak dapat diterima."
    attachment = _attachment(upload, errors)
    if errors:
        raise IntakeInvalid(errors)
    return ComplaintIntake(
        saluran=channel,
        judul=texts["judul"],
        isi=texts["isi"],
        waktu=received,
        nomor_lapor=lapor_id,
        pelapor_nama=texts["pelapor_nama"] or None,
        pelapor_telepon=phone,
        pelapor_email=email,
        pelapor_nik=nik,
        rahasia=_truthy(form.get("rahasia")),
        unit_diadukan=unit,
        kategori=category,
        lampiran=attachment,
    )


# ---------------------------------------------------------------- tracking codes
#: the office's one tracking-code format (requests use it too)
new_tracking_code = tracking_codes.new_code
normalise_tracking_code = tracking_codes.normalise


def find_by_tracking_code(session, code: str | None) -> Complaint | None:
    normalised = normalise_tracking_code(code)
    if normalised is None:
        return None
    return session.scalars(select(Complaint).where(Complaint.kode_pelacakan == normalised)).first()


# ---------------------------------------------------------------- registration
def register_number(year: int, number: int) -> str:
    return f"P-{year}-{number:03d}"


def new_complaint(session, intake: ComplaintIntake, user: str | None) -> Complaint:
    """The register row: running number of the year, tracking code, time limits."""
    year = intake.waktu.astimezone(OFFICE_TZ).year
    number = next_number(session, COUNTER, year)
    complaint = Complaint(
        tahun=year,
        nomor_urut=number,
        nomor_register=register_number(year, number),
        kode_pelacakan=new_tracking_code(),
        waktu=intake.waktu,
        saluran=intake.saluran,
        nomor_lapor=intake.nomor_lapor,
        dicatat_oleh=user,
        pelapor_nama=intake.pelapor_nama,
        pelapor_telepon=intake.pelapor_telepon,
        pelapor_email=intake.pelapor_email,
        pelapor_nik=intake.pelapor_nik,
        rahasia=intake.rahasia,
        judul=intake.judul,
        isi=intake.isi,
        unit_diadukan=intake.unit_diadukan,
        kategori=intake.kategori,
        status="diterima",
        tindakan=[],
        batas_verifikasi=calendar.add_working_days(intake.waktu, VERIFY_WORKING_DAYS),
        batas_penyelesaian=intake.waktu + timedelta(days=RESOLUTION_DAYS),
    )
    session.add(complaint)
    session.flush()
    return complaint


def process_start_data(complaint: Complaint) -> dict[str, Any]:
    """What the process knows at the start: nothing that identifies the complainant."""
    data: dict[str, Any] = {
        "nomor_register": complaint.nomor_register,
        "kanal": complaint.saluran,
        "waktu_diterima": complaint.waktu.astimezone(timezone.utc).isoformat(),
        "status_pengaduan": "diterima",
    }
    optional = {
        "nomor_lapor": complaint.nomor_lapor,
        "unit_terlapor": complaint.unit_diadukan,
        "kategori": complaint.kategori,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def register_complaint(engine, intake: ComplaintIntake, user: str | None = None) -> Complaint:
    """Number the complaint, start ``pengaduan_layanan`` for it, and link the two."""
    with engine.db.transaction() as session:
        complaint = new_complaint(session, intake, user)
        complaint_id, start_data = complaint.id, process_start_data(complaint)
    try:
        instance = engine.start(
            PROCESS_ID,
            start_data,
            user=user,
            business_key=complaint.nomor_register,
            documents=[intake.lampiran.document()] if intake.lampiran else (),
        )
    except Exception:
        with engine.db.transaction() as session:
            session.delete(session.get(Complaint, complaint_id))
        raise
    with engine.db.transaction() as session:
        complaint = session.get(Complaint, complaint_id)
        complaint.instance_id = instance.id
    return complaint
