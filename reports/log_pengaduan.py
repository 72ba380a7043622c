"""Buku log pengaduan: the complaint log book for a date range.

``render(entries, date_from, date_to)``; each entry is a mapping with the keys
(all optional but ``nomor_register``):

- ``nomor_register``; ``waktu`` (datetime or ISO text, date and time received)
- ``saluran`` (``telepon``/``sms``/``lapor``/``email``/``langsung``) and ``nomor_lapor``
  (the LAPOR! tracking id)
- ``pelapor_nama``, ``pelapor_kontak``, ``pelapor_nik``, ``rahasia`` (bool: identity kept
  confidential; then name, contact and NIK are not printed)
- ``ringkasan``, ``unit_diadukan``, ``kategori``
- ``hasil_verifikasi`` (``lengkap``/``tidak_lengkap``/``bukan_kewenangan``), ``bobot`` (``ringan``/``berat``)
- ``petugas``, ``pemberitahuan_unit`` (date the unit was notified)
- ``tindakan``: list of ``{"tanggal": date, "uraian": str}``
- ``status``, ``tanggapan`` (response to the complainant), ``tanggal_selesai``, ``kepuasan``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .formatting import label, tanggal, tanggal_jam_singkat
from .register import cell, render_register

TITLE = "Buku Log Pengaduan"
CHANNELS = {
    "telepon": "Telepon",
    "sms": "SMS Center",
    "lapor": "LAPOR!",
    "email": "Surel",
    "langsung": "Datang langsung",
}
CONFIDENTIAL = "Dirahasiakan"
HEADERS = (
    "No. Register",
    "Waktu dan Saluran",
    "Pengadu",
    "Ringkasan Pengaduan",
    "Unit Diadukan / Kategori",
    "Verifikasi",
    "Petugas / Pemberitahuan",
    "Tindak Lanjut",
    "Status / Tanggapan",
    "Selesai / Kepuasan",
)
WIDTHS = (24, 24, 30, 44, 28, 22, 30, 40, 30, 22)


def complainant(entry: Mapping[str, Any]):
    if entry.get("rahasia"):
        return cell(CONFIDENTIAL)
    nik = entry.get("pelapor_nik")
    return cell(
        entry.get("pelapor_nama"), entry.get("pelapor_kontak"), f"NIK {nik}" if nik else None
    )


def channel(entry: Mapping[str, Any]) -> str:
    return CHANNELS.get(entry.get("saluran") or "", label(entry.get("saluran")))


def actions(entry: Mapping[str, Any]):
    steps = entry.get("tindakan") or []
    return cell(*[f"{tanggal(s.get('tanggal'))}: {s.get('uraian', '')}" for s in steps])


def row(entry: Mapping[str, Any]) -> list:
    notified = entry.get("pemberitahuan_unit")
    return [
        cell(entry.get("nomor_register"), bold_first=True),
        cell(tanggal_jam_singkat(entry.get("waktu")), channel(entry), entry.get("nomor_lapor")),
        complainant(entry),
        cell(entry.get("ringkasan")),
        cell(entry.get("unit_diadukan"), entry.get("kategori")),
        cell(
            label(entry.get("hasil_verifikasi")),
            f"Bobot: {label(entry.get('bobot'))}" if entry.get("bobot") else None,
        ),
        cell(entry.get("petugas"), f"Unit diberi tahu {tanggal(notified)}" if notified else None),
        actions(entry),
        cell(label(entry.get("status")), entry.get("tanggapan"), bold_first=True),
        cell(
            tanggal(entry.get("tanggal_selesai")) if entry.get("tanggal_selesai") else None,
            entry.get("kepuasan"),
        ),
    ]


def render(
    entries: Sequence[Mapping[str, Any]], date_from: date | str | None, date_to: date | str | None
) -> bytes:
    closed = sum(1 for e in entries if e.get("tanggal_selesai"))
    notes = [
        f"Jumlah pengaduan: {len(entries)}; selesai: {closed}; dalam proses: {len(entries) - closed}.",
        "Identitas pengadu yang meminta dirahasiakan tidak dicantumkan.",
    ]
    return render_register(
        title=TITLE,
        date_from=date_from,
        date_to=date_to,
        headers=HEADERS,
        widths_mm=WIDTHS,
        rows=[row(e) for e in entries],
        empty_message="Tidak ada pengaduan pada periode ini.",
        notes=notes,
    )
