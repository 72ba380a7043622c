"""A filled Word document to PDF with LibreOffice headless, and its signature spot.

``docx_to_pdf`` converts with one LibreOffice kept warm per process (``reports.warm_office``:
unoserver, when Debian's ``python3-uno`` is there), else with a cold ``soffice --headless
--convert-to pdf`` (Debian's ``libreoffice-writer-nogui``; both installed by ``make run``/``make
test`` through ``scripts/apt-ensure``). Each process keeps one LibreOffice user profile
(``$TMPDIR/laksana-soffice-<uid>-<pid>``); one profile is not shared by two LibreOffice processes
at once, so the conversions of a process take turns.

``mark_signature_spot`` finds the empty 78 x 24 mm box ``{{ tanda_tangan }}`` reserved and adds an
empty PDF signature field there (``layout.SIGNATURE_FIELD``), where ``reports.signing`` puts the
QR mark; without one, signing uses its fallback spot at the end of the last page.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from reportlab.lib.units import mm

from . import warm_office
from .layout import SIGNATURE_FIELD
from .warm_office import WarmOffice

log = logging.getLogger(__name__)

CONVERT_TIMEOUT_SECONDS = 120
#: how far a found box may be from the reserved size (LibreOffice rounds to its own units)
BOX_TOLERANCE = 1.5 * mm
_IMAGE = 3  # pdfium's FPDF_PAGEOBJ_IMAGE
_lock = threading.Lock()


class ConversionError(Exception):
    """LibreOffice is missing or failed; the message is for people."""


def _profile_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"laksana-soffice-{os.getuid()}-{os.getpid()}"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_warm: WarmOffice | None = None
_warm_failed = False


def _warm_server() -> WarmOffice | None:
    """The process's warm LibreOffice, started when needed (call with ``_lock`` held); None when
    it cannot run here or failed before."""
    global _warm
    if _warm_failed or not warm_office.available():
        return None
    if _warm is None or not _warm.alive():
        _warm = WarmOffice(_profile_dir().with_name(_profile_dir().name + "-warm"))
        _warm.start()
    return _warm


def _give_up_warm() -> None:
    global _warm, _warm_failed
    log.warning("warm LibreOffice failed; converting with soffice", exc_info=True)
    if _warm is not None:
        _warm.stop()
    _warm, _warm_failed = None, True


def _warm_convert(docx: bytes) -> bytes | None:
    """The PDF from the process's warm LibreOffice, or None (not available, or it failed: the
    caller converts cold, and a broken server is not tried again in this process)."""
    try:
        server = _warm_server()
        return server.convert(docx) if server is not None else None
    except Exception:  # noqa: BLE001 - any failure of the warm path falls back to a cold start
        _give_up_warm()
        return None


def _blank_docx() -> bytes:
    from docx import Document  # python-docx, docxtpl's own dependency

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def prewarm() -> bool:
    """Start the warm LibreOffice now and convert an empty page with it, so that the first
    letter does not wait for LibreOffice to start (about 6 s). True when it is warm."""
    with _lock:
        warm = _warm_convert(_blank_docx())
    return warm is not None and warm.startswith(b"%PDF")


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF LibreOffice makes of a ``.docx`` (warm when it can, else cold)."""
    with _lock:
        warm = _warm_convert(docx)
    if warm is not None and warm.startswith(b"%PDF"):
        return warm
    return cold_docx_to_pdf(docx)


def cold_docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of one ``soffice --headless --convert-to pdf`` run."""
    binary = soffice_path()
    if binary is None:
        raise ConversionError(
            "LibreOffice (soffice) tidak terpasang di server: pasang paket Debian "
            "libreoffice-writer-nogui (make run memasangnya)"
        )
    with _lock, tempfile.TemporaryDirectory(prefix="laksana-docx-") as work:
        source = Path(work) / "surat.docx"
        source.write_bytes(docx)
        command = [
            binary,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(source),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(
                f"LibreOffice tidak selesai mengubah surat ke PDF dalam {CONVERT_TIMEOUT_SECONDS} detik"
            ) from None
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:200]
            raise ConversionError(
                f"LibreOffice gagal mengubah surat ke PDF: {detail or 'tanpa pesan'}"
            )
        return target.read_bytes()


def find_box(
    pdf: bytes, width: float, height: float
) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, (x1, y1, x2, y2)) of the first image of that size, in PDF points."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            for obj in page.get_objects(filter=[_IMAGE]):
                x1, y1, x2, y2 = obj.get_bounds()
                if (
                    abs((x2 - x1) - width) <= BOX_TOLERANCE
                    and abs((y2 - y1) - height) <= BOX_TOLERANCE
                ):
                    return index, (x1, y1, x2, y2)
    finally:
        document.close()
    return None


def mark_signature_spot(pdf: bytes, width_mm: float, height_mm: float) -> bytes:
    """The PDF with an empty signature field over the reserved box (unchanged without one)."""
    found = find_box(pdf, width_mm * mm, height_mm * mm)
    if found is None:
        return pdf
    page, (x1, y1, x2, y2) = found
    box = (round(x1), round(y1), round(x2), round(y2))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=box)
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
