"""Connections to the engine store: one SQLAlchemy engine and session factory per URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .models import AuditEntry, Base

#: session.info key of the audit rows queued by ``engine.runner.audit``
PENDING_AUDIT = "laksana_pending_audit"


_INSERT_AUDIT = insert(AuditEntry)


def _write_pending_audit(session: Session) -> None:
    rows = session.info.pop(PENDING_AUDIT, None)
    if rows:
        session.connection().execute(_INSERT_AUDIT, rows)


def json_text(value) -> str:
    """JSON columns as text: orjson (UTF-8, compact), the standard library for what it refuses."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(value)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


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
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.Session, "before_commit", _write_pending_audit)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self.Session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.info.pop(PENDING_AUDIT, None)
            session.rollback()
            raise
        finally:
            session.close()

    def session(self) -> Session:
        return self.Session()

    def create_all(self) -> None:
        """Create tables without Alembic (tests); production uses ``laksana init-db``."""
        Base.metadata.create_all(self.engine)

    def drop_all(self) -> None:
        Base.metadata.drop_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
