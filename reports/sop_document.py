"""The SOP document generated from a BPMN diagram, in the Permenpan-RB 35/2012 format.

``render(model)`` (a :class:`reports.bpmn_sop.SopModel`) or ``render_bpmn(xml)``:
the identity page (number, dates of making, revision and approval, approver,
name; legal basis, staff qualifications, related SOPs, equipment, warnings,
recording; completion time and cost) and the flowchart table. Analysts
change the diagram; the paper follows.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from .bpmn_sop import SopModel, SopParseError, parse_sop
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
#: the matrix starts on the identity's last page only when at least this much of it is free
MATRIX_START = 85 * mm
BLANK = "." * 40


def _date(model: SopModel, key: str, fallback: str | None = None) -> str:
    value = model.properties.get(key) or model.properties.get(fallback or "", "")
    if not value:
        return MISSING
    try:
        return tanggal(value)
    except ValueError:
        return value


def _approver(model: SopModel) -> list[Flowable]:
    """The approving official, with dotted blanks to fill in by hand where the diagram is silent."""
    name = model.properties.get("approver_name")
    return [
        text(model.properties.get("approver") or MISSING, "cell"),
        Spacer(1, 8 * mm),
        markup(f"<b><u>{esc(name)}</u></b>", "cell") if name else text(BLANK, "cell"),
        text(f"NIP. {model.properties.get('approver_nip') or BLANK}", "cell"),
    ]


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
        ("Tanggal Efektif", _date(model, "effective_date", fallback="sop_date")),
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


def _particulars(model: SopModel, width: float) -> list[Flowable]:
    """The particulars, two by two: each heading row kept on the page of its contents."""
    pairs = [
        (("Dasar Hukum", "legal_basis"), ("Kualifikasi Pelaksana", "qualifications")),
        (("Keterkaitan", "related"), ("Peralatan/Perlengkapan", "equipment")),
        (("Peringatan", "warnings"), ("Pencatatan dan Pendataan", "recording")),
        (("Persyaratan", "requirements"), ("Produk Layanan", "product")),
    ]
    blocks = [
        _pair_table(
            (left[0], _numbered(model.listed(left[1]))),
            (right[0], _numbered(model.listed(right[1]))),
            width,
        )
        for left, right in pairs
    ]
    cost = model.properties.get("cost") or MISSING
    blocks.append(
        _pair_table(
            ("Waktu Penyelesaian", [text(_completion(model), "cell")]),
            ("Biaya/Tarif", [text(cost, "cell")]),
            width,
        )
    )
    return [KeepTogether(block) for block in blocks]


def _pair_table(
    left: tuple[str, list[Flowable]], right: tuple[str, list[Flowable]], width: float
) -> OfficeTable:
    rows = [
        [markup(f"<b>{left[0]}:</b>", "cell"), markup(f"<b>{right[0]}:</b>", "cell")],
        [left[1], right[1]],
    ]
    table = OfficeTable(rows, colWidths=[width / 2, width / 2])
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ]
    )
    return table


def _completion(model: SopModel) -> str:
    total = menit(model.total_minutes)
    return f"{total} (jalur terpanjang)" if model.branches else total


def render(model: SopModel) -> bytes:
    """The paper; the matrix follows the identity on the same page when half of it is free."""
    width = content_width(True)
    story: list[Flowable] = [
        markup("STANDAR OPERASIONAL PROSEDUR", "title"),
        Spacer(1, 3 * mm),
        _identity_table(model, width),
        Spacer(1, 4 * mm),
        *_particulars(model, width),
        CondPageBreak(MATRIX_START),
        Spacer(1, 4 * mm),
        markup(f"<b>PROSEDUR {esc(model.name.upper())}</b>", "subtitle"),
        Spacer(1, 3 * mm),
        SopFlowchart(model, width),
        Spacer(1, 2 * mm),
        text(
            "Simbol: kapsul = mulai/selesai; persegi panjang = proses; belah ketupat = keputusan "
            "(huruf pada panah dijelaskan di kolom Ket.); lingkaran bernomor = penghubung ke "
            "langkah bernomor itu di halaman lain.",
            "note",
        ),
    ]
    number = model.properties.get("sop_number") or model.process_id
    return build_pdf(
        story,
        title=f"SOP {model.name}",
        subject=f"SOP nomor {number}",
        is_landscape=True,
        letterhead=False,  # the identity table carries the office's name, as the format has it
        footer_label=f"SOP {model.name} ({number})",
    )


def render_bpmn(xml: bytes | str) -> bytes:
    """The paper of a diagram; SopParseError (in Bahasa Indonesia) when it has no SOP steps."""
    model = parse_sop(xml)
    if not model.steps:
        raise SopParseError(
            "diagram tidak memuat langkah SOP: beri tugas pengguna properti standard_minutes "
            "(waktu baku) atau sop_step (nomor langkah)"
        )
    return render(model)
