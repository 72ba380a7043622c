"""The same round trip on PostgreSQL: pg_dump into the archive, pg_restore into a second database."""

from __future__ import annotations

import shutil
import tarfile
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.models import Document
from reports.topics import verify_document
from tests.conftest import PG_URL

from .conftest import build_installation, engine_on, run, settings_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_databases():
    """Two fresh databases beside the one LAKSANA_TEST_DATABASE_URL names, dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need LAKSANA_TEST_DATABASE_URL (CI sets it)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore missing: apt-get install -y postgresql-client")
    base = make_url(PG_URL)
    names = [f"{base.database}_bk_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield [base.set(database=name).render_as_string(hide_password=False) for name in names]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_round_trip_through_pg_dump_and_pg_restore(two_databases, tmp_path, monkeypatch):
    source_url, target_url = two_databases
    office = build_installation(settings_for(tmp_path / "kantor", source_url))
    archive = tmp_path / "cadangan.tar.gz"
    result = run(office.settings, monkeypatch, "create", "-o", str(archive))
    assert result.exit_code == 0, result.output
    with tarfile.open(archive, "r:gz") as tar:
        assert tar.extractfile("store/laksana.pgdump").read(5) == b"PGDMP"  # custom format
    result = run(office.settings, monkeypatch, "verify", str(archive))
    assert result.exit_code == 0 and "cadangan utuh" in result.output, result.output

    fresh = settings_for(tmp_path / "kantor-baru", target_url)
    result = run(fresh, monkeypatch, "restore", str(archive))
    assert result.exit_code == 0, result.output

    restored = engine_on(fresh)
    assert [i.to_dict() for i in restored.list_instances()] == [
        i.to_dict() for i in office.engine.list_instances()
    ]
    with restored.db.transaction() as session:
        docs = session.query(Document).all()
        assert [(d.id, d.sha256) for d in docs] == [(office.document_id, docs[0].sha256)]
        verdict = verify_document(session, fresh, office.document_id)
    assert verdict.ok, verdict.message

    # a second restore onto the now filled database is refused, and --force replaces it
    result = run(fresh, monkeypatch, "restore", str(archive))
    assert result.exit_code == 1 and "pakai --force" in result.output
    result = run(fresh, monkeypatch, "restore", str(archive), "--force")
    assert result.exit_code == 0, result.output
    assert len(restored.list_instances()) == 3
    restored.db.dispose()
    office.database.dispose()
