"""Schema migrations (Alembic), run programmatically by ``laksana init-db``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from .db import Database
from .models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head", metadata: MetaData | None = None) -> None:
    """Bring the store to ``revision``; ``metadata`` carries every registered plug-in's tables."""
    config = alembic_config(database.url)
    config.attributes["target_metadata"] = metadata if metadata is not None else Base.metadata
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def autogenerate(url: str, message: str) -> None:
    """Developer aid: write a new revision from the difference between models and the database."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
