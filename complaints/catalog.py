"""The complaint vocabulary: channels, categories, units, results, statuses, and the time limits.

Codes are what is stored and what the diagram's form enums use; labels are for
people. ``tests/complaints`` checks that the diagram's enums match these lists.
Labels are in Bahasa Indonesia (the documents use them as they are); ``N_``
marks them for the web's English catalogue, which translates them when a page
is rendered in English.
"""

from __future__ import annotations

from datetime import date, datetime

from engine import calendar
from engine.clock import office_date


def N_(text: str) -> str:  # noqa: N802 - gettext's conventional no-op marker
    """Mark a label for translation where it is shown (``pybabel extract -k N_``); returns it unchanged."""
    return text


#: SP4N-LAPOR! (Perpres 76/2013; PermenPANRB 62/2018) limits used by the process.
VERIFY_WORKING_DAYS = 3  # verify and forward
FIRST_FOLLOW_UP_WORKING_DAYS = 5  # first follow-up, counted from forwarding
RESOLUTION_DAYS = 60  # resolution (calendar days from receipt)
AUTO_CLOSE_WORKING_DAYS = 10  # closed when the complainant does not reply to the response

CHANNELS = {
    "telepon": N_("Telepon"),
    "sms": N_("SMS Center"),
    "lapor": N_("LAPOR!"),
    "email": N_("Surel"),
    "langsung": N_("Datang langsung"),
    "web": N_("Formulir web"),
}
#: Channels a staff member records (the public form is always "web").
STAFF_CHANNELS = {k: v for k, v in CHANNELS.items() if k != "web"}

CATEGORIES = {
    "dokumen": N_("Penerbitan dokumen (KTP-el, KK, KIA, akta)"),
    "waktu_layanan": N_("Lama atau keterlambatan pelayanan"),
    "data_kependudukan": N_("Kesalahan data kependudukan"),
    "persyaratan": N_("Informasi dan persyaratan layanan"),
    "layanan_daring": N_("Layanan daring dan aplikasi"),
    "sarana": N_("Sarana dan prasarana pelayanan"),
    "perilaku_petugas": N_("Sikap dan perilaku petugas"),
    "pungutan_liar": N_("Pungutan liar atau biaya tidak resmi"),
    "lainnya": N_("Lainnya"),
}
#: The weight and handling unit are suggested by the decision table
#: processes/klasifikasi_pengaduan.dmn (from the category and the channel); the officer decides.

UNITS = {
    "sekretariat": N_("Sekretariat"),
    "dafduk": N_("Bidang Pelayanan Pendaftaran Penduduk"),
    "capil": N_("Bidang Pelayanan Pencatatan Sipil"),
    "piak": N_("Bidang Pengelolaan Informasi Administrasi Kependudukan"),
    "pdip": N_("Bidang Pemanfaatan Data dan Inovasi Pelayanan"),
    "kecamatan": N_("Pelayanan adminduk di kecamatan"),
    "luar_dinas": N_("Di luar kewenangan Dinas"),
}

VERIFICATION_RESULTS = {
    "lengkap": N_("Lengkap"),
    "tidak_lengkap": N_("Tidak lengkap"),
    "bukan_kewenangan": N_("Bukan kewenangan Dinas"),
}

WEIGHTS = {"ringan": N_("Ringan"), "berat": N_("Berat")}

HANDLING = {"investigasi": N_("Investigasi dan analisis"), "rapat": N_("Rapat pembahasan")}

SATISFACTION = {"puas": N_("Puas"), "cukup": N_("Cukup puas"), "tidak_puas": N_("Tidak puas")}

STATUSES = {
    "diterima": N_("Diterima, menunggu verifikasi"),
    "tidak_lengkap": N_("Dijawab: pengaduan tidak lengkap"),
    "bukan_kewenangan": N_("Dijawab: bukan kewenangan Dinas"),
    "diteruskan": N_("Diteruskan kepada unit"),
    "ditangani": N_("Sedang ditangani"),
    "ditanggapi": N_("Ditanggapi, menunggu balasan pengadu"),
    "selesai": N_("Selesai"),
}
#: The time limits a complaint can pass (``Complaint.overdue_limits``).
LIMITS = {
    "verifikasi": N_("verifikasi dan penerusan (3 hari kerja)"),
    "tindak_lanjut": N_("tindak lanjut pertama (5 hari kerja)"),
    "penyelesaian": N_("penyelesaian (60 hari)"),
}

#: Statuses after which nothing is due any more.
CLOSED_STATUSES = frozenset({"tidak_lengkap", "bukan_kewenangan", "selesai"})


def label(table: dict[str, str], code: str | None) -> str:
    """The label of a code; the code itself when unknown; '-' for none."""
    if not code:
        return "-"
    return table.get(code, code)


MONTHS = (
    N_("Januari"),
    N_("Februari"),
    N_("Maret"),
    N_("April"),
    N_("Mei"),
    N_("Juni"),
    N_("Juli"),
    N_("Agustus"),
    N_("September"),
    N_("Oktober"),
    N_("November"),
    N_("Desember"),
)


def auto_close_day(responded_at: datetime) -> date:
    """The last day a complainant may reply to the response before the complaint closes itself."""
    return office_date(calendar.add_working_days(responded_at, AUTO_CLOSE_WORKING_DAYS))
