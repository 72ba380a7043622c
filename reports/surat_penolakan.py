"""Surat penolakan: the letter telling the requester that the request cannot be served.

``render(request, number=..., letter_date=..., signer=...)``: ``request`` holds
the registered letter's task-data keys and ``kadin_alasan_penolakan`` (the
Kepala Dinas's reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .formatting import label
from .layout import Official
from .letter import Letter, reference_sentence, render_letter

SUBJECT = "Tanggapan atas Permohonan Data Kependudukan"
COPIES = ("Arsip.",)


def paragraphs(request: Mapping[str, Any]) -> list[str]:
    opening = reference_sentence(
        request.get("nomor_surat"), request.get("tanggal_surat"), request.get("perihal")
    )
    reason = (request.get("kadin_alasan_penolakan") or "").strip().rstrip(
        "."
    ) or "tidak memenuhi persyaratan"
    return [
        f"{opening}, dengan hormat kami sampaikan bahwa permohonan tersebut belum dapat kami penuhi "
        f"dengan alasan: {reason}.",
        "Data agregat kependudukan diberikan tanpa dipungut biaya kepada instansi berdasarkan surat "
        "permohonan dari pimpinan instansi yang menyebutkan data yang dibutuhkan dan keperluannya. "
        "Pemanfaatan data kependudukan perseorangan memerlukan perjanjian kerja sama sesuai ketentuan "
        "peraturan perundang-undangan. Saudara dapat mengajukan permohonan baru yang telah dilengkapi.",
        "Demikian kami sampaikan. Atas perhatian Saudara, kami ucapkan terima kasih.",
    ]


def render(
    request: Mapping[str, Any],
    *,
    number: str,
    letter_date: date | str,
    signer: Official,
    copies: Sequence[str] = COPIES,
) -> bytes:
    letter = Letter(
        number=number,
        letter_date=letter_date,
        subject=SUBJECT,
        addressee=request.get("pimpinan_instansi") or request.get("instansi_pengirim") or "-",
        address=request.get("alamat_instansi") or "",
        paragraphs=paragraphs(request),
        signer=signer,
        nature=label(request.get("sifat") or "biasa"),
        copies=list(copies),
        kind_label="Surat",
    )
    return render_letter(letter)
