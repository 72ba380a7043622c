"""A DuckDB warehouse file that many processes read while one process rebuilds it.

DuckDB lets one process open a file read-write, or any number of processes open it
read-only, never both at once (the others fail with "Could not set lock on file").
So nobody writes the warehouse file in place:

Readers (web workers, job workers, CLI commands) open it READ ONLY, pooled. Each pooled
connection is its own in-memory DuckDB with the file ``ATTACH``ed read-only: the duckdb
module keeps one database instance per path, so a plain ``duckdb.connect(path)`` after a
rebuild would go on returning the replaced file for as long as any connection to it lives
in the process. Each connection remembers which file (device, inode, mtime, size) it
opened; at checkout, one whose file has been replaced since is discarded and a new one
opens the file now at the path. Opening costs about 16 ms, so connections are kept.

Writers (``laksana warehouse build`` / ``import``) take ``<file>.lock`` (one writer at a
time; a second one is refused with :class:`WarehouseBusy`), copy the file to
``<file>.building`` (so the other periods stay), run their transaction there, checkpoint
and close it, and ``os.replace`` it over the file. Readers keep the file (inode) they
opened and answer from the old build; their next connection sees the new one. A failed
build removes its copy and leaves the file as it was.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import duckdb
from duckdb_engine import ConnectionWrapper
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import NullPool

ALIAS = "wh"  # the attached file's catalog name; made the default with USE

Identity = tuple[int, int, int, int]


class WarehouseBusy(RuntimeError):
    """Another process is building or importing into the warehouse file."""


def duckdb_file(url: str) -> Path | None:
    """The file of a ``duckdb:///path`` URL (absolute), None for in-memory or other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "duckdb" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def file_identity(path: Path) -> Identity | None:
    """Which file is at ``path`` now: (device, inode, mtime, size), None when there is none."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)


class _Attached(ConnectionWrapper):
    """A DB-API connection to the attached file; ``identity`` is the file it opened."""

    identity: Identity | None = None


def _attach(path: Path, read_only: bool) -> _Attached:
    connection = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        mode = " (READ_ONLY)" if read_only else ""
        connection.execute(f"ATTACH '{quoted}' AS {ALIAS}{mode}")
        connection.execute(f"USE {ALIAS}")
    except BaseException:
        connection.close()
        raise
    return _Attached(connection)


def _attach_stable(path: Path, tries: int = 20) -> _Attached:
    """Attach ``path`` read-only, knowing for sure which file was opened.

    The file's identity is read before and after attaching; when a build replaced the file
    in between, the identity is unknown and the file is attached again. Before, the identity
    read before opening could name the replaced file: the pool's check at checkout then
    discarded the new connection, and after two such races in a row SQLAlchemy gave up with
    "This connection is closed" (a reader failing while back-to-back builds ran).
    """
    for _ in range(tries):
        before = file_identity(path)
        wrapper = _attach(path, read_only=True)
        if file_identity(path) == before:
            wrapper.identity = before
            return wrapper
        wrapper.close()
    raise WarehouseBusy("Gudang data sedang diganti terus-menerus; coba lagi sebentar lagi.")


def reader_engine(path: Path) -> Engine:
    """A pooled engine whose connections read ``path`` read-only and follow its replacements."""

    def connect() -> _Attached:
        return _attach_stable(path)

    engine = create_engine("duckdb://", creator=connect)

    @event.listens_for(engine, "checkout")
    def _reopen_if_replaced(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if getattr(dbapi_connection, "identity", None) != file_identity(path):
            raise DisconnectionError("the warehouse file was replaced by a new build")

    return engine


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _fsync(path: Path, directory: bool = False) -> None:
    descriptor = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusy(
                "Gudang data sedang dibangun atau diimpor oleh proses lain; "
                "coba lagi setelah proses itu selesai."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def write_transaction(
    path: Path, on_connect: Callable[[Any, Any], None] | None = None
) -> Iterator[Connection]:
    """One transaction on a copy of ``path``; on success the copy atomically replaces it."""
    building = path.with_name(path.name + ".building")
    with _build_lock(path):
        _remove(building, _wal(building))  # left by a build that crashed
        try:
            if path.exists():
                shutil.copyfile(path, building)
                if _wal(path).exists():  # an old writer's uncheckpointed work: replayed on the copy
                    shutil.copyfile(_wal(path), _wal(building))
            engine = create_engine(
                "duckdb://", creator=lambda: _attach(building, read_only=False), poolclass=NullPool
            )
            if on_connect:
                event.listen(engine, "connect", on_connect)
            try:
                with engine.connect() as conn:
                    with conn.begin():
                        yield conn
                    cast(Any, conn.connection.driver_connection).execute("CHECKPOINT")
            finally:
                engine.dispose()
            if _wal(building).exists():
                raise RuntimeError("gudang data baru belum tersimpan utuh (berkas WAL tersisa)")
            _fsync(building)
            _remove(_wal(path))  # must not be replayed onto the new file
            os.replace(building, path)
            _fsync(path.parent, directory=True)
        except BaseException:
            _remove(building, _wal(building))
            raise
