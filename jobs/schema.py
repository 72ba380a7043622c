"""procrastinate's schema in the engine store (its own tables, not part of the Alembic history)."""

from __future__ import annotations

from procrastinate.schema import SchemaManager
from sqlalchemy import text

from engine.db import Database

from .queue import queue_present


def ensure_schema(database: Database) -> bool:
    """Apply procrastinate's schema when the store is PostgreSQL and it is not there yet.

    Idempotent and safe when several ``laksana init-db`` run at once (an advisory lock for the
    transaction). Returns True when it was applied now. Upgrading procrastinate to a release with
    a new schema is done with its own migrations (``procrastinate schema --migrations-path``).
    """
    if database.engine.dialect.name != "postgresql":
        return False
    with database.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('laksana.procrastinate'))"))
        if queue_present(connection):
            return False
        # the whole file in one simple-protocol execute, on the same connection and transaction
        psycopg_connection = connection.connection.driver_connection
        assert psycopg_connection is not None
        psycopg_connection.execute(SchemaManager.get_schema())
    return True
