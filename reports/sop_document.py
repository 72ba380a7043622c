"""The SOP document generated from a BPMN diagram, in the Permenpan-RB 35/2012 format.

``render(model)`` (a :class:`reports.bpmn_sop.SopModel`) or ``render_bpmn(xml)``:
the identity page (number, dates of making, revision and approval, approver,
name; legal basis, staff qualifications, related SOPs, equipment, warnings,
recording; completion time and cost) and the flowchart table. Analysts
change the diagram; the paper follows.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from .bpmn_sop import SopModel, parse_sop
from .formatting import menit, tanggal
from .layout import (
    GRID_GREY,
    HEADER_FILL,
    OFFICE,
    OfficeTable,
    build_pdf,
    content_width,
    esc,
    markup,
    text,
)
from .sop_flowchart import SopFlowchart

MISSING = "-"


def _date(model: SopModel, key: str, fallback: str = "sop_date") -> str:
    value = model.properties.get(key) or model.properties.get(fallback)
    try:
        return tanggal(value) if value else MISSING
    except ValueError:
        return value


def _approver(model: SopModel) -> list[Flowable]:
    lines = [text(model.properties.get("approver") or MISSING, "cell")]
    if model.properties.get("approver_name"):
        lines += [
            Spacer(1, 8 * mm),
            markup(f"<b><u>{esc(model.properties['approver_name'])}</u></b>", "cell"),
        ]
    if model.properties.get("approver_nip"):
        lines.append(text(f"NIP. {model.properties['approver_nip']}", "cell"))
    return lines


def _identity_table(model: SopModel, width: float) -> OfficeTable:
    office = [
        markup(f"<b>{OFFICE.government}</b>", "center"),
        markup(f"<b>{OFFICE.name}</b>", "center"),
        Spacer(1, 3 * mm),
        text(f"{OFFICE.address}", "small_center"),
        text(f"Telepon {OFFICE.phone} | {OFFICE.website}", "small_center"),
    ]
    fields = [
        ("Nomor SOP", model.properties.get("sop_number") or MISSING),
        ("Tanggal Pembuatan", _date(model, "sop_date")),
        ("Tanggal Revisi", _date(model, "revision_date")),
        ("Tanggal Efektif", _date(model, "effective_date")),
        ("Disahkan oleh", _approver(model)),
        ("Nama SOP", markup(f"<b>{esc(model.name.upper())}</b>", "cell")),
    ]
    left = width * 0.42
    rows = [
        [
            office if i == 0 else "",
            text(label, "cell"),
            value if isinstance(value, list | Flowable) else text(value, "cell"),
        ]
        for i, (label, value) in enumerate(fields)
    ]
    table = OfficeTable(rows, colWidths=[left, 40 * mm, width - left - 40 * mm])
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY),
            ("SPAN", (0, 0), (0, len(rows) - 1)),
            ("VALIGN", (0, 0), (0, -1), "MIDDLE"),
            ("VALIGN", (1, 0), (-1, -1), "TOP"),
        ]
    )
    return table


def _numbered(items: list[str]) -> list[Flowable]:
    if not items:
        return [text(MISSING, "cell")]
    return [text(f"{i}. {item}", "cell") for i, item in enumerate(items, start=1)]


def _particulars_table(model: SopModel, width: float) -> OfficeTable:
    pairs = [
        (
            ("Dasar Hukum", model.listed("legal_basis")),
            ("Kualifikasi Pelaksana", model.listed("qualifications")),
        ),
        (
            ("Keterkaitan", model.listed("related")),
            ("Peralatan/Perlengkapan", model.listed("equipment")),
        ),
        (
            ("Peringatan", model.listed("warnings")),
            ("Pencatatan dan Pendataan", model.listed("recording")),
        ),
        (
            ("Persyaratan", model.listed("requirements")),
            ("Produk Layanan", model.listed("product")),
        ),
    ]
    rows: list[list] = []
    style = [("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for left, right in pairs:
        style.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), HEADER_FILL))
        rows.append([markup(f"<b>{left[0]}:</b>", "cell"), markup(f"<b>{right[0]}:</b>", "cell")])
        rows.append([_numbered(left[1]), _numbered(right[1])])
    style.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), HEADER_FILL))
    rows.append(
        [markup("<b>Waktu Penyelesaian:</b>", "cell"), markup("<b>Biaya/Tarif:</b>", "cell")]
    )
    rows.append(
        [
            text(menit(model.total_minutes), "cell"),
            text(model.properties.get("cost") or MISSING, "cell"),
        ]
    )
    table = OfficeTable(rows, colWidths=[width / 2, width / 2])
    table.setStyle(style)
    return table


def render(model: SopModel) -> bytes:
    width = content_width(True)
    story: list[Flowable] = [
        markup("STANDAR OPERASIONAL PROSEDUR", "title"),
        Spacer(1, 3 * mm),
        _identity_table(model, width),
        Spacer(1, 4 * mm),
        _particulars_table(model, width),
        PageBreak(),
        markup(f"<b>PROSEDUR {esc(model.name.upper())}</b>", "subtitle"),
        Spacer(1, 3 * mm),
        SopFlowchart(model, width),
        Spacer(1, 2 * mm),
        text(
            "Simbol: kapsul = mulai/selesai; persegi panjang = proses; belah ketupat = keputusan; "
            "lingkaran bernomor = penghubung ke halaman lain.",
            "note",
        ),
    ]
    number = model.properties.get("sop_number") or model.process_id
    return build_pdf(
        story,
        title=f"SOP {model.name}",
        subject=f"SOP nomor {number}",
        is_landscape=True,
        footer_label=f"SOP {model.name} ({number})",
    )


def render_bpmn(xml: bytes | str) -> bytes:
    return render(parse_sop(xml))
