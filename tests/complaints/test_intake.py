"""Checking what the public and the staff send, and the tracking codes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from complaints.intake import (
    IntakeInvalid,
    find_by_tracking_code,
    new_tracking_code,
    normalise_tracking_code,
    parse_intake,
)
from tests.complaints.conftest import gen_intake

NOW = datetime(2026, 3, 12, 1, 0, tzinfo=timezone.utc)


def errors_of(staff: bool = True, **form) -> dict[str, str]:
    with pytest.raises(IntakeInvalid) as refused:
        parse_intake(gen_intake(**form), NOW, staff=staff)
    return refused.value.errors


def test_a_complete_staff_complaint_is_accepted():
    intake = parse_intake(gen_intake(), NOW, staff=True)
    assert (intake.saluran, intake.pelapor_nama, intake.waktu) == ("telepon", "Siti Rahayu", NOW)


def test_public_form_is_always_the_web_channel_and_may_be_anonymous():
    intake = parse_intake(
        gen_intake(
            saluran="lapor", pelapor_nama="", pelapor_telepon="", pelapor_email="", pelapor_nik=""
        ),
        NOW,
        staff=False,
    )
    assert intake.saluran == "web"
    assert (intake.pelapor_nama, intake.pelapor_email, intake.nomor_lapor) == (None, None, None)


def test_missing_and_short_texts_are_named():
    errors = errors_of(judul="", isi="Lambat")
    assert errors == {
        "judul": "Pokok pengaduan wajib diisi.",
        "isi": "Uraian pengaduan terlalu pendek (paling sedikit 20 karakter).",
    }
    assert "terlalu panjang" in errors_of(isi="x" * 5001)["isi"]


def test_bad_contact_details_are_named():
    errors = errors_of(
        pelapor_email="siti@", pelapor_nik="33040141078500", pelapor_telepon="nol delapan"
    )
    assert set(errors) == {"pelapor_email", "pelapor_nik", "pelapor_telepon"}
    assert errors["pelapor_nik"] == "NIK terdiri atas 16 angka."


def test_lapor_needs_its_tracking_id():
    assert "nomor pelacakan LAPOR!" in errors_of(saluran="lapor")["nomor_lapor"]
    intake = parse_intake(gen_intake(saluran="lapor", nomor_lapor="LAP-8825103"), NOW, staff=True)
    assert intake.nomor_lapor == "LAP-8825103"


def test_staff_choose_a_known_channel_but_not_the_web_form():
    assert errors_of(saluran="web")["saluran"] == "Pilih saluran pengaduan."
    assert errors_of(saluran="faks")["saluran"] == "Pilih saluran pengaduan."
    assert errors_of(kategori="hoaks", unit_diadukan="polres") == {
        "unit_diadukan": "Pilihan unit tidak dikenal.",
        "kategori": "Pilihan kategori tidak dikenal.",
    }


def test_staff_receipt_time_is_office_time_and_not_in_the_future():
    intake = parse_intake(gen_intake(waktu="2026-03-11T15:30"), NOW, staff=True)
    assert intake.waktu == datetime(2026, 3, 11, 8, 30, tzinfo=timezone.utc)
    assert (
        errors_of(waktu="2026-03-13T08:00")["waktu"] == "Waktu diterima tidak boleh di masa depan."
    )
    assert (
        "30 hari"
        in errors_of(waktu=(NOW - timedelta(days=40)).date().isoformat() + "T08:00")["waktu"]
    )
    assert "tidak sah" in errors_of(waktu="kemarin sore")["waktu"]


def test_text_is_kept_as_typed_without_control_characters():
    intake = parse_intake(
        gen_intake(isi="<script>alert(1)</script>\x00\x1b baris satu\r\nbaris dua"), NOW, staff=True
    )
    assert intake.isi == "<script>alert(1)</script> baris satu\nbaris dua"


def test_robots_filling_the_hidden_field_are_refused():
    assert errors_of(staff=False, situs_web="http://spam.example") == {
        "isi": "Pengaduan tidak dapat diterima."
    }


def test_tracking_codes_are_forgiving_about_case_and_dashes(desk):
    code = new_tracking_code()
    assert len(code) == 14 and code.count("-") == 2
    assert normalise_tracking_code(code.lower().replace("-", " ")) == code
    assert normalise_tracking_code("ABCD-EFGH-IJK0") is None  # I and 0 are never used
    complaint = desk.receive()
    with desk.engine.db.transaction() as session:
        assert find_by_tracking_code(session, complaint.kode_pelacakan.lower()).id == complaint.id
        assert find_by_tracking_code(session, "not a code") is None
