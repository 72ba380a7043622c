"""Buku agenda surat masuk: an extract of the incoming-letter register for a date range.

``render(entries, date_from, date_to)``; each entry is a mapping with the keys
``nomor_agenda``, ``tanggal_diterima``, ``nomor_surat``, ``tanggal_surat``,
``instansi_pengirim``, ``perihal``, ``lampiran``, ``kode_klasifikasi``,
``sifat``, ``diteruskan_kepada``, ``tindak_lanjut``, ``keterangan`` (all optional
but the agenda number).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .formatting import label, tanggal
from .register import cell, render_register

TITLE = "Buku Agenda Surat Masuk"
HEADERS = (
    "No. Agenda",
    "Tanggal Diterima",
    "Nomor dan Tanggal Surat",
    "Asal Surat",
    "Perihal / Isi Ringkas",
    "Lampiran",
    "Kode Klasifikasi",
    "Sifat",
    "Diteruskan Kepada",
    "Tindak Lanjut",
    "Keterangan",
)
WIDTHS = (17, 18, 38, 34, 42, 17, 18, 15, 24, 30, 20)


def row(entry: Mapping[str, Any]) -> list:
    return [
        cell(entry.get("nomor_agenda"), bold_first=True),
        cell(tanggal(entry.get("tanggal_diterima"))),
        cell(entry.get("nomor_surat"), tanggal(entry.get("tanggal_surat"))),
        cell(entry.get("instansi_pengirim")),
        cell(entry.get("perihal")),
        cell(entry.get("lampiran")),
        cell(entry.get("kode_klasifikasi")),
        cell(label(entry.get("sifat"))),
        cell(entry.get("diteruskan_kepada")),
        cell(entry.get("tindak_lanjut")),
        cell(entry.get("keterangan")),
    ]


def render(
    entries: Sequence[Mapping[str, Any]], date_from: date | str | None, date_to: date | str | None
) -> bytes:
    return render_register(
        title=TITLE,
        date_from=date_from,
        date_to=date_to,
        headers=HEADERS,
        widths_mm=WIDTHS,
        rows=[row(e) for e in entries],
        empty_message="Tidak ada surat masuk pada periode ini.",
        notes=[f"Jumlah surat masuk: {len(entries)}."],
    )


def agenda_pdf(database, date_from: date, date_to: date) -> bytes:
    """The register extract for a date range as PDF, read in a session of its own (the page's
    "Unduh PDF"; ``laksana report agenda`` does the same)."""
    from . import gather

    with database.Session() as session:
        entries = gather.agenda_entries(session, date_from, date_to)
    return render(entries, date_from, date_to)
