"""The office's register books (buku agenda, buku log pengaduan) as landscape tables for a date range."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .formatting import tanggal
from .layout import OfficeTable, build_pdf, content_width, esc, grid_style, markup, text


def period_text(date_from: date | str | None, date_to: date | str | None) -> str:
    return f"Periode {tanggal(date_from)} s.d. {tanggal(date_to)}"


def render_register(
    *,
    title: str,
    date_from: date | str | None,
    date_to: date | str | None,
    headers: Sequence[str],
    widths_mm: Sequence[float],
    rows: Sequence[Sequence[Flowable | str]],
    empty_message: str,
    notes: Sequence[str] = (),
) -> bytes:
    """A titled register table (header repeated on every page), widths scaled to the landscape page."""
    width = content_width(True)
    scale = width / (sum(widths_mm) * mm)
    widths = [w * mm * scale for w in widths_mm]
    story: list[Flowable] = [
        markup(title.upper(), "title"),
        text(period_text(date_from, date_to), "subtitle"),
        Spacer(1, 4 * mm),
    ]
    header = [markup(f"<b>{h}</b>", "header_small") for h in headers]
    body = list(rows) or [[text(empty_message, "cell")] + [""] * (len(headers) - 1)]
    table = OfficeTable([header, *body], colWidths=widths, repeatRows=1)
    style = grid_style(1, 8) + [("VALIGN", (0, 1), (-1, -1), "TOP")]
    if not rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(style)
    story.append(table)
    story += [Spacer(1, 2 * mm)] + [text(note, "small") for note in notes]
    return build_pdf(
        story,
        title=title,
        subject=period_text(date_from, date_to),
        is_landscape=True,
        footer_label=f"{title}, {period_text(date_from, date_to)}",
    )


def cell(*lines: object, bold_first: bool = False) -> Flowable:
    """Several short facts stacked in one table cell (empty ones left out)."""
    shown = [esc(line) for line in lines if line not in (None, "")]
    if bold_first and shown:
        shown[0] = f"<b>{shown[0]}</b>"
    return markup("<br/>".join(shown) or "-", "register")
