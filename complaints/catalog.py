"""The complaint vocabulary: channels, categories, units, results, statuses, and the time limits.

Codes are what is stored and what the diagram's form enums use; labels are for
people. ``tests/complaints`` checks that the diagram's enums match these lists.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from engine.calendar import OFFICE_TZ

#: SP4N-LAPOR! (Perpres 76/2013; PermenPANRB 62/2018) limits used by the process.
VERIFY_WORKING_DAYS = 3          # verify and forward
FIRST_FOLLOW_UP_WORKING_DAYS = 5  # first follow-up, counted from forwarding
RESOLUTION_DAYS = 60             # resolution (calendar days from receipt)
AUTO_CLOSE_WORKING_DAYS = 10     # closed when the complainant does not reply to the response

CHANNELS = {
    "telepon": "Telepon",
    "sms": "SMS Center",
    "lapor": "LAPOR!",
    "email": "Surel",
    "langsung": "Datang langsung",
    "web": "Formulir web",
}
#: Channels a staff member records (the public form is always "web").
STAFF_CHANNELS = {k: v for k, v in CHANNELS.items() if k != "web"}

CATEGORIES = {
    "dokumen": "Penerbitan dokumen (KTP-el, KK, KIA, akta)",
    "waktu_layanan": "Lama atau keterlambatan pelayanan",
    "data_kependudukan": "Kesalahan data kependudukan",
    "persyaratan": "Informasi dan persyaratan layanan",
    "layanan_daring": "Layanan daring dan aplikasi",
    "sarana": "Sarana dan prasarana pelayanan",
    "perilaku_petugas": "Sikap dan perilaku petugas",
    "pungutan_liar": "Pungutan liar atau biaya tidak resmi",
    "lainnya": "Lainnya",
}
#: Categories suggested as heavy (misconduct): the officer decides and records the reason.
HEAVY_CATEGORIES = frozenset({"perilaku_petugas", "pungutan_liar"})

UNITS = {
    "sekretariat": "Sekretariat",
    "dafduk": "Bidang Pelayanan Pendaftaran Penduduk",
    "capil": "Bidang Pelayanan Pencatatan Sipil",
    "piak": "Bidang Pengelolaan Informasi Administrasi Kependudukan",
    "pdip": "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
    "kecamatan": "Pelayanan adminduk di kecamatan",
    "luar_dinas": "Di luar kewenangan Dinas",
}

VERIFICATION_RESULTS = {
    "lengkap": "Lengkap",
    "tidak_lengkap": "Tidak lengkap",
    "bukan_kewenangan": "Bukan kewenangan Dinas",
}

WEIGHTS = {"ringan": "Ringan", "berat": "Berat"}

HANDLING = {"investigasi": "Investigasi dan analisis", "rapat": "Rapat pembahasan"}

SATISFACTION = {"puas": "Puas", "cukup": "Cukup puas", "tidak_puas": "Tidak puas"}

STATUSES = {
    "diterima": "Diterima, menunggu verifikasi",
    "tidak_lengkap": "Dijawab: pengaduan tidak lengkap",
    "bukan_kewenangan": "Dijawab: bukan kewenangan Dinas",
    "diteruskan": "Diteruskan kepada unit",
    "ditangani": "Sedang ditangani",
    "ditanggapi": "Ditanggapi, menunggu balasan pengadu",
    "selesai": "Selesai",
}
#: The time limits a complaint can pass (``Complaint.overdue_limits``).
LIMITS = {
    "verifikasi": "verifikasi dan penerusan (3 hari kerja)",
    "tindak_lanjut": "tindak lanjut pertama (5 hari kerja)",
    "penyelesaian": "penyelesaian (60 hari)",
}

#: Statuses after which nothing is due any more.
CLOSED_STATUSES = frozenset({"tidak_lengkap", "bukan_kewenangan", "selesai"})


def label(table: dict[str, str], code: str | None) -> str:
    """The label of a code; the code itself when unknown; '-' for none."""
    if not code:
        return "-"
    return table.get(code, code)


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def long_date(day: date) -> str:
    """``12 Maret 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def office_time(moment: datetime | None) -> str:
    """``12 Maret 2026 pukul 09.30 WIB`` for an aware datetime (naive means UTC); '-' for none."""
    if moment is None:
        return "-"
    local = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(OFFICE_TZ)
    return f"{long_date(local)} pukul {local:%H.%M} WIB"
