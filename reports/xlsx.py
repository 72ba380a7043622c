"""The data attachment as an XLSX workbook (openpyxl), for requesters who compute with it."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .data_table import SUPPRESSED_MARK, region_label
from .lampiran_data import SOURCE, period_line, suppression_note

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
SUPPRESSED_FILL = PatternFill("solid", fgColor="D9D9D9")


def _write_table(sheet, result: Mapping[str, Any], first_row: int) -> int:
    columns = list(result.get("columns") or [])
    header = ["No.", "Kode", f"Nama {region_label(result)}", *columns, "Jumlah"]
    for col, value in enumerate(header, start=1):
        cell = sheet.cell(first_row, col, value)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_number = first_row
    for index, row in enumerate(result.get("rows") or [], start=1):
        row_number += 1
        cells = row.get("cells") or {}
        values = [
            index,
            row.get("code"),
            row.get("name"),
            *[cells.get(c) for c in columns],
            row.get("total"),
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(
                row_number,
                col,
                SUPPRESSED_MARK if value is None and 3 < col < len(values) else value,
            )
            if 3 < col <= len(values) and value is not None:
                cell.number_format = "#,##0"
            elif value is None:
                cell.fill, cell.alignment = SUPPRESSED_FILL, Alignment(horizontal="center")
    row_number += 1
    totals = result.get("column_totals") or {}
    sheet.cell(row_number, 1, "JUMLAH").font = BOLD
    for col, value in enumerate(
        [*[totals.get(c) for c in columns], result.get("grand_total")], start=4
    ):
        cell = sheet.cell(row_number, col, value)
        cell.font, cell.number_format = BOLD, "#,##0"
        if value is None:
            cell.fill, cell.alignment = SUPPRESSED_FILL, Alignment(horizontal="center")
    return row_number


def render(
    result: Mapping[str, Any], *, letter_number: str | None = None, threshold: int | None = None
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    scope = (result.get("scope") or {}).get("name") or ""
    heading = [
        "DATA AGREGAT KEPENDUDUKAN",
        (result.get("title") or "").upper(),
        f"{scope} menurut {region_label(result)}",
        period_line(result),
    ]
    if letter_number:
        heading.append(f"Lampiran surat nomor {letter_number}")
    for row, line in enumerate(heading, start=1):
        sheet.cell(row, 1, line).font = BOLD if row <= 2 else Font()
    last = _write_table(sheet, result, len(heading) + 2)
    notes = [
        suppression_note(result, threshold),
        *(result.get("notes") or []),
        f"{SOURCE}, data {period_line(result)}.",
    ]
    for offset, note in enumerate([n for n in notes if n], start=2):
        sheet.cell(last + offset, 1, note)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 28
    for col in range(4, len(result.get("columns") or []) + 5):
        sheet.column_dimensions[get_column_letter(col)].width = 13
    sheet.freeze_panes = sheet.cell(len(heading) + 3, 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
