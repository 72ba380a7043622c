"""The warehouse database: one SQLAlchemy engine per URL, periods, loading and counts.

Any SQLAlchemy URL works; DuckDB (``duckdb:///instance/warehouse.duckdb``) is
the embedded default and PostgreSQL the option for several machines. Reads go
through :meth:`Warehouse.connect`, changes through :meth:`Warehouse.writing`. A
DuckDB file is only ever opened read-only by readers and rebuilt as a new file
swapped in atomically (:mod:`warehouse.duckfile`), so any number of processes
query it while a build or an import runs.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from . import duckfile, schema
from .cellkey import record_keys
from .generator import Population
from .loader import load_table
from .periods import Period
from .regions import kecamatans, regions


def _prepare_file(url: str) -> None:
    """Create the folder of a file-based database (DuckDB or SQLite)."""
    for prefix in ("duckdb:///", "sqlite:///"):
        if url.startswith(prefix):
            path = url[len(prefix) :].split("?", 1)[0]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)


def _quiet_duckdb(dbapi_connection, _record) -> None:
    """No DuckDB progress bar on long statements (build has its own, on stderr)."""
    dbapi_connection.execute("SET enable_progress_bar = false")


class OutdatedSchema(RuntimeError):
    """The warehouse was built by an older version; it must be built again."""


class Warehouse:
    def __init__(self, url: str) -> None:
        self.url = url
        _prepare_file(url)
        #: the DuckDB file, read-only to queries and replaced whole by builds (None: any other URL)
        self.file: Path | None = duckfile.duckdb_file(url)
        self.engine: Engine = duckfile.reader_engine(self.file) if self.file else create_engine(url)
        if self.engine.dialect.name == "duckdb":
            event.listen(self.engine, "connect", _quiet_duckdb)
        self._schema_ready = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def missing(self) -> bool:
        """True for a DuckDB file not built yet (it reads as an empty warehouse)."""
        return self.file is not None and not self.file.exists()

    def connect(self) -> Connection:
        """A connection for queries (read-only on a DuckDB file); use it as a context manager.

        Its statements see one build: a DuckDB connection keeps the file it opened; on
        PostgreSQL it reads in REPEATABLE READ (one snapshot), not READ COMMITTED, under
        which ``stats`` could count persons before a rebuild's commit and families after it.
        """
        conn = self.engine.connect()
        if self.dialect == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        return conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction that changes the warehouse, its tables ready (outdated ones recreated).

        On a DuckDB file it runs on a copy that replaces the file when it commits; a second
        writer meanwhile gets :class:`warehouse.duckfile.WarehouseBusy`.
        """
        outdated = not self.is_current()
        begin = (
            duckfile.write_transaction(self.file, _quiet_duckdb)
            if self.file
            else self.engine.begin()
        )
        with begin as conn:
            if outdated:
                schema.metadata.drop_all(conn)
            schema.metadata.create_all(conn)
            if conn.execute(select(func.count()).select_from(schema.region)).scalar_one() == 0:
                conn.execute(insert(schema.region), _region_rows())
            yield conn
        if self.file:
            self.engine.dispose()  # this process's readers move to the new file at once
        self._schema_ready = not self.file

    def ensure_schema(self, rebuild_outdated: bool = False) -> None:
        """Check the tables; outside a DuckDB file also create missing ones and the regions.

        Tables from an older version of the schema are refused unless ``rebuild_outdated``
        (a build replaces them: :meth:`writing`). A DuckDB file is never written here: a
        missing one reads as empty.
        """
        if self._schema_ready or self.missing:
            return
        current = self.is_current()
        if not current and not rebuild_outdated:
            raise OutdatedSchema(
                "Gudang data memakai skema lama; bangun ulang dengan `laksana warehouse build`."
            )
        if self.file:
            self._schema_ready = current
            return
        with self.writing():
            pass

    def is_current(self) -> bool:
        """False when the warehouse tables exist but lack columns this version needs."""
        if self.missing:
            return True
        with self.connect() as conn:
            inspector = inspect(conn)
            tables = [t for t in schema.metadata.sorted_tables if inspector.has_table(t.name)]
        for table in tables:
            try:
                with self.connect() as conn:
                    conn.execute(select(*table.columns).limit(0)).fetchall()
            except SQLAlchemyError:
                return False
        return True

    def replace_period(
        self, period: Period, population: Population, source: str, on_step=None
    ) -> None:
        """Replace the period's persons and families with ``population`` in one transaction."""
        with self.writing() as conn:
            persons = population.persons
            if "kunci_sel" not in persons:
                persons = persons | {"kunci_sel": record_keys(persons["nik"], _secret(conn))}
            _delete_period(conn, period.code)
            load_table(conn, schema.family.name, period.code, population.families)
            if on_step:
                on_step("keluarga dimuat")
            load_table(conn, schema.person.name, period.code, persons)
            if on_step:
                on_step("penduduk dimuat")
            conn.execute(insert(schema.period), [_period_row(period, population, source)])
            _analyze(conn)

    def periods(self) -> list[dict[str, Any]]:
        """Loaded periods, newest first."""
        self.ensure_schema()
        if self.missing:
            return []
        table = schema.period
        with self.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.keadaan.desc())).mappings().all()
        return [dict(row) for row in rows]

    def latest_period(self) -> str | None:
        found = self.periods()
        return found[0]["kode"] if found else None

    def has_data(self) -> bool:
        return bool(self.periods())

    def stats(self, period_code: str | None = None) -> dict[str, Any]:
        """Counts of persons (by sex) and families, for the regency and per kecamatan."""
        code = period_code or self.latest_period()
        person, family = schema.person, schema.family
        by_kecamatan: dict[str, dict[str, int]] = {
            k.code: {"persons": 0, "male": 0, "female": 0, "families": 0} for k in kecamatans()
        }
        if self.missing:
            return _stats_document(code, by_kecamatan)
        with self.connect() as conn:
            for kec, sex, count in conn.execute(
                select(person.c.kode_kecamatan, person.c.jenis_kelamin, func.count())
                .where(person.c.periode == code)
                .group_by(person.c.kode_kecamatan, person.c.jenis_kelamin)
            ):
                entry = by_kecamatan.setdefault(
                    kec, {"persons": 0, "male": 0, "female": 0, "families": 0}
                )
                entry["persons"] += count
                entry["male" if sex == 1 else "female"] += count
            for kec, count in conn.execute(
                select(family.c.kode_kecamatan, func.count())
                .where(family.c.periode == code)
                .group_by(family.c.kode_kecamatan)
            ):
                by_kecamatan.setdefault(kec, {"persons": 0, "male": 0, "female": 0, "families": 0})[
                    "families"
                ] = count
        return _stats_document(code, by_kecamatan)

    def dispose(self) -> None:
        self.engine.dispose()


def _stats_document(code: str | None, by_kecamatan: dict[str, dict[str, int]]) -> dict[str, Any]:
    names = regions()
    totals = {
        key: sum(entry[key] for entry in by_kecamatan.values())
        for key in ("persons", "male", "female", "families")
    }
    return {
        "period": Period.parse(code).as_dict() if code else None,
        **totals,
        "kecamatan": [
            {"code": kec, "name": names[kec].name if kec in names else kec, **counts}
            for kec, counts in sorted(by_kecamatan.items())
        ],
    }


def _analyze(conn: Connection) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL, SQLite; DuckDB keeps its own)."""
    if conn.dialect.name in ("postgresql", "sqlite"):
        for table in (schema.person, schema.family):
            conn.exec_driver_sql(f"ANALYZE {table.name}")


def _secret(conn: Connection) -> bytes:
    """The warehouse's record-key secret, created on first use and kept with the data."""
    table = schema.secret
    found = conn.execute(select(table.c.nilai).where(table.c.nama == "kunci_sel")).scalar()
    if found is None:
        found = secrets.token_hex(32)
        conn.execute(insert(table), [{"nama": "kunci_sel", "nilai": found}])
    return bytes.fromhex(found)


def _delete_period(conn: Connection, code: str) -> None:
    conn.execute(delete(schema.person).where(schema.person.c.periode == code))
    conn.execute(delete(schema.family).where(schema.family.c.periode == code))
    conn.execute(delete(schema.period).where(schema.period.c.kode == code))


def _region_rows() -> list[dict[str, Any]]:
    return [
        {
            "kode": r.code,
            "tingkat": r.level,
            "nama": r.name,
            "kode_induk": r.parent,
            "jenis": r.kind or None,
        }
        for r in regions().values()
    ]


def _period_row(period: Period, population: Population, source: str) -> dict[str, Any]:
    return {
        "kode": period.code,
        "label": period.label,
        "keadaan": period.cutoff,
        "sumber": source,
        "seed": population.meta.get("seed"),
        "skala": population.meta.get("scale"),
        "penduduk": population.person_count,
        "keluarga": population.family_count,
        "dibuat": datetime.now(timezone.utc).replace(tzinfo=None),
    }


_CACHE: dict[str, Warehouse] = {}
_CACHE_LOCK = threading.Lock()


def warehouse_for(url: str) -> Warehouse:
    """The process-wide warehouse for ``url`` (one engine per URL)."""
    with _CACHE_LOCK:
        if url not in _CACHE:
            _CACHE[url] = Warehouse(url)
        return _CACHE[url]


_INHERITED: list[Any] = []  # a forked child's copies of its parent's pools: kept, never used


def _after_fork_in_child() -> None:
    """A forked child (gunicorn ``--preload``) opens its own connections, never its parent's.

    The parent's pools are kept referenced: closing a copied DuckDB connection in the child
    would tear down a database whose threads did not survive the fork.
    """
    global _CACHE_LOCK
    _CACHE_LOCK = threading.Lock()
    for store in _CACHE.values():
        _INHERITED.append(store.engine.pool)
        store.engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork_in_child)


def forget_warehouse(url: str) -> None:
    """Dispose of and drop the cached warehouse for ``url`` (tests; rebuilds are followed anyway)."""
    with _CACHE_LOCK:
        found = _CACHE.pop(url, None)
    if found:
        found.dispose()
