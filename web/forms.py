"""WTForms for the fixed forms (sign-in, the public request, users, uploads).

Task forms are not here: they come from the diagram's ``camunda:formData``
(``web.taskform``). Labels are lazy so they follow the chosen language.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

REQUIRED = _l("Wajib diisi.")
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def Email(message):  # noqa: N802 - reads like the WTForms validator it stands for (no email_validator package)
    return Regexp(EMAIL_PATTERN, message=message)


USERNAME_PATTERN = r"^[a-z0-9_.-]{3,64}$"


class LoginForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[DataRequired(REQUIRED), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Kata sandi sekarang"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=200, message=_l("Paling sedikit 10 karakter.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new", message=_l("Kedua kata sandi tidak sama.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PublicRequestForm(FlaskForm):
    """An institution's request for aggregate data, with its signed letter (PDF)."""

    instansi_pengirim = StringField(
        _l("Nama instansi"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    pimpinan_instansi = StringField(
        _l("Jabatan pimpinan instansi"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Contoh: Kepala Bappeda Kabupaten Banjarnegara"),
    )
    alamat_instansi = StringField(_l("Alamat instansi"), validators=[Optional(), Length(max=300)])
    email_pemohon = EmailField(
        _l("Email untuk pemberitahuan"),
        validators=[DataRequired(REQUIRED), Email(_l("Alamat email tidak sah.")), Length(max=200)],
    )
    nomor_surat = StringField(
        _l("Nomor surat"), validators=[DataRequired(REQUIRED), Length(max=100)]
    )
    tanggal_surat = DateField(
        _l("Tanggal surat"), validators=[DataRequired(_l("Isi tanggal surat."))]
    )
    perihal = StringField(_l("Perihal"), validators=[DataRequired(REQUIRED), Length(max=300)])
    data_diminta = TextAreaField(
        _l("Data yang diminta"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        description=_l("Sebutkan jenis data, wilayah dan periode."),
    )
    surat = FileField(
        _l("Surat permohonan (PDF, paling besar 10 MB)"),
        validators=[FileRequired(_l("Lampirkan surat permohonan dalam bentuk PDF."))],
    )


class LetterUploadForm(FlaskForm):
    """The scanned letter the Sekretariat registers (the fields come from the diagram's form)."""

    surat = FileField(
        _l("Pindaian surat (PDF, paling besar 10 MB)"),
        validators=[FileRequired(_l("Lampirkan pindaian surat dalam bentuk PDF."))],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices(roles: list[tuple[str, Any]]) -> list:
    """Choices of a select or checkbox field from (value, label) pairs (e.g. the active roles)."""
    try:
        from wtforms.fields.choices import SelectChoice  # WTForms 3.3+: tuples are deprecated
    except ImportError:  # pragma: no cover - older WTForms
        return list(roles)
    return [SelectChoice(code, label) for code, label in roles]


class UserForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(
                USERNAME_PATTERN,
                message=_l("3–64 huruf kecil, angka, titik, garis bawah atau tanda hubung."),
            ),
        ],
    )
    full_name = StringField(
        _l("Nama lengkap"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    position = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    nip = StringField(
        _l("NIP"), validators=[Optional(), Regexp(r"^[0-9 ]{0,32}$", message=_l("Hanya angka."))]
    )
    email = EmailField(
        _l("Email"), validators=[Optional(), Email(_l("Alamat email tidak sah.")), Length(max=200)]
    )
    #: choices set by the view from the active roles (``engine.accounts.roles``)
    roles = MultiCheckboxField(
        _l("Peran"),
        choices=[],
        validators=[DataRequired(_l("Pilih paling sedikit satu peran."))],
    )
    active = BooleanField(_l("Aktif"), default=True)
    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[Optional(), Length(min=10, max=200, message=_l("Paling sedikit 10 karakter."))],
        description=_l("Kosongkan bila tidak diubah."),
        render_kw={"autocomplete": "new-password"},
    )


class ModelUploadForm(FlaskForm):
    diagram = FileField(
        _l("Berkas BPMN (.bpmn, paling besar 2 MB)"),
        validators=[FileRequired(_l("Pilih berkas .bpmn."))],
    )
    decisions = MultipleFileField(
        _l("Tabel keputusan DMN (.dmn, tidak wajib)"),
        description=_l(
            "Berkas .dmn yang dipakai tugas aturan bisnis diagram ini; boleh beberapa. Tanpa "
            "berkas, tabel keputusan versi sebelumnya tetap dipakai."
        ),
        render_kw={"accept": ".dmn"},
    )
    templates = MultipleFileField(
        _l("Templat surat Word (.docx, tidak wajib)"),
        description=_l(
            "Templat yang disebut tugas layanan diagram ini (properti 'template'); boleh "
            "beberapa. Tanpa berkas, templat versi sebelumnya tetap dipakai."
        ),
        render_kw={"accept": ".docx"},
    )
    deploy = BooleanField(_l("Langsung terapkan sebagai versi baru bila sah"))
    note = TextAreaField(
        _l("Catatan perubahan"),
        description=_l("Apa yang berubah dari versi yang berjalan; tampil di daftar versi."),
        validators=[Optional(), Length(max=2000, message=_l("Paling panjang 2000 karakter."))],
    )
    create_roles = BooleanField(
        _l("Buat peran yang disebut diagram tetapi belum dikenal"),
        description=_l("Tanpa centang, diagram yang menyebut peran yang belum ada ditolak."),
    )


ROLE_CODE_PATTERN = r"^[a-z0-9][a-z0-9_]{0,63}$"


class RoleForm(FlaskForm):
    code = StringField(
        _l("Kode peran"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(
                ROLE_CODE_PATTERN,
                message=_l(
                    "Huruf kecil, angka dan garis bawah, paling panjang 64 (misalnya juru_sita)."
                ),
            ),
        ],
        description=_l("Kode yang dipakai lajur dan camunda:candidateGroups di diagram."),
    )
    name = StringField(_l("Nama peran"), validators=[DataRequired(REQUIRED), Length(max=200)])
    bidang = StringField(_l("Bidang"), validators=[Optional(), Length(max=200)])
    heads_bidang = BooleanField(
        _l("Kepala bidang"),
        description=_l(
            "Pemegang peran ini dapat mengalihkan tugas terbuka dari peran di bidangnya."
        ),
    )
    active = BooleanField(_l("Aktif"), default=True)


class DelegationForm(FlaskForm):
    delegator = SelectField(_l("Pejabat yang berhalangan"), validators=[DataRequired(REQUIRED)])
    delegate = SelectField(_l("Pelaksana (Plh/Plt)"), validators=[DataRequired(REQUIRED)])
    kind = SelectField(
        _l("Jenis"),
        choices=role_choices(
            [("plh", _l("Plh (pelaksana harian)")), ("plt", _l("Plt (pelaksana tugas)"))]
        ),
        validators=[DataRequired(REQUIRED)],
    )
    starts_on = DateField(_l("Mulai tanggal"), validators=[DataRequired(_l("Isi tanggal mulai."))])
    ends_on = DateField(_l("Sampai tanggal"), validators=[DataRequired(_l("Isi tanggal selesai."))])
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(REQUIRED), Length(max=2000)])


class ReassignForm(FlaskForm):
    to_user = SelectField(_l("Alihkan kepada"), validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(
        _l("Alasan pengalihan"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=5, max=1000, message=_l("Alasan 5 sampai 1000 karakter.")),
        ],
    )
