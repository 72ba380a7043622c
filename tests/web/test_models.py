"""Process models: list, view, download, validate (element ids), deploy as a new version, upload."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import PROCESSES, SHARED
from tests.reports.test_sop_paper import remarks_column

SOP = (PROCESSES / "permohonan_data_agregat.bpmn").read_bytes()
MIWG = SHARED / "conformance" / "miwg-reference"


def _post_xml(client, url: str, xml: bytes, filename: str = "diagram.bpmn", note: str = ""):
    headers = {"X-Filename": filename}
    if note:
        headers["X-Change-Note"] = quote(note)
    return client.post(url, data=xml, content_type="application/xml", headers=headers)


def test_versions_are_listed_and_a_version_can_be_viewed_and_downloaded(as_user):
    client = as_user("analis")
    page = client.get("/model/").get_data(as_text=True)
    assert "Pemanfaatan Data Agregat Kependudukan" in page and "versi 1" in page
    view = client.get("/model/permohonan_data_agregat/1").get_data(as_text=True)
    assert "data-bpmn-viewer" in view and "build/viewer.js" in view
    download = client.get("/model/permohonan_data_agregat/1/unduh")
    assert download.data == SOP and "attachment" in download.headers["Content-Disposition"]
    assert client.get("/model/permohonan_data_agregat/9").status_code == 404


def test_editor_page_carries_the_diagram_for_the_modeler(as_user):
    page = (
        as_user("analis")
        .get("/model/penyunting?proses=permohonan_data_agregat&versi=1")
        .get_data(as_text=True)
    )
    assert (
        'id="modeler-config"' in page and "build/modeler.js" in page and "registrasi_surat" in page
    )
    assert "proses_baru" in as_user("analis").get("/model/penyunting").get_data(as_text=True)


def test_validation_names_the_element_of_each_problem(as_user):
    broken = SOP.replace(b'kadin_keputusan == "tolak"', b'kadin_keputusan == = "tolak"')
    response = _post_xml(as_user("analis"), "/model/validasi", broken)
    assert response.status_code == 422
    issues = response.get_json()["issues"]
    assert [i["element_id"] for i in issues] == ["flow_tolak"] and issues[0]["line"]
    ok = _post_xml(as_user("analis"), "/model/validasi", SOP)
    assert ok.status_code == 200 and ok.get_json()["ok"] is True


def test_deploy_makes_a_new_version_and_running_requests_keep_theirs(as_user, engine, started):
    changed = SOP.replace(
        b'name="Mencatat surat masuk di buku agenda"', b'name="Mencatat surat masuk (agenda)"'
    )
    response = _post_xml(
        as_user("analis"), "/model/terapkan", changed, "permohonan_data_agregat.bpmn", "Nama"
    )
    body = response.get_json()
    assert response.status_code == 200 and body["deployed"][0]["version"] == 2
    assert "versi 2" in body["message"]
    assert engine.instance(started.id).version == 1
    assert engine.start("permohonan_data_agregat", {}, "sekretariat").version == 2
    again = _post_xml(as_user("analis"), "/model/terapkan", changed, note="lagi").get_json()
    assert again["deployed"][0]["unchanged"] is True


def test_untrusted_xml_is_refused_without_reading_files_or_crashing(as_user, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
        '<bpmn:process id="p" name="&x;" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>'
        "</bpmn:definitions>"
    ).encode()
    client = as_user("analis")
    for body in (xxe, b"\xff\xfe<bukan xml", b"<a><b></a>"):
        # refused as a bad diagram (not as too large, not as a crash), with a message to show
        response = _post_xml(client, "/model/validasi", body)
        assert response.status_code == 422 and response.is_json
        assert response.get_json()["ok"] is False
        assert "KATA-SANDI-RAHASIA" not in response.get_data(as_text=True)
    blank = _post_xml(client, "/model/validasi", b"   ")
    assert blank.status_code >= 400 and "kosong" in blank.get_json()["message"]
    too_big = _post_xml(client, "/model/validasi", b"<x>" + b" " * (2 * 1024 * 1024 + 1) + b"</x>")
    assert too_big.status_code == 413 and "terlalu besar" in too_big.get_json()["message"]


def test_upload_form_without_javascript_validates_and_deploys(as_user, engine):
    client = as_user("analis")
    changed = SOP.replace(b"Waktu baku 125 menit", b"Waktu baku 125 menit kerja")
    response = client.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(changed), "sop.bpmn"), "deploy": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "versi 2" in response.get_data(as_text=True)
    broken = client.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(b"<a/>"), "x.bpmn")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422 and "bukan berkas BPMN" not in broken.get_data(as_text=True)
    assert "tidak berformat BPMN 2.0" in broken.get_data(as_text=True)


def _miwg_problems(client, path: Path) -> list[str]:
    """What is wrong with how the routes treat one reference diagram (nothing, when it is fine)."""
    response = _post_xml(client, "/model/validasi", path.read_bytes(), path.name)
    if response.status_code not in (200, 422):
        return [f"{path.name}: validate answered {response.status_code}"]
    body = response.get_json()
    problems = []
    if not body["ok"]:
        named = [issue for issue in body["issues"] if issue["element_id"]]
        if not body["issues"] or not (
            named or all("executable" in i["message"] for i in body["issues"])
        ):
            problems.append(f"{path.name}: refused without naming an element: {body['issues']}")
    upload = client.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    if upload.status_code not in (200, 422):
        problems.append(f"{path.name}: upload answered {upload.status_code}")
    return problems


@pytest.mark.skipif(
    not MIWG.is_dir(), reason="../shared/conformance/miwg-reference is absent (plain clone)"
)
def test_miwg_reference_diagrams_are_accepted_or_refused_with_a_reason(as_user):
    """The 21 MIWG reference models: never a 500; a refusal names the element (or says nothing is executable)."""
    client = as_user("analis")
    diagrams = sorted(MIWG.glob("*.bpmn"))
    assert len(diagrams) == 21
    problems = [problem for path in diagrams for problem in _miwg_problems(client, path)]
    assert problems == []


def test_upload_takes_the_dmn_files_with_the_diagram(as_user, engine):
    from tests.engine.test_business_rules import BPMN, DMN

    client = as_user("analis")
    without = client.post(
        "/model/unggah",
        data={"diagram": (io.BytesIO(BPMN.read_bytes()), BPMN.name)},
        content_type="multipart/form-data",
    )
    assert without.status_code == 422 and "tarif_layanan" in without.get_data(as_text=True)
    broken = client.post(
        "/model/unggah",
        data={
            "diagram": (io.BytesIO(BPMN.read_bytes()), BPMN.name),
            "decisions": [(io.BytesIO(b"<definitions"), DMN.name)],
        },
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422 and "aturan_biaya.dmn" in broken.get_data(as_text=True)
    wrong = client.post(
        "/model/unggah",
        data={
            "diagram": (io.BytesIO(BPMN.read_bytes()), BPMN.name),
            "decisions": [(io.BytesIO(b"x"), "catatan.txt")],
        },
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422 and "bukan berkas .dmn" in wrong.get_data(as_text=True)
    deployed = client.post(
        "/model/unggah",
        data={
            "diagram": (io.BytesIO(BPMN.read_bytes()), BPMN.name),
            "decisions": [(io.BytesIO(DMN.read_bytes()), DMN.name)],
            "deploy": "y",
        },
        content_type="multipart/form-data",
    )
    assert deployed.status_code == 200 and "versi 1" in deployed.get_data(as_text=True)
    assert "uji_aturan_bisnis" in {d.process_id for d in engine.list_definitions()}


def test_the_version_page_shows_the_decision_tables_deployed_with_it(as_user, engine):
    from tests.engine.test_business_rules import BPMN, DMN

    engine.deploy(BPMN.read_bytes(), BPMN.name, decisions=[(DMN.name, DMN.read_bytes())])
    shown = as_user("analis").get("/model/uji_aturan_bisnis/1").get_data(as_text=True)
    assert "Tabel keputusan" in shown and "Tarif layanan" in shown and "aturan_biaya.dmn" in shown
    assert "&gt; 10" in shown and "jumlah * 2" in shown
    plain = as_user("analis").get("/model/permohonan_data_agregat/1").get_data(as_text=True)
    assert "Tabel keputusan" not in plain


def _pdf_text(pdf: bytes) -> str:
    """The PDF's words in reading order, line breaks and column gaps as single spaces."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "") for page in document.pages).split())


def test_the_sop_paper_downloads_from_the_model_page_for_any_deployed_version(as_user, engine):
    client = as_user("analis")
    page = client.get("/model/permohonan_data_agregat/1").get_data(as_text=True)
    assert "/model/permohonan_data_agregat/1/sop.pdf" in page and "Unduh kertas SOP" in page
    first = client.get("/model/permohonan_data_agregat/1/sop.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert 'filename="SOP-permohonan_data_agregat-v1.pdf"' in first.headers["Content-Disposition"]
    text = _pdf_text(first.data)
    assert "004/Dukcapil/PIAK/034" in text
    assert "Perlu perbaikan: kembali ke langkah 4" in remarks_column(first.data)
    # a later version's paper follows that version's diagram
    renamed = SOP.replace(
        b'name="Menerima data dan melaporkan kepada Kepala Dinas"',
        b'name="Menelaah data dan melaporkan kepada Kepala Dinas"',
    )
    engine.deploy(renamed, "permohonan_data_agregat.bpmn")
    assert "/model/permohonan_data_agregat/2/sop.pdf" in client.get("/model/").get_data(
        as_text=True
    )
    second = _pdf_text(client.get("/model/permohonan_data_agregat/2/sop.pdf").data)
    assert "6. Menelaah data" in second and "Menelaah" not in text
    complaint = client.get("/model/pengaduan_layanan/1/sop.pdf")
    assert complaint.status_code == 200 and "PENGADUAN LAYANAN" in _pdf_text(complaint.data)
    assert client.get("/model/permohonan_data_agregat/9/sop.pdf").status_code == 404


def test_a_diagram_the_paper_cannot_read_gets_a_message_naming_the_step(as_user, engine):
    from tests.engine.test_business_rules import BPMN, DMN

    client = as_user("analis")
    twice = SOP.replace(
        b'<camunda:property name="sop_step" value="6" />',
        b'<camunda:property name="sop_step" value="5" />',
    )
    engine.deploy(twice, "permohonan_data_agregat.bpmn")
    refused = client.get("/model/permohonan_data_agregat/2/sop.pdf", follow_redirects=True)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and refused.mimetype == "text/html"
    assert "Kertas SOP tidak dapat dibuat" in body and "nomor langkah 5 yang sama" in body
    assert "Menerima data dan melaporkan kepada Kepala Dinas" in body
    engine.deploy(BPMN.read_bytes(), BPMN.name, decisions=[(DMN.name, DMN.read_bytes())])
    empty = client.get("/model/uji_aturan_bisnis/1/sop.pdf", follow_redirects=True)
    assert empty.mimetype == "text/html" and "tidak memuat langkah SOP" in empty.get_data(
        as_text=True
    )
