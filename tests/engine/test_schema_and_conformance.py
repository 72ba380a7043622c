"""Alembic builds the same schema as the models; every MIWG diagram is accepted or clearly refused."""

from pathlib import Path

import pytest
from sqlalchemy import inspect

from engine.db import Database
from engine.migrate import upgrade
from engine.models import Base
from engine.validation import validate_diagram
from tests.conftest import SHARED

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
    parsed, issues = validate_diagram(path.read_bytes(), path.name)
    if parsed is None:
        assert issues and all(i.message for i in issues)
        assert all(i.element_id or "executable" in i.message or i.line for i in issues)
    else:
        assert parsed.process_ids
