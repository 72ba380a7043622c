"""The complaint table comes with Alembic's 0002 revision, as the models declare it."""

from sqlalchemy import inspect

from complaints.models import Complaint
from engine.db import Database
from engine.migrate import upgrade


def test_migration_creates_the_complaint_register(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(database)
    inspector = inspect(database.engine)
    assert {c["name"] for c in inspector.get_columns("complaints")} == {
        c.name for c in Complaint.__table__.columns
    }
    assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints("complaints")} >= {
        ("nomor_register",),
        ("kode_pelacakan",),
        ("tahun", "nomor_urut"),
    }
    database.dispose()
