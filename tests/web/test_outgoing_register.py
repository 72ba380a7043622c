"""The register of outgoing letters (/surat-keluar): the office's signed, numbered letters of
every request, one row per letter (not its attachments), searched, filtered and exported."""

from __future__ import annotations

import csv
import io

import pytest

from engine.archive import store_document
from tests.web.conftest import ROLES

READERS = {"sekretariat", "jfu", "manajer", "admin"}


def _issue(engine, instance_id: int, number: str, kind: str, title: str, at) -> None:
    """What reports.render then reports.sign leave in the archive: a numbered draft letter and
    its attachment, then their signed copies under the same number."""
    with engine.db.transaction() as session:
        for doc_kind, doc_title in ((kind, title), ("lampiran_data", "Lampiran data")):
            draft = store_document(
                session,
                kind=doc_kind,
                filename=f"{doc_kind}.pdf",
                content=b"%PDF draft " + number.encode() + doc_kind.encode(),
                instance_id=instance_id,
                title=doc_title,
                number=number,
            )
            store_document(
                session,
                kind=doc_kind,
                filename=f"{doc_kind}-ttd.pdf",
                content=b"%PDF signed " + number.encode() + doc_kind.encode(),
                instance_id=instance_id,
                title=doc_title,
                number=number,
                signed=True,
                signer="Drs. Bambang Setiawan, M.Si., Kepala Dinas",
                signed_at=at,
                supersedes=draft.id,
            )


@pytest.fixture
def letters(engine, started, clock):
    with engine.db.transaction() as session:  # the applicant's letter: numbered, never signed
        store_document(
            session,
            kind="surat_masuk",
            filename="surat.pdf",
            content=b"%PDF incoming",
            instance_id=started.id,
            number="050/123/Bappeda/2026",
        )
    _issue(engine, started.id, "400.12.4/7/2026", "surat_data", "Surat pengantar data", clock())
    _issue(engine, started.id, "400.12.4/8/2026", "surat_penolakan", "Surat penolakan", clock())
    return started


@pytest.mark.parametrize("role", ROLES)
def test_only_the_secretariat_jfu_managers_and_admins_read_it(as_user, role):
    status = as_user(role).get("/surat-keluar").status_code
    assert status == (200 if role in READERS else 403)
    assert as_user(role).get("/surat-keluar/unduh.csv").status_code == status


def test_the_register_lists_each_issued_letter_once_and_finds_it_by_number(as_user, letters):
    client = as_user("jfu")
    page = client.get("/surat-keluar").get_data(as_text=True)
    assert page.count("400.12.4/7/2026") == 1 and page.count("400.12.4/8/2026") == 1
    assert "Lampiran data" not in page  # the attachment shares the letter's number
    assert "050/123/Bappeda/2026" not in page  # the incoming letter is not an outgoing one
    assert "Badan Perencanaan Pembangunan Daerah" in page  # the addressee, from the diagram
    assert "TESTKODE23" in page and "2 surat" in page
    found = client.get("/surat-keluar?q=400.12.4/8").get_data(as_text=True)
    assert "400.12.4/8/2026" in found and "400.12.4/7/2026" not in found
    refusals = client.get("/surat-keluar?jenis=surat_penolakan").get_data(as_text=True)
    assert "400.12.4/8/2026" in refusals and "400.12.4/7/2026" not in refusals
    assert "Tidak ada surat yang cocok" in client.get("/surat-keluar?bulan=2001-01").get_data(
        as_text=True
    )
    assert client.get("/surat-keluar?bulan=x&jenis=&halaman=z").status_code == 200


def test_the_register_as_csv(as_user, letters):
    response = as_user("sekretariat").get("/surat-keluar/unduh.csv?q=pengantar")
    assert response.status_code == 200 and response.headers["Content-Type"].count("charset") == 1
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nomor surat", "Tanggal surat", "Jenis"]
    assert len(rows) == 2 and rows[1][0] == "400.12.4/7/2026"
    assert rows[1][3].startswith("Badan Perencanaan") and rows[1][6] == "TESTKODE23"


def test_the_menu_shows_it_to_the_jfu(as_user):
    assert 'href="/surat-keluar"' in as_user("jfu").get("/kotak-masuk").get_data(as_text=True)
