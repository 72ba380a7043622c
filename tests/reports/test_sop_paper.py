"""The SOP paper is right for branching and rejoining diagrams and fills its pages.

Each diagram is rendered to PDF and read back as a reader would: the step
numbers and their order, where each decision and jump leads in the Ket.
column, the symbols, and how full every page but the last is.
"""

from __future__ import annotations

import io
import time

import pdfplumber
import pytest
from reportlab.lib.units import mm

from engine.config import PROJECT_ROOT
from reports import sop_document
from reports.bpmn_sop import SopParseError, parse_sop
from reports.layout import MARGIN_BOTTOM, MARGIN_RIGHT

from . import sop_diagrams
from .helpers import render_png

PROCESSES = PROJECT_ROOT / "processes"
REMARKS_WIDTH = 34 * mm


def _flat(value: str) -> str:
    return " ".join(value.split())


def remarks_column(pdf: bytes) -> str:
    """The text of the Ket. column, every page of the matrix, top to bottom."""
    parts = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            right = page.width - MARGIN_RIGHT
            column = page.crop((right - REMARKS_WIDTH + 0.5, 0, right - 0.5, page.height))
            parts.append(column.extract_text() or "")
    return _flat(" ".join(parts))


def matrix_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    start = next(i for i, page in enumerate(pages) if "PROSEDUR " in page)
    return _flat(" ".join(pages[start:]))


def page_fill(pdf: bytes) -> list[float]:
    """How far down each page its content reaches, as a share of the writable height."""
    fills = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            floor = page.height - MARGIN_BOTTOM
            bottoms = [
                obj["bottom"]
                for obj in page.chars + page.rects + page.lines + page.curves
                if obj["bottom"] < floor
            ]
            fills.append(max(bottoms, default=0) / floor)
    return fills


def assert_in_order(text: str, phrases: list[str]) -> None:
    positions = [text.find(phrase) for phrase in phrases]
    assert -1 not in positions, [p for p, at in zip(phrases, positions, strict=True) if at < 0]
    assert positions == sorted(positions), phrases


def test_a_branch_that_rejoins_forward_keeps_the_diagrams_numbers_and_says_lanjut():
    model = parse_sop(sop_diagrams.rejoin_forward())
    assert [s.element_id for s in model.steps] == [
        "terima",
        "periksa",
        "minta",
        "verifikasi",
        "setujui",
        "serahkan",
    ]
    pdf = sop_document.render(model)
    remarks = remarks_column(pdf)
    assert "Tidak: lanjut ke langkah 3. Ya: lanjut ke langkah 4." in remarks
    assert "Lanjut ke langkah 6." in remarks  # the 'Tidak' branch rejoins at the hand-over
    assert "kembali" not in remarks
    assert_in_order(
        matrix_text(pdf),
        [
            "1. Menerima berkas",
            "2. Memeriksa kelengkapan",
            "3. Meminta kelengkapan",
            "4. Memverifikasi data",
            "5. Menyetujui permohonan",
            "6. Menyerahkan hasil",
        ],
    )
    symbols = [s.symbol for s in model.steps]
    assert symbols == ["start", "decision", "process", "process", "process", "end"]


def test_without_step_numbers_the_order_is_the_flow_with_joins_waiting_for_their_branches():
    model = parse_sop(sop_diagrams.rejoin_forward(numbered=False))
    assert [s.element_id for s in model.steps] == [
        "terima",
        "periksa",
        "verifikasi",
        "setujui",
        "minta",
        "serahkan",
    ]
    remarks = remarks_column(sop_document.render(model))
    assert "Ya: lanjut ke langkah 3. Tidak: lanjut ke langkah 5." in remarks
    assert "Lanjut ke langkah 6." in remarks  # step 4 skips the 'Tidak' branch's step 5


def test_an_optional_step_is_a_plain_step_and_the_hand_over_ends_the_process():
    model = parse_sop(sop_diagrams.optional_step())
    assert [(s.number, s.element_id, s.symbol) for s in model.steps] == [
        (1, "catat", "decision"),
        (2, "survei", "process"),
        (3, "terbit", "end"),
    ]
    pdf = sop_document.render(model)
    # unnamed flows read as yes/no: yes goes on to the next step
    assert "Ya: lanjut ke langkah 2. Tidak: lanjut ke langkah 3." in remarks_column(pdf)
    assert_in_order(
        matrix_text(pdf), ["1. Mencatat", "2. Melakukan survei", "3. Menerbitkan surat"]
    )
    # the total is the longest way through, not the sum of the alternatives
    assert model.total_minutes == 75


def test_a_loop_back_says_kembali_and_the_last_check_ends_the_process():
    model = parse_sop(sop_diagrams.loop_back())
    assert [(s.number, s.symbol) for s in model.steps] == [
        (1, "start"),
        (2, "process"),
        (3, "decision"),
    ]
    remarks = remarks_column(sop_document.render(model))
    assert "Perlu perbaikan: kembali ke langkah 2." in remarks
    assert "Sesuai: mengirim hasil, proses selesai." in remarks
    assert "lanjut ke langkah 4" not in remarks


def test_ways_that_all_lead_to_the_same_step_are_one_exit_and_no_decision():
    one = parse_sop(sop_diagrams.many_choices(1)).steps[0]
    assert one.symbol == "start" and [e.target for e in one.exits] == [2]
    # twenty choices in a row (a million ways) and a very long note: read fast, paper made
    started = time.perf_counter()
    model = parse_sop(sop_diagrams.many_choices(20, note="Catatan yang panjang sekali. " * 200))
    assert time.perf_counter() - started < 2
    assert [s.symbol for s in model.steps] == ["start", "end"]
    assert "Catatan yang panjang sekali." in matrix_text(sop_document.render(model))


def test_a_fork_runs_its_branches_together_and_is_no_decision():
    model = parse_sop(sop_diagrams.fork())
    assert [(s.number, s.element_id, s.symbol) for s in model.steps] == [
        (1, "terima", "start"),
        (2, "cek_a", "process"),
        (3, "cek_b", "process"),
        (4, "putus", "end"),
    ]
    remarks = remarks_column(sop_document.render(model))
    assert "Lanjut bersamaan ke langkah 2 dan 3." in remarks
    assert "Lanjut ke langkah 4." in remarks  # the first branch waits at the join


def test_duplicate_or_malformed_step_numbers_are_refused_by_name():
    twice = sop_diagrams.rejoin_forward().replace(
        b'name="sop_step" value="4"', b'name="sop_step" value="3"'
    )
    with pytest.raises(SopParseError, match="'Memverifikasi data'.*nomor langkah 3 yang sama"):
        parse_sop(twice)
    broken = sop_diagrams.rejoin_forward().replace(
        b'name="sop_step" value="4"', b'name="sop_step" value="4a"'
    )
    with pytest.raises(SopParseError, match="'Memverifikasi data'.*'4a' bukan bilangan"):
        parse_sop(broken)


def test_a_long_matrix_fills_every_page_but_the_last_and_repeats_its_header(tmp_path):
    pdf = sop_document.render(parse_sop(sop_diagrams.long_chain(40)))
    fills = page_fill(pdf)
    assert len(fills) >= 3
    assert all(fill > 0.5 for fill in fills[:-1]), fills
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        matrix_pages = [p.extract_text() or "" for p in document.pages][1:]
    assert all("Kelengkapan" in page and "Pelaksana" in page for page in matrix_pages)
    text = matrix_text(pdf)
    assert_in_order(text, [f"{n}. Kegiatan nomor {n} " for n in range(1, 41)])
    assert "Tidak: kembali ke langkah 38." in remarks_column(pdf)
    assert render_png(pdf, tmp_path, "sop-long")


def test_eight_actors_leave_the_activity_readable_and_their_names_whole():
    model = parse_sop(sop_diagrams.long_chain(8, actors=8))
    assert model.roles[-1] == "Petugas 8"
    text = matrix_text(sop_document.render(model))
    assert_in_order(text, [f"{n}. Kegiatan nomor {n}" for n in range(1, 9)])
    assert "Operator" in text and "Petuga s" not in text  # no actor's name cut mid-word


@pytest.mark.parametrize("name", ["permohonan_data_agregat", "pengaduan_layanan"])
def test_the_shipped_diagrams_fill_their_pages(name, tmp_path):
    pdf = sop_document.render_bpmn((PROCESSES / f"{name}.bpmn").read_bytes())
    fills = page_fill(pdf)
    assert all(fill > 0.5 for fill in fills[:-1]), fills
    assert render_png(pdf, tmp_path, name)


def test_the_data_sop_reads_its_decisions_and_rework_jumps():
    pdf = sop_document.render_bpmn((PROCESSES / "permohonan_data_agregat.bpmn").read_bytes())
    remarks = remarks_column(pdf)
    assert "Diteruskan: lanjut ke langkah 2." in remarks
    assert "Ditolak: membuat draf surat penolakan, proses selesai." in remarks
    assert "Perlu perbaikan: kembali ke langkah 4." in remarks
    # four ways out of the signing step: too long to write on the arrows, lettered instead
    for phrase in (
        "(a) Disetujui: lanjut ke langkah 8.",
        "(b) Dikembalikan kepada Kabid PIAK: kembali ke langkah 6.",
        "(c) Dikembalikan kepada operator: kembali ke langkah 4.",
    ):
        assert phrase in remarks
    assert "Jumlah waktu penyelesaian 125 menit" in matrix_text(pdf)


def test_the_complaint_sop_numbers_in_flow_order_and_jumps_forward():
    model = parse_sop((PROCESSES / "pengaduan_layanan.bpmn").read_bytes())
    order = [s.element_id for s in model.steps]
    assert order.index("penyelesaian_unit") < order.index("tanggapan_pengadu")
    assert order.index("investigasi_analisis") < order.index("keputusan_pimpinan")
    assert order.index("rapat_pembahasan") < order.index("keputusan_pimpinan")
    pdf = sop_document.render(model)
    remarks = remarks_column(pdf)
    assert "kembali" not in remarks  # the complaint procedure never goes back
    # the event-based wait: each way named after the event it waits for
    assert "(a) Balasan pengadu diterima: lanjut ke langkah 10." in remarks
    assert "(b) 10 hari kerja tanpa balasan: menutup pengaduan otomatis, proses selesai." in remarks
    light = next(s for s in model.steps if s.element_id == "penyelesaian_unit")
    response = next(s for s in model.steps if s.element_id == "tanggapan_pengadu")
    assert f"Lanjut ke langkah {response.number}." in remarks
    assert light.number + 1 != response.number
    assert "Jumlah waktu penyelesaian (jalur terpanjang) 495 menit" in matrix_text(pdf)
    closing = [s for s in model.steps if s.symbol == "end"]
    assert {s.element_id for s in closing} == {"konfirmasi_pengadu", "balas_verifikasi"}


def test_dates_and_regulation_come_from_the_diagram_with_blanks_when_absent():
    props = {
        "nomor_sop": "009/Uji/2026",
        "tanggal_pembuatan": "2026-03-02",
        "tanggal_efektif": "2026-04-01",
        "disahkan_oleh": "Kepala Dinas Uji",
        "dasar_hukum": "Peraturan Uji Nomor 7 Tahun 2026; Peraturan Uji Nomor 8 Tahun 2026",
        "peralatan": "Komputer; Printer",
    }
    xml = sop_diagrams.diagram(
        {"Loket": ["mulai", "a", "selesai"]},
        [sop_diagrams.START, sop_diagrams.task("a", "Melayani", 5, 1), sop_diagrams.END],
        [("mulai", "a", ""), ("a", "selesai", "")],
        process_properties=props,
    )
    with pdfplumber.open(io.BytesIO(sop_document.render_bpmn(xml))) as document:
        identity = _flat(document.pages[0].extract_text() or "")
    for phrase in (
        "Nomor SOP 009/Uji/2026",
        "Tanggal Pembuatan 2 Maret 2026",
        "Tanggal Revisi -",
        "Tanggal Efektif 1 April 2026",
        "Kepala Dinas Uji",
        "1. Peraturan Uji Nomor 7 Tahun 2026",
        "2. Peraturan Uji Nomor 8 Tahun 2026",
        "1. Komputer",
        "2. Printer",
        "Waktu Penyelesaian: Biaya/Tarif: 5 menit -",
        "NIP. ....",
    ):
        assert phrase in identity, phrase
