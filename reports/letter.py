"""The official letter (naskah dinas surat) frame shared by the outgoing letters.

Letterhead; place and date; Nomor, Sifat, Lampiran, Hal; "Yth." and the
addressee; the body paragraphs; the signature block; Tembusan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from .formatting import tanggal, tempat_tanggal
from .layout import (
    SIGNATURE_FIELD,
    OfficeTable,
    Official,
    build_pdf,
    content_width,
    field_table,
    signature_block,
    text,
)

DEFAULT_COPIES = (
    "Bupati Banjarnegara (sebagai laporan);",
    "Sekretaris Daerah Kabupaten Banjarnegara;",
    "Arsip.",
)


@dataclass
class Letter:
    number: str
    letter_date: date | str
    subject: str
    addressee: str
    paragraphs: list[str]
    signer: Official
    nature: str = "Biasa"
    attachment: str = "-"
    address: str = ""
    copies: tuple[str, ...] | list[str] = DEFAULT_COPIES
    signature_field: str | None = SIGNATURE_FIELD
    kind_label: str = "Surat"
    extra: list[Flowable] = field(default_factory=list)


def reference_sentence(number: str | None, letter_date: object, subject: str | None) -> str:
    """``Menindaklanjuti surat Saudara Nomor ... tanggal ... hal ...``."""
    return (
        f"Menindaklanjuti surat Saudara Nomor {number or '-'} tanggal {tanggal(letter_date)} "
        f"hal {subject or '-'}"
    )


def _heading_block(letter: Letter) -> list[Flowable]:
    width = content_width()
    date_line = OfficeTable(
        [[None, text(tempat_tanggal(letter.letter_date), "left")]],
        colWidths=[width - 62 * mm, 62 * mm],
    )
    date_line.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    fields = field_table(
        [
            ("Nomor", letter.number),
            ("Sifat", letter.nature),
            ("Lampiran", letter.attachment),
            ("Hal", letter.subject),
        ],
        widths=(24 * mm, 90 * mm),
    )
    recipient = [text("Yth. " + letter.addressee, "left")]
    if letter.address:
        recipient.append(text(letter.address, "left"))
    recipient += [text("di", "left"), text("Tempat", "left")]
    return [date_line, Spacer(1, 3 * mm), fields, Spacer(1, 6 * mm), *recipient, Spacer(1, 6 * mm)]


def _body(letter: Letter) -> list[Flowable]:
    body: list[Flowable] = []
    for paragraph in letter.paragraphs:
        body += [text(paragraph, "body"), Spacer(1, 3 * mm)]
    return body + list(letter.extra)


def _copies(letter: Letter) -> list[Flowable]:
    if not letter.copies:
        return []
    lines: list[Flowable] = [Spacer(1, 8 * mm), text("Tembusan:", "small")]
    lines += [
        text(f"{index}. {copy}", "small") for index, copy in enumerate(letter.copies, start=1)
    ]
    return lines


def render_letter(letter: Letter) -> bytes:
    story = [
        *_heading_block(letter),
        *_body(letter),
        signature_block(letter.signer, field_name=letter.signature_field),
        *_copies(letter),
    ]
    return build_pdf(
        story,
        title=f"{letter.kind_label} {letter.number}",
        subject=letter.subject,
        footer_label=f"{letter.kind_label} Nomor {letter.number}",
    )
