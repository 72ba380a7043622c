"""Connections to the engine store: one SQLAlchemy engine and session factory per URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import orjson
from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .models import AuditEntry, Base

#: session.info key of the audit rows queued by ``engine.runner.audit``
PENDING_AUDIT = "laksana_pending_audit"
#: session.info key of audit rows written even if the transaction rolls back (``keep_audit``)
KEPT_AUDIT = "laksana_kept_audit"


_INSERT_AUDIT = insert(AuditEntry)
#: columns most audit rows leave empty (one INSERT needs the same keys in every row)
_AUDIT_DEFAULTS = {"on_behalf_of": None, "acting_kind": None}


def _write_pending_audit(session: Session) -> None:
    rows = session.info.pop(PENDING_AUDIT, None) or []
    rows += session.info.pop(KEPT_AUDIT, None) or []
    if rows:
        session.connection().execute(_INSERT_AUDIT, [{**_AUDIT_DEFAULTS, **row} for row in rows])


def json_text(value) -> str:
    """JSON columns as text: orjson (UTF-8, compact), the standard library for what it refuses."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(value)


#: execution option of the engine that ``Database.transaction`` binds its sessions to
WRITES = "laksana_writes"


def _sqlite_connect(dbapi_connection, _record) -> None:
    """Take transaction control away from the pysqlite driver (SQLAlchemy's pysqlite recipe).

    Left alone, the driver emits BEGIN only before an INSERT/UPDATE/DELETE, so a SAVEPOINT
    (``session.begin_nested()``) opened before the first write starts SQLite's transaction
    itself and its RELEASE commits it: a failed or losing action kept what its service steps
    had written (documents, running numbers, grants). With ``isolation_level = None`` the
    driver does nothing and ``_sqlite_begin`` emits the BEGIN.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    """BEGIN IMMEDIATE for ``transaction()`` (writers wait for one another, up to busy_timeout,
    instead of failing when the snapshot they read is overtaken), a plain BEGIN for reads."""
    immediate = conn.get_execution_options().get(WRITES)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


#: (database, session) of the ``transaction()`` open in this thread or task, if any
_OPEN_SESSION: ContextVar[tuple | None] = ContextVar("laksana_open_session", default=None)


def _postgres_connect(dbapi_connection, _record) -> None:
    """A lock wait ends after 10 s with an error (a conflict for people), as SQLite's busy_timeout."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET lock_timeout = '10s'")
    cursor.close()
    dbapi_connection.commit()


class Database:
    """The engine store. ``transaction()`` is one unit of work: commit or roll back whole."""

    def __init__(self, url: str) -> None:
        self.url = url
        kwargs: dict = {
            "future": True,
            "json_serializer": json_text,
            "json_deserializer": orjson.loads,
        }
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif url.startswith("postgresql"):
            event.listen(self.engine, "connect", _postgres_connect)
        #: the same pool; on SQLite its transactions begin IMMEDIATE
        self.writer = self.engine.execution_options(**{WRITES: True})
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.Session, "before_commit", _write_pending_audit)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self.Session(bind=self.writer)
        token = _OPEN_SESSION.set((self, session))
        try:
            yield session
            session.commit()
        except BaseException:
            session.info.pop(PENDING_AUDIT, None)
            kept = session.info.pop(KEPT_AUDIT, None)
            session.rollback()
            if kept:
                self._write_kept(kept)
            raise
        finally:
            _OPEN_SESSION.reset(token)
            session.close()

    def keep_audit(self, row: dict) -> None:
        """An audit row that stays whether the open action commits or not (a refusal): written with
        it, or after its rollback in a transaction of its own. Never a second transaction while
        one is open: on SQLite that one holds the write lock, and the second would wait for it."""
        opened = _OPEN_SESSION.get()
        if opened is None or opened[0] is not self:
            self._write_kept([row])
        else:
            opened[1].info.setdefault(KEPT_AUDIT, []).append(row)

    def _write_kept(self, rows: list[dict]) -> None:
        with self.transaction() as session:
            session.info.setdefault(PENDING_AUDIT, []).extend(rows)

    def session(self) -> Session:
        return self.Session()

    def create_all(self, *, fresh: bool = False) -> None:
        """Create tables without Alembic (tests, benches); production uses ``laksana init-db``.
        ``fresh``: the store is known to be empty, so no table is looked up first (a third of
        the time on PostgreSQL, paid by every test's new schema)."""
        Base.metadata.create_all(self.engine, checkfirst=not fresh)

    def drop_all(self) -> None:
        Base.metadata.drop_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
