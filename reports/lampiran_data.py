"""Lampiran data: the warehouse result as the office's data attachment.

``render(result, letter_number=..., letter_date=..., signer=..., threshold=...)``
where ``result`` is the warehouse result JSON (see docs/architecture.md):
title with period and cut-off, region, a chart where a picture says more
(population pyramid for age group x sex, bars otherwise), the tables with row,
column and grand totals, suppressed cells marked and explained, the source
line and the signature block. Wide tables go landscape.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from . import charts
from .data_table import SUPPRESSED_MARK, build_table, column_blocks, region_label, short_label
from .formatting import angka, tanggal
from .layout import (
    OFFICE,
    OfficeTable,
    Official,
    build_pdf,
    content_width,
    esc,
    markup,
    signature_block,
    text,
)

PORTRAIT_MAX_COLUMNS = 6
LANDSCAPE_MAX_COLUMNS = 17
BAR_CHART_MAX_ROWS = 25
SOURCE = f"Sumber: {OFFICE.full_name}"


def is_wide(result: Mapping[str, Any]) -> bool:
    return len(result.get("columns") or []) + 1 > PORTRAIT_MAX_COLUMNS


def period_line(result: Mapping[str, Any]) -> str:
    period = result.get("period") or {}
    line = period.get("label") or period.get("code") or ""
    if period.get("cutoff"):
        line += f", keadaan {tanggal(period['cutoff'])}"
    return line


def _reference_block(
    letter_number: str | None, letter_date: date | str | None, width: float
) -> Flowable:
    lines = [
        ("Lampiran", f"Surat {OFFICE.full_name}"),
        ("Nomor", letter_number or "-"),
        ("Tanggal", tanggal(letter_date)),
    ]
    cells = [
        [text(label, "small"), text(":", "small"), text(value, "small")] for label, value in lines
    ]
    block = OfficeTable(cells, colWidths=[16 * mm, 3 * mm, 66 * mm])
    block.setStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0.3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.3),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    holder = OfficeTable([[None, block]], colWidths=[width - 85 * mm, 85 * mm])
    holder.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return holder


def _title_block(result: Mapping[str, Any]) -> list[Flowable]:
    scope = (result.get("scope") or {}).get("name") or ""
    lines = [
        markup("DATA AGREGAT KEPENDUDUKAN", "title"),
        markup(f"<b>{esc((result.get('title') or '').upper())}</b>", "subtitle"),
    ]
    if scope:
        lines.append(text(f"{scope.upper()} MENURUT {region_label(result).upper()}", "subtitle"))
    lines.append(text(period_line(result), "subtitle"))
    return [*lines, Spacer(1, 5 * mm)]


def _parts(result: Mapping[str, Any]) -> list[list[str]]:
    columns = result.get("columns") or []
    return [list(p) for p in (result.get("column_parts") or [[c] for c in columns])]


def chart_for(
    result: Mapping[str, Any], width: float, max_height: float = 110 * mm
) -> Flowable | None:
    """A pyramid for age group x sex, stacked bars by region for few rows, bars of column totals otherwise."""
    dimensions = list(result.get("dimensions") or [])
    columns, parts = list(result.get("columns") or []), _parts(result)
    totals = result.get("column_totals") or {}
    if any(totals.get(c) is None for c in columns):
        return (
            None  # a one-row table with suppressed totals: a chart would show what the table hides
        )
    if dimensions[:2] == ["age_group", "sex"]:
        groups = list(dict.fromkeys(p[0] for p in parts))
        value = {
            (p[0], p[1].upper()[:4]): totals.get(c, 0) for c, p in zip(columns, parts, strict=True)
        }
        return charts.population_pyramid(
            groups,
            [value.get((g, "LAKI"), 0) for g in groups],
            [value.get((g, "PERE"), 0) for g in groups],
            width=width,
            max_height=max_height,
            title="Piramida Penduduk",
        )
    rows = result.get("rows") or []
    if (
        1 < len(rows) <= BAR_CHART_MAX_ROWS
        and len(columns) <= len(charts.SERIES_COLOURS)
        and len(dimensions) == 1
    ):
        series = [
            (label.capitalize(), [(row.get("cells") or {}).get(label) or 0 for row in rows])
            for label in columns
        ]
        if any(((row.get("cells") or {}).get(label) is None) for row in rows for label in columns):
            series = [("Jumlah", [row.get("total") or 0 for row in rows])]
        return charts.bar_chart(
            [row.get("name", "") for row in rows],
            series,
            width=width,
            max_height=max_height,
            title=f"Jumlah menurut {region_label(result)}",
        )
    first = list(dict.fromkeys(p[0] for p in parts))
    if 1 < len(first) <= 40:
        sums = {
            g: sum(totals.get(c, 0) for c, p in zip(columns, parts, strict=True) if p[0] == g)
            for g in first
        }
        return charts.bar_chart(
            [str(g).capitalize() for g in first],
            [("Jumlah", list(sums.values()))],
            width=width,
            max_height=max_height,
            title=f"Jumlah {(result.get('scope') or {}).get('name', '')}",
        )
    return None


def suppression_note(result: Mapping[str, Any], threshold: int | None) -> str | None:
    suppressed = result.get("suppressed") or []
    if not suppressed:
        return None
    primary = sum(1 for s in suppressed if s.get("reason") == "primary")
    secondary = len(suppressed) - primary
    small = f"kurang dari {threshold}" if threshold else "sangat kecil"
    totals_hidden = any(v is None for v in (result.get("column_totals") or {}).values())
    totals_line = (
        "Jumlah kolom yang sama dengan sel tersembunyi (tabel satu wilayah) juga tidak ditampilkan; "
        "jumlah seluruhnya tetap angka sebenarnya."
        if totals_hidden
        else "Jumlah baris, jumlah kolom dan jumlah seluruhnya tetap angka sebenarnya."
    )
    return (
        f"Tanda {SUPPRESSED_MARK} (sel berarsir): angka tidak ditampilkan untuk melindungi kerahasiaan "
        f"data penduduk ({angka(len(suppressed))} sel). {angka(primary)} sel bernilai {small} jiwa; "
        f"{angka(secondary)} sel lainnya disembunyikan agar angka tersebut tidak dapat dihitung kembali "
        f"dari jumlah. {totals_line}"
    )


def _notes(result: Mapping[str, Any], threshold: int | None) -> list[Flowable]:
    lines = ["Catatan:"]
    note = suppression_note(result, threshold)
    if note:
        lines.append(note)
    if any(len(p) > 1 and short_label(p[-1]) != p[-1] for p in _parts(result)):
        lines.append("L = laki-laki; P = perempuan.")
    lines += [str(n) for n in result.get("notes") or []]
    story: list[Flowable] = [Spacer(1, 3 * mm)]
    if len(lines) > 1:
        story += [text(line, "small") for line in lines]
    story += [Spacer(1, 2 * mm), text(f"{SOURCE}, data {period_line(result)}.", "small")]
    return story


def _tables(result: Mapping[str, Any], width: float, max_columns: int) -> list[Flowable]:
    blocks = column_blocks(result, max_columns)
    story: list[Flowable] = []
    for number, block in enumerate(blocks, start=1):
        caption = f"Tabel {esc(result.get('title') or '')}"
        if len(blocks) > 1:
            caption += f" (bagian {number} dari {len(blocks)})"
        story += [
            CondPageBreak(40 * mm),
            markup(f"<b>{caption}</b>", "small"),
            Spacer(1, 1.5 * mm),
            build_table(result, block, width),
            Spacer(1, 4 * mm),
        ]
    return story


def render(
    result: Mapping[str, Any],
    *,
    letter_number: str | None = None,
    letter_date: date | str | None = None,
    signer: Official | None = None,
    threshold: int | None = None,
    with_chart: bool = True,
) -> bytes:
    wide = is_wide(result)
    width = content_width(wide)
    story: list[Flowable] = [
        _reference_block(letter_number, letter_date, width),
        Spacer(1, 5 * mm),
        *_title_block(result),
    ]
    summary = f"Jumlah seluruhnya: <b>{angka(result.get('grand_total'))}</b> " + (
        "keluarga" if result.get("measure") == "families" else "jiwa"
    )
    story += [markup(summary, "center"), Spacer(1, 4 * mm)]
    chart = (
        chart_for(result, min(width, 170 * mm), 72 * mm if wide else 105 * mm)
        if with_chart
        else None
    )
    if chart is not None:
        story += [KeepTogether([chart, Spacer(1, 5 * mm)])]
    story += _tables(result, width, LANDSCAPE_MAX_COLUMNS if wide else PORTRAIT_MAX_COLUMNS)
    story += _notes(result, threshold)
    story.append(
        signature_block(
            signer or Official(),
            place_date=f"Banjarnegara, {tanggal(letter_date)}",
            total_width=width,
        )
    )
    title = f"Lampiran Data Agregat Kependudukan {period_line(result)}"
    return build_pdf(
        story,
        title=title,
        subject=result.get("title") or "",
        is_landscape=wide,
        footer_label=f"Lampiran Surat Nomor {letter_number or '-'}",
    )
