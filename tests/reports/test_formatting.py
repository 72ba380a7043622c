from datetime import UTC, date, datetime

from reports.formatting import (
    angka,
    hari,
    jumlah_terbilang,
    menit,
    tanggal,
    tanggal_jam,
    tempat_tanggal,
    terbilang,
)


def test_indonesian_dates():
    assert tanggal("2026-03-12") == "12 Maret 2026"
    assert tempat_tanggal(date(2026, 3, 12)) == "Banjarnegara, 12 Maret 2026"
    assert tanggal(None) == "-"
    assert hari("2026-07-13") == "Senin"


def test_times_are_shown_in_wib():
    moment = datetime(2026, 3, 11, 20, 15, tzinfo=UTC)
    assert tanggal_jam(moment) == "12 Maret 2026 pukul 03.15 WIB"
    assert tanggal(moment) == "12 Maret 2026"


def test_numbers_use_dots_for_thousands():
    assert angka(1071977) == "1.071.977"
    assert angka(12.5, 1) == "12,5"
    assert angka(None) == ""
    assert menit(125) == "125 menit"


def test_numbers_in_words():
    assert terbilang(1) == "satu"
    assert terbilang(11) == "sebelas"
    assert terbilang(19) == "sembilan belas"
    assert terbilang(125) == "seratus dua puluh lima"
    assert terbilang(1071977) == "satu juta tujuh puluh satu ribu sembilan ratus tujuh puluh tujuh"
    assert jumlah_terbilang(1, "berkas") == "1 (satu) berkas"
