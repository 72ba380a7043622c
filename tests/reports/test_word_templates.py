"""Word templates deploy with their diagram: every bad file is refused naming it, nothing half-deployed."""

from __future__ import annotations

import pytest

from engine.errors import DiagramInvalid
from engine.templates import template_for_instance
from tests.conftest import BACKENDS, database_for
from tests.conftest import seeded as seed_users
from web.composition import build_engine

from .word_helpers import TEMPLATE, diagram, docx_bytes, letter


@pytest.fixture
def engine(db, settings):
    seed_users(db)
    return build_engine(settings, db)


def refusal(engine, templates, xml: bytes | None = None) -> str:
    with pytest.raises(DiagramInvalid) as caught:
        engine.deploy(xml or diagram(), "surat_uji.bpmn", templates=templates)
    assert not [d for d in engine.list_definitions() if d.process_id == "surat_uji"]
    return str(caught.value)


def test_a_good_template_is_kept_with_the_version_and_its_placeholders_listed(engine):
    [result] = engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter())])
    [view] = engine.definition_templates("surat_uji", result.version)
    assert view.filename == TEMPLATE
    assert {"perihal", "jenis", "catatan_periksa", "nomor_surat", "tanda_tangan"} <= set(
        view.placeholders
    )


def test_a_placeholder_that_is_no_form_field_is_refused_naming_file_and_placeholder(engine):
    message = refusal(engine, [(TEMPLATE, letter("Alamat: {{ alamat_instansi }}"))])
    assert "surat_uji.docx" in message
    assert "{{ alamat_instansi }}" in message
    assert "perihal" in message and "nomor_surat" in message  # what may be used instead


def test_a_file_that_is_not_a_word_document_is_refused_naming_it(engine):
    message = refusal(engine, [(TEMPLATE, letter()), ("surat.pdf", b"%PDF-1.7 ...")])
    assert "'surat.pdf' bukan templat surat yang dikenal" in message
    assert ".docx" in message


def test_a_broken_docx_is_refused_naming_it(engine):
    message = refusal(engine, [(TEMPLATE, b"PK\x03\x04 not really a zip")])
    assert "'surat_uji.docx' rusak atau bukan dokumen Word .docx" in message


def test_broken_placeholder_marks_are_refused_naming_the_file(engine):
    message = refusal(engine, [(TEMPLATE, docx_bytes("Perihal: {{ perihal }"))])
    assert "surat_uji.docx" in message and "penanda isian rusak" in message


def test_a_template_that_fails_to_fill_is_refused_naming_it(engine):
    message = refusal(engine, [(TEMPLATE, docx_bytes("{{ (perihal|int) + 'x' }}"))])
    assert "templat 'surat_uji.docx' gagal diisi dengan nilai contoh" in message


def test_a_task_naming_a_template_not_deployed_is_refused_naming_the_element(engine):
    message = refusal(engine, [], diagram("tidak_ada.docx"))
    assert "buat_surat" in message and "'tidak_ada.docx'" in message


def test_a_diagram_deployed_alone_keeps_the_templates_of_the_deployed_version(engine):
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter())])
    changed = diagram().replace(b'name="Periksa"', b'name="Periksa surat"')
    [second] = engine.deploy(changed, "surat_uji.bpmn")  # the web editor sends the diagram only
    assert second.version == 2 and not second.unchanged
    assert [t.filename for t in engine.definition_templates("surat_uji", 2)] == [TEMPLATE]


def test_a_changed_template_alone_is_a_new_version(engine):
    first = letter()
    engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, first)])
    [same] = engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, first)])
    assert same.unchanged
    [changed] = engine.deploy(
        diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, letter("Hormat kami,"))]
    )
    assert changed.version == 2 and not changed.unchanged


def write_bundle(folder, name: str, templates: dict[str, bytes]) -> None:
    (folder / f"{name}.bpmn").write_bytes(
        diagram().replace(b'process id="surat_uji"', b'process id="' + name.encode() + b'"')
    )
    (folder / name).mkdir()
    for filename, content in templates.items():
        (folder / name / filename).write_bytes(content)


def test_a_directory_deploys_in_one_transaction_nothing_half_deployed(engine, tmp_path):
    write_bundle(tmp_path, "a_baik", {TEMPLATE: letter()})
    write_bundle(tmp_path, "b_rusak", {TEMPLATE: letter("{{ tidak_dikenal }}")})
    with pytest.raises(DiagramInvalid) as caught:
        engine.deploy_path(tmp_path)
    assert "tidak_dikenal" in str(caught.value)
    assert engine.list_definitions() == []  # a_baik was valid, but is not deployed alone


def test_a_bundle_brings_its_roles_as_data(engine, tmp_path):
    (tmp_path / "peran_uji.bpmn").write_bytes(
        diagram()
        .replace(b'name="Kasi"', b'name="Penguji Surat"')
        .replace(b'process id="surat_uji"', b'process id="peran_uji"')
    )
    (tmp_path / "peran_uji").mkdir()
    (tmp_path / "peran_uji" / TEMPLATE).write_bytes(letter())
    (tmp_path / "peran_uji" / "peran.csv").write_text(
        "kode,nama,bidang\npenguji_surat,Penguji Surat,Bidang Uji\n"
    )
    [result] = engine.deploy_path(tmp_path)
    assert result.process_id == "peran_uji"
    role = engine.accounts.roles.get("penguji_surat")
    assert (role.name, role.bidang) == ("Penguji Surat", "Bidang Uji")


def test_a_malformed_roles_file_is_refused_naming_it_and_its_line(engine, tmp_path):
    write_bundle(tmp_path, "peran_rusak", {TEMPLATE: letter()})
    (tmp_path / "peran_rusak" / "peran.csv").write_text("kode,nama,bidang\n,Tanpa kode,\n")
    with pytest.raises(DiagramInvalid) as caught:
        engine.deploy_path(tmp_path)
    assert "peran.csv:2" in str(caught.value)
    assert engine.list_definitions() == []


@pytest.fixture(params=BACKENDS)
def any_engine(request, settings):
    for database in database_for(request.param, settings):
        seed_users(database)
        yield build_engine(settings, database)


def test_templates_are_kept_and_refused_alike_on_both_backends(any_engine, tmp_path):
    template = letter()
    any_engine.deploy(diagram(), "surat_uji.bpmn", templates=[(TEMPLATE, template)])
    assert any_engine.definition_template("surat_uji", 1, TEMPLATE) == template
    instance = any_engine.start("surat_uji", {"perihal": "x", "jenis": "biasa"}, "kasi")
    with any_engine.db.Session() as session:
        assert template_for_instance(session, instance.id, TEMPLATE) == template
    write_bundle(tmp_path, "a_baik", {TEMPLATE: letter()})
    write_bundle(tmp_path, "b_rusak", {"surat.odt": b"bukan docx"})
    with pytest.raises(DiagramInvalid):
        any_engine.deploy_path(tmp_path)
    assert {d.process_id for d in any_engine.list_definitions()} == {"surat_uji"}
