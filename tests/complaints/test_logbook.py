"""The log book: filters, the monthly recap, the PDF and XLSX exports, and the complainant's status view."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pdfplumber
import pytest
from openpyxl import load_workbook

from complaints import export
from complaints.logbook import LogFilter, find_complaints, may_see_identity, parse_filter
from complaints.public import ReplyRefused, public_view, record_reply
from complaints.recap import monthly_recap

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def run_light(desk, complaint, **responses):
    for step in (
        "verifikasi_pengaduan",
        "klasifikasi_pengaduan",
        "penyelesaian_unit",
        "tanggapan_pengadu",
    ):
        desk.do(complaint, step, **responses.get(step, {}))


@pytest.fixture
def month(desk, clock):
    """March 2026: one closed light complaint, one heavy in handling, one confidential web complaint, one answered."""
    closed = desk.receive()
    run_light(desk, closed)
    desk.reply(closed)
    desk.do(closed, "konfirmasi_pengadu")
    heavy = desk.receive(saluran="lapor", nomor_lapor="LAP-8825103", kategori="pungutan_liar")
    desk.do(heavy, "verifikasi_pengaduan", kategori="pungutan_liar", unit_terlapor="capil")
    desk.do(heavy, "klasifikasi_pengaduan", klasifikasi="berat")
    secret = desk.receive(
        staff=False,
        rahasia="on",
        pelapor_nama="Wahyu Nugroho",
        pelapor_nik="",
        pelapor_email="wahyu@example.org",
        pelapor_telepon="",
    )
    answered = desk.receive(saluran="sms")
    desk.do(
        answered,
        "verifikasi_pengaduan",
        hasil_verifikasi="bukan_kewenangan",
        unit_terlapor="luar_dinas",
    )
    desk.do(answered, "balas_verifikasi")
    clock.now = datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc)
    return {"closed": closed, "heavy": heavy, "secret": secret, "answered": answered}


def test_filters_by_channel_weight_status_and_lateness(desk, month, clock):
    with desk.engine.db.transaction() as session:

        def numbers(**choices):
            return [
                c.nomor_register
                for c in find_complaints(session, LogFilter(*MARCH, **choices), clock.now)
            ]

        assert numbers() == ["P-2026-001", "P-2026-002", "P-2026-003", "P-2026-004"]
        assert numbers(saluran="lapor") == ["P-2026-002"]
        assert numbers(bobot="berat") == ["P-2026-002"]
        assert numbers(status="bukan_kewenangan") == ["P-2026-004"]
        assert numbers(overdue=True) == [
            "P-2026-002",
            "P-2026-003",
        ]  # unverified; first follow-up late
        assert (
            find_complaints(session, LogFilter(date(2026, 4, 1), date(2026, 4, 30)), clock.now)
            == []
        )


def test_bad_filter_values_become_messages():
    chosen, errors = parse_filter(
        {"dari": "31-03-2026", "sampai": "2026-03-01", "saluran": "merpati", "terlambat": "1"}
    )
    assert errors == {
        "dari": "Tanggal awal tidak sah: gunakan TTTT-BB-HH, misalnya 2026-03-01.",
        "saluran": "Pilihan saluran tidak dikenal.",
    }
    assert (chosen.date_from, chosen.date_to, chosen.saluran, chosen.overdue) == (
        None,
        date(2026, 3, 1),
        None,
        True,
    )
    _, errors = parse_filter({"dari": "2026-03-31", "sampai": "2026-03-01"})
    assert errors == {"sampai": "Tanggal akhir sebelum tanggal awal."}


def test_monthly_recap(desk, month, clock):
    with desk.engine.db.transaction() as session:
        recap = monthly_recap(session, 2026, 3, clock.now)
    assert recap.title == "Maret 2026" and recap.total == 4
    assert {t.code: t.count for t in recap.by_channel} == {
        "telepon": 1,
        "sms": 1,
        "lapor": 1,
        "web": 1,
    }
    assert {t.label: t.count for t in recap.by_weight} == {
        "Ringan": 1,
        "Berat": 1,
        "Belum ditetapkan": 2,
    }
    assert {t.code: t.count for t in recap.by_category} == {"dokumen": 3, "pungutan_liar": 1}
    assert (recap.verified_in_time.counted, recap.verified_in_time.in_time) == (3, 3)
    assert (recap.followed_up_in_time.counted, recap.followed_up_in_time.percent) == (1, 100.0)
    assert (recap.resolved_in_time.counted, recap.resolved_in_time.in_time) == (2, 2)
    assert (recap.open_count, recap.late_now) == (2, 2)
    assert {t.label: t.count for t in recap.by_satisfaction} == {"Puas": 1}


def test_identity_rules():
    class Row:
        rahasia = False

    secret = Row()
    secret.rahasia = True
    assert may_see_identity(["petugas_pengaduan"], secret)
    assert may_see_identity(["kepala_dinas"], Row()) and not may_see_identity(
        ["kepala_dinas"], secret
    )
    assert not may_see_identity(["unit_layanan"], Row())
    assert not may_see_identity(["admin", "analis"], Row())


def test_pdf_log_book_hides_the_confidential_complainant(desk, month):
    with desk.engine.db.transaction() as session:
        entries = export.log_entries(session, *MARCH)
    text = "\n".join(
        page.extract_text() or ""
        for page in pdfplumber.open(io.BytesIO(export.pdf(entries, *MARCH))).pages
    )
    assert "Buku Log Pengaduan" in text and "P-2026-004" in text
    assert "Siti Rahayu" in text
    assert "Wahyu Nugroho" not in text and "wahyu@example.org" not in text
    assert "Dirahasiakan" in text


def test_xlsx_log_book(desk, month):
    with desk.engine.db.transaction() as session:
        entries = export.log_entries(
            session, *MARCH, LogFilter(saluran="telepon"), show_identity=False
        )
    sheet = load_workbook(io.BytesIO(export.xlsx(entries, *MARCH))).active
    assert sheet["A1"].value == "Buku Log Pengaduan 01/03/2026 s.d. 31/03/2026"
    header = [c.value for c in sheet[2]]
    row = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert sheet.max_row == 3
    assert row["No. register"] == "P-2026-001" and row["Nama pengadu"] == "Dirahasiakan"
    assert row["Diterima (WIB)"] == datetime(2026, 3, 12, 8, 0)
    assert row["Status"] == "Selesai" and row["Kepuasan"] == "Puas"
    assert "Tindakan unit: KTP-el dicetak dan siap diambil" in row["Tindak lanjut"]


def test_typed_formulas_stay_text_in_the_workbook(desk):
    complaint = desk.receive()
    desk.do(
        complaint, "verifikasi_pengaduan", ringkasan='=HYPERLINK("http://jahat.example","klik")'
    )
    with desk.engine.db.transaction() as session:
        entries = export.log_entries(session, *MARCH)
    cell = load_workbook(io.BytesIO(export.xlsx(entries, *MARCH))).active["H3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_status_view_and_reply(desk):
    complaint = desk.receive()
    run_light(desk, complaint)
    with desk.engine.db.transaction() as session:
        row = session.merge(desk.row(complaint))
        view = public_view(row)
        assert view.status_label == "Sudah ditanggapi, menunggu balasan Anda" and view.may_reply
        assert view.response == "KTP-el Anda sudah dapat diambil di loket Dafduk."
        assert [m.name for m in view.milestones][:3] == [
            "Pengaduan diterima",
            "Diverifikasi",
            "Diteruskan kepada unit terkait",
        ]
        with pytest.raises(ReplyRefused) as refused:
            record_reply(session, row, "senang", "x" * 2001, desk.clock())
        assert refused.value.errors == {
            "kepuasan": "Pilih tingkat kepuasan Anda.",
            "balasan": "Balasan terlalu panjang (paling banyak 2000 karakter).",
        }
        record_reply(session, row, "puas", "Terima kasih", desk.clock() + timedelta(hours=2))
    note = desk.notifications(complaint, kind="pengaduan")[-1]
    assert note.recipient_role == "petugas_pengaduan" and "Terima kasih" in note.body
    assert desk.row(complaint).kepuasan == "puas"
