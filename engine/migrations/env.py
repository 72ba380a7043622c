"""Alembic environment: the store's schema, the engine's tables and every plug-in's.

One history for the whole store. The composition root passes the metadata, with every plug-in's
models on it, as ``config.attributes["target_metadata"]`` (``engine.migrate.upgrade``); the engine
imports no plug-in package.
"""

from alembic import context
from sqlalchemy import create_engine, pool

from engine.models import Base

config = context.config
target_metadata = config.attributes.get("target_metadata", Base.metadata)


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
