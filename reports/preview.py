"""Page images of a PDF for the task pages' inline preview (poppler's ``pdftoppm``).

The browser's PDF viewer cannot be framed under the app's Content-Security-Policy
(``object-src 'none'``, ``frame-ancestors 'none'``), and page images read the same on a
telephone; without poppler the page keeps its links to the PDF.
"""

from __future__ import annotations

import io
import shutil
import subprocess

from pyhanko.pdf_utils.reader import PdfFileReader

#: dots per inch of a preview page: an A4 page becomes about 760 px wide
PREVIEW_DPI = 92
#: pages previewed per document (a long attachment is read in the PDF itself)
MAX_PAGES = 4


def available() -> bool:
    return shutil.which("pdftoppm") is not None


def page_count(pdf: bytes) -> int:
    try:
        return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - an unreadable file just has no preview
        return 0


def page_png(pdf: bytes, page: int, dpi: int = PREVIEW_DPI) -> bytes | None:
    """Page ``page`` (1-based) as PNG, or None when it cannot be drawn."""
    if not available() or page < 1:
        return None
    try:
        done = subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"],
            input=pdf,
            capture_output=True,
            timeout=20,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    return done.stdout or None
