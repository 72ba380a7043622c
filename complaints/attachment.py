"""The complainant's optional attachment: a photo or a scan (PDF, JPG, PNG) up to a size limit.

The type is read from the file's first bytes, not from its name or the browser's word. Kept as
the complaint's document of kind ``pengaduan_lampiran`` (``pengaduan…``: it may identify the
complainant, so only the complaint desk sees it, ``web.policy``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engine.documents import NewDocument

#: the complaint's attachment; the panel and the document list show it to the desk
KIND = "pengaduan_lampiran"
MAX_BYTES = 5 * 1024 * 1024
#: first bytes -> (MIME type, file extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class AttachmentRefused(ValueError):
    """The attachment cannot be kept; the message is for the complainant."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str

    def document(self) -> NewDocument:
        return NewDocument(
            kind=KIND,
            filename=self.filename,
            content=self.content,
            title="Lampiran pengaduan",
            mime_type=self.mime_type,
        )


def _plain_name(name: str, extension: str) -> str:
    """The sender's file name without path or odd characters, with the extension its bytes show."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    cleaned = _UNSAFE.sub("", base).strip(" .")[:80] or "lampiran"
    return f"{cleaned}.{extension}"


def read_attachment(upload: Any) -> Attachment | None:
    """The checked attachment of an upload (``werkzeug`` FileStorage or alike); None when no file
    was chosen; AttachmentRefused when it is empty, too large, or not a PDF, JPG or PNG."""
    if upload is None or not getattr(upload, "filename", ""):
        return None
    content = upload.stream.read(MAX_BYTES + 1)
    if not content:
        raise AttachmentRefused("Lampiran kosong. Pilih kembali berkas foto atau pindaian.")
    if len(content) > MAX_BYTES:
        raise AttachmentRefused(
            f"Lampiran terlalu besar: paling besar {MAX_BYTES // (1024 * 1024)} MB. "
            "Perkecil foto atau pindaian, lalu pilih kembali berkasnya."
        )
    for magic, mime, extension in SIGNATURES:
        if content.startswith(magic):
            return Attachment(_plain_name(upload.filename, extension), content, mime)
    raise AttachmentRefused(
        "Lampiran harus berupa berkas PDF, JPG atau PNG. Pilih kembali berkas yang sesuai."
    )
