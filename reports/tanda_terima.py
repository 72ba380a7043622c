"""Tanda terima: the receipt the requester signs when the data is handed over.

``render(data, number=..., items=..., officer=...)``: ``data`` holds the
task-data keys of ``pengiriman_jfu`` (``penerima_nama``, ``penerima_jabatan``,
``penerima_instansi``, ``penerima_nip_nik``, ``penerima_telepon``,
``tanggal_terima``, ``kirim_media``, ``jumlah_lembar``) and of the request
(``nomor_surat``, ``tanggal_surat``, ``instansi_pengirim``); ``items`` are
:class:`ReceiptItem` (see :func:`items_for_data`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from .formatting import angka, hari, tanggal, tempat_tanggal
from .layout import (
    OFFICE,
    OfficeTable,
    Official,
    build_pdf,
    content_width,
    esc,
    field_table,
    grid_style,
    markup,
    text,
)

MEDIA = {
    "pdf": "Berkas PDF",
    "xlsx": "Berkas XLSX (Excel)",
    "cetak": "Cetakan kertas",
    "email": "Surat elektronik",
}


@dataclass
class ReceiptItem:
    description: str
    medium: str
    quantity: str


def items_for_data(
    data: Mapping[str, Any],
    dataset: Mapping[str, Any] | None,
    letter_number: str | None,
    sheets: int | None = None,
) -> list[ReceiptItem]:
    """The cover letter and the data attachment, in the medium chosen at hand-over."""
    medium = MEDIA.get(data.get("kirim_media") or "", data.get("kirim_media") or "-")
    period = (dataset or {}).get("period") or {}
    scope = ((dataset or {}).get("scope") or {}).get("name") or ""
    description = f"Data Agregat Kependudukan {period.get('label', '')}".strip()
    if dataset and dataset.get("title"):
        description += f": {dataset['title']}"
    if scope:
        description += f", {scope}"
    count = data.get("jumlah_lembar") or sheets
    return [
        ReceiptItem(f"Surat pengantar Nomor {letter_number or '-'}", medium, "1 lembar"),
        ReceiptItem(description, medium, f"{angka(int(count))} lembar" if count else "1 berkas"),
    ]


def _items_table(items: Sequence[ReceiptItem], width: float) -> OfficeTable:
    header = [
        markup(f"<b>{h}</b>", "small_bold_center") for h in ("No.", "Uraian", "Media", "Jumlah")
    ]
    rows = [
        [
            str(i),
            text(item.description, "cell"),
            text(item.medium, "cell"),
            text(item.quantity, "cell"),
        ]
        for i, item in enumerate(items, start=1)
    ]
    table = OfficeTable([header, *rows], colWidths=[10 * mm, width - 82 * mm, 44 * mm, 28 * mm])
    table.setStyle(
        grid_style(1, 9.5)
        + [("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    )
    return table


def _signatures(data: Mapping[str, Any], officer: Official, width: float) -> Flowable:
    def column(role: str, name: str, detail: str) -> list[Flowable]:
        lines = [
            text(role, "center"),
            Spacer(1, 20 * mm),
            markup(f"<b><u>{esc(name)}</u></b>", "center"),
        ]
        return lines + ([text(detail, "center")] if detail else [])

    receiver_id = data.get("penerima_nip_nik")
    giver = column(
        "Yang menyerahkan,", officer.name or "-", f"NIP. {officer.nip}" if officer.nip else ""
    )
    taker = column(
        "Yang menerima,",
        data.get("penerima_nama") or "-",
        f"NIP/NIK. {receiver_id}" if receiver_id else "",
    )
    table = OfficeTable([[giver, taker]], colWidths=[width / 2, width / 2])
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])
    return KeepTogether(
        [
            Spacer(1, 4 * mm),
            text(tempat_tanggal(data.get("tanggal_terima")), "center"),
            Spacer(1, 2 * mm),
            table,
        ]
    )


def render(
    data: Mapping[str, Any], *, number: str, items: Sequence[ReceiptItem], officer: Official
) -> bytes:
    width = content_width()
    received = data.get("tanggal_terima")
    story: list[Flowable] = [
        markup("<u>TANDA TERIMA</u>", "title"),
        text(f"Nomor: {number}", "subtitle"),
        Spacer(1, 6 * mm),
        text(
            f"Pada hari ini {hari(received)}, tanggal {tanggal(received)}, telah diterima dari {OFFICE.full_name}:",
            "body",
        ),
        Spacer(1, 3 * mm),
        _items_table(items, width),
        Spacer(1, 4 * mm),
        text(
            f"sebagai tindak lanjut surat {data.get('instansi_pengirim') or 'Saudara'} Nomor "
            f"{data.get('nomor_surat') or '-'} tanggal {tanggal(data.get('tanggal_surat'))}.",
            "body",
        ),
        Spacer(1, 4 * mm),
        text("Penerima:", "heading"),
        field_table(
            [
                ("Nama", data.get("penerima_nama")),
                ("Jabatan", data.get("penerima_jabatan")),
                ("Instansi", data.get("penerima_instansi")),
                ("NIP/NIK", data.get("penerima_nip_nik")),
                ("Telepon", data.get("penerima_telepon")),
            ],
            widths=(30 * mm, width - 40 * mm),
        ),
        _signatures(data, officer, width),
    ]
    return build_pdf(
        story,
        title=f"Tanda Terima {number}",
        subject="Tanda terima data agregat kependudukan",
        footer_label=f"Tanda Terima Nomor {number}",
    )
