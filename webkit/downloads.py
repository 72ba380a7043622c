"""CSV downloads, the same way on every page: one ``Content-Type`` with one charset, a UTF-8 BOM
so spreadsheet programs read the accents, and cells a spreadsheet will not run as formulas.

Werkzeug appends ``; charset=utf-8`` to every ``text/*`` mimetype it is given, so a view that
wrote ``mimetype="text/csv; charset=utf-8"`` sent the charset twice; ``csv_response`` gives the
bare mimetype and lets Werkzeug add it once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

BOM = "\ufeff"
CSV_MIMETYPE = "text/csv"
#: characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell as text; text starting a formula gets a leading apostrophe. Numbers stay as they are."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The header and rows as CSV text with a BOM, every cell through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return BOM + out.getvalue()


def csv_response(content: str | bytes, filename: str) -> Response:
    """A CSV file download (``content`` already CSV: text gets a BOM when it has none)."""
    if isinstance(content, str) and not content.startswith(BOM):
        content = BOM + content
    return Response(
        content,
        mimetype=CSV_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
