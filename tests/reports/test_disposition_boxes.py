"""The lembar disposisi prints every sifat box, "Biasa" among the urgencies, the letter's ticked."""

from __future__ import annotations

from reports import lembar_disposisi
from tests.reports.helpers import pdf_text


def test_a_plain_letter_ticks_the_biasa_box_beside_the_urgencies():
    boxes = lembar_disposisi.nature_boxes("biasa")
    assert [label for label, _ in boxes] == ["Sangat segera", "Segera", "Biasa", "Rahasia"]
    assert [label for label, ticked in boxes if ticked] == ["Biasa"]
    assert [label for label, ticked in lembar_disposisi.nature_boxes("segera") if ticked] == [
        "Segera"
    ]


def test_the_printed_sheet_shows_the_biasa_box_on_the_sifat_line():
    letter = {"instansi_pengirim": "Bappeda", "nomor_agenda": "001/2026", "sifat": "biasa"}
    text = pdf_text(lembar_disposisi.render(letter, []))
    line = next(line for line in text.splitlines() if line.startswith("Sifat"))
    assert "Sangat segera" in line and "Biasa" in line and "Rahasia" in line
