"""The visible marks of an electronic signature, drawn with ReportLab.

``signature_mark_pdf`` is the one-page PDF that fills the signature spot (a QR
code to the verification page and who signed, when); ``footer_band_pdf`` is
the band put at the foot of every page ("Dokumen ini telah ditandatangani
secara elektronik ..."). ``reports.signing`` imports both into the document.
"""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Frame, Paragraph

from .formatting import tanggal_jam
from .layout import (
    FONT,
    FONT_BOLD,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MUTED,
    OFFICE,
    markup,
    register_fonts,
)

FOOTER_TEXT = "Dokumen ini telah ditandatangani secara elektronik"
FOOTER_HEIGHT = 13 * mm


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canv: pdfcanvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """A vector QR code (one rectangle per run of dark modules) with its lower-left at (x, y)."""
    matrix = qr_matrix(data)
    module = size / len(matrix)
    path = canv.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, top, (column - start) * module, module)
    canv.saveState()
    canv.setFillColorRGB(0, 0, 0)
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


def _new_canvas(width: float, height: float) -> tuple[pdfcanvas.Canvas, io.BytesIO]:
    register_fonts()
    buffer = io.BytesIO()
    canv = pdfcanvas.Canvas(buffer, pagesize=(width, height), initialFontName=FONT)
    return canv, buffer


def signature_mark_pdf(
    width: float, height: float, *, verify_url: str, signer_label: str, signed_at: datetime
) -> bytes:
    """QR code at the left, "Ditandatangani secara elektronik oleh ..." at the right."""
    canv, buffer = _new_canvas(width, height)
    qr_size = min(height, 26 * mm)
    draw_qr(canv, verify_url, 0, (height - qr_size) / 2, qr_size)
    gap = 2.5 * mm
    text_width = width - qr_size - gap
    lines = _fitting_lines(signer_label, tanggal_jam(signed_at), text_width, height)
    frame = Frame(
        qr_size + gap,
        0,
        text_width,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=1,
        bottomPadding=0,
    )
    frame.addFromList(lines, canv)
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def _fitting_lines(signer_label: str, moment: str, width: float, height: float) -> list[Paragraph]:
    """The mark's three lines at the largest font size that fits the spot (a long title shrinks)."""
    for size in (8.5, 7.5, 6.5, 5.8, 5.0):
        plain = ParagraphStyle(f"mark{size}", fontName=FONT, fontSize=size, leading=size * 1.22)
        bold = ParagraphStyle(f"mark_bold{size}", parent=plain, fontName=FONT_BOLD)
        lines = [
            Paragraph("Ditandatangani secara elektronik oleh:", plain),
            Paragraph(escape(signer_label), bold),
            Paragraph(f"pada {escape(moment)}", plain),
        ]
        if sum(line.wrap(width, height)[1] for line in lines) <= height - 2:
            return lines
    return lines


def footer_band_pdf(page_width: float, *, verify_url: str) -> bytes:
    """A rule and two lines of small text across the page, for the foot of each signed page."""
    canv, buffer = _new_canvas(page_width, FOOTER_HEIGHT)
    canv.setStrokeColor(MUTED)
    canv.setLineWidth(0.4)
    canv.line(
        MARGIN_LEFT, FOOTER_HEIGHT - 0.5 * mm, page_width - MARGIN_RIGHT, FOOTER_HEIGHT - 0.5 * mm
    )
    note = markup(
        f"<b>{FOOTER_TEXT}</b> menggunakan sertifikat elektronik {OFFICE.full_name}. "
        f"Keaslian dan keutuhan dokumen dapat diperiksa dengan memindai kode QR atau melalui "
        f"{verify_url}",
        "footer_note",
    )
    frame = Frame(
        MARGIN_LEFT,
        0,
        page_width - MARGIN_LEFT - MARGIN_RIGHT,
        FOOTER_HEIGHT - 1.5 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    frame.addFromList([note], canv)
    canv.showPage()
    canv.save()
    return buffer.getvalue()
