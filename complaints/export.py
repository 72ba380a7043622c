"""The complaint log book as a printable PDF (``reports.log_pengaduan``), an XLSX workbook and CSV.

Entries carry the keys of ``reports.log_pengaduan``; codes the printed log book
does not know (units, categories, satisfaction) are given as labels. The
complainant's identity is left out of an entry whenever the reader may not see
it or the complainant asked for confidentiality (``rahasia``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.calendar import OFFICE_TZ
from reports import log_pengaduan

from .catalog import (
    CATEGORIES,
    CHANNELS,
    SATISFACTION,
    STATUSES,
    UNITS,
    VERIFICATION_RESULTS,
    WEIGHTS,
    label,
)
from .logbook import LogFilter, find_complaints
from .models import Complaint

HIDDEN = "Dirahasiakan"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def log_entry(complaint: Complaint, show_identity: bool) -> dict[str, Any]:
    """One complaint as an entry of the printed log book."""
    hidden = complaint.rahasia or not show_identity
    return {
        "nomor_register": complaint.nomor_register,
        "waktu": complaint.waktu,
        "saluran": complaint.saluran,
        "nomor_lapor": complaint.nomor_lapor,
        "rahasia": hidden,
        "pelapor_nama": None if hidden else complaint.pelapor_nama,
        "pelapor_kontak": None if hidden else complaint.pelapor_kontak,
        "pelapor_nik": None if hidden else complaint.pelapor_nik,
        "ringkasan": complaint.ringkasan or complaint.judul,
        "unit_diadukan": label(UNITS, complaint.unit_diadukan),
        "kategori": label(CATEGORIES, complaint.kategori),
        "hasil_verifikasi": complaint.hasil_verifikasi,
        "bobot": complaint.bobot,
        "petugas": complaint.petugas,
        "pemberitahuan_unit": complaint.pemberitahuan_unit,
        "tindakan": list(complaint.tindakan or []),
        "status": complaint.status,
        "tanggapan": complaint.tanggapan,
        "tanggal_selesai": complaint.tanggal_selesai,
        "kepuasan": label(SATISFACTION, complaint.kepuasan) if complaint.kepuasan else None,
    }


def log_entries(
    session,
    date_from: date,
    date_to: date,
    log_filter: LogFilter | None = None,
    now: datetime | None = None,
    show_identity: bool = True,
) -> list[dict[str, Any]]:
    """Entries of the complaints received from ``date_from`` to ``date_to`` (office days, inclusive)."""
    chosen = LogFilter(
        **{
            **(log_filter.__dict__ if log_filter else {}),
            "date_from": date_from,
            "date_to": date_to,
        }
    )
    moment = now or datetime.now(OFFICE_TZ)
    return [log_entry(c, show_identity) for c in find_complaints(session, chosen, moment)]


def pdf(entries: Sequence[dict[str, Any]], date_from: date, date_to: date) -> bytes:
    return log_pengaduan.render(entries, date_from, date_to)


# ---------------------------------------------------------------- XLSX
COLUMNS = (
    ("No. register", 14),
    ("Diterima (WIB)", 17),
    ("Saluran", 14),
    ("No. LAPOR!", 14),
    ("Nama pengadu", 22),
    ("Kontak", 26),
    ("NIK", 18),
    ("Ringkasan", 48),
    ("Unit diadukan", 30),
    ("Kategori", 28),
    ("Verifikasi", 16),
    ("Bobot", 9),
    ("Petugas", 20),
    ("Unit diberi tahu", 17),
    ("Tindak lanjut", 60),
    ("Status", 22),
    ("Tanggapan", 48),
    ("Selesai", 17),
    ("Kepuasan", 12),
)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
DATE_FORMAT = "dd/mm/yyyy hh:mm"
#: text typed by the public that a spreadsheet would otherwise run as a formula
FORMULA_STARTS = ("=", "+", "-", "@")


def _local(moment: datetime | None) -> datetime | None:
    """Excel keeps no time zone: office time, without the offset."""
    return moment.astimezone(OFFICE_TZ).replace(tzinfo=None) if moment else None


def _actions_text(actions: Iterable[dict[str, Any]]) -> str:
    return "\n".join(f"{a.get('tanggal', '')}: {a.get('uraian', '')}" for a in actions)


def _xlsx_row(entry: dict[str, Any]) -> list[Any]:
    hidden = entry["rahasia"]
    return [
        entry["nomor_register"],
        _local(entry["waktu"]),
        label(CHANNELS, entry["saluran"]),
        entry["nomor_lapor"],
        HIDDEN if hidden else entry["pelapor_nama"],
        HIDDEN if hidden else entry["pelapor_kontak"],
        HIDDEN if hidden else entry["pelapor_nik"],
        entry["ringkasan"],
        entry["unit_diadukan"],
        entry["kategori"],
        label(VERIFICATION_RESULTS, entry["hasil_verifikasi"]),
        label(WEIGHTS, entry["bobot"]),
        entry["petugas"],
        _local(entry["pemberitahuan_unit"]),
        _actions_text(entry["tindakan"]),
        label(STATUSES, entry["status"]),
        entry["tanggapan"],
        _local(entry["tanggal_selesai"]),
        entry["kepuasan"],
    ]


def xlsx(entries: Sequence[dict[str, Any]], date_from: date, date_to: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Buku log pengaduan"
    sheet.append([f"Buku Log Pengaduan {date_from:%d/%m/%Y} s.d. {date_to:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([name for name, _width in COLUMNS])
    for col, (_name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(2, col)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    for entry in entries:
        sheet.append(_xlsx_row(entry))
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                cell.data_type, cell.quotePrefix = "s", True  # typed text, never a formula
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- CSV
CSV_MIME = "text/csv"
CSV_MOMENT = "%d/%m/%Y %H.%M"


def _csv_cell(value: Any) -> str:
    """Office time for a moment; typed text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(CSV_MOMENT)
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_text(entries: Sequence[dict[str, Any]]) -> str:
    """The log book as CSV (columns as the XLSX, times in WIB), with a BOM for spreadsheet programs."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([name for name, _width in COLUMNS])
    for entry in entries:
        writer.writerow([_csv_cell(value) for value in _xlsx_row(entry)])
    return out.getvalue()
