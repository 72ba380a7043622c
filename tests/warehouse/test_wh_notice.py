"""The reader is told which protection was applied: attachment PDF, XLSX and the operator's preview."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from flask import render_template_string
from openpyxl import load_workbook

from reports import lampiran_data
from warehouse.export import to_xlsx
from warehouse.query import run_query
from warehouse.sdc import SdcPolicy
from warehouse.spec import parse_spec

PHRASE = "diacak secara terkendali (metode kunci sel)"


@pytest.fixture(scope="module")
def result(duck):
    spec = parse_spec({"preset": "agama", "row_level": "desa", "scope": "33.04.19"})
    return run_query(duck, spec, SdcPolicy(threshold=5))


def test_the_notice_is_one_sentence_that_says_what_it_means_for_the_reader(result):
    notice = result["protection"]["notice"]
    assert PHRASE in notice and "1-4 tidak pernah ditampilkan" in notice
    assert "selisih kecil antara tabel" in notice and notice.count(". ") == 0


def test_the_attachment_pdf_carries_the_notice(result):
    pdf = lampiran_data.render(result, letter_number="470/1/2026", letter_date="2026-07-10")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join((page.extract_text() or "") for page in document.pages)
    assert PHRASE in " ".join(text.split())


def test_the_xlsx_carries_the_notice_under_the_heading(result):
    sheet = load_workbook(io.BytesIO(to_xlsx(result))).active
    assert PHRASE in sheet["A4"].value


def test_the_preview_shows_the_notice_once_instead_of_a_suppression_badge(app, result):
    template = '{% from "macros/data.html" import dataset_table %}{{ dataset_table(result) }}'
    with app.test_request_context():
        html = render_template_string(template, result=result)
    assert html.count(PHRASE) == 1 and "Dilindungi: metode kunci sel" in html
    assert "Tidak ada sel yang disembunyikan" not in html
