"""The warehouse result as printed tables: grouped header, totals, suppressed cells, column blocks.

A table wider than the page is cut into column blocks (on group boundaries:
an age group's male and female columns stay together); every block repeats
the region columns, and the row total goes in the last block. Long tables
break across pages with the header rows repeated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .formatting import angka
from .layout import FONT, FONT_BOLD, TOTAL_FILL, OfficeTable, grid_style, markup

SUPPRESSED_MARK = "*"
SUPPRESSED_FILL = "#D9D9D9"
FONT_SIZE = 7.5
ROW_LEVEL_LABELS = {"kecamatan": "Kecamatan", "desa": "Desa/Kelurahan", "kabupaten": "Kabupaten"}


SHORT_LABELS = {"LAKI-LAKI": "L", "PEREMPUAN": "P"}


def short_label(value: str) -> str:
    """Sub-header abbreviation (``LAKI-LAKI`` -> ``L``) so narrow columns keep one line."""
    return SHORT_LABELS.get(value.upper(), value)


@dataclass
class ColumnBlock:
    columns: list[str]
    parts: list[list[str]]
    with_total: bool


def region_label(result: Mapping[str, Any]) -> str:
    return ROW_LEVEL_LABELS.get(result.get("row_level") or "", "Wilayah")


def column_groups(parts: Sequence[Sequence[str]]) -> list[list[int]]:
    """Indexes of consecutive columns sharing the first dimension's label."""
    groups: list[list[int]] = []
    for index, part in enumerate(parts):
        if groups and len(part) > 1 and parts[groups[-1][0]][0] == part[0]:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def column_blocks(result: Mapping[str, Any], max_columns: int) -> list[ColumnBlock]:
    """Split the value columns into balanced blocks of at most ``max_columns`` (the total counts as one)."""
    columns = list(result.get("columns") or [])
    parts = [list(p) for p in (result.get("column_parts") or [[c] for c in columns])]
    block_count = math.ceil((len(columns) + 1) / max_columns)
    target = math.ceil((len(columns) + 1) / block_count)
    chunks: list[list[int]] = [[]]
    for group in column_groups(parts):
        if chunks[-1] and len(chunks[-1]) + len(group) > target:
            chunks.append([])
        chunks[-1] += group
    blocks = [
        ColumnBlock([columns[i] for i in chunk], [parts[i] for i in chunk], False)
        for chunk in chunks
    ]
    blocks[-1].with_total = True
    return blocks


def _header_rows(block: ColumnBlock, region: str, depth: int) -> tuple[list[list], list[tuple]]:
    """Header rows (one per dimension) and their SPAN commands; region and total columns span all rows."""
    lead = ["No.", "Kode", f"Nama {region}"]
    rows = [[*lead, *[""] * len(block.columns)] for _ in range(depth)]
    spans: list[tuple] = []
    for level in range(depth):
        col = 0
        while col < len(block.columns):
            end = col
            while (
                level < depth - 1
                and end + 1 < len(block.columns)
                and block.parts[end + 1][: level + 1] == block.parts[col][: level + 1]
            ):
                end += 1
            value = block.parts[col][level] if level < len(block.parts[col]) else ""
            rows[level][3 + col] = short_label(value) if depth > 1 and level == depth - 1 else value
            if end > col:
                spans.append(("SPAN", (3 + col, level), (3 + end, level)))
            col = end + 1
    if block.with_total:
        for row in rows:
            row.append("Jumlah")
    if depth > 1:
        spans += [("SPAN", (i, 0), (i, depth - 1)) for i in range(3)]
        if block.with_total:
            spans.append(("SPAN", (-1, 0), (-1, depth - 1)))
    return [[_header_cell(value) for value in row] for row in rows], spans


def _header_cell(value: str):
    return markup(f"<b>{value}</b>", "small_bold_center") if value else ""


def _body_rows(
    result: Mapping[str, Any], block: ColumnBlock
) -> tuple[list[list[str]], list[tuple]]:
    rows, shading = [], []
    for index, row in enumerate(result.get("rows") or [], start=1):
        cells = row.get("cells") or {}
        line = [str(index), row.get("code", ""), row.get("name", "")]
        for col, label in enumerate(block.columns):
            value = cells.get(label)
            if value is None:
                line.append(SUPPRESSED_MARK)
                shading.append((3 + col, index - 1))
            else:
                line.append(angka(value))
        if block.with_total:
            line.append(angka(row.get("total")))
        rows.append(line)
    return rows, shading


def _total_row(result: Mapping[str, Any], block: ColumnBlock) -> list[str]:
    totals = result.get("column_totals") or {}
    line = ["JUMLAH", "", ""] + [
        SUPPRESSED_MARK if totals.get(label) is None else angka(totals.get(label))
        for label in block.columns
    ]
    if block.with_total:
        line.append(angka(result.get("grand_total")))
    return line


def _widths(
    body: list[list[str]], total: list[str], block: ColumnBlock, available: float
) -> list[float]:
    def widest(index: int, font: str = FONT) -> float:
        values = [row[index] for row in body] + [total[index]]
        return max((stringWidth(v, font, FONT_SIZE) for v in values), default=0) + 6

    name_width = min(max(widest(2), 28 * mm), 48 * mm)
    numeric_count = len(block.columns) + (1 if block.with_total else 0)
    numeric = [max(widest(3 + i, FONT_BOLD), 11 * mm) for i in range(numeric_count)]
    widths = [8 * mm, max(widest(1), 14 * mm), name_width, *numeric]
    spare = available - sum(widths)
    if numeric_count and spare > 0:
        widths[3:] = [w + spare / numeric_count for w in widths[3:]]
    elif numeric_count and spare < 0:
        numeric_width = sum(widths[3:])
        widths[3:] = [w * (numeric_width + spare) / numeric_width for w in widths[3:]]
    return widths


def build_table(
    result: Mapping[str, Any], block: ColumnBlock, available_width: float
) -> OfficeTable:
    depth = max((len(p) for p in block.parts), default=1)
    header, spans = _header_rows(block, region_label(result), depth)
    body, suppressed = _body_rows(result, block)
    total = _total_row(result, block)
    last = len(header) + len(body)
    table = OfficeTable(
        header + body + [total],
        colWidths=_widths(body, total, block, available_width),
        repeatRows=len(header),
        hAlign="LEFT",
    )
    style = (
        grid_style(len(header), FONT_SIZE)
        + spans
        + [
            ("ALIGN", (3, len(header)), (-1, -1), "RIGHT"),
            ("ALIGN", (0, len(header)), (0, -1), "RIGHT"),
            ("TOPPADDING", (0, len(header)), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, len(header)), (-1, -1), 1.2),
            ("SPAN", (0, last), (2, last)),
            ("ALIGN", (0, last), (2, last), "CENTER"),
            ("FONTNAME", (0, last), (-1, last), FONT_BOLD),
            ("BACKGROUND", (0, last), (-1, last), TOTAL_FILL),
        ]
    )
    if block.with_total:
        style += [("FONTNAME", (-1, len(header)), (-1, -1), FONT_BOLD)]
    style += [
        ("BACKGROUND", (col, len(header) + row), (col, len(header) + row), SUPPRESSED_FILL)
        for col, row in suppressed
    ]
    style += [
        ("ALIGN", (col, len(header) + row), (col, len(header) + row), "CENTER")
        for col, row in suppressed
    ]
    table.setStyle(style)
    return table
