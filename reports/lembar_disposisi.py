"""Lembar disposisi: the incoming letter's data and the whole disposition cascade on one sheet.

``render(letter, hops)``: ``letter`` holds the task-data keys written at
registration (``instansi_pengirim``, ``nomor_surat``, ``tanggal_surat``,
``tanggal_diterima``, ``nomor_agenda``, ``sifat``, ``perihal``); ``hops`` is a
list of :class:`Hop` (Kepala Dinas -> Kabid PIAK -> Kasi -> operator), made
from task data by :func:`hops_from_task_data`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from .formatting import tanggal, tanggal_jam
from .layout import (
    GRID_GREY,
    HEADER_FILL,
    OfficeTable,
    build_pdf,
    checklist,
    checklist_row,
    content_width,
    esc,
    markup,
    text,
)

#: the letter's sifat as the printed form's boxes: the urgencies, then the confidential mark
NATURES = (
    ("sangat_segera", "Sangat segera"),
    ("segera", "Segera"),
    ("biasa", "Biasa"),
    ("rahasia", "Rahasia"),
)
REQUESTS = (
    ("tanggapan", "Tanggapan dan saran"),
    ("proses", "Proses lebih lanjut"),
    ("koordinasi", "Koordinasi/konfirmasikan"),
)
FOOTER = "Disposisi hanya disampaikan kepada yang berhak"


@dataclass
class Hop:
    """One disposition: who sends it to whom, what is asked, by when, signed off when."""

    sender_position: str
    recipient: str
    instruction: str = ""
    requests: dict[str, bool] = field(default_factory=dict)
    deadline: date | str | None = None
    sender_name: str = ""
    at: datetime | str | None = None


def hops_from_task_data(
    data: Mapping[str, Any], actors: Mapping[str, tuple[str, datetime | None]]
) -> list[Hop]:
    """The cascade from the ``kadin_*``/``kabid_*``/``kasi``/``akses_*`` keys; ``actors`` maps the
    element ids ``disposisi_kadin``/``disposisi_kabid``/``beri_akses`` to (name, completed at)."""
    hops = []
    if "kadin_isi_disposisi" in data or "disposisi_kadin" in actors:
        hops.append(
            _hop(data, actors, "kadin", "disposisi_kadin", "Kepala Dinas", "Kepala Bidang PIAK")
        )
    if "kabid_isi_disposisi" in data or "disposisi_kabid" in actors:
        hops.append(
            _hop(data, actors, "kabid", "disposisi_kabid", "Kepala Bidang PIAK", "Kepala Seksi")
        )
    if "kasi_isi_disposisi" in data or "beri_akses" in actors:
        name, at = actors.get("beri_akses", ("", None))
        instruction = data.get("kasi_isi_disposisi") or ""
        if data.get("akses_berlaku_sampai"):
            instruction += (
                f"\nHak akses gudang data berlaku sampai {tanggal(data['akses_berlaku_sampai'])}."
            )
        hops.append(
            Hop(
                "Kepala Seksi",
                f"Operator ({data.get('akses_operator') or '-'})",
                instruction.strip(),
                {"proses": True},
                data.get("akses_berlaku_sampai"),
                name,
                at,
            )
        )
    return hops


def _hop(data, actors, prefix: str, element: str, sender: str, recipient: str) -> Hop:
    name, at = actors.get(element, ("", None))
    requests = {key: bool(data.get(f"{prefix}_harap_{key}")) for key, _label in REQUESTS}
    return Hop(
        sender,
        recipient,
        data.get(f"{prefix}_isi_disposisi") or "",
        requests,
        data.get(f"{prefix}_batas_waktu"),
        name,
        at,
    )


def nature_boxes(sifat: str | None) -> list[tuple[str, bool]]:
    """Every sifat box with its label, ticked for the letter's own (none ticked when unknown)."""
    nature = (sifat or "").lower()
    return [(label, nature == code) for code, label in NATURES]


def _letter_box(letter: Mapping[str, Any], width: float) -> OfficeTable:
    half = width / 2
    natures = checklist_row(nature_boxes(letter.get("sifat")), width - 30 * mm)
    rows = [
        [
            _field("Surat dari", letter.get("instansi_pengirim")),
            _field("Diterima tanggal", tanggal(letter.get("tanggal_diterima"))),
        ],
        [
            _field("Nomor surat", letter.get("nomor_surat")),
            _field("Nomor agenda", letter.get("nomor_agenda")),
        ],
        [_field("Tanggal surat", tanggal(letter.get("tanggal_surat"))), ""],
        [
            OfficeTable(
                [[text("Sifat:", "cell"), natures]],
                colWidths=[20 * mm, width - 30 * mm],
                style=[
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ],
            ),
            "",
        ],
        [_field("Perihal", letter.get("perihal")), ""],
    ]
    table = OfficeTable(rows, colWidths=[half, half])
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.9, GRID_GREY),
            ("INNERGRID", (0, 0), (-1, -1), 0.4, GRID_GREY),
            ("SPAN", (0, 2), (1, 2)),
            ("SPAN", (0, 3), (1, 3)),
            ("SPAN", (0, 4), (1, 4)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
    )
    return table


def _field(label: str, value: object) -> Flowable:
    return markup(f"{esc(label)}:<br/><b>{esc(value)}</b>", "cell")


def _hop_box(number: int, hop: Hop, width: float) -> Flowable:
    left = width * 0.45
    requests = checklist(
        [(label, bool(hop.requests.get(key))) for key, label in REQUESTS], left - 8
    )
    heading = markup(f"<b>{number}. Disposisi {esc(hop.sender_position)}</b>", "cell")
    signed = f"{esc(hop.sender_name) if hop.sender_name else '-'}"
    rows = [
        [heading, ""],
        [
            [
                markup(f"Diteruskan kepada Sdr.:<br/><b>{esc(hop.recipient)}</b>", "cell"),
                Spacer(1, 1 * mm),
                text("Dengan hormat harap:", "cell"),
                requests,
            ],
            [
                text("Isi disposisi:", "cell"),
                text(hop.instruction, "cell_bold"),
                Spacer(1, 1.5 * mm),
                markup(f"Batas waktu: <b>{esc(tanggal(hop.deadline))}</b>", "cell"),
            ],
        ],
        [
            markup(f"Tanggal: {esc(tanggal_jam(hop.at))}", "cell"),
            markup(f"Paraf: <b>{signed}</b> <font size='7.5'>(paraf elektronik)</font>", "cell"),
        ],
    ]
    table = OfficeTable(rows, colWidths=[left, width - left])
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.9, GRID_GREY),
            ("INNERGRID", (0, 1), (-1, -1), 0.4, GRID_GREY),
            ("LINEBELOW", (0, 0), (-1, 0), 0.4, GRID_GREY),
            ("SPAN", (0, 0), (1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    return KeepTogether([table, Spacer(1, 2.5 * mm)])


def _footer(width: float) -> OfficeTable:
    box = OfficeTable([[markup(f"<b><i>{FOOTER}</i></b>", "center")]], colWidths=[width])
    box.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.9, GRID_GREY),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    return box


def render(letter: Mapping[str, Any], hops: Sequence[Hop]) -> bytes:
    width = content_width()
    story: list[Flowable] = [
        markup("<u>LEMBAR DISPOSISI</u>", "title"),
        Spacer(1, 2 * mm),
        _letter_box(letter, width),
        Spacer(1, 3 * mm),
    ]
    story += [_hop_box(number, hop, width) for number, hop in enumerate(hops, start=1)]
    if not hops:
        story.append(text("Belum ada disposisi.", "cell"))
    story += [Spacer(1, 2 * mm), _footer(width)]
    agenda = letter.get("nomor_agenda") or "-"
    return build_pdf(
        story,
        title=f"Lembar Disposisi {agenda}",
        subject=letter.get("perihal") or "",
        footer_label=f"Lembar Disposisi, agenda nomor {agenda}",
    )
