"""An installation to back up: a migrated store, instances, a signed document, secret key, PKI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from backup.cli import backup
from engine.archive import store_document
from engine.config import Settings
from engine.db import Database
from engine.facade import BpmnEngine
from engine.migrate import upgrade
from reports import samples, surat_data
from reports.signing import ensure_office_certificate, sign_pdf
from tests.conftest import PROCESSES, Clock, seeded
from tests.factories import PROCESS, fake_registry, gen_letter
from tests.reports.helpers import request_data
from web.composition import metadata

SIGNED_AT = datetime(2026, 7, 10, 3, 0, tzinfo=UTC)


@dataclass
class Installation:
    settings: Settings
    database: Database
    engine: BpmnEngine
    instance_ids: list[int]
    document_id: str


def settings_for(folder: Path, database_url: str | None = None) -> Settings:
    return Settings(
        instance_dir=folder,
        database_url=database_url or f"sqlite:///{folder / 'laksana.db'}",
        warehouse_url=f"duckdb:///{folder / 'warehouse.duckdb'}",
        base_url="https://laksana.example.go.id",
    )


def engine_on(settings: Settings) -> BpmnEngine:
    database = Database(str(settings.database_url))
    clock = Clock(datetime(2026, 7, 8, 1, 30, tzinfo=UTC))
    return BpmnEngine(database, fake_registry(), settings, clock=clock)


def build_installation(settings: Settings) -> Installation:
    """Three requests (one a step further), and a signed letter archived on the first."""
    database = Database(str(settings.database_url))
    upgrade(database, metadata=metadata())
    seeded(database)
    engine = BpmnEngine(database, fake_registry(), settings)
    engine.deploy_path(PROCESSES)
    ids = [
        engine.start(PROCESS, gen_letter(nomor_surat=f"050/{n}/Bappeda/2026"), "sekretariat").id
        for n in range(1, 4)
    ]
    settings.ensure_instance_dir()
    (settings.instance_dir / "secret_key").write_text("a1" * 32)
    (settings.instance_dir / "secret_key").chmod(0o600)
    letter = surat_data.render(
        request_data(),
        number="400.12.4/17/2026",
        letter_date="2026-07-10",
        dataset=samples.desa_by_sex(12),
        signer=samples.KEPALA_DINAS,
    )
    signed = sign_pdf(
        letter,
        paths=ensure_office_certificate(settings),
        verify_url="https://laksana.example.go.id/verifikasi/x",
        signer_label="Kepala Dinas",
        signed_at=SIGNED_AT,
    )
    with database.transaction() as session:
        doc = store_document(
            session,
            kind="surat_data",
            filename="surat.pdf",
            content=signed,
            instance_id=ids[0],
            title="Surat 400.12.4/17/2026",
            signed=True,
            signer="Kepala Dinas",
            signed_at=SIGNED_AT,
        )
    return Installation(settings, database, engine, ids, doc.id)


def run(settings: Settings, monkeypatch, *args: str) -> Result:
    """``laksana backup ARGS`` against the installation ``settings`` names (as its environment)."""
    monkeypatch.setenv("LAKSANA_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("LAKSANA_DATABASE_URL", str(settings.database_url))
    return CliRunner().invoke(backup, list(args))


@pytest.fixture
def office(tmp_path) -> Installation:
    installation = build_installation(settings_for(tmp_path / "kantor"))
    yield installation
    installation.database.dispose()
