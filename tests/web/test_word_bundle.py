"""The model page takes a diagram with its Word templates as one bundle, and lists them per version."""

from __future__ import annotations

import io

from tests.reports.word_helpers import TEMPLATE, diagram, letter


def upload(client, templates, deploy: bool = True):
    data = {
        "diagram": (io.BytesIO(diagram()), "surat_uji.bpmn"),
        "templates": [(io.BytesIO(content), name) for name, content in templates],
    }
    if deploy:
        data["deploy"] = "y"
    return client.post("/model/unggah", data=data, content_type="multipart/form-data")


def deployed_ids(engine) -> set[str]:
    return {d.process_id for d in engine.list_definitions()}


def test_a_bundle_with_its_template_deploys_and_the_version_lists_it(as_user, engine):
    client = as_user("analis")
    template = letter()
    response = upload(client, [(TEMPLATE, template)])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "surat_uji" in deployed_ids(engine)
    page = client.get("/model/surat_uji/1").get_data(as_text=True)
    assert "Templat surat" in page and TEMPLATE in page and "catatan_periksa" in page
    download = client.get(f"/model/surat_uji/1/templat/{TEMPLATE}")
    assert download.status_code == 200 and download.data == template
    assert client.get("/model/surat_uji/1/templat/lain.docx").status_code == 404


def test_a_placeholder_without_a_field_is_refused_naming_file_and_placeholder(as_user, engine):
    response = upload(as_user("analis"), [(TEMPLATE, letter("{{ nomor_rekening }}"))])
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert TEMPLATE in text and "{{ nomor_rekening }}" in text
    assert "Traceback" not in text
    assert "surat_uji" not in deployed_ids(engine)


def test_a_file_that_is_no_word_template_is_refused_naming_it(as_user, engine):
    response = upload(as_user("analis"), [(TEMPLATE, letter()), ("catatan.txt", b"catatan")])
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "catatan.txt" in text and ".docx" in text
    assert "surat_uji" not in deployed_ids(engine)


def test_checking_without_deploying_also_checks_the_templates(as_user, engine):
    response = upload(as_user("analis"), [(TEMPLATE, b"bukan zip")], deploy=False)
    assert response.status_code == 422 and "rusak" in response.get_data(as_text=True)


def test_the_shipped_network_sop_lists_its_word_template(as_user):
    page = as_user("analis").get("/model/pengelolaan_jaringan/1").get_data(as_text=True)
    assert "berita_acara_perbaikan_jaringan.docx" in page
