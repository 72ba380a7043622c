"""Shared fixtures for the reports tests: settings, an SQLite store, a seeded request."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import Settings
from engine.db import Database

from .helpers import seed_request


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        base_url="https://laksana.example.go.id",
    )


@pytest.fixture
def db(settings: Settings):
    database = Database(settings.database_url)
    database.create_all()
    yield database
    database.dispose()


@pytest.fixture
def seeded(db):
    with db.transaction() as session:
        instance = seed_request(session)
        return instance.id, instance.summary["dataset_id"]
