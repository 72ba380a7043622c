"""CSV and XLSX of a query result: title, period, region, the table with totals, notes.

The protection notice (cell key method) is a heading line, right under the
title, period and region. Suppressed cells of results kept from before the cell
key method are written as ``x`` (the statistical convention for
"confidential"); zeros stay 0.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

SUPPRESSED_MARK = "x"
SOURCE_LINE = "Sumber: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara"
ROW_HEADERS = {"kecamatan": "Kecamatan", "desa": "Desa/Kelurahan"}


def _shown(value: int | None) -> int | str:
    return SUPPRESSED_MARK if value is None else value


def _notice(result: dict[str, Any]) -> str | None:
    return (result.get("protection") or {}).get("notice")


def _heading_lines(result: dict[str, Any]) -> list[tuple[str, str]]:
    period = result["period"]
    lines = [
        ("Judul", result["title"]),
        ("Periode", f"{period['label']} (keadaan {period['cutoff']})"),
        ("Wilayah", result["scope"]["name"]),
    ]
    if _notice(result):
        lines.append(("Perlindungan data", _notice(result)))
    return lines


def _table_rows(result: dict[str, Any]) -> list[list[Any]]:
    """Header, one line per region, then the totals line."""
    columns = result["columns"]
    lines: list[list[Any]] = [["Kode", ROW_HEADERS[result["row_level"]], *columns, "Jumlah"]]
    for row in result["rows"]:
        lines.append(
            [row["code"], row["name"], *(_shown(row["cells"][c]) for c in columns), row["total"]]
        )
    totals = result["column_totals"]
    lines.append(["", "Jumlah", *(_shown(totals[c]) for c in columns), result["grand_total"]])
    return lines


def _footer_lines(result: dict[str, Any]) -> list[str]:
    lines = [note for note in result["notes"] if note != _notice(result)]
    if result.get("suppressed"):
        lines.append(f"'{SUPPRESSED_MARK}' = disembunyikan (pengendalian pengungkapan statistik).")
    return [*lines, SOURCE_LINE]


def to_csv(result: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, value in _heading_lines(result):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerows(_table_rows(result))
    writer.writerow([])
    for note in _footer_lines(result):
        writer.writerow([note])
    return buffer.getvalue().encode("utf-8")


_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NUMBER_FORMAT = "#,##0"


def to_xlsx(result: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data Agregat"
    sheet["A1"] = result["title"]
    sheet["A1"].font = Font(bold=True, size=13)
    for offset, (label, value) in enumerate(_heading_lines(result)[1:], start=2):
        sheet.cell(offset, 1, f"{label}: {value}")
    header_top = len(_heading_lines(result)) + 2
    first_data_row = _write_headers(sheet, result, header_top)
    last_row = _write_body(sheet, result, first_data_row)
    for offset, note in enumerate(_footer_lines(result), start=last_row + 2):
        sheet.cell(offset, 1, note)
    sheet.freeze_panes = sheet.cell(first_data_row, 3)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 24
    for index in range(3, len(result["columns"]) + 4):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row, column, value)
    cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_headers(sheet, result: dict[str, Any], top: int) -> int:
    """One header line per dimension (equal neighbours merged); returns the first data row."""
    depth = max(len(result["dimensions"]), 1)
    bottom = top + depth - 1
    total_column = len(result["columns"]) + 3
    for column, label in (
        (1, "Kode"),
        (2, ROW_HEADERS[result["row_level"]]),
        (total_column, "Jumlah"),
    ):
        _header_cell(sheet, top, column, label)
        if depth > 1:
            sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    for level in range(depth):
        start = 0
        parts = result["column_parts"]
        while start < len(parts):
            end = start
            while end + 1 < len(parts) and parts[end + 1][: level + 1] == parts[start][: level + 1]:
                end += 1
            _header_cell(sheet, top + level, start + 3, parts[start][level])
            if end > start and level < depth - 1:
                sheet.merge_cells(
                    start_row=top + level,
                    start_column=start + 3,
                    end_row=top + level,
                    end_column=end + 3,
                )
            start = end + 1
    return bottom + 1


def _write_body(sheet, result: dict[str, Any], first_row: int) -> int:
    lines = _table_rows(result)[1:]
    for offset, line in enumerate(lines):
        row = first_row + offset
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row, column, value)
            cell.border = _BORDER
            if isinstance(value, int):
                cell.number_format = _NUMBER_FORMAT
            elif value == SUPPRESSED_MARK and column > 2:
                cell.alignment = Alignment(horizontal="right")
            if offset == len(lines) - 1 or column == len(line):
                cell.font = _BOLD
    return first_row + len(lines) - 1
