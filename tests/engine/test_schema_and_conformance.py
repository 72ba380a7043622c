"""Alembic builds the same schema as the models; every MIWG diagram is accepted or clearly refused."""

from pathlib import Path

import pytest
from sqlalchemy import inspect

from engine.db import Database
from engine.migrate import upgrade
from engine.models import Base
from engine.validation import validate_diagram
from tests.conftest import SHARED
from web.composition import registration

MIWG = sorted((SHARED / "conformance" / "miwg-reference").glob("*.bpmn"))


def test_alembic_upgrade_creates_every_table(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(database)
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspect(database.engine).get_columns(name)}
        assert {c.name for c in table.columns} == columns, name


@pytest.mark.skipif(not MIWG, reason="../shared/conformance is not beside this checkout")
@pytest.mark.parametrize("path", MIWG, ids=lambda p: Path(p).name)
def test_miwg_reference_diagram_is_accepted_or_refused_with_a_reason(path):
    parsed, issues = validate_diagram(path.read_bytes(), path.name, topics=registration().topics())
    if parsed is None:
        assert issues and all(i.message for i in issues)
        assert all(i.element_id for i in issues), [str(i) for i in issues if not i.element_id]
    else:
        assert parsed.process_ids


def test_a_diagram_in_another_encoding_is_deployed_as_written(engine):
    from tests.conftest import PROCESSES

    xml = (PROCESSES / "permohonan_data_agregat.bpmn").read_text(encoding="utf-8")
    latin = xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        'name="Pemanfaatan Data Agregat Kependudukan"',
        'name="Pemanfaatan Data Agregat Kependudukan (revisi é)"',
    )
    [result] = engine.deploy(latin.encode("iso-8859-1"), "latin.bpmn")
    assert result.name.endswith("(revisi é)")
    assert "revisi é" in engine.definition_xml("permohonan_data_agregat", result.version)


def test_a_steps_form_is_there_without_a_task(engine):
    fields, properties = engine.step_form("permohonan_data_agregat", "beri_akses")
    assert [f.id for f in fields] == [
        "akses_operator",
        "akses_berlaku_sampai",
        "kasi_isi_disposisi",
    ]
    assert properties["standard_minutes"] == "10"


def test_alembic_upgrade_creates_exactly_the_models_indexes(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(database)
    for name in ("audit_log", "process_instances", "human_tasks", "api_tokens"):
        migrated = {i["name"] for i in inspect(database.engine).get_indexes(name)}
        declared = {i.name for i in Base.metadata.tables[name].indexes}
        assert declared == migrated, (name, declared ^ migrated)
