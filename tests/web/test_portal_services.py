"""A process marked public (``publik`` = ``ya``) gets a portal form from its start event, with a
tracking code and a cover-letter upload, rate-limited, and no Python view of its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.models import ProcessInstance
from tests.web.conftest import PDF

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "layanan_publik.bpmn"
PROCESS = "uji_layanan_publik"
FORM = f"/layanan-publik/{PROCESS}"


@pytest.fixture
def deployed(engine):
    engine.deploy(DIAGRAM.read_bytes(), DIAGRAM.name)
    return engine


def started_count(engine) -> int:
    with engine.db.Session() as session:
        return session.scalar(select(func.count()).where(ProcessInstance.process_id == PROCESS))


def filled(**changes):
    values = {
        "nama_pemohon": "Budi Santoso",
        "email_pemohon": "budi.santoso@example.org",
        "keperluan": "sekolah",
        "surat_pengantar": (io.BytesIO(PDF), "pengantar.pdf"),
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_the_portal_lists_public_processes_only(client, deployed):
    home = client.get("/").get_data(as_text=True)
    assert "Surat keterangan uji" in home and FORM in home
    listing = client.get("/layanan-publik").get_data(as_text=True)
    assert "Surat keterangan uji" in listing and "999/UJI/2026" in listing
    assert "permohonan_data_agregat" not in listing
    assert client.get("/layanan-publik/permohonan_data_agregat").status_code == 404
    assert client.get("/layanan-publik/tidak_ada").status_code == 404


def test_the_form_comes_from_the_start_event(client, deployed):
    page = client.get(FORM).get_data(as_text=True)
    for label in ("Nama pemohon", "Surel pemohon", "Keperluan", "Pendaftaran sekolah"):
        assert label in page
    assert 'name="surat_pengantar"' in page and 'type="file"' in page


def test_a_request_starts_with_a_tracking_code_and_its_letter_and_can_be_tracked(client, deployed):
    sent = client.post(FORM, data=filled(), content_type="multipart/form-data")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/layanan-publik/terkirim")
    page = client.get("/layanan-publik/terkirim").get_data(as_text=True)
    code = re.search(r'data-code="([A-Z0-9-]+)"', page).group(1)
    instance = deployed.instance_by_key(code)
    assert instance.process_id == PROCESS and instance.started_by is None
    assert deployed.instance_data(instance.id)["kode_pelacakan"] == code
    [letter] = deployed.documents.for_instance(instance.id)
    assert letter.kind == "surat_masuk" and letter.filename.endswith(".pdf")
    status = client.get(f"/lacak/{code}").get_data(as_text=True)
    assert code in status and "Memeriksa permohonan" in status


def test_a_letter_that_is_not_a_pdf_is_refused_and_the_typed_values_stay(client, deployed):
    refused = client.post(
        FORM,
        data=filled(surat_pengantar=(io.BytesIO(b"bukan pdf"), "pengantar.docx")),
        content_type="multipart/form-data",
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Surat pengantar (PDF): Berkas bukan PDF" in page
    assert 'value="Budi Santoso"' in page and 'value="budi.santoso@example.org"' in page
    assert started_count(deployed) == 0


def test_bad_input_names_the_field_and_keeps_what_was_typed(client, deployed):
    bad = client.post(
        FORM,
        data=filled(nama_pemohon="", keperluan="liburan", surat_pengantar=None),
        content_type="multipart/form-data",
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Nama pemohon:" in page and "Keperluan:" in page and "Surat pengantar (PDF):" in page
    assert 'value="budi.santoso@example.org"' in page
    assert "Traceback" not in page and "FormInvalid" not in page
    assert started_count(deployed) == 0


def test_the_public_form_is_rate_limited(strict_app, deployed):
    client = strict_app.test_client()
    statuses = []
    for _ in range(6):
        page = client.get(FORM).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answer = client.post(
            FORM,
            data=filled(nama_pemohon="", csrf_token=token),
            content_type="multipart/form-data",
            environ_base={"REMOTE_ADDR": "10.1.2.3"},
        )
        statuses.append(answer.status_code)
    assert statuses == [422] * 5 + [429]
