"""The visible marks of an electronic signature, drawn with ReportLab.

``signature_mark_pdf`` is the one-page PDF that fills the signature spot (a QR
code to the verification page and who signed, when); ``footer_band_pdf`` is
the band put at the foot of every page ("Dokumen ini telah ditandatangani
secara elektronik ..."). ``reports.signing`` imports both into the document.
"""

from __future__ import annotations

import io
from datetime import datetime

import qrcode
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Frame

from .formatting import tanggal_jam
from .layout import FONT, MARGIN_LEFT, MARGIN_RIGHT, MUTED, OFFICE, markup, register_fonts, text

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


def signature_mark_pdf(width: float, height: float, *, verify_url: str, signer_label: str,
                       signed_at: datetime) -> bytes:
    """QR code at the left, "Ditandatangani secara elektronik oleh ..." at the right."""
    canv, buffer = _new_canvas(width, height)
    qr_size = min(height, 26 * mm)
    draw_qr(canv, verify_url, 0, (height - qr_size) / 2, qr_size)
    lines = [
        text("Ditandatangani secara elektronik oleh:", "small"),
        text(signer_label, "small_bold"),
        text(f"pada {tanggal_jam(signed_at)}", "small"),
    ]
    gap = 2.5 * mm
    frame = Frame(qr_size + gap, 0, width - qr_size - gap, height, leftPadding=0, rightPadding=0,
                  topPadding=1, bottomPadding=0)
    frame.addFromList(lines, canv)
    canv.showPage()
    canv.save()
    return buffer.getvalue()


def footer_band_pdf(page_width: float, *, verify_url: str) -> bytes:
    """A rule and two lines of small text across the page, for the foot of each signed page."""
    canv, buffer = _new_canvas(page_width, FOOTER_HEIGHT)
    canv.setStrokeColor(MUTED)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_LEFT, FOOTER_HEIGHT - 0.5 * mm, page_width - MARGIN_RIGHT, FOOTER_HEIGHT - 0.5 * mm)
    note = markup(
        f"<b>{FOOTER_TEXT}</b> menggunakan sertifikat elektronik {OFFICE.full_name}. "
        f"Keaslian dan keutuhan dokumen dapat diperiksa dengan memindai kode QR atau melalui "
        f"{verify_url}", "footer_note")
    frame = Frame(MARGIN_LEFT, 0, page_width - MARGIN_LEFT - MARGIN_RIGHT, FOOTER_HEIGHT - 1.5 * mm,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList([note], canv)
    canv.showPage()
    canv.save()
    return buffer.getvalue()
