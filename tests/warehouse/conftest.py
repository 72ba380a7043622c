"""Warehouse fixtures: small synthetic warehouses built once per session, an engine store.

DuckDB (always), SQLite (the generic loader) and PostgreSQL (only when
LAKSANA_TEST_DATABASE_URL is set; a private schema per session) are built
from the same scale and seed, so their query results must be identical.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.config import Settings
from engine.db import Database
from engine.models import ProcessDefinition, ProcessInstance, User
from warehouse.build import build_synthetic
from warehouse.generator import Population, generate
from warehouse.store import Warehouse, forget_warehouse, warehouse_for

SCALE = 0.01
SEED = 7
PERIOD = "2026-1"
PG_URL = os.environ.get("LAKSANA_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def population() -> Population:
    """The arrays the small warehouses are built from (same scale, seed and period)."""
    return generate(SCALE, SEED, PERIOD)


@pytest.fixture(scope="session")
def duck_url(tmp_path_factory) -> str:
    return f"duckdb:///{tmp_path_factory.mktemp('wh') / 'warehouse.duckdb'}"


@pytest.fixture(scope="session")
def duck(duck_url) -> Iterator[Warehouse]:
    """A DuckDB warehouse at scale 0.01 (shared through the process-wide cache)."""
    store = warehouse_for(duck_url)
    build_synthetic(store, scale=SCALE, seed=SEED, period=PERIOD)
    yield store
    forget_warehouse(duck_url)


@pytest.fixture(scope="session")
def sqlite_wh(tmp_path_factory) -> Iterator[Warehouse]:
    store = Warehouse(f"sqlite:///{tmp_path_factory.mktemp('whs') / 'warehouse.sqlite'}")
    build_synthetic(store, scale=SCALE, seed=SEED, period=PERIOD)
    yield store
    store.dispose()


def _with_search_path(url: str, schema: str) -> str:
    parsed = make_url(url)
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session")
def pg_wh() -> Iterator[Warehouse]:
    if not PG_URL:
        pytest.skip(
            "PostgreSQL warehouse tests need LAKSANA_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    schema = f"wh_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Warehouse(_with_search_path(PG_URL, schema))
    try:
        build_synthetic(store, scale=SCALE, seed=SEED, period=PERIOD)
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_duck(tmp_path) -> Iterator[Warehouse]:
    store = Warehouse(f"duckdb:///{tmp_path / 'empty.duckdb'}")
    store.ensure_schema()
    yield store
    store.dispose()


# -- the engine store (grants, query log, datasets) ----------------------------------------

NOW = datetime(2026, 7, 10, 3, 0, tzinfo=timezone.utc)  # 10:00 WIB


@pytest.fixture
def wh_settings(tmp_path, duck, duck_url) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=f"sqlite:///{tmp_path / 'engine.db'}",
        warehouse_url=duck_url,
    )


@pytest.fixture
def store_db(wh_settings) -> Iterator[Database]:
    """A fresh engine store with users and two requests (process instances 1 and 2)."""
    database = Database(wh_settings.database_url)
    database.create_all()
    with database.transaction() as session:
        session.add_all(
            [
                User(username="budi", full_name="Budi Santoso", roles=["operator"]),
                User(username="wati", full_name="Wati", roles=["operator"]),
                User(username="kasi", full_name="Siti Kasi", roles=["kasi"]),
                User(username="lama", full_name="Operator Lama", roles=["operator"], active=False),
            ]
        )
        definition = ProcessDefinition(
            process_id="permohonan_data_agregat", version=1, bpmn_xml="", spec_json="", checksum="x"
        )
        session.add(definition)
        session.flush()
        for _ in range(2):
            session.add(
                ProcessInstance(
                    definition_id=definition.id,
                    process_id=definition.process_id,
                    version=1,
                    state_json="{}",
                )
            )
    yield database
    database.dispose()
