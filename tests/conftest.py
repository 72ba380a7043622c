"""Shared fixtures: settings, database, engine (with a controllable clock), app, client, runner."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

#: cheap argon2 parameters for every hash the tests make (before engine.users is imported; the
#: CLI subprocesses inherit it); production keeps argon2-cffi's default
os.environ.setdefault("LAKSANA_PASSWORD_HASH", "fast")

from sqlalchemy import create_engine, inspect, make_url, text  # noqa: E402

import web.composition  # noqa: F401 - every plug-in's tables join the metadata before create_all
from engine.config import Settings
from engine.db import Database
from engine.facade import BpmnEngine
from engine.models import Base
from office.roles import seed_demo_users
from tests.factories import PROCESS, ROLE_OF_STEP, fake_registry, gen_form
from tests.web.mail_sink import smtp  # noqa: F401 (the fixture, for every test)

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"
SHARED = ROOT.parent / "shared"
DEMO_PASSWORD = "laksana-demo"
PG_URL = os.environ.get("LAKSANA_TEST_DATABASE_URL")
#: where the test clock starts (Thursday 12 March 2026, 08:00 WIB)
CLOCK_START = datetime(2026, 3, 12, 1, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(CLOCK_START)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=f"sqlite:///{tmp_path / 'laksana.db'}",
        warehouse_url=f"duckdb:///{tmp_path / 'warehouse.duckdb'}",
    )


#: an empty store with every table, built once per worker process and copied for each test's
#: new SQLite file (creating the tables costs about 60 ms, a file copy well under one), by the
#: metadata's tables it was built with
_EMPTY_SQLITE: dict[tuple[str, ...], Path] = {}


def _empty_sqlite_template() -> Path:
    tables = tuple(sorted(Base.metadata.tables))
    if tables not in _EMPTY_SQLITE:
        folder = Path(tempfile.mkdtemp(prefix="laksana-empty-store-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "empty.db"
        template = Database(f"sqlite:///{path}")
        template.create_all(fresh=True)
        template.dispose()  # the last connection checkpoints the WAL into the file
        _EMPTY_SQLITE[tables] = path
    return _EMPTY_SQLITE[tables]


def sqlite_database(settings: Settings) -> Database:
    """The SQLite store of ``settings``, its tables created (copied from the empty template when
    the file does not exist yet)."""
    path = make_url(settings.database_url).database
    if path and path != ":memory:" and not Path(path).exists():
        shutil.copyfile(_empty_sqlite_template(), path)
        return Database(settings.database_url)
    database = Database(settings.database_url)
    database.create_all()
    return database


def postgres_database() -> tuple[Database, str]:
    """A fresh schema on the CI PostgreSQL server, for one test."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need LAKSANA_TEST_DATABASE_URL (CI sets it)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in PG_URL else "?"
    database = Database(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    database.create_all(fresh=True)
    return database, schema


def drop_schema(schema: str) -> None:
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def database_for(backend: str, settings: Settings):
    """A fresh store on ``backend`` for one test (a generator for fixtures: yields, then cleans up)."""
    if backend == "sqlite":
        database = sqlite_database(settings)
        yield database
        database.dispose()
    else:
        database, schema = postgres_database()
        yield database
        database.dispose()
        drop_schema(schema)


@pytest.fixture
def database(settings):
    database = sqlite_database(settings)
    yield database
    database.dispose()


def seeded(database: Database) -> Database:
    with database.transaction() as session:
        seed_demo_users(session, DEMO_PASSWORD)
    return database


class DeployedStores:
    """Stores with the demo users and every diagram of processes/ deployed, built once per
    worker on first use: the ``engine`` fixture copies one instead of deploying again
    (validating and storing the diagrams and their Word templates cost about 0.2 s, in
    hundreds of tests). An SQLite file, and a PostgreSQL schema when a test runs there."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite: Path | None = None
        self._schema: str | None = None
        self._schema_tables: set[str] = set()

    def _deploy(self, database: Database) -> None:
        settings = Settings(instance_dir=self.root / "instance")
        seeded(database)
        BpmnEngine(database, fake_registry(), settings, clock=Clock(CLOCK_START)).deploy_path(
            PROCESSES
        )
        database.dispose()

    def sqlite(self) -> Path:
        if self._sqlite is None:
            path = self.root / "laksana.db"
            self._deploy(sqlite_database(Settings(database_url=f"sqlite:///{path}")))
            self._sqlite = path
        return self._sqlite

    def postgres(self) -> tuple[str, set[str]]:
        """The template schema and its tables."""
        if self._schema is None:
            database, schema = postgres_database()
            with database.engine.connect() as connection:
                self._schema_tables = set(inspect(connection).get_table_names())
            self._deploy(database)
            self._schema = schema
        return self._schema, self._schema_tables

    def close(self) -> None:
        if self._schema is not None:
            drop_schema(self._schema)


@pytest.fixture(scope="session")
def deployed_stores(tmp_path_factory) -> Iterator[DeployedStores]:
    stores = DeployedStores(tmp_path_factory.mktemp("deployed"))
    yield stores
    stores.close()


def is_empty(database: Database) -> bool:
    """No row in any table of the store: nothing a test or fixture wrote yet."""
    with database.engine.connect() as connection:
        return not any(
            connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()
            for name in inspect(connection).get_table_names()
        )


def copy_sqlite(template: Path, database: Database) -> None:
    """Replace the content of the SQLite ``database`` by ``template``'s, through SQLite's
    backup API (safe with the open WAL store)."""
    source = sqlite3.connect(template)
    target = database.engine.raw_connection()
    try:
        source.backup(target.driver_connection)
    finally:
        target.close()
        source.close()


def copy_postgres(schema: str, tables: set[str], database: Database) -> None:
    """Copy the rows of the template ``schema`` into the PostgreSQL ``database`` (its own
    schema, same tables), moving each id sequence past the copied ids."""
    with database.engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name not in tables:
                continue
            name = table.name
            copied = connection.execute(
                text(f'INSERT INTO "{name}" SELECT * FROM "{schema}"."{name}"')
            ).rowcount
            key = table.autoincrement_column
            if copied and key is not None:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{name}\"', '{key.name}'), "
                        f'(SELECT max("{key.name}") FROM "{name}"))'
                    )
                )


def deployed_engine(database: Database, settings: Settings, clock: Clock, stores: DeployedStores):
    """The engine on ``database`` with the demo users and processes/ deployed: a copy of the
    deployed store when ``database`` is empty, seeded and deployed otherwise."""
    if is_empty(database):
        if database.engine.dialect.name == "sqlite":
            copy_sqlite(stores.sqlite(), database)
        else:
            copy_postgres(*stores.postgres(), database)
        database.create_all()  # a table added to the metadata since the template was built
        return BpmnEngine(database, fake_registry(), settings, clock=clock)
    seeded(database)
    bpmn_engine = BpmnEngine(database, fake_registry(), settings, clock=clock)
    bpmn_engine.deploy_path(PROCESSES)
    return bpmn_engine


@pytest.fixture
def engine(database, settings, clock, deployed_stores) -> BpmnEngine:
    """The engine on a fresh store: processes deployed, demo users, stand-in report/warehouse handlers."""
    return deployed_engine(database, settings, clock, deployed_stores)


@pytest.fixture
def app(engine, settings):
    from web.app import create_app

    return create_app(
        {
            "TESTING": True,
            "LAKSANA_SETTINGS": settings,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        },
        engine=engine,
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Actions:
    """Drive the data SOP through the facade, as the right role user for each step."""

    def __init__(self, engine: BpmnEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def start(self, **letter):
        return self.engine.start(PROCESS, letter or None, user="sekretariat")

    def open_task(self, instance_id: int, element_id: str | None = None):
        tasks = self.engine.tasks(instance_id=instance_id)
        if element_id is not None:
            tasks = [t for t in tasks if t.element_id == element_id]
        assert tasks, f"no open task {element_id or ''} in instance {instance_id}"
        return tasks[0]

    def complete(self, instance_id: int, element_id: str, minutes: int = 3, **overrides):
        self.clock.advance(minutes=minutes)
        task = self.open_task(instance_id, element_id)
        return self.engine.complete(
            task.id, ROLE_OF_STEP[element_id], gen_form(element_id, **overrides)
        )

    def run_until(self, instance_id: int, stop_before: str | None = None):
        """Complete the open steps with valid forms until ``stop_before`` is open (or none are)."""
        instance = self.engine.instance(instance_id)
        while instance.current_tasks and instance.current_tasks[0] != stop_before:
            instance = self.complete(instance_id, instance.current_tasks[0])
        return instance


@pytest.fixture
def actions(engine, clock) -> Actions:
    return Actions(engine, clock)


_exit_status: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """End the process once pytest has reported, skipping interpreter finalisation.

    DuckDB's bindings (nanobind) print dozens of "leaked instance" lines at
    interpreter shutdown, after pytest's summary; they say nothing about this
    code and bury the summary line. Set LAKSANA_TEST_NORMAL_EXIT=1 to see them.
    """
    if _exit_status and not os.environ.get("LAKSANA_TEST_NORMAL_EXIT"):
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
