"""Business rule tasks run DMN decision tables deployed with the diagram (a bundle).

The decision's cells are Python under the engine's restricted scripting; the parsed table is
stored with the version's spec and the instance survives a save/restore between steps. Bundles
with a missing decision or a malformed DMN file are refused naming the file, the line and what
is wrong.
"""

import json

import pytest
from sqlalchemy import select

from engine.errors import DiagramInvalid, NotFound
from engine.models import ProcessDefinition
from tests.engine.diagram_tools import DIAGRAMS, complete, forget, open_tasks

DMN = DIAGRAMS / "aturan_biaya.dmn"
BPMN = DIAGRAMS / "business_rule.bpmn"


def deploy_bundle(engine, dmn: bytes | None = None, bpmn: bytes | None = None):
    return engine.deploy(
        bpmn or BPMN.read_bytes(),
        BPMN.name,
        decisions=[(DMN.name, dmn if dmn is not None else DMN.read_bytes())],
    )


def refused(engine, **kwargs) -> list:
    with pytest.raises(DiagramInvalid) as info:
        deploy_bundle(engine, **kwargs)
    return info.value.issues


@pytest.mark.parametrize(
    ("jenis", "jumlah", "tarif", "jalur"),
    [("kilat", 20, 40, "khusus"), ("kilat", 3, 5, "cepat"), ("biasa", 1, 0, "biasa")],
)
def test_a_business_rule_task_runs_its_decision_after_a_restore(
    engine, jenis, jumlah, tarif, jalur
):
    [result] = deploy_bundle(engine)
    instance = engine.start("uji_aturan_bisnis", {}, user="kasi")
    forget(engine)  # the spec and the instance come back from the stored JSON
    complete(engine, instance.id, "isi", "kasi", {"jenis": jenis, "jumlah": jumlah})
    data = engine.instance_data(instance.id)
    assert (data["tarif"], data["jalur"]) == (tarif, jalur)
    assert [t.element_id for t in open_tasks(engine, instance.id)] == ["periksa"]
    assert complete(engine, instance.id, "periksa", "kasi").status == "completed"
    history = [(h.action, h.element_id) for h in engine.history(instance.id)]
    assert ("completed", "isi") in history
    with engine.db.Session() as session:
        spec = json.loads(
            session.scalar(
                select(ProcessDefinition.spec_json).where(
                    ProcessDefinition.id == result.definition_id
                )
            )
        )
        assert list(spec["dmn"]) == ["aturan_biaya.dmn"]
        assert engine.definitions.decisions(session, result.definition_id)["aturan_biaya.dmn"]


def test_an_unchanged_bundle_is_not_deployed_again_but_a_changed_decision_is(engine):
    [first] = deploy_bundle(engine)
    [again] = deploy_bundle(engine)
    assert again.unchanged and again.version == first.version
    changed = DMN.read_bytes().replace(b"jumlah * 2", b"jumlah * 3")
    [second] = deploy_bundle(engine, dmn=changed)
    assert not second.unchanged and second.version == first.version + 1
    instance = engine.start("uji_aturan_bisnis", {}, user="kasi")
    complete(engine, instance.id, "isi", "kasi", {"jenis": "kilat", "jumlah": 20})
    assert engine.instance_data(instance.id)["tarif"] == 60


def test_a_missing_decision_is_refused_naming_the_task_its_line_and_the_reference(engine):
    bpmn = BPMN.read_bytes().replace(b'decisionRef="tarif_layanan"', b'decisionRef="tarif_lain"')
    [issue] = refused(engine, bpmn=bpmn)
    assert issue.element_id == "tentukan_tarif" and issue.filename == "business_rule.bpmn"
    line = next(
        n for n, text in enumerate(bpmn.decode().splitlines(), 1) if 'id="tentukan_tarif"' in text
    )
    assert issue.line == line
    assert "'tarif_lain'" in issue.message and "Menentukan tarif" in issue.message
    assert "tarif_layanan" in issue.message  # what the bundle does have
    with pytest.raises(DiagramInvalid) as info:  # and without any DMN file at all
        engine.deploy(BPMN.read_bytes(), BPMN.name)
    assert "'tarif_layanan'" in info.value.issues[0].message
    assert "uji_aturan_bisnis" not in {d.process_id for d in engine.list_definitions()}


def test_a_malformed_dmn_is_refused_naming_the_file_and_the_line(engine):
    broken = DMN.read_bytes().replace(b'</rule>\n      <rule id="aturan_lain">', b"<rule>", 1)
    [issue] = refused(engine, dmn=broken)
    assert issue.filename == "aturan_biaya.dmn" and issue.line
    assert "XML" in issue.message
    bad_cell = DMN.read_bytes().replace(b"jumlah * 2", b"jumlah *")
    [issue] = refused(engine, dmn=bad_cell)
    assert issue.filename == "aturan_biaya.dmn" and issue.element_id == "a1_tarif"
    assert issue.line == next(
        n for n, text in enumerate(bad_cell.decode().splitlines(), 1) if "a1_tarif" in text
    )
    not_dmn = b'<?xml version="1.0"?><definitions xmlns="urn:x"><decision id="d"/></definitions>'
    [issue] = refused(engine, dmn=not_dmn)
    assert issue.filename == "aturan_biaya.dmn" and "DMN" in issue.message
    schema = DMN.read_bytes().replace(
        b'<output id="keluaran_jalur"', b'<outputx id="keluaran_jalur"'
    )
    issues = refused(engine, dmn=schema)
    assert issues[0].filename == "aturan_biaya.dmn" and issues[0].line


def test_deploy_path_takes_the_dmn_files_beside_the_diagram(engine, tmp_path):
    (tmp_path / BPMN.name).write_bytes(BPMN.read_bytes())
    (tmp_path / DMN.name).write_bytes(DMN.read_bytes())
    [result] = engine.deploy_path(tmp_path / BPMN.name)
    assert result.process_id == "uji_aturan_bisnis"
    assert [r.unchanged for r in engine.deploy_path(tmp_path)] == [True]
    with pytest.raises(NotFound):
        engine.deploy_path(tmp_path / DMN.name)


def test_a_diagram_deployed_alone_keeps_the_decisions_deployed_with_it_before(engine):
    deploy_bundle(engine)
    edited = BPMN.read_bytes().replace(b'name="Periksa tarif"', b'name="Periksa tarif akhir"')
    [result] = engine.deploy(edited, BPMN.name)  # the web editor sends the diagram alone
    assert result.version == 2 and not result.unchanged
    instance = engine.start("uji_aturan_bisnis", {}, user="kasi")
    complete(engine, instance.id, "isi", "kasi", {"jenis": "kilat", "jumlah": 20})
    assert engine.instance_data(instance.id)["tarif"] == 40


@pytest.mark.parametrize(
    ("cut", "what"),
    [
        ('<inputEntry id="a1_jumlah"><text>&gt; 10</text></inputEntry>', "2 masukan"),
        ('<outputEntry id="a1_jalur"><text>"khusus"</text></outputEntry>', "2 keluaran"),
    ],
    ids=["input-entry", "output-entry"],
)
def test_a_rule_missing_a_cell_is_refused_naming_the_rule(engine, cut, what):
    """Such a rule was accepted, and SpiffWorkflow pairs the cells with the wrong columns."""
    [issue] = refused(engine, dmn=DMN.read_text().replace(cut, "").encode())
    assert "aturan_kilat" in issue.message and what in issue.message
    assert issue.element_id == "aturan_kilat" and issue.line == 13


def test_a_table_the_library_cannot_read_says_so_without_an_exception_class(engine, monkeypatch):
    from SpiffWorkflow.dmn.parser.DMNParser import DMNParser

    def broken(self):
        raise KeyError("inputExpression")

    monkeypatch.setattr(DMNParser, "parse", broken)
    [issue] = refused(engine)
    assert "KeyError" not in issue.message and "inputExpression" not in issue.message
    assert issue.message.startswith("aturan_biaya.dmn") or "DMN" in issue.message
