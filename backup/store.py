"""The engine store in a backup: dump, check and restore, for SQLite and for PostgreSQL.

SQLite is copied with the sqlite3 online backup API (a consistent copy while the app runs).
PostgreSQL is dumped with ``pg_dump -Fc`` and restored with ``pg_restore`` (Debian's
``postgresql-client``); the row counts and the documents' fingerprint are read in the snapshot
pg_dump uses (``pg_export_snapshot``), so the manifest describes exactly what the dump holds.
The documents live in the store (``documents.content``), so they travel with the dump.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, Connection, make_url

SQLITE_MEMBER = "store/laksana.sqlite3"
POSTGRES_MEMBER = "store/laksana.pgdump"
#: the table Alembic keeps its revision in; not counted as content
ALEMBIC_TABLE = "alembic_version"


class StoreError(Exception):
    """The store cannot be dumped, read or restored; the message is for people."""


@dataclass
class StoreFacts:
    """What a dump holds: row counts per table, the Alembic revision, the documents' fingerprint."""

    counts: dict[str, int]
    revision: str | None
    documents: dict[str, Any]


def backend_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise StoreError(f"basis data {name} tidak didukung cadangan (hanya SQLite dan PostgreSQL)")
    return name


def member_for(backend: str) -> str:
    return SQLITE_MEMBER if backend == "sqlite" else POSTGRES_MEMBER


# ---------------------------------------------------------------------------------------- facts
def documents_fingerprint(rows: Iterable[tuple[str, str, bytes | None]]) -> dict[str, Any]:
    """Count and SHA-256 over every ``id:sha256`` (ordered by id); a document whose bytes no
    longer match its recorded SHA-256 is listed under ``damaged``."""
    digest = hashlib.sha256()
    count, damaged = 0, []
    for doc_id, sha, content in rows:
        count += 1
        digest.update(f"{doc_id}:{sha}\n".encode())
        if content is not None and hashlib.sha256(content).hexdigest() != sha:
            damaged.append(doc_id)
    return {"count": count, "sha256": digest.hexdigest(), "damaged": damaged}


def read_facts(connection: Connection) -> StoreFacts:
    tables = sorted(inspect(connection).get_table_names())
    counts = {
        table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
        for table in tables
        if table != ALEMBIC_TABLE
    }
    revision = None
    if ALEMBIC_TABLE in tables:
        revision = connection.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalar()
    documents: dict[str, Any] = {"count": 0, "sha256": hashlib.sha256().hexdigest()}
    if "documents" in tables:
        query = text("SELECT id, sha256, content FROM documents ORDER BY id")
        rows = connection.execute(query.execution_options(yield_per=100))  # not all in memory
        documents = documents_fingerprint((r[0], r[1], r[2]) for r in rows)
    return StoreFacts(counts, revision, documents)


def facts_of(url: str) -> StoreFacts:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return read_facts(connection)
    finally:
        engine.dispose()


def has_content(url: str) -> bool:
    """True when any table of the store (Alembic's aside) holds a row."""
    if backend_of(url) == "sqlite" and not _sqlite_path(url).exists():
        return False
    return any(facts_of(url).counts.values())


# ---------------------------------------------------------------------------------------- SQLite
def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise StoreError("basis data SQLite di memori tidak dapat dicadangkan")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy with the online backup API (readers and writers may go on)."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def dump_sqlite(url: str, target: Path) -> StoreFacts:
    source = _sqlite_path(url)
    if not source.is_file():
        raise StoreError(f"basis data tidak ditemukan: {source}")
    try:
        _sqlite_copy(source, target)
    except sqlite3.Error as exc:
        raise StoreError(f"basis data {source} tidak dapat disalin: {exc}") from None
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
    conn.close()
    return sqlite_facts(target)


def sqlite_facts(dump: Path) -> StoreFacts:
    """Check a dumped SQLite file (integrity, documents' bytes) and read its facts."""
    try:
        conn = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"salinan basis data tidak terbaca: {exc}") from None
    if not check or check[0] != "ok":
        raise StoreError(f"salinan basis data rusak: {check[0] if check else 'tanpa hasil'}")
    return facts_of(f"sqlite:///{dump}")


def restore_sqlite(dump: Path, url: str) -> None:
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _sqlite_copy(dump, target)
    except sqlite3.Error as exc:
        raise StoreError(f"basis data {target} tidak dapat ditulis: {exc}") from None


# ---------------------------------------------------------------------------------------- PostgreSQL
def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise StoreError(f"{name} tidak ditemukan: pasang paket postgresql-client (make sysdeps)")
    return path


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The connection string for the client tools, with the password in the environment."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=6 * 3600)
    except OSError as exc:
        raise StoreError(f"{what} gagal dijalankan: {exc.strerror}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise StoreError(f"{what} gagal: {lines[0] if lines else f'kode {done.returncode}'}")
    return done.stdout


def dump_postgres(url: str, target: Path) -> StoreFacts:
    """pg_dump in the snapshot the facts were read in: the manifest matches the dump exactly."""
    pg_dump = _pg_tool("pg_dump")
    dsn, env = _libpq(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection, connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = read_facts(connection)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={dsn}",
                ],
                env,
                "pg_dump",
            )
    finally:
        engine.dispose()
    return facts


def postgres_listing(dump: Path) -> set[str]:
    """The tables whose data a custom-format dump holds (``pg_restore --list``)."""
    listing = _run([_pg_tool("pg_restore"), "--list", str(dump)], dict(os.environ), "pg_restore")
    tables = set()
    for line in listing.splitlines():
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        # "215; 0 16390 TABLE DATA public documents postgres"
        parts = line.split(" TABLE DATA ", 1)[1].split()
        if len(parts) >= 2:
            tables.add(parts[1])
    return tables


def restore_postgres(dump: Path, url: str) -> None:
    """pg_restore in one transaction; objects of the dump are dropped first (--clean)."""
    dsn, env = _libpq(url)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={dsn}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


def dump(url: str, target: Path) -> StoreFacts:
    return dump_sqlite(url, target) if backend_of(url) == "sqlite" else dump_postgres(url, target)


def restore(dump_file: Path, url: str) -> None:
    if backend_of(url) == "sqlite":
        restore_sqlite(dump_file, url)
    else:
        restore_postgres(dump_file, url)
