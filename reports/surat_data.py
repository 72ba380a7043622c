"""Surat pengantar: the cover letter that carries the aggregate data to the requester.

``render(request, number=..., letter_date=..., dataset=..., signer=...)``:
``request`` holds the task-data keys of the registered letter
(``pimpinan_instansi``, ``alamat_instansi``, ``nomor_surat``, ``tanggal_surat``,
``perihal``, ``sifat``); ``dataset`` is the warehouse result (its title,
period, scope and suppressed cells are cited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .formatting import label, tanggal
from .layout import Official
from .letter import DEFAULT_COPIES, Letter, reference_sentence, render_letter

SUBJECT = "Penyampaian Data Agregat Kependudukan"


def data_description(dataset: Mapping[str, Any]) -> str:
    """``Data Agregat Kependudukan Semester I 2026 keadaan 30 Juni 2026 berupa ... di ...``."""
    period = dataset.get("period") or {}
    scope = dataset.get("scope") or {}
    text = f"Data Agregat Kependudukan {period.get('label', '')}".rstrip()
    if period.get("cutoff"):
        text += f" keadaan {tanggal(period['cutoff'])}"
    if dataset.get("title"):
        text += f" berupa {dataset['title']}"
    if scope.get("name"):
        text += f" di {scope['name']}"
    return text


def paragraphs(request: Mapping[str, Any], dataset: Mapping[str, Any]) -> list[str]:
    opening = reference_sentence(
        request.get("nomor_surat"), request.get("tanggal_surat"), request.get("perihal")
    )
    lines = [
        f"{opening}, bersama ini kami sampaikan {data_description(dataset)}, sebagaimana terlampir.",
        "Data tersebut merupakan data agregat kependudukan, bukan data perseorangan, dan hanya "
        "dipergunakan sesuai dengan keperluan yang disebutkan dalam surat permohonan Saudara. "
        "Data tidak untuk diperjualbelikan dan tidak untuk diberikan kepada pihak lain.",
    ]
    if dataset.get("suppressed"):
        lines.append(
            "Untuk melindungi kerahasiaan data penduduk, sel data dengan jumlah kecil tidak "
            "ditampilkan; penjelasannya tercantum pada lampiran."
        )
    lines.append(
        "Demikian kami sampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan terima kasih."
    )
    return lines


def render(
    request: Mapping[str, Any],
    *,
    number: str,
    letter_date: date | str,
    dataset: Mapping[str, Any],
    signer: Official,
    copies: Sequence[str] = DEFAULT_COPIES,
) -> bytes:
    letter = Letter(
        number=number,
        letter_date=letter_date,
        subject=SUBJECT,
        addressee=request.get("pimpinan_instansi") or request.get("instansi_pengirim") or "-",
        address=request.get("alamat_instansi") or "",
        paragraphs=paragraphs(request, dataset),
        signer=signer,
        nature=label(request.get("sifat") or "biasa"),
        attachment="1 (satu) berkas",
        copies=list(copies),
    )
    return render_letter(letter)
