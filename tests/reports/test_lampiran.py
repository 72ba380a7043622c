"""The data attachment: totals, long tables across pages with the header repeated, suppression, charts."""

import io
import re

import pdfplumber

from reports import lampiran_data, samples
from reports.data_table import column_blocks
from reports.formatting import angka

from .helpers import pdf_pages, pdf_text, render_png

HEADER_WORDS = ("No.", "Kode", "Nama", "Desa/Kelurahan", "LAKI-LAKI PEREMPUAN", "Jumlah")


def _render(result, **kwargs) -> bytes:
    return lampiran_data.render(
        result,
        letter_number="400.12.4/17/2026",
        letter_date="2026-07-10",
        signer=samples.KEPALA_DINAS,
        threshold=5,
        **kwargs,
    )


def test_278_desa_paginate_with_the_header_repeated_on_every_page():
    result = samples.desa_by_sex(278)
    pages = pdf_pages(_render(result))
    table_pages = [p for p in pages if any(row["name"] in p for row in result["rows"])]
    assert len(table_pages) >= 4
    for page in table_pages:
        flat = " ".join(page.split())
        assert all(word in flat for word in HEADER_WORDS), (
            "header row missing on a continuation page"
        )
    text = " ".join(" ".join(pages).split())
    for row in (result["rows"][0], result["rows"][139], result["rows"][-1]):
        assert row["name"] in text
    assert f"278 {result['rows'][-1]['code']}" in text


def test_totals_row_column_and_grand_are_printed_with_dot_thousands():
    result = samples.desa_by_sex(40)
    text = " ".join(pdf_text(_render(result)).split())
    totals = result["column_totals"]
    assert (
        f"JUMLAH {angka(totals['LAKI-LAKI'])} {angka(totals['PEREMPUAN'])} {angka(result['grand_total'])}"
        in text
    )
    first = result["rows"][0]
    assert f"{first['code']} {first['name']}" in text and angka(first["total"]) in text
    assert f"Jumlah seluruhnya: {angka(result['grand_total'])} jiwa" in text


def test_period_cutoff_source_and_letter_reference():
    text = " ".join(pdf_text(_render(samples.desa_by_sex(10))).split())
    for phrase in (
        "DATA AGREGAT KEPENDUDUKAN",
        "Semester I 2026, keadaan 30 Juni 2026",
        "Sumber: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banjarnegara",
        "400.12.4/17/2026",
        "KABUPATEN BANJARNEGARA MENURUT DESA/KELURAHAN",
        samples.KEPALA_DINAS.name,
    ):
        assert phrase in text


def test_suppressed_cells_are_marked_and_explained_while_totals_stay_true():
    result = samples.desa_by_sex(30, suppress=2)
    hidden_rows = {s["row"] for s in result["suppressed"]}
    text = " ".join(pdf_text(_render(result)).split())
    for row in result["rows"]:
        if row["code"] in hidden_rows:
            assert f"{row['code']} {row['name']} * * {angka(row['total'])}" in text
    assert "Tanda * (sel berarsir)" in text and "kurang dari 5 jiwa" in text
    assert "tetap angka sebenarnya" in text


def test_age_by_sex_is_landscape_with_a_pyramid_and_split_column_blocks():
    result = samples.kecamatan_by_age_sex()
    pdf = _render(result)
    text = " ".join(pdf_text(pdf).split())
    assert "Piramida Penduduk" in text and "Laki-laki" in text and "Perempuan" in text
    assert "(bagian 1 dari 2)" in text and "(bagian 2 dari 2)" in text
    assert "L = laki-laki; P = perempuan." in text
    size = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert float(size.group(1)) > float(size.group(2)), "wide table should be landscape"


def test_column_blocks_keep_groups_together_and_put_the_total_last():
    blocks = column_blocks(samples.kecamatan_by_age_sex(), 17)
    assert [len(b.columns) for b in blocks] == [16, 16]
    assert [b.with_total for b in blocks] == [False, True]
    assert all(b.parts[0][1] == "LAKI-LAKI" and b.parts[-1][1] == "PEREMPUAN" for b in blocks)


def _rects(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return sum(len(page.rects) for page in document.pages)


def test_few_regions_get_a_bar_chart(tmp_path):
    result = samples.kecamatan_by_sex()
    pdf = _render(result)
    assert "Jumlah menurut Kecamatan" in pdf_text(pdf)
    # the chart draws a bar per kecamatan and sex: the same page without it has that many fewer
    bars = _rects(pdf) - _rects(_render(result, with_chart=False))
    assert bars >= len(result["rows"]) * 2
    assert render_png(pdf, tmp_path, "kecamatan")


def test_attachment_renders_to_png(tmp_path):
    result = samples.desa_by_sex(278)
    pdf = _render(result)
    pages = render_png(pdf, tmp_path, "desa")
    assert len(pages) == len(pdf_pages(pdf)) >= 5  # every page rendered, none lost
    assert all(page.stat().st_size > 1000 for page in pages)  # not blank
    text = pdf_text(pdf)
    assert all(row["code"] in text for row in result["rows"])  # all 278 desa are in it


def test_one_row_table_with_a_suppressed_column_total_renders_without_a_chart():
    import io

    import pdfplumber

    from reports import lampiran_data
    from tests.factories import gen_result

    result = gen_result(grand_total=7)
    result["rows"][0]["cells"] = {"LAKI-LAKI": None, "PEREMPUAN": None}
    result["column_totals"] = {"LAKI-LAKI": None, "PEREMPUAN": None}
    result["suppressed"] = [
        {"row": "33.04.01", "column": c, "reason": "primary"} for c in result["columns"]
    ]
    pdf = lampiran_data.render(result, threshold=5)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "juga tidak ditampilkan" in text
    assert "Piramida" not in text
