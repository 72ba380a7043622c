"""Starting the data SOP: a letter registered by the Sekretariat, or a request sent by an institution.

Both start ``permohonan_data_agregat`` with the letter's fields and a tracking
code (start data ``kode_pelacakan``, business key = the code) and keep the
letter as a ``surat_masuk`` document of the instance. The Sekretariat's
registration also completes the registration step at once (one click); a public
request leaves it open in the Sekretariat's inbox for checking. A blank agenda
number is filled with the next one of the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.clock import office_date
from engine.documents import NewDocument
from engine.errors import FormInvalid
from engine.forms import FormFieldView, validate_form

from . import tracking
from .uploads import UploadRefused, read_pdf

PROCESS = "permohonan_data_agregat"
REGISTRATION_STEP = "registrasi_surat"
AGENDA_FIELD = "nomor_agenda"
FIELD_HINTS = {AGENDA_FIELD: _l("Kosongkan: nomor agenda diberikan otomatis.")}


@dataclass
class Registered:
    instance_id: int
    agenda: str
    code: str
    next_steps: list[tuple[str, str]]


def registration_fields(engine) -> list[FormFieldView]:
    """The registration step's form fields in the latest deployed version of the SOP."""
    return engine.step_form(PROCESS, REGISTRATION_STEP)[0]


def check_letter(
    engine, fields: list[FormFieldView], values: dict[str, Any], upload
) -> tuple[dict[str, str], bytes]:
    """Errors by field (the engine's form rules, the scanned letter's type and size) and the letter."""
    errors: dict[str, str] = {}
    letter = b""
    try:
        validate_form(fields, values, office_date(engine.clock()))
    except FormInvalid as exc:
        errors.update(exc.by_field())
    try:
        letter = read_pdf(upload.surat.data)
    except UploadRefused as exc:
        errors["surat"] = str(exc)
    return errors, letter


def _letter(content: bytes, number: str | None) -> NewDocument:
    return NewDocument(
        kind="surat_masuk",
        filename="surat-masuk-{instance_id}.pdf",
        content=content,
        title=str(_l("Surat permohonan")),
        number=number,
    )


def _open_steps(engine, instance_id: int) -> list[tuple[str, str]]:
    labels = engine.accounts.role_labels()
    return [
        (task.name, labels.get(task.role, task.role))
        for task in engine.tasks(instance_id=instance_id)
    ]


def register_letter(engine, username: str, values: dict[str, Any], letter: bytes) -> Registered:
    """Start the SOP with the letter, keep the scan, and complete the registration as the
    Sekretariat: one transaction, so a failure leaves neither a request nor a letter."""
    today = office_date(engine.clock())
    values = validate_form(registration_fields(engine), values, today)
    code = tracking.new_code()
    instance = engine.start(
        PROCESS,
        {**values, "kode_pelacakan": code},
        username,
        business_key=code,
        documents=[_letter(letter, values.get("nomor_surat"))],
        complete_first=(REGISTRATION_STEP, values),
    )
    agenda = engine.instance_data(instance.id).get(AGENDA_FIELD, "")
    return Registered(instance.id, agenda, code, _open_steps(engine, instance.id))


def registered_message(done: Registered) -> str:
    steps = "; ".join(f"{name} ({role})" for name, role in done.next_steps)
    return _(
        "Surat tercatat dengan nomor agenda %(agenda)s. Kode pelacakan untuk pemohon: %(code)s. "
        "Diteruskan ke: %(next)s",
        agenda=done.agenda,
        code=done.code,
        next=steps or "-",
    )


def letter_date_ok(form, today) -> bool:
    """A letter cannot be dated after today (the office's date)."""
    if form.tanggal_surat.data and form.tanggal_surat.data > today:
        form.tanggal_surat.errors = [_("Tanggal surat tidak boleh setelah hari ini.")]
        return False
    return True


def submit_public_request(engine, form, letter: bytes) -> str:
    """Start the SOP from the public form; the registration step waits for the Sekretariat."""
    code = tracking.new_code()
    today = office_date(engine.clock()).isoformat()
    data = {
        name: (form[name].data or "").strip()
        for name in (
            "instansi_pengirim",
            "pimpinan_instansi",
            "alamat_instansi",
            "email_pemohon",
            "nomor_surat",
            "perihal",
            "data_diminta",
        )
    }
    data.update(
        tanggal_surat=form.tanggal_surat.data.isoformat(),
        tanggal_diterima=today,
        sifat="biasa",
        kode_pelacakan=code,
        saluran="daring",
    )
    engine.start(
        PROCESS, data, None, business_key=code, documents=[_letter(letter, data["nomor_surat"])]
    )
    return code
