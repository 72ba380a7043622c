"""Checks on uploaded files: the letters (PDF) and the diagrams (BPMN XML)."""

from __future__ import annotations

from flask_babel import gettext as _

from engine.file_checks import MAX_DIAGRAM_BYTES

MAX_PDF_BYTES = 10 * 1024 * 1024
#: the engine's limit, so that the editor, the upload form and ``laksana deploy`` refuse alike
MAX_BPMN_BYTES = MAX_DIAGRAM_BYTES
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class UploadRefused(ValueError):
    """A message for the person who uploaded the file."""


def _read_capped(stream, cap: int) -> bytes:
    content = stream.read(cap + 1)
    if len(content) > cap:
        raise UploadRefused(
            _("Berkas terlalu besar: paling besar %(mb)d MB.", mb=cap // (1024 * 1024))
        )
    return content


def read_pdf(file_storage) -> bytes:
    """The bytes of an uploaded PDF, or UploadRefused (empty, too large, or not a PDF by its first bytes)."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise UploadRefused(_("Lampirkan berkas PDF."))
    content = _read_capped(file_storage.stream, MAX_PDF_BYTES)
    if not content:
        raise UploadRefused(_("Berkas kosong."))
    if not content.startswith(PDF_MAGIC):
        raise UploadRefused(_("Berkas bukan PDF. Pindai surat lalu simpan sebagai PDF."))
    return content


def read_bpmn(source) -> bytes:
    """The bytes of an uploaded diagram (a file upload or a request body), capped in size."""
    content = _read_capped(source.stream if hasattr(source, "stream") else source, MAX_BPMN_BYTES)
    if not content.strip():
        raise UploadRefused(_("Berkas kosong."))
    return content


def read_template(file_storage) -> bytes:
    """The bytes of an uploaded letter template (its format is the engine's to check)."""
    content = _read_capped(file_storage.stream, MAX_TEMPLATE_BYTES)
    if not content:
        raise UploadRefused(_("Berkas kosong."))
    return content


def safe_filename(name: str | None, default: str) -> str:
    """A plain file name for a download header (no path, no quotes)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in "._- ")[:120].strip()
    return cleaned or default
