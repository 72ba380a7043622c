"""What every paper of the office shares: fonts, letterhead, styles, page frames.

``build_pdf(story, title=...)`` lays a ReportLab story out on A4 (portrait or
landscape) with the letterhead (kop surat) on the first page and "Halaman x
dari y" on every page, with the Liberation Sans font embedded (shipped in
``reports/fonts``, SIL OFL). ``signature_block`` reserves an empty PDF
signature field where the signer's mark goes; ``reports.signing`` fills it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "LiberationSans"
FONT_BOLD = "LiberationSans-Bold"
FONT_ITALIC = "LiberationSans-Italic"
FONT_BOLD_ITALIC = "LiberationSans-BoldItalic"

GRID_GREY = colors.HexColor("#444444")
HEADER_FILL = colors.HexColor("#E6E6E6")
TOTAL_FILL = colors.HexColor("#F2F2F2")
MUTED = colors.HexColor("#555555")

MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 24 * mm
LETTERHEAD_HEIGHT = 34 * mm

#: the field name of the signature spot that ``reports.signing`` signs into
SIGNATURE_FIELD = "ttd_kepala_dinas"


@dataclass(frozen=True)
class Office:
    government: str = "PEMERINTAH KABUPATEN BANJARNEGARA"
    name: str = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    full_name: str = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara"
    address: str = "Jl. Letjend Suprapto No. 234 B, Banjarnegara 53418"
    phone: str = "(0286) 591538"
    website: str = "dindukcapil.banjarnegarakab.go.id"
    head_title: str = "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL\nKABUPATEN BANJARNEGARA"


OFFICE = Office()


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the embedded TrueType family once per process."""
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        suffix = name.split("-")[1] if "-" in name else "Regular"
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"LiberationSans-{suffix}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


class OfficeTable(Table):
    """A ReportLab table whose cells default to the embedded font (never Helvetica)."""

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT)])


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, alignment=TA_JUSTIFY)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5, alignment=TA_LEFT)
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            alignment=TA_LEFT,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "small": small,
        "small_center": ParagraphStyle("small_center", parent=small, alignment=TA_CENTER),
        "small_right": ParagraphStyle("small_right", parent=small, alignment=TA_RIGHT),
        "small_bold": ParagraphStyle("small_bold", parent=small, fontName=FONT_BOLD),
        "small_bold_center": ParagraphStyle(
            "small_bold_center", parent=small, fontName=FONT_BOLD, alignment=TA_CENTER
        ),
        "register": ParagraphStyle("register", parent=small, fontSize=7.8, leading=9.6),
        "header_small": ParagraphStyle(
            "header_small",
            parent=small,
            fontName=FONT_BOLD,
            fontSize=7.5,
            leading=9,
            alignment=TA_CENTER,
        ),
        "note": ParagraphStyle("note", parent=small, fontName=FONT_ITALIC, textColor=MUTED),
        "footer_note": ParagraphStyle(
            "footer_note", parent=small, fontSize=7, leading=8.6, textColor=MUTED
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, alignment=TA_LEFT),
        "cell_bold": ParagraphStyle(
            "cell_bold",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12,
            alignment=TA_LEFT,
        ),
    }


def text(value: object, style: str = "body", bold: bool = False) -> Paragraph:
    """A paragraph of user data: escaped, newlines kept, empty shown as ``-``."""
    content = "-" if value in (None, "") else escape(str(value)).replace("\n", "<br/>")
    if bold:
        content = f"<b>{content}</b>"
    return Paragraph(content, styles()[style])


def markup(content: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup written in this package (``<b>``, ``<br/>``)."""
    return Paragraph(content, styles()[style])


def esc(value: object) -> str:
    return "-" if value in (None, "") else escape(str(value))


def content_width(is_landscape: bool = False) -> float:
    page_width = landscape(A4)[0] if is_landscape else A4[0]
    return page_width - MARGIN_LEFT - MARGIN_RIGHT


def draw_letterhead(
    canv: pdfcanvas.Canvas, page_width: float, page_height: float, office: Office = OFFICE
) -> None:
    """The kop surat: government, office, address line, web site, double rule."""
    register_fonts()
    centre = MARGIN_LEFT + (page_width - MARGIN_LEFT - MARGIN_RIGHT) / 2
    top = page_height - MARGIN_TOP
    lines = (
        (FONT_BOLD, 13, office.government, 5.5 * mm),
        (FONT_BOLD, 15.5, office.name, 7 * mm),
        (FONT, 9.5, f"{office.address}, Telepon {office.phone}", 5 * mm),
        (FONT, 9.5, f"Laman: {office.website}", 4.5 * mm),
    )
    y = top
    for font, size, line, step in lines:
        y -= step
        canv.setFont(font, size)
        canv.drawCentredString(centre, y, line)
    rule_y = y - 3.5 * mm
    canv.setLineWidth(2.2)
    canv.line(MARGIN_LEFT, rule_y, page_width - MARGIN_RIGHT, rule_y)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_LEFT, rule_y - 1.3 * mm, page_width - MARGIN_RIGHT, rule_y - 1.3 * mm)


#: a document rendered inside ``draft_marking()`` carries "DRAF" on every page until it is signed
_DRAFT: ContextVar[bool] = ContextVar("laksana_draft_mark", default=False)
#: the form XObject that carries the mark; ``reports.signing`` blanks it when it signs
DRAFT_FORM_PREFIX = "DrafMark"
DRAFT_COLOUR = colors.HexColor("#C0392B")
DRAFT_OUTLINE = colors.HexColor("#E6A09A")


@contextmanager
def draft_marking() -> Iterator[None]:
    """Render drafts: the PDFs built inside carry a "DRAF" watermark and header line."""
    token = _DRAFT.set(True)
    try:
        yield
    finally:
        _DRAFT.reset(token)


def _define_draft_mark(canv: pdfcanvas.Canvas, name: str, width: float, height: float) -> None:
    """An outlined diagonal DRAF and a header line, as one form (no transparency: ReportLab does
    not give a form its own graphics states)."""
    canv.beginForm(name)
    canv.saveState()
    canv.setStrokeColor(DRAFT_OUTLINE)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    mark = canv.beginText()
    mark.setTextRenderMode(1)  # outline only: the text under it stays readable
    mark.setFont(FONT_BOLD, 150)
    mark.setTextOrigin(-canv.stringWidth("DRAF", FONT_BOLD, 150) / 2, -50)
    mark.textOut("DRAF")
    canv.setLineWidth(1.2)
    canv.drawText(mark)
    canv.restoreState()
    canv.saveState()
    canv.setFillColor(DRAFT_COLOUR)
    canv.setFont(FONT_BOLD, 9)
    canv.drawCentredString(
        width / 2, height - 8 * mm, "DRAF \u2014 belum ditandatangani secara elektronik"
    )
    canv.restoreState()
    canv.endForm()


class _NumberedCanvas(pdfcanvas.Canvas):
    """Defers pages so the footer can say "Halaman x dari y"."""

    footer_label = ""
    draft = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._deferred_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._deferred_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._deferred_pages)
        for number, state in enumerate(self._deferred_pages, start=1):
            self.__dict__.update(state)
            self._draw_page_footer(number, total)
            super().showPage()
        super().save()

    def _draw_page_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        y = MARGIN_BOTTOM - 6 * mm
        if self.footer_label:
            self.drawString(MARGIN_LEFT, y, self.footer_label)
        self.drawRightString(width - MARGIN_RIGHT, y, f"Halaman {number} dari {total}")
        self.restoreState()
        if self.draft:
            name = f"{DRAFT_FORM_PREFIX}{int(width)}x{int(_height)}"
            if not self.hasForm(name):
                _define_draft_mark(self, name, width, _height)
            self.doForm(name)


def _frames(page_size: tuple[float, float], with_letterhead: bool) -> Frame:
    width, height = page_size
    top_gap = MARGIN_TOP + (LETTERHEAD_HEIGHT if with_letterhead else 0)
    return Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        width - MARGIN_LEFT - MARGIN_RIGHT,
        height - top_gap - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def _page_templates(is_landscape: bool, letterhead: bool) -> list[PageTemplate]:
    size = landscape(A4) if is_landscape else A4

    def first_page(canv, _doc):
        if letterhead:
            draw_letterhead(canv, *size)

    return [
        PageTemplate("first", frames=[_frames(size, letterhead)], onPage=first_page, pagesize=size),
        PageTemplate("later", frames=[_frames(size, False)], pagesize=size),
    ]


def build_pdf(
    story: list,
    *,
    title: str,
    subject: str = "",
    is_landscape: bool = False,
    letterhead: bool = True,
    footer_label: str = "",
) -> bytes:
    """Lay the story out and return the PDF bytes (A4, fonts embedded)."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=landscape(A4) if is_landscape else A4,
        title=title,
        subject=subject,
        author=OFFICE.full_name,
        creator="Laksana",
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        pageTemplates=_page_templates(is_landscape, letterhead),
        initialFontName=FONT,
    )
    canvas_class = type(
        "FooterCanvas", (_NumberedCanvas,), {"footer_label": footer_label, "draft": _DRAFT.get()}
    )
    doc.build([NextPageTemplate("later"), *story], canvasmaker=canvas_class)
    return buffer.getvalue()


def add_signature_field(canv: pdfcanvas.Canvas, name: str, rect: Sequence[float]) -> None:
    """An empty PDF signature field (/FT /Sig) at ``rect`` on the current page."""
    field = PDFDictionary(
        {
            "FT": PDFName("Sig"),
            "Type": PDFName("Annot"),
            "Subtype": PDFName("Widget"),
            "T": PDFString(name),
            "Rect": PDFArray([round(v, 2) for v in rect]),
            "F": 4,
        }
    )
    form = canv.acroForm
    canv._addAnnotation(field)
    form.fields.append(form.getRef(field))


class SignatureSpot(Flowable):
    """Blank space that carries an empty signature field for the electronic signature."""

    def __init__(self, width: float, height: float, field_name: str = SIGNATURE_FIELD):
        super().__init__()
        self.width, self.height, self.field_name = width, height, field_name

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        add_signature_field(self.canv, self.field_name, (x, y, x + self.width, y + self.height))


class CheckBox(Flowable):
    """A printed check box, ticked or empty."""

    def __init__(self, checked: bool, size: float = 3.4 * mm):
        super().__init__()
        self.checked, self.width, self.height = checked, size, size

    def draw(self) -> None:
        canv, size = self.canv, self.width
        canv.setLineWidth(0.7)
        canv.rect(0, 0, size, size)
        if self.checked:
            canv.setLineWidth(1.3)
            canv.lines(
                [
                    (size * 0.18, size * 0.52, size * 0.42, size * 0.2),
                    (size * 0.42, size * 0.2, size * 0.86, size * 0.86),
                ]
            )


def checklist(items: Sequence[tuple[str, bool]], width: float, style: str = "cell") -> Table:
    """Rows of ``[x] label``."""
    rows = [[CheckBox(checked), text(label, style)] for label, checked in items]
    table = OfficeTable(rows, colWidths=[5.5 * mm, width - 5.5 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ]
        )
    )
    return table


def checklist_row(items: Sequence[tuple[str, bool]], width: float, style: str = "cell") -> Table:
    """``[x] label  [ ] label ...`` on one line."""
    cell = width / max(len(items), 1)
    row: list = []
    for label, checked in items:
        row += [CheckBox(checked), text(label, style)]
    table = OfficeTable([row], colWidths=[5.5 * mm, cell - 5.5 * mm] * len(items))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def field_table(
    rows: Sequence[tuple[str, object]], widths: Sequence[float], style: str = "body"
) -> Table:
    """``Label : value`` lines, aligned on the colon (letters' Nomor/Sifat/Lampiran/Hal block)."""
    data = [
        [
            text(label, style),
            text(":", style),
            value if isinstance(value, Flowable) else text(value, style),
        ]
        for label, value in rows
    ]
    table = OfficeTable(data, colWidths=[widths[0], 4 * mm, widths[1]], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table


def grid_style(header_rows: int = 1, font_size: float = 8.5) -> list[tuple]:
    """The ruled-table look of the office's registers and data tables."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_GREY),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]


@dataclass(frozen=True)
class Official:
    """Who signs: position, name, rank (pangkat/golongan) and NIP. Demo officials are fictional."""

    name: str = ""
    nip: str = ""
    rank: str = ""
    position: str = OFFICE.head_title


def signature_block(
    official: Official,
    *,
    place_date: str | None = None,
    width: float = 78 * mm,
    field_name: str | None = SIGNATURE_FIELD,
    prefix: str = "",
    total_width: float | None = None,
) -> KeepTogether:
    """Right-aligned signature block; the empty spot in it takes the electronic signature."""
    lines: list[Flowable] = []
    if place_date:
        lines += [text(place_date, "left"), Spacer(1, 1 * mm)]
    if prefix:
        lines.append(text(prefix, "left"))
    lines.append(markup(esc(official.position).replace("\n", "<br/>") + ",", "left"))
    lines.append(
        SignatureSpot(width, 24 * mm, field_name) if field_name else Spacer(width, 24 * mm)
    )
    lines.append(
        markup(
            f"<b><u>{esc(official.name or '....................................')}</u></b>", "left"
        )
    )
    if official.rank:
        lines.append(text(official.rank, "left"))
    lines.append(text(f"NIP. {official.nip}" if official.nip else "NIP. ", "left"))
    table = OfficeTable(
        [[None, lines]], colWidths=[(total_width or content_width()) - width, width]
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6 * mm), table])
