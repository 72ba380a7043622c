"""The buku agenda page (roles, search, filters, CSV, PDF), the inbox search box and the receipt
printed after a walk-in letter is registered."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import PROCESS, gen_letter
from tests.web.conftest import PDF, ROLES

READERS = {"sekretariat", "manajer", "admin"}


def _register(client, **overrides):
    data = {**gen_letter(), "nomor_agenda": "", **overrides}
    data["surat"] = (io.BytesIO(PDF), "surat.pdf")
    return client.post("/surat-masuk/baru", data=data, content_type="multipart/form-data")


@pytest.fixture
def letters(as_user, engine):
    """Two letters registered at the desk; the second is then cancelled."""
    client = as_user("sekretariat")
    _register(client)
    _register(
        client,
        instansi_pengirim="Dinas Kesehatan Kabupaten Banjarnegara",
        nomor_surat="440/77/Dinkes/2026",
        perihal="Jumlah balita per desa",
        sifat="segera",
    )
    first, second = sorted(engine.list_instances(process_id=PROCESS), key=lambda i: i.id)
    engine.cancel(second.id, "admin", reason="salah kirim")
    return first, second


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_managers_and_admins_read_the_register(as_user, role):
    status = as_user(role).get("/buku-agenda").status_code
    assert status == (200 if role in READERS else 403)
    assert as_user(role).get("/buku-agenda/unduh.csv").status_code == status


def test_the_register_lists_searches_and_filters(as_user, engine, letters):
    first, second = letters
    client = as_user("manajer")
    page = client.get("/buku-agenda").get_data(as_text=True)
    for text in ("001/2026", "002/2026", "050/123/Bappeda/2026", "Dinas Kesehatan", "Segera"):
        assert text in page
    assert first.business_key in page and second.business_key in page

    found = client.get("/buku-agenda?q=dinkes").get_data(as_text=True)
    assert "Dinas Kesehatan" in found and "050/123/Bappeda" not in found
    by_code = client.get(f"/buku-agenda?q={first.business_key.lower()}").get_data(as_text=True)
    assert "050/123/Bappeda" in by_code and "Dinas Kesehatan" not in by_code
    running = client.get("/buku-agenda?status=running").get_data(as_text=True)
    assert "050/123/Bappeda" in running and "440/77/Dinkes" not in running
    month = engine.clock().strftime("%Y-%m")
    assert "002/2026" in client.get(f"/buku-agenda?bulan={month}").get_data(as_text=True)
    empty = client.get("/buku-agenda?bulan=2001-01").get_data(as_text=True)
    assert "001/2026" not in empty and "Tidak ada surat yang cocok" in empty
    assert client.get("/buku-agenda?bulan=bukan&status=x&halaman=z").status_code == 200


def test_the_register_as_csv(as_user, letters):
    response = as_user("sekretariat").get("/buku-agenda/unduh.csv?status=cancelled")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Nomor agenda", "Tanggal diterima"]
    assert len(rows) == 2 and rows[1][0] == "002/2026" and rows[1][4].startswith("Dinas Kes")
    assert rows[1][6] == "Segera" and rows[1][8] == "Dibatalkan"


def test_csv_cells_never_start_a_formula(as_user, engine):
    client = as_user("sekretariat")
    _register(client, perihal='=HYPERLINK("http://x")')
    rows = list(
        csv.reader(io.StringIO(client.get("/buku-agenda/unduh.csv").get_data(as_text=True)))
    )
    assert rows[1][5].startswith("'=")


def test_the_register_links_the_printed_extract(as_user, letters, engine):
    client = as_user("sekretariat")
    month = engine.clock().strftime("%Y-%m")
    assert f"/buku-agenda/unduh.pdf?bulan={month}" in client.get("/buku-agenda").get_data(
        as_text=True
    )
    response = client.get(f"/buku-agenda/unduh.pdf?bulan={month}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_a_registered_letter_gets_a_receipt_to_print(as_user, engine):
    client = as_user("sekretariat")
    response = _register(client)
    instance = engine.list_instances(process_id=PROCESS)[0]
    assert response.headers["Location"] == f"/surat-masuk/{instance.id}/tanda-terima"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tanda Terima Surat Permohonan Data" in page
    assert "001/2026" in page and instance.business_key in page
    assert "/lacak" in page and "data-print" in page
    assert "Surat tercatat dengan nomor agenda 001/2026" in page  # the flash is still shown
    assert as_user("kasi").get(f"/surat-masuk/{instance.id}/tanda-terima").status_code == 403
    assert as_user("sekretariat").get("/surat-masuk/999/tanda-terima").status_code == 404


def test_the_inbox_search_box(as_user, letters):
    first, _second = letters
    client = as_user("kepala_dinas")
    page = client.get("/kotak-masuk").get_data(as_text=True)
    assert 'name="q"' in page and "050/123/Bappeda/2026" in page
    found = client.get(f"/kotak-masuk?q={first.business_key[:6].lower()}").get_data(as_text=True)
    assert "050/123/Bappeda/2026" in found
    none = client.get("/kotak-masuk?q=tidak-ada").get_data(as_text=True)
    assert "050/123/Bappeda/2026" not in none and "Tidak ada tugas yang cocok" in none


def test_letters_registered_before_the_new_summary_columns_still_show_them(as_user, engine):
    from engine.models import ProcessInstance

    client = as_user("sekretariat")
    _register(client, sifat="sangat_segera")
    with engine.db.transaction() as session:  # as an instance of the diagram's older version
        row = session.query(ProcessInstance).one()
        row.summary = {
            k: v
            for k, v in row.summary.items()
            if k not in ("tanggal_diterima", "tanggal_surat", "sifat")
        }
    page = client.get("/buku-agenda").get_data(as_text=True)
    assert "Sangat segera" in page and gen_letter()["tanggal_surat"] in page
