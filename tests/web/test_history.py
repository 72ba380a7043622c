"""One request's history: timeline against the standard, data, documents, diagram states, the PDF."""

from __future__ import annotations

import json
import re

from engine.archive import store_document
from tests.factories import gen_letter
from tests.web.conftest import PDF, open_task


def _delivered(actions, clock, minutes=3):
    instance = actions.start(**gen_letter())
    actions.complete(instance.id, "registrasi_surat")
    actions.complete(instance.id, "disposisi_kadin", minutes=12)  # standard 5 minutes: late
    actions.run_until(instance.id)
    return instance


def _config(page: str) -> dict:
    return json.loads(
        re.search(
            r'<script type="application/json" id="diagram-config">(.*?)</script>', page, re.S
        ).group(1)
    )


def test_timeline_shows_who_when_and_minutes_against_the_standard(as_user, actions, clock):
    instance = _delivered(actions, clock)
    page = as_user("manajer").get(f"/riwayat/{instance.id}").get_data(as_text=True)
    row = re.search(r'<tr class="row-late">\s*<td>1\. Menerima surat.*?</tr>', page, re.S).group(0)
    assert "Drs. Bambang Setiawan" in row and ">12<" in row and ">5<" in row
    assert 'class="num late"' in row
    assert "Dinas Kependudukan" in page and "Selesai" in page


def test_diagram_marks_completed_active_and_the_flows_taken(as_user, engine, started):
    config = _config(as_user("kepala_dinas").get(f"/riwayat/{started.id}").get_data(as_text=True))
    assert "registrasi_surat" in config["states"]["completed"]
    assert "disposisi_kadin" in config["states"]["active"]
    assert "flow_registrasi_surat_disposisi_kadin" in config["states"]["flows"]
    assert config["history"]["registrasi_surat"][0]["actor"] == "sekretariat"
    assert config["xml"].startswith("<?xml")


def test_documents_open_for_participants_only(as_user, engine, started):
    with engine.db.transaction() as session:
        doc = store_document(
            session, kind="surat_masuk", filename="surat.pdf", content=PDF, instance_id=started.id
        )
    response = as_user("kepala_dinas").get(f"/dokumen/{doc.id}")
    assert response.status_code == 200 and response.data == PDF
    assert (
        response.mimetype == "application/pdf"
        and "inline" in response.headers["Content-Disposition"]
    )
    assert as_user("operator").get(f"/dokumen/{doc.id}").status_code == 403
    page = (
        as_user("kepala_dinas")
        .get(f"/tugas/{open_task(engine, started.id).id}")
        .get_data(as_text=True)
    )
    assert f"/dokumen/{doc.id}" in page and "Surat permohonan" in page


def test_managers_list_and_filter_requests(as_user, actions, clock):
    _delivered(actions, clock)
    other = actions.start(**gen_letter(instansi_pengirim="Dinas Sosial"))
    actions.complete(other.id, "registrasi_surat", instansi_pengirim="Dinas Sosial")
    client = as_user("manajer")
    page = client.get("/riwayat").get_data(as_text=True)
    assert "2 ditemukan" in page
    assert "Dinas Sosial" in client.get("/riwayat?status=running").get_data(as_text=True)
    assert "Dinas Sosial" not in client.get("/riwayat?status=completed").get_data(as_text=True)
    assert "1 ditemukan" in client.get("/riwayat?q=sosial").get_data(as_text=True)


def test_manager_downloads_the_history_pdf(as_user, actions, clock):
    instance = _delivered(actions, clock)
    response = as_user("manajer").get(f"/riwayat/{instance.id}/riwayat.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_dataset_export_as_csv(as_user, actions, clock):
    instance = _delivered(actions, clock)
    response = as_user("kasi").get(f"/riwayat/{instance.id}/data.csv")
    assert response.status_code == 200 and "Susukan" in response.get_data(as_text=True)
    assert as_user("kasi").get(f"/riwayat/{instance.id}/data.pdf").status_code == 404


def test_verification_of_an_archived_document_never_crashes(client, actions, clock, engine):
    instance = _delivered(actions, clock)
    signed = engine.instance_data(instance.id)["dokumen_surat_id"]
    response = client.get(f"/verifikasi/{signed}")
    assert response.status_code == 200
    assert "Verifikasi dokumen" in response.get_data(
        as_text=True
    )  # stand-in PDFs are not really signed


def test_the_open_step_says_whom_it_waits_for_since_when_and_its_deadline(as_user, engine, started):
    task = open_task(engine, started.id)
    engine.claim(task.id, "kepala_dinas")
    page = as_user("manajer").get(f"/riwayat/{started.id}").get_data(as_text=True)
    open_step = re.search(r'<li class="is-open">.*?</li>', page, re.S).group(0)
    assert task.name in open_step and "Kepala Dinas" in open_step
    assert "Drs. Bambang Setiawan" in open_step  # who claimed it, by name
    assert "sejak" in open_step and "tenggat" in open_step  # ready and due (5 standard minutes)
